//! A generated account of about 20 sites and 300 devices (msp-fakes' `MspSize::Small`), synced
//! through the real clients, adapters and IT Glue flow (issue #15): created configurations get
//! their kind's type where the account has it, and no configuration the sync matched or made
//! holds a virtual adapter's MAC address.

mod itglue_support;

use std::collections::{BTreeMap, BTreeSet};

use msp_fakes::itglue::NamedKind;
use msp_fakes::msp::{DeviceClass, MspDevice, MspSize};
use sync_core::identifiers::MacAddress;
use sync_core::itglue::{ConfigurationOutcome, DeviceUid, parse_rmm_marker, virtual_prefix};
use sync_engine::itglue::{NoProgress, SyncReport};

use itglue_support::admin;
use itglue_support::fakes::FakeAccount;

const SEED: u64 = 15;

async fn small_account() -> FakeAccount {
    FakeAccount::start(SEED, MspSize::Small, 1000).await
}

/// The account's type a device must get, from what the generator made it (not from the
/// classifier under test). The account has "Firewall", "Switch", "Printer", "Network Device",
/// "Managed Server", "Managed Workstation" and "Laptop"; it has no type for access points,
/// routers or hypervisors, so those take the generic network type and the server type.
fn expected_type(device: &MspDevice) -> &'static str {
    match device.device_class {
        DeviceClass::Printer => "Printer",
        DeviceClass::EsxiHost => "Managed Server",
        DeviceClass::NetworkDevice => match device.model.as_str() {
            "FortiGate 60F" | "TZ370" | "Firebox T40" => "Firewall",
            "Aruba 2930F" | "GS724T" | "USW-24-POE" | "Catalyst 9200L" => "Switch",
            _ => "Network Device",
        },
        _ => match device.category.as_str() {
            "Laptop" => "Laptop",
            "Server" => "Managed Server",
            _ => "Managed Workstation",
        },
    }
}

fn devices_by_uid(account: &FakeAccount) -> BTreeMap<String, MspDevice> {
    account
        .msp
        .devices
        .iter()
        .map(|d| (d.uid.clone(), d.clone()))
        .collect()
}

fn unmatched(report: &SyncReport) -> Vec<DeviceUid> {
    report
        .organizations
        .iter()
        .flat_map(|o| &o.devices)
        .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
        .map(|d| d.device.uid.clone())
        .collect()
}

fn mac(text: &str) -> MacAddress {
    MacAddress::parse(text).unwrap()
}

fn is_virtual_machine(device: &MspDevice) -> bool {
    device.type_name.eq_ignore_ascii_case("virtual")
}

#[tokio::test]
async fn every_created_configuration_gets_its_kinds_type_where_the_account_has_it() {
    let account = small_account().await;
    let report = account.flow.run(&NoProgress).await.unwrap();
    let before: BTreeSet<u64> = account
        .itglue
        .configurations()
        .iter()
        .map(|c| c.id)
        .collect();
    let unmatched = unmatched(&report);
    account.itglue.log().clear();
    account
        .flow
        .create_configurations(
            &admin(),
            &report,
            &unmatched,
            sync_engine::itglue::Mode::Apply,
        )
        .await
        .unwrap();
    // One bulk create per organization.
    let organizations: BTreeSet<u64> = report
        .organizations
        .iter()
        .filter(|o| {
            o.devices
                .iter()
                .any(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
        })
        .map(|o| o.organization.id.0)
        .collect();
    let creates = account
        .itglue
        .log()
        .all()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/configurations"))
        .count();
    assert_eq!(creates, organizations.len());

    let types: BTreeMap<u64, String> = account
        .itglue
        .named(NamedKind::ConfigurationType)
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let devices = devices_by_uid(&account);
    let mut created = 0;
    let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
    for c in account.itglue.configurations() {
        if before.contains(&c.id) {
            continue;
        }
        created += 1;
        let uid = c
            .installed_by
            .as_deref()
            .and_then(parse_rmm_marker)
            .expect("a created configuration carries the RMM marker");
        let device = &devices[uid.as_str()];
        let expected = expected_type(device);
        assert_eq!(
            types[&c.configuration_type_id],
            expected,
            "{} ({:?} {:?} {:?} {:?})",
            device.hostname,
            device.device_class,
            device.type_name,
            device.model,
            device.description
        );
        *per_type.entry(expected).or_default() += 1;
    }
    assert_eq!(created, unmatched.len());
    for kind in [
        "Firewall",
        "Switch",
        "Printer",
        "Network Device",
        "Managed Server",
        "Managed Workstation",
        "Laptop",
    ] {
        assert!(
            per_type.get(kind) > Some(&0),
            "no {kind} created: {per_type:?}"
        );
    }
}

#[tokio::test]
async fn no_configuration_holds_a_virtual_adapters_mac_and_every_interface_carries_its_ipv4() {
    let account = small_account().await;
    let first = account.flow.run(&NoProgress).await.unwrap();
    let devices = devices_by_uid(&account);
    let virtual_adapters = |device: &MspDevice| -> Vec<MacAddress> {
        device
            .nics
            .iter()
            .filter(|n| n.is_virtual)
            .map(|n| mac(&n.mac_address))
            .collect()
    };
    // A matched Hyper-V host whose configuration a person gave the virtual switch's address,
    // and a matched device whose configuration holds a stale address.
    let matched_first = first.matched_configurations();
    let (host, host_configuration) = matched_first
        .iter()
        .find(|(uid, _)| {
            devices[uid.as_str()]
                .nics
                .iter()
                .any(|n| n.is_virtual && virtual_prefix(&mac(&n.mac_address)).is_some())
        })
        .expect("a matched Hyper-V host");
    let switch = virtual_adapters(&devices[host.as_str()])[0];
    assert!(
        account
            .itglue
            .modify_configuration(host_configuration.0, |c| {
                c.mac_address = Some(switch.to_string());
            })
    );
    let (stale_device, stale_configuration) = matched_first
        .iter()
        .find(|(uid, id)| *uid != host && **id != *host_configuration)
        .unwrap();
    assert!(
        account
            .itglue
            .modify_configuration(stale_configuration.0, |c| {
                c.mac_address = Some("3C:52:82:FF:FF:FE".into());
            })
    );

    let interfaces_before: BTreeSet<u64> = account
        .itglue
        .configurations()
        .iter()
        .flat_map(|c| account.itglue.interfaces_of(c.id))
        .map(|i| i.id)
        .collect();
    let second = account.flow.run(&NoProgress).await.unwrap();
    let unmatched = unmatched(&second);
    account
        .flow
        .create_configurations(
            &admin(),
            &second,
            &unmatched,
            sync_engine::itglue::Mode::Apply,
        )
        .await
        .unwrap();

    // Every configuration the sync matched or made, with its device.
    let mut linked: BTreeMap<u64, &MspDevice> = second
        .matched_configurations()
        .into_iter()
        .map(|(uid, id)| (id.0, &devices[uid.as_str()]))
        .collect();
    for c in account.itglue.configurations() {
        if let Some(uid) = c.installed_by.as_deref().and_then(parse_rmm_marker) {
            linked.insert(c.id, &devices[uid.as_str()]);
        }
    }
    assert!(linked.len() > 100, "{} linked", linked.len());
    let mut new_interfaces = 0;
    let mut with_ipv4 = 0;
    for (id, device) in &linked {
        let c = account.itglue.configuration(*id).unwrap();
        let shared = virtual_adapters(device);
        if let Some(text) = c.mac_address.as_deref() {
            let address = mac(text);
            assert!(!shared.contains(&address), "{}: {address}", device.hostname);
            assert!(
                is_virtual_machine(device) || virtual_prefix(&address).is_none(),
                "{}: {address}",
                device.hostname
            );
        }
        for interface in account.itglue.interfaces_of(*id) {
            if interfaces_before.contains(&interface.id) {
                continue;
            }
            new_interfaces += 1;
            let Some(address) = interface.mac_address.as_deref().map(mac) else {
                // A device whose audit lists no card gets one interface with its address.
                assert!(device.nics.iter().all(|n| n.is_virtual), "{interface:?}");
                assert_eq!(
                    interface.ip_address.as_deref(),
                    Some(device.int_ip_address.as_str())
                );
                continue;
            };
            let nic = device
                .nics
                .iter()
                .find(|n| mac(&n.mac_address) == address)
                .expect("an interface is made from one of the device's adapters");
            assert!(!nic.is_virtual, "{}: {}", device.hostname, nic.instance);
            if let Some(ipv4) = &nic.ipv4 {
                with_ipv4 += 1;
                assert_eq!(
                    interface.ip_address.as_deref(),
                    Some(ipv4.as_str()),
                    "{}: {}",
                    device.hostname,
                    nic.instance
                );
            }
        }
    }
    assert!(
        new_interfaces > 50 && with_ipv4 > 50,
        "{new_interfaces} / {with_ipv4}"
    );

    let physical = |device: &MspDevice| -> Vec<MacAddress> {
        device
            .nics
            .iter()
            .filter(|n| !n.is_virtual)
            .map(|n| mac(&n.mac_address))
            .collect()
    };
    let host_now = account.itglue.configuration(host_configuration.0).unwrap();
    assert_eq!(
        host_now.mac_address.as_deref().map(mac),
        physical(&devices[host.as_str()]).first().copied()
    );
    let stale_now = account.itglue.configuration(stale_configuration.0).unwrap();
    assert_eq!(
        stale_now.mac_address.as_deref().map(mac),
        physical(&devices[stale_device.as_str()]).first().copied()
    );
}
