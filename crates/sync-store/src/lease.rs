//! Leases per tenant and flow: at most one worker runs a tenant's flow at a time.

use std::fmt;

use chrono::{DateTime, Utc};

/// The lease of a tenant's flow (see [`Flow`](crate::Flow)): who holds it and until when.
///
/// A lease is exclusive while `now < expires_at`; from `expires_at` on, anybody may take it. The
/// holder keeps it by renewing before it expires (a heartbeat) and gives it up by releasing it.
/// A holder that is a process known to be gone (see [`HolderProcess`]) may be taken over at once
/// with [`Store::take_over_lease`](crate::Store::take_over_lease).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// The worker holding the lease (any stable name: host and process id, a UUID, …).
    pub holder: String,
    /// The process of the holder, when it said which one it is.
    pub process: Option<HolderProcess>,
    /// When this holder acquired it.
    pub acquired_at: DateTime<Utc>,
    /// When it lapses unless renewed.
    pub expires_at: DateTime<Utc>,
}

impl Lease {
    /// Whether the lease has lapsed at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }
}

/// Who asks for a lease: a worker name unique among the workers sharing the store and,
/// optionally, the operating-system process it runs in.
///
/// ```
/// use sync_store::{HolderProcess, LeaseHolder};
///
/// let named: LeaseHolder = "worker-1".into();
/// assert_eq!(named.name, "worker-1");
/// let process = HolderProcess::new("host-a", 4242, Some(9_001));
/// let holder = LeaseHolder::new("worker-1").with_process(process.clone());
/// assert_eq!(holder.process, Some(process));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct LeaseHolder {
    /// The worker's name, stored as [`Lease::holder`].
    pub name: String,
    /// The process the worker runs in, stored as [`Lease::process`].
    pub process: Option<HolderProcess>,
}

impl LeaseHolder {
    /// A holder named `name`, without a process.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            process: None,
        }
    }

    /// The same holder, running as `process`.
    pub fn with_process(mut self, process: HolderProcess) -> Self {
        self.process = Some(process);
        self
    }
}

impl From<&str> for LeaseHolder {
    fn from(name: &str) -> Self {
        Self::new(name)
    }
}

impl From<String> for LeaseHolder {
    fn from(name: String) -> Self {
        Self::new(name)
    }
}

impl fmt::Display for LeaseHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// The operating-system process holding a lease: its host, its id and, where the system tells,
/// its start time (so a later process that got the same id is not mistaken for it).
///
/// The store only records it; a worker on the same host that finds the process gone takes the
/// lease over without waiting for it to expire.
///
/// ```
/// use sync_store::HolderProcess;
///
/// let process = HolderProcess::new("host-a", 4242, None);
/// assert_eq!(process.to_string(), "pid 4242 on host-a");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct HolderProcess {
    /// The host name.
    pub host: String,
    /// The process id.
    pub pid: u32,
    /// The process's start time as the system counts it (on Linux, clock ticks after boot), when
    /// known.
    pub start_time: Option<u64>,
}

impl HolderProcess {
    /// The process `pid` on `host`, started at `start_time`.
    pub fn new(host: impl Into<String>, pid: u32, start_time: Option<u64>) -> Self {
        Self {
            host: host.into(),
            pid,
            start_time,
        }
    }
}

impl fmt::Display for HolderProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {} on {}", self.pid, self.host)
    }
}
