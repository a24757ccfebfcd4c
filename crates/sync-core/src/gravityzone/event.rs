//! Events: one discrepancy found by the inventory sync, its identity, and its state machine.

use serde::{Deserialize, Serialize};

use super::event_action::{EventAction, EventActionKind};
use super::ids::{CompanyId, SiteUid};

/// The kinds of discrepancy the inventory sync reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// "Set as a new GravityZone company" could not be completed because the site's name is
    /// used in another GravityZone tenant (or, at the automatic level, every name the prefix
    /// setting allows for the site's new company is taken).
    DestinationCreation,
    /// The associated company now has another parent than the one the association remembers.
    DestinationMoved,
    /// The associated company no longer exists.
    DestinationDeleted,
    /// A managed, non-excluded site without association has the name of a free company of the
    /// partner's subtree (automatic level only).
    AssociationMissing,
    /// The same, through the prefixed name `"<prefix> <site name>"`.
    PrefixBasedAssociationMissing,
    /// The associated site no longer exists in Datto RMM.
    SourceDeleted,
}

/// An event's identity: one discrepancy is one event. The company is `None` only for
/// destination creation, where no company exists yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId {
    /// The kind of discrepancy.
    pub kind: EventKind,
    /// The Datto RMM site (the source).
    pub site: SiteUid,
    /// The GravityZone company (the destination).
    pub company: Option<CompanyId>,
}

/// Who ran the action that resolved an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Actor {
    /// The sync, as the event kind's automatic action.
    Automatic,
    /// A user's choice.
    User,
}

/// How an event was resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "resolution", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Resolution {
    /// One of the event's actions was carried out.
    Action {
        /// The action.
        action: EventAction,
        /// Who chose it.
        by: Actor,
    },
    /// A later sync no longer found the discrepancy (someone fixed it in a console, or it left
    /// the level's scope).
    NoLongerFound,
}

/// Where an event is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventState {
    /// Waiting for an action.
    Open,
    /// Hidden by a user. Only this occurrence is hidden: the next sync raises the event again
    /// while the discrepancy lasts.
    Ignored {
        /// When it was ignored, in milliseconds since the Unix epoch.
        at_ms: i64,
    },
    /// Done with.
    Resolved {
        /// When it was resolved, in milliseconds since the Unix epoch.
        at_ms: i64,
        /// How.
        resolution: Resolution,
    },
}

/// One discrepancy found by the inventory sync.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    /// The identity: kind, site and company.
    pub id: EventId,
    /// The site's name when the event was raised (`None` once the site is gone).
    pub site_name: Option<String>,
    /// The company's name when the event was raised; for destination creation, the name the
    /// creation needs. `None` once the company is gone.
    pub company_name: Option<String>,
    /// When this occurrence was first raised, in milliseconds since the Unix epoch.
    pub generated_at_ms: i64,
    /// Where the event is in its life.
    pub state: EventState,
}

/// A transition the event state machine refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TransitionError {
    /// Only an open event can be ignored or resolved.
    #[error("the event is no longer open")]
    NotOpen,
    /// The action is not one this kind of event offers.
    #[error("a {kind:?} event does not offer {action:?}")]
    ActionNotOffered {
        /// The event's kind.
        kind: EventKind,
        /// The refused action.
        action: EventActionKind,
    },
    /// The sync itself may only run the kind's automatic action.
    #[error("{action:?} is not the automatic action of a {kind:?} event")]
    NotAutomatic {
        /// The event's kind.
        kind: EventKind,
        /// The refused action.
        action: EventActionKind,
    },
}

impl EventKind {
    /// The kind as people read and type it: `destination-deleted`.
    ///
    /// ```
    /// use sync_core::gravityzone::EventKind;
    ///
    /// assert_eq!(EventKind::SourceDeleted.as_str(), "source-deleted");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::DestinationCreation => "destination-creation",
            EventKind::DestinationMoved => "destination-moved",
            EventKind::DestinationDeleted => "destination-deleted",
            EventKind::AssociationMissing => "association-missing",
            EventKind::PrefixBasedAssociationMissing => "prefix-based-association-missing",
            EventKind::SourceDeleted => "source-deleted",
        }
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl EventId {
    /// The identity of an event of `kind` about `site` and `company`.
    pub fn new(kind: EventKind, site: SiteUid, company: Option<CompanyId>) -> Self {
        Self {
            kind,
            site,
            company,
        }
    }

    /// A short reference for the event: eight hex digits, stable across runs, platforms and
    /// releases (FNV-1a of the kind, the site and the company), so the same discrepancy always
    /// has the same reference and a person can type it.
    ///
    /// ```
    /// use sync_core::gravityzone::{EventId, EventKind, SiteUid};
    ///
    /// let id = EventId::new(EventKind::SourceDeleted, SiteUid::new("s1"), None);
    /// assert_eq!(id.short_ref().len(), 8);
    /// assert_eq!(id.short_ref(), id.clone().short_ref());
    /// ```
    pub fn short_ref(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let company = self.company.as_ref().map(CompanyId::as_str).unwrap_or("");
        for part in [self.kind.as_str(), self.site.as_str(), company] {
            for byte in part.bytes().chain(std::iter::once(0)) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{:08x}", hash >> 32)
    }
}

impl Event {
    /// A new, open occurrence raised at `now_ms`.
    pub fn open(
        id: EventId,
        site_name: Option<String>,
        company_name: Option<String>,
        now_ms: i64,
    ) -> Self {
        Self {
            id,
            site_name,
            company_name,
            generated_at_ms: now_ms,
            state: EventState::Open,
        }
    }

    /// The event the engine raises when GravityZone refused to create the company `name` for
    /// `site` because the name is used elsewhere in its tree.
    pub fn destination_creation(
        site: SiteUid,
        site_name: Option<String>,
        name: String,
        now_ms: i64,
    ) -> Self {
        Self::open(
            EventId::new(EventKind::DestinationCreation, site, None),
            site_name,
            Some(name),
            now_ms,
        )
    }

    /// The event's kind.
    pub fn kind(&self) -> EventKind {
        self.id.kind
    }

    /// Whether the event waits for an action.
    pub fn is_open(&self) -> bool {
        self.state == EventState::Open
    }

    /// Whether a user hid this occurrence.
    pub fn is_ignored(&self) -> bool {
        matches!(self.state, EventState::Ignored { .. })
    }

    /// Open → ignored: hides this occurrence.
    pub fn ignore(&self, at_ms: i64) -> Result<Event, TransitionError> {
        self.require_open()?;
        Ok(self.with_state(EventState::Ignored { at_ms }))
    }

    /// Open → resolved by `action`, run by `by`. The action must be one the kind offers; the
    /// sync itself may only run the kind's automatic action.
    pub fn resolve(
        &self,
        action: EventAction,
        by: Actor,
        at_ms: i64,
    ) -> Result<Event, TransitionError> {
        self.require_open()?;
        let kind = self.kind();
        if kind.role_of(action.kind()).is_none() {
            return Err(TransitionError::ActionNotOffered {
                kind,
                action: action.kind(),
            });
        }
        if by == Actor::Automatic && kind.automatic_action().as_ref() != Some(&action) {
            return Err(TransitionError::NotAutomatic {
                kind,
                action: action.kind(),
            });
        }
        Ok(self.with_state(EventState::Resolved {
            at_ms,
            resolution: Resolution::Action { action, by },
        }))
    }

    /// Open → resolved because a later sync no longer found the discrepancy.
    pub fn no_longer_found(&self, at_ms: i64) -> Result<Event, TransitionError> {
        self.require_open()?;
        Ok(self.with_state(EventState::Resolved {
            at_ms,
            resolution: Resolution::NoLongerFound,
        }))
    }

    fn require_open(&self) -> Result<(), TransitionError> {
        if self.is_open() {
            Ok(())
        } else {
            Err(TransitionError::NotOpen)
        }
    }

    fn with_state(&self, state: EventState) -> Event {
        Event {
            state,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_references_keep_the_values_people_have_seen() {
        // The values the binaries printed before the reference moved here: a reference a
        // person noted keeps naming the same event.
        let a = EventId::new(EventKind::SourceDeleted, SiteUid::new("s1"), None);
        let b = EventId::new(
            EventKind::DestinationMoved,
            SiteUid::new("site-7"),
            Some(CompanyId::new("c-42")),
        );
        assert_eq!(a.short_ref(), "52dd3c41");
        assert_eq!(b.short_ref(), "7679ed8d");
        let c = EventId::new(EventKind::SourceDeleted, SiteUid::new("s2"), None);
        assert_ne!(a.short_ref(), c.short_ref());
    }

    #[test]
    fn kinds_read_as_typed() {
        assert_eq!(
            EventKind::DestinationCreation.to_string(),
            "destination-creation"
        );
        assert_eq!(
            EventKind::PrefixBasedAssociationMissing.as_str(),
            "prefix-based-association-missing"
        );
    }
}
