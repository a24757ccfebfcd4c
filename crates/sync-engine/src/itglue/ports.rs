//! The ports: what the IT Glue flow needs from Datto RMM and from IT Glue, as async traits.
//!
//! The workflow only ever talks to these traits, so it runs unchanged against the real clients
//! (through [`adapters`](super::adapters)), the msp-fakes fakes (through the same adapters) or
//! in-memory test doubles. The records they exchange carry only what the flow uses, already in
//! `sync-core`'s vocabulary (ids, MAC and serial text as the vendor wrote them).

use async_trait::async_trait;
use sync_core::itglue::{
    Configuration, ConfigurationAttributes, Device, DeviceUid, NetworkInterface, Organization,
    OrganizationId, Site, SiteUid,
};
use sync_store::{AuditFacts, ConnectionDetails, CredentialFingerprint, Vendor};

/// Which credentials a port was built with, without the secrets: how to reach the account and a
/// fingerprint of the secrets. The flow compares the fingerprint with the saved one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortIdentity {
    /// How the account is reached (platform, region or URL).
    pub connection: ConnectionDetails,
    /// The fingerprint of the secrets the port sends.
    pub fingerprint: CredentialFingerprint,
}

/// A failed port call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PortError {
    /// The vendor refused the credentials (invalid, revoked, expired beyond refresh). The flow
    /// stops the tenant's syncing until new credentials are saved.
    #[error("{} refused the credentials: {message}", vendor_name(*vendor))]
    Unauthorized {
        /// Which vendor.
        vendor: Vendor,
        /// The vendor's words.
        message: String,
    },
    /// The record asked for does not exist (any more).
    #[error("{}: not found: {message}", vendor_name(*vendor))]
    NotFound {
        /// Which vendor.
        vendor: Vendor,
        /// The vendor's words.
        message: String,
    },
    /// The vendor rejected the request's content (a validation error such as IT Glue's 422).
    #[error("{} rejected the request: {message}", vendor_name(*vendor))]
    Rejected {
        /// Which vendor.
        vendor: Vendor,
        /// The vendor's words, naming the field when it did.
        message: String,
    },
    /// Any other failure: transport, rate limit after retries, server error, undecodable answer.
    #[error("{}: {message}", vendor_name(*vendor))]
    Failed {
        /// Which vendor.
        vendor: Vendor,
        /// What happened.
        message: String,
        /// Whether a write may have reached the vendor although no answer came back (then a
        /// create must be looked up before it is tried again).
        may_have_been_sent: bool,
    },
}

impl PortError {
    /// The vendor the error came from.
    pub fn vendor(&self) -> Vendor {
        match self {
            Self::Unauthorized { vendor, .. }
            | Self::NotFound { vendor, .. }
            | Self::Rejected { vendor, .. }
            | Self::Failed { vendor, .. } => *vendor,
        }
    }

    /// Whether the vendor refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }

    /// Whether a write may have reached the vendor: true unless the vendor answered with a
    /// refusal that says nothing was done.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Self::Failed {
                may_have_been_sent, ..
            } => *may_have_been_sent,
            Self::Unauthorized { .. } | Self::NotFound { .. } | Self::Rejected { .. } => false,
        }
    }
}

/// The vendor's name as users know it.
pub fn vendor_name(vendor: Vendor) -> &'static str {
    match vendor {
        Vendor::DattoRmm => "Datto RMM",
        Vendor::ItGlue => "IT Glue",
        Vendor::GravityZone => "GravityZone",
        _ => "the vendor",
    }
}

/// A Datto RMM site with the device count Datto reports for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RmmSite {
    /// The site, as grouping needs it.
    pub site: Site,
    /// The number of devices Datto reports for the site (`devicesStatus.numberOfDevices`), when
    /// it reports one. The flow compares it with the account device listing.
    pub device_count: Option<u64>,
}

/// The network interfaces of one device, from a site's network-interface listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceInterfaces {
    /// The device.
    pub device: DeviceUid,
    /// Its interfaces, in the order Datto lists them.
    pub interfaces: Vec<NetworkInterface>,
}

/// What the flow needs from Datto RMM. Every list is complete or an error: an implementation
/// never returns part of a list as success.
#[async_trait]
pub trait DattoRmmPort: Send + Sync {
    /// The credentials this port uses, without secrets.
    fn identity(&self) -> PortIdentity;

    /// Checks the credentials with one cheap call and answers the account's uid (which, with
    /// the API URL, names the tenant).
    async fn account_uid(&self) -> Result<String, PortError>;

    /// Every site of the account (OnDemand and system sites included; the flow filters).
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

    /// The audit of one device of class `device`: serial numbers, MACs, manufacturer, model.
    async fn device_audit(&self, device: &DeviceUid) -> Result<AuditFacts, PortError>;
}

/// An id and a name from one of IT Glue's lookup lists (configuration types and statuses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedId {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
}

/// A configuration to create: the field mapping's attributes with the account's ids resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewConfiguration {
    /// What the field mapping made of the device.
    pub attributes: ConfigurationAttributes,
    /// The configuration type's id (IT Glue requires one).
    pub configuration_type_id: u64,
    /// The configuration status's id.
    pub configuration_status_id: Option<u64>,
}

/// What the flow needs from IT Glue. Every list is complete or an error.
#[async_trait]
pub trait ItGluePort: Send + Sync {
    /// The credentials this port uses, without secrets.
    fn identity(&self) -> PortIdentity;

    /// Checks the API key with one cheap call.
    async fn check_credentials(&self) -> Result<(), PortError>;

    /// Every organization of the account.
    async fn organizations(&self) -> Result<Vec<Organization>, PortError>;

    /// Every configuration of one organization, archived ones included.
    async fn configurations(
        &self,
        organization: OrganizationId,
    ) -> Result<Vec<Configuration>, PortError>;

    /// Creates an organization.
    async fn create_organization(&self, name: &str) -> Result<Organization, PortError>;

    /// Creates one configuration in an organization.
    async fn create_configuration(
        &self,
        organization: OrganizationId,
        new: &NewConfiguration,
    ) -> Result<Configuration, PortError>;

    /// Creates several configurations in an organization in one call, answering them in the
    /// order given.
    async fn create_configurations(
        &self,
        organization: OrganizationId,
        new: &[NewConfiguration],
    ) -> Result<Vec<Configuration>, PortError>;

    /// The account's configuration types.
    async fn configuration_types(&self) -> Result<Vec<NamedId>, PortError>;

    /// The account's configuration statuses.
    async fn configuration_statuses(&self) -> Result<Vec<NamedId>, PortError>;
}
