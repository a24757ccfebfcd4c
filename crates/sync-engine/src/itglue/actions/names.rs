//! The names of what an action's steps name, so its outcome reads "match \"Acme - Berlin\" to
//! Acme Dental GmbH (#12)" instead of a site uid and a bare id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sync_core::itglue::{
    Configuration, ConfigurationId, DeviceUid, GroupId, Organization, OrganizationId,
};

use super::{ActionOutcome, Created, Step};
use crate::itglue::error::ItGlueError;
use crate::itglue::flow::ItGlueFlow;
use crate::itglue::listing::group_reference;
use crate::itglue::report::SyncReport;
use crate::itglue::scope::Actor;

/// The names of the groups, organizations, devices and configurations an outcome names, by id
/// (what the engine knew when it acted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Names {
    /// Group names, by the group's reference (its site uid, or `autotask:<id>`).
    pub groups: BTreeMap<String, String>,
    /// Organization names.
    pub organizations: BTreeMap<OrganizationId, String>,
    /// Device hostnames.
    pub devices: BTreeMap<DeviceUid, String>,
    /// Configuration names.
    pub configurations: BTreeMap<ConfigurationId, String>,
}

impl Names {
    /// The group quoted by name (`"Acme - Berlin"`), else its reference.
    pub fn group(&self, group: &GroupId) -> String {
        let reference = group_reference(group);
        match self.groups.get(&reference) {
            Some(name) => format!("{name:?}"),
            None => group.to_string(),
        }
    }

    /// `Name (#id)`, else `organization #id`.
    pub fn organization(&self, organization: OrganizationId) -> String {
        match self.organizations.get(&organization) {
            Some(name) => format!("{name} (#{organization})"),
            None => format!("organization #{organization}"),
        }
    }

    /// The device's hostname, else its uid.
    pub fn device(&self, device: &DeviceUid) -> String {
        match self.devices.get(device) {
            Some(hostname) => format!("device {hostname}"),
            None => format!("device {device}"),
        }
    }

    /// `configuration Name (#id)`, else `configuration #id`.
    pub fn configuration(&self, configuration: ConfigurationId) -> String {
        match self.configurations.get(&configuration) {
            Some(name) => format!("configuration {name} (#{configuration})"),
            None => format!("configuration #{configuration}"),
        }
    }

    /// The names of everything `steps` and `created` name, from the report, the IT Glue
    /// organizations and configurations the action read, and the configurations it planned.
    pub(crate) fn of(
        report: &SyncReport,
        organizations: &[Organization],
        configurations: &[Configuration],
        steps: &[Step],
        created: &[Created],
    ) -> Self {
        let mut names = Names::default();
        for organization in organizations {
            names
                .organizations
                .insert(organization.id, organization.name.clone());
        }
        for configuration in configurations {
            names
                .configurations
                .insert(configuration.id, configuration.name.clone());
        }
        for view in &report.groups {
            names
                .groups
                .insert(group_reference(&view.group.id), view.group.name.clone());
        }
        for view in &report.organizations {
            let id = view.organization.id;
            names
                .organizations
                .entry(id)
                .or_insert_with(|| view.organization.name.clone());
        }
        let mentioned: Vec<&DeviceUid> = steps
            .iter()
            .flat_map(|step| match step {
                Step::UnmatchDevice { device, .. } | Step::MatchDevice { device, .. } => {
                    vec![device]
                }
                Step::CreateConfigurations { configurations, .. } => {
                    configurations.iter().map(|c| &c.device).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        for device in mentioned {
            if let Some((_, view)) = report.device(device) {
                names
                    .devices
                    .insert(device.clone(), view.device.hostname.clone());
            }
        }
        let planned: BTreeMap<&DeviceUid, &str> = steps
            .iter()
            .flat_map(|step| match step {
                Step::CreateConfigurations { configurations, .. } => configurations
                    .iter()
                    .map(|c| (&c.device, c.attributes.name.as_str()))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        for made in created {
            if let Created::Configuration { device, id, .. } = made
                && let Some(name) = planned.get(device)
            {
                names
                    .configurations
                    .entry(*id)
                    .or_insert((*name).to_owned());
            }
        }
        names.keep_only(steps, created);
        names
    }

    /// Drops every name no step or creation mentions (an outcome carries only its own).
    fn keep_only(&mut self, steps: &[Step], created: &[Created]) {
        let mut groups = Vec::new();
        let mut organizations = Vec::new();
        let mut configurations = Vec::new();
        for step in steps {
            match step {
                Step::MatchOrganization {
                    group,
                    organization,
                    replacing,
                } => {
                    groups.push(group_reference(group));
                    organizations.push(*organization);
                    organizations.extend(replacing);
                }
                Step::CreateOrganization { group, .. }
                | Step::IgnoreGroup { group }
                | Step::UnignoreGroup { group } => groups.push(group_reference(group)),
                Step::UnmatchDevice { configuration, .. } => configurations.push(*configuration),
                Step::MatchDevice {
                    configuration,
                    replacing,
                    ..
                } => {
                    configurations.push(*configuration);
                    configurations.extend(replacing);
                }
                Step::CreateConfigurations { organization, .. } => {
                    organizations.push(*organization)
                }
            }
        }
        for made in created {
            match made {
                Created::Organization { id, .. } => organizations.push(*id),
                Created::Configuration { id, .. } => configurations.push(*id),
            }
        }
        self.groups.retain(|g, _| groups.contains(g));
        self.organizations.retain(|o, _| organizations.contains(o));
        self.configurations
            .retain(|c, _| configurations.contains(c));
    }
}

impl ActionOutcome {
    /// The outcome with the names of what it names (see [`Names::of`]).
    pub(crate) fn named(
        mut self,
        report: &SyncReport,
        organizations: &[Organization],
        configurations: &[Configuration],
    ) -> Self {
        self.names = Names::of(
            report,
            organizations,
            configurations,
            &self.steps,
            &self.created,
        );
        self
    }

    /// One line per step, then one per object IT Glue created, naming groups, organizations,
    /// devices and configurations by name.
    pub fn lines(&self) -> Vec<String> {
        let n = &self.names;
        let mut lines: Vec<String> = self.steps.iter().map(|step| step.describe(n)).collect();
        for made in &self.created {
            let (what, resumed) = match made {
                Created::Organization { id, resumed } => {
                    let named = n.organizations.get(id).map(|name| format!("{name} "));
                    let named = named.unwrap_or_default();
                    (format!("created organization {named}(#{id})"), *resumed)
                }
                Created::Configuration {
                    device,
                    id,
                    resumed,
                } => (
                    format!("created {} for {}", n.configuration(*id), n.device(device)),
                    *resumed,
                ),
            };
            let resumed = if resumed {
                " (found from an interrupted attempt)"
            } else {
                ""
            };
            lines.push(format!("{what}{resumed}"));
        }
        lines
    }
}

impl Step {
    /// The step in words, things named from `names`.
    pub fn describe(&self, names: &Names) -> String {
        match self {
            Step::MatchOrganization {
                group,
                organization,
                replacing,
            } => {
                let to = names.organization(*organization);
                match replacing {
                    Some(old) => format!(
                        "match {} to {to} instead of {}",
                        names.group(group),
                        names.organization(*old)
                    ),
                    None => format!("match {} to {to}", names.group(group)),
                }
            }
            Step::CreateOrganization { group, name } => {
                format!("create organization {name:?} for {}", names.group(group))
            }
            Step::UnmatchDevice {
                device,
                configuration,
            } => format!(
                "unmatch {} from {}",
                names.device(device),
                names.configuration(*configuration)
            ),
            Step::IgnoreGroup { group } => format!("ignore {}", names.group(group)),
            Step::UnignoreGroup { group } => {
                format!("take back the ignore of {}", names.group(group))
            }
            Step::MatchDevice {
                device,
                configuration,
                ..
            } => format!(
                "match {} to {}",
                names.device(device),
                names.configuration(*configuration)
            ),
            Step::CreateConfigurations {
                organization,
                configurations,
            } => format!(
                "create {} configuration(s) in {}: {}",
                configurations.len(),
                names.organization(*organization),
                configurations
                    .iter()
                    .map(|c| format!("{} ({})", c.attributes.name, c.configuration_type))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A group as a message names it: `"Acme - Berlin"`, else its id (a group the report lacks).
pub(crate) fn group_label(report: &SyncReport, group: &GroupId) -> String {
    match report.group(group) {
        Some(view) => format!("{:?}", view.group.name),
        None => group.to_string(),
    }
}

/// A device as a message names it: `device ACME-PC01`, else `device <uid>`.
pub(crate) fn device_label(report: &SyncReport, device: &DeviceUid) -> String {
    match report.device(device) {
        Some((_, view)) => format!("device {}", view.device.hostname),
        None => format!("device {device}"),
    }
}

/// A configuration as a message names it, from a list the action read.
pub(crate) fn configuration_label(
    configurations: &[Configuration],
    configuration: ConfigurationId,
) -> String {
    match configurations.iter().find(|c| c.id == configuration) {
        Some(found) => format!("configuration {} (#{configuration})", found.name),
        None => format!("configuration #{configuration}"),
    }
}

impl ItGlueFlow {
    /// The name of an organization: the report's, else IT Glue's (asked only then; a failed
    /// call leaves it unnamed). For messages, so only on an error's way out.
    pub(crate) async fn organization_name(
        &self,
        report: &SyncReport,
        organization: OrganizationId,
    ) -> Option<String> {
        if let Some(view) = report.organization(organization) {
            return Some(view.organization.name.clone());
        }
        let listed = self.docs.organizations().await.ok()?;
        listed
            .into_iter()
            .find(|o| o.id == organization)
            .map(|o| o.name)
    }

    /// `Name (#id)`, else `organization #id`.
    pub(crate) async fn organization_label(
        &self,
        report: &SyncReport,
        organization: OrganizationId,
    ) -> String {
        match self.organization_name(report, organization).await {
            Some(name) => format!("{name} (#{organization})"),
            None => format!("organization #{organization}"),
        }
    }

    /// Refuses an action on an organization outside the actor's scope, the error naming it.
    pub(crate) async fn require_scope(
        &self,
        actor: &Actor,
        report: &SyncReport,
        organization: OrganizationId,
    ) -> Result<(), ItGlueError> {
        if actor.may_act_on(organization) {
            return Ok(());
        }
        Err(ItGlueError::OutOfScope {
            organization,
            name: self.organization_name(report, organization).await,
        })
    }
}
