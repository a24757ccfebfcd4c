//! The integrations table: connection details, credential fingerprint and status.

use std::collections::BTreeMap;

use rusqlite::{Connection, Row, params};

use super::codec::{FromRow, opt_time, parse, select_all, select_one};
use crate::time::to_millis;
use crate::{
    ConnectionDetails, CredentialFingerprint, Integration, RecordKind, StoreError, Vendor,
};

impl FromRow for Integration {
    const COLUMNS: &'static str = "vendor, url, region, platform, credential_fingerprint, credential_status, checked_at, \
         account";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let fingerprint: String = row.get("credential_fingerprint")?;
        Ok(Integration {
            vendor: parse(&row.get::<_, String>("vendor")?, "vendor")?,
            connection: ConnectionDetails {
                url: row.get("url")?,
                region: row.get("region")?,
                platform: row.get("platform")?,
                account: row.get("account")?,
            },
            fingerprint: CredentialFingerprint::from_hex(&fingerprint)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            status: parse(
                &row.get::<_, String>("credential_status")?,
                "credential status",
            )?,
            checked_at: opt_time(row.get("checked_at")?)?,
        })
    }
}

/// The tenant's integration with `vendor`.
pub(super) fn get(
    conn: &Connection,
    tenant: i64,
    vendor: Vendor,
) -> Result<Option<Integration>, StoreError> {
    select_one(
        conn,
        "FROM integrations WHERE tenant_id = ?1 AND vendor = ?2",
        params![tenant, vendor.as_str()],
    )
}

/// Every integration of the tenant.
pub(super) fn list(
    conn: &Connection,
    tenant: i64,
) -> Result<BTreeMap<Vendor, Integration>, StoreError> {
    let integrations: Vec<Integration> =
        select_all(conn, "FROM integrations WHERE tenant_id = ?1", [tenant])?;
    Ok(integrations.into_iter().map(|i| (i.vendor, i)).collect())
}

/// Stores an integration, replacing the tenant's previous one with the same vendor.
pub(super) fn put(
    conn: &Connection,
    tenant: i64,
    integration: &Integration,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO integrations (tenant_id, vendor, url, region, platform,
                                   credential_fingerprint, credential_status, checked_at,
                                   account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (tenant_id, vendor) DO UPDATE SET
             url = excluded.url,
             region = excluded.region,
             platform = excluded.platform,
             account = excluded.account,
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
            integration.checked_at.map(to_millis),
            integration.connection.account
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
