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

use super::scoring::{
    PreparedName, TextSketch, WORD_THRESHOLD, WordPairs, compound_parts_share_bigrams,
    padded_bigrams, word_similarity,
};

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

/// Where a unit occurs, packed into eight bytes: the occurrences of the common words are walked
/// for every query that holds them.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    entry: u32,
    /// The position of its first word (saturated: only the first [`TRACKED_WORDS`] matter).
    first: u16,
    span: u8,
    in_key: bool,
}

/// The distinct units of the indexed names, by letter pair.
#[derive(Default)]
pub(crate) struct WordIndex {
    /// Single words by text.
    word_ids: HashMap<String, u32>,
    /// Two words written together, by text (apart from the single words: "maplegrove" may be
    /// both, and they pair with different units).
    compound_ids: HashMap<String, u32>,
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

/// The indexed units a query unit pairs with, and their word similarity (only the positive
/// ones).
type Similar = Vec<(u32, f64)>;

/// Reusable per-query buffers, and what is known of the query units seen so far.
#[derive(Default)]
pub(crate) struct Scratch {
    unit_shared: Vec<u32>,
    touched_units: Vec<u32>,
    reach: Vec<Reach>,
    /// The reached entries, as bits: drained in order, so that the bounds read the entries'
    /// sketches front to back.
    touched: Vec<u64>,
    /// The similar units of every single-word query unit met so far, by text: a word met by an
    /// earlier query is not looked up again (the index does not change).
    similar_words: HashMap<String, Similar>,
    /// The same for the query units of two words written together.
    similar_compounds: HashMap<String, Similar>,
    /// The last gathered query's word similarities: for an indexed unit, 1 + its row in `rows`
    /// (0: similar to no unit of the query).
    row_of: Vec<u32>,
    /// One row per indexed unit similar to a unit of the query: its similarity with each query
    /// unit (in the order of [`units`]).
    rows: Vec<f64>,
    /// Query units per row.
    stride: usize,
    /// The indexed units that have a row.
    row_units: Vec<u32>,
}

/// How many query units' lookups [`Scratch`] keeps at most; past that, it starts over.
const MAX_REMEMBERED_UNITS: usize = 1 << 16;

impl Scratch {
    /// The entries the last [`WordIndex::gather`] reached, with what may pair, and resets the
    /// buffers for the next query.
    pub fn drain(&mut self) -> impl Iterator<Item = (u32, Reach)> + '_ {
        let reach = &mut self.reach;
        self.touched
            .iter_mut()
            .enumerate()
            .filter(|(_, bits)| **bits != 0)
            .flat_map(|(word, bits)| {
                let mut remaining = std::mem::take(bits);
                std::iter::from_fn(move || {
                    if remaining == 0 {
                        return None;
                    }
                    let bit = remaining.trailing_zeros() as usize;
                    remaining &= remaining - 1;
                    Some(word * 64 + bit)
                })
            })
            .filter_map(move |at| {
                let slot = reach.get_mut(at)?;
                Some((u32::try_from(at).ok()?, std::mem::take(slot)))
            })
    }

    fn clear_rows(&mut self) {
        for unit in self.row_units.drain(..) {
            if let Some(row) = self.row_of.get_mut(unit as usize) {
                *row = 0;
            }
        }
        self.rows.clear();
    }
}

/// The word pairings of the last gathered query with one indexed name, read from what the
/// index computed ([`Scratch`]) instead of comparing the words again: the same values as
/// [`Direct`](super::scoring::Direct) (the index computes every positive similarity, see
/// `indexed_top_k_equals_brute_force_top_k`).
pub(crate) struct Gathered<'a> {
    scratch: &'a Scratch,
    /// The query's words.
    query: &'a PreparedName,
    /// The name's words.
    entry: &'a PreparedName,
    /// The name's units, in the order of [`units`].
    entry_units: &'a [u32],
    /// Each unit's row in the scratch (see [`Scratch::row_of`]), for names of up to
    /// [`ROWS_AT_HAND`] units.
    rows: [u32; ROWS_AT_HAND],
}

/// Names with up to this many units (words and pairs of adjacent words) have their rows at hand.
const ROWS_AT_HAND: usize = 48;

impl<'a> Gathered<'a> {
    /// The pairings of the last gathered query (`query`) with the indexed name `entry`, whose
    /// units are `entry_units`.
    pub fn new(
        scratch: &'a Scratch,
        query: &'a PreparedName,
        entry: &'a PreparedName,
        entry_units: &'a [u32],
    ) -> Self {
        let mut rows = [0u32; ROWS_AT_HAND];
        if entry_units.len() <= ROWS_AT_HAND {
            for (row, unit) in rows.iter_mut().zip(entry_units) {
                *row = scratch.row_of.get(*unit as usize).copied().unwrap_or(0);
            }
        }
        Self {
            scratch,
            query,
            entry,
            entry_units,
            rows,
        }
    }

    /// The similarity of the name's unit at `position` with the query unit `query_unit`.
    fn similarity(&self, position: usize, query_unit: usize) -> f64 {
        let row = if self.entry_units.len() <= ROWS_AT_HAND {
            self.rows.get(position).copied().unwrap_or(0)
        } else {
            let unit = self.entry_units.get(position).copied().unwrap_or(u32::MAX);
            self.scratch.row_of.get(unit as usize).copied().unwrap_or(0)
        };
        if row == 0 {
            return 0.0;
        }
        self.scratch
            .rows
            .get((row as usize - 1) * self.scratch.stride + query_unit)
            .copied()
            .unwrap_or(0.0)
    }
}

impl WordPairs for Gathered<'_> {
    fn word(&self, i: usize, j: usize) -> f64 {
        self.similarity(j, i)
    }

    fn a_word_b_pair(&self, i: usize, j: usize) -> f64 {
        let similarity = self.similarity(self.entry.words.len() + j, i);
        let letters = &self.entry.letters;
        if similarity > 0.0
            && compound_parts_share_bigrams(&self.query.letters[i], &letters[j], &letters[j + 1])
        {
            similarity
        } else {
            0.0
        }
    }

    fn b_word_a_pair(&self, j: usize, i: usize) -> f64 {
        let similarity = self.similarity(j, self.query.words.len() + i);
        let letters = &self.query.letters;
        if similarity > 0.0
            && compound_parts_share_bigrams(&self.entry.letters[j], &letters[i], &letters[i + 1])
        {
            similarity
        } else {
            0.0
        }
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
    /// Indexes the units of entry `entry`; returns their ids in the order of [`units`] (the
    /// words, then the pairs of adjacent words).
    pub fn add(&mut self, entry: u32, name: &PreparedName) -> Vec<u32> {
        let mut ids = Vec::new();
        for unit in units(name) {
            let compound = unit.span > 1;
            let known = if compound {
                self.compound_ids.get(&unit.text)
            } else {
                self.word_ids.get(&unit.text)
            };
            let id = match known {
                Some(id) => *id,
                None => {
                    let id = u32::try_from(self.unit_chars.len()).unwrap_or(u32::MAX);
                    let postings = if compound {
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
                    self.unit_compound.push(compound);
                    self.occurrences.push(Vec::new());
                    if compound {
                        self.compound_ids.insert(unit.text, id);
                    } else {
                        self.word_ids.insert(unit.text, id);
                    }
                    id
                }
            };
            ids.push(id);
            if let Some(list) = self.occurrences.get_mut(id as usize) {
                list.push(Occurrence {
                    entry,
                    first: u16::try_from(unit.first).unwrap_or(u16::MAX),
                    span: u8::try_from(unit.span).unwrap_or(u8::MAX),
                    in_key: unit.in_key,
                });
            }
        }
        ids
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

    /// The indexed units similar to a query unit, with their word similarity: the units of
    /// compatible length sharing enough letter pairs, compared in full.
    fn similar<'a>(
        &'a self,
        unit: &Unit,
        unit_shared: &mut [u32],
        touched: &mut Vec<u32>,
    ) -> Similar {
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
                if let Some(shared) = unit_shared.get_mut(posting.unit as usize) {
                    if *shared == 0 {
                        touched.push(posting.unit);
                    }
                    *shared += count.min(posting.count);
                }
            }
        }
        let mut similar = Vec::new();
        for id in touched.drain(..) {
            let at = id as usize;
            let Some(shared) = unit_shared.get_mut(at) else {
                continue;
            };
            let enough = f64::from(*shared)
                >= pairs_needed(unit_chars, self.unit_chars.get(at).copied().unwrap_or(0));
            *shared = 0;
            // Word coverage pairs a word with a word, or with two words written together.
            let both_compound = compound_query && self.unit_compound.get(at) == Some(&true);
            if !enough || both_compound {
                continue;
            }
            let Some(letters) = self.unit_letters.get(at) else {
                continue;
            };
            let similarity = word_similarity(&unit.letters, letters);
            if similarity > 0.0 {
                similar.push((id, similarity));
            }
        }
        similar
    }

    /// Finds the entries holding a unit similar to a unit of the query; `entries` is how many
    /// entries the index holds. Also keeps the similarities in `scratch` for [`Gathered`].
    pub fn gather(&self, query: &PreparedName, entries: usize, scratch: &mut Scratch) {
        if scratch.reach.len() < entries {
            scratch.reach.resize(entries, Reach::default());
            scratch.touched.resize(entries.div_ceil(64), 0);
        }
        if scratch.unit_shared.len() < self.unit_chars.len() {
            scratch.unit_shared.resize(self.unit_chars.len(), 0);
        }
        if scratch.row_of.len() < self.unit_chars.len() {
            scratch.row_of.resize(self.unit_chars.len(), 0);
        }
        scratch.clear_rows();
        if scratch.similar_words.len() + scratch.similar_compounds.len() > MAX_REMEMBERED_UNITS {
            scratch.similar_words.clear();
            scratch.similar_compounds.clear();
        }
        let query_units = units(query);
        scratch.stride = query_units.len();
        for (position, unit) in query_units.iter().enumerate() {
            let remembered = if unit.span > 1 {
                &mut scratch.similar_compounds
            } else {
                &mut scratch.similar_words
            };
            let similar = match remembered.get(&unit.text) {
                Some(similar) => similar,
                None => {
                    let similar =
                        self.similar(unit, &mut scratch.unit_shared, &mut scratch.touched_units);
                    remembered.entry(unit.text.clone()).or_insert(similar)
                }
            };
            for &(id, exact) in similar {
                // The similarity as scoring uses it.
                let row = match scratch.row_of.get_mut(id as usize) {
                    Some(row) if *row > 0 => *row as usize - 1,
                    Some(row) => {
                        let new = scratch.rows.len() / scratch.stride.max(1);
                        *row = u32::try_from(new + 1).unwrap_or(u32::MAX);
                        scratch
                            .rows
                            .resize(scratch.rows.len() + scratch.stride, 0.0);
                        scratch.row_units.push(id);
                        new
                    }
                    None => continue,
                };
                if let Some(slot) = scratch.rows.get_mut(row * scratch.stride + position) {
                    *slot = exact;
                }
                // Rounded up so that the bound never falls below the score's own value.
                let similarity = round_up(exact);
                for occurrence in self.occurrences.get(id as usize).into_iter().flatten() {
                    let at = occurrence.entry as usize;
                    let Some(reach) = scratch.reach.get_mut(at) else {
                        continue;
                    };
                    if let Some(bits) = scratch.touched.get_mut(at / 64) {
                        *bits |= 1u64 << (at % 64);
                    }
                    let (first, span) =
                        (usize::from(occurrence.first), usize::from(occurrence.span));
                    raise(&mut reach.query_full, unit.first, unit.span, similarity);
                    raise(&mut reach.entry_full, first, span, similarity);
                    if unit.in_key && occurrence.in_key {
                        raise(&mut reach.query_key, unit.first, unit.span, similarity);
                        raise(&mut reach.entry_key, first, span, similarity);
                    }
                }
            }
        }
    }
}

/// What the first bounds need of one name, packed so that bounding thousands of reached names
/// per query stays in cache; the characters ([`TextSketches`]) are kept apart, the few names
/// whose first bound reaches the floor need them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sketch {
    /// Key length in characters.
    pub key_chars: usize,
    /// Full-form length in characters.
    pub full_chars: usize,
    /// 1 over the key's total weight (0 for none).
    key_inverse: f64,
    /// 1 over the full form's total weight (0 for none).
    full_inverse: f64,
    /// The first words' weights, rounded up.
    weights: [f32; TRACKED_WORDS],
    /// The weight of the key words past the tracked ones.
    rest_key: f64,
    /// The weight of all words past the tracked ones.
    rest_full: f64,
    /// Key words, up to the tracked ones.
    key_words: u8,
    /// Words, up to the tracked ones.
    words: u8,
}

/// The characters of one name's key and full form, for the bounds from common characters and
/// prefix.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextSketches {
    /// The key's characters.
    pub key: TextSketch,
    /// The full form's characters.
    pub full: TextSketch,
}

impl TextSketches {
    pub fn new(name: &PreparedName) -> Self {
        Self {
            key: TextSketch::new(&name.key),
            full: TextSketch::new(&name.full),
        }
    }
}

impl Sketch {
    pub fn new(name: &PreparedName, weights: &[f64]) -> Self {
        let mut first = [0.0f32; TRACKED_WORDS];
        for (slot, w) in first.iter_mut().zip(weights) {
            *slot = round_up(*w);
        }
        let key = weights.get(..name.key_words).unwrap_or(weights);
        let tracked = |n: usize| u8::try_from(n.min(TRACKED_WORDS)).unwrap_or(u8::MAX);
        Self {
            key_words: tracked(name.key_words),
            words: tracked(weights.len()),
            key_chars: name.key.chars,
            full_chars: name.full.chars,
            key_inverse: inverse(key.iter().sum()),
            full_inverse: inverse(weights.iter().sum()),
            weights: first,
            rest_key: key.iter().skip(TRACKED_WORDS).sum(),
            rest_full: weights.iter().skip(TRACKED_WORDS).sum(),
        }
    }

    /// An upper bound of this name's side of the word coverage, for the key (`key`) or the full
    /// form: each word's weight times the best similarity it may pair with (words past the
    /// tracked ones count fully), over the total weight.
    pub fn coverage(&self, best: &[f32; TRACKED_WORDS], key: bool) -> f64 {
        let (words, rest, inverse) = if key {
            (self.key_words, self.rest_key, self.key_inverse)
        } else {
            (self.words, self.rest_full, self.full_inverse)
        };
        let words = usize::from(words);
        let tracked: f32 = self
            .weights
            .iter()
            .zip(best)
            .take(words)
            .map(|(w, b)| w * b)
            .sum();
        // f32 sums round to nearest: widen them by a relative 1e-6 to stay above the exact sum
        // (which also covers multiplying by the inverse instead of dividing).
        let covered = f64::from(tracked) * (1.0 + 1e-6) + rest * (1.0 + 1e-9);
        (covered * inverse).min(1.0)
    }
}

/// `1 / total`, or 0 for a total that is not positive (nothing to cover).
fn inverse(total: f64) -> f64 {
    if total > 0.0 { 1.0 / total } else { 0.0 }
}
