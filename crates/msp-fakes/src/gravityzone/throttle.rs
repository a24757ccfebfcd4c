//! GravityZone's per-key, per-method rate limits (Bitdefender's "API rate limits" table).
//!
//! The real service queues requests over the limit up to a burst size and refuses the rest
//! with `429` and `Retry-After`. The fake answers the queued ones at once (it admits
//! `requests + burst` in any window) and refuses the rest the same way.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

/// One limit: `requests` per `per`, plus `burst` queued requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FakeRateLimit {
    /// Requests per window.
    pub requests: u32,
    /// The window.
    pub per: Duration,
    /// Requests over the limit the real service would queue instead of refusing.
    pub burst: u32,
}

impl FakeRateLimit {
    /// `requests` per `per` with no burst queue: the strictest reading, handy in tests.
    pub fn strict(requests: u32, per: Duration) -> Self {
        Self {
            requests,
            per,
            burst: 0,
        }
    }
}

/// The limits per method class, plus per-method overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeRateLimits {
    /// Unlisted methods: 10 per second, burst 10.
    pub default: Option<FakeRateLimit>,
    /// Licensing and company writes: 5 per second, burst 5.
    pub licensing_and_company_writes: Option<FakeRateLimit>,
    /// Moves and tasks: 30 per minute, burst 10.
    pub moves: Option<FakeRateLimit>,
    /// Limits for single methods, winning over the class.
    pub per_method: BTreeMap<String, FakeRateLimit>,
}

impl Default for FakeRateLimits {
    fn default() -> Self {
        Self {
            default: Some(FakeRateLimit {
                requests: 10,
                per: Duration::from_secs(1),
                burst: 10,
            }),
            licensing_and_company_writes: Some(FakeRateLimit {
                requests: 5,
                per: Duration::from_secs(1),
                burst: 5,
            }),
            moves: Some(FakeRateLimit {
                requests: 30,
                per: Duration::from_secs(60),
                burst: 10,
            }),
            per_method: BTreeMap::new(),
        }
    }
}

impl FakeRateLimits {
    /// No limits at all.
    pub fn none() -> Self {
        Self {
            default: None,
            licensing_and_company_writes: None,
            moves: None,
            per_method: BTreeMap::new(),
        }
    }

    /// The limit that applies to `method`.
    pub fn for_method(&self, method: &str) -> Option<FakeRateLimit> {
        if let Some(limit) = self.per_method.get(method) {
            return Some(*limit);
        }
        const FIVE_PER_SECOND: &[&str] = &[
            "getLicenseInfo",
            "setLicenseKey",
            "addProductKey",
            "removeProductKey",
            "getMonthlyUsage",
            "getMonthlyUsagePerProductType",
            "createCompany",
            "getCompanyDetails",
            "deleteCompany",
            "updateCompanyDetails",
            "suspendCompany",
            "activateCompany",
        ];
        const THIRTY_PER_MINUTE: &[&str] = &[
            "moveCompanyOrCompanyFolder",
            "moveEndpointsBetweenCompanies",
            "deleteEndpoint",
            "setMonthlySubscription",
        ];
        if FIVE_PER_SECOND.contains(&method) {
            self.licensing_and_company_writes
        } else if THIRTY_PER_MINUTE.contains(&method) {
            self.moves
        } else {
            self.default
        }
    }
}

/// The rolling windows, per (key, method).
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    seen: HashMap<(String, String), VecDeque<Instant>>,
}

impl Throttle {
    /// Admits one request, or returns the whole seconds to wait (at least 1).
    pub(crate) fn admit(
        &mut self,
        key: &str,
        method: &str,
        limit: FakeRateLimit,
        now: Instant,
    ) -> Result<(), u64> {
        let window = self
            .seen
            .entry((key.to_owned(), method.to_owned()))
            .or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= limit.per)
        {
            window.pop_front();
        }
        let capacity = (limit.requests + limit.burst) as usize;
        if window.len() < capacity.max(1) {
            window.push_back(now);
            return Ok(());
        }
        let oldest = window.front().copied().unwrap_or(now);
        let free_at = oldest + limit.per;
        let wait = free_at.saturating_duration_since(now);
        let rounded_up = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Err(rounded_up.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_past_limit_and_burst_is_refused_with_a_wait() {
        let mut t = Throttle::default();
        let limit = FakeRateLimit {
            requests: 2,
            per: Duration::from_secs(10),
            burst: 1,
        };
        let now = Instant::now();
        for _ in 0..3 {
            assert!(t.admit("k", "m", limit, now).is_ok());
        }
        assert_eq!(t.admit("k", "m", limit, now), Err(10));
        // Another method and another key have their own windows.
        assert!(t.admit("k", "other", limit, now).is_ok());
        assert!(t.admit("k2", "m", limit, now).is_ok());
        // The window rolls.
        assert!(
            t.admit("k", "m", limit, now + Duration::from_secs(10))
                .is_ok()
        );
    }

    #[test]
    fn classes_follow_the_vendor_table() {
        let limits = FakeRateLimits::default();
        assert_eq!(limits.for_method("createCompany").unwrap().requests, 5);
        assert_eq!(
            limits.for_method("moveCompanyOrCompanyFolder").unwrap().per,
            Duration::from_secs(60)
        );
        assert_eq!(limits.for_method("getPackagesList").unwrap().requests, 10);
        assert_eq!(FakeRateLimits::none().for_method("getPackagesList"), None);
    }
}
