//! What a run read and may reuse: the sites' network-interface listings, and the last run's
//! report.
//!
//! A Datto RMM site's network-interface listing is one paged call per site. Its content changes
//! only with the site's devices (one added or removed) or with a device's audit (its
//! `lastAuditDate` moves), so the engine keeps each listing together with the site's devices
//! and their `lastAuditDate` as they were when it was read, and lists the site again only when
//! they differ. A run that fails after listing some sites leaves those listings for the next
//! run.
//!
//! The last run's report is what the user saw; actions work on it in later processes without
//! syncing again, and refresh only the objects they touch.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sync_core::itglue::NetworkInterface;

use crate::run::{Flow, RunId};
use crate::time::truncate_to_millis;

/// One device of a site as a kept listing is keyed: its uid and its `lastAuditDate` (`None`
/// when Datto RMM reports none).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DeviceStamp {
    /// The Datto RMM device uid.
    pub device_uid: String,
    /// Its `lastAuditDate`, to the millisecond.
    pub last_audit_date: Option<DateTime<Utc>>,
}

impl DeviceStamp {
    /// A stamp (the date is kept to the millisecond, as the store keeps times).
    pub fn new(device_uid: impl Into<String>, last_audit_date: Option<DateTime<Utc>>) -> Self {
        Self {
            device_uid: device_uid.into(),
            last_audit_date: last_audit_date.map(truncate_to_millis),
        }
    }
}

/// The interfaces a site's listing gave for one device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedInterfaces {
    /// The Datto RMM device uid.
    pub device_uid: String,
    /// Its interfaces, in the order Datto RMM listed them.
    pub interfaces: Vec<NetworkInterface>,
}

/// A site's network-interface listing, kept with the site's devices it is valid for.
///
/// ```
/// use sync_store::{DeviceStamp, ListedInterfaces, SiteInterfaces};
/// let kept = SiteInterfaces::new(
///     "site-1",
///     [DeviceStamp::new("dev-2", None), DeviceStamp::new("dev-1", None)],
///     vec![ListedInterfaces { device_uid: "dev-1".into(), interfaces: Vec::new() }],
/// );
/// assert!(kept.is_current([DeviceStamp::new("dev-1", None), DeviceStamp::new("dev-2", None)]));
/// assert!(!kept.is_current([DeviceStamp::new("dev-1", None)]));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteInterfaces {
    /// The Datto RMM site uid.
    pub site_uid: String,
    /// The site's devices when it was listed, ordered by uid, without repeats.
    pub devices: Vec<DeviceStamp>,
    /// What the listing gave, per device.
    pub listing: Vec<ListedInterfaces>,
}

impl SiteInterfaces {
    /// A kept listing of `site_uid` for its `devices` (ordered and deduplicated here).
    pub fn new(
        site_uid: impl Into<String>,
        devices: impl IntoIterator<Item = DeviceStamp>,
        listing: Vec<ListedInterfaces>,
    ) -> Self {
        Self {
            site_uid: site_uid.into(),
            devices: normalise(devices),
            listing,
        }
    }

    /// Whether the listing still holds for the site's devices as Datto RMM reports them now:
    /// the same devices with the same `lastAuditDate`s (in any order).
    pub fn is_current(&self, devices: impl IntoIterator<Item = DeviceStamp>) -> bool {
        normalise(self.devices.iter().cloned()) == normalise(devices)
    }
}

fn normalise(devices: impl IntoIterator<Item = DeviceStamp>) -> Vec<DeviceStamp> {
    let mut devices: Vec<DeviceStamp> = devices
        .into_iter()
        .map(|d| DeviceStamp::new(d.device_uid, d.last_audit_date))
        .collect();
    devices.sort();
    devices.dedup();
    devices
}

/// The report of a flow's last successful run, as the engine serialised it, with the run it
/// describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunReport {
    /// Which flow.
    pub flow: Flow,
    /// The run it came from.
    pub run: RunId,
    /// When it was last written (by the run, or by an action that refreshed it).
    pub saved_at: DateTime<Utc>,
    /// The report, as JSON text (the engine's format).
    pub body: String,
}
