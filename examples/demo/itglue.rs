//! The demo's Datto RMM → IT Glue part: a first sync (organizations matched, suggested with
//! scores, unmatched; configurations matched by MAC address and serial number, suggested by
//! name; every matched configuration brought to its device's data), then two user actions —
//! accept the best suggestion of every suggested group, create the missing configurations of one
//! organization — a second sync, and a third with nothing changed that writes nothing.

use std::sync::Arc;

use msp_fakes::scenario::MspFakes;
use serde::Serialize;
use sync_core::itglue::ConfigurationOutcome;
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    Actor, DattoRmmAdapter, DeviceTally, GroupListing, ItGlueAdapter, ItGlueCredentials,
    ItGlueFlow, ItGlueLocation, Mode, NoProgress, OrganizationView, SyncCounts, SyncReport,
    UpdateCounts, discover_tenant,
};
use sync_store::Store;

use crate::DemoError;

/// A serial number the generated MSP's BIOSes report that sync-core's built-in placeholder
/// list does not know; the demo tenant declares it, as a tenant would.
pub const EXTRA_PLACEHOLDER_SERIAL: &str = "0123456789";

/// What the IT Glue part found and did, in the engine's words.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItGlueReport {
    /// The first sync's counts.
    pub first: SyncCounts,
    /// What the first sync wrote on matched configurations.
    pub first_updates: UpdateCounts,
    /// Every group of the first sync with its organization (or suggestions), named.
    pub groups: Vec<GroupListing>,
    /// How the first sync's devices matched.
    #[serde(flatten)]
    pub devices: DeviceTally,
    /// Suggestions accepted (the best one of each suggested group): the groups' names.
    pub accepted: Vec<String>,
    /// The organization whose missing configurations were created, and how many.
    pub created_configurations: Option<(String, usize)>,
    /// The second sync's counts.
    pub second: SyncCounts,
    /// What the second sync wrote (the configurations matched by the actions).
    pub second_updates: UpdateCounts,
    /// What a third sync, with nothing changed, wrote.
    pub third_updates: UpdateCounts,
}

/// Runs the part against the fakes and the store.
pub async fn run(fakes: &MspFakes, store: Arc<dyn Store>) -> Result<ItGlueReport, DemoError> {
    let endpoints = fakes.endpoints();
    let datto = DattoCredentials::new(
        endpoints.datto_api_url.as_str(),
        endpoints.datto_api_key.as_str(),
        endpoints.datto_api_secret.as_str(),
    );
    let itglue = ItGlueCredentials {
        location: ItGlueLocation::Url(endpoints.itglue_api_url.clone()),
        api_key: endpoints.itglue_api_key.as_str().into(),
    };
    let rmm = Arc::new(
        DattoRmmAdapter::from_credentials(&datto).map_err(|e| DemoError::new(e.to_string()))?,
    );
    let docs = Arc::new(ItGlueAdapter::new(&itglue).map_err(|e| DemoError::new(e.to_string()))?);
    let tenant = discover_tenant(rmm.as_ref()).await?;
    let flow = ItGlueFlow::new(store, tenant, rmm, docs).with_worker("demo");
    flow.connect().await?;
    let admin = Actor::administrator("demo");
    let mut settings = flow.settings().await?;
    settings
        .identifiers
        .placeholder_serials
        .push(EXTRA_PLACEHOLDER_SERIAL.to_owned());
    flow.update_settings(&admin, settings).await?;

    let first = flow.run(&NoProgress).await?;
    let names = flow.organization_names().await?;
    let mut report = ItGlueReport {
        first: first.counts,
        first_updates: first.updates.counts(),
        groups: first.group_listings(&names),
        devices: first.device_tally(),
        ..ItGlueReport::default()
    };
    act(&flow, &admin, &first, &mut report).await?;
    let second = flow.run(&NoProgress).await?;
    report.second = second.counts;
    report.second_updates = second.updates.counts();
    report.third_updates = flow.run(&NoProgress).await?.updates.counts();
    Ok(report)
}

/// Accepts the best suggestion of every suggested group, then creates the missing
/// configurations of the matched organization with the most unmatched devices.
async fn act(
    flow: &ItGlueFlow,
    admin: &Actor,
    first: &SyncReport,
    report: &mut ItGlueReport,
) -> Result<(), DemoError> {
    for view in &first.groups {
        let Some(best) = view.best_suggestion() else {
            continue;
        };
        flow.accept_organization_suggestion(admin, first, &view.group.id, best, Mode::Apply)
            .await?;
        report.accepted.push(view.group.name.clone());
    }
    let unmatched = |o: &&OrganizationView| {
        let missing = o
            .devices
            .iter()
            .filter(|d| d.outcome == ConfigurationOutcome::Unmatched);
        missing.count()
    };
    let busiest = first.organizations.iter().max_by_key(unmatched);
    if let Some(organization) = busiest.filter(|o| unmatched(o) > 0) {
        let id = organization.organization.id;
        let outcome = flow
            .create_missing_configurations(admin, first, id, Mode::Apply)
            .await?;
        report.created_configurations = Some((
            organization.organization.name.clone(),
            outcome.created.len(),
        ));
    }
    Ok(())
}
