//! A tenant at a glance ([`Overview`]: its managed sites, associations by how they were made,
//! installation links and open events, by name) and resolving every open event in one call
//! ([`GravityZoneSync::resolve_open_events`], each with the action a caller picks, for example
//! [`EventView::cautious_action`]).

use std::collections::BTreeMap;

use serde::Serialize;
use sync_core::gravityzone::{ActionRole, Event, EventAction, EventActionKind};
use sync_store::TenantId;

use super::approval::Approval;
use super::choice::choose_event_action;
use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::events::{EventView, Resolved};
use super::names::Names;
use super::report::{AssociationRow, EventRow};
use super::sync::GravityZoneSync;

/// A tenant at a glance, every site and company by name: what a dashboard shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Overview {
    /// Managed Datto RMM sites (OnDemand and system sites left out).
    pub managed_sites: usize,
    /// How many associations were made each way, by [`AssociationRow::method`].
    pub associations_by_method: BTreeMap<&'static str, usize>,
    /// The associations by site name, with their companies' names and installation links.
    pub associations: Vec<AssociationRow>,
    /// The open events, oldest first.
    pub open_events: Vec<EventRow>,
}

impl Overview {
    /// The overview as lines a person reads: the counts, the associations by how they were
    /// made, each association with its installation link, the open events.
    ///
    /// ```
    /// use sync_engine::gravityzone::Overview;
    ///
    /// let lines = Overview::default().lines();
    /// assert_eq!(lines[0], "0 managed sites, 0 paired with a company:");
    /// ```
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{} managed sites, {} paired with a company:",
            self.managed_sites,
            self.associations.len()
        )];
        let mut by_how: BTreeMap<&str, usize> = BTreeMap::new();
        for row in &self.associations {
            *by_how.entry(row.how).or_default() += 1;
        }
        lines.extend(by_how.iter().map(|(how, n)| format!("  {n:>3}  {how}")));
        lines.push(
            "Associations and their installation links (site variable GravityZonePackageLink):"
                .to_owned(),
        );
        for row in &self.associations {
            let site = row
                .site_name
                .clone()
                .unwrap_or_else(|| row.site.to_string());
            let company = row
                .company_name
                .clone()
                .unwrap_or_else(|| row.company.to_string());
            let to = if site == company {
                String::new()
            } else {
                format!(" → {company:?}")
            };
            let link = row.package_link.as_deref().unwrap_or("(no link)");
            lines.push(format!("  {site:?}{to}  {link}"));
        }
        if !self.open_events.is_empty() {
            lines.push("Open events:".to_owned());
        }
        for event in &self.open_events {
            lines.push(format!("  {}: {}", event.event_type, event.about()));
        }
        lines
    }
}

impl EventRow {
    /// The event's site and company by name: `site "Hamburg" / company "Northwind GmbH"`, or
    /// `site "Hamburg"` when it names no company.
    pub fn about(&self) -> String {
        match self.destination.as_str() {
            "" => format!("site {:?}", self.source),
            company => format!("site {:?} / company {company:?}", self.source),
        }
    }
}

impl EventView {
    /// The primary action that keeps the most of what exists: the first primary action the
    /// event offers, except that for a deleted site the association alone is deleted and the
    /// company stays (its customer's endpoints may still be in it). `custom_name` names the
    /// company of create-with-custom-name (the event is given to it).
    ///
    /// ```
    /// use sync_core::gravityzone::{CompanyId, Event, EventAction, EventId, EventKind, SiteUid};
    /// use sync_engine::gravityzone::EventView;
    ///
    /// let view = |kind| {
    ///     let id = EventId::new(kind, SiteUid::new("s1"), Some(CompanyId::new("c1")));
    ///     EventView::new(Event::open(id, Some("Hamburg".into()), None, 0))
    /// };
    /// let custom = |e: &Event| format!("{} (ours)", e.site_name.as_deref().unwrap_or(""));
    /// assert_eq!(
    ///     view(EventKind::SourceDeleted).cautious_action(custom),
    ///     Some(EventAction::DeleteAssociation)
    /// );
    /// assert_eq!(
    ///     view(EventKind::DestinationCreation).cautious_action(custom),
    ///     Some(EventAction::CreateWithCustomName { name: "Hamburg (ours)".into() })
    /// );
    /// assert_eq!(view(EventKind::DestinationMoved).cautious_action(custom), Some(EventAction::MoveBack));
    /// ```
    pub fn cautious_action(
        &self,
        custom_name: impl FnOnce(&Event) -> String,
    ) -> Option<EventAction> {
        let primaries = || {
            self.actions
                .iter()
                .filter(|offered| offered.role == ActionRole::Primary)
                .map(|offered| offered.action)
        };
        let kind = primaries()
            .find(|kind| *kind != EventActionKind::DeleteCompanyAndAssociation)
            .or_else(|| primaries().next())?;
        let name =
            (kind == EventActionKind::CreateWithCustomName).then(|| custom_name(&self.event));
        choose_event_action(kind.as_str(), name.as_deref(), false).ok()
    }
}

/// One open event and how it was resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ResolvedEvent {
    /// The event as the events page showed it.
    pub event: EventRow,
    /// The action chosen, as typed: `create-new-company`.
    pub action: &'static str,
    /// What the action did, one line per vendor or store action.
    pub resolved: Resolved,
}

impl ResolvedEvent {
    /// The event (kind, site and company by name), the action, and what it did, indented.
    pub fn lines(&self) -> Vec<String> {
        let event = &self.event;
        let mut lines = vec![
            format!("  {}: {}", event.event_type, event.about()),
            format!("    → {}", self.action),
        ];
        lines.extend(
            self.resolved
                .lines
                .iter()
                .map(|did| format!("        {did}")),
        );
        lines
    }
}

impl GravityZoneSync {
    /// The tenant at a glance: fetches both inventories for the names (the companies page), and
    /// reads the associations and open events from the store.
    pub async fn overview(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
    ) -> Result<Overview, GravityZoneSyncError> {
        let page = self.companies_page(tenant, connection).await?;
        let names = Names::from_page(&page);
        let mut overview = Overview {
            managed_sites: page.sites.len(),
            ..Overview::default()
        };
        for record in self.associations(tenant).await? {
            let method = record.method.as_str();
            *overview.associations_by_method.entry(method).or_default() += 1;
            overview
                .associations
                .push(AssociationRow::new(&record, &names));
        }
        let by_site = |row: &AssociationRow| (row.site_name.clone(), row.site.clone());
        overview.associations.sort_by_key(by_site);
        let open = self.events(tenant).await?;
        overview.open_events = open.iter().map(EventRow::new).collect();
        Ok(overview)
    }

    /// Resolves every open event, oldest first, with the action `choose` picks for it (`None`
    /// leaves it open): each is one [`resolve_event`](Self::resolve_event), under the tenant's
    /// lease, through the journal. Stops at the first resolution that fails; those before it
    /// stay resolved.
    pub async fn resolve_open_events(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        user: &str,
        mut choose: impl FnMut(&EventView) -> Option<EventAction>,
    ) -> Result<Vec<ResolvedEvent>, GravityZoneSyncError> {
        let mut done = Vec::new();
        for view in self.events(tenant).await? {
            let Some(action) = choose(&view) else {
                continue;
            };
            let kind = action.kind().as_str();
            let id = &view.event.id;
            let resolved = self
                .resolve_event(tenant, connection, user, id, action, Approval::Apply)
                .await?;
            done.push(ResolvedEvent {
                event: EventRow::new(&view),
                action: kind,
                resolved,
            });
        }
        Ok(done)
    }
}
