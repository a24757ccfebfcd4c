//! The IT Glue tables: settings, organization and device matches, ignored groups.

use rusqlite::{Connection, OptionalExtension, Row, params};
use sync_core::itglue::{
    ConfigurationId, DeviceUid, GroupId, MatchOrigin, OrganizationId, StoredOrganizationMatch,
};

use super::codec::{FromRow, changed_by, from_json, select_all, time, to_json};
use crate::rules::itglue as rule;
use crate::time::to_millis;
use crate::{
    DeviceMatchRecord, IgnoredGroup, ItGlueChange, ItGlueState, OrganizationMatchRecord,
    RecordKind, StoreError,
};

/// An IT Glue id as stored: the same 64 bits in an INTEGER column.
fn id_column(id: u64) -> i64 {
    id as i64
}

/// An IT Glue id from its INTEGER column.
fn id_value(column: i64) -> u64 {
    column as u64
}

/// A group as its kind and id columns: the two halves of its serde form
/// (`{"kind": "site", "id": "…"}`), so a kind sync-core adds later is stored without change here.
fn group_columns(group: &GroupId) -> Result<(String, String), StoreError> {
    let value = serde_json::to_value(group).map_err(StoreError::json(RecordKind::IgnoredGroup))?;
    match (value.get("kind"), value.get("id")) {
        (Some(serde_json::Value::String(kind)), Some(serde_json::Value::String(id))) => {
            Ok((kind.clone(), id.clone()))
        }
        _ => Err(StoreError::Corrupt(format!(
            "group {group} does not serialise as kind and id"
        ))),
    }
}

/// The group stored in the kind and id columns.
fn group_value(kind: String, id: String) -> Result<GroupId, StoreError> {
    serde_json::from_value(serde_json::json!({ "kind": kind, "id": id }))
        .map_err(StoreError::json(RecordKind::IgnoredGroup))
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
        device_matches: device_matches(conn, tenant, DeviceFilter::All)?,
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
            let (kind, id) = group_columns(record.group())?;
            let (by, user) = record.made_by.columns();
            conn.execute(
                "INSERT INTO itglue_organization_matches
                     (tenant_id, group_kind, group_id, organization_id, origin, made_by,
                      made_by_user, made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (tenant_id, group_kind, group_id) DO UPDATE SET
                     organization_id = excluded.organization_id,
                     origin = excluded.origin,
                     made_by = excluded.made_by,
                     made_by_user = excluded.made_by_user,
                     made_at = excluded.made_at",
                params![
                    tenant,
                    kind,
                    id,
                    id_column(record.organization().0),
                    to_json(
                        RecordKind::OrganizationMatch,
                        &record.organization_match.origin
                    )?,
                    by,
                    user,
                    to_millis(record.made_at)
                ],
            )?;
        }
        ItGlueChange::UnmatchOrganization { group } => {
            let current = organization_matches(conn, tenant, Some(group))?;
            rule::unmatch_organization(current.first(), group)?;
            let (kind, id) = group_columns(group)?;
            conn.execute(
                "DELETE FROM itglue_organization_matches
                 WHERE tenant_id = ?1 AND group_kind = ?2 AND group_id = ?3",
                params![tenant, kind, id],
            )?;
        }
        ItGlueChange::MatchDevice(new) => {
            let holder =
                device_matches(conn, tenant, DeviceFilter::Configuration(new.configuration))?;
            let record = rule::match_device(holder.first(), new)?;
            let (by, user) = record.made_by.columns();
            conn.execute(
                "INSERT INTO itglue_device_matches
                     (tenant_id, device_uid, configuration_id, origin, made_by, made_by_user,
                      made_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (tenant_id, device_uid) DO UPDATE SET
                     configuration_id = excluded.configuration_id,
                     origin = excluded.origin,
                     made_by = excluded.made_by,
                     made_by_user = excluded.made_by_user,
                     made_at = excluded.made_at",
                params![
                    tenant,
                    record.device.as_str(),
                    id_column(record.configuration.0),
                    to_json(RecordKind::DeviceMatch, &record.origin)?,
                    by,
                    user,
                    to_millis(record.made_at)
                ],
            )?;
        }
        ItGlueChange::UnmatchDevice { device } => {
            let current = device_matches(conn, tenant, DeviceFilter::Device(device))?;
            rule::unmatch_device(current.first(), device)?;
            conn.execute(
                "DELETE FROM itglue_device_matches WHERE tenant_id = ?1 AND device_uid = ?2",
                params![tenant, device.as_str()],
            )?;
        }
        ItGlueChange::IgnoreGroup(new) => {
            let current = ignored_groups(conn, tenant, Some(&new.group))?;
            let record = rule::ignore_group(current.first(), new)?;
            let (kind, id) = group_columns(&record.group)?;
            let (by, user) = record.ignored_by.columns();
            conn.execute(
                "INSERT INTO itglue_ignored_groups
                     (tenant_id, group_kind, group_id, ignored_by, ignored_by_user, ignored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![tenant, kind, id, by, user, to_millis(record.ignored_at)],
            )?;
        }
        ItGlueChange::UnignoreGroup { group } => {
            let current = ignored_groups(conn, tenant, Some(group))?;
            rule::unignore_group(current.first(), group)?;
            let (kind, id) = group_columns(group)?;
            conn.execute(
                "DELETE FROM itglue_ignored_groups
                 WHERE tenant_id = ?1 AND group_kind = ?2 AND group_id = ?3",
                params![tenant, kind, id],
            )?;
        }
    }
    Ok(())
}

/// The kind and id columns to filter on, or NULLs for every group.
fn group_filter(only: Option<&GroupId>) -> Result<(Option<String>, Option<String>), StoreError> {
    Ok(match only {
        Some(group) => {
            let (kind, id) = group_columns(group)?;
            (Some(kind), Some(id))
        }
        None => (None, None),
    })
}

impl FromRow for OrganizationMatchRecord {
    const COLUMNS: &'static str =
        "group_kind, group_id, organization_id, origin, made_by, made_by_user, made_at";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let origin: String = row.get("origin")?;
        Ok(OrganizationMatchRecord {
            organization_match: StoredOrganizationMatch {
                group: group_value(row.get("group_kind")?, row.get("group_id")?)?,
                organization: OrganizationId(id_value(row.get("organization_id")?)),
                origin: from_json::<MatchOrigin>(RecordKind::OrganizationMatch, &origin)?,
            },
            made_by: changed_by(row, "made_by", "made_by_user")?,
            made_at: time(row.get("made_at")?)?,
        })
    }
}

/// The tenant's organization matches (of one group, or all), by group.
fn organization_matches(
    conn: &Connection,
    tenant: i64,
    only: Option<&GroupId>,
) -> Result<Vec<OrganizationMatchRecord>, StoreError> {
    let (kind, id) = group_filter(only)?;
    let mut records: Vec<OrganizationMatchRecord> = select_all(
        conn,
        "FROM itglue_organization_matches
         WHERE tenant_id = ?1 AND (?2 IS NULL OR (group_kind = ?2 AND group_id = ?3))",
        params![tenant, kind, id],
    )?;
    records.sort_by(|a, b| a.group().cmp(b.group()));
    Ok(records)
}

/// Which device matches to read.
enum DeviceFilter<'a> {
    All,
    Device(&'a DeviceUid),
    Configuration(ConfigurationId),
}

impl FromRow for DeviceMatchRecord {
    const COLUMNS: &'static str =
        "device_uid, configuration_id, origin, made_by, made_by_user, made_at";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(DeviceMatchRecord {
            device: DeviceUid::new(row.get::<_, String>("device_uid")?),
            configuration: ConfigurationId(id_value(row.get("configuration_id")?)),
            origin: from_json(RecordKind::DeviceMatch, &row.get::<_, String>("origin")?)?,
            made_by: changed_by(row, "made_by", "made_by_user")?,
            made_at: time(row.get("made_at")?)?,
        })
    }
}

/// The tenant's device matches (of one device or configuration, or all), by device uid.
fn device_matches(
    conn: &Connection,
    tenant: i64,
    only: DeviceFilter<'_>,
) -> Result<Vec<DeviceMatchRecord>, StoreError> {
    let (device, configuration) = match only {
        DeviceFilter::All => (None, None),
        DeviceFilter::Device(uid) => (Some(uid.as_str()), None),
        DeviceFilter::Configuration(id) => (None, Some(id_column(id.0))),
    };
    let mut records: Vec<DeviceMatchRecord> = select_all(
        conn,
        "FROM itglue_device_matches
         WHERE tenant_id = ?1
           AND (?2 IS NULL OR device_uid = ?2)
           AND (?3 IS NULL OR configuration_id = ?3)",
        params![tenant, device, configuration],
    )?;
    records.sort_by(|a, b| a.device.cmp(&b.device));
    Ok(records)
}

impl FromRow for IgnoredGroup {
    const COLUMNS: &'static str = "group_kind, group_id, ignored_by, ignored_by_user, ignored_at";

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(IgnoredGroup {
            group: group_value(row.get("group_kind")?, row.get("group_id")?)?,
            ignored_by: changed_by(row, "ignored_by", "ignored_by_user")?,
            ignored_at: time(row.get("ignored_at")?)?,
        })
    }
}

/// The tenant's ignored groups (one, or all), by group.
fn ignored_groups(
    conn: &Connection,
    tenant: i64,
    only: Option<&GroupId>,
) -> Result<Vec<IgnoredGroup>, StoreError> {
    let (kind, id) = group_filter(only)?;
    let mut records: Vec<IgnoredGroup> = select_all(
        conn,
        "FROM itglue_ignored_groups
         WHERE tenant_id = ?1 AND (?2 IS NULL OR (group_kind = ?2 AND group_id = ?3))",
        params![tenant, kind, id],
    )?;
    records.sort_by(|a, b| a.group.cmp(&b.group));
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_core::itglue::{AutotaskCompanyId, SiteUid};

    #[test]
    fn groups_round_trip_through_their_columns() {
        for group in [
            GroupId::Site(SiteUid::new("s-1")),
            GroupId::AutotaskCompany(AutotaskCompanyId::new("29683501")),
        ] {
            let (kind, id) = group_columns(&group).unwrap();
            assert_eq!(group_value(kind, id).unwrap(), group);
        }
    }

    #[test]
    fn ids_keep_every_bit() {
        for id in [0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            assert_eq!(id_value(id_column(id)), id);
        }
    }
}
