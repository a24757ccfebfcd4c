//! The store's IT Glue state as the flow reads it, and the changes the flow writes.

use chrono::{DateTime, Utc};
use sync_core::itglue::{
    ConfigurationId, DeviceMatchChanges, DeviceUid, GroupId, MatchOrigin, MatchReason,
    OrganizationId, StoredMatches, StoredOrganizationMatch,
};
use sync_store::{
    Change, ChangedBy, DeviceMatchRecord, IgnoredGroup, ItGlueChange, ItGlueState,
    OrganizationMatchRecord,
};

/// The IT Glue state as the flow reads it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stored {
    pub(crate) organizations: Vec<StoredOrganizationMatch>,
    pub(crate) matches: StoredMatches,
}

impl Stored {
    pub(crate) fn new(state: &ItGlueState) -> Self {
        let organizations = state.stored_organization_matches();
        let matches = StoredMatches {
            organization_of: organizations
                .iter()
                .map(|m| (m.group.clone(), m.organization))
                .collect(),
            ignored: state.ignored_group_ids().into_iter().collect(),
            configuration_of: state
                .device_matches
                .iter()
                .map(|record| (record.device.clone(), record.configuration))
                .collect(),
        };
        Self {
            organizations,
            matches,
        }
    }

    /// Whether a change computed before another change reached the store still applies to
    /// the state read after it (the decision is `sync-core`'s).
    pub(crate) fn still_applies(&self, change: &Change) -> bool {
        match change {
            Change::ItGlue(ItGlueChange::MatchOrganization(record)) => {
                self.matches.group_is_free(record.group())
            }
            Change::ItGlue(ItGlueChange::MatchDevice(record)) => self
                .matches
                .device_match_is_free(&record.device, record.configuration),
            _ => true,
        }
    }
}

/// The store changes for the device-match changes a run decided, drops first.
pub(crate) fn device_match_changes(changes: &DeviceMatchChanges, at: DateTime<Utc>) -> Vec<Change> {
    let unmatch = changes.unmatch.iter().map(unmatch_device);
    let matches = changes.matches.iter().map(|new| {
        match_device(
            &new.device,
            new.configuration,
            &Author::Sync,
            Some(new.reason),
            at,
        )
    });
    unmatch.chain(matches).collect()
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
