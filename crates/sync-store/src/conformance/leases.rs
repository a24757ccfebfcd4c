//! Cases on per-tenant leases.

use std::time::Duration;

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{HolderProcess, LeaseHolder, Store};

const TTL: Duration = Duration::from_secs(60);

/// While a lease is unexpired nobody else gets it; from its expiry on, anybody may.
pub async fn lease_is_exclusive_until_it_expires<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, &"worker-2".into(), TTL, at(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, &"worker-2".into(), TTL, at(59))
            .await
            .unwrap()
    );
    // Another tenant's lease is independent.
    assert!(
        store
            .acquire_lease(&tenant_b(), &"worker-2".into(), TTL, at(1))
            .await
            .unwrap()
    );
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-1");
    assert_eq!(lease.expires_at, at(60));
    assert!(!lease.is_expired(at(59)));
    assert!(lease.is_expired(at(60)));
    assert!(
        store
            .acquire_lease(&t, &"worker-2".into(), TTL, at(60))
            .await
            .unwrap()
    );
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-2");
    assert_eq!(lease.acquired_at, at(60));
    assert!(
        !store
            .acquire_lease(&t, &"worker-1".into(), TTL, at(61))
            .await
            .unwrap()
    );
}

/// The holder extends its lease by renewing (or acquiring again) before it expires.
pub async fn lease_holder_renews_and_extends_it<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        store
            .renew_lease(&t, "worker-1", TTL, at(50))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, &"worker-2".into(), TTL, at(100))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(&t, &"worker-1".into(), TTL, at(105))
            .await
            .unwrap()
    );
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.acquired_at, at(0));
    assert_eq!(lease.expires_at, at(165));
    assert!(
        !store
            .renew_lease(&t, "worker-2", TTL, at(106))
            .await
            .unwrap()
    );
}

/// A lapsed lease is not renewed: its holder must acquire it again (and may lose it).
pub async fn expired_lease_cannot_be_renewed<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&t, "worker-1", TTL, at(60))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(&t, &"worker-2".into(), TTL, at(61))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&t, "worker-1", TTL, at(62))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&tenant_b(), "worker-1", TTL, at(0))
            .await
            .unwrap()
    );
}

/// Only the holder releases its lease; then anybody may take it at once.
pub async fn only_the_holder_releases_a_lease<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(!store.release_lease(&t, "worker-2").await.unwrap());
    assert!(store.lease(&t).await.unwrap().is_some());
    assert!(store.release_lease(&t, "worker-1").await.unwrap());
    assert_eq!(store.lease(&t).await.unwrap(), None);
    assert!(!store.release_lease(&t, "worker-1").await.unwrap());
    assert!(
        store
            .acquire_lease(&t, &"worker-2".into(), TTL, at(1))
            .await
            .unwrap()
    );
}

/// Workers racing for a free lease: exactly one gets it.
pub async fn concurrent_acquires_grant_one_lease<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let [a, b, c] = ["worker-a", "worker-b", "worker-c"].map(LeaseHolder::new);
    let (a, b, c) = tokio::join!(
        store.acquire_lease(&t, &a, TTL, at(0)),
        store.acquire_lease(&t, &b, TTL, at(0)),
        store.acquire_lease(&t, &c, TTL, at(0)),
    );
    let granted = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(granted.iter().filter(|g| **g).count(), 1, "{granted:?}");
}

/// A holder that gives its process has it recorded with the lease; renewing keeps it.
pub async fn lease_records_the_holders_process<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let process = HolderProcess::new("host-a", 4_000_000_000, Some(u64::MAX - 7));
    let holder = LeaseHolder::new("worker-1").with_process(process.clone());
    assert!(store.acquire_lease(&t, &holder, TTL, at(0)).await.unwrap());
    assert!(
        store
            .renew_lease(&t, "worker-1", TTL, at(30))
            .await
            .unwrap()
    );
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.process, Some(process));
    assert_eq!(lease.expires_at, at(90));
    fixture.restart().await;
    let store = fixture.store();
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-1");
    assert_eq!(lease.process.as_ref().map(|p| p.pid), Some(4_000_000_000));
    // A holder without a process replaces the recorded one with none.
    assert!(
        store
            .acquire_lease(&tenant_b(), &"worker-2".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert_eq!(
        store.lease(&tenant_b()).await.unwrap().unwrap().process,
        None
    );
}

/// The unexpired lease of a holder found gone is taken over at once; only that holder's.
pub async fn lease_of_a_gone_holder_is_taken_over_at_once<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let dead = LeaseHolder::new("worker-1").with_process(HolderProcess::new("host-a", 10, None));
    let heir = LeaseHolder::new("worker-2").with_process(HolderProcess::new("host-a", 11, None));
    assert!(store.acquire_lease(&t, &dead, TTL, at(0)).await.unwrap());
    // Naming another holder as gone takes nothing.
    assert!(
        !store
            .take_over_lease(&t, &heir, "worker-3", TTL, at(5))
            .await
            .unwrap()
    );
    assert!(
        store
            .take_over_lease(&t, &heir, "worker-1", TTL, at(5))
            .await
            .unwrap()
    );
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-2");
    assert_eq!(lease.process, heir.process);
    assert_eq!(lease.acquired_at, at(5));
    assert_eq!(lease.expires_at, at(65));
    // The gone holder cannot renew, and a second heir naming it finds the lease taken.
    assert!(!store.renew_lease(&t, "worker-1", TTL, at(6)).await.unwrap());
    assert!(
        !store
            .take_over_lease(&t, &"worker-3".into(), "worker-1", TTL, at(7))
            .await
            .unwrap()
    );
    // A free lease is simply acquired; an expired one too, whoever held it.
    assert!(
        store
            .take_over_lease(&tenant_b(), &heir, "worker-1", TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        store
            .take_over_lease(&t, &"worker-3".into(), "worker-9", TTL, at(65))
            .await
            .unwrap()
    );
    assert_eq!(store.lease(&t).await.unwrap().unwrap().holder, "worker-3");
}

/// Heirs racing to take over one gone holder's lease: exactly one gets it.
pub async fn concurrent_take_overs_grant_one_lease<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, &"gone".into(), TTL, at(0))
            .await
            .unwrap()
    );
    let [a, b, c] = ["heir-a", "heir-b", "heir-c"].map(LeaseHolder::new);
    let (a, b, c) = tokio::join!(
        store.take_over_lease(&t, &a, "gone", TTL, at(1)),
        store.take_over_lease(&t, &b, "gone", TTL, at(1)),
        store.take_over_lease(&t, &c, "gone", TTL, at(1)),
    );
    let granted = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(granted.iter().filter(|g| **g).count(), 1, "{granted:?}");
}
