//! Device facts (MAC addresses, serial numbers, manufacturer, model) read with as few Datto RMM
//! calls as possible.
//!
//! Datto RMM allows 600 calls a minute per account and serial numbers exist only in the
//! per-device audit, so:
//! - a device whose kept facts are current (same `lastAuditDate`) costs nothing;
//! - a device kept with an older audit is audited again directly (one call gives MACs and
//!   serials; it was not matched by MAC before, so it would need the audit anyway);
//! - the other devices of a site get their MACs from the site's network-interface listing — one
//!   paged call for the whole site — unless the site has only one such device with an audit,
//!   which is then audited directly (one call either way, and the audit says more);
//! - whoever is still unmatched after MAC matching is audited ([`DeviceFacts::audit`]).
//!
//! What is learnt is kept in the store's audit cache under the device's `lastAuditDate` (the
//! Unix epoch when Datto reports none): full audits for devices of class `device`, the
//! network-interface MACs for the others (printers, ESXi hosts, network devices), so an
//! unchanged account costs no call at the next run. Each site's network-interface listing is
//! kept too, with the site's devices and their `lastAuditDate` ([`SiteInterfaces`]): a site
//! whose devices did not change is not listed again — neither in steady state nor in the
//! run after a failed one, which keeps every listing as soon as it is read.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use sync_core::identifiers::MacAddress;
use sync_core::itglue::{Device, DeviceUid, NetworkInterface, SiteUid};
use sync_store::{
    AuditFacts, DeviceAudit, DeviceStamp, ListedInterfaces, SiteInterfaces, Store, StoreError,
    TenantId,
};

use super::ports::{DattoRmmPort, DeviceInterfaces, PortError};

/// How many Datto RMM calls for facts are in flight at once. The client's rate limiter still
/// decides the pace; a few calls in flight keep a distant API busy up to that pace.
const CONCURRENT_CALLS: usize = 4;

/// Why gathering facts failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FactsError {
    #[error(transparent)]
    Port(#[from] PortError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The Datto RMM calls spent on facts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FactCalls {
    /// Site network-interface listings.
    pub(crate) interface_listings: u64,
    /// Site network-interface listings kept from an earlier run and still current (no call).
    pub(crate) kept_interface_listings: u64,
    /// Device audits.
    pub(crate) audits: u64,
}

/// Whether Datto RMM has a device audit for the device: its class is `device` (printers, ESXi
/// hosts and network devices have other audits, which the port does not read). A device that
/// reports no `lastAuditDate` is audited too: the audit still carries its BIOS serial number.
pub(crate) fn has_audit(device: &Device) -> bool {
    device.device_class.as_deref() == Some("device")
}

/// The date facts of `device` are kept under: its `lastAuditDate`, or the Unix epoch when Datto
/// reports none.
pub(crate) fn audit_key(device: &Device) -> DateTime<Utc> {
    device
        .last_audit_date
        .and_then(DateTime::from_timestamp_millis)
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// A site's devices as its kept listing is keyed: each device's uid and `lastAuditDate`.
fn site_stamps(devices: &BTreeMap<DeviceUid, Device>, site: &SiteUid) -> Vec<DeviceStamp> {
    devices
        .values()
        .filter(|d| &d.site == site)
        .map(|d| {
            DeviceStamp::new(
                d.uid.as_str(),
                d.last_audit_date.and_then(DateTime::from_timestamp_millis),
            )
        })
        .collect()
}

/// Puts kept or fetched facts on a device.
pub(crate) fn apply_facts(device: &mut Device, facts: &AuditFacts) {
    device.serial_numbers.clone_from(&facts.serial_numbers);
    if facts.manufacturer.is_some() {
        device.manufacturer.clone_from(&facts.manufacturer);
    }
    if facts.model.is_some() {
        device.model.clone_from(&facts.model);
    }
    let same_mac = |a: Option<&str>, b: &str| {
        a.is_some_and(|a| {
            a == b
                || matches!(
                    (MacAddress::parse(a), MacAddress::parse(b)),
                    (Ok(x), Ok(y)) if x == y
                )
        })
    };
    for interface in &facts.interfaces {
        let known = interface.mac_address.as_deref().and_then(|mac| {
            device
                .network_interfaces
                .iter_mut()
                .find(|nic| same_mac(nic.mac_address.as_deref(), mac))
        });
        match known {
            Some(nic) => {
                nic.name = nic.name.take().or_else(|| interface.name.clone());
                nic.ipv4 = nic.ipv4.take().or_else(|| interface.ipv4.clone());
                nic.ipv6 = nic.ipv6.take().or_else(|| interface.ipv6.clone());
            }
            None => device.network_interfaces.push(interface.clone()),
        }
    }
    for mac in &facts.mac_addresses {
        let known = device
            .network_interfaces
            .iter()
            .any(|nic| same_mac(nic.mac_address.as_deref(), mac));
        if !known {
            device.network_interfaces.push(NetworkInterface {
                mac_address: Some(mac.clone()),
                ..NetworkInterface::default()
            });
        }
    }
    let hardware = &facts.hardware;
    if !hardware.processors.is_empty() {
        device.rmm.processors.clone_from(&hardware.processors);
    }
    device.rmm.cpu_cores = hardware.cpu_cores.or(device.rmm.cpu_cores);
    device.rmm.memory_bytes = hardware.memory_bytes.or(device.rmm.memory_bytes);
    if !hardware.disks.is_empty() {
        device.rmm.disks.clone_from(&hardware.disks);
    }
}

/// Reads device facts for one run or action, keeping what it learns.
///
/// Facts live on the devices only: a kept audit is read from the store when a device needs it
/// and dropped once applied, and a fetched one is kept in the store and applied, never held a
/// second time (an account of 50,000 devices would otherwise hold every audit twice).
pub(crate) struct DeviceFacts<'a> {
    rmm: &'a dyn DattoRmmPort,
    store: &'a dyn Store,
    tenant: &'a TenantId,
    /// The devices that already carry their current facts (kept, listed or audited in this
    /// run): they need no read again.
    current: BTreeSet<DeviceUid>,
    /// The kept site listings, read from the store the first time a site needs one.
    kept_sites: Option<BTreeMap<String, SiteInterfaces>>,
    audited: BTreeSet<DeviceUid>,
    listed_sites: BTreeSet<SiteUid>,
    calls: FactCalls,
}

/// What the store keeps for a device, measured against its `lastAuditDate`.
enum Kept {
    /// Facts kept under the device's current audit date: applied.
    Current,
    /// Facts kept under an older audit date.
    Stale,
    /// Nothing kept.
    Nothing,
}

impl<'a> DeviceFacts<'a> {
    /// A reader of the tenant's devices' facts (nothing is read before a device needs it).
    pub(crate) fn new(
        rmm: &'a dyn DattoRmmPort,
        store: &'a dyn Store,
        tenant: &'a TenantId,
    ) -> Self {
        Self {
            rmm,
            store,
            tenant,
            current: BTreeSet::new(),
            kept_sites: None,
            audited: BTreeSet::new(),
            listed_sites: BTreeSet::new(),
            calls: FactCalls::default(),
        }
    }

    /// The calls spent so far.
    pub(crate) fn calls(&self) -> FactCalls {
        self.calls
    }

    /// Puts the device's kept facts on it when they are current (read from the store, not
    /// held), and says what was kept.
    async fn apply_kept(&mut self, device: &mut Device) -> Result<Kept, StoreError> {
        if self.current.contains(&device.uid) {
            return Ok(Kept::Current);
        }
        let kept = self
            .store
            .device_audit(self.tenant, device.uid.as_str())
            .await?;
        Ok(match kept {
            Some(kept) if kept.is_current(audit_key(device)) => {
                apply_facts(device, &kept.facts);
                self.current.insert(device.uid.clone());
                Kept::Current
            }
            Some(_) => Kept::Stale,
            None => Kept::Nothing,
        })
    }

    /// Gives every device in `needing` the facts that can be had without auditing a device that
    /// might still match by MAC: kept facts, stale audits renewed, site network-interface
    /// listings. Devices absent from `devices` are skipped.
    pub(crate) async fn fill(
        &mut self,
        devices: &mut BTreeMap<DeviceUid, Device>,
        needing: &BTreeSet<DeviceUid>,
    ) -> Result<(), FactsError> {
        let mut direct_audits: Vec<DeviceUid> = Vec::new();
        let mut by_site: BTreeMap<SiteUid, Vec<DeviceUid>> = BTreeMap::new();
        for uid in needing {
            let Some(device) = devices.get_mut(uid) else {
                continue;
            };
            match self.apply_kept(device).await? {
                Kept::Current => {}
                Kept::Stale if has_audit(device) => direct_audits.push(uid.clone()),
                _ if !self.listed_sites.contains(&device.site) => {
                    by_site
                        .entry(device.site.clone())
                        .or_default()
                        .push(uid.clone());
                }
                _ => {}
            }
        }
        let mut sites = Vec::new();
        for (site, uids) in by_site {
            if let [only] = uids.as_slice()
                && devices.get(only).is_some_and(has_audit)
            {
                direct_audits.push(only.clone());
            } else {
                sites.push(site);
            }
        }
        self.list_sites(devices, &sites).await?;
        self.audit(devices, &direct_audits).await?;
        Ok(())
    }

    /// Gives sites' devices their network interfaces: from the kept listing when the site's
    /// devices did not change since it was read, else from a new listing (a few at a time),
    /// kept at once. The interfaces of devices that have no audit are also kept as their facts.
    async fn list_sites(
        &mut self,
        devices: &mut BTreeMap<DeviceUid, Device>,
        sites: &[SiteUid],
    ) -> Result<(), FactsError> {
        if sites.is_empty() {
            return Ok(());
        }
        let kept = match self.kept_sites.take() {
            Some(kept) => kept,
            None => self
                .store
                .site_interfaces(self.tenant)
                .await?
                .into_iter()
                .map(|listing| (listing.site_uid.clone(), listing))
                .collect(),
        };
        let mut to_list = Vec::new();
        let mut from_kept = Vec::new();
        for site in sites {
            let stamps = site_stamps(devices, site);
            match kept.get(site.as_str()) {
                Some(listing) if listing.is_current(stamps) => {
                    from_kept.push((site.clone(), listing.listing.clone()));
                }
                _ => to_list.push(site.clone()),
            }
        }
        self.kept_sites = Some(kept);
        for (site, listing) in from_kept {
            self.calls.kept_interface_listings += 1;
            let listing = listing
                .into_iter()
                .map(|entry| DeviceInterfaces {
                    device: DeviceUid::new(entry.device_uid),
                    interfaces: entry.interfaces,
                })
                .collect();
            self.apply_listing(devices, &site, listing).await?;
        }
        let rmm = self.rmm;
        // Owned items: a closure over borrowed ones makes the run's future `Send` for one
        // lifetime only, and the scheduler could not spawn it.
        let mut listings = stream::iter(to_list)
            .map(|site| async move {
                let listing = rmm.site_network_interfaces(&site).await;
                (site, listing)
            })
            .buffered(CONCURRENT_CALLS);
        while let Some((site, listing)) = listings.next().await {
            let listing = listing?;
            self.calls.interface_listings += 1;
            let keep = SiteInterfaces::new(
                site.as_str(),
                site_stamps(devices, &site),
                listing
                    .iter()
                    .map(|entry| ListedInterfaces {
                        device_uid: entry.device.as_str().to_owned(),
                        interfaces: entry.interfaces.clone(),
                    })
                    .collect(),
            );
            self.store.put_site_interfaces(self.tenant, &keep).await?;
            if let Some(kept) = self.kept_sites.as_mut() {
                kept.insert(keep.site_uid.clone(), keep);
            }
            self.apply_listing(devices, &site, listing).await?;
        }
        Ok(())
    }

    /// Puts a site's listed interfaces on its devices and keeps them as the facts of the
    /// devices that have no audit.
    async fn apply_listing(
        &mut self,
        devices: &mut BTreeMap<DeviceUid, Device>,
        site: &SiteUid,
        listing: Vec<DeviceInterfaces>,
    ) -> Result<(), FactsError> {
        self.listed_sites.insert(site.clone());
        {
            for entry in listing {
                let Some(device) = devices.get_mut(&entry.device) else {
                    continue;
                };
                if device.network_interfaces.is_empty() {
                    device.network_interfaces = entry.interfaces;
                }
                if !has_audit(device) {
                    let audit = DeviceAudit {
                        device_uid: device.uid.as_str().to_owned(),
                        last_audit_date: audit_key(device),
                        facts: AuditFacts {
                            mac_addresses: device.mac_addresses().map(str::to_owned).collect(),
                            interfaces: device.network_interfaces.clone(),
                            ..AuditFacts::default()
                        },
                    };
                    self.store.put_device_audit(self.tenant, &audit).await?;
                    self.current.insert(device.uid.clone());
                }
            }
        }
        Ok(())
    }

    /// Audits each device of `uids` that has an audit, was not audited in this run and whose
    /// kept audit is not current; keeps the audits. Returns how many were fetched.
    pub(crate) async fn audit(
        &mut self,
        devices: &mut BTreeMap<DeviceUid, Device>,
        uids: &[DeviceUid],
    ) -> Result<u64, FactsError> {
        let mut wanted = Vec::new();
        for uid in uids {
            let Some(device) = devices.get_mut(uid) else {
                continue;
            };
            if !has_audit(device) || self.audited.contains(uid) {
                continue;
            }
            if let Kept::Current = self.apply_kept(device).await? {
                continue;
            }
            self.audited.insert(uid.clone());
            wanted.push(uid.clone());
        }
        let rmm = self.rmm;
        let mut audits = stream::iter(wanted)
            .map(|uid| async move {
                let facts = rmm.device_audit(&uid).await;
                (uid, facts)
            })
            .buffered(CONCURRENT_CALLS);
        let mut fetched = 0;
        while let Some((uid, facts)) = audits.next().await {
            let mut facts = facts?;
            self.calls.audits += 1;
            fetched += 1;
            let Some(device) = devices.get_mut(&uid) else {
                continue;
            };
            apply_facts(device, &facts);
            // An audit that lists no card (Datto had not audited the device's cards) keeps the
            // cards its site's listing gave, so the next run, which reads the kept audit
            // instead of the listing, still knows the device's MAC addresses.
            if facts.interfaces.is_empty() && facts.mac_addresses.is_empty() {
                facts.interfaces.clone_from(&device.network_interfaces);
                facts.mac_addresses = device.mac_addresses().map(str::to_owned).collect();
            }
            let audit = DeviceAudit {
                device_uid: uid.as_str().to_owned(),
                last_audit_date: audit_key(device),
                facts,
            };
            self.store.put_device_audit(self.tenant, &audit).await?;
            self.current.insert(uid);
        }
        Ok(fetched)
    }
}

#[cfg(test)]
mod tests {
    use sync_core::itglue::SiteUid;

    use super::*;

    fn desktop(last_audit: Option<i64>) -> Device {
        let mut device = Device::new(DeviceUid::new("d"), SiteUid::new("s"), "PC");
        device.device_class = Some("device".into());
        device.last_audit_date = last_audit;
        device
    }

    #[test]
    fn kept_facts_are_keyed_by_the_audit_date_or_the_epoch() {
        assert_eq!(audit_key(&desktop(None)), DateTime::UNIX_EPOCH);
        assert_eq!(
            audit_key(&desktop(Some(1_700_000_000_123))).timestamp_millis(),
            1_700_000_000_123
        );
    }

    #[test]
    fn only_devices_of_class_device_have_the_device_audit() {
        assert!(has_audit(&desktop(None)));
        let mut printer = desktop(Some(1));
        printer.device_class = Some("printer".into());
        assert!(!has_audit(&printer));
    }

    #[test]
    fn audit_facts_add_missing_macs_without_repeating_listed_ones() {
        let mut device = desktop(Some(1));
        device.network_interfaces.push(NetworkInterface {
            name: Some("Ethernet".into()),
            mac_address: Some("00:1A:2B:3C:4D:5E".into()),
            ..NetworkInterface::default()
        });
        let facts = AuditFacts {
            serial_numbers: vec!["5CG123".into()],
            mac_addresses: vec!["00:1A:2B:3C:4D:5E".into(), "00:1A:2B:3C:4D:5F".into()],
            manufacturer: Some("HP".into()),
            model: None,
            ..AuditFacts::default()
        };
        apply_facts(&mut device, &facts);
        assert_eq!(device.network_interfaces.len(), 2);
        assert_eq!(
            device.network_interfaces[0].name.as_deref(),
            Some("Ethernet")
        );
        assert_eq!(device.serial_numbers, ["5CG123"]);
        assert_eq!(device.manufacturer.as_deref(), Some("HP"));
    }
}
