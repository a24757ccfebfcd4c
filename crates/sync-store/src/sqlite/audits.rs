//! The device_audits table: the cache of Datto RMM device audits.

use rusqlite::{Connection, OptionalExtension, params};

use super::codec::{from_json, time, to_json};
use crate::time::to_millis;
use crate::{DeviceAudit, RecordKind, StoreError};

fn audit(device_uid: String, last_audit_date: i64, facts: &str) -> Result<DeviceAudit, StoreError> {
    Ok(DeviceAudit {
        device_uid,
        last_audit_date: time(last_audit_date)?,
        facts: from_json(RecordKind::DeviceAudit, facts)?,
    })
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
    let raw: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT device_uid, last_audit_date, facts FROM device_audits
             WHERE tenant_id = ?1 AND device_uid = ?2",
            params![tenant, device_uid],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    raw.map(|(uid, date, facts)| audit(uid, date, &facts))
        .transpose()
}

/// Every cached audit of the tenant, by device uid.
pub(super) fn list(conn: &Connection, tenant: Option<i64>) -> Result<Vec<DeviceAudit>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare(
        "SELECT device_uid, last_audit_date, facts FROM device_audits
         WHERE tenant_id = ?1 ORDER BY device_uid",
    )?;
    let raws = statement
        .query_map([tenant], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(uid, date, facts)| audit(uid, date, &facts))
        .collect()
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
