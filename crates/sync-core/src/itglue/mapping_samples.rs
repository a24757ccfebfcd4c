//! Sample devices and configurations for the field mapping's and the update plan's tests:
//! a laptop with a loopback, a Wi-Fi and a link-local Ethernet adapter, and proptest strategies
//! over adapters (physical, virtual, tunnels, broken MACs), placeholder serials and policies.

use proptest::prelude::*;

use super::configuration::Configuration;
use super::device::{Device, DeviceType, NetworkInterface};
use super::ids::{ConfigurationId, DeviceUid, OrganizationId, SiteUid};
use super::rmm_facts::RmmFacts;
use super::update_policy::{ConfigurationField, FieldPolicy, UpdatePolicies};

pub(crate) fn nic(name: &str, ip: Option<&str>, mac: Option<&str>) -> NetworkInterface {
    NetworkInterface {
        name: Some(name.to_owned()),
        ipv4: ip.map(str::to_owned),
        ipv6: None,
        mac_address: mac.map(str::to_owned),
    }
}

pub(crate) fn laptop() -> Device {
    let mut device = Device::new(DeviceUid::new("uid-7"), SiteUid::new("s"), " LT-007 ");
    device.device_type = DeviceType {
        category: Some("Laptop".into()),
        kind: Some("physical".into()),
    };
    device.operating_system = Some("Microsoft Windows 11 Pro".into());
    device.internal_ip = Some("192.168.1.20".into());
    device.manufacturer = Some("HP".into());
    device.model = Some("EliteBook 840 G8".into());
    device.serial_numbers = vec!["5CG1234XYZ".into()];
    device.warranty_date = Some("2027-01-31".into());
    device.rmm = RmmFacts {
        memory_bytes: Some(17_179_869_184),
        ..RmmFacts::default()
    };
    device.network_interfaces = vec![
        nic("Npcap Loopback Adapter", None, Some("02-00-4C-4F-4F-50")),
        nic("Wi-Fi", Some("192.168.1.20"), Some("a4:bb:6d:01:02:03")),
        nic("Ethernet", Some("169.254.3.4"), Some("a4bb6d010204")),
    ];
    device
}

pub(crate) fn any_mac() -> impl Strategy<Value = String> {
    prop_oneof![
        // Hardware vendors.
        (any::<[u8; 3]>()).prop_map(|b| format!("3C:52:82:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2])),
        (any::<[u8; 3]>()).prop_map(|b| format!("d4-81-d7-{:02x}-{:02x}-{:02x}", b[0], b[1], b[2])),
        // Hypervisors, containers, shared and broken addresses.
        (any::<[u8; 3]>()).prop_map(|b| format!("00155D{:02X}{:02X}{:02X}", b[0], b[1], b[2])),
        (any::<[u8; 3]>()).prop_map(|b| format!("00:50:56:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2])),
        (any::<[u8; 4]>())
            .prop_map(|b| format!("02:42:{:02X}:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2], b[3])),
        Just("52:54:00:12:34:56".to_owned()),
        Just("02-00-4C-4F-4F-50".to_owned()),
        Just("00:00:00:00:00:00".to_owned()),
        Just("not a mac".to_owned()),
    ]
}

pub(crate) fn any_nic() -> impl Strategy<Value = NetworkInterface> {
    let names = prop_oneof![
        Just("Intel(R) Ethernet Connection I219-LM"),
        Just("Realtek PCIe GbE Family Controller"),
        Just("Intel(R) Wi-Fi 6 AX201"),
        Just("Hyper-V Virtual Ethernet Adapter"),
        Just("Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter"),
        Just("Bluetooth Device (Personal Area Network)"),
        Just("Software Loopback Interface 1"),
        Just("Teredo Tunneling Pseudo-Interface"),
        Just("vmxnet3 Ethernet Adapter"),
    ];
    let ip = prop_oneof![
        Just(None),
        (1u8..=254).prop_map(|n| Some(format!("10.0.0.{n}"))),
    ];
    (names, ip, proptest::option::of(any_mac())).prop_map(|(name, ipv4, mac_address)| {
        NetworkInterface {
            name: Some(name.to_owned()),
            ipv4,
            ipv6: None,
            mac_address,
        }
    })
}

pub(crate) fn any_device() -> impl Strategy<Value = Device> {
    let serial = prop_oneof![
        Just("To Be Filled By O.E.M.".to_owned()),
        Just("System Serial Number".to_owned()),
        Just("0000000000".to_owned()),
        Just("123456789ABC".to_owned()),
        "[A-Z0-9]{7,12}",
        Just(" ".to_owned()),
    ];
    (
        proptest::collection::vec(any_nic(), 0..5),
        proptest::collection::vec(serial, 0..3),
        any::<bool>(),
        proptest::option::of((1u8..=254).prop_map(|n| format!("10.0.0.{n}"))),
        proptest::option::of(Just("HP".to_owned())),
        proptest::option::of(0u64..1 << 40),
    )
        .prop_map(
            |(nics, serials, virtual_machine, ip, manufacturer, memory)| {
                let mut device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s"), "PC-1");
                device.device_type.category = Some("Desktop".into());
                device.device_type.kind = Some(
                    if virtual_machine {
                        "Virtual"
                    } else {
                        "Physical"
                    }
                    .into(),
                );
                device.network_interfaces = nics;
                device.serial_numbers = serials;
                device.internal_ip = ip;
                device.manufacturer = manufacturer;
                device.rmm.memory_bytes = memory;
                device
            },
        )
}

pub(crate) fn any_configuration() -> impl Strategy<Value = Configuration> {
    (
        proptest::option::of("[ -~]{0,20}"),
        proptest::option::of(any_mac()),
        proptest::option::of("[ -~]{0,12}"),
        any::<bool>(),
    )
        .prop_map(|(notes, mac, serial, psa)| {
            let mut c = Configuration::new(ConfigurationId(1), OrganizationId(1), "PC-1");
            c.notes = notes;
            c.mac_address = mac;
            c.serial_number = serial;
            c.psa_synced = psa;
            c
        })
}

pub(crate) fn any_policies() -> impl Strategy<Value = UpdatePolicies> {
    let policy = prop_oneof![
        Just(FieldPolicy::Overwrite),
        Just(FieldPolicy::FillWhenEmpty),
        Just(FieldPolicy::Never),
    ];
    proptest::collection::vec(policy, ConfigurationField::ALL.len()).prop_map(|chosen| {
        let mut policies = UpdatePolicies::default();
        for (field, policy) in ConfigurationField::ALL.into_iter().zip(chosen) {
            policies.set(field, policy);
        }
        policies
    })
}
