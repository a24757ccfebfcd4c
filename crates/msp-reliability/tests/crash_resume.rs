//! Crash resume: the `gravityzone-sync` binary is killed with SIGKILL at many points of a sync
//! — after N requests reached the fakes, for N spread over the whole sync and right after each
//! kind of vendor write — then run again: the final state (store and vendor objects) equals an
//! uninterrupted run's, with no duplicate company, package or site variable.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_reliability::gravityzone_world::{GravityZoneEndState, end_state_of};
use msp_sync_examples::scenario::MspFakes;
use sync_store::{SqliteStore, Store};

const SEED: u64 = 9;
const SIZE: MspSize = MspSize::Custom {
    sites: 9,
    devices: 40,
};

/// The example binary `name`, built by this cargo into `target/<profile>/examples` (built
/// here when a filtered test run did not).
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    let path = profile.join("examples").join(name);
    if !path.exists() {
        let target = profile.parent().unwrap();
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--example", name, "-p", "msp-sync-examples"])
            .env("CARGO_TARGET_DIR", target);
        if profile.ends_with("release") {
            cargo.arg("--release");
        }
        assert!(cargo.status().unwrap().success(), "building {name} failed");
    }
    path
}

struct Run {
    fakes: MspFakes,
    dir: tempfile::TempDir,
}

impl Run {
    async fn start() -> Run {
        let run = Run {
            fakes: MspFakes::start(GeneratedMsp::generate(SEED, SIZE), false).await,
            dir: tempfile::tempdir().unwrap(),
        };
        run.ok(&["connect"]);
        run.ok(&[
            "settings",
            "set",
            "--level",
            "automatic",
            "--handling",
            "automatic",
        ]);
        run
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(example("gravityzone-sync"));
        for variable in [
            "DATTO_ACCOUNT_UID",
            "MSP_SYNC_STORE",
            "XDG_DATA_HOME",
            "RUST_LOG",
        ] {
            command.env_remove(variable);
        }
        command
            .envs(self.fakes.endpoints().environment())
            .env("MSP_SYNC_STORE", self.dir.path().join("store.sqlite"))
            .env("HOME", self.dir.path())
            .env("USER", "crash-tester")
            .args(args)
            .stdin(Stdio::null());
        command
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        assert!(
            output.status.success(),
            "gravityzone-sync {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs `sync` until it exits 0 (at most three times); returns the exit codes.
    fn sync_to_the_end(&self) -> Vec<Option<i32>> {
        let mut codes = Vec::new();
        for _ in 0..3 {
            let output = self.command(&["sync"]).output().unwrap();
            codes.push(output.status.code());
            if !output.status.success() {
                eprintln!(
                    "sync exited {:?}: {}",
                    output.status.code(),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            if output.status.success() {
                break;
            }
        }
        codes
    }

    fn requests(&self) -> usize {
        self.fakes.datto.log().len() + self.fakes.gravityzone.log().len()
    }

    /// Starts `sync` and kills it with SIGKILL once `after` more requests reached the fakes;
    /// returns whether it was killed (false: it finished first).
    fn sync_killed_after(&self, after: usize) -> bool {
        let start = self.requests();
        let mut child = self
            .command(&["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        loop {
            if self.requests() >= start + after {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                return true;
            }
            if child.try_wait().unwrap().is_some() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// What the lease's ten minutes do after a crash: the killed worker's lease ends. (Its
    /// holder name is random per process, so a rerun within the lease's TTL is refused with
    /// "another sync of this tenant is running" — the safe answer while the other worker might
    /// still be alive; docs/reliability.md.) Returns whether a lease was left behind.
    async fn expire_dead_workers_lease(&self) -> bool {
        let store = SqliteStore::open(self.dir.path().join("store.sqlite"))
            .await
            .unwrap();
        let tenants = store.tenants().await.unwrap();
        let Some(lease) = store.lease(&tenants[0]).await.unwrap() else {
            return false;
        };
        assert!(
            store
                .release_lease(&tenants[0], &lease.holder)
                .await
                .unwrap()
        );
        true
    }

    async fn end_state(&self) -> GravityZoneEndState {
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(self.dir.path().join("store.sqlite"))
                .await
                .unwrap(),
        );
        let tenants = store.tenants().await.unwrap();
        assert_eq!(tenants.len(), 1);
        end_state_of(
            &self.fakes.datto,
            &self.fakes.gravityzone,
            store,
            &tenants[0],
        )
        .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_at_any_point_resumes_to_the_uninterrupted_end_state() {
    // The uninterrupted run, and where its requests and writes fall.
    let reference_run = Run::start().await;
    let before = reference_run.requests();
    let first = reference_run.command(&["sync"]).output().unwrap();
    let log: Vec<_> = reference_run
        .fakes
        .datto
        .log()
        .all()
        .into_iter()
        .chain(reference_run.fakes.gravityzone.log().all())
        .collect();
    let total = reference_run.requests() - before;
    let reference_codes = reference_run.sync_to_the_end();
    eprintln!(
        "uninterrupted: first sync {:?}, then {reference_codes:?}",
        first.status.code()
    );
    let reference = reference_run.end_state().await;
    assert!(reference.duplicates().is_empty());
    assert!(
        !reference.packages.is_empty() && !reference.variables.is_empty(),
        "{reference:?}"
    );
    let writes = log
        .iter()
        .filter(|r| r.is_write() || r.body.contains("\"create"))
        .count();
    assert!(writes > 0, "the uninterrupted sync wrote nothing");

    // Kill points: spread over the whole sync.
    let mut offsets: Vec<usize> = (1..=8).map(|i| i * total / 9).filter(|n| *n > 0).collect();
    offsets.dedup();
    let mut killed = 0;
    for after in &offsets {
        let run = Run::start().await;
        let was_killed = run.sync_killed_after(*after);
        if was_killed {
            killed += 1;
        }
        let mut lease_left = false;
        if was_killed {
            let refused = run.command(&["sync"]).output().unwrap();
            assert_eq!(
                refused.status.code(),
                Some(1),
                "a rerun while the dead worker's lease lasts"
            );
            assert!(
                String::from_utf8_lossy(&refused.stderr)
                    .contains("another sync of this tenant is running")
            );
            lease_left = run.expire_dead_workers_lease().await;
        }
        let codes = run.sync_to_the_end();
        eprintln!(
            "killed after {after} requests: {was_killed} (lease left: {lease_left}); then {codes:?}"
        );
        let end = run.end_state().await;
        assert!(
            end.duplicates().is_empty(),
            "killed after {after}: duplicates {:?}",
            end.duplicates()
        );
        assert_eq!(
            end, reference,
            "killed after {after} of {total} requests: the end state differs"
        );
    }
    println!(
        "{killed} of {} runs killed (after {offsets:?} of {total} requests); all resumed to the same end state",
        offsets.len()
    );
    assert!(
        killed >= offsets.len() / 2,
        "too few runs were killed before they finished"
    );
}
