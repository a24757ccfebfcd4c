//! Chaos through the built binaries against the fakes with 20 % of all requests failing in
//! every way the harness knows — 500, 503, 429 with `Retry-After`, an answer slower than the
//! client's timeout, a dropped connection, a garbled body, and 500 after the write was applied
//! — for five seeds:
//!
//! - `itglue-sync` (Datto RMM and IT Glue): `sync` must succeed at the first attempt for at
//!   least four seeds and within two for all; `create-configs` of an organization within two;
//! - `gravityzone-sync` (Datto RMM and GravityZone): a `map-new` batch of ten sites within two
//!   attempts (the second one for the sites the first did not associate).
//!
//! The end state (vendor objects and the store) must equal the fault-free run's. The request
//! counts by endpoint are printed (`--nocapture`).
//!
//! The binaries run with a 300 ms attempt timeout and 5 ms first retry wait
//! (`MSP_SYNC_HTTP_TIMEOUT_MS`, `MSP_SYNC_RETRY_BACKOFF_MS`), so a slow answer costs 300 ms,
//! not a minute.

use std::collections::BTreeMap;
use std::process::Output;
use std::sync::Arc;
use std::time::Duration;

use msp_fakes::harness::{FaultKind, FaultPlan, LoggedRequest};
use msp_fakes::itglue::NamedKind;
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::MspFakes;
use msp_reliability::binaries::command;
use msp_reliability::gravityzone_world::{GravityZoneEndState, end_state_of as gz_end_state_of};
use msp_reliability::itglue_world::{ItGlueEndState, end_state_since};
use sync_store::{SqliteStore, Store};

const SEEDS: [u64; 5] = [3, 7, 11, 19, 23];
const RATE: f64 = 0.2;
const SIZE: MspSize = MspSize::Custom {
    sites: 9,
    devices: 40,
};

/// Runs an example binary against the fakes with short timeouts and backoff, so a fault costs
/// milliseconds rather than the defaults' seconds.
fn chaos_run(binary: &str, fakes: &MspFakes, dir: &std::path::Path, args: &[&str]) -> Output {
    command(binary, &fakes.endpoints(), dir, "chaos-tester")
        .env("MSP_SYNC_HTTP_TIMEOUT_MS", "300")
        .env("MSP_SYNC_RETRY_BACKOFF_MS", "5")
        .args(args)
        .output()
        .unwrap()
}

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

struct World {
    fakes: MspFakes,
    dir: tempfile::TempDir,
    /// `installed-by` of the account's configurations before any sync: what names them in end
    /// states (a sync writes its marker on matched configurations, or a later one does when a
    /// faulted write was not written).
    initial_installed_by: std::collections::BTreeMap<u64, Option<String>>,
}

impl World {
    /// The seed's MSP and IT Glue account, connected (without faults).
    async fn start(seed: u64) -> World {
        let fakes = MspFakes::start(GeneratedMsp::generate(seed, SIZE), false).await;
        let initial_installed_by = fakes
            .itglue
            .configurations()
            .into_iter()
            .map(|c| (c.id, c.installed_by))
            .collect();
        let world = World {
            fakes,
            dir: tempfile::tempdir().unwrap(),
            initial_installed_by,
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
        chaos_run("itglue-sync", &self.fakes, self.dir.path(), args)
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
        end_state_since(
            &self.fakes.itglue,
            &store,
            &tenants[0],
            &self.initial_installed_by,
        )
        .await
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

// ---- GravityZone: a `map-new` batch of ten sites --------------------------------------------

/// Sites in the GravityZone worlds: enough customer sites that ten have no company yet.
const GZ_SIZE: MspSize = MspSize::Custom {
    sites: 40,
    devices: 30,
};

/// The seed's MSP with its GravityZone account, and a store, connected by `gravityzone-sync`.
struct GzWorld {
    fakes: MspFakes,
    dir: tempfile::TempDir,
}

impl GzWorld {
    async fn start(seed: u64) -> GzWorld {
        let world = GzWorld {
            fakes: MspFakes::start(GeneratedMsp::generate(seed, GZ_SIZE), false).await,
            dir: tempfile::tempdir().unwrap(),
        };
        let connect = world.run(&["connect"]);
        assert!(
            connect.status.success(),
            "{}",
            String::from_utf8_lossy(&connect.stderr)
        );
        world
    }

    fn run(&self, args: &[&str]) -> Output {
        chaos_run("gravityzone-sync", &self.fakes, self.dir.path(), args)
    }

    /// Ten managed sites the GravityZone fake holds no company of their name for.
    fn ten_sites(&self) -> Vec<String> {
        let seeded = &self.fakes.gravityzone_planted;
        let planted: Vec<&str> = [
            &seeded.same_name,
            &seeded.prefixed,
            &seeded.foreign,
            &seeded.under_reseller,
        ]
        .into_iter()
        .flat_map(|list| list.iter().map(|(site, _)| site.as_str()))
        .collect();
        let sites: Vec<String> = self
            .fakes
            .msp
            .customer_sites()
            .filter(|s| !planted.contains(&s.uid.as_str()))
            .filter(|s| self.fakes.gravityzone.company_named(&s.name).is_none())
            .map(|s| s.uid.clone())
            .take(10)
            .collect();
        assert_eq!(sites.len(), 10, "too few sites without a company");
        sites
    }

    async fn store(&self) -> Arc<dyn Store> {
        Arc::new(
            SqliteStore::open(self.dir.path().join("store.sqlite"))
                .await
                .unwrap(),
        )
    }

    /// The sites of `sites` the store holds no association for.
    async fn unassociated(&self, sites: &[String]) -> Vec<String> {
        let store = self.store().await;
        let tenant = store.tenants().await.unwrap().remove(0);
        let state = store.state(&tenant).await.unwrap();
        sites
            .iter()
            .filter(|site| {
                !state
                    .gravityzone
                    .associations
                    .iter()
                    .any(|a| a.site().as_str() == site.as_str())
            })
            .cloned()
            .collect()
    }

    async fn end_state(&self) -> GravityZoneEndState {
        let store = self.store().await;
        let tenant = store.tenants().await.unwrap().remove(0);
        gz_end_state_of(&self.fakes.datto, &self.fakes.gravityzone, store, &tenant).await
    }

    fn requests(&self) -> Vec<LoggedRequest> {
        let mut all = self.fakes.datto.log().all();
        all.extend(self.fakes.gravityzone.log().all());
        all
    }
}

/// [`endpoint`], with the JSON-RPC method of a GravityZone request.
fn gz_endpoint(request: &LoggedRequest) -> String {
    let method = serde_json::from_str::<serde_json::Value>(&request.body)
        .ok()
        .and_then(|body| body["method"].as_str().map(str::to_owned));
    match method {
        Some(method) => format!("{} {method}", endpoint(request)),
        None => endpoint(request),
    }
}

/// One seed of the GravityZone chaos: the fault-free `map-new` of ten sites, then the same
/// under faults. Returns `(attempts, requests, faulted)` after printing the request counts.
async fn gravityzone_map_new_under_faults(seed: u64) -> (usize, usize, usize) {
    let reference_world = GzWorld::start(seed).await;
    let sites = reference_world.ten_sites();
    let mut args = vec!["map-new", "--yes"];
    args.extend(sites.iter().map(String::as_str));
    let fault_free = reference_world.run(&args);
    assert!(
        fault_free.status.success(),
        "seed {seed}: the fault-free map-new failed: {}",
        String::from_utf8_lossy(&fault_free.stderr)
    );
    let reference = reference_world.end_state().await;
    assert_eq!(reference.associations.len(), 10, "{reference:?}");
    assert!(reference.duplicates().is_empty(), "{reference:?}");

    let world = GzWorld::start(seed).await;
    assert_eq!(world.ten_sites(), sites);
    world.fakes.datto.log().clear();
    world.fakes.gravityzone.log().clear();
    let plan = FaultPlan::new(seed, RATE, kinds());
    world.fakes.datto.faults().set(plan.clone());
    world.fakes.gravityzone.faults().set(FaultPlan {
        seed: seed + 1,
        ..plan
    });
    // A failed batch stops at the failed change; the user reruns the sites it did not
    // associate (a site already associated is refused by map-new).
    let mut report = String::new();
    let mut attempts = None;
    for attempt in 1..=2 {
        let left = world.unassociated(&sites).await;
        let mut args = vec!["map-new", "--yes"];
        args.extend(left.iter().map(String::as_str));
        let output = world.run(&args);
        if output.status.success() {
            attempts = Some(attempt);
            break;
        }
        report.push_str(&format!(
            "  gravityzone-sync map-new ({} sites) attempt {attempt} failed: {}\n",
            left.len(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    world.fakes.datto.faults().clear();
    world.fakes.gravityzone.faults().clear();
    let requests = world.requests();
    let faulted = requests.iter().filter(|r| r.faulted).count();
    let mut by_endpoint: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for request in &requests {
        let entry = by_endpoint.entry(gz_endpoint(request)).or_default();
        entry.0 += 1;
        entry.1 += usize::from(request.faulted);
    }
    report.push_str(&format!(
        "seed {seed:2}: map-new of 10 sites in {attempts:?} attempt(s); {} requests, \
         {faulted} faulted\n",
        requests.len()
    ));
    for (endpoint, (n, faulted)) in &by_endpoint {
        report.push_str(&format!("    {n:4} ({faulted:3} faulted)  {endpoint}\n"));
    }
    print!("{report}");
    let attempts = attempts.unwrap_or_else(|| panic!("seed {seed}: map-new failed twice"));
    let end = world.end_state().await;
    assert_eq!(
        end, reference,
        "seed {seed}: the end state differs from the fault-free run's"
    );
    (attempts, requests.len(), faulted)
}

/// The seeds run at once, each on a thread and runtime of its own: most of a seed's time is
/// spent waiting for GravityZone's documented rate limit (10 requests per second), which the
/// binaries keep to.
#[test]
fn gravityzone_map_new_of_ten_sites_finishes_against_vendors_failing_a_fifth_of_all_requests() {
    let seeds: Vec<_> = SEEDS
        .into_iter()
        .map(|seed| {
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .unwrap();
                (
                    seed,
                    runtime.block_on(gravityzone_map_new_under_faults(seed)),
                )
            })
        })
        .collect();
    let table: Vec<_> = seeds
        .into_iter()
        .map(|seed| seed.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        .collect();
    println!("seed, (map-new attempts, requests, faulted): {table:?}");
}
