//! The report of the last run, kept in the store: the matching screen and its actions work on it
//! in later processes without syncing again, and an applied action refreshes only the groups,
//! organizations and devices it touched.

use std::collections::BTreeMap;
use std::sync::Arc;

use sync_core::itglue::{
    ConfigurationOutcome, GroupId, Organization, OrganizationId, OrganizationOutcome,
};
use sync_store::{Flow, ReportBody};

use super::actions::{ActionOutcome, Created, Step};
use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::report::{OrganizationView, SyncCounts, SyncReport};

impl ItGlueFlow {
    /// Keeps `report` in the store as the tenant's last IT Glue report, and hands it back. Its
    /// JSON is written as it is serialised (`Store::put_run_report_streamed`): the report of
    /// an account of 50,000 devices is about 64 MB of JSON, never held as one string beside
    /// the report itself where the store can avoid it.
    pub(crate) async fn keep_report(&self, report: SyncReport) -> Result<SyncReport, ItGlueError> {
        let run = report.run;
        let body = Arc::new(JsonBody::new(report).map_err(|e| {
            ItGlueError::Store(sync_store::StoreError::Corrupt(format!(
                "the IT Glue report cannot be written as JSON: {e}"
            )))
        })?);
        let kept = self
            .store
            .put_run_report_streamed(&self.tenant, Flow::ItGlue, run, self.now(), body.clone())
            .await;
        // The store keeps no handle on the body once written.
        let report = Arc::try_unwrap(body)
            .map(|body| body.report)
            .unwrap_or_else(|body| body.report.clone());
        kept?;
        Ok(report)
    }

    /// The report of the tenant's last successful run, as the actions since have refreshed it —
    /// read from the store, no vendor called. A tenant without one gives
    /// [`ItGlueError::NoStoredRun`]: run a sync first.
    pub async fn last_report(&self) -> Result<SyncReport, ItGlueError> {
        let kept = self
            .store
            .run_report(&self.tenant, Flow::ItGlue)
            .await?
            .ok_or_else(|| ItGlueError::NoStoredRun {
                tenant: self.tenant.to_string(),
            })?;
        serde_json::from_str(&kept.body).map_err(|e| {
            ItGlueError::Store(sync_store::StoreError::Corrupt(format!(
                "the kept IT Glue report cannot be read ({e}); run a sync to replace it"
            )))
        })
    }

    /// Brings the kept report up to date with an applied action — only what the action touched:
    /// the groups it matched, ignored or took back, the devices it matched or unmatched, the
    /// configurations it created — keeps it, and returns it. A dry run changes nothing. The only
    /// vendor call is IT Glue's organization listing, when a group was matched to an
    /// organization the report does not show yet (for its name); its devices show at the next
    /// sync.
    pub async fn refresh_report(&self, outcome: &ActionOutcome) -> Result<SyncReport, ItGlueError> {
        let mut report = self.last_report().await?;
        if !outcome.applied {
            return Ok(report);
        }
        let mut names: BTreeMap<OrganizationId, String> = BTreeMap::new();
        let mut unknown = Vec::new();
        for step in &outcome.steps {
            match step {
                Step::CreateOrganization { name, .. } => {
                    if let Some(id) = created_organization(outcome) {
                        names.insert(id, name.clone());
                    }
                }
                Step::MatchOrganization { organization, .. }
                    if report.organization(*organization).is_none() =>
                {
                    unknown.push(*organization);
                }
                _ => {}
            }
        }
        if !unknown.is_empty() {
            let listed = match self.docs.organizations().await {
                Ok(listed) => listed,
                Err(error) => return Err(self.vendor_failed(error).await),
            };
            names.extend(
                listed
                    .into_iter()
                    .filter(|o| unknown.contains(&o.id))
                    .map(|o| (o.id, o.name)),
            );
        }
        apply(&mut report, outcome, &names);
        self.keep_report(report).await
    }
}

/// A report's JSON, produced as the store writes it: its length is counted by serialising it
/// once into nothing, so a store writing it in pieces never holds it whole.
struct JsonBody {
    report: SyncReport,
    len: usize,
}

impl JsonBody {
    fn new(report: SyncReport) -> serde_json::Result<Self> {
        /// Counts the bytes written to it.
        struct Length(usize);
        impl std::io::Write for Length {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0 += bytes.len();
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut length = Length(0);
        serde_json::to_writer(&mut length, &report)?;
        Ok(Self {
            report,
            len: length.0,
        })
    }
}

impl ReportBody for JsonBody {
    fn len(&self) -> usize {
        self.len
    }

    fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer(out, &self.report).map_err(std::io::Error::from)
    }
}

/// The organization an action created, if any.
fn created_organization(outcome: &ActionOutcome) -> Option<OrganizationId> {
    outcome.created.iter().find_map(|c| match c {
        Created::Organization { id, .. } => Some(*id),
        _ => None,
    })
}

/// Applies an applied action's steps to the report (pure).
fn apply(
    report: &mut SyncReport,
    outcome: &ActionOutcome,
    names: &BTreeMap<OrganizationId, String>,
) {
    for step in &outcome.steps {
        match step {
            Step::MatchOrganization {
                group,
                organization,
                replacing,
            } => match_group(report, group, *organization, *replacing, names),
            Step::CreateOrganization { group, .. } => {
                if let Some(id) = created_organization(outcome) {
                    match_group(report, group, id, None, names);
                }
            }
            Step::IgnoreGroup { group } => set_group(report, group, OrganizationOutcome::Ignored),
            Step::UnignoreGroup { group } => {
                set_group(report, group, OrganizationOutcome::Unmatched)
            }
            Step::UnmatchDevice { device, .. } => {
                for view in report.organizations.iter_mut() {
                    for d in view.devices.iter_mut().filter(|d| &d.device.uid == device) {
                        d.outcome = ConfigurationOutcome::Unmatched;
                    }
                }
            }
            Step::MatchDevice {
                device,
                configuration,
                ..
            } => set_device(report, device, *configuration),
            Step::CreateConfigurations { organization, .. } => {
                let mut made = 0;
                for created in &outcome.created {
                    if let Created::Configuration {
                        device,
                        id,
                        resumed,
                    } = created
                    {
                        set_device(report, device, *id);
                        if !resumed {
                            made += 1;
                        }
                    }
                }
                if let Some(view) = report
                    .organizations
                    .iter_mut()
                    .find(|v| v.organization.id == *organization)
                {
                    view.configurations += made;
                }
            }
        }
    }
    report.counts = recount(report);
}

fn set_group(report: &mut SyncReport, group: &GroupId, outcome: OrganizationOutcome) {
    if let Some(view) = report.groups.iter_mut().find(|v| &v.group.id == group) {
        view.outcome = outcome;
    }
}

fn set_device(
    report: &mut SyncReport,
    device: &sync_core::itglue::DeviceUid,
    configuration: sync_core::itglue::ConfigurationId,
) {
    for view in report.organizations.iter_mut() {
        for d in view.devices.iter_mut().filter(|d| &d.device.uid == device) {
            d.outcome = ConfigurationOutcome::Stored {
                configuration,
                configuration_exists: true,
            };
        }
    }
}

/// The group now belongs to `organization`: its outcome, its devices (moved from the
/// organization it replaces, their matches gone) and the organization's view.
fn match_group(
    report: &mut SyncReport,
    group: &GroupId,
    organization: OrganizationId,
    replacing: Option<OrganizationId>,
    names: &BTreeMap<OrganizationId, String>,
) {
    set_group(
        report,
        group,
        OrganizationOutcome::Stored {
            organization,
            organization_exists: true,
        },
    );
    let mut moved = Vec::new();
    for view in report.organizations.iter_mut() {
        if Some(view.organization.id) != replacing || view.organization.id == organization {
            continue;
        }
        view.groups.retain(|g| g != group);
        let (theirs, kept): (Vec<_>, Vec<_>) =
            view.devices.drain(..).partition(|d| &d.group == group);
        view.devices = kept;
        moved.extend(theirs.into_iter().map(|mut d| {
            d.outcome = ConfigurationOutcome::Unmatched;
            d
        }));
    }
    report
        .organizations
        .retain(|v| !v.groups.is_empty() || v.organization.id == organization);
    match report
        .organizations
        .iter_mut()
        .find(|v| v.organization.id == organization)
    {
        Some(view) => {
            if !view.groups.contains(group) {
                view.groups.push(group.clone());
            }
            view.devices.extend(moved);
        }
        None => {
            let name = names.get(&organization).cloned().unwrap_or_default();
            report.organizations.push(OrganizationView {
                organization: Organization {
                    id: organization,
                    name,
                },
                groups: vec![group.clone()],
                configurations: 0,
                devices: moved,
            });
            report.organizations.sort_by_key(|v| v.organization.id);
        }
    }
}

/// The counts of the report's views (the counts of what the run stored stay).
fn recount(report: &SyncReport) -> SyncCounts {
    let mut counts = SyncCounts {
        organizations_matched_now: report.counts.organizations_matched_now,
        devices_matched_now: report.counts.devices_matched_now,
        ..SyncCounts::default()
    };
    for view in &report.groups {
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
    for device in report.organizations.iter().flat_map(|o| &o.devices) {
        match device.outcome {
            ConfigurationOutcome::Stored { .. } | ConfigurationOutcome::Matched { .. } => {
                counts.devices_matched += 1;
            }
            ConfigurationOutcome::Suggested { .. } => counts.devices_suggested += 1,
            _ => counts.devices_unmatched += 1,
        }
    }
    counts
}

#[cfg(test)]
mod report_json_tests {
    use sync_core::itglue::{Device, DeviceUid, SiteUid};
    use sync_store::RunId;

    use super::super::report::{DattoCalls, UpdateReport};
    use super::*;

    #[test]
    fn the_kept_body_is_the_report_s_json_of_the_length_it_announces() {
        let device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s-1"), "PC é 🦀");
        let report = SyncReport {
            run: RunId(3),
            groups: Vec::new(),
            organizations: vec![OrganizationView {
                organization: Organization {
                    id: OrganizationId(7),
                    name: "Acme".into(),
                },
                groups: Vec::new(),
                configurations: 1,
                devices: vec![super::super::report::DeviceView {
                    device,
                    group: GroupId::Site(SiteUid::new("s-1")),
                    outcome: ConfigurationOutcome::Unmatched,
                }],
            }],
            counts: SyncCounts::default(),
            datto_calls: DattoCalls::default(),
            updates: UpdateReport::default(),
        };
        let body = JsonBody::new(report.clone()).unwrap();
        let mut written = Vec::new();
        body.write_to(&mut written).unwrap();
        assert_eq!(written, serde_json::to_vec(&report).unwrap());
        assert_eq!(body.len(), written.len());
        assert_eq!(
            serde_json::from_slice::<SyncReport>(&written).unwrap(),
            report
        );
    }
}
