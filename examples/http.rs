//! The vendor clients' options for runs against the fakes, from the environment:
//!
//! - `MSP_SYNC_HTTP_TIMEOUT_MS`: the total timeout of one attempt (default 60 s);
//! - `MSP_SYNC_RETRY_BACKOFF_MS`: the first retry wait, doubling from there (default 500 ms;
//!   a vendor's `Retry-After` still wins).
//!
//! The chaos tests run the binaries against fakes that answer some requests too slowly on
//! purpose; these keep such a run to seconds. Unset (or not a number of milliseconds), the
//! clients keep their defaults.

use std::time::Duration;

use msp_transport::{ClientOptions, RetryPolicy};

/// The options every binary builds its clients with.
pub fn client_options() -> ClientOptions {
    options_from(|name| std::env::var(name).ok())
}

fn options_from(var: impl Fn(&str) -> Option<String>) -> ClientOptions {
    let millis = |name: &str| {
        var(name)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis)
    };
    let mut options = ClientOptions::new();
    if let Some(timeout) = millis("MSP_SYNC_HTTP_TIMEOUT_MS") {
        options = options.timeout(Some(timeout));
    }
    if let Some(first) = millis("MSP_SYNC_RETRY_BACKOFF_MS") {
        options = options.retry_policy(
            RetryPolicy::default()
                .initial_backoff(first)
                .max_backoff(first.saturating_mul(40)),
        );
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_or_unreadable_variables_leave_the_clients_defaults() {
        let untuned = options_from(|_| None);
        assert!(untuned.get_timeout().is_none() && untuned.get_retry_policy().is_none());
        let garbled = options_from(|_| Some("soon".into()));
        assert!(garbled.get_timeout().is_none() && garbled.get_retry_policy().is_none());
        let tuned = options_from(|name| match name {
            "MSP_SYNC_HTTP_TIMEOUT_MS" => Some("300".into()),
            _ => Some(" 2 ".into()),
        });
        assert_eq!(tuned.get_timeout(), Some(Some(Duration::from_millis(300))));
        let policy = tuned.get_retry_policy().unwrap();
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(2));
    }
}
