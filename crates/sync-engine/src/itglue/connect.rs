//! Connecting a tenant: both vendors' credentials are checked before anything is saved, and the
//! store keeps only their fingerprints and status.

use std::sync::Arc;

use serde::Serialize;
use sync_store::{Change, IntegrationChange, Store, TenantId, Vendor};
use tracing::Instrument;

use msp_transport::ClientOptions;

use super::adapters::{DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials};
use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::ports::{DattoRmmPort, ItGluePort, PortError};
use crate::datto::DattoCredentials;

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

/// The real clients of a tenant's two vendors, built from its credentials — what
/// [`ItGlueFlow`] calls them through.
///
/// ```no_run
/// # async fn f(store: std::sync::Arc<dyn sync_store::Store>) -> Result<(), sync_engine::itglue::ItGlueError> {
/// use msp_transport::{ClientOptions, RateLimit};
/// use sync_engine::datto::DattoCredentials;
/// use sync_engine::itglue::{ItGlueConnection, ItGlueCredentials, ItGlueLocation};
///
/// let datto = DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret");
/// let itglue = ItGlueCredentials {
///     location: ItGlueLocation::url_or_region(None, itglue_client::Region::Us),
///     api_key: "itglue-key".into(),
/// };
/// let options = ClientOptions::default().user_agent("my-psa-bridge/1.0");
/// let connection = ItGlueConnection::from_credentials_with(&datto, &options, &itglue, &options)?;
/// let flow = connection.discover(store).await?; // the tenant of the Datto RMM key
/// flow.connect().await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ItGlueConnection {
    /// Datto RMM.
    pub datto: Arc<DattoRmmAdapter>,
    /// IT Glue.
    pub itglue: Arc<ItGlueAdapter>,
}

impl ItGlueConnection {
    /// Builds both clients: Datto RMM's with `datto_options` (its rate limit, say), IT Glue's
    /// with `itglue_options`. Settings a client refuses (a malformed URL, plain HTTP to a
    /// remote host) give [`ItGlueError::ClientSettings`]; no vendor is called.
    pub fn from_credentials_with(
        datto: &DattoCredentials,
        datto_options: &ClientOptions,
        itglue: &ItGlueCredentials,
        itglue_options: &ClientOptions,
    ) -> Result<Self, ItGlueError> {
        let refused = |vendor| move |error| ItGlueError::ClientSettings { vendor, error };
        let rmm = DattoRmmAdapter::from_credentials_with(datto, datto_options)
            .map_err(refused(Vendor::DattoRmm))?;
        let docs = ItGlueAdapter::from_credentials_with(itglue, itglue_options)
            .map_err(refused(Vendor::ItGlue))?;
        Ok(Self {
            datto: Arc::new(rmm),
            itglue: Arc::new(docs),
        })
    }

    /// The flow of `tenant` through these clients (no vendor call).
    pub fn flow(self, store: Arc<dyn Store>, tenant: TenantId) -> ItGlueFlow {
        ItGlueFlow::new(store, tenant, self.datto, self.itglue)
    }

    /// The flow of the tenant the Datto RMM credentials belong to ([`ItGlueFlow::discover`]).
    pub async fn discover(self, store: Arc<dyn Store>) -> Result<ItGlueFlow, ItGlueError> {
        ItGlueFlow::discover(store, self.datto, self.itglue).await
    }
}

impl Connected {
    /// What was connected and saved, in words.
    ///
    /// ```
    /// # fn show(connected: &sync_engine::itglue::Connected) {
    /// connected.lines().iter().for_each(|line| println!("{line}"));
    /// // Connected: Datto RMM account acct-1 on https://merlot-api.centrastage.net, and IT Glue.
    /// // Only fingerprints of the credentials were saved; pass them again with each command.
    /// # }
    /// ```
    pub fn lines(&self) -> Vec<String> {
        vec![
            format!(
                "Connected: Datto RMM account {} on {}, and IT Glue.",
                self.account, self.api_url
            ),
            "Only fingerprints of the credentials were saved; pass them again with each command."
                .to_owned(),
        ]
    }
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
