//! `cargo xtask bench-names`: the whole `name-match` process on 10,000 generated organization
//! names and 10,000 site names, against Python's rapidfuzz scoring every pair of the same names
//! (`process.cdist` with `token_sort_ratio`, `default_process`, 2 workers), measured in one run
//! on the same machine. The two alternate, five times each; the fastest wall time and the least
//! CPU time (user + system, all threads) of each and their ratios are printed, with the load
//! average (the machine may be shared: only figures of one run compare).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::run;

const RUNS: usize = 5;

/// rapidfuzz's all-pairs token-sort ratio; prints the wall and CPU seconds `cdist` took.
const RAPIDFUZZ: &str = r#"
import sys, time
from rapidfuzz import fuzz, process, utils
orgs = open(sys.argv[1], encoding="utf-8").read().splitlines()
sites = open(sys.argv[2], encoding="utf-8").read().splitlines()
start, cpu = time.perf_counter(), time.process_time()
process.cdist(sites, orgs, scorer=fuzz.token_sort_ratio, processor=utils.default_process, workers=2)
print(time.perf_counter() - start, time.process_time() - cpu)
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

fn least(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The load average over the last minute.
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// Runs `name-match` once under GNU time; returns its wall and CPU seconds (CPU: user + system
/// of all its threads; `None` without `/usr/bin/time`).
fn time_name_match(
    name_match: &Path,
    organizations: &Path,
    sites: &Path,
    report: &Path,
) -> Result<(f64, Option<f64>), String> {
    let with_time = Path::new("/usr/bin/time").exists();
    let mut command = if with_time {
        let mut command = Command::new("/usr/bin/time");
        command
            .arg("-f")
            .arg("%U %S")
            .arg("-o")
            .arg(report)
            .arg(name_match);
        command
    } else {
        Command::new(name_match)
    };
    let start = Instant::now();
    let status = command
        .arg(organizations)
        .arg(sites)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{} ({e})", name_match.display()))?;
    let wall = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{} {status}", name_match.display()));
    }
    let cpu = with_time
        .then(|| std::fs::read_to_string(report).ok())
        .flatten()
        .map(|text| {
            text.split_whitespace()
                .filter_map(|n| n.parse::<f64>().ok())
                .sum()
        });
    Ok((wall, cpu))
}

/// Runs rapidfuzz's `cdist` once; its wall and CPU seconds, or why it could not run.
fn time_rapidfuzz(organizations: &Path, sites: &Path) -> Result<(f64, f64), String> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(RAPIDFUZZ)
        .arg(organizations)
        .arg(sites)
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`pip install rapidfuzz` first: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<f64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [wall, cpu] => Ok((*wall, *cpu)),
        _ => Err(format!("rapidfuzz printed {text:?}")),
    }
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

    let report = dir.join("name-match-time.txt");
    let load_before = load();
    let (mut ours_wall, mut ours_cpu) = (Vec::new(), Vec::new());
    let (mut theirs_wall, mut theirs_cpu) = (Vec::new(), Vec::new());
    let mut rapidfuzz_missing = None;
    for _ in 0..RUNS {
        let (wall, cpu) = time_name_match(&name_match, &organizations, &sites, &report)?;
        ours_wall.push(wall);
        ours_cpu.extend(cpu);
        if rapidfuzz_missing.is_none() {
            match time_rapidfuzz(&organizations, &sites) {
                Ok((wall, cpu)) => {
                    theirs_wall.push(wall);
                    theirs_cpu.push(cpu);
                }
                Err(why) => rapidfuzz_missing = Some(why),
            }
        }
    }
    println!("load average: {load_before} before, {} after", load());
    let wall = least(&ours_wall);
    // Without GNU time, no CPU figure: a ratio of infinity says so.
    let cpu = least(&ours_cpu);
    println!(
        "name-match, 10,000 x 10,000, whole process: {wall:.3} s wall, {cpu:.3} s CPU (least of {RUNS})"
    );
    if let Some(why) = rapidfuzz_missing {
        println!("rapidfuzz not measured: {why}");
        return Ok(());
    }
    let (their_wall, their_cpu) = (least(&theirs_wall), least(&theirs_cpu));
    println!(
        "rapidfuzz process.cdist token_sort_ratio, default_process, 2 workers: {their_wall:.3} s wall, {their_cpu:.3} s CPU (least of {RUNS})"
    );
    println!(
        "name-match / rapidfuzz: {:.2} wall, {:.2} CPU (target: at most 1, aim 0.5)",
        wall / their_wall,
        cpu / their_cpu
    );
    Ok(())
}
