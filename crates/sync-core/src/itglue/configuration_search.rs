//! "Match To" on the matching screen: a person types part of a configuration's name and picks
//! one of the configurations of the device's organization whose name or hostname comes
//! closest.

use super::configuration::Configuration;
use super::organizations::jaro_winkler;
use super::suggestion::{MatchReason, Suggestion};

/// The lowest Jaro-Winkler similarity a configuration whose name neither is nor contains the
/// query is listed with.
pub const CONFIGURATION_SEARCH_FLOOR: f64 = 0.8;

/// The score of a name or hostname that contains the query (case aside) but differs from it.
const CONTAINS_SCORE: f64 = 0.9;

/// How well `query` names `text`: 1 for the same text (case and blanks aside), from
/// [`CONTAINS_SCORE`] when `text` contains it, else their Jaro-Winkler similarity scaled below
/// [`CONTAINS_SCORE`] (0 under [`CONFIGURATION_SEARCH_FLOOR`]), so a name containing what was
/// typed always comes before one that only looks like it.
fn score(query: &[char], text: &str) -> f64 {
    let text: Vec<char> = text.trim().to_lowercase().chars().collect();
    if text.is_empty() {
        return 0.0;
    }
    if text == query {
        return 1.0;
    }
    let similarity = jaro_winkler(query, &text);
    let contains = query.len() <= text.len() && text.windows(query.len()).any(|w| w == query);
    if contains {
        // Among names containing the query, the closer one first.
        CONTAINS_SCORE + (1.0 - CONTAINS_SCORE) * 0.5 * similarity
    } else if similarity >= CONFIGURATION_SEARCH_FLOOR {
        CONTAINS_SCORE * similarity
    } else {
        0.0
    }
}

/// The configurations whose name or hostname resemble `query`, best first (ties by name, then
/// id), at most `limit`: the same name or hostname (case and blanks aside) scores 1, one that
/// contains the query scores from 0.9, others 0.9 × their Jaro-Winkler similarity when it
/// reaches [`CONFIGURATION_SEARCH_FLOOR`]. Archived configurations are left out.
///
/// ```
/// use sync_core::itglue::{Configuration, ConfigurationId, OrganizationId, search_configurations};
///
/// let org = OrganizationId(1);
/// let mut reception = Configuration::new(ConfigurationId(7), org, "Reception PC");
/// reception.hostname = Some("NW-REC-01".into());
/// let configurations = vec![
///     reception,
///     Configuration::new(ConfigurationId(8), org, "Warehouse scanner"),
///     Configuration::new(ConfigurationId(9), org, "Reception printer"),
/// ];
/// let found = search_configurations(&configurations, "nw-rec-01", 5);
/// assert_eq!(found[0].candidate, ConfigurationId(7));
/// assert_eq!(found[0].score, 1.0);
/// let found = search_configurations(&configurations, "reception", 5);
/// let ids: Vec<u64> = found.iter().map(|s| s.candidate.0).collect();
/// assert_eq!(ids, [7, 9]);
/// ```
pub fn search_configurations(
    configurations: &[Configuration],
    query: &str,
    limit: usize,
) -> Vec<Suggestion<super::ids::ConfigurationId>> {
    let query: Vec<char> = query.trim().to_lowercase().chars().collect();
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut found: Vec<(f64, &Configuration)> = configurations
        .iter()
        .filter(|c| !c.archived)
        .filter_map(|c| {
            let best = std::iter::once(c.name.as_str())
                .chain(c.hostname.as_deref())
                .map(|text| score(&query, text))
                .fold(0.0, f64::max);
            (best > 0.0).then_some((best, c))
        })
        .collect();
    found.sort_by(|(a, x), (b, y)| {
        b.total_cmp(a)
            .then_with(|| x.name.cmp(&y.name))
            .then_with(|| x.id.cmp(&y.id))
    });
    found.truncate(limit);
    let scores: Vec<f64> = found.iter().map(|(s, _)| *s).collect();
    found
        .iter()
        .enumerate()
        .map(|(at, (score, c))| Suggestion {
            candidate: c.id,
            score: *score,
            reason: MatchReason::Name,
            margin: score - scores.get(at + 1).copied().unwrap_or(0.0),
            weak: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::itglue::ids::{ConfigurationId, OrganizationId};

    fn named(id: u64, name: &str) -> Configuration {
        Configuration::new(ConfigurationId(id), OrganizationId(1), name)
    }

    #[test]
    fn the_same_name_comes_first_then_names_containing_the_query() {
        let list = vec![
            named(1, "SRV-DC01 backup"),
            named(2, "srv-dc01"),
            named(3, "SRV-DC02"),
            named(4, "Printer"),
        ];
        let found = search_configurations(&list, " SRV-DC01 ", 10);
        let ids: Vec<u64> = found.iter().map(|s| s.candidate.0).collect();
        // The name containing what was typed before the one that only looks like it.
        assert_eq!(ids, [2, 1, 3]);
        assert_eq!(found[0].score, 1.0);
        assert!(found[1].score >= CONTAINS_SCORE && found[1].score < 1.0);
        assert!(!ids.contains(&4));
    }

    #[test]
    fn archived_configurations_blank_queries_and_a_zero_limit_give_nothing() {
        let mut old = named(1, "PC-1");
        old.archived = true;
        assert!(search_configurations(&[old], "PC-1", 5).is_empty());
        assert!(search_configurations(&[named(2, "PC-1")], "  ", 5).is_empty());
        assert!(search_configurations(&[named(2, "PC-1")], "PC-1", 0).is_empty());
    }

    proptest! {
        #[test]
        fn results_are_sorted_bounded_and_an_exact_name_is_always_found(
            names in proptest::collection::vec("[A-Za-z0-9 -]{0,12}", 1..20),
            pick in any::<prop::sample::Index>(),
            limit in 1usize..6,
        ) {
            let list: Vec<Configuration> = names
                .iter()
                .enumerate()
                .map(|(i, n)| named(i as u64, n))
                .collect();
            let wanted = &list[pick.index(list.len())];
            let found = search_configurations(&list, &wanted.name, limit);
            prop_assert!(found.len() <= limit);
            prop_assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
            prop_assert!(found.iter().all(|s| (0.0..=1.0).contains(&s.score)));
            if !wanted.name.trim().is_empty() {
                prop_assert_eq!(found[0].score, 1.0);
                prop_assert!(found.iter().any(|s| list[s.candidate.0 as usize]
                    .name.trim().eq_ignore_ascii_case(wanted.name.trim())));
            }
        }
    }
}
