//! Suggestions: ranked candidates with a score, the reason they were proposed, and how far ahead
//! of the next one they are.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// Why a candidate was matched or proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchReason {
    /// The same name as written, case and blanks aside.
    Exact,
    /// The tenant declared the two names to be the same company.
    Alias,
    /// The same normalised key (legal form, location, punctuation, accents and abbreviations
    /// aside).
    Normalised,
    /// Similar names.
    Fuzzy,
    /// The configuration carries the device's uid in its RMM marker.
    RmmMarker,
    /// The same MAC address and the same serial number.
    MacAndSerial,
    /// The same MAC address.
    MacAddress,
    /// The same serial number.
    SerialNumber,
    /// The configuration's name or hostname is the device's hostname (case aside).
    Name,
}

/// A ranked candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion<T> {
    /// The proposed record.
    pub candidate: T,
    /// How good the candidate is, in `[0, 1]`.
    pub score: f64,
    /// Why it was proposed.
    pub reason: MatchReason,
    /// The score minus the next suggestion's score (the runner-up's, for the first one), or the
    /// whole score for the last suggestion when nothing else cleared the floor.
    pub margin: f64,
    /// A *weak* suggestion: the best candidate of a name that has nothing at or above the
    /// suggestion floor, shown alone so that a person can still pick it. It scores below the
    /// floor and is never matched automatically. Serialised only when set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub weak: bool,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

/// Orders scored candidates best first (score descending, then candidate ascending so that ties
/// are broken by a stable key), keeps those above zero and at or above `floor`, cuts the list to `top_k` and
/// computes each margin to the next candidate above the floor.
pub(crate) fn rank<T: Ord>(
    mut scored: Vec<(T, f64, MatchReason)>,
    floor: f64,
    top_k: usize,
) -> Vec<Suggestion<T>> {
    scored.retain(|(_, score, _)| *score > 0.0 && *score >= floor);
    scored.sort_by(|a, b| better(a.1, &a.0, b.1, &b.0));
    let next_scores: Vec<f64> = scored.iter().skip(1).map(|(_, s, _)| *s).collect();
    scored
        .into_iter()
        .take(top_k)
        .enumerate()
        .map(|(at, (candidate, score, reason))| Suggestion {
            candidate,
            score,
            reason,
            margin: score - next_scores.get(at).copied().unwrap_or(0.0),
            weak: false,
        })
        .collect()
}

/// [`rank`] on a buffer the caller keeps: the candidates are drained from it, its capacity
/// stays, and the margins are read from the next candidate without a list of scores
/// (configuration matching ranks the candidates of up to 200,000 devices, issue #19).
pub(crate) fn rank_drain<T: Ord>(
    scored: &mut Vec<(T, f64, MatchReason)>,
    floor: f64,
    top_k: usize,
) -> Vec<Suggestion<T>> {
    scored.retain(|(_, score, _)| *score > 0.0 && *score >= floor);
    scored.sort_by(|a, b| better(a.1, &a.0, b.1, &b.0));
    let mut ranked = Vec::with_capacity(top_k.min(scored.len()));
    let mut candidates = scored.drain(..).peekable();
    while ranked.len() < top_k {
        let Some((candidate, score, reason)) = candidates.next() else {
            break;
        };
        let next = candidates.peek().map_or(0.0, |(_, next, _)| *next);
        ranked.push(Suggestion {
            candidate,
            score,
            reason,
            margin: score - next,
            weak: false,
        });
    }
    ranked
}

/// `Less` when (score a, id a) ranks before (score b, id b).
pub(crate) fn better<T: Ord>(score_a: f64, a: &T, score_b: f64, b: &T) -> Ordering {
    score_b.total_cmp(&score_a).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Ranking in the caller's buffer ranks as [`rank`] does, ties, floor and cut included,
        /// and leaves the buffer empty.
        #[test]
        fn ranking_in_a_kept_buffer_is_ranking(
            scored in proptest::collection::vec((0u8..12, 0u8..6), 0..12),
            floor in 0u8..4,
            top_k in 0usize..7,
        ) {
            let scored: Vec<(u8, f64, MatchReason)> = scored
                .into_iter()
                .map(|(id, score)| (id, f64::from(score) / 5.0, MatchReason::Fuzzy))
                .collect();
            let floor = f64::from(floor) / 5.0;
            let mut buffer = scored.clone();
            proptest::prop_assert_eq!(rank_drain(&mut buffer, floor, top_k), rank(scored, floor, top_k));
            proptest::prop_assert!(buffer.is_empty());
        }
    }

    #[test]
    fn suggestions_are_ranked_by_score_then_id() {
        let ranked = rank(
            vec![
                (3, 0.8, MatchReason::Fuzzy),
                (1, 0.9, MatchReason::Fuzzy),
                (2, 0.8, MatchReason::Fuzzy),
            ],
            0.0,
            5,
        );
        let ids: Vec<i32> = ranked.iter().map(|s| s.candidate).collect();
        assert_eq!(ids, [1, 2, 3]);
    }

    #[test]
    fn margins_are_measured_to_the_next_candidate_above_the_floor() {
        let ranked = rank(
            vec![
                (1, 0.9, MatchReason::Fuzzy),
                (2, 0.7, MatchReason::Fuzzy),
                (3, 0.6, MatchReason::Fuzzy),
                (4, 0.2, MatchReason::Fuzzy),
            ],
            0.5,
            2,
        );
        assert_eq!(ranked.len(), 2);
        assert!((ranked[0].margin - 0.2).abs() < 1e-12);
        assert!((ranked[1].margin - 0.1).abs() < 1e-12);
    }

    #[test]
    fn a_lone_suggestion_keeps_its_whole_score_as_margin() {
        let ranked = rank(vec![(1, 0.7, MatchReason::Fuzzy)], 0.5, 5);
        assert_eq!(ranked[0].margin, 0.7);
    }
}
