//! A [`NameMatch`] told with the organizations' names, ready to serialise: what a tool prints
//! for one name it matched (`name-match` writes one per line).

use serde::Serialize;

use super::{NameMatch, Organization, OrganizationIndex};
use crate::itglue::{MatchReason, OrganizationId};

/// One name's automatic match and suggestions, with the candidates named; scores and margins
/// are rounded to six decimals, plenty for a score and short to print.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NamedMatch<'a> {
    /// The name as it was asked for.
    pub query: &'a str,
    /// The organization it matches automatically, and why.
    #[serde(rename = "match")]
    pub matched: Option<NamedCandidate<'a>>,
    /// The best candidates, best first (see [`Suggestion`](crate::itglue::Suggestion)).
    pub suggestions: Vec<NamedSuggestion<'a>>,
}

/// The organization a name matches automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NamedCandidate<'a> {
    /// Its id.
    pub id: OrganizationId,
    /// Its name.
    pub name: &'a str,
    /// Why it matches.
    pub reason: MatchReason,
}

/// A suggested organization.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NamedSuggestion<'a> {
    /// Its id.
    pub id: OrganizationId,
    /// Its name.
    pub name: &'a str,
    /// The score, in `[0, 1]`.
    pub score: f64,
    /// Why it was proposed.
    pub reason: MatchReason,
    /// How far ahead of the next suggestion it is.
    pub margin: f64,
    /// Below the floor: the best candidate of a name with nothing at or above it (serialised
    /// only when set).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub weak: bool,
}

impl OrganizationIndex {
    /// Indexes one organization per line of `text`, its id the line's number (from 1); blank
    /// lines are skipped but counted, so an id always points back at its line.
    ///
    /// ```
    /// use sync_core::itglue::{OrganizationId, OrganizationIndex};
    ///
    /// let index = OrganizationIndex::from_lines("Acme Dental, LLC\n\nBolt Plumbing Inc\n");
    /// assert_eq!(index.len(), 2);
    /// assert_eq!(index.get(OrganizationId(3)).unwrap().name, "Bolt Plumbing Inc");
    /// ```
    pub fn from_lines(text: &str) -> Self {
        Self::new(
            text.lines()
                .enumerate()
                .filter(|(_, name)| !name.trim().is_empty())
                .map(|(at, name)| Organization {
                    id: OrganizationId(at as u64 + 1),
                    name: name.to_owned(),
                }),
        )
    }

    /// `result` (what [`OrganizationIndex::evaluate`] found for `query`) with this index's
    /// names.
    ///
    /// ```
    /// use sync_core::itglue::{MatchOptions, OrganizationIndex};
    ///
    /// let index = OrganizationIndex::from_lines("Acme Dental, LLC\nBolt Plumbing Inc\n");
    /// let query = "ACME Dental - Main Office";
    /// let found = index.evaluate(query, &MatchOptions::default());
    /// let line = serde_json::to_string(&index.named(query, &found)).unwrap();
    /// assert!(line.starts_with(
    ///     r#"{"query":"ACME Dental - Main Office","match":{"id":1,"name":"Acme Dental, LLC","reason":"normalised"}"#
    /// ));
    /// ```
    pub fn named<'a>(&'a self, query: &'a str, result: &NameMatch) -> NamedMatch<'a> {
        let name_of = |id: OrganizationId| self.get(id).map_or("", |o| o.name.as_str());
        NamedMatch {
            query,
            matched: result.matched.map(|(id, reason)| NamedCandidate {
                id,
                name: name_of(id),
                reason,
            }),
            suggestions: result
                .suggestions
                .iter()
                .map(|s| NamedSuggestion {
                    id: s.candidate,
                    name: name_of(s.candidate),
                    score: round(s.score),
                    reason: s.reason,
                    margin: round(s.margin),
                    weak: s.weak,
                })
                .collect(),
        }
    }
}

fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itglue::MatchOptions;

    #[test]
    fn ids_are_line_numbers_counting_blank_lines() {
        let index = OrganizationIndex::from_lines("Acme\n  \nBolt\r\nSwaniawski Ltd");
        let names: Vec<(u64, &str)> = index
            .organizations()
            .map(|o| (o.id.0, o.name.as_str()))
            .collect();
        assert_eq!(names, [(1, "Acme"), (3, "Bolt"), (4, "Swaniawski Ltd")]);
    }

    #[test]
    fn a_named_match_serialises_as_one_line_with_rounded_scores() {
        let index = OrganizationIndex::from_lines("Acme Dental, LLC\nSwaniawski Ltd\n");
        let options = MatchOptions::default();
        let query = "Swaniawskx Ltd";
        let named = index.named(query, &index.evaluate(query, &options));
        assert_eq!(named.matched, None);
        let json = serde_json::to_value(&named).unwrap();
        assert_eq!(json["query"], query);
        assert!(json["match"].is_null());
        let first = &json["suggestions"][0];
        assert_eq!(
            (&first["id"], &first["name"]),
            (&2.into(), &"Swaniawski Ltd".into())
        );
        assert_eq!(first["reason"], "fuzzy");
        let score = first["score"].as_f64().unwrap();
        assert_eq!(score, (score * 1e6).round() / 1e6);
        assert!(first.get("weak").is_none(), "weak only when set: {first}");
    }

    #[test]
    fn a_weak_suggestion_is_marked() {
        let index = OrganizationIndex::from_lines("Northwind Logistics\n");
        let query = "Northwest Freight";
        let found = index.evaluate(query, &MatchOptions::default());
        assert!(found.suggestions.iter().any(|s| s.weak), "{found:?}");
        let named = index.named(query, &found);
        assert_eq!(named.suggestions.len(), found.suggestions.len());
        for (named, raw) in named.suggestions.iter().zip(&found.suggestions) {
            assert_eq!(named.weak, raw.weak);
            let json = serde_json::to_value(named).unwrap();
            assert_eq!(json.get("weak").is_some(), raw.weak);
        }
    }
}
