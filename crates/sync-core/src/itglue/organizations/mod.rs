//! Organization matching: which IT Glue organization a group (a site or an Autotask company)
//! belongs to.
//!
//! For each group: a stored match always wins and is never replaced by an automatic pass; an
//! ignored group is set aside; otherwise the [`OrganizationIndex`] decides — the same name as
//! written, a tenant alias, or the same normalised key is a match when exactly one organization
//! has it, and everything else becomes ranked suggestions above the floor.

mod candidates;
mod distance;
mod index;
mod matching;
mod named;
mod parallel;
pub(crate) mod scoring;

use serde::{Deserialize, Serialize};

pub use index::{
    ALIAS_SCORE, EXACT_SCORE, NORMALISED_OTHER_FORM_SCORE, NORMALISED_SCORE, Organization,
    OrganizationIndex,
};
pub use matching::{
    MatchCounts, MatchOrigin, OrganizationMatch, OrganizationMatching, OrganizationOutcome,
    StoredOrganizationMatch, match_organizations,
};
pub use named::{NamedCandidate, NamedMatch, NamedSuggestion};
pub use scoring::FUZZY_CAP;

pub(crate) use distance::jaro_winkler;

use super::ids::OrganizationId;
use super::suggestion::{MatchReason, Suggestion};
use crate::names::{NameAliases, NormalizedName};

/// The default suggestion floor: candidates scoring below it are not suggested. Chosen from
/// measurement on the evaluation set (docs/matching.md).
pub const DEFAULT_SUGGESTION_FLOOR: f64 = 0.6;

/// A name with no candidate at or above the floor gets its best candidate from this score up as
/// one *weak* suggestion ([`Suggestion::weak`]): shown, marked, never matched automatically.
/// Chosen on the evaluation set (docs/matching.md).
pub const WEAK_SUGGESTION_FLOOR: f64 = 0.2;

/// How many suggestions a group gets by default.
pub const DEFAULT_TOP_K: usize = 5;

/// A tenant's matching settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchOptions {
    /// Candidates scoring below this are not suggested (`[0, 1]`).
    pub floor: f64,
    /// At most this many suggestions per group.
    pub top_k: usize,
    /// Names the tenant declared to be the same company.
    pub aliases: NameAliases,
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            floor: DEFAULT_SUGGESTION_FLOOR,
            top_k: DEFAULT_TOP_K,
            aliases: NameAliases::new(),
        }
    }
}

/// What the index found for one name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameMatch {
    /// The name, normalised.
    pub name: NormalizedName,
    /// The organization it matches automatically, and why.
    pub matched: Option<(OrganizationId, MatchReason)>,
    /// The best candidates above the floor, best first.
    pub suggestions: Vec<Suggestion<OrganizationId>>,
    /// How many organizations were scored in full; the index ruled out the others.
    pub scored: usize,
}
