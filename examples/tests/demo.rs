//! Runs the `demo` example and checks its report against what the generated MSP planted in
//! the fakes: IT Glue organizations matched, suggested and unmatched, configurations matched by
//! MAC address and serial number; GravityZone associations by how they were made, the events
//! after the vendors changed, and that every event was resolved.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use msp_fakes::itglue::PlantedIdentifier;
use msp_fakes::msp::{DeviceClass, GeneratedMsp, MspSize, SiteKind};
use msp_fakes::scenario::MspFakes;
use support::Ran;
use sync_core::names::normalize_company_name;

const SEED: u64 = 7;
const SITES: usize = 24;
const DEVICES: usize = 300;

fn demo(args: &[&str]) -> Ran {
    let output = Command::new(support::example("demo"))
        .args(["--seed", &SEED.to_string()])
        .args(["--sites", &SITES.to_string()])
        .args(["--devices", &DEVICES.to_string()])
        .args(args)
        .env_remove("RUST_LOG")
        .output()
        .expect("the demo runs");
    Ran::from(output)
}

/// The same MSP the demo generates, planted the same way.
async fn planted() -> MspFakes {
    let msp = GeneratedMsp::generate(
        SEED,
        MspSize::Custom {
            sites: SITES,
            devices: DEVICES,
        },
    );
    MspFakes::start(msp, false).await
}

fn count(map: &serde_json::Value, key: &str) -> u64 {
    map[key].as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_report_matches_the_generated_msp() {
    let report = demo(&["--json"]).ok().json();
    let truth = planted().await;
    check_itglue(&report, &truth);
    let seeded = &truth.gravityzone_planted;
    let gz = &report["gravityzone"];

    let managed = truth.msp.customer_sites().count();
    let first = &gz["first_sync"];
    assert_eq!(first["managed_sites"], managed as u64);
    let by_method = &first["associations_by_method"];
    // A company of the site's name under a reseller partner inside the key's tree is in the
    // partner's subtree, so it is matched by name like one directly under the root.
    let by_name = seeded.same_name.len() + seeded.under_reseller.len();
    assert_eq!(count(by_method, "matched_by_name"), by_name as u64);
    assert_eq!(
        count(by_method, "matched_by_prefixed_name"),
        seeded.prefixed.len() as u64
    );
    // A site whose name another partner's company holds cannot get a company of its name:
    // the first sync leaves it to a person.
    let blocked = seeded.foreign.len();
    let created = managed - by_name - seeded.prefixed.len() - blocked;
    assert_eq!(count(by_method, "created_company"), created as u64);
    assert_eq!(
        first["open_events"].as_array().unwrap().len(),
        blocked,
        "{gz}"
    );
    for line in first["associations"].as_array().unwrap() {
        let link = line["package_link"].as_str().unwrap_or_default();
        assert!(link.starts_with("https://"), "{line}");
        assert!(
            line["site_name"].is_string() && line["company_name"].is_string(),
            "{line}"
        );
    }

    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for line in gz["events"].as_array().unwrap() {
        *kinds
            .entry(line["event"]["kind"].as_str().unwrap().to_owned())
            .or_default() += 1;
        let did = line["resolved"]["lines"].as_array().unwrap();
        assert!(!did.is_empty(), "{line}");
        // Every line names the event's site by name, never by its uid (the package's name
        // holds the uid: it is the package's name).
        let bare = format!("site {}", line["event"]["site"].as_str().unwrap());
        assert!(
            did.iter().all(|l| !l.as_str().unwrap().contains(&bare)),
            "{line}"
        );
    }
    let expected: BTreeMap<String, usize> = [
        ("destination-creation", blocked),
        ("destination-deleted", 1),
        ("destination-moved", 1),
        ("source-deleted", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(kinds, expected);
    assert_eq!(gz["changes"].as_array().unwrap().len(), 3);
    assert_eq!(gz["open_at_the_end"], 0);
}

/// What the IT Glue part should find in the planted documentation account (the same
/// reading as the engine's end-to-end test): organizations whose name is a variant of the
/// site's match, typos and names two organizations share are only suggested; configurations
/// sharing a MAC address (with or without the serial) or a serial number of an audited
/// computer match, in matched organizations.
fn itglue_expectations(truth: &MspFakes) -> (usize, usize, u64, u64, u64) {
    let msp = &truth.msp;
    let planted = &truth.itglue_planted;
    let groups = msp
        .sites
        .iter()
        .filter(|s| s.kind == SiteKind::Customer && !s.devices.is_empty())
        .count();
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    for organization in truth.itglue.organizations() {
        *keys
            .entry(normalize_company_name(&organization.name).key)
            .or_default() += 1;
    }
    let ambiguous = |name: &str| keys.get(&normalize_company_name(name).key).copied() > Some(1);
    let matched_sites: Vec<&str> = planted
        .sites
        .iter()
        .filter(|(_, o)| !o.needs_fuzzy_match() && !ambiguous(&o.organization_name))
        .map(|(site, _)| site.as_str())
        .collect();
    let site_of: BTreeMap<&str, &str> = msp
        .devices
        .iter()
        .filter_map(|d| Some((d.uid.as_str(), msp.sites.get(d.site)?.uid.as_str())))
        .collect();
    let class_of: BTreeMap<&str, DeviceClass> = msp
        .devices
        .iter()
        .map(|d| (d.uid.as_str(), d.device_class))
        .collect();
    let (mut mac_and_serial, mut mac, mut serial) = (0, 0, 0);
    for (device, configuration) in &planted.devices {
        if !matched_sites.contains(&site_of[device.as_str()]) {
            continue;
        }
        match configuration.shares {
            PlantedIdentifier::MacAndSerial => mac_and_serial += 1,
            PlantedIdentifier::Mac => mac += 1,
            PlantedIdentifier::Serial if class_of[device.as_str()] == DeviceClass::Device => {
                serial += 1
            }
            _ => {}
        }
    }
    (groups, matched_sites.len(), mac_and_serial, mac, serial)
}

fn check_itglue(report: &serde_json::Value, truth: &MspFakes) {
    let (groups, matched, mac_and_serial, mac, serial) = itglue_expectations(truth);
    let it = &report["itglue"];
    let first = &it["first"];
    assert_eq!(first["groups"], groups as u64);
    assert_eq!(first["groups_matched"], matched as u64);
    let in_state = |state: &str| -> Vec<serde_json::Value> {
        let groups = it["groups"].as_array().unwrap();
        groups
            .iter()
            .filter(|g| g["state"] == state)
            .cloned()
            .collect()
    };
    assert_eq!(in_state("matched").len(), matched);
    assert_eq!(
        first["groups_suggested"].as_u64().unwrap() + first["groups_unmatched"].as_u64().unwrap(),
        (groups - matched) as u64
    );
    for group in in_state("suggested") {
        let best = &group["detail"]["suggestions"][0];
        assert!(best["name"].is_string(), "organizations are named: {group}");
        let score = best["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{group}");
    }
    let by = &it["devices_matched_by"];
    assert_eq!(
        count(by, "MAC and serial") + count(by, "MAC address"),
        mac_and_serial + mac,
        "{by}"
    );
    assert_eq!(count(by, "serial number"), serial, "{by}");
    assert_eq!(count(by, "name"), 0, "a name alone never matches: {by}");
    assert_eq!(
        first["devices_matched"],
        mac_and_serial + mac + serial,
        "{first}"
    );

    let accepted = it["accepted"].as_array().unwrap().len() as u64;
    assert_eq!(accepted, first["groups_suggested"].as_u64().unwrap());
    let created = it["created_configurations"][1].as_u64().unwrap_or(0);
    let second = &it["second"];
    assert_eq!(
        second["groups_matched"].as_u64().unwrap(),
        matched as u64 + accepted
    );
    assert!(
        second["devices_matched"].as_u64().unwrap()
            >= first["devices_matched"].as_u64().unwrap() + created,
        "{it}"
    );

    // Every configuration matched by the first sync carries the RMM data after it: each got
    // at least its notes block and marker; a third sync with nothing changed writes nothing.
    let updates = &it["first_updates"];
    assert_eq!(
        updates["configurations_updated"], first["devices_matched"],
        "{updates}"
    );
    assert_eq!(
        updates["fields"]["notes"], first["devices_matched"],
        "{updates}"
    );
    assert_eq!(updates["refused"], 0, "{updates}");
    assert_eq!(it["third_updates"]["configurations_updated"], 0, "{it}");
    assert_eq!(
        it["third_updates"]["fields"].as_object().map(|f| f.len()),
        Some(0),
        "{it}"
    );
}

#[test]
fn the_demo_prints_a_readable_report() {
    let text = demo(&[]).ok().stdout;
    for heading in [
        "Datto RMM → IT Glue",
        "Matched organizations:",
        "Configurations: of",
        "RMM data written on matched configurations:",
        "Second sync:",
        "Third sync, nothing changed: 0 configuration(s) updated",
        "Datto RMM ↔ GravityZone",
        "installation links",
        "Meanwhile, in the consoles",
        "destination-deleted",
        "Third sync: 0 open event(s).",
    ] {
        assert!(
            text.contains(heading),
            "the report lacks {heading:?}:\n{text}"
        );
    }
}
