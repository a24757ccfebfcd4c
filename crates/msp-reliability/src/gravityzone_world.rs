//! The Datto RMM ↔ GravityZone flow against the fakes: a generated MSP in both fakes, the
//! engine on a store, the real clients — and the end state a run leaves, described by names
//! (ids differ from run to run) so two runs can be compared.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use datto_rmm_client::DattoClient;
use gravityzone_client::{GravityZoneClient, RateClass};
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::gravityzone::{FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig, MspSeedPlan};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_transport::{ClientOptions, RateLimit, RetryPolicy};
use sync_core::gravityzone::{EventHandling, SyncLevel};
use sync_engine::gravityzone::adapters::{DattoRmmAdapter, GravityZoneAdapter};
use sync_engine::gravityzone::{
    DattoCredentials, GravityZoneCredentials, GravityZoneSync, GravityZoneSyncError, PassOptions,
    PassReport, TenantConnection,
};
use sync_store::{Store, TenantId};

/// How long one attempt may take before the client gives up on it (an injected slow answer
/// takes longer).
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(750);

fn fast() -> RateLimit {
    RateLimit::per_second(100_000).unwrap_or_else(|_| unreachable!("a non-zero limit"))
}

/// Retries as in production (three attempts, honouring `Retry-After`), with short backoffs.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(20))
}

/// One generated MSP in both fakes, the engine on `store`, a connected tenant.
pub struct GravityZoneWorld {
    /// The MSP.
    pub msp: GeneratedMsp,
    /// The Datto RMM fake.
    pub datto: DattoFake,
    /// The GravityZone fake.
    pub gz: GravityZoneFake,
    /// The store.
    pub store: Arc<dyn Store>,
    /// The engine.
    pub sync: GravityZoneSync,
    /// The connection through the real clients.
    pub connection: TenantConnection,
    /// The tenant.
    pub tenant: TenantId,
}

impl std::fmt::Debug for GravityZoneWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GravityZoneWorld")
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

/// Real clients pointed at the fakes (client-side limits raised, short per-attempt timeout).
pub fn connection_to(datto: &DattoFake, gz: &GravityZoneFake) -> TenantConnection {
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
                .retry_policy(quick_retries())
                .timeout(Some(ATTEMPT_TIMEOUT)),
        )
        .operation_write_limit(fast())
        .build()
        .unwrap_or_else(|e| panic!("Datto client: {e}"));
    let mut gz_builder = GravityZoneClient::builder()
        .access_url(gz.access_url())
        .api_key(gz_credentials.api_key.clone())
        .options(
            ClientOptions::new()
                .retry_policy(quick_retries())
                .timeout(Some(ATTEMPT_TIMEOUT)),
        );
    for class in [
        RateClass::Default,
        RateClass::LicensingAndCompanyWrites,
        RateClass::Moves,
    ] {
        gz_builder = gz_builder.rate_limit(class, fast());
    }
    let gz_client = gz_builder
        .build()
        .unwrap_or_else(|e| panic!("GravityZone client: {e}"));
    TenantConnection::from_adapters(
        &datto_credentials,
        DattoRmmAdapter::with_client(datto_client, &datto_credentials),
        &gz_credentials,
        GravityZoneAdapter::new(gz_client),
    )
}

impl GravityZoneWorld {
    /// The MSP generated from `seed` (small), GravityZone seeded with every case of
    /// [`MspSeedPlan::default`], the tenant connected and set to automatic inventory sync with
    /// automatic event handling (the level at which a pass creates companies and packages and
    /// writes site variables).
    pub async fn start(seed: u64, store: Arc<dyn Store>) -> Self {
        let msp = GeneratedMsp::generate(seed, MspSize::Small);
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        datto_config.rate_limit = None;
        let datto = DattoFake::start(datto_config).await;
        let gz = GravityZoneFake::start(GravityZoneFakeConfig {
            seed,
            rate_limits: FakeRateLimits::none(),
            ..GravityZoneFakeConfig::default()
        })
        .await;
        gz.seed_from_msp(&msp, &MspSeedPlan::default());
        let sync = GravityZoneSync::new(store.clone()).with_worker("reliability");
        let connection = connection_to(&datto, &gz);
        let tenant = sync
            .connect(&connection)
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let mut settings = sync
            .settings(&tenant)
            .await
            .unwrap_or_else(|e| panic!("settings: {e}"));
        settings.level = SyncLevel::AutomaticInventorySync;
        settings.handling = EventHandling::Automatic;
        sync.update_settings(&tenant, &settings)
            .await
            .unwrap_or_else(|e| panic!("update settings: {e}"));
        Self {
            msp,
            datto,
            gz,
            store,
            sync,
            connection,
            tenant,
        }
    }

    /// One inventory sync pass that applies its plan.
    pub async fn pass(&self) -> Result<PassReport, GravityZoneSyncError> {
        self.sync
            .run_pass(&self.tenant, &self.connection, PassOptions::apply())
            .await
    }

    /// Fault-free passes until one changes nothing (at most `max`); returns how many ran.
    pub async fn settle(&self, max: usize) -> usize {
        for n in 1..=max {
            match self.pass().await {
                Ok(report) if report.steps_applied == 0 && report.steps_failed.is_empty() => {
                    return n;
                }
                Ok(_) => {}
                Err(e) => panic!("a fault-free pass failed: {e}"),
            }
        }
        panic!("no quiet pass after {max} fault-free passes")
    }

    /// The end state, by names.
    pub async fn end_state(&self) -> GravityZoneEndState {
        end_state_of(&self.datto, &self.gz, self.store.clone(), &self.tenant).await
    }
}

/// The end state of `tenant` in `store` and in the two fakes, by names.
pub async fn end_state_of(
    datto: &DattoFake,
    gz: &GravityZoneFake,
    store: Arc<dyn Store>,
    tenant: &TenantId,
) -> GravityZoneEndState {
    let companies = gz.companies();
    let name_of: BTreeMap<&str, &str> = companies
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let name = |id: &str| {
        name_of
            .get(id)
            .map_or(format!("<gone {id}>"), |n| (*n).to_owned())
    };
    let mut company_names: BTreeMap<String, usize> = BTreeMap::new();
    for company in &companies {
        let parent = company.parent_id.as_deref().map(name).unwrap_or_default();
        *company_names
            .entry(format!("{} under {parent}", company.name))
            .or_default() += 1;
    }
    let mut packages: BTreeMap<String, usize> = BTreeMap::new();
    for package in gz.packages() {
        *packages
            .entry(format!("{} of {}", package.name, name(&package.company_id)))
            .or_default() += 1;
    }
    let mut variables: BTreeMap<String, usize> = BTreeMap::new();
    for (site, list) in datto.all_site_variables() {
        for variable in list {
            *variables
                .entry(format!("{site}/{}", variable.name))
                .or_default() += 1;
        }
    }
    let state = store
        .state(tenant)
        .await
        .unwrap_or_else(|e| panic!("state: {e}"));
    let associations = state
        .gravityzone
        .associations
        .iter()
        .map(|a| (a.site().as_str().to_owned(), name(a.company().as_str())))
        .collect();
    let exclusions = state
        .gravityzone
        .exclusions
        .iter()
        .map(|e| e.site().as_str().to_owned())
        .collect();
    let open_events = GravityZoneSync::new(store.clone())
        .events(tenant)
        .await
        .unwrap_or_else(|e| panic!("events: {e}"))
        .into_iter()
        .map(|v| format!("{:?} {}", v.event.id.kind, v.event.id.site.as_str()))
        .collect();
    GravityZoneEndState {
        companies: company_names,
        packages,
        variables,
        associations,
        exclusions,
        open_events,
    }
}

/// What a run leaves, by names: vendor objects with their counts, and the stored state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GravityZoneEndState {
    /// "name under parent" → how many companies.
    pub companies: BTreeMap<String, usize>,
    /// "package of company" → how many packages.
    pub packages: BTreeMap<String, usize>,
    /// "site/variable" → how many variables.
    pub variables: BTreeMap<String, usize>,
    /// Site uid → associated company name.
    pub associations: BTreeMap<String, String>,
    /// Excluded site uids.
    pub exclusions: BTreeSet<String>,
    /// Open events, "kind site".
    pub open_events: BTreeSet<String>,
}

impl GravityZoneEndState {
    /// Objects that exist more than once.
    pub fn duplicates(&self) -> Vec<String> {
        [&self.companies, &self.packages, &self.variables]
            .into_iter()
            .flat_map(|m| {
                m.iter()
                    .filter(|(_, n)| **n > 1)
                    .map(|(k, n)| format!("{k} ×{n}"))
            })
            .collect()
    }

    /// What this (intermediate) state holds that `reference` does not: vendor objects or
    /// associations a fault-free run never makes.
    pub fn beyond(&self, reference: &GravityZoneEndState) -> Vec<String> {
        let mut extra = Vec::new();
        for (what, mine, theirs) in [
            ("company", &self.companies, &reference.companies),
            ("package", &self.packages, &reference.packages),
            ("variable", &self.variables, &reference.variables),
        ] {
            for key in mine.keys() {
                if !theirs.contains_key(key) {
                    extra.push(format!("{what} {key}"));
                }
            }
        }
        for (site, company) in &self.associations {
            if reference.associations.get(site) != Some(company) {
                extra.push(format!("association {site} → {company}"));
            }
        }
        extra
    }

    /// What `earlier` and `reference` both hold that this state lost: vendor objects or
    /// associations removed although a fault-free run keeps them (the mark of acting on a
    /// partial list).
    pub fn lost(
        &self,
        earlier: &GravityZoneEndState,
        reference: &GravityZoneEndState,
    ) -> Vec<String> {
        let mut lost = Vec::new();
        for (what, mine, before, theirs) in [
            (
                "company",
                &self.companies,
                &earlier.companies,
                &reference.companies,
            ),
            (
                "package",
                &self.packages,
                &earlier.packages,
                &reference.packages,
            ),
            (
                "variable",
                &self.variables,
                &earlier.variables,
                &reference.variables,
            ),
        ] {
            for key in before.keys() {
                if theirs.contains_key(key) && !mine.contains_key(key) {
                    lost.push(format!("{what} {key}"));
                }
            }
        }
        for (site, company) in &earlier.associations {
            if reference.associations.get(site) == Some(company)
                && self.associations.get(site) != Some(company)
            {
                lost.push(format!("association {site} → {company}"));
            }
        }
        lost
    }
}
