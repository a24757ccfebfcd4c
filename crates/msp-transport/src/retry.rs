//! When to retry: a pure decision, a policy and a shared retry budget.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How a request attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The vendor answered with this status (and maybe a `Retry-After`).
    Status {
        /// HTTP status.
        status: u16,
        /// The `Retry-After` the vendor sent, parsed.
        retry_after: Option<Duration>,
    },
    /// No connection: the request was surely not sent.
    ConnectFailed,
    /// Timed out or the connection broke after the request may have been sent.
    FailedAfterSend,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Wait this long, then send again.
    RetryAfter(Duration),
    /// Return this outcome to the caller.
    GiveUp,
}

/// How hard to retry.
///
/// ```
/// use std::time::Duration;
/// use msp_transport::RetryPolicy;
/// let policy = RetryPolicy::default().max_attempts(5).max_backoff(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, 500 ms doubling up to 20 s, at most 2 minutes in all, and a vendor's
    /// `Retry-After` honoured up to 5 minutes.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// At most `n` attempts in all (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The first backoff; it doubles with every attempt.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The largest computed backoff.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// The most time one request may spend in attempts and waits.
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }

    /// The longest `Retry-After` that is waited for; a longer one is returned to the caller.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before attempt `attempt + 1` when the vendor gave no hint, with `jitter`
    /// in `[0, 1)`: "equal jitter", between half and all of the capped exponential value.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(30);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let jitter = jitter.clamp(0.0, 1.0);
        base.mul_f64(0.5 + jitter / 2.0)
    }
}

/// Whether a status is worth another attempt: 429 and the gateway errors.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// The retry decision, a pure function.
///
/// - `attempt` is the number of attempts made so far (1 after the first);
/// - `idempotent` says whether sending the request twice is harmless;
/// - `elapsed` is the time spent on this request so far;
/// - `jitter` is a random number in `[0, 1)`.
///
/// Rules: retry 429, 502, 503, 504 and connection failures; retry a failure after sending
/// (timeout, reset) only for idempotent requests; a write answered 502/503/504 is not retried
/// either, since the vendor may have acted on it (a 429 is refused before processing, so it is
/// retried for any request). `Retry-After` wins over the computed backoff; attempts and total
/// time are capped.
///
/// ```
/// use std::time::Duration;
/// use msp_transport::retry::{decide, Decision, Outcome};
/// use msp_transport::RetryPolicy;
/// let policy = RetryPolicy::default();
/// let busy = Outcome::Status { status: 429, retry_after: Some(Duration::from_secs(7)) };
/// assert_eq!(decide(&policy, true, busy, 1, Duration::ZERO, 0.5),
///            Decision::RetryAfter(Duration::from_secs(7)));
/// let failed_post = Outcome::Status { status: 500, retry_after: None };
/// assert_eq!(decide(&policy, false, failed_post, 1, Duration::ZERO, 0.5), Decision::GiveUp);
/// ```
pub fn decide(
    policy: &RetryPolicy,
    idempotent: bool,
    outcome: Outcome,
    attempt: u32,
    elapsed: Duration,
    jitter: f64,
) -> Decision {
    if attempt >= policy.max_attempts {
        return Decision::GiveUp;
    }
    let hint = match outcome {
        Outcome::Status {
            status: 429,
            retry_after,
        } => retry_after,
        Outcome::Status {
            status,
            retry_after,
        } if is_retryable_status(status) && idempotent => retry_after,
        Outcome::Status { .. } => return Decision::GiveUp,
        Outcome::ConnectFailed => None,
        Outcome::FailedAfterSend if idempotent => None,
        Outcome::FailedAfterSend => return Decision::GiveUp,
    };
    let wait = match hint {
        Some(hint) if hint > policy.max_retry_after => return Decision::GiveUp,
        Some(hint) => hint,
        None => policy.backoff(attempt, jitter),
    };
    if elapsed.saturating_add(wait) > policy.max_elapsed {
        return Decision::GiveUp;
    }
    Decision::RetryAfter(wait)
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP date (relative to `now`).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use msp_transport::retry::parse_retry_after;
/// assert_eq!(parse_retry_after("7", SystemTime::now()), Some(Duration::from_secs(7)));
/// ```
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A token bucket that limits retries across all requests of one client, so a dead service is
/// not hammered: every retry spends a token, every first-try success earns a fraction back.
///
/// ```
/// use msp_transport::RetryBudget;
/// let budget = RetryBudget::new(2.0, 0.1);
/// assert!(budget.try_spend());
/// assert!(budget.try_spend());
/// assert!(!budget.try_spend());
/// ```
#[derive(Debug, Clone)]
pub struct RetryBudget {
    state: Arc<Mutex<BudgetState>>,
}

#[derive(Debug)]
struct BudgetState {
    tokens: f64,
    capacity: f64,
    refill_per_success: f64,
}

impl Default for RetryBudget {
    /// Twenty retries, refilled by a tenth of a retry per success.
    fn default() -> Self {
        Self::new(20.0, 0.1)
    }
}

impl RetryBudget {
    /// A full budget of `capacity` retries, earning `refill_per_success` per success.
    pub fn new(capacity: f64, refill_per_success: f64) -> Self {
        Self {
            state: Arc::new(Mutex::new(BudgetState {
                tokens: capacity,
                capacity,
                refill_per_success,
            })),
        }
    }

    /// Takes one retry from the budget; false when it is empty.
    pub fn try_spend(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.tokens >= 1.0 {
            state.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Credits a successful request.
    pub fn record_success(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.tokens = (state.tokens + state.refill_per_success).min(state.capacity);
    }

    /// The retries left.
    pub fn remaining(&self) -> f64 {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u16) -> Outcome = |status| Outcome::Status {
        status,
        retry_after: None,
    };

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn gateway_errors_and_429_are_retried_for_idempotent_requests() {
        for status in [429, 502, 503, 504] {
            assert!(
                matches!(
                    decide(&policy(), true, S(status), 1, Duration::ZERO, 0.0),
                    Decision::RetryAfter(_)
                ),
                "{status}"
            );
        }
    }

    #[test]
    fn other_statuses_are_never_retried() {
        for status in [200, 201, 400, 401, 403, 404, 409, 422, 500, 501] {
            assert_eq!(
                decide(&policy(), true, S(status), 1, Duration::ZERO, 0.0),
                Decision::GiveUp,
                "{status}"
            );
        }
    }

    #[test]
    fn a_write_is_retried_only_when_it_surely_was_not_processed() {
        assert!(matches!(
            decide(&policy(), false, S(429), 1, Duration::ZERO, 0.0),
            Decision::RetryAfter(_)
        ));
        assert!(matches!(
            decide(
                &policy(),
                false,
                Outcome::ConnectFailed,
                1,
                Duration::ZERO,
                0.0
            ),
            Decision::RetryAfter(_)
        ));
        for outcome in [S(500), S(502), S(503), S(504), Outcome::FailedAfterSend] {
            assert_eq!(
                decide(&policy(), false, outcome, 1, Duration::ZERO, 0.0),
                Decision::GiveUp,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn timeouts_are_retried_for_idempotent_requests() {
        assert!(matches!(
            decide(
                &policy(),
                true,
                Outcome::FailedAfterSend,
                1,
                Duration::ZERO,
                0.0
            ),
            Decision::RetryAfter(_)
        ));
    }

    #[test]
    fn retry_after_wins_over_the_backoff() {
        let outcome = Outcome::Status {
            status: 503,
            retry_after: Some(Duration::from_secs(9)),
        };
        assert_eq!(
            decide(&policy(), true, outcome, 1, Duration::ZERO, 0.9),
            Decision::RetryAfter(Duration::from_secs(9))
        );
    }

    #[test]
    fn a_retry_after_beyond_the_limit_is_returned_to_the_caller() {
        let outcome = Outcome::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(
            decide(&policy(), true, outcome, 1, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn attempts_and_total_time_are_capped() {
        assert_eq!(
            decide(&policy(), true, S(503), 3, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
        assert_eq!(
            decide(
                &policy(),
                true,
                S(503),
                1,
                Duration::from_millis(119_900),
                0.0
            ),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = policy();
        assert_eq!(p.backoff(1, 1.0), Duration::from_millis(500));
        assert_eq!(p.backoff(1, 0.0), Duration::from_millis(250));
        assert_eq!(p.backoff(2, 1.0), Duration::from_secs(1));
        assert_eq!(p.backoff(3, 1.0), Duration::from_secs(2));
        assert_eq!(p.backoff(40, 1.0), Duration::from_secs(20));
    }

    #[test]
    fn retry_after_parses_seconds_and_http_dates() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn the_budget_refills_with_successes_up_to_its_capacity() {
        let budget = RetryBudget::new(1.0, 0.5);
        assert!(budget.try_spend());
        assert!(!budget.try_spend());
        budget.record_success();
        budget.record_success();
        assert!(budget.try_spend());
        for _ in 0..10 {
            budget.record_success();
        }
        assert_eq!(budget.remaining(), 1.0);
    }
}
