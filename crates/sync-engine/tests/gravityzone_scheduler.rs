//! The GravityZone scheduler on tokio's paused clock, with in-memory vendor doubles and a
//! `MemoryStore`: hourly passes per tenant, jitter, one pass per tenant at a time across
//! workers, graceful shutdown.

mod gravityzone_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_trait::async_trait;
use gravityzone_support::{World, t0};
use sync_engine::gravityzone::{
    ConnectionSource, GravityZoneSync, Scheduler, SchedulerConfig, SchedulerSummary,
    TenantConnection, TokioClock,
};
use sync_store::{Flow, MemoryStore, RunStatus, Store, TenantId};
use tokio::sync::watch;

const HOUR: Duration = Duration::from_secs(3600);

/// The connections of the worlds' tenants.
struct Connections(BTreeMap<TenantId, TenantConnection>);

#[async_trait]
impl ConnectionSource for Connections {
    async fn connection(&self, tenant: &TenantId) -> Option<TenantConnection> {
        self.0.get(tenant).cloned()
    }
}

async fn worlds(store: &Arc<MemoryStore>, count: usize) -> Vec<World> {
    let mut worlds = Vec::new();
    for i in 0..count {
        worlds.push(World::connected_in(store.clone(), &format!("acc-{i}")).await);
    }
    worlds
}

fn connections(worlds: &[World]) -> Arc<Connections> {
    Arc::new(Connections(
        worlds
            .iter()
            .map(|w| (w.tenant.clone(), w.connection.clone()))
            .collect(),
    ))
}

fn worker(store: &Arc<MemoryStore>, name: &str) -> GravityZoneSync {
    GravityZoneSync::new(store.clone())
        .with_clock(Arc::new(TokioClock::starting_at(t0())))
        .with_worker(name)
}

/// Runs `schedulers` for `how_long` of tokio time, then shuts them down.
async fn run_for(schedulers: Vec<Scheduler>, how_long: Duration) -> Vec<SchedulerSummary> {
    let (trigger, shutdown) = watch::channel(false);
    let handles: Vec<_> = schedulers
        .into_iter()
        .map(|s| tokio::spawn(s.run(shutdown.clone())))
        .collect();
    tokio::time::sleep(how_long).await;
    trigger.send(true).unwrap();
    let mut summaries = Vec::new();
    for handle in handles {
        summaries.push(handle.await.unwrap());
    }
    summaries
}

/// Start times of a tenant's runs, oldest first, in milliseconds after `t0`.
async fn run_starts(store: &MemoryStore, tenant: &TenantId) -> Vec<i64> {
    let mut starts: Vec<i64> = store
        .runs(tenant, Some(Flow::GravityZone), 100)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.started_at - t0()).num_milliseconds())
        .collect();
    starts.sort();
    starts
}

#[tokio::test(start_paused = true)]
async fn every_tenant_is_synced_once_per_interval() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 2).await;
    let config = SchedulerConfig::every(HOUR)
        .with_jitter(Duration::from_secs(300))
        .with_seed(7);
    let scheduler = Scheduler::new(worker(&store, "w1"), connections(&worlds)).with_config(config);
    let summary = run_for(vec![scheduler], 3 * HOUR + Duration::from_secs(1)).await;
    for world in &worlds {
        let starts = run_starts(&store, &world.tenant).await;
        assert!(starts.len() >= 3, "{starts:?}");
        assert!(
            starts[0] < 300_000,
            "first pass within the jitter: {starts:?}"
        );
        for pair in starts.windows(2) {
            assert_eq!(pair[1] - pair[0], 3_600_000, "{starts:?}");
        }
    }
    assert_eq!(summary[0].passes_failed, 0);
}

#[tokio::test(start_paused = true)]
async fn first_passes_are_spread_over_the_jitter() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 4).await;
    let config = SchedulerConfig::every(HOUR)
        .with_jitter(Duration::from_secs(600))
        .with_seed(11);
    let scheduler = Scheduler::new(worker(&store, "w1"), connections(&worlds)).with_config(config);
    run_for(vec![scheduler], Duration::from_secs(601)).await;
    let mut firsts = Vec::new();
    for world in &worlds {
        let starts = run_starts(&store, &world.tenant).await;
        assert_eq!(starts.len(), 1, "{starts:?}");
        assert!(starts[0] < 600_000);
        firsts.push(starts[0]);
    }
    firsts.sort();
    firsts.dedup();
    assert_eq!(
        firsts.len(),
        4,
        "tenants start at different times: {firsts:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn two_workers_never_run_one_tenants_pass_at_the_same_time() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    *worlds[0].datto.sites_delay.lock().unwrap() = Duration::from_secs(30);
    let config = SchedulerConfig::every(Duration::from_secs(600))
        .with_jitter(Duration::ZERO)
        .with_refresh(Duration::from_secs(60));
    let schedulers = ["w1", "w2"]
        .into_iter()
        .map(|name| {
            Scheduler::new(worker(&store, name), connections(&worlds)).with_config(config.clone())
        })
        .collect();
    let summaries = run_for(schedulers, 2 * HOUR).await;
    assert_eq!(
        worlds[0].datto.most_sites_in_flight.load(Ordering::SeqCst),
        1
    );
    let ok: u64 = summaries.iter().map(|s| s.passes_ok).sum();
    let busy: u64 = summaries.iter().map(|s| s.passes_busy).sum();
    assert!(ok >= 12, "{summaries:?}");
    assert!(
        busy >= 1,
        "the second worker found the lease taken: {summaries:?}"
    );
    let runs = store.runs(&worlds[0].tenant, None, 100).await.unwrap();
    let mut spans: Vec<_> = runs
        .iter()
        .map(|r| (r.started_at, r.finished_at.unwrap()))
        .collect();
    spans.sort();
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "runs overlap: {pair:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn shutdown_lets_the_running_pass_finish() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    *worlds[0].datto.sites_delay.lock().unwrap() = Duration::from_secs(60);
    let config = SchedulerConfig::every(HOUR).with_jitter(Duration::ZERO);
    let scheduler = Scheduler::new(worker(&store, "w1"), connections(&worlds)).with_config(config);
    // Shut down while the first pass is listing sites.
    let summaries = run_for(vec![scheduler], Duration::from_secs(10)).await;
    assert_eq!(summaries[0].passes_ok, 1);
    let runs = store.runs(&worlds[0].tenant, None, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Ok);
    assert!(store.lease(&worlds[0].tenant).await.unwrap().is_none());
}

#[tokio::test(start_paused = true)]
async fn a_tenant_without_credentials_is_skipped() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    let config = SchedulerConfig::every(HOUR).with_jitter(Duration::ZERO);
    let scheduler = Scheduler::new(worker(&store, "w1"), Arc::new(Connections(BTreeMap::new())))
        .with_config(config);
    let summaries = run_for(vec![scheduler], Duration::from_secs(1)).await;
    assert_eq!(summaries[0].passes_unconnected, 1);
    assert!(
        store
            .runs(&worlds[0].tenant, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}
