//! The sync_runs table.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::codec::{FromRow, from_json, opt_time, parse, select_all, select_one, time, to_json};
use crate::time::to_millis;
use crate::{Flow, RecordKind, RunCounts, RunId, RunStatus, StoreError, SyncRun};

impl FromRow for SyncRun {
    const COLUMNS: &'static str =
        "id, flow, status, failure_reason, started_at, finished_at, counts";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let status: String = row.get("status")?;
        let status = match status.as_str() {
            "syncing" => RunStatus::Syncing,
            "ok" => RunStatus::Ok,
            "failed" => RunStatus::Failed {
                reason: row
                    .get::<_, Option<String>>("failure_reason")?
                    .unwrap_or_default(),
            },
            other => return Err(StoreError::Corrupt(format!("unknown run status {other:?}"))),
        };
        Ok(SyncRun {
            id: RunId(row.get("id")?),
            flow: parse(&row.get::<_, String>("flow")?, "flow")?,
            status,
            started_at: time(row.get("started_at")?)?,
            finished_at: opt_time(row.get("finished_at")?)?,
            counts: from_json(RecordKind::SyncRun, &row.get::<_, String>("counts")?)?,
        })
    }
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
    let run = select_one(
        conn,
        "FROM sync_runs WHERE tenant_id = ?1 AND id = ?2",
        params![tenant, id.0],
    )?
    .ok_or_else(not_found)?;
    Ok((tenant, run))
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
    select_all(
        conn,
        "FROM sync_runs WHERE tenant_id = ?1 AND (?2 IS NULL OR flow = ?2)
         ORDER BY id DESC LIMIT ?3",
        params![tenant, flow.map(Flow::as_str), limit],
    )
}
