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
        let filters: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with('-'))
            .collect();
        // The side-by-side comparisons of the benchmarks divan will run (all without a filter).
        let selected = |names: &[&str]| {
            filters.is_empty()
                || names
                    .iter()
                    .any(|name| filters.iter().any(|f| name.contains(f.as_str())))
        };
        if selected(&["configurations_200k_devices_x_200k", "hash_join_200k"]) {
            configurations_side_by_side();
        }
        if selected(&[
            "index_10k_organizations",
            "suggestions_10k_sites_x_10k_organizations",
        ]) {
            names_side_by_side();
        }
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

/// The CPU time of the process, all its threads (configuration matching reads its two inputs
/// on two threads).
fn process_cpu_time() -> Duration {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(time.tv_sec).unwrap_or(0),
        u32::try_from(time.tv_nsec).unwrap_or(0),
    )
}

/// The time this thread has waited for a CPU while runnable (`/proc/thread-self/schedstat`,
/// nanoseconds); zero where the kernel does not say.
fn thread_waited() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let waited = text
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok());
    Duration::from_nanos(waited.unwrap_or(0))
}

/// One timed run: wall time, CPU time (all threads) and the time the calling thread spent
/// waiting for a CPU, the result dropped inside (what a caller pays too).
fn timed<T>(run: impl FnOnce() -> T) -> [Duration; 3] {
    let (cpu, waited) = (process_cpu_time(), thread_waited());
    let start = Instant::now();
    black_box(run());
    let wall = start.elapsed();
    [wall, process_cpu_time() - cpu, thread_waited() - waited]
}

/// The load average the kernel reports (1, 5 and 15 minutes), as printed there.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// Configuration matching against the hash join, on the same inputs in one process: the two are
/// run in turn (which one first alternates from round to round, so that neither always finds
/// the memory the other just freed), `SIDE_BY_SIDE_ROUNDS` rounds (9 unless set), and each
/// side's least wall time and least CPU time are compared.
fn configurations_side_by_side() {
    let (devices, configurations) = support::devices_and_configurations(200_000, 2);
    let policy = IdentifierPolicy::default();
    let keys = Keys::new(&devices, &configurations, &policy);
    let rounds: usize = std::env::var("SIDE_BY_SIDE_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(9);
    let load_before = load_average();
    let (mut ours, mut join) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut run_ours =
            || ours.push(timed(|| matching_200k(&devices, &configurations, &policy)));
        let mut run_join = || join.push(timed(|| keys.join()));
        if round % 2 == 0 {
            run_ours();
            run_join();
        } else {
            run_join();
            run_ours();
        }
    }
    let best = |runs: &[[Duration; 3]], what: usize| {
        runs.iter()
            .map(|run| run[what].as_secs_f64())
            .fold(f64::INFINITY, f64::min)
    };
    let waited = |runs: &[[Duration; 3]]| runs.iter().map(|run| run[2].as_secs_f64()).sum::<f64>();
    let (ours_wall, ours_cpu) = (best(&ours, 0), best(&ours, 1));
    let (join_wall, join_cpu) = (best(&join, 0), best(&join, 1));
    println!(
        "configuration matching 200k x 200k: {ours_wall:.3} s (CPU {ours_cpu:.3} s); hash join of the same pre-normalised keys: {join_wall:.3} s (CPU {join_cpu:.3} s); ratio {:.2} (CPU {:.2}; target: at most 2)",
        ours_wall / join_wall,
        ours_cpu / join_cpu,
    );
    println!(
        "  fastest of {rounds} interleaved rounds; load average {load_before} before, {} after; time the measuring thread waited for a CPU: {:.3} s ours, {:.3} s join",
        load_average(),
        waited(&ours),
        waited(&join),
    );
}

/// The configuration pass measured by the side-by-side comparison (apart, so that a profiler
/// can be told to count it alone: `valgrind --tool=callgrind --toggle-collect=…`).
#[inline(never)]
fn matching_200k(
    devices: &[Device],
    configurations: &[Configuration],
    policy: &IdentifierPolicy,
) -> sync_core::itglue::ConfigurationMatching {
    match_configurations(devices, configurations, &[], policy)
}

/// The index build and the 10k × 10k suggestions, and the check that their results are the
/// golden ones.
fn names_side_by_side() {
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
    #[inline(never)]
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
