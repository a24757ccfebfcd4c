//! The GravityZone tables: settings, associations, exclusions, events and their history.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Row, params};
use sync_core::gravityzone::{
    Association, CompanyId, Event, EventId, EventKind, Exclusion, SiteUid,
};

use super::codec::{FromRow, changed_by, from_json, parse, select_all, select_one, time, to_json};
use crate::rules::gravityzone as rule;
use crate::time::to_millis;
use crate::{
    AssociationRecord, ChangedBy, EventRecord, EventStateChange, ExclusionRecord,
    GravityZoneChange, GravityZoneState, RecordKind, StoreError,
};

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
        GravityZoneChange::RememberNames {
            site,
            company,
            site_name,
            company_name,
        } => {
            let current = association_where(conn, tenant, "site_uid", site.as_str())?;
            let record = rule::remember_names(current, site, company, site_name, company_name)?;
            conn.execute(
                "UPDATE gravityzone_associations SET site_name = ?3, company_name = ?4
                 WHERE tenant_id = ?1 AND site_uid = ?2",
                params![
                    tenant,
                    site.as_str(),
                    record.association.site_name,
                    record.association.company_name
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

impl FromRow for AssociationRecord {
    const COLUMNS: &'static str = "site_uid, company_id, method, made_by, made_by_user, made_at, package_id, package_link, \
         company_parent, site_name, company_name";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let mut association = Association::new(
            SiteUid::new(row.get::<_, String>("site_uid")?),
            CompanyId::new(row.get::<_, String>("company_id")?),
        );
        // What the association remembers (schema versions 5 and 10; NULL in older rows).
        association.parent = row
            .get::<_, Option<String>>("company_parent")?
            .map(CompanyId::new);
        association.site_name = row.get("site_name")?;
        association.company_name = row.get("company_name")?;
        Ok(AssociationRecord {
            association,
            method: parse(&row.get::<_, String>("method")?, "association method")?,
            made_by: changed_by(row, "made_by", "made_by_user")?,
            made_at: time(row.get("made_at")?)?,
            package_id: row.get("package_id")?,
            package_link: row.get("package_link")?,
        })
    }
}

fn associations(conn: &Connection, tenant: i64) -> Result<Vec<AssociationRecord>, StoreError> {
    let mut records: Vec<AssociationRecord> = select_all(
        conn,
        "FROM gravityzone_associations WHERE tenant_id = ?1",
        [tenant],
    )?;
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
    select_one(
        conn,
        &format!("FROM gravityzone_associations WHERE tenant_id = ?1 AND {column} = ?2"),
        params![tenant, value],
    )
}

fn insert_association(
    conn: &Connection,
    tenant: i64,
    record: &AssociationRecord,
) -> Result<(), StoreError> {
    let (by, user) = record.made_by.columns();
    conn.execute(
        &format!(
            "INSERT INTO gravityzone_associations (tenant_id, {})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            AssociationRecord::COLUMNS
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
            record.package_link,
            record.association.parent.as_ref().map(CompanyId::as_str),
            record.association.site_name,
            record.association.company_name
        ],
    )?;
    Ok(())
}

impl FromRow for ExclusionRecord {
    const COLUMNS: &'static str = "site_uid, made_by, made_by_user, made_at";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(ExclusionRecord {
            exclusion: Exclusion::new(SiteUid::new(row.get::<_, String>("site_uid")?)),
            made_by: changed_by(row, "made_by", "made_by_user")?,
            made_at: time(row.get("made_at")?)?,
        })
    }
}

fn exclusions(conn: &Connection, tenant: i64) -> Result<Vec<ExclusionRecord>, StoreError> {
    let mut records: Vec<ExclusionRecord> = select_all(
        conn,
        "FROM gravityzone_exclusions WHERE tenant_id = ?1",
        [tenant],
    )?;
    records.sort_by(|a, b| a.site().cmp(b.site()));
    Ok(records)
}

fn exclusion(
    conn: &Connection,
    tenant: i64,
    site: &SiteUid,
) -> Result<Option<ExclusionRecord>, StoreError> {
    select_one(
        conn,
        "FROM gravityzone_exclusions WHERE tenant_id = ?1 AND site_uid = ?2",
        params![tenant, site.as_str()],
    )
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

/// An event with its row id (the key of its history rows).
struct StoredEvent {
    row: i64,
    event: Event,
}

impl FromRow for StoredEvent {
    const COLUMNS: &'static str =
        "id, kind, site_uid, company_id, site_name, company_name, generated_at, state";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(StoredEvent {
            row: row.get("id")?,
            event: Event {
                id: EventId::new(
                    kind_from_text(&row.get::<_, String>("kind")?)?,
                    SiteUid::new(row.get::<_, String>("site_uid")?),
                    row.get::<_, Option<String>>("company_id")?
                        .map(CompanyId::new),
                ),
                site_name: row.get("site_name")?,
                company_name: row.get("company_name")?,
                generated_at_ms: row.get("generated_at")?,
                state: from_json(RecordKind::Event, &row.get::<_, String>("state")?)?,
            },
        })
    }
}

/// One history row, with the row id of its event.
struct StoredChange {
    event_row: i64,
    change: EventStateChange,
}

impl FromRow for StoredChange {
    const COLUMNS: &'static str = "event_id, state, changed_by, changed_by_user, changed_at";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(StoredChange {
            event_row: row.get("event_id")?,
            change: EventStateChange {
                state: from_json(RecordKind::Event, &row.get::<_, String>("state")?)?,
                changed_by: changed_by(row, "changed_by", "changed_by_user")?,
                changed_at: time(row.get("changed_at")?)?,
            },
        })
    }
}

/// The history rows of the tenant (`event` = one event's row id, or all), by event row id.
fn histories(
    conn: &Connection,
    tenant: i64,
    event: Option<i64>,
) -> Result<BTreeMap<i64, Vec<EventStateChange>>, StoreError> {
    let rows: Vec<StoredChange> = select_all(
        conn,
        "FROM gravityzone_event_history
         WHERE tenant_id = ?1 AND (?2 IS NULL OR event_id = ?2)
         ORDER BY id",
        params![tenant, event],
    )?;
    let mut by_event: BTreeMap<i64, Vec<EventStateChange>> = BTreeMap::new();
    for StoredChange { event_row, change } in rows {
        by_event.entry(event_row).or_default().push(change);
    }
    Ok(by_event)
}

fn events(conn: &Connection, tenant: i64) -> Result<Vec<EventRecord>, StoreError> {
    let stored: Vec<StoredEvent> = select_all(
        conn,
        "FROM gravityzone_events WHERE tenant_id = ?1",
        [tenant],
    )?;
    let mut histories = histories(conn, tenant, None)?;
    let mut records: Vec<EventRecord> = stored
        .into_iter()
        .map(|StoredEvent { row, event }| EventRecord {
            event,
            history: histories.remove(&row).unwrap_or_default(),
        })
        .collect();
    records.sort_by(|a, b| a.id().cmp(b.id()));
    Ok(records)
}

/// The stored event with identity `id`, with its row id.
fn find_event(
    conn: &Connection,
    tenant: i64,
    id: &EventId,
) -> Result<Option<(i64, EventRecord)>, StoreError> {
    let stored: Option<StoredEvent> = select_one(
        conn,
        "FROM gravityzone_events
         WHERE tenant_id = ?1 AND kind = ?2 AND site_uid = ?3 AND company_id IS ?4",
        params![
            tenant,
            kind_text(id.kind)?,
            id.site.as_str(),
            id.company.as_ref().map(CompanyId::as_str)
        ],
    )?;
    let Some(StoredEvent { row, event }) = stored else {
        return Ok(None);
    };
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
