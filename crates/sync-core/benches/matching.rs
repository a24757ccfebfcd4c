//! Matching at MSP scale: 10,000 site names against 10,000 organizations, and 200,000 devices
//! against 200,000 configurations. Run with `cargo xtask bench` (or `cargo bench -p sync-core`).

mod support;

use std::hint::black_box;

use divan::Bencher;
use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::{MatchOptions, OrganizationIndex, match_configurations};

fn main() {
    divan::main();
}

/// Indexing 10,000 organizations.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn index_10k_organizations(bencher: Bencher) {
    let (organizations, _) = support::organizations_and_sites(10_000, 1);
    bencher.bench(|| OrganizationIndex::new(black_box(organizations.clone())));
}

/// The automatic match and the top-5 suggestions of 10,000 site names among 10,000
/// organizations, through the index (built once).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn suggestions_10k_sites_x_10k_organizations(bencher: Bencher) {
    let (organizations, sites) = support::organizations_and_sites(10_000, 1);
    let index = OrganizationIndex::new(organizations);
    let options = MatchOptions::default();
    let scored: usize = index
        .evaluate_all(sites.iter().map(String::as_str), &options)
        .map(|m| m.scored)
        .sum();
    eprintln!(
        "10k x 10k: {scored} organizations scored in full for 10,000 sites ({:.2} per site, {:.4}% of all pairs)",
        scored as f64 / 10_000.0,
        scored as f64 / 1e8 * 100.0
    );
    bencher.bench(|| {
        index
            .evaluate_all(sites.iter().map(String::as_str), &options)
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
