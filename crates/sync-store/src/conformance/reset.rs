//! Cases on tenant lifetime: which tenants exist, and `reset_tenant`.

use std::time::Duration;

use sync_core::gravityzone::{EventKind, Settings, SiteUid};

use super::gravityzone::{association, open_event, write};
use super::itglue::{self, device_match, organization_match, site_group};
use super::operations::audit;
use super::versioned::save_gravityzone;
use super::{Fixture, at, tenant_a, tenant_b};
use crate::{
    ChangedBy, CredentialFingerprint, CredentialStatus, ExclusionRecord, Flow, GravityZoneChange,
    IgnoredGroup, IntegrationChange, ItGlueChange, ItGlueSettings, RunCounts, RunOutcome, Store,
    TenantId, TenantState, Vendor, Version,
};

/// Writes at least one row of every kind for `tenant` (`tag` marks its values). Implementations'
/// own tests use it to check that nothing is left behind.
pub async fn fill_every_kind<S: Store + ?Sized>(store: &S, tenant: &TenantId, tag: &str) {
    let version = store.version(tenant).await.unwrap();
    store
        .apply(tenant, version, &[save_gravityzone(tag)])
        .await
        .unwrap();
    store
        .set_credential_status(
            tenant,
            Vendor::GravityZone,
            &CredentialFingerprint::of_secrets([tag]),
            CredentialStatus::Valid,
            at(1),
        )
        .await
        .unwrap();
    store
        .put_device_audit(tenant, &audit("dev-1", 1, tag))
        .await
        .unwrap();
    store
        .put_site_interfaces(tenant, &super::cache::listing(tag, 1))
        .await
        .unwrap();
    store
        .put_run_report(
            tenant,
            crate::RunReport {
                flow: Flow::ItGlue,
                run: crate::RunId(1),
                saved_at: at(1),
                body: format!("{{\"tag\":\"{tag}\"}}"),
            },
        )
        .await
        .unwrap();
    let run = store
        .start_run(tenant, Flow::GravityZone, at(2))
        .await
        .unwrap();
    store
        .finish_run(tenant, run.id, RunOutcome::Ok, &RunCounts::new(), at(3))
        .await
        .unwrap();
    store.start_run(tenant, Flow::ItGlue, at(4)).await.unwrap();
    store
        .record_intent(tenant, "gz:create-company:s", tag, at(5))
        .await
        .unwrap();
    store
        .record_intent(tenant, "itg:create-org:g", tag, at(6))
        .await
        .unwrap();
    store
        .complete(tenant, "itg:create-org:g", "42", at(7))
        .await
        .unwrap();
    let raised = open_event(EventKind::DestinationMoved, "site-1", Some("company-1"));
    write(
        store,
        tenant,
        vec![
            GravityZoneChange::SaveSettings(Settings::default()),
            GravityZoneChange::Associate(association("site-1", "company-1")),
            GravityZoneChange::Exclude(ExclusionRecord::new(
                SiteUid::new("site-2"),
                ChangedBy::Sync,
                at(8),
            )),
            GravityZoneChange::PutEvent {
                event: raised.clone(),
                changed_by: ChangedBy::Sync,
                changed_at: at(8),
            },
            GravityZoneChange::PutEvent {
                event: raised.ignore(at(9).timestamp_millis()).unwrap(),
                changed_by: ChangedBy::user(tag),
                changed_at: at(9),
            },
        ],
    )
    .await
    .unwrap();
    itglue::write(
        store,
        tenant,
        vec![
            ItGlueChange::SaveSettings(ItGlueSettings::default()),
            ItGlueChange::MatchOrganization(organization_match(site_group("site-1"), 1)),
            ItGlueChange::MatchDevice(device_match("dev-1", 2)),
            ItGlueChange::IgnoreGroup(IgnoredGroup {
                group: site_group("site-2"),
                ignored_by: ChangedBy::user(tag),
                ignored_at: at(9),
            }),
        ],
    )
    .await
    .unwrap();
    assert!(
        store
            .acquire_lease(
                tenant,
                Flow::GravityZone,
                &tag.into(),
                Duration::from_secs(60),
                at(8)
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_lease(
                tenant,
                Flow::ItGlue,
                &tag.into(),
                Duration::from_secs(60),
                at(8)
            )
            .await
            .unwrap()
    );
}

/// Everything the store holds for `tenant`, for comparisons.
pub(super) async fn everything<S: Store + ?Sized>(
    store: &S,
    tenant: &TenantId,
) -> impl std::fmt::Debug + PartialEq + use<S> {
    (
        store.state(tenant).await.unwrap(),
        store.device_audits(tenant).await.unwrap(),
        store.site_interfaces(tenant).await.unwrap(),
        store.run_report(tenant, Flow::ItGlue).await.unwrap(),
        store.runs(tenant, None, usize::MAX).await.unwrap(),
        store.journal(tenant).await.unwrap(),
        store.lease(tenant, Flow::GravityZone).await.unwrap(),
        store.lease(tenant, Flow::ItGlue).await.unwrap(),
    )
}

/// Resetting a tenant deletes its state, integrations, audits, runs, journal and lease, and
/// leaves the other tenant exactly as it was.
pub async fn reset_tenant_deletes_every_row_of_that_tenant_only<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    fill_every_kind(store, &tenant_a(), "a").await;
    fill_every_kind(store, &tenant_b(), "b").await;
    let b_before = everything(store, &tenant_b()).await;

    store.reset_tenant(&tenant_a()).await.unwrap();

    let a = tenant_a();
    assert_eq!(store.state(&a).await.unwrap(), TenantState::default());
    assert!(store.device_audits(&a).await.unwrap().is_empty());
    assert!(store.site_interfaces(&a).await.unwrap().is_empty());
    assert!(store.runs(&a, None, usize::MAX).await.unwrap().is_empty());
    assert!(store.journal(&a).await.unwrap().is_empty());
    assert_eq!(store.lease(&a, Flow::GravityZone).await.unwrap(), None);
    assert_eq!(store.lease(&a, Flow::ItGlue).await.unwrap(), None);
    assert_eq!(store.tenants().await.unwrap(), [tenant_b()]);
    assert_eq!(everything(store, &tenant_b()).await, b_before);
    // The reset tenant starts again from nothing.
    fill_every_kind(store, &a, "a2").await;
    assert_eq!(store.journal(&a).await.unwrap().len(), 2);
}

/// A tenant is listed from its first successful write until it is reset.
pub async fn tenants_are_listed_from_first_write_until_reset<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let other_url = TenantId::new("https://pinotage-api.centrastage.net", "account-a").unwrap();
    store
        .start_run(&tenant_b(), Flow::ItGlue, at(1))
        .await
        .unwrap();
    store
        .record_intent(&other_url, "k", "d", at(1))
        .await
        .unwrap();
    store
        .apply(&tenant_a(), Version::EMPTY, &[save_gravityzone("k")])
        .await
        .unwrap();
    assert_eq!(
        store.tenants().await.unwrap(),
        [tenant_a(), tenant_b(), other_url.clone()]
    );
    store.reset_tenant(&tenant_b()).await.unwrap();
    store.reset_tenant(&tenant_b()).await.unwrap();
    assert_eq!(store.tenants().await.unwrap(), [tenant_a(), other_url]);
}

/// Reads, refused operations and operations that find nothing to change do not create a tenant.
pub async fn reads_and_refused_operations_create_no_tenant<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let _ = store.state(&t).await.unwrap();
    let _ = store.lease(&t, Flow::ItGlue).await.unwrap();
    let _ = store.pending_intents(&t).await.unwrap();
    assert!(store.mark_sent(&t, "k", at(1)).await.is_err());
    assert!(store.complete(&t, "k", "r", at(1)).await.is_err());
    assert!(!store.release_lease(&t, Flow::ItGlue, "w").await.unwrap());
    assert!(
        !store
            .renew_lease(&t, Flow::GravityZone, "w", Duration::from_secs(1), at(1))
            .await
            .unwrap()
    );
    assert_eq!(store.retain_device_audits(&t, &[]).await.unwrap(), 0);
    assert_eq!(store.retain_site_interfaces(&t, &[]).await.unwrap(), 0);
    assert_eq!(store.run_report(&t, Flow::ItGlue).await.unwrap(), None);
    assert!(
        store
            .apply(
                &t,
                Version::EMPTY,
                &[IntegrationChange::Remove {
                    vendor: Vendor::ItGlue
                }
                .into()]
            )
            .await
            .is_err()
    );
    assert!(store.tenants().await.unwrap().is_empty());
}
