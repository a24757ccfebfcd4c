//! Configuration matching within an organization: stored matches, RMM markers, MAC and serial
//! keys, name suggestions, and the rules that keep one configuration to one device.

use proptest::prelude::*;
use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::*;

fn device(uid: &str, hostname: &str, macs: &[&str], serials: &[&str]) -> Device {
    let mut device = Device::new(DeviceUid::new(uid), SiteUid::new("site"), hostname);
    device.network_interfaces = macs
        .iter()
        .map(|m| NetworkInterface {
            mac_address: Some((*m).to_owned()),
            ..NetworkInterface::default()
        })
        .collect();
    device.serial_numbers = serials.iter().map(|s| (*s).to_owned()).collect();
    device
}

fn configuration(id: u64, name: &str, macs: &[&str], serial: Option<&str>) -> Configuration {
    let mut configuration = Configuration::new(ConfigurationId(id), OrganizationId(1), name);
    configuration.mac_addresses = macs.iter().map(|m| (*m).to_owned()).collect();
    configuration.serial_number = serial.map(str::to_owned);
    configuration
}

fn run(devices: &[Device], configurations: &[Configuration]) -> ConfigurationMatching {
    match_configurations(devices, configurations, &[], &IdentifierPolicy::default())
}

fn outcome(result: &ConfigurationMatching, uid: &str) -> ConfigurationOutcome {
    result.get(&DeviceUid::new(uid)).unwrap().outcome.clone()
}

fn matched(id: u64, reason: MatchReason) -> ConfigurationOutcome {
    ConfigurationOutcome::Matched {
        configuration: ConfigurationId(id),
        reason,
    }
}

fn suggested_ids(outcome: &ConfigurationOutcome) -> Vec<(u64, MatchReason)> {
    match outcome {
        ConfigurationOutcome::Suggested { suggestions } => suggestions
            .iter()
            .map(|s| (s.candidate.0, s.reason))
            .collect(),
        other => panic!("expected suggestions, got {other:?}"),
    }
}

const MAC_A: &str = "00:1A:2B:3C:4D:5E";
const MAC_B: &str = "00:1A:2B:3C:4D:5F";

#[test]
fn a_stored_match_wins_over_every_key() {
    let devices = [device("d1", "PC-1", &[MAC_A], &["SN1"])];
    let configurations = [
        configuration(1, "PC-1", &[MAC_A], Some("SN1")),
        configuration(2, "Old record", &[], None),
    ];
    let stored = [StoredConfigurationMatch {
        device: DeviceUid::new("d1"),
        configuration: ConfigurationId(2),
        origin: MatchOrigin::User,
    }];
    let result = match_configurations(
        &devices,
        &configurations,
        &stored,
        &IdentifierPolicy::default(),
    );
    assert_eq!(
        outcome(&result, "d1"),
        ConfigurationOutcome::Stored {
            configuration: ConfigurationId(2),
            configuration_exists: true
        }
    );
    assert_eq!(result.unmatched_configurations, [ConfigurationId(1)]);
}

#[test]
fn a_stored_match_to_a_deleted_configuration_is_kept_and_flagged() {
    let stored = [StoredConfigurationMatch {
        device: DeviceUid::new("d1"),
        configuration: ConfigurationId(9),
        origin: MatchOrigin::User,
    }];
    let result = match_configurations(
        &[device("d1", "PC-1", &[], &[])],
        &[],
        &stored,
        &IdentifierPolicy::default(),
    );
    assert_eq!(
        outcome(&result, "d1"),
        ConfigurationOutcome::Stored {
            configuration: ConfigurationId(9),
            configuration_exists: false
        }
    );
}

#[test]
fn the_rmm_marker_matches_before_any_key() {
    let mut marked = configuration(2, "Renamed by a tech", &[], None);
    marked.installed_by = Some("RMM: d1".into());
    let result = run(
        &[device("d1", "PC-1", &[MAC_A], &[])],
        &[configuration(1, "PC-1", &[MAC_A], None), marked],
    );
    assert_eq!(outcome(&result, "d1"), matched(2, MatchReason::RmmMarker));
}

#[test]
fn a_marker_on_two_configurations_gives_suggestions() {
    let mut first = configuration(1, "a", &[], None);
    first.installed_by = Some("RMM: d1".into());
    let mut second = configuration(2, "b", &[], None);
    second.installed_by = Some("rmm: d1".into());
    let result = run(&[device("d1", "PC-1", &[], &[])], &[first, second]);
    assert_eq!(
        suggested_ids(&outcome(&result, "d1")),
        [(1, MatchReason::RmmMarker), (2, MatchReason::RmmMarker)]
    );
}

#[test]
fn mac_and_serial_together_beat_mac_alone() {
    let result = run(
        &[device("d1", "PC-1", &[MAC_A], &["SN1"])],
        &[
            configuration(1, "x", &[MAC_A], None),
            configuration(2, "y", &[MAC_A], Some("SN1")),
        ],
    );
    assert_eq!(
        outcome(&result, "d1"),
        matched(2, MatchReason::MacAndSerial)
    );
}

#[test]
fn mac_beats_serial() {
    let result = run(
        &[device("d1", "PC-1", &[MAC_A], &["SN1"])],
        &[
            configuration(1, "x", &[], Some("SN1")),
            configuration(2, "y", &[MAC_A], None),
        ],
    );
    assert_eq!(outcome(&result, "d1"), matched(2, MatchReason::MacAddress));
    assert_eq!(result.unmatched_configurations, [ConfigurationId(1)]);
}

#[test]
fn a_serial_alone_matches() {
    let result = run(
        &[device("d1", "PC-1", &[], &[" 5cg1234xyz "])],
        &[configuration(7, "x", &[], Some("5CG1234XYZ"))],
    );
    assert_eq!(
        outcome(&result, "d1"),
        matched(7, MatchReason::SerialNumber)
    );
}

#[test]
fn macs_match_across_notations() {
    let result = run(
        &[device("d1", "PC-1", &["001a.2b3c.4d5e"], &[])],
        &[configuration(3, "x", &["00-1a-2b-3c-4d-5e"], None)],
    );
    assert_eq!(outcome(&result, "d1"), matched(3, MatchReason::MacAddress));
}

#[test]
fn placeholder_serials_never_match() {
    let result = run(
        &[device("d1", "PC-1", &[], &["To Be Filled By O.E.M."])],
        &[configuration(3, "x", &[], Some("To be filled by O.E.M."))],
    );
    assert_eq!(outcome(&result, "d1"), ConfigurationOutcome::Unmatched);
}

#[test]
fn tenant_placeholder_serials_never_match() {
    let policy = IdentifierPolicy {
        placeholder_serials: vec!["CHANGE-ME".into()],
        ..IdentifierPolicy::default()
    };
    let result = match_configurations(
        &[device("d1", "PC-1", &[], &["change-me"])],
        &[configuration(3, "x", &[], Some("CHANGE-ME"))],
        &[],
        &policy,
    );
    assert_eq!(outcome(&result, "d1"), ConfigurationOutcome::Unmatched);
}

#[test]
fn shared_and_zero_macs_never_match() {
    let result = run(
        &[device(
            "d1",
            "PC-1",
            &["02:00:4C:4F:4F:50", "00:00:00:00:00:00"],
            &[],
        )],
        &[configuration(
            3,
            "x",
            &["02-00-4C-4F-4F-50", "000000000000"],
            None,
        )],
    );
    assert_eq!(outcome(&result, "d1"), ConfigurationOutcome::Unmatched);
}

#[test]
fn a_key_pointing_at_two_configurations_gives_suggestions() {
    let result = run(
        &[device("d1", "PC-1", &[], &["SN1"])],
        &[
            configuration(1, "x", &[], Some("SN1")),
            configuration(2, "y", &[], Some("sn1")),
        ],
    );
    assert_eq!(
        suggested_ids(&outcome(&result, "d1")),
        [
            (1, MatchReason::SerialNumber),
            (2, MatchReason::SerialNumber)
        ]
    );
}

#[test]
fn a_key_carried_by_two_devices_gives_suggestions() {
    let result = run(
        &[
            device("d1", "PC-1", &[MAC_A], &[]),
            device("d2", "PC-2", &[MAC_A], &[]),
        ],
        &[configuration(1, "x", &[MAC_A], None)],
    );
    for uid in ["d1", "d2"] {
        assert_eq!(
            suggested_ids(&outcome(&result, uid)),
            [(1, MatchReason::MacAddress)]
        );
    }
}

#[test]
fn a_device_with_a_shared_mac_still_matches_by_its_own_serial() {
    let result = run(
        &[
            device("d1", "PC-1", &[MAC_A], &["SN1"]),
            device("d2", "PC-2", &[MAC_A], &[]),
        ],
        &[
            configuration(1, "x", &[], Some("SN1")),
            configuration(2, "y", &[MAC_A], None),
        ],
    );
    assert_eq!(
        outcome(&result, "d1"),
        matched(1, MatchReason::SerialNumber)
    );
    assert_eq!(
        suggested_ids(&outcome(&result, "d2")),
        [(2, MatchReason::MacAddress)]
    );
}

#[test]
fn the_stronger_claim_on_a_configuration_wins() {
    let result = run(
        &[
            device("d1", "PC-1", &[MAC_A], &[]),
            device("d2", "PC-2", &[], &["SN1"]),
        ],
        &[configuration(1, "x", &[MAC_A], Some("SN1"))],
    );
    assert_eq!(outcome(&result, "d1"), matched(1, MatchReason::MacAddress));
    assert_eq!(outcome(&result, "d2"), ConfigurationOutcome::Unmatched);
}

#[test]
fn equally_strong_claims_on_one_configuration_match_neither_device() {
    let result = run(
        &[
            device("d1", "PC-1", &[MAC_A], &[]),
            device("d2", "PC-2", &[MAC_B], &[]),
        ],
        &[configuration(1, "x", &[MAC_A, MAC_B], None)],
    );
    for uid in ["d1", "d2"] {
        assert_eq!(
            suggested_ids(&outcome(&result, uid)),
            [(1, MatchReason::MacAddress)]
        );
    }
}

#[test]
fn an_exact_name_is_only_a_suggestion() {
    let mut by_hostname = configuration(2, "Reception PC", &[], None);
    by_hostname.hostname = Some("pc-1".into());
    let result = run(
        &[device("d1", "PC-1", &[], &[])],
        &[
            configuration(1, " pc-1 ", &[], None),
            by_hostname,
            configuration(3, "PC-10", &[], None),
        ],
    );
    assert_eq!(
        suggested_ids(&outcome(&result, "d1")),
        [(1, MatchReason::Name), (2, MatchReason::Name)]
    );
}

#[test]
fn configurations_matched_elsewhere_are_not_suggested_by_name() {
    let result = run(
        &[
            device("d1", "PC-1", &[MAC_A], &[]),
            device("d2", "PC-1", &[], &[]),
        ],
        &[configuration(1, "PC-1", &[MAC_A], None)],
    );
    assert_eq!(outcome(&result, "d1"), matched(1, MatchReason::MacAddress));
    assert_eq!(outcome(&result, "d2"), ConfigurationOutcome::Unmatched);
    assert_eq!(
        result.counts(),
        ConfigurationCounts {
            devices: 2,
            matched: 1,
            suggested: 0,
            unmatched: 1
        }
    );
}

// ---- properties ----

const MAC_POOL: &[&str] = &[
    "00:1A:2B:3C:4D:01",
    "00-1a-2b-3c-4d-02",
    "001a.2b3c.4d03",
    "001A2B3C4D04",
    "02:00:4C:4F:4F:50",
    "00:00:00:00:00:00",
];
const SERIAL_POOL: &[&str] = &["SN1", "sn2", " SN3 ", "System Serial Number", "0", "SN4"];
const NAME_POOL: &[&str] = &["PC-1", "pc-2", "Server", "Laptop"];

fn some_devices() -> impl Strategy<Value = Vec<Device>> {
    let one = (
        0u8..12,
        prop::sample::select(NAME_POOL),
        prop::sample::subsequence(MAC_POOL, 0..3),
        prop::sample::subsequence(SERIAL_POOL, 0..2),
    );
    prop::collection::vec(one, 0..10).prop_map(|list| {
        list.into_iter()
            .map(|(uid, name, macs, serials)| device(&format!("d{uid}"), name, &macs, &serials))
            .collect()
    })
}

fn some_configurations() -> impl Strategy<Value = Vec<Configuration>> {
    let one = (
        0u64..12,
        prop::sample::select(NAME_POOL),
        prop::sample::subsequence(MAC_POOL, 0..2),
        prop::option::of(prop::sample::select(SERIAL_POOL)),
        prop::option::of(0u8..12),
    );
    prop::collection::vec(one, 0..10).prop_map(|list| {
        list.into_iter()
            .map(|(id, name, macs, serial, marker)| {
                let mut c = configuration(id, name, &macs, serial);
                c.installed_by = marker.map(|m| format!("RMM: d{m}"));
                c
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn configuration_matching_does_not_depend_on_input_order(
        devices in some_devices(),
        configurations in some_configurations(),
    ) {
        let forward = run(&devices, &configurations);
        let mut devices_rev = devices.clone();
        devices_rev.reverse();
        let mut configurations_rev = configurations.clone();
        configurations_rev.reverse();
        // Duplicate ids keep the first occurrence, so reversing may pick another duplicate:
        // compare only inputs without duplicates.
        let mut uids: Vec<_> = devices.iter().map(|d| d.uid.clone()).collect();
        uids.sort();
        uids.dedup();
        let mut ids: Vec<_> = configurations.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        prop_assume!(uids.len() == devices.len() && ids.len() == configurations.len());
        prop_assert_eq!(forward, run(&devices_rev, &configurations_rev));
    }

    /// Devices given borrowed (`&[&Device]`, as the engine picks them from its map by uid)
    /// are matched exactly as the same devices given owned, duplicates and stored matches
    /// included.
    #[test]
    fn borrowed_devices_are_matched_as_owned_ones(
        devices in some_devices(),
        configurations in some_configurations(),
        changed in some_configurations(),
    ) {
        let policy = IdentifierPolicy::default();
        let borrowed: Vec<&Device> = devices.iter().collect();
        prop_assert_eq!(run(&devices, &configurations), match_configurations(&borrowed, &configurations, &[], &policy));
        let stored: Vec<StoredConfigurationMatch> = run(&devices, &configurations).new_matches().collect();
        prop_assert_eq!(
            match_configurations(&devices, &changed, &stored, &policy),
            match_configurations(&borrowed, &changed, &stored, &policy)
        );
    }

    #[test]
    fn a_configuration_is_matched_to_at_most_one_device(
        devices in some_devices(),
        configurations in some_configurations(),
    ) {
        let result = run(&devices, &configurations);
        let mut taken: Vec<ConfigurationId> = result.new_matches().map(|m| m.configuration).collect();
        let before = taken.len();
        taken.sort();
        taken.dedup();
        prop_assert_eq!(before, taken.len());
        for id in &taken {
            prop_assert!(!result.unmatched_configurations.contains(id));
        }
    }

    #[test]
    fn placeholders_and_shared_macs_never_make_a_match(
        devices in some_devices(),
        configurations in some_configurations(),
    ) {
        let result = run(&devices, &configurations);
        let policy = IdentifierPolicy::default();
        for m in result.new_matches() {
            let device = devices.iter().find(|d| d.uid == m.device).unwrap();
            let configuration = configurations.iter().find(|c| c.id == m.configuration).unwrap();
            let MatchOrigin::Automatic { reason: evidence } = m.origin else {
                prop_assert!(false, "a pass made a non-automatic match: {:?}", m);
                continue;
            };
            let good_mac = |text: &str| {
                sync_core::identifiers::MacAddress::parse(text)
                    .is_ok_and(|mac| policy.identifies_a_device(&mac))
            };
            let shares_good_mac = device.mac_addresses().filter(|m| good_mac(m)).any(|dm| {
                configuration.mac_addresses.iter().any(|cm| {
                    sync_core::identifiers::MacAddress::parse(cm).ok()
                        == sync_core::identifiers::MacAddress::parse(dm).ok()
                })
            });
            let shares_good_serial = configuration.serial_number.as_deref().and_then(|s| {
                sync_core::identifiers::SerialNumber::normalize(s, &policy)
            }).is_some_and(|cs| device.serial_numbers.iter().any(|ds| {
                sync_core::identifiers::SerialNumber::normalize(ds, &policy).as_ref() == Some(&cs)
            }));
            match evidence {
                MatchReason::MacAddress => prop_assert!(shares_good_mac),
                MatchReason::SerialNumber => prop_assert!(shares_good_serial),
                MatchReason::MacAndSerial => prop_assert!(shares_good_mac && shares_good_serial),
                MatchReason::RmmMarker => prop_assert_eq!(configuration.rmm_device(), Some(device.uid.clone())),
                other => prop_assert!(false, "unexpected reason {:?}", other),
            }
        }
    }

    #[test]
    fn a_rerun_never_changes_a_stored_configuration_match(
        devices in some_devices(),
        configurations in some_configurations(),
        changed in some_configurations(),
    ) {
        let first = run(&devices, &configurations);
        let stored: Vec<StoredConfigurationMatch> = first.new_matches().collect();
        let rerun = match_configurations(&devices, &changed, &stored, &IdentifierPolicy::default());
        for kept in &stored {
            let outcome = &rerun.get(&kept.device).unwrap().outcome;
            let same = matches!(
                outcome,
                ConfigurationOutcome::Stored { configuration, .. } if *configuration == kept.configuration
            );
            prop_assert!(same, "{:?} became {:?}", kept, outcome);
        }
    }
}
