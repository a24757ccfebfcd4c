//! `cargo xtask <task>`: the repository's automation in plain Rust.
//!
//! - `ci`: formatting, the dependency checks (no unused dependency, no sync crate or other
//!   client under a client), clippy with warnings denied, the workspace tests, the docs with
//!   warnings denied, and a build of every example.
//! - `deps`: only the dependency checks.
//! - `demo`: runs the demo binary.
//! - `bench`: runs the benchmarks.

use std::process::{Command, ExitCode};

mod deps;

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
        _ => {
            eprintln!("usage: cargo xtask <ci|deps|demo|bench>");
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

/// Every check CI makes, in the order that fails fastest.
fn ci() -> Result<(), String> {
    run("cargo", &["fmt", "--all", "--", "--check"], &[])?;
    deps::unused()?;
    deps::clients_stand_alone()?;
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
    run("cargo", &["test", "--workspace", "--all-features"], &[])?;
    run(
        "cargo",
        &["doc", "--workspace", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    run("cargo", &["build", "--workspace", "--examples"], &[])?;
    Ok(())
}

/// Runs every benchmark target of the workspace (or the ones named after `bench`).
fn bench(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["bench", "--workspace"];
    args.extend(extra.iter().map(String::as_str));
    run("cargo", &args, &[])
}

fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let step = format!("{program} {}", args.join(" "));
    eprintln!("xtask: running {step}");
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .status()
        .map_err(|e| format!("{step} ({e})"))?;
    if status.success() { Ok(()) } else { Err(step) }
}
