//! The workspace's example binaries (`itglue-sync`, `gravityzone-sync`, …), as the tests that run
//! them as a user would find them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The example binary `name`, built by this cargo into `target/<profile>/examples`; built here
/// (once per call, with the same cargo, profile and target directory) when a filtered test run
/// did not build it.
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
    if !path.exists() {
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
