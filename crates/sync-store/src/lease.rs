//! Per-tenant leases: at most one worker syncs a tenant at a time.

use chrono::{DateTime, Utc};

/// A tenant's lease: who holds it and until when.
///
/// A lease is exclusive while `now < expires_at`; from `expires_at` on, anybody may take it. The
/// holder keeps it by renewing before it expires and gives it up by releasing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// The worker holding the lease (any stable name: host and process id, a UUID, …).
    pub holder: String,
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
