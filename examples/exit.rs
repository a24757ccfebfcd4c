//! The exit codes every binary shares, and the error that carries one.

use std::fmt;
use std::process::ExitCode;

/// Everything went as asked.
pub const SUCCESS: u8 = 0;
/// Something else failed (the store, a file, an unexpected answer).
pub const FAILURE: u8 = 1;
/// The command line was wrong (clap's own code for usage errors).
pub const USAGE: u8 = 2;
/// A vendor refused the credentials, or could not be reached or understood.
pub const VENDOR: u8 = 3;
/// The command ran, but part of it failed (some changes were not applied, a run failed).
pub const PARTIAL: u8 = 4;

/// The exit codes as `--help` lists them.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  other failure (store, file, unexpected answer)
  2  usage error (wrong arguments)
  3  vendor failure: credentials refused, vendor unreachable or answering errors
  4  partial success: the command ran but some of its work failed";

/// A failed command: the message for the user and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// One of [`FAILURE`], [`USAGE`], [`VENDOR`], [`PARTIAL`].
    pub code: u8,
    /// What went wrong, for the user.
    pub message: String,
}

impl CliError {
    /// A failure of another kind (exit code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            code: FAILURE,
            message: message.into(),
        }
    }

    /// A usage error found after parsing (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: USAGE,
            message: message.into(),
        }
    }

    /// A vendor or credential failure (exit code 3).
    pub fn vendor(message: impl Into<String>) -> Self {
        Self {
            code: VENDOR,
            message: message.into(),
        }
    }

    /// A partial success (exit code 4).
    pub fn partial(message: impl Into<String>) -> Self {
        Self {
            code: PARTIAL,
            message: message.into(),
        }
    }

    /// Prints the message to standard error and gives the exit code.
    pub fn report(&self, program: &str) -> ExitCode {
        eprintln!("{program}: {}", self.message);
        ExitCode::from(self.code)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// Runs `command` on a tokio runtime of two worker threads and gives the process exit code
/// ([`finish`]'s; 1 when the runtime cannot start). Tasks still running once the command is
/// done get a second to end.
pub fn block_on(program: &str, command: impl Future<Output = Result<(), CliError>>) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => {
            let result = runtime.block_on(command);
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            finish(program, result)
        }
        Err(e) => CliError::failure(format!("cannot start the runtime: {e}")).report(program),
    }
}

/// Turns a command's result into the process exit code.
pub fn finish(program: &str, result: Result<(), CliError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => error.report(program),
    }
}
