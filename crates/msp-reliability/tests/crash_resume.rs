//! Crash resume: the binaries are killed with SIGKILL at many points — `gravityzone-sync sync`
//! after N requests reached the fakes, for N spread over the whole sync; `itglue-sync
//! create-configs` after each of its requests, the bulk create included — then run again: the
//! final state (store and vendor objects) equals an uninterrupted run's, with no duplicate
//! company, package, site variable or configuration.
//!
//! A killed worker frees its tenant: `gravityzone-sync sync` and `itglue-sync sync` are
//! killed while a vendor holds the answer of one of their requests (the lease is then surely
//! held); a rerun started at once on the same host succeeds (the holder process is gone, its
//! lease is taken over), and so does one started once the lease's time-to-live (at most 60 s)
//! has passed — shown without waiting a minute by rewriting the left lease, through the store,
//! as held by the same worker on another host (whose processes cannot be checked): refused
//! while unexpired, taken once expired.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_reliability::binaries;

use msp_fakes::itglue::NamedKind;
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::MspFakes;
use msp_reliability::gravityzone_world::{GravityZoneEndState, end_state_of};
use msp_reliability::itglue_world::{ItGlueEndState, end_state_of as itglue_end_state_of};
use sync_store::{Flow, HolderProcess, Lease, LeaseHolder, SqliteStore, Store, TenantId};

const SEED: u64 = 9;
const SIZE: MspSize = MspSize::Custom {
    sites: 9,
    devices: 40,
};

struct Run {
    fakes: MspFakes,
    dir: tempfile::TempDir,
    binary: &'static str,
}

impl Run {
    async fn start() -> Run {
        let run = Run {
            fakes: MspFakes::start(GeneratedMsp::generate(SEED, SIZE), false).await,
            dir: tempfile::tempdir().unwrap(),
            binary: "gravityzone-sync",
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
        let endpoints = self.fakes.endpoints();
        let mut command =
            binaries::command(self.binary, &endpoints, self.dir.path(), "crash-tester");
        command.args(args);
        command
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.command(args).output().unwrap();
        assert!(
            output.status.success(),
            "{} {args:?} failed: {}\n{}",
            self.binary,
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
            assert!(
                !String::from_utf8_lossy(&output.stderr).contains(BUSY),
                "a rerun found the tenant busy: the dead worker's lease was not taken over"
            );
            codes.push(output.status.code());
            if output.status.success() {
                break;
            }
        }
        codes
    }

    fn requests(&self) -> usize {
        self.fakes.datto.log().len()
            + self.fakes.gravityzone.log().len()
            + self.fakes.itglue.log().len()
    }

    /// Starts `sync` and kills it with SIGKILL once `after` more requests reached the fakes;
    /// returns whether it was killed (false: it finished first).
    fn sync_killed_after(&self, after: usize) -> bool {
        self.killed_after(&["sync"], after)
    }

    /// Starts the binary with `args` and kills it with SIGKILL once `after` more requests
    /// reached the fakes; returns whether it was killed (false: it finished first).
    fn killed_after(&self, args: &[&str], after: usize) -> bool {
        let start = self.requests();
        let mut child = self
            .command(args)
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
            // poll tightly: a kill right after a write reached the vendor, before the binary
            // recorded it, is the case that matters most
            std::thread::yield_now();
        }
    }

    /// The flow the binary runs, whose lease it holds.
    fn flow(&self) -> Flow {
        if self.binary == "itglue-sync" {
            Flow::ItGlue
        } else {
            Flow::GravityZone
        }
    }

    /// Whether the killed worker left its tenant lease behind (it had no time to release it).
    /// The rerun takes it over at once: its holder was a process of this host that no longer
    /// exists.
    async fn dead_workers_lease_left(&self) -> bool {
        let store = SqliteStore::open(self.dir.path().join("store.sqlite"))
            .await
            .unwrap();
        let tenants = store.tenants().await.unwrap();
        match tenants.first() {
            Some(tenant) => store.lease(tenant, self.flow()).await.unwrap().is_some(),
            None => false,
        }
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
    println!(
        "uninterrupted: first sync exited {:?}, then {reference_codes:?}",
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
        // A rerun at once, on the same host, is not refused: the dead worker's lease is taken
        // over (sync_to_the_end checks that no attempt found the tenant busy).
        let lease_left = was_killed && run.dead_workers_lease_left().await;
        let codes = run.sync_to_the_end();
        println!(
            "killed after {after} requests: {was_killed} (lease left: {lease_left}); reruns exited {codes:?}"
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

/// The IT Glue account of [`SEED`], connected and synced by `itglue-sync`, with the
/// configuration types the engine looks for.
async fn itglue_run() -> Run {
    let run = itglue_connected().await;
    run.ok(&["sync"]);
    run
}

/// The IT Glue account of [`SEED`], connected by `itglue-sync` (not synced yet), with the
/// configuration types the engine looks for.
async fn itglue_connected() -> Run {
    let run = Run {
        fakes: MspFakes::start(GeneratedMsp::generate(SEED, SIZE), false).await,
        dir: tempfile::tempdir().unwrap(),
        binary: "itglue-sync",
    };
    for name in [
        "Workstation",
        "Laptop",
        "Server",
        "Virtual Host",
        "Printer",
        "Network Device",
        "Mobile Device",
        "Other",
    ] {
        if run
            .fakes
            .itglue
            .named_id(NamedKind::ConfigurationType, name)
            .is_none()
        {
            run.fakes
                .itglue
                .add_named(NamedKind::ConfigurationType, name, false);
        }
    }
    run.ok(&["connect"]);
    run
}

impl Run {
    async fn itglue_end_state(&self) -> ItGlueEndState {
        let store = SqliteStore::open(self.dir.path().join("store.sqlite"))
            .await
            .unwrap();
        let tenants = store.tenants().await.unwrap();
        itglue_end_state_of(&self.fakes.itglue, &store, &tenants[0]).await
    }

    /// The matched organizations, as stored.
    async fn matched_organizations(&self) -> Vec<u64> {
        let store = SqliteStore::open(self.dir.path().join("store.sqlite"))
            .await
            .unwrap();
        let tenants = store.tenants().await.unwrap();
        let state = store.state(&tenants[0]).await.unwrap();
        let mut ids: Vec<u64> = state
            .itglue
            .organization_matches
            .iter()
            .map(|m| m.organization().0)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configurations_created_by_a_killed_itglue_sync_are_never_created_twice() {
    // The uninterrupted run: the first matched organization whose missing configurations a
    // create makes, and the requests that create takes.
    let reference_run = itglue_run().await;
    let initial = reference_run.itglue_end_state().await;
    let mut chosen = None;
    for organization in reference_run.matched_organizations().await {
        let before = reference_run.requests();
        let writes = reference_run.fakes.itglue.log().writes();
        reference_run.ok(&["create-configs", &organization.to_string(), "--all"]);
        if reference_run.fakes.itglue.log().writes() > writes {
            chosen = Some((organization, reference_run.requests() - before));
            break;
        }
    }
    let (organization, total) = chosen.expect("an organization with devices to create");
    let organization = organization.to_string();
    reference_run.ok(&["sync"]);
    let reference = reference_run.itglue_end_state().await;
    assert!(
        reference.duplicates(&initial).is_empty(),
        "{:?}",
        reference.duplicates(&initial)
    );

    let mut killed = 0;
    for after in 1..=total {
        let run = itglue_run().await;
        let args = ["create-configs", organization.as_str(), "--all"];
        if run.killed_after(&args, after) {
            killed += 1;
        }
        run.ok(&args);
        run.ok(&["sync"]);
        let end = run.itglue_end_state().await;
        let duplicates = end.duplicates(&initial);
        assert!(
            duplicates.is_empty(),
            "killed after {after}: duplicates {duplicates:?}"
        );
        assert_eq!(
            end, reference,
            "killed after {after} of {total} requests: the end state differs"
        );
    }
    println!(
        "create-configs of organization {organization}: {killed} of {total} runs killed (after 1..={total} requests); all resumed to the same end state"
    );
    assert!(
        killed >= total / 2,
        "too few runs were killed before they finished"
    );
}

// ---- a killed worker's lease: a rerun at once, and one after the time-to-live ----------------

/// What both binaries say when another worker holds the tenant's lease for their flow ("the IT
/// Glue sync of this tenant is running in worker …", "the GravityZone sync of …").
const BUSY: &str = "sync of this tenant is running in worker";

/// Every request whose path contains `path` is handled (a write is applied) but its answer is
/// held for a minute: a binary waiting for it is mid-run, holding its tenant's lease.
fn hang(path: &str) -> FaultPlan {
    FaultPlan {
        path_contains: Some(path.to_owned()),
        ..FaultPlan::new(0, 1.0, vec![FaultKind::Slow(Duration::from_secs(60))])
    }
}

impl Run {
    fn set_faults(&self, plan: Option<&FaultPlan>) {
        for faults in [
            self.fakes.datto.faults(),
            self.fakes.gravityzone.faults(),
            self.fakes.itglue.faults(),
        ] {
            match plan {
                Some(plan) => faults.set(plan.clone()),
                None => faults.clear(),
            }
        }
    }

    fn log_len(&self, path: &str) -> usize {
        [
            self.fakes.datto.log().all(),
            self.fakes.gravityzone.log().all(),
            self.fakes.itglue.log().all(),
        ]
        .iter()
        .flatten()
        .filter(|r| r.path.contains(path))
        .count()
    }

    /// Starts `sync`, kills it with SIGKILL while it waits for the held answer of a request to
    /// `path`, and returns the lease it left behind.
    async fn sync_killed_waiting_for(&self, path: &str) -> Lease {
        let before = self.log_len(path);
        self.set_faults(Some(&hang(path)));
        let mut child = self
            .command(&["sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        while self.log_len(path) == before {
            assert!(
                child.try_wait().unwrap().is_none(),
                "{} sync ended before it reached {path}",
                self.binary
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let pid = child.id();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        self.set_faults(None);
        let (store, tenant) = self.store_and_tenant().await;
        let lease = store
            .lease(&tenant, self.flow())
            .await
            .unwrap()
            .expect("the killed worker's lease is left behind");
        let process = lease.process.clone().expect("the lease names its process");
        assert_eq!(process.pid, pid, "{lease:?}");
        assert!(
            lease.expires_at <= Utc::now() + chrono::Duration::seconds(60),
            "the lease outlives the kill by more than 60 s: {lease:?}"
        );
        lease
    }

    async fn store_and_tenant(&self) -> (SqliteStore, TenantId) {
        let store = SqliteStore::open(self.dir.path().join("store.sqlite"))
            .await
            .unwrap();
        let tenant = store.tenants().await.unwrap().remove(0);
        (store, tenant)
    }

    /// Rewrites the killed worker's lease as held by the same worker on another host (whose
    /// processes this host cannot check), expiring at `expires_at`: what a worker sees once the
    /// holder's host is not this one — the lease frees only when it expires.
    async fn lease_seen_from_another_host(&self, left: &Lease, expires_at: DateTime<Utc>) {
        let (store, tenant) = self.store_and_tenant().await;
        let process = left.process.clone().unwrap();
        let elsewhere = LeaseHolder::new(left.holder.clone()).with_process(HolderProcess::new(
            format!("elsewhere-{}", process.host),
            process.pid,
            process.start_time,
        ));
        let ttl = Duration::from_secs(60);
        let acquired_at = expires_at - chrono::Duration::seconds(60);
        assert!(
            store
                .take_over_lease(
                    &tenant,
                    self.flow(),
                    &elsewhere,
                    &left.holder,
                    ttl,
                    acquired_at
                )
                .await
                .unwrap()
        );
        let now = store.lease(&tenant, self.flow()).await.unwrap().unwrap();
        // The store keeps milliseconds.
        let kept = DateTime::from_timestamp_millis(expires_at.timestamp_millis()).unwrap();
        assert_eq!(now.expires_at, kept);
    }

    /// Runs `sync` once; returns its exit code, and panics when it was refused because
    /// another worker held the tenant.
    fn sync_not_refused(&self) -> Option<i32> {
        let output = self.command(&["sync"]).output().unwrap();
        let message = String::from_utf8_lossy(&output.stderr);
        assert!(!message.contains(BUSY), "the tenant was busy: {message}");
        output.status.code()
    }
}

/// Kills `run`'s `sync` twice: while it waits for an answer from `first`, then (in a later
/// sync) from `again`. A rerun started at once is not refused and exits as an uninterrupted
/// sync does (`expected`: the exit codes of a fault-free world's first and second syncs): the
/// holder process is gone, its lease is taken over. With the lease held by the same worker on
/// another host, a rerun is refused until the lease's time-to-live has passed, and runs after
/// it.
async fn killed_syncs_free_the_tenant(
    run: &Run,
    first: &str,
    again: &str,
    expected: [Option<i32>; 2],
) {
    let left = run.sync_killed_waiting_for(first).await;
    println!(
        "{} sync killed waiting for {first}; lease left: {left:?}",
        run.binary
    );
    assert_eq!(run.sync_not_refused(), expected[0], "the rerun at once");

    let left = run.sync_killed_waiting_for(again).await;
    println!(
        "{} sync killed waiting for {again}; lease left: {left:?}",
        run.binary
    );
    run.lease_seen_from_another_host(&left, left.expires_at)
        .await;
    let refused = run.command(&["sync"]).output().unwrap();
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(BUSY),
        "a live lease of another host was not respected: {message}"
    );
    // The same lease once its time-to-live has passed.
    let expired = Utc::now() - chrono::Duration::seconds(1);
    run.lease_seen_from_another_host(&left, expired).await;
    assert_eq!(
        run.sync_not_refused(),
        expected[1],
        "the rerun after the time-to-live"
    );
    let (store, tenant) = run.store_and_tenant().await;
    assert_eq!(store.lease(&tenant, run.flow()).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_gravityzone_sync_frees_its_tenant_at_once_on_this_host_and_after_the_ttl_elsewhere()
 {
    let reference_run = Run::start().await;
    let expected = [
        reference_run.sync_not_refused(),
        reference_run.sync_not_refused(),
    ];
    reference_run.sync_to_the_end();
    let reference = reference_run.end_state().await;

    // Killed while GravityZone holds the answer of the pass's first companies-API call, then
    // of a later pass's company-tree listing.
    let run = Run::start().await;
    killed_syncs_free_the_tenant(&run, "jsonrpc/companies", "jsonrpc/network", expected).await;
    run.sync_to_the_end();
    let end = run.end_state().await;
    assert!(end.duplicates().is_empty(), "{:?}", end.duplicates());
    assert_eq!(end, reference);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_itglue_sync_frees_its_tenant_at_once_on_this_host_and_after_the_ttl_elsewhere() {
    let reference_run = itglue_connected().await;
    let expected = [
        reference_run.sync_not_refused(),
        reference_run.sync_not_refused(),
    ];
    assert_eq!(expected, [Some(0), Some(0)]);
    let reference = reference_run.itglue_end_state().await;

    // Killed while Datto RMM holds the answer of a site's network-interface listing in the
    // first sync, then while IT Glue holds the organizations listing of a later one.
    let run = itglue_connected().await;
    killed_syncs_free_the_tenant(&run, "network-interface", "/organizations", expected).await;
    assert_eq!(run.itglue_end_state().await, reference);
}
