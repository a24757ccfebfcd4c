//! Access scopes: what a user may see and act on. An administrator sees everything; a manager
//! only the organizations he was granted.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::ids::OrganizationId;
use super::organizations::{
    Organization, OrganizationMatch, OrganizationMatching, OrganizationOutcome,
};
use super::suggestion::rank;

/// The organizations a user may see and act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "organizations", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccessScope {
    /// Every organization (an administrator).
    Everything,
    /// Only these organizations (a manager).
    Organizations(BTreeSet<OrganizationId>),
}

/// An action on an organization outside the user's scope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("organization {organization} is not among the organizations this user was granted")]
pub struct AccessDenied {
    /// The organization asked for.
    pub organization: OrganizationId,
}

impl AccessScope {
    /// A manager's scope.
    pub fn granted(organizations: impl IntoIterator<Item = OrganizationId>) -> Self {
        Self::Organizations(organizations.into_iter().collect())
    }

    /// Whether the user may see and act on the organization.
    pub fn allows(&self, organization: OrganizationId) -> bool {
        match self {
            Self::Everything => true,
            Self::Organizations(granted) => granted.contains(&organization),
        }
    }

    /// Refuses an action on an organization outside the scope.
    pub fn check(&self, organization: OrganizationId) -> Result<(), AccessDenied> {
        if self.allows(organization) {
            Ok(())
        } else {
            Err(AccessDenied { organization })
        }
    }

    /// The organizations the user may see, in the given order.
    pub fn visible<'a>(
        &self,
        organizations: impl IntoIterator<Item = &'a Organization>,
    ) -> Vec<&'a Organization> {
        organizations
            .into_iter()
            .filter(|o| self.allows(o.id))
            .collect()
    }

    /// The part of an organization pass the user may see: groups matched to a granted
    /// organization, and groups with suggestions among granted organizations (only those
    /// suggestions, their margins measured among them). For a manager, groups without any
    /// organization (unmatched, ignored) are not shown: they belong to no granted organization.
    ///
    /// ```
    /// use sync_core::itglue::*;
    ///
    /// let index = OrganizationIndex::new([
    ///     Organization { id: OrganizationId(1), name: "Acme".into() },
    ///     Organization { id: OrganizationId(2), name: "Bolt".into() },
    /// ]);
    /// let groups: Vec<Group> = ["Acme", "Bolt"].iter().map(|name| Group {
    ///     id: GroupId::Site(SiteUid::new(*name)),
    ///     name: (*name).into(),
    ///     sites: vec![SiteUid::new(*name)],
    ///     devices: vec![DeviceUid::new("d")],
    /// }).collect();
    /// let all = match_organizations(&groups, &index, &[], &[], &MatchOptions::default());
    /// let mine = AccessScope::granted([OrganizationId(2)]).filter(&all);
    /// assert_eq!(mine.matches.len(), 1);
    /// assert_eq!(mine.matches[0].group_name, "Bolt");
    /// ```
    pub fn filter(&self, matching: &OrganizationMatching) -> OrganizationMatching {
        let matches = matching
            .matches
            .iter()
            .filter_map(|m| self.filter_one(m))
            .collect();
        OrganizationMatching { matches }
    }

    fn filter_one(&self, m: &OrganizationMatch) -> Option<OrganizationMatch> {
        if *self == Self::Everything {
            return Some(m.clone());
        }
        let outcome = match &m.outcome {
            OrganizationOutcome::Stored { organization, .. }
            | OrganizationOutcome::Matched { organization, .. } => {
                self.allows(*organization).then(|| m.outcome.clone())?
            }
            OrganizationOutcome::Suggested { suggestions } => {
                let visible: Vec<_> = suggestions
                    .iter()
                    .filter(|s| self.allows(s.candidate))
                    .map(|s| (s.candidate, s.score, s.reason))
                    .collect();
                if visible.is_empty() {
                    return None;
                }
                let count = visible.len();
                let weak = suggestions.iter().any(|s| s.weak);
                let mut suggestions = rank(visible, 0.0, count);
                for suggestion in &mut suggestions {
                    suggestion.weak = weak;
                }
                OrganizationOutcome::Suggested { suggestions }
            }
            _ => return None,
        };
        Some(OrganizationMatch {
            group: m.group.clone(),
            group_name: m.group_name.clone(),
            outcome,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itglue::ids::{GroupId, SiteUid};
    use crate::itglue::suggestion::{MatchReason, Suggestion};

    fn group_match(uid: &str, outcome: OrganizationOutcome) -> OrganizationMatch {
        OrganizationMatch {
            group: GroupId::Site(SiteUid::new(uid)),
            group_name: uid.to_owned(),
            outcome,
        }
    }

    fn suggestion(id: u64, score: f64) -> Suggestion<OrganizationId> {
        Suggestion {
            candidate: OrganizationId(id),
            score,
            reason: MatchReason::Fuzzy,
            margin: 0.0,
            weak: false,
        }
    }

    fn sample() -> OrganizationMatching {
        OrganizationMatching {
            matches: vec![
                group_match(
                    "a",
                    OrganizationOutcome::Matched {
                        organization: OrganizationId(1),
                        reason: MatchReason::Exact,
                    },
                ),
                group_match(
                    "b",
                    OrganizationOutcome::Stored {
                        organization: OrganizationId(2),
                        organization_exists: true,
                    },
                ),
                group_match(
                    "c",
                    OrganizationOutcome::Suggested {
                        suggestions: vec![
                            suggestion(1, 0.9),
                            suggestion(2, 0.8),
                            suggestion(3, 0.7),
                        ],
                    },
                ),
                group_match("d", OrganizationOutcome::Unmatched),
                group_match("e", OrganizationOutcome::Ignored),
            ],
        }
    }

    #[test]
    fn an_administrator_sees_everything() {
        assert_eq!(AccessScope::Everything.filter(&sample()), sample());
    }

    #[test]
    fn a_manager_sees_only_granted_organizations() {
        let scope = AccessScope::granted([OrganizationId(2), OrganizationId(3)]);
        let seen = scope.filter(&sample());
        let groups: Vec<&str> = seen.matches.iter().map(|m| m.group_name.as_str()).collect();
        assert_eq!(groups, ["b", "c"]);
        let OrganizationOutcome::Suggested { suggestions } = &seen.matches[1].outcome else {
            panic!("expected suggestions");
        };
        let ids: Vec<u64> = suggestions.iter().map(|s| s.candidate.0).collect();
        assert_eq!(ids, [2, 3]);
        assert!((suggestions[0].margin - 0.1).abs() < 1e-12);
    }

    #[test]
    fn an_action_outside_the_scope_is_refused() {
        let scope = AccessScope::granted([OrganizationId(2)]);
        assert_eq!(scope.check(OrganizationId(2)), Ok(()));
        let denied = scope.check(OrganizationId(5)).unwrap_err();
        assert_eq!(denied.organization, OrganizationId(5));
        assert!(denied.to_string().contains("not among the organizations"));
    }

    #[test]
    fn visible_keeps_the_granted_organizations() {
        let orgs = [
            Organization {
                id: OrganizationId(1),
                name: "a".into(),
            },
            Organization {
                id: OrganizationId(2),
                name: "b".into(),
            },
        ];
        let scope = AccessScope::granted([OrganizationId(2)]);
        assert_eq!(scope.visible(&orgs), [&orgs[1]]);
        assert_eq!(AccessScope::Everything.visible(&orgs).len(), 2);
    }
}
