//! Who made a change the store records.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Who made a change: the sync on its own, or a named user.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangedBy {
    /// The sync, by itself (an automatic action or a later sync's finding).
    Sync,
    /// A user.
    User {
        /// How the user is named in the application (login or e-mail).
        name: String,
    },
}

impl ChangedBy {
    /// A change by the user `name`.
    pub fn user(name: impl Into<String>) -> Self {
        Self::User { name: name.into() }
    }

    /// The columns the SQLite store keeps it in: `sync`/`user` and the user's name.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn columns(&self) -> (&'static str, Option<&str>) {
        match self {
            Self::Sync => ("sync", None),
            Self::User { name } => ("user", Some(name)),
        }
    }

    /// The value kept in the columns `columns` wrote, or `None` for an unknown tag.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn from_columns(tag: &str, name: Option<String>) -> Option<Self> {
        match (tag, name) {
            ("sync", _) => Some(Self::Sync),
            ("user", name) => Some(Self::User {
                name: name.unwrap_or_default(),
            }),
            _ => None,
        }
    }
}

impl fmt::Display for ChangedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sync => f.write_str("the sync"),
            Self::User { name } => write!(f, "user {name}"),
        }
    }
}
