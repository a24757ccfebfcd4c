//! A generated MSP served by the msp-fakes Datto RMM and IT Glue fakes (the IT Glue account
//! planted from it), reached through the real clients and the engine's adapters.

use std::sync::Arc;
use std::time::Duration;

use datto_rmm_client::DattoClient;
use itglue_client::ItGlueClient;
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig, PlantedMatches};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_transport::{ClientOptions, RateLimit, RetryPolicy};
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueFlow, ItGlueLocation, discover_tenant,
};
use sync_store::{SqliteStore, Store, TenantId};

use super::flaky_store::FlakyStore;
use super::now;

/// The IT Glue key the fake accepts.
pub const ITGLUE_KEY: &str = "ITG.e2e0000000000000000000000000001";

/// A client limit high enough that tests do not wait on the vendors' documented rates (the
/// limiters themselves are tested in the client crates).
fn fast() -> RateLimit {
    RateLimit::new(100_000, Duration::from_secs(1)).unwrap()
}

/// Retries without long waits, so a failing page fails fast.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(2)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

/// Both fakes, the store and the flow of the tenant they serve.
pub struct FakeAccount {
    pub directory: tempfile::TempDir,
    pub msp: GeneratedMsp,
    pub datto: DattoFake,
    pub itglue: ItGlueFake,
    pub planted: PlantedMatches,
    pub store: Arc<FlakyStore>,
    pub tenant: TenantId,
    pub flow: ItGlueFlow,
}

impl FakeAccount {
    /// Generates the MSP, starts both fakes, plants the IT Glue account and connects.
    pub async fn start(seed: u64, size: MspSize, itglue_page_size: u32) -> Self {
        let msp = GeneratedMsp::generate(seed, size);
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        datto_config.rate_limit = None;
        let datto = DattoFake::start(datto_config).await;
        let mut itglue_config = ItGlueFakeConfig::new(ITGLUE_KEY);
        itglue_config.rate_limit = None;
        let itglue = ItGlueFake::start(itglue_config).await;
        let planted = itglue.plant_documentation(&msp, seed);
        // SQLite, the embedded default (MemoryStore copies a tenant's data on every write, which
        // a run keeping thousands of audits would pay for thousands of times).
        let directory = tempfile::tempdir().unwrap();
        let sqlite = SqliteStore::open(directory.path().join("msp-sync.db"))
            .await
            .unwrap();
        let store = Arc::new(FlakyStore::over(Arc::new(sqlite)));

        let credentials = Self::datto_credentials(&datto);
        let rmm = Arc::new(Self::datto_adapter(&datto, &credentials));
        let tenant = discover_tenant(rmm.as_ref()).await.unwrap();
        let flow = ItGlueFlow::new(
            store.clone(),
            tenant.clone(),
            rmm,
            Arc::new(Self::itglue_adapter(&itglue, ITGLUE_KEY, itglue_page_size)),
        )
        .with_clock(Arc::new(now));
        flow.connect().await.unwrap();
        datto.log().clear();
        itglue.log().clear();
        Self {
            directory,
            msp,
            datto,
            itglue,
            planted,
            store,
            tenant,
            flow,
        }
    }

    pub fn datto_credentials(datto: &DattoFake) -> DattoCredentials {
        DattoCredentials::new(
            datto.uri(),
            datto.config().api_key.clone(),
            datto.config().api_secret.clone(),
        )
    }

    pub fn datto_adapter(datto: &DattoFake, credentials: &DattoCredentials) -> DattoRmmAdapter {
        let client = DattoClient::builder()
            .api_url(datto.uri())
            .api_key(credentials.api_key.clone())
            .api_secret(credentials.api_secret.clone())
            .options(
                ClientOptions::new()
                    .rate_limit(fast())
                    .retry_policy(quick_retries()),
            )
            .build()
            .unwrap();
        DattoRmmAdapter::with_client(client, credentials)
    }

    pub fn itglue_adapter(itglue: &ItGlueFake, key: &str, page_size: u32) -> ItGlueAdapter {
        let credentials = ItGlueCredentials {
            location: ItGlueLocation::Url(itglue.uri()),
            api_key: key.into(),
        };
        let client = ItGlueClient::builder()
            .base_url(itglue.uri())
            .api_key(credentials.api_key.clone())
            .options(
                ClientOptions::new()
                    .rate_limit(fast())
                    .retry_policy(quick_retries()),
            )
            .page_size(page_size)
            .build()
            .unwrap();
        ItGlueAdapter::with_client(client, &credentials)
    }

    /// The same flow reaching Datto RMM with other credentials.
    pub fn with_datto_credentials(&self, credentials: &DattoCredentials) -> ItGlueFlow {
        let rmm = Arc::new(Self::datto_adapter(&self.datto, credentials));
        ItGlueFlow::new(
            self.store.clone(),
            self.tenant.clone(),
            rmm,
            Arc::new(Self::itglue_adapter(&self.itglue, ITGLUE_KEY, 1000)),
        )
        .with_clock(Arc::new(now))
    }

    pub async fn state(&self) -> sync_store::TenantState {
        self.store.state(&self.tenant).await.unwrap()
    }
}
