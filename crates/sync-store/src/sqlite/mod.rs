//! [`SqliteStore`]: the embedded default, one SQLite file in WAL mode.

mod audits;
mod cache;
mod codec;
mod gravityzone;
mod integrations;
mod itglue;
mod journal;
mod leases;
mod migrations;
mod runs;
mod state;
mod tenants;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::{
    Change, CredentialFingerprint, CredentialStatus, DeviceAudit, Flow, JournalEntry, Lease,
    LeaseHolder, RecordKind, ReportBody, RunCounts, RunId, RunOutcome, RunReport, SiteInterfaces,
    Store, StoreError, SyncRun, TenantId, TenantState, Vendor, Version, rules,
};

/// How long a write waits for another process's write transaction on the same file.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The store in one SQLite file (with the bundled SQLite), the embedded default.
///
/// - **WAL mode** with `synchronous = NORMAL`: readers do not block the writer, and a process
///   killed at any point leaves the file at its last committed transaction.
/// - **Migrations on open**: a file written by an older build is brought up to the current schema
///   (`PRAGMA user_version`); a file from a newer build is refused with
///   [`StoreError::SchemaTooNew`].
/// - **Blocking work off the runtime**: every call runs on tokio's blocking pool
///   (`spawn_blocking`), so it must be made from within a tokio runtime.
/// - **One transaction per call**: writes take the write lock up front (`BEGIN IMMEDIATE`), so
///   the version check and the write are atomic even with other processes on the same file.
///
/// Clones share one connection.
///
/// ```no_run
/// use sync_store::{SqliteStore, Store, TenantId};
///
/// # async fn demo() -> Result<(), sync_store::StoreError> {
/// let store = SqliteStore::open("msp-sync.db").await?;
/// let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
/// let state = store.state(&tenant).await?;
/// println!("{tenant} is at {}", state.version);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    path: Arc<PathBuf>,
}

impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store file at `path` and brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let opened = path.clone();
        let conn = blocking(move || open_connection(&opened, migrations::latest())).await?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: Arc::new(path),
        })
    }

    /// Opens the file at `path` migrated only up to schema version `version`, as an older build
    /// would have left it.
    #[cfg(all(test, feature = "conformance"))]
    async fn open_at_schema(path: &Path, version: i64) -> Result<Self, StoreError> {
        let opened = path.to_path_buf();
        let conn = blocking(move || open_connection(&opened, version)).await?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path: Arc::new(path.to_path_buf()),
        })
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the file (how many migrations it has).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        self.with_conn(|conn| Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?))
            .await
    }

    /// The schema version this build writes.
    pub fn latest_schema_version() -> i64 {
        migrations::latest()
    }

    /// Checks the file: SQLite's `integrity_check` and `foreign_key_check` must both find
    /// nothing wrong, otherwise [`StoreError::Corrupt`] says what they found.
    pub async fn check_integrity(&self) -> Result<(), StoreError> {
        self.with_conn(|conn| {
            let mut statement = conn.prepare("PRAGMA integrity_check")?;
            let problems = statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if problems != ["ok"] {
                return Err(StoreError::Corrupt(problems.join("; ")));
            }
            let mut statement = conn.prepare("PRAGMA foreign_key_check")?;
            let orphans = statement
                .query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if !orphans.is_empty() {
                return Err(StoreError::Corrupt(format!(
                    "rows without their tenant in {}",
                    orphans.join(", ")
                )));
            }
            Ok(())
        })
        .await
    }

    /// Runs `f` on the connection on the blocking pool.
    async fn with_conn<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut conn)
        })
        .await
    }

    /// Runs `f` in a read transaction, so it sees one consistent snapshot.
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.with_conn(move |conn| {
            let tx = conn.transaction()?;
            f(&tx)
        })
        .await
    }

    /// Runs `f` in a write transaction and commits only if it succeeds.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.with_conn(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }
}

impl SqliteStore {
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
        let tenant = tenant.clone();
        let holder = holder.clone();
        let gone = gone.map(str::to_owned);
        self.write(move |tx| {
            let current = leases::get(tx, tenants::find(tx, &tenant)?, flow)?;
            match rules::acquire_lease(current.as_ref(), &holder, gone.as_deref(), ttl, now)? {
                Some(lease) => {
                    leases::put(tx, tenants::ensure(tx, &tenant)?, flow, &lease)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })
        .await
    }
}

async fn blocking<T, F>(f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, StoreError> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
}

fn open_connection(path: &Path, schema: i64) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(path = %path.display(), %mode, "SQLite did not switch the store to WAL mode");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let before = migrations::migrate_to(&mut conn, schema)?;
    if before < schema {
        tracing::info!(path = %path.display(), from = before, to = schema, "migrated store schema");
    }
    Ok(conn)
}

#[async_trait]
impl Store for SqliteStore {
    async fn tenants(&self) -> Result<Vec<TenantId>, StoreError> {
        self.read(|tx| tenants::list(tx)).await
    }

    async fn state(&self, tenant: &TenantId) -> Result<TenantState, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| state::load(tx, tenants::find(tx, &tenant)?))
            .await
    }

    async fn version(&self, tenant: &TenantId) -> Result<Version, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| tenants::version(tx, tenants::find(tx, &tenant)?))
            .await
    }

    async fn apply(
        &self,
        tenant: &TenantId,
        expected: Version,
        changes: &[Change],
    ) -> Result<Version, StoreError> {
        let tenant = tenant.clone();
        let changes = changes.to_vec();
        self.write(move |tx| {
            let actual = tenants::version(tx, tenants::find(tx, &tenant)?)?;
            if actual != expected {
                return Err(StoreError::Conflict {
                    tenant,
                    expected,
                    actual,
                });
            }
            if changes.is_empty() {
                return Ok(actual);
            }
            let id = tenants::ensure(tx, &tenant)?;
            for change in &changes {
                state::apply_change(tx, id, change)?;
            }
            tenants::bump_version(tx, id)
        })
        .await
    }

    async fn reset_tenant(&self, tenant: &TenantId) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        self.write(move |tx| tenants::delete(tx, &tenant)).await
    }

    async fn set_credential_status(
        &self,
        tenant: &TenantId,
        vendor: Vendor,
        fingerprint: &CredentialFingerprint,
        status: CredentialStatus,
        checked_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let tenant = tenant.clone();
        let fingerprint = fingerprint.clone();
        self.write(move |tx| {
            let not_found = || StoreError::not_found(RecordKind::Integration, vendor.as_str());
            let id = tenants::find(tx, &tenant)?.ok_or_else(not_found)?;
            let current = integrations::get(tx, id, vendor)?.ok_or_else(not_found)?;
            match rules::credential_checked(&current, &fingerprint, status, checked_at) {
                Some(checked) => {
                    integrations::put(tx, id, &checked)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })
        .await
    }

    async fn put_device_audit(
        &self,
        tenant: &TenantId,
        audit: &DeviceAudit,
    ) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        let audit = audit.clone();
        self.write(move |tx| audits::put(tx, tenants::ensure(tx, &tenant)?, &audit))
            .await
    }

    async fn device_audit(
        &self,
        tenant: &TenantId,
        device_uid: &str,
    ) -> Result<Option<DeviceAudit>, StoreError> {
        let tenant = tenant.clone();
        let device_uid = device_uid.to_owned();
        self.read(move |tx| audits::get(tx, tenants::find(tx, &tenant)?, &device_uid))
            .await
    }

    async fn device_audits(&self, tenant: &TenantId) -> Result<Vec<DeviceAudit>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| audits::list(tx, tenants::find(tx, &tenant)?))
            .await
    }

    async fn retain_device_audits(
        &self,
        tenant: &TenantId,
        device_uids: &[String],
    ) -> Result<u64, StoreError> {
        let tenant = tenant.clone();
        let keep = device_uids.to_vec();
        self.write(move |tx| audits::retain(tx, tenants::find(tx, &tenant)?, &keep))
            .await
    }

    async fn put_site_interfaces(
        &self,
        tenant: &TenantId,
        listing: &SiteInterfaces,
    ) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        let listing = SiteInterfaces::new(
            listing.site_uid.clone(),
            listing.devices.iter().cloned(),
            listing.listing.clone(),
        );
        self.write(move |tx| cache::put_interfaces(tx, tenants::ensure(tx, &tenant)?, &listing))
            .await
    }

    async fn site_interfaces(&self, tenant: &TenantId) -> Result<Vec<SiteInterfaces>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| cache::list_interfaces(tx, tenants::find(tx, &tenant)?))
            .await
    }

    async fn retain_site_interfaces(
        &self,
        tenant: &TenantId,
        site_uids: &[String],
    ) -> Result<u64, StoreError> {
        let tenant = tenant.clone();
        let keep = site_uids.to_vec();
        self.write(move |tx| cache::retain_interfaces(tx, tenants::find(tx, &tenant)?, &keep))
            .await
    }

    async fn put_run_report(&self, tenant: &TenantId, report: RunReport) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        self.write(move |tx| cache::put_report(tx, tenants::ensure(tx, &tenant)?, &report))
            .await
    }

    async fn put_run_report_streamed(
        &self,
        tenant: &TenantId,
        flow: Flow,
        run: RunId,
        saved_at: DateTime<Utc>,
        body: Arc<dyn ReportBody>,
    ) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        self.write(move |tx| {
            let id = tenants::ensure(tx, &tenant)?;
            cache::put_report_body(tx, id, (flow, run, saved_at), body.len(), &mut |out| {
                body.write_to(out)
            })
        })
        .await
    }

    async fn run_report(
        &self,
        tenant: &TenantId,
        flow: Flow,
    ) -> Result<Option<RunReport>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| cache::get_report(tx, tenants::find(tx, &tenant)?, flow))
            .await
    }

    async fn start_run(
        &self,
        tenant: &TenantId,
        flow: Flow,
        started_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        let tenant = tenant.clone();
        self.write(move |tx| runs::insert(tx, tenants::ensure(tx, &tenant)?, flow, started_at))
            .await
    }

    async fn finish_run(
        &self,
        tenant: &TenantId,
        run: RunId,
        outcome: RunOutcome,
        counts: &RunCounts,
        finished_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        let tenant = tenant.clone();
        let counts = counts.clone();
        self.write(move |tx| {
            let (_, stored) = runs::require(tx, tenants::find(tx, &tenant)?, run)?;
            let finished = rules::finish_run(stored, outcome, &counts, finished_at)?;
            runs::update(tx, &finished)?;
            Ok(finished)
        })
        .await
    }

    async fn runs(
        &self,
        tenant: &TenantId,
        flow: Option<Flow>,
        limit: usize,
    ) -> Result<Vec<SyncRun>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| runs::list(tx, tenants::find(tx, &tenant)?, flow, limit))
            .await
    }

    async fn record_intent(
        &self,
        tenant: &TenantId,
        key: &str,
        description: &str,
        recorded_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        let tenant = tenant.clone();
        let key = key.to_owned();
        let description = description.to_owned();
        self.write(move |tx| {
            let id = tenants::ensure(tx, &tenant)?;
            match journal::get(tx, id, &key)? {
                Some(existing) => Ok(existing),
                None => journal::insert(tx, id, &key, &description, recorded_at),
            }
        })
        .await
    }

    async fn mark_sent(
        &self,
        tenant: &TenantId,
        key: &str,
        sent_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        let tenant = tenant.clone();
        let key = key.to_owned();
        self.write(move |tx| {
            let (id, entry) = journal::require(tx, tenants::find(tx, &tenant)?, &key)?;
            let entry = rules::mark_sent(entry, sent_at)?;
            journal::update(tx, id, &entry)?;
            Ok(entry)
        })
        .await
    }

    async fn complete(
        &self,
        tenant: &TenantId,
        key: &str,
        result: &str,
        completed_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        let tenant = tenant.clone();
        let key = key.to_owned();
        let result = result.to_owned();
        self.write(move |tx| {
            let (id, entry) = journal::require(tx, tenants::find(tx, &tenant)?, &key)?;
            let entry = rules::complete(entry, &result, completed_at)?;
            journal::update(tx, id, &entry)?;
            Ok(entry)
        })
        .await
    }

    async fn intent(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<Option<JournalEntry>, StoreError> {
        let tenant = tenant.clone();
        let key = key.to_owned();
        self.read(move |tx| match tenants::find(tx, &tenant)? {
            Some(id) => journal::get(tx, id, &key),
            None => Ok(None),
        })
        .await
    }

    async fn pending_intents(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| journal::list(tx, tenants::find(tx, &tenant)?, true))
            .await
    }

    async fn journal(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| journal::list(tx, tenants::find(tx, &tenant)?, false))
            .await
    }

    async fn forget_intent(&self, tenant: &TenantId, key: &str) -> Result<(), StoreError> {
        let tenant = tenant.clone();
        let key = key.to_owned();
        self.write(move |tx| {
            let (id, entry) = journal::require(tx, tenants::find(tx, &tenant)?, &key)?;
            rules::forget(&entry)?;
            journal::delete(tx, id, &key)
        })
        .await
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
        let tenant = tenant.clone();
        let holder = holder.to_owned();
        self.write(move |tx| {
            let id = tenants::find(tx, &tenant)?;
            let current = leases::get(tx, id, flow)?;
            match (id, rules::renew_lease(current.as_ref(), &holder, ttl, now)?) {
                (Some(id), Some(lease)) => {
                    leases::put(tx, id, flow, &lease)?;
                    Ok(true)
                }
                _ => Ok(false),
            }
        })
        .await
    }

    async fn release_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
    ) -> Result<bool, StoreError> {
        let tenant = tenant.clone();
        let holder = holder.to_owned();
        self.write(move |tx| leases::release(tx, tenants::find(tx, &tenant)?, flow, &holder))
            .await
    }

    async fn lease(&self, tenant: &TenantId, flow: Flow) -> Result<Option<Lease>, StoreError> {
        let tenant = tenant.clone();
        self.read(move |tx| leases::get(tx, tenants::find(tx, &tenant)?, flow))
            .await
    }
}

#[cfg(all(test, feature = "conformance"))]
mod tests;
