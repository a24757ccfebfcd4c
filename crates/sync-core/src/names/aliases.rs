//! Per-tenant aliases: names a tenant declares to be the same company ("ACME Rocky Mountain" is
//! "Acme Holdings"), for the cases no normalisation could see.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::normalize_company_name;

/// A tenant's aliases, kept by normalised key. An alias works in both directions: declaring
/// that "Bob's Shop" is "Robert Smith Retail" also makes "Robert Smith Retail" an alias of
/// "Bob's Shop".
///
/// ```
/// use sync_core::names::NameAliases;
///
/// let mut aliases = NameAliases::new();
/// aliases.add("ACME Rocky Mountain", "Acme Holdings Ltd");
/// assert!(aliases.targets_of("acme rocky mountain").any(|key| key == "acme holdings"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameAliases {
    by_key: BTreeMap<String, BTreeSet<String>>,
}

impl NameAliases {
    /// No aliases.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares that two names are the same company. Names whose key is empty (nothing but
    /// punctuation) and names that already share a key are ignored.
    pub fn add(&mut self, name: &str, other_name: &str) {
        let a = normalize_company_name(name).key;
        let b = normalize_company_name(other_name).key;
        if a.is_empty() || b.is_empty() || a == b {
            return;
        }
        self.by_key.entry(a.clone()).or_default().insert(b.clone());
        self.by_key.entry(b).or_default().insert(a);
    }

    /// The keys declared to be the same company as the name whose normalised key is `key`, in
    /// sorted order.
    pub fn targets_of<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.by_key
            .get(key)
            .into_iter()
            .flat_map(|targets| targets.iter().map(String::as_str))
    }

    /// Whether no alias is declared.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

impl<A: AsRef<str>, B: AsRef<str>> FromIterator<(A, B)> for NameAliases {
    fn from_iter<I: IntoIterator<Item = (A, B)>>(pairs: I) -> Self {
        let mut aliases = Self::new();
        for (a, b) in pairs {
            aliases.add(a.as_ref(), b.as_ref());
        }
        aliases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_work_in_both_directions() {
        let aliases: NameAliases = [("Bob's Shop", "Robert Smith Retail LLC")]
            .into_iter()
            .collect();
        assert_eq!(
            aliases.targets_of("bobs shop").collect::<Vec<_>>(),
            ["robert smith retail"]
        );
        assert_eq!(
            aliases
                .targets_of("robert smith retail")
                .collect::<Vec<_>>(),
            ["bobs shop"]
        );
    }

    #[test]
    fn an_alias_of_itself_is_ignored() {
        let mut aliases = NameAliases::new();
        aliases.add("Acme Inc", "ACME");
        aliases.add("...", "Acme");
        assert!(aliases.is_empty());
    }
}
