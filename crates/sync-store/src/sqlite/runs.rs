//! The sync_runs table.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{from_json, opt_time, parse, time, to_json};
use crate::time::to_millis;
use crate::{Flow, RecordKind, RunCounts, RunId, RunStatus, StoreError, SyncRun};

const COLUMNS: &str = "id, flow, status, failure_reason, started_at, finished_at, counts";

type RawRun = (
    i64,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    String,
);

fn raw(row: &Row<'_>) -> rusqlite::Result<RawRun> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn run(raw: RawRun) -> Result<SyncRun, StoreError> {
    let (id, flow, status, failure_reason, started_at, finished_at, counts) = raw;
    let status = match (status.as_str(), failure_reason) {
        ("syncing", _) => RunStatus::Syncing,
        ("ok", _) => RunStatus::Ok,
        ("failed", reason) => RunStatus::Failed {
            reason: reason.unwrap_or_default(),
        },
        (other, _) => return Err(StoreError::Corrupt(format!("unknown run status {other:?}"))),
    };
    Ok(SyncRun {
        id: RunId(id),
        flow: parse(&flow, "flow")?,
        status,
        started_at: time(started_at)?,
        finished_at: opt_time(finished_at)?,
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
pub(super) fn insert(
    conn: &Connection,
    tenant: i64,
    flow: Flow,
    started_at: DateTime<Utc>,
) -> Result<SyncRun, StoreError> {
    let (status, _) = status_columns(&RunStatus::Syncing);
    let id: i64 = conn.query_row(
        "INSERT INTO sync_runs (tenant_id, flow, status, started_at) VALUES (?1, ?2, ?3, ?4)
         RETURNING id",
        params![tenant, flow.as_str(), status, to_millis(started_at)],
        |row| row.get(0),
    )?;
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
pub(super) fn require(
    conn: &Connection,
    tenant: Option<i64>,
    id: RunId,
) -> Result<(i64, SyncRun), StoreError> {
    let not_found = || StoreError::not_found(RecordKind::SyncRun, id.0.to_string());
    let tenant = tenant.ok_or_else(not_found)?;
    let raw = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM sync_runs WHERE tenant_id = ?1 AND id = ?2"),
            params![tenant, id.0],
            raw,
        )
        .optional()?
        .ok_or_else(not_found)?;
    Ok((tenant, run(raw)?))
}

/// Writes a finished run back.
pub(super) fn update(conn: &Connection, run: &SyncRun) -> Result<(), StoreError> {
    let (status, reason) = status_columns(&run.status);
    conn.execute(
        "UPDATE sync_runs SET status = ?2, failure_reason = ?3, finished_at = ?4, counts = ?5
         WHERE id = ?1",
        params![
            run.id.0,
            status,
            reason,
            run.finished_at.map(to_millis),
            to_json(RecordKind::SyncRun, &run.counts)?
        ],
    )?;
    Ok(())
}

/// The tenant's runs, newest first.
pub(super) fn list(
    conn: &Connection,
    tenant: Option<i64>,
    flow: Option<Flow>,
    limit: usize,
) -> Result<Vec<SyncRun>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM sync_runs WHERE tenant_id = ?1 AND (?2 IS NULL OR flow = ?2)
         ORDER BY id DESC LIMIT ?3"
    ))?;
    let raws = statement
        .query_map(params![tenant, flow.map(Flow::as_str), limit], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(run).collect()
}
