//! Cases on per-tenant leases.

use std::time::Duration;

use super::{Fixture, at, tenant_a, tenant_b};
use crate::Store;

const TTL: Duration = Duration::from_secs(60);

/// While a lease is unexpired nobody else gets it; from its expiry on, anybody may.
pub async fn lease_is_exclusive_until_it_expires<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, "worker-1", TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, "worker-2", TTL, at(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, "worker-2", TTL, at(59))
            .await
            .unwrap()
    );
    // Another tenant's lease is independent.
    assert!(
        store
            .acquire_lease(&tenant_b(), "worker-2", TTL, at(1))
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
            .acquire_lease(&t, "worker-2", TTL, at(60))
            .await
            .unwrap()
    );
    let lease = store.lease(&t).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-2");
    assert_eq!(lease.acquired_at, at(60));
    assert!(
        !store
            .acquire_lease(&t, "worker-1", TTL, at(61))
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
            .acquire_lease(&t, "worker-1", TTL, at(0))
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
            .acquire_lease(&t, "worker-2", TTL, at(100))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(&t, "worker-1", TTL, at(105))
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
            .acquire_lease(&t, "worker-1", TTL, at(0))
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
            .acquire_lease(&t, "worker-2", TTL, at(61))
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
            .acquire_lease(&t, "worker-1", TTL, at(0))
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
            .acquire_lease(&t, "worker-2", TTL, at(1))
            .await
            .unwrap()
    );
}

/// Workers racing for a free lease: exactly one gets it.
pub async fn concurrent_acquires_grant_one_lease<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let (a, b, c) = tokio::join!(
        store.acquire_lease(&t, "worker-a", TTL, at(0)),
        store.acquire_lease(&t, "worker-b", TTL, at(0)),
        store.acquire_lease(&t, "worker-c", TTL, at(0)),
    );
    let granted = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(granted.iter().filter(|g| **g).count(), 1, "{granted:?}");
}
