//! Identifiers of the records the IT Glue flow matches.
//!
//! IT Glue ids are numbers (the API sends them as strings at the top level of a resource and as
//! numbers inside attributes; real ones have 15–16 digits), so they are `u64` newtypes; Datto RMM
//! uids live in [`crate::datto`]. All of them serialise as their bare value.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::datto::{AutotaskCompanyId, DeviceUid, SiteUid};

/// An IT Glue organization's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrganizationId(pub u64);

/// An IT Glue configuration's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConfigurationId(pub u64);

/// What the IT Glue flow matches to an organization: one site, or all the sites that point to
/// one Autotask company (a tenant setting, see [`GroupingMode`](super::GroupingMode)).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupId {
    /// A Datto RMM site.
    Site(SiteUid),
    /// The Autotask company that one or more sites point to.
    AutotaskCompany(AutotaskCompanyId),
}

impl fmt::Display for OrganizationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for ConfigurationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Site(uid) => write!(f, "site {uid}"),
            Self::AutotaskCompany(id) => write!(f, "autotask company {id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_serialise_as_bare_values() {
        assert_eq!(serde_json::to_string(&OrganizationId(42)).unwrap(), "42");
        assert_eq!(
            serde_json::to_string(&DeviceUid::new("d-1")).unwrap(),
            "\"d-1\""
        );
    }

    #[test]
    fn group_ids_say_what_they_are() {
        let group = GroupId::AutotaskCompany(AutotaskCompanyId::new("1234"));
        let json = serde_json::to_string(&group).unwrap();
        assert_eq!(json, r#"{"kind":"autotask_company","id":"1234"}"#);
        assert_eq!(serde_json::from_str::<GroupId>(&json).unwrap(), group);
    }
}
