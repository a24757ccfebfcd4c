//! Events: listing the open ones with their actions, ignoring one, resolving one with a
//! primary or secondary action.

use sync_core::gravityzone::{
    Action, Actor, Event, EventAction, EventId, EventKind, OfferedAction, resolve,
};
use sync_store::{AssociationMethod, AssociationRecord, ChangedBy, EventRecord, TenantId};
use tracing::Instrument;

use super::approval::Approval;
use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::executor::{ExecError, Stopped, WriteCounts};
use super::names::Names;
use super::state::StateEdit;
use super::sync::GravityZoneSync;

/// An open event as the events page shows it: kind, source site, destination company,
/// generation time, and the actions that resolve it (primary first).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct EventView {
    /// The event's short reference ([`EventId::short_ref`]): what a person types to name it.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The event.
    pub event: Event,
    /// The actions its kind offers, with their roles.
    pub actions: Vec<OfferedAction>,
}

/// The concrete actions an event action comes to, as [`Approval::Ask`] is shown them: each
/// action and the line that says what it does, sites and companies by name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ResolvePlan {
    /// The event's short reference.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The event's kind and the action chosen, in words: `the destination-moved event of site
    /// "Hamburg" with move-back`.
    pub title: String,
    /// The concrete actions, in order.
    pub actions: Vec<Action>,
    /// One line per action ([`Names::action`]).
    pub lines: Vec<String>,
}

/// What resolving an event did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct Resolved {
    /// Whether nothing was written: a preview, or actions the approval declined.
    pub dry_run: bool,
    /// Whether the approval callback declined the actions (nothing was written; the event
    /// stays open).
    pub declined: bool,
    /// The event's short reference.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The event, the action and the site in words (see [`ResolvePlan::title`]).
    pub title: String,
    /// The concrete actions of the chosen action, in order.
    pub actions: Vec<Action>,
    /// One line per action, sites and companies by name.
    pub lines: Vec<String>,
    /// The vendor writes made.
    pub writes: WriteCounts,
}

impl EventView {
    /// The view of an open event: its reference and the actions its kind offers.
    pub fn new(event: Event) -> Self {
        Self {
            reference: event.id.short_ref(),
            actions: event.kind().offered_actions().to_vec(),
            event,
        }
    }
}

impl ResolvePlan {
    /// The plan as a person reads it before approving it: `Confirmation list: resolve <title>:`,
    /// then one line per action.
    pub fn confirmation_lines(&self) -> Vec<String> {
        confirmation_lines(&self.title, &self.lines)
    }
}

fn confirmation_lines(title: &str, actions: &[String]) -> Vec<String> {
    let mut lines = vec![format!("Confirmation list: resolve {title}:")];
    lines.extend(actions.iter().map(|line| format!("  - {line}")));
    lines
}

impl Resolved {
    /// What resolving did, as lines a person reads: for a preview the confirmation list and
    /// `Dry run: nothing was changed.`; for declined actions `Nothing was changed.`; else
    /// `Resolved <title>.`.
    pub fn lines(&self) -> Vec<String> {
        if self.declined {
            vec!["Nothing was changed.".to_owned()]
        } else if self.dry_run {
            let mut lines = confirmation_lines(&self.title, &self.lines);
            lines.push("Dry run: nothing was changed.".to_owned());
            lines
        } else {
            vec![format!("Resolved {}.", self.title)]
        }
    }

    fn new(plan: ResolvePlan, dry_run: bool, declined: bool, writes: WriteCounts) -> Self {
        Self {
            dry_run,
            declined,
            reference: plan.reference,
            title: plan.title,
            actions: plan.actions,
            lines: plan.lines,
            writes,
        }
    }

    fn unapplied(plan: ResolvePlan, declined: bool) -> Self {
        Self::new(plan, true, declined, WriteCounts::default())
    }
}

impl GravityZoneSync {
    /// The tenant's open events, oldest first.
    pub async fn events(&self, tenant: &TenantId) -> Result<Vec<EventView>, GravityZoneSyncError> {
        let mut open: Vec<Event> = self
            .view(tenant)
            .await?
            .stored
            .events
            .into_iter()
            .filter(Event::is_open)
            .collect();
        open.sort_by(|a, b| (a.generated_at_ms, &a.id).cmp(&(b.generated_at_ms, &b.id)));
        Ok(open.into_iter().map(EventView::new).collect())
    }

    /// Every event the tenant has had (open, ignored and resolved) with the states each went
    /// through, who changed them and when.
    pub async fn event_history(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<EventRecord>, GravityZoneSyncError> {
        Ok(self.view(tenant).await?.records.events)
    }

    /// The tenant's associations with how, when and by whom each was made, and its package.
    pub async fn associations(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<AssociationRecord>, GravityZoneSyncError> {
        Ok(self.view(tenant).await?.records.associations)
    }

    /// Hides this occurrence of an open event. While the discrepancy lasts, the next pass
    /// raises the event again.
    pub async fn ignore_event(
        &self,
        tenant: &TenantId,
        user: &str,
        id: &EventId,
    ) -> Result<Event, GravityZoneSyncError> {
        let event = self.open_event(tenant, id).await?;
        let ignored = event
            .ignore(self.now_ms())
            .map_err(sync_core::gravityzone::ResolveError::from)?;
        self.commit(
            tenant,
            &[StateEdit::RecordEvent {
                event: ignored.clone(),
                changed_by: ChangedBy::user(user),
            }],
        )
        .await?;
        tracing::info!(%tenant, event = ?id, "event ignored");
        Ok(ignored)
    }

    /// Resolves an open event with one of the actions its kind offers (primary or secondary;
    /// custom names where the action takes one). The concrete actions are computed and, as
    /// `approval` says, run in this one call under the tenant's lease ([`Approval::Ask`] sees
    /// them first), through the journal; the event is marked resolved once they all
    /// succeeded, and stays open otherwise. A preview returns the actions without running
    /// them. `user` names who chose the action in the event's history.
    pub async fn resolve_event(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        id: &EventId,
        action: EventAction,
        approval: Approval<'_, ResolvePlan>,
    ) -> Result<Resolved, GravityZoneSyncError> {
        let dry_run = approval.is_preview();
        let span = tracing::info_span!("gravityzone_resolve", %tenant, event = ?id, dry_run);
        async {
            let view = self.view(tenant).await?;
            self.check_usable(&view, connection)?;
            if dry_run {
                let plan = self.actions_for(tenant, connection, id, &action).await?.1;
                return Ok(Resolved::unapplied(plan, false));
            }
            let result = self
                .with_lease(tenant, || {
                    self.resolve_now(tenant, connection, user, id, action, approval)
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

    async fn resolve_now(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        id: &EventId,
        action: EventAction,
        mut approval: Approval<'_, ResolvePlan>,
    ) -> Result<Resolved, GravityZoneSyncError> {
        let (event, plan) = self.actions_for(tenant, connection, id, &action).await?;
        if !approval.approves(&plan) {
            return Ok(Resolved::unapplied(plan, true));
        }
        let method = match event.kind() {
            EventKind::PrefixBasedAssociationMissing => AssociationMethod::MatchedByPrefixedName,
            EventKind::AssociationMissing => AssociationMethod::MatchedByName,
            _ => AssociationMethod::MappedToExisting,
        };
        let executor = self.executor(tenant, connection, ChangedBy::user(user), method);
        match executor.run(&plan.actions).await {
            Ok(applied) => {
                let resolved = event
                    .resolve(action, Actor::User, self.now_ms())
                    .map_err(sync_core::gravityzone::ResolveError::from)?;
                let mut edits = applied.edits;
                edits.push(StateEdit::RecordEvent {
                    event: resolved,
                    changed_by: ChangedBy::user(user),
                });
                self.commit(tenant, &edits).await?;
                executor.forget(&applied.journal_keys, false).await?;
                tracing::info!(%tenant, event = ?id, "event resolved");
                Ok(Resolved::new(plan, false, false, applied.counts))
            }
            Err(stopped) => {
                executor.forget(&stopped.applied.journal_keys, true).await?;
                let Stopped { error, .. } = *stopped;
                Err(error.into())
            }
        }
    }

    /// The open event `id` and the concrete actions of `action` for it, against freshly
    /// fetched inventories, named by the inventories' names (else those the event remembers).
    async fn actions_for(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        id: &EventId,
        action: &EventAction,
    ) -> Result<(Event, ResolvePlan), GravityZoneSyncError> {
        let event = self.open_event(tenant, id).await?;
        let view = self.view(tenant).await?;
        let mut snapshot = self
            .fetch_snapshot(tenant, connection, &view.stored.associations)
            .await?;
        // Deleting a company is decided on how many endpoints it still holds.
        if let (EventAction::DeleteCompanyAndAssociation { .. }, Some(company)) =
            (action, &event.id.company)
            && snapshot.company(company).is_some()
        {
            let count = connection.gravityzone.endpoint_count(company).await?;
            snapshot = snapshot.with_endpoint_count(company.clone(), count);
        }
        let names = Names::from_snapshot(&snapshot).with_event(&event);
        let actions = resolve(&event, action, &snapshot, &view.stored, &view.settings)?;
        let plan = ResolvePlan {
            reference: event.id.short_ref(),
            title: format!(
                "the {} event of {} with {}",
                event.id.kind,
                names.site(&event.id.site),
                action.kind().as_str()
            ),
            lines: names.actions(&actions),
            actions,
        };
        Ok((event, plan))
    }

    async fn open_event(
        &self,
        tenant: &TenantId,
        id: &EventId,
    ) -> Result<Event, GravityZoneSyncError> {
        self.view(tenant)
            .await?
            .stored
            .events
            .into_iter()
            .find(|e| &e.id == id && e.is_open())
            .ok_or_else(|| GravityZoneSyncError::EventNotFound(id.clone()))
    }
}

impl From<ExecError> for GravityZoneSyncError {
    fn from(error: ExecError) -> Self {
        match error {
            ExecError::Vendor(e) => GravityZoneSyncError::Vendor(e),
            ExecError::Store(e) => GravityZoneSyncError::Store(e),
            other => GravityZoneSyncError::ActionFailed(other.to_string()),
        }
    }
}
