//! Cases on leases per tenant and flow.

use std::time::Duration;

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{Flow, HolderProcess, LeaseHolder, Store};

const TTL: Duration = Duration::from_secs(60);
/// The flow the single-flow cases use; [`a_tenants_two_flows_are_leased_apart`] mixes both.
const GZ: Flow = Flow::GravityZone;
const IG: Flow = Flow::ItGlue;

/// While a lease is unexpired nobody else gets it; from its expiry on, anybody may.
pub async fn lease_is_exclusive_until_it_expires<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, GZ, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, GZ, &"worker-2".into(), TTL, at(1))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, GZ, &"worker-2".into(), TTL, at(59))
            .await
            .unwrap()
    );
    // Another tenant's lease is independent.
    assert!(
        store
            .acquire_lease(&tenant_b(), GZ, &"worker-2".into(), TTL, at(1))
            .await
            .unwrap()
    );
    let lease = store.lease(&t, GZ).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-1");
    assert_eq!(lease.expires_at, at(60));
    assert!(!lease.is_expired(at(59)));
    assert!(lease.is_expired(at(60)));
    assert!(
        store
            .acquire_lease(&t, GZ, &"worker-2".into(), TTL, at(60))
            .await
            .unwrap()
    );
    let lease = store.lease(&t, GZ).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-2");
    assert_eq!(lease.acquired_at, at(60));
    assert!(
        !store
            .acquire_lease(&t, GZ, &"worker-1".into(), TTL, at(61))
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
            .acquire_lease(&t, GZ, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        store
            .renew_lease(&t, GZ, "worker-1", TTL, at(50))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, GZ, &"worker-2".into(), TTL, at(100))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(&t, GZ, &"worker-1".into(), TTL, at(105))
            .await
            .unwrap()
    );
    let lease = store.lease(&t, GZ).await.unwrap().unwrap();
    assert_eq!(lease.acquired_at, at(0));
    assert_eq!(lease.expires_at, at(165));
    assert!(
        !store
            .renew_lease(&t, GZ, "worker-2", TTL, at(106))
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
            .acquire_lease(&t, GZ, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&t, GZ, "worker-1", TTL, at(60))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(&t, GZ, &"worker-2".into(), TTL, at(61))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&t, GZ, "worker-1", TTL, at(62))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&tenant_b(), GZ, "worker-1", TTL, at(0))
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
            .acquire_lease(&t, GZ, &"worker-1".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert!(!store.release_lease(&t, GZ, "worker-2").await.unwrap());
    assert!(store.lease(&t, GZ).await.unwrap().is_some());
    assert!(store.release_lease(&t, GZ, "worker-1").await.unwrap());
    assert_eq!(store.lease(&t, GZ).await.unwrap(), None);
    assert!(!store.release_lease(&t, GZ, "worker-1").await.unwrap());
    assert!(
        store
            .acquire_lease(&t, GZ, &"worker-2".into(), TTL, at(1))
            .await
            .unwrap()
    );
}

/// Workers racing for the free leases of a tenant's two flows: exactly one gets each.
pub async fn concurrent_acquires_grant_one_lease<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let [a, b, c] = ["worker-a", "worker-b", "worker-c"].map(LeaseHolder::new);
    let (ga, gb, gc, ia, ib, ic) = tokio::join!(
        store.acquire_lease(&t, GZ, &a, TTL, at(0)),
        store.acquire_lease(&t, GZ, &b, TTL, at(0)),
        store.acquire_lease(&t, GZ, &c, TTL, at(0)),
        store.acquire_lease(&t, IG, &a, TTL, at(0)),
        store.acquire_lease(&t, IG, &b, TTL, at(0)),
        store.acquire_lease(&t, IG, &c, TTL, at(0)),
    );
    for (flow, granted) in [
        (GZ, [ga.unwrap(), gb.unwrap(), gc.unwrap()]),
        (IG, [ia.unwrap(), ib.unwrap(), ic.unwrap()]),
    ] {
        assert_eq!(
            granted.iter().filter(|g| **g).count(),
            1,
            "{flow}: {granted:?}"
        );
    }
}

/// A tenant's two flows have a lease each: two holders hold them at once, each flow is refused
/// to anybody else, and expiry, renewal, release and take-over act on one flow only.
pub async fn a_tenants_two_flows_are_leased_apart<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let gone = LeaseHolder::new("worker-1").with_process(HolderProcess::new("host-a", 10, None));
    assert!(
        store
            .acquire_lease(&t, GZ, &gone, TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(&t, IG, &"worker-2".into(), TTL, at(10))
            .await
            .unwrap()
    );
    // The same flow is refused to the other holder, both ways.
    for (flow, other) in [(GZ, "worker-2"), (IG, "worker-1")] {
        assert!(
            !store
                .acquire_lease(&t, flow, &other.into(), TTL, at(20))
                .await
                .unwrap(),
            "{flow} granted to {other}"
        );
    }
    assert_eq!(
        store.lease(&t, GZ).await.unwrap().unwrap().holder,
        "worker-1"
    );
    let itglue = store.lease(&t, IG).await.unwrap().unwrap();
    assert_eq!(
        (itglue.holder.as_str(), itglue.expires_at),
        ("worker-2", at(70))
    );
    // Renewal and release are the holder's, flow by flow.
    assert!(
        !store
            .renew_lease(&t, IG, "worker-1", TTL, at(30))
            .await
            .unwrap()
    );
    assert!(
        store
            .renew_lease(&t, GZ, "worker-1", TTL, at(30))
            .await
            .unwrap()
    );
    assert!(!store.release_lease(&t, GZ, "worker-2").await.unwrap());
    assert_eq!(
        store.lease(&t, IG).await.unwrap().unwrap().expires_at,
        at(70)
    );
    // Expiry is per flow: at 70 the IT Glue lease lapsed, the renewed GravityZone one holds.
    assert!(
        store
            .acquire_lease(&t, IG, &"worker-3".into(), TTL, at(70))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_lease(&t, GZ, &"worker-3".into(), TTL, at(70))
            .await
            .unwrap()
    );
    assert!(
        !store
            .renew_lease(&t, IG, "worker-2", TTL, at(71))
            .await
            .unwrap()
    );
    // Take-over is per flow: naming worker-1 gone takes its GravityZone lease only.
    let heir = LeaseHolder::new("worker-4");
    assert!(
        !store
            .take_over_lease(&t, IG, &heir, "worker-1", TTL, at(72))
            .await
            .unwrap()
    );
    assert!(
        store
            .take_over_lease(&t, GZ, &heir, "worker-1", TTL, at(72))
            .await
            .unwrap()
    );
    assert_eq!(
        store.lease(&t, GZ).await.unwrap().unwrap().holder,
        "worker-4"
    );
    assert_eq!(
        store.lease(&t, IG).await.unwrap().unwrap().holder,
        "worker-3"
    );
    // One holder may hold both flows; releasing one leaves the other.
    assert!(store.release_lease(&t, IG, "worker-3").await.unwrap());
    assert!(
        store
            .acquire_lease(&t, IG, &heir, TTL, at(73))
            .await
            .unwrap()
    );
    assert!(store.release_lease(&t, GZ, "worker-4").await.unwrap());
    assert_eq!(store.lease(&t, GZ).await.unwrap(), None);
    assert_eq!(
        store.lease(&t, IG).await.unwrap().unwrap().holder,
        "worker-4"
    );
}

/// A holder that gives its process has it recorded with the lease; renewing keeps it.
pub async fn lease_records_the_holders_process<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let process = HolderProcess::new("host-a", 4_000_000_000, Some(u64::MAX - 7));
    let holder = LeaseHolder::new("worker-1").with_process(process.clone());
    assert!(
        store
            .acquire_lease(&t, GZ, &holder, TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        store
            .renew_lease(&t, GZ, "worker-1", TTL, at(30))
            .await
            .unwrap()
    );
    let lease = store.lease(&t, GZ).await.unwrap().unwrap();
    assert_eq!(lease.process, Some(process));
    assert_eq!(lease.expires_at, at(90));
    fixture.restart().await;
    let store = fixture.store();
    let lease = store.lease(&t, GZ).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-1");
    assert_eq!(lease.process.as_ref().map(|p| p.pid), Some(4_000_000_000));
    // A holder without a process replaces the recorded one with none.
    assert!(
        store
            .acquire_lease(&tenant_b(), GZ, &"worker-2".into(), TTL, at(0))
            .await
            .unwrap()
    );
    assert_eq!(
        store.lease(&tenant_b(), GZ).await.unwrap().unwrap().process,
        None
    );
}

/// The unexpired lease of a holder found gone is taken over at once; only that holder's.
pub async fn lease_of_a_gone_holder_is_taken_over_at_once<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let dead = LeaseHolder::new("worker-1").with_process(HolderProcess::new("host-a", 10, None));
    let heir = LeaseHolder::new("worker-2").with_process(HolderProcess::new("host-a", 11, None));
    assert!(
        store
            .acquire_lease(&t, GZ, &dead, TTL, at(0))
            .await
            .unwrap()
    );
    // Naming another holder as gone takes nothing.
    assert!(
        !store
            .take_over_lease(&t, GZ, &heir, "worker-3", TTL, at(5))
            .await
            .unwrap()
    );
    assert!(
        store
            .take_over_lease(&t, GZ, &heir, "worker-1", TTL, at(5))
            .await
            .unwrap()
    );
    let lease = store.lease(&t, GZ).await.unwrap().unwrap();
    assert_eq!(lease.holder, "worker-2");
    assert_eq!(lease.process, heir.process);
    assert_eq!(lease.acquired_at, at(5));
    assert_eq!(lease.expires_at, at(65));
    // The gone holder cannot renew, and a second heir naming it finds the lease taken.
    assert!(
        !store
            .renew_lease(&t, GZ, "worker-1", TTL, at(6))
            .await
            .unwrap()
    );
    assert!(
        !store
            .take_over_lease(&t, GZ, &"worker-3".into(), "worker-1", TTL, at(7))
            .await
            .unwrap()
    );
    // A free lease is simply acquired; an expired one too, whoever held it.
    assert!(
        store
            .take_over_lease(&tenant_b(), GZ, &heir, "worker-1", TTL, at(0))
            .await
            .unwrap()
    );
    assert!(
        store
            .take_over_lease(&t, GZ, &"worker-3".into(), "worker-9", TTL, at(65))
            .await
            .unwrap()
    );
    assert_eq!(
        store.lease(&t, GZ).await.unwrap().unwrap().holder,
        "worker-3"
    );
}

/// Heirs racing to take over one gone holder's lease: exactly one gets it.
pub async fn concurrent_take_overs_grant_one_lease<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert!(
        store
            .acquire_lease(&t, GZ, &"gone".into(), TTL, at(0))
            .await
            .unwrap()
    );
    let [a, b, c] = ["heir-a", "heir-b", "heir-c"].map(LeaseHolder::new);
    let (a, b, c) = tokio::join!(
        store.take_over_lease(&t, GZ, &a, "gone", TTL, at(1)),
        store.take_over_lease(&t, GZ, &b, "gone", TTL, at(1)),
        store.take_over_lease(&t, GZ, &c, "gone", TTL, at(1)),
    );
    let granted = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(granted.iter().filter(|g| **g).count(), 1, "{granted:?}");
}
