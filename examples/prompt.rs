//! Asking the user to confirm a list of changes.

use std::io::{BufRead, IsTerminal, Write};

use crate::exit::CliError;

/// Asks `question` on the terminal and reads yes or no. Without a terminal (a script, a pipe)
/// nothing can be asked: that is a usage error telling to pass `--yes`.
pub fn confirm(question: &str) -> Result<bool, CliError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(CliError::usage(
            "not on a terminal, so nothing can be confirmed: pass --yes to apply the changes listed",
        ));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{question} [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::failure(format!("cannot read the answer: {e}")))?;
    Ok(is_yes(&answer))
}

/// True for "y" and "yes" in any case.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_y_and_yes_confirm() {
        assert!(is_yes("y\n"));
        assert!(is_yes(" YES "));
        assert!(!is_yes(""));
        assert!(!is_yes("no"));
        assert!(!is_yes("yess"));
    }
}
