//! What the store keeps between syncs: associations, exclusions and events.

use serde::{Deserialize, Serialize};

use super::event::Event;
use super::ids::{CompanyId, SiteUid};
use super::snapshot::InventorySnapshot;

/// A site ↔ company link: the site's devices are protected under that GravityZone company.
/// One site has at most one company and one company serves at most one site.
///
/// It remembers the company's parent when it was made (the *destination moved* event compares
/// with it; `None` for associations stored before it was remembered: the root), the site's
/// last known name (shown once the site is deleted) and the company's last known name (shown
/// once the company is deleted in GravityZone); each pass refreshes the names it sees
/// ([`StoredState::renamed_since`]). Associations stored before the names were remembered have
/// `None` until a pass sees them; a site or company deleted before that is named by its bare
/// uid or id.
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
    /// The company's name when the association was made (or last seen by a pass). `None` for
    /// associations stored before company names were remembered and not seen since: a company
    /// deleted meanwhile is then named by its id.
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

    /// The associations whose site or company `snapshot` shows under another name than the
    /// association remembers (renamed in Datto RMM or GravityZone, or never remembered), with
    /// the names as they are now. A pass stores them, so a site or company deleted later is
    /// shown under its latest name. A site or company `snapshot` no longer has keeps the name
    /// remembered for it.
    ///
    /// ```
    /// use sync_core::gravityzone::{
    ///     Association, Company, CompanyId, InventorySnapshot, Site, SiteUid, StoredState,
    /// };
    ///
    /// let root = CompanyId::new("root");
    /// let state = StoredState {
    ///     associations: vec![
    ///         Association::new(SiteUid::new("s1"), CompanyId::new("c1"))
    ///             .remembering(root.clone(), "Hamburg", "Northwind"),
    ///     ],
    ///     ..StoredState::default()
    /// };
    /// let snapshot = InventorySnapshot::new(
    ///     root.clone(),
    ///     vec![Site::new("s1", "Hamburg", false)],
    ///     vec![Company::new("c1", "Northwind GmbH", root)],
    /// );
    /// let renamed = state.renamed_since(&snapshot);
    /// assert_eq!(renamed[0].company_name.as_deref(), Some("Northwind GmbH"));
    /// assert_eq!(renamed[0].site_name.as_deref(), Some("Hamburg"));
    /// ```
    pub fn renamed_since(&self, snapshot: &InventorySnapshot) -> Vec<Association> {
        self.associations
            .iter()
            .filter_map(|a| {
                let site_name = snapshot.site(&a.site).map(|s| &s.name);
                let company_name = snapshot.company(&a.company).map(|c| &c.name);
                let changed = |seen: Option<&String>, remembered: &Option<String>| {
                    seen.is_some_and(|name| remembered.as_ref() != Some(name))
                };
                if !changed(site_name, &a.site_name) && !changed(company_name, &a.company_name) {
                    return None;
                }
                let mut renamed = a.clone();
                if let Some(name) = site_name {
                    renamed.site_name = Some(name.clone());
                }
                if let Some(name) = company_name {
                    renamed.company_name = Some(name.clone());
                }
                Some(renamed)
            })
            .collect()
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
    fn renamed_associations_take_the_names_seen_and_keep_those_of_what_is_gone() {
        use crate::gravityzone::{Company, Site};
        let root = CompanyId::new("root");
        let remembered = |site: &str, company: &str| {
            Association::new(SiteUid::new(site), CompanyId::new(company)).remembering(
                root.clone(),
                format!("site {site}"),
                format!("company {company}"),
            )
        };
        let state = StoredState {
            associations: vec![
                remembered("s1", "c1"),
                remembered("s2", "c2"),
                remembered("s3", "c3"),
                Association::new(SiteUid::new("s4"), CompanyId::new("c4")),
            ],
            ..StoredState::default()
        };
        let snapshot = InventorySnapshot::new(
            root.clone(),
            vec![
                Site::new("s1", "site s1", false),
                Site::new("s2", "Site S2", false),
                Site::new("s4", "Four", false),
            ],
            vec![
                Company::new("c1", "company c1", root.clone()),
                Company::new("c2", "company c2", root.clone()),
                Company::new("c3", "Company Three", root.clone()),
            ],
        );
        let renamed = state.renamed_since(&snapshot);
        let names: Vec<(&str, Option<&str>, Option<&str>)> = renamed
            .iter()
            .map(|a| {
                (
                    a.site.as_str(),
                    a.site_name.as_deref(),
                    a.company_name.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                // The site renamed (a change of case is a rename).
                ("s2", Some("Site S2"), Some("company c2")),
                // The company renamed, its site gone: the site keeps its remembered name.
                ("s3", Some("site s3"), Some("Company Three")),
                // Stored before names were remembered: the site's name now, the company gone.
                ("s4", Some("Four"), None),
            ]
        );
        // Only the names change.
        assert_eq!(renamed[0].parent, Some(root));
        assert_eq!(renamed[2].parent, None);
    }

    #[test]
    fn exclusions_are_looked_up_by_site() {
        assert!(state().is_excluded(&SiteUid::new("s9")));
        assert!(!state().is_excluded(&SiteUid::new("s1")));
    }
}
