//! The organization pass over an account's groups: stored matches, ignored groups, automatic
//! matches and suggestions.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{MatchOptions, OrganizationIndex};
use crate::itglue::groups::Group;
use crate::itglue::ids::{GroupId, OrganizationId};
use crate::itglue::suggestion::{MatchReason, Suggestion};

/// Who made a stored match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchOrigin {
    /// An automatic pass, for this reason.
    Automatic {
        /// Why the pass matched.
        reason: MatchReason,
    },
    /// A user (accept suggestion, match to, change match, create).
    User,
}

/// A group ↔ organization match the store keeps. It wins over anything an automatic pass finds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StoredOrganizationMatch {
    /// The group.
    pub group: GroupId,
    /// The organization it is matched to.
    pub organization: OrganizationId,
    /// Who made the match.
    pub origin: MatchOrigin,
}

/// What the pass decided for one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum OrganizationOutcome {
    /// A stored match, kept as it is.
    Stored {
        /// The stored organization.
        organization: OrganizationId,
        /// Whether that organization is still among the organizations given to the pass.
        organization_exists: bool,
    },
    /// A new automatic match.
    Matched {
        /// The organization.
        organization: OrganizationId,
        /// Why (exact, alias or normalised).
        reason: MatchReason,
    },
    /// No match, but candidates above the floor, best first.
    Suggested {
        /// The candidates.
        suggestions: Vec<Suggestion<OrganizationId>>,
    },
    /// Nothing above the floor.
    Unmatched,
    /// Nothing at or above the floor, but a best candidate above
    /// [`WEAK_SUGGESTION_FLOOR`](super::WEAK_SUGGESTION_FLOOR): shown as one weak suggestion
    /// (marked [`Suggestion::weak`]), never matched automatically, and counted as unmatched.
    WeakSuggestion {
        /// The best candidate.
        suggestion: Suggestion<OrganizationId>,
    },
    /// The group is ignored: it is not matched and does not count as unmatched.
    Ignored,
}

/// The pass's result for one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMatch {
    /// The group.
    pub group: GroupId,
    /// The group's name.
    pub group_name: String,
    /// The decision.
    pub outcome: OrganizationOutcome,
}

/// How many groups ended in each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchCounts {
    /// Groups considered.
    pub groups: usize,
    /// Groups with a stored or a new automatic match.
    pub matched: usize,
    /// Groups with suggestions only.
    pub suggested: usize,
    /// Groups with neither.
    pub unmatched: usize,
    /// Ignored groups.
    pub ignored: usize,
}

/// The result of the organization pass, one entry per group, sorted by group id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationMatching {
    /// The decisions.
    pub matches: Vec<OrganizationMatch>,
}

impl OrganizationMatching {
    /// The counts per outcome.
    pub fn counts(&self) -> MatchCounts {
        let mut counts = MatchCounts {
            groups: self.matches.len(),
            ..MatchCounts::default()
        };
        for m in &self.matches {
            match m.outcome {
                OrganizationOutcome::Stored { .. } | OrganizationOutcome::Matched { .. } => {
                    counts.matched += 1;
                }
                OrganizationOutcome::Suggested { .. } => counts.suggested += 1,
                OrganizationOutcome::Unmatched | OrganizationOutcome::WeakSuggestion { .. } => {
                    counts.unmatched += 1;
                }
                OrganizationOutcome::Ignored => counts.ignored += 1,
            }
        }
        counts
    }

    /// The new automatic matches, as the store should keep them.
    pub fn new_matches(&self) -> impl Iterator<Item = StoredOrganizationMatch> + '_ {
        self.matches.iter().filter_map(|m| match m.outcome {
            OrganizationOutcome::Matched {
                organization,
                reason,
            } => Some(StoredOrganizationMatch {
                group: m.group.clone(),
                organization,
                origin: MatchOrigin::Automatic { reason },
            }),
            _ => None,
        })
    }

    /// The decision for one group.
    pub fn get(&self, group: &GroupId) -> Option<&OrganizationMatch> {
        self.matches
            .binary_search_by(|m| m.group.cmp(group))
            .ok()
            .and_then(|at| self.matches.get(at))
    }
}

/// Runs the organization pass over `groups`.
///
/// For each group, in this order: its stored match (kept even when the organization is gone,
/// flagged by `organization_exists`); ignored; the index's automatic match; its suggestions;
/// unmatched. The result is sorted by group id and does not depend on the order of any input.
/// When the input holds several stored matches for one group, the one with the smallest
/// organization id is used.
///
/// ```
/// use sync_core::itglue::*;
///
/// let index = OrganizationIndex::new([Organization { id: OrganizationId(7), name: "Acme, Inc.".into() }]);
/// let group = Group {
///     id: GroupId::Site(SiteUid::new("s1")),
///     name: "ACME".into(),
///     sites: vec![SiteUid::new("s1")],
///     devices: vec![DeviceUid::new("d1")],
/// };
/// let result = match_organizations(&[group], &index, &[], &[], &MatchOptions::default());
/// assert_eq!(result.counts().matched, 1);
/// assert_eq!(result.new_matches().count(), 1);
/// ```
pub fn match_organizations(
    groups: &[Group],
    index: &OrganizationIndex,
    stored: &[StoredOrganizationMatch],
    ignored: &[GroupId],
    options: &MatchOptions,
) -> OrganizationMatching {
    let mut stored_by_group: BTreeMap<&GroupId, OrganizationId> = BTreeMap::new();
    for m in stored {
        stored_by_group
            .entry(&m.group)
            .and_modify(|known| *known = (*known).min(m.organization))
            .or_insert(m.organization);
    }
    let ignored: BTreeSet<&GroupId> = ignored.iter().collect();

    let mut sorted: Vec<&Group> = groups.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.name.cmp(&b.name)));
    sorted.dedup_by(|later, earlier| later.id == earlier.id);

    // The groups the index decides, evaluated on every core.
    let open: Vec<&str> = sorted
        .iter()
        .filter(|g| !stored_by_group.contains_key(&g.id) && !ignored.contains(&g.id))
        .map(|g| g.name.as_str())
        .collect();
    let mut evaluated = index.evaluate_parallel(&open, options).into_iter();

    let matches = sorted
        .into_iter()
        .map(|group| {
            let outcome = if let Some(&organization) = stored_by_group.get(&group.id) {
                OrganizationOutcome::Stored {
                    organization,
                    organization_exists: index.get(organization).is_some(),
                }
            } else if ignored.contains(&group.id) {
                OrganizationOutcome::Ignored
            } else if let Some(found) = evaluated.next() {
                let weak = found.suggestions.first().filter(|s| s.weak).cloned();
                match (found.matched, weak, found.suggestions.is_empty()) {
                    (Some((organization, reason)), _, _) => OrganizationOutcome::Matched {
                        organization,
                        reason,
                    },
                    (None, Some(suggestion), _) => {
                        OrganizationOutcome::WeakSuggestion { suggestion }
                    }
                    (None, None, false) => OrganizationOutcome::Suggested {
                        suggestions: found.suggestions,
                    },
                    (None, None, true) => OrganizationOutcome::Unmatched,
                }
            } else {
                OrganizationOutcome::Unmatched
            };
            OrganizationMatch {
                group: group.id.clone(),
                group_name: group.name.clone(),
                outcome,
            }
        })
        .collect();
    OrganizationMatching { matches }
}
