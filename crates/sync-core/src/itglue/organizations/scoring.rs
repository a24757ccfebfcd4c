//! The fuzzy score of two company names, and its upper bounds.
//!
//! Two names are compared twice, on their normalised keys and on their *full* form (the key
//! followed by the legal forms, so that "Trantow PLC" is closer to "Tjantow PL" than "Trantow
//! Ltd" is, and a legal form the normalisation could not recognise is still compared), and the
//! two similarities are averaged with [`KEY_SHARE`]. Each similarity combines:
//!
//! - **word coverage** (weight [`WORD_WEIGHT`]): each word of one name is paired with its most
//!   similar word of the other (equal, or a normalised Levenshtein similarity ≥
//!   [`WORD_THRESHOLD`] when both have at least three characters and share a letter pair), or
//!   with two adjacent words written together ("AcmeDental" ~ "Acme Dental", "Harv^y" ~
//!   "Harvey"); the similarities are summed with each word's weight and divided by the name's
//!   total weight.
//!   A word's weight is lower the more organizations of the account use it ("group",
//!   "services", "and"); a legal-form word weighs 1, as much as a word every organization uses.
//!   Computed both ways and averaged, so it is token-set like and blind to word order;
//! - **Levenshtein** (weight [`LEVENSHTEIN_WEIGHT`]): normalised edit similarity of the texts as
//!   written and with their words sorted (token-sort), whichever is higher;
//! - **Jaro-Winkler** (weight [`JARO_WINKLER_WEIGHT`]) of the texts as written, which rewards a
//!   shared beginning.
//!
//! Each part has an upper bound that is cheap to compute — word coverage from which words may
//! pair (see the candidate index), Levenshtein and Jaro-Winkler from the lengths, the characters
//! two texts have in common and their shared prefix — which lets the
//! [index](super::OrganizationIndex) skip almost every organization without scoring it.

use std::collections::HashMap;

use super::distance::{Pattern, jaro_winkler, levenshtein};
use crate::names::NormalizedName;

/// Share of the key similarity in the fuzzy score; the full form has the rest.
pub const KEY_SHARE: f64 = 0.3;
/// Share of the word coverage in a similarity.
pub const WORD_WEIGHT: f64 = 0.5;
/// Share of the Levenshtein similarity in a similarity.
pub const LEVENSHTEIN_WEIGHT: f64 = 0.3;
/// Share of the Jaro-Winkler similarity in a similarity.
pub const JARO_WINKLER_WEIGHT: f64 = 0.2;
/// Two different words count as the same word from this normalised Levenshtein similarity on.
pub const WORD_THRESHOLD: f64 = 0.7;
/// The weight of a legal-form word in the word coverage.
const LEGAL_FORM_WEIGHT: f64 = 1.0;
/// Words shorter than this many characters only pair with an equal word.
const MIN_FUZZY_WORD_CHARS: usize = 3;
/// A fuzzy score never reaches the scores of exact, alias and normalised matches.
pub const FUZZY_CAP: f64 = 0.97;
/// Guards the bound against floating-point rounding.
const BOUND_SLACK: f64 = 1e-6;

/// One text (key or full form) prepared for comparison.
#[derive(Debug, Clone)]
pub(crate) struct PreparedText {
    /// The words joined by single blanks.
    pub text: Vec<char>,
    /// The words in sorted order joined by single blanks.
    pub sorted: Vec<char>,
    /// The length in characters.
    pub chars: usize,
    /// How many characters of each kind it holds (see [`char_bucket`]); `None` for texts too
    /// long to count in `u16`.
    pub histogram: Option<[u16; HISTOGRAM_BUCKETS]>,
}

/// Buckets of the character histogram: a–z, 0–9, blank, and the rest spread over the others.
const HISTOGRAM_BUCKETS: usize = 64;

/// The histogram bucket of a character. Several characters may share a bucket, which only makes
/// the count of common characters an over-estimate.
fn char_bucket(c: char) -> usize {
    match c {
        'a'..='z' => c as usize - 'a' as usize,
        '0'..='9' => 26 + (c as usize - '0' as usize),
        ' ' => 36,
        _ => 37 + (c as usize % (HISTOGRAM_BUCKETS - 37)),
    }
}

impl PreparedText {
    fn new(words: &[String]) -> Self {
        let mut sorted = words.to_vec();
        sorted.sort();
        let text: Vec<char> = words.join(" ").chars().collect();
        let histogram = (text.len() < usize::from(u16::MAX)).then(|| {
            let mut counts = [0u16; HISTOGRAM_BUCKETS];
            for &c in &text {
                counts[char_bucket(c)] += 1;
            }
            counts
        });
        Self {
            chars: text.len(),
            sorted: sorted.join(" ").chars().collect(),
            histogram,
            text,
        }
    }
}

/// What the bounds need of one text, packed small: the index reads it for thousands of names
/// per query, so it must stay in cache.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextSketch {
    /// The character histogram, for texts shorter than 256 characters.
    counts: Option<[u8; HISTOGRAM_BUCKETS]>,
    /// The first four characters (`'\0'` past the end).
    head: [char; 4],
}

impl TextSketch {
    pub fn new(text: &PreparedText) -> Self {
        let counts = match &text.histogram {
            Some(histogram) if text.chars < 256 => {
                let mut counts = [0u8; HISTOGRAM_BUCKETS];
                for (slot, count) in counts.iter_mut().zip(histogram) {
                    *slot = u8::try_from(*count).unwrap_or(u8::MAX);
                }
                Some(counts)
            }
            _ => None,
        };
        let mut head = ['\0'; 4];
        for (slot, c) in head.iter_mut().zip(&text.text) {
            *slot = *c;
        }
        Self { counts, head }
    }
}

/// An upper bound of how many characters two texts have in common (as multisets).
pub(crate) fn common_chars(a: &TextSketch, b: &TextSketch) -> Option<usize> {
    let (x, y) = (a.counts.as_ref()?, b.counts.as_ref()?);
    Some(x.iter().zip(y).map(|(p, q)| usize::from(*p.min(q))).sum())
}

/// How many of the first four characters two texts share (Jaro-Winkler's prefix).
pub(crate) fn common_prefix(a: &TextSketch, b: &TextSketch) -> usize {
    a.head
        .iter()
        .zip(&b.head)
        .take_while(|(x, y)| x == y && **x != '\0')
        .count()
}

/// A name prepared for scoring: its words (the key's, then the legal forms'), and its key and
/// full texts.
#[derive(Debug, Clone)]
pub(crate) struct PreparedName {
    /// Key words first, then legal-form words.
    pub words: Vec<String>,
    /// Each word's characters.
    pub letters: Vec<Vec<char>>,
    /// How many of `words` belong to the key.
    pub key_words: usize,
    pub key: PreparedText,
    pub full: PreparedText,
}

impl PreparedName {
    pub fn new(name: &NormalizedName) -> Self {
        let mut words: Vec<String> = name.words().map(str::to_owned).collect();
        let key_words = words.len();
        let key = PreparedText::new(&words);
        words.extend(
            name.legal_forms
                .iter()
                .flat_map(|form| form.split(' '))
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
        let full = PreparedText::new(&words);
        Self {
            letters: words.iter().map(|w| w.chars().collect()).collect(),
            words,
            key_words,
            key,
            full,
        }
    }
}

/// How much each word counts, from how many organizations of the account use it: a smoothed
/// inverse document frequency, `ln((n + 1) / (df + 1)) + 1`.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordWeights {
    document_frequency: HashMap<String, u32>,
    documents: usize,
}

impl WordWeights {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a PreparedName>) -> Self {
        let mut document_frequency: HashMap<String, u32> = HashMap::new();
        let mut documents = 0;
        for name in names {
            documents += 1;
            let mut words: Vec<&String> = name.words.iter().collect();
            words.sort();
            words.dedup();
            for word in words {
                *document_frequency.entry(word.clone()).or_default() += 1;
            }
        }
        Self {
            document_frequency,
            documents,
        }
    }

    pub fn weight(&self, word: &str) -> f64 {
        let df = self.document_frequency.get(word).copied().unwrap_or(0);
        ((self.documents as f64 + 1.0) / (f64::from(df) + 1.0)).ln() + 1.0
    }

    /// The weights of a name's words, in the order of [`PreparedName::words`].
    pub fn weights(&self, name: &PreparedName) -> Vec<f64> {
        name.words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i < name.key_words {
                    self.weight(w)
                } else {
                    LEGAL_FORM_WEIGHT
                }
            })
            .collect()
    }
}

/// A prepared name with its word weights.
#[derive(Clone, Copy)]
pub(crate) struct Weighted<'a> {
    pub name: &'a PreparedName,
    pub weights: &'a [f64],
}

/// The word similarities word coverage pairs up, between a name `a` and a name `b`.
pub(crate) trait WordPairs {
    /// Word `i` of `a` with word `j` of `b` ([`word_similarity`]).
    fn word(&self, i: usize, j: usize) -> f64;
    /// Word `i` of `a` with words `j` and `j + 1` of `b` written together
    /// ([`compound_similarity`]).
    fn a_word_b_pair(&self, i: usize, j: usize) -> f64;
    /// Word `j` of `b` with words `i` and `i + 1` of `a` written together.
    fn b_word_a_pair(&self, j: usize, i: usize) -> f64;
}

/// The word similarities computed from the words.
pub(crate) struct Direct<'a> {
    pub a: &'a PreparedName,
    pub b: &'a PreparedName,
}

impl WordPairs for Direct<'_> {
    fn word(&self, i: usize, j: usize) -> f64 {
        word_similarity(&self.a.letters[i], &self.b.letters[j])
    }

    fn a_word_b_pair(&self, i: usize, j: usize) -> f64 {
        let b = &self.b.letters;
        compound_similarity(&self.a.letters[i], &b[j], &b[j + 1])
    }

    fn b_word_a_pair(&self, j: usize, i: usize) -> f64 {
        let a = &self.a.letters;
        compound_similarity(&self.b.letters[j], &a[i], &a[i + 1])
    }
}

/// The fuzzy score of two names, in `[0, FUZZY_CAP]`.
pub(crate) fn fuzzy_score(a: Weighted<'_>, b: Weighted<'_>) -> f64 {
    fuzzy_score_with(
        a,
        b,
        &Direct {
            a: a.name,
            b: b.name,
        },
        None,
    )
}

/// The texts of a name compared with many others (a query), prepared once.
pub(crate) struct NamePatterns {
    key: [Pattern; 2],
    full: [Pattern; 2],
}

impl NamePatterns {
    pub fn new(name: &PreparedName) -> Self {
        let patterns = |text: &PreparedText| [Pattern::new(&text.text), Pattern::new(&text.sorted)];
        Self {
            key: patterns(&name.key),
            full: patterns(&name.full),
        }
    }
}

/// [`fuzzy_score`] with the word similarities from `pairs`, and `a`'s texts prepared when
/// `patterns` holds them (the same score).
pub(crate) fn fuzzy_score_with(
    a: Weighted<'_>,
    b: Weighted<'_>,
    pairs: &impl WordPairs,
    patterns: Option<&NamePatterns>,
) -> f64 {
    if a.name.key_words == 0 || b.name.key_words == 0 {
        return 0.0;
    }
    let (ak, bk) = (a.name.key_words, b.name.key_words);
    let key = similarity(
        &a.name.key,
        &b.name.key,
        word_coverage(pairs, &a.weights[..ak], &b.weights[..bk]),
        patterns.map(|p| &p.key),
    );
    let without_legal_forms = a.name.words.len() == ak && b.name.words.len() == bk;
    let full = if without_legal_forms {
        key
    } else {
        similarity(
            &a.name.full,
            &b.name.full,
            word_coverage(pairs, a.weights, b.weights),
            patterns.map(|p| &p.full),
        )
    };
    (KEY_SHARE * key + (1.0 - KEY_SHARE) * full).clamp(0.0, FUZZY_CAP)
}

fn similarity(
    a: &PreparedText,
    b: &PreparedText,
    coverage: f64,
    patterns: Option<&[Pattern; 2]>,
) -> f64 {
    let distances = match patterns {
        Some([text, sorted]) => (text.distance(&b.text), sorted.distance(&b.sorted)),
        None => (
            levenshtein(&a.text, &b.text),
            levenshtein(&a.sorted, &b.sorted),
        ),
    };
    let levenshtein = levenshtein_similarity(distances.0, a.chars, b.chars).max(
        levenshtein_similarity(distances.1, a.sorted.len(), b.sorted.len()),
    );
    let jaro_winkler = jaro_winkler(&a.text, &b.text);
    WORD_WEIGHT * coverage + LEVENSHTEIN_WEIGHT * levenshtein + JARO_WINKLER_WEIGHT * jaro_winkler
}

/// The normalised Levenshtein similarity (as `strsim` computes it) of texts of lengths `a` and
/// `b` at this distance.
fn levenshtein_similarity(distance: usize, a: usize, b: usize) -> f64 {
    let longest = a.max(b);
    if longest == 0 {
        return 1.0;
    }
    1.0 - distance as f64 / longest as f64
}

/// Names with up to this many words are paired without allocating.
const STACK_WORDS: usize = 24;

/// The average of both names' weight shares of covered words, over their first words (as many
/// as they have weights). A word is covered by its best partner: a word of the other name, two
/// adjacent words of the other name written together ("acmedental" ~ "acme dental"), or — for
/// the two words themselves — the word they pair with when written together ("harv y" ~
/// "harvey").
fn word_coverage(pairs: &impl WordPairs, a_weights: &[f64], b_weights: &[f64]) -> f64 {
    let (na, nb) = (a_weights.len(), b_weights.len());
    let (mut stack_a, mut stack_b) = ([0.0f64; STACK_WORDS], [0.0f64; STACK_WORDS]);
    let (mut heap_a, mut heap_b) = (Vec::new(), Vec::new());
    let best_a: &mut [f64] = if na <= STACK_WORDS {
        &mut stack_a[..na]
    } else {
        heap_a.resize(na, 0.0);
        &mut heap_a
    };
    let best_b: &mut [f64] = if nb <= STACK_WORDS {
        &mut stack_b[..nb]
    } else {
        heap_b.resize(nb, 0.0);
        &mut heap_b
    };
    for (i, best_i) in best_a.iter_mut().enumerate() {
        for (j, best_j) in best_b.iter_mut().enumerate() {
            let similarity = pairs.word(i, j);
            *best_i = best_i.max(similarity);
            *best_j = best_j.max(similarity);
        }
    }
    for (i, best_i) in best_a.iter_mut().enumerate() {
        for j in 1..nb {
            let similarity = pairs.a_word_b_pair(i, j - 1);
            *best_i = best_i.max(similarity);
            raise_pair(best_b, j, similarity);
        }
    }
    for (j, best_j) in best_b.iter_mut().enumerate() {
        for i in 1..na {
            let similarity = pairs.b_word_a_pair(j, i - 1);
            *best_j = best_j.max(similarity);
            raise_pair(best_a, i, similarity);
        }
    }
    (weighted_share(best_a, a_weights) + weighted_share(best_b, b_weights)) / 2.0
}

/// Raises the best similarities of words `second − 1` and `second` to `similarity`.
fn raise_pair(best: &mut [f64], second: usize, similarity: f64) {
    if let Some([first, second]) = best.get_mut(second.wrapping_sub(1)..=second) {
        *first = first.max(similarity);
        *second = second.max(similarity);
    }
}

fn weighted_share(similarities: &[f64], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let covered: f64 = similarities.iter().zip(weights).map(|(s, w)| s * w).sum();
    covered / total
}

/// Whether a word shares a letter pair with each of two words: the condition for pairing it
/// with them written together.
pub(crate) fn compound_parts_share_bigrams(word: &[char], first: &[char], second: &[char]) -> bool {
    share_a_bigram(word, first) && share_a_bigram(word, second)
}

/// How similar a word is to two words written together, when it shares a letter pair with
/// each of them.
fn compound_similarity(word: &[char], first: &[char], second: &[char]) -> f64 {
    if !could_pair(word.len(), first.len() + second.len())
        || !compound_parts_share_bigrams(word, first, second)
    {
        return 0.0;
    }
    // Joined on the stack: this runs for every word and pair of adjacent words of two names.
    let mut buffer = ['\0'; 64];
    let length = first.len() + second.len();
    if length <= buffer.len() {
        buffer[..first.len()].copy_from_slice(first);
        buffer[first.len()..length].copy_from_slice(second);
        word_similarity(word, &buffer[..length])
    } else {
        let joined: Vec<char> = first.iter().chain(second).copied().collect();
        word_similarity(word, &joined)
    }
}

/// Whether words of these lengths can reach [`WORD_THRESHOLD`]: the edit distance is at least
/// the difference in length.
fn could_pair(a: usize, b: usize) -> bool {
    let longest = a.max(b);
    longest > 0 && 1.0 - a.abs_diff(b) as f64 / longest as f64 >= WORD_THRESHOLD
}

/// How similar two words are: 1 when equal, their normalised Levenshtein similarity when it
/// reaches [`WORD_THRESHOLD`] and both words are long enough and share a letter pair, else 0.
pub(crate) fn word_similarity(a: &[char], b: &[char]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.len() < MIN_FUZZY_WORD_CHARS
        || b.len() < MIN_FUZZY_WORD_CHARS
        || !could_pair(a.len(), b.len())
    {
        return 0.0;
    }
    let similarity = levenshtein_similarity(levenshtein(a, b), a.len(), b.len());
    if similarity >= WORD_THRESHOLD && share_a_bigram(a, b) {
        similarity
    } else {
        0.0
    }
}

/// The letter pairs of a word padded with a blank on each side, as `(first, second)` codes.
pub(crate) fn padded_bigrams(word: &str) -> impl Iterator<Item = u64> + '_ {
    let padded = std::iter::once(' ')
        .chain(word.chars())
        .chain(std::iter::once(' '));
    let next = padded.clone().skip(1);
    padded
        .zip(next)
        .map(|(x, y)| (u64::from(x) << 32) | u64::from(y))
}

/// Whether two words share a letter pair of their padded forms.
fn share_a_bigram(a: &[char], b: &[char]) -> bool {
    let padded = |w: &[char], i: usize| -> (char, char) {
        let at = |k: usize| if k == 0 || k > w.len() { ' ' } else { w[k - 1] };
        (at(i), at(i + 1))
    };
    (0..=a.len()).any(|i| {
        let pair = padded(a, i);
        (0..=b.len()).any(|j| padded(b, j) == pair)
    })
}

/// What is known about one text (key or full form) of a pair of names without comparing them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextEvidence {
    /// Upper bound of the first name's side of the word coverage.
    pub a_reachable: f64,
    /// The same for the second name.
    pub b_reachable: f64,
    /// Length of the first text in characters.
    pub a_chars: usize,
    /// Length of the second text in characters.
    pub b_chars: usize,
    /// Upper bound of the characters the texts have in common, when known.
    pub common_chars: Option<usize>,
    /// How many of their first four characters agree, when known.
    pub common_prefix: Option<usize>,
}

/// The highest similarity two texts can have given the evidence.
///
/// - Levenshtein: every character of the longer text that is not matched by an equal one costs
///   an edit, so the distance is at least `max(len) − common`, and at least the length
///   difference.
/// - Jaro: at most `common` characters match, so Jaro ≤ `(m/|a| + m/|b| + 1) / 3`, and the
///   Winkler boost adds at most `0.1 · prefix · (1 − jaro)`.
#[inline]
fn similarity_bound(evidence: TextEvidence) -> f64 {
    let (a, b) = (evidence.a_chars, evidence.b_chars);
    let longest = a.max(b);
    let common = evidence.common_chars.map_or(a.min(b), |m| m.min(a.min(b)));
    let levenshtein = if longest == 0 {
        1.0
    } else {
        1.0 - (longest - common) as f64 / longest as f64
    };
    let jaro_winkler = match evidence.common_chars {
        None => 1.0,
        Some(_) if common == 0 || a == 0 || b == 0 => 0.0,
        Some(_) => {
            let m = common as f64;
            let jaro = (m / a as f64 + m / b as f64 + 1.0) / 3.0;
            let prefix = evidence.common_prefix.unwrap_or(4) as f64;
            (jaro + 0.1 * prefix * (1.0 - jaro)).min(1.0)
        }
    };
    let coverage = (evidence.a_reachable + evidence.b_reachable) / 2.0;
    WORD_WEIGHT * coverage + LEVENSHTEIN_WEIGHT * levenshtein + JARO_WINKLER_WEIGHT * jaro_winkler
}

/// The highest fuzzy score a pair can have given the evidence on its keys and full forms.
#[inline]
pub(crate) fn fuzzy_upper_bound(key: TextEvidence, full: TextEvidence) -> f64 {
    let bound = KEY_SHARE * similarity_bound(key) + (1.0 - KEY_SHARE) * similarity_bound(full);
    bound.min(FUZZY_CAP) + BOUND_SLACK
}

/// The highest fuzzy score of two names none of whose words can pair: the word coverage is
/// zero, whatever the rest.
pub(crate) fn unrelated_upper_bound() -> f64 {
    LEVENSHTEIN_WEIGHT + JARO_WINKLER_WEIGHT + BOUND_SLACK
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::normalize_company_name;

    fn prepared(names: &[&str]) -> (Vec<PreparedName>, WordWeights) {
        let prepared: Vec<PreparedName> = names
            .iter()
            .map(|n| PreparedName::new(&normalize_company_name(n)))
            .collect();
        let weights = WordWeights::new(&prepared);
        (prepared, weights)
    }

    fn score(a: &str, b: &str) -> f64 {
        let (names, weights) = prepared(&[a, b]);
        let (wa, wb) = (weights.weights(&names[0]), weights.weights(&names[1]));
        fuzzy_score(
            Weighted {
                name: &names[0],
                weights: &wa,
            },
            Weighted {
                name: &names[1],
                weights: &wb,
            },
        )
    }

    #[test]
    fn word_order_matters_little() {
        assert!(score("Quitzon Group", "Group Quitzon") > 0.85);
    }

    #[test]
    fn typos_score_higher_than_other_names() {
        assert!(
            score("Swaniawskx Ltd", "Swaniawski Ltd") > score("Swaniawskx Ltd", "Kuhlman-Bogisich")
        );
    }

    #[test]
    fn the_legal_form_separates_otherwise_equal_names() {
        assert!(score("Tjantow PL", "Trantow PLC") > score("Tjantow PL", "Trantow Ltd"));
    }

    #[test]
    fn identical_names_are_capped_below_the_exact_tiers() {
        assert_eq!(score("acme", "acme"), FUZZY_CAP);
    }

    #[test]
    fn names_without_key_score_nothing() {
        assert_eq!(score("...", "acme"), 0.0);
    }

    #[test]
    fn words_written_together_pair_with_the_separate_words() {
        assert!(score("AcmeDental", "Acme Dental") > 0.8);
        assert!(score("Harv^y PLC", "Harvey PLC") > 0.7);
    }

    #[test]
    fn short_words_only_pair_when_equal() {
        let sim = |a: &str, b: &str| {
            word_similarity(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(sim("ab", "ac"), 0.0);
        assert_eq!(sim("ab", "ab"), 1.0);
        assert!(sim("terry", "temry") >= WORD_THRESHOLD);
        assert_eq!(sim("2dick", "dicki"), 0.0);
    }

    #[test]
    fn common_words_weigh_less() {
        let (_, weights) = prepared(&["Acme Group", "Bolt Group", "Core Group"]);
        assert!(weights.weight("group") < weights.weight("acme"));
        assert!(weights.weight("unseen") > weights.weight("acme"));
    }

    #[test]
    fn unrelated_names_cannot_reach_the_default_floor() {
        assert!(unrelated_upper_bound() < super::super::DEFAULT_SUGGESTION_FLOOR);
    }
}
