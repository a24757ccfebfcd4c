//! A generated MSP served by the msp-fakes Datto RMM and GravityZone fakes, reached through the
//! real clients and the engine's adapters.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use msp_fakes::harness::{FaultKind, FaultPlan, Faults};
use msp_transport::RetryPolicy;
use sync_core::gravityzone::{Company, CompanyId, DefaultPackage};
use sync_engine::gravityzone::ports::{CompanySubtree, GravityZonePort, PortError};

use datto_rmm_client::DattoClient;
use gravityzone_client::{GravityZoneClient, RateClass};
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::gravityzone::{
    FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig, MspSeedPlan, MspSeedReport,
};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_transport::{ClientOptions, RateLimit};
use sync_core::gravityzone::{EventHandling, EventKind, Settings, SiteUid, SyncLevel};
use sync_engine::gravityzone::adapters::{DattoRmmAdapter, GravityZoneAdapter};
use sync_engine::gravityzone::{
    DattoCredentials, EventView, GravityZoneCredentials, GravityZoneSync, PassOptions, PassReport,
    TenantConnection,
};
use sync_store::{Store, TenantId};

/// The generated MSP every fake-backed test uses.
pub const MSP_SEED: u64 = 42;

/// Both fakes serving one generated MSP, the engine on `store`, a connected tenant.
pub struct FakeMsp {
    pub msp: GeneratedMsp,
    pub datto: DattoFake,
    pub gz: GravityZoneFake,
    pub seeded: MspSeedReport,
    pub store: Arc<dyn Store>,
    pub sync: GravityZoneSync,
    pub connection: TenantConnection,
    pub tenant: TenantId,
}

/// A client limit high enough that tests do not wait on the vendor's documented rates (the
/// limiter itself is tested in the client crates).
fn fast() -> RateLimit {
    RateLimit::new(10_000, Duration::from_secs(1)).unwrap()
}

/// The credentials of the two fakes and adapters over real clients pointed at them (client
/// limits raised, retries as `retry` says).
pub fn adapters_for(
    datto: &DattoFake,
    gz: &GravityZoneFake,
    retry: RetryPolicy,
) -> (
    DattoCredentials,
    DattoRmmAdapter,
    GravityZoneCredentials,
    GravityZoneAdapter,
) {
    let datto_credentials = DattoCredentials::new(
        datto.uri(),
        datto.config().api_key.clone(),
        datto.config().api_secret.clone(),
    );
    let gz_credentials = GravityZoneCredentials::new(gz.access_url(), gz.api_key());
    let datto_client = DattoClient::builder()
        .api_url(datto.uri())
        .api_key(datto_credentials.api_key.clone())
        .api_secret(datto_credentials.api_secret.clone())
        .options(
            ClientOptions::new()
                .rate_limit(fast())
                .retry_policy(retry.clone()),
        )
        .operation_write_limit(fast())
        .build()
        .unwrap();
    let mut gz_builder = GravityZoneClient::builder()
        .access_url(gz.access_url())
        .api_key(gz_credentials.api_key.clone())
        .options(ClientOptions::new().retry_policy(retry));
    for class in [
        RateClass::Default,
        RateClass::LicensingAndCompanyWrites,
        RateClass::Moves,
    ] {
        gz_builder = gz_builder.rate_limit(class, fast());
    }
    let datto_adapter = DattoRmmAdapter::with_client(datto_client, &datto_credentials);
    (
        datto_credentials,
        datto_adapter,
        gz_credentials,
        GravityZoneAdapter::new(gz_builder.build().unwrap()),
    )
}

/// A connection to the two fakes through the real clients.
pub fn connection_to(datto: &DattoFake, gz: &GravityZoneFake) -> TenantConnection {
    let (datto_credentials, datto_adapter, gz_credentials, gz_adapter) =
        adapters_for(datto, gz, RetryPolicy::default());
    TenantConnection::from_adapters(
        &datto_credentials,
        datto_adapter,
        &gz_credentials,
        gz_adapter,
    )
}

/// GravityZone through the real client, except that every `createCompany` is answered `500`
/// by the fake *after* it created the company: the run is cut off between creating a company
/// and learning its id.
pub struct CreateThenFail {
    pub inner: GravityZoneAdapter,
    pub faults: Faults,
}

#[async_trait]
impl GravityZonePort for CreateThenFail {
    async fn check_api_key(&self) -> Result<(), PortError> {
        self.inner.check_api_key().await
    }
    async fn root_company(&self) -> Result<CompanyId, PortError> {
        self.inner.root_company().await
    }
    async fn customer_companies(&self, root: &CompanyId) -> Result<CompanySubtree, PortError> {
        self.inner.customer_companies(root).await
    }
    async fn endpoint_count(&self, id: &CompanyId) -> Result<u64, PortError> {
        self.inner.endpoint_count(id).await
    }
    async fn company(&self, id: &CompanyId) -> Result<Option<Company>, PortError> {
        self.inner.company(id).await
    }
    async fn find_company_by_name(&self, name: &str) -> Result<Option<Company>, PortError> {
        self.inner.find_company_by_name(name).await
    }
    async fn create_company(&self, name: &str, parent: &CompanyId) -> Result<CompanyId, PortError> {
        self.faults.set(
            FaultPlan::new(1, 1.0, vec![FaultKind::FailAfterCommit])
                .only_paths_containing("jsonrpc/companies"),
        );
        let created = self.inner.create_company(name, parent).await;
        self.faults.clear();
        created
    }
    async fn rename_company(&self, id: &CompanyId, name: &str) -> Result<(), PortError> {
        self.inner.rename_company(id, name).await
    }
    async fn move_company(&self, id: &CompanyId, parent: &CompanyId) -> Result<(), PortError> {
        self.inner.move_company(id, parent).await
    }
    async fn delete_company(&self, id: &CompanyId) -> Result<(), PortError> {
        self.inner.delete_company(id).await
    }
    async fn find_or_create_package(
        &self,
        company: &CompanyId,
        name: &str,
        package: &DefaultPackage,
    ) -> Result<String, PortError> {
        self.inner
            .find_or_create_package(company, name, package)
            .await
    }
    async fn delete_package(&self, company: &CompanyId, name: &str) -> Result<bool, PortError> {
        self.inner.delete_package(company, name).await
    }
    async fn installation_link(
        &self,
        company: &CompanyId,
        name: &str,
    ) -> Result<Option<String>, PortError> {
        self.inner.installation_link(company, name).await
    }
}

impl FakeMsp {
    /// The generated MSP in both fakes (GravityZone seeded with every case of
    /// [`MspSeedPlan::default`]), connected on `store`.
    pub async fn start(store: Arc<dyn Store>, worker: &str) -> FakeMsp {
        Self::start_seeded(store, worker, MSP_SEED).await
    }

    /// The same with the MSP generated from `seed` (tenants of one store need their own
    /// account).
    pub async fn start_seeded(store: Arc<dyn Store>, worker: &str, seed: u64) -> FakeMsp {
        let msp = GeneratedMsp::generate(seed, MspSize::Small);
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        datto_config.rate_limit = None;
        let datto = DattoFake::start(datto_config).await;
        let gz_config = GravityZoneFakeConfig {
            rate_limits: FakeRateLimits::none(),
            ..GravityZoneFakeConfig::default()
        };
        let gz = GravityZoneFake::start(gz_config).await;
        let seeded = gz.seed_from_msp(&msp, &MspSeedPlan::default());
        let sync = GravityZoneSync::new(store.clone()).with_worker(worker);
        let connection = connection_to(&datto, &gz);
        let tenant = sync.connect(&connection).await.unwrap();
        FakeMsp {
            msp,
            datto,
            gz,
            seeded,
            store,
            sync,
            connection,
            tenant,
        }
    }

    pub async fn settings(&self, level: SyncLevel, handling: EventHandling) {
        let settings = Settings {
            level,
            handling,
            ..self.sync.settings(&self.tenant).await.unwrap()
        };
        self.sync
            .update_settings(&self.tenant, &settings)
            .await
            .unwrap();
    }

    pub async fn pass(&self) -> PassReport {
        self.sync
            .run_pass(&self.tenant, &self.connection, PassOptions::apply())
            .await
            .unwrap()
    }

    pub async fn open_events(&self) -> Vec<EventView> {
        self.sync.events(&self.tenant).await.unwrap()
    }

    /// The open events as (kind, site uid), sorted.
    pub async fn open(&self) -> Vec<(EventKind, String)> {
        let mut open: Vec<(EventKind, String)> = self
            .open_events()
            .await
            .into_iter()
            .map(|v| (v.event.id.kind, v.event.id.site.as_str().to_owned()))
            .collect();
        open.sort();
        open
    }

    /// The company the store associates with `site`.
    pub async fn company_of(&self, site: &str) -> Option<String> {
        let state = self.store.state(&self.tenant).await.unwrap();
        state
            .gravityzone
            .association_of(&SiteUid::new(site))
            .map(|r| r.company().as_str().to_owned())
    }

    /// The value of `site`'s variable `name` in the Datto fake.
    pub fn variable(&self, site: &str, name: &str) -> Option<String> {
        self.datto
            .site_variables(site)
            .into_iter()
            .find(|v| v.name == name)
            .map(|v| v.value)
    }

    /// The customer sites the seed gave no company at all, in order.
    pub fn sites_without_company(&self) -> Vec<(String, String)> {
        let seeded: Vec<&String> = [
            &self.seeded.same_name,
            &self.seeded.prefixed,
            &self.seeded.foreign,
            &self.seeded.under_reseller,
        ]
        .into_iter()
        .flatten()
        .map(|(site, _)| site)
        .collect();
        self.msp
            .customer_sites()
            .filter(|s| !seeded.contains(&&s.uid))
            .map(|s| (s.uid.clone(), s.name.clone()))
            .collect()
    }

    /// The name of the site `uid`.
    pub fn site_name(&self, uid: &str) -> String {
        self.msp
            .sites
            .iter()
            .find(|s| s.uid == uid)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }
}
