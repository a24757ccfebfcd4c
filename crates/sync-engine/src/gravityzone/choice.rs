//! An event action as a person chooses it: its name ([`EventActionKind::as_str`]), an optional
//! company name and whether to force deleting a company that still holds endpoints.

use sync_core::gravityzone::{EventAction, EventActionKind};

use crate::lookup::same_written_name;

/// Every action [`GravityZoneSync::resolve_event`](super::GravityZoneSync::resolve_event)
/// runs, in the order a help text lists them (ignoring is
/// [`ignore_event`](super::GravityZoneSync::ignore_event)).
pub const RESOLVE_ACTIONS: [EventActionKind; 9] = [
    EventActionKind::CreateWithCustomName,
    EventActionKind::MoveBack,
    EventActionKind::CreateNewCompany,
    EventActionKind::Associate,
    EventActionKind::RenameWithPrefixAndCreateNew,
    EventActionKind::RenameToSiteNameAndAssociate,
    EventActionKind::DeleteCompanyAndAssociation,
    EventActionKind::DeleteAssociation,
    EventActionKind::ExcludeSite,
];

/// Why an action name, its company name or `force` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActionChoiceError {
    /// Not the name of one of [`RESOLVE_ACTIONS`].
    #[error(
        "unknown action {0:?}; one of: {list}",
        list = RESOLVE_ACTIONS.map(EventActionKind::as_str).join(", ")
    )]
    Unknown(String),
    /// The action needs a company name.
    #[error("the action {} needs a company name", .0.as_str())]
    NameRequired(EventActionKind),
    /// The action takes no company name.
    #[error("the action {} takes no company name", .0.as_str())]
    NameNotTaken(EventActionKind),
    /// Only deleting the company and the association can be forced.
    #[error("the action {} cannot be forced", .0.as_str())]
    ForceNotTaken(EventActionKind),
}

/// The event action named `name` (in any case, blanks around aside), with the company name
/// `custom` (for create-with-custom-name, required, and create-new-company, optional) and
/// `force` (delete-company-and-association only).
///
/// ```
/// use sync_core::gravityzone::EventAction;
/// use sync_engine::gravityzone::{ActionChoiceError, choose_event_action};
///
/// assert_eq!(choose_event_action(" Move-Back ", None, false), Ok(EventAction::MoveBack));
/// assert_eq!(
///     choose_event_action("create-new-company", Some("Acme 2"), false),
///     Ok(EventAction::CreateNewCompany { name: Some("Acme 2".into()) })
/// );
/// assert!(matches!(
///     choose_event_action("explode", None, false),
///     Err(ActionChoiceError::Unknown(_))
/// ));
/// ```
pub fn choose_event_action(
    name: &str,
    custom: Option<&str>,
    force: bool,
) -> Result<EventAction, ActionChoiceError> {
    let kind = RESOLVE_ACTIONS
        .into_iter()
        .find(|kind| same_written_name(kind.as_str(), name))
        .ok_or_else(|| ActionChoiceError::Unknown(name.to_owned()))?;
    let custom = custom
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if force && kind != EventActionKind::DeleteCompanyAndAssociation {
        return Err(ActionChoiceError::ForceNotTaken(kind));
    }
    let action = match kind {
        EventActionKind::CreateWithCustomName => {
            let name = custom.ok_or(ActionChoiceError::NameRequired(kind))?;
            return Ok(EventAction::CreateWithCustomName { name });
        }
        EventActionKind::CreateNewCompany => {
            return Ok(EventAction::CreateNewCompany { name: custom });
        }
        EventActionKind::DeleteCompanyAndAssociation => {
            EventAction::DeleteCompanyAndAssociation { force }
        }
        EventActionKind::ExcludeSite => EventAction::ExcludeSite,
        EventActionKind::MoveBack => EventAction::MoveBack,
        EventActionKind::DeleteAssociation => EventAction::DeleteAssociation,
        EventActionKind::Associate => EventAction::Associate,
        EventActionKind::RenameWithPrefixAndCreateNew => EventAction::RenameWithPrefixAndCreateNew,
        EventActionKind::RenameToSiteNameAndAssociate => EventAction::RenameToSiteNameAndAssociate,
        _ => return Err(ActionChoiceError::Unknown(name.to_owned())),
    };
    match custom {
        Some(_) => Err(ActionChoiceError::NameNotTaken(kind)),
        None => Ok(action),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_chooses_its_kind() {
        for kind in RESOLVE_ACTIONS {
            let custom = (kind == EventActionKind::CreateWithCustomName).then_some("Acme Two");
            let action = choose_event_action(kind.as_str(), custom, false).unwrap();
            assert_eq!(action.kind(), kind);
            let shouted = kind.as_str().to_uppercase();
            assert_eq!(choose_event_action(&shouted, custom, false), Ok(action));
        }
        assert!(matches!(
            choose_event_action("ignore", None, false),
            Err(ActionChoiceError::Unknown(_))
        ));
    }

    #[test]
    fn a_company_name_is_required_only_where_the_action_takes_one() {
        let needs = EventActionKind::CreateWithCustomName;
        assert_eq!(
            choose_event_action(needs.as_str(), Some("  "), false),
            Err(ActionChoiceError::NameRequired(needs))
        );
        assert_eq!(
            choose_event_action("associate", Some("x"), false),
            Err(ActionChoiceError::NameNotTaken(EventActionKind::Associate))
        );
        assert_eq!(
            choose_event_action("create-new-company", None, false),
            Ok(EventAction::CreateNewCompany { name: None })
        );
    }

    #[test]
    fn only_deleting_the_company_can_be_forced() {
        assert_eq!(
            choose_event_action("delete-company-and-association", None, true),
            Ok(EventAction::DeleteCompanyAndAssociation { force: true })
        );
        let error = choose_event_action("associate", None, true).unwrap_err();
        assert_eq!(error.to_string(), "the action associate cannot be forced");
        let unknown = choose_event_action("explode", None, false).unwrap_err();
        assert!(
            unknown
                .to_string()
                .ends_with("move-back, create-new-company, associate, rename-with-prefix-and-create-new, rename-to-site-name-and-associate, delete-company-and-association, delete-association, exclude-site"),
            "{unknown}"
        );
    }
}
