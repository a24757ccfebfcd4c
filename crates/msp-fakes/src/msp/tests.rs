//! Properties of generated MSPs.

use std::collections::HashSet;

use super::text::strip_legal_suffix;
use super::vocabulary::{JUNK_SERIALS, LEGAL_SUFFIXES};
use super::*;

#[test]
fn same_seed_gives_the_same_msp() {
    assert_eq!(
        GeneratedMsp::generate(42, MspSize::Small),
        GeneratedMsp::generate(42, MspSize::Small)
    );
}

#[test]
fn different_seeds_give_different_msps() {
    let a = GeneratedMsp::generate(1, MspSize::Small);
    let b = GeneratedMsp::generate(2, MspSize::Small);
    assert_ne!(a.companies, b.companies);
}

#[test]
fn sizes_produce_the_requested_counts() {
    for size in [
        MspSize::Small,
        MspSize::Medium,
        MspSize::Custom {
            sites: 7,
            devices: 11,
        },
    ] {
        let msp = GeneratedMsp::generate(3, size);
        let (sites, devices) = size.counts();
        assert_eq!(msp.sites.len(), sites);
        assert_eq!(msp.devices.len(), devices);
    }
}

#[test]
fn the_three_system_sites_exist_and_only_ondemand_is_ondemand() {
    let msp = GeneratedMsp::generate(5, MspSize::Small);
    let names: Vec<&str> = msp
        .sites
        .iter()
        .filter(|s| s.kind.is_system())
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Managed", "OnDemand", "Deleted Devices"]);
    let on_demand_system = msp
        .sites
        .iter()
        .find(|s| s.kind == SiteKind::SystemOnDemand)
        .unwrap();
    assert!(on_demand_system.kind.is_on_demand());
    assert!(!SiteKind::SystemManaged.is_on_demand());
}

#[test]
fn device_ranges_partition_the_devices_and_point_back_to_their_site() {
    let msp = GeneratedMsp::generate(9, MspSize::Medium);
    let mut next = 0;
    for site in &msp.sites {
        assert_eq!(site.devices.start, next);
        next = site.devices.end;
        for device in msp.devices_of(site) {
            assert_eq!(device.site, site.index);
        }
    }
    assert_eq!(next, msp.devices.len());
    assert!(msp.devices.iter().enumerate().all(|(i, d)| d.index == i));
}

#[test]
fn medium_msp_has_the_hard_cases_a_sync_must_handle() {
    let msp = GeneratedMsp::generate(11, MspSize::Medium);
    assert!(
        msp.sites
            .iter()
            .any(|s| s.kind == SiteKind::CustomerOnDemand),
        "customer OnDemand sites"
    );
    assert!(
        msp.customer_sites().any(|s| s.devices.is_empty()),
        "sites without devices"
    );
    assert!(
        msp.companies.iter().any(|c| c.name.contains('&')),
        "names with &"
    );
    assert!(
        msp.companies
            .iter()
            .any(|c| LEGAL_SUFFIXES.iter().any(|s| c.name.ends_with(s))),
        "legal suffixes"
    );
    assert!(
        msp.sites.iter().any(|s| s.name.contains(" - ")),
        "location tails"
    );
    let mut sites_per_autotask = std::collections::HashMap::new();
    for site in msp
        .sites
        .iter()
        .filter_map(|s| s.autotask_company_id.as_ref())
    {
        *sites_per_autotask.entry(site).or_insert(0) += 1;
    }
    assert!(
        sites_per_autotask.values().any(|n| *n > 1),
        "several sites share one Autotask company"
    );
    assert!(
        msp.sites
            .iter()
            .any(|s| s.kind == SiteKind::Customer && s.autotask_company_id.is_none())
    );

    let junk = msp.devices.iter().filter(|d| {
        d.serial_number
            .as_deref()
            .is_some_and(|s| JUNK_SERIALS.contains(&s))
    });
    assert!(junk.count() > 10, "placeholder serials");
    let mut hostnames_sites = std::collections::HashMap::<&str, HashSet<usize>>::new();
    for d in &msp.devices {
        hostnames_sites
            .entry(d.hostname.as_str())
            .or_default()
            .insert(d.site);
    }
    assert!(
        hostnames_sites.values().any(|s| s.len() > 1),
        "hostnames repeat across sites"
    );
    let macs: Vec<&str> = msp
        .devices
        .iter()
        .flat_map(|d| d.nics.iter().map(|n| n.mac_address.as_str()))
        .collect();
    assert!(macs.iter().any(|m| m.contains(':')) && macs.iter().any(|m| m.contains('-')));
    assert!(macs.iter().any(|m| m.len() == 12) && macs.iter().any(|m| m.contains('.')));
    let shared = msp
        .devices
        .iter()
        .filter(|d| d.nics.iter().any(|n| n.is_virtual))
        .count();
    assert!(shared > 10, "shared virtual MACs");
    for class in [
        DeviceClass::Device,
        DeviceClass::Printer,
        DeviceClass::EsxiHost,
        DeviceClass::NetworkDevice,
    ] {
        assert!(
            msp.devices.iter().any(|d| d.device_class == class),
            "{class:?}"
        );
    }
}

#[test]
fn physical_mac_addresses_are_unique() {
    let msp = GeneratedMsp::generate(13, MspSize::Medium);
    let mut seen = HashSet::new();
    for nic in msp
        .devices
        .iter()
        .flat_map(|d| &d.nics)
        .filter(|n| !n.is_virtual)
    {
        let normalised: String = nic
            .mac_address
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_uppercase();
        assert!(seen.insert(normalised), "duplicate {}", nic.mac_address);
    }
}

/// The hypervisor prefixes of `sync-core`'s list that the generator uses.
const HYPERVISOR_PREFIXES: &[&str] = &["00155D", "005056"];

fn prefix(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .take(6)
        .collect::<String>()
        .to_uppercase()
}

#[test]
fn physical_cards_have_a_vendor_prefix_and_hyper_v_hosts_list_their_virtual_switch() {
    let msp = GeneratedMsp::generate(13, MspSize::Medium);
    let mut hosts = 0;
    let mut address_on_switch = 0;
    for device in &msp.devices {
        let virtual_machine = device.type_name == "Virtual";
        for nic in device.nics.iter().filter(|n| !n.is_virtual) {
            let hypervisor = HYPERVISOR_PREFIXES.contains(&prefix(&nic.mac_address).as_str());
            assert_eq!(
                hypervisor, virtual_machine,
                "{}: {}",
                device.hostname, nic.mac_address
            );
        }
        let switch = device
            .nics
            .iter()
            .find(|n| n.is_virtual && prefix(&n.mac_address) == "00155D");
        if let Some(switch) = switch {
            hosts += 1;
            assert_eq!(device.category, "Server");
            assert!(!virtual_machine);
            assert!(
                switch
                    .instance
                    .starts_with("Hyper-V Virtual Ethernet Adapter")
            );
            assert!(device.nics.iter().any(|n| !n.is_virtual));
            address_on_switch +=
                usize::from(switch.ipv4.as_deref() == Some(device.int_ip_address.as_str()));
        }
    }
    assert!(hosts > 10, "{hosts} Hyper-V hosts");
    assert!(address_on_switch > 0 && address_on_switch < hosts);
}

#[test]
fn network_gear_is_typed_described_and_named_as_discovery_finds_it() {
    let msp = GeneratedMsp::generate(13, MspSize::Medium);
    let gear: Vec<&MspDevice> = msp
        .devices
        .iter()
        .filter(|d| d.device_class == DeviceClass::NetworkDevice)
        .collect();
    let types: HashSet<&str> = gear.iter().map(|d| d.type_name.as_str()).collect();
    for wanted in [
        "Firewall",
        "Switch",
        "Access Point",
        "Router",
        "Network Device",
    ] {
        assert!(types.contains(wanted), "{wanted}: {types:?}");
    }
    assert!(gear.iter().all(|d| d.category == "Network Device"));
    assert!(gear.iter().all(|d| d.description.is_some()));
    // Not every switch is called SW: firewalls are FW or GW, cameras CAM.
    assert!(gear.iter().any(|d| d.hostname.contains("-FW")));
    assert!(gear.iter().any(|d| d.hostname.contains("-GW")));
    assert!(gear.iter().any(|d| d.hostname.contains("-CAM")));
    let printers = msp
        .devices
        .iter()
        .filter(|d| d.device_class == DeviceClass::Printer);
    assert!(
        printers
            .clone()
            .any(|d| d.hostname.starts_with("BRN") || d.hostname.starts_with("NPI"))
    );
    assert!(printers.clone().all(|d| d.description.is_some()));
}

#[test]
fn company_names_are_unique_ignoring_case() {
    let msp = GeneratedMsp::generate(17, MspSize::Large);
    let mut seen = HashSet::new();
    assert!(
        msp.companies
            .iter()
            .all(|c| seen.insert(c.name.to_lowercase()))
    );
    assert_eq!(msp.devices.len(), 50_000);
}

#[test]
fn legal_suffixes_are_stripped_only_as_whole_words() {
    assert_eq!(strip_legal_suffix("Smith & Jones LLP"), "Smith & Jones");
    assert_eq!(strip_legal_suffix("Müller GmbH & Co. KG"), "Müller");
    assert_eq!(
        strip_legal_suffix("Northwind Logistics"),
        "Northwind Logistics"
    );
    assert_eq!(strip_legal_suffix("WorksAB"), "WorksAB");
}
