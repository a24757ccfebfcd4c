//! The companies page: every managed site with its association or exclusion and the free
//! companies; a batch of changes is checked by `sync-core` into a confirmation list, then
//! applied as one task.

use sync_core::gravityzone::{
    Action, Change, CompaniesPage, Event, companies_page, validate_changes,
};
use sync_store::{AssociationMethod, ChangedBy, TenantId};
use tracing::Instrument;

use super::approval::Approval;
use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::executor::{ExecError, Executor, Stopped, WriteCounts};
use super::names::Names;
use super::ports::PortErrorKind;
use super::request::{Batch, BatchPlan};
use super::sync::GravityZoneSync;

/// One change of a companies-page batch, with what its deletion of an association also
/// removes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompaniesChange {
    /// The change.
    pub change: Change,
    /// What to remove of what the association made, when the change deletes an association
    /// (delete association, or exclude an associated site). Nothing by default.
    pub removal: Removal,
}

/// What deleting an association also removes. Nothing unless the user says so: the company
/// and its package usually still protect the customer's devices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Removal {
    /// Delete the site's installation package (the one named by
    /// [`package_name`](sync_core::gravityzone::package_name)) from the company.
    pub package: bool,
    /// Delete the site variable `GravityZonePackageLink`.
    pub package_link: bool,
    /// Delete the GravityZone company itself.
    pub company: bool,
}

impl Removal {
    /// Remove nothing.
    pub fn nothing() -> Self {
        Self::default()
    }

    /// Remove the package and the site variable, keep the company.
    pub fn package_and_link() -> Self {
        Self {
            package: true,
            package_link: true,
            company: false,
        }
    }

    /// Remove everything the association made: package, site variable and company.
    pub fn everything() -> Self {
        Self {
            package: true,
            package_link: true,
            company: true,
        }
    }

    fn is_nothing(self) -> bool {
        !(self.package || self.package_link || self.company)
    }
}

impl CompaniesChange {
    /// A change that removes nothing of what an association made.
    pub fn new(change: Change) -> Self {
        Self {
            change,
            removal: Removal::default(),
        }
    }

    /// The same change, removing `removal` when it deletes an association.
    pub fn removing(mut self, removal: Removal) -> Self {
        self.removal = removal;
        self
    }
}

impl From<Change> for CompaniesChange {
    fn from(change: Change) -> Self {
        Self::new(change)
    }
}

/// What applying a batch did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct BatchReport {
    /// Whether nothing was written: a preview, or a confirmation list the approval declined.
    pub dry_run: bool,
    /// Whether the approval callback declined the confirmation list (nothing was written).
    pub declined: bool,
    /// The confirmation list, and the same in words (`confirmation` and `described` in JSON).
    #[serde(flatten)]
    pub plan: BatchPlan,
    /// How many changes were applied, in order.
    pub applied: usize,
    /// The change the task stopped at, if one failed; the changes after it were not run.
    pub failure: Option<BatchFailure>,
    /// The "set as new company" changes GravityZone refused because another tenant uses the
    /// name: each left an open destination-creation event (resolved with a name the user
    /// gives) instead of failing the task, which went on with the next change.
    pub events_raised: Vec<RaisedEvent>,
    /// The vendor writes made (also those of a change that failed after them).
    pub writes: WriteCounts,
}

impl BatchReport {
    /// The report of a batch checked but not applied.
    fn unapplied(plan: BatchPlan, declined: bool) -> Self {
        Self {
            dry_run: true,
            declined,
            plan,
            applied: 0,
            failure: None,
            events_raised: Vec::new(),
            writes: WriteCounts::default(),
        }
    }

    /// Whether the task did nothing it was asked: no change applied, none turned into an
    /// event, and one failed (a failure, not a partial success).
    pub fn did_nothing(&self) -> bool {
        self.failure.is_some() && self.applied == 0 && self.events_raised.is_empty()
    }

    /// What the task did, as lines a person reads: for a preview the confirmation list and
    /// `Dry run: nothing was changed.`; for a declined list `Nothing was changed.`; else how
    /// many changes were applied with the writes they made, and each change that left an open
    /// destination-creation event instead, its site by name. The failure, if any, is
    /// [`BatchReport::failure`] (its `Display`).
    pub fn lines(&self) -> Vec<String> {
        if self.declined {
            return vec!["Nothing was changed.".to_owned()];
        }
        if self.dry_run {
            let mut lines = self.plan.lines();
            lines.push("Dry run: nothing was changed.".to_owned());
            return lines;
        }
        let mut lines = vec![format!(
            "Applied {} of {} change(s): {} companies created, {} packages, {} links written.",
            self.applied,
            self.plan.confirmation.changes.len(),
            self.writes.companies_created,
            self.writes.packages_ensured,
            self.writes.links_written
        )];
        for raised in &self.events_raised {
            lines.push(format!(
                "Change {}: GravityZone refused the name {:?} (another tenant uses it); {} has \
                 the open destination-creation event {} (resolve it with create-with-custom-name \
                 and another name).",
                raised.index + 1,
                raised.name,
                Names::default()
                    .with_event(&raised.event)
                    .site(&raised.event.id.site),
                raised.reference,
            ));
        }
        lines
    }
}

/// A change of a batch that left an open event instead of being applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct RaisedEvent {
    /// The change's position in the batch.
    pub index: usize,
    /// The company name GravityZone refused.
    pub name: String,
    /// The open event (destination creation) the site now has.
    pub event: Event,
    /// The event's short reference ([`EventId::short_ref`](sync_core::gravityzone::EventId::short_ref)):
    /// what `resolve` takes.
    #[serde(rename = "ref")]
    pub reference: String,
}

/// The change a batch stopped at. It displays as `change 2 failed, the ones after it were not
/// run: …`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("change {} failed, the ones after it were not run: {message}", .index + 1)]
#[non_exhaustive]
pub struct BatchFailure {
    /// Its position in the batch.
    pub index: usize,
    /// What went wrong.
    pub message: String,
}

/// How many times a change of a batch runs when a vendor call fails in a way that may pass
/// (a server error, a rate limit, a timeout, a dropped connection, an answer that may follow a
/// write). Running the same actions again is safe: the journal makes the next run look up a
/// company the failed one may have created, packages are found before they are created, and
/// the installation link is written as a whole.
const CHANGE_ATTEMPTS: usize = 3;

/// Whether running a change again may get past `error`.
fn may_pass(error: &ExecError) -> bool {
    matches!(error, ExecError::Vendor(e) if e.kind == PortErrorKind::Transient || e.may_have_been_sent)
}

impl GravityZoneSync {
    /// The companies page: every managed site with its association or exclusion, and the
    /// companies under the partner's root that serve no site. Fetches both inventories.
    pub async fn companies_page(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
    ) -> Result<CompaniesPage, GravityZoneSyncError> {
        let view = self.view(tenant).await?;
        self.check_usable(&view, connection)?;
        let snapshot = self
            .fetch_snapshot(tenant, connection, &view.stored.associations)
            .await?;
        Ok(companies_page(&snapshot, &view.stored, &view.settings))
    }

    /// Checks a batch of changes into its confirmation list and, as `approval` says, applies
    /// that list as one task under the tenant's lease — in this one call, so the list applied
    /// is the list approved ([`Approval::Ask`] shows it under the lease). Refused changes fail
    /// the whole batch with [`GravityZoneSyncError::ChangesRefused`] before anything is
    /// written. [`BatchReport::dry_run`] says whether nothing was written (a preview, or a
    /// list the callback declined: [`BatchReport::declined`]).
    ///
    /// Each change runs its vendor writes (company, package, installation link) through the
    /// journal and then stores its association, exclusion or deletion. A change whose vendor
    /// call fails in a way that may pass (server error, timeout, dropped connection) runs
    /// again, up to three times in all, adopting what the failed run may have made; a change
    /// that still fails stops the task, and the changes before it stay applied.
    pub async fn apply_companies_changes(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        changes: &[CompaniesChange],
        approval: Approval<'_, BatchPlan>,
    ) -> Result<BatchReport, GravityZoneSyncError> {
        self.run_batch(tenant, connection, user, Batch::Changes(changes), approval)
            .await
    }

    /// [`apply_companies_changes`](Self::apply_companies_changes) of a batch of changes or of
    /// requests.
    pub(crate) async fn run_batch(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        batch: Batch<'_>,
        approval: Approval<'_, BatchPlan>,
    ) -> Result<BatchReport, GravityZoneSyncError> {
        let dry_run = approval.is_preview();
        let span = tracing::info_span!("gravityzone_companies_batch", %tenant, changes = batch.len(), dry_run);
        async {
            let view = self.view(tenant).await?;
            self.check_usable(&view, connection)?;
            if dry_run {
                let (_, plan) = self.confirm(tenant, connection, &batch).await?;
                return Ok(BatchReport::unapplied(plan, false));
            }
            let result = self
                .with_lease(tenant, || {
                    self.apply_batch(tenant, connection, user, &batch, approval)
                })
                .await;
            if let Err(e) = &result {
                self.note_refusal(tenant, connection, e).await;
            }
            result
        }
        .instrument(span)
        .await
    }

    /// The batch's changes (requests resolved on the companies page) and their confirmation
    /// list, against freshly fetched inventories.
    async fn confirm(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        batch: &Batch<'_>,
    ) -> Result<(Vec<CompaniesChange>, BatchPlan), GravityZoneSyncError> {
        let mut view = self.view(tenant).await?;
        let snapshot = self
            .fetch_snapshot(tenant, connection, &view.stored.associations)
            .await?;
        let page = companies_page(&snapshot, &view.stored, &view.settings);
        let changes = batch.changes(&page)?;
        // A rerun of a task that stopped after creating a company finishes it (the journal
        // says the flow made that company) instead of refusing "a company of the site's name
        // exists".
        view.stored.pending_creations = self.pending_creations(tenant).await?;
        let core: Vec<Change> = changes.iter().map(|c| c.change.clone()).collect();
        let confirmation = validate_changes(&snapshot, &view.stored, &view.settings, &core)
            .map_err(GravityZoneSyncError::ChangesRefused)?;
        let names = Names::from_page(&page).or(&Names::from_snapshot(&snapshot));
        Ok((changes, BatchPlan::new(confirmation, &names)))
    }

    async fn apply_batch(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        batch: &Batch<'_>,
        mut approval: Approval<'_, BatchPlan>,
    ) -> Result<BatchReport, GravityZoneSyncError> {
        let (changes, plan) = self.confirm(tenant, connection, batch).await?;
        if !approval.approves(&plan) {
            return Ok(BatchReport::unapplied(plan, true));
        }
        let executor = self.executor(
            tenant,
            connection,
            ChangedBy::user(user),
            AssociationMethod::MappedToExisting,
        );
        let confirmation = plan.confirmation.clone();
        let mut report = BatchReport::unapplied(plan, false);
        report.dry_run = false;
        for (index, (confirmed, asked)) in confirmation.changes.iter().zip(&changes).enumerate() {
            self.renew_lease(tenant).await?;
            let mut attempt = 1;
            let run = loop {
                match executor.run(&confirmed.actions).await {
                    Ok(applied) => break Ok(applied),
                    Err(stopped) => {
                        executor.forget(&stopped.applied.journal_keys, true).await?;
                        // The writes made before the failing action happened all the same.
                        report.writes.add(stopped.applied.counts);
                        let Stopped { action, error, .. } = *stopped;
                        if attempt < CHANGE_ATTEMPTS && may_pass(&error) {
                            tracing::warn!(index, attempt, %error, "companies change failed; running it again");
                            attempt += 1;
                            self.renew_lease(tenant).await?;
                            continue;
                        }
                        break Err((Some(action), error));
                    }
                }
            };
            let outcome = match run {
                Ok(applied) => {
                    self.commit(tenant, &applied.edits).await?;
                    executor.forget(&applied.journal_keys, false).await?;
                    report.writes.add(applied.counts);
                    self.remove_what_association_made(&executor, &confirmed.actions, asked.removal)
                        .await
                        .map_err(|error| (None, error))
                }
                Err(failed) => Err(failed),
            };
            match outcome {
                Ok(()) => report.applied += 1,
                Err((_, ExecError::Store(e))) => return Err(e.into()),
                Err((_, ExecError::Vendor(e))) if e.is_unauthorized() => return Err(e.into()),
                // "Set as new company" refused because another tenant uses the name: the site
                // gets a destination-creation event and the task goes on (the document's
                // "Events" table).
                Err((Some(Action::CreateCompany { name, .. }), ExecError::Vendor(e)))
                    if e.is_company_name_taken()
                        && matches!(asked.change, Change::CreateCompany { .. }) =>
                {
                    if let Some(event) = self
                        .destination_creation_refused(tenant, &confirmed.actions, &name)
                        .await?
                    {
                        report.events_raised.push(RaisedEvent {
                            index,
                            name,
                            reference: event.id.short_ref(),
                            event,
                        });
                    }
                }
                Err((_, error)) => {
                    tracing::warn!(index, %error, "companies change failed; the task stops");
                    report.failure = Some(BatchFailure {
                        index,
                        message: error.to_string(),
                    });
                    break;
                }
            }
        }
        tracing::info!(%tenant, applied = report.applied, failed = report.failure.is_some(), "companies batch done");
        Ok(report)
    }

    /// After a change deleted an association: removes what the user asked of what the
    /// association made.
    async fn remove_what_association_made(
        &self,
        executor: &Executor<'_>,
        actions: &[Action],
        removal: Removal,
    ) -> Result<(), ExecError> {
        if removal.is_nothing() {
            return Ok(());
        }
        for action in actions {
            if let Action::DeleteAssociation { site, company } = action {
                executor
                    .remove(
                        site,
                        company,
                        removal.package,
                        removal.package_link,
                        removal.company,
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
