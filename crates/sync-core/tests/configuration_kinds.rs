//! The configuration kind of a device (issue #15): what Datto RMM itself says — class,
//! category, the type its network discovery gave — decides before the audited model, the SNMP
//! description and, last, the hostname.

use proptest::prelude::*;
use sync_core::itglue::{ConfigurationKind as K, Device, DeviceUid, SiteUid};

fn device(class: &str, category: &str, kind: &str, hostname: &str) -> Device {
    let mut d = Device::new(DeviceUid::new("d"), SiteUid::new("s"), hostname);
    d.device_class = Some(class.to_owned());
    d.device_type.category = Some(category.to_owned());
    d.device_type.kind = Some(kind.to_owned());
    d
}

fn network(kind: &str, hostname: &str) -> Device {
    device("rmmnetworkdevice", "Network Device", kind, hostname)
}

#[test]
fn the_type_datto_discovery_gave_decides_before_description_and_hostname() {
    let mut firewall = network("Firewall", "ACME-SW01");
    firewall.description = Some("Core switch".into());
    assert_eq!(K::of(&firewall), K::Firewall);
    assert_eq!(K::of(&network("Switch", "ACME-GW01")), K::Switch);
    assert_eq!(K::of(&network("Access Point", "ACME-FW01")), K::AccessPoint);
    assert_eq!(K::of(&network("Router", "x")), K::Router);
}

#[test]
fn an_unidentified_device_is_told_by_its_snmp_description_before_its_hostname() {
    let mut forti = network("Network Device", "ACME-GW01");
    forti.description = Some("FortiGate-60F v7.2.8,build1639,240313 (GA.M)".into());
    assert_eq!(K::of(&forti), K::Firewall);
    let mut aruba = network("Network Device", "ACME-CORE01");
    aruba.description =
        Some("Aruba JL258A 2930F-8G-PoE+-2SFP+ Switch, revision WC.16.11.0012".into());
    assert_eq!(K::of(&aruba), K::Switch);
    let mut netgear = network("Network Device", "x");
    netgear.description = Some("GS724Tv4 ProSAFE 24-port Gigabit Smart Managed Switch".into());
    assert_eq!(K::of(&netgear), K::Switch);
    let mut sonicwall = network("Network Device", "x");
    sonicwall.description = Some("SonicWall TZ 370 (SonicOS 7.0.1-5145)".into());
    assert_eq!(K::of(&sonicwall), K::Firewall);
    let mut draytek = network("Network Device", "x");
    draytek.description = Some("DrayTek Corporation, Router Model: Vigor2865".into());
    assert_eq!(K::of(&draytek), K::Router);
}

#[test]
fn model_numbers_name_their_family_but_only_outside_the_hostname() {
    let with_model = |model: &str| {
        let mut d = network("Network Device", "x");
        d.model = Some(model.into());
        K::of(&d)
    };
    assert_eq!(with_model("GS724T"), K::Switch);
    assert_eq!(with_model("Aruba 2930F"), K::Switch);
    assert_eq!(with_model("USW-24-POE"), K::Switch);
    assert_eq!(with_model("FG60F"), K::Firewall);
    assert_eq!(with_model("TZ370"), K::Firewall);
    assert_eq!(with_model("MR36"), K::AccessPoint);
    assert_eq!(with_model("RB5009UG+S+IN"), K::Router);
    assert_eq!(with_model("DS920+"), K::Nas);
    // An APC power distribution unit is no access point, a camera no switch.
    assert_eq!(with_model("AP7900B"), K::NetworkDevice);
    assert_eq!(with_model("M3106-L Mk II"), K::NetworkDevice);
    // "TZ2" is a site's tag in a hostname, not a SonicWall.
    assert_eq!(
        K::of(&network("Network Device", "TZ2-CAM01")),
        K::NetworkDevice
    );
}

#[test]
fn the_audited_model_decides_before_the_description() {
    let mut d = network("Network Device", "x");
    d.model = Some("FortiGate 60F".into());
    d.description = Some("Managed switch".into());
    assert_eq!(K::of(&d), K::Firewall);
}

#[test]
fn unknown_network_gear_is_the_generic_network_device() {
    let mut camera = network("Network Device", "ACME-CAM01");
    camera.description = Some("AXIS M3106-L Mk II Network Camera 10.12.182".into());
    assert_eq!(K::of(&camera), K::NetworkDevice);
    let mut pdu = network("Network Device", "ACME-PDU01");
    pdu.description =
        Some("APC Web/SNMP Management Card (MB:v4.2.6 PF:v7.0.6 PN:apc_hw05_rpdu2g)".into());
    assert_eq!(K::of(&pdu), K::NetworkDevice);
    let mut phone = network("Network Device", "ACME-SIP01");
    phone.description = Some("Yealink SIP-T54W 96.86.0.70".into());
    assert_eq!(K::of(&phone), K::NetworkDevice);
}

#[test]
fn printers_and_esxi_hosts_are_told_by_their_class_whatever_their_names() {
    let mut printer = device("printer", "Printer", "Physical", "ACME-SW01");
    printer.description = Some("HP LaserJet Pro M404dn".into());
    assert_eq!(K::of(&printer), K::Printer);
    assert_eq!(
        K::of(&device("printer", "", "", "BRN3C2AF4123456")),
        K::Printer
    );
    assert_eq!(
        K::of(&device(
            "esxihost",
            "ESXi Host",
            "Physical",
            "esx01.acme.local"
        )),
        K::VirtualHost
    );
}

const DATTO_TYPES: &[(&str, K)] = &[
    ("Firewall", K::Firewall),
    ("Switch", K::Switch),
    ("Router", K::Router),
    ("Access Point", K::AccessPoint),
    ("NAS", K::Nas),
    ("UPS", K::Ups),
    ("Printer", K::Printer),
];

proptest! {
    /// Whatever its hostname, description and model say, a network device Datto typed is of
    /// that kind; a printer is a printer and an ESXi host a virtual host.
    #[test]
    fn datto_classification_wins_over_any_names(
        typed in 0..DATTO_TYPES.len(),
        hostname in "[A-Za-z0-9 -]{0,24}",
        description in proptest::option::of("[A-Za-z0-9 ,.()-]{0,60}"),
        model in proptest::option::of("[A-Za-z0-9 -]{0,20}"),
    ) {
        let (datto_type, kind) = DATTO_TYPES[typed];
        let mut d = network(datto_type, &hostname);
        d.description = description.clone();
        d.model = model.clone();
        prop_assert_eq!(K::of(&d), kind);
        for (class, kind) in [("printer", K::Printer), ("esxihost", K::VirtualHost)] {
            let mut d = device(class, "", "", &hostname);
            d.description = description.clone();
            d.model = model.clone();
            prop_assert_eq!(K::of(&d), kind);
        }
    }

    /// A network device is never typed as a computer, whatever it is called.
    #[test]
    fn a_network_device_is_always_network_gear(
        hostname in "[A-Za-z0-9 -]{0,24}",
        description in proptest::option::of("[A-Za-z0-9 ,.()-]{0,60}"),
    ) {
        let mut d = network("Network Device", &hostname);
        d.description = description;
        let kind = K::of(&d);
        prop_assert!(
            !matches!(kind, K::Workstation | K::Laptop | K::Server | K::VirtualHost | K::MobileDevice | K::Other),
            "{:?}", kind
        );
    }
}
