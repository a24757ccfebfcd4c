//! The store's IT Glue state as the flow reads it, and the changes the flow writes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use sync_core::itglue::{
    ConfigurationId, DeviceUid, GroupId, MatchOrigin, MatchReason, OrganizationId,
    StoredOrganizationMatch,
};
use sync_store::{
    Change, ChangedBy, DeviceMatchRecord, IgnoredGroup, ItGlueChange, ItGlueState,
    OrganizationMatchRecord,
};

/// How a device is matched in the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredDeviceMatch {
    pub(crate) configuration: ConfigurationId,
}

/// The IT Glue state as the flow reads it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stored {
    pub(crate) organizations: Vec<StoredOrganizationMatch>,
    pub(crate) organization_of: BTreeMap<GroupId, OrganizationId>,
    pub(crate) ignored: BTreeSet<GroupId>,
    pub(crate) devices: BTreeMap<DeviceUid, StoredDeviceMatch>,
}

impl Stored {
    pub(crate) fn new(state: &ItGlueState) -> Self {
        let organizations = state.stored_organization_matches();
        let organization_of = organizations
            .iter()
            .map(|m| (m.group.clone(), m.organization))
            .collect();
        Self {
            organizations,
            organization_of,
            ignored: state.ignored_group_ids().into_iter().collect(),
            devices: state
                .device_matches
                .iter()
                .map(|record| {
                    (
                        record.device.clone(),
                        StoredDeviceMatch {
                            configuration: record.configuration,
                        },
                    )
                })
                .collect(),
        }
    }

    /// The device matched to a configuration, if any.
    pub(crate) fn device_of(&self, configuration: ConfigurationId) -> Option<&DeviceUid> {
        self.devices
            .iter()
            .find(|(_, m)| m.configuration == configuration)
            .map(|(device, _)| device)
    }
}

/// Who makes a change.
#[derive(Clone, Debug)]
pub(crate) enum Author {
    /// The sync, matching automatically for a reason.
    Sync,
    /// A user, by name.
    User(String),
}

impl Author {
    fn origin(&self, reason: Option<MatchReason>) -> MatchOrigin {
        match (self, reason) {
            (Self::Sync, Some(reason)) => MatchOrigin::Automatic { reason },
            _ => MatchOrigin::User,
        }
    }

    fn changed_by(&self) -> ChangedBy {
        match self {
            Self::Sync => ChangedBy::Sync,
            Self::User(name) => ChangedBy::user(name.clone()),
        }
    }
}

/// The change storing a group ↔ organization match.
pub(crate) fn match_organization(
    group: &GroupId,
    organization: OrganizationId,
    author: &Author,
    reason: Option<MatchReason>,
    at: DateTime<Utc>,
) -> Change {
    ItGlueChange::MatchOrganization(OrganizationMatchRecord::new(
        group.clone(),
        organization,
        author.origin(reason),
        author.changed_by(),
        at,
    ))
    .into()
}

/// The change storing a device ↔ configuration match.
pub(crate) fn match_device(
    device: &DeviceUid,
    configuration: ConfigurationId,
    author: &Author,
    reason: Option<MatchReason>,
    at: DateTime<Utc>,
) -> Change {
    ItGlueChange::MatchDevice(DeviceMatchRecord {
        device: device.clone(),
        configuration,
        origin: author.origin(reason),
        made_by: author.changed_by(),
        made_at: at,
    })
    .into()
}

/// The change deleting a device's match.
pub(crate) fn unmatch_device(device: &DeviceUid) -> Change {
    ItGlueChange::UnmatchDevice {
        device: device.clone(),
    }
    .into()
}

/// The change ignoring a group.
pub(crate) fn ignore_group(group: &GroupId, author: &Author, at: DateTime<Utc>) -> Change {
    ItGlueChange::IgnoreGroup(IgnoredGroup {
        group: group.clone(),
        ignored_by: author.changed_by(),
        ignored_at: at,
    })
    .into()
}

/// The change taking a group's ignore back.
pub(crate) fn unignore_group(group: &GroupId) -> Change {
    ItGlueChange::UnignoreGroup {
        group: group.clone(),
    }
    .into()
}
