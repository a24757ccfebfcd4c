//! The companies page's changes as a person names them: sites by uid or name, a free company
//! by id or name. [`GravityZoneSync::request_companies_changes`] resolves them against the
//! page it computes under the tenant's lease and shows them in words ([`BatchPlan`]) before
//! applying them, in one call.

use serde::Serialize;
use sync_core::gravityzone::{Change, CompaniesPage, Confirmation};
use sync_store::TenantId;

use super::approval::Approval;
use super::companies::{BatchReport, CompaniesChange, Removal};
use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::lookup::{find_free_company, find_site};
use super::names::Names;
use super::sync::GravityZoneSync;
use crate::lookup::LookupError;

/// One change of the companies page, its site (and company) named as a person types them: a
/// uid or id, else a name in `sync-core`'s written form (any case, blanks collapsed).
///
/// ```
/// use sync_core::gravityzone::{Change, CompaniesPage, Company, CompanyId, Site, SiteRow};
/// use sync_engine::gravityzone::ChangeRequest;
///
/// let root = CompanyId::new("root");
/// let page = CompaniesPage {
///     root: root.clone(),
///     sites: vec![SiteRow {
///         site: Site::new("s1", "Zürich", false),
///         association: None,
///         excluded: false,
///         open_events: Vec::new(),
///         proposal: None,
///     }],
///     deleted_sites: Vec::new(),
///     free_companies: vec![Company::new("c1", "Müller AG", root)],
/// };
/// let change = ChangeRequest::map("ZÜRICH", "müller ag").resolve(&page).unwrap();
/// assert!(matches!(
///     change.change,
///     Change::MapToCompany { ref site, ref company }
///         if site.as_str() == "s1" && company.as_str() == "c1"
/// ));
/// assert!(ChangeRequest::exclude("Berlin").resolve(&page).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeRequest {
    /// Associate the site with an existing free company.
    Map {
        /// The managed site.
        site: String,
        /// The free company.
        company: String,
    },
    /// Set the site as a new company (named by the prefix settings).
    CreateCompany {
        /// The managed site.
        site: String,
    },
    /// Exclude the site from the automatic sync (deleting its association, if any).
    Exclude {
        /// The managed site.
        site: String,
    },
    /// Take back the site's exclusion.
    Include {
        /// The managed site.
        site: String,
    },
    /// Delete the site's association, also removing `removal` of what it made.
    DeleteAssociation {
        /// The managed site.
        site: String,
        /// What else to remove.
        removal: Removal,
    },
}

impl ChangeRequest {
    /// Map `site` to the free company `company`.
    pub fn map(site: impl Into<String>, company: impl Into<String>) -> Self {
        Self::Map {
            site: site.into(),
            company: company.into(),
        }
    }

    /// Set `site` as a new company.
    pub fn create_company(site: impl Into<String>) -> Self {
        Self::CreateCompany { site: site.into() }
    }

    /// Exclude `site`.
    pub fn exclude(site: impl Into<String>) -> Self {
        Self::Exclude { site: site.into() }
    }

    /// Include `site` again.
    pub fn include(site: impl Into<String>) -> Self {
        Self::Include { site: site.into() }
    }

    /// Delete `site`'s association, removing `removal` of what it made.
    pub fn delete_association(site: impl Into<String>, removal: Removal) -> Self {
        Self::DeleteAssociation {
            site: site.into(),
            removal,
        }
    }

    /// The change this request names on `page`; a site or company it names not (or twice) is
    /// a [`LookupError`] naming the candidates.
    pub fn resolve(&self, page: &CompaniesPage) -> Result<CompaniesChange, LookupError> {
        let site = |reference: &str| find_site(page, reference).map(|row| row.site.uid.clone());
        Ok(match self {
            Self::Map { site: s, company } => CompaniesChange::new(Change::MapToCompany {
                site: site(s)?,
                company: find_free_company(page, company)?.id.clone(),
            }),
            Self::CreateCompany { site: s } => {
                CompaniesChange::new(Change::CreateCompany { site: site(s)? })
            }
            Self::Exclude { site: s } => CompaniesChange::new(Change::Exclude { site: site(s)? }),
            Self::Include { site: s } => CompaniesChange::new(Change::Include { site: site(s)? }),
            Self::DeleteAssociation { site: s, removal } => {
                CompaniesChange::new(Change::DeleteAssociation { site: site(s)? })
                    .removing(*removal)
            }
        })
    }
}

/// A batch's confirmation list as [`Approval::Ask`] is shown it: every change with its
/// concrete actions, and the same in words (sites and companies by name).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BatchPlan {
    /// The confirmation list: every change with its concrete actions.
    pub confirmation: Confirmation,
    /// The same list in words, change by change.
    pub described: Vec<DescribedChange>,
}

/// One change of a confirmation list in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DescribedChange {
    /// What the change does ([`Names::change`]): `map site "Hamburg" to company "Northwind"`.
    pub change: String,
    /// One line per concrete action ([`Names::action`]).
    pub actions: Vec<String>,
}

impl BatchPlan {
    /// The confirmation list with every site and company named as `names` knows them.
    pub fn new(confirmation: Confirmation, names: &Names) -> Self {
        let described = confirmation
            .changes
            .iter()
            .map(|confirmed| DescribedChange {
                change: names.change(&confirmed.change),
                actions: names.actions(&confirmed.actions),
            })
            .collect();
        Self {
            confirmation,
            described,
        }
    }

    /// The list as a person reads it: `Confirmation list:`, then each change numbered from 1
    /// with its actions below it.
    ///
    /// ```
    /// use sync_core::gravityzone::{Change, Confirmation, ConfirmedChange, SiteUid};
    /// use sync_engine::gravityzone::{BatchPlan, Names};
    ///
    /// let site = SiteUid::new("s1");
    /// let mut confirmation = Confirmation::default();
    /// confirmation.changes.push(ConfirmedChange {
    ///     change: Change::Exclude { site: site.clone() },
    ///     actions: Vec::new(),
    /// });
    /// let plan = BatchPlan::new(confirmation, &Names::default().with_site(site, "Zürich"));
    /// assert_eq!(plan.lines(), ["Confirmation list:", "  1. exclude site \"Zürich\""]);
    /// ```
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec!["Confirmation list:".to_owned()];
        for (index, described) in self.described.iter().enumerate() {
            lines.push(format!("  {}. {}", index + 1, described.change));
            lines.extend(described.actions.iter().map(|a| format!("       - {a}")));
        }
        lines
    }
}

/// What a batch asks for: changes already resolved, or requests resolved against the page.
pub(crate) enum Batch<'a> {
    Changes(&'a [CompaniesChange]),
    Requests(&'a [ChangeRequest]),
}

impl Batch<'_> {
    /// The changes, resolved against `page` where they are requests.
    pub(crate) fn changes(
        &self,
        page: &CompaniesPage,
    ) -> Result<Vec<CompaniesChange>, LookupError> {
        match self {
            Batch::Changes(changes) => Ok(changes.to_vec()),
            Batch::Requests(requests) => requests.iter().map(|r| r.resolve(page)).collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Batch::Changes(changes) => changes.len(),
            Batch::Requests(requests) => requests.len(),
        }
    }
}

impl GravityZoneSync {
    /// [`apply_companies_changes`](Self::apply_companies_changes) of changes named as a person
    /// names them: the sites and companies are looked up on the companies page computed in this
    /// same call (under the tenant's lease unless it is a preview), so the page they are
    /// resolved on is the page the changes are checked and applied against. A reference that
    /// names no record, or several, fails the call with [`GravityZoneSyncError::Lookup`]
    /// before anything is written.
    pub async fn request_companies_changes(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        requests: &[ChangeRequest],
        approval: Approval<'_, BatchPlan>,
    ) -> Result<BatchReport, GravityZoneSyncError> {
        self.run_batch(
            tenant,
            connection,
            user,
            Batch::Requests(requests),
            approval,
        )
        .await
    }
}
