//! The scheduler: every connected tenant's inventory sync, every hour (configurable), with
//! jitter so tenants do not all start at once, never two passes of one tenant at once (the
//! store's lease, so this holds across workers and machines), and a graceful shutdown that
//! lets the running pass finish its current step.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sync_store::{TenantId, Vendor};
use tokio::sync::watch;
use tokio::time::Instant;
use tracing::Instrument;

use super::connection::ConnectionSource;
use super::error::GravityZoneSyncError;
use super::pass::PassOptions;
use super::sync::GravityZoneSync;

/// How the scheduler spaces passes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchedulerConfig {
    /// Time from the start of one pass of a tenant to the start of its next.
    pub interval: Duration,
    /// A tenant's first pass starts at a random time within this long after the scheduler
    /// first sees it, so tenants spread over the interval instead of starting together.
    pub jitter: Duration,
    /// How often the store is asked for newly connected (or reset) tenants.
    pub refresh: Duration,
    /// Seed of the jitter's random numbers (`None`: seeded from the operating system).
    pub seed: Option<u64>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(60 * 60),
            jitter: Duration::from_secs(5 * 60),
            refresh: Duration::from_secs(60),
            seed: None,
        }
    }
}

impl SchedulerConfig {
    /// Passes every `interval`.
    pub fn every(interval: Duration) -> Self {
        Self {
            interval,
            ..Self::default()
        }
    }

    /// First passes spread over `jitter`.
    pub fn with_jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// New tenants looked for every `refresh`.
    pub fn with_refresh(mut self, refresh: Duration) -> Self {
        self.refresh = refresh;
        self
    }

    /// Jitter drawn from a generator seeded with `seed`.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }
}

/// What a scheduler did until it was shut down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchedulerSummary {
    /// Passes that finished.
    pub passes_ok: u64,
    /// Passes that failed (including passes refused because the credentials are invalid).
    pub passes_failed: u64,
    /// Passes skipped because another worker was running the tenant.
    pub passes_busy: u64,
    /// Passes skipped because no connection was available for the tenant.
    pub passes_unconnected: u64,
}

/// Runs every connected tenant's pass on a schedule.
pub struct Scheduler {
    sync: GravityZoneSync,
    connections: Arc<dyn ConnectionSource>,
    config: SchedulerConfig,
}

impl Scheduler {
    /// A scheduler running `sync`'s passes with the connections `connections` supplies.
    pub fn new(sync: GravityZoneSync, connections: Arc<dyn ConnectionSource>) -> Self {
        Self {
            sync,
            connections,
            config: SchedulerConfig::default(),
        }
    }

    /// Uses `config`.
    pub fn with_config(mut self, config: SchedulerConfig) -> Self {
        self.config = config;
        self
    }

    /// Runs until `shutdown` turns `true` (or its sender is dropped). A pass running then
    /// finishes the step it is in and stops; the scheduler returns once it has.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> SchedulerSummary {
        let span = tracing::info_span!("gravityzone_scheduler", worker = self.sync.worker());
        async move {
            let mut rng = match self.config.seed {
                Some(seed) => StdRng::seed_from_u64(seed),
                None => StdRng::from_os_rng(),
            };
            let mut summary = SchedulerSummary::default();
            let mut due: BTreeMap<TenantId, Instant> = BTreeMap::new();
            let mut next_refresh = Instant::now();
            loop {
                if *shutdown.borrow() {
                    break;
                }
                if Instant::now() >= next_refresh {
                    self.refresh(&mut due, &mut rng).await;
                    next_refresh = Instant::now() + self.config.refresh;
                }
                while let Some(tenant) = earliest_due(&due) {
                    if *shutdown.borrow() {
                        break;
                    }
                    let started = Instant::now();
                    self.run_one(&tenant, &shutdown, &mut summary).await;
                    let previous = due.get(&tenant).copied().unwrap_or(started);
                    let next =
                        (previous + self.config.interval).max(started + self.config.interval / 2);
                    due.insert(tenant, next);
                }
                let wake = due
                    .values()
                    .copied()
                    .min()
                    .map_or(next_refresh, |at| at.min(next_refresh));
                tokio::select! {
                    () = tokio::time::sleep_until(wake) => {}
                    changed = shutdown.changed() => {
                        if changed.is_err() {
                            break;
                        }
                    }
                }
            }
            tracing::info!(?summary, "scheduler stopped");
            summary
        }
        .instrument(span)
        .await
    }

    /// Adds the tenants connected since the last look (first pass at a random time within the
    /// jitter) and drops those that are gone.
    async fn refresh(&self, due: &mut BTreeMap<TenantId, Instant>, rng: &mut StdRng) {
        let tenants = match self.connected_tenants().await {
            Ok(tenants) => tenants,
            Err(e) => {
                tracing::warn!(error = %e, "could not list the tenants; keeping the known ones");
                return;
            }
        };
        due.retain(|tenant, _| tenants.contains(tenant));
        let now = Instant::now();
        for tenant in tenants {
            due.entry(tenant)
                .or_insert_with(|| now + jitter(rng, self.config.jitter));
        }
    }

    async fn connected_tenants(&self) -> Result<Vec<TenantId>, GravityZoneSyncError> {
        let mut connected = Vec::new();
        for tenant in self.sync.store.tenants().await? {
            let view = self.sync.view(&tenant).await?;
            let has = |vendor| view.integrations.contains_key(&vendor);
            if has(Vendor::DattoRmm) && has(Vendor::GravityZone) {
                connected.push(tenant);
            }
        }
        Ok(connected)
    }

    async fn run_one(
        &self,
        tenant: &TenantId,
        shutdown: &watch::Receiver<bool>,
        summary: &mut SchedulerSummary,
    ) {
        let Some(connection) = self.connections.connection(tenant).await else {
            tracing::warn!(%tenant, "no credentials available; pass skipped");
            summary.passes_unconnected += 1;
            return;
        };
        let options = PassOptions::apply().with_shutdown(shutdown.clone());
        match self.sync.run_pass(tenant, &connection, options).await {
            Ok(_) => summary.passes_ok += 1,
            Err(GravityZoneSyncError::Busy { .. } | GravityZoneSyncError::LeaseLost) => {
                tracing::info!(%tenant, "another worker is syncing this tenant; pass skipped");
                summary.passes_busy += 1;
            }
            Err(e) => {
                tracing::warn!(%tenant, error = %e, "pass failed");
                summary.passes_failed += 1;
            }
        }
    }
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("sync", &self.sync)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// The tenant whose pass is due first, if one is due now.
fn earliest_due(due: &BTreeMap<TenantId, Instant>) -> Option<TenantId> {
    let now = Instant::now();
    due.iter()
        .filter(|(_, at)| **at <= now)
        .min_by_key(|(tenant, at)| (**at, (*tenant).clone()))
        .map(|(tenant, _)| tenant.clone())
}

fn jitter(rng: &mut StdRng, max: Duration) -> Duration {
    let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX);
    if max_ms == 0 {
        Duration::ZERO
    } else {
        Duration::from_millis(rng.random_range(0..max_ms))
    }
}
