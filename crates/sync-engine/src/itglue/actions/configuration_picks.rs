//! The matching screen's configuration picks (the seed's "Match To" by name and "Accept
//! Suggestion" for a whole organization): search the configurations of a device's organization
//! by name, and accept the best suggested configuration of every device of an organization in
//! one store transaction.

use std::collections::BTreeSet;

use sync_core::itglue::{
    Configuration, ConfigurationOutcome, DeviceUid, OrganizationId, Suggestion,
    search_configurations,
};
use tracing::Instrument;

use super::configurations::device_view;
use super::names::{configuration_label, device_label};
use super::{ActionOutcome, Mode, Step};
use crate::itglue::error::ItGlueError;
use crate::itglue::flow::ItGlueFlow;
use crate::itglue::report::SyncReport;
use crate::itglue::scope::Actor;
use crate::itglue::stored::{self, Stored};

/// A device whose suggestion was not accepted by
/// [`ItGlueFlow::accept_configuration_suggestions`], and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct LeftOut {
    /// The device.
    pub device: DeviceUid,
    /// Its hostname.
    #[serde(default)]
    pub hostname: String,
    /// Why: its best suggestion is held by another device, or is the best suggestion of a
    /// device with a higher score.
    pub reason: String,
}

/// What [`ItGlueFlow::accept_configuration_suggestions`] did, or would do: the outcome, and the
/// devices left out with why.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct AcceptedSuggestions {
    /// The matches made (or planned).
    pub outcome: ActionOutcome,
    /// The devices whose suggestion was not accepted.
    pub left_out: Vec<LeftOut>,
}

impl AcceptedSuggestions {
    fn new(outcome: ActionOutcome, left_out: Vec<LeftOut>) -> Self {
        Self { outcome, left_out }
    }
}

impl ItGlueFlow {
    /// The configurations of `device`'s organization whose name or hostname resemble `query`,
    /// best first, at most `limit` (`sync-core`'s [`search_configurations`]): the "Match To"
    /// search of the matching screen. Pass a found id to
    /// [`match_configuration`](Self::match_configuration).
    pub async fn search_configurations(
        &self,
        actor: &Actor,
        report: &SyncReport,
        device: &DeviceUid,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion<Configuration>>, ItGlueError> {
        let (organization, _) = device_view(report, device)?;
        let organization = organization.organization.id;
        self.require_scope(actor, report, organization).await?;
        self.action_state().await?;
        let configurations = self.configurations_of(organization).await?;
        Ok(search_configurations(&configurations, query, limit)
            .into_iter()
            .filter_map(|s| {
                Some(Suggestion {
                    candidate: configurations.iter().find(|c| c.id == s.candidate)?.clone(),
                    score: s.score,
                    reason: s.reason,
                    margin: s.margin,
                    weak: s.weak,
                })
            })
            .collect())
    }

    /// Creates a configuration for every device of the matched `organization` in `report`
    /// that has neither a configuration nor a suggestion, as
    /// [`create_configurations`](Self::create_configurations) does. The store's matches win
    /// over the report's outcomes: the report may predate a match an interrupted run stored
    /// (killed between storing the match and keeping its report). With no such device, the
    /// outcome has no step (and `applied` as the mode says) and nothing is asked of IT Glue.
    pub async fn create_missing_configurations(
        &self,
        actor: &Actor,
        report: &SyncReport,
        organization: OrganizationId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        let view = report
            .organization(organization)
            .ok_or(ItGlueError::UnknownOrganization { organization })?;
        self.require_scope(actor, report, organization).await?;
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        let missing: Vec<DeviceUid> = view
            .devices
            .iter()
            .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
            .filter(|d| !stored.matches.configuration_of.contains_key(&d.device.uid))
            .map(|d| d.device.uid.clone())
            .collect();
        match (missing.is_empty(), mode) {
            (true, Mode::DryRun) => Ok(ActionOutcome::planned(Vec::new())),
            (true, _) => Ok(ActionOutcome::applied(Vec::new(), Vec::new())),
            (false, _) => {
                self.create_configurations(actor, report, &missing, mode)
                    .await
            }
        }
    }

    /// Matches every device of `organization` that has suggested configurations in `report`
    /// to its best suggestion, in one store transaction. A suggestion that still exists in IT
    /// Glue and that no other device holds is taken; when two devices have the same best
    /// suggestion, the higher score takes it (the device listed first on a tie) and the other
    /// is left out. The devices left out are returned beside the outcome.
    pub async fn accept_configuration_suggestions(
        &self,
        actor: &Actor,
        report: &SyncReport,
        organization: OrganizationId,
        mode: Mode,
    ) -> Result<AcceptedSuggestions, ItGlueError> {
        async {
            let view = report
                .organization(organization)
                .ok_or(ItGlueError::UnknownOrganization { organization })?;
            self.require_scope(actor, report, organization).await?;
            let state = self.action_state().await?;
            let stored = Stored::new(&state.itglue);
            let configurations = self.configurations_of(organization).await?;
            let existing: BTreeSet<_> = configurations.iter().map(|c| c.id).collect();
            let mut wanted: Vec<(&DeviceUid, sync_core::itglue::ConfigurationId, f64)> = view
                .devices
                .iter()
                .filter(|d| !stored.matches.configuration_of.contains_key(&d.device.uid))
                .filter_map(|d| match &d.outcome {
                    ConfigurationOutcome::Suggested { suggestions } => suggestions
                        .iter()
                        .find(|s| existing.contains(&s.candidate))
                        .map(|s| (&d.device.uid, s.candidate, s.score)),
                    _ => None,
                })
                .collect();
            wanted.sort_by(|a, b| b.2.total_cmp(&a.2));
            let mut taken = BTreeSet::new();
            let mut steps = Vec::new();
            let mut left_out = Vec::new();
            for (device, configuration, _) in wanted {
                if let Some(holder) = stored.matches.device_of(configuration) {
                    left_out.push(LeftOut {
                        device: device.clone(),
                        hostname: hostname(report, device),
                        reason: format!(
                            "{} is held by {}",
                            configuration_label(&configurations, configuration),
                            device_label(report, holder)
                        ),
                    });
                } else if !taken.insert(configuration) {
                    left_out.push(LeftOut {
                        device: device.clone(),
                        hostname: hostname(report, device),
                        reason: format!(
                            "{} is the better suggestion of another device",
                            configuration_label(&configurations, configuration)
                        ),
                    });
                } else {
                    steps.push(Step::MatchDevice {
                        device: device.clone(),
                        configuration,
                        replacing: None,
                    });
                }
            }
            if mode == Mode::DryRun {
                return Ok(AcceptedSuggestions::new(
                    ActionOutcome::planned(steps).named(report, &[], &configurations),
                    left_out,
                ));
            }
            if steps.is_empty() {
                return Ok(AcceptedSuggestions::new(
                    ActionOutcome::applied(steps, Vec::new()),
                    left_out,
                ));
            }
            let author = actor.author();
            let changes: Vec<_> = steps
                .iter()
                .filter_map(|step| match step {
                    Step::MatchDevice {
                        device,
                        configuration,
                        ..
                    } => Some(stored::match_device(
                        device,
                        *configuration,
                        &author,
                        None,
                        self.now(),
                    )),
                    _ => None,
                })
                .collect();
            self.store
                .apply(&self.tenant, state.version, &changes)
                .await?;
            Ok(AcceptedSuggestions::new(
                ActionOutcome::applied(steps, Vec::new()).named(report, &[], &configurations),
                left_out,
            ))
        }
        .instrument(tracing::info_span!(
            "itglue.accept_configuration_suggestions",
            %organization
        ))
        .await
    }
}

fn hostname(report: &SyncReport, device: &DeviceUid) -> String {
    report
        .device(device)
        .map(|(_, view)| view.device.hostname.clone())
        .unwrap_or_default()
}
