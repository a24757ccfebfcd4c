//! The fake's account data: sites, devices, variables, and the counters behind ids.

use std::collections::BTreeMap;

use crate::msp::{DeviceClass, GeneratedMsp, MspNic};

/// A site as the fake stores it (the fields of Datto's `Site`).
#[derive(Debug, Clone, PartialEq)]
pub struct FakeSite {
    /// `id`.
    pub id: i64,
    /// `uid`.
    pub uid: String,
    /// `name`.
    pub name: String,
    /// `description` (`None` is sent as `null`).
    pub description: Option<String>,
    /// `notes` (null in every live row seen).
    pub notes: Option<String>,
    /// `onDemand`.
    pub on_demand: bool,
    /// `splashtopAutoInstall`.
    pub splashtop_auto_install: bool,
    /// `autotaskCompanyId` (a decimal string).
    pub autotask_company_id: Option<String>,
    /// `autotaskCompanyName`.
    pub autotask_company_name: Option<String>,
    /// `proxySettings` as sent by a client on create (kept verbatim).
    pub proxy_settings: Option<serde_json::Value>,
}

/// A device as the fake stores it: Datto's `Device` fields plus what its audit reports.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeDevice {
    /// `id`.
    pub id: i64,
    /// `uid`.
    pub uid: String,
    /// The uid of the site the device is in.
    pub site_uid: String,
    /// `hostname`.
    pub hostname: String,
    /// `deviceClass`.
    pub device_class: DeviceClass,
    /// `deviceType.category`.
    pub category: String,
    /// `deviceType.type`.
    pub type_name: String,
    /// `description` (`None` is sent as `null`).
    pub description: Option<String>,
    /// `operatingSystem` (empty → `null`).
    pub operating_system: String,
    /// Audit `systemInfo.manufacturer`.
    pub manufacturer: String,
    /// Audit `systemInfo.model`.
    pub model: String,
    /// Audit `bios.serialNumber` (printers: `snmpInfo.snmpSerial`; ESXi hosts:
    /// `systemInfo.serviceTag`).
    pub serial_number: Option<String>,
    /// Audit `nics`.
    pub nics: Vec<MspNic>,
    /// `intIpAddress`.
    pub int_ip_address: String,
    /// `extIpAddress`.
    pub ext_ip_address: String,
    /// `domain`.
    pub domain: Option<String>,
    /// `lastLoggedInUser`.
    pub last_logged_in_user: Option<String>,
    /// `online`.
    pub online: bool,
    /// `lastSeen`, epoch ms.
    pub last_seen_ms: i64,
    /// `lastAuditDate`, epoch ms.
    pub last_audit_ms: Option<i64>,
    /// `creationDate`, epoch ms.
    pub creation_ms: i64,
    /// `udf` values that are set (`udf1` …); every other udf is sent as `null`.
    pub udfs: BTreeMap<u16, String>,
}

/// A site or account variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeVariable {
    /// `id`.
    pub id: i64,
    /// `name`.
    pub name: String,
    /// The real value (what a list returns unless `masked`).
    pub value: String,
    /// `masked`: the list returns a mask instead of the value.
    pub masked: bool,
}

/// The account data of the fake.
#[derive(Debug, Clone, Default)]
pub(crate) struct Account {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub sites: Vec<FakeSite>,
    pub devices: Vec<FakeDevice>,
    pub site_variables: BTreeMap<String, Vec<FakeVariable>>,
    pub account_variables: Vec<FakeVariable>,
    pub next_site_id: i64,
    pub next_variable_id: i64,
    pub seq: u64,
}

impl Account {
    pub fn from_msp(msp: &GeneratedMsp) -> Account {
        let sites: Vec<FakeSite> = msp
            .sites
            .iter()
            .map(|s| FakeSite {
                id: s.id,
                uid: s.uid.clone(),
                name: s.name.clone(),
                description: Some(s.description.clone()),
                notes: None,
                on_demand: s.kind.is_on_demand(),
                splashtop_auto_install: false,
                autotask_company_id: s.autotask_company_id.clone(),
                autotask_company_name: s.autotask_company_name.clone(),
                proxy_settings: None,
            })
            .collect();
        let devices = msp
            .devices
            .iter()
            .map(|d| FakeDevice {
                id: d.id,
                uid: d.uid.clone(),
                site_uid: msp
                    .sites
                    .get(d.site)
                    .map(|s| s.uid.clone())
                    .unwrap_or_default(),
                hostname: d.hostname.clone(),
                device_class: d.device_class,
                category: d.category.clone(),
                type_name: d.type_name.clone(),
                description: d.description.clone(),
                operating_system: d.operating_system.clone(),
                manufacturer: d.manufacturer.clone(),
                model: d.model.clone(),
                serial_number: d.serial_number.clone(),
                nics: d.nics.clone(),
                int_ip_address: d.int_ip_address.clone(),
                ext_ip_address: d.ext_ip_address.clone(),
                domain: d.domain.clone(),
                last_logged_in_user: d.last_logged_in_user.clone(),
                online: d.online,
                last_seen_ms: d.last_seen_ms,
                last_audit_ms: d.last_audit_ms,
                creation_ms: d.creation_ms,
                udfs: BTreeMap::new(),
            })
            .collect();
        let next_site_id = sites.iter().map(|s| s.id).max().unwrap_or(1000) + 1;
        Account {
            id: msp.account.id,
            uid: msp.account.uid.clone(),
            name: msp.account.name.clone(),
            sites,
            devices,
            site_variables: BTreeMap::new(),
            account_variables: Vec::new(),
            next_site_id,
            next_variable_id: 1,
            seq: msp.seed,
        }
    }

    pub fn site(&self, uid: &str) -> Option<&FakeSite> {
        self.sites.iter().find(|s| s.uid == uid)
    }

    pub fn site_mut(&mut self, uid: &str) -> Option<&mut FakeSite> {
        self.sites.iter_mut().find(|s| s.uid == uid)
    }

    pub fn device(&self, uid: &str) -> Option<&FakeDevice> {
        self.devices.iter().find(|d| d.uid == uid)
    }

    pub fn devices_of<'a>(
        &'a self,
        site_uid: &'a str,
    ) -> impl Iterator<Item = &'a FakeDevice> + 'a {
        self.devices.iter().filter(move |d| d.site_uid == site_uid)
    }

    /// (all, online) devices of one site.
    pub fn device_count(&self, site_uid: &str) -> (usize, usize) {
        self.devices_of(site_uid).fold((0, 0), |(all, online), d| {
            (all + 1, online + usize::from(d.online))
        })
    }

    /// (all, online) devices of every site that has any, in one pass.
    pub fn device_counts(&self) -> std::collections::HashMap<&str, (usize, usize)> {
        let mut counts = std::collections::HashMap::new();
        for device in &self.devices {
            let entry: &mut (usize, usize) = counts.entry(device.site_uid.as_str()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(device.online);
        }
        counts
    }

    /// A new uid: deterministic (a counter mixed with the seed), shaped like a UUID.
    pub fn new_uid(&mut self) -> String {
        self.seq = self.seq.wrapping_add(1);
        let x = splitmix(self.seq);
        let y = splitmix(x);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            (x >> 32) as u32,
            (x >> 16) as u16,
            (x as u16) & 0x0fff,
            ((y >> 48) as u16 & 0x3fff) | 0x8000,
            y & 0xffff_ffff_ffff
        )
    }

    pub fn new_variable_id(&mut self) -> i64 {
        let id = self.next_variable_id;
        self.next_variable_id += 1;
        id
    }
}

/// SplitMix64: a tiny, well-mixed step for deterministic ids and tokens.
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
