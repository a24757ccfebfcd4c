//! What the store keeps between syncs: associations, exclusions and events.

use serde::{Deserialize, Serialize};

use super::event::Event;
use super::ids::{CompanyId, SiteUid};

/// A site ↔ company link: the site's devices are protected under that GravityZone company.
/// One site has at most one company and one company serves at most one site.
///
/// It remembers the company's parent when it was made (the *destination moved* event compares
/// with it; `None` for associations stored before it was remembered: the root), the site's
/// last known name (shown once the site is deleted) and the company's last known name (shown
/// once the company is deleted in GravityZone). Associations stored before the names were
/// remembered have `None`; a deleted site or company is then named by its bare uid or id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Association {
    /// The Datto RMM site.
    pub site: SiteUid,
    /// The GravityZone company.
    pub company: CompanyId,
    /// The company's parent when the association was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CompanyId>,
    /// The site's name when the association was made (or last seen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// The company's name when the association was made (or last seen). `None` for
    /// associations stored before company names were remembered: a company deleted since is
    /// then named by its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
}

/// A company the flow itself asked GravityZone to create for a site, as the store's journal
/// remembers it until the site's association is stored. A rerun of the same change
/// recognises it instead of refusing "a company of the site's name exists".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PendingCreation {
    /// The site the company was created for.
    pub site: SiteUid,
    /// The company's name.
    pub name: String,
    /// Its id, when GravityZone's answer arrived; `None` when the call may have reached
    /// GravityZone but its answer was lost.
    pub company: Option<CompanyId>,
}

/// A site excluded from automatic sync: the inventory sync neither reports nor acts on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Exclusion {
    /// The excluded Datto RMM site.
    pub site: SiteUid,
}

/// The tenant's stored state that the planner compares the inventories with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StoredState {
    /// The associations.
    pub associations: Vec<Association>,
    /// The exclusions.
    pub exclusions: Vec<Exclusion>,
    /// The events of the last sync that are still open or were ignored. Resolved events may be
    /// passed too; the planner disregards them.
    pub events: Vec<Event>,
    /// Companies the flow created whose association is not stored yet (from the journal).
    pub pending_creations: Vec<PendingCreation>,
}

impl Association {
    /// Links `site` with `company`.
    pub fn new(site: SiteUid, company: CompanyId) -> Self {
        Self {
            site,
            company,
            parent: None,
            site_name: None,
            company_name: None,
        }
    }

    /// The same association, remembering the company's parent, the site's name and the
    /// company's name.
    ///
    /// ```
    /// use sync_core::gravityzone::{Association, CompanyId, SiteUid};
    ///
    /// let association = Association::new(SiteUid::new("s1"), CompanyId::new("c1"))
    ///     .remembering(CompanyId::new("root"), "Hamburg", "Northwind GmbH");
    /// assert_eq!(association.site_name.as_deref(), Some("Hamburg"));
    /// assert_eq!(association.company_name.as_deref(), Some("Northwind GmbH"));
    /// ```
    pub fn remembering(
        mut self,
        parent: CompanyId,
        site_name: impl Into<String>,
        company_name: impl Into<String>,
    ) -> Self {
        self.parent = Some(parent);
        self.site_name = Some(site_name.into());
        self.company_name = Some(company_name.into());
        self
    }
}

impl Exclusion {
    /// Excludes `site`.
    pub fn new(site: SiteUid) -> Self {
        Self { site }
    }
}

impl StoredState {
    /// The company `site` is associated with, if any.
    pub fn company_of(&self, site: &SiteUid) -> Option<&CompanyId> {
        self.associations
            .iter()
            .filter(|a| &a.site == site)
            .map(|a| &a.company)
            .min()
    }

    /// The site `company` is associated with, if any.
    pub fn site_of(&self, company: &CompanyId) -> Option<&SiteUid> {
        self.associations
            .iter()
            .filter(|a| &a.company == company)
            .map(|a| &a.site)
            .min()
    }

    /// Whether `site` is excluded from automatic sync.
    pub fn is_excluded(&self, site: &SiteUid) -> bool {
        self.exclusions.iter().any(|e| &e.site == site)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> StoredState {
        StoredState {
            associations: vec![
                Association::new(SiteUid::new("s1"), CompanyId::new("c2")),
                Association::new(SiteUid::new("s1"), CompanyId::new("c1")),
            ],
            exclusions: vec![Exclusion::new(SiteUid::new("s9"))],
            ..StoredState::default()
        }
    }

    #[test]
    fn a_site_held_twice_by_the_store_reads_as_its_smallest_company() {
        assert_eq!(
            state().company_of(&SiteUid::new("s1")),
            Some(&CompanyId::new("c1"))
        );
        assert_eq!(state().company_of(&SiteUid::new("s2")), None);
    }

    #[test]
    fn a_company_reads_as_the_site_it_serves() {
        assert_eq!(
            state().site_of(&CompanyId::new("c2")),
            Some(&SiteUid::new("s1"))
        );
        assert_eq!(state().site_of(&CompanyId::new("c3")), None);
    }

    #[test]
    fn exclusions_are_looked_up_by_site() {
        assert!(state().is_excluded(&SiteUid::new("s9")));
        assert!(!state().is_excluded(&SiteUid::new("s1")));
    }
}
