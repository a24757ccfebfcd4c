//! The ports: what the IT Glue flow needs from IT Glue, as an async trait, and (shared with the
//! GravityZone flow, re-exported here) the [`DattoRmmPort`] and the [`PortError`].
//!
//! The workflow only ever talks to these traits, so it runs unchanged against the real clients
//! (through [`adapters`](super::adapters)), the msp-fakes fakes (through the same adapters) or
//! in-memory test doubles. The records they exchange carry only what the flow uses, already in
//! `sync-core`'s vocabulary (ids, MAC and serial text as the vendor wrote them).

use async_trait::async_trait;
use sync_core::itglue::{Configuration, ConfigurationAttributes, Organization, OrganizationId};

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
