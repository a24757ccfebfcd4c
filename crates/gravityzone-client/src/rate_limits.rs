//! GravityZone's per-key rate limits, by method class.
//!
//! Bitdefender's table ("API rate limits") gives limits per API key and per method: 10
//! requests per second for unlisted methods, 5 per second for the licensing methods and the
//! company writes, 30 per minute for moves, endpoint deletion and tasks. Requests over the
//! limit are queued up to a burst size and then refused with HTTP 429 and `Retry-After`.
//!
//! The client waits on one [`RateLimiter`] per class, shared by all clones of a client, so a
//! well-behaved client is never refused; when it is anyway (another program using the same
//! key), the transport honours `Retry-After` and tries again — also for writes, since a 429 is
//! refused before it is processed.

use msp_transport::{RateLimit, RateLimiter};

/// The rate class of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateClass {
    /// Every method not listed below: 10 requests per second per key.
    Default,
    /// Licensing reads and writes and company writes (`getLicenseInfo`, `createCompany`,
    /// `getCompanyDetails`, `updateCompanyDetails`, `deleteCompany`, `suspendCompany`,
    /// `activateCompany`, …): 5 requests per second per key.
    LicensingAndCompanyWrites,
    /// Moves and tasks (`moveCompanyOrCompanyFolder`, `moveEndpointsBetweenCompanies`,
    /// `deleteEndpoint`, `setMonthlySubscription`, …): 30 requests per minute per key.
    Moves,
}

/// Methods in the 5-per-second class. The cloud variant of the table also lists
/// `createCompany` and `getCompanyDetails`; they are included (the stricter reading).
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
    "createCustomFieldDefinition",
    "updateCustomFieldDefinition",
    "getCustomFieldsDefinitions",
    "deleteCustomFieldDefinition",
];

/// Methods in the 30-per-minute class.
const THIRTY_PER_MINUTE: &[&str] = &[
    "moveCompanyOrCompanyFolder",
    "moveEndpointsBetweenCompanies",
    "deleteEndpoint",
    "createScanTask",
    "createScanTaskByMac",
    "createReconfigureClientTask",
    "setMonthlySubscription",
    "createAccount",
    "updateAccount",
    "deleteAccount",
    "createReport",
];

impl RateClass {
    /// The class of a JSON-RPC method name.
    ///
    /// ```
    /// use gravityzone_client::RateClass;
    /// assert_eq!(RateClass::of("getLicenseInfo"), RateClass::LicensingAndCompanyWrites);
    /// assert_eq!(RateClass::of("moveCompanyOrCompanyFolder"), RateClass::Moves);
    /// assert_eq!(RateClass::of("getPackagesList"), RateClass::Default);
    /// ```
    pub fn of(method: &str) -> Self {
        if FIVE_PER_SECOND.contains(&method) {
            RateClass::LicensingAndCompanyWrites
        } else if THIRTY_PER_MINUTE.contains(&method) {
            RateClass::Moves
        } else {
            RateClass::Default
        }
    }
}

/// The limits the client keeps to, per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimits {
    /// [`RateClass::Default`] (10 per second).
    pub default: RateLimit,
    /// [`RateClass::LicensingAndCompanyWrites`] (5 per second).
    pub licensing_and_company_writes: RateLimit,
    /// [`RateClass::Moves`] (30 per minute).
    pub moves: RateLimit,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            default: per(10, 1),
            licensing_and_company_writes: per(5, 1),
            moves: per(30, 60),
        }
    }
}

/// A limit from the constants above (non-zero count and window, so `new` cannot fail).
fn per(requests: u32, seconds: u64) -> RateLimit {
    RateLimit::new(requests, std::time::Duration::from_secs(seconds))
        .expect("the documented limits have a non-zero count and window")
}

impl RateLimits {
    /// The limit of `class`.
    pub fn get(&self, class: RateClass) -> RateLimit {
        match class {
            RateClass::Default => self.default,
            RateClass::LicensingAndCompanyWrites => self.licensing_and_company_writes,
            RateClass::Moves => self.moves,
        }
    }

    /// Replaces the limit of `class`.
    pub fn set(&mut self, class: RateClass, limit: RateLimit) {
        match class {
            RateClass::Default => self.default = limit,
            RateClass::LicensingAndCompanyWrites => self.licensing_and_company_writes = limit,
            RateClass::Moves => self.moves = limit,
        }
    }
}

/// One limiter per class; clones share them.
#[derive(Debug, Clone)]
pub(crate) struct Limiters {
    default: RateLimiter,
    licensing_and_company_writes: RateLimiter,
    moves: RateLimiter,
}

impl Limiters {
    pub(crate) fn new(limits: &RateLimits) -> Self {
        Self {
            default: RateLimiter::new(limits.default),
            licensing_and_company_writes: RateLimiter::new(limits.licensing_and_company_writes),
            moves: RateLimiter::new(limits.moves),
        }
    }

    pub(crate) fn for_class(&self, class: RateClass) -> &RateLimiter {
        match class {
            RateClass::Default => &self.default,
            RateClass::LicensingAndCompanyWrites => &self.licensing_and_company_writes,
            RateClass::Moves => &self.moves,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn defaults_follow_the_vendor_table() {
        let limits = RateLimits::default();
        assert_eq!(limits.get(RateClass::Default).requests(), 10);
        assert_eq!(
            limits.get(RateClass::LicensingAndCompanyWrites).requests(),
            5
        );
        let moves = limits.get(RateClass::Moves);
        assert_eq!(
            (moves.requests(), moves.per()),
            (30, Duration::from_secs(60))
        );
    }

    #[test]
    fn company_writes_and_licensing_share_the_five_per_second_class() {
        for m in [
            "createCompany",
            "updateCompanyDetails",
            "deleteCompany",
            "getLicenseInfo",
        ] {
            assert_eq!(
                RateClass::of(m),
                RateClass::LicensingAndCompanyWrites,
                "{m}"
            );
        }
        assert_eq!(RateClass::of("findCompaniesByName"), RateClass::Default);
    }
}
