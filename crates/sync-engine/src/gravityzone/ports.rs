//! The ports: what the GravityZone workflow needs from GravityZone, as an async trait, and
//! (shared with the IT Glue flow, re-exported here) the [`DattoRmmPort`] and the [`PortError`]. The engine runs against the real clients (see [`adapters`](super::adapters)), the
//! msp-fakes fakes (through the same adapters) or plain in-memory test doubles.
//!
//! Every list a port returns is complete: a port never answers a partial list (a failed page
//! fails the whole call), because the planner reads a missing company as a deleted one.

use async_trait::async_trait;
use sync_core::gravityzone::{Company, CompanyId, DefaultPackage};

pub use crate::datto::{DattoRmmPort, RmmSite};
pub use crate::port::{PortError, PortErrorKind};

/// What the workflow needs from GravityZone, as a partner sees it.
#[async_trait]
pub trait GravityZonePort: Send + Sync {
    /// Checks that the API key works and may call every API area the flow needs
    /// (companies, licensing, packages, network). Fails with
    /// [`PortErrorKind::Unauthorized`] or [`PortErrorKind::ApiNotEnabled`].
    async fn check_api_key(&self) -> Result<(), PortError>;

    /// The partner's root company: the company the API key belongs to.
    async fn root_company(&self) -> Result<CompanyId, PortError>;

    /// The partner's subtree below `root`: every customer company at any depth, each with its
    /// direct parent, and every sub-partner (reseller) company.
    async fn customer_companies(&self, root: &CompanyId) -> Result<CompanySubtree, PortError>;

    /// How many endpoints the company `id` holds (its sub-companies' included).
    async fn endpoint_count(&self, id: &CompanyId) -> Result<u64, PortError>;

    /// The company `id` wherever it is in the instance, with its parent; `None` when no such
    /// company exists (any more).
    async fn company(&self, id: &CompanyId) -> Result<Option<Company>, PortError>;

    /// The company named exactly `name` that the key can see, if any.
    async fn find_company_by_name(&self, name: &str) -> Result<Option<Company>, PortError>;

    /// Creates the customer company `name` under `parent` and returns its id. A name used
    /// anywhere in the instance fails with [`PortErrorKind::CompanyNameTaken`].
    async fn create_company(&self, name: &str, parent: &CompanyId) -> Result<CompanyId, PortError>;

    /// Renames a company. A name in use fails with [`PortErrorKind::CompanyNameTaken`].
    async fn rename_company(&self, id: &CompanyId, name: &str) -> Result<(), PortError>;

    /// Moves a company under `parent`.
    async fn move_company(&self, id: &CompanyId, parent: &CompanyId) -> Result<(), PortError>;

    /// Deletes a company.
    async fn delete_company(&self, id: &CompanyId) -> Result<(), PortError>;

    /// The installation package `name` of `company`, created with `package`'s modules and
    /// options when it does not exist yet. Returns the package's id.
    async fn find_or_create_package(
        &self,
        company: &CompanyId,
        name: &str,
        package: &DefaultPackage,
    ) -> Result<String, PortError>;

    /// Deletes the package `name` of `company`; `false` when there is none.
    async fn delete_package(&self, company: &CompanyId, name: &str) -> Result<bool, PortError>;

    /// The installation link of the package `name` of `company` (the Windows downloader link,
    /// else the first link the package has); `None` when the package or its link does not
    /// exist.
    async fn installation_link(
        &self,
        company: &CompanyId,
        name: &str,
    ) -> Result<Option<String>, PortError>;
}

/// The partner's subtree as [`GravityZonePort::customer_companies`] returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompanySubtree {
    /// Every customer company below the root, with its direct parent.
    pub companies: Vec<Company>,
    /// Every partner company below the root (the MSP's sub-partners), at any depth.
    pub partners: Vec<CompanyId>,
}

impl CompanySubtree {
    /// The subtree of these customer companies and sub-partners.
    pub fn new(companies: Vec<Company>, partners: Vec<CompanyId>) -> Self {
        Self {
            companies,
            partners,
        }
    }
}
