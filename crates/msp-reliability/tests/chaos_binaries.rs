//! Chaos through the built binaries: `itglue-sync` against the Datto RMM and IT Glue fakes with
//! 20 % of all requests failing in every way the harness knows — 500, 503, 429 with
//! `Retry-After`, an answer slower than the client's timeout, a dropped connection, a garbled
//! body, and 500 after the write was applied — for five seeds. `sync` must succeed at the
//! first attempt for at least four seeds and within two for all; `create-configs` of an
//! organization within two; the end state (IT Glue objects and the store) must equal the
//! fault-free run's. The request counts by endpoint are printed.
//!
//! The binaries run with a 300 ms attempt timeout and 5 ms first retry wait
//! (`MSP_SYNC_HTTP_TIMEOUT_MS`, `MSP_SYNC_RETRY_BACKOFF_MS`), so a slow answer costs 300 ms,
//! not a minute.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use msp_fakes::harness::{FaultKind, FaultPlan, LoggedRequest};
use msp_fakes::itglue::NamedKind;
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::MspFakes;
use msp_reliability::itglue_world::{ItGlueEndState, end_state_of};
use sync_store::{SqliteStore, Store};

const SEEDS: [u64; 5] = [3, 7, 11, 19, 23];
const RATE: f64 = 0.2;
const SIZE: MspSize = MspSize::Custom {
    sites: 9,
    devices: 40,
};

fn kinds() -> Vec<FaultKind> {
    vec![
        FaultKind::Status500,
        FaultKind::Status503,
        FaultKind::Status429 {
            retry_after_secs: 1,
        },
        FaultKind::Slow(Duration::from_millis(900)),
        FaultKind::DroppedConnection,
        FaultKind::Garbled,
        FaultKind::FailAfterCommit,
    ]
}

/// The example binary `name`, built by this cargo into `target/<profile>/examples` (built here
/// when a filtered test run did not).
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

struct World {
    fakes: MspFakes,
    dir: tempfile::TempDir,
}

impl World {
    /// The seed's MSP and IT Glue account, connected (without faults).
    async fn start(seed: u64) -> World {
        let world = World {
            fakes: MspFakes::start(GeneratedMsp::generate(seed, SIZE), false).await,
            dir: tempfile::tempdir().unwrap(),
        };
        for name in ["Workstation", "Laptop", "Server", "Printer", "Other"] {
            if world
                .fakes
                .itglue
                .named_id(NamedKind::ConfigurationType, name)
                .is_none()
            {
                world
                    .fakes
                    .itglue
                    .add_named(NamedKind::ConfigurationType, name, false);
            }
        }
        assert!(world.run(&["connect"]).status.success());
        world
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new(example("itglue-sync"));
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
            .env("MSP_SYNC_HTTP_TIMEOUT_MS", "300")
            .env("MSP_SYNC_RETRY_BACKOFF_MS", "5")
            .env("HOME", self.dir.path())
            .env("USER", "chaos-tester")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs `args` until it exits 0, at most `limit` times; returns how many attempts it took.
    fn attempts(&self, args: &[&str], limit: usize) -> Option<usize> {
        for attempt in 1..=limit {
            let output = self.run(args);
            if output.status.success() {
                return Some(attempt);
            }
            println!(
                "  itglue-sync {args:?} attempt {attempt} failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        None
    }

    fn faults(&self, plan: Option<FaultPlan>) {
        for faults in [self.fakes.datto.faults(), self.fakes.itglue.faults()] {
            match &plan {
                Some(plan) => faults.set(plan.clone()),
                None => faults.clear(),
            }
        }
    }

    async fn end_state(&self) -> ItGlueEndState {
        let store = SqliteStore::open(self.dir.path().join("store.sqlite"))
            .await
            .unwrap();
        let tenants = store.tenants().await.unwrap();
        end_state_of(&self.fakes.itglue, &store, &tenants[0]).await
    }

    fn requests(&self) -> Vec<LoggedRequest> {
        let mut all = self.fakes.datto.log().all();
        all.extend(self.fakes.itglue.log().all());
        all
    }
}

/// `METHOD /path` with ids (numbers, uuids) replaced by `:id`.
fn endpoint(request: &LoggedRequest) -> String {
    let path: Vec<String> = request
        .path
        .split('/')
        .map(|segment| {
            let id = segment.chars().any(|c| c.is_ascii_digit())
                && (segment.len() > 12 || segment.chars().all(|c| c.is_ascii_digit()));
            if id {
                ":id".to_owned()
            } else {
                segment.to_owned()
            }
        })
        .collect();
    format!("{} {}", request.method, path.join("/"))
}

/// The fault-free run of `seed`: sync, then create the missing configurations of the first
/// matched organization that has some. Returns the organization and the end state.
async fn reference(seed: u64) -> (String, ItGlueEndState) {
    let world = World::start(seed).await;
    assert!(world.run(&["sync"]).status.success());
    let report = world.run(&["orgs", "--matched", "--json"]);
    let groups: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    let mut chosen = None;
    for group in groups.as_array().unwrap() {
        let organization = group["detail"]["organization"]
            .as_u64()
            .unwrap()
            .to_string();
        let writes = world.fakes.itglue.log().writes();
        assert!(
            world
                .run(&["create-configs", &organization, "--all"])
                .status
                .success()
        );
        if world.fakes.itglue.log().writes() > writes {
            chosen = Some(organization);
            break;
        }
    }
    let organization = chosen.expect("an organization with devices to document");
    (organization, world.end_state().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn itglue_sync_finishes_against_vendors_failing_a_fifth_of_all_requests() {
    let mut first_attempt = 0;
    let mut table = Vec::new();
    for seed in SEEDS {
        let (organization, reference) = reference(seed).await;
        let world = World::start(seed).await;
        world.fakes.datto.log().clear();
        world.fakes.itglue.log().clear();
        world.faults(Some(FaultPlan::new(seed, RATE, kinds())));
        let sync = world.attempts(&["sync"], 2);
        let create = world.attempts(&["create-configs", &organization, "--all"], 2);
        world.faults(None);
        let requests = world.requests();
        let faulted = requests.iter().filter(|r| r.faulted).count();
        let mut by_endpoint: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for request in &requests {
            let entry = by_endpoint.entry(endpoint(request)).or_default();
            entry.0 += 1;
            entry.1 += usize::from(request.faulted);
        }
        println!(
            "seed {seed:2}: sync in {sync:?} attempt(s), create-configs of {organization} in \
             {create:?}; {} requests, {faulted} faulted",
            requests.len()
        );
        for (endpoint, (n, faulted)) in &by_endpoint {
            println!("    {n:4} ({faulted:3} faulted)  {endpoint}");
        }
        let sync = sync.unwrap_or_else(|| panic!("seed {seed}: sync failed twice"));
        let create = create.unwrap_or_else(|| panic!("seed {seed}: create-configs failed twice"));
        if sync == 1 {
            first_attempt += 1;
        }
        let end = world.end_state().await;
        assert_eq!(
            end, reference,
            "seed {seed}: the end state differs from the fault-free run's"
        );
        table.push((seed, sync, create, requests.len(), faulted));
    }
    println!("seed, sync attempts, create-configs attempts, requests, faulted: {table:?}");
    assert!(
        first_attempt >= 4,
        "sync succeeded at the first attempt for only {first_attempt} of 5 seeds"
    );
}
