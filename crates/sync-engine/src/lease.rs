//! The lease a flow holds on a tenant while it works — one per tenant and flow, so a tenant's
//! GravityZone pass and its IT Glue sync may run at once on two workers while neither runs twice
//! at once: taken with this process's identity, kept alive by a heartbeat, taken over at once
//! from a process of this host that no longer exists.
//!
//! - **Short time-to-live, renewed by a heartbeat.** A lease lasts [`DEFAULT_LEASE_TTL`] (60 s)
//!   unless renewed; while a worker holds it, a background task renews it every third of its
//!   time-to-live, so a long step never lets it lapse, and a worker that dies stops renewing it:
//!   its tenants are free within the time-to-live.
//! - **Holder identity.** The lease records the worker's name and its process (host, process id,
//!   start time: [`this_process`]).
//! - **Immediate take-over.** When the lease is held by a process of this host that no longer
//!   exists (killed, crashed), [`acquire`] takes it over at once instead of waiting for it to
//!   expire ([`Store::take_over_lease`]).
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use sync_engine::lease::{self, Acquired};
//! use sync_store::{Flow, MemoryStore, Store, TenantId};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
//! let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
//! let clock: Arc<dyn sync_engine::clock::Clock> = Arc::new(sync_engine::clock::SystemClock);
//! let ttl = lease::DEFAULT_LEASE_TTL;
//! let (gz, itglue) = (Flow::GravityZone, Flow::ItGlue);
//! let holder = lease::holder("worker-1");
//! let Acquired::Held(held) = lease::acquire(&store, &tenant, gz, &holder, ttl, &clock).await?
//! else {
//!     panic!("the lease is free");
//! };
//! // Another worker is refused the tenant's GravityZone pass while the lease is held …
//! let other = lease::holder("worker-2");
//! let busy = lease::acquire(&store, &tenant, gz, &other, ttl, &clock).await?;
//! assert!(matches!(busy, Acquired::Busy { holder } if holder == "worker-1"));
//! // … but may run the tenant's IT Glue sync meanwhile …
//! let Acquired::Held(sync) = lease::acquire(&store, &tenant, itglue, &other, ttl, &clock).await?
//! else {
//!     panic!("the other flow's lease is free");
//! };
//! sync.release().await;
//! // … and gets the GravityZone lease once it is released.
//! held.release().await;
//! assert!(matches!(
//!     lease::acquire(&store, &tenant, gz, &other, ttl, &clock).await?,
//!     Acquired::Held(_)
//! ));
//! # Ok::<(), sync_store::StoreError>(())
//! # }).unwrap();
//! ```

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sync_store::{Flow, HolderProcess, LeaseHolder, Store, StoreError, TenantId};
use tokio::task::JoinHandle;

use crate::clock::Clock;

/// How long a lease lasts unless renewed. The heartbeat renews it every third of this.
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(60);

/// The shortest time between two heartbeats, whatever the time-to-live.
const MIN_HEARTBEAT: Duration = Duration::from_millis(10);

/// The answer of [`acquire`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Acquired {
    /// The lease is held; the heartbeat keeps it until [`HeldLease::release`].
    Held(HeldLease),
    /// Another live worker holds it.
    Busy {
        /// The worker holding it.
        holder: String,
    },
}

/// This process as a lease holder: the host name, the process id and (on Linux) the process's
/// start time, read once.
///
/// ```
/// let me = sync_engine::lease::this_process();
/// assert_eq!(me.pid, std::process::id());
/// assert!(!sync_engine::lease::is_gone(&me));
/// ```
pub fn this_process() -> HolderProcess {
    static THIS: OnceLock<HolderProcess> = OnceLock::new();
    THIS.get_or_init(|| {
        let pid = std::process::id();
        let start = proc_stat(pid).ok().and_then(|stat| stat.start_time);
        HolderProcess::new(host_name(), pid, start)
    })
    .clone()
}

/// The holder `name` running as this process.
///
/// ```
/// let holder = sync_engine::lease::holder("worker-1");
/// assert_eq!(holder.name, "worker-1");
/// assert_eq!(holder.process.unwrap().pid, std::process::id());
/// ```
pub fn holder(name: impl Into<String>) -> LeaseHolder {
    LeaseHolder::new(name).with_process(this_process())
}

/// Whether `process` is known to be gone: it ran on this host and no process with its id (and
/// start time, when recorded) exists any more, or only its zombie does. A process of another
/// host, or any process where the system does not tell (no `/proc`), is never called gone: its
/// lease is left to expire.
///
/// ```
/// use sync_store::HolderProcess;
///
/// let me = sync_engine::lease::this_process();
/// let elsewhere = HolderProcess::new(format!("not-{}", me.host), u32::MAX, None);
/// assert!(!sync_engine::lease::is_gone(&elsewhere));
/// ```
pub fn is_gone(process: &HolderProcess) -> bool {
    let me = this_process();
    if process.host != me.host || me.start_time.is_none() {
        return false;
    }
    match proc_stat(process.pid) {
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        Ok(stat) => {
            stat.dead
                || matches!(
                    (process.start_time, stat.start_time),
                    (Some(recorded), Some(now)) if recorded != now
                )
        }
    }
}

/// Takes the lease of `tenant`'s `flow` for `holder` for `ttl`, taking it over at once from a
/// holder process of this host that no longer exists, and starts the heartbeat that renews it.
///
/// Must be called within a tokio runtime (the heartbeat is a task).
pub async fn acquire(
    store: &Arc<dyn Store>,
    tenant: &TenantId,
    flow: Flow,
    holder: &LeaseHolder,
    ttl: Duration,
    clock: &Arc<dyn Clock>,
) -> Result<Acquired, StoreError> {
    if !store
        .acquire_lease(tenant, flow, holder, ttl, clock.now())
        .await?
    {
        let Some(current) = store.lease(tenant, flow).await? else {
            // Released between the two reads: try once more.
            return Box::pin(acquire(store, tenant, flow, holder, ttl, clock)).await;
        };
        let gone = current.process.as_ref().is_some_and(is_gone);
        if !gone
            || !store
                .take_over_lease(tenant, flow, holder, &current.holder, ttl, clock.now())
                .await?
        {
            return Ok(Acquired::Busy {
                holder: current.holder,
            });
        }
        tracing::info!(
            %tenant,
            %flow,
            gone = %current.holder,
            process = ?current.process,
            "took over the lease of a worker process that no longer exists"
        );
    }
    Ok(Acquired::Held(HeldLease {
        store: Arc::clone(store),
        tenant: tenant.clone(),
        flow,
        holder: holder.name.clone(),
        heartbeat: Some(tokio::spawn(heartbeat(
            Arc::clone(store),
            tenant.clone(),
            flow,
            holder.name.clone(),
            ttl,
            Arc::clone(clock),
        ))),
    }))
}

/// A lease this worker holds; a heartbeat task renews it until it is released or dropped
/// (dropping stops the heartbeat and leaves the lease to expire).
pub struct HeldLease {
    store: Arc<dyn Store>,
    tenant: TenantId,
    flow: Flow,
    holder: String,
    heartbeat: Option<JoinHandle<()>>,
}

impl HeldLease {
    /// The tenant whose lease this is.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// The flow whose lease this is.
    pub fn flow(&self) -> Flow {
        self.flow
    }

    /// Stops the heartbeat and gives the lease up; a failure is only logged (the lease then
    /// expires on its own).
    pub async fn release(mut self) {
        self.stop_heartbeat();
        let released = self
            .store
            .release_lease(&self.tenant, self.flow, &self.holder)
            .await;
        if let Err(e) = released {
            tracing::warn!(tenant = %self.tenant, flow = %self.flow, error = %e, "could not release the lease; it will expire");
        }
    }

    fn stop_heartbeat(&mut self) {
        if let Some(task) = self.heartbeat.take() {
            task.abort();
        }
    }
}

impl Drop for HeldLease {
    fn drop(&mut self) {
        self.stop_heartbeat();
    }
}

impl std::fmt::Debug for HeldLease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldLease")
            .field("tenant", &self.tenant)
            .field("flow", &self.flow)
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

/// Renews the lease every third of its time-to-live until it is lost. A store error is logged
/// and retried at the next beat; the flows' own renewal between steps notices a lost lease.
async fn heartbeat(
    store: Arc<dyn Store>,
    tenant: TenantId,
    flow: Flow,
    holder: String,
    ttl: Duration,
    clock: Arc<dyn Clock>,
) {
    let period = (ttl / 3).max(MIN_HEARTBEAT);
    loop {
        tokio::time::sleep(period).await;
        match store
            .renew_lease(&tenant, flow, &holder, ttl, clock.now())
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(%tenant, %flow, %holder, "the lease was lost; the heartbeat stops");
                return;
            }
            Err(e) => {
                tracing::warn!(%tenant, %flow, error = %e, "could not renew the lease; retrying");
            }
        }
    }
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// What `/proc/<pid>/stat` says of a process.
struct ProcStat {
    /// Zombie or dead: it exits and holds nothing.
    dead: bool,
    /// Field 22, the start time in clock ticks after boot.
    start_time: Option<u64>,
}

fn proc_stat(pid: u32) -> std::io::Result<ProcStat> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name (field 2) is in parentheses and may hold spaces: fields are counted after
    // its closing parenthesis, starting with the state (field 3).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    Ok(ProcStat {
        dead: matches!(fields.first(), Some(&("Z" | "X" | "x"))),
        start_time: fields.get(19).and_then(|s| s.parse().ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GZ: Flow = Flow::GravityZone;

    #[test]
    fn a_process_that_exited_is_gone_and_one_that_runs_is_not() {
        let me = this_process();
        if me.start_time.is_none() {
            eprintln!("skipped: this system has no /proc to tell");
            return;
        }
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = proc_stat(pid).ok().and_then(|s| s.start_time);
        let process = HolderProcess::new(me.host.clone(), pid, start);
        child.wait().unwrap();
        assert!(is_gone(&process));
        assert!(!is_gone(&me));
        // Another start time under a live pid is another process: the recorded one is gone.
        let reused = HolderProcess::new(me.host.clone(), me.pid, me.start_time.map(|s| s + 1));
        assert!(is_gone(&reused));
        // A process of another host is never judged from here.
        let elsewhere = HolderProcess::new(format!("{}-elsewhere", me.host), pid, start);
        assert!(!is_gone(&elsewhere));
    }

    #[test]
    fn a_zombie_is_gone() {
        let me = this_process();
        if me.start_time.is_none() {
            return;
        }
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        // Not reaped yet: a zombie until `wait`.
        let process = HolderProcess::new(me.host.clone(), pid, None);
        let mut zombie = false;
        // Polls until the child has exited (bounded only so a broken system cannot hang the test).
        for _ in 0..30_000 {
            if proc_stat(pid).is_ok_and(|s| s.dead) {
                zombie = true;
                break;
            }
            std::thread::yield_now();
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(zombie, "the child did not exit");
        assert!(is_gone(&process));
        child.wait().unwrap();
    }

    fn start() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    /// A clock that follows tokio's (paused) clock from [`start`].
    fn tokio_now() -> Arc<dyn Clock> {
        let origin = tokio::time::Instant::now();
        Arc::new(move || start() + chrono::Duration::from_std(origin.elapsed()).unwrap())
    }

    fn tenant() -> TenantId {
        TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap()
    }

    fn exited_process() -> Option<HolderProcess> {
        let me = this_process();
        me.start_time?;
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = proc_stat(pid).ok().and_then(|s| s.start_time);
        child.wait().unwrap();
        Some(HolderProcess::new(me.host, pid, start))
    }

    #[tokio::test(start_paused = true)]
    async fn the_heartbeat_keeps_a_short_lease_for_as_long_as_the_work_takes() {
        let store: Arc<dyn Store> = Arc::new(sync_store::MemoryStore::new());
        let clock = tokio_now();
        let ttl = Duration::from_secs(60);
        let Acquired::Held(held) = acquire(&store, &tenant(), GZ, &holder("w-1"), ttl, &clock)
            .await
            .unwrap()
        else {
            panic!("free lease refused");
        };
        // Ten minutes of work: ten times the time-to-live.
        tokio::time::sleep(Duration::from_secs(600)).await;
        let lease = store.lease(&tenant(), GZ).await.unwrap().unwrap();
        assert_eq!(lease.holder, "w-1");
        assert_eq!(lease.process, Some(this_process()));
        assert!(
            !lease.is_expired(clock.now()),
            "{lease:?} at {}",
            clock.now()
        );
        let other = acquire(&store, &tenant(), GZ, &holder("w-2"), ttl, &clock)
            .await
            .unwrap();
        assert!(matches!(other, Acquired::Busy { holder } if holder == "w-1"));
        // The tenant's other flow is another lease: free meanwhile, and kept by its own beat.
        let Acquired::Held(itglue) =
            acquire(&store, &tenant(), Flow::ItGlue, &holder("w-2"), ttl, &clock)
                .await
                .unwrap()
        else {
            panic!("the IT Glue lease was refused while only the GravityZone one is held");
        };
        assert_eq!(itglue.flow(), Flow::ItGlue);
        tokio::time::sleep(Duration::from_secs(120)).await;
        for flow in [GZ, Flow::ItGlue] {
            let lease = store.lease(&tenant(), flow).await.unwrap().unwrap();
            assert!(!lease.is_expired(clock.now()), "{flow}: {lease:?}");
        }
        itglue.release().await;
        assert_eq!(store.lease(&tenant(), Flow::ItGlue).await.unwrap(), None);
        assert_eq!(
            store.lease(&tenant(), GZ).await.unwrap().unwrap().holder,
            "w-1"
        );
        held.release().await;
        assert_eq!(store.lease(&tenant(), GZ).await.unwrap(), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_holder_that_stops_beating_frees_the_tenant_within_the_ttl() {
        let store: Arc<dyn Store> = Arc::new(sync_store::MemoryStore::new());
        let clock = tokio_now();
        let ttl = Duration::from_secs(60);
        // Held under another host's name: never judged gone, so only expiry frees it.
        let elsewhere = LeaseHolder::new("w-1").with_process(HolderProcess::new(
            format!("{}-elsewhere", this_process().host),
            1,
            None,
        ));
        let held = acquire(&store, &tenant(), GZ, &elsewhere, ttl, &clock)
            .await
            .unwrap();
        drop(held); // the heartbeat stops, as when the process dies
        tokio::time::sleep(Duration::from_secs(59)).await;
        let busy = acquire(&store, &tenant(), GZ, &holder("w-2"), ttl, &clock)
            .await
            .unwrap();
        assert!(matches!(busy, Acquired::Busy { .. }));
        tokio::time::sleep(Duration::from_secs(1)).await;
        let taken = acquire(&store, &tenant(), GZ, &holder("w-2"), ttl, &clock)
            .await
            .unwrap();
        assert!(matches!(taken, Acquired::Held(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn the_lease_of_a_process_of_this_host_that_is_gone_is_taken_over_at_once() {
        let Some(gone) = exited_process() else {
            eprintln!("skipped: this system has no /proc to tell");
            return;
        };
        let store: Arc<dyn Store> = Arc::new(sync_store::MemoryStore::new());
        let clock = tokio_now();
        let ttl = Duration::from_secs(60);
        let dead = LeaseHolder::new("w-dead").with_process(gone);
        assert!(
            store
                .acquire_lease(&tenant(), GZ, &dead, ttl, clock.now())
                .await
                .unwrap()
        );
        // A live holder of this host (this process, another worker name) is not taken over.
        let live = LeaseHolder::new("w-live").with_process(this_process());
        assert!(
            store
                .acquire_lease(
                    &TenantId::new("https://x.example", "b").unwrap(),
                    GZ,
                    &live,
                    ttl,
                    clock.now()
                )
                .await
                .unwrap()
        );
        let busy = acquire(
            &store,
            &TenantId::new("https://x.example", "b").unwrap(),
            GZ,
            &holder("w-2"),
            ttl,
            &clock,
        )
        .await
        .unwrap();
        assert!(matches!(busy, Acquired::Busy { holder } if holder == "w-live"));
        let taken = acquire(&store, &tenant(), GZ, &holder("w-2"), ttl, &clock)
            .await
            .unwrap();
        assert!(matches!(taken, Acquired::Held(_)));
        let lease = store.lease(&tenant(), GZ).await.unwrap().unwrap();
        assert_eq!(lease.holder, "w-2");
        assert_eq!(lease.acquired_at, clock.now());
    }
}
