//! What can be done about each kind of event: its primary and secondary actions and the one the
//! sync may run by itself.

use serde::{Deserialize, Serialize};

use super::event::EventKind;

/// A choice that resolves an event, with what the user supplied for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventAction {
    /// Destination creation: create the company under a name the user gives, and associate it.
    CreateWithCustomName {
        /// The user's name for the company.
        name: String,
    },
    /// Destination creation: exclude the site from automatic sync.
    ExcludeSite,
    /// Destination moved: move the company back under the partner's root company.
    MoveBackUnderRoot,
    /// Destination moved / destination deleted / source deleted: delete the association.
    DeleteAssociation,
    /// Destination deleted: create a new company and associate it. `None` names it after the
    /// site, with the prefix rules; `Some` is a user's name.
    CreateNewCompany {
        /// A user's name, or `None` for the site's name with the prefix rules.
        name: Option<String>,
    },
    /// Association missing / prefix-based association missing: associate the site with the
    /// company found.
    Associate,
    /// Association missing: rename the existing company to `"<prefix> <its name>"`, create a new
    /// company with its old name and associate the site with the new one.
    RenameWithPrefixAndCreateNew,
    /// Prefix-based association missing: rename the existing (prefixed) company to a name the
    /// user gives, create a new company with the prefixed name and associate the site with it.
    RenameAndCreateNew {
        /// The user's new name for the existing company.
        name: String,
    },
}

/// [`EventAction`] without its parameters: what a menu lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventActionKind {
    /// See [`EventAction::CreateWithCustomName`].
    CreateWithCustomName,
    /// See [`EventAction::ExcludeSite`].
    ExcludeSite,
    /// See [`EventAction::MoveBackUnderRoot`].
    MoveBackUnderRoot,
    /// See [`EventAction::DeleteAssociation`].
    DeleteAssociation,
    /// See [`EventAction::CreateNewCompany`].
    CreateNewCompany,
    /// See [`EventAction::Associate`].
    Associate,
    /// See [`EventAction::RenameWithPrefixAndCreateNew`].
    RenameWithPrefixAndCreateNew,
    /// See [`EventAction::RenameAndCreateNew`].
    RenameAndCreateNew,
}

/// Whether an action is an event kind's primary or its secondary way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionRole {
    /// The action the event is there for.
    Primary,
    /// The alternative.
    Secondary,
}

/// One action an event kind offers, with its role. Every event can also be ignored, which is
/// not an action but a state change ([`Event::ignore`](super::event::Event::ignore)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfferedAction {
    /// The action.
    pub action: EventActionKind,
    /// Primary or secondary.
    pub role: ActionRole,
}

const fn primary(action: EventActionKind) -> OfferedAction {
    OfferedAction {
        action,
        role: ActionRole::Primary,
    }
}

const fn secondary(action: EventActionKind) -> OfferedAction {
    OfferedAction {
        action,
        role: ActionRole::Secondary,
    }
}

impl EventAction {
    /// The action without its parameters.
    pub fn kind(&self) -> EventActionKind {
        match self {
            EventAction::CreateWithCustomName { .. } => EventActionKind::CreateWithCustomName,
            EventAction::ExcludeSite => EventActionKind::ExcludeSite,
            EventAction::MoveBackUnderRoot => EventActionKind::MoveBackUnderRoot,
            EventAction::DeleteAssociation => EventActionKind::DeleteAssociation,
            EventAction::CreateNewCompany { .. } => EventActionKind::CreateNewCompany,
            EventAction::Associate => EventActionKind::Associate,
            EventAction::RenameWithPrefixAndCreateNew => {
                EventActionKind::RenameWithPrefixAndCreateNew
            }
            EventAction::RenameAndCreateNew { .. } => EventActionKind::RenameAndCreateNew,
        }
    }
}

impl EventKind {
    /// The actions this kind of event offers, primary first.
    pub fn offered_actions(self) -> &'static [OfferedAction] {
        use EventActionKind as A;
        const DESTINATION_CREATION: [OfferedAction; 2] =
            [primary(A::CreateWithCustomName), secondary(A::ExcludeSite)];
        const DESTINATION_MOVED: [OfferedAction; 2] = [
            primary(A::MoveBackUnderRoot),
            secondary(A::DeleteAssociation),
        ];
        const DESTINATION_DELETED: [OfferedAction; 2] = [
            primary(A::CreateNewCompany),
            secondary(A::DeleteAssociation),
        ];
        const ASSOCIATION_MISSING: [OfferedAction; 2] = [
            primary(A::Associate),
            secondary(A::RenameWithPrefixAndCreateNew),
        ];
        const PREFIX_BASED_ASSOCIATION_MISSING: [OfferedAction; 2] =
            [primary(A::Associate), secondary(A::RenameAndCreateNew)];
        const SOURCE_DELETED: [OfferedAction; 1] = [primary(A::DeleteAssociation)];
        match self {
            EventKind::DestinationCreation => &DESTINATION_CREATION,
            EventKind::DestinationMoved => &DESTINATION_MOVED,
            EventKind::DestinationDeleted => &DESTINATION_DELETED,
            EventKind::AssociationMissing => &ASSOCIATION_MISSING,
            EventKind::PrefixBasedAssociationMissing => &PREFIX_BASED_ASSOCIATION_MISSING,
            EventKind::SourceDeleted => &SOURCE_DELETED,
        }
    }

    /// The role `action` has for this kind, or `None` when this kind does not offer it.
    pub fn role_of(self, action: EventActionKind) -> Option<ActionRole> {
        self.offered_actions()
            .iter()
            .find(|offered| offered.action == action)
            .map(|offered| offered.role)
    }

    /// The action the sync runs by itself for this kind, at a level that handles events and
    /// with automatic handling. Destination creation has none: it needs a user's name.
    pub fn automatic_action(self) -> Option<EventAction> {
        match self {
            EventKind::DestinationCreation => None,
            EventKind::DestinationMoved => Some(EventAction::MoveBackUnderRoot),
            EventKind::DestinationDeleted => Some(EventAction::CreateNewCompany { name: None }),
            EventKind::AssociationMissing | EventKind::PrefixBasedAssociationMissing => {
                Some(EventAction::Associate)
            }
            EventKind::SourceDeleted => Some(EventAction::DeleteAssociation),
        }
    }
}
