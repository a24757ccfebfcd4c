//! The journal table.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, params};

use super::codec::{FromRow, opt_time, parse, select_all, select_one, time};
use crate::time::to_millis;
use crate::{JournalEntry, RecordKind, StoreError};

impl FromRow for JournalEntry {
    const COLUMNS: &'static str =
        "key, description, state, result, recorded_at, sent_at, completed_at";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(JournalEntry {
            state: parse(&row.get::<_, String>("state")?, "journal state")?,
            key: row.get("key")?,
            description: row.get("description")?,
            result: row.get("result")?,
            recorded_at: time(row.get("recorded_at")?)?,
            sent_at: opt_time(row.get("sent_at")?)?,
            completed_at: opt_time(row.get("completed_at")?)?,
        })
    }
}

/// The entry under `key`.
pub(super) fn get(
    conn: &Connection,
    tenant: i64,
    key: &str,
) -> Result<Option<JournalEntry>, StoreError> {
    select_one(
        conn,
        "FROM journal WHERE tenant_id = ?1 AND key = ?2",
        params![tenant, key],
    )
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
    select_all(
        conn,
        &format!("FROM journal WHERE tenant_id = ?1 {filter} ORDER BY id"),
        [tenant],
    )
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
