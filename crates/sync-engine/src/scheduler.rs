//! The scheduler: for every tenant of a store, the GravityZone inventory pass hourly and the IT
//! Glue sync at the tenant's own interval (its setting, every four hours by default), with
//! jitter, never one tenant's flow twice at once, and a graceful shutdown.
//!
//! - **What is due** is `sync_core::schedule`'s pure decision: time is cut into slots of one
//!   interval, shifted per tenant and flow by a stable jitter offset; a flow is due when no
//!   finished run of it started in the current slot. The runs are read from the store, so every
//!   worker sharing the store agrees: each tenant's flow runs once per slot, whichever worker
//!   runs it, and a tenant connected meanwhile runs at once.
//! - **The lease.** Before a run the scheduler takes the lease of the tenant's flow (one per
//!   tenant and flow, the one the flow itself holds: a flow never runs twice at once, on this
//!   worker or any other, while a tenant's GravityZone pass and IT Glue sync may run at the same
//!   time on two workers), reads the runs again under it — another worker may just have
//!   finished this slot's run — and only then runs the flow. A flow another worker holds is
//!   retried soon
//!   (`sync_core::schedule::busy_retry`), so a worker that dies mid-run (its lease expires
//!   within the lease's time-to-live, or is taken over at once on the same host) leaves no slot
//!   skipped. A run left `Syncing…` by a dead worker is marked failed (`interrupted`) once the
//!   next run of it is done; the journal lets that run finish the dead one's vendor writes.
//! - **Shutdown.** When the shutdown signal turns `true`, a GravityZone pass stops after its
//!   current step; an IT Glue sync (which only reads the vendors and stores matches in one
//!   transaction) finishes; no new run starts; the lease is given up.
//!
//! - **Credentials.** The store holds no secret: a [`ConnectionSource`] supplies each tenant's
//!   vendor connections — [`CredentialsFile`] reads them from a JSON file, or implement the
//!   trait over a vault.
//!
//! ```no_run
//! use std::sync::Arc;
//! use sync_engine::scheduler::{CredentialsFile, Scheduler, SchedulerConfig};
//! use sync_store::SqliteStore;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = Arc::new(SqliteStore::open("msp-sync.sqlite").await?);
//! let credentials = CredentialsFile::read("tenants.json")?;
//! let scheduler = Scheduler::new(store, Arc::new(credentials))
//!     .with_worker("worker-1")
//!     .with_config(SchedulerConfig::default());
//! // For a working day (a daemon waits for SIGTERM); the running pass stops after its
//! // current step.
//! let day = tokio::time::sleep(std::time::Duration::from_secs(8 * 3600));
//! let summary = scheduler.run_until(day).await;
//! println!("{}", serde_json::to_string(&summary)?);
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sync_core::schedule::{Due, Schedule, busy_retry, jitter_offset};
use sync_store::{Flow, RunOutcome, RunStatus, Store, StoreError, TenantId, TenantState, Vendor};
use tokio::sync::watch;
use tracing::Instrument;

use crate::clock::{Clock, SystemClock};
use crate::lease::{self, Acquired, DEFAULT_LEASE_TTL};

mod credentials;

pub use credentials::{CredentialsFile, CredentialsFileError, TenantCredentials};

/// How the scheduler spaces runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SchedulerConfig {
    /// Time between two GravityZone passes of a tenant (default one hour).
    pub gravityzone_interval: Duration,
    /// Time between two IT Glue syncs of every tenant, overriding the tenants' own setting
    /// (`ItGlueSettings::sync_interval_minutes`); `None` (the default) uses the setting. Meant
    /// for tests and trials with a shortened schedule.
    pub itglue_interval: Option<Duration>,
    /// A tenant's runs start at a stable offset below this within each interval, so tenants
    /// spread instead of all starting at once; `None` (the default) spreads them over the whole
    /// interval.
    pub jitter: Option<Duration>,
    /// How often the store is asked for new tenants, removed ones and changed settings.
    pub refresh: Duration,
    /// The lease's time-to-live (renewed by the heartbeat every third of it): how soon the
    /// tenants of a worker that died are free for the others.
    pub lease_ttl: Duration,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            gravityzone_interval: Duration::from_secs(60 * 60),
            itglue_interval: None,
            jitter: None,
            refresh: Duration::from_secs(60),
            lease_ttl: DEFAULT_LEASE_TTL,
        }
    }
}

impl SchedulerConfig {
    /// GravityZone passes every `interval`.
    pub fn with_gravityzone_interval(mut self, interval: Duration) -> Self {
        self.gravityzone_interval = interval;
        self
    }

    /// IT Glue syncs of every tenant every `interval`, whatever the tenants' settings say.
    pub fn with_itglue_interval(mut self, interval: Duration) -> Self {
        self.itglue_interval = Some(interval);
        self
    }

    /// Runs spread over `jitter` within each interval.
    pub fn with_jitter(mut self, jitter: Duration) -> Self {
        self.jitter = Some(jitter);
        self
    }

    /// Tenants looked for every `refresh`.
    pub fn with_refresh(mut self, refresh: Duration) -> Self {
        self.refresh = refresh;
        self
    }

    /// Leases of `ttl`.
    pub fn with_lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl;
        self
    }

    /// The schedule of `tenant`'s `flow` at `interval` with this configuration's jitter.
    ///
    /// ```
    /// use std::time::Duration;
    /// use sync_engine::scheduler::SchedulerConfig;
    /// use sync_store::{Flow, TenantId};
    ///
    /// let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
    /// let config = SchedulerConfig::default().with_jitter(Duration::from_secs(300));
    /// let schedule = config.schedule(&tenant, Flow::GravityZone, Duration::from_secs(3600));
    /// assert!(schedule.offset() < Duration::from_secs(300));
    /// ```
    pub fn schedule(&self, tenant: &TenantId, flow: Flow, interval: Duration) -> Schedule {
        let interval = interval.max(Duration::from_millis(1));
        let jitter = self.jitter.unwrap_or(interval).min(interval);
        let key = format!("{} {} {flow}", tenant.api_url(), tenant.account_uid());
        Schedule::new(interval, jitter_offset(&key, jitter))
            .unwrap_or_else(|_| unreachable!("the interval is at least a millisecond"))
    }
}

/// What a scheduler did until it was shut down.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct SchedulerSummary {
    /// Runs that finished without error.
    pub runs_ok: u64,
    /// Runs that failed (including runs refused because the credentials are invalid).
    pub runs_failed: u64,
    /// Attempts put off because another worker held the lease of the tenant's flow.
    pub runs_busy: u64,
    /// Due runs found already done by another worker once the lease was held.
    pub runs_done_elsewhere: u64,
    /// Due runs skipped because no credentials were available for the tenant.
    pub runs_unconnected: u64,
}

#[cfg(feature = "itglue")]
/// The ports an IT Glue sync of one tenant calls.
#[derive(Clone)]
pub struct ItGlueConnection {
    /// Datto RMM.
    pub rmm: Arc<dyn crate::datto::DattoRmmPort>,
    /// IT Glue.
    pub docs: Arc<dyn crate::itglue::ItGluePort>,
}

#[cfg(feature = "itglue")]
impl std::fmt::Debug for ItGlueConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueConnection").finish_non_exhaustive()
    }
}

/// Where the scheduler gets each tenant's vendor connections: the secrets live outside the store
/// (a vault, the environment, a configuration file), so the application supplies them. A flow
/// whose connection is `None` (the default) is skipped for that tenant.
#[async_trait]
pub trait ConnectionSource: Send + Sync {
    /// `tenant`'s Datto RMM and GravityZone connection.
    #[cfg(feature = "gravityzone")]
    async fn gravityzone(&self, tenant: &TenantId) -> Option<crate::gravityzone::TenantConnection> {
        let _ = tenant;
        None
    }

    /// `tenant`'s Datto RMM and IT Glue ports.
    #[cfg(feature = "itglue")]
    async fn itglue(&self, tenant: &TenantId) -> Option<ItGlueConnection> {
        let _ = tenant;
        None
    }
}

/// Why a run did not happen or how it ended, as the scheduler counts it.
#[cfg_attr(
    not(any(feature = "gravityzone", feature = "itglue")),
    allow(dead_code)
)]
enum Attempt {
    Ran(bool),
    Busy,
    DoneElsewhere,
    Unconnected,
}

/// One tenant's flow as the scheduler tracks it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    schedule: Schedule,
    /// When to look at it next (since the Unix epoch).
    next: Duration,
}

/// Runs both flows of every tenant of a store on their schedules.
pub struct Scheduler {
    store: Arc<dyn Store>,
    #[cfg_attr(
        not(any(feature = "gravityzone", feature = "itglue")),
        allow(dead_code)
    )]
    connections: Arc<dyn ConnectionSource>,
    clock: Arc<dyn Clock>,
    worker: String,
    config: SchedulerConfig,
}

impl Scheduler {
    /// A scheduler over `store`, with the connections `connections` supplies, the system clock,
    /// the default configuration and the worker name `worker-<host>-<process id>`.
    pub fn new(store: Arc<dyn Store>, connections: Arc<dyn ConnectionSource>) -> Self {
        let me = lease::this_process();
        Self {
            store,
            connections,
            clock: Arc::new(SystemClock),
            worker: format!("worker-{}-{}", me.host, me.pid),
            config: SchedulerConfig::default(),
        }
    }

    /// Uses `config`.
    pub fn with_config(mut self, config: SchedulerConfig) -> Self {
        self.config = config;
        self
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Holds leases under `worker` (unique among the workers sharing the store).
    pub fn with_worker(mut self, worker: impl Into<String>) -> Self {
        self.worker = worker.into();
        self
    }

    /// The name this worker holds leases under.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// Runs until `shutdown` turns `true` (or its sender is dropped). A run going on then
    /// finishes its current step; the scheduler returns once it has.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) -> SchedulerSummary {
        let span = tracing::info_span!("scheduler", worker = %self.worker);
        async move {
            let mut summary = SchedulerSummary::default();
            let mut entries: BTreeMap<(TenantId, Flow), Entry> = BTreeMap::new();
            let mut next_refresh = Duration::ZERO;
            loop {
                if *shutdown.borrow() {
                    break;
                }
                if self.now() >= next_refresh {
                    self.refresh(&mut entries).await;
                    next_refresh = self.now() + self.config.refresh;
                }
                while let Some(key) = self.first_due(&entries) {
                    if *shutdown.borrow() {
                        break;
                    }
                    let entry = entries[&key];
                    let next = self.attempt(&key, entry, &shutdown, &mut summary).await;
                    if let Some(e) = entries.get_mut(&key) {
                        e.next = next;
                    }
                }
                let wake = entries
                    .values()
                    .map(|e| e.next)
                    .min()
                    .map_or(next_refresh, |at| at.min(next_refresh));
                let wait = wake.saturating_sub(self.now());
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
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

    /// Runs until `stop` completes (a signal, a deadline), then shuts down as [`Scheduler::run`]
    /// does when told to: the running pass stops after its current step, no new run starts.
    /// Returns at once, without waiting for `stop`, when the scheduler ends by itself.
    pub async fn run_until(self, stop: impl Future<Output = ()>) -> SchedulerSummary {
        let (trigger, shutdown) = watch::channel(false);
        let running = self.run(shutdown);
        tokio::pin!(running);
        tokio::select! {
            summary = &mut running => return summary,
            () = stop => {}
        }
        let _ = trigger.send(true);
        running.await
    }

    fn now(&self) -> Duration {
        since_epoch(self.clock.now())
    }

    /// The entry to look at first among those whose time has come: the earliest, ties broken
    /// by a hash of this worker's name, so workers sharing a store start on different tenants.
    fn first_due(&self, entries: &BTreeMap<(TenantId, Flow), Entry>) -> Option<(TenantId, Flow)> {
        let now = self.now();
        entries
            .iter()
            .filter(|(_, e)| e.next <= now)
            .min_by_key(|((tenant, flow), e)| {
                let key = format!("{} {tenant} {flow}", self.worker);
                (e.next, jitter_offset(&key, Duration::from_secs(3600)))
            })
            .map(|(key, _)| key.clone())
    }

    /// Adds the flows of tenants connected since the last look, drops those that are gone and
    /// takes up changed intervals.
    async fn refresh(&self, entries: &mut BTreeMap<(TenantId, Flow), Entry>) {
        let flows = match self.tenant_flows().await {
            Ok(flows) => flows,
            Err(e) => {
                tracing::warn!(error = %e, "could not list the tenants; keeping the known ones");
                return;
            }
        };
        entries.retain(|key, _| flows.contains_key(key));
        let now = self.now();
        for (key, interval) in flows {
            let schedule = self.config.schedule(&key.0, key.1, interval);
            let entry = entries.entry(key).or_insert(Entry {
                schedule,
                next: now,
            });
            if entry.schedule != schedule {
                *entry = Entry {
                    schedule,
                    next: now,
                };
            }
        }
    }

    /// Every tenant's flows that are connected (and built into this engine), with their
    /// intervals.
    async fn tenant_flows(&self) -> Result<BTreeMap<(TenantId, Flow), Duration>, StoreError> {
        let mut flows = BTreeMap::new();
        for tenant in self.store.tenants().await? {
            let state = self.store.state(&tenant).await?;
            for flow in self.flows_of(&state) {
                let interval = self.interval(flow, &state);
                flows.insert((tenant.clone(), flow), interval);
            }
        }
        Ok(flows)
    }

    fn flows_of(&self, state: &TenantState) -> Vec<Flow> {
        let has = |vendor| state.integrations.contains_key(&vendor);
        let mut flows = Vec::new();
        if !has(Vendor::DattoRmm) {
            return flows;
        }
        if cfg!(feature = "gravityzone") && has(Vendor::GravityZone) {
            flows.push(Flow::GravityZone);
        }
        if cfg!(feature = "itglue") && has(Vendor::ItGlue) {
            flows.push(Flow::ItGlue);
        }
        flows
    }

    fn interval(&self, flow: Flow, state: &TenantState) -> Duration {
        match flow {
            Flow::ItGlue => self.config.itglue_interval.unwrap_or_else(|| {
                let minutes = state
                    .itglue
                    .settings
                    .as_ref()
                    .map_or(
                        sync_store::ItGlueSettings::DEFAULT_SYNC_INTERVAL_MINUTES,
                        |s| s.sync_interval_minutes,
                    )
                    .max(1);
                Duration::from_secs(60 * u64::from(minutes))
            }),
            _ => self.config.gravityzone_interval,
        }
    }

    /// Looks at one due flow: runs it when no finished run of it started in this slot, and
    /// answers when to look at it next.
    async fn attempt(
        &self,
        (tenant, flow): &(TenantId, Flow),
        entry: Entry,
        shutdown: &watch::Receiver<bool>,
        summary: &mut SchedulerSummary,
    ) -> Duration {
        let now = self.now();
        let last = match self.last_finished_start(tenant, *flow).await {
            Ok(last) => last,
            Err(e) => {
                tracing::warn!(%tenant, %flow, error = %e, "could not read the runs; retrying");
                return now + busy_retry(self.config.lease_ttl, entry.schedule.interval());
            }
        };
        let slot = match entry.schedule.due(now, last) {
            Due::At(at) => return at,
            Due::Now(slot) => slot,
            _ => return now + entry.schedule.interval(),
        };
        match self.run_leased(tenant, *flow, slot.start, shutdown).await {
            Ok(Attempt::Ran(ok)) => {
                if ok {
                    summary.runs_ok += 1;
                } else {
                    summary.runs_failed += 1;
                }
                slot.end
            }
            Ok(Attempt::DoneElsewhere) => {
                summary.runs_done_elsewhere += 1;
                slot.end
            }
            Ok(Attempt::Unconnected) => {
                tracing::warn!(%tenant, %flow, "no credentials available; run skipped");
                summary.runs_unconnected += 1;
                slot.end
            }
            Ok(Attempt::Busy) => {
                tracing::debug!(%tenant, %flow, "another worker holds the flow; retrying soon");
                summary.runs_busy += 1;
                let left = slot.end.saturating_sub(self.now());
                self.now() + busy_retry(self.config.lease_ttl, left).max(Duration::from_millis(1))
            }
            Err(e) => {
                tracing::warn!(%tenant, %flow, error = %e, "could not take the lease; retrying");
                self.now() + busy_retry(self.config.lease_ttl, entry.schedule.interval())
            }
        }
    }

    /// The start of the flow's last finished run (a run still `Syncing…` is either running
    /// elsewhere — the lease tells — or was abandoned by a worker that died).
    async fn last_finished_start(
        &self,
        tenant: &TenantId,
        flow: Flow,
    ) -> Result<Option<Duration>, StoreError> {
        Ok(self
            .store
            .runs(tenant, Some(flow), 16)
            .await?
            .iter()
            .filter(|run| run.status != RunStatus::Syncing)
            .map(|run| since_epoch(run.started_at))
            .max())
    }

    /// Takes the lease of the tenant's flow, checks again under it that no finished run of the
    /// flow started in this slot, and runs the flow.
    async fn run_leased(
        &self,
        tenant: &TenantId,
        flow: Flow,
        slot_start: Duration,
        shutdown: &watch::Receiver<bool>,
    ) -> Result<Attempt, StoreError> {
        let holder = lease::holder(self.worker.clone());
        let held = match lease::acquire(
            &self.store,
            tenant,
            flow,
            &holder,
            self.config.lease_ttl,
            &self.clock,
        )
        .await?
        {
            Acquired::Held(held) => held,
            Acquired::Busy { .. } => return Ok(Attempt::Busy),
        };
        let attempt = self.check_and_run(tenant, flow, slot_start, shutdown).await;
        held.release().await;
        attempt
    }

    /// Under the lease: runs the flow unless a finished run of it started in this slot, then
    /// closes the runs a dead worker left `Syncing…`.
    async fn check_and_run(
        &self,
        tenant: &TenantId,
        flow: Flow,
        slot_start: Duration,
        shutdown: &watch::Receiver<bool>,
    ) -> Result<Attempt, StoreError> {
        if self
            .last_finished_start(tenant, flow)
            .await?
            .is_some_and(|last| last >= slot_start)
        {
            return Ok(Attempt::DoneElsewhere);
        }
        let abandoned: Vec<_> = self
            .store
            .runs(tenant, Some(flow), 16)
            .await?
            .into_iter()
            .filter(|run| run.status == RunStatus::Syncing)
            .map(|run| run.id)
            .collect();
        let attempt = self.run_flow(tenant, flow, shutdown).await;
        if matches!(attempt, Attempt::Ran(_)) {
            for run in abandoned {
                let reason = "interrupted: the worker running it stopped".to_owned();
                let outcome = RunOutcome::Failed { reason };
                let now = self.clock.now();
                if let Err(e) = self
                    .store
                    .finish_run(tenant, run, outcome, &Default::default(), now)
                    .await
                {
                    tracing::warn!(%tenant, %flow, error = %e, "could not close an abandoned run");
                }
            }
        }
        Ok(attempt)
    }

    async fn run_flow(
        &self,
        tenant: &TenantId,
        flow: Flow,
        shutdown: &watch::Receiver<bool>,
    ) -> Attempt {
        let span = tracing::info_span!("scheduled_run", %tenant, %flow);
        // Boxed as `Send` here, where the lifetimes are concrete: the compiler cannot prove the
        // flows' futures `Send` for every lifetime once nested in the scheduler's loop.
        let run: std::pin::Pin<Box<dyn std::future::Future<Output = Attempt> + Send + '_>> =
            match flow {
                #[cfg(feature = "gravityzone")]
                Flow::GravityZone => Box::pin(self.run_gravityzone(tenant, shutdown)),
                #[cfg(feature = "itglue")]
                Flow::ItGlue => Box::pin(self.run_itglue(tenant)),
                _ => {
                    let _ = shutdown;
                    Box::pin(std::future::ready(Attempt::Unconnected))
                }
            };
        run.instrument(span).await
    }

    #[cfg(feature = "gravityzone")]
    async fn run_gravityzone(
        &self,
        tenant: &TenantId,
        shutdown: &watch::Receiver<bool>,
    ) -> Attempt {
        use crate::gravityzone::{GravityZoneSync, GravityZoneSyncError, PassOptions};
        let Some(connection) = self.connections.gravityzone(tenant).await else {
            return Attempt::Unconnected;
        };
        let sync = GravityZoneSync::new(Arc::clone(&self.store))
            .with_clock(Arc::clone(&self.clock))
            .with_worker(self.worker.clone())
            .with_lease_ttl(self.config.lease_ttl);
        let options = PassOptions::apply().with_shutdown(shutdown.clone());
        match sync.run_pass(tenant, &connection, options).await {
            Ok(report) => {
                tracing::info!(interrupted = report.interrupted, "GravityZone pass done");
                Attempt::Ran(true)
            }
            Err(GravityZoneSyncError::Busy { .. } | GravityZoneSyncError::LeaseLost) => {
                Attempt::Busy
            }
            Err(e) => {
                tracing::warn!(error = %e, "GravityZone pass failed");
                Attempt::Ran(false)
            }
        }
    }

    #[cfg(feature = "itglue")]
    async fn run_itglue(&self, tenant: &TenantId) -> Attempt {
        use crate::itglue::{FlowOptions, ItGlueError, ItGlueFlow, NoProgress};
        let Some(ports) = self.connections.itglue(tenant).await else {
            return Attempt::Unconnected;
        };
        let options = FlowOptions {
            lease_ttl: self.config.lease_ttl,
            ..FlowOptions::default()
        };
        let flow = ItGlueFlow::new(
            Arc::clone(&self.store),
            tenant.clone(),
            ports.rmm,
            ports.docs,
        )
        .with_clock(Arc::clone(&self.clock))
        .with_worker(self.worker.clone())
        .with_options(options);
        match flow.run(&NoProgress).await {
            Ok(_) => {
                tracing::info!("IT Glue sync done");
                Attempt::Ran(true)
            }
            Err(ItGlueError::Busy { .. } | ItGlueError::LeaseLost) => Attempt::Busy,
            Err(e) => {
                tracing::warn!(error = %e, "IT Glue sync failed");
                Attempt::Ran(false)
            }
        }
    }
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scheduler")
            .field("worker", &self.worker)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// `at` as a duration since the Unix epoch (zero before it).
fn since_epoch(at: DateTime<Utc>) -> Duration {
    (at - DateTime::UNIX_EPOCH).to_std().unwrap_or_default()
}
