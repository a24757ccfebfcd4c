//! [`ItGlueFlow`]: one tenant's Datto RMM → IT Glue flow, wired to its ports, store and clock.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sync_store::{
    CredentialStatus, Flow, ItGlueChange, ItGlueSettings, Store, TenantId, TenantState, Vendor,
};

use super::error::ItGlueError;
use super::ports::{DattoRmmPort, ItGluePort, PortError, PortIdentity};
use super::scope::Actor;
use super::settings::{Effective, FlowOptions, default_tenant_settings};
use crate::clock::{Clock, SystemClock};
use crate::lease::{self, Acquired, HeldLease};

/// One tenant's Datto RMM → IT Glue flow: [`connect`](ItGlueFlow::connect),
/// [`run`](ItGlueFlow::run) a sync, and the user actions on organizations and configurations.
///
/// It holds the two ports (built with the tenant's credentials), the store and a clock. Nothing
/// here keeps a secret: the ports do, and the store keeps only their fingerprints.
#[derive(Clone)]
pub struct ItGlueFlow {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) tenant: TenantId,
    pub(crate) rmm: Arc<dyn DattoRmmPort>,
    pub(crate) docs: Arc<dyn ItGluePort>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) options: FlowOptions,
    pub(crate) worker: String,
}

impl std::fmt::Debug for ItGlueFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueFlow")
            .field("tenant", &self.tenant)
            .field("options", &self.options)
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}

impl ItGlueFlow {
    /// The flow of `tenant`, with the default settings and the system clock.
    pub fn new(
        store: Arc<dyn Store>,
        tenant: TenantId,
        rmm: Arc<dyn DattoRmmPort>,
        docs: Arc<dyn ItGluePort>,
    ) -> Self {
        Self {
            store,
            tenant,
            rmm,
            docs,
            clock: Arc::new(SystemClock),
            options: FlowOptions::default(),
            worker: format!("itglue-{}", std::process::id()),
        }
    }

    /// Uses these options.
    pub fn with_options(mut self, options: FlowOptions) -> Self {
        self.options = options;
        self
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Holds the tenant's lease under `worker` (default `itglue-<process id>`; any name unique
    /// among the workers sharing the store).
    pub fn with_worker(mut self, worker: impl Into<String>) -> Self {
        self.worker = worker.into();
        self
    }

    /// The name this worker holds leases under.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// The tenant.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// The options in use.
    pub fn options(&self) -> &FlowOptions {
        &self.options
    }

    /// The tenant's settings as applied.
    pub(crate) fn effective(&self, state: &TenantState) -> Effective {
        let saved = state
            .itglue
            .settings
            .clone()
            .unwrap_or_else(default_tenant_settings);
        Effective::new(&self.options, &saved)
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn identity(&self, vendor: Vendor) -> PortIdentity {
        match vendor {
            Vendor::DattoRmm => self.rmm.identity(),
            _ => self.docs.identity(),
        }
    }

    /// Refuses, without calling any vendor, when a vendor's credentials are not saved, are not
    /// the ones the ports use, or were refused since they were saved.
    pub(crate) fn check_gate(&self, state: &TenantState) -> Result<(), ItGlueError> {
        for vendor in [Vendor::DattoRmm, Vendor::ItGlue] {
            let Some(integration) = state.integrations.get(&vendor) else {
                return Err(ItGlueError::NotConnected { vendor });
            };
            if integration.fingerprint != self.identity(vendor).fingerprint {
                return Err(ItGlueError::CredentialsNotSaved { vendor });
            }
            if integration.status == CredentialStatus::Invalid {
                return Err(ItGlueError::CredentialsInvalid { vendor });
            }
        }
        Ok(())
    }

    /// Records that a vendor refused the credentials the ports use, so later runs refuse at
    /// once. A store failure here is logged: the refusal itself is what the caller reports.
    pub(crate) async fn note_refusal(&self, error: &PortError) {
        if !error.is_unauthorized() {
            return;
        }
        let vendor = error.vendor();
        let fingerprint = self.identity(vendor).fingerprint;
        let result = self
            .store
            .set_credential_status(
                &self.tenant,
                vendor,
                &fingerprint,
                CredentialStatus::Invalid,
                self.now(),
            )
            .await;
        if let Err(store_error) = result {
            tracing::warn!(%store_error, %vendor, "could not record the refused credentials");
        }
    }

    /// Records that both vendors accepted the credentials.
    pub(crate) async fn note_valid(&self) -> Result<(), ItGlueError> {
        let now = self.now();
        for vendor in [Vendor::DattoRmm, Vendor::ItGlue] {
            let fingerprint = self.identity(vendor).fingerprint;
            self.store
                .set_credential_status(
                    &self.tenant,
                    vendor,
                    &fingerprint,
                    CredentialStatus::Valid,
                    now,
                )
                .await?;
        }
        Ok(())
    }

    /// Takes the lease of the tenant's IT Glue flow for this worker (kept alive by the heartbeat
    /// until released; the tenant's GravityZone flow has a lease of its own). The lease of a
    /// worker process of this host that no longer exists is taken over at once.
    pub(crate) async fn take_lease(&self) -> Result<HeldLease, ItGlueError> {
        let holder = lease::holder(self.worker.clone());
        match lease::acquire(
            &self.store,
            &self.tenant,
            Flow::ItGlue,
            &holder,
            self.options.lease_ttl,
            &self.clock,
        )
        .await?
        {
            Acquired::Held(held) => Ok(held),
            Acquired::Busy { holder } => Err(ItGlueError::Busy { holder }),
        }
    }

    /// Extends this worker's lease between phases. A lease that lapsed (a phase outlasted it)
    /// may have been taken by another worker: the run then stops before storing anything.
    pub(crate) async fn keep_lease(&self) -> Result<(), ItGlueError> {
        let renewed = self
            .store
            .renew_lease(
                &self.tenant,
                Flow::ItGlue,
                &self.worker,
                self.options.lease_ttl,
                self.now(),
            )
            .await?;
        if renewed {
            Ok(())
        } else {
            Err(ItGlueError::LeaseLost)
        }
    }
}

impl ItGlueFlow {
    /// The tenant's settings: the saved ones, or the engine's defaults
    /// ([`default_tenant_settings`]) while none were saved.
    pub async fn settings(&self) -> Result<ItGlueSettings, ItGlueError> {
        let state = self.store.state(&self.tenant).await?;
        Ok(state
            .itglue
            .settings
            .unwrap_or_else(default_tenant_settings))
    }

    /// Saves the tenant's settings (grouping, name aliases, placeholder serials and shared MAC
    /// addresses, create cap, sync interval…). Only administrators change them. A sync interval
    /// outside [`ItGlueSettings::MIN_SYNC_INTERVAL_MINUTES`] to
    /// [`ItGlueSettings::MAX_SYNC_INTERVAL_MINUTES`] is refused with
    /// [`ItGlueError::InvalidSetting`], saving nothing.
    pub async fn update_settings(
        &self,
        actor: &Actor,
        settings: ItGlueSettings,
    ) -> Result<(), ItGlueError> {
        actor.require_administrator("changing the IT Glue settings")?;
        let state = self.store.state(&self.tenant).await?;
        self.save_settings(state.version, settings).await
    }

    /// Validates and saves the settings against the store version they were read at.
    pub(crate) async fn save_settings(
        &self,
        version: sync_store::Version,
        settings: ItGlueSettings,
    ) -> Result<(), ItGlueError> {
        let minutes = settings.sync_interval_minutes;
        if !ItGlueSettings::sync_interval_allowed(minutes) {
            return Err(ItGlueError::InvalidSetting {
                setting: "sync_interval_minutes",
                allowed: format!(
                    "from {} to {} minutes",
                    ItGlueSettings::MIN_SYNC_INTERVAL_MINUTES,
                    ItGlueSettings::MAX_SYNC_INTERVAL_MINUTES
                ),
                given: minutes.to_string(),
            });
        }
        self.store
            .apply(
                &self.tenant,
                version,
                &[ItGlueChange::SaveSettings(settings).into()],
            )
            .await?;
        Ok(())
    }
}
