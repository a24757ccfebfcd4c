//! A client-side rate limiter (GCRA, from `governor`) on tokio's clock.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter as Gcra};

use crate::Error;

/// A vendor's limit: at most `requests` in any window of `per`.
///
/// ```
/// use std::time::Duration;
/// use msp_transport::RateLimit;
/// let datto = RateLimit::new(600, Duration::from_secs(60)).unwrap();
/// assert_eq!(datto.requests(), 600);
/// assert!(RateLimit::new(0, Duration::from_secs(1)).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
}

impl RateLimit {
    /// At most `requests` in any window of `per`; both must be non-zero.
    pub fn new(requests: u32, per: Duration) -> Result<Self, Error> {
        if requests == 0 || per.is_zero() {
            return Err(Error::InvalidConfig(
                "a rate limit needs a non-zero count and window".into(),
            ));
        }
        Ok(Self { requests, per })
    }

    /// `requests` per second.
    pub fn per_second(requests: u32) -> Result<Self, Error> {
        Self::new(requests, Duration::from_secs(1))
    }

    /// `requests` per minute.
    pub fn per_minute(requests: u32) -> Result<Self, Error> {
        Self::new(requests, Duration::from_secs(60))
    }

    /// The request count.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The window.
    pub fn per(&self) -> Duration {
        self.per
    }

    /// A GCRA quota that never lets a window of `per` see more than `requests`: a burst of a
    /// tenth of the limit, then the rest spread evenly over the window.
    fn quota(&self) -> Quota {
        let burst = (self.requests / 10).max(1);
        let spread = (self.requests - burst).max(1);
        let period = self.per / spread;
        let period = if period.is_zero() {
            Duration::from_nanos(1)
        } else {
            period
        };
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst)
    }
}

/// Tokio's clock (so paused-clock tests see virtual time), as time since creation.
#[derive(Debug, Clone)]
struct TokioClock {
    start: tokio::time::Instant,
}

impl Clock for TokioClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

/// A rate limiter; clones share one budget, so every clone of a client counts against the
/// same vendor limit.
///
/// ```
/// # async fn run() {
/// use msp_transport::{RateLimit, RateLimiter};
/// let limiter = RateLimiter::new(RateLimit::per_second(10).unwrap());
/// limiter.acquire().await; // waits (without spinning) when the budget is spent
/// # }
/// ```
#[derive(Clone)]
pub struct RateLimiter {
    limit: RateLimit,
    clock: TokioClock,
    gcra: Arc<Gcra<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<Duration>>>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .finish()
    }
}

impl RateLimiter {
    /// A limiter enforcing `limit`.
    pub fn new(limit: RateLimit) -> Self {
        let clock = TokioClock {
            start: tokio::time::Instant::now(),
        };
        let gcra = Gcra::direct_with_clock(limit.quota(), clock.clone());
        Self {
            limit,
            clock,
            gcra: Arc::new(gcra),
        }
    }

    /// The limit enforced.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Waits until one more request fits the limit, then takes it.
    pub async fn acquire(&self) {
        loop {
            match self.gcra.check() {
                Ok(()) => return,
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.clock.now());
                    tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_is_spread_so_no_window_exceeds_the_limit() {
        let limiter = RateLimiter::new(RateLimit::per_second(10).unwrap());
        let start = tokio::time::Instant::now();
        let mut stamps = Vec::new();
        for _ in 0..35 {
            limiter.acquire().await;
            stamps.push(start.elapsed());
        }
        for (i, t) in stamps.iter().enumerate() {
            let in_window = stamps[i..]
                .iter()
                .take_while(|u| **u < *t + Duration::from_secs(1))
                .count();
            assert!(
                in_window <= 10,
                "{in_window} requests in the second after {t:?}"
            );
        }
        // 35 requests at 10/s cannot finish before ~3 seconds, and should not take much longer.
        let total = *stamps.last().unwrap();
        assert!(total >= Duration::from_millis(2900), "{total:?}");
        assert!(total <= Duration::from_millis(4000), "{total:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn clones_share_one_budget() {
        let a = RateLimiter::new(RateLimit::per_second(2).unwrap());
        let b = a.clone();
        let start = tokio::time::Instant::now();
        for _ in 0..3 {
            a.acquire().await;
            b.acquire().await;
        }
        assert!(
            start.elapsed() >= Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
}
