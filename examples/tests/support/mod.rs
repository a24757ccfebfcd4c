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

/// The three fakes serving a small generated MSP, a store file in a temporary directory, and
/// the environment a binary needs to use them.
pub struct FakeWorld {
    /// The fakes.
    pub fakes: msp_fakes::scenario::MspFakes,
    /// Holds the store file.
    pub dir: tempfile::TempDir,
}

impl FakeWorld {
    /// Starts the fakes (without rate limits, so tests stay quick) for a small MSP of seed
    /// `seed`: 14 sites and 100 devices, so that a sync's Datto RMM calls — which the client
    /// spaces to Datto's 600 a minute — take seconds.
    pub async fn start(seed: u64) -> Self {
        let size = msp_fakes::msp::MspSize::Custom {
            sites: 14,
            devices: 100,
        };
        let msp = msp_fakes::msp::GeneratedMsp::generate(seed, size);
        Self {
            fakes: msp_fakes::scenario::MspFakes::start(msp, false).await,
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// The store file.
    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store.sqlite")
    }

    /// The example `name`, with the fakes' URLs and credentials in its environment and the
    /// store in the temporary directory; nothing of the caller's environment that could point
    /// it elsewhere.
    pub fn command(&self, name: &str) -> Command {
        let mut command = Command::new(example(name));
        for variable in [
            "DATTO_ACCOUNT_UID",
            "MSP_SYNC_STORE",
            "XDG_DATA_HOME",
            "RUST_LOG",
            "USER",
        ] {
            command.env_remove(variable);
        }
        for (variable, value) in self.fakes.endpoints().environment() {
            command.env(variable, value);
        }
        command
            .env("MSP_SYNC_STORE", self.store())
            .env("HOME", self.dir.path())
            .env("USER", "tester")
            .stdin(std::process::Stdio::null());
        command
    }

    /// Runs the example `name` with `args` to the end.
    pub fn run(&self, name: &str, args: &[&str]) -> Ran {
        self.run_with(name, args, &[])
    }

    /// Runs the example `name` with `args` and extra environment variables to the end.
    pub fn run_with(&self, name: &str, args: &[&str], env: &[(&str, &str)]) -> Ran {
        let mut command = self.command(name);
        command.args(args).envs(env.iter().copied());
        Ran::from(command.output().expect("the example runs"))
    }
}

/// What a finished command printed, and its exit code.
#[derive(Debug)]
pub struct Ran {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<std::process::Output> for Ran {
    fn from(output: std::process::Output) -> Self {
        Self {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Ran {
    /// Checks the command exited with `code`; returns it for more checks.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(self.code, Some(code), "unexpected exit code: {self:#?}");
        self
    }

    /// Checks the command succeeded.
    #[track_caller]
    pub fn ok(self) -> Self {
        self.code(0)
    }

    /// Standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    /// Checks standard output contains `text`.
    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}: {self:#?}"
        );
        self
    }

    /// Checks standard error contains `text`.
    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}: {self:#?}"
        );
        self
    }

    /// Checks neither output contains `secret`.
    #[track_caller]
    pub fn never_shows(self, secret: &str) -> Self {
        assert!(
            !self.stdout.contains(secret) && !self.stderr.contains(secret),
            "the output shows {secret:?}: {self:#?}"
        );
        self
    }
}
