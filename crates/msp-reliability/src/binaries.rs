//! The workspace's example binaries (`itglue-sync`, `gravityzone-sync`, …), as the tests that run
//! them as a user would find them.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use msp_fakes::scenario::FakeEndpoints;
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// The example binary `name`, built by this cargo into `target/<profile>/examples`; built here
/// (with the same cargo, profile and target directory) when a filtered test run did not build
/// it, or when a workspace source file is newer than it (so a test never runs a binary from
/// older sources). The check runs once per test process and binary.
///
/// ```no_run
/// let itglue_sync = msp_reliability::binaries::example("itglue-sync");
/// let status = std::process::Command::new(itglue_sync).arg("--help").status().unwrap();
/// assert!(status.success());
/// ```
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let profile = exe
        .parent()
        .and_then(Path::parent)
        .expect("the profile directory")
        .to_path_buf();
    let path = profile.join("examples").join(name);
    static CHECKED: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let mut checked = CHECKED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if checked.insert(name.to_owned()) && is_stale(&path) {
        let target = profile.parent().expect("the target directory");
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--example", name, "-p", "msp-sync-examples"])
            .env("CARGO_TARGET_DIR", target);
        if profile.ends_with("release") {
            cargo.arg("--release");
        }
        let built = cargo.status().is_ok_and(|status| status.success());
        assert!(built, "building {name} failed");
    }
    path
}

/// The example binary `name` ([`example`]) as a test runs it against `fakes`: the fakes'
/// endpoints and keys in its environment, its store at `home/store.sqlite`, `home` as `HOME`
/// and `user` as `USER` (what the binaries default the worker name to), stdin closed, and none
/// of the caller's `DATTO_ACCOUNT_UID`, `MSP_SYNC_STORE`, `XDG_DATA_HOME` or `RUST_LOG`.
///
/// ```no_run
/// # async fn demo() {
/// use msp_fakes::msp::{GeneratedMsp, MspSize};
/// use msp_fakes::scenario::MspFakes;
///
/// let fakes = MspFakes::start(GeneratedMsp::generate(7, MspSize::Small), false).await;
/// let home = std::env::temp_dir().join("itglue-sync-demo");
/// let endpoints = fakes.endpoints();
/// let itglue_sync = msp_reliability::binaries::command("itglue-sync", &endpoints, &home, "me");
/// let output = { itglue_sync }.arg("connect").output().unwrap();
/// assert!(output.status.success());
/// # }
/// ```
pub fn command(name: &str, fakes: &FakeEndpoints, home: &Path, user: &str) -> Command {
    let mut command = Command::new(example(name));
    for variable in [
        "DATTO_ACCOUNT_UID",
        "MSP_SYNC_STORE",
        "XDG_DATA_HOME",
        "RUST_LOG",
    ] {
        command.env_remove(variable);
    }
    command
        .envs(fakes.environment())
        .env("MSP_SYNC_STORE", home.join("store.sqlite"))
        .env("HOME", home)
        .env("USER", user)
        .stdin(Stdio::null());
    command
}

/// Whether the binary at `path` is missing or older than a source file of the workspace
/// (`crates/` and `examples/`, tests left out).
fn is_stale(path: &Path) -> bool {
    let Ok(built) = fs::metadata(path).and_then(|meta| meta.modified()) else {
        return true;
    };
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    ["crates", "examples"]
        .iter()
        .any(|dir| has_newer_source(&workspace.join(dir), built))
}

/// Whether a Rust file or manifest under `dir` (outside `tests` and `benches` folders) was
/// modified after `time`.
fn has_newer_source(dir: &Path, time: SystemTime) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            name != "tests" && name != "benches" && has_newer_source(&path, time)
        } else {
            let source = path.extension().is_some_and(|ext| ext == "rs") || name == "Cargo.toml";
            source
                && entry
                    .metadata()
                    .and_then(|meta| meta.modified())
                    .is_ok_and(|modified| modified > time)
        }
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_source_newer_than_the_binary_is_found_outside_tests_and_benches_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for sub in ["src/module", "tests", "benches"] {
            fs::create_dir_all(root.join(sub)).unwrap();
        }
        let write = |path: &str| fs::write(root.join(path), "// source\n").unwrap();
        write("src/module/old.rs");
        write("README.md");
        let after_sources = fs::metadata(root.join("src/module/old.rs"))
            .unwrap()
            .modified()
            .unwrap();
        let built = after_sources + Duration::from_secs(1);
        assert!(!has_newer_source(root, built), "nothing is newer yet");

        let later = built + Duration::from_secs(60);
        let touch = |path: &str| {
            write(path);
            fs::File::options()
                .write(true)
                .open(root.join(path))
                .unwrap()
                .set_modified(later)
                .unwrap();
        };
        touch("tests/binary.rs");
        touch("benches/speed.rs");
        touch("notes.md");
        assert!(
            !has_newer_source(root, built),
            "tests, benches and other files do not make a binary stale"
        );
        touch("src/module/new.rs");
        assert!(has_newer_source(root, built));
        touch("Cargo.toml");
        assert!(!has_newer_source(root, later), "not newer than itself");
    }

    #[test]
    fn a_missing_binary_is_stale() {
        assert!(is_stale(Path::new("/nonexistent/examples/itglue-sync")));
    }
}
