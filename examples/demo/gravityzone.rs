//! The demo's Datto RMM ↔ GravityZone part: a first automatic sync, then the vendors change
//! behind the sync's back, a second sync reports it, and each event is resolved with its
//! primary action.

use std::fmt::Write as _;
use std::sync::Arc;

use msp_fakes::scenario::MspFakes;
use serde::Serialize;
use sync_core::gravityzone::{Event, EventHandling, PrefixCreation, Settings, SyncLevel};
use sync_engine::gravityzone::{
    AssociationRow, DattoCredentials, EventView, GravityZoneCredentials, GravityZoneSync,
    GravityZoneSyncError, Overview, PassOptions, ResolvedEvent, TenantConnection,
};
use sync_store::Store;

/// What the GravityZone part found and did.
#[derive(Debug, Clone, Serialize)]
pub struct GravityZoneReport {
    /// The tenant after the first sync: its associations by method and by site name, and the
    /// events it left open (they need a person).
    pub first_sync: Overview,
    /// What was changed in the vendors before the second sync.
    pub changes: Vec<String>,
    /// Events of the second sync, with their resolution.
    pub events: Vec<ResolvedEvent>,
    /// Events still open after the third sync.
    pub open_at_the_end: usize,
}

/// Runs the part against the fakes and the store.
pub async fn run(
    fakes: &MspFakes,
    store: Arc<dyn Store>,
) -> Result<GravityZoneReport, GravityZoneSyncError> {
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

    sync.run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    let first_sync = sync.overview(&tenant, &connection).await?;
    let changes = change_the_vendors(fakes, &first_sync.associations);

    settings.handling = EventHandling::Manual;
    sync.update_settings(&tenant, &settings).await?;
    sync.run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    // Each event with its first primary action; for a deleted site the demo keeps the company
    // (its customer's endpoints may still be in it) and deletes only the association.
    let custom = |event: &Event| {
        format!(
            "{} (MSP client)",
            event.site_name.as_deref().unwrap_or("site")
        )
    };
    let choose = |view: &EventView| view.cautious_action(custom);
    let events = sync
        .resolve_open_events(&tenant, &connection, "demo", choose)
        .await?;
    sync.run_pass(&tenant, &connection, PassOptions::apply())
        .await?;
    Ok(GravityZoneReport {
        first_sync,
        changes,
        events,
        open_at_the_end: sync.events(&tenant).await?.len(),
    })
}

/// Deletes one associated company, moves another under the reseller partner, deletes an
/// associated site in Datto RMM: what people do in the consoles between two syncs.
fn change_the_vendors(fakes: &MspFakes, associations: &[AssociationRow]) -> Vec<String> {
    let gz = &fakes.gravityzone;
    let name = |row: &AssociationRow| row.company_name.clone().unwrap_or_default();
    let mut picks = associations
        .iter()
        .filter(|row| gz.company(row.company.as_str()).is_some());
    let mut changes = Vec::new();
    if let Some(deleted) = picks.next() {
        gz.remove_company(deleted.company.as_str());
        changes.push(format!("GravityZone: company {:?} deleted", name(deleted)));
    }
    let reseller = fakes.gravityzone_planted.reseller_id.as_deref();
    if let (Some(moved), Some(reseller)) = (picks.next(), reseller) {
        gz.set_parent(moved.company.as_str(), reseller);
        let partner = gz.company(reseller).map(|c| c.name).unwrap_or_default();
        let moved = name(moved);
        changes.push(format!(
            "GravityZone: company {moved:?} moved under the partner {partner:?}"
        ));
    }
    if let Some(site) = picks.next() {
        fakes.datto.remove_site(site.site.as_str());
        let site_name = site.site_name.clone().unwrap_or_default();
        changes.push(format!("Datto RMM: site {site_name:?} deleted"));
    }
    changes
}

/// The GravityZone part of the report as text.
pub fn render(out: &mut String, gz: &GravityZoneReport) {
    let mut lines = vec![
        "== Datto RMM ↔ GravityZone ==".to_owned(),
        "Settings: automatic inventory sync, automatic event handling, prefix \"MSP\" used to find companies.".to_owned(),
        "After the first sync:".to_owned(),
    ];
    lines.extend(gz.first_sync.lines().iter().map(|line| format!("  {line}")));
    lines.push("\nMeanwhile, in the consoles:".to_owned());
    lines.extend(gz.changes.iter().map(|change| format!("  {change}")));
    lines.push(format!(
        "Second sync (event handling now manual): {} open event(s), each resolved with its primary action:",
        gz.events.len()
    ));
    lines.extend(gz.events.iter().flat_map(ResolvedEvent::lines));
    lines.push(format!("Third sync: {} open event(s).", gz.open_at_the_end));
    lines.iter().for_each(|line| _ = writeln!(out, "{line}"));
}
