//! The leases table.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::time;
use crate::time::to_millis;
use crate::{Flow, HolderProcess, Lease, StoreError};

type LeaseRow = (String, i64, i64, Option<String>, Option<i64>, Option<i64>);

/// The lease of the tenant's `flow` as stored.
pub(super) fn get(
    conn: &Connection,
    tenant: Option<i64>,
    flow: Flow,
) -> Result<Option<Lease>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    let raw: Option<LeaseRow> = conn
        .query_row(
            "SELECT holder, acquired_at, expires_at, holder_host, holder_pid, holder_start
             FROM leases WHERE tenant_id = ?1 AND flow = ?2",
            params![tenant, flow.as_str()],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                ))
            },
        )
        .optional()?;
    raw.map(|(holder, acquired_at, expires_at, host, pid, start)| {
        Ok(Lease {
            holder,
            process: process(host, pid, start)?,
            acquired_at: time(acquired_at)?,
            expires_at: time(expires_at)?,
        })
    })
    .transpose()
}

/// The holder's process from its columns (all NULL: none given).
pub(crate) fn process(
    host: Option<String>,
    pid: Option<i64>,
    start: Option<i64>,
) -> Result<Option<HolderProcess>, StoreError> {
    match (host, pid) {
        (Some(host), Some(pid)) => {
            let pid = u32::try_from(pid)
                .map_err(|_| StoreError::Corrupt(format!("lease holder pid {pid} is invalid")))?;
            // The start time is kept bit for bit in a signed column.
            let start = start.map(|s| s as u64);
            Ok(Some(HolderProcess::new(host, pid, start)))
        }
        (None, None) => Ok(None),
        _ => Err(StoreError::Corrupt(
            "a lease names the holder's host or pid without the other".to_owned(),
        )),
    }
}

/// The columns of the holder's process.
pub(crate) fn process_columns(
    process: Option<&HolderProcess>,
) -> (Option<&str>, Option<i64>, Option<i64>) {
    match process {
        Some(p) => (
            Some(p.host.as_str()),
            Some(i64::from(p.pid)),
            p.start_time.map(|s| s as i64),
        ),
        None => (None, None, None),
    }
}

/// Stores the lease of the tenant's `flow`, replacing the previous one.
pub(super) fn put(
    conn: &Connection,
    tenant: i64,
    flow: Flow,
    lease: &Lease,
) -> Result<(), StoreError> {
    let (host, pid, start) = process_columns(lease.process.as_ref());
    conn.execute(
        "INSERT INTO leases (tenant_id, flow, holder, acquired_at, expires_at,
                             holder_host, holder_pid, holder_start)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tenant_id, flow) DO UPDATE SET
             holder = excluded.holder,
             acquired_at = excluded.acquired_at,
             expires_at = excluded.expires_at,
             holder_host = excluded.holder_host,
             holder_pid = excluded.holder_pid,
             holder_start = excluded.holder_start",
        params![
            tenant,
            flow.as_str(),
            lease.holder,
            to_millis(lease.acquired_at),
            to_millis(lease.expires_at),
            host,
            pid,
            start
        ],
    )?;
    Ok(())
}

/// Removes `holder`'s lease of the tenant's `flow`; returns whether it held it.
pub(super) fn release(
    conn: &Connection,
    tenant: Option<i64>,
    flow: Flow,
    holder: &str,
) -> Result<bool, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(false);
    };
    let removed = conn.execute(
        "DELETE FROM leases WHERE tenant_id = ?1 AND flow = ?2 AND holder = ?3",
        params![tenant, flow.as_str(), holder],
    )?;
    Ok(removed > 0)
}
