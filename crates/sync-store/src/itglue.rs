//! What the store keeps for the Datto RMM → IT Glue sync, around sync-core's types.
//!
//! sync-core's [`StoredOrganizationMatch`] is what the organization pass works on; the records
//! here add who made a match and when, and keep the device matches and ignored groups the same
//! way.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::{
    ConfigurationId, ConfigurationKind, DeletedDevicePolicy, DeviceUid, GroupId, GroupingMode,
    MatchOptions, MatchOrigin, OrganizationId, StoredOrganizationMatch, UpdatePolicies,
};
use sync_core::names::NameAliases;

use crate::ChangedBy;

/// Two names a tenant declares to be the same company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameAlias {
    /// A name as the user typed it.
    pub name: String,
    /// The other name, as typed.
    pub same_as: String,
}

/// The IT Glue flow's settings of one tenant. Stored as JSON; fields missing from an older
/// value take their defaults.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItGlueSettings {
    /// How sites are grouped: each site, or by the Autotask company they point to.
    pub grouping: GroupingMode,
    /// Names declared to be the same company, as the user typed them (sync-core's
    /// [`NameAliases`] keeps only normalised keys, so the typed names are kept here).
    pub aliases: Vec<NameAlias>,
    /// The tenant's own placeholder serial numbers and shared MAC addresses, on top of the
    /// built-in ones (such as "To Be Filled By O.E.M.").
    pub identifiers: IdentifierPolicy,
    /// The most organizations or configurations one run creates.
    pub create_cap: u32,
    /// Per configuration attribute: overwrite, fill when empty or never (defaults in
    /// `docs/field-mapping.md`; the name is only filled when empty).
    pub update_policies: UpdatePolicies,
    /// The tenant's own configuration type per kind of device (by type name), before the
    /// built-in preferences.
    pub configuration_types: BTreeMap<ConfigurationKind, String>,
    /// What happens to the configuration of a device deleted from Datto RMM: kept (default)
    /// or archived; never deleted.
    pub deleted_devices: DeletedDevicePolicy,
    /// Minutes between two routine syncs of the tenant by the scheduler (default 240: every
    /// four hours; from [`MIN_SYNC_INTERVAL_MINUTES`](Self::MIN_SYNC_INTERVAL_MINUTES) to
    /// [`MAX_SYNC_INTERVAL_MINUTES`](Self::MAX_SYNC_INTERVAL_MINUTES)).
    pub sync_interval_minutes: u32,
}

impl ItGlueSettings {
    /// The default [`create_cap`](Self::create_cap): 100 creates per run, as the IT Glue flow
    /// promises.
    pub const DEFAULT_CREATE_CAP: u32 = 100;

    /// The default [`sync_interval_minutes`](Self::sync_interval_minutes): every four hours.
    pub const DEFAULT_SYNC_INTERVAL_MINUTES: u32 = 240;

    /// The shortest [`sync_interval_minutes`](Self::sync_interval_minutes): 15 minutes. A sync
    /// lists every device and reads the audits that changed, against a Datto RMM limit shared by
    /// every integration of the account; a shorter interval would spend that budget on syncs
    /// that find little new.
    pub const MIN_SYNC_INTERVAL_MINUTES: u32 = 15;

    /// The longest [`sync_interval_minutes`](Self::sync_interval_minutes): one week (10,080
    /// minutes), so a routine sync stays routine.
    pub const MAX_SYNC_INTERVAL_MINUTES: u32 = 7 * 24 * 60;

    /// Whether `minutes` is an interval the flow accepts.
    ///
    /// ```
    /// use sync_store::ItGlueSettings;
    ///
    /// assert!(ItGlueSettings::sync_interval_allowed(ItGlueSettings::DEFAULT_SYNC_INTERVAL_MINUTES));
    /// assert!(ItGlueSettings::sync_interval_allowed(15));
    /// assert!(!ItGlueSettings::sync_interval_allowed(14));
    /// assert!(!ItGlueSettings::sync_interval_allowed(7 * 24 * 60 + 1));
    /// ```
    pub fn sync_interval_allowed(minutes: u32) -> bool {
        (Self::MIN_SYNC_INTERVAL_MINUTES..=Self::MAX_SYNC_INTERVAL_MINUTES).contains(&minutes)
    }

    /// The aliases as sync-core's matcher takes them.
    pub fn name_aliases(&self) -> NameAliases {
        self.aliases
            .iter()
            .map(|alias| (alias.name.as_str(), alias.same_as.as_str()))
            .collect()
    }

    /// sync-core's matching options: the default floor and number of suggestions, with these
    /// aliases.
    pub fn match_options(&self) -> MatchOptions {
        MatchOptions {
            aliases: self.name_aliases(),
            ..MatchOptions::default()
        }
    }
}

impl Default for ItGlueSettings {
    fn default() -> Self {
        Self {
            grouping: GroupingMode::default(),
            aliases: Vec::new(),
            identifiers: IdentifierPolicy::default(),
            create_cap: Self::DEFAULT_CREATE_CAP,
            update_policies: UpdatePolicies::default(),
            configuration_types: BTreeMap::new(),
            deleted_devices: DeletedDevicePolicy::default(),
            sync_interval_minutes: Self::DEFAULT_SYNC_INTERVAL_MINUTES,
        }
    }
}

/// A stored group ↔ organization match. A group has at most one organization; several groups
/// may share one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationMatchRecord {
    /// The group, its organization and how the match was made (automatic with its reason, or a
    /// user's).
    pub organization_match: StoredOrganizationMatch,
    /// Who made it (the sync, or the user by name).
    pub made_by: ChangedBy,
    /// When.
    pub made_at: DateTime<Utc>,
}

impl OrganizationMatchRecord {
    /// A match of `group` to `organization`.
    pub fn new(
        group: GroupId,
        organization: OrganizationId,
        origin: MatchOrigin,
        made_by: ChangedBy,
        made_at: DateTime<Utc>,
    ) -> Self {
        Self {
            organization_match: StoredOrganizationMatch {
                group,
                organization,
                origin,
            },
            made_by,
            made_at,
        }
    }

    /// The group.
    pub fn group(&self) -> &GroupId {
        &self.organization_match.group
    }

    /// The organization.
    pub fn organization(&self) -> OrganizationId {
        self.organization_match.organization
    }
}

/// A stored device ↔ configuration match. A device has at most one configuration and a
/// configuration serves at most one device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceMatchRecord {
    /// The Datto RMM device.
    pub device: DeviceUid,
    /// The IT Glue configuration.
    pub configuration: ConfigurationId,
    /// How the match was made (automatic with its reason — RMM marker, MAC address, serial
    /// number, name — or a user's).
    pub origin: MatchOrigin,
    /// Who made it.
    pub made_by: ChangedBy,
    /// When.
    pub made_at: DateTime<Utc>,
}

/// A group ignored by the IT Glue flow: it no longer counts as unmatched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoredGroup {
    /// The group.
    pub group: GroupId,
    /// Who ignored it.
    pub ignored_by: ChangedBy,
    /// When.
    pub ignored_at: DateTime<Utc>,
}

/// The IT Glue part of a tenant's versioned state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItGlueState {
    /// The flow's settings; `None` until saved once.
    pub settings: Option<ItGlueSettings>,
    /// The organization matches, by group.
    pub organization_matches: Vec<OrganizationMatchRecord>,
    /// The device matches, by device uid.
    pub device_matches: Vec<DeviceMatchRecord>,
    /// The ignored groups, by group.
    pub ignored_groups: Vec<IgnoredGroup>,
}

impl ItGlueState {
    /// The settings, or the defaults when none were saved.
    pub fn settings_or_default(&self) -> ItGlueSettings {
        self.settings.clone().unwrap_or_default()
    }

    /// The stored matches as sync-core's organization pass
    /// ([`match_organizations`](sync_core::itglue::match_organizations)) takes them.
    pub fn stored_organization_matches(&self) -> Vec<StoredOrganizationMatch> {
        self.organization_matches
            .iter()
            .map(|record| record.organization_match.clone())
            .collect()
    }

    /// The ignored groups as sync-core's organization pass takes them.
    pub fn ignored_group_ids(&self) -> Vec<GroupId> {
        self.ignored_groups
            .iter()
            .map(|ignored| ignored.group.clone())
            .collect()
    }

    /// The organization match of `group`.
    pub fn organization_of(&self, group: &GroupId) -> Option<&OrganizationMatchRecord> {
        self.organization_matches
            .iter()
            .find(|m| m.group() == group)
    }

    /// The configuration match of `device`.
    pub fn configuration_of(&self, device: &DeviceUid) -> Option<&DeviceMatchRecord> {
        self.device_matches.iter().find(|m| &m.device == device)
    }

    /// Whether `group` is ignored.
    pub fn is_ignored(&self, group: &GroupId) -> bool {
        self.ignored_groups.iter().any(|g| &g.group == group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_saved_by_an_older_build_read_with_defaults() {
        let old = r#"{"grouping":"autotask_company"}"#;
        let settings: ItGlueSettings = serde_json::from_str(old).unwrap();
        assert_eq!(settings.grouping, GroupingMode::AutotaskCompany);
        assert_eq!(settings.create_cap, ItGlueSettings::DEFAULT_CREATE_CAP);
        assert!(settings.aliases.is_empty());
        assert_eq!(settings.identifiers, IdentifierPolicy::default());
    }

    #[test]
    fn aliases_reach_the_matcher_in_both_directions() {
        let settings = ItGlueSettings {
            aliases: vec![NameAlias {
                name: "Bob's Shop".into(),
                same_as: "Robert Smith Retail".into(),
            }],
            ..ItGlueSettings::default()
        };
        let key = |name: &str| sync_core::names::normalize_company_name(name).key;
        let options = settings.match_options();
        assert!(
            options
                .aliases
                .targets_of(&key("Robert Smith Retail"))
                .any(|k| k == key("Bob's Shop"))
        );
        assert_eq!(options.top_k, MatchOptions::default().top_k);
    }

    #[test]
    fn placeholder_serials_of_the_tenant_reach_the_identifier_policy() {
        let settings = ItGlueSettings {
            identifiers: IdentifierPolicy {
                placeholder_serials: vec!["Default string".into()],
                shared_mac_addresses: Vec::new(),
            },
            ..ItGlueSettings::default()
        };
        assert!(settings.identifiers.is_placeholder_serial("DEFAULTSTRING"));
    }
}
