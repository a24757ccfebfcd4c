//! The demo's Datto RMM ↔ GravityZone part: a first automatic sync, then the vendors change
//! behind the sync's back, a second sync reports it, and each event is resolved with its
//! primary action.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use msp_fakes::scenario::MspFakes;
use serde::Serialize;
use sync_core::gravityzone::{
    ActionRole, EventAction, EventActionKind, EventHandling, PrefixCreation, Settings, SyncLevel,
};
use sync_engine::gravityzone::{
    Approval, DattoCredentials, EventView, GravityZoneCredentials, GravityZoneSync, Names,
    PassOptions, TenantConnection, choose_event_action,
};
use sync_store::{AssociationMethod, Store, TenantId};

use crate::DemoError;

/// One association after the first sync.
#[derive(Debug, Clone, Serialize)]
pub struct AssociationLine {
    /// The site's name.
    pub site: String,
    /// The company's name.
    pub company: String,
    /// How it was made: `matched_by_name`, `matched_by_prefixed_name`, `created_company`, …
    pub method: String,
    /// The installation link written to the site variable `GravityZonePackageLink`.
    pub package_link: Option<String>,
}

/// One event of the second sync and how it was resolved.
#[derive(Debug, Clone, Serialize)]
pub struct EventLine {
    /// The event kind (`destination-deleted`, …).
    pub kind: String,
    /// The site's name.
    pub site: String,
    /// The company's name, when the event names one.
    pub company: Option<String>,
    /// The action chosen (`create-new-company`, …).
    pub action: String,
    /// What the action did, one line per vendor or store action.
    pub did: Vec<String>,
}

/// What the GravityZone part found and did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GravityZoneReport {
    /// Managed Datto RMM sites.
    pub managed_sites: usize,
    /// Associations by method after the first sync.
    pub associations_by_method: BTreeMap<String, usize>,
    /// The associations after the first sync.
    pub associations: Vec<AssociationLine>,
    /// Events the first sync left open (they need a person).
    pub open_after_first_sync: Vec<String>,
    /// What was changed in the vendors before the second sync.
    pub changes: Vec<String>,
    /// Events of the second sync, with their resolution.
    pub events: Vec<EventLine>,
    /// Events still open after the third sync.
    pub open_at_the_end: usize,
}

fn method_name(method: AssociationMethod) -> &'static str {
    method.as_str()
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
    let names = Names::from_snapshot(&first.snapshot);
    for record in sync.associations(&tenant).await? {
        *report
            .associations_by_method
            .entry(method_name(record.method).to_owned())
            .or_default() += 1;
        report.associations.push(AssociationLine {
            site: names
                .site_name(record.site())
                .unwrap_or(record.site().as_str())
                .to_owned(),
            company: company_name(fakes, record.company().as_str()),
            method: method_name(record.method).to_owned(),
            package_link: record.package_link.clone(),
        });
    }
    report.associations.sort_by(|a, b| a.site.cmp(&b.site));
    report.open_after_first_sync = sync
        .events(&tenant)
        .await?
        .iter()
        .map(describe_event)
        .collect();

    report.changes = change_the_vendors(fakes, &sync, &tenant).await?;

    settings.handling = EventHandling::Manual;
    sync.update_settings(&tenant, &settings).await?;
    sync.run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    for view in sync.events(&tenant).await? {
        report
            .events
            .push(resolve(&sync, &tenant, &connection, &view, &names).await?);
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

fn describe_event(view: &EventView) -> String {
    let event = &view.event;
    format!(
        "{}: site {:?}{}",
        event.id.kind.as_str(),
        event.site_name.as_deref().unwrap_or(event.id.site.as_str()),
        event
            .company_name
            .as_ref()
            .map(|c| format!(", company {c:?}"))
            .unwrap_or_default()
    )
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
    known: &Names,
) -> Result<EventLine, DemoError> {
    let event = &view.event;
    // A deleted site or company is named as the first sync saw it.
    let names = Names::default().with_event(event).or(known);
    let site = names
        .site_name(&event.id.site)
        .unwrap_or(event.id.site.as_str())
        .to_owned();
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
        .ok_or_else(|| DemoError::new(format!("the event of {site:?} offers no action")))?;
    let custom = match primary {
        EventActionKind::CreateWithCustomName => Some(format!("{site} (MSP client)")),
        _ => None,
    };
    let action: EventAction = choose_event_action(primary.as_str(), custom.as_deref(), false)
        .map_err(|e| DemoError::new(e.to_string()))?;
    let resolved = sync
        .resolve_event(
            tenant,
            connection,
            "demo",
            &event.id,
            action,
            Approval::Apply,
        )
        .await?;
    let company = event
        .id
        .company
        .as_ref()
        .and_then(|id| names.company_name(id))
        .map(str::to_owned);
    Ok(EventLine {
        kind: event.id.kind.as_str().to_owned(),
        site,
        company,
        action: primary.as_str().to_owned(),
        did: names.actions(&resolved.actions),
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
        let same = if line.site == line.company {
            String::new()
        } else {
            format!(" → {:?}", line.company)
        };
        let _ = writeln!(
            out,
            "  {:?}{same}  {}",
            line.site,
            line.package_link.as_deref().unwrap_or("(no link)")
        );
    }
    if !gz.open_after_first_sync.is_empty() {
        let _ = writeln!(out, "Left for a person (no automatic action fits):");
        for event in &gz.open_after_first_sync {
            let _ = writeln!(out, "  {event}");
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
    for event in &gz.events {
        let company = event
            .company
            .as_ref()
            .map(|c| format!(" / company {c:?}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}: site {:?}{company}\n    → {}",
            event.kind, event.site, event.action
        );
        for did in &event.did {
            let _ = writeln!(out, "        {did}");
        }
    }
    let _ = writeln!(out, "Third sync: {} open event(s).", gz.open_at_the_end);
}
