//! Datto RMM as both flows reach it: one [`DattoRmmPort`] (the calls either flow makes), one
//! [`DattoRmmAdapter`] over the real `datto-rmm-client`, and the [`DattoCredentials`] it is
//! built from.
//!
//! The IT Glue flow reads sites, devices, network interfaces and audits; the GravityZone flow
//! reads sites and writes the site variable that carries a package's installation link. Both
//! go through the same port, so one adapter (one token, one rate limiter) serves both, and
//! the test doubles of either flow implement the same trait.
//!
//! **A site without a uid.** Datto RMM always sends a site's uid; a listing in which a site has
//! none (or a blank one) is refused as a whole with a [`PortError`] of kind
//! [`PortErrorKind::Other`] naming the site. Leaving the site out instead would make the
//! listing look complete while it is not, and both flows read a site missing from a complete
//! listing as a deleted one (the GravityZone flow raises "source deleted" for its association).
//!
//! ```no_run
//! use sync_engine::datto::{DattoCredentials, DattoRmmAdapter, DattoRmmPort};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let credentials = DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret");
//! let datto = DattoRmmAdapter::from_credentials(&credentials)?;
//! for listed in datto.sites().await? {
//!     println!("{} managed: {}", listed.site.name, listed.site.is_managed());
//! }
//! # Ok(()) }
//! ```

mod adapter;
mod credentials;

use async_trait::async_trait;
use sync_core::datto::{AuditFacts, DeviceUid, Site, SiteUid};
use sync_core::itglue::{Device, NetworkInterface};

pub use adapter::{DattoRmmAdapter, datto_identity};
pub use credentials::{DattoCredentials, datto_fingerprint};

#[cfg(doc)]
use crate::port::PortErrorKind;
use crate::port::{PortError, PortIdentity};

/// A Datto RMM site as listed, with the device count Datto reports for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RmmSite {
    /// The site.
    pub site: Site,
    /// The number of devices Datto reports for the site (`devicesStatus.numberOfDevices`), when
    /// it reports one. The IT Glue flow compares it with the account device listing.
    pub device_count: Option<u64>,
}

impl From<Site> for RmmSite {
    fn from(site: Site) -> Self {
        Self {
            site,
            device_count: None,
        }
    }
}

/// The network interfaces of one device, from a site's network-interface listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceInterfaces {
    /// The device.
    pub device: DeviceUid,
    /// Its interfaces, in the order Datto lists them.
    pub interfaces: Vec<NetworkInterface>,
}

/// What both flows need from Datto RMM. Every list is complete or an error: an implementation
/// never returns part of a list as success (a missing site or device reads as a deleted one).
#[async_trait]
pub trait DattoRmmPort: Send + Sync {
    /// The credentials this port uses, without secrets.
    fn identity(&self) -> PortIdentity;

    /// Checks the credentials with one cheap call and answers the account's uid (which, with
    /// the API URL, names the tenant).
    async fn account_uid(&self) -> Result<String, PortError>;

    /// Every site of the account, OnDemand and system sites included (the flows filter with
    /// [`Site::is_managed`]), every page fetched.
    async fn sites(&self) -> Result<Vec<RmmSite>, PortError>;

    /// Every device of the account, in paged calls.
    async fn account_devices(&self) -> Result<Vec<Device>, PortError>;

    /// The devices of one site (used when the account listing disagrees with a site's count).
    async fn site_devices(&self, site: &SiteUid) -> Result<Vec<Device>, PortError>;

    /// The network interfaces of every device of a site, in paged calls: the MAC addresses of a
    /// whole site without one audit per device.
    async fn site_network_interfaces(
        &self,
        site: &SiteUid,
    ) -> Result<Vec<DeviceInterfaces>, PortError>;

    /// The audit of one device: serial numbers, MACs, manufacturer, model.
    async fn device_audit(&self, device: &DeviceUid) -> Result<AuditFacts, PortError>;

    /// Sets the site variable `name` to `value`: updates it when the site has one of that
    /// name, creates it otherwise. Writing the same value twice changes nothing.
    async fn upsert_site_variable(
        &self,
        site: &SiteUid,
        name: &str,
        value: &str,
    ) -> Result<(), PortError>;

    /// Deletes the site variable `name`; `false` when the site has none of that name.
    async fn delete_site_variable(&self, site: &SiteUid, name: &str) -> Result<bool, PortError>;
}
