//! The idempotency keys of the flow's vendor writes in the store's journal.
//!
//! Each key names the write completely, so the same write asked again — by a resumed pass, a
//! retried batch or a second worker — finds its journal entry instead of writing twice. The
//! company-creation key also names the site the company is for, so a pass interrupted between
//! creating a company and storing its association can finish the association
//! (see [`recovery`](super::recovery)).

use sync_core::gravityzone::{CompanyId, SiteUid};

const CREATE_COMPANY: &str = "gz:create-company:";

/// Creating the company `name` for `site`.
pub(crate) fn create_company(site: &SiteUid, name: &str) -> String {
    format!("{CREATE_COMPANY}{}:{name}", escape(site.as_str()))
}

/// The site and company name of a [`create_company`] key.
pub(crate) fn parse_create_company(key: &str) -> Option<(SiteUid, String)> {
    let rest = key.strip_prefix(CREATE_COMPANY)?;
    let (site, name) = rest.split_once(':')?;
    Some((SiteUid::new(unescape(site)), name.to_owned()))
}

/// Renaming `company` to `name`.
pub(crate) fn rename_company(company: &CompanyId, name: &str) -> String {
    format!("gz:rename-company:{}:{name}", escape(company.as_str()))
}

/// Moving `company` under `parent`.
pub(crate) fn move_company(company: &CompanyId, parent: &CompanyId) -> String {
    format!(
        "gz:move-company:{}:{}",
        escape(company.as_str()),
        escape(parent.as_str())
    )
}

/// Creating (or finding) the package `name` of `company`.
pub(crate) fn create_package(company: &CompanyId, name: &str) -> String {
    format!("gz:create-package:{}:{name}", escape(company.as_str()))
}

/// Writing the installation link of `company`'s package into `site`'s variable.
pub(crate) fn write_package_link(site: &SiteUid, company: &CompanyId) -> String {
    format!(
        "datto:package-link:{}:{}",
        escape(site.as_str()),
        escape(company.as_str())
    )
}

/// Deleting the package `name` of `company`.
pub(crate) fn delete_package(company: &CompanyId, name: &str) -> String {
    format!("gz:delete-package:{}:{name}", escape(company.as_str()))
}

/// Deleting `company`.
pub(crate) fn delete_company(company: &CompanyId) -> String {
    format!("gz:delete-company:{}", escape(company.as_str()))
}

/// Deleting `site`'s installation-link variable.
pub(crate) fn delete_package_link(site: &SiteUid) -> String {
    format!("datto:delete-package-link:{}", escape(site.as_str()))
}

/// Vendor ids are opaque strings: `%` and `:` are escaped so the key's fields stay apart.
fn escape(raw: &str) -> String {
    raw.replace('%', "%25").replace(':', "%3A")
}

fn unescape(escaped: &str) -> String {
    escaped.replace("%3A", ":").replace("%25", "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_company_key_gives_back_its_site_and_name() {
        let site = SiteUid::new("a:b%3A");
        let key = create_company(&site, "Acme: Hamburg");
        assert_eq!(
            parse_create_company(&key),
            Some((site, "Acme: Hamburg".to_owned()))
        );
    }

    #[test]
    fn other_keys_are_not_company_keys() {
        let key = create_package(&CompanyId::new("c1"), "Datto RMM s1");
        assert_eq!(parse_create_company(&key), None);
    }
}
