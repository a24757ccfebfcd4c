//! The GravityZone workflow against the msp-fakes fakes when things go wrong: a run cut off
//! after creating a company, a failed inventory fetch, refused credentials, a reset with two
//! tenants in one SQLite store.

mod gravityzone_support;

use std::collections::BTreeMap;
use std::sync::Arc;

use gravityzone_support::fakes::{CreateThenFail, FakeMsp, adapters_for, connection_to};
use msp_fakes::harness::{FaultKind, FaultPlan, RequestLog};
use msp_transport::RetryPolicy;
use sync_core::gravityzone::{Change, EventHandling, SiteUid, SyncLevel};
use sync_engine::gravityzone::{
    Approval, CompaniesChange, GravityZoneSyncError, PassOptions, TenantConnection,
};
use sync_store::{CredentialStatus, MemoryStore, RunStatus, SqliteStore, Store, Vendor};

/// How many companies of each name the GravityZone fake holds.
fn name_counts(fake: &FakeMsp) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for company in fake.gz.companies() {
        *counts.entry(company.name.to_lowercase()).or_insert(0) += 1;
    }
    counts
}

#[tokio::test]
async fn a_pass_cut_off_between_creating_a_company_and_learning_its_id_resumes_without_a_second_company()
 {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    fake.settings(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let (dc, datto, gc, gz) = adapters_for(&fake.datto, &fake.gz, RetryPolicy::default());
    let cut_off = TenantConnection::new(
        dc.api_url.clone(),
        Arc::new(datto),
        dc.fingerprint(),
        gc.access_url.clone(),
        Arc::new(CreateThenFail {
            inner: gz,
            faults: fake.gz.faults().clone(),
        }),
        gc.fingerprint(),
    );
    let first = fake
        .sync
        .run_pass(&fake.tenant, &cut_off, PassOptions::apply())
        .await
        .unwrap();
    let created = fake.gz.calls("createCompany");
    assert!(created > 0);
    assert_eq!(
        first.steps_failed.len(),
        created,
        "{:?}",
        first.steps_failed
    );
    let pending = fake.store.pending_intents(&fake.tenant).await.unwrap();
    assert_eq!(pending.len(), created, "{pending:?}");

    // Names another partner holds were refused: GravityZone created nothing for them.
    let root = fake.gz.root_id();
    let made = pending
        .iter()
        .filter(|entry| {
            let name = entry
                .key
                .rsplit_once(':')
                .map(|(_, n)| n)
                .unwrap_or_default();
            fake.gz
                .company_named(name)
                .is_some_and(|c| c.parent_id.as_deref() == Some(root.as_str()))
        })
        .count();
    assert!(made > 0 && made < created, "{made} of {created}");

    // The next pass, with GravityZone answering normally again: the companies made are
    // associated, the refused names are tried once more and become destination creations.
    let second = fake.pass().await;
    assert_eq!(second.recovered, made, "{second:?}");
    assert_eq!(
        fake.gz.calls("createCompany"),
        created + (created - made),
        "no company created twice"
    );
    assert!(
        name_counts(&fake).values().all(|n| *n == 1),
        "{:?}",
        name_counts(&fake)
    );
    let refused: Vec<_> = fake
        .open()
        .await
        .into_iter()
        .filter(|(kind, site)| {
            *kind == sync_core::gravityzone::EventKind::DestinationCreation
                && pending
                    .iter()
                    .any(|entry| entry.key.contains(site.as_str()))
        })
        .collect();
    assert_eq!(refused.len(), created - made, "{refused:?}");
    for (site, _) in fake.sites_without_company() {
        let company = fake
            .company_of(&site)
            .await
            .expect("associated after resuming");
        assert_eq!(fake.gz.packages_of(&company).len(), 1);
    }
    assert!(fake.store.journal(&fake.tenant).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_pass_cut_off_before_the_package_resumes_with_the_created_company() {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    fake.settings(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let (dc, datto, gc, gz) = adapters_for(&fake.datto, &fake.gz, RetryPolicy::never());
    let no_retries = TenantConnection::from_adapters(&dc, datto, &gc, gz);
    fake.gz.faults().set(
        FaultPlan::new(3, 1.0, vec![FaultKind::Status503])
            .only_paths_containing("jsonrpc/packages"),
    );
    let first = fake
        .sync
        .run_pass(&fake.tenant, &no_retries, PassOptions::apply())
        .await
        .unwrap();
    assert!(!first.steps_failed.is_empty());
    let created = fake.gz.calls("createCompany");
    fake.gz.faults().clear();
    let second = fake.pass().await;
    assert!(second.recovered > 0, "{second:?}");
    assert_eq!(fake.gz.calls("createCompany"), created);
    assert!(name_counts(&fake).values().all(|n| *n == 1));
    let third = fake.pass().await;
    assert!(third.plan.steps.is_empty(), "{:?}", third.plan.steps);
}

#[tokio::test]
async fn a_failed_inventory_fetch_fails_the_pass_before_any_action() {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    fake.settings(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    fake.datto.set_max_page_size(3);
    let (dc, datto, gc, gz) = adapters_for(&fake.datto, &fake.gz, RetryPolicy::never());
    let no_retries = TenantConnection::from_adapters(&dc, datto, &gc, gz);
    for (server, path) in [
        (fake.datto.faults(), "/api/v2/account/sites"),
        (fake.gz.faults(), "jsonrpc/network"),
    ] {
        server.set(FaultPlan::new(5, 1.0, vec![FaultKind::Status500]).only_paths_containing(path));
        let gz_before = fake.gz.log().all().len();
        let error = fake
            .sync
            .run_pass(&fake.tenant, &no_retries, PassOptions::apply())
            .await
            .unwrap_err();
        server.clear();
        assert!(matches!(error, GravityZoneSyncError::Vendor(_)), "{error}");
        let writes = fake.gz.log().all()[gz_before..]
            .iter()
            .filter(|r| r.body.contains("createCompany") || r.body.contains("createPackage"))
            .count();
        assert_eq!(writes, 0, "{path}");
        assert!(fake.open_events().await.is_empty());
        assert!(fake.datto.all_site_variables().values().all(Vec::is_empty));
    }
    let runs = fake.store.runs(&fake.tenant, None, 10).await.unwrap();
    assert_eq!(runs.len(), 2);
    assert!(
        runs.iter()
            .all(|r| matches!(r.status, RunStatus::Failed { .. }))
    );
    // Once both vendors answer, the pass runs.
    fake.pass().await;
}

/// How many requests `log` holds once nothing has arrived for a quarter of a second: requests a
/// failed call left in flight have landed by then. (A wait for quiet, not a bound on anything.)
async fn settled(log: &RequestLog) -> usize {
    let mut seen = log.len();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        match log.len() {
            now if now == seen => return now,
            now => seen = now,
        }
    }
}

#[tokio::test]
async fn a_refused_key_stops_the_passes_without_calling_the_vendors_until_a_new_key_is_saved() {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    assert!(fake.gz.revoke_api_key(&fake.gz.api_key()));
    let error = fake
        .sync
        .run_pass(&fake.tenant, &fake.connection, PassOptions::apply())
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    let state = fake.store.state(&fake.tenant).await.unwrap();
    assert_eq!(
        state.integrations[&Vendor::GravityZone].status,
        CredentialStatus::Invalid
    );
    // The pass fetched both inventories at once and returned on GravityZone's refusal while a
    // Datto RMM request could still be on its way to the fake: count once the logs are still.
    let (datto_calls, gz_calls) = (
        settled(fake.datto.log()).await,
        settled(fake.gz.log()).await,
    );
    for _ in 0..3 {
        let error = fake
            .sync
            .run_pass(&fake.tenant, &fake.connection, PassOptions::apply())
            .await
            .unwrap_err();
        assert!(matches!(
            error,
            GravityZoneSyncError::CredentialsInvalid {
                vendor: Vendor::GravityZone
            }
        ));
    }
    assert_eq!(
        fake.datto.log().all().len(),
        datto_calls,
        "Datto RMM not called"
    );
    assert_eq!(
        fake.gz.log().all().len(),
        gz_calls,
        "GravityZone not called"
    );

    // A new key, checked and saved: the passes resume.
    fake.gz.add_api_key(
        "NEWGZKEY0000000000000000000000000000000002",
        &fake.gz.root_id(),
        &["companies", "licensing", "packages", "network"],
    );
    let (dc, datto, _, _) = adapters_for(&fake.datto, &fake.gz, RetryPolicy::default());
    let gc = sync_engine::gravityzone::GravityZoneCredentials::new(
        fake.gz.access_url(),
        "NEWGZKEY0000000000000000000000000000000002",
    );
    let renewed = TenantConnection::from_adapters(
        &dc,
        datto,
        &gc,
        sync_engine::gravityzone::adapters::GravityZoneAdapter::from_credentials(&gc).unwrap(),
    );
    assert_eq!(fake.sync.connect(&renewed).await.unwrap(), fake.tenant);
    fake.sync
        .run_pass(&fake.tenant, &renewed, PassOptions::apply())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_key_missing_an_api_area_is_refused_at_connect() {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    fake.sync.reset_tenant(&fake.tenant).await.unwrap();
    assert!(
        fake.gz
            .set_enabled_apis(&fake.gz.api_key(), &["companies", "network", "packages"])
    );
    let error = fake.sync.connect(&fake.connection).await.unwrap_err();
    assert!(
        matches!(
            &error,
            GravityZoneSyncError::CredentialsRefused { error, .. }
                if error.kind == sync_engine::port::PortErrorKind::ApiNotEnabled {
                    areas: vec!["licensing".into()]
                }
        ),
        "{error}"
    );
    assert!(fake.store.tenants().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_key_missing_several_api_areas_is_refused_naming_them_all() {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    fake.sync.reset_tenant(&fake.tenant).await.unwrap();
    assert!(fake.gz.set_enabled_apis(&fake.gz.api_key(), &["companies"]));
    let error = fake.sync.connect(&fake.connection).await.unwrap_err();
    let GravityZoneSyncError::CredentialsRefused { error: refusal, .. } = &error else {
        panic!("{error}");
    };
    assert_eq!(
        refusal.kind,
        sync_engine::port::PortErrorKind::ApiNotEnabled {
            areas: vec!["licensing".into(), "packages".into(), "network".into()]
        }
    );
    let message = error.to_string();
    for area in ["licensing", "packages", "network"] {
        assert!(message.contains(area), "{message}");
    }
    assert!(fake.store.tenants().await.unwrap().is_empty());
}

#[tokio::test]
async fn resetting_one_of_two_tenants_in_a_sqlite_store_leaves_the_other_intact() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqliteStore::open(dir.path().join("sync.db")).await.unwrap());
    let first = FakeMsp::start_seeded(store.clone(), "w1", 42).await;
    let second = FakeMsp::start_seeded(store.clone(), "w2", 43).await;
    assert_ne!(first.tenant, second.tenant);
    for fake in [&first, &second] {
        let (site, company) = fake.seeded.same_name[0].clone();
        let change = CompaniesChange::new(Change::MapToCompany {
            site: SiteUid::new(site),
            company: sync_core::gravityzone::CompanyId::new(company),
        });
        fake.sync
            .apply_companies_changes(
                &fake.tenant,
                &fake.connection,
                "alice",
                &[change],
                Approval::Apply,
            )
            .await
            .unwrap();
        fake.settings(SyncLevel::AutomaticInventorySync, EventHandling::Manual)
            .await;
        fake.pass().await;
    }
    let companies_before = first.gz.companies().len();
    let second_before = store.state(&second.tenant).await.unwrap();
    assert!(!second_before.gravityzone.events.is_empty());

    first.sync.reset_tenant(&first.tenant).await.unwrap();

    let gone = store.state(&first.tenant).await.unwrap();
    assert!(gone.integrations.is_empty() && gone.gravityzone.settings.is_none());
    assert!(gone.gravityzone.associations.is_empty() && gone.gravityzone.events.is_empty());
    assert!(
        store
            .runs(&first.tenant, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let kept = store.state(&second.tenant).await.unwrap();
    assert_eq!(kept.integrations, second_before.integrations);
    assert_eq!(kept.gravityzone, second_before.gravityzone);
    assert_eq!(store.runs(&second.tenant, None, 10).await.unwrap().len(), 1);
    assert_eq!(store.tenants().await.unwrap(), vec![second.tenant.clone()]);
    // The vendors keep their companies and packages.
    assert_eq!(first.gz.companies().len(), companies_before);
    let company = &first.seeded.same_name[0].1;
    assert_eq!(first.gz.packages_of(company).len(), 1);
    // The reset tenant's passes need a new connect.
    assert!(matches!(
        first
            .sync
            .run_pass(
                &first.tenant,
                &connection_to(&first.datto, &first.gz),
                PassOptions::apply()
            )
            .await,
        Err(GravityZoneSyncError::NotConnected { .. })
    ));
}
