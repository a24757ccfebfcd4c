//! Each tenant's vendor credentials from a JSON document (a file only the worker may read): the
//! store never holds a secret, so a scheduler needs them from elsewhere, and this is the
//! simplest elsewhere — a [`ConnectionSource`] that builds fresh clients for every run.
//!
//! ```json
//! {"tenants": [{
//!   "datto": {"api_url": "https://merlot-api.centrastage.net", "account_uid": "abc123",
//!             "api_key": "…", "api_secret": "…"},
//!   "itglue": {"api_url": "https://api.itglue.com", "api_key": "…"},
//!   "gravityzone": {"access_url": "https://cloudgz.gravityzone.bitdefender.com/api",
//!                   "api_key": "…"}
//! }]}
//! ```
//!
//! `itglue` and `gravityzone` are optional: a tenant without one runs only the other flow, and a
//! tenant of the store missing from the file runs neither (the scheduler counts it as
//! unconnected). A field the format does not know, or a tenant listed twice, is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use msp_transport::{ClientOptions, Secret};
use serde::Deserialize;
use sync_store::TenantId;

use super::ConnectionSource;
use crate::datto::DattoCredentials;

/// Why a credentials document was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsFileError {
    /// The file could not be read.
    #[error("cannot read the credentials file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The document is not the format above (the error names the line and column).
    #[error("the credentials file{} is not valid: {source}", shown(path))]
    Invalid {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// What serde found.
        source: serde_json::Error,
    },
    /// A Datto RMM API URL and account uid that name no tenant.
    #[error("a tenant in the credentials file: {0}")]
    Tenant(String),
    /// The same tenant twice.
    #[error("the credentials file lists {0} twice")]
    Duplicate(TenantId),
}

fn shown(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map(|p| format!(" {}", p.display()))
        .unwrap_or_default()
}

/// One tenant's vendor accounts. `Debug` never shows a key or secret.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct TenantCredentials {
    /// Datto RMM: the tenant's account.
    pub datto: DattoCredentials,
    /// IT Glue, when the tenant runs the IT Glue flow.
    #[cfg(feature = "itglue")]
    pub itglue: Option<crate::itglue::ItGlueCredentials>,
    /// GravityZone, when the tenant runs the GravityZone flow.
    #[cfg(feature = "gravityzone")]
    pub gravityzone: Option<crate::gravityzone::GravityZoneCredentials>,
}

/// Every tenant's credentials from one JSON document, as a [`ConnectionSource`]: each run gets
/// clients built afresh from them, with the clients' default options or those of
/// [`CredentialsFile::with_options`].
///
/// ```
/// use sync_engine::scheduler::CredentialsFile;
/// use sync_store::TenantId;
///
/// let file = CredentialsFile::from_json(
///     r#"{"tenants": [{"datto": {"api_url": "https://merlot-api.centrastage.net",
///         "account_uid": "abc123", "api_key": "key", "api_secret": "secret"},
///         "gravityzone": {"access_url": "https://cloudgz.gravityzone.bitdefender.com/api",
///         "api_key": "gz-key"}}]}"#,
/// )?;
/// let tenant = TenantId::new("https://merlot-api.centrastage.net", "abc123")?;
/// assert!(file.get(&tenant).is_some());
/// assert!(!format!("{file:?}").contains("gz-key"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CredentialsFile {
    tenants: BTreeMap<TenantId, TenantCredentials>,
    options: ClientOptions,
}

impl CredentialsFile {
    /// Reads the document at `path`.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, CredentialsFileError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| CredentialsFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(&text).map_err(|error| match error {
            CredentialsFileError::Invalid { source, .. } => CredentialsFileError::Invalid {
                path: Some(path.to_owned()),
                source,
            },
            other => other,
        })
    }

    /// Parses a document.
    pub fn from_json(text: &str) -> Result<Self, CredentialsFileError> {
        Self::parse(text)
    }

    fn parse(text: &str) -> Result<Self, CredentialsFileError> {
        let file: wire::File = serde_json::from_str(text)
            .map_err(|source| CredentialsFileError::Invalid { path: None, source })?;
        let mut tenants = BTreeMap::new();
        for entry in file.tenants {
            let tenant = TenantId::new(&entry.datto.api_url, &entry.datto.account_uid)
                .map_err(|e| CredentialsFileError::Tenant(e.to_string()))?;
            let credentials = entry.credentials();
            if tenants.insert(tenant.clone(), credentials).is_some() {
                return Err(CredentialsFileError::Duplicate(tenant));
            }
        }
        Ok(Self {
            tenants,
            options: ClientOptions::default(),
        })
    }

    /// Builds every client with `options` (user agent, timeouts, retry policy; each
    /// credential's URL wins over a base URL in them).
    pub fn with_options(mut self, options: ClientOptions) -> Self {
        self.options = options;
        self
    }

    /// The credentials of `tenant`, when the document lists it.
    pub fn get(&self, tenant: &TenantId) -> Option<&TenantCredentials> {
        self.tenants.get(tenant)
    }

    /// The tenants the document lists.
    pub fn tenants(&self) -> impl Iterator<Item = &TenantId> {
        self.tenants.keys()
    }
}

#[async_trait]
impl ConnectionSource for CredentialsFile {
    #[cfg(feature = "gravityzone")]
    async fn gravityzone(&self, tenant: &TenantId) -> Option<crate::gravityzone::TenantConnection> {
        let entry = self.tenants.get(tenant)?;
        let gravityzone = entry.gravityzone.as_ref()?;
        crate::gravityzone::TenantConnection::from_credentials_with(
            &entry.datto,
            gravityzone,
            &self.options,
        )
        .inspect_err(|e| tracing::warn!(%tenant, error = %e, "unusable GravityZone settings"))
        .ok()
    }

    #[cfg(feature = "itglue")]
    async fn itglue(&self, tenant: &TenantId) -> Option<super::ItGlueConnection> {
        use crate::itglue::{DattoRmmAdapter, ItGlueAdapter};
        let entry = self.tenants.get(tenant)?;
        let itglue = entry.itglue.as_ref()?;
        let rmm = DattoRmmAdapter::from_credentials_with(&entry.datto, &self.options)
            .inspect_err(|e| tracing::warn!(%tenant, error = %e, "unusable Datto RMM settings"))
            .ok()?;
        let docs = ItGlueAdapter::from_credentials_with(itglue, &self.options)
            .inspect_err(|e| tracing::warn!(%tenant, error = %e, "unusable IT Glue settings"))
            .ok()?;
        Some(super::ItGlueConnection {
            rmm: std::sync::Arc::new(rmm),
            docs: std::sync::Arc::new(docs),
        })
    }
}

/// The document as written; every entry also parses when its flow is not built in.
mod wire {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct File {
        pub(super) tenants: Vec<Tenant>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(
        not(all(feature = "itglue", feature = "gravityzone")),
        allow(dead_code)
    )]
    pub(super) struct Tenant {
        pub(super) datto: Datto,
        itglue: Option<ItGlue>,
        gravityzone: Option<GravityZone>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub(super) struct Datto {
        pub(super) api_url: String,
        pub(super) account_uid: String,
        api_key: String,
        api_secret: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(not(feature = "itglue"), allow(dead_code))]
    struct ItGlue {
        api_url: String,
        api_key: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[cfg_attr(not(feature = "gravityzone"), allow(dead_code))]
    struct GravityZone {
        access_url: String,
        api_key: String,
    }

    impl Tenant {
        pub(super) fn credentials(self) -> TenantCredentials {
            let Datto {
                api_url,
                api_key,
                api_secret,
                ..
            } = self.datto;
            TenantCredentials {
                datto: DattoCredentials::new(
                    api_url,
                    Secret::new(api_key),
                    Secret::new(api_secret),
                ),
                #[cfg(feature = "itglue")]
                itglue: self.itglue.map(|i| crate::itglue::ItGlueCredentials {
                    location: crate::itglue::ItGlueLocation::Url(i.api_url),
                    api_key: Secret::new(i.api_key),
                }),
                #[cfg(feature = "gravityzone")]
                gravityzone: self.gravityzone.map(|g| {
                    crate::gravityzone::GravityZoneCredentials::new(
                        g.access_url,
                        Secret::new(g.api_key),
                    )
                }),
            }
        }
    }
}

#[cfg(all(test, feature = "itglue", feature = "gravityzone"))]
mod tests {
    use super::*;

    const DATTO: &str = "https://merlot-api.centrastage.net";

    fn entry(account: &str, itglue: bool, gravityzone: bool) -> serde_json::Value {
        let mut entry = serde_json::json!({"datto": {
            "api_url": DATTO, "account_uid": account,
            "api_key": "DATTO-KEY-1", "api_secret": "DATTO-SECRET-2"}});
        if itglue {
            entry["itglue"] = serde_json::json!({
                "api_url": "https://api.itglue.com", "api_key": "ITG-KEY-3"});
        }
        if gravityzone {
            entry["gravityzone"] = serde_json::json!({
                "access_url": "https://cloudgz.gravityzone.bitdefender.com/api",
                "api_key": "GZ-KEY-4"});
        }
        entry
    }

    fn file(entries: Vec<serde_json::Value>) -> Result<CredentialsFile, CredentialsFileError> {
        CredentialsFile::from_json(&serde_json::json!({ "tenants": entries }).to_string())
    }

    fn tenant(account: &str) -> TenantId {
        TenantId::new(DATTO, account).unwrap()
    }

    #[tokio::test]
    async fn each_tenant_gets_the_connections_of_the_flows_it_lists() {
        let file = file(vec![
            entry("both", true, true),
            entry("gz-only", false, true),
        ])
        .unwrap();
        assert_eq!(file.tenants().count(), 2);
        assert!(file.gravityzone(&tenant("both")).await.is_some());
        assert!(file.itglue(&tenant("both")).await.is_some());
        assert!(file.gravityzone(&tenant("gz-only")).await.is_some());
        assert!(file.itglue(&tenant("gz-only")).await.is_none());
        assert!(file.gravityzone(&tenant("unlisted")).await.is_none());
        let listed = file.get(&tenant("both")).unwrap();
        assert_eq!(listed.datto.api_key.expose_secret(), "DATTO-KEY-1");
    }

    #[tokio::test]
    async fn unusable_settings_leave_the_flow_unconnected() {
        let mut bad = entry("bad", true, true);
        bad["gravityzone"]["access_url"] = "http://gz.example/api".into();
        bad["itglue"]["api_url"] = "not a url".into();
        let file = file(vec![bad]).unwrap();
        assert!(file.gravityzone(&tenant("bad")).await.is_none());
        assert!(file.itglue(&tenant("bad")).await.is_none());
    }

    #[test]
    fn a_tenant_listed_twice_is_refused_by_name() {
        let error = file(vec![entry("a", true, true), entry("a", false, true)]).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("the credentials file lists {} twice", tenant("a"))
        );
    }

    #[test]
    fn an_unknown_field_or_a_missing_secret_is_refused() {
        let mut typo = entry("a", true, true);
        typo["gravityzone"]["apikey"] = "x".into();
        let mut missing = entry("b", false, false);
        missing["datto"]
            .as_object_mut()
            .unwrap()
            .remove("api_secret");
        for wrong in [typo, missing] {
            let error = file(vec![wrong]).unwrap_err();
            assert!(
                matches!(error, CredentialsFileError::Invalid { path: None, .. }),
                "{error}"
            );
            assert!(
                error
                    .to_string()
                    .starts_with("the credentials file is not valid: ")
            );
        }
    }

    #[test]
    fn an_unreadable_file_is_named() {
        let error = CredentialsFile::read("/nonexistent/tenants.json").unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("cannot read the credentials file /nonexistent/tenants.json: "),
            "{error}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tenants.json");
        std::fs::write(&path, "{").unwrap();
        let error = CredentialsFile::read(&path).unwrap_err();
        let expected = format!("the credentials file {} is not valid: ", path.display());
        assert!(error.to_string().starts_with(&expected), "{error}");
    }

    #[tokio::test]
    async fn the_clients_are_built_with_the_options_given() {
        use msp_fakes::datto::{DattoFake, DattoFakeConfig};
        use msp_fakes::harness::{FaultKind, FaultPlan};
        use msp_fakes::msp::{GeneratedMsp, MspSize};
        use msp_transport::RetryPolicy;

        let msp = GeneratedMsp::generate(
            3,
            MspSize::Custom {
                sites: 3,
                devices: 3,
            },
        );
        let fake = DattoFake::start(DattoFakeConfig::new(msp)).await;
        let unavailable = FaultPlan::new(0, 1.0, vec![FaultKind::Status503]);
        fake.faults()
            .set(unavailable.only_paths_containing("/api/v2/account"));
        let mut listed = entry("a", true, false);
        listed["datto"]["api_url"] = fake.uri().into();
        listed["datto"]["api_key"] = fake.config().api_key.clone().into();
        listed["datto"]["api_secret"] = fake.config().api_secret.clone().into();
        let once = ClientOptions::default().retry_policy(RetryPolicy::default().max_attempts(1));
        let file = file(vec![listed]).unwrap().with_options(once);
        let tenant = TenantId::new(&fake.uri(), "a").unwrap();
        let connection = file.itglue(&tenant).await.unwrap();
        assert!(connection.rmm.account_uid().await.is_err());
        // The default policy retries a 503 on a read; these options allow one attempt.
        assert_eq!(fake.log().count("GET", "/api/v2/account"), 1);
    }

    #[test]
    fn no_secret_is_ever_printed() {
        let file = file(vec![entry("a", true, true)]).unwrap();
        let printed = format!("{file:?}");
        for secret in ["DATTO-KEY-1", "DATTO-SECRET-2", "ITG-KEY-3", "GZ-KEY-4"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }
}
