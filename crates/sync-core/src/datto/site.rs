//! The Datto RMM site both flows start from, and which sites take part.

use serde::{Deserialize, Serialize};

use super::ids::{AutotaskCompanyId, SiteUid};

/// The names of the sites every Datto RMM account has (`Managed`, `OnDemand`,
/// `Deleted Devices`); they hold no customer and never take part in either flow.
///
/// A site is a system site when its name, blanks around it aside, is exactly one of these:
/// Datto RMM spells them this way in every account, and the letter case is what tells them from
/// a customer's site called "managed services" or "ondemand" (the `datto-rmm-client` recognises
/// them the same way, see `Site::system_site` there).
pub const SYSTEM_SITE_NAMES: [&str; 3] = ["Managed", "OnDemand", "Deleted Devices"];

/// A Datto RMM site, as both flows need it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Site {
    /// The site's uid.
    pub uid: SiteUid,
    /// The site's name.
    pub name: String,
    /// Datto's `onDemand` flag (OnDemand sites never take part).
    #[serde(default)]
    pub on_demand: bool,
    /// The Autotask company the site points to (`autotaskCompanyId`), if any (the IT Glue flow
    /// can group sites by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autotask_company_id: Option<AutotaskCompanyId>,
    /// That company's name (`autotaskCompanyName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autotask_company_name: Option<String>,
}

impl Site {
    /// A site with `uid` and `name` that points to no Autotask company.
    ///
    /// ```
    /// use sync_core::datto::Site;
    ///
    /// let site = Site::new("s1", "Acme", false);
    /// assert_eq!(site.uid.as_str(), "s1");
    /// assert_eq!(site.autotask_company_id, None);
    /// ```
    pub fn new(uid: impl Into<String>, name: impl Into<String>, on_demand: bool) -> Self {
        Self {
            uid: SiteUid::new(uid),
            name: name.into(),
            on_demand,
            autotask_company_id: None,
            autotask_company_name: None,
        }
    }

    /// The same site pointing to the Autotask company `id` called `name`.
    ///
    /// ```
    /// use sync_core::datto::Site;
    ///
    /// let site = Site::new("s1", "Acme East", false).with_autotask_company("7", "Acme Inc");
    /// assert_eq!(site.autotask_company_name.as_deref(), Some("Acme Inc"));
    /// ```
    pub fn with_autotask_company(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.autotask_company_id = Some(AutotaskCompanyId::new(id));
        self.autotask_company_name = Some(name.into());
        self
    }

    /// Whether the site is one of the account's system sites (see [`SYSTEM_SITE_NAMES`]).
    pub fn is_system(&self) -> bool {
        SYSTEM_SITE_NAMES.contains(&self.name.trim())
    }

    /// Whether the site is a managed customer site, the only kind that takes part in either
    /// flow: it is neither OnDemand nor a system site.
    pub fn is_managed(&self) -> bool {
        !self.on_demand && !self.is_system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ondemand_sites_are_not_managed() {
        assert!(!Site::new("s", "Acme", true).is_managed());
        assert!(Site::new("s", "Acme", false).is_managed());
    }

    #[test]
    fn system_sites_are_not_managed_blanks_around_the_name_aside() {
        for name in SYSTEM_SITE_NAMES {
            assert!(Site::new("s", name, false).is_system(), "{name}");
            assert!(
                !Site::new("s", format!(" {name} "), false).is_managed(),
                "{name}"
            );
        }
    }

    #[test]
    fn customer_sites_resembling_system_sites_are_managed() {
        for name in [
            "managed",
            "Managed Services",
            "ondemand",
            "Deleted devices",
            "DELETED DEVICES",
        ] {
            assert!(Site::new("s", name, false).is_managed(), "{name}");
        }
    }

    #[test]
    fn a_site_without_autotask_company_serialises_as_before_the_field_existed() {
        let site = Site::new("s1", "Acme", false);
        let json = serde_json::to_string(&site).unwrap();
        assert_eq!(json, r#"{"uid":"s1","name":"Acme","on_demand":false}"#);
        assert_eq!(serde_json::from_str::<Site>(&json).unwrap(), site);
        let linked = site.with_autotask_company("7", "Acme Inc");
        let json = serde_json::to_string(&linked).unwrap();
        assert_eq!(serde_json::from_str::<Site>(&json).unwrap(), linked);
    }
}
