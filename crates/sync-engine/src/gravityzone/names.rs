//! [`Names`]: the names of the sites and companies a plan, a confirmation list or an event is
//! about, so every line a person reads names them by name (`site "Hamburg"`), never by a bare
//! uid or id unless the name is unknown.

use std::collections::BTreeMap;

use sync_core::gravityzone::{
    Action, Change, CompaniesPage, CompanyId, CompanyRef, Event, InventorySnapshot, SiteUid,
};

/// Site names by uid and company names by id, where known, and the partner's root company.
///
/// ```
/// use sync_core::gravityzone::{Action, CompanyId, SiteUid};
/// use sync_engine::gravityzone::Names;
///
/// let names = Names::default()
///     .with_site(SiteUid::new("s1"), "Hamburg")
///     .with_company(CompanyId::new("c1"), "Northwind GmbH");
/// let action = Action::DeleteAssociation {
///     site: SiteUid::new("s1"),
///     company: CompanyId::new("c1"),
/// };
/// assert_eq!(
///     names.action(&action),
///     "delete the association of site \"Hamburg\" with company \"Northwind GmbH\""
/// );
/// assert_eq!(names.site(&SiteUid::new("s9")), "site s9");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    sites: BTreeMap<SiteUid, String>,
    companies: BTreeMap<CompanyId, String>,
    root: Option<CompanyId>,
}

impl Names {
    /// The names of both inventories of a pass: every site, every company, the root.
    pub fn from_snapshot(snapshot: &InventorySnapshot) -> Self {
        Self {
            sites: snapshot
                .sites
                .iter()
                .map(|s| (s.uid.clone(), s.name.clone()))
                .collect(),
            companies: snapshot
                .companies
                .iter()
                .map(|c| (c.id.clone(), c.name.clone()))
                .collect(),
            root: Some(snapshot.root.clone()),
        }
    }

    /// The names the companies page shows: its managed and deleted sites, their companies,
    /// the free companies and the root.
    pub fn from_page(page: &CompaniesPage) -> Self {
        let mut names = Self {
            root: Some(page.root.clone()),
            ..Self::default()
        };
        for row in &page.sites {
            names.add_site(&row.site.uid, Some(&row.site.name));
            if let Some(company) = &row.association {
                names.add_company(&company.id, company.known_name());
            }
        }
        for row in &page.deleted_sites {
            names.add_site(&row.site, row.site_name.as_deref());
            names.add_company(&row.association.id, row.association.known_name());
        }
        for company in &page.free_companies {
            names.add_company(&company.id, Some(&company.name));
        }
        names
    }

    /// These names with the ones `event` remembers (its site's and company's names when it was
    /// raised), for a site or company that is gone since. Names already known are kept.
    pub fn with_event(mut self, event: &Event) -> Self {
        self.add_site(&event.id.site, event.site_name.as_deref());
        if let Some(company) = &event.id.company {
            self.add_company(company, event.company_name.as_deref());
        }
        self
    }

    /// These names with `name` for `site` (replacing a name known before).
    pub fn with_site(mut self, site: SiteUid, name: impl Into<String>) -> Self {
        self.sites.insert(site, name.into());
        self
    }

    /// These names with `name` for `company` (replacing a name known before).
    pub fn with_company(mut self, company: CompanyId, name: impl Into<String>) -> Self {
        self.companies.insert(company, name.into());
        self
    }

    /// These names and, where these know none, the names `other` knows.
    pub fn or(mut self, other: &Names) -> Self {
        for (site, name) in &other.sites {
            self.add_site(site, Some(name));
        }
        for (company, name) in &other.companies {
            self.add_company(company, Some(name));
        }
        if self.root.is_none() {
            self.root.clone_from(&other.root);
        }
        self
    }

    fn add_site(&mut self, site: &SiteUid, name: Option<&str>) {
        if let Some(name) = name {
            self.sites
                .entry(site.clone())
                .or_insert_with(|| name.to_owned());
        }
    }

    fn add_company(&mut self, company: &CompanyId, name: Option<&str>) {
        if let Some(name) = name {
            self.companies
                .entry(company.clone())
                .or_insert_with(|| name.to_owned());
        }
    }

    /// The site's name, when known.
    pub fn site_name(&self, site: &SiteUid) -> Option<&str> {
        self.sites.get(site).map(String::as_str)
    }

    /// The company's name, when known.
    pub fn company_name(&self, company: &CompanyId) -> Option<&str> {
        self.companies.get(company).map(String::as_str)
    }

    /// `site "Hamburg"`, or `site <uid>` when the name is not known.
    pub fn site(&self, site: &SiteUid) -> String {
        match self.site_name(site) {
            Some(name) => format!("site {name:?}"),
            None => format!("site {site}"),
        }
    }

    /// `company "Northwind GmbH"`, `the partner company` for the root, or `company <id>` when
    /// the name is not known.
    pub fn company(&self, company: &CompanyId) -> String {
        if self.root.as_ref() == Some(company) {
            return "the partner company".to_owned();
        }
        match self.company_name(company) {
            Some(name) => format!("company {name:?}"),
            None => format!("company {company}"),
        }
    }

    fn company_ref(&self, company: &CompanyRef) -> String {
        match company {
            CompanyRef::Existing { id } => self.company(id),
            CompanyRef::Created { name } => format!("new company {name:?}"),
            _ => "a company".to_owned(),
        }
    }

    /// One line saying what a change of the companies page does.
    pub fn change(&self, change: &Change) -> String {
        match change {
            Change::MapToCompany { site, company } => {
                format!("map {} to {}", self.site(site), self.company(company))
            }
            Change::CreateCompany { site } => format!("set {} as a new company", self.site(site)),
            Change::Exclude { site } => format!("exclude {}", self.site(site)),
            Change::Include { site } => format!("include {} again", self.site(site)),
            Change::DeleteAssociation { site } => {
                format!("delete the association of {}", self.site(site))
            }
            other => format!("{other:?}"),
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
            Action::MoveCompany { company, parent } => format!(
                "move {} under {}",
                self.company(company),
                self.company(parent)
            ),
            Action::Associate { site, company, .. } => format!(
                "associate {} with {}",
                self.site(site),
                self.company_ref(company)
            ),
            Action::CreatePackage { company, name, .. } => format!(
                "create installation package {name:?} in {}",
                self.company_ref(company)
            ),
            Action::WritePackageLink {
                site, package_name, ..
            } => format!(
                "write the installation link of {package_name:?} to {}'s variable \
                 GravityZonePackageLink",
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
            other => format!("{other:?}"),
        }
    }

    /// Every action, one line each.
    pub fn actions(&self, actions: &[Action]) -> Vec<String> {
        actions.iter().map(|a| self.action(a)).collect()
    }
}

#[cfg(test)]
mod tests {
    use sync_core::gravityzone::{
        Company, DefaultPackage, EventId, EventKind, PACKAGE_LINK_VARIABLE, Site,
    };

    use super::*;

    fn snapshot() -> InventorySnapshot {
        let root = CompanyId::new("root");
        InventorySnapshot {
            sites: vec![Site::new("s1", "Zürich", false)],
            companies: vec![Company::new("c1", "Müller AG", root.clone())],
            root,
            partners: Vec::new(),
            endpoints: BTreeMap::new(),
        }
    }

    #[test]
    fn every_action_names_its_site_and_companies() {
        let names = Names::from_snapshot(&snapshot());
        let site = SiteUid::new("s1");
        let c1 = CompanyId::new("c1");
        let created = CompanyRef::created("Zürich");
        let lines = names.actions(&[
            Action::CreateCompany {
                name: "Zürich".into(),
                parent: CompanyId::new("root"),
            },
            Action::MoveCompany {
                company: c1.clone(),
                parent: CompanyId::new("root"),
            },
            Action::RenameCompany {
                company: c1.clone(),
                name: "MSP Müller AG".into(),
            },
            Action::Associate {
                site: site.clone(),
                company: created.clone(),
                parent: CompanyId::new("root"),
                site_name: "Zürich".into(),
                company_name: "Zürich".into(),
            },
            Action::CreatePackage {
                site: site.clone(),
                company: created.clone(),
                name: "pkg".into(),
                package: DefaultPackage::default(),
            },
            Action::WritePackageLink {
                site: site.clone(),
                company: created,
                package_name: "pkg".into(),
            },
            Action::DeleteCompany {
                company: c1,
                endpoints: 3,
            },
            Action::Exclude { site: site.clone() },
            Action::RemoveExclusion { site },
        ]);
        assert_eq!(
            lines,
            [
                "create company \"Zürich\" under the partner company",
                "move company \"Müller AG\" under the partner company",
                "rename company \"Müller AG\" to \"MSP Müller AG\"",
                "associate site \"Zürich\" with new company \"Zürich\"",
                "create installation package \"pkg\" in new company \"Zürich\"",
                &format!(
                    "write the installation link of \"pkg\" to site \"Zürich\"'s variable \
                     {PACKAGE_LINK_VARIABLE}"
                ),
                "delete company \"Müller AG\" from GravityZone (it holds 3 endpoint(s))",
                "exclude site \"Zürich\"",
                "take back the exclusion of site \"Zürich\"",
            ]
        );
        assert!(lines.iter().all(|l| !l.contains("s1") && !l.contains("c1")));
    }

    #[test]
    fn an_event_names_what_is_gone_and_known_names_win() {
        let event = Event::open(
            EventId::new(
                EventKind::SourceDeleted,
                SiteUid::new("gone"),
                Some(CompanyId::new("c1")),
            ),
            Some("Old site".to_owned()),
            Some("Old company name".to_owned()),
            0,
        );
        let names = Names::from_snapshot(&snapshot()).with_event(&event);
        assert_eq!(names.site(&SiteUid::new("gone")), "site \"Old site\"");
        assert_eq!(
            names.company(&CompanyId::new("c1")),
            "company \"Müller AG\""
        );
        let change = Change::MapToCompany {
            site: SiteUid::new("s1"),
            company: CompanyId::new("c1"),
        };
        assert_eq!(
            names.change(&change),
            "map site \"Zürich\" to company \"Müller AG\""
        );
        let merged = Names::default().or(&names);
        assert_eq!(merged, names);
        assert_eq!(
            Names::default().company(&CompanyId::new("c9")),
            "company c9"
        );
    }
}
