//! `cargo xtask <task>`: the repository's automation in plain Rust.
//!
//! - `ci`: formatting, the dependency checks (no unused dependency, no sync crate or other
//!   client under a client), no library file over 700 lines, clippy with warnings denied, a build of the optional feature sets,
//!   the workspace tests, the docs with warnings denied, a build of every example, and
//!   `cargo package` of every publishable crate.
//! - `deps`: only the dependency checks; `package`: only `cargo package`.
//! - `demo`: runs the demo binary.
//! - `bench`: runs the benchmarks.
//! - `postgres [--stop]`: starts (or reuses) a throw-away PostgreSQL server for the tests and
//!   prints `MSP_SYNC_POSTGRES_URL=…` on its last line; `--stop` stops it.
//! - `bench-names`: times `name-match` on 10,000 × 10,000 generated names against Python's
//!   rapidfuzz (`process.cdist`, token-sort ratio, 2 workers) on the same names, in one run.
//! - `scale [--size small|medium|large] [--datto-limit]`: `itglue-sync sync` twice against the
//!   fakes with about 2,000 sites and 50,000 devices: wall time, peak memory (limit 300 MB) and
//!   Datto RMM calls of each run (Datto's 600 requests a minute raised unless `--datto-limit`).

mod deps;
mod file_size;
mod names;
mod postgres;
mod scale;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "ci" => ci(),
        "demo" => run(
            "cargo",
            &[
                "run",
                "--release",
                "--example",
                "demo",
                "-p",
                "msp-sync-examples",
            ],
            &[],
        ),
        "bench" => bench(&args[1..]),
        "deps" => deps::unused().and_then(|()| deps::clients_stand_alone()),
        "package" => package(),
        "postgres" => match args.get(1).map(String::as_str) {
            None => postgres::start().map(|url| println!("MSP_SYNC_POSTGRES_URL={url}")),
            Some("--stop") => postgres::stop(),
            Some(other) => Err(format!("postgres: unknown argument {other} (only --stop)")),
        },
        "bench-names" => names::bench_names(),
        "scale" => scale::scale(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci|deps|package|demo|bench|bench-names|scale [--size S] [--datto-limit]|postgres [--stop]>"
            );
            return if task == "help" || task == "--help" {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(step) => {
            eprintln!("xtask: {step} failed");
            ExitCode::FAILURE
        }
    }
}

/// Every check CI makes, in the order that fails fastest. The tests run against a throw-away
/// PostgreSQL server, stopped afterwards whatever the outcome.
fn ci() -> Result<(), String> {
    run("cargo", &["fmt", "--all", "--", "--check"], &[])?;
    deps::unused()?;
    deps::clients_stand_alone()?;
    file_size::check()?;
    run(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // The feature sets users may choose besides the defaults (the rest of CI builds all).
    run(
        "cargo",
        &[
            "check",
            "-p",
            "sync-store",
            "--no-default-features",
            "--features",
            "conformance",
            "--all-targets",
        ],
        &[],
    )?;
    for flow in ["itglue", "gravityzone"] {
        run(
            "cargo",
            &[
                "check",
                "-p",
                "sync-engine",
                "--no-default-features",
                "--features",
                flow,
                "--lib",
            ],
            &[],
        )?;
    }
    let url = postgres::start()?;
    eprintln!("xtask: MSP_SYNC_POSTGRES_URL={url}");
    let tests = run(
        "cargo",
        // Every test binary runs even after one fails, so a red run names every failure.
        &["test", "--workspace", "--all-features", "--no-fail-fast"],
        &[("MSP_SYNC_POSTGRES_URL", &url)],
    );
    let stopped = postgres::stop();
    tests?;
    stopped?;
    run(
        "cargo",
        &["doc", "--workspace", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    // A user's `cargo doc` builds the default features only: the crates with optional parts
    // must document cleanly that way too.
    run(
        "cargo",
        &["doc", "--no-deps", "-p", "sync-store", "-p", "sync-engine"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    run("cargo", &["build", "--workspace", "--examples"], &[])?;
    package()?;
    Ok(())
}

/// `cargo package` of every publishable crate (the interdependent ones together, as cargo
/// allows for unpublished path dependencies). `--no-verify`: the verification build would
/// compile each crate again on its own, minutes on two cores, while the steps before have
/// already built, linted and tested the same sources; packaging still checks the manifests,
/// the file lists and that every dependency resolves. Offline first (the builds before have
/// filled the registry cache), online if that is not enough.
fn package() -> Result<(), String> {
    let unpublished = deps::unpublished()?;
    let mut args = vec!["package", "--workspace", "--no-verify", "--allow-dirty"];
    for name in &unpublished {
        args.extend(["--exclude", name.as_str()]);
    }
    let mut offline = args.clone();
    offline.push("--offline");
    run("cargo", &offline, &[]).or_else(|_| run("cargo", &args, &[]))
}

/// Runs every benchmark target of the workspace (or the ones named after `bench`).
/// Without arguments, also the `name-match` against rapidfuzz comparison (`bench-names`). The
/// matching benchmark prints the side-by-side ratios first (docs/matching.md).
fn bench(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["bench", "--workspace"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args, &[])?;
    if extra.is_empty() {
        names::bench_names()?;
    }
    Ok(())
}

pub(crate) fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let step = format!("{program} {}", args.join(" "));
    eprintln!("xtask: running {step}");
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("{step} ({e})"))?;
    if status.success() { Ok(()) } else { Err(step) }
}
