//! Cases on the journal of vendor writes.

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{IntentState, RecordKind, Store, StoreError};

const CREATE_COMPANY: &str = "gz:create-company:site-1";
const CREATE_PACKAGE: &str = "gz:create-package:site-1";

/// Recording a journaled key again answers the first entry, unchanged.
pub async fn recording_an_intent_twice_returns_the_first_entry<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let first = store
        .record_intent(&t, CREATE_COMPANY, "create company Acme", at(1))
        .await
        .unwrap();
    assert_eq!(first.state, IntentState::Recorded);
    assert_eq!(first.recorded_at, at(1));
    let again = store
        .record_intent(&t, CREATE_COMPANY, "create company Acme (rerun)", at(50))
        .await
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(store.journal(&t).await.unwrap(), [first]);
    // The same key of another tenant is another entry.
    let other = store
        .record_intent(&tenant_b(), CREATE_COMPANY, "b", at(2))
        .await
        .unwrap();
    assert_eq!(other.description, "b");
}

/// An intent is recorded, then sent, then completed with the vendor's answer.
pub async fn intent_moves_from_recorded_to_sent_to_completed<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    store
        .record_intent(&t, CREATE_COMPANY, "create company Acme", at(1))
        .await
        .unwrap();
    let sent = store.mark_sent(&t, CREATE_COMPANY, at(2)).await.unwrap();
    assert_eq!(sent.state, IntentState::Sent);
    assert_eq!(sent.sent_at, Some(at(2)));
    // A retried call keeps the first time it was sent.
    let resent = store.mark_sent(&t, CREATE_COMPANY, at(3)).await.unwrap();
    assert_eq!(resent.sent_at, Some(at(2)));
    let done = store
        .complete(&t, CREATE_COMPANY, "65f1c0ffee", at(4))
        .await
        .unwrap();
    assert_eq!(done.state, IntentState::Completed);
    assert_eq!(done.result.as_deref(), Some("65f1c0ffee"));
    assert_eq!(done.completed_at, Some(at(4)));
    assert_eq!(done.recorded_at, at(1));
    assert_eq!(store.intent(&t, CREATE_COMPANY).await.unwrap(), Some(done));
    assert!(store.pending_intents(&t).await.unwrap().is_empty());
    assert!(matches!(
        store.mark_sent(&t, "gz:unknown", at(5)).await,
        Err(StoreError::NotFound {
            kind: RecordKind::JournalEntry,
            ..
        })
    ));
}

/// A completed intent is final.
pub async fn completed_intent_is_neither_sent_nor_completed_again<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    store
        .record_intent(&t, CREATE_COMPANY, "c", at(1))
        .await
        .unwrap();
    let done = store
        .complete(&t, CREATE_COMPANY, "id-1", at(2))
        .await
        .unwrap();
    for result in [
        store.mark_sent(&t, CREATE_COMPANY, at(3)).await,
        store.complete(&t, CREATE_COMPANY, "id-2", at(3)).await,
    ] {
        assert!(matches!(
            result,
            Err(StoreError::InvalidState {
                kind: RecordKind::JournalEntry,
                ..
            })
        ));
    }
    assert_eq!(store.intent(&t, CREATE_COMPANY).await.unwrap(), Some(done));
}

/// Pending intents (recorded or sent) come back in the order they were recorded.
pub async fn pending_intents_are_listed_in_recorded_order<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    for (i, key) in ["k-3", "k-1", "k-2", "k-0"].into_iter().enumerate() {
        store.record_intent(&t, key, key, at(10)).await.unwrap();
        if i == 1 {
            store.mark_sent(&t, key, at(11)).await.unwrap();
        }
    }
    store.complete(&t, "k-2", "done", at(12)).await.unwrap();
    let pending: Vec<_> = store
        .pending_intents(&t)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.key, e.state))
        .collect();
    assert_eq!(
        pending,
        [
            ("k-3".to_owned(), IntentState::Recorded),
            ("k-1".to_owned(), IntentState::Sent),
            ("k-0".to_owned(), IntentState::Recorded),
        ]
    );
    assert_eq!(store.journal(&t).await.unwrap().len(), 4);
    assert!(store.pending_intents(&tenant_b()).await.unwrap().is_empty());
}

/// A worker dies between calling the vendor and recording the answer; after a restart the
/// journal shows what was in flight, and recording the same intent again answers the entry
/// instead of starting a second write.
pub async fn journal_resumes_after_a_restart_without_a_second_write<F: Fixture>(fixture: &mut F) {
    let t = tenant_a();
    {
        let store = fixture.store();
        store
            .record_intent(&t, "gz:create-company:site-0", "done before", at(1))
            .await
            .unwrap();
        store
            .complete(&t, "gz:create-company:site-0", "company-0", at(2))
            .await
            .unwrap();
        store
            .record_intent(&t, CREATE_COMPANY, "create company Acme", at(3))
            .await
            .unwrap();
        store.mark_sent(&t, CREATE_COMPANY, at(4)).await.unwrap();
        store
            .record_intent(&t, CREATE_PACKAGE, "create package", at(5))
            .await
            .unwrap();
        // The worker dies here: the company call may have reached GravityZone.
    }
    fixture.restart().await;
    let store = fixture.store();
    let pending = store.pending_intents(&t).await.unwrap();
    let states: Vec<_> = pending.iter().map(|e| (e.key.as_str(), e.state)).collect();
    assert_eq!(
        states,
        [
            (CREATE_COMPANY, IntentState::Sent),
            (CREATE_PACKAGE, IntentState::Recorded)
        ]
    );
    let resumed = store
        .record_intent(&t, CREATE_COMPANY, "create company Acme", at(100))
        .await
        .unwrap();
    assert_eq!(
        resumed.state,
        IntentState::Sent,
        "the engine must look the company up first"
    );
    assert_eq!(resumed.sent_at, Some(at(4)));
    let finished = store
        .record_intent(&t, "gz:create-company:site-0", "again", at(100))
        .await
        .unwrap();
    assert_eq!(finished.result.as_deref(), Some("company-0"));
}

/// Forgetting frees a completed key for reuse; a pending entry cannot be forgotten.
pub async fn only_completed_intents_are_forgotten<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    store
        .record_intent(&t, CREATE_COMPANY, "c", at(1))
        .await
        .unwrap();
    store.mark_sent(&t, CREATE_COMPANY, at(2)).await.unwrap();
    assert!(matches!(
        store.forget_intent(&t, CREATE_COMPANY).await,
        Err(StoreError::InvalidState { .. })
    ));
    store
        .complete(&t, CREATE_COMPANY, "id", at(3))
        .await
        .unwrap();
    store.forget_intent(&t, CREATE_COMPANY).await.unwrap();
    assert_eq!(store.intent(&t, CREATE_COMPANY).await.unwrap(), None);
    let fresh = store
        .record_intent(&t, CREATE_COMPANY, "again", at(9))
        .await
        .unwrap();
    assert_eq!(fresh.state, IntentState::Recorded);
    assert!(matches!(
        store.forget_intent(&t, "never").await,
        Err(StoreError::NotFound { .. })
    ));
}
