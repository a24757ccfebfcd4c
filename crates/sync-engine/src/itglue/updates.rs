//! The update phase of a run: every matched configuration is brought to its device's desired
//! state (`sync-core`'s field mapping and update plan), writing only the attributes that
//! differ, in bulk updates of bounded size; missing interfaces are added; configurations of
//! devices deleted from Datto RMM are kept or archived as the tenant chose.
//!
//! IT Glue refusing a configuration (422, as it does for most attributes of PSA-synced
//! configurations) is reported for that configuration and never fails the run. A dry run plans
//! the same and writes nothing.

use std::collections::{BTreeMap, BTreeSet};

use sync_core::itglue::{
    AttributeChange, ConfigurationChanges, ConfigurationField, ConfigurationId,
    ConfigurationOutcome, ConfigurationType, DeletedDevicePolicy, Device, DeviceUid, FieldPolicy,
    OrganizationId, choose_configuration_type, configuration_attributes, facts_block_of,
    plan_configuration_update,
};

use super::devices::matched_configuration;
use super::error::ItGlueError;
use super::facts::{DeviceFacts, has_audit};
use super::flow::ItGlueFlow;
use super::lookups::{Lookups, Resolved};
use super::ports::{ConfigurationPatch, PortError, PortErrorKind};
use super::report::{ConfigurationUpdateView, Refusal, UpdateOutcome, UpdateReport};
use super::settings::Effective;
use sync_core::itglue::Configuration;

/// The most configurations one bulk update carries.
pub(crate) const BULK_UPDATE_SIZE: usize = 50;

/// What the update phase works on.
pub(crate) struct UpdateInputs<'a> {
    pub(crate) decisions: &'a BTreeMap<OrganizationId, BTreeMap<DeviceUid, ConfigurationOutcome>>,
    pub(crate) configurations: &'a BTreeMap<OrganizationId, Vec<Configuration>>,
    /// Stored device matches (device → configuration).
    pub(crate) stored_matches: &'a BTreeMap<DeviceUid, ConfigurationId>,
    /// The devices Datto RMM still lists outside its "Deleted Devices" site.
    pub(crate) present: &'a BTreeSet<DeviceUid>,
    pub(crate) settings: &'a Effective,
    pub(crate) dry_run: bool,
}

/// One configuration's planned write.
struct Planned {
    view: ConfigurationUpdateView,
    patch: ConfigurationPatch,
    changes: ConfigurationChanges,
    psa_synced: bool,
}

impl ItGlueFlow {
    /// Plans and (unless a dry run) writes the updates of every matched configuration.
    pub(crate) async fn update_matched(
        &self,
        inputs: UpdateInputs<'_>,
        devices: &mut BTreeMap<DeviceUid, Device>,
        facts: &mut DeviceFacts<'_>,
    ) -> Result<UpdateReport, ItGlueError> {
        let by_id: BTreeMap<ConfigurationId, (&OrganizationId, &Configuration)> = inputs
            .configurations
            .iter()
            .flat_map(|(org, list)| list.iter().map(move |c| (c.id, (org, c))))
            .collect();
        let pairs: Vec<(DeviceUid, &Configuration)> = inputs
            .decisions
            .values()
            .flatten()
            .filter_map(|(uid, outcome)| {
                let (_, configuration) = by_id.get(&matched_configuration(outcome)?)?;
                Some((uid.clone(), *configuration))
            })
            .collect();

        // Facts: kept ones and those read for matching cost nothing; the rest come from site
        // listings and audits.
        let uids: BTreeSet<DeviceUid> = pairs.iter().map(|(uid, _)| uid.clone()).collect();
        facts.fill(devices, &uids).await?;
        let to_audit: Vec<DeviceUid> = uids
            .iter()
            .filter(|uid| {
                devices
                    .get(*uid)
                    .is_some_and(|d| has_audit(d) && d.serial_numbers.is_empty())
            })
            .cloned()
            .collect();
        facts.audit(devices, &to_audit).await?;

        let settings = inputs.settings;
        let types = self.kind_types(settings).await?;
        let mut lookups = Lookups::default();
        let mut planned = Vec::new();
        for (uid, configuration) in &pairs {
            let Some(device) = devices.get(uid) else {
                continue;
            };
            let desired = configuration_attributes(device, &settings.identifiers);
            let kind_type = types.as_ref().and_then(|types| {
                choose_configuration_type(
                    desired.kind,
                    types,
                    &self.options.configuration_types,
                    &settings.type_pins,
                )
            });
            let changes = plan_configuration_update(
                &desired,
                kind_type,
                configuration,
                &settings.update_policies,
            );
            if changes.is_empty() && changes.withheld.is_empty() {
                continue;
            }
            let item = self
                .resolve(
                    &mut lookups,
                    device,
                    kind_type,
                    configuration,
                    changes,
                    inputs.dry_run,
                )
                .await?;
            if let Some(item) = item {
                planned.push(item);
            }
        }

        let mut report = UpdateReport {
            dry_run: inputs.dry_run,
            ..UpdateReport::default()
        };
        if !inputs.dry_run {
            self.write(&mut planned).await?;
        }
        for item in planned {
            report.add(item.view);
        }
        self.deleted_devices(&inputs, &by_id, &mut report).await?;
        report.lookups_created = lookups.created;
        Ok(report)
    }

    /// The account's configuration types, read only when the tenant lets the sync change a
    /// matched configuration's type.
    async fn kind_types(
        &self,
        settings: &Effective,
    ) -> Result<Option<Vec<ConfigurationType>>, ItGlueError> {
        if settings
            .update_policies
            .policy(ConfigurationField::ConfigurationType)
            != FieldPolicy::Overwrite
        {
            return Ok(None);
        }
        let listed = self.docs.configuration_types().await?;
        Ok(Some(
            listed
                .into_iter()
                .map(|t| ConfigurationType {
                    id: t.id,
                    name: t.name,
                })
                .collect(),
        ))
    }

    /// Resolves the plan's names to the account's ids (creating missing manufacturers and
    /// models unless a dry run) and builds the write. An operating system IT Glue does not
    /// list is left to the operating-system notes.
    async fn resolve(
        &self,
        lookups: &mut Lookups,
        device: &Device,
        kind_type: Option<&ConfigurationType>,
        configuration: &Configuration,
        mut changes: ConfigurationChanges,
        dry_run: bool,
    ) -> Result<Option<Planned>, ItGlueError> {
        let docs = self.docs.as_ref();
        let mut patch = ConfigurationPatch::default();
        let manufacturer_name = device.manufacturer.as_deref().map(str::trim);
        let mut kept = Vec::new();
        for change in changes.changes.drain(..) {
            let keep = match change.field {
                ConfigurationField::Name => {
                    patch.name = Some(change.new.clone());
                    true
                }
                ConfigurationField::Hostname => {
                    patch.hostname = Some(change.new.clone());
                    true
                }
                ConfigurationField::PrimaryIp => {
                    patch.primary_ip = Some(change.new.clone());
                    true
                }
                ConfigurationField::MacAddress => {
                    patch.mac_address = Some(change.new.clone());
                    true
                }
                ConfigurationField::SerialNumber => {
                    patch.serial_number = Some(change.new.clone());
                    true
                }
                ConfigurationField::OperatingSystemNotes => {
                    patch.operating_system_notes = Some(change.new.clone());
                    true
                }
                ConfigurationField::WarrantyExpiresAt => {
                    patch.warranty_expires_at = Some(change.new.clone());
                    true
                }
                ConfigurationField::Notes => {
                    patch.notes = Some(change.new.clone());
                    true
                }
                ConfigurationField::InstalledBy => {
                    patch.installed_by = Some(change.new.clone());
                    true
                }
                ConfigurationField::ConfigurationType => {
                    patch.configuration_type_id = kind_type.map(|t| t.id);
                    patch.configuration_type_id.is_some()
                }
                // Lookups that failed once in this run are left to the next one.
                ConfigurationField::Manufacturer if !lookups.unavailable => {
                    let found = lookups.manufacturer(docs, &change.new, dry_run).await;
                    let found = self.lookup_or_skip(lookups, found).await?;
                    patch.manufacturer_id = found.id();
                    found != Resolved::Missing
                }
                ConfigurationField::Model if !lookups.unavailable => match manufacturer_name {
                    Some(manufacturer) if !manufacturer.is_empty() => {
                        let maker = lookups.manufacturer(docs, manufacturer, dry_run).await;
                        let maker = self.lookup_or_skip(lookups, maker).await?;
                        let found = lookups.model(docs, maker, &change.new, dry_run).await;
                        let found = self.lookup_or_skip(lookups, found).await?;
                        patch.model_id = found.id();
                        found != Resolved::Missing
                    }
                    _ => false,
                },
                ConfigurationField::OperatingSystem if !lookups.unavailable => {
                    let found = lookups.operating_system(docs, &change.new).await;
                    let found = self.lookup_or_skip(lookups, found).await?;
                    patch.operating_system_id = found.id();
                    found != Resolved::Missing
                }
                _ => false,
            };
            if keep {
                kept.push(change);
            }
        }
        changes.changes = kept;
        if changes.is_empty() && changes.withheld.is_empty() {
            return Ok(None);
        }
        let view = ConfigurationUpdateView {
            organization: configuration.organization,
            configuration: configuration.id,
            name: configuration.name.clone(),
            device: device.uid.clone(),
            changes: changes.changes.iter().map(displayed).collect(),
            interfaces_added: changes.interfaces_to_add.clone(),
            withheld: changes.withheld.clone(),
            outcome: UpdateOutcome::Planned,
        };
        Ok(Some(Planned {
            view,
            patch,
            changes,
            psa_synced: configuration.psa_synced,
        }))
    }

    /// A lookup's answer for an update: refused credentials fail the run; any other failure
    /// leaves the lookup fields of this run's updates to the next run.
    pub(crate) async fn lookup_or_skip(
        &self,
        lookups: &mut Lookups,
        found: Result<Resolved, PortError>,
    ) -> Result<Resolved, ItGlueError> {
        match found {
            Ok(found) => Ok(found),
            Err(error) if error.is_unauthorized() => Err(self.vendor_failed(error).await),
            Err(error) => {
                tracing::warn!(%error, "IT Glue lookups failed; manufacturer, model and operating system are left to the next sync");
                lookups.unavailable = true;
                Ok(Resolved::Missing)
            }
        }
    }

    /// Sends the planned writes: PSA-synced configurations one by one (IT Glue may refuse
    /// them), the others in bulk updates of at most [`BULK_UPDATE_SIZE`]; a refused bulk
    /// update is retried one configuration at a time so each refusal is told apart. Then the
    /// missing interfaces, one call per configuration.
    async fn write(&self, planned: &mut [Planned]) -> Result<(), ItGlueError> {
        let (psa, other): (Vec<usize>, Vec<usize>) = (0..planned.len())
            .filter(|at| !planned[*at].patch.is_empty())
            .partition(|at| planned[*at].psa_synced);
        for chunk in other.chunks(BULK_UPDATE_SIZE) {
            let updates: Vec<(ConfigurationId, ConfigurationPatch)> = chunk
                .iter()
                .map(|at| (planned[*at].view.configuration, planned[*at].patch.clone()))
                .collect();
            match self.docs.update_configurations(&updates).await {
                Ok(()) => chunk
                    .iter()
                    .for_each(|at| planned[*at].view.outcome = UpdateOutcome::Updated),
                Err(error) if error.kind == PortErrorKind::Rejected && chunk.len() > 1 => {
                    for at in chunk {
                        self.write_one(&mut planned[*at]).await?;
                    }
                }
                Err(error) if error.kind == PortErrorKind::Rejected => {
                    for at in chunk {
                        planned[*at].view.outcome = UpdateOutcome::Refused {
                            reason: error.message.clone(),
                        };
                    }
                }
                Err(error) => {
                    let error = self.unwritten(error).await?;
                    for at in chunk {
                        planned[*at].view.outcome = UpdateOutcome::NotWritten {
                            reason: error.clone(),
                        };
                    }
                }
            }
        }
        for at in psa {
            self.write_one(&mut planned[at]).await?;
        }
        for item in planned.iter_mut() {
            if item.changes.interfaces_to_add.is_empty()
                || matches!(
                    item.view.outcome,
                    UpdateOutcome::Refused { .. } | UpdateOutcome::NotWritten { .. }
                )
            {
                continue;
            }
            match self
                .docs
                .create_interfaces(item.view.configuration, &item.changes.interfaces_to_add)
                .await
            {
                Ok(()) => {
                    if item.patch.is_empty() {
                        item.view.outcome = UpdateOutcome::Updated;
                    }
                }
                Err(error) if error.kind == PortErrorKind::Rejected => {
                    item.view.interfaces_added.clear();
                    item.view.outcome = UpdateOutcome::Refused {
                        reason: error.message,
                    };
                }
                Err(error) => {
                    // A create that may have been sent is found by the next run's listing.
                    item.view.interfaces_added.clear();
                    item.view.outcome = UpdateOutcome::NotWritten {
                        reason: self.unwritten(error).await?,
                    };
                }
            }
        }
        Ok(())
    }

    /// A write that failed for another reason than IT Glue refusing it: refused credentials
    /// fail the run; anything else is told about (the error) and the run goes on.
    async fn unwritten(&self, error: PortError) -> Result<String, ItGlueError> {
        if error.is_unauthorized() {
            return Err(self.vendor_failed(error).await);
        }
        tracing::warn!(%error, "an IT Glue configuration update was not written; the next sync tries again");
        Ok(error.to_string())
    }

    async fn write_one(&self, item: &mut Planned) -> Result<(), ItGlueError> {
        let update = [(item.view.configuration, item.patch.clone())];
        match self.docs.update_configurations(&update).await {
            Ok(()) => item.view.outcome = UpdateOutcome::Updated,
            Err(error) if error.kind == PortErrorKind::Rejected => {
                tracing::warn!(
                    configuration = %item.view.configuration,
                    reason = %error.message,
                    "IT Glue refused a configuration update"
                );
                item.view.outcome = UpdateOutcome::Refused {
                    reason: error.message,
                };
            }
            Err(error) => {
                item.view.outcome = UpdateOutcome::NotWritten {
                    reason: self.unwritten(error).await?,
                };
            }
        }
        Ok(())
    }

    /// Configurations whose device Datto RMM no longer lists (or lists under "Deleted
    /// Devices"): kept or archived, never deleted.
    async fn deleted_devices(
        &self,
        inputs: &UpdateInputs<'_>,
        by_id: &BTreeMap<ConfigurationId, (&OrganizationId, &Configuration)>,
        report: &mut UpdateReport,
    ) -> Result<(), ItGlueError> {
        let gone: Vec<(&DeviceUid, &Configuration)> = inputs
            .stored_matches
            .iter()
            .filter(|(uid, _)| !inputs.present.contains(uid))
            .filter_map(|(uid, id)| by_id.get(id).map(|(_, c)| (uid, *c)))
            .filter(|(_, c)| !c.archived)
            .collect();
        if inputs.settings.deleted_devices != DeletedDevicePolicy::Archive {
            gone.iter()
                .for_each(|(_, c)| report.deleted_kept(c.organization));
            return Ok(());
        }
        if inputs.dry_run {
            gone.iter()
                .for_each(|(_, c)| report.deleted_archived(c.organization));
            return Ok(());
        }
        for chunk in gone.chunks(BULK_UPDATE_SIZE) {
            match self.archive(chunk).await {
                Ok(()) => chunk
                    .iter()
                    .for_each(|(_, c)| report.deleted_archived(c.organization)),
                // A refused bulk archive is retried one configuration at a time, so each
                // refusal is told apart with its own reason.
                Err(error) if error.kind == PortErrorKind::Rejected && chunk.len() > 1 => {
                    for one in chunk {
                        match self.archive(std::slice::from_ref(one)).await {
                            Ok(()) => report.deleted_archived(one.1.organization),
                            Err(error) => self.archive_failed(one, error, report).await?,
                        }
                    }
                }
                Err(error) => {
                    for one in chunk {
                        self.archive_failed(one, error.clone(), report).await?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Archives the configurations in one bulk update.
    async fn archive(&self, gone: &[(&DeviceUid, &Configuration)]) -> Result<(), PortError> {
        let updates: Vec<(ConfigurationId, ConfigurationPatch)> = gone
            .iter()
            .map(|(_, c)| {
                let patch = ConfigurationPatch {
                    archived: Some(true),
                    ..ConfigurationPatch::default()
                };
                (c.id, patch)
            })
            .collect();
        self.docs.update_configurations(&updates).await
    }

    /// Reports an archive IT Glue refused (a refusal) or that failed for a passing reason (not
    /// written); refused credentials fail the run.
    async fn archive_failed(
        &self,
        (uid, configuration): &(&DeviceUid, &Configuration),
        error: PortError,
        report: &mut UpdateReport,
    ) -> Result<(), ItGlueError> {
        let rejected = error.kind == PortErrorKind::Rejected;
        let reason = if rejected {
            error.message.clone()
        } else {
            self.unwritten(error).await?
        };
        let refusal = Refusal {
            organization: Some(configuration.organization),
            configuration: configuration.id,
            name: configuration.name.clone(),
            device: (*uid).clone(),
            reason,
        };
        if rejected {
            tracing::warn!(
                configuration = %configuration.id,
                reason = %refusal.reason,
                "IT Glue refused to archive a deleted device's configuration"
            );
            report.refusals.push(refusal);
        } else {
            report.not_written.push(refusal);
        }
        Ok(())
    }
}

/// A change as reports show it: the notes as their RMM facts block only.
fn displayed(change: &AttributeChange) -> AttributeChange {
    if change.field != ConfigurationField::Notes {
        return change.clone();
    }
    AttributeChange {
        field: change.field,
        old: change
            .old
            .as_deref()
            .and_then(facts_block_of)
            .map(str::to_owned),
        new: facts_block_of(&change.new)
            .unwrap_or(&change.new)
            .to_owned(),
    }
}
