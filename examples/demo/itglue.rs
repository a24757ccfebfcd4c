//! The demo's Datto RMM → IT Glue part: the tenant connected, one placeholder serial declared,
//! then the engine's walk through a first onboarding (`ItGlueFlow::walk_through`): a sync
//! (organizations matched, suggested with scores, unmatched; configurations matched by MAC
//! address and serial number, suggested by name; every matched configuration brought to its
//! device's data), every group's best suggestion accepted, one organization's missing
//! configurations created, a second sync, and a third with nothing changed that writes nothing.

use std::sync::Arc;

use msp_fakes::scenario::MspFakes;
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    Actor, DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueError, ItGlueFlow,
    ItGlueLocation, Walkthrough,
};
use sync_store::Store;

/// A serial number the generated MSP's BIOSes report that sync-core's built-in placeholder
/// list does not know; the demo tenant declares it, as a tenant would.
pub const EXTRA_PLACEHOLDER_SERIAL: &str = "0123456789";

/// Runs the part against the fakes and the store.
pub async fn run(fakes: &MspFakes, store: Arc<dyn Store>) -> Result<Walkthrough, ItGlueError> {
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
    let rmm = Arc::new(DattoRmmAdapter::from_credentials(&datto)?);
    let docs = Arc::new(ItGlueAdapter::new(&itglue)?);
    let flow = ItGlueFlow::discover(store, rmm, docs)
        .await?
        .with_worker("demo");
    flow.connect().await?;
    let admin = Actor::administrator("demo");
    let mut settings = flow.settings().await?;
    settings
        .identifiers
        .placeholder_serials
        .push(EXTRA_PLACEHOLDER_SERIAL.to_owned());
    flow.update_settings(&admin, settings).await?;
    flow.walk_through(&admin).await
}
