//! An indexed, canonical view of one tenant's inventories and stored state, and the model of
//! what each [`Action`] changes in it. The planner, the event resolver and the companies page
//! all reason on this view, and the planner applies its own steps to a working copy so later
//! decisions see earlier ones.

use std::collections::{BTreeMap, BTreeSet};

use super::action::{Action, CompanyRef};
use super::apply::ApplyError;
use super::event::EventKind;
use super::ids::{CompanyId, SiteUid};
use super::name::name_key;
use super::snapshot::{Company, InventorySnapshot, Site};
use super::state::{Association, Exclusion, StoredState};

/// The tenant's world, indexed. Sites and companies are keyed by id (the first of duplicates in
/// sorted order wins), so nothing here depends on the order of the input lists.
#[derive(Debug, Clone)]
pub(crate) struct World {
    pub(crate) root: CompanyId,
    sites: BTreeMap<SiteUid, Site>,
    companies: BTreeMap<CompanyId, Company>,
    names: BTreeMap<String, BTreeSet<CompanyId>>,
    /// The sub-partners of the root's subtree.
    partners: BTreeSet<CompanyId>,
    /// Known endpoint counts.
    endpoints: BTreeMap<CompanyId, u64>,
    /// Associations by (site, company), with what they remember.
    associations: BTreeMap<(SiteUid, CompanyId), Association>,
    sites_of_company: BTreeMap<CompanyId, BTreeSet<SiteUid>>,
    exclusions: BTreeSet<SiteUid>,
    /// Names used in the GravityZone tree by no company a site may have: the ones GravityZone
    /// refused (stored destination-creation events) and the root company's (keys, see
    /// [`name_key`]).
    names_used_elsewhere: BTreeSet<String>,
}

impl World {
    pub(crate) fn new(snapshot: &InventorySnapshot, state: &StoredState) -> Self {
        // Of a uid listed twice, an unmanaged copy wins: the sync never acts on a site that
        // might be OnDemand or a system site.
        let mut sites: Vec<&Site> = snapshot.sites.iter().collect();
        sites.sort_by(|a, b| {
            (&a.uid, a.is_managed(), &a.name, a.on_demand).cmp(&(
                &b.uid,
                b.is_managed(),
                &b.name,
                b.on_demand,
            ))
        });
        let mut site_map = BTreeMap::new();
        for site in sites {
            site_map
                .entry(site.uid.clone())
                .or_insert_with(|| site.clone());
        }
        let mut companies: Vec<&Company> = snapshot
            .companies
            .iter()
            .filter(|c| c.id != snapshot.root)
            .collect();
        companies.sort_by(|a, b| (&a.id, &a.name, &a.parent).cmp(&(&b.id, &b.name, &b.parent)));
        let mut world = World {
            root: snapshot.root.clone(),
            sites: site_map,
            companies: BTreeMap::new(),
            names: BTreeMap::new(),
            partners: snapshot
                .partners
                .iter()
                .filter(|p| **p != snapshot.root)
                .cloned()
                .collect(),
            endpoints: snapshot.endpoints.clone(),
            associations: BTreeMap::new(),
            sites_of_company: BTreeMap::new(),
            exclusions: state.exclusions.iter().map(|e| e.site.clone()).collect(),
            // The root company's name is used in the tree too.
            names_used_elsewhere: snapshot
                .companies
                .iter()
                .filter(|c| c.id == snapshot.root)
                .map(|c| name_key(&c.name))
                .collect(),
        };
        for company in companies {
            if world.companies.contains_key(&company.id) {
                // Of an id listed twice, the first copy is the company; the other copy's name
                // still counts as taken.
                world.names_used_elsewhere.insert(name_key(&company.name));
            } else {
                world.insert_company(company.clone());
            }
        }
        // Of one (site, company) pair stored twice, the copy that sorts first is kept, whatever
        // the order of the list.
        let mut associations: Vec<&Association> = state.associations.iter().collect();
        associations.sort();
        for association in associations {
            world.insert_association(association.clone());
        }
        // The names GravityZone refused, from the destination-creation events the plan keeps
        // (their site takes part and still has no company): an event about to close frees its
        // name, so the next plan must not find it free when this one did not.
        let refused: Vec<String> = state
            .events
            .iter()
            .filter(|e| e.id.kind == EventKind::DestinationCreation)
            .filter(|e| e.is_open() || e.is_ignored())
            .filter(|e| world.is_actionable(&e.id.site))
            .filter(|e| {
                world
                    .companies_of(&e.id.site)
                    .iter()
                    .all(|c| world.company(c).is_none())
            })
            .filter_map(|e| e.company_name.as_deref())
            .map(name_key)
            .collect();
        world.names_used_elsewhere.extend(refused);
        world
    }

    /// Writes the world back as a snapshot and the associations and exclusions of a state.
    pub(crate) fn write_back(self, snapshot: &mut InventorySnapshot, state: &mut StoredState) {
        snapshot.sites = self.sites.into_values().collect();
        snapshot.companies = self.companies.into_values().collect();
        state.associations = self.associations.into_values().collect();
        state.exclusions = self.exclusions.into_iter().map(Exclusion::new).collect();
    }

    fn insert_company(&mut self, company: Company) {
        self.names
            .entry(name_key(&company.name))
            .or_default()
            .insert(company.id.clone());
        self.companies.insert(company.id.clone(), company);
    }

    fn insert_association(&mut self, association: Association) {
        self.sites_of_company
            .entry(association.company.clone())
            .or_default()
            .insert(association.site.clone());
        self.associations
            .entry((association.site.clone(), association.company.clone()))
            .or_insert(association);
    }

    pub(crate) fn site(&self, uid: &SiteUid) -> Option<&Site> {
        self.sites.get(uid)
    }

    pub(crate) fn sites(&self) -> impl Iterator<Item = &Site> {
        self.sites.values()
    }

    pub(crate) fn company(&self, id: &CompanyId) -> Option<&Company> {
        self.companies.get(id)
    }

    pub(crate) fn companies(&self) -> impl Iterator<Item = &Company> {
        self.companies.values()
    }

    /// Whether the site exists, is managed and is not excluded: the sites the sync may act on.
    pub(crate) fn is_actionable(&self, uid: &SiteUid) -> bool {
        self.site(uid).is_some_and(Site::is_managed) && !self.is_excluded(uid)
    }

    pub(crate) fn is_excluded(&self, uid: &SiteUid) -> bool {
        self.exclusions.contains(uid)
    }

    /// The company a site is associated with (the smallest id, should the store hold several).
    pub(crate) fn company_of(&self, site: &SiteUid) -> Option<&CompanyId> {
        self.associations_of(site).map(|a| &a.company).next()
    }

    /// The site's associations, sorted by company.
    pub(crate) fn associations_of<'w>(
        &'w self,
        site: &SiteUid,
    ) -> impl Iterator<Item = &'w Association> + 'w {
        let site = site.clone();
        self.associations
            .range((site.clone(), CompanyId::new(""))..)
            .take_while(move |((s, _), _)| *s == site)
            .map(|(_, a)| a)
    }

    /// The association of `site` with `company`, with what it remembers.
    pub(crate) fn association(&self, site: &SiteUid, company: &CompanyId) -> Option<&Association> {
        self.associations.get(&(site.clone(), company.clone()))
    }

    /// The parent `company` had when `site` was associated with it: the root for associations
    /// stored before parents were remembered.
    pub(crate) fn remembered_parent(&self, site: &SiteUid, company: &CompanyId) -> CompanyId {
        // A company the store associates with several sites has one remembered parent, its
        // first association's (smallest site uid): the sync never moves it to and fro.
        let site = self.site_of(company).unwrap_or(site);
        self.association(site, company)
            .and_then(|a| a.parent.clone())
            .unwrap_or_else(|| self.root.clone())
    }

    /// The company's name: as GravityZone has it, else as an association with it remembers it
    /// (a company deleted since). `None` only when the company is gone and no association
    /// remembers its name (one stored before company names were remembered).
    pub(crate) fn company_name(&self, company: &CompanyId) -> Option<String> {
        self.company(company).map(|c| c.name.clone()).or_else(|| {
            self.associations
                .values()
                .filter(|a| &a.company == company)
                .find_map(|a| a.company_name.clone())
        })
    }

    /// How many endpoints `company` holds, when known.
    pub(crate) fn endpoint_count(&self, company: &CompanyId) -> Option<u64> {
        self.endpoints.get(company).copied()
    }

    /// The site a company is associated with (the smallest uid, should the store hold several).
    pub(crate) fn site_of(&self, company: &CompanyId) -> Option<&SiteUid> {
        self.sites_of_company
            .get(company)
            .and_then(|sites| sites.iter().next())
    }

    /// Every company a site is associated with (one, unless the store holds several).
    pub(crate) fn companies_of(&self, site: &SiteUid) -> Vec<CompanyId> {
        self.associations_of(site)
            .map(|a| a.company.clone())
            .collect()
    }

    /// Whether `site` is associated with `company`.
    pub(crate) fn has_association(&self, site: &SiteUid, company: &CompanyId) -> bool {
        self.associations
            .contains_key(&(site.clone(), company.clone()))
    }

    /// Every association, sorted by site and company.
    pub(crate) fn associations(&self) -> Vec<Association> {
        self.associations.values().cloned().collect()
    }

    /// Whether the company is in the partner's subtree: directly under the root or under one
    /// of its sub-partners.
    pub(crate) fn is_in_subtree(&self, company: &Company) -> bool {
        company.id != self.root
            && (company.parent == self.root || self.partners.contains(&company.parent))
    }

    /// A company a site may be associated with: in the partner's subtree and associated with
    /// no site.
    pub(crate) fn is_free(&self, company: &Company) -> bool {
        self.is_in_subtree(company) && self.site_of(&company.id).is_none()
    }

    /// The companies called `name` (in the sense of [`name_key`]).
    pub(crate) fn companies_named(&self, name: &str) -> impl Iterator<Item = &Company> {
        self.names
            .get(&name_key(name))
            .into_iter()
            .flatten()
            .filter_map(|id| self.companies.get(id))
    }

    /// Whether a company of the snapshot is called `name`, other than `except`.
    pub(crate) fn company_has_name(&self, name: &str, except: Option<&CompanyId>) -> bool {
        self.companies_named(name).any(|c| Some(&c.id) != except)
    }

    /// Whether creating a company called `name` is bound to fail: a known company has the name,
    /// or GravityZone already refused it as used elsewhere in its tree.
    pub(crate) fn is_name_taken(&self, name: &str) -> bool {
        self.company_has_name(name, None) || self.names_used_elsewhere.contains(&name_key(name))
    }

    /// Applies `actions` in order, as GravityZone, Datto RMM and the store would if every call
    /// succeeded. On error the world is left unchanged.
    pub(crate) fn apply(&mut self, actions: &[Action]) -> Result<(), ApplyError> {
        let mut next = self.clone();
        let mut created = BTreeMap::new();
        for action in actions {
            next.apply_one(action, &mut created)?;
        }
        *self = next;
        Ok(())
    }

    fn resolve_ref(
        &self,
        company: &CompanyRef,
        created: &BTreeMap<String, CompanyId>,
    ) -> Result<CompanyId, ApplyError> {
        match company {
            CompanyRef::Existing { id } if self.companies.contains_key(id) => Ok(id.clone()),
            CompanyRef::Existing { id } => Err(ApplyError::UnknownCompany(id.clone())),
            CompanyRef::Created { name } => created
                .get(&name_key(name))
                .cloned()
                .ok_or_else(|| ApplyError::NotCreatedInThisList(name.clone())),
        }
    }

    fn apply_one(
        &mut self,
        action: &Action,
        created: &mut BTreeMap<String, CompanyId>,
    ) -> Result<(), ApplyError> {
        match action {
            Action::CreateCompany { name, parent } => {
                if self.company_has_name(name, None) {
                    return Err(ApplyError::NameTaken(name.clone()));
                }
                let id = CompanyId::provisional(name);
                if self.companies.contains_key(&id) {
                    return Err(ApplyError::NameTaken(name.clone()));
                }
                self.insert_company(Company {
                    id: id.clone(),
                    name: name.clone(),
                    parent: parent.clone(),
                });
                created.insert(name_key(name), id);
            }
            Action::RenameCompany { company, name } => {
                let Some(mut renamed) = self.companies.get(company).cloned() else {
                    return Err(ApplyError::UnknownCompany(company.clone()));
                };
                if self.company_has_name(name, Some(company)) {
                    return Err(ApplyError::NameTaken(name.clone()));
                }
                if let Some(ids) = self.names.get_mut(&name_key(&renamed.name)) {
                    ids.remove(company);
                }
                renamed.name = name.clone();
                self.insert_company(renamed);
            }
            Action::MoveCompany { company, parent } => {
                let Some(moved) = self.companies.get_mut(company) else {
                    return Err(ApplyError::UnknownCompany(company.clone()));
                };
                moved.parent = parent.clone();
            }
            Action::Associate {
                site,
                company,
                parent,
                site_name,
                company_name,
            } => {
                let company = self.resolve_ref(company, created)?;
                if let Some(current) = self.company_of(site) {
                    return Err(ApplyError::SiteAlreadyAssociated {
                        site: site.clone(),
                        company: current.clone(),
                    });
                }
                if let Some(other) = self.site_of(&company) {
                    return Err(ApplyError::CompanyAlreadyAssociated {
                        company,
                        site: other.clone(),
                    });
                }
                self.insert_association(Association::new(site.clone(), company).remembering(
                    parent.clone(),
                    site_name,
                    company_name,
                ));
            }
            Action::DeleteCompany { company, .. } => {
                let Some(deleted) = self.companies.remove(company) else {
                    return Err(ApplyError::UnknownCompany(company.clone()));
                };
                if let Some(ids) = self.names.get_mut(&name_key(&deleted.name)) {
                    ids.remove(company);
                }
                if let Some(site) = self.site_of(company) {
                    return Err(ApplyError::CompanyAlreadyAssociated {
                        company: company.clone(),
                        site: site.clone(),
                    });
                }
            }
            Action::CreatePackage { company, .. } | Action::WritePackageLink { company, .. } => {
                self.resolve_ref(company, created)?;
            }
            Action::DeleteAssociation { site, company } => {
                if self
                    .associations
                    .remove(&(site.clone(), company.clone()))
                    .is_none()
                {
                    return Err(ApplyError::NotAssociated {
                        site: site.clone(),
                        company: company.clone(),
                    });
                }
                if let Some(sites) = self.sites_of_company.get_mut(company) {
                    sites.remove(site);
                    if sites.is_empty() {
                        self.sites_of_company.remove(company);
                    }
                }
            }
            Action::Exclude { site } => {
                if !self.exclusions.insert(site.clone()) {
                    return Err(ApplyError::AlreadyExcluded(site.clone()));
                }
            }
            Action::RemoveExclusion { site } => {
                if !self.exclusions.remove(site) {
                    return Err(ApplyError::NotExcluded(site.clone()));
                }
            }
        }
        Ok(())
    }
}
