//! Candidate generation. Word coverage is half of every similarity, and a word only counts when
//! it pairs with a similar word (or two adjacent words written together) of the other name; so
//! an organization that has no word similar to a word of the query cannot reach a floor above
//! the other parts' weight, and is never looked at.
//!
//! The index holds every distinct *unit* of the indexed names — a word, or two adjacent words
//! written together — with the letter pairs (padded bigrams) it contains, and where each unit
//! occurs. For a query, each of its units looks up the units sharing enough letter pairs to be
//! similar (by the q-gram lemma, two texts with a normalised Levenshtein similarity of at least θ
//! share at least `(2θ − 1) · max(len) + 1` padded letter pairs) and computes the word
//! similarity with each, once per distinct unit; every organization holding one of them is
//! *reached*, with, for each word on both sides, the best similarity it may pair with. That is
//! an upper bound of what word coverage finds (coverage also requires two words written
//! together to share a letter pair with each of them, which can only lower it).

use std::collections::HashMap;

use super::scoring::{PreparedName, TextSketch, WORD_THRESHOLD, padded_bigrams, word_similarity};

/// Words tracked one by one on each side of a pair; words past these may pair perfectly.
pub(crate) const TRACKED_WORDS: usize = 8;

/// A word, or two adjacent words written together, of a name.
struct Unit {
    first: usize,
    span: usize,
    /// Whether all its words belong to the key (rather than to a legal form).
    in_key: bool,
    text: String,
    letters: Vec<char>,
}

fn units(name: &PreparedName) -> Vec<Unit> {
    let mut units: Vec<Unit> = name
        .words
        .iter()
        .enumerate()
        .map(|(i, word)| Unit {
            first: i,
            span: 1,
            in_key: i < name.key_words,
            text: word.clone(),
            letters: word.chars().collect(),
        })
        .collect();
    for (i, pair) in name.words.windows(2).enumerate() {
        let text = format!("{}{}", pair[0], pair[1]);
        units.push(Unit {
            first: i,
            span: 2,
            in_key: i + 1 < name.key_words,
            letters: text.chars().collect(),
            text,
        });
    }
    units
}

/// Where a unit occurs.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    entry: u32,
    first: usize,
    span: usize,
    in_key: bool,
}

/// The distinct units of the indexed names, by letter pair.
#[derive(Default)]
pub(crate) struct WordIndex {
    ids: HashMap<String, u32>,
    unit_chars: Vec<usize>,
    unit_letters: Vec<Vec<char>>,
    /// Whether the unit is two words written together.
    unit_compound: Vec<bool>,
    occurrences: Vec<Vec<Occurrence>>,
    /// Letter pair → the single-word units containing it, sorted by length once
    /// [`WordIndex::finish`] ran.
    postings: HashMap<u64, Vec<Posting>>,
    /// The same for the units of two words written together: only a single word pairs with
    /// them, so a query's own two-word units never walk these.
    compound_postings: HashMap<u64, Vec<Posting>>,
}

/// One unit's share of a letter pair.
#[derive(Debug, Clone, Copy)]
struct Posting {
    /// The unit's length in characters.
    chars: usize,
    unit: u32,
    /// How often the unit contains the pair.
    count: u32,
}

/// For one reached name: the best similarity each word may pair with, on the query's side and
/// on the name's, for the keys and for the full forms. Words past [`TRACKED_WORDS`] are not
/// tracked (they may pair perfectly).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Reach {
    touched: bool,
    /// Query key words, paired with key words of the name.
    pub query_key: [f32; TRACKED_WORDS],
    /// Query words, paired with words of the name.
    pub query_full: [f32; TRACKED_WORDS],
    /// Key words of the name, paired with key words of the query.
    pub entry_key: [f32; TRACKED_WORDS],
    /// Words of the name, paired with words of the query.
    pub entry_full: [f32; TRACKED_WORDS],
}

fn raise(best: &mut [f32; TRACKED_WORDS], first: usize, span: usize, similarity: f32) {
    for slot in best.iter_mut().skip(first).take(span) {
        *slot = slot.max(similarity);
    }
}

/// Reusable per-query buffers.
#[derive(Default)]
pub(crate) struct Scratch {
    unit_shared: Vec<u32>,
    touched_units: Vec<u32>,
    reach: Vec<Reach>,
    touched: Vec<u32>,
}

impl Scratch {
    /// The entries the last [`WordIndex::gather`] reached, with what may pair, and resets the
    /// buffers for the next query.
    pub fn drain(&mut self) -> impl Iterator<Item = (u32, Reach)> + '_ {
        let reach = &mut self.reach;
        self.touched.drain(..).filter_map(move |at| {
            let slot = reach.get_mut(at as usize)?;
            Some((at, std::mem::take(slot)))
        })
    }
}

/// The sorted letter pairs of a text with their counts.
fn pair_counts(text: &str) -> Vec<(u64, u32)> {
    let mut pairs: Vec<u64> = padded_bigrams(text).collect();
    pairs.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::with_capacity(pairs.len());
    for pair in pairs {
        match out.last_mut() {
            Some((last, count)) if *last == pair => *count += 1,
            _ => out.push((pair, 1)),
        }
    }
    out
}

/// The smallest `f32` at or above `value`.
fn round_up(value: f64) -> f32 {
    let rounded = value as f32;
    if f64::from(rounded) < value {
        rounded.next_up()
    } else {
        rounded
    }
}

/// The lengths a text of `chars` characters can pair with: the edit distance is at least the
/// difference in length, so `1 − |a − b| / max(a, b) ≥ θ`. Equal texts pair at any length.
fn length_range(chars: usize) -> (usize, usize) {
    let theta = WORD_THRESHOLD;
    if theta <= 0.0 {
        return (0, usize::MAX);
    }
    let shortest = (chars as f64 * theta).ceil() as usize;
    let longest = (chars as f64 / theta).floor() as usize;
    (shortest.min(chars), longest.max(chars))
}

/// The fewest padded letter pairs two texts of these lengths share when their normalised
/// Levenshtein similarity reaches the word threshold.
fn pairs_needed(a: usize, b: usize) -> f64 {
    (2.0 * WORD_THRESHOLD - 1.0).max(0.0) * a.max(b) as f64 + 1.0
}

impl WordIndex {
    /// Indexes the units of entry `entry`.
    pub fn add(&mut self, entry: u32, name: &PreparedName) {
        for unit in units(name) {
            let id = match self.ids.get(&unit.text) {
                Some(id) => *id,
                None => {
                    let id = u32::try_from(self.unit_chars.len()).unwrap_or(u32::MAX);
                    let postings = if unit.span > 1 {
                        &mut self.compound_postings
                    } else {
                        &mut self.postings
                    };
                    for (pair, count) in pair_counts(&unit.text) {
                        postings.entry(pair).or_default().push(Posting {
                            chars: unit.letters.len(),
                            unit: id,
                            count,
                        });
                    }
                    self.unit_chars.push(unit.letters.len());
                    self.unit_letters.push(unit.letters);
                    self.unit_compound.push(unit.span > 1);
                    self.occurrences.push(Vec::new());
                    self.ids.insert(unit.text, id);
                    id
                }
            };
            if let Some(list) = self.occurrences.get_mut(id as usize) {
                list.push(Occurrence {
                    entry,
                    first: unit.first,
                    span: unit.span,
                    in_key: unit.in_key,
                });
            }
        }
    }

    /// Sorts every letter pair's units by length, so a query only walks the units whose length
    /// allows a pairing. Call once all entries are added.
    pub fn finish(&mut self) {
        for postings in self
            .postings
            .values_mut()
            .chain(self.compound_postings.values_mut())
        {
            postings.sort_by_key(|p| (p.chars, p.unit));
        }
    }

    /// How many distinct units are indexed.
    pub fn len(&self) -> usize {
        self.unit_chars.len()
    }

    /// Finds the entries holding a unit similar to a unit of the query; `entries` is how many
    /// entries the index holds.
    pub fn gather<'a>(&'a self, query: &PreparedName, entries: usize, scratch: &mut Scratch) {
        if scratch.reach.len() < entries {
            scratch.reach.resize(entries, Reach::default());
        }
        if scratch.unit_shared.len() < self.unit_chars.len() {
            scratch.unit_shared.resize(self.unit_chars.len(), 0);
        }
        for unit in units(query) {
            let unit_chars = unit.letters.len();
            // A unit pairs only with a unit whose length is within the threshold's ratio.
            let (shortest, longest) = length_range(unit_chars);
            let compound_query = unit.span > 1;
            for (pair, count) in pair_counts(&unit.text) {
                let singles = self.postings.get(&pair);
                let compounds = (!compound_query)
                    .then(|| self.compound_postings.get(&pair))
                    .flatten();
                let in_range = |postings: &'a Vec<Posting>| {
                    let start = postings.partition_point(|p| p.chars < shortest);
                    let end = postings.partition_point(|p| p.chars <= longest);
                    postings.get(start..end).unwrap_or_default().iter()
                };
                for posting in singles.into_iter().chain(compounds).flat_map(in_range) {
                    if let Some(shared) = scratch.unit_shared.get_mut(posting.unit as usize) {
                        if *shared == 0 {
                            scratch.touched_units.push(posting.unit);
                        }
                        *shared += count.min(posting.count);
                    }
                }
            }
            for id in scratch.touched_units.drain(..) {
                let at = id as usize;
                let Some(shared) = scratch.unit_shared.get_mut(at) else {
                    continue;
                };
                let enough = f64::from(*shared)
                    >= pairs_needed(unit_chars, self.unit_chars.get(at).copied().unwrap_or(0));
                *shared = 0;
                // Word coverage pairs a word with a word, or with two words written together.
                let both_compound = unit.span > 1 && self.unit_compound.get(at) == Some(&true);
                if !enough || both_compound {
                    continue;
                }
                let Some(letters) = self.unit_letters.get(at) else {
                    continue;
                };
                // Rounded up so that the bound never falls below the score's own value.
                let similarity = round_up(word_similarity(&unit.letters, letters));
                if similarity <= 0.0 {
                    continue;
                }
                for occurrence in self.occurrences.get(at).into_iter().flatten() {
                    let Some(reach) = scratch.reach.get_mut(occurrence.entry as usize) else {
                        continue;
                    };
                    if !reach.touched {
                        reach.touched = true;
                        scratch.touched.push(occurrence.entry);
                    }
                    raise(&mut reach.query_full, unit.first, unit.span, similarity);
                    raise(
                        &mut reach.entry_full,
                        occurrence.first,
                        occurrence.span,
                        similarity,
                    );
                    if unit.in_key && occurrence.in_key {
                        raise(&mut reach.query_key, unit.first, unit.span, similarity);
                        raise(
                            &mut reach.entry_key,
                            occurrence.first,
                            occurrence.span,
                            similarity,
                        );
                    }
                }
            }
        }
    }
}

/// What the bounds need of one name, packed so that bounding thousands of reached names per
/// query stays in cache.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sketch {
    key_words: usize,
    words: usize,
    /// Key length in characters.
    pub key_chars: usize,
    /// Full-form length in characters.
    pub full_chars: usize,
    key_total: f64,
    full_total: f64,
    /// The first words' weights, rounded up.
    weights: [f32; TRACKED_WORDS],
    /// The weight of the key words past the tracked ones.
    rest_key: f64,
    /// The weight of all words past the tracked ones.
    rest_full: f64,
    /// The key's characters, for the bounds from common characters and prefix.
    pub key_text: TextSketch,
    /// The full form's characters.
    pub full_text: TextSketch,
}

impl Sketch {
    pub fn new(name: &PreparedName, weights: &[f64]) -> Self {
        let mut first = [0.0f32; TRACKED_WORDS];
        for (slot, w) in first.iter_mut().zip(weights) {
            *slot = round_up(*w);
        }
        let key = weights.get(..name.key_words).unwrap_or(weights);
        Self {
            key_words: name.key_words,
            words: weights.len(),
            key_chars: name.key.chars,
            full_chars: name.full.chars,
            key_total: key.iter().sum(),
            full_total: weights.iter().sum(),
            weights: first,
            rest_key: key.iter().skip(TRACKED_WORDS).sum(),
            rest_full: weights.iter().skip(TRACKED_WORDS).sum(),
            key_text: TextSketch::new(&name.key),
            full_text: TextSketch::new(&name.full),
        }
    }

    /// An upper bound of this name's side of the word coverage, for the key (`key`) or the full
    /// form: each word's weight times the best similarity it may pair with (words past the
    /// tracked ones count fully), over the total weight.
    pub fn coverage(&self, best: &[f32; TRACKED_WORDS], key: bool) -> f64 {
        let (words, rest, total) = if key {
            (self.key_words, self.rest_key, self.key_total)
        } else {
            (self.words, self.rest_full, self.full_total)
        };
        if total <= 0.0 {
            return 0.0;
        }
        let tracked: f32 = self
            .weights
            .iter()
            .zip(best)
            .take(words)
            .map(|(w, b)| w * b)
            .sum();
        // f32 sums round to nearest: widen them by a relative 1e-6 to stay above the exact sum.
        let covered = f64::from(tracked) * (1.0 + 1e-6) + rest;
        (covered / total).min(1.0)
    }
}
