//! Prefix rules: the name of a new company, and the prefixed name looked for when associating.
//!
//! The prefixed form of a name is the prefix (blanks around it removed), one blank, and the name
//! (blanks around it removed), cut to the vendor's limit. A blank prefix is no prefix: there is
//! no prefixed form then.

use super::name::fit_company_name;
use super::settings::{PrefixCreation, PrefixSettings};

/// `"<prefix> <name>"`, cut to the vendor's limit; `None` when the prefix or the name is blank.
pub fn prefixed_name(prefix: &PrefixSettings, name: &str) -> Option<String> {
    let prefix = prefix.prefix()?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    fit_company_name(&format!("{prefix} {name}"))
}

/// A site's name as a company name: blanks around it removed and cut to the vendor's limit;
/// `None` when the name is blank.
pub fn plain_name(site_name: &str) -> Option<String> {
    fit_company_name(site_name)
}

/// The outcome of choosing the name of a site's new company.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NewCompanyName {
    /// This name is free: create the company under it.
    Free(String),
    /// Every name the prefix setting allows is taken; `wanted` is the first of them.
    Taken {
        /// The name the settings would use first.
        wanted: String,
    },
    /// The site's name is blank, so no company name can be made from it.
    NoName,
}

/// The name of a new company for a site called `site_name`, following the prefix setting:
///
/// - never: the site's name, if free;
/// - always: the prefixed name, if free (the site's name when the prefix is blank);
/// - only if the name already exists: the site's name if free, else the prefixed name if free.
///
/// `is_taken` says whether a name is already used in the GravityZone tree.
pub fn new_company_name(
    site_name: &str,
    prefix: &PrefixSettings,
    is_taken: impl Fn(&str) -> bool,
) -> NewCompanyName {
    let Some(plain) = plain_name(site_name) else {
        return NewCompanyName::NoName;
    };
    let prefixed = prefixed_name(prefix, site_name);
    let choices: Vec<String> = match prefix.use_for_creation {
        PrefixCreation::Never => vec![plain],
        PrefixCreation::Always => vec![prefixed.unwrap_or(plain)],
        PrefixCreation::OnlyIfNameExists => std::iter::once(plain).chain(prefixed).collect(),
    };
    match choices.iter().find(|name| !is_taken(name)) {
        Some(free) => NewCompanyName::Free(free.clone()),
        None => NewCompanyName::Taken {
            wanted: choices.into_iter().next().unwrap_or_default(),
        },
    }
}

/// The names under which an unassociated site looks for a free company: its own name, and —
/// when the prefix is used for association and is not blank — the prefixed name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssociationNames {
    /// The site's name as a company name.
    pub plain: Option<String>,
    /// The prefixed name, when the prefix is used for association.
    pub prefixed: Option<String>,
}

/// The names under which a site called `site_name` looks for a free company.
pub fn association_names(site_name: &str, prefix: &PrefixSettings) -> AssociationNames {
    AssociationNames {
        plain: plain_name(site_name),
        prefixed: prefix
            .use_for_association
            .then(|| prefixed_name(prefix, site_name))
            .flatten(),
    }
}
