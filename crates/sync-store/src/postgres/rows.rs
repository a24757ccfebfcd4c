//! The operational tables and the tenants table: tenants, leases, sync runs, the journal and
//! integrations. Every function runs inside the caller's transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_postgres::Transaction;

use crate::time::{from_millis, to_millis};
use crate::{
    ConnectionDetails, CredentialFingerprint, Flow, HolderProcess, Integration, JournalEntry,
    Lease, RecordKind, RunCounts, RunId, RunStatus, StoreError, SyncRun, TenantId, Version,
};

pub(super) type Tx<'a> = Transaction<'a>;

/// A stored optional time.
pub(super) fn opt_time(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    ms.map(from_millis).transpose()
}

/// A stored enum value, by its name.
pub(super) fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown {what} {text:?}")))
}

/// A value as stored JSON text.
pub(super) fn to_json<T: Serialize + ?Sized>(
    kind: RecordKind,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::json(kind))
}

/// A value from stored JSON text.
pub(super) fn from_json<T: DeserializeOwned>(
    kind: RecordKind,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(StoreError::json(kind))
}

/// The key of the tenant's advisory lock: every write transaction of the tenant takes it first,
/// so writers of one tenant run one after the other (SQLite's `BEGIN IMMEDIATE`, per tenant).
pub(super) async fn lock_tenant(tx: &Tx<'_>, tenant: &TenantId) -> Result<(), StoreError> {
    let key = format!("{}\n{}", tenant.api_url(), tenant.account_uid());
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        &[&key],
    )
    .await?;
    Ok(())
}

/// The tenant's row id, if it has data.
pub(super) async fn find(tx: &Tx<'_>, tenant: &TenantId) -> Result<Option<i64>, StoreError> {
    let row = tx
        .query_opt(
            "SELECT id FROM tenants WHERE api_url = $1 AND account_uid = $2",
            &[&tenant.api_url(), &tenant.account_uid()],
        )
        .await?;
    Ok(row.map(|row| row.try_get(0)).transpose()?)
}

/// The tenant's row id, creating the row when the tenant had no data.
pub(super) async fn ensure(tx: &Tx<'_>, tenant: &TenantId) -> Result<i64, StoreError> {
    if let Some(id) = find(tx, tenant).await? {
        return Ok(id);
    }
    let row = tx
        .query_one(
            "INSERT INTO tenants (api_url, account_uid) VALUES ($1, $2) RETURNING id",
            &[&tenant.api_url(), &tenant.account_uid()],
        )
        .await?;
    Ok(row.try_get(0)?)
}

/// The version of the tenant with row id `id` (none: never written).
pub(super) async fn version(tx: &Tx<'_>, id: Option<i64>) -> Result<Version, StoreError> {
    let Some(id) = id else {
        return Ok(Version::EMPTY);
    };
    let n: i64 = tx
        .query_one("SELECT version FROM tenants WHERE id = $1", &[&id])
        .await?
        .try_get(0)?;
    as_version(n)
}

/// Draws the next version from the store-wide sequence and gives it to the tenant.
pub(super) async fn bump_version(tx: &Tx<'_>, id: i64) -> Result<Version, StoreError> {
    let next: i64 = tx
        .query_one(
            "UPDATE tenants SET version = nextval('store_versions') WHERE id = $1
             RETURNING version",
            &[&id],
        )
        .await?
        .try_get(0)?;
    as_version(next)
}

fn as_version(n: i64) -> Result<Version, StoreError> {
    u64::try_from(n)
        .map(Version::new)
        .map_err(|_| StoreError::Corrupt(format!("negative version {n}")))
}

/// Every tenant with data, ordered by API URL then account uid (byte order, as in Rust).
pub(super) async fn list_tenants(tx: &Tx<'_>) -> Result<Vec<TenantId>, StoreError> {
    let rows = tx
        .query(
            "SELECT api_url, account_uid FROM tenants
             ORDER BY api_url COLLATE \"C\", account_uid COLLATE \"C\"",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let api_url: String = row.try_get(0)?;
            let account_uid: String = row.try_get(1)?;
            TenantId::new(&api_url, &account_uid).map_err(|e| {
                StoreError::Corrupt(format!("tenant {account_uid:?} at {api_url:?}: {e}"))
            })
        })
        .collect()
}

/// Deletes the tenant's row; the other tables' rows of the tenant go with it (`ON DELETE
/// CASCADE`).
pub(super) async fn delete_tenant(tx: &Tx<'_>, tenant: &TenantId) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM tenants WHERE api_url = $1 AND account_uid = $2",
        &[&tenant.api_url(), &tenant.account_uid()],
    )
    .await?;
    Ok(())
}

// ---- leases -------------------------------------------------------------------------------

/// The lease of the tenant's `flow` as stored; `for_update` locks its row until the
/// transaction ends.
pub(super) async fn lease(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    flow: Flow,
    for_update: bool,
) -> Result<Option<Lease>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    let lock = if for_update { "FOR UPDATE" } else { "" };
    let row = tx
        .query_opt(
            &format!(
                "SELECT holder, acquired_at, expires_at, holder_host, holder_pid, holder_start
                 FROM leases WHERE tenant_id = $1 AND flow = $2 {lock}"
            ),
            &[&tenant, &flow.as_str()],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let host: Option<String> = row.try_get(3)?;
    let pid: Option<i64> = row.try_get(4)?;
    let start: Option<i64> = row.try_get(5)?;
    let process = match (host, pid) {
        (Some(host), Some(pid)) => {
            let pid = u32::try_from(pid)
                .map_err(|_| StoreError::Corrupt(format!("lease holder pid {pid} is invalid")))?;
            // The start time is kept bit for bit in a signed column.
            Some(HolderProcess::new(host, pid, start.map(|s| s as u64)))
        }
        (None, None) => None,
        _ => {
            return Err(StoreError::Corrupt(
                "a lease names the holder's host or pid without the other".to_owned(),
            ));
        }
    };
    Ok(Some(Lease {
        holder: row.try_get(0)?,
        process,
        acquired_at: from_millis(row.try_get(1)?)?,
        expires_at: from_millis(row.try_get(2)?)?,
    }))
}

/// Stores the lease of the tenant's `flow`, replacing the previous one.
pub(super) async fn put_lease(
    tx: &Tx<'_>,
    tenant: i64,
    flow: Flow,
    lease: &Lease,
) -> Result<(), StoreError> {
    let (host, pid, start) = match &lease.process {
        Some(p) => (
            Some(p.host.as_str()),
            Some(i64::from(p.pid)),
            p.start_time.map(|s| s as i64),
        ),
        None => (None, None, None),
    };
    tx.execute(
        "INSERT INTO leases (tenant_id, flow, holder, acquired_at, expires_at,
                             holder_host, holder_pid, holder_start)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, flow) DO UPDATE SET
             holder = excluded.holder,
             acquired_at = excluded.acquired_at,
             expires_at = excluded.expires_at,
             holder_host = excluded.holder_host,
             holder_pid = excluded.holder_pid,
             holder_start = excluded.holder_start",
        &[
            &tenant,
            &flow.as_str(),
            &lease.holder,
            &to_millis(lease.acquired_at),
            &to_millis(lease.expires_at),
            &host,
            &pid,
            &start,
        ],
    )
    .await?;
    Ok(())
}

/// Removes `holder`'s lease of the tenant's `flow`; returns whether it held it.
pub(super) async fn release_lease(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    flow: Flow,
    holder: &str,
) -> Result<bool, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(false);
    };
    let removed = tx
        .execute(
            "DELETE FROM leases WHERE tenant_id = $1 AND flow = $2 AND holder = $3",
            &[&tenant, &flow.as_str(), &holder],
        )
        .await?;
    Ok(removed > 0)
}

// ---- sync runs ----------------------------------------------------------------------------

const RUN_COLUMNS: &str = "id, flow, status, failure_reason, started_at, finished_at, counts";

fn run(row: &tokio_postgres::Row) -> Result<SyncRun, StoreError> {
    let status: String = row.try_get(2)?;
    let reason: Option<String> = row.try_get(3)?;
    let status = match status.as_str() {
        "syncing" => RunStatus::Syncing,
        "ok" => RunStatus::Ok,
        "failed" => RunStatus::Failed {
            reason: reason.unwrap_or_default(),
        },
        other => return Err(StoreError::Corrupt(format!("unknown run status {other:?}"))),
    };
    let flow: String = row.try_get(1)?;
    let counts: String = row.try_get(6)?;
    Ok(SyncRun {
        id: RunId(row.try_get(0)?),
        flow: parse(&flow, "flow")?,
        status,
        started_at: from_millis(row.try_get(4)?)?,
        finished_at: opt_time(row.try_get(5)?)?,
        counts: from_json(RecordKind::SyncRun, &counts)?,
    })
}

fn status_columns(status: &RunStatus) -> (&'static str, Option<&str>) {
    match status {
        RunStatus::Syncing => ("syncing", None),
        RunStatus::Ok => ("ok", None),
        RunStatus::Failed { reason } => ("failed", Some(reason)),
    }
}

/// Records a started run.
pub(super) async fn insert_run(
    tx: &Tx<'_>,
    tenant: i64,
    flow: Flow,
    started_at: DateTime<Utc>,
) -> Result<SyncRun, StoreError> {
    let (status, _) = status_columns(&RunStatus::Syncing);
    let id: i64 = tx
        .query_one(
            "INSERT INTO sync_runs (tenant_id, flow, status, started_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
            &[&tenant, &flow.as_str(), &status, &to_millis(started_at)],
        )
        .await?
        .try_get(0)?;
    Ok(SyncRun {
        id: RunId(id),
        flow,
        status: RunStatus::Syncing,
        started_at: crate::truncate_to_millis(started_at),
        finished_at: None,
        counts: RunCounts::new(),
    })
}

/// The tenant's run `id`, or `NotFound`.
pub(super) async fn require_run(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    id: RunId,
) -> Result<SyncRun, StoreError> {
    let not_found = || StoreError::not_found(RecordKind::SyncRun, id.0.to_string());
    let tenant = tenant.ok_or_else(not_found)?;
    let row = tx
        .query_opt(
            &format!("SELECT {RUN_COLUMNS} FROM sync_runs WHERE tenant_id = $1 AND id = $2"),
            &[&tenant, &id.0],
        )
        .await?
        .ok_or_else(not_found)?;
    run(&row)
}

/// Writes a finished run back.
pub(super) async fn update_run(tx: &Tx<'_>, run: &SyncRun) -> Result<(), StoreError> {
    let (status, reason) = status_columns(&run.status);
    tx.execute(
        "UPDATE sync_runs SET status = $2, failure_reason = $3, finished_at = $4, counts = $5
         WHERE id = $1",
        &[
            &run.id.0,
            &status,
            &reason,
            &run.finished_at.map(to_millis),
            &to_json(RecordKind::SyncRun, &run.counts)?,
        ],
    )
    .await?;
    Ok(())
}

/// The tenant's runs, newest first.
pub(super) async fn list_runs(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    flow: Option<Flow>,
    limit: usize,
) -> Result<Vec<SyncRun>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = tx
        .query(
            &format!(
                "SELECT {RUN_COLUMNS} FROM sync_runs
                 WHERE tenant_id = $1 AND ($2::TEXT IS NULL OR flow = $2)
                 ORDER BY id DESC LIMIT $3"
            ),
            &[&tenant, &flow.map(Flow::as_str), &limit],
        )
        .await?;
    rows.iter().map(run).collect()
}

// ---- journal ------------------------------------------------------------------------------

const JOURNAL_COLUMNS: &str = "key, description, state, result, recorded_at, sent_at, completed_at";

fn entry(row: &tokio_postgres::Row) -> Result<JournalEntry, StoreError> {
    let state: String = row.try_get(2)?;
    Ok(JournalEntry {
        state: parse(&state, "journal state")?,
        key: row.try_get(0)?,
        description: row.try_get(1)?,
        result: row.try_get(3)?,
        recorded_at: from_millis(row.try_get(4)?)?,
        sent_at: opt_time(row.try_get(5)?)?,
        completed_at: opt_time(row.try_get(6)?)?,
    })
}

/// The entry under `key`.
pub(super) async fn intent(
    tx: &Tx<'_>,
    tenant: i64,
    key: &str,
) -> Result<Option<JournalEntry>, StoreError> {
    tx.query_opt(
        &format!("SELECT {JOURNAL_COLUMNS} FROM journal WHERE tenant_id = $1 AND key = $2"),
        &[&tenant, &key],
    )
    .await?
    .as_ref()
    .map(entry)
    .transpose()
}

/// The entry under `key`, or `NotFound`.
pub(super) async fn require_intent(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    key: &str,
) -> Result<(i64, JournalEntry), StoreError> {
    let found = match tenant {
        Some(tenant) => intent(tx, tenant, key).await?.map(|entry| (tenant, entry)),
        None => None,
    };
    found.ok_or_else(|| StoreError::not_found(RecordKind::JournalEntry, key))
}

/// The tenant's entries in the order recorded; only the pending ones if `pending_only`.
pub(super) async fn list_journal(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    pending_only: bool,
) -> Result<Vec<JournalEntry>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let filter = if pending_only {
        "AND state <> 'completed'"
    } else {
        ""
    };
    let rows = tx
        .query(
            &format!(
                "SELECT {JOURNAL_COLUMNS} FROM journal WHERE tenant_id = $1 {filter} ORDER BY id"
            ),
            &[&tenant],
        )
        .await?;
    rows.iter().map(entry).collect()
}

/// Records a new entry.
pub(super) async fn insert_intent(
    tx: &Tx<'_>,
    tenant: i64,
    key: &str,
    description: &str,
    at: DateTime<Utc>,
) -> Result<JournalEntry, StoreError> {
    let entry = JournalEntry::recorded(key, description, crate::truncate_to_millis(at));
    tx.execute(
        "INSERT INTO journal (tenant_id, key, description, state, recorded_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &tenant,
            &key,
            &description,
            &entry.state.as_str(),
            &to_millis(entry.recorded_at),
        ],
    )
    .await?;
    Ok(entry)
}

/// Writes an entry's new state back.
pub(super) async fn update_intent(
    tx: &Tx<'_>,
    tenant: i64,
    entry: &JournalEntry,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE journal SET state = $3, result = $4, sent_at = $5, completed_at = $6
         WHERE tenant_id = $1 AND key = $2",
        &[
            &tenant,
            &entry.key,
            &entry.state.as_str(),
            &entry.result,
            &entry.sent_at.map(to_millis),
            &entry.completed_at.map(to_millis),
        ],
    )
    .await?;
    Ok(())
}

/// Removes an entry.
pub(super) async fn delete_intent(tx: &Tx<'_>, tenant: i64, key: &str) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM journal WHERE tenant_id = $1 AND key = $2",
        &[&tenant, &key],
    )
    .await?;
    Ok(())
}

// ---- integrations -------------------------------------------------------------------------

const INTEGRATION_COLUMNS: &str =
    "vendor, url, region, platform, credential_fingerprint, credential_status, checked_at, account";

fn integration(row: &tokio_postgres::Row) -> Result<Integration, StoreError> {
    let vendor: String = row.try_get(0)?;
    let fingerprint: String = row.try_get(4)?;
    let status: String = row.try_get(5)?;
    Ok(Integration {
        vendor: parse(&vendor, "vendor")?,
        connection: ConnectionDetails {
            url: row.try_get(1)?,
            region: row.try_get(2)?,
            platform: row.try_get(3)?,
            account: row.try_get(7)?,
        },
        fingerprint: CredentialFingerprint::from_hex(&fingerprint)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        status: parse(&status, "credential status")?,
        checked_at: opt_time(row.try_get(6)?)?,
    })
}

/// The tenant's integration with `vendor`.
pub(super) async fn get_integration(
    tx: &Tx<'_>,
    tenant: i64,
    vendor: crate::Vendor,
) -> Result<Option<Integration>, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {INTEGRATION_COLUMNS} FROM integrations WHERE tenant_id = $1 AND vendor = $2"
        ),
        &[&tenant, &vendor.as_str()],
    )
    .await?
    .as_ref()
    .map(integration)
    .transpose()
}

/// Every integration of the tenant.
pub(super) async fn list_integrations(
    tx: &Tx<'_>,
    tenant: i64,
) -> Result<BTreeMap<crate::Vendor, Integration>, StoreError> {
    let rows = tx
        .query(
            &format!("SELECT {INTEGRATION_COLUMNS} FROM integrations WHERE tenant_id = $1"),
            &[&tenant],
        )
        .await?;
    rows.iter()
        .map(|row| integration(row).map(|i| (i.vendor, i)))
        .collect()
}

/// Stores an integration, replacing the tenant's previous one with the same vendor.
pub(super) async fn put_integration(
    tx: &Tx<'_>,
    tenant: i64,
    integration: &Integration,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO integrations (tenant_id, vendor, url, region, platform,
                                   credential_fingerprint, credential_status, checked_at,
                                   account)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, vendor) DO UPDATE SET
             url = excluded.url,
             region = excluded.region,
             platform = excluded.platform,
             account = excluded.account,
             credential_fingerprint = excluded.credential_fingerprint,
             credential_status = excluded.credential_status,
             checked_at = excluded.checked_at",
        &[
            &tenant,
            &integration.vendor.as_str(),
            &integration.connection.url,
            &integration.connection.region,
            &integration.connection.platform,
            &integration.fingerprint.as_hex(),
            &integration.status.as_str(),
            &integration.checked_at.map(to_millis),
            &integration.connection.account,
        ],
    )
    .await?;
    Ok(())
}

/// Removes the tenant's integration with `vendor`, or fails with `NotFound`.
pub(super) async fn delete_integration(
    tx: &Tx<'_>,
    tenant: i64,
    vendor: crate::Vendor,
) -> Result<(), StoreError> {
    let removed = tx
        .execute(
            "DELETE FROM integrations WHERE tenant_id = $1 AND vendor = $2",
            &[&tenant, &vendor.as_str()],
        )
        .await?;
    if removed == 0 {
        return Err(StoreError::not_found(
            RecordKind::Integration,
            vendor.as_str(),
        ));
    }
    Ok(())
}
