//! Which tenant of a store a Datto RMM account is, without calling Datto: a command that acts on
//! stored data knows the account by its API URL, and by its account uid only when the store
//! holds several accounts on that URL.

use sync_store::{Store, StoreError, TenantId, TenantIdError};

/// Why no single tenant was found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FindTenantError {
    /// The API URL or the account uid cannot name a tenant.
    #[error(transparent)]
    Invalid(#[from] TenantIdError),
    /// No tenant of the store has this API URL: the account was never connected.
    #[error("no tenant for {api_url} in the store")]
    NotConnected {
        /// The API URL asked for.
        api_url: String,
    },
    /// Several accounts on this API URL are in the store, so the account uid must be given.
    #[error("several accounts on {api_url} in the store ({})", accounts.join(", "))]
    Several {
        /// The API URL asked for.
        api_url: String,
        /// Their account uids.
        accounts: Vec<String>,
    },
    /// The store could not list its tenants.
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

/// The tenant at `api_url`: with `account_uid`, that account (the store is not asked);
/// without, the one tenant of the store on this API URL (written as the user likes: a trailing
/// slash or letter case do not matter).
///
/// ```
/// use sync_engine::tenant::{FindTenantError, find_tenant};
/// use sync_store::MemoryStore;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let store = MemoryStore::new();
/// let url = "https://merlot-api.centrastage.net";
/// let named = find_tenant(&store, url, Some("abc123")).await?;
/// assert_eq!(named.account_uid(), "abc123");
/// let error = find_tenant(&store, url, None).await.unwrap_err();
/// assert!(matches!(error, FindTenantError::NotConnected { .. }));
/// # Ok(()) }
/// ```
pub async fn find_tenant(
    store: &dyn Store,
    api_url: &str,
    account_uid: Option<&str>,
) -> Result<TenantId, FindTenantError> {
    if let Some(account) = account_uid {
        return Ok(TenantId::new(api_url, account)?);
    }
    let wanted = TenantId::new(api_url, "any")?;
    let mut same_url: Vec<TenantId> = store
        .tenants()
        .await?
        .into_iter()
        .filter(|t| t.api_url() == wanted.api_url())
        .collect();
    match same_url.len() {
        1 => Ok(same_url.remove(0)),
        0 => Err(FindTenantError::NotConnected {
            api_url: wanted.api_url().to_owned(),
        }),
        _ => Err(FindTenantError::Several {
            api_url: wanted.api_url().to_owned(),
            accounts: same_url
                .iter()
                .map(|t| t.account_uid().to_owned())
                .collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use sync_store::{
        Change, ConnectionDetails, CredentialFingerprint, IntegrationChange, MemoryStore, Vendor,
        Version,
    };

    use super::*;

    const URL: &str = "https://merlot-api.centrastage.net";

    async fn store_with(accounts: &[(&str, &str)]) -> MemoryStore {
        let store = MemoryStore::new();
        for (url, account) in accounts {
            let tenant = TenantId::new(url, account).unwrap();
            let save = Change::Integration(IntegrationChange::Save {
                vendor: Vendor::DattoRmm,
                connection: ConnectionDetails::default(),
                fingerprint: CredentialFingerprint::of_secrets(["datto-rmm", account]),
            });
            store.apply(&tenant, Version::EMPTY, &[save]).await.unwrap();
        }
        store
    }

    #[tokio::test]
    async fn the_one_account_on_an_api_url_is_found_however_the_url_is_written() {
        let store = store_with(&[
            (URL, "acc-1"),
            ("https://pinotage-api.centrastage.net", "acc-2"),
        ])
        .await;
        for written in [URL, "https://MERLOT-api.centrastage.net/"] {
            let tenant = find_tenant(&store, written, None).await.unwrap();
            assert_eq!(tenant, TenantId::new(URL, "acc-1").unwrap());
        }
    }

    #[tokio::test]
    async fn several_accounts_on_one_url_are_listed_and_need_the_uid() {
        let store = store_with(&[(URL, "acc-1"), (URL, "acc-2")]).await;
        let error = find_tenant(&store, URL, None).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("several accounts on {URL} in the store (acc-1, acc-2)")
        );
        let tenant = find_tenant(&store, URL, Some("acc-2")).await.unwrap();
        assert_eq!(tenant.account_uid(), "acc-2");
    }

    #[tokio::test]
    async fn an_account_never_connected_or_a_url_without_scheme_is_refused() {
        let store = store_with(&[("https://pinotage-api.centrastage.net", "acc-2")]).await;
        let error = find_tenant(&store, URL, None).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("no tenant for {URL} in the store")
        );
        let error = find_tenant(&store, "merlot-api.centrastage.net", None)
            .await
            .unwrap_err();
        assert!(matches!(error, FindTenantError::Invalid(_)), "{error}");
    }
}
