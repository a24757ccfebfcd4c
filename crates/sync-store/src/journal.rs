//! The journal of intended vendor writes.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

/// Where an intended vendor write stands.
///
/// Before the engine asks a vendor to create something (a company, a package, a configuration)
/// it records the intent under a deterministic idempotency key (for example
/// `gz:create-company:<site uid>`), marks it sent just before the call, and completes it with the
/// vendor's answer (the created id). A run interrupted anywhere in between finds the entry at the
/// next start ([`Store::pending_intents`](crate::Store::pending_intents), or
/// [`Store::record_intent`](crate::Store::record_intent) with the same key answering the existing
/// entry) and resumes instead of creating a second object:
///
/// | state found | what happened | what the engine does |
/// |---|---|---|
/// | [`IntentState::Recorded`] | the vendor was never called | call it |
/// | [`IntentState::Sent`] | the call may have reached the vendor | look the object up before creating |
/// | [`IntentState::Completed`] | done; `result` holds the answer | use the result, call nothing |
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IntentState {
    /// Recorded; the vendor has not been called.
    Recorded,
    /// The vendor call was (or was about to be) made; its outcome is not recorded.
    Sent,
    /// Done; the entry's `result` holds the outcome.
    Completed,
}

impl IntentState {
    /// The state's name in the store: `recorded`, `sent` or `completed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::Sent => "sent",
            Self::Completed => "completed",
        }
    }
}

impl fmt::Display for IntentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IntentState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Recorded, Self::Sent, Self::Completed]
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| format!("unknown journal state {s:?}"))
    }
}

/// One intended vendor write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    /// The idempotency key the engine chose; unique per tenant.
    pub key: String,
    /// What the write does, for people reading the journal.
    pub description: String,
    /// Where it stands.
    pub state: IntentState,
    /// The outcome given at completion (for example the created vendor id).
    pub result: Option<String>,
    /// When the intent was recorded.
    pub recorded_at: DateTime<Utc>,
    /// When it was first marked sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was completed.
    pub completed_at: Option<DateTime<Utc>>,
}

impl JournalEntry {
    /// A new entry in state [`IntentState::Recorded`].
    pub(crate) fn recorded(key: &str, description: &str, at: DateTime<Utc>) -> Self {
        Self {
            key: key.to_owned(),
            description: description.to_owned(),
            state: IntentState::Recorded,
            result: None,
            recorded_at: at,
            sent_at: None,
            completed_at: None,
        }
    }

    /// Whether the entry still needs the engine's attention.
    pub fn is_pending(&self) -> bool {
        self.state != IntentState::Completed
    }
}
