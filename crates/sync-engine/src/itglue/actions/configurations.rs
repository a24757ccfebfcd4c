//! The actions on the devices of a matched organization: accept a suggested configuration,
//! match to a chosen one, create configurations (one call for one, one bulk call per
//! organization for several) with `sync-core`'s field mapping.

use std::collections::BTreeMap;

use sync_core::itglue::{
    Configuration, ConfigurationId, ConfigurationKind, ConfigurationOutcome, ConfigurationType,
    Device, DeviceUid, OrganizationId, choose_configuration_type, configuration_attributes,
    rmm_marker,
};
use sync_store::{Change, IntentState};
use tracing::Instrument;

use super::names::{configuration_label, device_label};
use super::{ActionOutcome, Created, Mode, PlannedConfiguration, Step};
use crate::itglue::error::ItGlueError;
use crate::itglue::facts::{DeviceFacts, has_audit};
use crate::itglue::flow::ItGlueFlow;
use crate::itglue::journal;
use crate::itglue::lookups::{Lookups as RunLookups, Resolved};
use crate::itglue::ports::{NamedId, NewConfiguration};
use crate::itglue::report::{DeviceView, OrganizationView, SyncReport};
use crate::itglue::scope::Actor;
use crate::itglue::stored::{self, Stored};

impl ItGlueFlow {
    /// Matches `device` to `configuration`, one of the device's suggestions in `report`.
    pub async fn accept_configuration_suggestion(
        &self,
        actor: &Actor,
        report: &SyncReport,
        device: &DeviceUid,
        configuration: ConfigurationId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        let (_, view) = device_view(report, device)?;
        let suggested = matches!(
            &view.outcome,
            ConfigurationOutcome::Suggested { suggestions }
                if suggestions.iter().any(|s| s.candidate == configuration)
        );
        if !suggested {
            return Err(ItGlueError::NotASuggestion {
                subject: device_label(report, device),
                target: format!("configuration #{configuration}"),
            });
        }
        self.match_configuration(actor, report, device, configuration, mode)
            .instrument(tracing::info_span!(
                "itglue.accept_configuration_suggestion"
            ))
            .await
    }

    /// Matches `device` to a configuration of its organization, replacing the device's current
    /// match if it has one. Refused when another device holds the configuration.
    pub async fn match_configuration(
        &self,
        actor: &Actor,
        report: &SyncReport,
        device: &DeviceUid,
        configuration: ConfigurationId,
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        let (view, _) = device_view(report, device)?;
        let organization = view.organization.id;
        self.require_scope(actor, report, organization).await?;
        let state = self.action_state().await?;
        let stored = Stored::new(&state.itglue);
        let configurations = self.configurations_of(organization).await?;
        if !configurations.iter().any(|c| c.id == configuration) {
            return Err(ItGlueError::UnknownConfiguration {
                configuration,
                organization,
                name: Some(view.organization.name.clone()),
            });
        }
        if let Some(holder) = stored.matches.device_of(configuration)
            && holder != device
        {
            return Err(ItGlueError::Taken {
                subject: configuration_label(&configurations, configuration),
                other: device_label(report, holder),
            });
        }
        let replacing = stored.matches.configuration_of.get(device).copied();
        if replacing == Some(configuration) {
            return Err(ItGlueError::AlreadyMatched {
                subject: device_label(report, device),
                target: configuration_label(&configurations, configuration),
            });
        }
        let steps = vec![Step::MatchDevice {
            device: device.clone(),
            configuration,
            replacing,
        }];
        if mode == Mode::DryRun {
            return Ok(ActionOutcome::planned(steps).named(report, &[], &configurations));
        }
        let change = stored::match_device(device, configuration, &actor.author(), None, self.now());
        self.store
            .apply(&self.tenant, state.version, &[change])
            .await?;
        Ok(ActionOutcome::applied(steps, Vec::new()).named(report, &[], &configurations))
    }

    /// Creates a configuration for each of `devices` (unmatched devices of matched
    /// organizations) with the field mapping, and matches each device to its configuration:
    /// one create call for a single device, one bulk call per organization for several.
    ///
    /// Refused as a whole, before anything is created, when more configurations would be
    /// created than the tenant's create cap allows. Each create is journaled: asked again after
    /// an interruption, the action finds the configurations already made (by the RMM marker
    /// they carry) and creates only the missing ones.
    pub async fn create_configurations(
        &self,
        actor: &Actor,
        report: &SyncReport,
        devices: &[DeviceUid],
        mode: Mode,
    ) -> Result<ActionOutcome, ItGlueError> {
        async {
            let mut by_organization: BTreeMap<OrganizationId, Vec<&DeviceView>> = BTreeMap::new();
            for uid in devices {
                let (organization, view) = device_view(report, uid)?;
                self.require_scope(actor, report, organization.organization.id)
                    .await?;
                let list = by_organization
                    .entry(organization.organization.id)
                    .or_default();
                if !list.iter().any(|v| &v.device.uid == uid) {
                    list.push(view);
                }
            }
            let state = self.action_state().await?;
            let stored = Stored::new(&state.itglue);
            for uid in devices {
                if let Some(configuration) = stored.matches.configuration_of.get(uid) {
                    return Err(ItGlueError::AlreadyMatched {
                        subject: device_label(report, uid),
                        target: format!("configuration #{configuration}"),
                    });
                }
            }

            // What exists already, from an earlier interrupted attempt.
            let mut plans = Vec::new();
            let mut known = Vec::new();
            for (organization, views) in by_organization {
                let existing = self.configurations_of(organization).await?;
                let mut resumed = Vec::new();
                let mut missing = Vec::new();
                for view in views {
                    match self
                        .earlier_configuration(&view.device.uid, &existing)
                        .await?
                    {
                        Some(id) => resumed.push((view.device.uid.clone(), id)),
                        None => missing.push(view.device.clone()),
                    }
                }
                plans.push((organization, resumed, missing));
                known.extend(existing);
            }
            let requested: usize = plans.iter().map(|(_, _, missing)| missing.len()).sum();
            let cap = self.effective(&state).create_cap;
            if requested > cap {
                return Err(ItGlueError::CreateCapExceeded { requested, cap });
            }

            // The field mapping, with the audit where the run did not read one.
            let lookups = if requested > 0 {
                Some(self.lookups().await?)
            } else {
                None
            };
            let mut prepared = Vec::new();
            for (organization, resumed, mut missing) in plans {
                self.complete_facts(&mut missing).await?;
                let mut planned = Vec::new();
                for device in &missing {
                    let effective = self.effective(&state);
                    let attributes = configuration_attributes(device, &effective.identifiers);
                    let (type_id, type_name) = match &lookups {
                        Some(lookups) => {
                            self.configuration_type(lookups, attributes.kind, &effective.type_pins)?
                        }
                        None => (0, String::new()),
                    };
                    planned.push((
                        PlannedConfiguration {
                            device: device.uid.clone(),
                            attributes,
                            configuration_type: type_name,
                        },
                        type_id,
                    ));
                }
                prepared.push((organization, resumed, planned));
            }

            let mut steps = Vec::new();
            for (organization, resumed, planned) in &prepared {
                for (device, configuration) in resumed {
                    steps.push(Step::MatchDevice {
                        device: device.clone(),
                        configuration: *configuration,
                        replacing: None,
                    });
                }
                if !planned.is_empty() {
                    steps.push(Step::CreateConfigurations {
                        organization: *organization,
                        configurations: planned.iter().map(|(p, _)| p.clone()).collect(),
                    });
                }
            }
            if mode == Mode::DryRun {
                return Ok(ActionOutcome::planned(steps).named(report, &[], &known));
            }

            let status = lookups.as_ref().and_then(|l| l.status);
            let mut created = Vec::new();
            let mut changes: Vec<Change> = Vec::new();
            let author = actor.author();
            for (organization, resumed, planned) in prepared {
                for (device, id) in resumed {
                    self.complete_intent(&journal::configuration_key(&device), id)
                        .await?;
                    changes.push(stored::match_device(&device, id, &author, None, self.now()));
                    created.push(Created::Configuration {
                        device,
                        id,
                        resumed: true,
                    });
                }
                if planned.is_empty() {
                    continue;
                }
                let made = self.create_in(organization, &planned, status).await?;
                for (device, id) in made {
                    changes.push(stored::match_device(&device, id, &author, None, self.now()));
                    created.push(Created::Configuration {
                        device,
                        id,
                        resumed: false,
                    });
                }
            }
            let state = self.store.state(&self.tenant).await?;
            self.store
                .apply(&self.tenant, state.version, &changes)
                .await?;
            Ok(ActionOutcome::applied(steps, created).named(report, &[], &known))
        }
        .instrument(tracing::info_span!(
            "itglue.create_configurations",
            devices = devices.len()
        ))
        .await
    }

    /// The creates with the manufacturer, model and operating system resolved to the account's
    /// records (missing manufacturers and models created), so a created configuration is
    /// complete and the next run has nothing to write on it — unless a lookup failed, which
    /// leaves those fields to the next run's update rather than failing the create.
    async fn complete_requests(
        &self,
        planned: &[(PlannedConfiguration, u64)],
        status: Option<u64>,
    ) -> Result<Vec<NewConfiguration>, ItGlueError> {
        let docs = self.docs.as_ref();
        let mut lookups = RunLookups::default();
        let mut requests = Vec::with_capacity(planned.len());
        for (plan, type_id) in planned {
            let a = &plan.attributes;
            // A lookup that fails (but for refused credentials) leaves these fields to the
            // next sync's update of the created configuration.
            let manufacturer = match a.manufacturer.as_deref() {
                Some(name) if !lookups.unavailable => {
                    let found = lookups.manufacturer(docs, name, false).await;
                    self.lookup_or_skip(&mut lookups, found).await?
                }
                _ => Resolved::Missing,
            };
            let model = match a.model.as_deref() {
                Some(name) if manufacturer != Resolved::Missing && !lookups.unavailable => {
                    let found = lookups.model(docs, manufacturer, name, false).await;
                    self.lookup_or_skip(&mut lookups, found).await?
                }
                _ => Resolved::Missing,
            };
            let operating_system = match a.operating_system.as_deref() {
                Some(name) if !lookups.unavailable => {
                    let found = lookups.operating_system(docs, name).await;
                    self.lookup_or_skip(&mut lookups, found).await?
                }
                _ => Resolved::Missing,
            };
            requests.push(NewConfiguration {
                attributes: a.clone(),
                configuration_type_id: *type_id,
                configuration_status_id: status,
                manufacturer_id: manufacturer.id(),
                model_id: model.id(),
                operating_system_id: operating_system.id(),
            });
        }
        Ok(requests)
    }

    /// Journals, sends one create (or one bulk create) for `planned` in `organization`, and
    /// completes each journal entry with the created id.
    async fn create_in(
        &self,
        organization: OrganizationId,
        planned: &[(PlannedConfiguration, u64)],
        status: Option<u64>,
    ) -> Result<Vec<(DeviceUid, ConfigurationId)>, ItGlueError> {
        let now = self.now();
        for (plan, _) in planned {
            let key = journal::configuration_key(&plan.device);
            let description = format!(
                "create IT Glue configuration {:?} in organization {organization} for device {}",
                plan.attributes.name, plan.device
            );
            if let journal::Resume::Done(_) =
                journal::begin(self.store.as_ref(), &self.tenant, &key, &description, now).await?
            {
                journal::restart(self.store.as_ref(), &self.tenant, &key, &description, now)
                    .await?;
            }
            self.store.mark_sent(&self.tenant, &key, now).await?;
        }
        let requests = self.complete_requests(planned, status).await?;
        let answer = if let [single] = requests.as_slice() {
            self.docs
                .create_configuration(organization, single)
                .await
                .map(|c| vec![c])
        } else {
            self.docs
                .create_configurations(organization, &requests)
                .await
        };
        let made = match answer {
            Ok(made) => made,
            Err(error) => return Err(self.vendor_failed(error).await),
        };
        let mut out = Vec::new();
        for (position, (plan, _)) in planned.iter().enumerate() {
            let marker = rmm_marker(&plan.device);
            let found = made
                .iter()
                .find(|c| c.installed_by.as_deref().map(str::trim) == Some(marker.as_str()))
                .or_else(|| {
                    (made.len() == planned.len())
                        .then(|| made.get(position))
                        .flatten()
                });
            let Some(configuration) = found else {
                return Err(ItGlueError::UnexpectedAnswer(format!(
                    "no configuration came back for device {}",
                    plan.device
                )));
            };
            self.store
                .complete(
                    &self.tenant,
                    &journal::configuration_key(&plan.device),
                    &configuration.id.to_string(),
                    self.now(),
                )
                .await?;
            out.push((plan.device.clone(), configuration.id));
        }
        tracing::info!(%organization, created = out.len(), "configurations created");
        Ok(out)
    }

    /// The configuration an earlier attempt created for the device: the one carrying its RMM
    /// marker, or the completed journal entry's id when it still exists.
    async fn earlier_configuration(
        &self,
        device: &DeviceUid,
        existing: &[Configuration],
    ) -> Result<Option<ConfigurationId>, ItGlueError> {
        if let Some(found) = existing
            .iter()
            .filter(|c| c.rmm_device().as_ref() == Some(device))
            .map(|c| c.id)
            .min()
        {
            return Ok(Some(found));
        }
        let entry = self
            .store
            .intent(&self.tenant, &journal::configuration_key(device))
            .await?;
        Ok(entry
            .filter(|e| e.state == IntentState::Completed)
            .and_then(|e| e.result)
            .and_then(|id| id.parse().ok())
            .map(ConfigurationId)
            .filter(|id| existing.iter().any(|c| c.id == *id)))
    }

    async fn complete_intent(&self, key: &str, id: ConfigurationId) -> Result<(), ItGlueError> {
        let Some(entry) = self.store.intent(&self.tenant, key).await? else {
            return Ok(());
        };
        if entry.is_pending() {
            let now = self.now();
            if entry.state == IntentState::Recorded {
                self.store.mark_sent(&self.tenant, key, now).await?;
            }
            self.store
                .complete(&self.tenant, key, &id.to_string(), now)
                .await?;
        }
        Ok(())
    }

    /// Audits the devices whose serial number the run did not read (cached audits cost
    /// nothing).
    async fn complete_facts(&self, devices: &mut Vec<Device>) -> Result<(), ItGlueError> {
        let needing: Vec<DeviceUid> = devices
            .iter()
            .filter(|d| has_audit(d) && d.serial_numbers.is_empty())
            .map(|d| d.uid.clone())
            .collect();
        if needing.is_empty() {
            return Ok(());
        }
        let mut facts = DeviceFacts::new(self.rmm.as_ref(), self.store.as_ref(), &self.tenant);
        let mut map: BTreeMap<DeviceUid, Device> =
            devices.drain(..).map(|d| (d.uid.clone(), d)).collect();
        let result = facts.audit(&mut map, &needing).await;
        devices.extend(map.into_values());
        match result {
            Ok(_) => Ok(()),
            Err(crate::itglue::facts::FactsError::Port(error)) => {
                Err(self.vendor_failed(error).await)
            }
            Err(crate::itglue::facts::FactsError::Store(error)) => Err(error.into()),
        }
    }

    pub(crate) async fn configurations_of(
        &self,
        organization: OrganizationId,
    ) -> Result<Vec<Configuration>, ItGlueError> {
        match self.docs.configurations(organization).await {
            Ok(list) => Ok(list),
            Err(error) => Err(self.vendor_failed(error).await),
        }
    }

    async fn lookups(&self) -> Result<Lookups, ItGlueError> {
        let types = match self.docs.configuration_types().await {
            Ok(list) => list,
            Err(error) => return Err(self.vendor_failed(error).await),
        };
        let status = match &self.options.configuration_status {
            Some(wanted) => match self.docs.configuration_statuses().await {
                Ok(list) => find(&list, wanted).map(|s| s.id),
                Err(error) => return Err(self.vendor_failed(error).await),
            },
            None => None,
        };
        Ok(Lookups { types, status })
    }

    /// The account's configuration type for a kind of device (`sync-core`'s choice: the
    /// tenant's pinned type, else the kind's preferred names, else the fallback names).
    fn configuration_type(
        &self,
        lookups: &Lookups,
        kind: ConfigurationKind,
        pins: &BTreeMap<ConfigurationKind, String>,
    ) -> Result<(u64, String), ItGlueError> {
        let account: Vec<ConfigurationType> = lookups
            .types
            .iter()
            .map(|t| ConfigurationType {
                id: t.id,
                name: t.name.clone(),
            })
            .collect();
        let preferences = &self.options.configuration_types;
        match choose_configuration_type(kind, &account, preferences, pins) {
            Some(found) => Ok((found.id, found.name.clone())),
            None => Err(ItGlueError::NoConfigurationType {
                wanted: preferences.names_for(kind).collect::<Vec<_>>().join(", "),
            }),
        }
    }
}

/// The account's lookup lists an action needs.
struct Lookups {
    types: Vec<NamedId>,
    status: Option<u64>,
}

fn find<'a>(list: &'a [NamedId], name: &str) -> Option<&'a NamedId> {
    let wanted = name.trim().to_lowercase();
    list.iter().find(|n| n.name.trim().to_lowercase() == wanted)
}

pub(crate) fn device_view<'a>(
    report: &'a SyncReport,
    device: &DeviceUid,
) -> Result<(&'a OrganizationView, &'a DeviceView), ItGlueError> {
    report
        .device(device)
        .ok_or_else(|| ItGlueError::UnknownDevice {
            device: device.clone(),
        })
}
