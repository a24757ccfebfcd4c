//! Waiting for the signals that stop a long-running binary (`worker`, `fakes`).

use crate::exit::CliError;

/// Listens for SIGINT (Ctrl-C) and, on Unix, SIGTERM from now on; the future completes at the
/// first of them. Call it before announcing that the binary runs, so no signal is missed.
pub fn termination() -> Result<impl Future<Output = ()>, CliError> {
    let cannot = |signal: &str, e: std::io::Error| {
        CliError::failure(format!("cannot wait for {signal}: {e}"))
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| cannot("Ctrl-C", e))?;
        let mut terminate = signal(SignalKind::terminate()).map_err(|e| cannot("SIGTERM", e))?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        let _ = cannot;
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
