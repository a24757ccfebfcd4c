//! Turning an event and the action chosen for it into concrete actions.

use super::action::{Action, CompanyRef, association_actions};
use super::event::{Event, EventId, TransitionError};
use super::event_action::EventAction;
use super::ids::{CompanyId, SiteUid, label};
use super::name::{NameError, custom_company_name, same_name};
use super::prefix::{plain_name, prefixed_name};
use super::settings::Settings;
use super::snapshot::{Company, InventorySnapshot, Site};
use super::state::StoredState;
use super::world::World;

/// Why an action chosen for an event cannot be carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The event is not open, or does not offer this action.
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// The site is gone, OnDemand, a system site or excluded.
    #[error(
        "{} cannot be synced (gone, OnDemand, a system site or excluded)",
        label("site", site, name)
    )]
    SiteUnavailable {
        /// The site.
        site: SiteUid,
        /// Its name, when known (from the inventory, else as the event remembers it).
        name: Option<String>,
    },
    /// The site already has a company that exists.
    #[error(
        "{} is already associated with {}",
        label("site", site, site_name),
        label("company", company, company_name)
    )]
    SiteAlreadyAssociated {
        /// The site.
        site: SiteUid,
        /// Its name, when known.
        site_name: Option<String>,
        /// Its company.
        company: CompanyId,
        /// The company's name, when known.
        company_name: Option<String>,
    },
    /// The event names no company, or the company no longer exists.
    #[error("the event's company no longer exists")]
    CompanyUnavailable,
    /// The company is outside the partner's subtree, or serves another site.
    #[error(
        "{} is not free (outside the partner's companies, or associated with another site)",
        label("company", company, name)
    )]
    CompanyNotFree {
        /// The company.
        company: CompanyId,
        /// Its name.
        name: Option<String>,
    },
    /// The association the action is about no longer exists.
    #[error(
        "{} is no longer associated with {}",
        label("site", site, site_name),
        label("company", company, company_name)
    )]
    AssociationNotFound {
        /// The site.
        site: SiteUid,
        /// Its name, when known.
        site_name: Option<String>,
        /// The company.
        company: CompanyId,
        /// Its name, when known.
        company_name: Option<String>,
    },
    /// The site's name is blank, so no company name can be made from it.
    #[error("the site's name is blank")]
    BlankSiteName,
    /// A company of that name already exists, or GravityZone refused it before.
    #[error("the name {0:?} is already taken")]
    NameTaken(String),
    /// The name the user typed is not a valid company name.
    #[error(transparent)]
    InvalidName(#[from] NameError),
    /// The action renames a company with the prefix, but no prefix is set.
    #[error("no prefix is set")]
    PrefixNotSet,
    /// The company still holds endpoints: deleting it needs `force`.
    #[error("company {name:?} still holds {count} endpoint(s); force the deletion to delete it")]
    CompanyHasEndpoints {
        /// The company.
        company: CompanyId,
        /// Its name, as the message says it.
        name: String,
        /// How many endpoints it holds.
        count: u64,
    },
    /// How many endpoints the company holds is not known, so it is not deleted.
    #[error("the number of endpoints of company {name:?} is not known")]
    EndpointCountUnknown {
        /// The company.
        company: CompanyId,
        /// Its name, as the message says it.
        name: String,
    },
}

/// The concrete actions that carry out `action` for `event`, given the current inventories and
/// stored state. Nothing changes until the engine runs them; afterwards it marks the event
/// resolved with [`Event::resolve`].
///
/// The event must be open and offer the action (see
/// [`EventKind::offered_actions`](super::event::EventKind::offered_actions)).
pub fn resolve(
    event: &Event,
    action: &EventAction,
    snapshot: &InventorySnapshot,
    state: &StoredState,
    settings: &Settings,
) -> Result<Vec<Action>, ResolveError> {
    if !event.is_open() {
        return Err(TransitionError::NotOpen.into());
    }
    let world = World::new(snapshot, state);
    actions_for(&event.id, action, &world, settings).map_err(|e| e.named_as(event))
}

impl ResolveError {
    /// The error with the names `event` remembers for its site and company where the
    /// inventories know none (a deleted site, a deleted company).
    fn named_as(mut self, event: &Event) -> Self {
        let fill = |name: &mut Option<String>, known: &Option<String>| {
            if name.is_none() {
                name.clone_from(known);
            }
        };
        let company_name = |company: &CompanyId| {
            (event.id.company.as_ref() == Some(company))
                .then(|| event.company_name.clone())
                .flatten()
        };
        match &mut self {
            ResolveError::SiteUnavailable { site, name } if *site == event.id.site => {
                fill(name, &event.site_name);
            }
            ResolveError::SiteAlreadyAssociated {
                site,
                site_name,
                company,
                company_name: name,
            }
            | ResolveError::AssociationNotFound {
                site,
                site_name,
                company,
                company_name: name,
            } => {
                if *site == event.id.site {
                    fill(site_name, &event.site_name);
                }
                fill(name, &company_name(company));
            }
            ResolveError::CompanyNotFree { company, name } => fill(name, &company_name(company)),
            _ => {}
        }
        self
    }
}

fn site_name(world: &World, site: &SiteUid) -> Option<String> {
    world.site(site).map(|s| s.name.clone())
}

/// The company's name, or the name its association remembers for a company deleted since.
fn company_name(world: &World, company: &CompanyId) -> Option<String> {
    world.company_name(company)
}

/// The site already associated with `current` (a company that exists).
fn already_associated(world: &World, site: &SiteUid, current: &CompanyId) -> ResolveError {
    ResolveError::SiteAlreadyAssociated {
        site: site.clone(),
        site_name: site_name(world, site),
        company: current.clone(),
        company_name: company_name(world, current),
    }
}

/// The concrete actions for `action` on the event `id`, against `world`. The planner calls this
/// for automatic actions on its working copy.
pub(crate) fn actions_for(
    id: &EventId,
    action: &EventAction,
    world: &World,
    settings: &Settings,
) -> Result<Vec<Action>, ResolveError> {
    let kind = id.kind;
    if kind.role_of(action.kind()).is_none() {
        return Err(TransitionError::ActionNotOffered {
            kind,
            action: action.kind(),
        }
        .into());
    }
    let site = &id.site;
    match action {
        EventAction::CreateWithCustomName { name } => {
            let name = free_custom_name(world, name, None)?;
            create_and_associate(world, site, name, settings)
        }
        EventAction::CreateNewCompany { name: Some(name) } => {
            let name = free_custom_name(world, name, None)?;
            create_and_associate(world, site, name, settings)
        }
        EventAction::CreateNewCompany { name: None } => {
            // The document: "recreate the company with the same name as the Datto site".
            let site_name = actionable_site(world, site)?.name.clone();
            let name = plain_name(&site_name).ok_or(ResolveError::BlankSiteName)?;
            if world.is_name_taken(&name) {
                return Err(ResolveError::NameTaken(name));
            }
            create_and_associate(world, site, name, settings)
        }
        EventAction::ExcludeSite => {
            let mut actions: Vec<Action> = world
                .companies_of(site)
                .into_iter()
                .map(|company| Action::DeleteAssociation {
                    site: site.clone(),
                    company,
                })
                .collect();
            if !world.is_excluded(site) {
                actions.push(Action::Exclude { site: site.clone() });
            }
            Ok(actions)
        }
        EventAction::MoveBack => {
            let company = existing_company(world, id)?;
            let parent = world.remembered_parent(site, &company.id);
            if company.parent == parent {
                return Ok(Vec::new());
            }
            Ok(vec![Action::MoveCompany {
                company: company.id.clone(),
                parent,
            }])
        }
        EventAction::DeleteAssociation => {
            let company = associated_company(world, id)?;
            Ok(vec![Action::DeleteAssociation {
                site: site.clone(),
                company,
            }])
        }
        EventAction::DeleteCompanyAndAssociation { force } => {
            let company = associated_company(world, id)?;
            let mut actions = vec![Action::DeleteAssociation {
                site: site.clone(),
                company: company.clone(),
            }];
            if let Some(found) = world.company(&company) {
                let name = found.name.clone();
                let endpoints = match (world.endpoint_count(&company), force) {
                    (Some(0), _) => 0,
                    (Some(count), true) => count,
                    (Some(count), false) => {
                        return Err(ResolveError::CompanyHasEndpoints {
                            company,
                            name,
                            count,
                        });
                    }
                    (None, _) => {
                        return Err(ResolveError::EndpointCountUnknown { company, name });
                    }
                };
                actions.push(Action::DeleteCompany { company, endpoints });
            }
            Ok(actions)
        }
        EventAction::Associate => {
            let company = free_company(world, id)?;
            let found = actionable_site(world, site)?;
            if let Some(current) = world.company_of(site) {
                return Err(already_associated(world, site, current));
            }
            Ok(association_actions(
                found,
                CompanyRef::existing(company.id.clone()),
                &company.parent,
                &company.name,
                &settings.package,
            ))
        }
        EventAction::RenameWithPrefixAndCreateNew => {
            let company = free_company(world, id)?;
            if settings.prefix.prefix().is_none() {
                return Err(ResolveError::PrefixNotSet);
            }
            let new_name = prefixed_name(&settings.prefix, &company.name)
                .ok_or(ResolveError::InvalidName(NameError::Empty))?;
            rename_and_create(world, site, company, new_name, settings)
        }
        EventAction::RenameToSiteNameAndAssociate => {
            let company = free_company(world, id)?;
            let found = actionable_site(world, site)?;
            let new_name = plain_name(&found.name).ok_or(ResolveError::BlankSiteName)?;
            if world.is_name_taken(&new_name) && !same_name(&new_name, &company.name) {
                return Err(ResolveError::NameTaken(new_name));
            }
            if let Some(current) = world.company_of(site) {
                return Err(already_associated(world, site, current));
            }
            let mut actions = vec![Action::RenameCompany {
                company: company.id.clone(),
                name: new_name.clone(),
            }];
            actions.extend(association_actions(
                found,
                CompanyRef::existing(company.id.clone()),
                &company.parent,
                &new_name,
                &settings.package,
            ));
            Ok(actions)
        }
    }
}

/// The company of the event's association, which must still be stored.
fn associated_company(world: &World, id: &EventId) -> Result<CompanyId, ResolveError> {
    let company = id.company.clone().ok_or(ResolveError::CompanyUnavailable)?;
    if !world.has_association(&id.site, &company) {
        return Err(ResolveError::AssociationNotFound {
            site_name: site_name(world, &id.site),
            site: id.site.clone(),
            company_name: company_name(world, &company),
            company,
        });
    }
    Ok(company)
}

/// The site, if the sync may act on it.
fn actionable_site<'w>(world: &'w World, site: &SiteUid) -> Result<&'w Site, ResolveError> {
    match world.site(site) {
        Some(found) if world.is_actionable(site) => Ok(found),
        _ => Err(ResolveError::SiteUnavailable {
            site: site.clone(),
            name: site_name(world, site),
        }),
    }
}

fn existing_company<'w>(world: &'w World, id: &EventId) -> Result<&'w Company, ResolveError> {
    id.company
        .as_ref()
        .and_then(|company| world.company(company))
        .ok_or(ResolveError::CompanyUnavailable)
}

fn free_company<'w>(world: &'w World, id: &EventId) -> Result<&'w Company, ResolveError> {
    let company = existing_company(world, id)?;
    if world.is_free(company) {
        Ok(company)
    } else {
        Err(ResolveError::CompanyNotFree {
            company: company.id.clone(),
            name: Some(company.name.clone()),
        })
    }
}

/// A user's name, checked and free among the known companies (other than `except`). A name
/// GravityZone refused before may be tried again: the user may know it has been freed.
fn free_custom_name(
    world: &World,
    name: &str,
    except: Option<&CompanyId>,
) -> Result<String, ResolveError> {
    let name = custom_company_name(name)?;
    if world.company_has_name(&name, except) {
        return Err(ResolveError::NameTaken(name));
    }
    Ok(name)
}

/// Creates a company called `name` for `site` and associates them, deleting first the site's
/// associations with companies that no longer exist.
fn create_and_associate(
    world: &World,
    site: &SiteUid,
    name: String,
    settings: &Settings,
) -> Result<Vec<Action>, ResolveError> {
    let found = actionable_site(world, site)?;
    let current = world.companies_of(site);
    if let Some(existing) = current.iter().find(|c| world.company(c).is_some()) {
        return Err(already_associated(world, site, existing));
    }
    let mut actions: Vec<Action> = current
        .into_iter()
        .map(|company| Action::DeleteAssociation {
            site: site.clone(),
            company,
        })
        .collect();
    actions.push(Action::CreateCompany {
        name: name.clone(),
        parent: world.root.clone(),
    });
    actions.extend(association_actions(
        found,
        CompanyRef::created(name.clone()),
        &world.root,
        &name,
        &settings.package,
    ));
    Ok(actions)
}

/// Renames the free `company` to `new_name`, creates a company with its old name and associates
/// `site` with the new one.
fn rename_and_create(
    world: &World,
    site: &SiteUid,
    company: &Company,
    new_name: String,
    settings: &Settings,
) -> Result<Vec<Action>, ResolveError> {
    let found = actionable_site(world, site)?;
    let old_name = company.name.trim().to_owned();
    if same_name(&new_name, &old_name) || world.is_name_taken(&new_name) {
        return Err(ResolveError::NameTaken(new_name));
    }
    if world.company_has_name(&old_name, Some(&company.id)) {
        return Err(ResolveError::NameTaken(old_name));
    }
    if let Some(current) = world.company_of(site) {
        return Err(already_associated(world, site, current));
    }
    let mut actions = vec![
        Action::RenameCompany {
            company: company.id.clone(),
            name: new_name,
        },
        Action::CreateCompany {
            name: old_name.clone(),
            parent: company.parent.clone(),
        },
    ];
    actions.extend(association_actions(
        found,
        CompanyRef::created(old_name.clone()),
        &company.parent,
        &old_name,
        &settings.package,
    ));
    Ok(actions)
}
