//! What a report shows a person or a script, as data that serializes (`--json`) and prints: each
//! group with its organization outcome, organizations named by name; a matched organization's
//! devices; a run's summary; what a search found. A binary prints these and derives nothing.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use sync_core::itglue::{
    Configuration, ConfigurationId, ConfigurationOutcome, GroupId, MatchReason, Organization,
    OrganizationId, OrganizationOutcome, Suggestion,
};

use super::report::{
    DattoCalls, DeviceView, GroupView, OrganizationView, SyncCounts, SyncReport, UpdateReport,
};
use super::run::DRY_RUN;

/// Why something matched or was suggested, as a person reads it ("MAC address", "similar
/// name", …).
pub fn reason_words(reason: MatchReason) -> &'static str {
    match reason {
        MatchReason::Exact => "same name",
        MatchReason::Alias => "alias",
        MatchReason::Normalised => "same normalised name",
        MatchReason::Fuzzy => "similar name",
        MatchReason::RmmMarker => "RMM marker",
        MatchReason::MacAndSerial => "MAC and serial",
        MatchReason::MacAddress => "MAC address",
        MatchReason::SerialNumber => "serial number",
        MatchReason::Name => "name",
        _ => "other",
    }
}

/// A score in `[0, 1]` as a percentage ("87%").
pub fn percent(score: f64) -> String {
    format!("{:.0}%", (score * 100.0).clamp(0.0, 100.0))
}

/// A group's organization outcome in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrganizationState {
    /// A stored or new match.
    Matched,
    /// Suggestions only.
    Suggested,
    /// Neither (a weak suggestion, below the floor, leaves the group unmatched).
    Unmatched,
    /// Ignored by a user.
    Ignored,
}

impl OrganizationState {
    /// The state of `outcome`.
    pub fn of(outcome: &OrganizationOutcome) -> Self {
        match outcome {
            OrganizationOutcome::Stored { .. } | OrganizationOutcome::Matched { .. } => {
                Self::Matched
            }
            OrganizationOutcome::Suggested { .. } => Self::Suggested,
            OrganizationOutcome::Ignored => Self::Ignored,
            _ => Self::Unmatched,
        }
    }

    /// `matched`, `suggested`, `unmatched` or `ignored`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::Suggested => "suggested",
            Self::Unmatched => "unmatched",
            Self::Ignored => "ignored",
        }
    }
}

/// A device's configuration outcome in one word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigurationState {
    /// A stored or new match.
    Matched,
    /// Suggestions only.
    Suggested,
    /// Neither.
    Unmatched,
}

impl ConfigurationState {
    /// The state of `outcome`.
    pub fn of(outcome: &ConfigurationOutcome) -> Self {
        match outcome {
            ConfigurationOutcome::Stored { .. } | ConfigurationOutcome::Matched { .. } => {
                Self::Matched
            }
            ConfigurationOutcome::Suggested { .. } => Self::Suggested,
            _ => Self::Unmatched,
        }
    }

    /// `matched`, `suggested` or `unmatched`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::Suggested => "suggested",
            Self::Unmatched => "unmatched",
        }
    }

    fn is_unmatched(self) -> bool {
        self == Self::Unmatched
    }
}

macro_rules! display_as_str {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_str!(OrganizationState, ConfigurationState);

/// An IT Glue organization as a listing names it: its id, and its name while IT Glue has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NamedOrganization {
    /// Its id.
    pub organization: OrganizationId,
    /// Its name (`None` when IT Glue no longer lists it).
    pub name: Option<String>,
}

impl NamedOrganization {
    /// `organization` with its name from `names`.
    pub fn new(organization: OrganizationId, names: &BTreeMap<OrganizationId, String>) -> Self {
        Self {
            organization,
            name: names.get(&organization).cloned(),
        }
    }
}

impl fmt::Display for NamedOrganization {
    /// `Name (#id)`, or `organization #id` when IT Glue no longer lists it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} (#{})", self.organization),
            None => write!(f, "organization #{}", self.organization),
        }
    }
}

/// An organization proposed for a group, with its score.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ProposedOrganization {
    /// The organization.
    #[serde(flatten)]
    pub organization: NamedOrganization,
    /// The score in `[0, 1]`.
    pub score: f64,
    /// Why it was proposed, in words.
    pub reason: &'static str,
}

impl ProposedOrganization {
    fn new(s: &Suggestion<OrganizationId>, names: &BTreeMap<OrganizationId, String>) -> Self {
        Self {
            organization: NamedOrganization::new(s.candidate, names),
            score: s.score,
            reason: reason_words(s.reason),
        }
    }
}

impl fmt::Display for ProposedOrganization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.organization, percent(self.score))
    }
}

/// The organization (or organizations) a group's outcome names.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum GroupDetail {
    /// A match kept from the store.
    Stored {
        /// The organization.
        #[serde(flatten)]
        organization: NamedOrganization,
        /// Always true: the match was stored before this run.
        stored: bool,
        /// Whether IT Glue still has the organization.
        exists: bool,
    },
    /// A match this run made.
    Matched {
        /// The organization.
        #[serde(flatten)]
        organization: NamedOrganization,
        /// Why, in words.
        reason: &'static str,
    },
    /// Suggestions, best first.
    Suggested {
        /// The suggestions.
        suggestions: Vec<ProposedOrganization>,
    },
    /// One suggestion below the floor (the group counts as unmatched).
    WeakSuggestion {
        /// The suggestion.
        weak_suggestion: ProposedOrganization,
    },
    /// Nothing to name (unmatched or ignored).
    Nothing {},
}

impl GroupDetail {
    /// What `outcome` names, organizations by name from `names`.
    pub fn new(outcome: &OrganizationOutcome, names: &BTreeMap<OrganizationId, String>) -> Self {
        match outcome {
            OrganizationOutcome::Stored {
                organization,
                organization_exists,
            } => Self::Stored {
                organization: NamedOrganization::new(*organization, names),
                stored: true,
                exists: *organization_exists,
            },
            OrganizationOutcome::Matched {
                organization,
                reason,
            } => Self::Matched {
                organization: NamedOrganization::new(*organization, names),
                reason: reason_words(*reason),
            },
            OrganizationOutcome::Suggested { suggestions } => Self::Suggested {
                suggestions: suggestions
                    .iter()
                    .map(|s| ProposedOrganization::new(s, names))
                    .collect(),
            },
            OrganizationOutcome::WeakSuggestion { suggestion } => Self::WeakSuggestion {
                weak_suggestion: ProposedOrganization::new(suggestion, names),
            },
            _ => Self::Nothing {},
        }
    }
}

impl fmt::Display for GroupDetail {
    /// One table cell: `Name (#id) — same name`, `A (#1) 95%; B (#2) 80%`, …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stored {
                organization,
                exists: true,
                ..
            } => write!(f, "{organization} — kept match"),
            Self::Stored { organization, .. } => {
                write!(f, "{organization} — kept match, organization gone")
            }
            Self::Matched {
                organization,
                reason,
            } => write!(f, "{organization} — {reason}"),
            Self::Suggested { suggestions } => {
                let list: Vec<String> = suggestions.iter().map(ToString::to_string).collect();
                f.write_str(&list.join("; "))
            }
            Self::WeakSuggestion { weak_suggestion } => {
                write!(f, "weak suggestion: {weak_suggestion}")
            }
            Self::Nothing {} => Ok(()),
        }
    }
}

/// One group as `orgs` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GroupListing {
    /// How to name the group alone: its site uid, or `autotask:<id>`.
    pub group: String,
    /// Its name.
    pub name: String,
    /// How many devices it has.
    pub devices: usize,
    /// Its organization outcome in one word.
    pub state: OrganizationState,
    /// The organizations the outcome names.
    pub detail: GroupDetail,
}

impl GroupListing {
    /// `view` as listed, organizations named from `names`.
    pub fn new(view: &GroupView, names: &BTreeMap<OrganizationId, String>) -> Self {
        Self {
            group: group_reference(&view.group.id),
            name: view.group.name.clone(),
            devices: view.group.devices.len(),
            state: OrganizationState::of(&view.outcome),
            detail: GroupDetail::new(&view.outcome, names),
        }
    }
}

/// How a group is named alone: its site uid, or `autotask:<id>` for an Autotask company.
pub(crate) fn group_reference(group: &GroupId) -> String {
    match group {
        GroupId::Site(uid) => uid.as_str().to_owned(),
        GroupId::AutotaskCompany(id) => format!("autotask:{}", id.0),
        other => other.to_string(),
    }
}

/// One device of a matched organization as `devices` lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DeviceListing {
    /// The device's uid.
    pub device: String,
    /// Its hostname.
    pub hostname: String,
    /// Its configuration outcome in one word.
    pub state: ConfigurationState,
    /// The outcome.
    pub outcome: ConfigurationOutcome,
    /// The configuration (or suggestions) named, as [`DeviceListing::describe`] says it.
    pub detail: String,
}

impl DeviceListing {
    /// The configuration (or suggestions) of the device, configurations named from `names`:
    /// `Name (#id) — MAC address`, `A (#1) 90% (name); …`.
    pub fn describe(&self, names: &BTreeMap<ConfigurationId, String>) -> String {
        let label = |id: &ConfigurationId| match names.get(id) {
            Some(name) => format!("{name} (#{id})"),
            None => format!("configuration #{id}"),
        };
        match &self.outcome {
            ConfigurationOutcome::Stored {
                configuration,
                configuration_exists,
            } => {
                let gone = if *configuration_exists {
                    ""
                } else {
                    " — gone from IT Glue"
                };
                format!("{}{gone}", label(configuration))
            }
            ConfigurationOutcome::Matched {
                configuration,
                reason,
            } => format!("{} — {}", label(configuration), reason_words(*reason)),
            ConfigurationOutcome::Suggested { suggestions } => suggestions
                .iter()
                .map(|s| {
                    let (who, score) = (label(&s.candidate), percent(s.score));
                    format!("{who} {score} ({})", reason_words(s.reason))
                })
                .collect::<Vec<_>>()
                .join("; "),
            _ => String::new(),
        }
    }
}

/// A matched organization's devices as `devices` lists them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OrganizationDevices {
    /// The organization's id.
    pub organization: OrganizationId,
    /// Its name.
    pub name: String,
    /// How many configurations it has in IT Glue.
    pub configurations: usize,
    /// How many devices it has (listed or not).
    pub all_devices: usize,
    /// Its devices (all, or only those without a configuration).
    pub devices: Vec<DeviceListing>,
}

impl OrganizationDevices {
    /// `view`'s devices, configurations named from `names`; with `unmatched_only`, only those
    /// with neither a configuration nor a suggestion.
    pub fn new(
        view: &OrganizationView,
        unmatched_only: bool,
        names: &BTreeMap<ConfigurationId, String>,
    ) -> Self {
        let devices = view
            .devices
            .iter()
            .filter(|d| !unmatched_only || ConfigurationState::of(&d.outcome).is_unmatched())
            .map(|d| {
                let mut listed = DeviceListing {
                    device: d.device.uid.to_string(),
                    hostname: d.device.hostname.clone(),
                    state: ConfigurationState::of(&d.outcome),
                    outcome: d.outcome.clone(),
                    detail: String::new(),
                };
                listed.detail = listed.describe(names);
                listed
            })
            .collect();
        Self {
            organization: view.organization.id,
            name: view.organization.name.clone(),
            configurations: view.configurations,
            all_devices: view.devices.len(),
            devices,
        }
    }

    /// `Name (#id): N device(s), M configuration(s) in IT Glue.`
    pub fn heading(&self) -> String {
        format!(
            "{} (#{}): {} device(s), {} configuration(s) in IT Glue.",
            self.name, self.organization, self.all_devices, self.configurations
        )
    }
}

/// A run's summary: its number, counts, Datto RMM calls and configuration updates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SyncSummary<'a> {
    /// The run's number; `None` for a dry run (not recorded).
    pub run: Option<i64>,
    /// The counts.
    pub counts: &'a SyncCounts,
    /// The Datto RMM calls made.
    pub datto_calls: &'a DattoCalls,
    /// What was (or would be) written on matched configurations.
    pub updates: &'a UpdateReport,
}

impl SyncReport {
    /// Every group of the report as listed, organizations named from `names` (see
    /// [`ItGlueFlow::organization_names`](super::ItGlueFlow::organization_names)).
    pub fn group_listings(&self, names: &BTreeMap<OrganizationId, String>) -> Vec<GroupListing> {
        self.groups
            .iter()
            .map(|view| GroupListing::new(view, names))
            .collect()
    }

    /// The run's summary.
    pub fn summary(&self) -> SyncSummary<'_> {
        SyncSummary {
            run: (self.run != DRY_RUN).then_some(self.run.0),
            counts: &self.counts,
            datto_calls: &self.datto_calls,
            updates: &self.updates,
        }
    }
}

/// An organization a search found.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FoundOrganization {
    /// Its id.
    pub organization: OrganizationId,
    /// Its name.
    pub name: String,
    /// How close its name comes, in `[0, 1]`.
    pub score: f64,
}

impl From<&Suggestion<Organization>> for FoundOrganization {
    fn from(s: &Suggestion<Organization>) -> Self {
        Self {
            organization: s.candidate.id,
            name: s.candidate.name.clone(),
            score: s.score,
        }
    }
}

/// A configuration a search found.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FoundConfiguration {
    /// Its id.
    pub configuration: ConfigurationId,
    /// Its name.
    pub name: String,
    /// Its hostname, if it has one.
    pub hostname: Option<String>,
    /// How close its name or hostname comes, in `[0, 1]`.
    pub score: f64,
}

impl From<&Suggestion<Configuration>> for FoundConfiguration {
    fn from(s: &Suggestion<Configuration>) -> Self {
        Self {
            configuration: s.candidate.id,
            name: s.candidate.name.clone(),
            hostname: s.candidate.hostname.clone(),
            score: s.score,
        }
    }
}

impl GroupView {
    /// The group's best suggested organization, if it has suggestions.
    pub fn best_suggestion(&self) -> Option<OrganizationId> {
        match &self.outcome {
            OrganizationOutcome::Suggested { suggestions } => suggestions.first(),
            _ => None,
        }
        .map(|s| s.candidate)
    }
}

impl DeviceView {
    /// The device's best suggested configuration, if it has suggestions.
    pub fn best_suggestion(&self) -> Option<ConfigurationId> {
        match &self.outcome {
            ConfigurationOutcome::Suggested { suggestions } => suggestions.first(),
            _ => None,
        }
        .map(|s| s.candidate)
    }
}
