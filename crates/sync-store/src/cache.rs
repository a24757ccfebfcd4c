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

/// A report body written as it is produced, for
/// [`Store::put_run_report_streamed`](crate::Store::put_run_report_streamed): a store that can
/// write a value in pieces never holds the whole body (the IT Glue report of an account of
/// 50,000 devices is about 64 MB of JSON).
///
/// ```
/// use sync_store::ReportBody;
///
/// struct Text(&'static str);
/// impl ReportBody for Text {
///     fn len(&self) -> usize {
///         self.0.len()
///     }
///     fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
///         out.write_all(self.0.as_bytes())
///     }
/// }
/// let mut written = Vec::new();
/// Text("{}").write_to(&mut written).unwrap();
/// assert_eq!(written, b"{}");
/// ```
pub trait ReportBody: Send + Sync {
    /// The body's length in bytes: exactly what [`write_to`](Self::write_to) writes.
    fn len(&self) -> usize;

    /// Whether the body is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the body (UTF-8 text, the engine's format), all of it, in as many pieces as it
    /// likes.
    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
}

/// The whole body of `body` as a string (for stores that write a value at once).
pub(crate) fn collect_body(body: &dyn ReportBody) -> Result<String, crate::StoreError> {
    let mut bytes = Vec::with_capacity(body.len());
    body.write_to(&mut bytes).map_err(|e| {
        crate::StoreError::Corrupt(format!("a report body could not be written: {e}"))
    })?;
    if bytes.len() != body.len() {
        return Err(crate::StoreError::Corrupt(format!(
            "a report body of {} bytes came with {} bytes",
            body.len(),
            bytes.len()
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| crate::StoreError::Corrupt("a report body is not UTF-8".to_owned()))
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
