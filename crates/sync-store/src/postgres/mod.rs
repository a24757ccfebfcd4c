//! [`PostgresStore`]: the store in a PostgreSQL database, shared by several workers.

mod cache;
mod connection;
mod gravityzone;
mod itglue;
mod rows;
mod schema;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio_postgres::IsolationLevel;

pub use self::connection::{DEFAULT_SCHEMA, PostgresOptions, PostgresStore};
use self::rows as db;
use crate::{
    Change, CredentialFingerprint, CredentialStatus, DeviceAudit, DeviceMatchRecord, Flow,
    IntegrationChange, ItGlueChange, JournalEntry, Lease, LeaseHolder, RecordKind, RunCounts,
    RunId, RunOutcome, RunReport, SiteInterfaces, Store, StoreError, SyncRun, TenantId,
    TenantState, Vendor, Version, rules,
};

/// Starts a read-only transaction seeing one snapshot.
macro_rules! read_tx {
    ($client:expr) => {
        $client
            .build_transaction()
            .read_only(true)
            .isolation_level(IsolationLevel::RepeatableRead)
            .start()
            .await?
    };
}

/// Starts a write transaction holding the tenant's advisory lock.
macro_rules! write_tx {
    ($client:expr, $tenant:expr) => {{
        let tx = $client.transaction().await?;
        db::lock_tenant(&tx, $tenant).await?;
        tx
    }};
}

impl PostgresStore {
    /// Grants `holder` the flow's lease when it is free (or held by `gone`).
    async fn lease_for(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        gone: Option<&str>,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let current = db::lease(&tx, db::find(&tx, tenant).await?, flow, true).await?;
        let granted = match rules::acquire_lease(current.as_ref(), holder, gone, ttl, now)? {
            Some(lease) => {
                let id = db::ensure(&tx, tenant).await?;
                db::put_lease(&tx, id, flow, &lease).await?;
                true
            }
            None => false,
        };
        tx.commit().await?;
        Ok(granted)
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn tenants(&self) -> Result<Vec<TenantId>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        db::list_tenants(&tx).await
    }

    async fn state(&self, tenant: &TenantId) -> Result<TenantState, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let Some(id) = db::find(&tx, tenant).await? else {
            return Ok(TenantState::default());
        };
        Ok(TenantState {
            version: db::version(&tx, Some(id)).await?,
            integrations: db::list_integrations(&tx, id).await?,
            gravityzone: gravityzone::load(&tx, id).await?,
            itglue: itglue::load(&tx, id).await?,
        })
    }

    async fn version(&self, tenant: &TenantId) -> Result<Version, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        db::version(&tx, id).await
    }

    async fn apply(
        &self,
        tenant: &TenantId,
        expected: Version,
        changes: &[Change],
    ) -> Result<Version, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let actual = db::version(&tx, db::find(&tx, tenant).await?).await?;
        if actual != expected {
            return Err(StoreError::Conflict {
                tenant: tenant.clone(),
                expected,
                actual,
            });
        }
        if changes.is_empty() {
            return Ok(actual);
        }
        let id = db::ensure(&tx, tenant).await?;
        let mut rest = changes;
        while let Some(change) = rest.first() {
            // Device matches one after the other (a run's): written in chunks, not one by one.
            let devices: Vec<&DeviceMatchRecord> = rest
                .iter()
                .map_while(|change| match change {
                    Change::ItGlue(ItGlueChange::MatchDevice(new)) => Some(new),
                    _ => None,
                })
                .collect();
            if !devices.is_empty() {
                itglue::match_devices(&tx, id, &devices).await?;
                rest = &rest[devices.len()..];
                continue;
            }
            rest = &rest[1..];
            match change {
                Change::Integration(IntegrationChange::Save {
                    vendor,
                    connection,
                    fingerprint,
                }) => {
                    let current = db::get_integration(&tx, id, *vendor).await?;
                    let saved =
                        rules::save_integration(current.as_ref(), *vendor, connection, fingerprint);
                    db::put_integration(&tx, id, &saved).await?;
                }
                Change::Integration(IntegrationChange::Remove { vendor }) => {
                    db::delete_integration(&tx, id, *vendor).await?;
                }
                Change::GravityZone(change) => gravityzone::apply(&tx, id, change).await?,
                Change::ItGlue(change) => itglue::apply(&tx, id, change).await?,
            }
        }
        let version = db::bump_version(&tx, id).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn reset_tenant(&self, tenant: &TenantId) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        db::delete_tenant(&tx, tenant).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_credential_status(
        &self,
        tenant: &TenantId,
        vendor: Vendor,
        fingerprint: &CredentialFingerprint,
        status: CredentialStatus,
        checked_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let not_found = || StoreError::not_found(RecordKind::Integration, vendor.as_str());
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::find(&tx, tenant).await?.ok_or_else(not_found)?;
        let current = db::get_integration(&tx, id, vendor)
            .await?
            .ok_or_else(not_found)?;
        let recorded = match rules::credential_checked(&current, fingerprint, status, checked_at) {
            Some(checked) => {
                db::put_integration(&tx, id, &checked).await?;
                true
            }
            None => false,
        };
        tx.commit().await?;
        Ok(recorded)
    }

    async fn put_device_audit(
        &self,
        tenant: &TenantId,
        audit: &DeviceAudit,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::ensure(&tx, tenant).await?;
        cache::put_audit(&tx, id, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn device_audit(
        &self,
        tenant: &TenantId,
        device_uid: &str,
    ) -> Result<Option<DeviceAudit>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        cache::get_audit(&tx, id, device_uid).await
    }

    async fn device_audits(&self, tenant: &TenantId) -> Result<Vec<DeviceAudit>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        cache::list_audits(&tx, id).await
    }

    async fn retain_device_audits(
        &self,
        tenant: &TenantId,
        device_uids: &[String],
    ) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::find(&tx, tenant).await?;
        let dropped = cache::retain_audits(&tx, id, device_uids).await?;
        tx.commit().await?;
        Ok(dropped)
    }

    async fn put_site_interfaces(
        &self,
        tenant: &TenantId,
        listing: &SiteInterfaces,
    ) -> Result<(), StoreError> {
        let listing = SiteInterfaces::new(
            listing.site_uid.clone(),
            listing.devices.iter().cloned(),
            listing.listing.clone(),
        );
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::ensure(&tx, tenant).await?;
        cache::put_interfaces(&tx, id, &listing).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn site_interfaces(&self, tenant: &TenantId) -> Result<Vec<SiteInterfaces>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        cache::list_interfaces(&tx, id).await
    }

    async fn retain_site_interfaces(
        &self,
        tenant: &TenantId,
        site_uids: &[String],
    ) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::find(&tx, tenant).await?;
        let dropped = cache::retain_interfaces(&tx, id, site_uids).await?;
        tx.commit().await?;
        Ok(dropped)
    }

    async fn put_run_report(&self, tenant: &TenantId, report: RunReport) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::ensure(&tx, tenant).await?;
        cache::put_report(&tx, id, &report).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn run_report(
        &self,
        tenant: &TenantId,
        flow: Flow,
    ) -> Result<Option<RunReport>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        cache::get_report(&tx, id, flow).await
    }

    async fn start_run(
        &self,
        tenant: &TenantId,
        flow: Flow,
        started_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::ensure(&tx, tenant).await?;
        let run = db::insert_run(&tx, id, flow, started_at).await?;
        tx.commit().await?;
        Ok(run)
    }

    async fn finish_run(
        &self,
        tenant: &TenantId,
        run: RunId,
        outcome: RunOutcome,
        counts: &RunCounts,
        finished_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let stored = db::require_run(&tx, db::find(&tx, tenant).await?, run).await?;
        let finished = rules::finish_run(stored, outcome, counts, finished_at)?;
        db::update_run(&tx, &finished).await?;
        tx.commit().await?;
        Ok(finished)
    }

    async fn runs(
        &self,
        tenant: &TenantId,
        flow: Option<Flow>,
        limit: usize,
    ) -> Result<Vec<SyncRun>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        db::list_runs(&tx, id, flow, limit).await
    }

    async fn record_intent(
        &self,
        tenant: &TenantId,
        key: &str,
        description: &str,
        recorded_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::ensure(&tx, tenant).await?;
        let entry = match db::intent(&tx, id, key).await? {
            Some(existing) => existing,
            None => db::insert_intent(&tx, id, key, description, recorded_at).await?,
        };
        tx.commit().await?;
        Ok(entry)
    }

    async fn mark_sent(
        &self,
        tenant: &TenantId,
        key: &str,
        sent_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let (id, entry) = db::require_intent(&tx, db::find(&tx, tenant).await?, key).await?;
        let entry = rules::mark_sent(entry, sent_at)?;
        db::update_intent(&tx, id, &entry).await?;
        tx.commit().await?;
        Ok(entry)
    }

    async fn complete(
        &self,
        tenant: &TenantId,
        key: &str,
        result: &str,
        completed_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let (id, entry) = db::require_intent(&tx, db::find(&tx, tenant).await?, key).await?;
        let entry = rules::complete(entry, result, completed_at)?;
        db::update_intent(&tx, id, &entry).await?;
        tx.commit().await?;
        Ok(entry)
    }

    async fn intent(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<Option<JournalEntry>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        match db::find(&tx, tenant).await? {
            Some(id) => db::intent(&tx, id, key).await,
            None => Ok(None),
        }
    }

    async fn pending_intents(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        db::list_journal(&tx, id, true).await
    }

    async fn journal(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        db::list_journal(&tx, id, false).await
    }

    async fn forget_intent(&self, tenant: &TenantId, key: &str) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let (id, entry) = db::require_intent(&tx, db::find(&tx, tenant).await?, key).await?;
        rules::forget(&entry)?;
        db::delete_intent(&tx, id, key).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn acquire_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.lease_for(tenant, flow, holder, None, ttl, now).await
    }

    async fn take_over_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        gone: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.lease_for(tenant, flow, holder, Some(gone), ttl, now)
            .await
    }

    async fn renew_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::find(&tx, tenant).await?;
        let current = db::lease(&tx, id, flow, true).await?;
        let renewed = match (id, rules::renew_lease(current.as_ref(), holder, ttl, now)?) {
            (Some(id), Some(lease)) => {
                db::put_lease(&tx, id, flow, &lease).await?;
                true
            }
            _ => false,
        };
        tx.commit().await?;
        Ok(renewed)
    }

    async fn release_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = write_tx!(client, tenant);
        let id = db::find(&tx, tenant).await?;
        let released = db::release_lease(&tx, id, flow, holder).await?;
        tx.commit().await?;
        Ok(released)
    }

    async fn lease(&self, tenant: &TenantId, flow: Flow) -> Result<Option<Lease>, StoreError> {
        let mut client = self.client().await?;
        let tx = read_tx!(client);
        let id = db::find(&tx, tenant).await?;
        db::lease(&tx, id, flow, false).await
    }
}

#[cfg(test)]
mod tests {
    use super::connection::{check_schema_name, describe};
    use super::*;

    #[test]
    fn schema_names_are_checked() {
        for good in ["msp_sync", "_t1", "a"] {
            assert!(check_schema_name(good).is_ok(), "{good}");
        }
        for bad in ["", "1a", "Upper", "a-b", "a\"b", &"x".repeat(64)] {
            assert!(check_schema_name(bad).is_err(), "{bad}");
        }
    }

    /// A database left at the older schema `version` by an older build, holding the conformance
    /// suite's tenant A and the rows `rows` adds (its SQL finds the tenant's row as `SELECT id …
    /// FROM tenants`), then opened by this build, which migrates it to the latest version.
    #[cfg(feature = "conformance")]
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
    #[cfg(feature = "conformance")]
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
    #[cfg(feature = "conformance")]
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
    #[cfg(feature = "conformance")]
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
    #[cfg(feature = "conformance")]
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

    #[test]
    fn the_description_never_shows_the_password() {
        let config: tokio_postgres::Config = "postgres://msp:s3cret-pw@db.internal:6543/msp"
            .parse()
            .unwrap();
        let shown = describe(&config);
        assert_eq!(shown, "db.internal:6543/msp");
    }
}
