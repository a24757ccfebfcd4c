//! The demo's Datto RMM ↔ GravityZone part: a first automatic sync, then the vendors change
//! behind the sync's back, a second sync reports it, and each event is resolved with its
//! primary action.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use msp_fakes::scenario::MspFakes;
use serde::Serialize;
use sync_core::gravityzone::{
    ActionRole, EventActionKind, EventHandling, PrefixCreation, Settings, SyncLevel,
};
use sync_engine::gravityzone::{
    Approval, AssociationRow, DattoCredentials, EventRow, EventView, GravityZoneCredentials,
    GravityZoneSync, Names, PassOptions, Resolved, TenantConnection, choose_event_action,
};
use sync_store::{Store, TenantId};

use crate::DemoError;

/// One event of the second sync and how it was resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ResolvedEvent {
    /// The event as the events page showed it.
    pub event: EventRow,
    /// The primary action chosen (`create-new-company`, …).
    pub action: &'static str,
    /// What the action did, one line per vendor or store action.
    pub resolved: Resolved,
}

/// What the GravityZone part found and did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GravityZoneReport {
    /// Managed Datto RMM sites.
    pub managed_sites: usize,
    /// Associations by method after the first sync.
    pub associations_by_method: BTreeMap<&'static str, usize>,
    /// The associations after the first sync, by site name.
    pub associations: Vec<AssociationRow>,
    /// Events the first sync left open (they need a person).
    pub open_after_first_sync: Vec<EventRow>,
    /// What was changed in the vendors before the second sync.
    pub changes: Vec<String>,
    /// Events of the second sync, with their resolution.
    pub events: Vec<ResolvedEvent>,
    /// Events still open after the third sync.
    pub open_at_the_end: usize,
}

/// Runs the part against the fakes and the store.
pub async fn run(fakes: &MspFakes, store: Arc<dyn Store>) -> Result<GravityZoneReport, DemoError> {
    let endpoints = fakes.endpoints();
    let connection = TenantConnection::from_credentials(
        &DattoCredentials::new(
            endpoints.datto_api_url.as_str(),
            endpoints.datto_api_key.as_str(),
            endpoints.datto_api_secret.as_str(),
        ),
        &GravityZoneCredentials::new(
            endpoints.gravityzone_access_url.as_str(),
            endpoints.gravityzone_api_key.as_str(),
        ),
    )?;
    let sync = GravityZoneSync::new(store).with_worker("demo");
    let tenant = sync.connect(&connection).await?;

    let mut settings = Settings {
        level: SyncLevel::AutomaticInventorySync,
        handling: EventHandling::Automatic,
        ..Settings::default()
    };
    settings.prefix.text = "MSP".to_owned();
    settings.prefix.use_for_association = true;
    settings.prefix.use_for_creation = PrefixCreation::Never;
    sync.update_settings(&tenant, &settings).await?;

    let mut report = GravityZoneReport::default();
    let first = sync
        .run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    report.managed_sites = first.snapshot.managed_sites().count();
    let names = Names::from_page(&sync.companies_page(&tenant, &connection).await?);
    for record in sync.associations(&tenant).await? {
        *report
            .associations_by_method
            .entry(record.method.as_str())
            .or_default() += 1;
        report
            .associations
            .push(AssociationRow::new(&record, &names));
    }
    report
        .associations
        .sort_by(|a, b| a.site_name.cmp(&b.site_name));
    let open = sync.events(&tenant).await?;
    report.open_after_first_sync = open.iter().map(EventRow::new).collect();

    report.changes = change_the_vendors(fakes, &sync, &tenant).await?;

    settings.handling = EventHandling::Manual;
    sync.update_settings(&tenant, &settings).await?;
    sync.run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    for view in sync.events(&tenant).await? {
        report
            .events
            .push(resolve(&sync, &tenant, &connection, &view).await?);
    }
    sync.run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    report.open_at_the_end = sync.events(&tenant).await?.len();
    Ok(report)
}

fn company_name(fakes: &MspFakes, id: &str) -> String {
    fakes
        .gravityzone
        .company(id)
        .map(|c| c.name)
        .unwrap_or_else(|| id.to_owned())
}

/// Deletes one associated company, moves another under the reseller partner, deletes an
/// associated site in Datto RMM: what people do in the consoles between two syncs.
async fn change_the_vendors(
    fakes: &MspFakes,
    sync: &GravityZoneSync,
    tenant: &TenantId,
) -> Result<Vec<String>, DemoError> {
    let associations = sync.associations(tenant).await?;
    let mut picks = associations
        .iter()
        .filter(|r| fakes.gravityzone.company(r.company().as_str()).is_some());
    let mut changes = Vec::new();
    if let Some(deleted) = picks.next() {
        let name = company_name(fakes, deleted.company().as_str());
        fakes.gravityzone.remove_company(deleted.company().as_str());
        changes.push(format!("GravityZone: company {name:?} deleted"));
    }
    if let (Some(moved), Some(reseller)) = (picks.next(), &fakes.gravityzone_planted.reseller_id) {
        let name = company_name(fakes, moved.company().as_str());
        fakes
            .gravityzone
            .set_parent(moved.company().as_str(), reseller);
        changes.push(format!(
            "GravityZone: company {name:?} moved under the partner {:?}",
            company_name(fakes, reseller)
        ));
    }
    if let Some(site) = picks.next() {
        let name = fakes
            .datto
            .site(site.site().as_str())
            .map(|s| s.name)
            .unwrap_or_default();
        fakes.datto.remove_site(site.site().as_str());
        changes.push(format!("Datto RMM: site {name:?} deleted"));
    }
    Ok(changes)
}

/// Resolves an event with a primary action (a custom name where the action needs one).
async fn resolve(
    sync: &GravityZoneSync,
    tenant: &TenantId,
    connection: &TenantConnection,
    view: &EventView,
) -> Result<ResolvedEvent, DemoError> {
    let event = EventRow::new(view);
    // The first primary action; for a deleted site the demo keeps the company (its customer's
    // endpoints may still be in it) and deletes only the association: the document's other
    // primary action.
    let primaries = || {
        view.actions
            .iter()
            .filter(|a| a.role == ActionRole::Primary)
            .map(|a| a.action)
    };
    let primary = primaries()
        .find(|kind| *kind != EventActionKind::DeleteCompanyAndAssociation)
        .or_else(|| primaries().next())
        .ok_or_else(|| {
            DemoError::new(format!("the event of {:?} offers no action", event.source))
        })?;
    let custom = (primary == EventActionKind::CreateWithCustomName)
        .then(|| format!("{} (MSP client)", event.source));
    let action = choose_event_action(primary.as_str(), custom.as_deref(), false)
        .map_err(|e| DemoError::new(e.to_string()))?;
    let id = &view.event.id;
    let resolved = sync
        .resolve_event(tenant, connection, "demo", id, action, Approval::Apply)
        .await?;
    Ok(ResolvedEvent {
        event,
        action: primary.as_str(),
        resolved,
    })
}

fn method_words(method: &str) -> &str {
    match method {
        "matched_by_name" => "a free company of the site's name",
        "matched_by_prefixed_name" => "a free company named \"MSP <site>\"",
        "created_company" => "a company created for the site",
        "mapped_to_existing" => "mapped by hand",
        other => other,
    }
}

/// `site "Hamburg" / company "Northwind"`.
fn about(event: &EventRow) -> String {
    match &event.destination {
        company if company.is_empty() => format!("site {:?}", event.source),
        company => format!("site {:?} / company {company:?}", event.source),
    }
}

/// The GravityZone part of the report as text.
pub fn render(out: &mut String, gz: &GravityZoneReport) {
    let _ = writeln!(out, "== Datto RMM ↔ GravityZone ==");
    let _ = writeln!(
        out,
        "Settings: automatic inventory sync, automatic event handling, prefix \"MSP\" used to find companies."
    );
    let _ = writeln!(
        out,
        "First sync: {} managed sites, {} now paired with a company:",
        gz.managed_sites,
        gz.associations.len()
    );
    for (method, count) in &gz.associations_by_method {
        let _ = writeln!(out, "  {count:>3}  {}", method_words(method));
    }
    let _ = writeln!(
        out,
        "Associations and their installation links (site variable GravityZonePackageLink):"
    );
    for line in &gz.associations {
        let site = line.site_name.as_deref().unwrap_or(line.site.as_str());
        let company = line
            .company_name
            .as_deref()
            .unwrap_or(line.company.as_str());
        let same = if site == company {
            String::new()
        } else {
            format!(" → {company:?}")
        };
        let _ = writeln!(
            out,
            "  {site:?}{same}  {}",
            line.package_link.as_deref().unwrap_or("(no link)")
        );
    }
    if !gz.open_after_first_sync.is_empty() {
        let _ = writeln!(out, "Left for a person (no automatic action fits):");
        for event in &gz.open_after_first_sync {
            let _ = writeln!(out, "  {}: {}", event.event_type, about(event));
        }
    }
    let _ = writeln!(out, "\nMeanwhile, in the consoles:");
    for change in &gz.changes {
        let _ = writeln!(out, "  {change}");
    }
    let _ = writeln!(
        out,
        "Second sync (event handling now manual): {} open event(s), each resolved with its primary action:",
        gz.events.len()
    );
    for line in &gz.events {
        let event = &line.event;
        let _ = writeln!(out, "  {}: {}", event.event_type, about(event));
        let _ = writeln!(out, "    → {}", line.action);
        for did in &line.resolved.lines {
            let _ = writeln!(out, "        {did}");
        }
    }
    let _ = writeln!(out, "Third sync: {} open event(s).", gz.open_at_the_end);
}
