//! The routine sync's schedule: when a tenant's flow is due, as a pure function of the time, the
//! flow's interval, its jitter and the start of the tenant's last finished run.
//!
//! Time is cut into **slots** of one interval each, aligned on the Unix epoch and shifted by the
//! tenant's **offset** (its jitter: a stable hash of the tenant and the flow, below the jitter
//! bound, so tenants spread over the interval and every worker computes the same offset). A flow
//! is due when no finished run started inside the current slot; once one has, it is next due
//! when the next slot starts. Because the decision reads only the store's runs, several workers
//! sharing a store agree on it: each tenant's flow runs once per slot, whichever worker runs it.
//!
//! Times are durations since the Unix epoch, so nothing here reads a clock.
//!
//! ```
//! use std::time::Duration;
//! use sync_core::schedule::{Due, Schedule, jitter_offset};
//!
//! let hour = Duration::from_secs(3600);
//! let offset = jitter_offset("https://merlot-api.centrastage.net acc-1 gravityzone", hour);
//! assert!(offset < hour);
//! let schedule = Schedule::new(hour, offset).unwrap();
//! let now = Duration::from_secs(1_800_000_000);
//! // Never run: due at once.
//! assert!(matches!(schedule.due(now, None), Due::Now(_)));
//! // Run a minute ago: due again when the next slot starts.
//! let slot = schedule.slot_at(now).unwrap();
//! let last = now - Duration::from_secs(60);
//! let expected = if last >= slot.start { Due::At(slot.end) } else { Due::Now(slot) };
//! assert_eq!(schedule.due(now, Some(last)), expected);
//! ```

use std::time::Duration;

/// Why a schedule cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The interval is zero.
    #[error("the interval must be longer than zero")]
    ZeroInterval,
}

/// One slot of a schedule: the interval-long window in which a flow runs once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    /// The slot's number: slot 0 starts at the schedule's offset after the Unix epoch.
    pub index: u64,
    /// When it starts (since the Unix epoch), inclusive.
    pub start: Duration,
    /// When it ends and the next slot starts, exclusive.
    pub end: Duration,
}

/// Whether a flow is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Due {
    /// Due now: no finished run started in this slot.
    Now(Slot),
    /// Not due before this time (since the Unix epoch).
    At(Duration),
}

/// A flow's schedule for one tenant: an interval and the tenant's offset within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    interval: Duration,
    offset: Duration,
}

impl Schedule {
    /// Slots of `interval`, starting `offset` after the Unix epoch (an offset of an interval or
    /// more wraps around: only its remainder counts).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sync_core::schedule::{Schedule, ScheduleError};
    ///
    /// assert_eq!(Schedule::new(Duration::ZERO, Duration::ZERO), Err(ScheduleError::ZeroInterval));
    /// let s = Schedule::new(Duration::from_secs(60), Duration::from_secs(70)).unwrap();
    /// assert_eq!(s.offset(), Duration::from_secs(10));
    /// ```
    pub fn new(interval: Duration, offset: Duration) -> Result<Self, ScheduleError> {
        if interval.is_zero() {
            return Err(ScheduleError::ZeroInterval);
        }
        let offset = Duration::from_nanos(nanos(offset) % nanos(interval).max(1));
        Ok(Self { interval, offset })
    }

    /// The interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The offset of the slots within the interval.
    pub fn offset(&self) -> Duration {
        self.offset
    }

    /// The slot numbered `index`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sync_core::schedule::Schedule;
    ///
    /// let s = Schedule::new(Duration::from_secs(60), Duration::from_secs(5)).unwrap();
    /// assert_eq!(s.slot(2).start, Duration::from_secs(125));
    /// assert_eq!(s.slot(2).end, Duration::from_secs(185));
    /// ```
    pub fn slot(&self, index: u64) -> Slot {
        let start = Duration::from_nanos(
            nanos(self.offset).saturating_add(nanos(self.interval).saturating_mul(index)),
        );
        Slot {
            index,
            start,
            end: start.saturating_add(self.interval),
        }
    }

    /// The slot `now` falls in; `None` before the first slot starts (within `offset` of the
    /// Unix epoch).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sync_core::schedule::Schedule;
    ///
    /// let s = Schedule::new(Duration::from_secs(60), Duration::from_secs(5)).unwrap();
    /// assert_eq!(s.slot_at(Duration::from_secs(130)).unwrap().index, 2);
    /// assert_eq!(s.slot_at(Duration::from_secs(4)), None);
    /// ```
    pub fn slot_at(&self, now: Duration) -> Option<Slot> {
        let since = nanos(now.checked_sub(self.offset)?);
        Some(self.slot(since / nanos(self.interval).max(1)))
    }

    /// Whether the flow is due at `now`, given when its last finished run started (`None`:
    /// it never finished one). A run started in the current slot makes it due when the next
    /// slot starts; otherwise it is due now. Before the first slot it is due when that starts.
    pub fn due(&self, now: Duration, last_finished_start: Option<Duration>) -> Due {
        let Some(slot) = self.slot_at(now) else {
            return Due::At(self.offset);
        };
        match last_finished_start {
            Some(last) if last >= slot.start => Due::At(slot.end),
            _ => Due::Now(slot),
        }
    }
}

/// The offset of one tenant's flow within its interval: a stable hash (FNV-1a, the same in
/// every build and on every machine) of `key` — say the tenant and the flow — below `jitter`.
/// A zero jitter gives a zero offset.
///
/// ```
/// use std::time::Duration;
/// use sync_core::schedule::jitter_offset;
///
/// let five_minutes = Duration::from_secs(300);
/// let a = jitter_offset("tenant-a itglue", five_minutes);
/// assert_eq!(a, jitter_offset("tenant-a itglue", five_minutes));
/// assert!(a < five_minutes);
/// assert_eq!(jitter_offset("tenant-a itglue", Duration::ZERO), Duration::ZERO);
/// ```
pub fn jitter_offset(key: &str, jitter: Duration) -> Duration {
    let bound = u64::try_from(jitter.as_millis()).unwrap_or(u64::MAX);
    if bound == 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(fnv1a(key.as_bytes()) % bound)
}

/// The time to wait before retrying a flow another worker is running: a fraction of the lease's
/// time-to-live, so a worker that died is noticed within the time-to-live, but never more than
/// the time left in the slot (a retry after the slot ended would skip it).
///
/// ```
/// use std::time::Duration;
/// use sync_core::schedule::busy_retry;
///
/// let ttl = Duration::from_secs(60);
/// assert_eq!(busy_retry(ttl, Duration::from_secs(3600)), Duration::from_secs(10));
/// assert_eq!(busy_retry(ttl, Duration::from_secs(4)), Duration::from_secs(2));
/// ```
pub fn busy_retry(lease_ttl: Duration, left_in_slot: Duration) -> Duration {
    (lease_ttl / 6).min(left_in_slot / 2)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(PRIME)
    })
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MINUTE: Duration = Duration::from_secs(60);
    const HOUR: Duration = Duration::from_secs(3600);

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn a_flow_that_never_ran_is_due_at_once() {
        let s = Schedule::new(HOUR, 10 * MINUTE).unwrap();
        assert_eq!(
            s.due(secs(7_200 + 700), None),
            Due::Now(Slot {
                index: 2,
                start: secs(7_200 + 600),
                end: secs(10_800 + 600)
            })
        );
    }

    #[test]
    fn a_run_in_this_slot_makes_it_due_at_the_next_slot() {
        let s = Schedule::new(HOUR, 10 * MINUTE).unwrap();
        let now = secs(7_200 + 3_000);
        assert_eq!(
            s.due(now, Some(secs(7_200 + 600))),
            Due::At(secs(10_800 + 600))
        );
        assert_eq!(
            s.due(now, Some(secs(7_200 + 2_000))),
            Due::At(secs(10_800 + 600))
        );
    }

    #[test]
    fn a_run_in_the_previous_slot_leaves_it_due() {
        let s = Schedule::new(HOUR, 10 * MINUTE).unwrap();
        let now = secs(7_200 + 700);
        assert!(matches!(s.due(now, Some(secs(7_200 + 599))), Due::Now(_)));
    }

    #[test]
    fn before_the_first_slot_it_waits_for_it() {
        let s = Schedule::new(HOUR, 10 * MINUTE).unwrap();
        assert_eq!(s.due(secs(5), None), Due::At(10 * MINUTE));
    }

    #[test]
    fn the_offset_is_the_same_for_one_key_and_spreads_keys() {
        let offsets: std::collections::BTreeSet<Duration> = (0..50)
            .map(|i| jitter_offset(&format!("https://x.example acc-{i} gravityzone"), HOUR))
            .collect();
        assert!(offsets.len() > 45, "{offsets:?}");
        assert_eq!(jitter_offset("k", HOUR), jitter_offset("k", HOUR), "stable");
        // FNV-1a of "a" is fixed for all builds: workers built apart agree on the offset.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_busy_flow_is_retried_well_within_the_lease_and_the_slot() {
        assert_eq!(busy_retry(secs(60), HOUR), secs(10));
        assert_eq!(busy_retry(secs(60), secs(8)), secs(4));
        assert_eq!(busy_retry(secs(3), HOUR), Duration::from_millis(500));
    }

    proptest! {
        #[test]
        fn now_falls_in_its_slot(
            interval_ms in 1u64..10_000_000,
            offset_ms in 0u64..20_000_000,
            now_ms in 0u64..4_000_000_000_000,
        ) {
            let s = Schedule::new(Duration::from_millis(interval_ms), Duration::from_millis(offset_ms)).unwrap();
            let now = Duration::from_millis(now_ms);
            match s.slot_at(now) {
                Some(slot) => {
                    prop_assert!(slot.start <= now && now < slot.end);
                    prop_assert_eq!(slot.end - slot.start, s.interval());
                    prop_assert_eq!(s.slot(slot.index), slot);
                    prop_assert_eq!(s.slot(slot.index + 1).start, slot.end);
                }
                None => prop_assert!(now < s.offset()),
            }
        }

        #[test]
        fn the_offset_stays_below_the_jitter(key in ".{0,40}", jitter_ms in 0u64..100_000_000) {
            let jitter = Duration::from_millis(jitter_ms);
            let offset = jitter_offset(&key, jitter);
            prop_assert!(offset < jitter || jitter.is_zero());
            prop_assert_eq!(offset, jitter_offset(&key, jitter));
        }

        /// Checks at any increasing times, running whenever due (a run starting at the check
        /// and finishing before the next): every slot that saw a check gets exactly one run,
        /// and no slot gets two.
        #[test]
        fn running_whenever_due_runs_once_per_slot(
            interval_ms in 1u64..100_000,
            offset_ms in 0u64..100_000,
            start_ms in 0u64..1_000_000_000,
            steps in proptest::collection::vec(0u64..60_000, 1..200),
        ) {
            let s = Schedule::new(Duration::from_millis(interval_ms), Duration::from_millis(offset_ms)).unwrap();
            let mut now = Duration::from_millis(start_ms);
            let mut last: Option<Duration> = None;
            let mut runs = std::collections::BTreeMap::<u64, u32>::new();
            let mut checked = std::collections::BTreeSet::new();
            for step in steps {
                now += Duration::from_millis(step);
                if let Some(slot) = s.slot_at(now) {
                    checked.insert(slot.index);
                }
                match s.due(now, last) {
                    Due::Now(slot) => {
                        prop_assert!(slot.start <= now && now < slot.end);
                        *runs.entry(slot.index).or_default() += 1;
                        last = Some(now);
                    }
                    Due::At(at) => prop_assert!(at > now),
                }
            }
            prop_assert!(runs.values().all(|n| *n == 1), "{:?}", runs);
            let ran: std::collections::BTreeSet<u64> = runs.keys().copied().collect();
            prop_assert_eq!(ran, checked);
        }
    }
}
