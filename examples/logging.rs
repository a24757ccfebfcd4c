//! Diagnostics on standard error: warnings by default, more with `RUST_LOG` (for example
//! `RUST_LOG=sync_engine=debug`). The vendor clients and the engine never put a secret in a
//! log line.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the log subscriber (once; later calls do nothing): `RUST_LOG` when set, else
/// `default` (for example `"warn"`).
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
