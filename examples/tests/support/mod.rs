//! What the binaries' tests share: finding the built example executables.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::OnceLock;

/// The path of the example executable `name`, built by this test run's cargo.
///
/// `cargo test` builds the package's examples next to the test executables
/// (`target/<profile>/examples/`); when a filtered run (`cargo test --test …`) did not, they are
/// built once here with the same cargo, profile and target directory.
pub fn example(name: &str) -> PathBuf {
    let dir = examples_dir();
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        build_examples();
    }
    assert!(
        path.exists(),
        "example {name} was not built at {}",
        path.display()
    );
    path
}

fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let deps = exe.parent().expect("the deps directory");
    deps.parent()
        .expect("the profile directory")
        .join("examples")
}

fn build_examples() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let profile_dir = examples_dir()
            .parent()
            .map(PathBuf::from)
            .expect("profile dir");
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let target_dir = profile_dir.parent().map(PathBuf::from).expect("target dir");
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--examples", "-p", "msp-sync-examples"])
            .env("CARGO_TARGET_DIR", &target_dir);
        if release {
            cargo.arg("--release");
        }
        let status = cargo.status().expect("cargo runs");
        assert!(status.success(), "cargo build --examples failed");
    });
}

/// A child process that is killed when the test ends, even when it fails.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
