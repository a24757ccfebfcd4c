//! Two scheduler workers sharing one SQLite store and one tenant (served by the msp-fakes
//! fakes): the store's lease lets only one run the tenant's pass at a time, which the fakes'
//! request logs show.

mod gravityzone_support;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use gravityzone_support::fakes::FakeMsp;
use sync_core::gravityzone::{EventHandling, SyncLevel};
use sync_engine::gravityzone::TenantConnection;
use sync_engine::scheduler::{ConnectionSource, Scheduler, SchedulerConfig};
use sync_store::{RunStatus, SqliteStore, Store, TenantId};
use tokio::sync::watch;

struct One(TenantId, TenantConnection);

#[async_trait]
impl ConnectionSource for One {
    async fn gravityzone(&self, tenant: &TenantId) -> Option<TenantConnection> {
        (tenant == &self.0).then(|| self.1.clone())
    }
}

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_sqlite_store_never_run_one_tenants_pass_at_the_same_time() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("sync.db")).await.unwrap());
    let fake = FakeMsp::start(store.clone(), "setup").await;
    fake.settings(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let source = Arc::new(One(fake.tenant.clone(), fake.connection.clone()));
    let config = SchedulerConfig::default()
        .with_gravityzone_interval(Duration::from_millis(150))
        .with_jitter(Duration::ZERO)
        .with_refresh(Duration::from_millis(20))
        .with_lease_ttl(Duration::from_secs(120));
    let started_ms = now_ms();
    let (trigger, shutdown) = watch::channel(false);
    let workers: Vec<_> = ["w1", "w2"]
        .into_iter()
        .map(|name| {
            let scheduler = Scheduler::new(store.clone(), source.clone())
                .with_worker(name)
                .with_config(config.clone());
            tokio::spawn(scheduler.run(shutdown.clone()))
        })
        .collect();

    // Let them run until six passes finished (the loop only waits; nothing is timed).
    let mut rounds = 0;
    loop {
        tokio::time::sleep(Duration::from_millis(25)).await;
        let runs = store.runs(&fake.tenant, None, 100).await.unwrap();
        let done = runs.iter().filter(|r| r.finished_at.is_some()).count();
        if done >= 6 {
            break;
        }
        rounds += 1;
        assert!(
            rounds < 4_000,
            "the workers stopped running passes: {runs:?}"
        );
    }
    trigger.send(true).unwrap();
    let mut summaries = Vec::new();
    for worker in workers {
        summaries.push(worker.await.unwrap());
    }

    let mut runs = store.runs(&fake.tenant, None, 100).await.unwrap();
    runs.sort_by_key(|r| r.started_at);
    assert!(runs.iter().all(|r| r.status == RunStatus::Ok), "{runs:?}");
    let spans: Vec<(u128, u128)> = runs
        .iter()
        .map(|r| {
            let start = u128::try_from(r.started_at.timestamp_millis()).unwrap();
            let end = u128::try_from(r.finished_at.unwrap().timestamp_millis()).unwrap();
            (start, end)
        })
        .collect();
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "two passes overlap: {pair:?}");
    }
    // Every request the workers sent falls inside one pass, and each pass checked the
    // Datto RMM account exactly once: no pass ran inside another.
    let inside = |at: u128| spans.iter().filter(|(s, e)| *s <= at && at <= *e).count();
    for request in fake
        .datto
        .log()
        .all()
        .iter()
        .filter(|r| r.at_ms >= started_ms)
    {
        assert_eq!(
            inside(request.at_ms),
            1,
            "{} {} outside one pass",
            request.method,
            request.path
        );
    }
    for request in fake.gz.log().all().iter().filter(|r| r.at_ms >= started_ms) {
        assert_eq!(
            inside(request.at_ms),
            1,
            "{} {} outside one pass",
            request.method,
            request.body
        );
    }
    for (start, end) in &spans {
        let checks = fake
            .datto
            .log()
            .all()
            .iter()
            .filter(|r| r.path == "/api/v2/account" && *start <= r.at_ms && r.at_ms <= *end)
            .count();
        assert_eq!(checks, 1, "pass {start}..{end}");
    }
    let ok: u64 = summaries.iter().map(|s| s.runs_ok).sum();
    assert_eq!(usize::try_from(ok).unwrap(), runs.len(), "{summaries:?}");
    assert!(
        summaries.iter().all(|s| s.runs_failed == 0),
        "{summaries:?}"
    );
}
