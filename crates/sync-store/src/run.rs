//! Sync runs: what the engine did, when, and how it ended.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which sync a run belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Flow {
    /// The Datto RMM ↔ GravityZone inventory sync.
    #[serde(rename = "gravityzone")]
    GravityZone,
    /// The Datto RMM → IT Glue sync.
    #[serde(rename = "itglue")]
    ItGlue,
}

impl Flow {
    /// The flow's name in the store: `gravityzone` or `itglue`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GravityZone => "gravityzone",
            Self::ItGlue => "itglue",
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Flow {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::GravityZone, Self::ItGlue]
            .into_iter()
            .find(|flow| flow.as_str() == s)
            .ok_or_else(|| format!("unknown flow {s:?}"))
    }
}

/// A run's number, unique in the store and increasing with every run started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunId(pub i64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run {}", self.0)
    }
}

/// Where a run stands. Displays as the user sees it: `Syncing…`, `OK`, `Failed: <reason>`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunStatus {
    /// Started and not finished.
    Syncing,
    /// Finished without error.
    Ok,
    /// Finished with an error.
    Failed {
        /// Why, in words for the user.
        reason: String,
    },
}

impl fmt::Display for RunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syncing => f.write_str("Syncing…"),
            Self::Ok => f.write_str("OK"),
            Self::Failed { reason } => write!(f, "Failed: {reason}"),
        }
    }
}

/// How a run ended, as given to [`Store::finish_run`](crate::Store::finish_run).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunOutcome {
    /// Finished without error.
    Ok,
    /// Finished with an error.
    Failed {
        /// Why, in words for the user.
        reason: String,
    },
}

impl From<RunOutcome> for RunStatus {
    fn from(outcome: RunOutcome) -> Self {
        match outcome {
            RunOutcome::Ok => Self::Ok,
            RunOutcome::Failed { reason } => Self::Failed { reason },
        }
    }
}

/// What a run counted, by name (`sites`, `companies_created`, `events_open`, …).
pub type RunCounts = BTreeMap<String, u64>;

/// One sync run of one tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncRun {
    /// The run's number.
    pub id: RunId,
    /// Which sync.
    pub flow: Flow,
    /// Where it stands.
    pub status: RunStatus,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// What it counted (empty until it finishes).
    pub counts: RunCounts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_display_as_the_user_sees_them() {
        assert_eq!(RunStatus::Syncing.to_string(), "Syncing…");
        assert_eq!(RunStatus::Ok.to_string(), "OK");
        let failed = RunStatus::Failed {
            reason: "GravityZone refused the API key".into(),
        };
        assert_eq!(
            failed.to_string(),
            "Failed: GravityZone refused the API key"
        );
    }
}
