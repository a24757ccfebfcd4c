//! Carrying out `sync-core` actions: vendor writes through the ports, each journaled in the
//! store under an idempotency key, and the store changes collected to be committed together
//! once every vendor write of the step succeeded.
//!
//! The store changes come last on purpose: an association is stored only when its company,
//! package and site variable exist. A step interrupted before that leaves its journal entries,
//! and the company-creation entry lets the next pass finish the association
//! ([`recovery`](super::recovery)); every other write is idempotent (find-or-create package,
//! upsert variable, rename or move to a given target) and is simply made again.

use std::collections::BTreeMap;

use sync_core::gravityzone::{
    Action, Association, CompanyId, CompanyRef, PACKAGE_LINK_VARIABLE, SiteUid, package_name,
};
use sync_store::{
    AssociationMethod, ChangedBy, IntentState, JournalEntry, Store, StoreError, TenantId,
};

use super::journal;
use super::ports::{DattoRmmPort, GravityZonePort, PortError, PortErrorKind};
use super::state::StateEdit;
use crate::clock::Clock;

/// What a list of actions did.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// The store changes to commit, in order.
    pub edits: Vec<StateEdit>,
    /// The journal keys the vendor writes used.
    pub journal_keys: Vec<String>,
    /// The companies created (or found created by an earlier, interrupted run), by name.
    pub created: BTreeMap<String, CompanyId>,
    /// The package id and installation link found or written for each site.
    pub packages: BTreeMap<SiteUid, (Option<String>, Option<String>)>,
    /// What was done, by kind.
    pub counts: WriteCounts,
}

/// The vendor writes a pass or a task made, by kind.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct WriteCounts {
    /// GravityZone companies created.
    pub companies_created: u64,
    /// GravityZone companies renamed.
    pub companies_renamed: u64,
    /// GravityZone companies moved back under the parent their association remembers.
    pub companies_moved: u64,
    /// GravityZone companies deleted (source deleted, "delete the company").
    pub companies_deleted: u64,
    /// Installation packages found or created.
    pub packages_ensured: u64,
    /// `GravityZonePackageLink` site variables written.
    pub links_written: u64,
}

impl WriteCounts {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: WriteCounts) {
        self.companies_created += other.companies_created;
        self.companies_renamed += other.companies_renamed;
        self.companies_moved += other.companies_moved;
        self.companies_deleted += other.companies_deleted;
        self.packages_ensured += other.packages_ensured;
        self.links_written += other.links_written;
    }
}

/// Why an action could not be carried out.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ExecError {
    /// A vendor call failed.
    #[error(transparent)]
    Vendor(#[from] PortError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// GravityZone lists no installation link for the package (yet).
    #[error("GravityZone has no installation link for package {package:?} of company {company}")]
    NoInstallationLink {
        /// The company.
        company: CompanyId,
        /// The package.
        package: String,
    },
    /// An action this engine does not know how to carry out.
    #[error("unsupported action {0}")]
    Unsupported(String),
    /// An action refers to a company created earlier in the list, but none was.
    #[error("no earlier action created a company named {0:?}")]
    UnresolvedCompany(String),
}

/// A list of actions that stopped at one of them.
#[derive(Debug)]
pub(crate) struct Stopped {
    /// What was done before the failing action.
    pub applied: Applied,
    /// The failing action.
    pub action: Action,
    /// Why it failed.
    pub error: ExecError,
}

/// Runs actions for one tenant.
pub(crate) struct Executor<'a> {
    pub tenant: &'a TenantId,
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub datto: &'a dyn DattoRmmPort,
    pub gravityzone: &'a dyn GravityZonePort,
    /// Who the store changes are made by.
    pub made_by: ChangedBy,
    /// How an association with an existing company came about (one with a company the list
    /// creates is always [`AssociationMethod::CreatedCompany`]).
    pub method: AssociationMethod,
}

impl Executor<'_> {
    /// Carries out `actions` in order. Vendor writes happen now; store changes are returned in
    /// [`Applied::edits`] for the caller to commit in one batch.
    pub(crate) async fn run(&self, actions: &[Action]) -> Result<Applied, Box<Stopped>> {
        let mut applied = Applied::default();
        for (index, action) in actions.iter().enumerate() {
            if let Err(error) = self.one(actions, index, &mut applied).await {
                return Err(Box::new(Stopped {
                    applied,
                    action: action.clone(),
                    error,
                }));
            }
        }
        // The package of an association made now is recorded with it.
        let associated: Vec<SiteUid> = applied
            .edits
            .iter()
            .filter_map(|edit| match edit {
                StateEdit::Associate { association, .. } => Some(association.site.clone()),
                _ => None,
            })
            .collect();
        for site in associated {
            if let Some((package_id, package_link)) = applied.packages.get(&site).cloned() {
                applied.edits.push(StateEdit::SetPackage {
                    site,
                    package_id,
                    package_link,
                });
            }
        }
        Ok(applied)
    }

    async fn one(
        &self,
        actions: &[Action],
        index: usize,
        applied: &mut Applied,
    ) -> Result<(), ExecError> {
        let Some(action) = actions.get(index) else {
            return Ok(());
        };
        match action {
            Action::CreateCompany { name, parent } => {
                let site = site_created_for(actions, name);
                let id = self
                    .create_company(site.as_ref(), name, parent, applied)
                    .await?;
                applied.created.insert(name.clone(), id);
            }
            Action::RenameCompany { company, name } => {
                let key = journal::rename_company(company, name);
                let description = format!("rename GravityZone company {company} to {name:?}");
                self.idempotent(&key, &description, applied, || async {
                    self.gravityzone.rename_company(company, name).await?;
                    Ok(String::new())
                })
                .await?;
                applied.counts.companies_renamed += 1;
            }
            Action::MoveCompany { company, parent } => {
                let key = journal::move_company(company, parent);
                let description = format!("move GravityZone company {company} under {parent}");
                self.idempotent(&key, &description, applied, || async {
                    self.gravityzone.move_company(company, parent).await?;
                    Ok(String::new())
                })
                .await?;
                applied.counts.companies_moved += 1;
            }
            Action::CreatePackage {
                site,
                company,
                name,
                package,
            } => {
                let company = resolve(company, applied)?;
                let key = journal::create_package(&company, name);
                let description = format!("find or create package {name:?} of company {company}");
                let id = self
                    .idempotent(&key, &description, applied, || async {
                        Ok(self
                            .gravityzone
                            .find_or_create_package(&company, name, package)
                            .await?)
                    })
                    .await?;
                applied.packages.entry(site.clone()).or_default().0 =
                    Some(id).filter(|id| !id.is_empty());
                applied.counts.packages_ensured += 1;
            }
            Action::WritePackageLink {
                site,
                company,
                package_name,
            } => {
                let company = resolve(company, applied)?;
                let key = journal::write_package_link(site, &company);
                let description =
                    format!("write the installation link of {package_name:?} into site {site}");
                let link = self
                    .idempotent(&key, &description, applied, || async {
                        let link = self
                            .gravityzone
                            .installation_link(&company, package_name)
                            .await?
                            .ok_or_else(|| ExecError::NoInstallationLink {
                                company: company.clone(),
                                package: package_name.clone(),
                            })?;
                        self.datto
                            .upsert_site_variable(site, PACKAGE_LINK_VARIABLE, &link)
                            .await?;
                        Ok(link)
                    })
                    .await?;
                applied.packages.entry(site.clone()).or_default().1 =
                    Some(link).filter(|link| !link.is_empty());
                applied.counts.links_written += 1;
            }
            Action::Associate {
                site,
                company,
                parent,
                site_name,
                company_name,
            } => {
                let method = match company {
                    CompanyRef::Created { .. } => AssociationMethod::CreatedCompany,
                    _ => self.method,
                };
                let company = resolve(company, applied)?;
                applied.edits.push(StateEdit::Associate {
                    association: Association::new(site.clone(), company).remembering(
                        parent.clone(),
                        site_name,
                        company_name,
                    ),
                    method,
                    made_by: self.made_by.clone(),
                });
            }
            Action::DeleteCompany { company, endpoints } => {
                let key = journal::delete_company(company);
                let description = format!(
                    "delete GravityZone company {company} (holding {endpoints} endpoint(s))"
                );
                self.idempotent(&key, &description, applied, || async {
                    match self.gravityzone.delete_company(company).await {
                        Ok(()) => Ok(String::new()),
                        Err(e) if e.kind == PortErrorKind::NotFound => Ok(String::new()),
                        Err(e) => Err(e.into()),
                    }
                })
                .await?;
                applied.counts.companies_deleted += 1;
            }
            Action::DeleteAssociation { site, company } => {
                applied
                    .edits
                    .push(StateEdit::DeleteAssociation(Association::new(
                        site.clone(),
                        company.clone(),
                    )));
            }
            Action::Exclude { site } => applied.edits.push(StateEdit::Exclude {
                site: site.clone(),
                made_by: self.made_by.clone(),
            }),
            Action::RemoveExclusion { site } => {
                applied.edits.push(StateEdit::Include(site.clone()));
            }
            other => {
                // An action kind this engine does not know: refuse rather than skip silently.
                return Err(ExecError::Unsupported(format!("{other:?}")));
            }
        }
        Ok(())
    }

    /// Creates a company through the journal: an entry completed by an earlier run gives its
    /// id back; one whose call may have reached GravityZone is looked up by name first.
    async fn create_company(
        &self,
        site: Option<&SiteUid>,
        name: &str,
        parent: &CompanyId,
        applied: &mut Applied,
    ) -> Result<CompanyId, ExecError> {
        let key = match site {
            Some(site) => journal::create_company(site, name),
            None => journal::create_company(&SiteUid::new(""), name),
        };
        let description = format!("create GravityZone company {name:?} under {parent}");
        let entry = self.record(&key, &description).await?;
        applied.journal_keys.push(key.clone());
        if let Some(id) = self.already_created(&entry, name, parent).await? {
            if entry.state != IntentState::Completed {
                self.store
                    .complete(self.tenant, &key, id.as_str(), self.clock.now())
                    .await?;
            }
            return Ok(id);
        }
        self.store
            .mark_sent(self.tenant, &key, self.clock.now())
            .await?;
        let id = match self.gravityzone.create_company(name, parent).await {
            Ok(id) => id,
            Err(error) if !error.may_have_been_sent => {
                // Surely not created (a name in use, a refused key): the entry must not make a
                // later run adopt a company of that name as its own.
                self.store
                    .complete(self.tenant, &key, "", self.clock.now())
                    .await?;
                self.store.forget_intent(self.tenant, &key).await?;
                return Err(error.into());
            }
            Err(error) => return Err(error.into()),
        };
        self.store
            .complete(self.tenant, &key, id.as_str(), self.clock.now())
            .await?;
        applied.counts.companies_created += 1;
        tracing::info!(company = %id, name, "GravityZone company created");
        Ok(id)
    }

    /// The company an earlier run created under this journal entry, if it still exists.
    async fn already_created(
        &self,
        entry: &JournalEntry,
        name: &str,
        parent: &CompanyId,
    ) -> Result<Option<CompanyId>, ExecError> {
        match entry.state {
            IntentState::Completed => {
                let id = entry
                    .result
                    .as_deref()
                    .filter(|r| !r.is_empty())
                    .map(CompanyId::new);
                match id {
                    Some(id) if self.gravityzone.company(&id).await?.is_some() => Ok(Some(id)),
                    // Deleted since: the entry is stale and the company is created again.
                    _ => {
                        self.store.forget_intent(self.tenant, &entry.key).await?;
                        self.record(&entry.key, &entry.description).await?;
                        Ok(None)
                    }
                }
            }
            IntentState::Sent => Ok(self
                .gravityzone
                .find_company_by_name(name)
                .await?
                .filter(|c| &c.parent == parent)
                .map(|c| c.id)),
            _ => Ok(None),
        }
    }

    /// A repeatable vendor write through the journal: skipped when an earlier run completed
    /// it, else made (again) and completed with `call`'s answer.
    async fn idempotent<F, Fut>(
        &self,
        key: &str,
        description: &str,
        applied: &mut Applied,
        call: F,
    ) -> Result<String, ExecError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, ExecError>>,
    {
        let entry = self.record(key, description).await?;
        applied.journal_keys.push(key.to_owned());
        if entry.state == IntentState::Completed {
            return Ok(entry.result.unwrap_or_default());
        }
        self.store
            .mark_sent(self.tenant, key, self.clock.now())
            .await?;
        let result = call().await?;
        self.store
            .complete(self.tenant, key, &result, self.clock.now())
            .await?;
        Ok(result)
    }

    async fn record(&self, key: &str, description: &str) -> Result<JournalEntry, StoreError> {
        self.store
            .record_intent(self.tenant, key, description, self.clock.now())
            .await
    }

    /// Removes what an association of `site` with `company` made, as asked: the site
    /// variable, the package, the company. Each deletion is journaled; deleting what is
    /// already gone is not an error.
    pub(crate) async fn remove(
        &self,
        site: &SiteUid,
        company: &CompanyId,
        package: bool,
        link: bool,
        delete_company: bool,
    ) -> Result<(), ExecError> {
        let mut applied = Applied::default();
        if link {
            let key = journal::delete_package_link(site);
            let description =
                format!("delete the site variable {PACKAGE_LINK_VARIABLE} of site {site}");
            self.idempotent(&key, &description, &mut applied, || async {
                let deleted = self
                    .datto
                    .delete_site_variable(site, PACKAGE_LINK_VARIABLE)
                    .await?;
                Ok(deleted.to_string())
            })
            .await?;
        }
        if package {
            let name = package_name(site);
            let key = journal::delete_package(company, &name);
            let description = format!("delete package {name:?} of company {company}");
            self.idempotent(&key, &description, &mut applied, || async {
                Ok(self
                    .gravityzone
                    .delete_package(company, &name)
                    .await?
                    .to_string())
            })
            .await?;
        }
        if delete_company {
            let key = journal::delete_company(company);
            let description = format!("delete GravityZone company {company}");
            self.idempotent(&key, &description, &mut applied, || async {
                match self.gravityzone.delete_company(company).await {
                    Ok(()) => Ok(String::new()),
                    Err(e) if e.kind == PortErrorKind::NotFound => Ok(String::new()),
                    Err(e) => Err(e.into()),
                }
            })
            .await?;
        }
        self.forget(&applied.journal_keys, false).await?;
        Ok(())
    }

    /// Forgets the completed journal entries of a finished step, so the same write can be
    /// made again later (a company deleted and created anew, a company renamed back).
    /// Company creations are kept when `keep_creations`: the step stopped before storing the
    /// association, and recovery needs them.
    pub(crate) async fn forget(
        &self,
        keys: &[String],
        keep_creations: bool,
    ) -> Result<(), StoreError> {
        for key in keys {
            if keep_creations && journal::parse_create_company(key).is_some() {
                continue;
            }
            match self.store.intent(self.tenant, key).await? {
                Some(entry) if entry.state == IntentState::Completed => {
                    self.store.forget_intent(self.tenant, key).await?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The site whose association refers to the company created under `name` in this list.
fn site_created_for(actions: &[Action], name: &str) -> Option<SiteUid> {
    actions.iter().find_map(|action| match action {
        Action::Associate {
            site,
            company: CompanyRef::Created { name: created },
            ..
        } if created == name => Some(site.clone()),
        _ => None,
    })
}

fn resolve(company: &CompanyRef, applied: &Applied) -> Result<CompanyId, ExecError> {
    match company {
        CompanyRef::Existing { id } => Ok(id.clone()),
        CompanyRef::Created { name } => applied
            .created
            .get(name)
            .cloned()
            .ok_or_else(|| ExecError::UnresolvedCompany(name.clone())),
        other => Err(ExecError::UnresolvedCompany(format!("{other:?}"))),
    }
}
