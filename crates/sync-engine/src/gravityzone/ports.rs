//! The ports: what the GravityZone workflow needs from Datto RMM and from GravityZone, as async
//! traits. The engine runs against the real clients (see [`adapters`](super::adapters)), the
//! msp-fakes fakes (through the same adapters) or plain in-memory test doubles.
//!
//! Every list a port returns is complete: a port never answers a partial list (a failed page
//! fails the whole call), because the planner reads a missing company as a deleted one.

use std::fmt;

use async_trait::async_trait;
use sync_core::gravityzone::{Company, CompanyId, DefaultPackage, Site, SiteUid};
use sync_store::Vendor;

/// What the workflow needs from Datto RMM.
#[async_trait]
pub trait DattoRmmPort: Send + Sync {
    /// The uid of the account the credentials belong to (the tenant's second half).
    async fn account_uid(&self) -> Result<String, PortError>;

    /// Every site of the account, OnDemand and system sites included, every page fetched.
    async fn sites(&self) -> Result<Vec<Site>, PortError>;

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

/// What the workflow needs from GravityZone, as a partner sees it.
#[async_trait]
pub trait GravityZonePort: Send + Sync {
    /// Checks that the API key works and may call every API area the flow needs
    /// (companies, licensing, packages, network). Fails with
    /// [`PortErrorKind::Unauthorized`] or [`PortErrorKind::ApiNotEnabled`].
    async fn check_api_key(&self) -> Result<(), PortError>;

    /// The partner's root company: the company the API key belongs to.
    async fn root_company(&self) -> Result<CompanyId, PortError>;

    /// Every customer company in the tree below `root`, at any depth, each with its direct
    /// parent.
    async fn customer_companies(&self, root: &CompanyId) -> Result<Vec<Company>, PortError>;

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

/// What kind of failure a port reports: what the workflow decides on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortErrorKind {
    /// The vendor rejected the credentials: the tenant's passes stop until new ones are saved.
    Unauthorized,
    /// The credentials work but may not call this API area.
    ApiNotEnabled {
        /// The area, in the vendor's words.
        area: String,
    },
    /// A company of this name exists somewhere in the GravityZone instance.
    CompanyNameTaken {
        /// The refused name.
        name: String,
    },
    /// The thing asked about does not exist.
    NotFound,
    /// A failure that may pass when tried later (rate limit, server error, network).
    Transient,
    /// Anything else.
    Other,
}

/// A failure of a port call. It carries no secret: messages come from the vendor clients,
/// which redact them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PortError {
    /// The vendor that failed.
    pub vendor: Vendor,
    /// What kind of failure.
    pub kind: PortErrorKind,
    /// What happened, for people.
    pub message: String,
    /// Whether the vendor may have received and acted on the request: a write that may have
    /// been sent is looked up before it is made again.
    pub may_have_been_sent: bool,
}

impl PortError {
    /// A failure of `vendor` of `kind`.
    pub fn new(vendor: Vendor, kind: PortErrorKind, message: impl Into<String>) -> Self {
        Self {
            vendor,
            kind,
            message: message.into(),
            may_have_been_sent: false,
        }
    }

    /// The same failure, marked as possibly received by the vendor.
    pub fn maybe_sent(mut self) -> Self {
        self.may_have_been_sent = true;
        self
    }

    /// Whether the vendor rejected the credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.kind == PortErrorKind::Unauthorized
    }

    /// Whether GravityZone refused a company name because it is in use.
    pub fn is_company_name_taken(&self) -> bool {
        matches!(self.kind, PortErrorKind::CompanyNameTaken { .. })
    }
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let vendor = match self.vendor {
            Vendor::DattoRmm => "Datto RMM",
            Vendor::GravityZone => "GravityZone",
            _ => self.vendor.as_str(),
        };
        write!(f, "{vendor}: {}", self.message)
    }
}
