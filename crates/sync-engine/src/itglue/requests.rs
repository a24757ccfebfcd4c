//! A user action as a person asks for it — groups, organizations, devices and configurations
//! named as typed — resolved and applied in one call, the kept report refreshed after it.

use serde::{Deserialize, Serialize};
use sync_core::itglue::{ConfigurationId, DeviceUid};

use super::actions::{AcceptedSuggestions, ActionOutcome, LeftOut, Mode};
use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::report::{DeviceView, SyncReport};
use super::scope::Actor;
use crate::lookup::{self, LookupError, Subject};

/// A user action of the matching screen, with everything named as a person types it: a group
/// by its name, a site's uid or name, or its Autotask company id; an organization by id or
/// name; a device by uid or hostname; a configuration by id, name or hostname. Names compare
/// in `sync-core`'s Unicode rules ([`crate::lookup`]); a reference naming nothing or several
/// records is refused, naming the candidates. Give it to [`ItGlueFlow::handle`].
///
/// It deserializes from JSON (`{"request": "match_organization", "group": "…",
/// "organization": "…"}`), so a web front end can pass on what its user asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Request {
    /// Match a group to one of its suggested organizations (the best one unless named).
    AcceptOrganization {
        /// The group.
        group: String,
        /// The suggested organization; `None`: the best suggestion.
        organization: Option<String>,
    },
    /// Match an unmatched group to an organization.
    MatchOrganization {
        /// The group.
        group: String,
        /// The organization.
        organization: String,
    },
    /// Match an already matched group to another organization.
    ChangeOrganizationMatch {
        /// The group.
        group: String,
        /// The new organization.
        organization: String,
    },
    /// Create an organization for a group and match the group to it.
    CreateOrganization {
        /// The group.
        group: String,
        /// The new organization's name; `None`: the group's name.
        name: Option<String>,
        /// Create it even though one with the same normalised name exists.
        force: bool,
    },
    /// Ignore a group.
    IgnoreGroup {
        /// The group.
        group: String,
    },
    /// Take a group's ignore back.
    UnignoreGroup {
        /// The group.
        group: String,
    },
    /// Match a device to one of its suggested configurations (the best one unless named).
    AcceptConfiguration {
        /// The device.
        device: String,
        /// The suggested configuration; `None`: the best suggestion.
        configuration: Option<String>,
    },
    /// Match a device to a configuration of its organization.
    MatchConfiguration {
        /// The device.
        device: String,
        /// The configuration.
        configuration: String,
    },
    /// Accept the best suggested configuration of every device of a matched organization.
    AcceptConfigurations {
        /// The matched organization.
        organization: String,
    },
    /// Create configurations for devices of a matched organization (one bulk call).
    CreateConfigurations {
        /// The matched organization.
        organization: String,
        /// Its devices to create configurations for; empty: every device that has neither a
        /// configuration nor a suggestion.
        devices: Vec<String>,
    },
}

/// What [`ItGlueFlow::handle`] did, or would do in a dry run.
///
/// It serializes as the action's [`ActionOutcome`], or for
/// [`Request::AcceptConfigurations`] as an [`AcceptedSuggestions`] (`outcome` and `left_out`).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Handled {
    /// The steps, applied or planned, with the names of what they name.
    pub outcome: ActionOutcome,
    /// [`Request::AcceptConfigurations`]: the devices whose suggestion was not accepted, and
    /// why.
    pub left_out: Option<Vec<LeftOut>>,
    /// When there was nothing to do, why, in words ("Every device of Acme has a configuration
    /// or a suggestion.").
    pub nothing_to_do: Option<String>,
    /// The action was applied, but the kept report could not be refreshed with it (the next
    /// sync replaces the report): why.
    pub report_not_refreshed: Option<String>,
}

impl Handled {
    fn new(outcome: ActionOutcome) -> Self {
        Self {
            outcome,
            left_out: None,
            nothing_to_do: None,
            report_not_refreshed: None,
        }
    }

    /// The handling in words: `Done:` (or `Dry run, would do:`) and one line per step, groups,
    /// organizations, devices and configurations named by name, then each device left out;
    /// or, when there was nothing to do, the sentence saying so.
    ///
    /// ```
    /// use sync_engine::itglue::{ActionOutcome, Handled};
    ///
    /// let outcome: ActionOutcome = serde_json::from_str(
    ///     r#"{"steps":[{"step":"ignore_group","group":{"kind":"site","id":"s-1"}}],"applied":true,"created":[],
    ///        "names":{"groups":{"s-1":"Café Zürich"}}}"#,
    /// )
    /// .unwrap();
    /// let handled = Handled::from(outcome);
    /// assert_eq!(handled.lines(), ["Done:", "  - ignore \"Café Zürich\""]);
    /// ```
    pub fn lines(&self) -> Vec<String> {
        if let Some(sentence) = &self.nothing_to_do {
            return vec![sentence.clone()];
        }
        let heading = if self.outcome.applied {
            "Done:"
        } else {
            "Dry run, would do:"
        };
        let steps = self.outcome.lines().into_iter().map(|l| format!("  - {l}"));
        let left_out = self
            .left_out
            .iter()
            .flatten()
            .map(|left| format!("  left out: device {} — {}", left.hostname, left.reason));
        std::iter::once(heading.to_owned())
            .chain(steps)
            .chain(left_out)
            .collect()
    }
}

impl From<ActionOutcome> for Handled {
    fn from(outcome: ActionOutcome) -> Self {
        Self::new(outcome)
    }
}

impl Serialize for Handled {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.left_out {
            None => self.outcome.serialize(serializer),
            Some(left_out) => {
                use serde::ser::SerializeStruct;
                let mut accepted = serializer.serialize_struct("AcceptedSuggestions", 2)?;
                accepted.serialize_field("outcome", &self.outcome)?;
                accepted.serialize_field("left_out", left_out)?;
                accepted.end()
            }
        }
    }
}

impl lookup::Named for DeviceView {
    fn id(&self) -> String {
        self.device.uid.to_string()
    }

    fn name(&self) -> &str {
        &self.device.hostname
    }
}

impl SyncReport {
    /// The device of a matched organization `reference` names: its uid, else its hostname
    /// ([`crate::lookup`]'s rules; two devices of one hostname are ambiguous, listed with
    /// their uids).
    pub fn find_device(&self, reference: &str) -> Result<&DeviceView, LookupError> {
        let devices = self.organizations.iter().flat_map(|o| &o.devices);
        lookup::find(Subject::Device, devices, reference)
    }
}

impl ItGlueFlow {
    /// Resolves what `request` names in `report` (organizations also among IT Glue's), applies
    /// it — or with [`Mode::DryRun`] only plans it — as the matching action does, and brings
    /// the kept report up to date with what it changed ([`refresh_report`](Self::refresh_report)).
    /// A reference naming nothing or several records, a group or device without a suggestion
    /// to accept ([`ItGlueError::NoSuggestion`]), and everything the action refuses are
    /// errors; nothing is done then.
    ///
    /// ```no_run
    /// # async fn f(flow: sync_engine::itglue::ItGlueFlow) -> Result<(), sync_engine::itglue::ItGlueError> {
    /// use sync_engine::itglue::{Actor, Mode, Request};
    ///
    /// let report = flow.last_report().await?;
    /// let request = Request::MatchOrganization {
    ///     group: "Northwind - Hamburg".into(),
    ///     organization: "Northwind Logistics GmbH".into(),
    /// };
    /// let plan = flow.handle(&Actor::administrator("alice"), &report, &request, Mode::DryRun).await?;
    /// plan.lines().iter().for_each(|line| println!("{line}"));
    /// # Ok(()) }
    /// ```
    pub async fn handle(
        &self,
        actor: &Actor,
        report: &SyncReport,
        request: &Request,
        mode: Mode,
    ) -> Result<Handled, ItGlueError> {
        let mut handled = self.resolve_and_act(actor, report, request, mode).await?;
        let changed = handled.outcome.applied && !handled.outcome.steps.is_empty();
        if changed && let Err(error) = self.refresh_report(&handled.outcome).await {
            handled.report_not_refreshed = Some(error.to_string());
        }
        Ok(handled)
    }

    async fn resolve_and_act(
        &self,
        actor: &Actor,
        report: &SyncReport,
        request: &Request,
        mode: Mode,
    ) -> Result<Handled, ItGlueError> {
        let outcome = match request {
            Request::AcceptOrganization {
                group,
                organization,
            } => {
                let view = report.find_group(group)?;
                let organization = match organization {
                    Some(reference) => self.find_organization(reference).await?.id,
                    None => view
                        .best_suggestion()
                        .ok_or_else(|| ItGlueError::NoSuggestion {
                            subject: format!("group {:?}", view.group.name),
                        })?,
                };
                let group = &view.group.id;
                self.accept_organization_suggestion(actor, report, group, organization, mode)
                    .await?
            }
            Request::MatchOrganization {
                group,
                organization,
            } => {
                let group = &report.find_group(group)?.group.id;
                let organization = self.find_organization(organization).await?.id;
                self.match_organization(actor, report, group, organization, mode)
                    .await?
            }
            Request::ChangeOrganizationMatch {
                group,
                organization,
            } => {
                let group = &report.find_group(group)?.group.id;
                let organization = self.find_organization(organization).await?.id;
                self.change_organization_match(actor, report, group, organization, mode)
                    .await?
            }
            Request::CreateOrganization { group, name, force } => {
                let group = &report.find_group(group)?.group.id;
                let name = name.as_deref();
                self.create_organization(actor, report, group, name, *force, mode)
                    .await?
            }
            Request::IgnoreGroup { group } => {
                let group = &report.find_group(group)?.group.id;
                self.ignore_group(actor, report, group, mode).await?
            }
            Request::UnignoreGroup { group } => {
                let group = &report.find_group(group)?.group.id;
                self.unignore_group(actor, report, group, mode).await?
            }
            Request::AcceptConfiguration {
                device,
                configuration,
            } => {
                let view = report.find_device(device)?;
                let device = &view.device.uid;
                let configuration = match configuration {
                    Some(reference) => {
                        self.find_configuration(actor, report, device, reference)
                            .await?
                    }
                    None => best_configuration(view)?,
                };
                self.accept_configuration_suggestion(actor, report, device, configuration, mode)
                    .await?
            }
            Request::MatchConfiguration {
                device,
                configuration,
            } => {
                let device = &report.find_device(device)?.device.uid;
                let configuration = self
                    .find_configuration(actor, report, device, configuration)
                    .await?;
                self.match_configuration(actor, report, device, configuration, mode)
                    .await?
            }
            Request::AcceptConfigurations { organization } => {
                let view = self.find_matched_organization(report, organization).await?;
                let AcceptedSuggestions { outcome, left_out } = self
                    .accept_configuration_suggestions(actor, report, view.organization.id, mode)
                    .await?;
                let nothing = outcome.steps.is_empty() && left_out.is_empty();
                let name = &view.organization.name;
                return Ok(Handled {
                    nothing_to_do: nothing.then(|| {
                        format!("No device of {name} has a suggested configuration to accept.")
                    }),
                    left_out: Some(left_out),
                    ..Handled::new(outcome)
                });
            }
            Request::CreateConfigurations {
                organization,
                devices,
            } => {
                let view = self.find_matched_organization(report, organization).await?;
                let outcome = if devices.is_empty() {
                    let organization = view.organization.id;
                    self.create_missing_configurations(actor, report, organization, mode)
                        .await?
                } else {
                    let devices = devices
                        .iter()
                        .map(|d| {
                            Ok(lookup::find(Subject::Device, &view.devices, d)?
                                .device
                                .uid
                                .clone())
                        })
                        .collect::<Result<Vec<DeviceUid>, LookupError>>()?;
                    self.create_configurations(actor, report, &devices, mode)
                        .await?
                };
                let name = &view.organization.name;
                return Ok(Handled {
                    nothing_to_do: outcome.steps.is_empty().then(|| {
                        format!("Every device of {name} has a configuration or a suggestion.")
                    }),
                    ..Handled::new(outcome)
                });
            }
        };
        Ok(Handled::new(outcome))
    }
}

/// The device's best suggested configuration, else why there is none to accept.
fn best_configuration(view: &DeviceView) -> Result<ConfigurationId, ItGlueError> {
    view.best_suggestion()
        .ok_or_else(|| ItGlueError::NoSuggestion {
            subject: format!("device {}", view.device.hostname),
        })
}
