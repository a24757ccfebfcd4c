//! Where both flows read the time: the store never reads the clock, and tests run on tokio's
//! paused clock or a fixed time, so the time is an injected [`Clock`].
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use sync_engine::clock::Clock;
//!
//! let fixed = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let clock = move || fixed; // any `Fn() -> DateTime<Utc>` is a clock
//! assert_eq!(clock.now(), fixed);
//! ```

use chrono::{DateTime, Utc};

/// The source of "now" for events, runs, journal entries and leases.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl<F: Fn() -> DateTime<Utc> + Send + Sync> Clock for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}

/// A clock that starts at a given time and advances with tokio's clock, so that a test on a
/// paused runtime (`tokio::time::pause`, `advance`) sees leases expire and hours pass without
/// waiting.
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    start: DateTime<Utc>,
    started: tokio::time::Instant,
}

impl TokioClock {
    /// A clock reading `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self {
            start,
            started: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = self.started.elapsed();
        let elapsed = chrono::Duration::from_std(elapsed).unwrap_or(chrono::Duration::MAX);
        self.start
            .checked_add_signed(elapsed)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn tokio_clock_follows_the_paused_runtime() {
        let start = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let clock = TokioClock::starting_at(start);
        assert_eq!(clock.now(), start);
        tokio::time::advance(Duration::from_secs(3600)).await;
        assert_eq!(clock.now() - start, chrono::Duration::hours(1));
    }
}
