//! The companies page: every managed site with its association or exclusion, the companies
//! still free, and the validation of a batch of changes into a confirmation list.

use serde::{Deserialize, Serialize};

use super::action::{Action, CompanyRef, association_actions};
use super::apply::ApplyError;
use super::event::EventId;
use super::ids::{CompanyId, SiteUid, label};
use super::name::{name_key, same_name};
use super::prefix::{plain_name, prefixed_name};
use super::settings::{PrefixCreation, Settings};
use super::snapshot::{Company, InventorySnapshot, Site};
use super::state::{PendingCreation, StoredState};
use super::world::World;

/// What the companies page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompaniesPage {
    /// The partner's root company, under which new companies are created.
    pub root: CompanyId,
    /// Every managed site, sorted by name.
    pub sites: Vec<SiteRow>,
    /// Associations whose Datto RMM site no longer exists, under the site's last known name.
    pub deleted_sites: Vec<DeletedSiteRow>,
    /// The companies in the partner's subtree (under the root or a sub-partner) that serve no
    /// site, sorted by name: the valid "existing companies".
    pub free_companies: Vec<Company>,
}

/// One managed site on the companies page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteRow {
    /// The site.
    pub site: Site,
    /// Its association, if any.
    pub association: Option<AssociatedCompany>,
    /// Whether it is excluded from automatic sync.
    pub excluded: bool,
    /// The open events about the site: an association with one is flagged (the document's
    /// exclamation mark).
    pub open_events: Vec<EventId>,
    /// For a site without association: the free company of the same name (or, failing that,
    /// of the prefixed name) proposed for it.
    pub proposal: Option<Proposal>,
}

/// An association whose site was deleted in Datto RMM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedSiteRow {
    /// The deleted site's uid.
    pub site: SiteUid,
    /// Its last known name.
    pub site_name: Option<String>,
    /// The company it was associated with.
    pub association: AssociatedCompany,
    /// The open events about it (source deleted, normally).
    pub open_events: Vec<EventId>,
}

/// The company of the same (or prefixed) name proposed for a site without association.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// The company.
    pub company: Company,
    /// Whether it was found through the prefixed name.
    pub prefixed: bool,
}

/// The company a site is associated with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociatedCompany {
    /// Its id.
    pub id: CompanyId,
    /// Its name; `None` when it no longer exists.
    pub name: Option<String>,
    /// For a company that no longer exists: its name as the association remembers it (when
    /// the association was made or last seen); `None` when the association was stored before
    /// company names were remembered, and the company is then shown by its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_known_name: Option<String>,
}

impl AssociatedCompany {
    /// Its name, else (deleted in GravityZone) the name its association remembers; `None` only
    /// for a deleted company whose association was stored before company names were
    /// remembered.
    pub fn known_name(&self) -> Option<&str> {
        self.name.as_deref().or(self.last_known_name.as_deref())
    }

    fn of(world: &World, site: &SiteUid, company: &CompanyId) -> Self {
        let name = world.company(company).map(|c| c.name.clone());
        let last_known_name = if name.is_none() {
            world
                .association(site, company)
                .and_then(|a| a.company_name.clone())
                .or_else(|| world.company_name(company))
        } else {
            None
        };
        Self {
            id: company.clone(),
            name,
            last_known_name,
        }
    }
}

impl SiteRow {
    /// Whether the row carries the exclamation mark: an open event is about the site.
    pub fn is_flagged(&self) -> bool {
        !self.open_events.is_empty()
    }
}

/// A change a user makes on the companies page.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// Associate the site with an existing free company.
    MapToCompany {
        /// The site.
        site: SiteUid,
        /// The company.
        company: CompanyId,
    },
    /// Create a new company for the site (named by the prefix setting) and associate it.
    CreateCompany {
        /// The site.
        site: SiteUid,
    },
    /// Exclude the site from automatic sync (deleting its association, if it has one).
    Exclude {
        /// The site.
        site: SiteUid,
    },
    /// Take the site's exclusion back.
    Include {
        /// The site.
        site: SiteUid,
    },
    /// Delete the site's association.
    DeleteAssociation {
        /// The site.
        site: SiteUid,
    },
}

/// A change the page accepted, with the concrete actions it entails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmedChange {
    /// The change.
    pub change: Change,
    /// What it does, in order.
    pub actions: Vec<Action>,
}

/// The confirmation list shown before a batch of changes runs as one task.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Confirmation {
    /// The changes, in the user's order.
    pub changes: Vec<ConfirmedChange>,
}

/// A change the page refuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The change's position in the batch.
    pub index: usize,
    /// The change.
    pub change: Change,
    /// Why it is refused.
    pub reason: RefusalReason,
}

/// Why the page refuses a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RefusalReason {
    /// The site does not exist, or is OnDemand or a system site.
    #[error("the site is not a managed Datto RMM site")]
    SiteNotManaged,
    /// The site already has a company.
    #[error(
        "the site is already associated with {}",
        label("company", company, company_name)
    )]
    SiteAlreadyAssociated {
        /// Its company.
        company: CompanyId,
        /// The company's name, when known.
        #[serde(default)]
        company_name: Option<String>,
    },
    /// The company does not exist.
    #[error("the company does not exist")]
    UnknownCompany,
    /// The company is not in the partner's subtree (under the root or one of its
    /// sub-partners).
    #[error("the company is not one of the partner's companies (under it or a sub-partner)")]
    CompanyOutsidePartner,
    /// The company already serves a site (possibly through an earlier change of the batch).
    #[error(
        "the company is already associated with {}",
        label("site", site, site_name)
    )]
    CompanyAlreadyAssociated {
        /// That site.
        site: SiteUid,
        /// Its name, when known (as the association remembers it, for a deleted site).
        #[serde(default)]
        site_name: Option<String>,
    },
    /// A company of the site's name exists: map the site to it instead.
    #[error(
        "a company of the site's name exists: {name:?} ({company}); map the site to it instead"
    )]
    CompanyWithSiteNameExists {
        /// That company.
        company: CompanyId,
        /// Its name.
        name: String,
    },
    /// The new company's (prefixed) name is taken.
    #[error("a company named {name:?} already exists")]
    NameTaken {
        /// The name.
        name: String,
    },
    /// The site's name is blank, so no company name can be made from it.
    #[error("the site's name is blank")]
    BlankSiteName,
    /// The site is already excluded.
    #[error("the site is already excluded")]
    AlreadyExcluded,
    /// The site is not excluded.
    #[error("the site is not excluded")]
    NotExcluded,
    /// The site has no association.
    #[error("the site has no association")]
    NotAssociated,
    /// The change contradicts an earlier change of the batch in a way no rule above names.
    #[error("the change conflicts with an earlier change: {0}")]
    Conflict(String),
}

/// The companies page for these inventories, this stored state and these settings (the
/// prefix, for proposals).
pub fn companies_page(
    snapshot: &InventorySnapshot,
    state: &StoredState,
    settings: &Settings,
) -> CompaniesPage {
    let world = World::new(snapshot, state);
    let open_events = |site: &SiteUid| -> Vec<EventId> {
        let mut ids: Vec<EventId> = state
            .events
            .iter()
            .filter(|e| e.is_open() && &e.id.site == site)
            .map(|e| e.id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let mut sites: Vec<SiteRow> = world
        .sites()
        .filter(|s| s.is_managed())
        .map(|site| {
            let association = world
                .company_of(&site.uid)
                .map(|id| AssociatedCompany::of(&world, &site.uid, id));
            let proposal = if association.is_none() {
                proposal_for(&world, site, settings)
            } else {
                None
            };
            SiteRow {
                association,
                excluded: world.is_excluded(&site.uid),
                open_events: open_events(&site.uid),
                proposal,
                site: site.clone(),
            }
        })
        .collect();
    sites.sort_by_cached_key(|row| (name_key(&row.site.name), row.site.uid.clone()));
    let mut deleted_sites: Vec<DeletedSiteRow> = world
        .associations()
        .into_iter()
        .filter(|a| world.site(&a.site).is_none())
        .map(|a| DeletedSiteRow {
            open_events: open_events(&a.site),
            site_name: a.site_name.clone().or_else(|| {
                state
                    .events
                    .iter()
                    .filter(|e| e.id.site == a.site)
                    .find_map(|e| e.site_name.clone())
            }),
            association: AssociatedCompany::of(&world, &a.site, &a.company),
            site: a.site,
        })
        .collect();
    deleted_sites.sort_by_cached_key(|row| {
        (
            row.site_name.as_deref().map(name_key).unwrap_or_default(),
            row.site.clone(),
        )
    });
    let mut free_companies: Vec<Company> = world
        .companies()
        .filter(|c| world.is_free(c))
        .cloned()
        .collect();
    free_companies.sort_by_cached_key(|c| (name_key(&c.name), c.id.clone()));
    CompaniesPage {
        root: snapshot.root.clone(),
        sites,
        deleted_sites,
        free_companies,
    }
}

/// The free company called like the site, else the one called like the prefixed name (when a
/// prefix is set). Of several, the first by name and id.
fn proposal_for(world: &World, site: &Site, settings: &Settings) -> Option<Proposal> {
    let first_free = |name: Option<String>| -> Option<Company> {
        let name = name?;
        let mut free: Vec<&Company> = world
            .companies_named(&name)
            .filter(|c| world.is_free(c))
            .collect();
        free.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        free.first().map(|c| (*c).clone())
    };
    if let Some(company) = first_free(plain_name(&site.name)) {
        return Some(Proposal {
            company,
            prefixed: false,
        });
    }
    first_free(prefixed_name(&settings.prefix, &site.name)).map(|company| Proposal {
        company,
        prefixed: true,
    })
}

/// Validates a batch of changes, in order, each against the state the earlier ones leave.
/// Returns the confirmation list when every change is accepted, else every refusal.
pub fn validate_changes(
    snapshot: &InventorySnapshot,
    state: &StoredState,
    settings: &Settings,
    changes: &[Change],
) -> Result<Confirmation, Vec<Refusal>> {
    let mut world = World::new(snapshot, state);
    let mut confirmation = Confirmation::default();
    let mut refusals = Vec::new();
    for (index, change) in changes.iter().enumerate() {
        let accepted = actions_for_change(&world, settings, &state.pending_creations, change)
            .and_then(|actions| {
                world
                    .apply(&actions)
                    .map(|()| actions)
                    .map_err(|e: ApplyError| RefusalReason::Conflict(e.to_string()))
            });
        match accepted {
            Ok(actions) => confirmation.changes.push(ConfirmedChange {
                change: change.clone(),
                actions,
            }),
            Err(reason) => refusals.push(Refusal {
                index,
                change: change.clone(),
                reason,
            }),
        }
    }
    if refusals.is_empty() {
        Ok(confirmation)
    } else {
        Err(refusals)
    }
}

fn managed_site<'w>(world: &'w World, site: &SiteUid) -> Result<&'w Site, RefusalReason> {
    world
        .site(site)
        .filter(|s| s.is_managed())
        .ok_or(RefusalReason::SiteNotManaged)
}

fn unassociated(world: &World, site: &SiteUid) -> Result<(), RefusalReason> {
    match world.company_of(site) {
        Some(company) => Err(RefusalReason::SiteAlreadyAssociated {
            company: company.clone(),
            company_name: world.company_name(company),
        }),
        None => Ok(()),
    }
}

/// Associating a site that is excluded takes its exclusion back first.
fn include_first(world: &World, site: &SiteUid) -> Vec<Action> {
    if world.is_excluded(site) {
        vec![Action::RemoveExclusion { site: site.clone() }]
    } else {
        Vec::new()
    }
}

/// Deletes every association of the site (one, unless the store holds several).
fn delete_associations(world: &World, site: &SiteUid) -> Vec<Action> {
    world
        .companies_of(site)
        .into_iter()
        .map(|company| Action::DeleteAssociation {
            site: site.clone(),
            company,
        })
        .collect()
}

/// The company the flow itself created for `site` under `name` (the journal remembers it),
/// if it exists in the partner's subtree and serves no site yet.
fn pending_company<'w>(
    world: &'w World,
    pending: &[PendingCreation],
    site: &SiteUid,
    name: &str,
) -> Option<&'w Company> {
    pending
        .iter()
        .filter(|p| &p.site == site && same_name(&p.name, name))
        .find_map(|p| match &p.company {
            Some(id) => world.company(id),
            None => world
                .companies_named(&p.name)
                .find(|c| world.is_in_subtree(c)),
        })
        .filter(|c| same_name(&c.name, name) && world.is_free(c))
}

fn actions_for_change(
    world: &World,
    settings: &Settings,
    pending: &[PendingCreation],
    change: &Change,
) -> Result<Vec<Action>, RefusalReason> {
    match change {
        Change::MapToCompany { site, company } => {
            let found_site = managed_site(world, site)?;
            unassociated(world, site)?;
            let found = world
                .company(company)
                .ok_or(RefusalReason::UnknownCompany)?;
            if !world.is_in_subtree(found) {
                return Err(RefusalReason::CompanyOutsidePartner);
            }
            if let Some(other) = world.site_of(company) {
                return Err(RefusalReason::CompanyAlreadyAssociated {
                    site: other.clone(),
                    site_name: world.site(other).map(|s| s.name.clone()),
                });
            }
            let mut actions = include_first(world, site);
            actions.extend(association_actions(
                found_site,
                CompanyRef::existing(company.clone()),
                &found.parent,
                &found.name,
                &settings.package,
            ));
            Ok(actions)
        }
        Change::CreateCompany { site } => {
            let found = managed_site(world, site)?;
            unassociated(world, site)?;
            let plain = plain_name(&found.name).ok_or(RefusalReason::BlankSiteName)?;
            let name = match settings.prefix.use_for_creation {
                PrefixCreation::Always => {
                    prefixed_name(&settings.prefix, &found.name).unwrap_or(plain.clone())
                }
                PrefixCreation::Never | PrefixCreation::OnlyIfNameExists => plain.clone(),
            };
            // A rerun of a change an earlier task left half done: the flow created this
            // company itself, so the change finishes the association instead of refusing.
            if let Some(created) = pending_company(world, pending, site, &name) {
                let mut actions = include_first(world, site);
                actions.extend(association_actions(
                    found,
                    CompanyRef::existing(created.id.clone()),
                    &created.parent,
                    &created.name,
                    &settings.package,
                ));
                return Ok(actions);
            }
            if let Some(existing) = world.companies_named(&plain).next() {
                return Err(RefusalReason::CompanyWithSiteNameExists {
                    company: existing.id.clone(),
                    name: existing.name.clone(),
                });
            }
            if world.company_has_name(&name, None) {
                return Err(RefusalReason::NameTaken { name });
            }
            let mut actions = include_first(world, site);
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
        Change::Exclude { site } => {
            managed_site(world, site)?;
            if world.is_excluded(site) {
                return Err(RefusalReason::AlreadyExcluded);
            }
            let mut actions = delete_associations(world, site);
            actions.push(Action::Exclude { site: site.clone() });
            Ok(actions)
        }
        Change::Include { site } => {
            if !world.is_excluded(site) {
                return Err(RefusalReason::NotExcluded);
            }
            Ok(vec![Action::RemoveExclusion { site: site.clone() }])
        }
        Change::DeleteAssociation { site } => {
            let actions = delete_associations(world, site);
            if actions.is_empty() {
                return Err(RefusalReason::NotAssociated);
            }
            Ok(actions)
        }
    }
}
