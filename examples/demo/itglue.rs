//! The demo's Datto RMM → IT Glue part: a first sync (organizations matched, suggested with
//! scores, unmatched; configurations matched by MAC address and serial number, suggested by
//! name; every matched configuration brought to its device's data), then two user actions —
//! accept the best suggestion of every suggested group, create the missing configurations of one
//! organization — a second sync, and a third with nothing changed that writes nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use msp_fakes::scenario::MspFakes;
use serde::Serialize;
use sync_core::itglue::{ConfigurationOutcome, MatchReason, OrganizationId, OrganizationOutcome};
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    Actor, Created, DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueFlow, ItGlueLocation,
    ItGluePort, Mode, NoProgress, SyncCounts, SyncReport, UpdateReport, discover_tenant,
    reason_words,
};
use sync_store::Store;

use crate::DemoError;

/// A serial number the generated MSP's BIOSes report that sync-core's built-in placeholder
/// list does not know; the demo tenant declares it, as a tenant would.
pub const EXTRA_PLACEHOLDER_SERIAL: &str = "0123456789";

/// A group with suggestions.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestedGroup {
    /// The group's name.
    pub group: String,
    /// The suggestions, best first: organization name and score in `[0, 1]`.
    pub suggestions: Vec<(String, f64)>,
}

/// A matched group.
#[derive(Debug, Clone, Serialize)]
pub struct MatchedGroup {
    /// The group's name.
    pub group: String,
    /// The organization's name.
    pub organization: String,
    /// Why: `same name`, `same normalised name`, …
    pub reason: String,
}

/// What a sync wrote on matched configurations.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Updates {
    /// Configurations updated.
    pub configurations_updated: u64,
    /// How many configurations each attribute was written on, by IT Glue's attribute name.
    pub fields: BTreeMap<String, u64>,
    /// Interfaces added.
    pub interfaces_added: u64,
    /// Configurations IT Glue refused.
    pub refused: u64,
}

impl From<&UpdateReport> for Updates {
    fn from(report: &UpdateReport) -> Self {
        Self {
            configurations_updated: report.configurations_updated,
            fields: report
                .fields
                .iter()
                .map(|(field, n)| (field.attribute().to_owned(), *n))
                .collect(),
            interfaces_added: report.interfaces_added,
            refused: report.refusals.len() as u64,
        }
    }
}

/// What the IT Glue part found and did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItGlueReport {
    /// The first sync's counts.
    pub first: SyncCounts,
    /// What the first sync wrote on matched configurations.
    pub first_updates: Updates,
    /// Matched groups.
    pub matched: Vec<MatchedGroup>,
    /// Groups with suggestions.
    pub suggested: Vec<SuggestedGroup>,
    /// Groups with neither.
    pub unmatched: Vec<String>,
    /// Devices matched automatically, by reason (`MAC and serial`, `MAC address`, `serial
    /// number`, …).
    pub devices_matched_by: BTreeMap<String, u64>,
    /// Devices with a configuration suggested by name only.
    pub devices_suggested_by_name: u64,
    /// Suggestions accepted (the best one of each suggested group).
    pub accepted: Vec<String>,
    /// The organization whose missing configurations were created, and how many.
    pub created_configurations: Option<(String, usize)>,
    /// The second sync's counts.
    pub second: SyncCounts,
    /// What the second sync wrote (the configurations matched by the actions).
    pub second_updates: Updates,
    /// What a third sync, with nothing changed, wrote.
    pub third_updates: Updates,
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
    let flow = ItGlueFlow::new(store, tenant, rmm, docs.clone()).with_worker("demo");
    flow.connect().await?;
    let admin = Actor::administrator("demo");
    let mut settings = flow.settings().await?;
    settings
        .identifiers
        .placeholder_serials
        .push(EXTRA_PLACEHOLDER_SERIAL.to_owned());
    flow.update_settings(&admin, settings).await?;

    let first = flow.run(&NoProgress).await?;
    let names: BTreeMap<OrganizationId, String> = docs
        .organizations()
        .await
        .map_err(|e| DemoError::new(e.to_string()))?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let name_of = |id: &OrganizationId| names.get(id).cloned().unwrap_or_else(|| format!("#{id}"));
    let mut report = ItGlueReport {
        first: first.counts,
        first_updates: Updates::from(&first.updates),
        ..ItGlueReport::default()
    };
    for view in &first.groups {
        match &view.outcome {
            OrganizationOutcome::Matched {
                organization,
                reason,
            } => report.matched.push(MatchedGroup {
                group: view.group.name.clone(),
                organization: name_of(organization),
                reason: reason_words(*reason).to_owned(),
            }),
            OrganizationOutcome::Stored { organization, .. } => report.matched.push(MatchedGroup {
                group: view.group.name.clone(),
                organization: name_of(organization),
                reason: "kept".to_owned(),
            }),
            OrganizationOutcome::Suggested { suggestions } => {
                report.suggested.push(SuggestedGroup {
                    group: view.group.name.clone(),
                    suggestions: suggestions
                        .iter()
                        .map(|s| (name_of(&s.candidate), s.score))
                        .collect(),
                })
            }
            OrganizationOutcome::Unmatched | OrganizationOutcome::WeakSuggestion { .. } => {
                report.unmatched.push(view.group.name.clone())
            }
            _ => {}
        }
    }
    for organization in &first.organizations {
        for device in &organization.devices {
            match &device.outcome {
                ConfigurationOutcome::Matched { reason, .. } => {
                    *report
                        .devices_matched_by
                        .entry(reason_words(*reason).to_owned())
                        .or_default() += 1;
                }
                ConfigurationOutcome::Suggested { suggestions }
                    if suggestions.iter().all(|s| s.reason == MatchReason::Name) =>
                {
                    report.devices_suggested_by_name += 1;
                }
                _ => {}
            }
        }
    }

    act(&flow, &admin, &first, &mut report).await?;
    let second = flow.run(&NoProgress).await?;
    report.second = second.counts;
    report.second_updates = Updates::from(&second.updates);
    report.third_updates = Updates::from(&flow.run(&NoProgress).await?.updates);
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
        let OrganizationOutcome::Suggested { suggestions } = &view.outcome else {
            continue;
        };
        let Some(best) = suggestions.first() else {
            continue;
        };
        flow.accept_organization_suggestion(
            admin,
            first,
            &view.group.id,
            best.candidate,
            Mode::Apply,
        )
        .await?;
        report.accepted.push(view.group.name.clone());
    }
    let busiest = first
        .organizations
        .iter()
        .map(|o| {
            let missing: Vec<_> = o
                .devices
                .iter()
                .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
                .map(|d| d.device.uid.clone())
                .collect();
            (o, missing)
        })
        .max_by_key(|(_, missing)| missing.len());
    if let Some((organization, missing)) = busiest
        && !missing.is_empty()
    {
        let outcome = flow
            .create_configurations(admin, first, &missing, Mode::Apply)
            .await?;
        let created = outcome
            .created
            .iter()
            .filter(|c| matches!(c, Created::Configuration { .. }))
            .count();
        report.created_configurations = Some((organization.organization.name.clone(), created));
    }
    Ok(())
}
