//! `cargo xtask bench-names`: the whole `name-match` process on 10,000 generated organization
//! names and 10,000 site names, against Python's rapidfuzz scoring every pair of the same names
//! (`process.cdist` with `token_sort_ratio`, `default_process`, 2 workers), measured in one run
//! on the same machine. Each is timed three times; the medians and their ratio are printed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::run;

const RUNS: usize = 3;

/// rapidfuzz's all-pairs token-sort ratio; prints the seconds `cdist` took.
const RAPIDFUZZ: &str = r#"
import sys, time
from rapidfuzz import fuzz, process, utils
orgs = open(sys.argv[1], encoding="utf-8").read().splitlines()
sites = open(sys.argv[2], encoding="utf-8").read().splitlines()
start = time.perf_counter()
process.cdist(sites, orgs, scorer=fuzz.token_sort_ratio, processor=utils.default_process, workers=2)
print(time.perf_counter() - start)
"#;

/// The workspace's target directory (`CARGO_TARGET_DIR`, else `target/`).
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .unwrap_or(Path::new("."))
                .join("target")
        })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Runs the comparison.
pub fn bench_names() -> Result<(), String> {
    run(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "msp-sync-examples",
            "--example",
            "name-match",
        ],
        &[],
    )?;
    let dir = target_dir().join("bench-names");
    let dir_text = dir.to_string_lossy().into_owned();
    run(
        "cargo",
        &[
            "run",
            "--release",
            "--quiet",
            "-p",
            "sync-core",
            "--example",
            "generated-names",
            "--",
            &dir_text,
            "10000",
        ],
        &[],
    )?;
    let organizations = dir.join("organizations.txt");
    let sites = dir.join("sites.txt");
    let name_match = target_dir().join("release/examples/name-match");

    let mut ours = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let status = Command::new(&name_match)
            .arg(&organizations)
            .arg(&sites)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("{} ({e})", name_match.display()))?;
        if !status.success() {
            return Err(format!("{} {status}", name_match.display()));
        }
        ours.push(start.elapsed().as_secs_f64());
    }
    let ours = median(ours);
    println!("name-match, 10,000 x 10,000, whole process: {ours:.3} s (median of {RUNS})");

    let mut theirs = Vec::new();
    for _ in 0..RUNS {
        let output = Command::new("python3")
            .arg("-c")
            .arg(RAPIDFUZZ)
            .arg(&organizations)
            .arg(&sites)
            .output();
        match output {
            Ok(output) if output.status.success() => {
                let text = String::from_utf8_lossy(&output.stdout);
                let seconds: f64 = text
                    .trim()
                    .parse()
                    .map_err(|e| format!("rapidfuzz printed {text:?} ({e})"))?;
                theirs.push(seconds);
            }
            Ok(output) => {
                println!(
                    "rapidfuzz not measured (`pip install rapidfuzz` first): {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                );
                return Ok(());
            }
            Err(e) => {
                println!("rapidfuzz not measured: python3: {e}");
                return Ok(());
            }
        }
    }
    let theirs = median(theirs);
    println!(
        "rapidfuzz process.cdist token_sort_ratio, default_process, 2 workers: {theirs:.3} s (median of {RUNS})"
    );
    println!(
        "name-match / rapidfuzz: {:.2} (target: at most 1, aim 0.5)",
        ours / theirs
    );
    Ok(())
}
