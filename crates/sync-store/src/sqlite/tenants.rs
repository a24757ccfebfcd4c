//! The tenants table: identity, version, and the store-wide version sequence.

use rusqlite::{Connection, OptionalExtension, params};

use crate::{StoreError, TenantId, Version};

/// The tenant's row id, if it has data.
pub(super) fn find(conn: &Connection, tenant: &TenantId) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id FROM tenants WHERE api_url = ?1 AND account_uid = ?2",
            params![tenant.api_url(), tenant.account_uid()],
            |row| row.get(0),
        )
        .optional()?)
}

/// The tenant's row id, creating the row when the tenant had no data.
pub(super) fn ensure(conn: &Connection, tenant: &TenantId) -> Result<i64, StoreError> {
    if let Some(id) = find(conn, tenant)? {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO tenants (api_url, account_uid) VALUES (?1, ?2)",
        params![tenant.api_url(), tenant.account_uid()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The version of the tenant with row id `id` (none: never written).
pub(super) fn version(conn: &Connection, id: Option<i64>) -> Result<Version, StoreError> {
    let Some(id) = id else {
        return Ok(Version::EMPTY);
    };
    let n: i64 = conn.query_row("SELECT version FROM tenants WHERE id = ?1", [id], |row| {
        row.get(0)
    })?;
    Ok(Version::new(as_version(n)?))
}

/// Draws the next version from the store-wide sequence and gives it to the tenant.
pub(super) fn bump_version(conn: &Connection, id: i64) -> Result<Version, StoreError> {
    let next: i64 = conn.query_row(
        "UPDATE store_meta SET value = value + 1 WHERE key = 'last_version' RETURNING value",
        [],
        |row| row.get(0),
    )?;
    conn.execute(
        "UPDATE tenants SET version = ?1 WHERE id = ?2",
        params![next, id],
    )?;
    Ok(Version::new(as_version(next)?))
}

fn as_version(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative version {n}")))
}

/// Every tenant with data.
pub(super) fn list(conn: &Connection) -> Result<Vec<TenantId>, StoreError> {
    let mut statement =
        conn.prepare("SELECT api_url, account_uid FROM tenants ORDER BY api_url, account_uid")?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut tenants = Vec::new();
    for row in rows {
        let (api_url, account_uid) = row?;
        let tenant = TenantId::new(&api_url, &account_uid).map_err(|e| {
            StoreError::Corrupt(format!("tenant {account_uid:?} at {api_url:?}: {e}"))
        })?;
        tenants.push(tenant);
    }
    Ok(tenants)
}

/// Deletes the tenant's row; every other table's rows of the tenant go with it
/// (`ON DELETE CASCADE`).
pub(super) fn delete(conn: &Connection, tenant: &TenantId) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM tenants WHERE api_url = ?1 AND account_uid = ?2",
        params![tenant.api_url(), tenant.account_uid()],
    )?;
    Ok(())
}
