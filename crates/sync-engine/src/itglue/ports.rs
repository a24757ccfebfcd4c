//! The ports: what the IT Glue flow needs from IT Glue, as an async trait, and (shared with the
//! GravityZone flow, re-exported here) the [`DattoRmmPort`] and the [`PortError`].
//!
//! The workflow only ever talks to these traits, so it runs unchanged against the real clients
//! (through [`adapters`](super::adapters)), the msp-fakes fakes (through the same adapters) or
//! in-memory test doubles. The records they exchange carry only what the flow uses, already in
//! `sync-core`'s vocabulary (ids, MAC and serial text as the vendor wrote them).

use async_trait::async_trait;
use sync_core::itglue::{
    Configuration, ConfigurationAttributes, ConfigurationId, InterfaceAttributes, Organization,
    OrganizationId,
};

pub use crate::datto::{DattoRmmPort, DeviceInterfaces, RmmSite};
pub use crate::port::{PortError, PortErrorKind, PortIdentity, vendor_name};

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
    /// The manufacturer's id (looked up, or created, by the attributes' name).
    pub manufacturer_id: Option<u64>,
    /// The model's id (looked up, or created, under the manufacturer).
    pub model_id: Option<u64>,
    /// IT Glue's operating system of the attributes' name, when it has one.
    pub operating_system_id: Option<u64>,
}

/// A model record: its id, name and manufacturer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelRecord {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// The manufacturer's id.
    pub manufacturer: Option<u64>,
}

/// The attributes one update writes on a configuration; `None` leaves one unchanged. Names
/// are already resolved to the account's ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigurationPatch {
    /// `name`.
    pub name: Option<String>,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `primary-ip`.
    pub primary_ip: Option<String>,
    /// `mac-address`.
    pub mac_address: Option<String>,
    /// `serial-number`.
    pub serial_number: Option<String>,
    /// `manufacturer-id`.
    pub manufacturer_id: Option<u64>,
    /// `model-id`.
    pub model_id: Option<u64>,
    /// `operating-system-id`.
    pub operating_system_id: Option<u64>,
    /// `operating-system-notes`.
    pub operating_system_notes: Option<String>,
    /// `configuration-type-id`.
    pub configuration_type_id: Option<u64>,
    /// `warranty-expires-at` (`YYYY-MM-DD`).
    pub warranty_expires_at: Option<String>,
    /// `notes` (the whole text).
    pub notes: Option<String>,
    /// `installed-by`.
    pub installed_by: Option<String>,
    /// `archived`.
    pub archived: Option<bool>,
}

impl ConfigurationPatch {
    /// Whether it writes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
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

    /// Updates several configurations in one call (IT Glue's bulk update). IT Glue refuses
    /// the whole call ([`PortErrorKind::Rejected`]) when it refuses one of them.
    async fn update_configurations(
        &self,
        updates: &[(ConfigurationId, ConfigurationPatch)],
    ) -> Result<(), PortError>;

    /// Adds interfaces to a configuration in one call.
    async fn create_interfaces(
        &self,
        configuration: ConfigurationId,
        interfaces: &[InterfaceAttributes],
    ) -> Result<(), PortError>;

    /// The account's manufacturers.
    async fn manufacturers(&self) -> Result<Vec<NamedId>, PortError>;

    /// Creates a manufacturer.
    async fn create_manufacturer(&self, name: &str) -> Result<NamedId, PortError>;

    /// The account's models.
    async fn models(&self) -> Result<Vec<ModelRecord>, PortError>;

    /// Creates a model under a manufacturer.
    async fn create_model(&self, manufacturer: u64, name: &str) -> Result<ModelRecord, PortError>;

    /// IT Glue's operating systems (read-only).
    async fn operating_systems(&self) -> Result<Vec<NamedId>, PortError>;
}
