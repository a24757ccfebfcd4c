//! The IT Glue tables: settings, organization and device matches, ignored groups.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::codec::{from_json, time, to_json};
use crate::rules::itglue as rule;
use crate::time::to_millis;
use crate::{
    ChangedBy, DeviceMatchRecord, GroupKey, IgnoredGroup, ItGlueChange, ItGlueState, MatchOrigin,
    OrganizationMatchRecord, RecordKind, StoreError,
};

/// An IT Glue id as stored: the same 64 bits in an INTEGER column.
fn id_column(id: u64) -> i64 {
    id as i64
}

/// An IT Glue id from its INTEGER column.
fn id_value(column: i64) -> u64 {
    column as u64
}

fn group(kind: &str, id: String) -> Result<GroupKey, StoreError> {
    GroupKey::from_parts(kind, id)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown group kind {kind:?}")))
}

fn origin(origin: &str, detail: Option<String>) -> Result<MatchOrigin, StoreError> {
    MatchOrigin::from_columns(origin, detail)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown match origin {origin:?}")))
}

/// The IT Glue part of the tenant's state.
pub(super) fn load(conn: &Connection, tenant: i64) -> Result<ItGlueState, StoreError> {
    let settings = conn
        .query_row(
            "SELECT settings FROM itglue_settings WHERE tenant_id = ?1",
            [tenant],
            |row| row.get::<_, String>(0),
        )
        .optional()?
        .map(|json| from_json(RecordKind::ItGlueSettings, &json))
        .transpose()?;
    Ok(ItGlueState {
        settings,
        organization_matches: organization_matches(conn, tenant, None)?,
        device_matches: device_matches(conn, tenant, None)?,
        ignored_groups: ignored_groups(conn, tenant, None)?,
    })
}

/// Applies one IT Glue change inside the caller's transaction.
pub(super) fn apply(
    conn: &Connection,
    tenant: i64,
    change: &ItGlueChange,
) -> Result<(), StoreError> {
    match change {
        ItGlueChange::SaveSettings(settings) => {
            conn.execute(
                "INSERT INTO itglue_settings (tenant_id, settings) VALUES (?1, ?2)
                 ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings",
                params![tenant, to_json(RecordKind::ItGlueSettings, settings)?],
            )?;
        }
        ItGlueChange::MatchOrganization(new) => {
            let record = rule::match_organization(new);
            let (origin, detail) = record.origin.columns();
            conn.execute(
                "INSERT INTO itglue_organization_matches
                     (tenant_id, group_kind, group_id, organization_id, origin, origin_detail,
                      made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (tenant_id, group_kind, group_id) DO UPDATE SET
                     organization_id = excluded.organization_id,
                     origin = excluded.origin,
                     origin_detail = excluded.origin_detail,
                     made_at = excluded.made_at",
                params![
                    tenant,
                    record.group.kind(),
                    record.group.id(),
                    id_column(record.organization_id),
                    origin,
                    detail,
                    to_millis(record.made_at)
                ],
            )?;
        }
        ItGlueChange::UnmatchOrganization { group } => {
            let current = organization_matches(conn, tenant, Some(group))?;
            rule::unmatch_organization(current.first(), group)?;
            conn.execute(
                "DELETE FROM itglue_organization_matches
                 WHERE tenant_id = ?1 AND group_kind = ?2 AND group_id = ?3",
                params![tenant, group.kind(), group.id()],
            )?;
        }
        ItGlueChange::MatchDevice(new) => {
            let holder = device_matches(
                conn,
                tenant,
                Some(DeviceFilter::Configuration(new.configuration_id)),
            )?;
            let record = rule::match_device(holder.first(), new)?;
            let (origin, detail) = record.origin.columns();
            conn.execute(
                "INSERT INTO itglue_device_matches
                     (tenant_id, device_uid, configuration_id, origin, origin_detail, made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (tenant_id, device_uid) DO UPDATE SET
                     configuration_id = excluded.configuration_id,
                     origin = excluded.origin,
                     origin_detail = excluded.origin_detail,
                     made_at = excluded.made_at",
                params![
                    tenant,
                    record.device_uid,
                    id_column(record.configuration_id),
                    origin,
                    detail,
                    to_millis(record.made_at)
                ],
            )?;
        }
        ItGlueChange::UnmatchDevice { device_uid } => {
            let current = device_matches(conn, tenant, Some(DeviceFilter::Device(device_uid)))?;
            rule::unmatch_device(current.first(), device_uid)?;
            conn.execute(
                "DELETE FROM itglue_device_matches WHERE tenant_id = ?1 AND device_uid = ?2",
                params![tenant, device_uid],
            )?;
        }
        ItGlueChange::IgnoreGroup(new) => {
            let current = ignored_groups(conn, tenant, Some(&new.group))?;
            let record = rule::ignore_group(current.first(), new)?;
            let (by, user) = record.ignored_by.columns();
            conn.execute(
                "INSERT INTO itglue_ignored_groups
                     (tenant_id, group_kind, group_id, ignored_by, ignored_by_user, ignored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    tenant,
                    record.group.kind(),
                    record.group.id(),
                    by,
                    user,
                    to_millis(record.ignored_at)
                ],
            )?;
        }
        ItGlueChange::UnignoreGroup { group } => {
            let current = ignored_groups(conn, tenant, Some(group))?;
            rule::unignore_group(current.first(), group)?;
            conn.execute(
                "DELETE FROM itglue_ignored_groups
                 WHERE tenant_id = ?1 AND group_kind = ?2 AND group_id = ?3",
                params![tenant, group.kind(), group.id()],
            )?;
        }
    }
    Ok(())
}

type RawOrganizationMatch = (String, String, i64, String, Option<String>, i64);

fn raw_organization_match(row: &Row<'_>) -> rusqlite::Result<RawOrganizationMatch> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
    ))
}

/// The tenant's organization matches (of one group, or all), by group.
fn organization_matches(
    conn: &Connection,
    tenant: i64,
    only: Option<&GroupKey>,
) -> Result<Vec<OrganizationMatchRecord>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT group_kind, group_id, organization_id, origin, origin_detail, made_at
         FROM itglue_organization_matches
         WHERE tenant_id = ?1 AND (?2 IS NULL OR (group_kind = ?2 AND group_id = ?3))",
    )?;
    let raws = statement
        .query_map(
            params![tenant, only.map(GroupKey::kind), only.map(GroupKey::id)],
            raw_organization_match,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut records = raws
        .into_iter()
        .map(|(kind, id, organization, from, detail, at)| {
            Ok(OrganizationMatchRecord {
                group: group(&kind, id)?,
                organization_id: id_value(organization),
                origin: origin(&from, detail)?,
                made_at: time(at)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.group.cmp(&b.group));
    Ok(records)
}

/// Which device matches to read.
enum DeviceFilter<'a> {
    Device(&'a str),
    Configuration(u64),
}

type RawDeviceMatch = (String, i64, String, Option<String>, i64);

/// The tenant's device matches (of one device or configuration, or all), by device uid.
fn device_matches(
    conn: &Connection,
    tenant: i64,
    only: Option<DeviceFilter<'_>>,
) -> Result<Vec<DeviceMatchRecord>, StoreError> {
    let (device, configuration) = match only {
        Some(DeviceFilter::Device(uid)) => (Some(uid), None),
        Some(DeviceFilter::Configuration(id)) => (None, Some(id_column(id))),
        None => (None, None),
    };
    let mut statement = conn.prepare(
        "SELECT device_uid, configuration_id, origin, origin_detail, made_at
         FROM itglue_device_matches
         WHERE tenant_id = ?1
           AND (?2 IS NULL OR device_uid = ?2)
           AND (?3 IS NULL OR configuration_id = ?3)",
    )?;
    let raws = statement
        .query_map(params![tenant, device, configuration], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<RawDeviceMatch>>>()?;
    let mut records = raws
        .into_iter()
        .map(|(device_uid, configuration, from, detail, at)| {
            Ok(DeviceMatchRecord {
                device_uid,
                configuration_id: id_value(configuration),
                origin: origin(&from, detail)?,
                made_at: time(at)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.device_uid.cmp(&b.device_uid));
    Ok(records)
}

type RawIgnoredGroup = (String, String, String, Option<String>, i64);

/// The tenant's ignored groups (one, or all), by group.
fn ignored_groups(
    conn: &Connection,
    tenant: i64,
    only: Option<&GroupKey>,
) -> Result<Vec<IgnoredGroup>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT group_kind, group_id, ignored_by, ignored_by_user, ignored_at
         FROM itglue_ignored_groups
         WHERE tenant_id = ?1 AND (?2 IS NULL OR (group_kind = ?2 AND group_id = ?3))",
    )?;
    let raws = statement
        .query_map(
            params![tenant, only.map(GroupKey::kind), only.map(GroupKey::id)],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<RawIgnoredGroup>>>()?;
    let mut records = raws
        .into_iter()
        .map(|(kind, id, by, user, at)| {
            Ok(IgnoredGroup {
                group: group(&kind, id)?,
                ignored_by: ChangedBy::from_columns(&by, user)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown author {by:?}")))?,
                ignored_at: time(at)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.group.cmp(&b.group));
    Ok(records)
}
