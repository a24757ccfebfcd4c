//! Migrations: files written by older builds open and migrate.

use std::time::Duration;

use sync_core::gravityzone::{CompanyId, SiteUid};

use super::SqliteStore;
use crate::conformance::{at, tenant_a};
use crate::{
    AssociationMethod, AssociationRecord, ChangedBy, CredentialFingerprint, Flow,
    GravityZoneChange, Store, Vendor,
};

/// A kept report's body, with what JSON text may hold.
const REPORT: &str = r#"{"groups":["é \u202e 🦀 \u0000"]}"#;

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
            // The integration as the older build wrote it: the foundation columns only.
            let (url, account) = (t.api_url().to_owned(), t.account_uid().to_owned());
            store
                .with_conn(move |conn| {
                    conn.execute(
                        "INSERT INTO tenants (api_url, account_uid, version) VALUES (?1, ?2, 1)",
                        [url, account],
                    )?;
                    conn.execute(
                        "INSERT INTO integrations (tenant_id, vendor, platform,
                             credential_fingerprint, credential_status)
                         SELECT id, 'datto', 'merlot', ?1, 'unknown' FROM tenants",
                        [CredentialFingerprint::of_secrets(["key", "secret"]).as_hex()],
                    )?;
                    Ok(())
                })
                .await
                .unwrap();
            let version = store.version(&t).await.unwrap();
            store.record_intent(&t, "k", "d", at(1)).await.unwrap();
            store.start_run(&t, Flow::GravityZone, at(2)).await.unwrap();
            // The lease as the older build wrote it: the foundation columns only (from version
            // 8 on, one per flow).
            store
                .with_conn(move |conn| {
                    let times = [at(3).timestamp_millis(), at(8).timestamp_millis()];
                    if old < 8 {
                        conn.execute(
                            "INSERT INTO leases (tenant_id, holder, acquired_at, expires_at)
                             SELECT id, 'w', ?1, ?2 FROM tenants",
                            times,
                        )?;
                    } else {
                        conn.execute(
                            "INSERT INTO leases (tenant_id, flow, holder, acquired_at, expires_at)
                             SELECT id, flows.flow, 'w', ?1, ?2 FROM tenants CROSS JOIN
                             (SELECT 'gravityzone' AS flow UNION ALL SELECT 'itglue') AS flows",
                            times,
                        )?;
                    }
                    // The kept report as text, as builds before version 9 wrote it, and as a
                    // BLOB from version 9 on.
                    if old >= 6 {
                        let body = if old < 9 { "?2" } else { "CAST(?2 AS BLOB)" };
                        conn.execute(
                            &format!(
                                "INSERT INTO run_reports (tenant_id, flow, run_id, saved_at, body)
                                 SELECT id, 'itglue', 1, ?1, {body} FROM tenants"
                            ),
                            rusqlite::params![at(4).timestamp_millis(), REPORT],
                        )?;
                    }
                    Ok(())
                })
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
        // A report kept as text reads back the same from its BLOB.
        let kept = store.run_report(&t, Flow::ItGlue).await.unwrap();
        assert_eq!(kept.map(|r| r.body), (old >= 6).then(|| REPORT.to_owned()));
        // The tenant's lease as the older build wrote it is now the lease of both flows.
        for flow in [Flow::GravityZone, Flow::ItGlue] {
            let lease = store.lease(&t, flow).await.unwrap().unwrap();
            assert_eq!(
                (lease.holder.as_str(), lease.process),
                ("w", None),
                "{flow}"
            );
            assert_eq!(
                (lease.acquired_at, lease.expires_at),
                (at(3), at(8)),
                "{flow}"
            );
            assert!(
                !store
                    .acquire_lease(&t, flow, &"w2".into(), Duration::from_secs(5), at(7))
                    .await
                    .unwrap()
            );
        }
        // Its holder releases one flow and keeps the other.
        assert!(store.release_lease(&t, Flow::ItGlue, "w").await.unwrap());
        assert!(store.lease(&t, Flow::GravityZone).await.unwrap().is_some());
        // A lease with the holder's process can be written and read back after migrating.
        let holder =
            crate::LeaseHolder::new("w2").with_process(crate::HolderProcess::new("h", 7, Some(9)));
        assert!(
            store
                .acquire_lease(&t, Flow::ItGlue, &holder, Duration::from_secs(5), at(7))
                .await
                .unwrap()
        );
        assert_eq!(
            store
                .lease(&t, Flow::ItGlue)
                .await
                .unwrap()
                .unwrap()
                .process,
            holder.process
        );
        assert_eq!(
            store
                .lease(&t, Flow::GravityZone)
                .await
                .unwrap()
                .unwrap()
                .holder,
            "w"
        );
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

/// A file of schema version 9 (before associations remembered the company's name) migrates:
/// its associations keep the parent and site name they remember, and remember no company name.
#[tokio::test]
async fn a_version_9_association_migrates_without_a_company_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.db");
    let t = tenant_a();
    {
        let store = SqliteStore::open_at_schema(&path, 9).await.unwrap();
        let (url, account) = (t.api_url().to_owned(), t.account_uid().to_owned());
        store
            .with_conn(move |conn| {
                conn.execute(
                    "INSERT INTO tenants (api_url, account_uid, version) VALUES (?1, ?2, 1)",
                    [url, account],
                )?;
                conn.execute(
                    "INSERT INTO gravityzone_associations
                         (tenant_id, site_uid, company_id, method, made_by, made_at,
                          company_parent, site_name)
                     SELECT id, 'site-1', 'company-1', 'matched_by_name', 'sync', 0, 'root',
                            'Zürich'
                     FROM tenants",
                    [],
                )?;
                Ok(())
            })
            .await
            .unwrap();
    }
    let store = SqliteStore::open(&path).await.unwrap();
    let gz = store.state(&t).await.unwrap().gravityzone;
    let [kept] = gz.associations.as_slice() else {
        panic!("one association expected: {:?}", gz.associations);
    };
    assert_eq!(kept.company().as_str(), "company-1");
    assert_eq!(kept.association.parent, Some(CompanyId::new("root")));
    assert_eq!(kept.association.site_name.as_deref(), Some("Zürich"));
    assert_eq!(kept.association.company_name, None);
    store.check_integrity().await.unwrap();
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
