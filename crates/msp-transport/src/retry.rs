//! When to retry: a pure decision, a policy and a shared retry budget.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How a request attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum Outcome {
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
    /// A success status whose body is not the JSON its `content-type` announces (garbled or cut
    /// short): the vendor may have acted, but the answer is unusable.
    Garbled,
}

/// What a request does, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestKind {
    /// Reads only (every `GET`, GravityZone's read methods over `POST`): sending it again is
    /// always harmless, so every transient failure is retried, up to
    /// [`RetryPolicy::read_attempts`].
    Read,
    /// Changes state, but sending it twice gives the same result (an absolute update).
    IdempotentWrite,
    /// Changes state and must not be sent twice blindly (a create, a delete, a move).
    Write,
}

impl RequestKind {
    /// Whether sending the request twice is harmless.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, RequestKind::Write)
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub(crate) enum Decision {
    /// Wait this long, then send again.
    RetryAfter(Duration),
    /// Return this outcome to the caller.
    GiveUp,
}

/// The default number of attempts of a read ([`RequestKind::Read`]).
pub const DEFAULT_READ_ATTEMPTS: u32 = 6;
/// The default number of attempts of a write (either kind).
pub const DEFAULT_WRITE_ATTEMPTS: u32 = 3;

/// How hard to retry.
///
/// Reads get more attempts than writes ([`DEFAULT_READ_ATTEMPTS`] against
/// [`DEFAULT_WRITE_ATTEMPTS`]): a read answered 500 or cut off costs nothing to repeat, while a
/// write that may have been applied is resolved by its caller (journal and lookup), never resent
/// blindly.
///
/// ```
/// use std::time::Duration;
/// use msp_transport::RetryPolicy;
/// let policy = RetryPolicy::default().max_attempts(5).max_backoff(Duration::from_secs(10));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(policy.attempts_of_reads(), 5);
/// let policy = policy.read_attempts(8);
/// assert_eq!((policy.attempts(), policy.attempts_of_reads()), (5, 8));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    read_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts for a read and three for a write, 500 ms doubling up to 20 s (with jitter),
    /// at most 2 minutes in all per request, and a vendor's `Retry-After` honoured up to
    /// 5 minutes.
    fn default() -> Self {
        Self {
            max_attempts: DEFAULT_WRITE_ATTEMPTS,
            read_attempts: DEFAULT_READ_ATTEMPTS,
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

    /// At most `n` attempts (at least 1) for every request, reads included; follow with
    /// [`RetryPolicy::read_attempts`] to give reads another number.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self.read_attempts = self.max_attempts;
        self
    }

    /// At most `n` attempts (at least 1) for a read.
    pub fn read_attempts(mut self, n: u32) -> Self {
        self.read_attempts = n.max(1);
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

    /// The configured number of attempts of a write.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured number of attempts of a read.
    pub fn attempts_of_reads(&self) -> u32 {
        self.read_attempts
    }

    /// The number of attempts a request of `kind` gets.
    pub fn attempts_for(&self, kind: RequestKind) -> u32 {
        match kind {
            RequestKind::Read => self.read_attempts,
            RequestKind::IdempotentWrite | RequestKind::Write => self.max_attempts,
        }
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

/// Whether a status is worth another attempt of an idempotent write: 429 and the gateway
/// errors.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// Whether a status is worth another attempt of a read: 429, 500 and the gateway errors.
pub(crate) fn is_retryable_read_status(status: u16) -> bool {
    status == 500 || is_retryable_status(status)
}

/// The retry decision, a pure function.
///
/// - `attempt` is the number of attempts made so far (1 after the first);
/// - `kind` says whether the request reads, or writes idempotently or not;
/// - `elapsed` is the time spent on this request so far;
/// - `jitter` is a random number in `[0, 1)`.
///
/// Rules:
/// - a **read** is retried after 429, 500, 502, 503, 504, a connection failure, a timeout or
///   broken connection, and a garbled body, up to [`RetryPolicy::attempts_of_reads`] attempts;
/// - an **idempotent write** after 429, 502, 503, 504, a connection failure and a failure after
///   sending (timeout, reset), up to [`RetryPolicy::attempts`];
/// - any other **write** only after 429 (refused before processing) and a connection failure
///   (surely not sent): a 5xx, a timeout or a garbled answer may mean the vendor acted on it.
///
/// `Retry-After` wins over the computed backoff (a longer one than
/// [`RetryPolicy::max_retry_after`] gives up at once); the total time is capped.
///
/// The unit tests below spell out each rule.
pub(crate) fn decide(
    policy: &RetryPolicy,
    kind: RequestKind,
    outcome: Outcome,
    attempt: u32,
    elapsed: Duration,
    jitter: f64,
) -> Decision {
    if attempt >= policy.attempts_for(kind) {
        return Decision::GiveUp;
    }
    let read = kind == RequestKind::Read;
    let idempotent = kind.is_idempotent();
    let hint = match outcome {
        Outcome::Status {
            status: 429,
            retry_after,
        } => retry_after,
        Outcome::Status {
            status,
            retry_after,
        } if read && is_retryable_read_status(status) => retry_after,
        Outcome::Status {
            status,
            retry_after,
        } if idempotent && is_retryable_status(status) => retry_after,
        Outcome::Status { .. } => return Decision::GiveUp,
        Outcome::ConnectFailed => None,
        Outcome::FailedAfterSend if idempotent => None,
        Outcome::FailedAfterSend => return Decision::GiveUp,
        Outcome::Garbled if read => None,
        Outcome::Garbled => return Decision::GiveUp,
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
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
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
/// The default (20 tokens, half a token per first-try success) sustains one retry for every two
/// successes — enough for a vendor failing up to about 30 % of requests — while an outage, which
/// earns nothing, drains it after 20 retries: from then on every request fails at its first
/// failure, so a run against a dead vendor fails fast.
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
    /// Twenty retries, refilled by half a retry per first-try success.
    fn default() -> Self {
        Self::new(20.0, 0.5)
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

    use RequestKind::{IdempotentWrite, Read, Write};

    fn retried(kind: RequestKind, outcome: Outcome) -> bool {
        matches!(
            decide(&policy(), kind, outcome, 1, Duration::ZERO, 0.0),
            Decision::RetryAfter(_)
        )
    }

    #[test]
    fn a_read_is_retried_on_every_transient_failure() {
        for status in [429, 500, 502, 503, 504] {
            assert!(retried(Read, S(status)), "{status}");
        }
        for outcome in [
            Outcome::ConnectFailed,
            Outcome::FailedAfterSend,
            Outcome::Garbled,
        ] {
            assert!(retried(Read, outcome), "{outcome:?}");
        }
    }

    #[test]
    fn gateway_errors_and_429_are_retried_for_idempotent_writes() {
        for status in [429, 502, 503, 504] {
            assert!(retried(IdempotentWrite, S(status)), "{status}");
        }
        assert!(retried(IdempotentWrite, Outcome::FailedAfterSend));
        assert!(!retried(IdempotentWrite, S(500)));
        assert!(!retried(IdempotentWrite, Outcome::Garbled));
    }

    #[test]
    fn other_statuses_are_never_retried() {
        for kind in [Read, IdempotentWrite, Write] {
            for status in [200, 201, 400, 401, 403, 404, 409, 422, 501] {
                assert!(!retried(kind, S(status)), "{kind:?} {status}");
            }
        }
    }

    #[test]
    fn a_write_is_retried_only_when_it_surely_was_not_processed() {
        assert!(retried(Write, S(429)));
        assert!(retried(Write, Outcome::ConnectFailed));
        for outcome in [
            S(500),
            S(502),
            S(503),
            S(504),
            Outcome::FailedAfterSend,
            Outcome::Garbled,
        ] {
            assert!(!retried(Write, outcome), "{outcome:?}");
        }
    }

    #[test]
    fn retry_after_wins_over_the_backoff() {
        let outcome = Outcome::Status {
            status: 503,
            retry_after: Some(Duration::from_secs(9)),
        };
        assert_eq!(
            decide(&policy(), Read, outcome, 1, Duration::ZERO, 0.9),
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
            decide(&policy(), Read, outcome, 1, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn reads_get_more_attempts_than_writes() {
        let p = policy();
        assert_eq!(p.attempts_for(Read), DEFAULT_READ_ATTEMPTS);
        assert_eq!(p.attempts_for(Write), DEFAULT_WRITE_ATTEMPTS);
        const { assert!(DEFAULT_READ_ATTEMPTS > DEFAULT_WRITE_ATTEMPTS) };
        let last_read = DEFAULT_READ_ATTEMPTS - 1;
        assert!(matches!(
            decide(&p, Read, S(503), last_read, Duration::ZERO, 0.0),
            Decision::RetryAfter(_)
        ));
        assert_eq!(
            decide(&p, Read, S(503), DEFAULT_READ_ATTEMPTS, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
        assert_eq!(
            decide(
                &p,
                IdempotentWrite,
                S(503),
                DEFAULT_WRITE_ATTEMPTS,
                Duration::ZERO,
                0.0
            ),
            Decision::GiveUp
        );
        let never = RetryPolicy::never();
        assert_eq!(
            decide(&never, Read, S(503), 1, Duration::ZERO, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn attempts_and_total_time_are_capped() {
        assert_eq!(
            decide(
                &policy(),
                Read,
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
