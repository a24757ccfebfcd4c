//! The scheduler of both flows on tokio's paused clock, with in-memory vendor doubles and a
//! `MemoryStore`: one run per tenant, flow and interval (the GravityZone pass hourly, the IT
//! Glue sync at the tenant's setting), jitter, one run of a tenant at a time across workers, a
//! dead worker's tenant taken up within the lease's time-to-live, graceful shutdown.

mod gravityzone_support;
mod itglue_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use async_trait::async_trait;
use gravityzone_support::{World, t0};
use sync_engine::gravityzone::{TenantConnection, TokioClock};
use sync_engine::scheduler::{
    ConnectionSource, ItGlueConnection, Scheduler, SchedulerConfig, SchedulerSummary,
};
use sync_store::{Flow, HolderProcess, LeaseHolder, MemoryStore, RunStatus, Store, TenantId};
use tokio::sync::watch;

const HOUR: Duration = Duration::from_secs(3600);

/// The connections of the tenants.
#[derive(Default)]
struct Connections {
    gravityzone: BTreeMap<TenantId, TenantConnection>,
    itglue: BTreeMap<TenantId, ItGlueConnection>,
}

#[async_trait]
impl ConnectionSource for Connections {
    async fn gravityzone(&self, tenant: &TenantId) -> Option<TenantConnection> {
        self.gravityzone.get(tenant).cloned()
    }

    async fn itglue(&self, tenant: &TenantId) -> Option<ItGlueConnection> {
        self.itglue.get(tenant).cloned()
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
    Arc::new(Connections {
        gravityzone: worlds
            .iter()
            .map(|w| (w.tenant.clone(), w.connection.clone()))
            .collect(),
        itglue: BTreeMap::new(),
    })
}

fn scheduler(
    store: Arc<dyn Store>,
    connections: Arc<Connections>,
    name: &str,
    config: SchedulerConfig,
) -> Scheduler {
    Scheduler::new(store, connections)
        .with_clock(Arc::new(TokioClock::starting_at(t0())))
        .with_worker(name)
        .with_config(config)
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

/// Start times of a tenant's runs of `flow`, oldest first, in milliseconds after `t0`.
async fn run_starts(store: &dyn Store, tenant: &TenantId, flow: Flow) -> Vec<i64> {
    let mut starts: Vec<i64> = store
        .runs(tenant, Some(flow), 100)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.started_at - t0()).num_milliseconds())
        .collect();
    starts.sort();
    starts
}

/// The slot of each run of `flow` of `tenant` under `config` at `interval`.
async fn run_slots(
    store: &dyn Store,
    tenant: &TenantId,
    flow: Flow,
    config: &SchedulerConfig,
    interval: Duration,
) -> Vec<u64> {
    let schedule = config.schedule(tenant, flow, interval);
    let mut slots: Vec<u64> = store
        .runs(tenant, Some(flow), 100)
        .await
        .unwrap()
        .iter()
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

#[tokio::test(start_paused = true)]
async fn every_tenant_is_synced_at_once_then_once_per_interval_at_its_offset() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 2).await;
    let config = SchedulerConfig::default().with_jitter(Duration::from_secs(300));
    let s = scheduler(store.clone(), connections(&worlds), "w1", config.clone());
    let summary = run_for(vec![s], 3 * HOUR + Duration::from_secs(1)).await;
    for world in &worlds {
        let starts = run_starts(store.as_ref(), &world.tenant, Flow::GravityZone).await;
        assert_eq!(starts[0], 0, "a new tenant runs at once: {starts:?}");
        let offset = config
            .schedule(&world.tenant, Flow::GravityZone, HOUR)
            .offset();
        assert!(offset < Duration::from_secs(300));
        // t0 is on the hour, so within the slot that began at the offset past the previous
        // hour: the later runs start at the tenant's offset past each hour.
        let expected: Vec<i64> = (0..=3)
            .map(|h| h * 3_600_000 + i64::try_from(offset.as_millis()).unwrap())
            .filter(|at| *at <= 3 * 3_600_000 + 1_000)
            .collect();
        assert_eq!(starts[1..], expected[..], "{starts:?}");
    }
    assert_eq!(summary[0].runs_failed, 0);
    assert_eq!(summary[0].runs_busy, 0);
}

#[tokio::test(start_paused = true)]
async fn tenants_are_spread_over_the_jitter() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 6).await;
    let config = SchedulerConfig::default();
    let mut offsets: Vec<Duration> = worlds
        .iter()
        .map(|w| config.schedule(&w.tenant, Flow::GravityZone, HOUR).offset())
        .collect();
    offsets.sort();
    offsets.dedup();
    assert_eq!(offsets.len(), 6, "{offsets:?}");
    let s = scheduler(store.clone(), connections(&worlds), "w1", config);
    run_for(vec![s], 2 * HOUR).await;
    for world in &worlds {
        let starts = run_starts(store.as_ref(), &world.tenant, Flow::GravityZone).await;
        let offset = config_offset(&world.tenant);
        assert_eq!(
            starts[1] % 3_600_000,
            i64::try_from(offset.as_millis()).unwrap(),
            "{starts:?}"
        );
    }
}

fn config_offset(tenant: &TenantId) -> Duration {
    SchedulerConfig::default()
        .schedule(tenant, Flow::GravityZone, HOUR)
        .offset()
}

#[tokio::test(start_paused = true)]
async fn two_workers_run_each_slot_once_and_never_one_tenant_at_the_same_time() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 3).await;
    for world in &worlds {
        *world.datto.sites_delay.lock().unwrap() = Duration::from_secs(30);
    }
    let interval = Duration::from_secs(600);
    let config = SchedulerConfig::default()
        .with_gravityzone_interval(interval)
        .with_refresh(Duration::from_secs(60));
    let schedulers = ["w1", "w2"]
        .into_iter()
        .map(|name| scheduler(store.clone(), connections(&worlds), name, config.clone()))
        .collect();
    let summaries = run_for(schedulers, 2 * HOUR).await;
    for world in &worlds {
        assert_eq!(world.datto.most_sites_in_flight.load(Ordering::SeqCst), 1);
        let slots = run_slots(
            store.as_ref(),
            &world.tenant,
            Flow::GravityZone,
            &config,
            interval,
        )
        .await;
        let first = slots[0];
        let expected: Vec<u64> = (first..first + u64::try_from(slots.len()).unwrap()).collect();
        assert_eq!(slots, expected, "one run per slot, none skipped");
        assert!(slots.len() >= 12, "{slots:?}");
        let runs = store.runs(&world.tenant, None, 100).await.unwrap();
        assert!(runs.iter().all(|r| r.status == RunStatus::Ok), "{runs:?}");
        let mut spans: Vec<_> = runs
            .iter()
            .map(|r| (r.started_at, r.finished_at.unwrap()))
            .collect();
        spans.sort();
        for pair in spans.windows(2) {
            assert!(pair[0].1 <= pair[1].0, "runs overlap: {pair:?}");
        }
    }
    let ok: u64 = summaries.iter().map(|s| s.runs_ok).sum();
    assert!(ok >= 36, "{summaries:?}");
    assert!(
        summaries.iter().all(|s| s.runs_ok > 0),
        "both workers took part: {summaries:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_dead_workers_tenant_is_taken_up_within_the_lease_ttl_in_the_same_slot() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    let tenant = worlds[0].tenant.clone();
    let ttl = Duration::from_secs(60);
    // A worker of another host started this slot's run and died: its run stays `Syncing…` and
    // its lease is renewed no more.
    let dead = LeaseHolder::new("dead").with_process(HolderProcess::new("another-host", 1, None));
    assert!(
        store
            .acquire_lease(&tenant, Flow::GravityZone, &dead, ttl, t0())
            .await
            .unwrap()
    );
    let abandoned = store
        .start_run(&tenant, Flow::GravityZone, t0())
        .await
        .unwrap();
    let config = SchedulerConfig::default().with_lease_ttl(ttl);
    let s = scheduler(store.clone(), connections(&worlds), "w1", config);
    let summaries = run_for(vec![s], 10 * 60 * 1000 * Duration::from_millis(1)).await;
    let mut runs = store
        .runs(&tenant, Some(Flow::GravityZone), 10)
        .await
        .unwrap();
    runs.sort_by_key(|r| r.started_at);
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0].id, abandoned.id);
    assert!(
        matches!(&runs[0].status, RunStatus::Failed { reason } if reason.starts_with("interrupted")),
        "{runs:?}"
    );
    assert_eq!(runs[1].status, RunStatus::Ok);
    let waited = (runs[1].started_at - t0()).to_std().unwrap();
    assert!(waited >= ttl && waited <= ttl + ttl / 6, "{waited:?}");
    assert!(summaries[0].runs_busy >= 1);
    assert_eq!(summaries[0].runs_ok, 1);
}

#[tokio::test(start_paused = true)]
async fn shutdown_lets_the_running_pass_finish() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    *worlds[0].datto.sites_delay.lock().unwrap() = Duration::from_secs(60);
    let s = scheduler(
        store.clone(),
        connections(&worlds),
        "w1",
        SchedulerConfig::default(),
    );
    // Shut down while the first pass is listing sites.
    let summaries = run_for(vec![s], Duration::from_secs(10)).await;
    assert_eq!(summaries[0].runs_ok, 1);
    let runs = store.runs(&worlds[0].tenant, None, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Ok);
    for flow in [Flow::GravityZone, Flow::ItGlue] {
        assert!(
            store
                .lease(&worlds[0].tenant, flow)
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_tenant_without_credentials_is_skipped_until_the_next_slot() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    let s = scheduler(
        store.clone(),
        Arc::new(Connections::default()),
        "w1",
        SchedulerConfig::default(),
    );
    let summaries = run_for(vec![s], Duration::from_secs(600)).await;
    assert_eq!(summaries[0].runs_unconnected, 1);
    assert!(
        store
            .runs(&worlds[0].tenant, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn the_itglue_sync_runs_at_the_tenants_interval() {
    let (rmm, docs) = itglue_support::standard();
    let world = itglue_support::World::connected(rmm, docs).await;
    let mut settings = world.flow.settings().await.unwrap();
    assert_eq!(
        settings.sync_interval_minutes, 240,
        "every four hours by default"
    );
    settings.sync_interval_minutes = 120;
    world
        .flow
        .update_settings(&itglue_support::admin(), settings)
        .await
        .unwrap();
    let tenant = itglue_support::tenant();
    let connections = Arc::new(Connections {
        gravityzone: BTreeMap::new(),
        itglue: BTreeMap::from([(
            tenant.clone(),
            ItGlueConnection {
                rmm: world.rmm.clone(),
                docs: world.docs.clone(),
            },
        )]),
    });
    let config = SchedulerConfig::default();
    let store: Arc<dyn Store> = world.store.clone();
    let s = scheduler(store.clone(), connections, "w1", config.clone());
    let summaries = run_for(vec![s], 9 * HOUR).await;
    let slots = run_slots(store.as_ref(), &tenant, Flow::ItGlue, &config, 2 * HOUR).await;
    let first = slots[0];
    assert_eq!(slots, (first..first + 5).collect::<Vec<_>>(), "{slots:?}");
    assert_eq!(summaries[0].runs_ok, 5);
    assert!(
        run_starts(store.as_ref(), &tenant, Flow::GravityZone)
            .await
            .is_empty(),
        "a tenant without GravityZone has no pass"
    );
}

#[tokio::test(start_paused = true)]
async fn run_until_shuts_down_when_the_stop_future_completes() {
    let store = Arc::new(MemoryStore::new());
    let worlds = worlds(&store, 1).await;
    *worlds[0].datto.sites_delay.lock().unwrap() = Duration::from_secs(60);
    let s = scheduler(
        store.clone(),
        connections(&worlds),
        "w1",
        SchedulerConfig::default(),
    );
    // The stop comes while the first pass is listing sites: that pass finishes, no other starts.
    let summary = s
        .run_until(tokio::time::sleep(Duration::from_secs(10)))
        .await;
    assert_eq!(summary.runs_ok, 1);
    let runs = store.runs(&worlds[0].tenant, None, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Ok);
    assert!(
        store
            .lease(&worlds[0].tenant, Flow::GravityZone)
            .await
            .unwrap()
            .is_none()
    );
}
