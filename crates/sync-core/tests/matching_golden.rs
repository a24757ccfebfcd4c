//! Organization matching gives the same results as it did before the speed work of issue #19:
//! the same normalised names, the same automatic matches, the same suggestions in the same order,
//! and scores within 1e-9.
//!
//! The golden files in `tests/fixtures/golden/` were recorded with the matcher as it was before
//! (commit "sync-core: golden matching results", #19), on
//!
//! - the DNB evaluation set: the 500 corrupted names against the 500 originals, at the default
//!   settings and with the floor at 0 (`dnb-default.txt`, `dnb-floor-0.txt`);
//! - the generated 10,000 × 10,000 inventory of the benchmarks: every 40th site name against all
//!   10,000 organizations (`generated-10k-sample.txt`), and a digest of the results of all
//!   10,000 site names (`generated-10k-digest.txt`; the bench `suggestions_10k_sites_x_10k_organizations`
//!   checks it in release, `cargo xtask bench`).
//!
//! `SYNC_CORE_RECORD_GOLDEN=1 cargo test -p sync-core --test matching_golden` writes them anew,
//! for a change that is meant to change results.

mod dnb;
#[path = "../benches/support/mod.rs"]
mod generated;

use std::path::PathBuf;

use sync_core::itglue::{MatchOptions, OrganizationIndex};

/// Sites of the generated inventory in the debug test: every `SAMPLE_STEP`-th.
const SAMPLE_STEP: usize = 40;

fn golden_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/golden")
        .join(file)
}

fn recording() -> bool {
    std::env::var_os("SYNC_CORE_RECORD_GOLDEN").is_some()
}

fn lines_of(
    index: &OrganizationIndex,
    queries: &[(usize, &str)],
    options: &MatchOptions,
    id_offset: u64,
) -> Vec<String> {
    let results = index.evaluate_all(queries.iter().map(|(_, q)| *q), options);
    queries
        .iter()
        .zip(results)
        .map(|((row, _), result)| generated::golden_line(*row, &result, id_offset, 10))
        .collect()
}

/// Compares results with a golden file: everything equal but the numbers, which may differ by
/// 1e-9.
fn check(file: &str, lines: &[String]) {
    let path = golden_path(file);
    if recording() {
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    let golden: Vec<&str> = golden.lines().collect();
    assert_eq!(golden.len(), lines.len(), "{file}: number of lines");
    let mut differences = Vec::new();
    for (expected, actual) in golden.iter().zip(lines) {
        if !same_result(expected, actual) {
            differences.push(format!("expected {expected}\n  actual {actual}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{file}: {} results differ, the first ones:\n{}",
        differences.len(),
        differences[..differences.len().min(5)].join("\n")
    );
}

/// Two golden lines agree: the same fields, numbers within 1e-9.
fn same_result(expected: &str, actual: &str) -> bool {
    let split = |line: &str| -> Vec<String> {
        line.split(['\t', ';', ':'])
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (e, a) = (split(expected), split(actual));
    e.len() == a.len()
        && e.iter().zip(&a).all(|(x, y)| {
            x == y
                || matches!(
                    (x.parse::<f64>(), y.parse::<f64>()),
                    (Ok(p), Ok(q)) if x.contains('.') && (p - q).abs() <= 1e-9
                )
        })
}

#[test]
fn golden_lines_compare_numbers_within_1e_9_and_everything_else_exactly() {
    let line = "3\tacme|inc|\t-\t7:Fuzzy:0.8123456789;9:Fuzzy:0.7";
    assert!(same_result(line, line));
    assert!(same_result(
        line,
        "3\tacme|inc|\t-\t7:Fuzzy:0.8123456780;9:Fuzzy:0.7"
    ));
    assert!(!same_result(
        line,
        "3\tacme|inc|\t-\t7:Fuzzy:0.8123456689;9:Fuzzy:0.7"
    ));
    assert!(!same_result(
        line,
        "3\tacme|inc|\t-\t9:Fuzzy:0.7;7:Fuzzy:0.8123456789"
    ));
    assert!(!same_result(line, "3\tacme|inc|\t-\t"));
}

fn dnb_lines(options: &MatchOptions) -> Vec<String> {
    let (originals, corrupted) = dnb::evaluation_set();
    let index = dnb::index_of(&originals);
    let queries: Vec<(usize, &str)> = corrupted
        .iter()
        .enumerate()
        .map(|(row, q)| (row, q.as_str()))
        .collect();
    lines_of(&index, &queries, options, 0)
}

#[test]
fn dnb_results_at_the_default_settings_are_unchanged() {
    check("dnb-default.txt", &dnb_lines(&MatchOptions::default()));
}

#[test]
fn dnb_results_with_the_floor_at_zero_are_unchanged() {
    let options = MatchOptions {
        floor: 0.0,
        ..MatchOptions::default()
    };
    check("dnb-floor-0.txt", &dnb_lines(&options));
}

#[test]
fn generated_10k_results_are_unchanged_on_a_sample() {
    let (organizations, sites) = generated::organizations_and_sites(10_000, 1);
    let index = OrganizationIndex::new(organizations);
    let queries: Vec<(usize, &str)> = sites
        .iter()
        .enumerate()
        .step_by(SAMPLE_STEP)
        .map(|(row, q)| (row, q.as_str()))
        .collect();
    let lines = lines_of(
        &index,
        &queries,
        &MatchOptions::default(),
        generated::ORGANIZATION_ID_OFFSET,
    );
    check("generated-10k-sample.txt", &lines);
    if recording() {
        // The whole set, for the benchmark to check in release.
        let all: Vec<(usize, &str)> = sites
            .iter()
            .enumerate()
            .map(|(row, q)| (row, q.as_str()))
            .collect();
        let digest = generated::golden_digest(&index, &all, generated::ORGANIZATION_ID_OFFSET);
        std::fs::write(
            golden_path("generated-10k-digest.txt"),
            format!("{digest}\n"),
        )
        .unwrap();
    }
}
