//! The matches a tenant has stored, and the pure decisions a run makes against them: which
//! device matches to store or drop, and which of a run's new matches still apply after another
//! change reached the store first.

use std::collections::{BTreeMap, BTreeSet};

use super::configuration_matching::ConfigurationOutcome;
use super::ids::{ConfigurationId, DeviceUid, GroupId, OrganizationId};
use super::suggestion::MatchReason;

/// The matches stored for a tenant, as far as the decisions about new ones need them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredMatches {
    /// The organization each matched group is matched to.
    pub organization_of: BTreeMap<GroupId, OrganizationId>,
    /// The ignored groups.
    pub ignored: BTreeSet<GroupId>,
    /// The configuration each matched device is matched to.
    pub configuration_of: BTreeMap<DeviceUid, ConfigurationId>,
}

/// The changes to the stored device matches a run decides: drop `unmatch` first, then store
/// `matches` (so a configuration freed by a drop can be matched by another device in the same
/// transaction).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceMatchChanges {
    /// Devices whose stored match goes: its configuration is gone from the organization's
    /// complete listing, so the device is unmatched now.
    pub unmatch: Vec<DeviceUid>,
    /// New automatic matches to store.
    pub matches: Vec<NewDeviceMatch>,
}

/// A new automatic device ↔ configuration match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeviceMatch {
    /// The device.
    pub device: DeviceUid,
    /// The configuration it matched.
    pub configuration: ConfigurationId,
    /// Why it matched.
    pub reason: MatchReason,
}

impl StoredMatches {
    /// The device matched to `configuration`, if any.
    pub fn device_of(&self, configuration: ConfigurationId) -> Option<&DeviceUid> {
        self.configuration_of
            .iter()
            .find(|(_, c)| **c == configuration)
            .map(|(device, _)| device)
    }

    /// Whether a match of `group` found before another change reached the store may still be
    /// stored: the group is neither matched nor ignored now (a user's decision wins).
    pub fn group_is_free(&self, group: &GroupId) -> bool {
        !self.organization_of.contains_key(group) && !self.ignored.contains(group)
    }

    /// Whether a match of `device` to `configuration` found before another change reached the
    /// store may still be stored: the device is not matched now and no other device holds the
    /// configuration.
    pub fn device_match_is_free(&self, device: &DeviceUid, configuration: ConfigurationId) -> bool {
        !self.configuration_of.contains_key(device) && self.device_of(configuration).is_none()
    }
}

/// The device matches a run stores, given its decisions per organization and the stored
/// matches: a stored match the run no longer found (its configuration is gone from the
/// organization's complete listing) is dropped, and every new automatic match is stored.
///
/// ```
/// use std::collections::BTreeMap;
/// use sync_core::itglue::{
///     ConfigurationId, ConfigurationOutcome, DeviceUid, MatchReason, OrganizationId,
///     StoredMatches, device_match_changes,
/// };
///
/// let mut stored = StoredMatches::default();
/// stored.configuration_of.insert(DeviceUid::new("gone"), ConfigurationId(9));
/// let matched = ConfigurationOutcome::Matched {
///     configuration: ConfigurationId(7),
///     reason: MatchReason::SerialNumber,
/// };
/// let decisions = BTreeMap::from([(
///     OrganizationId(1),
///     BTreeMap::from([
///         (DeviceUid::new("gone"), ConfigurationOutcome::Unmatched),
///         (DeviceUid::new("new"), matched),
///     ]),
/// )]);
/// let changes = device_match_changes(&decisions, &stored);
/// assert_eq!(changes.unmatch, [DeviceUid::new("gone")]);
/// assert_eq!(changes.matches[0].configuration, ConfigurationId(7));
/// ```
pub fn device_match_changes(
    decisions: &BTreeMap<OrganizationId, BTreeMap<DeviceUid, ConfigurationOutcome>>,
    stored: &StoredMatches,
) -> DeviceMatchChanges {
    let mut changes = DeviceMatchChanges::default();
    for (device, decision) in decisions.values().flatten() {
        match decision {
            ConfigurationOutcome::Matched {
                configuration,
                reason,
            } => changes.matches.push(NewDeviceMatch {
                device: device.clone(),
                configuration: *configuration,
                reason: *reason,
            }),
            ConfigurationOutcome::Stored { .. } => {}
            _ => {
                if stored.configuration_of.contains_key(device) {
                    changes.unmatch.push(device.clone());
                }
            }
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datto::SiteUid;

    fn device(uid: &str) -> DeviceUid {
        DeviceUid::new(uid)
    }

    fn stored() -> StoredMatches {
        let mut stored = StoredMatches::default();
        stored
            .organization_of
            .insert(GroupId::Site(SiteUid::new("matched")), OrganizationId(1));
        stored
            .ignored
            .insert(GroupId::Site(SiteUid::new("ignored")));
        stored
            .configuration_of
            .insert(device("d1"), ConfigurationId(10));
        stored
    }

    #[test]
    fn a_group_matched_or_ignored_meanwhile_is_not_free() {
        let stored = stored();
        assert!(!stored.group_is_free(&GroupId::Site(SiteUid::new("matched"))));
        assert!(!stored.group_is_free(&GroupId::Site(SiteUid::new("ignored"))));
        assert!(stored.group_is_free(&GroupId::Site(SiteUid::new("other"))));
    }

    #[test]
    fn a_device_match_is_free_only_when_neither_side_is_taken() {
        let stored = stored();
        assert!(!stored.device_match_is_free(&device("d1"), ConfigurationId(11)));
        assert!(!stored.device_match_is_free(&device("d2"), ConfigurationId(10)));
        assert!(stored.device_match_is_free(&device("d2"), ConfigurationId(11)));
        assert_eq!(stored.device_of(ConfigurationId(10)), Some(&device("d1")));
    }

    #[test]
    fn a_stored_match_the_run_no_longer_finds_is_dropped_and_new_matches_are_stored() {
        let decisions = BTreeMap::from([(
            OrganizationId(1),
            BTreeMap::from([
                (
                    device("d0"),
                    ConfigurationOutcome::Matched {
                        configuration: ConfigurationId(10),
                        reason: MatchReason::MacAddress,
                    },
                ),
                (device("d1"), ConfigurationOutcome::Unmatched),
            ]),
        )]);
        assert_eq!(
            device_match_changes(&decisions, &stored()),
            DeviceMatchChanges {
                unmatch: vec![device("d1")],
                matches: vec![NewDeviceMatch {
                    device: device("d0"),
                    configuration: ConfigurationId(10),
                    reason: MatchReason::MacAddress,
                }],
            }
        );
    }

    #[test]
    fn kept_matches_and_unmatched_devices_without_stored_match_change_nothing() {
        let decisions = BTreeMap::from([(
            OrganizationId(1),
            BTreeMap::from([
                (
                    device("d1"),
                    ConfigurationOutcome::Stored {
                        configuration: ConfigurationId(10),
                        configuration_exists: true,
                    },
                ),
                (
                    device("d2"),
                    ConfigurationOutcome::Suggested {
                        suggestions: Vec::new(),
                    },
                ),
                (device("d3"), ConfigurationOutcome::Unmatched),
            ]),
        )]);
        assert_eq!(
            device_match_changes(&decisions, &stored()),
            DeviceMatchChanges::default()
        );
    }
}
