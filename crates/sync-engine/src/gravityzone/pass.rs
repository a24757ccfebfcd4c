//! One inventory sync pass: fetch both inventories, plan with `sync-core`, record the events,
//! run the automatic steps the settings allow.

use sync_core::gravityzone::EventKind;
use sync_core::gravityzone::{
    Action, Actor, Event, InventorySnapshot, Plan, Step, StepReason, plan,
};
use sync_store::{AssociationMethod, ChangedBy, Flow, RunCounts, RunOutcome, StoreError, TenantId};
use tokio::sync::watch;
use tracing::Instrument;

use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::executor::{ExecError, Stopped, WriteCounts};
use super::inventory;
use super::state::StateEdit;
use super::sync::GravityZoneSync;

/// How to run a pass.
#[derive(Debug, Clone, Default)]
pub struct PassOptions {
    /// Plan only: fetch and compare, but write nothing to the vendors or the store.
    pub dry_run: bool,
    /// When this turns `true` the pass stops after the step it is running (graceful
    /// shutdown); the steps not run are planned again by the next pass.
    pub shutdown: Option<watch::Receiver<bool>>,
}

impl PassOptions {
    /// A pass that applies its plan.
    pub fn apply() -> Self {
        Self::default()
    }

    /// A pass that only plans.
    pub fn dry_run() -> Self {
        Self {
            dry_run: true,
            shutdown: None,
        }
    }

    /// Stops between steps once `shutdown` turns `true`.
    pub fn with_shutdown(mut self, shutdown: watch::Receiver<bool>) -> Self {
        self.shutdown = Some(shutdown);
        self
    }

    fn shutdown_requested(&self) -> bool {
        self.shutdown.as_ref().is_some_and(|rx| *rx.borrow())
    }
}

/// What a pass found and did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PassReport {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// The inventories the pass compared.
    pub snapshot: InventorySnapshot,
    /// The planner's events and steps.
    pub plan: Plan,
    /// Steps carried out.
    pub steps_applied: usize,
    /// Steps that could not be carried out, with the reason; the events they were for stay
    /// open.
    pub steps_failed: Vec<StepFailure>,
    /// Company creations of an interrupted earlier run whose association this pass finished.
    pub recovered: usize,
    /// Whether the pass stopped early because a shutdown was requested.
    pub interrupted: bool,
    /// The vendor writes the applied steps made.
    pub writes: WriteCounts,
}

enum StepOutcome {
    Applied(WriteCounts),
    Failed(StepFailure),
}

/// A step the pass could not carry out.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct StepFailure {
    /// Why the step was planned.
    pub reason: StepReason,
    /// What went wrong.
    pub message: String,
}

impl GravityZoneSync {
    /// Runs one inventory sync pass for `tenant`.
    ///
    /// The pass takes the tenant's lease (another pass running elsewhere makes it fail with
    /// [`GravityZoneSyncError::Busy`]), records a run (`Syncing…`, then `OK` or
    /// `Failed: …`), finishes what an interrupted earlier run left in the journal, fetches
    /// both inventories completely (a failed page fails the pass before any action), plans,
    /// records the events, and runs the automatic steps the settings allow. A dry run only
    /// fetches and plans.
    ///
    /// Credentials a vendor refuses are recorded as invalid, and the tenant's passes then fail
    /// with [`GravityZoneSyncError::CredentialsInvalid`] without calling any vendor until new
    /// credentials are saved with [`GravityZoneSync::connect`].
    pub async fn run_pass(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        options: PassOptions,
    ) -> Result<PassReport, GravityZoneSyncError> {
        let span = tracing::info_span!("gravityzone_pass", %tenant, dry_run = options.dry_run);
        async {
            let view = self.view(tenant).await?;
            self.check_usable(&view, connection)?;
            if options.dry_run {
                return self.plan_only(tenant, connection).await;
            }
            self.with_lease(tenant, || self.recorded_pass(tenant, connection, &options))
                .await
        }
        .instrument(span)
        .await
    }

    async fn plan_only(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
    ) -> Result<PassReport, GravityZoneSyncError> {
        let result = self.fetch_and_plan(tenant, connection).await;
        if let Err(e) = &result {
            self.note_refusal(tenant, connection, e).await;
        }
        let (snapshot, plan) = result?;
        Ok(PassReport {
            dry_run: true,
            snapshot,
            plan,
            steps_applied: 0,
            steps_failed: Vec::new(),
            recovered: 0,
            interrupted: false,
            writes: WriteCounts::default(),
        })
    }

    async fn recorded_pass(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        options: &PassOptions,
    ) -> Result<PassReport, GravityZoneSyncError> {
        let run = self
            .store
            .start_run(tenant, Flow::GravityZone, self.clock.now())
            .await?;
        let result = self.apply_pass(tenant, connection, options).await;
        let (outcome, counts) = match &result {
            Ok(report) => (RunOutcome::Ok, report_counts(report)),
            Err(e) => {
                self.note_refusal(tenant, connection, e).await;
                (
                    RunOutcome::Failed {
                        reason: e.to_string(),
                    },
                    RunCounts::new(),
                )
            }
        };
        if let Err(e) = self
            .store
            .finish_run(tenant, run.id, outcome, &counts, self.clock.now())
            .await
        {
            tracing::error!(%tenant, error = %e, "could not record the end of the run");
        }
        match &result {
            Ok(report) => tracing::info!(
                %tenant,
                events = report.plan.events.len(),
                steps_applied = report.steps_applied,
                steps_failed = report.steps_failed.len(),
                "pass finished"
            ),
            Err(e) => tracing::warn!(%tenant, error = %e, "pass failed"),
        }
        result
    }

    async fn apply_pass(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        options: &PassOptions,
    ) -> Result<PassReport, GravityZoneSyncError> {
        let associations = self.view(tenant).await?.stored.associations;
        let snapshot = self
            .fetch_snapshot(tenant, connection, &associations)
            .await?;
        let recovered = self
            .recover(tenant, connection, &snapshot)
            .instrument(tracing::info_span!("recover"))
            .await?;
        let plan = self.plan_against(tenant, &snapshot).await?;
        let mut report = PassReport {
            dry_run: false,
            snapshot,
            plan,
            steps_applied: 0,
            steps_failed: Vec::new(),
            recovered,
            interrupted: false,
            writes: WriteCounts::default(),
        };
        self.record_events(tenant, &report.plan)
            .instrument(tracing::info_span!("record_events"))
            .await?;
        self.remember_names(tenant, &report.snapshot).await?;
        let steps = report.plan.steps.clone();
        for step in &steps {
            if options.shutdown_requested() {
                tracing::info!(%tenant, "shutdown requested: stopping before the next step");
                report.interrupted = true;
                break;
            }
            self.renew_lease(tenant).await?;
            match self
                .run_step(tenant, connection, &report.plan, step)
                .instrument(tracing::info_span!("step", reason = ?step.reason))
                .await?
            {
                StepOutcome::Applied(counts) => {
                    report.steps_applied += 1;
                    report.writes.add(counts);
                }
                StepOutcome::Failed(failure) => report.steps_failed.push(failure),
            }
        }
        Ok(report)
    }

    /// Fetches both inventories and plans against the stored state.
    pub(crate) async fn fetch_and_plan(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
    ) -> Result<(InventorySnapshot, Plan), GravityZoneSyncError> {
        let associations = self.view(tenant).await?.stored.associations;
        let snapshot = self
            .fetch_snapshot(tenant, connection, &associations)
            .await?;
        let plan = self.plan_against(tenant, &snapshot).await?;
        Ok((snapshot, plan))
    }

    /// Plans against the tenant's stored state as it is now.
    async fn plan_against(
        &self,
        tenant: &TenantId,
        snapshot: &InventorySnapshot,
    ) -> Result<Plan, GravityZoneSyncError> {
        let view = self.view(tenant).await?;
        let plan = plan(snapshot, &view.stored, &view.settings, self.now_ms());
        tracing::info!(
            events = plan.events.len(),
            closed = plan.closed.len(),
            steps = plan.steps.len(),
            "planned"
        );
        Ok(plan)
    }

    /// Both inventories, complete, after checking the Datto RMM credentials belong to the
    /// tenant's account.
    pub(crate) async fn fetch_snapshot(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        associations: &[sync_core::gravityzone::Association],
    ) -> Result<InventorySnapshot, GravityZoneSyncError> {
        async {
            let account = connection.datto.account_uid().await?;
            if account != tenant.account_uid() {
                return Err(GravityZoneSyncError::WrongAccount {
                    expected: tenant.account_uid().to_owned(),
                    found: account,
                });
            }
            Ok(inventory::fetch(
                connection.datto.as_ref(),
                connection.gravityzone.as_ref(),
                associations,
            )
            .await?)
        }
        .instrument(tracing::info_span!("fetch_inventories"))
        .await
    }

    async fn record_events(
        &self,
        tenant: &TenantId,
        plan: &Plan,
    ) -> Result<(), GravityZoneSyncError> {
        let edits: Vec<StateEdit> = plan
            .events
            .iter()
            .chain(plan.closed.iter())
            .map(|event| StateEdit::RecordEvent {
                event: event.clone(),
                changed_by: ChangedBy::Sync,
            })
            .collect();
        self.commit(tenant, &edits).await?;
        Ok(())
    }

    /// Stores the names the pass saw for the associated sites and companies where they differ
    /// from the remembered ones, so a site or company deleted later is shown under its latest
    /// name. An association changed meanwhile (deleted or re-made by a user) is left as it is.
    async fn remember_names(
        &self,
        tenant: &TenantId,
        snapshot: &InventorySnapshot,
    ) -> Result<(), GravityZoneSyncError> {
        let renamed = self.view(tenant).await?.stored.renamed_since(snapshot);
        if renamed.is_empty() {
            return Ok(());
        }
        tracing::info!(associations = renamed.len(), "remembering the names seen");
        let edits: Vec<StateEdit> = renamed.into_iter().map(StateEdit::RememberNames).collect();
        match self.commit(tenant, &edits).await {
            Err(GravityZoneSyncError::Store(StoreError::NotFound { .. })) => {
                tracing::warn!(%tenant, "an association changed meanwhile: names not refreshed");
                Ok(())
            }
            other => other,
        }
    }

    /// Runs one step; a failure the pass survives (a refused name, a vendor error on one
    /// company) is an outcome, the others (refused credentials, the store) are errors.
    async fn run_step(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        plan: &Plan,
        step: &Step,
    ) -> Result<StepOutcome, GravityZoneSyncError> {
        let executor = self.executor(tenant, connection, ChangedBy::Sync, method_of(&step.reason));
        match executor.run(&step.actions).await {
            Ok(applied) => {
                let mut edits = applied.edits;
                if let StepReason::Event { event, action } = &step.reason {
                    let resolved = plan
                        .events
                        .iter()
                        .find(|e| &e.id == event)
                        .map(|e| e.resolve(action.clone(), Actor::Automatic, self.now_ms()));
                    match resolved {
                        Some(Ok(resolved)) => edits.push(StateEdit::RecordEvent {
                            event: resolved,
                            changed_by: ChangedBy::Sync,
                        }),
                        Some(Err(e)) => tracing::warn!(error = %e, "event not resolvable"),
                        None => tracing::warn!(?event, "step for an event the plan does not list"),
                    }
                }
                self.commit(tenant, &edits).await?;
                executor.forget(&applied.journal_keys, false).await?;
                Ok(StepOutcome::Applied(applied.counts))
            }
            Err(stopped) => {
                executor.forget(&stopped.applied.journal_keys, true).await?;
                let Stopped { action, error, .. } = *stopped;
                let message = error.to_string();
                match error {
                    ExecError::Store(e) => return Err(e.into()),
                    ExecError::Vendor(e) if e.is_unauthorized() => return Err(e.into()),
                    ExecError::Vendor(e) if e.is_company_name_taken() => {
                        if let Action::CreateCompany { name, .. } = &action {
                            self.destination_creation_refused(tenant, &step.actions, name)
                                .await?;
                        }
                    }
                    _ => {}
                }
                tracing::warn!(reason = ?step.reason, %message, "step failed");
                Ok(StepOutcome::Failed(StepFailure {
                    reason: step.reason.clone(),
                    message,
                }))
            }
        }
    }

    /// GravityZone refused a company name the flow thought free (a company of another tenant
    /// has it): a destination-creation event of the site the `actions` associate asks the user
    /// for another name. Returns the event stored, `None` when the actions associate no site.
    pub(super) async fn destination_creation_refused(
        &self,
        tenant: &TenantId,
        actions: &[Action],
        name: &str,
    ) -> Result<Option<Event>, GravityZoneSyncError> {
        let Some((site, site_name)) = actions.iter().find_map(|a| match a {
            Action::Associate {
                site, site_name, ..
            } => Some((site.clone(), site_name.clone())),
            _ => None,
        }) else {
            return Ok(None);
        };
        let event =
            Event::destination_creation(site, Some(site_name), name.to_owned(), self.now_ms());
        tracing::info!(event = ?event.id, name, "company name taken elsewhere in GravityZone");
        self.commit(
            tenant,
            &[StateEdit::RecordEvent {
                event: event.clone(),
                changed_by: ChangedBy::Sync,
            }],
        )
        .await?;
        Ok(Some(event))
    }
}

/// How the associations a step makes with existing companies came about.
fn method_of(reason: &StepReason) -> AssociationMethod {
    match reason {
        StepReason::Event { event, .. }
            if event.kind == EventKind::PrefixBasedAssociationMissing =>
        {
            AssociationMethod::MatchedByPrefixedName
        }
        StepReason::Event { event, .. } if event.kind == EventKind::AssociationMissing => {
            AssociationMethod::MatchedByName
        }
        StepReason::NewCompany { .. } => AssociationMethod::CreatedCompany,
        _ => AssociationMethod::MappedToExisting,
    }
}

/// The run's counts, by name.
fn report_counts(report: &PassReport) -> RunCounts {
    let mut counts = RunCounts::new();
    let managed = report.snapshot.managed_sites().count();
    let mut put = |name: &str, value: usize| {
        counts.insert(name.to_owned(), u64::try_from(value).unwrap_or(u64::MAX));
    };
    put("sites", report.snapshot.sites.len());
    put("managed_sites", managed);
    put("companies", report.snapshot.companies.len());
    put("events_open", report.plan.events.len());
    put("events_closed", report.plan.closed.len());
    put("steps_applied", report.steps_applied);
    put("steps_failed", report.steps_failed.len());
    put("recovered", report.recovered);
    let writes = report.writes;
    for (name, value) in [
        ("companies_created", writes.companies_created),
        ("companies_renamed", writes.companies_renamed),
        ("companies_moved", writes.companies_moved),
        ("packages_ensured", writes.packages_ensured),
        ("links_written", writes.links_written),
    ] {
        counts.insert(name.to_owned(), value);
    }
    counts
}
