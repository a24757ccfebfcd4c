//! Candidate generation: an inverted index from letter pairs to the organizations whose words
//! contain them, and the per-query evidence it gathers (how many letter pairs each organization
//! shares with the query, overall and word by word).

use std::collections::HashMap;

use super::scoring::{PreparedName, padded_bigrams};

/// Words tracked one by one in the evidence; a name's words past these are assumed pairable.
pub(crate) const TRACKED_WORDS: usize = 16;

/// One word's share of a letter pair.
#[derive(Debug, Clone, Copy)]
struct Posting {
    entry: u32,
    word: u16,
    count: u16,
    /// Whether the word belongs to the key (rather than to a legal form).
    in_key: bool,
}

/// Letter pair → the indexed names' words containing it, in entry order.
#[derive(Debug, Default)]
pub(crate) struct PairIndex {
    postings: HashMap<u64, Vec<Posting>>,
}

/// What one indexed name shares with the query.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Evidence {
    touched: bool,
    /// Letter pairs shared between the keys (multiset intersection).
    pub shared_in_key: u32,
    /// Letter pairs shared between the full forms.
    pub shared_in_full: u32,
    /// For each query word, the letter pairs it shares with the whole indexed name.
    pub query_words: [u16; TRACKED_WORDS],
    /// For each word of the indexed name, the letter pairs it shares with the whole query.
    pub entry_words: [u16; TRACKED_WORDS],
}

/// Reusable per-query buffers.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    evidence: Vec<Evidence>,
    touched: Vec<u32>,
}

impl Scratch {
    /// The entries the last [`PairIndex::gather`] touched, with their evidence, and resets the
    /// buffers for the next query.
    pub fn drain(&mut self) -> impl Iterator<Item = (u32, Evidence)> + '_ {
        let evidence = &mut self.evidence;
        self.touched.drain(..).filter_map(move |at| {
            let slot = evidence.get_mut(at as usize)?;
            Some((at, std::mem::take(slot)))
        })
    }
}

impl PairIndex {
    /// Indexes the words of entry `entry`.
    pub fn add(&mut self, entry: u32, name: &PreparedName) {
        for (pair, words) in word_pairs(name) {
            let postings = self.postings.entry(pair).or_default();
            for (word, count) in words {
                postings.push(Posting {
                    entry,
                    word,
                    count,
                    in_key: usize::from(word) < name.key_words,
                });
            }
        }
    }

    /// How many distinct letter pairs are indexed.
    pub fn len(&self) -> usize {
        self.postings.len()
    }

    /// Gathers the evidence of every entry sharing a letter pair with the query; `entries` is
    /// how many entries the index holds.
    pub fn gather(&self, query: &PreparedName, entries: usize, scratch: &mut Scratch) {
        if scratch.evidence.len() < entries {
            scratch.evidence.resize(entries, Evidence::default());
        }
        for (pair, words) in word_pairs(query) {
            let Some(postings) = self.postings.get(&pair) else {
                continue;
            };
            let query_full: u32 = words.iter().map(|(_, c)| u32::from(*c)).sum();
            let query_key: u32 = words
                .iter()
                .filter(|(w, _)| usize::from(*w) < query.key_words)
                .map(|(_, c)| u32::from(*c))
                .sum();
            for run in postings.chunk_by(|a, b| a.entry == b.entry) {
                let Some(first) = run.first() else { continue };
                let Some(found) = scratch.evidence.get_mut(first.entry as usize) else {
                    continue;
                };
                if !found.touched {
                    found.touched = true;
                    scratch.touched.push(first.entry);
                }
                let entry_full: u32 = run.iter().map(|p| u32::from(p.count)).sum();
                found.shared_in_full += query_full.min(entry_full);
                found.shared_in_key += query_key.min(key_count(run));
                for (word, count) in &words {
                    if let Some(slot) = found.query_words.get_mut(usize::from(*word)) {
                        *slot = slot.saturating_add(clamp16(u32::from(*count).min(entry_full)));
                    }
                }
                for posting in run {
                    if let Some(slot) = found.entry_words.get_mut(usize::from(posting.word)) {
                        *slot =
                            slot.saturating_add(clamp16(u32::from(posting.count).min(query_full)));
                    }
                }
            }
        }
    }
}

/// The count of a run's postings that belong to key words.
fn key_count(run: &[Posting]) -> u32 {
    run.iter()
        .filter(|p| p.in_key)
        .map(|p| u32::from(p.count))
        .sum()
}

fn clamp16(value: u32) -> u16 {
    u16::try_from(value).unwrap_or(u16::MAX)
}

/// The name's padded letter pairs, sorted, each with the words containing it and how often.
fn word_pairs(name: &PreparedName) -> Vec<(u64, Vec<(u16, u16)>)> {
    let mut pairs: Vec<(u64, u16)> = name
        .words
        .iter()
        .enumerate()
        .flat_map(|(i, word)| {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            padded_bigrams(word).map(move |pair| (pair, i))
        })
        .collect();
    pairs.sort_unstable();
    let mut out: Vec<(u64, Vec<(u16, u16)>)> = Vec::with_capacity(pairs.len());
    for (pair, word) in pairs {
        match out.last_mut() {
            Some((last, words)) if *last == pair => match words.last_mut() {
                Some((w, count)) if *w == word => *count = count.saturating_add(1),
                _ => words.push((word, 1)),
            },
            _ => out.push((pair, vec![(word, 1)])),
        }
    }
    out
}
