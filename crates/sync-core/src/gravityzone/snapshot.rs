//! The two inventories as fetched for one sync: Datto RMM sites and GravityZone companies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::datto::{SYSTEM_SITE_NAMES, Site};

use super::ids::{CompanyId, SiteUid};

/// A GravityZone company.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Company {
    /// The company's id.
    pub id: CompanyId,
    /// The company's name.
    pub name: String,
    /// The company that directly manages it: the partner's root company, unless it was moved.
    pub parent: CompanyId,
}

/// Both inventories at the time of one sync.
///
/// `sites` holds every site Datto RMM listed, OnDemand and system sites included: those never
/// take part in the sync (see [`Site::is_managed`]), but knowing they still exist keeps their
/// association from being mistaken for a deleted site's.
///
/// `companies` holds every customer company in the partner's subtree (directly under the root
/// company, or under one of its sub-partners at any depth), plus every associated company
/// wherever it is now (the engine looks those up by id). A company absent from this list no
/// longer exists. `partners` lists the sub-partners of the subtree: a company whose parent is
/// the root or one of them is in the partner's subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventorySnapshot {
    /// The partner's root company, under which the synced companies live.
    pub root: CompanyId,
    /// The Datto RMM sites.
    pub sites: Vec<Site>,
    /// The GravityZone companies.
    pub companies: Vec<Company>,
    /// The partner companies below the root (sub-partners, any depth).
    #[serde(default)]
    pub partners: Vec<CompanyId>,
    /// How many endpoints some companies hold, for the decisions that need it (deleting a
    /// company). A company missing here has an unknown count.
    #[serde(default)]
    pub endpoints: BTreeMap<CompanyId, u64>,
}

impl Company {
    /// A company with `id` and `name` directly under `parent`.
    pub fn new(id: impl Into<String>, name: impl Into<String>, parent: CompanyId) -> Self {
        Self {
            id: CompanyId::new(id),
            name: name.into(),
            parent,
        }
    }
}

impl InventorySnapshot {
    /// The snapshot of a partner whose root company is `root`.
    pub fn new(root: CompanyId, sites: Vec<Site>, companies: Vec<Company>) -> Self {
        Self {
            root,
            sites,
            companies,
            partners: Vec::new(),
            endpoints: BTreeMap::new(),
        }
    }

    /// The same snapshot, with `partners` as the sub-partners of the root's subtree.
    pub fn with_partners(mut self, partners: Vec<CompanyId>) -> Self {
        self.partners = partners;
        self
    }

    /// The same snapshot, knowing that `company` holds `count` endpoints.
    pub fn with_endpoint_count(mut self, company: CompanyId, count: u64) -> Self {
        self.endpoints.insert(company, count);
        self
    }

    /// The site with `uid`, managed or not.
    pub fn site(&self, uid: &SiteUid) -> Option<&Site> {
        self.sites.iter().find(|s| &s.uid == uid)
    }

    /// The company with `id`, wherever it is.
    pub fn company(&self, id: &CompanyId) -> Option<&Company> {
        self.companies.iter().find(|c| &c.id == id)
    }

    /// The sites that take part in the sync.
    pub fn managed_sites(&self) -> impl Iterator<Item = &Site> {
        self.sites.iter().filter(|s| s.is_managed())
    }

    /// Whether `company` sits directly under the partner's root company.
    pub fn is_under_root(&self, company: &Company) -> bool {
        company.parent == self.root && company.id != self.root
    }

    /// Whether `company` is in the partner's subtree: directly under the root or under one of
    /// its sub-partners.
    pub fn is_in_subtree(&self, company: &Company) -> bool {
        company.id != self.root
            && (company.parent == self.root || self.partners.contains(&company.parent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_and_companies_are_looked_up_by_id_and_only_managed_sites_are_listed_as_such() {
        let root = CompanyId::new("root");
        let snapshot = InventorySnapshot::new(
            root.clone(),
            vec![
                Site::new("s1", "Acme", false),
                Site::new("s2", "Acme", true),
            ],
            vec![Company::new("c1", "Acme", root)],
        );
        assert_eq!(
            snapshot.site(&SiteUid::new("s2")).map(|s| s.on_demand),
            Some(true)
        );
        assert_eq!(snapshot.site(&SiteUid::new("s3")), None);
        assert!(snapshot.company(&CompanyId::new("c1")).is_some());
        let managed: Vec<_> = snapshot.managed_sites().map(|s| s.uid.as_str()).collect();
        assert_eq!(managed, ["s1"]);
    }

    #[test]
    fn the_root_is_not_under_itself() {
        let root = CompanyId::new("root");
        let snapshot = InventorySnapshot::new(root.clone(), vec![], vec![]);
        assert!(!snapshot.is_under_root(&Company::new("root", "Partner", root)));
    }

    #[test]
    fn a_moved_company_is_not_under_the_root() {
        let root = CompanyId::new("root");
        let snapshot = InventorySnapshot::new(root.clone(), vec![], vec![]);
        assert!(snapshot.is_under_root(&Company::new("c", "Acme", root.clone())));
        assert!(!snapshot.is_under_root(&Company::new("c", "Acme", CompanyId::new("other"))));
    }
}
