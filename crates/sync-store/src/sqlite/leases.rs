//! The leases table.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::time;
use crate::time::to_millis;
use crate::{Lease, StoreError};

/// The tenant's lease as stored.
pub(super) fn get(conn: &Connection, tenant: Option<i64>) -> Result<Option<Lease>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    let raw: Option<(String, i64, i64)> = conn
        .query_row(
            "SELECT holder, acquired_at, expires_at FROM leases WHERE tenant_id = ?1",
            [tenant],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    raw.map(|(holder, acquired_at, expires_at)| {
        Ok(Lease {
            holder,
            acquired_at: time(acquired_at)?,
            expires_at: time(expires_at)?,
        })
    })
    .transpose()
}

/// Stores the tenant's lease, replacing the previous one.
pub(super) fn put(conn: &Connection, tenant: i64, lease: &Lease) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO leases (tenant_id, holder, acquired_at, expires_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant_id) DO UPDATE SET
             holder = excluded.holder,
             acquired_at = excluded.acquired_at,
             expires_at = excluded.expires_at",
        params![
            tenant,
            lease.holder,
            to_millis(lease.acquired_at),
            to_millis(lease.expires_at)
        ],
    )?;
    Ok(())
}

/// Removes `holder`'s lease; returns whether it held one.
pub(super) fn release(
    conn: &Connection,
    tenant: Option<i64>,
    holder: &str,
) -> Result<bool, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(false);
    };
    let removed = conn.execute(
        "DELETE FROM leases WHERE tenant_id = ?1 AND holder = ?2",
        params![tenant, holder],
    )?;
    Ok(removed > 0)
}
