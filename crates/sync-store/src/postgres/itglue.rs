//! The IT Glue tables: settings, organization and device matches, ignored groups.

use sync_core::itglue::{
    ConfigurationId, DeviceUid, GroupId, MatchOrigin, OrganizationId, StoredOrganizationMatch,
};

use super::gravityzone::changed_by;
use super::rows::{Tx, from_json, to_json};
use crate::rules::itglue as rule;
use crate::time::{from_millis, to_millis};
use crate::{
    DeviceMatchRecord, IgnoredGroup, ItGlueChange, ItGlueState, OrganizationMatchRecord,
    RecordKind, StoreError,
};

/// An IT Glue id as stored: the same 64 bits in a BIGINT column.
fn id_column(id: u64) -> i64 {
    id as i64
}

/// An IT Glue id from its BIGINT column.
fn id_value(column: i64) -> u64 {
    column as u64
}

/// A group as its kind and id columns: the two halves of its serde form.
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
pub(super) async fn load(tx: &Tx<'_>, tenant: i64) -> Result<ItGlueState, StoreError> {
    let settings = tx
        .query_opt(
            "SELECT settings FROM itglue_settings WHERE tenant_id = $1",
            &[&tenant],
        )
        .await?
        .map(|row| row.try_get::<_, String>(0))
        .transpose()?
        .map(|json| from_json(RecordKind::ItGlueSettings, &json))
        .transpose()?;
    Ok(ItGlueState {
        settings,
        organization_matches: organization_matches(tx, tenant, None).await?,
        device_matches: device_matches(tx, tenant, DeviceFilter::All).await?,
        ignored_groups: ignored_groups(tx, tenant, None).await?,
    })
}

/// Applies one IT Glue change inside the caller's transaction.
pub(super) async fn apply(
    tx: &Tx<'_>,
    tenant: i64,
    change: &ItGlueChange,
) -> Result<(), StoreError> {
    match change {
        ItGlueChange::SaveSettings(settings) => {
            tx.execute(
                "INSERT INTO itglue_settings (tenant_id, settings) VALUES ($1, $2)
                 ON CONFLICT (tenant_id) DO UPDATE SET settings = excluded.settings",
                &[&tenant, &to_json(RecordKind::ItGlueSettings, settings)?],
            )
            .await?;
        }
        ItGlueChange::MatchOrganization(new) => {
            let record = rule::match_organization(new);
            let (kind, id) = group_columns(record.group())?;
            let (by, user) = record.made_by.columns();
            tx.execute(
                "INSERT INTO itglue_organization_matches
                     (tenant_id, group_kind, group_id, organization_id, origin, made_by,
                      made_by_user, made_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (tenant_id, group_kind, group_id) DO UPDATE SET
                     organization_id = excluded.organization_id,
                     origin = excluded.origin,
                     made_by = excluded.made_by,
                     made_by_user = excluded.made_by_user,
                     made_at = excluded.made_at",
                &[
                    &tenant,
                    &kind,
                    &id,
                    &id_column(record.organization().0),
                    &to_json(
                        RecordKind::OrganizationMatch,
                        &record.organization_match.origin,
                    )?,
                    &by,
                    &user,
                    &to_millis(record.made_at),
                ],
            )
            .await?;
        }
        ItGlueChange::UnmatchOrganization { group } => {
            let current = organization_matches(tx, tenant, Some(group)).await?;
            rule::unmatch_organization(current.first(), group)?;
            let (kind, id) = group_columns(group)?;
            tx.execute(
                "DELETE FROM itglue_organization_matches
                 WHERE tenant_id = $1 AND group_kind = $2 AND group_id = $3",
                &[&tenant, &kind, &id],
            )
            .await?;
        }
        ItGlueChange::MatchDevice(new) => {
            let holder =
                device_matches(tx, tenant, DeviceFilter::Configuration(new.configuration)).await?;
            let record = rule::match_device(holder.first(), new)?;
            let (by, user) = record.made_by.columns();
            tx.execute(
                "INSERT INTO itglue_device_matches
                     (tenant_id, device_uid, configuration_id, origin, made_by, made_by_user,
                      made_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (tenant_id, device_uid) DO UPDATE SET
                     configuration_id = excluded.configuration_id,
                     origin = excluded.origin,
                     made_by = excluded.made_by,
                     made_by_user = excluded.made_by_user,
                     made_at = excluded.made_at",
                &[
                    &tenant,
                    &record.device.as_str(),
                    &id_column(record.configuration.0),
                    &to_json(RecordKind::DeviceMatch, &record.origin)?,
                    &by,
                    &user,
                    &to_millis(record.made_at),
                ],
            )
            .await?;
        }
        ItGlueChange::UnmatchDevice { device } => {
            let current = device_matches(tx, tenant, DeviceFilter::Device(device)).await?;
            rule::unmatch_device(current.first(), device)?;
            tx.execute(
                "DELETE FROM itglue_device_matches WHERE tenant_id = $1 AND device_uid = $2",
                &[&tenant, &device.as_str()],
            )
            .await?;
        }
        ItGlueChange::IgnoreGroup(new) => {
            let current = ignored_groups(tx, tenant, Some(&new.group)).await?;
            let record = rule::ignore_group(current.first(), new)?;
            let (kind, id) = group_columns(&record.group)?;
            let (by, user) = record.ignored_by.columns();
            tx.execute(
                "INSERT INTO itglue_ignored_groups
                     (tenant_id, group_kind, group_id, ignored_by, ignored_by_user, ignored_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &tenant,
                    &kind,
                    &id,
                    &by,
                    &user,
                    &to_millis(record.ignored_at),
                ],
            )
            .await?;
        }
        ItGlueChange::UnignoreGroup { group } => {
            let current = ignored_groups(tx, tenant, Some(group)).await?;
            rule::unignore_group(current.first(), group)?;
            let (kind, id) = group_columns(group)?;
            tx.execute(
                "DELETE FROM itglue_ignored_groups
                 WHERE tenant_id = $1 AND group_kind = $2 AND group_id = $3",
                &[&tenant, &kind, &id],
            )
            .await?;
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

/// The tenant's organization matches (of one group, or all), by group.
async fn organization_matches(
    tx: &Tx<'_>,
    tenant: i64,
    only: Option<&GroupId>,
) -> Result<Vec<OrganizationMatchRecord>, StoreError> {
    let (kind, id) = group_filter(only)?;
    let rows = tx
        .query(
            "SELECT group_kind, group_id, organization_id, origin, made_by, made_by_user, made_at
             FROM itglue_organization_matches
             WHERE tenant_id = $1
               AND ($2::TEXT IS NULL OR (group_kind = $2 AND group_id = $3))",
            &[&tenant, &kind, &id],
        )
        .await?;
    let mut records = rows
        .iter()
        .map(|row| {
            let origin: String = row.try_get(3)?;
            let by: String = row.try_get(4)?;
            Ok(OrganizationMatchRecord {
                organization_match: StoredOrganizationMatch {
                    group: group_value(row.try_get(0)?, row.try_get(1)?)?,
                    organization: OrganizationId(id_value(row.try_get(2)?)),
                    origin: from_json::<MatchOrigin>(RecordKind::OrganizationMatch, &origin)?,
                },
                made_by: changed_by(&by, row.try_get(5)?)?,
                made_at: from_millis(row.try_get(6)?)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.group().cmp(b.group()));
    Ok(records)
}

/// Which device matches to read.
enum DeviceFilter<'a> {
    All,
    Device(&'a DeviceUid),
    Configuration(ConfigurationId),
}

/// The tenant's device matches (of one device or configuration, or all), by device uid.
async fn device_matches(
    tx: &Tx<'_>,
    tenant: i64,
    only: DeviceFilter<'_>,
) -> Result<Vec<DeviceMatchRecord>, StoreError> {
    let (device, configuration) = match only {
        DeviceFilter::All => (None, None),
        DeviceFilter::Device(uid) => (Some(uid.as_str()), None),
        DeviceFilter::Configuration(id) => (None, Some(id_column(id.0))),
    };
    let rows = tx
        .query(
            "SELECT device_uid, configuration_id, origin, made_by, made_by_user, made_at
             FROM itglue_device_matches
             WHERE tenant_id = $1
               AND ($2::TEXT IS NULL OR device_uid = $2)
               AND ($3::BIGINT IS NULL OR configuration_id = $3)",
            &[&tenant, &device, &configuration],
        )
        .await?;
    let mut records = rows
        .iter()
        .map(|row| {
            let origin: String = row.try_get(2)?;
            let by: String = row.try_get(3)?;
            Ok(DeviceMatchRecord {
                device: DeviceUid::new(row.try_get::<_, String>(0)?),
                configuration: ConfigurationId(id_value(row.try_get(1)?)),
                origin: from_json(RecordKind::DeviceMatch, &origin)?,
                made_by: changed_by(&by, row.try_get(4)?)?,
                made_at: from_millis(row.try_get(5)?)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.device.cmp(&b.device));
    Ok(records)
}

/// The tenant's ignored groups (one, or all), by group.
async fn ignored_groups(
    tx: &Tx<'_>,
    tenant: i64,
    only: Option<&GroupId>,
) -> Result<Vec<IgnoredGroup>, StoreError> {
    let (kind, id) = group_filter(only)?;
    let rows = tx
        .query(
            "SELECT group_kind, group_id, ignored_by, ignored_by_user, ignored_at
             FROM itglue_ignored_groups
             WHERE tenant_id = $1
               AND ($2::TEXT IS NULL OR (group_kind = $2 AND group_id = $3))",
            &[&tenant, &kind, &id],
        )
        .await?;
    let mut records = rows
        .iter()
        .map(|row| {
            let by: String = row.try_get(2)?;
            Ok(IgnoredGroup {
                group: group_value(row.try_get(0)?, row.try_get(1)?)?,
                ignored_by: changed_by(&by, row.try_get(3)?)?,
                ignored_at: from_millis(row.try_get(4)?)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    records.sort_by(|a, b| a.group.cmp(&b.group));
    Ok(records)
}
