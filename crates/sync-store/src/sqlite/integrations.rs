//! The integrations table: connection details, credential fingerprint and status.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{opt_time, parse};
use crate::time::to_millis;
use crate::{
    ConnectionDetails, CredentialFingerprint, Integration, RecordKind, StoreError, Vendor,
};

const COLUMNS: &str =
    "vendor, url, region, platform, credential_fingerprint, credential_status, checked_at";

type RawIntegration = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<i64>,
);

fn raw(row: &Row<'_>) -> rusqlite::Result<RawIntegration> {
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

fn integration(raw: RawIntegration) -> Result<Integration, StoreError> {
    let (vendor, url, region, platform, fingerprint, status, checked_at) = raw;
    Ok(Integration {
        vendor: parse(&vendor, "vendor")?,
        connection: ConnectionDetails {
            url,
            region,
            platform,
        },
        fingerprint: CredentialFingerprint::from_hex(&fingerprint)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        status: parse(&status, "credential status")?,
        checked_at: opt_time(checked_at)?,
    })
}

/// The tenant's integration with `vendor`.
pub(super) fn get(
    conn: &Connection,
    tenant: i64,
    vendor: Vendor,
) -> Result<Option<Integration>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM integrations WHERE tenant_id = ?1 AND vendor = ?2"),
        params![tenant, vendor.as_str()],
        raw,
    )
    .optional()?
    .map(integration)
    .transpose()
}

/// Every integration of the tenant.
pub(super) fn list(
    conn: &Connection,
    tenant: i64,
) -> Result<BTreeMap<Vendor, Integration>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM integrations WHERE tenant_id = ?1"
    ))?;
    let raws = statement
        .query_map([tenant], raw)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|raw| integration(raw).map(|i| (i.vendor, i)))
        .collect()
}

/// Stores an integration, replacing the tenant's previous one with the same vendor.
pub(super) fn put(
    conn: &Connection,
    tenant: i64,
    integration: &Integration,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO integrations (tenant_id, vendor, url, region, platform,
                                   credential_fingerprint, credential_status, checked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tenant_id, vendor) DO UPDATE SET
             url = excluded.url,
             region = excluded.region,
             platform = excluded.platform,
             credential_fingerprint = excluded.credential_fingerprint,
             credential_status = excluded.credential_status,
             checked_at = excluded.checked_at",
        params![
            tenant,
            integration.vendor.as_str(),
            integration.connection.url,
            integration.connection.region,
            integration.connection.platform,
            integration.fingerprint.as_hex(),
            integration.status.as_str(),
            integration.checked_at.map(to_millis)
        ],
    )?;
    Ok(())
}

/// Removes the tenant's integration with `vendor`, or fails with `NotFound`.
pub(super) fn delete(conn: &Connection, tenant: i64, vendor: Vendor) -> Result<(), StoreError> {
    let removed = conn.execute(
        "DELETE FROM integrations WHERE tenant_id = ?1 AND vendor = ?2",
        params![tenant, vendor.as_str()],
    )?;
    if removed == 0 {
        return Err(StoreError::not_found(
            RecordKind::Integration,
            vendor.as_str(),
        ));
    }
    Ok(())
}
