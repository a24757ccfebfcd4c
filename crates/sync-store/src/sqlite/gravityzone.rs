//! The GravityZone tables: settings, associations, exclusions, events and their history.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use sync_core::gravityzone::{
    Association, CompanyId, Event, EventId, EventKind, Exclusion, SiteUid,
};

use super::codec::{from_json, parse, time, to_json};
use crate::rules::gravityzone as rule;
use crate::time::to_millis;
use crate::{
    AssociationRecord, ChangedBy, EventRecord, EventStateChange, ExclusionRecord,
    GravityZoneChange, GravityZoneState, RecordKind, StoreError,
};

fn changed_by(tag: &str, name: Option<String>) -> Result<ChangedBy, StoreError> {
    ChangedBy::from_columns(tag, name)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown author {tag:?}")))
}

/// The GravityZone part of the tenant's state.
pub(super) fn load(conn: &Connection, tenant: i64) -> Result<GravityZoneState, StoreError> {
    let settings = conn
        .query_row(
            "SELECT settings FROM gravityzone_settings WHERE tenant_id = ?1",
            [tenant],
            |row| row.get::<_, String>(0),
        )
        .optional()?
        .map(|json| from_json(RecordKind::GravityZoneSettings, &json))
        .transpose()?;
    Ok(GravityZoneState {
        settings,
        associations: associations(conn, tenant)?,
        exclusions: exclusions(conn, tenant)?,
        events: events(conn, tenant)?,
    })
}

/// Applies one GravityZone change inside the caller's transaction.
pub(super) fn apply(
    conn: &Connection,
    tenant: i64,
    change: &GravityZoneChange,
) -> Result<(), StoreError> {
    match change {
        GravityZoneChange::SaveSettings(settings) => {
            conn.execute(
                "INSERT INTO gravityzone_settings (tenant_id, settings) VALUES (?1, ?2)
                 ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings",
                params![tenant, to_json(RecordKind::GravityZoneSettings, settings)?],
            )?;
        }
        GravityZoneChange::Associate(new) => {
            let of_site = association_where(conn, tenant, "site_uid", new.site().as_str())?;
            let of_company = association_where(conn, tenant, "company_id", new.company().as_str())?;
            let record = rule::associate(of_site.as_ref(), of_company.as_ref(), new)?;
            insert_association(conn, tenant, &record)?;
        }
        GravityZoneChange::SetPackage {
            site,
            package_id,
            package_link,
        } => {
            let current = association_where(conn, tenant, "site_uid", site.as_str())?;
            let record = rule::set_package(current, site, package_id, package_link)?;
            conn.execute(
                "UPDATE gravityzone_associations SET package_id = ?3, package_link = ?4
                 WHERE tenant_id = ?1 AND site_uid = ?2",
                params![
                    tenant,
                    site.as_str(),
                    record.package_id,
                    record.package_link
                ],
            )?;
        }
        GravityZoneChange::DeleteAssociation { site, company } => {
            let current = association_where(conn, tenant, "site_uid", site.as_str())?;
            rule::delete_association(current.as_ref(), site, company)?;
            conn.execute(
                "DELETE FROM gravityzone_associations WHERE tenant_id = ?1 AND site_uid = ?2",
                params![tenant, site.as_str()],
            )?;
        }
        GravityZoneChange::Exclude(new) => {
            let current = exclusion(conn, tenant, new.site())?;
            let record = rule::exclude(current.as_ref(), new)?;
            let (by, user) = record.made_by.columns();
            conn.execute(
                "INSERT INTO gravityzone_exclusions
                     (tenant_id, site_uid, made_by, made_by_user, made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    tenant,
                    record.site().as_str(),
                    by,
                    user,
                    to_millis(record.made_at)
                ],
            )?;
        }
        GravityZoneChange::Include { site } => {
            rule::include(exclusion(conn, tenant, site)?.as_ref(), site)?;
            conn.execute(
                "DELETE FROM gravityzone_exclusions WHERE tenant_id = ?1 AND site_uid = ?2",
                params![tenant, site.as_str()],
            )?;
        }
        GravityZoneChange::PutEvent {
            event,
            changed_by,
            changed_at,
        } => put_event(conn, tenant, event, changed_by, *changed_at)?,
        GravityZoneChange::RemoveEvent { id } => {
            let found = find_event(conn, tenant, id)?;
            rule::remove_event(found.as_ref().map(|(_, record)| record), id)?;
            if let Some((row, _)) = found {
                conn.execute("DELETE FROM gravityzone_events WHERE id = ?1", [row])?;
            }
        }
    }
    Ok(())
}

const ASSOCIATION_COLUMNS: &str =
    "site_uid, company_id, method, made_by, made_by_user, made_at, package_id, package_link";

type RawAssociation = (
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
);

fn raw_association(row: &Row<'_>) -> rusqlite::Result<RawAssociation> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
    ))
}

fn association(raw: RawAssociation) -> Result<AssociationRecord, StoreError> {
    let (site, company, method, by, user, made_at, package_id, package_link) = raw;
    Ok(AssociationRecord {
        association: Association::new(SiteUid::new(site), CompanyId::new(company)),
        method: parse(&method, "association method")?,
        made_by: changed_by(&by, user)?,
        made_at: time(made_at)?,
        package_id,
        package_link,
    })
}

fn associations(conn: &Connection, tenant: i64) -> Result<Vec<AssociationRecord>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {ASSOCIATION_COLUMNS} FROM gravityzone_associations WHERE tenant_id = ?1"
    ))?;
    let raws = statement
        .query_map([tenant], raw_association)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut records = raws
        .into_iter()
        .map(association)
        .collect::<Result<Vec<_>, _>>()?;
    records.sort_by(|a, b| a.site().cmp(b.site()));
    Ok(records)
}

/// The association whose `column` (`site_uid` or `company_id`) is `value`.
fn association_where(
    conn: &Connection,
    tenant: i64,
    column: &'static str,
    value: &str,
) -> Result<Option<AssociationRecord>, StoreError> {
    conn.query_row(
        &format!(
            "SELECT {ASSOCIATION_COLUMNS} FROM gravityzone_associations
             WHERE tenant_id = ?1 AND {column} = ?2"
        ),
        params![tenant, value],
        raw_association,
    )
    .optional()?
    .map(association)
    .transpose()
}

fn insert_association(
    conn: &Connection,
    tenant: i64,
    record: &AssociationRecord,
) -> Result<(), StoreError> {
    let (by, user) = record.made_by.columns();
    conn.execute(
        &format!(
            "INSERT INTO gravityzone_associations (tenant_id, {ASSOCIATION_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            tenant,
            record.site().as_str(),
            record.company().as_str(),
            record.method.as_str(),
            by,
            user,
            to_millis(record.made_at),
            record.package_id,
            record.package_link
        ],
    )?;
    Ok(())
}

const EXCLUSION_COLUMNS: &str = "site_uid, made_by, made_by_user, made_at";

type RawExclusion = (String, String, Option<String>, i64);

fn raw_exclusion(row: &Row<'_>) -> rusqlite::Result<RawExclusion> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn exclusion_record(raw: RawExclusion) -> Result<ExclusionRecord, StoreError> {
    let (site, by, user, at) = raw;
    Ok(ExclusionRecord {
        exclusion: Exclusion::new(SiteUid::new(site)),
        made_by: changed_by(&by, user)?,
        made_at: time(at)?,
    })
}

fn exclusions(conn: &Connection, tenant: i64) -> Result<Vec<ExclusionRecord>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {EXCLUSION_COLUMNS} FROM gravityzone_exclusions WHERE tenant_id = ?1"
    ))?;
    let raws = statement
        .query_map([tenant], raw_exclusion)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut records = raws
        .into_iter()
        .map(exclusion_record)
        .collect::<Result<Vec<_>, _>>()?;
    records.sort_by(|a, b| a.site().cmp(b.site()));
    Ok(records)
}

fn exclusion(
    conn: &Connection,
    tenant: i64,
    site: &SiteUid,
) -> Result<Option<ExclusionRecord>, StoreError> {
    conn.query_row(
        &format!(
            "SELECT {EXCLUSION_COLUMNS} FROM gravityzone_exclusions
             WHERE tenant_id = ?1 AND site_uid = ?2"
        ),
        params![tenant, site.as_str()],
        raw_exclusion,
    )
    .optional()?
    .map(exclusion_record)
    .transpose()
}

/// The event kind's name as stored (its serde name, `destination_creation`, …).
fn kind_text(kind: EventKind) -> Result<String, StoreError> {
    match serde_json::to_value(kind).map_err(StoreError::json(RecordKind::Event))? {
        serde_json::Value::String(text) => Ok(text),
        other => Err(StoreError::Corrupt(format!(
            "event kind serialised as {other}"
        ))),
    }
}

fn kind_from_text(text: &str) -> Result<EventKind, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(StoreError::json(RecordKind::Event))
}

const EVENT_COLUMNS: &str =
    "id, kind, site_uid, company_id, site_name, company_name, generated_at, state";

type RawEvent = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    String,
);

fn raw_event(row: &Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
    ))
}

fn event(raw: RawEvent) -> Result<(i64, Event), StoreError> {
    let (row, kind, site, company, site_name, company_name, generated_at_ms, state) = raw;
    Ok((
        row,
        Event {
            id: EventId::new(
                kind_from_text(&kind)?,
                SiteUid::new(site),
                company.map(CompanyId::new),
            ),
            site_name,
            company_name,
            generated_at_ms,
            state: from_json(RecordKind::Event, &state)?,
        },
    ))
}

type RawChange = (i64, String, String, Option<String>, i64);

fn history_change(raw: RawChange) -> Result<(i64, EventStateChange), StoreError> {
    let (event_row, state, by, user, at) = raw;
    Ok((
        event_row,
        EventStateChange {
            state: from_json(RecordKind::Event, &state)?,
            changed_by: changed_by(&by, user)?,
            changed_at: time(at)?,
        },
    ))
}

/// The history rows of the tenant (`event` = one event's row id, or all), by event row id.
fn histories(
    conn: &Connection,
    tenant: i64,
    event: Option<i64>,
) -> Result<BTreeMap<i64, Vec<EventStateChange>>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT event_id, state, changed_by, changed_by_user, changed_at
         FROM gravityzone_event_history
         WHERE tenant_id = ?1 AND (?2 IS NULL OR event_id = ?2)
         ORDER BY id",
    )?;
    let raws = statement
        .query_map(params![tenant, event], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<RawChange>>>()?;
    let mut by_event: BTreeMap<i64, Vec<EventStateChange>> = BTreeMap::new();
    for raw in raws {
        let (event_row, change) = history_change(raw)?;
        by_event.entry(event_row).or_default().push(change);
    }
    Ok(by_event)
}

fn events(conn: &Connection, tenant: i64) -> Result<Vec<EventRecord>, StoreError> {
    let mut statement = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM gravityzone_events WHERE tenant_id = ?1"
    ))?;
    let raws = statement
        .query_map([tenant], raw_event)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut histories = histories(conn, tenant, None)?;
    let mut records = raws
        .into_iter()
        .map(|raw| {
            let (row, event) = event(raw)?;
            Ok(EventRecord {
                event,
                history: histories.remove(&row).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.id().cmp(b.id()));
    Ok(records)
}

/// The stored event with identity `id`, with its row id.
fn find_event(
    conn: &Connection,
    tenant: i64,
    id: &EventId,
) -> Result<Option<(i64, EventRecord)>, StoreError> {
    let raw = conn
        .query_row(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM gravityzone_events
                 WHERE tenant_id = ?1 AND kind = ?2 AND site_uid = ?3 AND company_id IS ?4"
            ),
            params![
                tenant,
                kind_text(id.kind)?,
                id.site.as_str(),
                id.company.as_ref().map(CompanyId::as_str)
            ],
            raw_event,
        )
        .optional()?;
    let Some(raw) = raw else {
        return Ok(None);
    };
    let (row, event) = event(raw)?;
    let history = histories(conn, tenant, Some(row))?
        .remove(&row)
        .unwrap_or_default();
    Ok(Some((row, EventRecord { event, history })))
}

fn put_event(
    conn: &Connection,
    tenant: i64,
    event: &Event,
    changed_by: &ChangedBy,
    changed_at: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    let found = find_event(conn, tenant, &event.id)?;
    let (row, known) = match &found {
        Some((row, record)) => (Some(*row), record.history.len()),
        None => (None, 0),
    };
    let record = rule::put_event(found.map(|(_, r)| r), event, changed_by, changed_at);
    let state = to_json(RecordKind::Event, &record.event.state)?;
    let row = match row {
        Some(row) => {
            conn.execute(
                "UPDATE gravityzone_events
                 SET site_name = ?2, company_name = ?3, generated_at = ?4, state = ?5
                 WHERE id = ?1",
                params![
                    row,
                    record.event.site_name,
                    record.event.company_name,
                    record.event.generated_at_ms,
                    state
                ],
            )?;
            row
        }
        None => conn.query_row(
            "INSERT INTO gravityzone_events
                 (tenant_id, kind, site_uid, company_id, site_name, company_name, generated_at,
                  state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             RETURNING id",
            params![
                tenant,
                kind_text(event.id.kind)?,
                event.id.site.as_str(),
                event.id.company.as_ref().map(CompanyId::as_str),
                record.event.site_name,
                record.event.company_name,
                record.event.generated_at_ms,
                state
            ],
            |r| r.get(0),
        )?,
    };
    for change in record.history.iter().skip(known) {
        let (by, user) = change.changed_by.columns();
        conn.execute(
            "INSERT INTO gravityzone_event_history
                 (tenant_id, event_id, state, changed_by, changed_by_user, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                tenant,
                row,
                to_json(RecordKind::Event, &change.state)?,
                by,
                user,
                to_millis(change.changed_at)
            ],
        )?;
    }
    Ok(())
}
