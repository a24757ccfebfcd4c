//! The decisions every implementation shares, as pure functions of the stored record and the
//! request. Implementations read the record, ask here, and write the answer, so they cannot
//! disagree on what an operation means.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::time::{from_millis, millis_after, truncate_to_millis};
use crate::{
    ConnectionDetails, CredentialFingerprint, CredentialStatus, Integration, IntentState,
    JournalEntry, Lease, LeaseHolder, RecordKind, RunCounts, RunOutcome, StoreError, SyncRun,
    Vendor,
};

/// The lease after `holder` asks for it at `now`, or `None` when somebody else holds it.
/// A lease held by `gone` (a holder the caller found to be a process that no longer exists)
/// counts as free even before it expires.
pub(crate) fn acquire_lease(
    current: Option<&Lease>,
    holder: &LeaseHolder,
    gone: Option<&str>,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<Option<Lease>, StoreError> {
    let now = truncate_to_millis(now);
    let expires_at = from_millis(millis_after(now, ttl))?;
    let taken_over = |lease: &Lease| gone.is_some_and(|gone| lease.holder == gone);
    Ok(match current {
        Some(lease)
            if lease.holder == holder.name && !lease.is_expired(now) && !taken_over(lease) =>
        {
            Some(Lease {
                holder: holder.name.clone(),
                process: holder.process.clone(),
                acquired_at: lease.acquired_at,
                expires_at,
            })
        }
        Some(lease) if !lease.is_expired(now) && !taken_over(lease) => None,
        _ => Some(Lease {
            holder: holder.name.clone(),
            process: holder.process.clone(),
            acquired_at: now,
            expires_at,
        }),
    })
}

/// The lease after `holder` renews it at `now`, or `None` when `holder` no longer holds it.
pub(crate) fn renew_lease(
    current: Option<&Lease>,
    holder: &str,
    ttl: Duration,
    now: DateTime<Utc>,
) -> Result<Option<Lease>, StoreError> {
    let now = truncate_to_millis(now);
    match current {
        Some(lease) if lease.holder == holder && !lease.is_expired(now) => Ok(Some(Lease {
            expires_at: from_millis(millis_after(now, ttl))?,
            ..lease.clone()
        })),
        _ => Ok(None),
    }
}

/// The entry after it is marked sent at `at`.
pub(crate) fn mark_sent(
    entry: JournalEntry,
    at: DateTime<Utc>,
) -> Result<JournalEntry, StoreError> {
    match entry.state {
        IntentState::Recorded => Ok(JournalEntry {
            state: IntentState::Sent,
            sent_at: Some(truncate_to_millis(at)),
            ..entry
        }),
        IntentState::Sent => Ok(entry),
        IntentState::Completed => Err(journal_state(&entry, "be marked sent")),
    }
}

/// The entry after it is completed with `result` at `at`.
pub(crate) fn complete(
    entry: JournalEntry,
    result: &str,
    at: DateTime<Utc>,
) -> Result<JournalEntry, StoreError> {
    match entry.state {
        IntentState::Recorded | IntentState::Sent => Ok(JournalEntry {
            state: IntentState::Completed,
            result: Some(result.to_owned()),
            completed_at: Some(truncate_to_millis(at)),
            ..entry
        }),
        IntentState::Completed => Err(journal_state(&entry, "be completed again")),
    }
}

/// Checks that the entry may be forgotten.
pub(crate) fn forget(entry: &JournalEntry) -> Result<(), StoreError> {
    if entry.state == IntentState::Completed {
        Ok(())
    } else {
        Err(journal_state(entry, "be forgotten before it completes"))
    }
}

fn journal_state(entry: &JournalEntry, action: &'static str) -> StoreError {
    StoreError::InvalidState {
        kind: RecordKind::JournalEntry,
        key: entry.key.clone(),
        state: entry.state.to_string(),
        action,
    }
}

/// The run after it finishes.
pub(crate) fn finish_run(
    run: SyncRun,
    outcome: RunOutcome,
    counts: &RunCounts,
    at: DateTime<Utc>,
) -> Result<SyncRun, StoreError> {
    if run.finished_at.is_some() {
        return Err(StoreError::InvalidState {
            kind: RecordKind::SyncRun,
            key: run.id.0.to_string(),
            state: run.status.to_string(),
            action: "finish again",
        });
    }
    Ok(SyncRun {
        status: outcome.into(),
        finished_at: Some(truncate_to_millis(at)),
        counts: counts.clone(),
        ..run
    })
}

/// The integration after it is saved: new credentials have an unknown status, the same
/// credentials keep theirs.
pub(crate) fn save_integration(
    current: Option<&Integration>,
    vendor: Vendor,
    connection: &ConnectionDetails,
    fingerprint: &CredentialFingerprint,
) -> Integration {
    match current {
        Some(saved) if saved.fingerprint == *fingerprint => Integration {
            connection: connection.clone(),
            ..saved.clone()
        },
        _ => Integration::unchecked(vendor, connection.clone(), fingerprint.clone()),
    }
}

/// The integration after a credential check, or `None` when the check was of other credentials.
pub(crate) fn credential_checked(
    current: &Integration,
    fingerprint: &CredentialFingerprint,
    status: CredentialStatus,
    at: DateTime<Utc>,
) -> Option<Integration> {
    (current.fingerprint == *fingerprint).then(|| Integration {
        status,
        checked_at: Some(truncate_to_millis(at)),
        ..current.clone()
    })
}

pub(crate) mod gravityzone;
pub(crate) mod itglue;
