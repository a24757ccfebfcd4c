//! The journal table.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{opt_time, parse, time};
use crate::time::to_millis;
use crate::{JournalEntry, RecordKind, StoreError};

const COLUMNS: &str = "key, description, state, result, recorded_at, sent_at, completed_at";

type RawEntry = (
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<i64>,
);

fn raw(row: &Row<'_>) -> rusqlite::Result<RawEntry> {
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

fn entry(raw: RawEntry) -> Result<JournalEntry, StoreError> {
    let (key, description, state, result, recorded_at, sent_at, completed_at) = raw;
    Ok(JournalEntry {
        state: parse(&state, "journal state")?,
        key,
        description,
        result,
        recorded_at: time(recorded_at)?,
        sent_at: opt_time(sent_at)?,
        completed_at: opt_time(completed_at)?,
    })
}

/// The entry under `key`.
pub(super) fn get(
    conn: &Connection,
    tenant: i64,
    key: &str,
) -> Result<Option<JournalEntry>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM journal WHERE tenant_id = ?1 AND key = ?2"),
        params![tenant, key],
        raw,
    )
    .optional()?
    .map(entry)
    .transpose()
}

/// The entry under `key`, or `NotFound`.
pub(super) fn require(
    conn: &Connection,
    tenant: Option<i64>,
    key: &str,
) -> Result<(i64, JournalEntry), StoreError> {
    let found = match tenant {
        Some(tenant) => get(conn, tenant, key)?.map(|entry| (tenant, entry)),
        None => None,
    };
    found.ok_or_else(|| StoreError::not_found(RecordKind::JournalEntry, key))
}

/// The tenant's entries in the order recorded; only the pending ones if `pending_only`.
pub(super) fn list(
    conn: &Connection,
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
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM journal WHERE tenant_id = ?1 {filter} ORDER BY id"
    ))?;
    let raws = statement
        .query_map([tenant], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(entry).collect()
}

/// Records a new entry.
pub(super) fn insert(
    conn: &Connection,
    tenant: i64,
    key: &str,
    description: &str,
    at: DateTime<Utc>,
) -> Result<JournalEntry, StoreError> {
    let entry = JournalEntry::recorded(key, description, crate::truncate_to_millis(at));
    conn.execute(
        "INSERT INTO journal (tenant_id, key, description, state, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            tenant,
            key,
            description,
            entry.state.as_str(),
            to_millis(entry.recorded_at)
        ],
    )?;
    Ok(entry)
}

/// Writes an entry's new state back.
pub(super) fn update(
    conn: &Connection,
    tenant: i64,
    entry: &JournalEntry,
) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE journal SET state = ?3, result = ?4, sent_at = ?5, completed_at = ?6
         WHERE tenant_id = ?1 AND key = ?2",
        params![
            tenant,
            entry.key,
            entry.state.as_str(),
            entry.result,
            entry.sent_at.map(to_millis),
            entry.completed_at.map(to_millis)
        ],
    )?;
    Ok(())
}

/// Removes an entry.
pub(super) fn delete(conn: &Connection, tenant: i64, key: &str) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM journal WHERE tenant_id = ?1 AND key = ?2",
        params![tenant, key],
    )?;
    Ok(())
}
