//! What the store keeps for the Datto RMM → IT Glue sync.
//!
//! sync-core's IT Glue module had not been committed when these records were written, so they
//! are plain records: ids are the vendors' values (IT Glue ids are numbers, Datto RMM uids
//! strings), and the engine converts to and from sync-core's types.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sync_core::names::NameAliases;

use crate::ChangedBy;

/// What the IT Glue flow matches to an organization: one Datto RMM site, or the Autotask company
/// that one or more sites point to (see [`Grouping`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupKey {
    /// A Datto RMM site, by uid.
    Site(String),
    /// An Autotask company, by the `autotaskCompanyId` its sites carry.
    AutotaskCompany(String),
}

impl GroupKey {
    /// The kind's name in the store: `site` or `autotask_company`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Site(_) => "site",
            Self::AutotaskCompany(_) => "autotask_company",
        }
    }

    /// The site uid or Autotask company id.
    pub fn id(&self) -> &str {
        match self {
            Self::Site(id) | Self::AutotaskCompany(id) => id,
        }
    }

    /// The key stored as `kind` and `id`, or `None` for an unknown kind.
    pub(crate) fn from_parts(kind: &str, id: String) -> Option<Self> {
        match kind {
            "site" => Some(Self::Site(id)),
            "autotask_company" => Some(Self::AutotaskCompany(id)),
            _ => None,
        }
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Site(uid) => write!(f, "site {uid}"),
            Self::AutotaskCompany(id) => write!(f, "autotask company {id}"),
        }
    }
}

/// How a tenant's sites are grouped for the IT Glue flow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Grouping {
    /// Every site is a group, matched by the site's name.
    #[default]
    Site,
    /// Sites pointing to one Autotask company form one group, matched by that company's name.
    AutotaskCompany,
}

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
    /// How sites are grouped.
    pub grouping: Grouping,
    /// Names declared to be the same company, as the user typed them.
    pub aliases: Vec<NameAlias>,
    /// Serial numbers this tenant's devices report that identify nothing (in addition to the
    /// well-known ones such as "To Be Filled By O.E.M.").
    pub placeholder_serials: Vec<String>,
    /// The most organizations or configurations one run creates.
    pub create_cap: u32,
}

impl ItGlueSettings {
    /// The default [`create_cap`](Self::create_cap).
    pub const DEFAULT_CREATE_CAP: u32 = 50;

    /// The aliases as sync-core's matcher takes them.
    pub fn name_aliases(&self) -> NameAliases {
        self.aliases
            .iter()
            .map(|alias| (alias.name.as_str(), alias.same_as.as_str()))
            .collect()
    }
}

impl Default for ItGlueSettings {
    fn default() -> Self {
        Self {
            grouping: Grouping::default(),
            aliases: Vec::new(),
            placeholder_serials: Vec::new(),
            create_cap: Self::DEFAULT_CREATE_CAP,
        }
    }
}

/// How a match was made.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MatchOrigin {
    /// Taken over as it was stored before (imported from an earlier system's matches).
    Stored,
    /// A user's choice (accept a suggestion, match to, change match, create).
    User {
        /// The user's name.
        name: String,
    },
    /// The sync's own match.
    Automatic {
        /// Why, as sync-core names its match reasons (`exact`, `alias`, `normalised`,
        /// `rmm_marker`, `mac_address`, `serial_number`, …).
        reason: String,
    },
}

impl MatchOrigin {
    /// A match by the user `name`.
    pub fn user(name: impl Into<String>) -> Self {
        Self::User { name: name.into() }
    }

    /// A match by the sync, for `reason`.
    pub fn automatic(reason: impl Into<String>) -> Self {
        Self::Automatic {
            reason: reason.into(),
        }
    }

    /// The columns the SQLite store keeps it in: the origin and its detail (user or reason).
    pub(crate) fn columns(&self) -> (&'static str, Option<&str>) {
        match self {
            Self::Stored => ("stored", None),
            Self::User { name } => ("user", Some(name)),
            Self::Automatic { reason } => ("automatic", Some(reason)),
        }
    }

    /// The value kept in the columns `columns` wrote, or `None` for an unknown origin.
    pub(crate) fn from_columns(origin: &str, detail: Option<String>) -> Option<Self> {
        let detail = detail.unwrap_or_default();
        match origin {
            "stored" => Some(Self::Stored),
            "user" => Some(Self::User { name: detail }),
            "automatic" => Some(Self::Automatic { reason: detail }),
            _ => None,
        }
    }
}

/// A stored group ↔ organization match. A group has at most one organization; several groups
/// may share one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationMatchRecord {
    /// The group.
    pub group: GroupKey,
    /// The IT Glue organization's id.
    pub organization_id: u64,
    /// How the match was made.
    pub origin: MatchOrigin,
    /// When.
    pub made_at: DateTime<Utc>,
}

/// A stored device ↔ configuration match. A device has at most one configuration and a
/// configuration serves at most one device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceMatchRecord {
    /// The Datto RMM device uid.
    pub device_uid: String,
    /// The IT Glue configuration's id.
    pub configuration_id: u64,
    /// How the match was made.
    pub origin: MatchOrigin,
    /// When.
    pub made_at: DateTime<Utc>,
}

/// A group ignored by the IT Glue flow: it no longer counts as unmatched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoredGroup {
    /// The group.
    pub group: GroupKey,
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

    /// The organization `group` is matched to.
    pub fn organization_of(&self, group: &GroupKey) -> Option<&OrganizationMatchRecord> {
        self.organization_matches.iter().find(|m| &m.group == group)
    }

    /// The configuration `device_uid` is matched to.
    pub fn configuration_of(&self, device_uid: &str) -> Option<&DeviceMatchRecord> {
        self.device_matches
            .iter()
            .find(|m| m.device_uid == device_uid)
    }

    /// Whether `group` is ignored.
    pub fn is_ignored(&self, group: &GroupKey) -> bool {
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
        assert_eq!(settings.grouping, Grouping::AutotaskCompany);
        assert_eq!(settings.create_cap, ItGlueSettings::DEFAULT_CREATE_CAP);
        assert!(settings.aliases.is_empty());
    }

    #[test]
    fn aliases_work_in_both_directions_for_the_matcher() {
        let settings = ItGlueSettings {
            aliases: vec![NameAlias {
                name: "Bob's Shop".into(),
                same_as: "Robert Smith Retail".into(),
            }],
            ..ItGlueSettings::default()
        };
        let aliases = settings.name_aliases();
        let key = |name: &str| sync_core::names::normalize_company_name(name).key;
        assert!(
            aliases
                .targets_of(&key("Robert Smith Retail"))
                .any(|k| k == key("Bob's Shop"))
        );
    }

    #[test]
    fn group_keys_round_trip_through_their_columns() {
        for group in [
            GroupKey::Site("s".into()),
            GroupKey::AutotaskCompany("1".into()),
        ] {
            assert_eq!(
                GroupKey::from_parts(group.kind(), group.id().to_owned()),
                Some(group)
            );
        }
        assert_eq!(GroupKey::from_parts("organization", "1".into()), None);
    }
}
