//! A tenant's connection to both vendors: the ports to call them through and the fingerprints
//! of the credentials behind them.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use sync_store::{CredentialFingerprint, TenantId};

use super::ports::{DattoRmmPort, GravityZonePort};

/// The two vendor accounts of one tenant, ready to call.
///
/// Build it from credentials with [`TenantConnection::from_credentials`] (the real clients),
/// or from any ports (fakes, test doubles) with [`TenantConnection::new`].
#[derive(Clone)]
pub struct TenantConnection {
    /// The Datto RMM account's API URL (the tenant's first half).
    pub datto_api_url: String,
    /// Datto RMM.
    pub datto: Arc<dyn DattoRmmPort>,
    /// The fingerprint of the Datto RMM key and secret.
    pub datto_fingerprint: CredentialFingerprint,
    /// The GravityZone access URL.
    pub gravityzone_access_url: String,
    /// GravityZone.
    pub gravityzone: Arc<dyn GravityZonePort>,
    /// The fingerprint of the GravityZone API key.
    pub gravityzone_fingerprint: CredentialFingerprint,
}

impl TenantConnection {
    /// A connection through the given ports.
    pub fn new(
        datto_api_url: impl Into<String>,
        datto: Arc<dyn DattoRmmPort>,
        datto_fingerprint: CredentialFingerprint,
        gravityzone_access_url: impl Into<String>,
        gravityzone: Arc<dyn GravityZonePort>,
        gravityzone_fingerprint: CredentialFingerprint,
    ) -> Self {
        Self {
            datto_api_url: datto_api_url.into(),
            datto,
            datto_fingerprint,
            gravityzone_access_url: gravityzone_access_url.into(),
            gravityzone,
            gravityzone_fingerprint,
        }
    }
}

impl fmt::Debug for TenantConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantConnection")
            .field("datto_api_url", &self.datto_api_url)
            .field("datto_fingerprint", &self.datto_fingerprint)
            .field("gravityzone_access_url", &self.gravityzone_access_url)
            .field("gravityzone_fingerprint", &self.gravityzone_fingerprint)
            .finish_non_exhaustive()
    }
}

/// A [`ConnectionSource`](crate::scheduler::ConnectionSource) of one tenant: the
/// [`Scheduler`](crate::scheduler::Scheduler) runs that tenant's GravityZone passes through
/// `connection` and has no connection for any other tenant.
///
/// ```no_run
/// use std::sync::Arc;
/// use sync_engine::gravityzone::{GravityZoneSync, OneTenant, TenantConnection};
/// use sync_engine::scheduler::Scheduler;
///
/// # async fn run(sync: GravityZoneSync, connection: TenantConnection) -> Result<(), Box<dyn std::error::Error>> {
/// let tenant = sync.connect(&connection).await?;
/// let source = Arc::new(OneTenant::new(tenant, connection));
/// let scheduler = Scheduler::new(sync.store().clone(), source).with_worker(sync.worker());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct OneTenant {
    tenant: TenantId,
    connection: TenantConnection,
}

impl OneTenant {
    /// The source of `tenant`'s `connection`.
    pub fn new(tenant: TenantId, connection: TenantConnection) -> Self {
        Self { tenant, connection }
    }
}

#[async_trait]
impl crate::scheduler::ConnectionSource for OneTenant {
    async fn gravityzone(&self, tenant: &TenantId) -> Option<TenantConnection> {
        (tenant == &self.tenant).then(|| self.connection.clone())
    }
}
