//! The cache of Datto RMM device audits the IT Glue matcher needs.
//!
//! Fetching an audit is one API call per device, so the engine keeps the facts it needs together
//! with the device's `lastAuditDate` and fetches again only when Datto RMM reports a newer audit.

use chrono::{DateTime, Utc};
pub use sync_core::datto::AuditFacts;

/// A cached audit of one device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceAudit {
    /// The Datto RMM device uid.
    pub device_uid: String,
    /// The device's `lastAuditDate` when the audit was fetched.
    pub last_audit_date: DateTime<Utc>,
    /// What the audit said.
    pub facts: AuditFacts,
}

impl DeviceAudit {
    /// Whether this cached audit is still the device's latest one, given the `lastAuditDate`
    /// Datto RMM reports now (compared to the millisecond, as the store keeps times).
    pub fn is_current(&self, last_audit_date: DateTime<Utc>) -> bool {
        crate::time::truncate_to_millis(self.last_audit_date)
            == crate::time::truncate_to_millis(last_audit_date)
    }
}
