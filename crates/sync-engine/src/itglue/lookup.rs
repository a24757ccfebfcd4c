//! The IT Glue flow's references: a group of the report by name, a site uid in it or its
//! Autotask company id; an organization by id or name; a configuration of a device's
//! organization by id, name or hostname (see [`crate::lookup`]).

use std::collections::BTreeMap;

use sync_core::itglue::{
    Configuration, ConfigurationId, DeviceUid, GroupId, Organization, OrganizationId,
    search_configurations,
};

use super::actions::configurations::device_view;
use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::report::{GroupView, OrganizationView, SyncReport};
use super::scope::Actor;
use crate::lookup::{self, Candidate, LookupError, Named, Subject, same_written_name};

/// How many configurations a failed configuration lookup offers as the closest.
const CLOSEST: usize = 5;

impl Named for GroupView {
    /// The site uid of a site group, `autotask:<id>` for an Autotask company group.
    fn id(&self) -> String {
        match &self.group.id {
            GroupId::AutotaskCompany(id) => format!("autotask:{}", id.0),
            other => other.to_string(),
        }
    }

    fn name(&self) -> &str {
        &self.group.name
    }

    /// The group's id, its Autotask company id alone, or the uid of one of its sites.
    fn has_id(&self, reference: &str) -> bool {
        let own = match &self.group.id {
            GroupId::Site(uid) => uid.as_str() == reference,
            GroupId::AutotaskCompany(id) => {
                id.0 == reference || format!("autotask:{}", id.0) == reference
            }
            _ => false,
        };
        own || self.group.sites.iter().any(|s| s.as_str() == reference)
    }
}

impl Named for Organization {
    fn id(&self) -> String {
        self.id.to_string()
    }

    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for OrganizationView {
    fn id(&self) -> String {
        self.organization.id()
    }

    fn name(&self) -> &str {
        &self.organization.name
    }
}

impl Named for Configuration {
    fn id(&self) -> String {
        self.id.to_string()
    }

    fn name(&self) -> &str {
        &self.name
    }
}

impl SyncReport {
    /// The group `reference` names: a site uid in it, its Autotask company id, else its name
    /// ([`crate::lookup`]'s rules).
    pub fn find_group(&self, reference: &str) -> Result<&GroupView, LookupError> {
        lookup::find(Subject::Group, &self.groups, reference)
    }

    /// The matched organization `reference` names: its id, else its name.
    pub fn find_organization(&self, reference: &str) -> Result<&OrganizationView, LookupError> {
        lookup::find(Subject::MatchedOrganization, &self.organizations, reference)
    }
}

impl ItGlueFlow {
    /// Every IT Glue organization (id and name), as IT Glue lists them now.
    pub async fn organizations(&self) -> Result<Vec<Organization>, ItGlueError> {
        Ok(self.docs.organizations().await?)
    }

    /// The name of every IT Glue organization, by id (what a listing names organizations by).
    pub async fn organization_names(
        &self,
    ) -> Result<BTreeMap<OrganizationId, String>, ItGlueError> {
        let organizations = self.organizations().await?;
        Ok(organizations.into_iter().map(|o| (o.id, o.name)).collect())
    }

    /// The name of every configuration of `organization`, by id.
    pub async fn configuration_names(
        &self,
        organization: OrganizationId,
    ) -> Result<BTreeMap<ConfigurationId, String>, ItGlueError> {
        let configurations = self.configurations_of(organization).await?;
        Ok(configurations.into_iter().map(|c| (c.id, c.name)).collect())
    }

    /// The IT Glue organization `reference` names: its id, else its name; IT Glue is asked
    /// for its organizations.
    pub async fn find_organization(&self, reference: &str) -> Result<Organization, ItGlueError> {
        let organizations = self.organizations().await?;
        Ok(lookup::find(Subject::Organization, &organizations, reference)?.clone())
    }

    /// The organization `reference` names among those `report` shows matched, else among IT
    /// Glue's (asked only then), as the matched organization's view.
    pub async fn find_matched_organization<'a>(
        &self,
        report: &'a SyncReport,
        reference: &str,
    ) -> Result<&'a OrganizationView, ItGlueError> {
        if let Ok(view) = report.find_organization(reference) {
            return Ok(view);
        }
        let organization = self.find_organization(reference).await?;
        report.organization(organization.id).ok_or_else(|| {
            ItGlueError::Lookup(LookupError::not_found(
                Subject::MatchedOrganization,
                reference,
            ))
        })
    }

    /// The configuration of `device`'s organization `reference` names: its id, else the one
    /// configuration with that name or hostname. When none has it, the error lists the closest
    /// names (`sync-core`'s configuration search).
    pub async fn find_configuration(
        &self,
        actor: &Actor,
        report: &SyncReport,
        device: &DeviceUid,
        reference: &str,
    ) -> Result<ConfigurationId, ItGlueError> {
        let wanted = reference.trim();
        if let Ok(id) = wanted.parse::<u64>() {
            return Ok(ConfigurationId(id));
        }
        let (organization, _) = device_view(report, device)?;
        let organization = organization.organization.id;
        self.require_scope(actor, report, organization).await?;
        self.action_state().await?;
        let configurations = self.configurations_of(organization).await?;
        let found: Vec<&Configuration> = configurations
            .iter()
            .filter(|c| {
                same_written_name(&c.name, wanted)
                    || c.hostname
                        .as_deref()
                        .is_some_and(|h| same_written_name(h, wanted))
            })
            .collect();
        if found.is_empty() {
            let closest = search_configurations(&configurations, wanted, CLOSEST)
                .into_iter()
                .filter_map(|s| configurations.iter().find(|c| c.id == s.candidate))
                .map(|c| Candidate::new(c.name.clone(), c.id.to_string()))
                .collect();
            return Err(ItGlueError::Lookup(LookupError::NotFound {
                subject: Subject::Configuration,
                reference: reference.to_owned(),
                closest: Some(closest),
            }));
        }
        Ok(lookup::one(Subject::Configuration, reference, found)?.id)
    }
}
