//! The GravityZone tables: settings, associations, exclusions, events and their history.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sync_core::gravityzone::{
    Association, CompanyId, Event, EventId, EventKind, Exclusion, SiteUid,
};
use tokio_postgres::Row;

use super::rows::{Tx, from_json, parse, to_json};
use crate::rules::gravityzone as rule;
use crate::time::{from_millis, to_millis};
use crate::{
    AssociationRecord, ChangedBy, EventRecord, EventStateChange, ExclusionRecord,
    GravityZoneChange, GravityZoneState, RecordKind, StoreError,
};

pub(super) fn changed_by(tag: &str, name: Option<String>) -> Result<ChangedBy, StoreError> {
    ChangedBy::from_columns(tag, name)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown author {tag:?}")))
}

/// The GravityZone part of the tenant's state.
pub(super) async fn load(tx: &Tx<'_>, tenant: i64) -> Result<GravityZoneState, StoreError> {
    let settings = tx
        .query_opt(
            "SELECT settings FROM gravityzone_settings WHERE tenant_id = $1",
            &[&tenant],
        )
        .await?
        .map(|row| row.try_get::<_, String>(0))
        .transpose()?
        .map(|json| from_json(RecordKind::GravityZoneSettings, &json))
        .transpose()?;
    let mut associations = tx
        .query(
            &format!(
                "SELECT {ASSOCIATION_COLUMNS} FROM gravityzone_associations WHERE tenant_id = $1"
            ),
            &[&tenant],
        )
        .await?
        .iter()
        .map(association)
        .collect::<Result<Vec<_>, _>>()?;
    associations.sort_by(|a, b| a.site().cmp(b.site()));
    let mut exclusions = tx
        .query(
            &format!("SELECT {EXCLUSION_COLUMNS} FROM gravityzone_exclusions WHERE tenant_id = $1"),
            &[&tenant],
        )
        .await?
        .iter()
        .map(exclusion_record)
        .collect::<Result<Vec<_>, _>>()?;
    exclusions.sort_by(|a, b| a.site().cmp(b.site()));
    Ok(GravityZoneState {
        settings,
        associations,
        exclusions,
        events: events(tx, tenant).await?,
    })
}

/// Applies one GravityZone change inside the caller's transaction.
pub(super) async fn apply(
    tx: &Tx<'_>,
    tenant: i64,
    change: &GravityZoneChange,
) -> Result<(), StoreError> {
    match change {
        GravityZoneChange::SaveSettings(settings) => {
            tx.execute(
                "INSERT INTO gravityzone_settings (tenant_id, settings) VALUES ($1, $2)
                 ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings",
                &[
                    &tenant,
                    &to_json(RecordKind::GravityZoneSettings, settings)?,
                ],
            )
            .await?;
        }
        GravityZoneChange::Associate(new) => {
            let of_site = association_where(tx, tenant, "site_uid", new.site().as_str()).await?;
            let of_company =
                association_where(tx, tenant, "company_id", new.company().as_str()).await?;
            let record = rule::associate(of_site.as_ref(), of_company.as_ref(), new)?;
            let (by, user) = record.made_by.columns();
            tx.execute(
                &format!(
                    "INSERT INTO gravityzone_associations (tenant_id, {ASSOCIATION_COLUMNS})
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                ),
                &[
                    &tenant,
                    &record.site().as_str(),
                    &record.company().as_str(),
                    &record.method.as_str(),
                    &by,
                    &user,
                    &to_millis(record.made_at),
                    &record.package_id,
                    &record.package_link,
                    &record.association.parent.as_ref().map(CompanyId::as_str),
                    &record.association.site_name,
                    &record.association.company_name,
                ],
            )
            .await?;
        }
        GravityZoneChange::SetPackage {
            site,
            package_id,
            package_link,
        } => {
            let current = association_where(tx, tenant, "site_uid", site.as_str()).await?;
            let record = rule::set_package(current, site, package_id, package_link)?;
            tx.execute(
                "UPDATE gravityzone_associations SET package_id = $3, package_link = $4
                 WHERE tenant_id = $1 AND site_uid = $2",
                &[
                    &tenant,
                    &site.as_str(),
                    &record.package_id,
                    &record.package_link,
                ],
            )
            .await?;
        }
        GravityZoneChange::RememberNames {
            site,
            company,
            site_name,
            company_name,
        } => {
            let current = association_where(tx, tenant, "site_uid", site.as_str()).await?;
            let record = rule::remember_names(current, site, company, site_name, company_name)?;
            tx.execute(
                "UPDATE gravityzone_associations SET site_name = $3, company_name = $4
                 WHERE tenant_id = $1 AND site_uid = $2",
                &[
                    &tenant,
                    &site.as_str(),
                    &record.association.site_name,
                    &record.association.company_name,
                ],
            )
            .await?;
        }
        GravityZoneChange::DeleteAssociation { site, company } => {
            let current = association_where(tx, tenant, "site_uid", site.as_str()).await?;
            rule::delete_association(current.as_ref(), site, company)?;
            tx.execute(
                "DELETE FROM gravityzone_associations WHERE tenant_id = $1 AND site_uid = $2",
                &[&tenant, &site.as_str()],
            )
            .await?;
        }
        GravityZoneChange::Exclude(new) => {
            let current = exclusion(tx, tenant, new.site()).await?;
            let record = rule::exclude(current.as_ref(), new)?;
            let (by, user) = record.made_by.columns();
            tx.execute(
                "INSERT INTO gravityzone_exclusions
                     (tenant_id, site_uid, made_by, made_by_user, made_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &tenant,
                    &record.site().as_str(),
                    &by,
                    &user,
                    &to_millis(record.made_at),
                ],
            )
            .await?;
        }
        GravityZoneChange::Include { site } => {
            rule::include(exclusion(tx, tenant, site).await?.as_ref(), site)?;
            tx.execute(
                "DELETE FROM gravityzone_exclusions WHERE tenant_id = $1 AND site_uid = $2",
                &[&tenant, &site.as_str()],
            )
            .await?;
        }
        GravityZoneChange::PutEvent {
            event,
            changed_by,
            changed_at,
        } => put_event(tx, tenant, event, changed_by, *changed_at).await?,
        GravityZoneChange::RemoveEvent { id } => {
            let found = find_event(tx, tenant, id).await?;
            rule::remove_event(found.as_ref().map(|(_, record)| record), id)?;
            if let Some((row, _)) = found {
                tx.execute("DELETE FROM gravityzone_events WHERE id = $1", &[&row])
                    .await?;
            }
        }
    }
    Ok(())
}

const ASSOCIATION_COLUMNS: &str = "site_uid, company_id, method, made_by, made_by_user, made_at, \
     package_id, package_link, company_parent, site_name, company_name";

fn association(row: &Row) -> Result<AssociationRecord, StoreError> {
    let method: String = row.try_get(2)?;
    let by: String = row.try_get(3)?;
    let mut association = Association::new(
        SiteUid::new(row.try_get::<_, String>(0)?),
        CompanyId::new(row.try_get::<_, String>(1)?),
    );
    // What the association remembers (schema versions 3 and 6; NULL in older rows).
    association.parent = row.try_get::<_, Option<String>>(8)?.map(CompanyId::new);
    association.site_name = row.try_get(9)?;
    association.company_name = row.try_get(10)?;
    Ok(AssociationRecord {
        association,
        method: parse(&method, "association method")?,
        made_by: changed_by(&by, row.try_get(4)?)?,
        made_at: from_millis(row.try_get(5)?)?,
        package_id: row.try_get(6)?,
        package_link: row.try_get(7)?,
    })
}

/// The association whose `column` (`site_uid` or `company_id`) is `value`.
async fn association_where(
    tx: &Tx<'_>,
    tenant: i64,
    column: &'static str,
    value: &str,
) -> Result<Option<AssociationRecord>, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {ASSOCIATION_COLUMNS} FROM gravityzone_associations
             WHERE tenant_id = $1 AND {column} = $2"
        ),
        &[&tenant, &value],
    )
    .await?
    .as_ref()
    .map(association)
    .transpose()
}

const EXCLUSION_COLUMNS: &str = "site_uid, made_by, made_by_user, made_at";

fn exclusion_record(row: &Row) -> Result<ExclusionRecord, StoreError> {
    let by: String = row.try_get(1)?;
    Ok(ExclusionRecord {
        exclusion: Exclusion::new(SiteUid::new(row.try_get::<_, String>(0)?)),
        made_by: changed_by(&by, row.try_get(2)?)?,
        made_at: from_millis(row.try_get(3)?)?,
    })
}

async fn exclusion(
    tx: &Tx<'_>,
    tenant: i64,
    site: &SiteUid,
) -> Result<Option<ExclusionRecord>, StoreError> {
    tx.query_opt(
        &format!(
            "SELECT {EXCLUSION_COLUMNS} FROM gravityzone_exclusions
             WHERE tenant_id = $1 AND site_uid = $2"
        ),
        &[&tenant, &site.as_str()],
    )
    .await?
    .as_ref()
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

fn event(row: &Row) -> Result<(i64, Event), StoreError> {
    let kind: String = row.try_get(1)?;
    let company: Option<String> = row.try_get(3)?;
    let state: String = row.try_get(7)?;
    Ok((
        row.try_get(0)?,
        Event {
            id: EventId::new(
                kind_from_text(&kind)?,
                SiteUid::new(row.try_get::<_, String>(2)?),
                company.map(CompanyId::new),
            ),
            site_name: row.try_get(4)?,
            company_name: row.try_get(5)?,
            generated_at_ms: row.try_get(6)?,
            state: from_json(RecordKind::Event, &state)?,
        },
    ))
}

/// The history rows of the tenant (`event` = one event's row id, or all), by event row id.
async fn histories(
    tx: &Tx<'_>,
    tenant: i64,
    event: Option<i64>,
) -> Result<BTreeMap<i64, Vec<EventStateChange>>, StoreError> {
    let rows = tx
        .query(
            "SELECT event_id, state, changed_by, changed_by_user, changed_at
             FROM gravityzone_event_history
             WHERE tenant_id = $1 AND ($2::BIGINT IS NULL OR event_id = $2)
             ORDER BY id",
            &[&tenant, &event],
        )
        .await?;
    let mut by_event: BTreeMap<i64, Vec<EventStateChange>> = BTreeMap::new();
    for row in &rows {
        let state: String = row.try_get(1)?;
        let by: String = row.try_get(2)?;
        by_event
            .entry(row.try_get(0)?)
            .or_default()
            .push(EventStateChange {
                state: from_json(RecordKind::Event, &state)?,
                changed_by: changed_by(&by, row.try_get(3)?)?,
                changed_at: from_millis(row.try_get(4)?)?,
            });
    }
    Ok(by_event)
}

async fn events(tx: &Tx<'_>, tenant: i64) -> Result<Vec<EventRecord>, StoreError> {
    let rows = tx
        .query(
            &format!("SELECT {EVENT_COLUMNS} FROM gravityzone_events WHERE tenant_id = $1"),
            &[&tenant],
        )
        .await?;
    let mut histories = histories(tx, tenant, None).await?;
    let mut records = rows
        .iter()
        .map(|row| {
            let (row, event) = event(row)?;
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
async fn find_event(
    tx: &Tx<'_>,
    tenant: i64,
    id: &EventId,
) -> Result<Option<(i64, EventRecord)>, StoreError> {
    let row = tx
        .query_opt(
            &format!(
                "SELECT {EVENT_COLUMNS} FROM gravityzone_events
                 WHERE tenant_id = $1 AND kind = $2 AND site_uid = $3
                   AND company_id IS NOT DISTINCT FROM $4"
            ),
            &[
                &tenant,
                &kind_text(id.kind)?,
                &id.site.as_str(),
                &id.company.as_ref().map(CompanyId::as_str),
            ],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (row, event) = event(&row)?;
    let history = histories(tx, tenant, Some(row))
        .await?
        .remove(&row)
        .unwrap_or_default();
    Ok(Some((row, EventRecord { event, history })))
}

async fn put_event(
    tx: &Tx<'_>,
    tenant: i64,
    event: &Event,
    changed_by: &ChangedBy,
    changed_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let found = find_event(tx, tenant, &event.id).await?;
    let (row, known) = match &found {
        Some((row, record)) => (Some(*row), record.history.len()),
        None => (None, 0),
    };
    let record = rule::put_event(found.map(|(_, r)| r), event, changed_by, changed_at);
    let state = to_json(RecordKind::Event, &record.event.state)?;
    let row: i64 = match row {
        Some(row) => {
            tx.execute(
                "UPDATE gravityzone_events
                 SET site_name = $2, company_name = $3, generated_at = $4, state = $5
                 WHERE id = $1",
                &[
                    &row,
                    &record.event.site_name,
                    &record.event.company_name,
                    &record.event.generated_at_ms,
                    &state,
                ],
            )
            .await?;
            row
        }
        None => tx
            .query_one(
                "INSERT INTO gravityzone_events
                     (tenant_id, kind, site_uid, company_id, site_name, company_name,
                      generated_at, state)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 RETURNING id",
                &[
                    &tenant,
                    &kind_text(event.id.kind)?,
                    &event.id.site.as_str(),
                    &event.id.company.as_ref().map(CompanyId::as_str),
                    &record.event.site_name,
                    &record.event.company_name,
                    &record.event.generated_at_ms,
                    &state,
                ],
            )
            .await?
            .try_get(0)?,
    };
    for change in record.history.iter().skip(known) {
        let (by, user) = change.changed_by.columns();
        tx.execute(
            "INSERT INTO gravityzone_event_history
                 (tenant_id, event_id, state, changed_by, changed_by_user, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &tenant,
                &row,
                &to_json(RecordKind::Event, &change.state)?,
                &by,
                &user,
                &to_millis(change.changed_at),
            ],
        )
        .await?;
    }
    Ok(())
}
