//! Runs the `demo` example and checks its report against what the generated MSP planted in
//! the fakes: associations by how they were made, the events after the vendors changed, and
//! that every event was resolved.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_sync_examples::scenario::MspFakes;
use support::Ran;

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
    let seeded = &truth.gravityzone_planted;
    let gz = &report["gravityzone"];

    let managed = truth.msp.customer_sites().count();
    assert_eq!(gz["managed_sites"], managed as u64);
    let by_method = &gz["associations_by_method"];
    assert_eq!(
        count(by_method, "matched_by_name"),
        seeded.same_name.len() as u64
    );
    assert_eq!(
        count(by_method, "matched_by_prefixed_name"),
        seeded.prefixed.len() as u64
    );
    // A site whose name another partner's company (or a company under a reseller) holds
    // cannot get a company of its name: the first sync leaves it to a person.
    let blocked = seeded.foreign.len() + seeded.under_reseller.len();
    let created = managed - seeded.same_name.len() - seeded.prefixed.len() - blocked;
    assert_eq!(count(by_method, "created_company"), created as u64);
    assert_eq!(
        gz["open_after_first_sync"].as_array().unwrap().len(),
        blocked,
        "{gz}"
    );
    for line in gz["associations"].as_array().unwrap() {
        let link = line["package_link"].as_str().unwrap_or_default();
        assert!(link.starts_with("https://"), "{line}");
    }

    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for event in gz["events"].as_array().unwrap() {
        *kinds
            .entry(event["kind"].as_str().unwrap().to_owned())
            .or_default() += 1;
        assert!(!event["did"].as_array().unwrap().is_empty(), "{event}");
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

#[test]
fn the_demo_prints_a_readable_report() {
    let text = demo(&[]).ok().stdout;
    for heading in [
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
