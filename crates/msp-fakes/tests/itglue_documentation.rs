//! The generated IT Glue documentation account: its planted truth agrees with the fake's state
//! and with the generated MSP, and it holds every kind of case a sync must handle.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use msp_fakes::itglue::{
    DecoyReason, ItGlueFake, ItGlueFakeConfig, NameVariation, PlantedIdentifier, PlantedMatches,
};
use msp_fakes::msp::{GeneratedMsp, MspDevice, MspSize, SiteKind};

/// A medium MSP (about 200 sites, 5,000 devices), generated once for all tests.
fn medium() -> &'static GeneratedMsp {
    static MSP: OnceLock<GeneratedMsp> = OnceLock::new();
    MSP.get_or_init(|| GeneratedMsp::generate(3, MspSize::Medium))
}

async fn planted(msp: &GeneratedMsp, seed: u64) -> (ItGlueFake, PlantedMatches) {
    let fake = ItGlueFake::start(ItGlueFakeConfig::new("ITG.doc")).await;
    let planted = fake.plant_documentation(msp, seed);
    (fake, planted)
}

fn hex(mac: &str) -> String {
    mac.chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_uppercase()
}

/// A device of [`medium`] by its uid.
fn device(uid: &str) -> &'static MspDevice {
    static BY_UID: OnceLock<HashMap<String, usize>> = OnceLock::new();
    let by_uid = BY_UID.get_or_init(|| {
        medium()
            .devices
            .iter()
            .map(|d| (d.uid.clone(), d.index))
            .collect()
    });
    &medium().devices[by_uid[uid]]
}

#[tokio::test]
async fn the_same_msp_and_seed_plant_the_same_account() {
    let msp = GeneratedMsp::generate(11, MspSize::Small);
    let (first_fake, first) = planted(&msp, 5).await;
    let (second_fake, second) = planted(&msp, 5).await;
    assert_eq!(first, second);
    let names = |fake: &ItGlueFake| {
        fake.organizations()
            .into_iter()
            .map(|o| o.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first_fake), names(&second_fake));
    let (other_fake, _) = planted(&msp, 6).await;
    assert_ne!(names(&first_fake), names(&other_fake));
}

#[tokio::test]
async fn every_participating_site_is_planted_or_listed_as_without_organization() {
    let msp = medium();
    let (_, planted) = planted(msp, 1).await;
    let participating: BTreeSet<&str> = msp
        .sites
        .iter()
        .filter(|s| s.kind == SiteKind::Customer && !s.devices.is_empty())
        .map(|s| s.uid.as_str())
        .collect();
    let with: BTreeSet<&str> = planted.sites.keys().map(String::as_str).collect();
    let without: BTreeSet<&str> = planted
        .sites_without_organization
        .iter()
        .map(String::as_str)
        .collect();
    assert!(with.is_disjoint(&without));
    assert_eq!(
        with.union(&without).copied().collect::<BTreeSet<_>>(),
        participating
    );
    assert!(!without.is_empty());
}

#[tokio::test]
async fn planted_organizations_exist_with_the_planted_names() {
    let msp = medium();
    let (fake, planted) = planted(msp, 1).await;
    for (uid, organization) in &planted.sites {
        let stored = fake.organization(organization.organization_id).unwrap();
        assert_eq!(stored.name, organization.organization_name);
        let site = msp.site_by_uid(uid).unwrap();
        assert_eq!(site.name, organization.site_name);
        match organization.variations.as_slice() {
            [] => assert_eq!(organization.organization_name, organization.site_name),
            [NameVariation::CaseChanged] => assert!(
                organization
                    .organization_name
                    .eq_ignore_ascii_case(&organization.site_name)
            ),
            [NameVariation::LocationTailDropped] => assert!(
                organization
                    .site_name
                    .starts_with(&organization.organization_name),
                "{organization:?}"
            ),
            _ => assert_ne!(organization.organization_name, organization.site_name),
        }
    }
    let owner = fake.organization(planted.owner_organization).unwrap();
    assert!(owner.primary);
    assert_eq!(owner.name, msp.account.name);
}

#[tokio::test]
async fn every_kind_of_name_variation_is_planted() {
    let msp = medium();
    let (_, planted) = planted(msp, 1).await;
    let seen: BTreeSet<NameVariation> = planted
        .sites
        .values()
        .flat_map(|o| o.variations.iter().copied())
        .collect();
    for variation in [
        NameVariation::LegalSuffixAdded,
        NameVariation::LegalSuffixDropped,
        NameVariation::LegalSuffixChanged,
        NameVariation::AmpersandSpelledOut,
        NameVariation::LocationTailDropped,
        NameVariation::Typo,
        NameVariation::CaseChanged,
    ] {
        assert!(seen.contains(&variation), "{variation:?} never planted");
    }
    assert!(planted.sites.values().any(|o| o.variations.is_empty()));
    assert!(planted.sites.values().any(|o| o.needs_fuzzy_match()));
}

#[tokio::test]
async fn planted_configurations_share_what_the_truth_says_and_nothing_stronger() {
    let msp = medium();
    let (fake, planted) = planted(msp, 1).await;
    for (uid, planted_configuration) in &planted.devices {
        let device = device(uid);
        let configuration = fake
            .configuration(planted_configuration.configuration_id)
            .unwrap();
        assert_eq!(
            configuration.organization_id,
            planted_configuration.organization_id
        );
        let site_org = planted.sites[&msp.sites[device.site].uid].organization_id;
        assert_eq!(configuration.organization_id, site_org);
        let physical_macs: BTreeSet<String> = device
            .nics
            .iter()
            .filter(|n| !n.is_virtual)
            .map(|n| hex(&n.mac_address))
            .collect();
        let shares_mac = configuration
            .mac_address
            .as_deref()
            .is_some_and(|mac| physical_macs.contains(&hex(mac)));
        let shares_serial = match (&configuration.serial_number, &device.serial_number) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        match planted_configuration.shares {
            PlantedIdentifier::MacAndSerial => assert!(shares_mac && shares_serial),
            PlantedIdentifier::Mac => {
                assert!(shares_mac && configuration.serial_number.is_none());
            }
            PlantedIdentifier::Serial => {
                assert!(shares_serial && configuration.mac_address.is_none());
            }
            PlantedIdentifier::Name => {
                assert_eq!(configuration.name, device.hostname);
                assert!(configuration.mac_address.is_none());
            }
            other => panic!("unexpected identifier {other:?}"),
        }
        assert_eq!(configuration.archived, planted_configuration.archived);
    }
    for what in [
        PlantedIdentifier::MacAndSerial,
        PlantedIdentifier::Mac,
        PlantedIdentifier::Serial,
        PlantedIdentifier::Name,
    ] {
        assert!(!planted.devices_sharing(what).is_empty(), "{what:?}");
    }
}

#[tokio::test]
async fn a_name_only_configuration_carries_at_most_a_placeholder_serial() {
    let msp = medium();
    let (fake, planted) = planted(msp, 1).await;
    let placeholders = [
        "to be filled by o.e.m.",
        "system serial number",
        "default string",
        "0",
        "123456789",
        "0123456789",
        "not specified",
        "none",
    ];
    let mut with_placeholder = 0;
    for uid in planted.devices_sharing(PlantedIdentifier::Name) {
        let configuration = fake
            .configuration(planted.devices[uid].configuration_id)
            .unwrap();
        if let Some(serial) = configuration.serial_number {
            assert!(
                placeholders.contains(&serial.trim().to_lowercase().as_str()),
                "{uid}: {serial}"
            );
            with_placeholder += 1;
        }
    }
    assert!(
        with_placeholder > 0,
        "no name-only device with a placeholder serial"
    );
}

#[tokio::test]
async fn decoys_share_only_what_must_not_match() {
    let msp = medium();
    let (fake, planted) = planted(msp, 1).await;
    let mut reasons = BTreeSet::new();
    for decoy in &planted.decoys {
        let configuration = fake.configuration(decoy.configuration_id).unwrap();
        match &decoy.reason {
            DecoyReason::PlaceholderSerial { device_uid } => {
                reasons.insert("placeholder");
                assert!(!planted.devices.contains_key(device_uid));
                assert_eq!(
                    configuration.serial_number,
                    device(device_uid).serial_number
                );
            }
            DecoyReason::VirtualAdapterMac { device_uid } => {
                reasons.insert("virtual");
                let mac = hex(configuration.mac_address.as_deref().unwrap());
                let device = device(device_uid);
                assert!(
                    device
                        .nics
                        .iter()
                        .any(|n| n.is_virtual && hex(&n.mac_address) == mac)
                );
                assert!(
                    device
                        .nics
                        .iter()
                        .all(|n| n.is_virtual || hex(&n.mac_address) != mac)
                );
            }
            DecoyReason::DocumentationOnly => {
                reasons.insert("documentation");
            }
            other => panic!("unexpected decoy {other:?}"),
        }
    }
    assert_eq!(reasons.len(), 3, "{reasons:?}");
}

#[tokio::test]
async fn organizations_that_exist_only_in_it_glue_are_planted_beside_the_clients() {
    let msp = medium();
    let (fake, planted) = planted(msp, 1).await;
    assert!(planted.itglue_only_organizations.len() >= 5);
    let client_orgs: BTreeSet<u64> = planted.sites.values().map(|o| o.organization_id).collect();
    for id in &planted.itglue_only_organizations {
        assert!(!client_orgs.contains(id));
        assert!(fake.organization(*id).is_some());
        assert!(fake.configurations_of(*id).is_empty());
    }
    assert_eq!(
        fake.organizations().len(),
        1 + client_orgs.len() + planted.itglue_only_organizations.len()
    );
}
