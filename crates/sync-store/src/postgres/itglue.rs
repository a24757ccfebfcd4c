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

/// The most device matches one statement writes: a run's matches go in chunks of this many,
/// two round trips a chunk (read what the chunk's devices and configurations hold, then write
/// the chunk), instead of two round trips a device.
const DEVICE_MATCH_CHUNK: usize = 1_000;

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
        ItGlueChange::MatchDevice(new) => match_devices(tx, tenant, &[new]).await?,
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
}

/// Stores `matches` in order, as one [`ItGlueChange::MatchDevice`] each would, checking each
/// against what the ones before left: a configuration serves one device. Each chunk of
/// [`DEVICE_MATCH_CHUNK`] matches without a device twice is one read of what its devices and
/// configurations hold and one `INSERT … SELECT FROM UNNEST` (rows in order, so a configuration
/// freed by a device's earlier row is free for a later one).
pub(super) async fn match_devices(
    tx: &Tx<'_>,
    tenant: i64,
    matches: &[&DeviceMatchRecord],
) -> Result<(), StoreError> {
    let mut rest = matches;
    while !rest.is_empty() {
        let mut seen = std::collections::HashSet::new();
        let len = rest
            .iter()
            .take(DEVICE_MATCH_CHUNK)
            .take_while(|m| seen.insert(&m.device))
            .count();
        let (chunk, tail) = rest.split_at(len);
        write_device_chunk(tx, tenant, chunk).await?;
        rest = tail;
    }
    Ok(())
}

/// One chunk of [`match_devices`]: no device twice in it.
async fn write_device_chunk(
    tx: &Tx<'_>,
    tenant: i64,
    chunk: &[&DeviceMatchRecord],
) -> Result<(), StoreError> {
    use std::collections::HashMap;
    let devices: Vec<&str> = chunk.iter().map(|m| m.device.as_str()).collect();
    let configurations: Vec<i64> = chunk.iter().map(|m| id_column(m.configuration.0)).collect();
    let rows = tx
        .query(
            "SELECT device_uid, configuration_id, origin, made_by, made_by_user, made_at
             FROM itglue_device_matches
             WHERE tenant_id = $1
               AND (device_uid = ANY($2) OR configuration_id = ANY($3))",
            &[&tenant, &devices, &configurations],
        )
        .await?;
    let mut holders: HashMap<ConfigurationId, DeviceMatchRecord> = HashMap::new();
    let mut served: HashMap<DeviceUid, ConfigurationId> = HashMap::new();
    for row in &rows {
        let record = device_match(row)?;
        served.insert(record.device.clone(), record.configuration);
        holders.insert(record.configuration, record);
    }
    let mut columns = DeviceColumns::default();
    for new in chunk {
        let record = rule::match_device(holders.get(&new.configuration), new)?;
        if let Some(before) = served.insert(record.device.clone(), record.configuration) {
            holders.remove(&before);
        }
        columns.push(&record)?;
        holders.insert(record.configuration, record);
    }
    tx.execute(
        "INSERT INTO itglue_device_matches
             (tenant_id, device_uid, configuration_id, origin, made_by, made_by_user, made_at)
         SELECT $1, * FROM UNNEST($2::TEXT[], $3::BIGINT[], $4::TEXT[], $5::TEXT[], $6::TEXT[],
                                  $7::BIGINT[])
         ON CONFLICT (tenant_id, device_uid) DO UPDATE SET
             configuration_id = excluded.configuration_id,
             origin = excluded.origin,
             made_by = excluded.made_by,
             made_by_user = excluded.made_by_user,
             made_at = excluded.made_at",
        &[
            &tenant,
            &columns.devices,
            &columns.configurations,
            &columns.origins,
            &columns.made_by,
            &columns.made_by_user,
            &columns.made_at,
        ],
    )
    .await?;
    Ok(())
}

/// Device matches as the columns of `itglue_device_matches`, one array per column.
#[derive(Default)]
struct DeviceColumns {
    devices: Vec<String>,
    configurations: Vec<i64>,
    origins: Vec<String>,
    made_by: Vec<String>,
    made_by_user: Vec<Option<String>>,
    made_at: Vec<i64>,
}

impl DeviceColumns {
    fn push(&mut self, record: &DeviceMatchRecord) -> Result<(), StoreError> {
        let (by, user) = record.made_by.columns();
        self.devices.push(record.device.as_str().to_owned());
        self.configurations.push(id_column(record.configuration.0));
        self.origins
            .push(to_json(RecordKind::DeviceMatch, &record.origin)?);
        self.made_by.push(by.to_owned());
        self.made_by_user.push(user.map(str::to_owned));
        self.made_at.push(to_millis(record.made_at));
        Ok(())
    }
}

/// A row of `itglue_device_matches` (its columns in table order, from `device_uid`).
fn device_match(row: &tokio_postgres::Row) -> Result<DeviceMatchRecord, StoreError> {
    let origin: String = row.try_get(2)?;
    let by: String = row.try_get(3)?;
    Ok(DeviceMatchRecord {
        device: DeviceUid::new(row.try_get::<_, String>(0)?),
        configuration: ConfigurationId(id_value(row.try_get(1)?)),
        origin: from_json(RecordKind::DeviceMatch, &origin)?,
        made_by: changed_by(&by, row.try_get(4)?)?,
        made_at: from_millis(row.try_get(5)?)?,
    })
}

/// The tenant's device matches (of one device, or all), by device uid.
async fn device_matches(
    tx: &Tx<'_>,
    tenant: i64,
    only: DeviceFilter<'_>,
) -> Result<Vec<DeviceMatchRecord>, StoreError> {
    let device = match only {
        DeviceFilter::All => None,
        DeviceFilter::Device(uid) => Some(uid.as_str()),
    };
    let rows = tx
        .query(
            "SELECT device_uid, configuration_id, origin, made_by, made_by_user, made_at
             FROM itglue_device_matches
             WHERE tenant_id = $1 AND ($2::TEXT IS NULL OR device_uid = $2)",
            &[&tenant, &device],
        )
        .await?;
    let mut records = rows
        .iter()
        .map(device_match)
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
