//! Connecting a tenant: both vendors' credentials are checked before anything is saved, and the
//! store keeps only their fingerprints and status.

use std::sync::Arc;

use serde::Serialize;
use sync_store::{Change, IntegrationChange, Store, TenantId, Vendor};
use tracing::Instrument;

use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::ports::{DattoRmmPort, ItGluePort, PortError};

/// The tenant a [`ItGlueFlow::connect`] saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Connected {
    /// The tenant (`account@api-url`).
    pub tenant: String,
    /// Its Datto RMM API URL.
    pub api_url: String,
    /// Its Datto RMM account uid.
    pub account: String,
}

impl ItGlueFlow {
    /// The flow of the tenant whose Datto RMM account `rmm`'s credentials belong to: Datto
    /// RMM is asked which account that is ([`discover_tenant`], one call), nothing is saved.
    /// Then [`connect`](Self::connect) it; once connected, later processes can name the
    /// tenant from the store and use [`ItGlueFlow::new`] without asking Datto RMM.
    ///
    /// ```no_run
    /// # async fn f(store: std::sync::Arc<dyn sync_store::Store>) -> Result<(), Box<dyn std::error::Error>> {
    /// use std::sync::Arc;
    ///
    /// use sync_engine::datto::DattoCredentials;
    /// use sync_engine::itglue::{DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueFlow, ItGlueLocation};
    ///
    /// let datto = DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret");
    /// let itglue = ItGlueCredentials {
    ///     location: ItGlueLocation::url_or_region(None, itglue_client::Region::Eu),
    ///     api_key: "itglue-key".into(),
    /// };
    /// let rmm = Arc::new(DattoRmmAdapter::from_credentials(&datto)?);
    /// let docs = Arc::new(ItGlueAdapter::new(&itglue)?);
    /// let flow = ItGlueFlow::discover(store, rmm, docs).await?;
    /// let connected = flow.connect().await?;
    /// println!("connected account {}", connected.account);
    /// # Ok(()) }
    /// ```
    pub async fn discover(
        store: Arc<dyn Store>,
        rmm: Arc<dyn DattoRmmPort>,
        docs: Arc<dyn ItGluePort>,
    ) -> Result<Self, ItGlueError> {
        let tenant = discover_tenant(rmm.as_ref()).await?;
        Ok(Self::new(store, tenant, rmm, docs))
    }

    /// Checks the Datto RMM and IT Glue credentials the ports were built with (one cheap call
    /// each) and, when both vendors accept them, saves both integrations — connection details
    /// and credential fingerprints, never the secrets — marked valid. Saving new credentials is
    /// what lets a tenant whose credentials were refused sync again.
    ///
    /// Refused credentials give [`ItGlueError::CredentialsRefused`], Datto RMM credentials of
    /// another account [`ItGlueError::WrongAccount`], and a vendor that cannot be reached
    /// [`ItGlueError::CredentialsUnchecked`]; none of them saves anything.
    pub async fn connect(&self) -> Result<Connected, ItGlueError> {
        async {
            let account = check(Vendor::DattoRmm, self.rmm.account_uid().await)?;
            if account.trim() != self.tenant.account_uid() {
                return Err(ItGlueError::WrongAccount {
                    expected: self.tenant.account_uid().to_owned(),
                    found: account,
                });
            }
            check(Vendor::ItGlue, self.docs.check_credentials().await)?;

            let changes: Vec<Change> = [Vendor::DattoRmm, Vendor::ItGlue]
                .into_iter()
                .map(|vendor| {
                    let mut identity = self.identity(vendor);
                    if vendor == Vendor::DattoRmm {
                        // The tenant's own spelling, as the GravityZone flow saves it.
                        identity.connection.url = Some(self.tenant.api_url().to_owned());
                    }
                    IntegrationChange::Save {
                        vendor,
                        connection: identity.connection,
                        fingerprint: identity.fingerprint,
                    }
                    .into()
                })
                .collect();
            let state = self.store.state(&self.tenant).await?;
            self.store
                .apply(&self.tenant, state.version, &changes)
                .await?;
            self.note_valid().await?;
            tracing::info!(tenant = %self.tenant, "IT Glue flow connected");
            Ok(Connected {
                tenant: self.tenant.to_string(),
                api_url: self.tenant.api_url().to_owned(),
                account: self.tenant.account_uid().to_owned(),
            })
        }
        .instrument(tracing::info_span!("itglue.connect"))
        .await
    }
}

/// The tenant the Datto RMM credentials belong to: their API URL and the account uid Datto
/// answers (one call). Use it to build the [`ItGlueFlow`] of a tenant connected for the first
/// time.
pub async fn discover_tenant(rmm: &dyn DattoRmmPort) -> Result<TenantId, ItGlueError> {
    let account = check(Vendor::DattoRmm, rmm.account_uid().await)?;
    let url = rmm.identity().connection.url.unwrap_or_default();
    TenantId::new(&url, &account).map_err(|error| ItGlueError::InvalidTenant(error.to_string()))
}

fn check<T>(vendor: Vendor, answer: Result<T, PortError>) -> Result<T, ItGlueError> {
    answer.map_err(|error| {
        if error.is_unauthorized() {
            ItGlueError::CredentialsRefused { vendor, error }
        } else {
            ItGlueError::CredentialsUnchecked { vendor, error }
        }
    })
}
