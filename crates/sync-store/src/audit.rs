//! The cache of Datto RMM device audits the IT Glue matcher needs.
//!
//! Fetching an audit is one API call per device, so the engine keeps the facts it needs together
//! with the device's `lastAuditDate` and fetches again only when Datto RMM reports a newer audit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The facts of a device audit the matcher uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFacts {
    /// Serial numbers as the audit gives them (BIOS serial, service tag, SNMP serial).
    pub serial_numbers: Vec<String>,
    /// MAC addresses of the device's network interfaces.
    pub mac_addresses: Vec<String>,
    /// The system manufacturer.
    pub manufacturer: Option<String>,
    /// The system model.
    pub model: Option<String>,
}

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
