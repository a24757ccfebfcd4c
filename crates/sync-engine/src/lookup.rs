//! Finding a record by what a person types: its id (a site uid, a company or organization id,
//! an event's short reference), else its name.
//!
//! Names are compared in `sync-core`'s written form
//! ([`NormalizedName::exact`](sync_core::names::NormalizedName::exact)): Unicode NFKC, case
//! folded for every script (not only ASCII), blanks collapsed; punctuation, accents and legal
//! forms count. So "ZÜRICH AG" finds "Zürich AG", but "Zurich AG" does not, and "Acme" never
//! finds "Acme Inc". A reference that names no record or several is a [`LookupError`] that
//! names the candidates, never a guess.
//!
//! ```
//! use sync_engine::lookup::{Candidate, LookupError, Named, Subject, find};
//!
//! struct Site(&'static str, &'static str);
//! impl Named for Site {
//!     fn id(&self) -> String { self.0.to_owned() }
//!     fn name(&self) -> &str { self.1 }
//! }
//!
//! let sites = [Site("s1", "Café Zürich"), Site("s2", "Hamburg"), Site("s3", "hamburg")];
//! assert_eq!(find(Subject::Site, &sites, "CAFÉ ZÜRICH").unwrap().0, "s1");
//! assert_eq!(find(Subject::Site, &sites, "s2").unwrap().0, "s2");
//! match find(Subject::Site, &sites, "HAMBURG") {
//!     Err(LookupError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
//!     _ => unreachable!("two sites are named Hamburg"),
//! }
//! assert!(matches!(find(Subject::Site, &sites, "Berlin"), Err(LookupError::NotFound { .. })));
//! ```

use std::fmt;

use serde::Serialize;
use sync_core::names::normalize_company_name;

/// What kind of record a reference was meant to name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Subject {
    /// A managed Datto RMM site (by uid or name).
    Site,
    /// A GravityZone company under the partner that serves no site (by id or name).
    FreeCompany,
    /// An open GravityZone event (by its short reference or a unique start of it).
    OpenEvent,
    /// An IT Glue flow group (by name, a site uid in it, or its Autotask company id).
    Group,
    /// An IT Glue organization (by id or name).
    Organization,
    /// An IT Glue organization matched to a group (by id or name).
    MatchedOrganization,
    /// An IT Glue configuration (by id, name or hostname).
    Configuration,
    /// A Datto RMM device of an IT Glue sync report (by uid or hostname).
    Device,
}

impl Subject {
    /// The subject as a message says it: "managed site", "free company", …
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Site => "managed site",
            Subject::FreeCompany => "free company",
            Subject::OpenEvent => "open event",
            Subject::Group => "group",
            Subject::Organization => "IT Glue organization",
            Subject::MatchedOrganization => "matched organization",
            Subject::Configuration => "configuration",
            Subject::Device => "device",
        }
    }

    /// The subject in the plural: "managed sites", "free companies", …
    pub fn plural(self) -> &'static str {
        match self {
            Subject::Site => "managed sites",
            Subject::FreeCompany => "free companies",
            Subject::OpenEvent => "open events",
            Subject::Group => "groups",
            Subject::Organization => "IT Glue organizations",
            Subject::MatchedOrganization => "matched organizations",
            Subject::Configuration => "configurations",
            Subject::Device => "devices",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A record a reference could have meant: its name and its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Candidate {
    /// The record's name.
    pub name: String,
    /// The record's id (what to type to name it alone).
    pub id: String,
}

impl Candidate {
    /// The candidate `name` with the id `id`.
    pub fn new(name: impl Into<String>, id: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            id: id.into(),
        }
    }
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({})", self.name, self.id)
    }
}

/// Why a reference named no single record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LookupError {
    /// No record has this id or name.
    #[error("no {subject} {reference:?}{}", closest_list(closest))]
    NotFound {
        /// What was looked for.
        subject: Subject,
        /// What was typed.
        reference: String,
        /// The records whose names come closest, best first, when the lookup searched for them
        /// (`Some(vec![])`: it searched and nothing came close).
        closest: Option<Vec<Candidate>>,
    },
    /// Several records have this name (or reference start): the candidates, to pick one by id.
    #[error(
        "{reference:?} names {} {}: {}; give the id of one",
        candidates.len(),
        subject.plural(),
        candidates.iter().map(Candidate::to_string).collect::<Vec<_>>().join(", ")
    )]
    Ambiguous {
        /// What was looked for.
        subject: Subject,
        /// What was typed.
        reference: String,
        /// The records it could mean.
        candidates: Vec<Candidate>,
    },
}

fn closest_list(closest: &Option<Vec<Candidate>>) -> String {
    match closest {
        None => String::new(),
        Some(closest) if closest.is_empty() => "; closest: none".to_owned(),
        Some(closest) => {
            let names: Vec<String> = closest.iter().map(Candidate::to_string).collect();
            format!("; closest: {}", names.join(", "))
        }
    }
}

impl LookupError {
    /// A reference that named nothing, with no closest names.
    pub fn not_found(subject: Subject, reference: &str) -> Self {
        LookupError::NotFound {
            subject,
            reference: reference.to_owned(),
            closest: None,
        }
    }

    /// What was looked for.
    pub fn subject(&self) -> Subject {
        match self {
            LookupError::NotFound { subject, .. } | LookupError::Ambiguous { subject, .. } => {
                *subject
            }
        }
    }
}

/// A record a person names by id or by name.
pub trait Named {
    /// The record's id as typed (a uid, a number, a reference).
    fn id(&self) -> String;
    /// The record's name.
    fn name(&self) -> &str;
    /// Whether `reference` (trimmed, not empty) is one of the record's ids. Default: equal to
    /// [`Named::id`].
    fn has_id(&self, reference: &str) -> bool {
        self.id() == reference
    }
    /// The record as a candidate of an ambiguous reference.
    fn candidate(&self) -> Candidate {
        Candidate::new(self.name(), self.id())
    }
}

/// Whether two names are the same name as written, in `sync-core`'s Unicode rules (NFKC, full
/// case folding, blanks collapsed); an empty name is no one's.
///
/// ```
/// use sync_engine::lookup::same_written_name;
///
/// assert!(same_written_name("  Straße  Süd ", "STRASSE SÜD"));
/// assert!(same_written_name("ＡＣＭＥ", "acme"));
/// assert!(!same_written_name("Acme", "Acme Inc"));
/// assert!(!same_written_name("", " "));
/// ```
pub fn same_written_name(a: &str, b: &str) -> bool {
    let a = normalize_company_name(a).exact;
    !a.is_empty() && a == normalize_company_name(b).exact
}

/// The one record `reference` names: the one whose id it is, else the one whose name it is
/// (see [`same_written_name`]).
pub fn find<'a, T, I>(subject: Subject, items: I, reference: &str) -> Result<&'a T, LookupError>
where
    T: Named + 'a,
    I: IntoIterator<Item = &'a T>,
    I::IntoIter: Clone,
{
    let items = items.into_iter();
    let wanted = reference.trim();
    if wanted.is_empty() {
        return Err(LookupError::not_found(subject, reference));
    }
    let by_id: Vec<&T> = items.clone().filter(|item| item.has_id(wanted)).collect();
    let found = if by_id.is_empty() {
        let key = normalize_company_name(wanted).exact;
        items
            .filter(|item| {
                let name = normalize_company_name(item.name()).exact;
                !name.is_empty() && name == key
            })
            .collect()
    } else {
        by_id
    };
    one(subject, reference, found)
}

/// The one record of `found`, else why not.
pub(crate) fn one<'a, T: Named>(
    subject: Subject,
    reference: &str,
    found: Vec<&'a T>,
) -> Result<&'a T, LookupError> {
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(LookupError::not_found(subject, reference)),
        several => Err(LookupError::Ambiguous {
            subject,
            reference: reference.to_owned(),
            candidates: several.iter().map(|item| item.candidate()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Record(&'static str, &'static str);

    impl Named for Record {
        fn id(&self) -> String {
            self.0.to_owned()
        }
        fn name(&self) -> &str {
            self.1
        }
    }

    #[test]
    fn an_id_wins_over_a_name() {
        let records = [Record("a", "b"), Record("b", "c")];
        assert_eq!(find(Subject::Site, &records, " b ").unwrap().0, "b");
    }

    #[test]
    fn names_compare_in_unicode_case_and_width() {
        let records = [Record("1", "ÖBB Wien"), Record("2", "Ｔｏｋｙｏ")];
        assert_eq!(find(Subject::Site, &records, "öbb wien").unwrap().0, "1");
        assert_eq!(find(Subject::Site, &records, "TOKYO").unwrap().0, "2");
        // Accents count: another name.
        assert!(find(Subject::Site, &records, "OBB Wien").is_err());
    }

    #[test]
    fn an_ambiguous_name_lists_every_candidate_with_its_id() {
        let records = [Record("1", "Acme"), Record("2", "ACME"), Record("3", "x")];
        let error = find(Subject::FreeCompany, &records, "acme").unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"acme\" names 2 free companies: \"Acme\" (1), \"ACME\" (2); give the id of one"
        );
        assert!(matches!(
            error,
            LookupError::Ambiguous { ref candidates, .. } if candidates.len() == 2
        ));
    }

    #[test]
    fn an_empty_or_unknown_reference_is_not_found() {
        let records = [Record("1", "")];
        for reference in ["", "   ", "nope"] {
            let error = find(Subject::Group, &records, reference).err();
            assert_eq!(
                error,
                Some(LookupError::not_found(Subject::Group, reference))
            );
        }
    }
}
