//! Timestamps as the store keeps them: UTC, to the millisecond.
//!
//! The store never reads the clock; every time is an input. Both implementations keep times as
//! milliseconds since the Unix epoch, so a time read back is the time written, truncated to the
//! millisecond.

use chrono::{DateTime, Utc};

use crate::StoreError;

/// Milliseconds since the Unix epoch (floored, so it round-trips through [`from_millis`]).
pub(crate) fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

/// The time `ms` milliseconds after the Unix epoch; a value out of chrono's range is corrupt data.
pub(crate) fn from_millis(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| StoreError::Corrupt(format!("timestamp {ms} ms is out of range")))
}

/// `at` truncated to the millisecond: what the store gives back after `at` was written.
pub(crate) fn truncate_to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(to_millis(at)).unwrap_or(at)
}

/// `now + ttl` in milliseconds, saturating instead of overflowing.
pub(crate) fn millis_after(now: DateTime<Utc>, ttl: std::time::Duration) -> i64 {
    let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
    to_millis(now).saturating_add(ttl_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn truncation_drops_sub_millisecond_precision_only() {
        let at = Utc.timestamp_opt(1_700_000_000, 123_456_789).unwrap();
        let kept = truncate_to_millis(at);
        assert_eq!(kept.timestamp_subsec_nanos(), 123_000_000);
        assert_eq!(from_millis(to_millis(at)).unwrap(), kept);
    }

    #[test]
    fn times_before_the_epoch_round_trip() {
        let at = Utc.timestamp_opt(-5, 250_000_000).unwrap();
        assert_eq!(from_millis(to_millis(at)).unwrap(), at);
    }

    #[test]
    fn lease_expiry_saturates_on_huge_ttl() {
        let now = Utc.timestamp_opt(0, 0).unwrap();
        assert_eq!(millis_after(now, std::time::Duration::MAX), i64::MAX);
    }
}
