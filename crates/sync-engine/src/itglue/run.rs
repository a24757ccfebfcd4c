//! A sync run: fetch both inventories, let `sync-core` match, store the new matches.
//!
//! The run's status goes `Syncing…` → `OK` or `Failed: reason`. Any failed call — any page of
//! any list — fails the run before anything is stored: a partial list is never mistaken for a
//! whole one. A vendor refusing the credentials also marks them invalid, so later runs refuse at
//! once without calling anybody until new credentials are saved.

use std::collections::{BTreeMap, BTreeSet};

use futures::stream::{self, StreamExt};
use sync_core::itglue::{
    Configuration, ConfigurationOutcome, Device, DeviceUid, Group, GroupId, Organization,
    OrganizationId, OrganizationIndex, OrganizationOutcome, Site, build_groups,
    device_match_changes, match_organizations,
};
use sync_store::{Change, Flow, RunId, RunOutcome, StoreError};
use tracing::Instrument;

use super::actions::Mode;
use super::devices::{is_matched, match_devices, matched_configuration};
use super::error::ItGlueError;
use super::facts::{DeviceFacts, FactsError, has_audit};
use super::flow::ItGlueFlow;
use super::ports::RmmSite;
use super::progress::{Phase, ProgressSink, Reporter};
use super::report::{DattoCalls, GroupView, SyncCounts, SyncReport, organization_views};
use super::stored::{self, Author, Stored};
use super::updates::UpdateInputs;

impl From<FactsError> for ItGlueError {
    fn from(error: FactsError) -> Self {
        match error {
            FactsError::Port(port) => Self::Vendor(port),
            FactsError::Store(store) => Self::Store(store),
        }
    }
}

/// How many organizations' configurations are listed at once (IT Glue's client limiter still
/// decides the pace).
const CONCURRENT_LISTINGS: usize = 4;

/// The run number of a dry run's report: a dry run is not recorded, so it has none of its own.
pub const DRY_RUN: RunId = RunId(0);

/// What the Datto RMM listings gave.
struct Inventory {
    sites: Vec<RmmSite>,
    devices: Vec<Device>,
}

/// What a run keeps of the whole inventory once the devices of matched organizations moved on.
struct Listed {
    /// Every device uid Datto RMM lists.
    devices: Vec<String>,
    /// Every site uid Datto RMM lists.
    sites: Vec<String>,
    /// The devices Datto RMM lists outside its "Deleted Devices" site.
    present: BTreeSet<DeviceUid>,
}

impl Listed {
    fn of(inventory: &Inventory) -> Self {
        let deleted_site: BTreeSet<&str> = inventory
            .sites
            .iter()
            .filter(|s| s.site.name == "Deleted Devices")
            .map(|s| s.site.uid.as_str())
            .collect();
        Self {
            devices: inventory
                .devices
                .iter()
                .map(|d| d.uid.as_str().to_owned())
                .collect(),
            sites: inventory
                .sites
                .iter()
                .map(|s| s.site.uid.as_str().to_owned())
                .collect(),
            present: inventory
                .devices
                .iter()
                .filter(|d| !deleted_site.contains(d.site.as_str()))
                .map(|d| d.uid.clone())
                .collect(),
        }
    }
}

/// The organization pass and what it needs next.
struct Organizations {
    organizations: Vec<Organization>,
    groups: Vec<GroupView>,
    /// The groups matched to each organization that exists.
    matched: BTreeMap<OrganizationId, Vec<Group>>,
    new_matches: Vec<Change>,
}

impl ItGlueFlow {
    /// Runs a sync of the tenant and returns what it found. Progress goes to `progress`; each
    /// phase runs in a `tracing` span `itglue.<phase>`.
    ///
    /// Refuses at once, without calling any vendor, when the credentials are not saved, are not
    /// the ones the ports use, or were refused since they were saved (the refusal is recorded as
    /// a failed run); answers [`ItGlueError::Busy`] when another worker holds the tenant's lease.
    pub async fn run(&self, progress: &dyn ProgressSink) -> Result<SyncReport, ItGlueError> {
        self.run_with(progress, Mode::Apply).await
    }

    /// [`run`](Self::run), or with [`Mode::DryRun`] a run that plans the updates of matched
    /// configurations (each attribute old → new, in [`SyncReport::updates`]) and writes
    /// nothing: nothing to IT Glue, and nothing to the store — no run, no matches, no kept
    /// report, no journal entry, no credential status, no lease (it only reads, so it may run
    /// beside a sync). It keeps only what a reading fills: Datto RMM's device audits and site
    /// network-interface listings, cached under the device's `lastAuditDate` as every run
    /// caches them. Its report's [`run`](SyncReport::run) is [`DRY_RUN`].
    pub async fn run_with(
        &self,
        progress: &dyn ProgressSink,
        mode: Mode,
    ) -> Result<SyncReport, ItGlueError> {
        let reporter = Reporter::new(progress);
        reporter.start(Phase::Preparing, None);
        let dry_run = mode == Mode::DryRun;
        let state = self.store.state(&self.tenant).await?;
        if let Err(refusal) = self.check_gate(&state) {
            if !dry_run {
                let run = self
                    .store
                    .start_run(&self.tenant, Flow::ItGlue, self.now())
                    .await?;
                self.finish(run.id, Err(&refusal), &Default::default())
                    .await?;
            }
            tracing::warn!(tenant = %self.tenant, %refusal, "IT Glue sync refused");
            return Err(refusal);
        }
        let result = if dry_run {
            let mut calls = DattoCalls::default();
            self.sync(DRY_RUN, &reporter, &mut calls, true)
                .instrument(tracing::info_span!("itglue.dry_run", tenant = %self.tenant))
                .await
        } else {
            let lease = self.take_lease().await?;
            let result = self.run_leased(&reporter).await;
            lease.release().await;
            result
        };
        reporter.start(Phase::Done, None);
        result
    }

    async fn run_leased(&self, reporter: &Reporter<'_>) -> Result<SyncReport, ItGlueError> {
        let run = self
            .store
            .start_run(&self.tenant, Flow::ItGlue, self.now())
            .await?;
        let mut calls = DattoCalls::default();
        let result = self
            .sync(run.id, reporter, &mut calls, false)
            .instrument(tracing::info_span!("itglue.run", tenant = %self.tenant, run = run.id.0))
            .await;
        tracing::info!(
            site_listings = calls.site_listings,
            device_listings = calls.device_listings,
            site_device_listings = calls.site_device_listings,
            interface_listings = calls.interface_listings,
            audits = calls.audits,
            "Datto RMM calls of the run"
        );
        match result {
            Ok(report) => {
                let report = self.keep_report(report).await?;
                self.finish(run.id, Ok(()), &report.counts.to_run_counts(&calls))
                    .await?;
                self.note_valid().await?;
                Ok(report)
            }
            Err(error) => {
                if let ItGlueError::Vendor(port) = &error {
                    self.note_refusal(port).await;
                }
                let counts = SyncCounts::default().to_run_counts(&calls);
                self.finish(run.id, Err(&error), &counts).await?;
                tracing::warn!(%error, "IT Glue sync failed");
                Err(error)
            }
        }
    }

    async fn finish(
        &self,
        run: RunId,
        outcome: Result<(), &ItGlueError>,
        counts: &sync_store::RunCounts,
    ) -> Result<(), StoreError> {
        let outcome = match outcome {
            Ok(()) => RunOutcome::Ok,
            Err(error) => RunOutcome::Failed {
                reason: error.to_string(),
            },
        };
        self.store
            .finish_run(&self.tenant, run, outcome, counts, self.now())
            .await?;
        Ok(())
    }

    async fn sync(
        &self,
        run: RunId,
        reporter: &Reporter<'_>,
        calls: &mut DattoCalls,
        dry_run: bool,
    ) -> Result<SyncReport, ItGlueError> {
        let state = self.store.state(&self.tenant).await?;
        let stored = Stored::new(&state.itglue);
        let settings = self.effective(&state);

        let inventory = self
            .list_inventory(reporter, calls)
            .instrument(tracing::info_span!("itglue.inventory"))
            .await?;
        self.keep_lease_unless(dry_run).await?;
        let sites: Vec<Site> = inventory.sites.iter().map(|s| s.site.clone()).collect();
        let groups = build_groups(&sites, &inventory.devices, settings.grouping);

        let pass = self
            .match_groups(reporter, &groups, &stored, &settings.matching)
            .instrument(tracing::info_span!("itglue.organizations"))
            .await?;
        drop(groups);
        drop(sites);

        self.keep_lease_unless(dry_run).await?;
        let configurations = self
            .list_configurations(reporter, pass.matched.keys().copied())
            .instrument(tracing::info_span!("itglue.configurations"))
            .await?;
        self.keep_lease_unless(dry_run).await?;

        // What the rest of the run needs of the whole inventory: which devices and sites Datto
        // RMM lists (the caches keep only those) and which devices are present (outside
        // "Deleted Devices"). The devices of matched organizations move on; the others are
        // dropped here, so an account's devices are never held twice.
        let listed = Listed::of(&inventory);
        let matched_devices: BTreeSet<&DeviceUid> = pass
            .matched
            .values()
            .flatten()
            .flat_map(|g| &g.devices)
            .collect();
        let mut devices: BTreeMap<DeviceUid, Device> = inventory
            .devices
            .into_iter()
            .filter(|device| matched_devices.contains(&device.uid))
            .map(|device| (device.uid.clone(), device))
            .collect();
        drop(matched_devices);

        let (decisions, mut facts) = self
            .match_all_devices(
                reporter,
                &pass.matched,
                &configurations,
                &stored,
                &settings.identifiers,
                &mut devices,
            )
            .instrument(tracing::info_span!("itglue.devices"))
            .await?;

        self.keep_lease_unless(dry_run).await?;
        reporter.start(Phase::Saving, None);
        let device_changes = device_match_changes(&decisions, &stored.matches);
        let organizations_matched_now = pass.new_matches.len() as u64;
        let devices_matched_now = device_changes.matches.len() as u64;
        let mut changes = pass.new_matches.clone();
        changes.extend(stored::device_match_changes(&device_changes, self.now()));
        if !dry_run {
            self.save(state.version, &changes)
                .instrument(tracing::info_span!(
                    "itglue.saving",
                    changes = changes.len()
                ))
                .await?;
            self.prune_caches(&listed).await?;
            self.settle_intents(&pass, &decisions).await?;
        }

        self.keep_lease_unless(dry_run).await?;
        reporter.start(Phase::Updating, None);
        let updates = self
            .update_matched(
                UpdateInputs {
                    decisions: &decisions,
                    configurations: &configurations,
                    stored_matches: &stored.matches.configuration_of,
                    present: &listed.present,
                    settings: &settings,
                    dry_run,
                },
                &mut devices,
                &mut facts,
            )
            .instrument(tracing::info_span!("itglue.updates", dry_run))
            .await?;
        // One reader of facts for matching and updating: a site listed or a device audited
        // for matching is not read again for its update.
        let facts_calls = facts.calls();
        calls.interface_listings += facts_calls.interface_listings;
        tracing::debug!(
            reused = facts_calls.kept_interface_listings,
            "kept site network-interface listings reused"
        );
        calls.audits += facts_calls.audits;
        drop(facts);
        drop(listed);

        let organizations = organization_views(
            &pass.organizations,
            &pass.matched,
            &configurations,
            &decisions,
            devices,
        );
        let mut counts = SyncCounts::of(&pass.groups, &decisions);
        counts.organizations_matched_now = organizations_matched_now;
        counts.devices_matched_now = devices_matched_now;
        Ok(SyncReport {
            run,
            groups: pass.groups,
            organizations,
            counts,
            datto_calls: *calls,
            updates,
        })
    }

    /// Sites and devices. A taking-part site whose reported device count differs from what the
    /// account listing gave is listed on its own, and that listing is used.
    async fn list_inventory(
        &self,
        reporter: &Reporter<'_>,
        calls: &mut DattoCalls,
    ) -> Result<Inventory, ItGlueError> {
        reporter.start(Phase::Sites, None);
        let sites = self.rmm.sites().await?;
        calls.site_listings += 1;
        reporter.report(Phase::Sites, sites.len() as u64, Some(sites.len() as u64));

        reporter.start(Phase::Devices, None);
        let mut devices = self.rmm.account_devices().await?;
        calls.device_listings += 1;
        let mut listed: BTreeMap<&str, u64> = BTreeMap::new();
        for device in &devices {
            *listed.entry(device.site.as_str()).or_default() += 1;
        }
        let disagreeing: Vec<&RmmSite> = sites
            .iter()
            .filter(|s| s.site.is_managed())
            .filter(|s| {
                s.device_count
                    .is_some_and(|n| n != listed.get(s.site.uid.as_str()).copied().unwrap_or(0))
            })
            .collect();
        let mut replacements = Vec::new();
        for site in disagreeing {
            tracing::info!(site = %site.site.uid, "site's device count differs from the account listing; listing the site");
            replacements.push((
                site.site.uid.clone(),
                self.rmm.site_devices(&site.site.uid).await?,
            ));
            calls.site_device_listings += 1;
        }
        for (site, site_devices) in replacements {
            devices.retain(|d| d.site != site);
            devices.extend(site_devices);
        }
        reporter.report(
            Phase::Devices,
            devices.len() as u64,
            Some(devices.len() as u64),
        );
        Ok(Inventory { sites, devices })
    }

    async fn match_groups(
        &self,
        reporter: &Reporter<'_>,
        groups: &[Group],
        stored: &Stored,
        options: &sync_core::itglue::MatchOptions,
    ) -> Result<Organizations, ItGlueError> {
        reporter.start(Phase::Organizations, None);
        let organizations = self.docs.organizations().await?;
        reporter.report(
            Phase::Organizations,
            organizations.len() as u64,
            Some(organizations.len() as u64),
        );

        reporter.start(Phase::MatchingOrganizations, Some(groups.len() as u64));
        let index = OrganizationIndex::new(organizations.iter().cloned());
        let ignored: Vec<GroupId> = stored.matches.ignored.iter().cloned().collect();
        let matching =
            match_organizations(groups, &index, &stored.organizations, &ignored, options);
        let now = self.now();
        let new_matches = matching
            .new_matches()
            .map(|m| {
                let reason = match m.origin {
                    sync_core::itglue::MatchOrigin::Automatic { reason } => Some(reason),
                    _ => None,
                };
                stored::match_organization(&m.group, m.organization, &Author::Sync, reason, now)
            })
            .collect();
        let by_id: BTreeMap<&GroupId, &Group> = groups.iter().map(|g| (&g.id, g)).collect();
        let mut matched: BTreeMap<OrganizationId, Vec<Group>> = BTreeMap::new();
        let mut views = Vec::with_capacity(matching.matches.len());
        for decision in matching.matches {
            let Some(group) = by_id.get(&decision.group) else {
                continue;
            };
            let organization = match decision.outcome {
                OrganizationOutcome::Stored {
                    organization,
                    organization_exists: true,
                }
                | OrganizationOutcome::Matched { organization, .. } => Some(organization),
                _ => None,
            };
            if let Some(organization) = organization {
                matched
                    .entry(organization)
                    .or_default()
                    .push((*group).clone());
            }
            views.push(GroupView {
                group: (*group).clone(),
                outcome: decision.outcome,
            });
        }
        reporter.report(
            Phase::MatchingOrganizations,
            groups.len() as u64,
            Some(groups.len() as u64),
        );
        Ok(Organizations {
            organizations,
            groups: views,
            matched,
            new_matches,
        })
    }

    async fn list_configurations(
        &self,
        reporter: &Reporter<'_>,
        organizations: impl ExactSizeIterator<Item = OrganizationId>,
    ) -> Result<BTreeMap<OrganizationId, Vec<Configuration>>, ItGlueError> {
        let total = organizations.len() as u64;
        reporter.start(Phase::Configurations, Some(total));
        let docs = self.docs.as_ref();
        let mut listings =
            stream::iter(organizations)
                .map(|organization| async move {
                    (organization, docs.configurations(organization).await)
                })
                .buffered(CONCURRENT_LISTINGS);
        let mut out = BTreeMap::new();
        while let Some((organization, listed)) = listings.next().await {
            out.insert(organization, listed?);
            reporter.report(Phase::Configurations, out.len() as u64, Some(total));
        }
        Ok(out)
    }

    /// Matches the devices of every matched organization: facts first where needed, then
    /// `sync-core`'s device pass; devices still unmatched that have an audit are audited and
    /// the pass runs again for their organizations.
    async fn match_all_devices(
        &self,
        reporter: &Reporter<'_>,
        matched: &BTreeMap<OrganizationId, Vec<Group>>,
        configurations: &BTreeMap<OrganizationId, Vec<Configuration>>,
        stored: &Stored,
        policy: &sync_core::identifiers::IdentifierPolicy,
        devices: &mut BTreeMap<DeviceUid, Device>,
    ) -> Result<
        (
            BTreeMap<OrganizationId, BTreeMap<DeviceUid, ConfigurationOutcome>>,
            DeviceFacts<'_>,
        ),
        ItGlueError,
    > {
        let empty = Vec::new();
        let members = |organization: &OrganizationId| -> Vec<DeviceUid> {
            matched
                .get(organization)
                .into_iter()
                .flatten()
                .flat_map(|g| g.devices.iter().cloned())
                .collect()
        };

        // Devices whose stored configuration still exists need nothing.
        let mut needing = BTreeSet::new();
        for organization in matched.keys() {
            let known: BTreeSet<_> = configurations
                .get(organization)
                .unwrap_or(&empty)
                .iter()
                .map(|c| c.id)
                .collect();
            for device in members(organization) {
                let current = stored
                    .matches
                    .configuration_of
                    .get(&device)
                    .is_some_and(|configuration| known.contains(configuration));
                if !current {
                    needing.insert(device);
                }
            }
        }

        reporter.start(Phase::DeviceFacts, Some(needing.len() as u64));
        let mut facts = DeviceFacts::new(self.rmm.as_ref(), self.store.as_ref(), &self.tenant);
        facts.fill(devices, &needing).await?;

        reporter.start(Phase::MatchingDevices, Some(matched.len() as u64));
        let mut decisions = BTreeMap::new();
        for organization in matched.keys() {
            let uids = members(organization);
            let decided = match_devices(
                &uids,
                devices,
                configurations.get(organization).unwrap_or(&empty),
                stored,
                policy,
            );
            decisions.insert(*organization, decided);
        }

        // Second chance: audit the devices MAC addresses did not match.
        let mut to_audit: BTreeMap<OrganizationId, Vec<DeviceUid>> = BTreeMap::new();
        for (organization, decided) in &decisions {
            for (uid, decision) in decided {
                if !is_matched(decision)
                    && devices
                        .get(uid)
                        .is_some_and(|d| has_audit(d) && d.serial_numbers.is_empty())
                {
                    to_audit.entry(*organization).or_default().push(uid.clone());
                }
            }
        }
        reporter.start(
            Phase::DeviceFacts,
            Some(to_audit.values().map(Vec::len).sum::<usize>() as u64),
        );
        for (organization, uids) in to_audit {
            if facts.audit(devices, &uids).await? == 0 {
                continue;
            }
            let decided = match_devices(
                &members(&organization),
                devices,
                configurations.get(&organization).unwrap_or(&empty),
                stored,
                policy,
            );
            decisions.insert(organization, decided);
        }
        reporter.report(
            Phase::MatchingDevices,
            matched.len() as u64,
            Some(matched.len() as u64),
        );
        Ok((decisions, facts))
    }

    /// Stores the run's new matches in one transaction. When a user changed the tenant
    /// meanwhile, the state is read again and only the matches that still apply are stored.
    async fn save(
        &self,
        version: sync_store::Version,
        changes: &[Change],
    ) -> Result<(), ItGlueError> {
        let mut version = version;
        let mut changes = changes.to_vec();
        for _ in 0..3 {
            match self.store.apply(&self.tenant, version, &changes).await {
                Ok(_) => return Ok(()),
                Err(StoreError::Conflict { .. }) => {
                    let state = self.store.state(&self.tenant).await?;
                    let now_stored = Stored::new(&state.itglue);
                    changes.retain(|change| now_stored.still_applies(change));
                    version = state.version;
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(ItGlueError::Store(StoreError::Conflict {
            tenant: self.tenant.clone(),
            expected: version,
            actual: self.store.version(&self.tenant).await?,
        }))
    }

    /// Completes journaled creates that an interrupted action left pending and that this run
    /// found in IT Glue (a configuration carrying the device's marker, matched now).
    /// [`keep_lease`](Self::keep_lease), except in a dry run, which holds none.
    async fn keep_lease_unless(&self, dry_run: bool) -> Result<(), ItGlueError> {
        if dry_run {
            return Ok(());
        }
        self.keep_lease().await
    }

    /// Forgets the kept audits and interface listings of devices and sites Datto RMM no longer
    /// lists.
    async fn prune_caches(&self, listed: &Listed) -> Result<(), ItGlueError> {
        self.store
            .retain_device_audits(&self.tenant, &listed.devices)
            .await?;
        self.store
            .retain_site_interfaces(&self.tenant, &listed.sites)
            .await?;
        Ok(())
    }

    async fn settle_intents(
        &self,
        pass: &Organizations,
        decisions: &BTreeMap<OrganizationId, BTreeMap<DeviceUid, ConfigurationOutcome>>,
    ) -> Result<(), ItGlueError> {
        let pending = self.store.pending_intents(&self.tenant).await?;
        if pending.is_empty() {
            return Ok(());
        }
        let now = self.now();
        for entry in pending {
            let settled = decisions.values().flatten().find_map(|(uid, decision)| {
                (super::journal::configuration_key(uid) == entry.key)
                    .then(|| matched_configuration(decision))
                    .flatten()
            });
            let settled = settled.map(|id| id.to_string()).or_else(|| {
                pass.groups.iter().find_map(|view| {
                    (super::journal::organization_key(&view.group.id) == entry.key)
                        .then(|| view.organization())
                        .flatten()
                        .map(|id| id.to_string())
                })
            });
            if let Some(result) = settled {
                if entry.state == sync_store::IntentState::Recorded {
                    self.store.mark_sent(&self.tenant, &entry.key, now).await?;
                }
                self.store
                    .complete(&self.tenant, &entry.key, &result, now)
                    .await?;
            }
        }
        Ok(())
    }
}
