//! Who acts, and on which organizations he may act.

use std::collections::BTreeSet;

use sync_core::itglue::{AccessScope, OrganizationId};

use super::error::ItGlueError;
use super::stored::Author;

/// The person behind a user action.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Actor {
    /// An administrator: sees and acts on everything.
    Administrator {
        /// How the user is named (login or e-mail), recorded with what he changes.
        name: String,
    },
    /// A manager: sees and acts only on the organizations he was granted.
    Manager {
        /// How the user is named.
        name: String,
        /// The organizations granted to him.
        granted: BTreeSet<OrganizationId>,
    },
}

impl Actor {
    /// An administrator named `name`.
    pub fn administrator(name: impl Into<String>) -> Self {
        Self::Administrator { name: name.into() }
    }

    /// A manager named `name` granted `organizations`.
    pub fn manager(
        name: impl Into<String>,
        organizations: impl IntoIterator<Item = OrganizationId>,
    ) -> Self {
        Self::Manager {
            name: name.into(),
            granted: organizations.into_iter().collect(),
        }
    }

    /// The user's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Administrator { name } | Self::Manager { name, .. } => name,
        }
    }

    /// What the actor may see and act on, as `sync-core` filters it.
    pub fn scope(&self) -> AccessScope {
        match self {
            Self::Administrator { .. } => AccessScope::Everything,
            Self::Manager { granted, .. } => AccessScope::granted(granted.iter().copied()),
        }
    }

    /// Whether the actor may see and act on `organization`.
    pub fn may_act_on(&self, organization: OrganizationId) -> bool {
        self.scope().allows(organization)
    }

    /// Refuses an action only administrators may take.
    pub(crate) fn require_administrator(&self, action: &'static str) -> Result<(), ItGlueError> {
        match self {
            Self::Administrator { .. } => Ok(()),
            Self::Manager { .. } => Err(ItGlueError::AdministratorOnly { action }),
        }
    }

    pub(crate) fn author(&self) -> Author {
        Author::User(self.name().to_owned())
    }
}
