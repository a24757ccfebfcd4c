//! Migrations: files written by older builds open and migrate.

use std::time::Duration;

use sync_core::gravityzone::{CompanyId, SiteUid};

use super::SqliteStore;
use crate::conformance::{at, tenant_a};
use crate::{
    AssociationMethod, AssociationRecord, ChangedBy, ConnectionDetails, CredentialFingerprint,
    Flow, GravityZoneChange, IntegrationChange, Store, Vendor,
};

#[tokio::test]
async fn a_file_of_every_older_schema_opens_and_migrates_keeping_its_rows() {
    for old in 1..SqliteStore::latest_schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let t = tenant_a();
        let (version, journal, runs) = {
            // Written by a build that only knew the first `old` migrations; the foundation
            // tables exist in every version.
            let store = SqliteStore::open_at_schema(&path, old).await.unwrap();
            assert_eq!(store.schema_version().await.unwrap(), old);
            let save = IntegrationChange::Save {
                vendor: Vendor::DattoRmm,
                connection: ConnectionDetails {
                    platform: Some("merlot".into()),
                    ..ConnectionDetails::default()
                },
                fingerprint: CredentialFingerprint::of_secrets(["key", "secret"]),
            };
            let version = store
                .apply(&t, crate::Version::EMPTY, &[save.into()])
                .await
                .unwrap();
            store.record_intent(&t, "k", "d", at(1)).await.unwrap();
            store.start_run(&t, Flow::GravityZone, at(2)).await.unwrap();
            store
                .acquire_lease(&t, "w", Duration::from_secs(5), at(3))
                .await
                .unwrap();
            (
                version,
                store.journal(&t).await.unwrap(),
                store.runs(&t, None, 10).await.unwrap(),
            )
        };

        let store = SqliteStore::open(&path).await.unwrap();
        assert_eq!(
            store.schema_version().await.unwrap(),
            SqliteStore::latest_schema_version()
        );
        let state = store.state(&t).await.unwrap();
        assert_eq!(state.version, version);
        assert_eq!(
            state.integrations[&Vendor::DattoRmm]
                .connection
                .platform
                .as_deref(),
            Some("merlot")
        );
        assert_eq!(store.journal(&t).await.unwrap(), journal);
        assert_eq!(store.runs(&t, None, 10).await.unwrap(), runs);
        assert_eq!(store.lease(&t).await.unwrap().unwrap().holder, "w");
        // The tables the newer migrations added work.
        let associate = GravityZoneChange::Associate(AssociationRecord::new(
            SiteUid::new("s"),
            CompanyId::new("c"),
            AssociationMethod::CreatedCompany,
            ChangedBy::Sync,
            at(4),
        ));
        store.apply(&t, version, &[associate.into()]).await.unwrap();
        store.check_integrity().await.unwrap();
    }
}

#[tokio::test]
async fn opening_a_current_file_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let store = SqliteStore::open(&path).await.unwrap();
    crate::conformance::fill_every_kind(&store, &tenant_a(), "a").await;
    let before = store.state(&tenant_a()).await.unwrap();
    drop(store);
    let again = SqliteStore::open(&path).await.unwrap();
    assert_eq!(again.state(&tenant_a()).await.unwrap(), before);
}
