//! Three `worker` processes on one PostgreSQL store and the vendor fakes serving 20 tenants, on a
//! shortened schedule: each tenant's flows run once per interval and no tenant's flow twice at
//! once, while one tenant's two flows do run at the same time on two workers (its vendors answer
//! slowly until the test sees both of its flows leased to two workers at once); a worker killed with SIGKILL mid-run has its
//! tenant's flow picked up by the others in the same slot, and the fakes end up without a
//! duplicate company, package, variable, organization or configuration.
//!
//! Needs `MSP_SYNC_POSTGRES_URL` (`cargo xtask postgres` prints it): skipped with a printed
//! reason when unset, a failure under `CI=true`.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::{FakeEndpoints, MspFakes};
use msp_transport::Secret;
use serde_json::json;
use support::{KillOnDrop, example};
use sync_core::gravityzone::{EventHandling, SyncLevel};
use sync_engine::gravityzone::{
    DattoCredentials, GravityZoneCredentials, GravityZoneSync, TenantConnection,
};
use sync_engine::itglue::{
    DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueFlow, ItGlueLocation,
};
use sync_engine::scheduler::SchedulerConfig;
use sync_store::{Flow, PostgresOptions, PostgresStore, RunStatus, Store, SyncRun, TenantId};

const TENANTS: u64 = 20;
const GRAVITYZONE_INTERVAL: Duration = Duration::from_secs(20);
const ITGLUE_INTERVAL: Duration = Duration::from_secs(30);
const LEASE_TTL: Duration = Duration::from_secs(3);
/// Each tenant's flows must have run in this many slots before the workers are stopped.
const SLOTS: usize = 3;
/// How late the first tenant's vendors answer every request until the test sees both of its
/// flows leased to two workers at once: its first runs then outlast the other workers' first
/// round, so whichever worker starts one of them, another starts the other before it ends; the
/// answers are fast again from then on, so no later slot is missed.
const SLOW_ANSWER: Duration = Duration::from_millis(1500);

fn postgres_url() -> Option<String> {
    match std::env::var("MSP_SYNC_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => panic!(
            "MSP_SYNC_POSTGRES_URL is not set under CI=true (cargo xtask ci starts a server)"
        ),
        _ => {
            eprintln!(
                "three_workers_share_twenty_tenants: skipped: MSP_SYNC_POSTGRES_URL is not set \
                 (run `cargo xtask postgres` and export the line it prints)"
            );
            None
        }
    }
}

fn duration_arg(d: Duration) -> String {
    format!("{}s", d.as_secs())
}

/// Connects one tenant to both flows, with the GravityZone sync fully automatic.
async fn connect(store: &Arc<dyn Store>, e: &FakeEndpoints) -> TenantId {
    let datto = DattoCredentials::new(
        e.datto_api_url.clone(),
        Secret::new(e.datto_api_key.clone()),
        Secret::new(e.datto_api_secret.clone()),
    );
    let gz = GravityZoneCredentials::new(
        e.gravityzone_access_url.clone(),
        Secret::new(e.gravityzone_api_key.clone()),
    );
    let sync = GravityZoneSync::new(store.clone());
    let connection = TenantConnection::from_credentials(&datto, &gz).unwrap();
    let tenant = sync.connect(&connection).await.unwrap();
    let mut settings = sync.settings(&tenant).await.unwrap();
    settings.level = SyncLevel::AutomaticInventorySync;
    settings.handling = EventHandling::Automatic;
    sync.update_settings(&tenant, &settings).await.unwrap();
    let itglue = ItGlueCredentials {
        location: ItGlueLocation::Url(e.itglue_api_url.clone()),
        api_key: Secret::new(e.itglue_api_key.clone()),
    };
    let flow = ItGlueFlow::new(
        store.clone(),
        tenant.clone(),
        Arc::new(DattoRmmAdapter::from_credentials(&datto).unwrap()),
        Arc::new(ItGlueAdapter::new(&itglue).unwrap()),
    );
    flow.connect().await.unwrap();
    tenant
}

fn credentials_entry(tenant: &TenantId, e: &FakeEndpoints) -> serde_json::Value {
    json!({
        "datto": {
            "api_url": e.datto_api_url,
            "account_uid": tenant.account_uid(),
            "api_key": e.datto_api_key,
            "api_secret": e.datto_api_secret,
        },
        "itglue": {"api_url": e.itglue_api_url, "api_key": e.itglue_api_key},
        "gravityzone": {"access_url": e.gravityzone_access_url, "api_key": e.gravityzone_api_key},
    })
}

/// Every run of every tenant, by tenant.
async fn all_runs(store: &dyn Store, tenants: &[TenantId]) -> BTreeMap<TenantId, Vec<SyncRun>> {
    let mut runs = BTreeMap::new();
    for tenant in tenants {
        runs.insert(
            tenant.clone(),
            store.runs(tenant, None, 1_000).await.unwrap(),
        );
    }
    runs
}

fn interval(flow: Flow) -> Duration {
    if flow == Flow::ItGlue {
        ITGLUE_INTERVAL
    } else {
        GRAVITYZONE_INTERVAL
    }
}

fn is_interrupted(run: &SyncRun) -> bool {
    matches!(&run.status, RunStatus::Failed { reason } if reason.starts_with("interrupted"))
}

/// The slots of a tenant's finished runs of `flow` (interrupted ones left out), sorted.
fn ok_slots(config: &SchedulerConfig, tenant: &TenantId, flow: Flow, runs: &[SyncRun]) -> Vec<u64> {
    let schedule = config.schedule(tenant, flow, interval(flow));
    let mut slots: Vec<u64> = runs
        .iter()
        .filter(|r| r.flow == flow && r.finished_at.is_some() && !is_interrupted(r))
        .map(|r| {
            let at = (r.started_at - chrono::DateTime::UNIX_EPOCH)
                .to_std()
                .unwrap();
            schedule.slot_at(at).unwrap().index
        })
        .collect();
    slots.sort_unstable();
    slots
}

fn no_duplicates(
    what: &str,
    before: &BTreeMap<String, usize>,
    after: impl Iterator<Item = String>,
) {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for key in after {
        *counts.entry(key).or_default() += 1;
    }
    for (key, count) in counts {
        let allowed = before.get(&key).copied().unwrap_or(0).max(1);
        assert!(
            count <= allowed,
            "{what} {key:?} exists {count} times (before: {allowed})"
        );
    }
}

fn counted(keys: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// What the fakes hold, by kind, as countable keys.
fn inventory(fakes: &[MspFakes]) -> BTreeMap<&'static str, Vec<String>> {
    let mut kinds: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for (i, f) in fakes.iter().enumerate() {
        for c in f.gravityzone.companies() {
            kinds.entry("company").or_default().push(format!(
                "{i}/{:?}/{}",
                c.parent_id,
                c.name.to_lowercase()
            ));
        }
        for p in f.gravityzone.packages() {
            kinds
                .entry("package")
                .or_default()
                .push(format!("{i}/{}/{}", p.company_id, p.name));
        }
        for site in &f.msp.sites {
            for v in f.datto.site_variables(&site.uid) {
                kinds
                    .entry("variable")
                    .or_default()
                    .push(format!("{i}/{}/{}", site.uid, v.name));
            }
        }
        for o in f.itglue.organizations() {
            kinds
                .entry("organization")
                .or_default()
                .push(format!("{i}/{}", o.name.to_lowercase()));
        }
        for c in f.itglue.configurations() {
            kinds.entry("configuration").or_default().push(format!(
                "{i}/{}/{}",
                c.organization_id,
                c.name.to_lowercase()
            ));
        }
    }
    kinds
}

/// Fails at once, with its log, when a worker (still meant to run) has exited.
fn check_running(workers: &mut [(String, KillOnDrop)], dir: &std::path::Path, from: usize) {
    for (name, worker) in workers.iter_mut().skip(from) {
        if let Some(status) = worker.0.try_wait().unwrap() {
            let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
            panic!("worker {name} exited ({status}):\n{log}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_share_twenty_tenants_and_take_up_a_killed_ones() {
    let Some(url) = postgres_url() else {
        return;
    };
    let schema = format!("worker_test_{}", std::process::id());
    let store: Arc<dyn Store> = Arc::new(
        PostgresStore::connect_with(&url, PostgresOptions::default().with_schema(schema.clone()))
            .await
            .unwrap(),
    );
    let mut fakes = Vec::new();
    let mut tenants = Vec::new();
    let mut entries = Vec::new();
    for i in 0..TENANTS {
        let msp = GeneratedMsp::generate(
            900 + i,
            MspSize::Custom {
                sites: 6,
                devices: 10,
            },
        );
        let f = MspFakes::start(msp, false).await;
        let e = f.endpoints();
        let tenant = connect(&store, &e).await;
        if i == 0 {
            let slow = FaultPlan::new(0, 1.0, vec![FaultKind::Slow(SLOW_ANSWER)]);
            for faults in [f.datto.faults(), f.gravityzone.faults(), f.itglue.faults()] {
                faults.set(slow.clone());
            }
        }
        entries.push(credentials_entry(&tenant, &e));
        tenants.push(tenant);
        fakes.push(f);
    }
    let before: BTreeMap<&str, BTreeMap<String, usize>> = inventory(&fakes)
        .into_iter()
        .map(|(kind, keys)| (kind, counted(keys.into_iter())))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let credentials = dir.path().join("tenants.json");
    std::fs::write(&credentials, json!({"tenants": entries}).to_string()).unwrap();

    let start = |name: &str| {
        let log = File::create(dir.path().join(format!("{name}.log"))).unwrap();
        let out = File::create(dir.path().join(format!("{name}.out"))).unwrap();
        KillOnDrop(
            Command::new(example("worker"))
                .args(["--store", &url, "--store-schema", &schema, "--name", name])
                .arg("--credentials")
                .arg(&credentials)
                .args([
                    "--gravityzone-interval",
                    &duration_arg(GRAVITYZONE_INTERVAL),
                ])
                .args(["--itglue-interval", &duration_arg(ITGLUE_INTERVAL)])
                .args(["--lease-ttl", &duration_arg(LEASE_TTL), "--refresh", "1s"])
                .env("RUST_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(out)
                .stderr(log)
                .spawn()
                .unwrap(),
        )
    };
    let config = SchedulerConfig::default();
    let flows = [Flow::GravityZone, Flow::ItGlue];
    let mut workers: Vec<(String, KillOnDrop)> = ["w1", "w2", "w3"]
        .into_iter()
        .map(|name| (name.to_owned(), start(name)))
        .collect();

    // Once every tenant's flows ran once (the first round, when every worker has a queue), wait
    // until w1 holds a tenant with a run going on, then SIGKILL it. Meanwhile, the slow
    // tenant's two flows are leased to two workers at once.
    let mut slow = true;
    let mut met_on = None;
    for round in 0.. {
        if slow {
            let lease = |flow| store.lease(&tenants[0], flow);
            let (gz, itglue) = (lease(Flow::GravityZone).await, lease(Flow::ItGlue).await);
            if let (Some(gz), Some(itglue)) = (gz.unwrap(), itglue.unwrap())
                && gz.holder != itglue.holder
            {
                met_on = Some((gz.holder, itglue.holder));
                slow = false;
            }
        }
        let runs = all_runs(store.as_ref(), &tenants).await;
        let first_round_done = tenants.iter().all(|t| {
            flows
                .iter()
                .all(|flow| !ok_slots(&config, t, *flow, &runs[t]).is_empty())
        });
        if !slow || first_round_done {
            let f = &fakes[0];
            for faults in [f.datto.faults(), f.gravityzone.faults(), f.itglue.faults()] {
                faults.clear();
            }
            slow = false;
        }
        if first_round_done {
            break;
        }
        assert!(round < 3_000, "the workers stopped running flows");
        check_running(&mut workers, dir.path(), 0);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut killed: Option<(TenantId, Flow, chrono::DateTime<chrono::Utc>)> = None;
    for _round in 0..20_000 {
        for (tenant, flow) in tenants.iter().flat_map(|t| flows.map(|f| (t, f))) {
            let Some(lease) = store.lease(tenant, flow).await.unwrap() else {
                continue;
            };
            if lease.holder != "w1" {
                continue;
            }
            let runs = store.runs(tenant, Some(flow), 10).await.unwrap();
            // Mid-run, early enough in the run's slot that the others take it up in this slot
            // (they retry within a sixth of the lease's time-to-live).
            let now = chrono::Utc::now();
            let mid_run = runs.iter().find(|r| {
                let schedule = config.schedule(tenant, r.flow, interval(r.flow));
                let since = |t: chrono::DateTime<chrono::Utc>| {
                    (t - chrono::DateTime::UNIX_EPOCH).to_std().unwrap()
                };
                let slot = schedule.slot_at(since(r.started_at)).unwrap();
                r.status == RunStatus::Syncing
                    && slot.end.saturating_sub(since(now)) >= interval(r.flow) / 2
            });
            if let Some(run) = mid_run {
                workers[0].1.0.kill().unwrap();
                workers[0].1.0.wait().unwrap();
                killed = Some((tenant.clone(), run.flow, chrono::Utc::now()));
                break;
            }
        }
        if killed.is_some() {
            break;
        }
        check_running(&mut workers, dir.path(), 0);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (killed_tenant, killed_flow, killed_at) = killed.expect("w1 never held a tenant mid-run");
    eprintln!("killed w1 during {killed_flow} of {killed_tenant}");

    // Wait until every tenant's flows ran in SLOTS slots (the loop only waits; nothing is timed).
    let mut rounds = 0;
    loop {
        let runs = all_runs(store.as_ref(), &tenants).await;
        let done = tenants.iter().all(|t| {
            flows.iter().all(|flow| {
                let slots: BTreeSet<u64> =
                    ok_slots(&config, t, *flow, &runs[t]).into_iter().collect();
                slots.len() >= SLOTS
            })
        });
        let closed = runs[&killed_tenant]
            .iter()
            .all(|r| r.status != RunStatus::Syncing);
        if done && closed {
            break;
        }
        rounds += 1;
        assert!(rounds < 3_000, "the workers stopped running flows");
        check_running(&mut workers, dir.path(), 1);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for (name, worker) in workers.iter_mut().skip(1) {
        let terminated = Command::new("kill")
            .args(["-TERM", &worker.0.id().to_string()])
            .status()
            .unwrap();
        assert!(terminated.success());
        let status = worker.0.wait().unwrap();
        let log = std::fs::read_to_string(dir.path().join(format!("{name}.log"))).unwrap();
        assert!(
            status.success(),
            "{name} did not stop cleanly: {status:?}\n{log}"
        );
        let summary: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join(format!("{name}.out"))).unwrap(),
        )
        .unwrap();
        assert!(
            summary["runs_ok"].as_u64().unwrap() > 0,
            "{name}: {summary}"
        );
        assert_eq!(summary["runs_failed"], 0, "{name}: {summary}\n{log}");
    }

    let runs = all_runs(store.as_ref(), &tenants).await;
    let first_round = runs.values().flatten().map(|r| r.started_at).min().unwrap();
    let firsts_done = tenants
        .iter()
        .flat_map(|t| flows.map(|f| (t, f)))
        .filter_map(|(t, f)| {
            runs[t]
                .iter()
                .filter(|r| r.flow == f && r.status == RunStatus::Ok)
                .filter_map(|r| r.finished_at)
                .min()
        })
        .max()
        .unwrap();
    eprintln!(
        "every tenant's flows had run once {} ms after the first run started",
        (firsts_done - first_round).num_milliseconds()
    );
    let mut interrupted = Vec::new();
    let mut flows_met = Vec::new();
    for tenant in &tenants {
        let tenant_runs = &runs[tenant];
        // Exactly once per interval: one finished run per slot, no slot skipped.
        for flow in flows {
            let slots = ok_slots(&config, tenant, flow, tenant_runs);
            let first = slots[0];
            let expected: Vec<u64> = (first..).take(slots.len()).collect();
            assert_eq!(
                slots, expected,
                "{tenant} {flow}: one run per slot, none skipped"
            );
        }
        // No flow twice at once: a tenant's runs of one flow one after the other.
        let span = |r: &SyncRun| (r.started_at, r.finished_at.expect("every run finished"));
        let spans_of = |flow: Flow| -> Vec<_> {
            let mut spans: Vec<_> = tenant_runs
                .iter()
                .filter(|r| r.flow == flow && !is_interrupted(r))
                .map(span)
                .collect();
            spans.sort();
            spans
        };
        for flow in flows {
            for pair in spans_of(flow).windows(2) {
                assert!(
                    pair[0].1 <= pair[1].0,
                    "{tenant} {flow}: runs overlap: {pair:?}"
                );
            }
        }
        // The two flows of a tenant may meet: runs of two workers at the same time.
        let itglue = spans_of(Flow::ItGlue);
        let met = spans_of(Flow::GravityZone)
            .iter()
            .filter(|gz| itglue.iter().any(|ig| gz.0 < ig.1 && ig.0 < gz.1))
            .count();
        if met > 0 {
            flows_met.push((tenant.clone(), met));
        }
        for run in tenant_runs {
            assert!(
                run.status == RunStatus::Ok || is_interrupted(run),
                "{tenant}: {run:?}"
            );
            if is_interrupted(run) {
                interrupted.push((tenant.clone(), run.clone()));
            }
        }
    }
    eprintln!("GravityZone passes that ran during an IT Glue sync of their tenant: {flows_met:?}");
    let firsts: Vec<_> = flows
        .map(|flow| {
            let first = runs[&tenants[0]].iter().filter(|r| r.flow == flow);
            first.min_by_key(|r| r.started_at).map(|r| {
                let ms = |t: chrono::DateTime<chrono::Utc>| (t - first_round).num_milliseconds();
                (flow, ms(r.started_at), r.finished_at.map(ms))
            })
        })
        .into_iter()
        .collect();
    eprintln!("the slow tenant's first runs (start, end in ms): {firsts:?}; leased to {met_on:?}");
    assert!(
        met_on.is_some(),
        "the slow tenant's flows were never leased to two workers at once"
    );
    assert!(
        flows_met.iter().any(|(tenant, _)| *tenant == tenants[0]),
        "the slow tenant's two flows never ran at the same time: {flows_met:?}"
    );
    // The killed worker's run was closed as interrupted and its slot run by another worker.
    assert_eq!(interrupted.len(), 1, "{interrupted:?}");
    let (tenant, dead) = &interrupted[0];
    assert_eq!((tenant, dead.flow), (&killed_tenant, killed_flow));
    let schedule = config.schedule(tenant, dead.flow, interval(dead.flow));
    let at = |r: &SyncRun| {
        (r.started_at - chrono::DateTime::UNIX_EPOCH)
            .to_std()
            .unwrap()
    };
    let dead_slot = schedule.slot_at(at(dead)).unwrap().index;
    let taken_up = runs[tenant]
        .iter()
        .filter(|r| {
            r.flow == dead.flow && r.status == RunStatus::Ok && r.started_at > dead.started_at
        })
        .min_by_key(|r| r.started_at)
        .expect("the killed run was taken up");
    assert_eq!(
        schedule.slot_at(at(taken_up)).unwrap().index,
        dead_slot,
        "in the same slot"
    );
    eprintln!(
        "the killed run was taken up {} ms after the kill (lease time-to-live {} ms)",
        (taken_up.started_at - killed_at).num_milliseconds(),
        LEASE_TTL.as_millis()
    );

    // No duplicate anywhere.
    for (kind, keys) in inventory(&fakes) {
        let empty = BTreeMap::new();
        no_duplicates(kind, before.get(kind).unwrap_or(&empty), keys.into_iter());
    }
    let after = inventory(&fakes);
    assert!(
        after["company"].len() > before["company"].values().sum::<usize>(),
        "the GravityZone passes created companies"
    );
    drop(store);
    PostgresStore::connect_with(&url, PostgresOptions::default().with_schema(schema))
        .await
        .unwrap()
        .drop_schema()
        .await
        .unwrap();
}

/// `worker` with `args`, on a throw-away store, stdin closed.
fn worker(args: &[&str]) -> support::Ran {
    let output = Command::new(example("worker"))
        .args(["--store", "memory"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    support::Ran::from(output)
}

#[test]
fn a_credentials_file_the_worker_cannot_use_is_a_usage_error() {
    worker(&["--credentials", "/nonexistent/tenants.json"])
        .code(2)
        .stderr_has("worker: cannot read the credentials file /nonexistent/tenants.json");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tenants.json");
    let twice = credentials_entry(
        &TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap(),
        &FakeEndpoints {
            datto_api_url: "https://merlot-api.centrastage.net".into(),
            datto_api_key: "DATTO-KEY-SHOWN-NOWHERE".into(),
            datto_api_secret: "s".into(),
            itglue_api_url: "https://api.itglue.com".into(),
            itglue_api_key: "k".into(),
            gravityzone_access_url: "https://cloudgz.gravityzone.bitdefender.com/api".into(),
            gravityzone_api_key: "g".into(),
        },
    );
    std::fs::write(&file, json!({"tenants": [twice, twice]}).to_string()).unwrap();
    worker(&["--credentials", &file.display().to_string()])
        .code(2)
        .stderr_has("lists acc-1@https://merlot-api.centrastage.net twice")
        .never_shows("DATTO-KEY-SHOWN-NOWHERE");
}

#[test]
fn a_zero_interval_is_a_usage_error() {
    worker(&[
        "--credentials",
        "/nonexistent/tenants.json",
        "--refresh",
        "0s",
    ])
    .code(2)
    .stderr_has("must be longer than 0s");
}
