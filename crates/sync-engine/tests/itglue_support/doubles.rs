//! In-memory test doubles of the two ports, with call counts and scripted failures.

use std::sync::Mutex;

use async_trait::async_trait;
use sync_core::itglue::{
    Configuration, ConfigurationId, ConfigurationInterface, Device, DeviceUid, InterfaceAttributes,
    NetworkInterface, Organization, OrganizationId, SiteUid,
};
use sync_engine::itglue::{
    ConfigurationPatch, DattoRmmPort, DeviceInterfaces, ItGluePort, ModelRecord, NamedId,
    NewConfiguration, PortError, PortErrorKind, PortIdentity, RmmSite,
};
use sync_store::{AuditFacts, ConnectionDetails, CredentialFingerprint, Vendor};

fn identity(secret: &str) -> PortIdentity {
    PortIdentity {
        connection: ConnectionDetails::default(),
        fingerprint: CredentialFingerprint::of_secrets([secret]),
    }
}

fn unauthorized(vendor: Vendor) -> PortError {
    PortError::new(vendor, PortErrorKind::Unauthorized, "bad key")
}

fn failed(vendor: Vendor, what: &str) -> PortError {
    PortError::new(
        vendor,
        PortErrorKind::Other,
        format!("{what} failed (scripted)"),
    )
}

/// Datto RMM calls, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RmmCalls {
    pub checks: usize,
    pub sites: usize,
    pub account_devices: usize,
    pub site_devices: usize,
    pub interfaces: usize,
    pub audits: usize,
}

impl RmmCalls {
    pub fn total(&self) -> usize {
        self.checks
            + self.sites
            + self.account_devices
            + self.site_devices
            + self.interfaces
            + self.audits
    }
}

/// A device in the double: its listing record, interfaces and audit.
#[derive(Clone, Debug)]
pub struct RmmDeviceRecord {
    pub device: Device,
    pub interfaces: Vec<NetworkInterface>,
    pub audit: AuditFacts,
}

#[derive(Default)]
struct RmmState {
    sites: Vec<RmmSite>,
    devices: Vec<RmmDeviceRecord>,
    account: String,
    secret: String,
    accepted_secret: String,
    hidden_from_account_listing: Vec<DeviceUid>,
    fail_interfaces_of: Option<SiteUid>,
    fail_account_devices: bool,
    variables: std::collections::BTreeMap<(SiteUid, String), String>,
    calls: RmmCalls,
}

/// An in-memory Datto RMM.
pub struct MemoryRmm {
    state: Mutex<RmmState>,
}

impl MemoryRmm {
    pub fn new(sites: Vec<RmmSite>, devices: Vec<RmmDeviceRecord>) -> Self {
        Self {
            state: Mutex::new(RmmState {
                sites,
                devices,
                account: "acct-1".into(),
                secret: "rmm-secret".into(),
                accepted_secret: "rmm-secret".into(),
                ..RmmState::default()
            }),
        }
    }

    pub fn calls(&self) -> RmmCalls {
        self.state.lock().unwrap().calls
    }

    pub fn reset_calls(&self) {
        self.state.lock().unwrap().calls = RmmCalls::default();
    }

    /// The port's secret (what its fingerprint is made of).
    pub fn use_secret(&self, secret: &str) {
        self.state.lock().unwrap().secret = secret.into();
    }

    /// What the vendor accepts.
    pub fn accept_secret(&self, secret: &str) {
        self.state.lock().unwrap().accepted_secret = secret.into();
    }

    /// The account uid the credentials belong to.
    pub fn set_account(&self, account: &str) {
        self.state.lock().unwrap().account = account.into();
    }

    /// Deletes a device from the account.
    pub fn remove_device(&self, device: &str) {
        self.state
            .lock()
            .unwrap()
            .devices
            .retain(|record| record.device.uid.as_str() != device);
    }

    pub fn hide_from_account_listing(&self, device: &str) {
        self.state
            .lock()
            .unwrap()
            .hidden_from_account_listing
            .push(DeviceUid::new(device));
    }

    pub fn fail_interfaces_of(&self, site: Option<&str>) {
        self.state.lock().unwrap().fail_interfaces_of = site.map(SiteUid::new);
    }

    pub fn fail_account_devices(&self, fail: bool) {
        self.state.lock().unwrap().fail_account_devices = fail;
    }

    pub fn set_last_audit(&self, device: &str, millis: i64) {
        let mut state = self.state.lock().unwrap();
        for record in &mut state.devices {
            if record.device.uid.as_str() == device {
                record.device.last_audit_date = Some(millis);
            }
        }
    }

    fn guard(&self) -> Result<std::sync::MutexGuard<'_, RmmState>, PortError> {
        let state = self.state.lock().unwrap();
        if state.secret != state.accepted_secret {
            return Err(unauthorized(Vendor::DattoRmm));
        }
        Ok(state)
    }

    fn listing(record: &RmmDeviceRecord) -> Device {
        let mut device = record.device.clone();
        device.network_interfaces.clear();
        device.serial_numbers.clear();
        device.manufacturer = None;
        device.model = None;
        device
    }
}

#[async_trait]
impl DattoRmmPort for MemoryRmm {
    fn identity(&self) -> PortIdentity {
        identity(&self.state.lock().unwrap().secret)
    }

    async fn account_uid(&self) -> Result<String, PortError> {
        self.state.lock().unwrap().calls.checks += 1;
        self.guard().map(|state| state.account.clone())
    }

    async fn sites(&self) -> Result<Vec<RmmSite>, PortError> {
        self.state.lock().unwrap().calls.sites += 1;
        Ok(self.guard()?.sites.clone())
    }

    async fn account_devices(&self) -> Result<Vec<Device>, PortError> {
        self.state.lock().unwrap().calls.account_devices += 1;
        let state = self.guard()?;
        if state.fail_account_devices {
            return Err(failed(Vendor::DattoRmm, "device page 2"));
        }
        Ok(state
            .devices
            .iter()
            .filter(|r| !state.hidden_from_account_listing.contains(&r.device.uid))
            .map(Self::listing)
            .collect())
    }

    async fn site_devices(&self, site: &SiteUid) -> Result<Vec<Device>, PortError> {
        self.state.lock().unwrap().calls.site_devices += 1;
        let state = self.guard()?;
        Ok(state
            .devices
            .iter()
            .filter(|r| &r.device.site == site)
            .map(Self::listing)
            .collect())
    }

    async fn site_network_interfaces(
        &self,
        site: &SiteUid,
    ) -> Result<Vec<DeviceInterfaces>, PortError> {
        self.state.lock().unwrap().calls.interfaces += 1;
        let state = self.guard()?;
        if state.fail_interfaces_of.as_ref() == Some(site) {
            return Err(failed(Vendor::DattoRmm, "network interfaces"));
        }
        Ok(state
            .devices
            .iter()
            .filter(|r| &r.device.site == site)
            .map(|r| DeviceInterfaces {
                device: r.device.uid.clone(),
                interfaces: r.interfaces.clone(),
            })
            .collect())
    }

    async fn device_audit(&self, device: &DeviceUid) -> Result<AuditFacts, PortError> {
        self.state.lock().unwrap().calls.audits += 1;
        let state = self.guard()?;
        state
            .devices
            .iter()
            .find(|r| &r.device.uid == device)
            .map(|r| r.audit.clone())
            .ok_or_else(|| {
                PortError::new(
                    Vendor::DattoRmm,
                    PortErrorKind::NotFound,
                    format!("device {device}"),
                )
            })
    }

    async fn upsert_site_variable(
        &self,
        site: &SiteUid,
        name: &str,
        value: &str,
    ) -> Result<(), PortError> {
        let mut state = self.guard()?;
        if !state.sites.iter().any(|s| &s.site.uid == site) {
            return Err(PortError::new(
                Vendor::DattoRmm,
                PortErrorKind::NotFound,
                format!("site {site}"),
            ));
        }
        state
            .variables
            .insert((site.clone(), name.to_owned()), value.to_owned());
        Ok(())
    }

    async fn delete_site_variable(&self, site: &SiteUid, name: &str) -> Result<bool, PortError> {
        let mut state = self.guard()?;
        Ok(state
            .variables
            .remove(&(site.clone(), name.to_owned()))
            .is_some())
    }
}

/// IT Glue calls, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItGlueCalls {
    pub checks: usize,
    pub organizations: usize,
    pub configurations: usize,
    pub organization_creates: usize,
    pub configuration_creates: usize,
    pub bulk_creates: usize,
    pub lookups: usize,
    /// Update calls (one per bulk or single update).
    pub updates: usize,
    /// Interface create calls.
    pub interface_creates: usize,
    /// Manufacturer and model creates.
    pub lookup_creates: usize,
}

impl ItGlueCalls {
    pub fn writes(&self) -> usize {
        self.organization_creates
            + self.configuration_creates
            + self.bulk_creates
            + self.updates
            + self.interface_creates
            + self.lookup_creates
    }
}

#[derive(Default)]
struct ItGlueState {
    organizations: Vec<Organization>,
    configurations: Vec<Configuration>,
    next_id: u64,
    secret: String,
    accepted_secret: String,
    fail_configurations_of: Option<OrganizationId>,
    fail_organizations: bool,
    refuse_archiving: Vec<ConfigurationId>,
    manufacturers: Vec<NamedId>,
    models: Vec<ModelRecord>,
    calls: ItGlueCalls,
}

/// An in-memory IT Glue.
pub struct MemoryItGlue {
    state: Mutex<ItGlueState>,
}

impl MemoryItGlue {
    pub fn new(organizations: Vec<Organization>, configurations: Vec<Configuration>) -> Self {
        Self {
            state: Mutex::new(ItGlueState {
                organizations,
                configurations,
                next_id: 10_000,
                secret: "itg-key".into(),
                accepted_secret: "itg-key".into(),
                ..ItGlueState::default()
            }),
        }
    }

    pub fn calls(&self) -> ItGlueCalls {
        self.state.lock().unwrap().calls
    }

    pub fn reset_calls(&self) {
        self.state.lock().unwrap().calls = ItGlueCalls::default();
    }

    pub fn organizations(&self) -> Vec<Organization> {
        self.state.lock().unwrap().organizations.clone()
    }

    pub fn configurations_of(&self, organization: OrganizationId) -> Vec<Configuration> {
        self.state
            .lock()
            .unwrap()
            .configurations
            .iter()
            .filter(|c| c.organization == organization)
            .cloned()
            .collect()
    }

    pub fn add_organization(&self, id: u64, name: &str) {
        self.state.lock().unwrap().organizations.push(Organization {
            id: OrganizationId(id),
            name: name.into(),
        });
    }

    pub fn add_configuration(&self, configuration: Configuration) {
        self.state
            .lock()
            .unwrap()
            .configurations
            .push(configuration);
    }

    pub fn remove_configuration(&self, id: u64) {
        self.state
            .lock()
            .unwrap()
            .configurations
            .retain(|c| c.id != ConfigurationId(id));
    }

    pub fn accept_secret(&self, secret: &str) {
        self.state.lock().unwrap().accepted_secret = secret.into();
    }

    pub fn use_secret(&self, secret: &str) {
        self.state.lock().unwrap().secret = secret.into();
    }

    pub fn fail_configurations_of(&self, organization: Option<u64>) {
        self.state.lock().unwrap().fail_configurations_of = organization.map(OrganizationId);
    }

    /// Answers an update archiving this configuration with a refusal (422), all or nothing
    /// like any bulk update.
    pub fn refuse_archiving(&self, configuration: u64) {
        self.state
            .lock()
            .unwrap()
            .refuse_archiving
            .push(ConfigurationId(configuration));
    }

    pub fn fail_organizations(&self, fail: bool) {
        self.state.lock().unwrap().fail_organizations = fail;
    }

    fn guard(&self) -> Result<std::sync::MutexGuard<'_, ItGlueState>, PortError> {
        let state = self.state.lock().unwrap();
        if state.secret != state.accepted_secret {
            return Err(unauthorized(Vendor::ItGlue));
        }
        Ok(state)
    }

    fn make(
        state: &mut ItGlueState,
        organization: OrganizationId,
        new: &NewConfiguration,
    ) -> Configuration {
        state.next_id += 1;
        let a = &new.attributes;
        let mut configuration =
            Configuration::new(ConfigurationId(state.next_id), organization, a.name.clone());
        configuration.hostname = Some(a.hostname.clone());
        configuration.serial_number = a.serial_number.clone();
        configuration.mac_addresses = a.mac_address.iter().map(ToString::to_string).collect();
        configuration.primary_ip = a.primary_ip.clone();
        configuration.installed_by = Some(a.installed_by.clone());
        configuration.mac_address = a.mac_address.map(|m| m.to_string());
        configuration.operating_system_notes = a.operating_system_notes.clone();
        configuration.warranty_expires_at = a.warranty_expires_at.clone();
        configuration.notes = Some(a.notes_block.clone());
        configuration.manufacturer_name = new
            .manufacturer_id
            .and_then(|id| state.manufacturers.iter().find(|m| m.id == id))
            .map(|m| m.name.clone());
        configuration.model_name = new
            .model_id
            .and_then(|id| state.models.iter().find(|m| m.id == id))
            .map(|m| m.name.clone());
        state.configurations.push(configuration.clone());
        configuration
    }
}

#[async_trait]
impl ItGluePort for MemoryItGlue {
    fn identity(&self) -> PortIdentity {
        identity(&self.state.lock().unwrap().secret)
    }

    async fn check_credentials(&self) -> Result<(), PortError> {
        self.state.lock().unwrap().calls.checks += 1;
        self.guard().map(|_| ())
    }

    async fn organizations(&self) -> Result<Vec<Organization>, PortError> {
        self.state.lock().unwrap().calls.organizations += 1;
        let state = self.guard()?;
        if state.fail_organizations {
            return Err(failed(Vendor::ItGlue, "organizations page 2"));
        }
        Ok(state.organizations.clone())
    }

    async fn configurations(
        &self,
        organization: OrganizationId,
    ) -> Result<Vec<Configuration>, PortError> {
        self.state.lock().unwrap().calls.configurations += 1;
        let state = self.guard()?;
        if state.fail_configurations_of == Some(organization) {
            return Err(failed(Vendor::ItGlue, "configurations page 3"));
        }
        Ok(state
            .configurations
            .iter()
            .filter(|c| c.organization == organization)
            .cloned()
            .collect())
    }

    async fn create_organization(&self, name: &str) -> Result<Organization, PortError> {
        self.state.lock().unwrap().calls.organization_creates += 1;
        let mut state = self.guard()?;
        state.next_id += 1;
        let organization = Organization {
            id: OrganizationId(state.next_id),
            name: name.into(),
        };
        state.organizations.push(organization.clone());
        Ok(organization)
    }

    async fn create_configuration(
        &self,
        organization: OrganizationId,
        new: &NewConfiguration,
    ) -> Result<Configuration, PortError> {
        self.state.lock().unwrap().calls.configuration_creates += 1;
        let mut state = self.guard()?;
        Ok(Self::make(&mut state, organization, new))
    }

    async fn create_configurations(
        &self,
        organization: OrganizationId,
        new: &[NewConfiguration],
    ) -> Result<Vec<Configuration>, PortError> {
        self.state.lock().unwrap().calls.bulk_creates += 1;
        let mut state = self.guard()?;
        Ok(new
            .iter()
            .map(|n| Self::make(&mut state, organization, n))
            .collect())
    }

    async fn configuration_types(&self) -> Result<Vec<NamedId>, PortError> {
        self.state.lock().unwrap().calls.lookups += 1;
        drop(self.guard()?);
        Ok(["Workstation", "Laptop", "Server", "Printer", "Other"]
            .iter()
            .enumerate()
            .map(|(i, name)| NamedId {
                id: 100 + i as u64,
                name: (*name).into(),
            })
            .collect())
    }

    async fn configuration_statuses(&self) -> Result<Vec<NamedId>, PortError> {
        self.state.lock().unwrap().calls.lookups += 1;
        drop(self.guard()?);
        Ok(vec![NamedId {
            id: 7,
            name: "Active".into(),
        }])
    }

    async fn update_configurations(
        &self,
        updates: &[(ConfigurationId, ConfigurationPatch)],
    ) -> Result<(), PortError> {
        self.state.lock().unwrap().calls.updates += 1;
        let mut state = self.guard()?;
        // All or nothing, as IT Glue's bulk update.
        for (id, patch) in updates {
            let Some(configuration) = state.configurations.iter().find(|c| c.id == *id) else {
                return Err(PortError::new(
                    Vendor::ItGlue,
                    PortErrorKind::NotFound,
                    "no such configuration",
                ));
            };
            let psa_refused = patch.name.is_some()
                || patch.hostname.is_some()
                || patch.primary_ip.is_some()
                || patch.mac_address.is_some()
                || patch.manufacturer_id.is_some()
                || patch.model_id.is_some()
                || patch.operating_system_id.is_some()
                || patch.operating_system_notes.is_some()
                || patch.configuration_type_id.is_some()
                || patch.installed_by.is_some();
            if patch.archived == Some(true) && state.refuse_archiving.contains(id) {
                return Err(PortError::new(
                    Vendor::ItGlue,
                    PortErrorKind::Rejected,
                    format!("configuration {id}: archived is invalid"),
                ));
            }
            if configuration.psa_synced && psa_refused {
                return Err(PortError::new(
                    Vendor::ItGlue,
                    PortErrorKind::Rejected,
                    "cannot be changed on a configuration synced from a PSA",
                ));
            }
        }
        for (id, patch) in updates {
            let manufacturer = patch
                .manufacturer_id
                .and_then(|m| state.manufacturers.iter().find(|n| n.id == m))
                .map(|n| n.name.clone());
            let model = patch
                .model_id
                .and_then(|m| state.models.iter().find(|n| n.id == m))
                .map(|n| n.name.clone());
            let Some(c) = state.configurations.iter_mut().find(|c| c.id == *id) else {
                continue;
            };
            let set = |slot: &mut Option<String>, value: &Option<String>| {
                if value.is_some() {
                    slot.clone_from(value);
                }
            };
            if let Some(name) = &patch.name {
                c.name.clone_from(name);
            }
            set(&mut c.hostname, &patch.hostname);
            set(&mut c.primary_ip, &patch.primary_ip);
            set(&mut c.mac_address, &patch.mac_address);
            set(&mut c.serial_number, &patch.serial_number);
            set(&mut c.operating_system_notes, &patch.operating_system_notes);
            set(&mut c.warranty_expires_at, &patch.warranty_expires_at);
            set(&mut c.notes, &patch.notes);
            set(&mut c.installed_by, &patch.installed_by);
            set(&mut c.manufacturer_name, &manufacturer);
            set(&mut c.model_name, &model);
            if let Some(archived) = patch.archived {
                c.archived = archived;
            }
        }
        Ok(())
    }

    async fn create_interfaces(
        &self,
        configuration: ConfigurationId,
        interfaces: &[InterfaceAttributes],
    ) -> Result<(), PortError> {
        self.state.lock().unwrap().calls.interface_creates += 1;
        let mut state = self.guard()?;
        let Some(c) = state
            .configurations
            .iter_mut()
            .find(|c| c.id == configuration)
        else {
            return Err(PortError::new(
                Vendor::ItGlue,
                PortErrorKind::NotFound,
                "no such configuration",
            ));
        };
        for interface in interfaces {
            c.interfaces.push(ConfigurationInterface {
                id: None,
                name: interface.name.clone(),
                ip_address: interface.ip_address.clone(),
                mac_address: interface.mac_address.map(|m| m.to_string()),
                primary: interface.primary,
            });
        }
        Ok(())
    }

    async fn manufacturers(&self) -> Result<Vec<NamedId>, PortError> {
        self.state.lock().unwrap().calls.lookups += 1;
        Ok(self.guard()?.manufacturers.clone())
    }

    async fn create_manufacturer(&self, name: &str) -> Result<NamedId, PortError> {
        self.state.lock().unwrap().calls.lookup_creates += 1;
        let mut state = self.guard()?;
        state.next_id += 1;
        let made = NamedId {
            id: state.next_id,
            name: name.to_owned(),
        };
        state.manufacturers.push(made.clone());
        Ok(made)
    }

    async fn models(&self) -> Result<Vec<ModelRecord>, PortError> {
        self.state.lock().unwrap().calls.lookups += 1;
        Ok(self.guard()?.models.clone())
    }

    async fn create_model(&self, manufacturer: u64, name: &str) -> Result<ModelRecord, PortError> {
        self.state.lock().unwrap().calls.lookup_creates += 1;
        let mut state = self.guard()?;
        state.next_id += 1;
        let made = ModelRecord {
            id: state.next_id,
            name: name.to_owned(),
            manufacturer: Some(manufacturer),
        };
        state.models.push(made.clone());
        Ok(made)
    }

    async fn operating_systems(&self) -> Result<Vec<NamedId>, PortError> {
        self.state.lock().unwrap().calls.lookups += 1;
        drop(self.guard()?);
        Ok(vec![NamedId {
            id: 900,
            name: "Windows 11".into(),
        }])
    }
}
