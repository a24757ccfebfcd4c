//! Optimistic concurrency: the version a writer read and passes back.

use std::fmt;

/// The version of one tenant's state (settings, integrations, associations, exclusions, events,
/// matches, ignored groups).
///
/// A writer reads the state with its version and passes that version back with its changes; the
/// store applies them only if nobody changed the tenant in between, otherwise it answers
/// [`StoreError::Conflict`](crate::StoreError::Conflict). A tenant with no state is at
/// [`Version::EMPTY`]. Versions are drawn from one store-wide sequence and never reused, so a
/// writer holding the version of a tenant that was reset and filled again still gets a conflict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(u64);

impl Version {
    /// The version of a tenant that has never been changed (or was reset).
    pub const EMPTY: Version = Version(0);

    /// The version numbered `n`.
    pub const fn new(n: u64) -> Self {
        Self(n)
    }

    /// The version's number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}
