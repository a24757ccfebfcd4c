//! The PostgreSQL schema's migrations, tested: a database an older build left at an older
//! schema version is migrated in place by this one, its rows kept.

use super::connection::describe;
use super::*;

/// A database left at the older schema `version` by an older build, holding the conformance
/// suite's tenant A and the rows `rows` adds (its SQL finds the tenant's row as `SELECT id …
/// FROM tenants`), then opened by this build, which migrates it to the latest version.
async fn migrated_from(url: &str, version: i64, rows: &str) -> PostgresStore {
    use crate::conformance::{tenant_a, unique_schema};
    let options = PostgresOptions::default()
        .with_pool_size(2)
        .with_schema(unique_schema("migration"));
    let old = PostgresStore::connect_at_schema(url, options.clone(), version)
        .await
        .unwrap();
    assert_eq!(old.schema_version().await.unwrap(), version);
    let tenant = tenant_a();
    let client = old.client().await.unwrap();
    client
        .batch_execute(&format!(
            "INSERT INTO tenants (api_url, account_uid) VALUES ('{}', '{}'); {rows}",
            tenant.api_url(),
            tenant.account_uid()
        ))
        .await
        .unwrap();
    drop(client);
    drop(old);
    let store = PostgresStore::connect_with(url, options).await.unwrap();
    assert_eq!(store.schema_version().await.unwrap(), schema::latest());
    store
}

/// A database of schema version 1 (before associations remembered the company's parent and
/// the site's name) is migrated in place: its associations stay, remembering nothing.
#[tokio::test]
async fn version_1_associations_survive_the_migration_remembering_nothing() {
    use crate::conformance::{postgres_url, tenant_a};
    let Some(url) = postgres_url("the PostgreSQL version 1 migration") else {
        return;
    };
    let store = migrated_from(
        &url,
        1,
        "INSERT INTO gravityzone_associations
             (tenant_id, site_uid, company_id, method, made_by, made_at)
         SELECT id, 'site-1', 'company-1', 'matched_by_name', 'sync', 0 FROM tenants;",
    )
    .await;
    let gz = store.state(&tenant_a()).await.unwrap().gravityzone;
    let [kept] = gz.associations.as_slice() else {
        panic!("one association expected: {:?}", gz.associations);
    };
    assert_eq!(kept.company().as_str(), "company-1");
    assert_eq!(kept.association.parent, None);
    assert_eq!(kept.association.site_name, None);
    assert_eq!(kept.association.company_name, None);
    store.drop_schema().await.unwrap();
}

/// A database of schema version 5 (before associations remembered the company's name) is
/// migrated in place: its associations keep the parent and site name they remember, and
/// remember no company name.
#[tokio::test]
async fn version_5_associations_survive_the_migration_without_a_company_name() {
    use crate::conformance::{postgres_url, tenant_a};
    let Some(url) = postgres_url("the PostgreSQL version 5 migration") else {
        return;
    };
    let store = migrated_from(
        &url,
        5,
        "INSERT INTO gravityzone_associations
             (tenant_id, site_uid, company_id, method, made_by, made_at, company_parent,
              site_name)
         SELECT id, 'site-1', 'company-1', 'matched_by_name', 'sync', 0, 'root', 'Zürich'
         FROM tenants;",
    )
    .await;
    let gz = store.state(&tenant_a()).await.unwrap().gravityzone;
    let [kept] = gz.associations.as_slice() else {
        panic!("one association expected: {:?}", gz.associations);
    };
    assert_eq!(
        kept.association.parent.as_ref().map(|p| p.as_str()),
        Some("root")
    );
    assert_eq!(kept.association.site_name.as_deref(), Some("Zürich"));
    assert_eq!(kept.association.company_name, None);
    store.drop_schema().await.unwrap();
}

/// A database of schema version 4 (one lease per tenant) is migrated in place: the
/// tenant's lease becomes the lease of both flows, same holder and times, and each flow's
/// lease is then its own.
#[tokio::test]
async fn a_version_4_tenant_lease_becomes_the_lease_of_both_flows() {
    use crate::conformance::{at, postgres_url, tenant_a};
    let Some(url) = postgres_url("the PostgreSQL version 4 migration") else {
        return;
    };
    let store = migrated_from(
        &url,
        4,
        &format!(
            "INSERT INTO leases (tenant_id, holder, acquired_at, expires_at,
                                 holder_host, holder_pid, holder_start)
             SELECT id, 'w', {}, {}, 'host-a', 42, 7 FROM tenants;",
            at(3).timestamp_millis(),
            at(8).timestamp_millis(),
        ),
    )
    .await;
    let tenant = tenant_a();
    let ttl = Duration::from_secs(5);
    for flow in [Flow::GravityZone, Flow::ItGlue] {
        let lease = store.lease(&tenant, flow).await.unwrap().unwrap();
        assert_eq!(lease.holder, "w", "{flow}");
        assert_eq!((lease.acquired_at, lease.expires_at), (at(3), at(8)));
        assert_eq!(
            lease.process.map(|p| (p.pid, p.start_time)),
            Some((42, Some(7)))
        );
        let other = LeaseHolder::new("w2");
        assert!(
            !store
                .acquire_lease(&tenant, flow, &other, ttl, at(7))
                .await
                .unwrap()
        );
    }
    assert!(
        store
            .release_lease(&tenant, Flow::ItGlue, "w")
            .await
            .unwrap()
    );
    assert!(
        store
            .renew_lease(&tenant, Flow::GravityZone, "w", ttl, at(7))
            .await
            .unwrap()
    );
    let other = LeaseHolder::new("w2");
    assert!(
        store
            .acquire_lease(&tenant, Flow::ItGlue, &other, ttl, at(7))
            .await
            .unwrap()
    );
    store.drop_schema().await.unwrap();
}

/// A database whose store schema a newer build wrote is refused, naming the database and
/// the schema (not a file), and left as it was.
#[tokio::test]
async fn a_database_from_a_newer_build_is_refused_naming_the_database() {
    use crate::conformance::{postgres_url, unique_schema};
    let Some(url) = postgres_url("the PostgreSQL newer-schema refusal") else {
        return;
    };
    let namespace = unique_schema("newer");
    let options = PostgresOptions::default()
        .with_pool_size(2)
        .with_schema(namespace.clone());
    let store = PostgresStore::connect_with(&url, options.clone())
        .await
        .unwrap();
    let newer = schema::latest() + 1;
    let client = store.client().await.unwrap();
    client
        .execute("UPDATE store_schema SET version = $1", &[&newer])
        .await
        .unwrap();
    drop(client);
    let server = describe(&url.parse().unwrap());
    match PostgresStore::connect_with(&url, options).await {
        Err(
            error @ StoreError::SchemaTooNew {
                found, supported, ..
            },
        ) => {
            assert_eq!((found, supported), (newer, schema::latest()));
            assert_eq!(
                error.to_string(),
                format!(
                    "the PostgreSQL database {server} (schema {namespace}) has schema version \
                     {newer}; this build knows up to {supported}"
                )
            );
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    assert_eq!(store.schema_version().await.unwrap(), newer);
    store.drop_schema().await.unwrap();
}
