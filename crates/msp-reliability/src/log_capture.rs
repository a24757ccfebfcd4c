//! Everything the `tracing` instrumentation emits, at TRACE level, into a buffer a test can
//! search — spans with their fields, as they open and close, and events.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

/// The captured output. Clones share the buffer.
#[derive(Debug, Clone, Default)]
pub struct CapturedLogs {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl CapturedLogs {
    /// Everything captured so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap_or_else(PoisonError::into_inner))
            .into_owned()
    }

    /// How many captured lines contain `needle`.
    pub fn lines_containing(&self, needle: &str) -> usize {
        self.text().lines().filter(|l| l.contains(needle)).count()
    }
}

/// One write handle into the buffer.
#[derive(Debug)]
pub struct CaptureWriter {
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl Write for CaptureWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for CapturedLogs {
    type Writer = CaptureWriter;

    fn make_writer(&'a self) -> Self::Writer {
        CaptureWriter {
            buffer: self.buffer.clone(),
        }
    }
}

/// Captures TRACE-level output of the current thread until the guard is dropped (use it in a
/// `#[tokio::test]` on the current-thread runtime, so every task runs on this thread).
pub fn capture_trace() -> (CapturedLogs, tracing::subscriber::DefaultGuard) {
    let logs = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(logs.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (logs, guard)
}

/// The places a secret would leak through: each is a description and the text to search.
#[derive(Debug, Default)]
pub struct LeakCheck {
    places: Vec<(String, String)>,
}

impl LeakCheck {
    /// Adds a place to search.
    pub fn add(&mut self, place: impl Into<String>, text: impl Into<String>) {
        self.places.push((place.into(), text.into()));
    }

    /// The places searched.
    pub fn places(&self) -> usize {
        self.places.len()
    }

    /// Every (place, secret) pair where the secret appears; secrets shorter than 6 characters
    /// are refused (they would match by chance).
    pub fn leaks(&self, secrets: &[String]) -> Vec<(String, String)> {
        let mut leaks = Vec::new();
        for secret in secrets {
            assert!(
                secret.len() >= 6,
                "secret {secret:?} too short to search for"
            );
            for (place, text) in &self.places {
                if text.contains(secret.as_str()) {
                    leaks.push((place.clone(), secret.clone()));
                }
            }
        }
        leaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_in_any_place_is_reported_with_the_place() {
        let mut check = LeakCheck::default();
        check.add("logs", "GET /organizations x-api-key=ITG.secret-key");
        check.add("error", "401 Unauthorized");
        assert_eq!(
            check.leaks(&["ITG.secret-key".to_owned()]),
            vec![("logs".to_owned(), "ITG.secret-key".to_owned())]
        );
        assert!(check.leaks(&["another-secret".to_owned()]).is_empty());
    }

    #[test]
    fn events_at_trace_level_are_captured() {
        let (logs, _guard) = capture_trace();
        tracing::trace!(answer = 42, "deep inside");
        assert_eq!(logs.lines_containing("deep inside answer=42"), 1);
    }
}
