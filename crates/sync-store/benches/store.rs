//! Store operations at MSP scale, SQLite and PostgreSQL side by side: saving one IT Glue run's
//! matches for 5,000 devices (and 250 organizations) in one `apply`, loading a tenant's state
//! that holds them, and one lease cycle (acquire, renew, release) as the scheduler does per run.
//!
//! ```text
//! cargo xtask postgres                      # prints MSP_SYNC_POSTGRES_URL=…; export it
//! cargo bench -p sync-store --all-features --bench store
//! ```
//!
//! Without `MSP_SYNC_POSTGRES_URL` only SQLite is measured. Each figure is the median of a few
//! runs (the fastest and slowest are printed too); the PostgreSQL figures include the round trips
//! to the server on 127.0.0.1.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sync_core::itglue::{
    ConfigurationId, DeviceUid, GroupId, MatchOrigin, MatchReason, OrganizationId, SiteUid,
};
use sync_store::{
    Change, ChangedBy, DeviceMatchRecord, Flow, ItGlueChange, LeaseHolder, OrganizationMatchRecord,
    PostgresOptions, PostgresStore, SqliteStore, Store, TenantId, Version,
};

const DEVICES: u64 = 5_000;
const ORGANIZATIONS: u64 = 250;
const SAVES: usize = 5;
const LOADS: usize = 10;
const LEASE_CYCLES: usize = 50;

fn made_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

/// One run's matches: 250 organizations, 20 devices each.
fn matches() -> Vec<Change> {
    let origin = |reason| MatchOrigin::Automatic { reason };
    let mut changes: Vec<Change> = (0..ORGANIZATIONS)
        .map(|o| {
            ItGlueChange::MatchOrganization(OrganizationMatchRecord::new(
                GroupId::Site(SiteUid::new(format!("site-{o:04}"))),
                OrganizationId(10_000 + o),
                origin(MatchReason::Exact),
                ChangedBy::Sync,
                made_at(),
            ))
            .into()
        })
        .collect();
    changes.extend((0..DEVICES).map(|d| {
        ItGlueChange::MatchDevice(DeviceMatchRecord {
            device: DeviceUid::new(format!("device-{d:05}")),
            configuration: ConfigurationId(1_000_000 + d),
            origin: origin(MatchReason::MacAddress),
            made_by: ChangedBy::Sync,
            made_at: made_at(),
        })
        .into()
    }));
    changes
}

fn tenant(run: &str, n: usize) -> TenantId {
    TenantId::new(
        "https://merlot-api.centrastage.net",
        &format!("bench-{run}-{n}"),
    )
    .unwrap_or_else(|e| panic!("tenant id: {e}"))
}

struct Figures {
    save: Vec<Duration>,
    load: Vec<Duration>,
    lease: Vec<Duration>,
}

async fn measure(store: Arc<dyn Store>, run: &str) -> Figures {
    let changes = matches();
    let mut save = Vec::new();
    for n in 0..SAVES {
        let t = tenant(run, n);
        let start = Instant::now();
        store
            .apply(&t, Version::EMPTY, &changes)
            .await
            .unwrap_or_else(|e| panic!("save: {e}"));
        save.push(start.elapsed());
    }
    let mut load = Vec::new();
    for _ in 0..LOADS {
        let start = Instant::now();
        let state = store
            .state(&tenant(run, 0))
            .await
            .unwrap_or_else(|e| panic!("load: {e}"));
        load.push(start.elapsed());
        assert_eq!(state.itglue.device_matches.len() as u64, DEVICES);
    }
    let holder = LeaseHolder::new("bench-worker");
    let t = tenant(run, 0);
    let mut lease = Vec::new();
    for _ in 0..LEASE_CYCLES {
        let start = Instant::now();
        let ttl = Duration::from_secs(60);
        assert!(
            store
                .acquire_lease(&t, Flow::ItGlue, &holder, ttl, made_at())
                .await
                .unwrap_or(false)
        );
        assert!(
            store
                .renew_lease(&t, Flow::ItGlue, "bench-worker", ttl, made_at())
                .await
                .unwrap_or(false)
        );
        assert!(
            store
                .release_lease(&t, Flow::ItGlue, "bench-worker")
                .await
                .unwrap_or(false)
        );
        lease.push(start.elapsed());
    }
    for n in 0..SAVES {
        let _ = store.reset_tenant(&tenant(run, n)).await;
    }
    Figures { save, load, lease }
}

/// Median (min–max) in milliseconds.
fn summary(mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    let median = times[times.len() / 2];
    format!(
        "{:>9.2} ms ({:.2}–{:.2})",
        ms(median),
        ms(times[0]),
        ms(times[times.len() - 1])
    )
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    runtime.block_on(async {
        let run = format!("{}", std::process::id());
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let sqlite: Arc<dyn Store> = Arc::new(
            SqliteStore::open(dir.path().join("bench.sqlite"))
                .await
                .unwrap_or_else(|e| panic!("sqlite: {e}")),
        );
        let mut rows = vec![("SQLite (file, WAL)", measure(sqlite, &run).await)];
        match std::env::var("MSP_SYNC_POSTGRES_URL") {
            Ok(url) if !url.trim().is_empty() => {
                let schema = format!("bench_{run}");
                let options = PostgresOptions::default().with_schema(schema);
                let postgres: Arc<dyn Store> = Arc::new(
                    PostgresStore::connect_with(&url, options)
                        .await
                        .unwrap_or_else(|e| panic!("postgres: {e}")),
                );
                rows.push(("PostgreSQL 127.0.0.1", measure(postgres, &run).await));
                let options = PostgresOptions::default().with_schema(format!("bench_{run}"));
                if let Ok(store) = PostgresStore::connect_with(&url, options).await {
                    let _ = store.drop_schema().await;
                }
            }
            _ => eprintln!(
                "PostgreSQL skipped: MSP_SYNC_POSTGRES_URL is not set (run `cargo xtask postgres`)"
            ),
        }
        println!(
            "{:<22} {:<32} {:<32} {:<32}",
            "store",
            format!("save {DEVICES} device + {ORGANIZATIONS} org matches"),
            "load the tenant's state",
            "lease acquire+renew+release"
        );
        for (name, figures) in rows {
            println!(
                "{name:<22} {:<32} {:<32} {:<32}",
                summary(figures.save),
                summary(figures.load),
                summary(figures.lease)
            );
        }
    });
}
