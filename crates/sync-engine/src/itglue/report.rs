//! What a run found: every group with its organization outcome, every matched organization with
//! its devices' outcomes, the counts and the Datto RMM calls spent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sync_core::itglue::{
    AttributeChange, Configuration, ConfigurationField, ConfigurationId, ConfigurationOutcome,
    Device, DeviceUid, Group, GroupId, InterfaceAttributes, Organization, OrganizationId,
    OrganizationMatch, OrganizationMatching, OrganizationOutcome,
};
use sync_store::{RunCounts, RunId};

use super::scope::Actor;

/// One device in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The device as the run saw it, with the MAC addresses, serial numbers, manufacturer and
    /// model it learnt (what the field mapping of a create uses).
    pub device: Device,
    /// The group it is in.
    pub group: GroupId,
    /// What the configuration pass decided.
    pub outcome: ConfigurationOutcome,
}

/// One group in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    /// The group (its sites and devices).
    pub group: Group,
    /// What the organization pass decided.
    pub outcome: OrganizationOutcome,
}

impl GroupView {
    /// The organization the group is matched to (stored or new), if any.
    pub fn organization(&self) -> Option<OrganizationId> {
        match &self.outcome {
            OrganizationOutcome::Stored { organization, .. }
            | OrganizationOutcome::Matched { organization, .. } => Some(*organization),
            _ => None,
        }
    }
}

/// One matched organization in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationView {
    /// The organization.
    pub organization: Organization,
    /// The groups matched to it.
    pub groups: Vec<GroupId>,
    /// How many configurations it has.
    pub configurations: usize,
    /// Its groups' devices and what was decided for each.
    pub devices: Vec<DeviceView>,
}

/// The Datto RMM calls a run made, by kind (each list call may span several pages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DattoCalls {
    /// Site listings.
    pub site_listings: u64,
    /// Account device listings.
    pub device_listings: u64,
    /// Per-site device listings (when a site's count disagreed with the account listing).
    pub site_device_listings: u64,
    /// Site network-interface listings.
    pub interface_listings: u64,
    /// Device audits.
    pub audits: u64,
}

/// What a run counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncCounts {
    /// Groups taking part (at least one device, not OnDemand, not a system site).
    pub groups: u64,
    /// Groups with a stored or new organization match.
    pub groups_matched: u64,
    /// Groups with suggestions only.
    pub groups_suggested: u64,
    /// Groups with neither.
    pub groups_unmatched: u64,
    /// Ignored groups.
    pub groups_ignored: u64,
    /// Devices of the groups taking part.
    pub devices: u64,
    /// Devices with a stored or new configuration match.
    pub devices_matched: u64,
    /// Devices with suggestions only.
    pub devices_suggested: u64,
    /// Devices of matched organizations with neither.
    pub devices_unmatched: u64,
    /// Devices whose group has no organization yet.
    pub devices_without_organization: u64,
    /// Organization matches the run stored.
    pub organizations_matched_now: u64,
    /// Device matches the run stored.
    pub devices_matched_now: u64,
}

impl SyncCounts {
    /// The counts as the store keeps them with the run, Datto RMM calls included.
    pub fn to_run_counts(&self, calls: &DattoCalls) -> RunCounts {
        [
            ("groups", self.groups),
            ("groups_matched", self.groups_matched),
            ("groups_suggested", self.groups_suggested),
            ("groups_unmatched", self.groups_unmatched),
            ("groups_ignored", self.groups_ignored),
            ("devices", self.devices),
            ("devices_matched", self.devices_matched),
            ("devices_suggested", self.devices_suggested),
            ("devices_unmatched", self.devices_unmatched),
            (
                "devices_without_organization",
                self.devices_without_organization,
            ),
            ("organizations_matched_now", self.organizations_matched_now),
            ("devices_matched_now", self.devices_matched_now),
            ("datto_site_listings", calls.site_listings),
            ("datto_device_listings", calls.device_listings),
            ("datto_site_device_listings", calls.site_device_listings),
            ("datto_interface_listings", calls.interface_listings),
            ("datto_audits", calls.audits),
        ]
        .into_iter()
        .map(|(name, count)| (name.to_owned(), count))
        .collect()
    }
}

/// What a run found and did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncReport {
    /// The run's number in the store; [`DRY_RUN`](super::DRY_RUN) for a dry run, which is not
    /// recorded.
    #[serde(serialize_with = "run_number", deserialize_with = "run_from_number")]
    pub run: RunId,
    /// Every group taking part, sorted by id.
    pub groups: Vec<GroupView>,
    /// Every organization matched to a group, sorted by id.
    pub organizations: Vec<OrganizationView>,
    /// The counts.
    pub counts: SyncCounts,
    /// The Datto RMM calls made.
    pub datto_calls: DattoCalls,
    /// What the run wrote (or, in a dry run, would write) on matched configurations.
    #[serde(default)]
    pub updates: UpdateReport,
}

/// What a run wrote on matched configurations, or would write in a dry run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct UpdateReport {
    /// Whether this was a dry run (nothing was written).
    pub dry_run: bool,
    /// Configurations updated (attributes or interfaces), or that would be.
    pub configurations_updated: u64,
    /// How many configurations each attribute was written on.
    pub fields: BTreeMap<ConfigurationField, u64>,
    /// Interfaces added.
    pub interfaces_added: u64,
    /// Differing attributes left alone on PSA-synced configurations (IT Glue refuses them).
    pub withheld: u64,
    /// Configurations IT Glue refused, with its reason.
    pub refusals: Vec<Refusal>,
    /// Configurations whose write failed for a reason that may pass (a server error, a timeout,
    /// an unusable answer), with the error: the run goes on and the next sync plans them again.
    pub not_written: Vec<Refusal>,
    /// Configurations of devices deleted from Datto RMM, kept as they are.
    pub deleted_devices_kept: u64,
    /// Configurations of devices deleted from Datto RMM, archived (or to archive).
    pub deleted_devices_archived: u64,
    /// The two counts above per organization (what a manager's view adds up for his own).
    pub deleted_devices_by_organization: BTreeMap<OrganizationId, DeletedDevices>,
    /// Manufacturers and models created in IT Glue.
    pub lookups_created: u64,
    /// Every configuration with something to write, with each attribute's old and new value.
    pub configurations: Vec<ConfigurationUpdateView>,
}

/// One organization's configurations of devices deleted from Datto RMM.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeletedDevices {
    /// Kept as they are.
    pub kept: u64,
    /// Archived (or to archive).
    pub archived: u64,
}

impl UpdateReport {
    /// Counts a deleted device's configuration of `organization` as kept.
    pub(crate) fn deleted_kept(&mut self, organization: OrganizationId) {
        self.deleted_devices_kept += 1;
        self.deleted_devices_by_organization
            .entry(organization)
            .or_default()
            .kept += 1;
    }

    /// Counts a deleted device's configuration of `organization` as archived.
    pub(crate) fn deleted_archived(&mut self, organization: OrganizationId) {
        self.deleted_devices_archived += 1;
        self.deleted_devices_by_organization
            .entry(organization)
            .or_default()
            .archived += 1;
    }

    pub(crate) fn add(&mut self, view: ConfigurationUpdateView) {
        match &view.outcome {
            UpdateOutcome::NotWritten { reason } => self.not_written.push(Refusal {
                organization: Some(view.organization),
                configuration: view.configuration,
                name: view.name.clone(),
                device: view.device.clone(),
                reason: reason.clone(),
            }),
            UpdateOutcome::Refused { reason } => self.refusals.push(Refusal {
                organization: Some(view.organization),
                configuration: view.configuration,
                name: view.name.clone(),
                device: view.device.clone(),
                reason: reason.clone(),
            }),
            UpdateOutcome::Updated | UpdateOutcome::Planned
                if !view.changes.is_empty() || !view.interfaces_added.is_empty() =>
            {
                self.configurations_updated += 1;
                for change in &view.changes {
                    *self.fields.entry(change.field).or_default() += 1;
                }
                self.interfaces_added += view.interfaces_added.len() as u64;
            }
            _ => {}
        }
        self.withheld += view.withheld.len() as u64;
        self.configurations.push(view);
    }
}

/// One matched configuration's writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigurationUpdateView {
    /// Its organization.
    pub organization: OrganizationId,
    /// The configuration.
    pub configuration: ConfigurationId,
    /// Its name.
    pub name: String,
    /// The device it is matched to.
    pub device: DeviceUid,
    /// Each attribute written, old → new (the notes as their RMM facts block).
    pub changes: Vec<AttributeChange>,
    /// The interfaces added.
    pub interfaces_added: Vec<InterfaceAttributes>,
    /// Differing attributes left alone because the configuration is PSA-synced.
    pub withheld: Vec<ConfigurationField>,
    /// What happened.
    pub outcome: UpdateOutcome,
}

/// What happened to one configuration's writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UpdateOutcome {
    /// A dry run: it would be written.
    Planned,
    /// Written.
    Updated,
    /// IT Glue refused it (the run went on).
    Refused {
        /// IT Glue's words.
        reason: String,
    },
    /// The write failed for a reason that may pass; the next sync plans it again (the run went
    /// on).
    NotWritten {
        /// The error.
        reason: String,
    },
}

/// A configuration IT Glue refused to update (or archive), or whose write failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Refusal {
    /// Its organization (`None` only in a report kept by a version that did not record it;
    /// only an administrator sees those).
    #[serde(default)]
    pub organization: Option<OrganizationId>,
    /// The configuration.
    pub configuration: ConfigurationId,
    /// Its name.
    pub name: String,
    /// Its device.
    pub device: DeviceUid,
    /// IT Glue's words (naming the refused attribute).
    pub reason: String,
}

impl SyncReport {
    /// The report as `actor` may see it (`sync-core`'s access scope): a manager sees the
    /// groups matched to the organizations he was granted, the groups with suggestions among
    /// them (only those suggestions), and only his organizations' devices.
    pub fn visible_to(&self, actor: &Actor) -> SyncReport {
        let scope = actor.scope();
        let matching = OrganizationMatching {
            matches: self
                .groups
                .iter()
                .map(|view| OrganizationMatch {
                    group: view.group.id.clone(),
                    group_name: view.group.name.clone(),
                    outcome: view.outcome.clone(),
                })
                .collect(),
        };
        let visible = scope.filter(&matching);
        let groups = visible
            .matches
            .into_iter()
            .filter_map(|m| {
                let view = self.group(&m.group)?;
                Some(GroupView {
                    group: view.group.clone(),
                    outcome: m.outcome,
                })
            })
            .collect();
        let organizations = self
            .organizations
            .iter()
            .filter(|view| scope.allows(view.organization.id))
            .cloned()
            .collect();
        let mut updates = UpdateReport {
            dry_run: self.updates.dry_run,
            deleted_devices_kept: self.updates.deleted_devices_kept,
            deleted_devices_archived: self.updates.deleted_devices_archived,
            deleted_devices_by_organization: self.updates.deleted_devices_by_organization.clone(),
            lookups_created: self.updates.lookups_created,
            ..UpdateReport::default()
        };
        for view in &self.updates.configurations {
            if scope.allows(view.organization) {
                updates.add(view.clone());
            }
        }
        // Every refusal of the organizations he sees, with its reason: those of updates and
        // those of archiving a deleted device's configuration, which has no update view.
        let seen = |refusal: &&Refusal| match refusal.organization {
            Some(organization) => scope.allows(organization),
            None => scope == sync_core::itglue::AccessScope::Everything,
        };
        if scope != sync_core::itglue::AccessScope::Everything {
            // Deleted devices counted for his organizations only.
            updates
                .deleted_devices_by_organization
                .retain(|organization, _| scope.allows(*organization));
            let mine = updates.deleted_devices_by_organization.values();
            updates.deleted_devices_kept = mine.clone().map(|d| d.kept).sum();
            updates.deleted_devices_archived = mine.map(|d| d.archived).sum();
        }
        updates.refusals = self.updates.refusals.iter().filter(seen).cloned().collect();
        updates.not_written = self
            .updates
            .not_written
            .iter()
            .filter(seen)
            .cloned()
            .collect();
        SyncReport {
            groups,
            organizations,
            updates,
            ..self.clone()
        }
    }

    /// The configuration each device of a matched organization is linked to, by device uid:
    /// the stored matches kept ([`ConfigurationOutcome::Stored`]) and the new automatic ones
    /// ([`ConfigurationOutcome::Matched`]); devices with suggestions only or nothing are left
    /// out.
    ///
    /// ```
    /// use sync_core::itglue::{
    ///     ConfigurationId, ConfigurationOutcome, Device, DeviceUid, GroupId, MatchReason,
    ///     Organization, OrganizationId, SiteUid,
    /// };
    /// use sync_engine::itglue::{
    ///     DattoCalls, DeviceView, OrganizationView, SyncCounts, SyncReport, UpdateReport,
    /// };
    /// use sync_store::RunId;
    ///
    /// let site = SiteUid::new("site-1");
    /// let device = |uid: &str, outcome| DeviceView {
    ///     device: Device::new(DeviceUid::new(uid), site.clone(), uid),
    ///     group: GroupId::Site(site.clone()),
    ///     outcome,
    /// };
    /// let report = SyncReport {
    ///     run: RunId(1),
    ///     groups: Vec::new(),
    ///     organizations: vec![OrganizationView {
    ///         organization: Organization { id: OrganizationId(7), name: "Acme".into() },
    ///         groups: vec![GroupId::Site(site.clone())],
    ///         configurations: 2,
    ///         devices: vec![
    ///             device("laptop", ConfigurationOutcome::Matched {
    ///                 configuration: ConfigurationId(11),
    ///                 reason: MatchReason::SerialNumber,
    ///             }),
    ///             device("printer", ConfigurationOutcome::Unmatched),
    ///         ],
    ///     }],
    ///     counts: SyncCounts::default(),
    ///     datto_calls: DattoCalls::default(),
    ///     updates: UpdateReport::default(),
    /// };
    /// let linked = report.matched_configurations();
    /// assert_eq!(linked[&DeviceUid::new("laptop")], ConfigurationId(11));
    /// assert!(!linked.contains_key(&DeviceUid::new("printer")));
    /// ```
    pub fn matched_configurations(&self) -> BTreeMap<DeviceUid, ConfigurationId> {
        self.organizations
            .iter()
            .flat_map(|organization| &organization.devices)
            .filter_map(|view| match view.outcome {
                ConfigurationOutcome::Stored { configuration, .. }
                | ConfigurationOutcome::Matched { configuration, .. } => {
                    Some((view.device.uid.clone(), configuration))
                }
                _ => None,
            })
            .collect()
    }

    /// The view of one group.
    pub fn group(&self, group: &GroupId) -> Option<&GroupView> {
        self.groups.iter().find(|view| &view.group.id == group)
    }

    /// A device of a matched organization, and that organization.
    pub fn device(&self, device: &DeviceUid) -> Option<(&OrganizationView, &DeviceView)> {
        self.organizations.iter().find_map(|organization| {
            organization
                .devices
                .iter()
                .find(|view| &view.device.uid == device)
                .map(|view| (organization, view))
        })
    }

    /// The view of one matched organization.
    pub fn organization(&self, organization: OrganizationId) -> Option<&OrganizationView> {
        self.organizations
            .iter()
            .find(|view| view.organization.id == organization)
    }
}

fn run_number<S: serde::Serializer>(run: &RunId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(run.0)
}

fn run_from_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<RunId, D::Error> {
    i64::deserialize(deserializer).map(RunId)
}

/// The report's view of every matched organization that exists: its groups, how many
/// configurations it has, and each of its devices with the run's decision. The devices move
/// into the report (at MSP scale a second copy of every device and its facts would be
/// hundreds of megabytes).
pub(crate) fn organization_views(
    organizations: &[Organization],
    matched: &BTreeMap<OrganizationId, Vec<Group>>,
    configurations: &BTreeMap<OrganizationId, Vec<Configuration>>,
    decisions: &BTreeMap<OrganizationId, BTreeMap<DeviceUid, ConfigurationOutcome>>,
    mut devices: BTreeMap<DeviceUid, Device>,
) -> Vec<OrganizationView> {
    let names: BTreeMap<OrganizationId, &Organization> =
        organizations.iter().map(|o| (o.id, o)).collect();
    matched
        .iter()
        .filter_map(|(id, groups)| {
            let organization = (*names.get(id)?).clone();
            let group_of: BTreeMap<&DeviceUid, &GroupId> = groups
                .iter()
                .flat_map(|g| g.devices.iter().map(move |d| (d, &g.id)))
                .collect();
            let devices = decisions
                .get(id)
                .into_iter()
                .flatten()
                .filter_map(|(uid, decision)| {
                    let group = (*group_of.get(uid)?).clone();
                    Some(DeviceView {
                        device: devices.remove(uid)?,
                        group,
                        outcome: decision.clone(),
                    })
                })
                .collect();
            Some(OrganizationView {
                organization,
                groups: groups.iter().map(|g| g.id.clone()).collect(),
                configurations: configurations.get(id).map_or(0, Vec::len),
                devices,
            })
        })
        .collect()
}

impl SyncCounts {
    /// The counts of a run's groups and device decisions.
    pub(crate) fn of(
        groups: &[GroupView],
        decisions: &BTreeMap<OrganizationId, BTreeMap<DeviceUid, ConfigurationOutcome>>,
    ) -> SyncCounts {
        let mut counts = SyncCounts::default();
        for view in groups {
            counts.groups += 1;
            let devices = view.group.devices.len() as u64;
            counts.devices += devices;
            match view.outcome {
                OrganizationOutcome::Stored {
                    organization_exists: true,
                    ..
                }
                | OrganizationOutcome::Matched { .. } => counts.groups_matched += 1,
                OrganizationOutcome::Suggested { .. } => {
                    counts.groups_suggested += 1;
                    counts.devices_without_organization += devices;
                }
                OrganizationOutcome::Ignored => {
                    counts.groups_ignored += 1;
                    counts.devices_without_organization += devices;
                }
                _ => {
                    counts.groups_unmatched += 1;
                    counts.devices_without_organization += devices;
                }
            }
        }
        for decision in decisions.values().flat_map(BTreeMap::values) {
            match decision {
                ConfigurationOutcome::Stored { .. } | ConfigurationOutcome::Matched { .. } => {
                    counts.devices_matched += 1;
                }
                ConfigurationOutcome::Suggested { .. } => counts.devices_suggested += 1,
                _ => counts.devices_unmatched += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use sync_core::itglue::{MatchReason, SiteUid};

    use super::*;

    fn device(uid: &str, outcome: ConfigurationOutcome) -> DeviceView {
        let site = SiteUid::new("s-1");
        DeviceView {
            device: Device::new(DeviceUid::new(uid), site.clone(), uid),
            group: GroupId::Site(site),
            outcome,
        }
    }

    fn organization(id: u64, devices: Vec<DeviceView>) -> OrganizationView {
        OrganizationView {
            organization: Organization {
                id: OrganizationId(id),
                name: format!("Org {id}"),
            },
            groups: Vec::new(),
            configurations: devices.len(),
            devices,
        }
    }

    #[test]
    fn matched_configurations_are_the_stored_and_new_matches_of_every_organization() {
        let report = SyncReport {
            run: RunId(2),
            groups: Vec::new(),
            organizations: vec![
                organization(
                    1,
                    vec![
                        device(
                            "d-stored",
                            ConfigurationOutcome::Stored {
                                configuration: ConfigurationId(10),
                                configuration_exists: false,
                            },
                        ),
                        device("d-none", ConfigurationOutcome::Unmatched),
                    ],
                ),
                organization(
                    2,
                    vec![
                        device(
                            "d-new",
                            ConfigurationOutcome::Matched {
                                configuration: ConfigurationId(20),
                                reason: MatchReason::MacAddress,
                            },
                        ),
                        device(
                            "d-suggested",
                            ConfigurationOutcome::Suggested {
                                suggestions: Vec::new(),
                            },
                        ),
                    ],
                ),
            ],
            counts: SyncCounts::default(),
            datto_calls: DattoCalls::default(),
            updates: UpdateReport::default(),
        };
        assert_eq!(
            report.matched_configurations(),
            BTreeMap::from([
                (DeviceUid::new("d-new"), ConfigurationId(20)),
                (DeviceUid::new("d-stored"), ConfigurationId(10)),
            ])
        );
        let empty = SyncReport {
            organizations: Vec::new(),
            ..report
        };
        assert!(empty.matched_configurations().is_empty());
    }
}
