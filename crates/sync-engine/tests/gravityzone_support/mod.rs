//! Shared set-up of the GravityZone workflow tests: a small MSP in the in-memory doubles, an
//! engine on a `MemoryStore`, a connected tenant.
#![allow(dead_code)]

pub mod doubles;
pub mod fakes;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sync_core::gravityzone::{
    CompanyId, EventHandling, EventKind, Settings, Site, SiteUid, SyncLevel,
};
use sync_engine::gravityzone::{
    Approval, BatchPlan, BatchReport, CompaniesChange, EventView, GravityZoneSync,
    GravityZoneSyncError, PassOptions, PassReport, TenantConnection, TokioClock, datto_fingerprint,
    gravityzone_fingerprint,
};
use sync_store::{MemoryStore, Store, TenantId};

use doubles::{DattoDouble, GravityZoneDouble};

pub const DATTO_URL: &str = "https://merlot-api.centrastage.net";
pub const GZ_URL: &str = "https://cloudgz.gravityzone.bitdefender.com/api";

/// A start time for the tests' clocks.
pub fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600, 0).unwrap()
}

/// One MSP: its two vendor doubles, the engine, the connection and the tenant.
pub struct World {
    pub datto: Arc<DattoDouble>,
    pub gz: Arc<GravityZoneDouble>,
    pub store: Arc<MemoryStore>,
    pub sync: GravityZoneSync,
    pub connection: TenantConnection,
    pub tenant: TenantId,
    /// The company named like the site "Acme".
    pub acme: CompanyId,
    /// A free company no site is named like.
    pub zeta: CompanyId,
}

/// The sites: three system sites, four customer sites, one OnDemand customer site.
pub fn sites() -> Vec<Site> {
    vec![
        Site::new("sys-managed", "Managed", false),
        Site::new("sys-ondemand", "OnDemand", true),
        Site::new("sys-deleted", "Deleted Devices", false),
        Site::new("s-acme", "Acme", false),
        Site::new("s-globex", "Globex", false),
        Site::new("s-initech", "Initech", false),
        Site::new("s-hooli", "Hooli", false),
        Site::new("s-umbrella", "Umbrella", true),
    ]
}

pub fn connection_with(
    datto: &Arc<DattoDouble>,
    gz: &Arc<GravityZoneDouble>,
    datto_key: &str,
    gz_key: &str,
) -> TenantConnection {
    TenantConnection::new(
        DATTO_URL,
        datto.clone(),
        datto_fingerprint(&datto_key.into(), &"secret".into()),
        GZ_URL,
        gz.clone(),
        gravityzone_fingerprint(&gz_key.into()),
    )
}

impl World {
    /// A connected tenant on a fresh `MemoryStore`.
    pub async fn connected() -> World {
        Self::connected_in(Arc::new(MemoryStore::new()), "acc-1").await
    }

    /// A connected tenant of account `account` in `store`.
    pub async fn connected_in(store: Arc<MemoryStore>, account: &str) -> World {
        let datto = Arc::new(DattoDouble::new(account, sites()));
        let gz = Arc::new(GravityZoneDouble::new("root"));
        let acme = gz.add_company("Acme");
        let zeta = gz.add_company("Zeta Corp");
        let sync = GravityZoneSync::new(store.clone())
            .with_clock(Arc::new(TokioClock::starting_at(t0())))
            .with_worker(format!("worker-{account}"));
        let connection = connection_with(&datto, &gz, "key", "gz-key");
        let tenant = sync.connect(&connection).await.unwrap();
        World {
            datto,
            gz,
            store,
            sync,
            connection,
            tenant,
            acme,
            zeta,
        }
    }

    pub async fn set(&self, level: SyncLevel, handling: EventHandling) {
        let mut settings = self.sync.settings(&self.tenant).await.unwrap();
        settings.level = level;
        settings.handling = handling;
        self.sync
            .update_settings(&self.tenant, &settings)
            .await
            .unwrap();
    }

    pub async fn update(&self, change: impl FnOnce(&mut Settings)) {
        let mut settings = self.sync.settings(&self.tenant).await.unwrap();
        change(&mut settings);
        self.sync
            .update_settings(&self.tenant, &settings)
            .await
            .unwrap();
    }

    /// Applies companies-page `changes` as the user alice, approved by `approval`.
    pub async fn apply(
        &self,
        changes: &[CompaniesChange],
        approval: Approval<'_, BatchPlan>,
    ) -> Result<BatchReport, GravityZoneSyncError> {
        let (tenant, connection) = (&self.tenant, &self.connection);
        self.sync
            .apply_companies_changes(tenant, connection, "alice", changes, approval)
            .await
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

    pub async fn open_kinds(&self) -> Vec<(EventKind, String)> {
        self.open_events()
            .await
            .into_iter()
            .map(|v| (v.event.id.kind, v.event.id.site.as_str().to_owned()))
            .collect()
    }

    /// The company `site` is associated with in the store.
    pub async fn company_of(&self, site: &str) -> Option<CompanyId> {
        let state = self.store.state(&self.tenant).await.unwrap();
        state
            .gravityzone
            .association_of(&SiteUid::new(site))
            .map(|r| r.company().clone())
    }
}
