//! The matching screen's pages in one call each — the groups with their organizations named,
//! a matched organization's devices with their configurations named, what a search found —
//! as a person or a script sees them, and each listing's rows as a table shows them
//! ([`TableRow`]).

use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::listing::{
    DeviceListing, FoundConfiguration, FoundOrganization, GroupListing, OrganizationDevices,
    OrganizationState, percent,
};
use super::progress::NoProgress;
use super::report::SyncReport;
use super::scope::Actor;
use super::status::RunView;
use crate::table::TableRow;

impl TableRow for GroupListing {
    const COLUMNS: &'static [&'static str] =
        &["GROUP", "DEVICES", "STATE", "ORGANIZATION / SUGGESTIONS"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.devices.to_string(),
            self.state.to_string(),
            self.detail.to_string(),
        ]
    }
}

impl TableRow for DeviceListing {
    const COLUMNS: &'static [&'static str] =
        &["DEVICE", "HOSTNAME", "STATE", "CONFIGURATION / SUGGESTIONS"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.device.clone(),
            self.hostname.clone(),
            self.state.to_string(),
            self.detail.clone(),
        ]
    }
}

impl TableRow for FoundOrganization {
    const COLUMNS: &'static [&'static str] = &["ID", "ORGANIZATION", "SCORE"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.organization.to_string(),
            self.name.clone(),
            percent(self.score),
        ]
    }
}

impl TableRow for FoundConfiguration {
    const COLUMNS: &'static [&'static str] = &["ID", "CONFIGURATION", "HOSTNAME", "SCORE"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.configuration.to_string(),
            self.name.clone(),
            self.hostname.clone().unwrap_or_default(),
            percent(self.score),
        ]
    }
}

impl TableRow for RunView {
    const COLUMNS: &'static [&'static str] = &[
        "RUN",
        "STARTED",
        "STATUS",
        "GROUPS MATCHED",
        "DEVICES MATCHED",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.run.to_string(),
            self.started_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            self.status.clone(),
            format!("{}/{}", self.count("groups_matched"), self.count("groups")),
            format!(
                "{}/{}",
                self.count("devices_matched"),
                self.count("devices")
            ),
        ]
    }
}

impl ItGlueFlow {
    /// The report the matching screen works on: the kept one ([`last_report`](Self::last_report),
    /// no vendor called), or with `sync_first` a new sync's (kept in its place).
    pub async fn last_report_or_sync(&self, sync_first: bool) -> Result<SyncReport, ItGlueError> {
        if sync_first {
            self.run(&NoProgress).await
        } else {
            self.last_report().await
        }
    }

    /// The groups of `report` that `actor` may see, each with its organization (or
    /// suggestions) named as IT Glue names it now, only those in `state` when given.
    pub async fn group_listings(
        &self,
        actor: &Actor,
        report: &SyncReport,
        state: Option<OrganizationState>,
    ) -> Result<Vec<GroupListing>, ItGlueError> {
        let names = self.organization_names().await?;
        let mut groups = report.visible_to(actor).group_listings(&names);
        groups.retain(|g| state.is_none_or(|state| g.state == state));
        Ok(groups)
    }

    /// The devices of the matched organization `organization` names (its id or name, see
    /// [`find_matched_organization`](Self::find_matched_organization)), as `actor` may see
    /// them, each with its configuration (or suggestions) named; with `unmatched_only`, only
    /// those with neither.
    pub async fn organization_devices(
        &self,
        actor: &Actor,
        report: &SyncReport,
        organization: &str,
        unmatched_only: bool,
    ) -> Result<OrganizationDevices, ItGlueError> {
        let report = report.visible_to(actor);
        let view = self
            .find_matched_organization(&report, organization)
            .await?;
        let names = self.configuration_names(view.organization.id).await?;
        Ok(OrganizationDevices::new(view, unmatched_only, &names))
    }

    /// The IT Glue organizations whose names come closest to `text`, best first, at most
    /// `limit` ([`search_organizations`](Self::search_organizations)).
    pub async fn organizations_like(
        &self,
        actor: &Actor,
        text: &str,
        limit: usize,
    ) -> Result<Vec<FoundOrganization>, ItGlueError> {
        let found = self.search_organizations(actor, text, limit).await?;
        Ok(found.iter().map(FoundOrganization::from).collect())
    }

    /// The configurations of the organization of the device `device` names (its uid or
    /// hostname) whose name or hostname come closest to `text`, best first, at most `limit`
    /// ([`search_configurations`](Self::search_configurations)).
    pub async fn configurations_like(
        &self,
        actor: &Actor,
        report: &SyncReport,
        device: &str,
        text: &str,
        limit: usize,
    ) -> Result<Vec<FoundConfiguration>, ItGlueError> {
        let device = &report.find_device(device)?.device.uid;
        let found = self
            .search_configurations(actor, report, device, text, limit)
            .await?;
        Ok(found.iter().map(FoundConfiguration::from).collect())
    }
}
