//! The IT Glue changes' checks and results, shared by every implementation.

use sync_core::itglue::{DeviceUid, GroupId};

use crate::time::truncate_to_millis;
use crate::{DeviceMatchRecord, IgnoredGroup, OrganizationMatchRecord, RecordKind, StoreError};

/// The organization match to store.
pub(crate) fn match_organization(new: &OrganizationMatchRecord) -> OrganizationMatchRecord {
    OrganizationMatchRecord {
        made_at: truncate_to_millis(new.made_at),
        ..new.clone()
    }
}

/// Checks that the group has a match to delete.
pub(crate) fn unmatch_organization(
    current: Option<&OrganizationMatchRecord>,
    group: &GroupId,
) -> Result<(), StoreError> {
    current
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found(RecordKind::OrganizationMatch, group.to_string()))
}

/// The device match to store, given the device that holds the configuration now (if any).
pub(crate) fn match_device(
    configuration_holder: Option<&DeviceMatchRecord>,
    new: &DeviceMatchRecord,
) -> Result<DeviceMatchRecord, StoreError> {
    if let Some(holder) = configuration_holder
        && holder.device != new.device
    {
        return Err(StoreError::Duplicate {
            kind: RecordKind::DeviceMatch,
            key: new.device.to_string(),
            detail: format!(
                "configuration {} already serves device {}",
                holder.configuration, holder.device
            ),
        });
    }
    Ok(DeviceMatchRecord {
        made_at: truncate_to_millis(new.made_at),
        ..new.clone()
    })
}

/// Checks that the device has a match to delete.
pub(crate) fn unmatch_device(
    current: Option<&DeviceMatchRecord>,
    device: &DeviceUid,
) -> Result<(), StoreError> {
    current
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found(RecordKind::DeviceMatch, device.as_str()))
}

/// The ignored group to store, given whether it is ignored already.
pub(crate) fn ignore_group(
    current: Option<&IgnoredGroup>,
    new: &IgnoredGroup,
) -> Result<IgnoredGroup, StoreError> {
    if current.is_some() {
        return Err(StoreError::Duplicate {
            kind: RecordKind::IgnoredGroup,
            key: new.group.to_string(),
            detail: "the group is already ignored".into(),
        });
    }
    Ok(IgnoredGroup {
        ignored_at: truncate_to_millis(new.ignored_at),
        ..new.clone()
    })
}

/// Checks that the group is ignored.
pub(crate) fn unignore_group(
    current: Option<&IgnoredGroup>,
    group: &GroupId,
) -> Result<(), StoreError> {
    current
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found(RecordKind::IgnoredGroup, group.to_string()))
}
