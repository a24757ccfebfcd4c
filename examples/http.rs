//! Tuning of the vendor clients for runs against the fakes: how long one attempt may take and
//! how long the first retry waits, from the environment.
//!
//! - `MSP_SYNC_HTTP_TIMEOUT_MS`: the total timeout of one attempt (default 60 s);
//! - `MSP_SYNC_RETRY_BACKOFF_MS`: the first retry wait, doubling from there (default 500 ms;
//!   a vendor's `Retry-After` still wins).
//!
//! The chaos tests run the binaries against fakes that answer some requests too slowly on
//! purpose; these keep such a run to seconds. Unset, the clients keep their defaults.

use std::time::Duration;

use msp_transport::RetryPolicy;

/// The tuning read from the environment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HttpTuning {
    /// `MSP_SYNC_HTTP_TIMEOUT_MS`, when set.
    pub timeout: Option<Duration>,
    /// `MSP_SYNC_RETRY_BACKOFF_MS`, when set.
    pub initial_backoff: Option<Duration>,
}

impl HttpTuning {
    /// Reads both variables; a value that is not a number of milliseconds is ignored.
    pub fn from_env() -> Self {
        let millis = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        Self {
            timeout: millis("MSP_SYNC_HTTP_TIMEOUT_MS"),
            initial_backoff: millis("MSP_SYNC_RETRY_BACKOFF_MS"),
        }
    }

    /// Whether anything is tuned.
    pub fn is_set(&self) -> bool {
        self.timeout.is_some() || self.initial_backoff.is_some()
    }

    /// The total timeout of one attempt.
    pub fn timeout(&self) -> Duration {
        self.timeout.unwrap_or(Duration::from_secs(60))
    }

    /// The default retry policy with the tuned first wait (its cap scaled alike).
    pub fn retry_policy(&self) -> RetryPolicy {
        match self.initial_backoff {
            Some(first) => RetryPolicy::default()
                .initial_backoff(first)
                .max_backoff(first.saturating_mul(40)),
            None => RetryPolicy::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untuned_clients_keep_their_defaults() {
        let tuning = HttpTuning::default();
        assert!(!tuning.is_set());
        assert_eq!(tuning.timeout(), Duration::from_secs(60));
        assert_eq!(tuning.retry_policy(), RetryPolicy::default());
        let tuned = HttpTuning {
            timeout: Some(Duration::from_millis(300)),
            initial_backoff: Some(Duration::from_millis(2)),
        };
        assert_eq!(tuned.timeout(), Duration::from_millis(300));
        assert_eq!(
            tuned.retry_policy().backoff(1, 1.0),
            Duration::from_millis(2)
        );
    }
}
