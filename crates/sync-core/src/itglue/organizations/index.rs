//! The candidate index: organizations by exact form, by normalised key, and by the letter pairs
//! of their keys, so that a name is compared in full only with the few organizations that could
//! reach the floor.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::candidates::{Gathered, Reach, Scratch, Sketch, TextSketches, WordIndex};
use super::scoring::{
    NamePatterns, PreparedName, TextEvidence, Weighted, WordWeights, common_chars, common_prefix,
    fuzzy_score, fuzzy_score_with, fuzzy_upper_bound, unrelated_upper_bound,
};
use super::{MatchOptions, NameMatch, WEAK_SUGGESTION_FLOOR, parallel};
use crate::itglue::ids::OrganizationId;
use crate::itglue::suggestion::{MatchReason, Suggestion, better, rank};
use crate::names::{NormalizedName, normalize_company_name};

/// The score of a candidate with the same name as written.
pub const EXACT_SCORE: f64 = 1.0;
/// The score of a candidate the tenant declared an alias of the name.
pub const ALIAS_SCORE: f64 = 0.99;
/// The score of a candidate with the same normalised key and the same legal forms.
pub const NORMALISED_SCORE: f64 = 0.98;
/// The score of a candidate with the same normalised key but other legal forms ("Acme LLC" for
/// "Acme Inc"): still above every fuzzy score, below the candidates whose legal form agrees.
pub const NORMALISED_OTHER_FORM_SCORE: f64 = 0.975;

/// An IT Glue organization, as far as matching needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Its id.
    pub id: OrganizationId,
    /// Its name as IT Glue shows it.
    pub name: String,
}

struct Entry {
    organization: Organization,
    name: NormalizedName,
    prepared: PreparedName,
    weights: Vec<f64>,
    /// Its units in the [`WordIndex`], words first, then pairs of adjacent words.
    units: Vec<u32>,
}

impl Entry {
    fn weighted(&self) -> Weighted<'_> {
        Weighted {
            name: &self.prepared,
            weights: &self.weights,
        }
    }
}

/// Organizations prepared for matching: build it once per run and ask it for every group.
///
/// ```
/// use sync_core::itglue::{MatchOptions, MatchReason, Organization, OrganizationId, OrganizationIndex};
///
/// let index = OrganizationIndex::new([
///     Organization { id: OrganizationId(1), name: "Acme Dental Group, LLC".into() },
///     Organization { id: OrganizationId(2), name: "Bolt Plumbing".into() },
/// ]);
/// let result = index.evaluate("ACME Dental Group - Main Office", &MatchOptions::default());
/// assert_eq!(result.matched, Some((OrganizationId(1), MatchReason::Normalised)));
///
/// let result = index.evaluate("Bolt Plumbng", &MatchOptions::default());
/// assert_eq!(result.matched, None);
/// assert_eq!(result.suggestions[0].candidate, OrganizationId(2));
/// ```
pub struct OrganizationIndex {
    entries: Vec<Entry>,
    by_id: HashMap<OrganizationId, u32>,
    by_exact: HashMap<String, Vec<u32>>,
    by_key: HashMap<String, Vec<u32>>,
    units: WordIndex,
    sketches: Vec<Sketch>,
    texts: Vec<TextSketches>,
    weights: WordWeights,
}

impl std::fmt::Debug for OrganizationIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OrganizationIndex")
            .field("organizations", &self.entries.len())
            .field("units", &self.units.len())
            .finish()
    }
}

/// A name prepared for querying the index.
struct Query {
    name: NormalizedName,
    prepared: PreparedName,
    weights: Vec<f64>,
    patterns: NamePatterns,
    sketch: Sketch,
    texts: TextSketches,
}

impl Query {
    fn weighted(&self) -> Weighted<'_> {
        Weighted {
            name: &self.prepared,
            weights: &self.weights,
        }
    }
}

impl OrganizationIndex {
    /// Indexes organizations. The input order does not matter; when one id appears several
    /// times, the occurrence with the smallest name is kept.
    pub fn new(organizations: impl IntoIterator<Item = Organization>) -> Self {
        let mut organizations: Vec<Organization> = organizations.into_iter().collect();
        organizations.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.name.cmp(&b.name)));
        organizations.dedup_by(|later, earlier| later.id == earlier.id);

        let prepared = parallel::map_with(
            &organizations,
            || (),
            |(), organization| {
                let name = normalize_company_name(&organization.name);
                let prepared = PreparedName::new(&name);
                (name, prepared)
            },
        );
        let named: Vec<(Organization, NormalizedName, PreparedName)> = organizations
            .into_iter()
            .zip(prepared)
            .map(|(organization, (name, prepared))| (organization, name, prepared))
            .collect();
        let weights = WordWeights::new(named.iter().map(|(_, _, p)| p));

        let mut index = Self {
            entries: Vec::with_capacity(named.len()),
            by_id: HashMap::with_capacity(named.len()),
            by_exact: HashMap::new(),
            by_key: HashMap::new(),
            units: WordIndex::default(),
            sketches: Vec::with_capacity(named.len()),
            texts: Vec::with_capacity(named.len()),
            weights,
        };
        for (organization, name, prepared) in named {
            let at = u32::try_from(index.entries.len()).unwrap_or(u32::MAX);
            index.by_id.insert(organization.id, at);
            if !name.key.is_empty() {
                index
                    .by_exact
                    .entry(name.exact.clone())
                    .or_default()
                    .push(at);
                index.by_key.entry(name.key.clone()).or_default().push(at);
            }
            let units = index.units.add(at, &prepared);
            let weights = index.weights.weights(&prepared);
            index.sketches.push(Sketch::new(&prepared, &weights));
            index.texts.push(TextSketches::new(&prepared));
            index.entries.push(Entry {
                organization,
                name,
                prepared,
                weights,
                units,
            });
        }
        index.units.finish();
        index
    }

    /// How many organizations are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no organization is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The organization with this id.
    pub fn get(&self, id: OrganizationId) -> Option<&Organization> {
        let at = *self.by_id.get(&id)?;
        self.entries.get(at as usize).map(|e| &e.organization)
    }

    /// The organizations, by id.
    pub fn organizations(&self) -> impl Iterator<Item = &Organization> {
        self.entries.iter().map(|e| &e.organization)
    }

    /// The organizations whose normalised key equals the name's, by id: the ones a new
    /// organization of that name would duplicate.
    pub fn with_same_key(&self, name: &str) -> Vec<OrganizationId> {
        let key = normalize_company_name(name).key;
        self.ids(self.by_key.get(&key))
    }

    /// Matches one name: the automatic match if there is one, and the ranked suggestions.
    ///
    /// The automatic match is decided on the strongest evidence present: the same name as
    /// written, else a tenant alias, else the same normalised key; it is a match only when
    /// exactly one organization has that evidence (a tie gives suggestions). Fuzzy similarity
    /// never matches automatically.
    pub fn evaluate(&self, name: &str, options: &MatchOptions) -> NameMatch {
        let mut scratch = Scratch::default();
        self.evaluate_with(&mut scratch, name, options)
    }

    /// [`evaluate`](Self::evaluate) for many names, reusing the buffers.
    pub fn evaluate_all<'a, I>(
        &'a self,
        names: I,
        options: &'a MatchOptions,
    ) -> impl Iterator<Item = NameMatch> + 'a
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: 'a,
    {
        let mut scratch = Scratch::default();
        names
            .into_iter()
            .map(move |name| self.evaluate_with(&mut scratch, name, options))
    }

    /// [`evaluate`](Self::evaluate) for many names on every core of the machine; the results in
    /// the order of `names`.
    ///
    /// ```
    /// use sync_core::itglue::{MatchOptions, Organization, OrganizationId, OrganizationIndex};
    ///
    /// let index = OrganizationIndex::new([
    ///     Organization { id: OrganizationId(1), name: "Acme Dental".into() },
    /// ]);
    /// let results = index.evaluate_parallel(&["ACME DENTAL", "Bolt"], &MatchOptions::default());
    /// assert_eq!(results.len(), 2);
    /// assert!(results[0].matched.is_some() && results[1].matched.is_none());
    /// ```
    pub fn evaluate_parallel(&self, names: &[&str], options: &MatchOptions) -> Vec<NameMatch> {
        parallel::map_with(names, Scratch::default, |scratch, name| {
            self.evaluate_with(scratch, name, options)
        })
    }

    /// The top suggestions for a name, computed by scoring every organization. The same result
    /// as [`evaluate`](Self::evaluate)'s suggestions, only slower: the reference the index is
    /// tested against.
    pub fn suggest_exhaustive(
        &self,
        name: &str,
        options: &MatchOptions,
    ) -> Vec<Suggestion<OrganizationId>> {
        self.exhaustive(&self.query(name), options, options.floor, options.top_k)
    }

    fn exhaustive(
        &self,
        query: &Query,
        options: &MatchOptions,
        floor: f64,
        top_k: usize,
    ) -> Vec<Suggestion<OrganizationId>> {
        let scored = (0..self.entries.len())
            .filter_map(|at| {
                let at = u32::try_from(at).ok()?;
                let (score, reason) = self.score(query, at, options, None);
                Some((self.entries[at as usize].organization.id, score, reason))
            })
            .collect();
        rank(scored, floor, top_k)
    }

    /// The score of one organization for a name, and why (`None` when the id is unknown).
    pub fn score_of(
        &self,
        name: &str,
        organization: OrganizationId,
        options: &MatchOptions,
    ) -> Option<(f64, MatchReason)> {
        let at = *self.by_id.get(&organization)?;
        Some(self.score(&self.query(name), at, options, None))
    }

    fn evaluate_with(
        &self,
        scratch: &mut Scratch,
        name: &str,
        options: &MatchOptions,
    ) -> NameMatch {
        let query = self.query(name);
        let matched = self.automatic_match(&query, options);
        let (mut suggestions, mut scored) = if options.floor <= unrelated_upper_bound() {
            (
                self.exhaustive(&query, options, options.floor, options.top_k),
                self.entries.len(),
            )
        } else {
            self.suggest_indexed(scratch, &query, options, options.floor, options.top_k)
        };
        if matched.is_none()
            && suggestions.is_empty()
            && options.top_k > 0
            && options.floor > WEAK_SUGGESTION_FLOOR
        {
            let (weak, more) = self.weak_suggestion(scratch, &query, options);
            suggestions.extend(weak);
            scored += more;
        }
        NameMatch {
            name: query.name,
            matched,
            suggestions,
            scored,
        }
    }

    /// The best candidate between [`WEAK_SUGGESTION_FLOOR`] and the floor, marked weak, and how
    /// many organizations were scored to find it, through the index.
    fn weak_suggestion(
        &self,
        scratch: &mut Scratch,
        query: &Query,
        options: &MatchOptions,
    ) -> (Option<Suggestion<OrganizationId>>, usize) {
        // Exact at any weak floor: below the unreached entries' bound, those are bounded too.
        let (found, scored) =
            self.suggest_indexed(scratch, query, options, WEAK_SUGGESTION_FLOOR, 1);
        let weak = found.into_iter().next().map(|mut s| {
            // Nothing else cleared the floor: the margin is the whole score.
            s.margin = s.score;
            s.weak = true;
            s
        });
        (weak, scored)
    }

    fn query(&self, name: &str) -> Query {
        let name = normalize_company_name(name);
        let prepared = PreparedName::new(&name);
        let weights = self.weights.weights(&prepared);
        let patterns = NamePatterns::new(&prepared);
        let sketch = Sketch::new(&prepared, &weights);
        let texts = TextSketches::new(&prepared);
        Query {
            name,
            prepared,
            weights,
            patterns,
            sketch,
            texts,
        }
    }

    fn automatic_match(
        &self,
        query: &Query,
        options: &MatchOptions,
    ) -> Option<(OrganizationId, MatchReason)> {
        if query.name.key.is_empty() {
            return None;
        }
        let tiers = [
            (
                self.ids(self.by_exact.get(&query.name.exact)),
                MatchReason::Exact,
            ),
            (self.alias_ids(query, options), MatchReason::Alias),
            (
                self.ids(self.by_key.get(&query.name.key)),
                MatchReason::Normalised,
            ),
        ];
        let (ids, reason) = tiers.into_iter().find(|(ids, _)| !ids.is_empty())?;
        match ids.as_slice() {
            [only] => Some((*only, reason)),
            _ => None,
        }
    }

    fn alias_ids(&self, query: &Query, options: &MatchOptions) -> Vec<OrganizationId> {
        let mut ids: Vec<OrganizationId> = options
            .aliases
            .targets_of(&query.name.key)
            .flat_map(|key| self.ids(self.by_key.get(key)))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    fn ids(&self, entries: Option<&Vec<u32>>) -> Vec<OrganizationId> {
        let mut ids: Vec<OrganizationId> = entries
            .into_iter()
            .flatten()
            .filter_map(|at| self.entries.get(*at as usize))
            .map(|e| e.organization.id)
            .collect();
        ids.sort();
        ids
    }

    /// The score of entry `at` for the query: the tier score for exact, alias and normalised
    /// matches, else the fuzzy score — with the word similarities the index found for the query
    /// when `gathered` holds them (the same values, not computed again).
    fn score(
        &self,
        query: &Query,
        at: u32,
        options: &MatchOptions,
        gathered: Option<&Scratch>,
    ) -> (f64, MatchReason) {
        let Some(entry) = self.entries.get(at as usize) else {
            return (0.0, MatchReason::Fuzzy);
        };
        if query.name.key.is_empty() || entry.name.key.is_empty() {
            return (0.0, MatchReason::Fuzzy);
        }
        if query.name.exact == entry.name.exact {
            return (EXACT_SCORE, MatchReason::Exact);
        }
        if options
            .aliases
            .targets_of(&query.name.key)
            .any(|key| key == entry.name.key)
        {
            return (ALIAS_SCORE, MatchReason::Alias);
        }
        if query.name.key == entry.name.key {
            let score = if query.name.legal_forms == entry.name.legal_forms {
                NORMALISED_SCORE
            } else {
                NORMALISED_OTHER_FORM_SCORE
            };
            return (score, MatchReason::Normalised);
        }
        let score = match gathered {
            Some(scratch) => fuzzy_score_with(
                query.weighted(),
                entry.weighted(),
                &Gathered::new(scratch, &query.prepared, &entry.prepared, &entry.units),
                Some(&query.patterns),
            ),
            None => fuzzy_score(query.weighted(), entry.weighted()),
        };
        (score, MatchReason::Fuzzy)
    }

    fn suggest_indexed(
        &self,
        scratch: &mut Scratch,
        query: &Query,
        options: &MatchOptions,
        floor: f64,
        top_k: usize,
    ) -> (Vec<Suggestion<OrganizationId>>, usize) {
        if query.name.key.is_empty() || top_k == 0 {
            return (Vec::new(), 0);
        }
        // Entries that a tier (rather than the fuzzy score) may put above the floor.
        let mut must_score: Vec<u32> = Vec::new();
        for key in options.aliases.targets_of(&query.name.key) {
            must_score.extend(self.by_key.get(key).into_iter().flatten());
        }
        must_score.extend(self.by_exact.get(&query.name.exact).into_iter().flatten());
        must_score.extend(self.by_key.get(&query.name.key).into_iter().flatten());

        let mut bounded = self.fuzzy_bounds(scratch, query, floor);
        bounded.sort_by(|a, b| b.bound.total_cmp(&a.bound).then(a.at.cmp(&b.at)));

        // Exact top (k + 1): the extra one gives the last suggestion its margin.
        let keep = top_k.saturating_add(1);
        let mut best: Vec<(OrganizationId, f64, MatchReason)> = Vec::with_capacity(keep + 1);
        let gathered = &*scratch;
        let consider = |at: u32, best: &mut Vec<(OrganizationId, f64, MatchReason)>| {
            let (score, reason) = self.score(query, at, options, Some(gathered));
            if score <= 0.0 || score < floor {
                return;
            }
            let Some(entry) = self.entries.get(at as usize) else {
                return;
            };
            let id = entry.organization.id;
            if best.iter().any(|(known, _, _)| *known == id) {
                return;
            }
            best.push((id, score, reason));
            best.sort_by(|a, b| better(a.1, &a.0, b.1, &b.0));
            best.truncate(keep);
        };
        let mut scored = 0;
        for at in must_score {
            scored += 1;
            consider(at, &mut best);
        }
        for Bounded { bound, at } in bounded {
            if best.len() == keep && best.last().is_some_and(|(_, s, _)| bound < *s) {
                break;
            }
            scored += 1;
            consider(at, &mut best);
        }
        (rank(best, floor, top_k), scored)
    }

    /// The upper bounds of the fuzzy scores that may reach `floor`, with their entries. Every
    /// entry the index does not reach scores at most [`unrelated_upper_bound`] (its word
    /// coverage is zero); a reached entry is first bounded from the best similarity each word may
    /// pair with and the lengths, and when that reaches the floor, also from the characters the
    /// texts have in common ([`refined`](Self::refined); measured: refining lazily, only for
    /// the entries the scoring walk gets to, scores more entries and is slower). For a floor at or
    /// below the unreached entries' bound, those are bounded the same way, with nothing that
    /// pairs.
    fn fuzzy_bounds(&self, scratch: &mut Scratch, query: &Query, floor: f64) -> Vec<Bounded> {
        self.units
            .gather(&query.prepared, self.entries.len(), scratch);
        let q_sketch = &query.sketch;
        let bound_of = |at: u32, reach: &Reach| -> Option<Bounded> {
            let sketch = self.sketches.get(at as usize)?;
            let key = TextEvidence {
                a_reachable: q_sketch.coverage(&reach.query_key, true),
                b_reachable: sketch.coverage(&reach.entry_key, true),
                a_chars: q_sketch.key_chars,
                b_chars: sketch.key_chars,
                common_chars: None,
                common_prefix: None,
            };
            let full = TextEvidence {
                a_reachable: q_sketch.coverage(&reach.query_full, false),
                b_reachable: sketch.coverage(&reach.entry_full, false),
                a_chars: q_sketch.full_chars,
                b_chars: sketch.full_chars,
                common_chars: None,
                common_prefix: None,
            };
            let first = fuzzy_upper_bound(key, full);
            if first < floor {
                return None;
            }
            let bound = first.min(self.refined(query, at, key, full));
            (bound >= floor).then_some(Bounded { bound, at })
        };
        let mut bounds: Vec<Bounded> = Vec::new();
        let everything = floor <= unrelated_upper_bound();
        let mut reached = vec![false; if everything { self.entries.len() } else { 0 }];
        for (at, reach) in scratch.drain() {
            if let Some(flag) = reached.get_mut(at as usize) {
                *flag = true;
            }
            bounds.extend(bound_of(at, &reach));
        }
        let nothing = Reach::default();
        for (at, _) in reached.iter().enumerate().filter(|(_, r)| !**r) {
            let Ok(at) = u32::try_from(at) else {
                continue;
            };
            bounds.extend(bound_of(at, &nothing));
        }
        bounds
    }

    /// The bound of entry `at` from the evidence of the first bound and the characters the
    /// texts have in common and their shared prefix.
    fn refined(
        &self,
        query: &Query,
        at: u32,
        mut key: TextEvidence,
        mut full: TextEvidence,
    ) -> f64 {
        let Some(texts) = self.texts.get(at as usize) else {
            return fuzzy_upper_bound(key, full);
        };
        key.common_chars = common_chars(&query.texts.key, &texts.key);
        key.common_prefix = Some(common_prefix(&query.texts.key, &texts.key));
        full.common_chars = common_chars(&query.texts.full, &texts.full);
        full.common_prefix = Some(common_prefix(&query.texts.full, &texts.full));
        fuzzy_upper_bound(key, full)
    }
}

/// An entry's bound.
#[derive(Clone, Copy)]
struct Bounded {
    bound: f64,
    at: u32,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn name() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            prop::sample::select(vec![
                "acme", "dental", "group", "and", "schinner", "ltd", "llc", "inc"
            ])
            .prop_map(str::to_owned),
            "[a-e]{1,6}",
        ];
        prop::collection::vec(word, 1..5).prop_map(|w| w.join(" "))
    }

    /// A text that is two words written together in one name and a single word in another is
    /// two units: a query's two words written together pair with the single word.
    #[test]
    fn a_single_word_written_like_two_joined_words_is_found() {
        let index = OrganizationIndex::new(
            ["Maple Grove Dental", "Maplegrove Plumbing", "Bolt Roofing"]
                .iter()
                .enumerate()
                .map(|(i, name)| Organization {
                    id: OrganizationId(i as u64 + 1),
                    name: (*name).to_owned(),
                }),
        );
        let options = MatchOptions::default();
        let found = index.evaluate("Maple Grove", &options).suggestions;
        assert_eq!(found, index.suggest_exhaustive("Maple Grove", &options));
        assert!(found.iter().any(|s| s.candidate == OrganizationId(2)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn no_fuzzy_score_exceeds_its_bound(orgs in prop::collection::vec(name(), 1..40), query in name()) {
            let index = OrganizationIndex::new(
                orgs.iter().enumerate().map(|(i, n)| Organization { id: OrganizationId(i as u64), name: n.clone() }),
            );
            let query = index.query(&query);
            let bounds: HashMap<u32, f64> = index
                .fuzzy_bounds(&mut Scratch::default(), &query, 0.0)
                .into_iter()
                .map(|b| (b.at, b.bound))
                .collect();
            for (at, entry) in index.entries.iter().enumerate() {
                let score = fuzzy_score(query.weighted(), entry.weighted());
                let bound = bounds.get(&(at as u32)).copied().unwrap_or_else(unrelated_upper_bound);
                prop_assert!(score <= bound, "{:?} vs {:?}: {} > {}", query.name.raw, entry.organization.name, score, bound);
            }
        }
    }
}
