//! [`DattoRmmPort`] over the real [`DattoClient`].

use async_trait::async_trait;
use datto_rmm_client::{DattoClient, Error};
use sync_core::gravityzone::{Site, SiteUid};
use sync_store::Vendor;

use crate::gravityzone::credentials::DattoCredentials;
use crate::gravityzone::ports::{DattoRmmPort, PortError, PortErrorKind};

/// Datto RMM through [`DattoClient`].
#[derive(Debug, Clone)]
pub struct DattoRmmAdapter {
    client: DattoClient,
}

impl DattoRmmAdapter {
    /// The port over `client`.
    pub fn new(client: DattoClient) -> Self {
        Self { client }
    }

    /// A client for `credentials`, with the client's default limits and retries.
    pub fn from_credentials(credentials: &DattoCredentials) -> Result<Self, PortError> {
        let client = DattoClient::builder()
            .api_url(credentials.api_url.trim())
            .api_key(credentials.api_key.clone())
            .api_secret(credentials.api_secret.clone())
            .build()
            .map_err(port_error)?;
        Ok(Self::new(client))
    }

    /// The client.
    pub fn client(&self) -> &DattoClient {
        &self.client
    }
}

/// The client's error as a port error.
pub fn port_error(error: Error) -> PortError {
    let kind = if error.is_unauthorized() {
        PortErrorKind::Unauthorized
    } else if error.is_not_found() {
        PortErrorKind::NotFound
    } else if error.is_transient() {
        PortErrorKind::Transient
    } else {
        PortErrorKind::Other
    };
    PortError {
        vendor: Vendor::DattoRmm,
        kind,
        message: error.to_string(),
        may_have_been_sent: error.may_have_been_sent(),
    }
}

/// A Datto site as `sync-core` sees it; `None` for a site without uid, which cannot be
/// synced (the API always sends one; a reply without is logged and left out).
pub fn site_of(site: datto_rmm_client::models::Site) -> Option<Site> {
    let on_demand = site.is_on_demand();
    let uid = site.uid.filter(|uid| !uid.trim().is_empty())?;
    Some(Site {
        uid: SiteUid::new(uid),
        name: site.name.unwrap_or_default(),
        on_demand,
    })
}

#[async_trait]
impl DattoRmmPort for DattoRmmAdapter {
    async fn account_uid(&self) -> Result<String, PortError> {
        let account = self.client.account().await.map_err(port_error)?;
        account
            .uid
            .filter(|uid| !uid.trim().is_empty())
            .ok_or_else(|| {
                PortError::new(
                    Vendor::DattoRmm,
                    PortErrorKind::Other,
                    "GET /v2/account answered without the account's uid",
                )
            })
    }

    async fn sites(&self) -> Result<Vec<Site>, PortError> {
        let sites = self
            .client
            .sites()
            .collect_all()
            .await
            .map_err(port_error)?;
        let total = sites.len();
        let sites: Vec<Site> = sites.into_iter().filter_map(site_of).collect();
        if sites.len() != total {
            tracing::warn!(
                skipped = total - sites.len(),
                "Datto RMM listed sites without uid; they are left out"
            );
        }
        Ok(sites)
    }

    async fn upsert_site_variable(
        &self,
        site: &SiteUid,
        name: &str,
        value: &str,
    ) -> Result<(), PortError> {
        self.client
            .upsert_site_variable(site.as_str(), name, value, false)
            .await
            .map(drop)
            .map_err(port_error)
    }

    async fn delete_site_variable(&self, site: &SiteUid, name: &str) -> Result<bool, PortError> {
        let variables = self
            .client
            .site_variables(site.as_str())
            .collect_all()
            .await
            .map_err(port_error)?;
        let ids: Vec<i64> = variables
            .iter()
            .filter(|v| v.name.as_deref() == Some(name))
            .filter_map(|v| v.id)
            .collect();
        for id in &ids {
            match self.client.delete_site_variable(site.as_str(), *id).await {
                Ok(()) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(port_error(e)),
            }
        }
        Ok(!ids.is_empty())
    }
}
