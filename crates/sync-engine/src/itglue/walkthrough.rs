//! A first look at a tenant, in one call: a sync; the best suggestion of every suggested group
//! accepted; the missing configurations of the matched organization with the most devices
//! without one created; a second sync, and a third with nothing changed — what each step found
//! or did, in numbers and by name.

use serde::Serialize;
use sync_core::itglue::ConfigurationOutcome;

use super::actions::Mode;
use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::listing::{GroupListing, OrganizationState};
use super::progress::NoProgress;
use super::report::{OrganizationView, SyncCounts};
use super::scope::Actor;
use super::summary::{DeviceTally, UpdateCounts};

/// What [`ItGlueFlow::walk_through`] found and did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Walkthrough {
    /// The first sync's counts.
    pub first: SyncCounts,
    /// What the first sync wrote on matched configurations.
    pub first_updates: UpdateCounts,
    /// Every group of the first sync with its organization (or suggestions), named.
    pub groups: Vec<GroupListing>,
    /// How the first sync's devices matched.
    #[serde(flatten)]
    pub devices: DeviceTally,
    /// The groups whose best suggestion was accepted, by name.
    pub accepted: Vec<String>,
    /// The organization whose missing configurations were created, and how many.
    pub created_configurations: Option<(String, usize)>,
    /// The second sync's counts.
    pub second: SyncCounts,
    /// What the second sync wrote (the configurations the actions matched).
    pub second_updates: UpdateCounts,
    /// What a third sync, with nothing changed, wrote (nothing, when the sync is idempotent).
    pub third_updates: UpdateCounts,
}

impl ItGlueFlow {
    /// Walks a connected tenant through its first matches as `actor`: syncs; accepts the best
    /// suggestion of every suggested group `actor` may see; creates the missing configurations
    /// (one bulk call) of the matched organization with the most devices that have neither a
    /// configuration nor a suggestion; syncs again, and a third time with nothing changed.
    /// Every step is applied — this is a real onboarding, not a dry run — and the answer says
    /// what each found or did ([`Walkthrough::lines`] in words). The first failure stops it.
    ///
    /// ```no_run
    /// # async fn f(flow: sync_engine::itglue::ItGlueFlow) -> Result<(), sync_engine::itglue::ItGlueError> {
    /// use sync_engine::itglue::Actor;
    ///
    /// flow.connect().await?;
    /// let walk = flow.walk_through(&Actor::administrator("onboarding")).await?;
    /// walk.lines().iter().for_each(|line| println!("{line}"));
    /// assert_eq!(walk.third_updates.configurations_updated, 0);
    /// # Ok(()) }
    /// ```
    pub async fn walk_through(&self, actor: &Actor) -> Result<Walkthrough, ItGlueError> {
        let first = self.run(&NoProgress).await?;
        let mut walk = Walkthrough {
            first: first.counts,
            first_updates: first.updates.counts(),
            groups: self.group_listings(actor, &first, None).await?,
            devices: first.device_tally(),
            ..Walkthrough::default()
        };
        let visible = first.visible_to(actor);
        for view in &visible.groups {
            let Some(best) = view.best_suggestion() else {
                continue;
            };
            let group = &view.group.id;
            self.accept_organization_suggestion(actor, &first, group, best, Mode::Apply)
                .await?;
            walk.accepted.push(view.group.name.clone());
        }
        let missing = |o: &&OrganizationView| {
            let unmatched = o.devices.iter();
            unmatched
                .filter(|d| d.outcome == ConfigurationOutcome::Unmatched)
                .count()
        };
        let busiest = visible.organizations.iter().max_by_key(missing);
        if let Some(organization) = busiest.filter(|o| missing(o) > 0) {
            let id = organization.organization.id;
            let outcome = self
                .create_missing_configurations(actor, &first, id, Mode::Apply)
                .await?;
            let name = organization.organization.name.clone();
            walk.created_configurations = Some((name, outcome.created.len()));
        }
        let second = self.run(&NoProgress).await?;
        walk.second = second.counts;
        walk.second_updates = second.updates.counts();
        walk.third_updates = self.run(&NoProgress).await?.updates.counts();
        Ok(walk)
    }
}

impl Walkthrough {
    /// The walk in words, one screen: the first sync's groups (matched organizations,
    /// suggestions best first, unmatched groups, all by name) and devices, what it wrote, what
    /// was accepted and created, and the two syncs after.
    pub fn lines(&self) -> Vec<String> {
        let c = &self.first;
        let mut lines = vec![format!(
            "First sync: {} groups with devices — {} matched, {} suggested, {} unmatched.",
            c.groups, c.groups_matched, c.groups_suggested, c.groups_unmatched
        )];
        let in_state = |state| self.groups.iter().filter(move |g| g.state == state);
        lines.push("Matched organizations:".to_owned());
        lines.extend(
            in_state(OrganizationState::Matched).map(|g| format!("  {:?} → {}", g.name, g.detail)),
        );
        if in_state(OrganizationState::Suggested).next().is_some() {
            lines.push("Suggested (best first):".to_owned());
        }
        lines.extend(
            in_state(OrganizationState::Suggested).map(|g| format!("  {:?}: {}", g.name, g.detail)),
        );
        let unmatched: Vec<String> = in_state(OrganizationState::Unmatched)
            .map(|g| format!("{:?}", g.name))
            .collect();
        if !unmatched.is_empty() {
            lines.push(format!("Unmatched: {}", unmatched.join(", ")));
        }
        let by: Vec<String> = (self.devices.devices_matched_by.iter())
            .map(|(reason, n)| format!("{n} by {reason}"))
            .collect();
        lines.push(format!(
            "Configurations: of {} devices in matched organizations, {} matched ({}), {} suggested by name only, {} without a configuration; {} devices wait for their group's organization.",
            c.devices - c.devices_without_organization,
            c.devices_matched,
            by.join(", "),
            self.devices.devices_suggested_by_name,
            c.devices_unmatched,
            c.devices_without_organization
        ));
        lines.push(format!(
            "RMM data written on matched configurations: {}.",
            self.first_updates
        ));
        lines.push("Then, as a user:".to_owned());
        if !self.accepted.is_empty() {
            let n = self.accepted.len();
            lines.push(format!("  accepted the best suggestion for {n} group(s)"));
        }
        if let Some((organization, created)) = &self.created_configurations {
            lines.push(format!(
                "  created {created} missing configuration(s) in {organization:?} (one bulk call)"
            ));
        }
        let s = &self.second;
        lines.push(format!(
            "Second sync: {} of {} groups matched, {} of {} devices matched; {}.",
            s.groups_matched, s.groups, s.devices_matched, s.devices, self.second_updates
        ));
        lines.push(format!(
            "Third sync, nothing changed: {}.",
            self.third_updates
        ));
        lines
    }
}
