//! Finishing what an interrupted run left in the journal: a company created for a site whose
//! association was never stored gets its package, its link and its association now, so the
//! next plan does not create a second company (or raise an event about the first).

use sync_core::gravityzone::{
    Association, CompanyId, CompanyRef, InventorySnapshot, PendingCreation, SiteUid,
    association_actions,
};
use sync_store::{AssociationMethod, ChangedBy, IntentState, JournalEntry, TenantId};

use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::executor::ExecError;
use super::journal;
use super::state::StateEdit;
use super::sync::GravityZoneSync;

impl GravityZoneSync {
    /// The companies the journal says the flow created for a site whose association is not
    /// stored yet: the id when GravityZone's answer arrived, `None` when the call may have
    /// reached GravityZone but its answer was lost. Entries never sent are left out (a company
    /// of that name is somebody else's).
    pub(crate) async fn pending_creations(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<PendingCreation>, GravityZoneSyncError> {
        Ok(self
            .store
            .journal(tenant)
            .await?
            .into_iter()
            .filter_map(|entry| {
                let (site, name) = journal::parse_create_company(&entry.key)?;
                let company = match entry.state {
                    IntentState::Completed => Some(
                        entry
                            .result
                            .as_deref()
                            .filter(|id| !id.is_empty())
                            .map(CompanyId::new)?,
                    ),
                    IntentState::Sent => None,
                    _ => return None,
                };
                Some(PendingCreation {
                    site,
                    name,
                    company,
                })
            })
            .collect())
    }

    /// Resumes the company creations the journal holds; returns how many associations it
    /// finished. Entries that no longer lead anywhere (the company is gone, the site has
    /// another company or is no longer synced) are dropped.
    pub(crate) async fn recover(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        snapshot: &InventorySnapshot,
    ) -> Result<usize, GravityZoneSyncError> {
        let mut finished = 0;
        for entry in self.store.journal(tenant).await? {
            let Some((site, name)) = journal::parse_create_company(&entry.key) else {
                continue;
            };
            let Some(company) = created_company(&entry, &name, snapshot) else {
                self.drop_entry(tenant, &entry).await?;
                continue;
            };
            if entry.state != IntentState::Completed {
                self.store
                    .complete(tenant, &entry.key, company.as_str(), self.clock.now())
                    .await?;
            }
            let view = self.view(tenant).await?;
            let Some(mut edits) = replaced_association(&view.stored, snapshot, &site, &company)
            else {
                self.drop_entry(tenant, &entry).await?;
                continue;
            };
            let (Some(found_site), Some(found_company)) =
                (snapshot.site(&site), snapshot.company(&company))
            else {
                self.drop_entry(tenant, &entry).await?;
                continue;
            };
            tracing::info!(%site, %company, name, "finishing an interrupted company creation");
            let actions = association_actions(
                found_site,
                CompanyRef::existing(company.clone()),
                &found_company.parent,
                &found_company.name,
                &view.settings.package,
            );
            let executor = self.executor(
                tenant,
                connection,
                ChangedBy::Sync,
                AssociationMethod::CreatedCompany,
            );
            match executor.run(&actions).await {
                Ok(applied) => {
                    edits.extend(applied.edits);
                    self.commit(tenant, &edits).await?;
                    executor.forget(&applied.journal_keys, false).await?;
                    self.store.forget_intent(tenant, &entry.key).await?;
                    finished += 1;
                }
                Err(stopped) => {
                    executor.forget(&stopped.applied.journal_keys, true).await?;
                    match stopped.error {
                        ExecError::Store(e) => return Err(e.into()),
                        ExecError::Vendor(e) if e.is_unauthorized() => return Err(e.into()),
                        other => tracing::warn!(
                            %site, %company, error = %other,
                            "could not finish the interrupted creation; the next pass tries again"
                        ),
                    }
                }
            }
        }
        Ok(finished)
    }

    async fn drop_entry(
        &self,
        tenant: &TenantId,
        entry: &JournalEntry,
    ) -> Result<(), GravityZoneSyncError> {
        if entry.state != IntentState::Completed {
            self.store
                .complete(tenant, &entry.key, "", self.clock.now())
                .await?;
        }
        self.store.forget_intent(tenant, &entry.key).await?;
        Ok(())
    }
}

/// The company an interrupted creation made: the id it completed with, or — when the call may
/// have reached GravityZone but its answer was lost — the company of that name under the
/// partner's root. `None` when the company does not exist, and for an intent that was never
/// sent (a company of that name is then somebody else's).
fn created_company(
    entry: &JournalEntry,
    name: &str,
    snapshot: &InventorySnapshot,
) -> Option<CompanyId> {
    match entry.state {
        IntentState::Completed => entry
            .result
            .as_deref()
            .filter(|id| !id.is_empty())
            .map(CompanyId::new)
            .filter(|id| snapshot.company(id).is_some()),
        IntentState::Sent => snapshot
            .companies
            .iter()
            .find(|c| c.name == name && snapshot.is_in_subtree(c))
            .map(|c| c.id.clone()),
        _ => None,
    }
}

/// The store changes that make way for associating `site` with `company`: none when the site
/// has no association, the deletion of its association when its company no longer exists.
/// `None` when the association should not be made: the site is gone, not managed or
/// excluded, already has a live company, or the company serves another site.
fn replaced_association(
    stored: &sync_core::gravityzone::StoredState,
    snapshot: &InventorySnapshot,
    site: &SiteUid,
    company: &CompanyId,
) -> Option<Vec<StateEdit>> {
    let synced = snapshot.site(site).is_some_and(|s| s.is_managed()) && !stored.is_excluded(site);
    if !synced || stored.site_of(company).is_some() {
        return None;
    }
    match stored.company_of(site) {
        None => Some(Vec::new()),
        Some(current) if snapshot.company(current).is_none() => {
            Some(vec![StateEdit::DeleteAssociation(Association::new(
                site.clone(),
                current.clone(),
            ))])
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use sync_core::gravityzone::{Company, Site, StoredState};

    use super::*;

    fn entry(state: IntentState, result: Option<&str>) -> JournalEntry {
        JournalEntry {
            key: journal::create_company(&SiteUid::new("s1"), "Acme"),
            description: String::new(),
            state,
            result: result.map(str::to_owned),
            recorded_at: DateTime::UNIX_EPOCH,
            sent_at: None,
            completed_at: None,
        }
    }

    fn snapshot() -> InventorySnapshot {
        let root = CompanyId::new("root");
        InventorySnapshot::new(
            root.clone(),
            vec![Site::new("s1", "Acme", false)],
            vec![Company::new("c1", "Acme", root)],
        )
    }

    #[test]
    fn a_creation_that_may_have_been_sent_is_found_by_name() {
        let found = created_company(&entry(IntentState::Sent, None), "Acme", &snapshot());
        assert_eq!(found, Some(CompanyId::new("c1")));
    }

    #[test]
    fn a_creation_never_sent_adopts_no_company_of_that_name() {
        let found = created_company(&entry(IntentState::Recorded, None), "Acme", &snapshot());
        assert_eq!(found, None);
    }

    #[test]
    fn a_completed_creation_whose_company_is_gone_leads_nowhere() {
        let gone = created_company(
            &entry(IntentState::Completed, Some("c9")),
            "Acme",
            &snapshot(),
        );
        assert_eq!(gone, None);
    }

    #[test]
    fn an_association_is_finished_only_for_a_synced_site_without_a_live_company() {
        let snapshot = snapshot();
        let site = SiteUid::new("s1");
        let company = CompanyId::new("c1");
        let empty = StoredState::default();
        assert_eq!(
            replaced_association(&empty, &snapshot, &site, &company),
            Some(vec![])
        );
        let dangling = StoredState {
            associations: vec![Association::new(site.clone(), CompanyId::new("gone"))],
            ..StoredState::default()
        };
        assert_eq!(
            replaced_association(&dangling, &snapshot, &site, &company).map(|e| e.len()),
            Some(1)
        );
        let excluded = StoredState {
            exclusions: vec![sync_core::gravityzone::Exclusion::new(site.clone())],
            ..StoredState::default()
        };
        assert_eq!(
            replaced_association(&excluded, &snapshot, &site, &company),
            None
        );
    }
}
