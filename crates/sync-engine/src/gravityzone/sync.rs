//! [`GravityZoneSync`]: the workflow's entry point, holding the store, the clock and the
//! worker's name for leases.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use sync_store::{AssociationMethod, ChangedBy, CredentialStatus, Flow, Store, TenantId, Vendor};
use tracing::Instrument;

use super::connection::TenantConnection;
use super::error::GravityZoneSyncError;
use super::executor::Executor;
use super::ports::PortError;
use super::state::{self, StateEdit, TenantView};
use crate::clock::{Clock, SystemClock};
use crate::lease::{self, Acquired};

/// How long a lease lasts unless renewed: the heartbeat renews it every third of this, and
/// every step of a pass renews it too.
pub use crate::lease::DEFAULT_LEASE_TTL;

/// The Datto RMM ↔ GravityZone workflow of every tenant in one store.
///
/// Every call that changes a vendor takes the lease of the tenant's GravityZone flow in the
/// store first, so a pass, a companies-page task and an event resolution never run at once for
/// one tenant, in this process or another (the tenant's IT Glue sync has a lease of its own and
/// may run meanwhile).
///
/// ```
/// use std::sync::Arc;
/// use sync_engine::gravityzone::GravityZoneSync;
/// use sync_store::MemoryStore;
///
/// let sync = GravityZoneSync::new(Arc::new(MemoryStore::new())).with_worker("worker-1");
/// assert_eq!(sync.worker(), "worker-1");
/// ```
#[derive(Clone)]
pub struct GravityZoneSync {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    worker: String,
    lease_ttl: Duration,
}

impl GravityZoneSync {
    /// The workflow over `store`, on the system clock, as a worker with a random name.
    pub fn new(store: Arc<dyn Store>) -> Self {
        let suffix: u64 = rand::rng().random();
        Self {
            store,
            clock: Arc::new(SystemClock),
            worker: format!("gravityzone-{}-{suffix:016x}", std::process::id()),
            lease_ttl: DEFAULT_LEASE_TTL,
        }
    }

    /// Reads the time from `clock` (tests use [`TokioClock`](super::TokioClock)).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Holds leases under `worker` (any name unique among the workers sharing the store).
    pub fn with_worker(mut self, worker: impl Into<String>) -> Self {
        self.worker = worker.into();
        self
    }

    /// Takes leases for `ttl` at a time.
    pub fn with_lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl;
        self
    }

    /// The name this worker holds leases under.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub(crate) async fn view(&self, tenant: &TenantId) -> Result<TenantView, GravityZoneSyncError> {
        state::load(self.store.as_ref(), tenant).await
    }

    pub(crate) fn executor<'a>(
        &'a self,
        tenant: &'a TenantId,
        connection: &'a TenantConnection,
        made_by: ChangedBy,
        method: AssociationMethod,
    ) -> Executor<'a> {
        Executor {
            tenant,
            store: self.store.as_ref(),
            clock: self.clock.as_ref(),
            datto: connection.datto.as_ref(),
            gravityzone: connection.gravityzone.as_ref(),
            made_by,
            method,
        }
    }

    /// Commits `edits` at the current time.
    pub(crate) async fn commit(
        &self,
        tenant: &TenantId,
        edits: &[StateEdit],
    ) -> Result<(), GravityZoneSyncError> {
        state::commit(self.store.as_ref(), tenant, edits, self.clock.now()).await
    }

    pub(crate) fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// Fails when the tenant lacks an integration, or when the saved credentials the
    /// connection uses were refused at the last check (no vendor is called then).
    pub(crate) fn check_usable(
        &self,
        view: &TenantView,
        connection: &TenantConnection,
    ) -> Result<(), GravityZoneSyncError> {
        for (vendor, fingerprint) in [
            (Vendor::DattoRmm, &connection.datto_fingerprint),
            (Vendor::GravityZone, &connection.gravityzone_fingerprint),
        ] {
            let integration = view
                .integrations
                .get(&vendor)
                .ok_or(GravityZoneSyncError::NotConnected { vendor })?;
            if integration.fingerprint == *fingerprint
                && integration.status == CredentialStatus::Invalid
            {
                return Err(GravityZoneSyncError::CredentialsInvalid { vendor });
            }
        }
        Ok(())
    }

    /// Records that a vendor refused the connection's credentials, when `error` says so. The
    /// store ignores the record when those are not the tenant's saved credentials.
    pub(crate) async fn note_refusal(
        &self,
        tenant: &TenantId,
        connection: &TenantConnection,
        error: &GravityZoneSyncError,
    ) {
        let GravityZoneSyncError::Vendor(PortError {
            vendor,
            kind: super::ports::PortErrorKind::Unauthorized,
            ..
        }) = error
        else {
            return;
        };
        let fingerprint = match vendor {
            Vendor::DattoRmm => &connection.datto_fingerprint,
            _ => &connection.gravityzone_fingerprint,
        };
        let recorded = self
            .store
            .set_credential_status(
                tenant,
                *vendor,
                fingerprint,
                CredentialStatus::Invalid,
                self.clock.now(),
            )
            .await;
        match recorded {
            Ok(true) => tracing::warn!(
                %tenant, vendor = %vendor,
                "credentials refused: the tenant's passes stop until new credentials are saved"
            ),
            Ok(false) => {}
            Err(e) => tracing::error!(%tenant, error = %e, "could not record refused credentials"),
        }
    }

    /// Runs `work` holding the lease of the tenant's GravityZone flow (kept alive by the
    /// heartbeat), and gives the lease up afterwards. The lease of a worker process of this host
    /// that no longer exists is taken over at once.
    pub(crate) async fn with_lease<T, F, Fut>(
        &self,
        tenant: &TenantId,
        work: F,
    ) -> Result<T, GravityZoneSyncError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, GravityZoneSyncError>>,
    {
        let holder = lease::holder(self.worker.clone());
        let held = match lease::acquire(
            &self.store,
            tenant,
            Flow::GravityZone,
            &holder,
            self.lease_ttl,
            &self.clock,
        )
        .await?
        {
            Acquired::Held(held) => held,
            Acquired::Busy { holder } => return Err(GravityZoneSyncError::Busy { holder }),
        };
        let result = work().await;
        held.release().await;
        result
    }

    /// Extends the lease before a step; fails when it was lost (expired and taken).
    pub(crate) async fn renew_lease(&self, tenant: &TenantId) -> Result<(), GravityZoneSyncError> {
        let renewed = self
            .store
            .renew_lease(
                tenant,
                Flow::GravityZone,
                &self.worker,
                self.lease_ttl,
                self.clock.now(),
            )
            .await?;
        if renewed {
            Ok(())
        } else {
            Err(GravityZoneSyncError::LeaseLost)
        }
    }

    /// Deletes all of the tenant's data — settings, integration details, associations,
    /// exclusions, events, runs, journal — and nothing of any other tenant. The vendors'
    /// companies, packages and site variables are left as they are.
    pub async fn reset_tenant(&self, tenant: &TenantId) -> Result<(), GravityZoneSyncError> {
        self.store
            .reset_tenant(tenant)
            .instrument(tracing::info_span!("gravityzone_reset", %tenant))
            .await?;
        tracing::info!(%tenant, "tenant reset");
        Ok(())
    }
}

impl std::fmt::Debug for GravityZoneSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GravityZoneSync")
            .field("worker", &self.worker)
            .field("lease_ttl", &self.lease_ttl)
            .finish_non_exhaustive()
    }
}
