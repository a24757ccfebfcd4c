//! The device_audits table: the cache of Datto RMM device audits.

use rusqlite::{Connection, Row, params};

use super::codec::{FromRow, from_json, select_all, select_one, time, to_json};
use crate::time::to_millis;
use crate::{DeviceAudit, RecordKind, StoreError};

impl FromRow for DeviceAudit {
    const COLUMNS: &'static str = "device_uid, last_audit_date, facts";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(DeviceAudit {
            device_uid: row.get("device_uid")?,
            last_audit_date: time(row.get("last_audit_date")?)?,
            facts: from_json(RecordKind::DeviceAudit, &row.get::<_, String>("facts")?)?,
        })
    }
}

/// Caches an audit, replacing the device's previous one.
pub(super) fn put(conn: &Connection, tenant: i64, audit: &DeviceAudit) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO device_audits (tenant_id, device_uid, last_audit_date, facts)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant_id, device_uid) DO UPDATE SET
             last_audit_date = excluded.last_audit_date,
             facts = excluded.facts",
        params![
            tenant,
            audit.device_uid,
            to_millis(audit.last_audit_date),
            to_json(RecordKind::DeviceAudit, &audit.facts)?
        ],
    )?;
    Ok(())
}

/// The cached audit of one device.
pub(super) fn get(
    conn: &Connection,
    tenant: Option<i64>,
    device_uid: &str,
) -> Result<Option<DeviceAudit>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    select_one(
        conn,
        "FROM device_audits WHERE tenant_id = ?1 AND device_uid = ?2",
        params![tenant, device_uid],
    )
}

/// Every cached audit of the tenant, by device uid.
pub(super) fn list(conn: &Connection, tenant: Option<i64>) -> Result<Vec<DeviceAudit>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    select_all(
        conn,
        "FROM device_audits WHERE tenant_id = ?1 ORDER BY device_uid",
        [tenant],
    )
}

/// Drops the audits of devices not in `keep`; returns how many.
pub(super) fn retain(
    conn: &Connection,
    tenant: Option<i64>,
    keep: &[String],
) -> Result<u64, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(0);
    };
    let uids = {
        let mut statement =
            conn.prepare("SELECT device_uid FROM device_audits WHERE tenant_id = ?1")?;
        statement
            .query_map([tenant], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut dropped = 0;
    for uid in uids.iter().filter(|uid| !keep.contains(uid)) {
        dropped += conn.execute(
            "DELETE FROM device_audits WHERE tenant_id = ?1 AND device_uid = ?2",
            params![tenant, uid],
        )? as u64;
    }
    Ok(dropped)
}
