//! Cases on the versioned state: integrations, versions, batches.

use chrono::{DateTime, Utc};

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{
    Change, ConnectionDetails, CredentialFingerprint, CredentialStatus, IntegrationChange,
    RecordKind, Store, StoreError, Vendor, Version,
};

pub(super) fn save_gravityzone(secret: &str) -> Change {
    IntegrationChange::Save {
        vendor: Vendor::GravityZone,
        connection: ConnectionDetails {
            url: Some("https://cloudgz.gravityzone.bitdefender.com/api".into()),
            region: None,
            platform: None,
            account: Some("65a0c0ffee00000000000001".into()),
        },
        fingerprint: CredentialFingerprint::of_secrets([secret]),
    }
    .into()
}

/// An unknown tenant reads as empty, at [`Version::EMPTY`].
pub async fn unknown_tenant_reads_as_empty<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let state = store.state(&tenant_a()).await.unwrap();
    assert_eq!(state, crate::TenantState::default());
    assert_eq!(store.version(&tenant_a()).await.unwrap(), Version::EMPTY);
    assert!(store.tenants().await.unwrap().is_empty());
}

/// An integration keeps its connection details and credential fingerprint, and nothing else.
pub async fn integration_round_trips_without_secrets<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let itglue = IntegrationChange::Save {
        vendor: Vendor::ItGlue,
        connection: ConnectionDetails {
            url: None,
            region: Some("eu".into()),
            platform: None,
            account: None,
        },
        fingerprint: CredentialFingerprint::of_secrets(["ITG.secret-key"]),
    }
    .into();
    let version = store
        .apply(
            &tenant_a(),
            Version::EMPTY,
            &[save_gravityzone("gz-secret"), itglue],
        )
        .await
        .unwrap();
    let state = store.state(&tenant_a()).await.unwrap();
    assert_eq!(state.version, version);
    let gz = &state.integrations[&Vendor::GravityZone];
    assert_eq!(
        gz.connection.url.as_deref(),
        Some("https://cloudgz.gravityzone.bitdefender.com/api")
    );
    assert_eq!(
        gz.fingerprint,
        CredentialFingerprint::of_secrets(["gz-secret"])
    );
    // The account the credentials reach (GravityZone's root company, issue #16).
    assert_eq!(
        gz.connection.account.as_deref(),
        Some("65a0c0ffee00000000000001")
    );
    assert_eq!(gz.status, CredentialStatus::Unknown);
    assert_eq!(gz.checked_at, None);
    let itg = &state.integrations[&Vendor::ItGlue];
    assert_eq!(itg.connection.region.as_deref(), Some("eu"));
    assert_eq!(itg.connection.account, None);
    assert!(!format!("{state:?}").contains("secret"));
}

/// New credentials (another fingerprint) have not been checked: their status is unknown.
pub async fn saving_other_credentials_resets_their_status<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("old")])
        .await
        .unwrap();
    let old = CredentialFingerprint::of_secrets(["old"]);
    assert!(
        store
            .set_credential_status(
                &t,
                Vendor::GravityZone,
                &old,
                CredentialStatus::Invalid,
                at(5)
            )
            .await
            .unwrap()
    );
    store
        .apply(&t, v1, &[save_gravityzone("new")])
        .await
        .unwrap();
    let gz = &store.state(&t).await.unwrap().integrations[&Vendor::GravityZone];
    assert_eq!(gz.status, CredentialStatus::Unknown);
    assert_eq!(gz.checked_at, None);
}

/// Saving the same credentials with other connection details keeps their status.
pub async fn saving_the_same_credentials_keeps_their_status<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("key")])
        .await
        .unwrap();
    let fp = CredentialFingerprint::of_secrets(["key"]);
    store
        .set_credential_status(&t, Vendor::GravityZone, &fp, CredentialStatus::Valid, at(7))
        .await
        .unwrap();
    let moved = IntegrationChange::Save {
        vendor: Vendor::GravityZone,
        connection: ConnectionDetails {
            url: Some("https://cloud.gravityzone.bitdefender.com/api".into()),
            region: None,
            platform: None,
            account: None,
        },
        fingerprint: fp,
    }
    .into();
    store.apply(&t, v1, &[moved]).await.unwrap();
    let gz = &store.state(&t).await.unwrap().integrations[&Vendor::GravityZone];
    assert_eq!(gz.status, CredentialStatus::Valid);
    assert_eq!(gz.checked_at, Some(at(7)));
    assert_eq!(
        gz.connection.url.as_deref(),
        Some("https://cloud.gravityzone.bitdefender.com/api")
    );
}

/// A check that ran with credentials replaced meanwhile does not mark the new ones.
pub async fn credential_check_of_replaced_credentials_is_not_recorded<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("old")])
        .await
        .unwrap();
    store
        .apply(&t, v1, &[save_gravityzone("new")])
        .await
        .unwrap();
    let recorded = store
        .set_credential_status(
            &t,
            Vendor::GravityZone,
            &CredentialFingerprint::of_secrets(["old"]),
            CredentialStatus::Invalid,
            at(9),
        )
        .await
        .unwrap();
    assert!(!recorded);
    let gz = &store.state(&t).await.unwrap().integrations[&Vendor::GravityZone];
    assert_eq!(gz.status, CredentialStatus::Unknown);
}

/// A credential status needs a saved integration.
pub async fn credential_status_of_a_missing_integration_is_not_found<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    store
        .apply(&t, Version::EMPTY, &[save_gravityzone("k")])
        .await
        .unwrap();
    let err = store
        .set_credential_status(
            &t,
            Vendor::ItGlue,
            &CredentialFingerprint::of_secrets(["k"]),
            CredentialStatus::Valid,
            at(1),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::NotFound {
            kind: RecordKind::Integration,
            ..
        }
    ));
}

/// Every successful non-empty batch gives the tenant a new, higher version; the credential
/// status is operational and leaves the version alone.
pub async fn each_apply_gives_a_new_version<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("a")])
        .await
        .unwrap();
    let v2 = store.apply(&t, v1, &[save_gravityzone("b")]).await.unwrap();
    assert!(Version::EMPTY < v1 && v1 < v2);
    store
        .set_credential_status(
            &t,
            Vendor::GravityZone,
            &CredentialFingerprint::of_secrets(["b"]),
            CredentialStatus::Valid,
            at(3),
        )
        .await
        .unwrap();
    assert_eq!(store.version(&t).await.unwrap(), v2);
}

/// A writer passing back a version that is no longer current gets a conflict, and nothing of its
/// batch is written.
pub async fn stale_version_is_a_conflict_and_writes_nothing<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let read = store.state(&t).await.unwrap().version;
    let v1 = store
        .apply(&t, read, &[save_gravityzone("first")])
        .await
        .unwrap();
    let err = store
        .apply(&t, read, &[save_gravityzone("second")])
        .await
        .unwrap_err();
    match err {
        StoreError::Conflict {
            tenant,
            expected,
            actual,
        } => {
            assert_eq!(tenant, t);
            assert_eq!(expected, read);
            assert_eq!(actual, v1);
        }
        other => panic!("expected a conflict, got {other}"),
    }
    let state = store.state(&t).await.unwrap();
    assert_eq!(state.version, v1);
    assert_eq!(
        state.integrations[&Vendor::GravityZone].fingerprint,
        CredentialFingerprint::of_secrets(["first"])
    );
}

/// Two writers racing with the same version: exactly one wins, the other gets a conflict.
pub async fn concurrent_writers_at_one_version_let_exactly_one_win<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("base")])
        .await
        .unwrap();
    let first = [save_gravityzone("writer-1")];
    let second = [save_gravityzone("writer-2")];
    let (r1, r2) = tokio::join!(store.apply(&t, v1, &first), store.apply(&t, v1, &second));
    let wins = [&r1, &r2].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "one writer wins: {r1:?} / {r2:?}");
    let loser = if r1.is_ok() { r2 } else { r1 };
    assert!(matches!(loser, Err(StoreError::Conflict { .. })));
}

/// An empty batch checks the version and changes nothing.
pub async fn empty_batch_only_checks_the_version<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert_eq!(
        store.apply(&t, Version::EMPTY, &[]).await.unwrap(),
        Version::EMPTY
    );
    assert!(store.tenants().await.unwrap().is_empty());
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("k")])
        .await
        .unwrap();
    assert_eq!(store.apply(&t, v1, &[]).await.unwrap(), v1);
    assert!(matches!(
        store.apply(&t, Version::EMPTY, &[]).await,
        Err(StoreError::Conflict { .. })
    ));
}

/// When one change of a batch fails, none of the batch is written and the version stays.
pub async fn failing_batch_leaves_nothing_behind<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let batch = [
        save_gravityzone("k"),
        IntegrationChange::Remove {
            vendor: Vendor::ItGlue,
        }
        .into(),
    ];
    let err = store.apply(&t, Version::EMPTY, &batch).await.unwrap_err();
    assert!(matches!(
        err,
        StoreError::NotFound {
            kind: RecordKind::Integration,
            ..
        }
    ));
    assert_eq!(
        store.state(&t).await.unwrap(),
        crate::TenantState::default()
    );
    assert!(store.tenants().await.unwrap().is_empty());

    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("k")])
        .await
        .unwrap();
    let batch = [
        IntegrationChange::Remove {
            vendor: Vendor::GravityZone,
        }
        .into(),
        IntegrationChange::Remove {
            vendor: Vendor::DattoRmm,
        }
        .into(),
    ];
    assert!(store.apply(&t, v1, &batch).await.is_err());
    let state = store.state(&t).await.unwrap();
    assert_eq!(state.version, v1);
    assert!(state.integrations.contains_key(&Vendor::GravityZone));
}

/// A writer holding the version of a tenant that was reset and written again still conflicts:
/// versions come from one store-wide sequence.
pub async fn versions_are_not_reused_after_a_reset<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let v1 = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("k")])
        .await
        .unwrap();
    store.reset_tenant(&t).await.unwrap();
    assert_eq!(store.version(&t).await.unwrap(), Version::EMPTY);
    let again = store
        .apply(&t, Version::EMPTY, &[save_gravityzone("other")])
        .await
        .unwrap();
    assert_ne!(again, v1);
    assert!(matches!(
        store.apply(&t, v1, &[save_gravityzone("stale")]).await,
        Err(StoreError::Conflict { .. })
    ));
    // Another tenant's writes use the same sequence.
    let b1 = store
        .apply(&tenant_b(), Version::EMPTY, &[save_gravityzone("b")])
        .await
        .unwrap();
    assert!(b1 > again);
}

/// Times are kept to the millisecond: what is read back is the time written, truncated.
pub async fn times_are_kept_to_the_millisecond<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let precise: DateTime<Utc> = at(10) + chrono::Duration::nanoseconds(1_234_567);
    let run = store
        .start_run(&t, crate::Flow::ItGlue, precise)
        .await
        .unwrap();
    let expected = at(10) + chrono::Duration::milliseconds(1);
    assert_eq!(run.started_at, expected);
    let stored = store.runs(&t, None, 1).await.unwrap();
    assert_eq!(stored[0].started_at, expected);
}
