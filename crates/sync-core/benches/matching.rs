//! Matching at MSP scale: 10,000 site names against 10,000 organizations, and 200,000 devices
//! against 200,000 configurations beside a plain hash join of the same keys. Run with
//! `cargo xtask bench` (or `cargo bench -p sync-core`).
//!
//! Before divan's own table, the run prints the ratio of configuration matching to the hash
//! join (the target: within 2×), the time of the index build and of the 10k × 10k suggestions
//! on every core, and checks that the 10k × 10k results are still the golden ones
//! (`tests/fixtures/golden/generated-10k-digest.txt`).

mod support;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use divan::Bencher;
use sync_core::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};
use sync_core::itglue::{
    Configuration, ConfigurationId, Device, MatchOptions, OrganizationIndex, match_configurations,
};

fn main() {
    if std::env::args().any(|a| a == "--bench") {
        side_by_side();
    }
    divan::main();
}

/// The fastest of three runs.
fn fastest<T>(mut run: impl FnMut() -> T) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn side_by_side() {
    let (devices, configurations) = support::devices_and_configurations(200_000, 2);
    let policy = IdentifierPolicy::default();
    let keys = Keys::new(&devices, &configurations, &policy);
    let ours = fastest(|| match_configurations(&devices, &configurations, &[], &policy));
    let join = fastest(|| keys.join());
    println!(
        "configuration matching 200k x 200k: {:.3} s; hash join of the same pre-normalised keys: {:.3} s; ratio {:.2} (target: at most 2)",
        ours.as_secs_f64(),
        join.as_secs_f64(),
        ours.as_secs_f64() / join.as_secs_f64()
    );

    let (organizations, sites) = support::organizations_and_sites(10_000, 1);
    let build = fastest(|| OrganizationIndex::new(organizations.clone()));
    let index = OrganizationIndex::new(organizations);
    let names: Vec<&str> = sites.iter().map(String::as_str).collect();
    let options = MatchOptions::default();
    let suggest = fastest(|| index.evaluate_parallel(&names, &options));
    println!(
        "index 10k organizations: {:.3} s; 10k x 10k matches and suggestions on every core: {:.3} s; together {:.3} s (rapidfuzz's cdist on the same names: `cargo xtask bench-names`)",
        build.as_secs_f64(),
        suggest.as_secs_f64(),
        (build + suggest).as_secs_f64()
    );

    let queries: Vec<(usize, &str)> = names.iter().copied().enumerate().collect();
    let digest = support::golden_digest(&index, &queries, support::ORGANIZATION_ID_OFFSET);
    let golden = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/golden/generated-10k-digest.txt"
    ))
    .unwrap_or_default();
    assert_eq!(
        digest,
        golden.trim(),
        "the 10k x 10k results differ from the golden ones"
    );
    println!("10k x 10k results: identical to the golden ones (digest {digest})");
}

/// The keys of both sides, normalised beforehand, for the hash join.
struct Keys {
    devices: Vec<(Vec<MacAddress>, Vec<SerialNumber>)>,
    configurations: Vec<(ConfigurationId, Vec<MacAddress>, Option<SerialNumber>)>,
}

impl Keys {
    fn new(
        devices: &[Device],
        configurations: &[Configuration],
        policy: &IdentifierPolicy,
    ) -> Self {
        let macs = |texts: Vec<&str>| -> Vec<MacAddress> {
            texts
                .into_iter()
                .filter_map(|m| MacAddress::parse(m).ok())
                .filter(|m| policy.identifies_a_device(m))
                .collect()
        };
        Self {
            devices: devices
                .iter()
                .map(|d| {
                    (
                        macs(d.mac_addresses().collect()),
                        d.serial_numbers
                            .iter()
                            .filter_map(|s| SerialNumber::normalize(s, policy))
                            .collect(),
                    )
                })
                .collect(),
            configurations: configurations
                .iter()
                .map(|c| {
                    (
                        c.id,
                        macs(c.mac_addresses.iter().map(String::as_str).collect()),
                        c.serial_number
                            .as_deref()
                            .and_then(|s| SerialNumber::normalize(s, policy)),
                    )
                })
                .collect(),
        }
    }

    /// Joins devices and configurations on MAC address and on serial number; returns how many
    /// (device, configuration) links it found.
    fn join(&self) -> usize {
        let mut by_mac: HashMap<MacAddress, Vec<ConfigurationId>> =
            HashMap::with_capacity(self.configurations.len());
        let mut by_serial: HashMap<&SerialNumber, Vec<ConfigurationId>> =
            HashMap::with_capacity(self.configurations.len());
        for (id, macs, serial) in &self.configurations {
            for mac in macs {
                by_mac.entry(*mac).or_default().push(*id);
            }
            if let Some(serial) = serial {
                by_serial.entry(serial).or_default().push(*id);
            }
        }
        let mut links = 0;
        for (macs, serials) in &self.devices {
            for mac in macs {
                links += by_mac.get(mac).map_or(0, Vec::len);
            }
            for serial in serials {
                links += by_serial.get(serial).map_or(0, Vec::len);
            }
        }
        links
    }
}

/// Indexing 10,000 organizations.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn index_10k_organizations(bencher: Bencher) {
    let (organizations, _) = support::organizations_and_sites(10_000, 1);
    bencher.bench(|| OrganizationIndex::new(black_box(organizations.clone())));
}

/// The automatic match and the top-5 suggestions of 10,000 site names among 10,000
/// organizations, through the index (built once), on every core.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn suggestions_10k_sites_x_10k_organizations(bencher: Bencher) {
    let (organizations, sites) = support::organizations_and_sites(10_000, 1);
    let index = OrganizationIndex::new(organizations);
    let options = MatchOptions::default();
    let names: Vec<&str> = sites.iter().map(String::as_str).collect();
    let scored: usize = index
        .evaluate_parallel(&names, &options)
        .iter()
        .map(|m| m.scored)
        .sum();
    eprintln!(
        "10k x 10k: {scored} organizations scored in full for 10,000 sites ({:.2} per site, {:.4}% of all pairs)",
        scored as f64 / 10_000.0,
        scored as f64 / 1e8 * 100.0
    );
    bencher.bench(|| {
        index
            .evaluate_parallel(&names, &options)
            .iter()
            .filter(|m| m.matched.is_some() || !m.suggestions.is_empty())
            .count()
    });
}

/// Configuration matching of 200,000 devices against 200,000 configurations.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn configurations_200k_devices_x_200k(bencher: Bencher) {
    let (devices, configurations) = support::devices_and_configurations(200_000, 2);
    let policy = IdentifierPolicy::default();
    let counts = match_configurations(&devices, &configurations, &[], &policy).counts();
    eprintln!("200k x 200k: {counts:?}");
    bencher.bench(|| {
        match_configurations(
            black_box(&devices),
            black_box(&configurations),
            &[],
            &policy,
        )
        .matches
        .len()
    });
}

/// A plain hash join of the same devices and configurations on their MAC addresses and serial
/// numbers, normalised beforehand: the floor configuration matching is measured against.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn hash_join_200k(bencher: Bencher) {
    let (devices, configurations) = support::devices_and_configurations(200_000, 2);
    let keys = Keys::new(&devices, &configurations, &IdentifierPolicy::default());
    bencher.bench(|| keys.join());
}
