//! The kept data: the device_audits, site_interfaces and run_reports tables (device audits,
//! site network-interface listings and the last report of each flow). Every function runs inside the caller's transaction.

use super::rows::{Tx, from_json, parse, to_json};
use crate::time::{from_millis, to_millis};
use crate::{DeviceAudit, Flow, RecordKind, RunId, RunReport, SiteInterfaces, StoreError};

/// Keeps a site's listing, replacing the one kept before.
pub(super) async fn put_interfaces(
    tx: &Tx<'_>,
    tenant: i64,
    listing: &SiteInterfaces,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO site_interfaces (tenant_id, site_uid, devices, listing)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, site_uid) DO UPDATE SET
             devices = excluded.devices,
             listing = excluded.listing",
        &[
            &tenant,
            &listing.site_uid,
            &to_json(RecordKind::SiteInterfaces, &listing.devices)?,
            &to_json(RecordKind::SiteInterfaces, &listing.listing)?,
        ],
    )
    .await?;
    Ok(())
}

/// Every kept listing of the tenant, by site uid.
pub(super) async fn list_interfaces(
    tx: &Tx<'_>,
    tenant: Option<i64>,
) -> Result<Vec<SiteInterfaces>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let rows = tx
        .query(
            "SELECT site_uid, devices, listing FROM site_interfaces
             WHERE tenant_id = $1 ORDER BY site_uid COLLATE \"C\"",
            &[&tenant],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let devices: String = row.try_get(1)?;
            let listing: String = row.try_get(2)?;
            Ok(SiteInterfaces {
                site_uid: row.try_get(0)?,
                devices: from_json(RecordKind::SiteInterfaces, &devices)?,
                listing: from_json(RecordKind::SiteInterfaces, &listing)?,
            })
        })
        .collect()
}

/// Drops the listings of sites not in `keep`; returns how many.
pub(super) async fn retain_interfaces(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    keep: &[String],
) -> Result<u64, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(0);
    };
    Ok(tx
        .execute(
            "DELETE FROM site_interfaces WHERE tenant_id = $1 AND NOT (site_uid = ANY($2))",
            &[&tenant, &keep],
        )
        .await?)
}

/// Keeps a flow's report, replacing the one kept before.
pub(super) async fn put_report(
    tx: &Tx<'_>,
    tenant: i64,
    report: &RunReport,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO run_reports (tenant_id, flow, run_id, saved_at, body)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, flow) DO UPDATE SET
             run_id = excluded.run_id,
             saved_at = excluded.saved_at,
             body = excluded.body",
        &[
            &tenant,
            &report.flow.as_str(),
            &report.run.0,
            &to_millis(report.saved_at),
            &report.body,
        ],
    )
    .await?;
    Ok(())
}

/// The report kept for `flow`.
pub(super) async fn get_report(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    flow: Flow,
) -> Result<Option<RunReport>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    tx.query_opt(
        "SELECT flow, run_id, saved_at, body FROM run_reports
         WHERE tenant_id = $1 AND flow = $2",
        &[&tenant, &flow.as_str()],
    )
    .await?
    .map(|row| {
        let flow: String = row.try_get(0)?;
        Ok(RunReport {
            flow: parse(&flow, "flow")?,
            run: RunId(row.try_get(1)?),
            saved_at: from_millis(row.try_get(2)?)?,
            body: row.try_get(3)?,
        })
    })
    .transpose()
}

fn audit(row: &tokio_postgres::Row) -> Result<DeviceAudit, StoreError> {
    let facts: String = row.try_get(2)?;
    Ok(DeviceAudit {
        device_uid: row.try_get(0)?,
        last_audit_date: from_millis(row.try_get(1)?)?,
        facts: from_json(RecordKind::DeviceAudit, &facts)?,
    })
}

/// Caches an audit, replacing the device's previous one.
pub(super) async fn put_audit(
    tx: &Tx<'_>,
    tenant: i64,
    audit: &DeviceAudit,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO device_audits (tenant_id, device_uid, last_audit_date, facts)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, device_uid) DO UPDATE SET
             last_audit_date = excluded.last_audit_date,
             facts = excluded.facts",
        &[
            &tenant,
            &audit.device_uid,
            &to_millis(audit.last_audit_date),
            &to_json(RecordKind::DeviceAudit, &audit.facts)?,
        ],
    )
    .await?;
    Ok(())
}

/// The cached audit of one device.
pub(super) async fn get_audit(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    device_uid: &str,
) -> Result<Option<DeviceAudit>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    tx.query_opt(
        "SELECT device_uid, last_audit_date, facts FROM device_audits
         WHERE tenant_id = $1 AND device_uid = $2",
        &[&tenant, &device_uid],
    )
    .await?
    .as_ref()
    .map(audit)
    .transpose()
}

/// Every cached audit of the tenant, by device uid.
pub(super) async fn list_audits(
    tx: &Tx<'_>,
    tenant: Option<i64>,
) -> Result<Vec<DeviceAudit>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let rows = tx
        .query(
            "SELECT device_uid, last_audit_date, facts FROM device_audits
             WHERE tenant_id = $1 ORDER BY device_uid COLLATE \"C\"",
            &[&tenant],
        )
        .await?;
    rows.iter().map(audit).collect()
}

/// Drops the audits of devices not in `keep`; returns how many.
pub(super) async fn retain_audits(
    tx: &Tx<'_>,
    tenant: Option<i64>,
    keep: &[String],
) -> Result<u64, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(0);
    };
    Ok(tx
        .execute(
            "DELETE FROM device_audits WHERE tenant_id = $1 AND NOT (device_uid = ANY($2))",
            &[&tenant, &keep],
        )
        .await?)
}
