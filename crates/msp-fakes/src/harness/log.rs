//! The request log: what a fake was asked, in order.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// One request as a fake received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    /// The HTTP method, upper case (`GET`, `POST`, …).
    pub method: String,
    /// The URL path, without the query.
    pub path: String,
    /// The raw query string, empty when there is none.
    pub query: String,
    /// The request body as text (lossy UTF-8).
    pub body: String,
    /// When it arrived, in milliseconds since the Unix epoch.
    pub at_ms: u128,
    /// Whether a fault was injected instead of (or after) the real answer.
    pub faulted: bool,
}

impl LoggedRequest {
    /// True for requests that may change state (anything but `GET`, `HEAD` and `OPTIONS`).
    pub fn is_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// A shared, append-only log of the requests a fake received. Clones share the log.
///
/// ```
/// use msp_fakes::harness::RequestLog;
/// let log = RequestLog::default();
/// assert_eq!(log.count("GET", "/api/v2/account"), 0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct RequestLog {
    entries: Arc<Mutex<Vec<LoggedRequest>>>,
}

impl RequestLog {
    pub(crate) fn record(&self, entry: LoggedRequest) {
        self.lock().push(entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<LoggedRequest>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every request so far, in arrival order.
    pub fn all(&self) -> Vec<LoggedRequest> {
        self.lock().clone()
    }

    /// How many requests had this method and exactly this path.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.count_where(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
    }

    /// How many requests had this method and a path starting with `prefix`.
    pub fn count_prefix(&self, method: &str, prefix: &str) -> usize {
        self.count_where(|r| r.method.eq_ignore_ascii_case(method) && r.path.starts_with(prefix))
    }

    /// How many requests satisfy `predicate`.
    pub fn count_where(&self, predicate: impl Fn(&LoggedRequest) -> bool) -> usize {
        self.lock().iter().filter(|r| predicate(r)).count()
    }

    /// How many requests may have changed state (see [`LoggedRequest::is_write`]).
    pub fn writes(&self) -> usize {
        self.count_where(LoggedRequest::is_write)
    }

    /// How many requests there were in all.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no request arrived yet.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Forgets every request (for example between two phases of a test).
    pub fn clear(&self) {
        self.lock().clear();
    }
}

pub(crate) fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}
