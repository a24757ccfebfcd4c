//! The actions on a group's organization: accept a suggestion, match to (with a search), change
//! the match, create an organization, ignore and unignore.

use sync_core::itglue::{
    GroupId, MatchOptions, Organization, OrganizationId, OrganizationIndex, OrganizationOutcome,
    Suggestion,
};
use sync_store::{Change, TenantState};
use tracing::Instrument;

use super::names::group_label;
use super::{ActionOutcome, Created, Mode, Step};
use crate::itglue::error::ItGlueError;
use crate::itglue::flow::ItGlueFlow;
use crate::itglue::journal::{self, Resume};
use crate::itglue::report::{GroupView, SyncReport};
use crate::itglue::scope::Actor;
use crate::itglue::stored::{self, Stored};

impl ItGlueFlow {
    /// Matches `group` to `organization`, one of the group's suggestions in `report`.
    pub async fn accept_organization_suggestion(
        &self,
        actor: &Actor,
        report: &SyncReport,
        group: &GroupId,
        organization: OrganizationId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        let view = group_view(report, group)?;
        let suggested = matches!(
            &view.outcome,
            OrganizationOutcome::Suggested { suggestions }
                if suggestions.iter().any(|s| s.candidate == organization)
        );
        if !suggested {
            return Err(ItGlueError::NotASuggestion {
                subject: group_label(report, group),
                target: self.organization_label(report, organization).await,
            });
        }
        self.match_organization(actor, report, group, organization, mode)
            .instrument(tracing::info_span!("itglue.accept_organization_suggestion"))
            .await
    }

    /// Matches an unmatched (or suggested) group to a chosen organization. A group that is
    /// already matched needs [`ItGlueFlow::change_organization_match`]; an ignored group must
    /// be unignored first.
    pub async fn match_organization(
        &self,
        actor: &Actor,
        report: &SyncReport,
        group: &GroupId,
        organization: OrganizationId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        self.require_scope(actor, report, organization).await?;
        group_view(report, group)?;
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        if let Some(current) = stored.matches.organization_of.get(group) {
            return Err(ItGlueError::AlreadyMatched {
                subject: group_label(report, group),
                target: self.organization_label(report, *current).await,
            });
        }
        if stored.matches.ignored.contains(group) {
            return Err(ItGlueError::IgnoreState {
                group: group.clone(),
                name: group_name(report, group),
                ignored: true,
            });
        }
        let organizations = self.require_organization(organization).await?;
        let steps = vec![Step::MatchOrganization {
            group: group.clone(),
            organization,
            replacing: None,
        }];
        if mode == Mode::DryRun {
            return Ok(ActionOutcome::planned(steps).named(report, &organizations, &[]));
        }
        let change =
            stored::match_organization(group, organization, &actor.author(), None, self.now());
        self.store
            .apply(&self.tenant, state.version, &[change])
            .await?;
        Ok(ActionOutcome::applied(steps, Vec::new()).named(report, &organizations, &[]))
    }

    /// Moves a matched group to another organization. The group's device matches belong to the
    /// old organization's configurations, so they are deleted in the same transaction (the next
    /// run matches the devices in the new organization). The actor must be allowed on both
    /// organizations.
    pub async fn change_organization_match(
        &self,
        actor: &Actor,
        report: &SyncReport,
        group: &GroupId,
        organization: OrganizationId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        self.require_scope(actor, report, organization).await?;
        let view = group_view(report, group)?;
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        let Some(&current) = stored.matches.organization_of.get(group) else {
            return Err(ItGlueError::GroupNotMatched {
                group: group.clone(),
                name: view.group.name.clone(),
            });
        };
        self.require_scope(actor, report, current).await?;
        if current == organization {
            return Err(ItGlueError::AlreadyMatched {
                subject: group_label(report, group),
                target: self.organization_label(report, current).await,
            });
        }
        let organizations = self.require_organization(organization).await?;
        let mut steps = vec![Step::MatchOrganization {
            group: group.clone(),
            organization,
            replacing: Some(current),
        }];
        for device in &view.group.devices {
            if let Some(configuration) = stored.matches.configuration_of.get(device) {
                steps.push(Step::UnmatchDevice {
                    device: device.clone(),
                    configuration: *configuration,
                });
            }
        }
        if mode == Mode::DryRun {
            return Ok(ActionOutcome::planned(steps).named(report, &organizations, &[]));
        }
        let now = self.now();
        let author = actor.author();
        let changes: Vec<Change> = steps
            .iter()
            .filter_map(|step| match step {
                Step::MatchOrganization {
                    group,
                    organization,
                    ..
                } => Some(stored::match_organization(
                    group,
                    *organization,
                    &author,
                    None,
                    now,
                )),
                Step::UnmatchDevice { device, .. } => Some(stored::unmatch_device(device)),
                _ => None,
            })
            .collect();
        self.store
            .apply(&self.tenant, state.version, &changes)
            .await?;
        Ok(ActionOutcome::applied(steps, Vec::new()).named(report, &organizations, &[]))
    }

    /// The organizations whose names resemble `query`, best first (those a manager may see):
    /// the matcher's ranked candidates, then every name containing the query as typed.
    pub async fn search_organizations(
        &self,
        actor: &Actor,
        query: &str,
        limit: usize,
    ) -> Result<Vec<Suggestion<Organization>>, ItGlueError> {
        let state = self.action_state().await?;
        let organizations = match self.docs.organizations().await {
            Ok(list) => list,
            Err(error) => return Err(self.vendor_failed(error).await),
        };
        let visible: Vec<Organization> = organizations
            .into_iter()
            .filter(|o| actor.may_act_on(o.id))
            .collect();
        let index = OrganizationIndex::new(visible.iter().cloned());
        let mut options: MatchOptions = self.effective(&state).matching;
        options.floor = options.floor.min(SEARCH_FLOOR);
        options.top_k = limit;
        let mut found: Vec<Suggestion<Organization>> = index
            .evaluate(query, &options)
            .suggestions
            .into_iter()
            .filter_map(|s| {
                Some(Suggestion {
                    candidate: index.get(s.candidate)?.clone(),
                    score: s.score,
                    reason: s.reason,
                    margin: s.margin,
                    weak: s.weak,
                })
            })
            .collect();
        let needle = query.trim().to_lowercase();
        if !needle.is_empty() {
            for organization in &visible {
                let contains = organization.name.to_lowercase().contains(&needle);
                if contains && !found.iter().any(|s| s.candidate.id == organization.id) {
                    let (score, reason) = index
                        .score_of(query, organization.id, &options)
                        .unwrap_or((0.0, sync_core::itglue::MatchReason::Fuzzy));
                    found.push(Suggestion {
                        candidate: organization.clone(),
                        score,
                        reason,
                        margin: 0.0,
                        weak: false,
                    });
                }
            }
        }
        found.truncate(limit);
        Ok(found)
    }

    /// Creates an organization for `group` (named `name`, or the group's name) and matches the
    /// group to it. Refused when an organization with the same normalised name exists, unless
    /// `force`. Only administrators create organizations. The create is journaled: asked again
    /// after an interruption, it finds the organization instead of creating a second one.
    pub async fn create_organization(
        &self,
        actor: &Actor,
        report: &SyncReport,
        group: &GroupId,
        name: Option<&str>,
        force: bool,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        actor.require_administrator("creating an organization")?;
        let view = group_view(report, group)?;
        let name = name.unwrap_or(&view.group.name).trim().to_owned();
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        if let Some(current) = stored.matches.organization_of.get(group) {
            return Err(ItGlueError::AlreadyMatched {
                subject: group_label(report, group),
                target: self.organization_label(report, *current).await,
            });
        }
        let organizations = match self.docs.organizations().await {
            Ok(list) => list,
            Err(error) => return Err(self.vendor_failed(error).await),
        };
        let key = journal::organization_key(group);
        let description = format!("create IT Glue organization {name:?} for {group}");

        // An earlier attempt may have created it already.
        let earlier = match self.store.intent(&self.tenant, &key).await? {
            Some(entry) if entry.state == sync_store::IntentState::Completed => entry
                .result
                .and_then(|id| id.parse().ok())
                .map(OrganizationId)
                .filter(|id| organizations.iter().any(|o| o.id == *id)),
            Some(_) => find_by_name(&organizations, &name),
            None => None,
        };

        if earlier.is_none() && !force {
            let index = OrganizationIndex::new(organizations.iter().cloned());
            let existing: Vec<(OrganizationId, String)> = index
                .with_same_key(&name)
                .into_iter()
                .filter_map(|id| index.get(id).map(|o| (o.id, o.name.clone())))
                .collect();
            if !existing.is_empty() {
                return Err(ItGlueError::DuplicateOrganization { name, existing });
            }
        }
        let cap = self.effective(&state).create_cap;
        if earlier.is_none() && cap < 1 {
            return Err(ItGlueError::CreateCapExceeded { requested: 1, cap });
        }
        let planned = match earlier {
            Some(organization) => Step::MatchOrganization {
                group: group.clone(),
                organization,
                replacing: None,
            },
            None => Step::CreateOrganization {
                group: group.clone(),
                name: name.clone(),
            },
        };
        let steps = vec![planned];
        if mode == Mode::DryRun {
            return Ok(ActionOutcome::planned(steps).named(report, &organizations, &[]));
        }

        let now = self.now();
        let (organization, resumed) = match earlier {
            Some(id) => {
                let entry = self.store.intent(&self.tenant, &key).await?;
                if entry.is_some_and(|e| e.is_pending()) {
                    self.store
                        .complete(&self.tenant, &key, &id.to_string(), now)
                        .await?;
                }
                (id, true)
            }
            None => {
                if let Resume::Done(_) =
                    journal::begin(self.store.as_ref(), &self.tenant, &key, &description, now)
                        .await?
                {
                    // Completed, but the organization is gone from IT Glue: create it again.
                    journal::restart(self.store.as_ref(), &self.tenant, &key, &description, now)
                        .await?;
                }
                self.store.mark_sent(&self.tenant, &key, now).await?;
                let created = match self.docs.create_organization(&name).await {
                    Ok(created) => created,
                    Err(error) => return Err(self.vendor_failed(error).await),
                };
                self.store
                    .complete(&self.tenant, &key, &created.id.to_string(), self.now())
                    .await?;
                tracing::info!(organization = %created.id, %group, "organization created");
                (created.id, false)
            }
        };
        let state = self.store.state(&self.tenant).await?;
        let change =
            stored::match_organization(group, organization, &actor.author(), None, self.now());
        self.store
            .apply(&self.tenant, state.version, &[change])
            .await?;
        let mut steps = Vec::new();
        if !resumed {
            steps.push(Step::CreateOrganization {
                group: group.clone(),
                name: name.clone(),
            });
        }
        steps.push(Step::MatchOrganization {
            group: group.clone(),
            organization,
            replacing: None,
        });
        let mut organizations = organizations;
        organizations.push(Organization {
            id: organization,
            name,
        });
        Ok(ActionOutcome::applied(
            steps,
            vec![Created::Organization {
                id: organization,
                resumed,
            }],
        )
        .named(report, &organizations, &[]))
    }

    /// Ignores a group: it is no longer matched nor counted as unmatched. A group matched to
    /// an organization can be ignored only by someone allowed on that organization; an
    /// unmatched one only by an administrator.
    pub async fn ignore_group(
        &self,
        actor: &Actor,
        report: &SyncReport,
        group: &GroupId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        group_view(report, group)?;
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        self.require_group_scope(actor, report, &stored, group)
            .await?;
        if stored.matches.ignored.contains(group) {
            return Err(ItGlueError::IgnoreState {
                group: group.clone(),
                name: group_name(report, group),
                ignored: true,
            });
        }
        let steps = vec![Step::IgnoreGroup {
            group: group.clone(),
        }];
        let outcome = self
            .apply_simple(&state, steps, mode, || {
                stored::ignore_group(group, &actor.author(), self.now())
            })
            .await?;
        Ok(outcome.named(report, &[], &[]))
    }

    /// Takes a group's ignore back: the next run matches it again.
    pub async fn unignore_group(
        &self,
        actor: &Actor,
        report: &SyncReport,
        group: &GroupId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        self.require_group_scope(actor, report, &stored, group)
            .await?;
        if !stored.matches.ignored.contains(group) {
            return Err(ItGlueError::IgnoreState {
                group: group.clone(),
                name: group_name(report, group),
                ignored: false,
            });
        }
        let steps = vec![Step::UnignoreGroup {
            group: group.clone(),
        }];
        let outcome = self
            .apply_simple(&state, steps, mode, || stored::unignore_group(group))
            .await?;
        Ok(outcome.named(report, &[], &[]))
    }

    async fn require_group_scope(
        &self,
        actor: &Actor,
        report: &SyncReport,
        stored: &Stored,
        group: &GroupId,
    ) -> Result<(), ItGlueError> {
        match stored.matches.organization_of.get(group) {
            Some(organization) => self.require_scope(actor, report, *organization).await,
            None => actor.require_administrator("ignoring an unmatched group"),
        }
    }

    async fn apply_simple(
        &self,
        state: &TenantState,
        steps: Vec<Step>,
        mode: Mode,
        change: impl FnOnce() -> Change,
    ) -> Result<ActionOutcome, ItGlueError> {
        if mode == Mode::DryRun {
            return Ok(ActionOutcome::planned(steps));
        }
        self.store
            .apply(&self.tenant, state.version, &[change()])
            .await?;
        Ok(ActionOutcome::applied(steps, Vec::new()))
    }

    /// Refuses an organization IT Glue does not have; else IT Glue's organizations.
    async fn require_organization(
        &self,
        organization: OrganizationId,
    ) -> Result<Vec<Organization>, ItGlueError> {
        let organizations = match self.docs.organizations().await {
            Ok(list) => list,
            Err(error) => return Err(self.vendor_failed(error).await),
        };
        if organizations.iter().any(|o| o.id == organization) {
            Ok(organizations)
        } else {
            Err(ItGlueError::UnknownOrganization { organization })
        }
    }
}

/// How far below the run's suggestion floor a search still lists candidates.
const SEARCH_FLOOR: f64 = 0.3;

fn group_view<'a>(report: &'a SyncReport, group: &GroupId) -> Result<&'a GroupView, ItGlueError> {
    report
        .group(group)
        .ok_or_else(|| ItGlueError::UnknownGroup {
            group: group.clone(),
        })
}

/// The organization an interrupted create made: the one with exactly this name (case and
/// surrounding blanks aside); the smallest id when several carry it.
fn find_by_name(organizations: &[Organization], name: &str) -> Option<OrganizationId> {
    let wanted = name.trim().to_lowercase();
    organizations
        .iter()
        .filter(|o| o.name.trim().to_lowercase() == wanted)
        .map(|o| o.id)
        .min()
}

/// The group's name, else its id (a group the report lacks).
fn group_name(report: &SyncReport, group: &GroupId) -> String {
    report
        .group(group)
        .map_or_else(|| group.to_string(), |view| view.group.name.clone())
}
