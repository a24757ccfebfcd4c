//! The site_interfaces and run_reports tables: kept site network-interface listings and the
//! last report of each flow.

use std::io::{BufWriter, Write};

use chrono::{DateTime, Utc};
use rusqlite::blob::Blob;
use rusqlite::{Connection, MAIN_DB, OptionalExtension, params};

use super::codec::{from_json, parse, time, to_json};
use crate::time::to_millis;
use crate::{Flow, RecordKind, RunId, RunReport, SiteInterfaces, StoreError};

/// Keeps a site's listing, replacing the one kept before.
pub(super) fn put_interfaces(
    conn: &Connection,
    tenant: i64,
    listing: &SiteInterfaces,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO site_interfaces (tenant_id, site_uid, devices, listing)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tenant_id, site_uid) DO UPDATE SET
             devices = excluded.devices,
             listing = excluded.listing",
        params![
            tenant,
            listing.site_uid,
            to_json(RecordKind::SiteInterfaces, &listing.devices)?,
            to_json(RecordKind::SiteInterfaces, &listing.listing)?
        ],
    )?;
    Ok(())
}

/// Every kept listing of the tenant, by site uid.
pub(super) fn list_interfaces(
    conn: &Connection,
    tenant: Option<i64>,
) -> Result<Vec<SiteInterfaces>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(Vec::new());
    };
    let mut statement = conn.prepare(
        "SELECT site_uid, devices, listing FROM site_interfaces
         WHERE tenant_id = ?1 ORDER BY site_uid",
    )?;
    let raws = statement
        .query_map([tenant], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(site_uid, devices, listing)| {
            Ok(SiteInterfaces {
                site_uid,
                devices: from_json(RecordKind::SiteInterfaces, &devices)?,
                listing: from_json(RecordKind::SiteInterfaces, &listing)?,
            })
        })
        .collect()
}

/// Drops the listings of sites not in `keep`; returns how many.
pub(super) fn retain_interfaces(
    conn: &Connection,
    tenant: Option<i64>,
    keep: &[String],
) -> Result<u64, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(0);
    };
    let uids = {
        let mut statement =
            conn.prepare("SELECT site_uid FROM site_interfaces WHERE tenant_id = ?1")?;
        statement
            .query_map([tenant], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut dropped = 0;
    for uid in uids.iter().filter(|uid| !keep.contains(uid)) {
        dropped += conn.execute(
            "DELETE FROM site_interfaces WHERE tenant_id = ?1 AND site_uid = ?2",
            params![tenant, uid],
        )? as u64;
    }
    Ok(dropped)
}

/// Keeps a flow's report, replacing the one kept before.
pub(super) fn put_report(
    conn: &Connection,
    tenant: i64,
    report: &RunReport,
) -> Result<(), StoreError> {
    put_report_body(
        conn,
        tenant,
        (report.flow, report.run, report.saved_at),
        report.body.len(),
        &mut |out| out.write_all(report.body.as_bytes()),
    )
}

/// Keeps a flow's report whose body of `len` bytes `write` writes, replacing the one kept
/// before. The body goes into a zero-filled BLOB of its length, a buffer at a time: bound as one
/// value, SQLite would copy it (tens of megabytes at MSP scale) twice before writing it.
pub(super) fn put_report_body(
    conn: &Connection,
    tenant: i64,
    (flow, run, saved_at): (Flow, RunId, DateTime<Utc>),
    len: usize,
    write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM run_reports WHERE tenant_id = ?1 AND flow = ?2",
        params![tenant, flow.as_str()],
    )?;
    conn.execute(
        "INSERT INTO run_reports (tenant_id, flow, run_id, saved_at, body)
         VALUES (?1, ?2, ?3, ?4, zeroblob(?5))",
        params![
            tenant,
            flow.as_str(),
            run.0,
            to_millis(saved_at),
            i64::try_from(len).unwrap_or(i64::MAX)
        ],
    )?;
    let row = conn.last_insert_rowid();
    let blob = conn.blob_open(MAIN_DB, "run_reports", "body", row, false)?;
    let mut counted = Counted { blob, written: 0 };
    let short = |written: usize| {
        StoreError::Corrupt(format!(
            "a report body of {len} bytes came with {written} bytes"
        ))
    };
    {
        let mut out = BufWriter::with_capacity(1 << 16, &mut counted);
        write(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| StoreError::Corrupt(format!("a report body could not be written: {e}")))?;
    }
    if counted.written != len {
        return Err(short(counted.written));
    }
    counted.blob.close()?;
    Ok(())
}

/// A blob being written, counting the bytes it took (a body longer than announced fails on
/// the first byte past the end; a shorter one is found by the count).
struct Counted<'conn> {
    blob: Blob<'conn>,
    written: usize,
}

impl Write for Counted<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.blob.write(bytes)?;
        if n == 0 && !bytes.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::WriteZero,
                "the body is longer than announced",
            ));
        }
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.blob.flush()
    }
}

/// The report kept for `flow`.
pub(super) fn get_report(
    conn: &Connection,
    tenant: Option<i64>,
    flow: Flow,
) -> Result<Option<RunReport>, StoreError> {
    let Some(tenant) = tenant else {
        return Ok(None);
    };
    let raw: Option<(String, i64, i64, Vec<u8>)> = conn
        .query_row(
            "SELECT flow, run_id, saved_at, body FROM run_reports
             WHERE tenant_id = ?1 AND flow = ?2",
            params![tenant, flow.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    raw.map(|(flow, run, saved_at, body)| {
        Ok(RunReport {
            flow: parse(&flow, "flow")?,
            run: RunId(run),
            saved_at: time(saved_at)?,
            body: String::from_utf8(body)
                .map_err(|_| StoreError::Corrupt("a kept report's body is not UTF-8".to_owned()))?,
        })
    })
    .transpose()
}
