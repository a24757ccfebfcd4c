//! The concrete changes a plan, a resolved event or a confirmed companies page asks the engine
//! to make in GravityZone, Datto RMM and the store.

use serde::{Deserialize, Serialize};

use super::ids::{CompanyId, SiteUid};
use super::settings::DefaultPackage;
use super::snapshot::Site;

/// The Datto RMM site variable that receives the package's installation link.
pub const PACKAGE_LINK_VARIABLE: &str = "GravityZonePackageLink";

/// A company an action refers to: one that exists, or one an earlier [`Action::CreateCompany`]
/// of the same list creates (names are unique across the GravityZone tree, so the name
/// identifies it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "ref", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CompanyRef {
    /// An existing company.
    Existing {
        /// Its id.
        id: CompanyId,
    },
    /// The company created earlier in the same list under this name.
    Created {
        /// Its name.
        name: String,
    },
}

/// One concrete change, in the order the engine must make them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// GravityZone: create a customer company called `name` under `parent` (the partner's root
    /// company).
    CreateCompany {
        /// The new company's name.
        name: String,
        /// The partner's root company.
        parent: CompanyId,
    },
    /// GravityZone: rename a company.
    RenameCompany {
        /// The company.
        company: CompanyId,
        /// Its new name.
        name: String,
    },
    /// GravityZone: move a company under `parent` (the parent its association remembers).
    MoveCompany {
        /// The company.
        company: CompanyId,
        /// Its new parent.
        parent: CompanyId,
    },
    /// Store: associate a site with a company, remembering the company's parent (a later
    /// change of parent is *destination moved*), the site's name (shown once the site is
    /// deleted) and the company's name (shown once the company is deleted).
    Associate {
        /// The site.
        site: SiteUid,
        /// The company.
        company: CompanyRef,
        /// The company's parent now.
        parent: CompanyId,
        /// The site's name now.
        site_name: String,
        /// The company's name now (for a company the list creates, the name it is created
        /// under).
        company_name: String,
    },
    /// GravityZone: create the company's installation package for the site, unless a package of
    /// that name already exists (the name is deterministic, see [`package_name`]).
    CreatePackage {
        /// The site the package is for.
        site: SiteUid,
        /// The company that owns the package.
        company: CompanyRef,
        /// The package's name.
        name: String,
        /// Its modules and options.
        package: DefaultPackage,
    },
    /// Datto RMM: write the package's installation link into the site variable
    /// [`PACKAGE_LINK_VARIABLE`].
    WritePackageLink {
        /// The site.
        site: SiteUid,
        /// The company that owns the package.
        company: CompanyRef,
        /// The package's name.
        package_name: String,
    },
    /// GravityZone: delete a company (with its user accounts and licence key).
    DeleteCompany {
        /// The company.
        company: CompanyId,
        /// How many endpoints it held when the deletion was decided (the confirmation list
        /// shows it; more than zero only when the user forced the deletion).
        endpoints: u64,
    },
    /// Store: delete an association.
    DeleteAssociation {
        /// The site.
        site: SiteUid,
        /// The company it was associated with.
        company: CompanyId,
    },
    /// Store: exclude a site from automatic sync.
    Exclude {
        /// The site.
        site: SiteUid,
    },
    /// Store: take a site's exclusion back.
    RemoveExclusion {
        /// The site.
        site: SiteUid,
    },
}

/// The deterministic name of the installation package made for `site`, so that a rerun after
/// a crash finds the package instead of creating a second one.
pub fn package_name(site: &SiteUid) -> String {
    format!("Datto RMM {site}")
}

/// Everything that associating `site` with `company` (whose parent is `parent` and whose name
/// is `company_name` once the list's earlier actions are done) entails: the association, the
/// company's installation package with the default modules, and the installation link in the
/// site variable.
pub fn association_actions(
    site: &Site,
    company: CompanyRef,
    parent: &CompanyId,
    company_name: &str,
    package: &DefaultPackage,
) -> Vec<Action> {
    let name = package_name(&site.uid);
    let site_name = site.name.clone();
    let site = &site.uid;
    vec![
        Action::Associate {
            site: site.clone(),
            company: company.clone(),
            parent: parent.clone(),
            site_name,
            company_name: company_name.to_owned(),
        },
        Action::CreatePackage {
            site: site.clone(),
            company: company.clone(),
            name: name.clone(),
            package: *package,
        },
        Action::WritePackageLink {
            site: site.clone(),
            company,
            package_name: name,
        },
    ]
}

impl CompanyRef {
    /// An existing company.
    pub fn existing(id: CompanyId) -> Self {
        CompanyRef::Existing { id }
    }

    /// The company created earlier in the same list under `name`.
    pub fn created(name: impl Into<String>) -> Self {
        CompanyRef::Created { name: name.into() }
    }
}

impl Action {
    /// The site this action touches, if it touches one.
    pub fn site(&self) -> Option<&SiteUid> {
        match self {
            Action::Associate { site, .. }
            | Action::CreatePackage { site, .. }
            | Action::WritePackageLink { site, .. }
            | Action::DeleteAssociation { site, .. }
            | Action::Exclude { site }
            | Action::RemoveExclusion { site } => Some(site),
            Action::CreateCompany { .. }
            | Action::RenameCompany { .. }
            | Action::MoveCompany { .. }
            | Action::DeleteCompany { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_deterministic_per_site() {
        let site = SiteUid::new("9b7e-1");
        assert_eq!(package_name(&site), package_name(&site.clone()));
        assert_ne!(package_name(&site), package_name(&SiteUid::new("9b7e-2")));
    }

    #[test]
    fn associating_creates_the_package_and_writes_its_link_for_that_site() {
        let site = SiteUid::new("s1");
        let actions = association_actions(
            &Site::new("s1", "Acme", false),
            CompanyRef::created("Acme"),
            &CompanyId::new("root"),
            "Acme",
            &DefaultPackage::default(),
        );
        assert_eq!(actions.len(), 3);
        assert!(
            matches!(&actions[0], Action::Associate { site_name, company_name, .. } if site_name == "Acme" && company_name == "Acme")
        );
        assert!(
            matches!(&actions[1], Action::CreatePackage { name, .. } if *name == package_name(&site))
        );
        assert!(actions.iter().all(|a| a.site() == Some(&site)));
    }
}
