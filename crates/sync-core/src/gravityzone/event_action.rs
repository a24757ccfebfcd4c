//! What can be done about each kind of event: its primary and secondary actions and the one the
//! sync may run by itself.

use serde::{Deserialize, Serialize};

use super::event::EventKind;

/// A choice that resolves an event, with what the user supplied for it.
///
/// Which kind offers which action, and in which role, is [`EventKind::offered_actions`]: the
/// source document's events table, plus the project's extra actions. Ignoring is not an action
/// here but a state change ([`Event::ignore`](super::event::Event::ignore)); it is listed as
/// every kind's secondary action ([`EventActionKind::Ignore`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventAction {
    /// Destination creation (primary): create the company under a name the user gives, and
    /// associate it (company, installation package, `GravityZonePackageLink`).
    CreateWithCustomName {
        /// The user's name for the company.
        name: String,
    },
    /// Destination creation (project extra): exclude the site from automatic sync.
    ExcludeSite,
    /// Destination moved (primary, automatic): move the company back under the parent the
    /// association remembers.
    MoveBack,
    /// Source deleted (primary): keep the company and delete the association. Destination
    /// moved / destination deleted (project extra): delete the association.
    DeleteAssociation,
    /// Destination deleted (primary, automatic with `None`): recreate the company and associate
    /// it. `None` names it exactly like the Datto RMM site (no prefix); `Some` is a user's
    /// name.
    CreateNewCompany {
        /// A user's name, or `None` for the site's name.
        name: Option<String>,
    },
    /// Association missing / prefix-based association missing (primary, automatic): associate
    /// the site with the company found.
    Associate,
    /// Association missing (primary): rename the existing company to `"<prefix> <its name>"`,
    /// create a new company with its previous name and associate the site with the new one.
    RenameWithPrefixAndCreateNew,
    /// Prefix-based association missing (primary): rename the prefixed company to the site's
    /// name and associate the two.
    RenameToSiteNameAndAssociate,
    /// Source deleted (primary): delete the associated company from GravityZone together with
    /// the association. A company that still holds endpoints is deleted only when `force`.
    DeleteCompanyAndAssociation {
        /// Delete the company even though it still holds endpoints.
        force: bool,
    },
}

/// [`EventAction`] without its parameters: what a menu lists. [`EventActionKind::Ignore`] is
/// the secondary action of every kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventActionKind {
    /// See [`EventAction::CreateWithCustomName`].
    CreateWithCustomName,
    /// See [`EventAction::ExcludeSite`].
    ExcludeSite,
    /// See [`EventAction::MoveBack`].
    MoveBack,
    /// See [`EventAction::DeleteAssociation`].
    DeleteAssociation,
    /// See [`EventAction::CreateNewCompany`].
    CreateNewCompany,
    /// See [`EventAction::Associate`].
    Associate,
    /// See [`EventAction::RenameWithPrefixAndCreateNew`].
    RenameWithPrefixAndCreateNew,
    /// See [`EventAction::RenameToSiteNameAndAssociate`].
    RenameToSiteNameAndAssociate,
    /// See [`EventAction::DeleteCompanyAndAssociation`].
    DeleteCompanyAndAssociation,
    /// Hide this occurrence ([`Event::ignore`](super::event::Event::ignore)): the event comes
    /// back at the next sync while the discrepancy lasts.
    Ignore,
}

/// An action's role for an event kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionRole {
    /// One of the document's primary actions: it handles the event for good.
    Primary,
    /// The document's secondary action, always *Ignore*: it hides this occurrence only.
    Secondary,
    /// An action the project adds beyond the document. Never primary, never secondary, never
    /// run automatically.
    Extra,
}

/// One action an event kind offers, with its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfferedAction {
    /// The action.
    pub action: EventActionKind,
    /// Primary, secondary or extra.
    pub role: ActionRole,
}

const fn primary(action: EventActionKind) -> OfferedAction {
    OfferedAction {
        action,
        role: ActionRole::Primary,
    }
}

const IGNORE: OfferedAction = OfferedAction {
    action: EventActionKind::Ignore,
    role: ActionRole::Secondary,
};

const fn extra(action: EventActionKind) -> OfferedAction {
    OfferedAction {
        action,
        role: ActionRole::Extra,
    }
}

impl EventAction {
    /// The action without its parameters.
    pub fn kind(&self) -> EventActionKind {
        match self {
            EventAction::CreateWithCustomName { .. } => EventActionKind::CreateWithCustomName,
            EventAction::ExcludeSite => EventActionKind::ExcludeSite,
            EventAction::MoveBack => EventActionKind::MoveBack,
            EventAction::DeleteAssociation => EventActionKind::DeleteAssociation,
            EventAction::CreateNewCompany { .. } => EventActionKind::CreateNewCompany,
            EventAction::Associate => EventActionKind::Associate,
            EventAction::RenameWithPrefixAndCreateNew => {
                EventActionKind::RenameWithPrefixAndCreateNew
            }
            EventAction::RenameToSiteNameAndAssociate => {
                EventActionKind::RenameToSiteNameAndAssociate
            }
            EventAction::DeleteCompanyAndAssociation { .. } => {
                EventActionKind::DeleteCompanyAndAssociation
            }
        }
    }
}

impl EventActionKind {
    /// The action's name on the command line and in JSON (`snake_case` with dashes).
    pub fn as_str(self) -> &'static str {
        match self {
            EventActionKind::CreateWithCustomName => "create-with-custom-name",
            EventActionKind::ExcludeSite => "exclude-site",
            EventActionKind::MoveBack => "move-back",
            EventActionKind::DeleteAssociation => "delete-association",
            EventActionKind::CreateNewCompany => "create-new-company",
            EventActionKind::Associate => "associate",
            EventActionKind::RenameWithPrefixAndCreateNew => "rename-with-prefix-and-create-new",
            EventActionKind::RenameToSiteNameAndAssociate => "rename-to-site-name-and-associate",
            EventActionKind::DeleteCompanyAndAssociation => "delete-company-and-association",
            EventActionKind::Ignore => "ignore",
        }
    }
}

impl EventKind {
    /// The actions this kind of event offers: the document's primary actions first, then its
    /// secondary action *Ignore*, then the project's extra actions.
    ///
    /// ```
    /// use sync_core::gravityzone::{ActionRole, EventActionKind, EventKind};
    ///
    /// let offered = EventKind::SourceDeleted.offered_actions();
    /// assert_eq!(offered[0].action, EventActionKind::DeleteCompanyAndAssociation);
    /// assert_eq!(offered[1].action, EventActionKind::DeleteAssociation);
    /// assert_eq!((offered[2].action, offered[2].role), (EventActionKind::Ignore, ActionRole::Secondary));
    /// assert_eq!(EventKind::SourceDeleted.automatic_action(), None);
    /// ```
    pub fn offered_actions(self) -> &'static [OfferedAction] {
        use EventActionKind as A;
        const DESTINATION_CREATION: [OfferedAction; 3] = [
            primary(A::CreateWithCustomName),
            IGNORE,
            extra(A::ExcludeSite),
        ];
        const DESTINATION_MOVED: [OfferedAction; 3] =
            [primary(A::MoveBack), IGNORE, extra(A::DeleteAssociation)];
        const DESTINATION_DELETED: [OfferedAction; 3] = [
            primary(A::CreateNewCompany),
            IGNORE,
            extra(A::DeleteAssociation),
        ];
        const ASSOCIATION_MISSING: [OfferedAction; 3] = [
            primary(A::Associate),
            primary(A::RenameWithPrefixAndCreateNew),
            IGNORE,
        ];
        const PREFIX_BASED_ASSOCIATION_MISSING: [OfferedAction; 3] = [
            primary(A::Associate),
            primary(A::RenameToSiteNameAndAssociate),
            IGNORE,
        ];
        const SOURCE_DELETED: [OfferedAction; 3] = [
            primary(A::DeleteCompanyAndAssociation),
            primary(A::DeleteAssociation),
            IGNORE,
        ];
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
    /// with automatic handling: exactly the document's automatic-actions table. Destination
    /// creation and source deleted have none.
    pub fn automatic_action(self) -> Option<EventAction> {
        match self {
            EventKind::DestinationMoved => Some(EventAction::MoveBack),
            EventKind::DestinationDeleted => Some(EventAction::CreateNewCompany { name: None }),
            EventKind::AssociationMissing | EventKind::PrefixBasedAssociationMissing => {
                Some(EventAction::Associate)
            }
            EventKind::DestinationCreation | EventKind::SourceDeleted => None,
        }
    }

    /// The events page's *Type* column: which side of the integration the discrepancy is on.
    pub fn subject(self) -> EventSubject {
        match self {
            EventKind::DestinationCreation
            | EventKind::DestinationMoved
            | EventKind::DestinationDeleted => EventSubject::Destination,
            EventKind::AssociationMissing | EventKind::PrefixBasedAssociationMissing => {
                EventSubject::Association
            }
            EventKind::SourceDeleted => EventSubject::Source,
        }
    }

    /// The kind's name as the document writes it (`"Destination moved"`).
    pub fn title(self) -> &'static str {
        match self {
            EventKind::DestinationCreation => "Destination creation",
            EventKind::DestinationMoved => "Destination moved",
            EventKind::DestinationDeleted => "Destination deleted",
            EventKind::AssociationMissing => "Association missing",
            EventKind::PrefixBasedAssociationMissing => "Prefix-based association missing",
            EventKind::SourceDeleted => "Source deleted",
        }
    }
}

/// The events page's *Type* column: the side of the integration an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventSubject {
    /// The Datto RMM site (the source).
    Source,
    /// The GravityZone company (the destination).
    Destination,
    /// The association between the two.
    Association,
}

impl EventSubject {
    /// `"source"`, `"destination"` or `"association"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventSubject::Source => "source",
            EventSubject::Destination => "destination",
            EventSubject::Association => "association",
        }
    }
}
