//! Words for the GravityZone flow's decisions, shared by `gravityzone-sync` and the demo:
//! event actions as people type them, and one line per planned vendor action.

use std::collections::BTreeMap;

use sync_core::gravityzone::{
    Action, CompanyId, CompanyRef, EventAction, EventActionKind, SiteUid,
};

/// Every event action `resolve` runs, as typed on the command line (ignoring is the
/// `ignore` command).
pub const ACTION_NAMES: &[(&str, EventActionKind)] = &[
    (
        "create-with-custom-name",
        EventActionKind::CreateWithCustomName,
    ),
    ("move-back", EventActionKind::MoveBack),
    ("create-new-company", EventActionKind::CreateNewCompany),
    ("associate", EventActionKind::Associate),
    (
        "rename-with-prefix-and-create-new",
        EventActionKind::RenameWithPrefixAndCreateNew,
    ),
    (
        "rename-to-site-name-and-associate",
        EventActionKind::RenameToSiteNameAndAssociate,
    ),
    (
        "delete-company-and-association",
        EventActionKind::DeleteCompanyAndAssociation,
    ),
    ("delete-association", EventActionKind::DeleteAssociation),
    ("exclude-site", EventActionKind::ExcludeSite),
];

/// An event action kind as typed: `move-back`.
pub fn action_kind(kind: EventActionKind) -> &'static str {
    kind.as_str()
}

/// Why an action name or its `--name` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActionArgError {
    /// Not one of [`ACTION_NAMES`].
    #[error("unknown action {0:?}; one of: {list}", list = ACTION_NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "))]
    Unknown(String),
    /// The action needs `--name`.
    #[error("the action {0} needs --name <NAME>")]
    NameRequired(&'static str),
    /// The action takes no `--name`.
    #[error("the action {0} takes no --name")]
    NameNotTaken(&'static str),
    /// Only delete-company-and-association takes `--force`.
    #[error("the action {0} takes no --force")]
    ForceNotTaken(&'static str),
}

/// The event action for a typed name, an optional `--name` and `--force` (deleting a company
/// that still holds endpoints).
pub fn event_action(
    name: &str,
    custom: Option<&str>,
    force: bool,
) -> Result<EventAction, ActionArgError> {
    let (typed, kind) = ACTION_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .copied()
        .ok_or_else(|| ActionArgError::Unknown(name.to_owned()))?;
    let custom = custom.map(str::trim).filter(|n| !n.is_empty());
    let needs = |custom: Option<&str>| {
        custom
            .map(str::to_owned)
            .ok_or(ActionArgError::NameRequired(typed))
    };
    let none = |action: EventAction| match custom {
        Some(_) => Err(ActionArgError::NameNotTaken(typed)),
        None => Ok(action),
    };
    if force && kind != EventActionKind::DeleteCompanyAndAssociation {
        return Err(ActionArgError::ForceNotTaken(typed));
    }
    match kind {
        EventActionKind::CreateWithCustomName => Ok(EventAction::CreateWithCustomName {
            name: needs(custom)?,
        }),
        EventActionKind::CreateNewCompany => Ok(EventAction::CreateNewCompany {
            name: custom.map(str::to_owned),
        }),
        EventActionKind::DeleteCompanyAndAssociation => {
            none(EventAction::DeleteCompanyAndAssociation { force })
        }
        EventActionKind::ExcludeSite => none(EventAction::ExcludeSite),
        EventActionKind::MoveBack => none(EventAction::MoveBack),
        EventActionKind::DeleteAssociation => none(EventAction::DeleteAssociation),
        EventActionKind::Associate => none(EventAction::Associate),
        EventActionKind::RenameWithPrefixAndCreateNew => {
            none(EventAction::RenameWithPrefixAndCreateNew)
        }
        EventActionKind::RenameToSiteNameAndAssociate => {
            none(EventAction::RenameToSiteNameAndAssociate)
        }
        _ => Err(ActionArgError::Unknown(name.to_owned())),
    }
}

/// Names to print instead of ids, where known.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Site names by uid.
    pub sites: BTreeMap<String, String>,
    /// Company names by id.
    pub companies: BTreeMap<String, String>,
    /// The partner's root company, when known.
    pub root: Option<CompanyId>,
}

impl Names {
    /// The site's name, else its uid.
    pub fn site(&self, site: &SiteUid) -> String {
        self.sites
            .get(site.as_str())
            .map(|n| format!("site {n:?}"))
            .unwrap_or_else(|| format!("site {site}"))
    }

    /// The company's name, else its id.
    pub fn company(&self, company: &CompanyId) -> String {
        if self.root.as_ref() == Some(company) {
            return "the partner company".to_owned();
        }
        self.companies
            .get(company.as_str())
            .map(|n| format!("company {n:?}"))
            .unwrap_or_else(|| format!("company {company}"))
    }

    fn company_ref(&self, company: &CompanyRef) -> String {
        match company {
            CompanyRef::Existing { id } => self.company(id),
            CompanyRef::Created { name } => format!("new company {name:?}"),
            _ => "a company".to_owned(),
        }
    }

    /// One line saying what a vendor or store action does.
    pub fn action(&self, action: &Action) -> String {
        match action {
            Action::CreateCompany { name, parent } => {
                format!("create company {name:?} under {}", self.company(parent))
            }
            Action::RenameCompany { company, name } => {
                format!("rename {} to {name:?}", self.company(company))
            }
            Action::MoveCompany { company, parent } => {
                format!(
                    "move {} under {}",
                    self.company(company),
                    self.company(parent)
                )
            }
            Action::Associate { site, company, .. } => {
                format!(
                    "associate {} with {}",
                    self.site(site),
                    self.company_ref(company)
                )
            }
            Action::CreatePackage { company, name, .. } => format!(
                "create installation package {name:?} in {}",
                self.company_ref(company)
            ),
            Action::WritePackageLink {
                site, package_name, ..
            } => format!(
                "write the installation link of {package_name:?} to {}'s variable GravityZonePackageLink",
                self.site(site)
            ),
            Action::DeleteAssociation { site, company } => format!(
                "delete the association of {} with {}",
                self.site(site),
                self.company(company)
            ),
            Action::DeleteCompany { company, endpoints } => format!(
                "delete {} from GravityZone (it holds {endpoints} endpoint(s))",
                self.company(company)
            ),
            Action::Exclude { site } => format!("exclude {}", self.site(site)),
            Action::RemoveExclusion { site } => {
                format!("take back the exclusion of {}", self.site(site))
            }
            _ => format!("{action:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_name_parses_back_to_its_kind() {
        for (name, kind) in ACTION_NAMES {
            let custom = match kind {
                EventActionKind::CreateWithCustomName => Some("Acme Two"),
                _ => None,
            };
            let action = event_action(name, custom, false).unwrap();
            assert_eq!(action.kind(), *kind);
            assert_eq!(action_kind(*kind), *name);
        }
    }

    #[test]
    fn a_custom_name_is_required_where_the_action_takes_one() {
        assert_eq!(
            event_action("create-with-custom-name", None, false),
            Err(ActionArgError::NameRequired("create-with-custom-name"))
        );
        assert_eq!(
            event_action("associate", Some("x"), false),
            Err(ActionArgError::NameNotTaken("associate"))
        );
        assert!(matches!(
            event_action("explode", None, false),
            Err(ActionArgError::Unknown(_))
        ));
    }

    #[test]
    fn only_deleting_the_company_takes_force() {
        assert_eq!(
            event_action("delete-company-and-association", None, true),
            Ok(EventAction::DeleteCompanyAndAssociation { force: true })
        );
        assert_eq!(
            event_action("associate", None, true),
            Err(ActionArgError::ForceNotTaken("associate"))
        );
    }

    #[test]
    fn create_new_company_takes_an_optional_name() {
        assert_eq!(
            event_action("create-new-company", None, false),
            Ok(EventAction::CreateNewCompany { name: None })
        );
        assert_eq!(
            event_action("create-new-company", Some("Acme 2"), false),
            Ok(EventAction::CreateNewCompany {
                name: Some("Acme 2".into())
            })
        );
    }
}
