//! [`PostgresStore`]: the store in a PostgreSQL database, shared by several workers.

mod cache;
mod connection;
mod gravityzone;
mod itglue;
mod rows;
mod schema;
#[cfg(all(test, feature = "conformance"))]
mod schema_migration_tests;

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

    #[test]
    fn schema_names_are_checked() {
        for good in ["msp_sync", "_t1", "a"] {
            assert!(check_schema_name(good).is_ok(), "{good}");
        }
        for bad in ["", "1a", "Upper", "a-b", "a\"b", &"x".repeat(64)] {
            assert!(check_schema_name(bad).is_err(), "{bad}");
        }
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
