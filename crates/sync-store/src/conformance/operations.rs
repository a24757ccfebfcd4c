//! Cases on operational records: the device-audit cache and sync runs.

use super::{Fixture, at, tenant_a, tenant_b};
use crate::{
    AuditFacts, DeviceAudit, Flow, RecordKind, RunCounts, RunId, RunOutcome, RunStatus, Store,
    StoreError,
};

pub(super) fn audit(device_uid: &str, audited_at: i64, serial: &str) -> DeviceAudit {
    DeviceAudit {
        device_uid: device_uid.to_owned(),
        last_audit_date: at(audited_at),
        facts: AuditFacts {
            serial_numbers: vec![serial.to_owned()],
            mac_addresses: vec!["00:1A:2B:3C:4D:5E".into(), "001A2B3C4D5F".into()],
            manufacturer: Some("Dell Inc.".into()),
            model: Some("OptiPlex 7090".into()),
            interfaces: vec![sync_core::itglue::NetworkInterface {
                name: Some("Intel(R) Ethernet Connection I219-LM".into()),
                ipv4: Some("10.0.0.7".into()),
                ipv6: None,
                mac_address: Some("00:1A:2B:3C:4D:5E".into()),
            }],
            hardware: sync_core::itglue::RmmFacts {
                processors: vec!["Intel(R) Core(TM) i7-11700".into()],
                memory_bytes: Some(17_179_869_184),
                ..sync_core::itglue::RmmFacts::default()
            },
        },
    }
}

/// A cached audit reads back as written; caching the device again replaces it.
pub async fn device_audit_round_trips_and_is_replaced<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let first = audit("dev-1", 100, "5CG1234XYZ");
    store.put_device_audit(&t, &first).await.unwrap();
    assert_eq!(store.device_audit(&t, "dev-1").await.unwrap(), Some(first));
    assert_eq!(store.device_audit(&t, "dev-2").await.unwrap(), None);

    let newer = DeviceAudit {
        facts: AuditFacts::default(),
        ..audit("dev-1", 200, "ignored")
    };
    store.put_device_audit(&t, &newer).await.unwrap();
    let cached = store.device_audit(&t, "dev-1").await.unwrap().unwrap();
    assert_eq!(cached, newer);
    assert!(cached.is_current(at(200)));
    assert!(!cached.is_current(at(300)));
    assert_eq!(store.device_audits(&t).await.unwrap().len(), 1);
    assert_eq!(
        store.device_audit(&tenant_b(), "dev-1").await.unwrap(),
        None
    );
}

/// Pruning the cache keeps the listed devices and drops the others.
pub async fn retain_device_audits_drops_only_devices_that_are_gone<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    for uid in ["dev-c", "dev-a", "dev-b"] {
        store
            .put_device_audit(&t, &audit(uid, 1, uid))
            .await
            .unwrap();
    }
    store
        .put_device_audit(&tenant_b(), &audit("dev-a", 1, "b"))
        .await
        .unwrap();
    let dropped = store
        .retain_device_audits(&t, &["dev-b".into(), "dev-z".into()])
        .await
        .unwrap();
    assert_eq!(dropped, 2);
    let left: Vec<_> = store
        .device_audits(&t)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.device_uid)
        .collect();
    assert_eq!(left, ["dev-b"]);
    assert_eq!(store.device_audits(&tenant_b()).await.unwrap().len(), 1);
}

/// Runs come back newest first, filtered by flow when asked, at most `limit`.
pub async fn runs_are_listed_newest_first_per_flow<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let gz1 = store.start_run(&t, Flow::GravityZone, at(1)).await.unwrap();
    let itg = store.start_run(&t, Flow::ItGlue, at(2)).await.unwrap();
    let gz2 = store.start_run(&t, Flow::GravityZone, at(3)).await.unwrap();
    store
        .start_run(&tenant_b(), Flow::GravityZone, at(4))
        .await
        .unwrap();
    assert!(gz1.id < itg.id && itg.id < gz2.id);
    assert_eq!(gz1.status, RunStatus::Syncing);
    assert_eq!(gz1.status.to_string(), "Syncing…");

    let ids = |runs: Vec<crate::SyncRun>| runs.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.runs(&t, None, 10).await.unwrap()),
        [gz2.id, itg.id, gz1.id]
    );
    assert_eq!(
        ids(store.runs(&t, Some(Flow::GravityZone), 10).await.unwrap()),
        [gz2.id, gz1.id]
    );
    assert_eq!(ids(store.runs(&t, None, 1).await.unwrap()), [gz2.id]);
    assert_eq!(store.runs(&t, None, 10).await.unwrap()[1], itg);
}

/// Finishing a run records its outcome, end time and counts.
pub async fn finishing_a_run_records_outcome_and_counts<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let ok = store.start_run(&t, Flow::ItGlue, at(1)).await.unwrap();
    let counts = RunCounts::from([
        ("organizations_matched".to_owned(), 12),
        ("configurations_created".to_owned(), 3),
    ]);
    let finished = store
        .finish_run(&t, ok.id, RunOutcome::Ok, &counts, at(60))
        .await
        .unwrap();
    assert_eq!(finished.status.to_string(), "OK");
    assert_eq!(finished.finished_at, Some(at(60)));
    assert_eq!(finished.counts, counts);

    let failed = store
        .start_run(&t, Flow::GravityZone, at(100))
        .await
        .unwrap();
    let reason = "GravityZone refused the API key".to_owned();
    store
        .finish_run(
            &t,
            failed.id,
            RunOutcome::Failed {
                reason: reason.clone(),
            },
            &RunCounts::new(),
            at(101),
        )
        .await
        .unwrap();
    let runs = store.runs(&t, None, 10).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Failed { reason });
    assert_eq!(
        runs[0].status.to_string(),
        "Failed: GravityZone refused the API key"
    );
    assert_eq!(runs[1], finished);
}

/// A finished run stays as it finished.
pub async fn finishing_a_run_twice_is_refused<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let run = store.start_run(&t, Flow::ItGlue, at(1)).await.unwrap();
    store
        .finish_run(&t, run.id, RunOutcome::Ok, &RunCounts::new(), at(2))
        .await
        .unwrap();
    let again = store
        .finish_run(
            &t,
            run.id,
            RunOutcome::Failed {
                reason: "late".into(),
            },
            &RunCounts::new(),
            at(3),
        )
        .await;
    assert!(matches!(
        again,
        Err(StoreError::InvalidState {
            kind: RecordKind::SyncRun,
            ..
        })
    ));
    assert_eq!(
        store.runs(&t, None, 1).await.unwrap()[0].status,
        RunStatus::Ok
    );
}

/// A run belongs to its tenant: another tenant cannot finish it, nor an unknown id.
pub async fn run_of_another_tenant_is_not_found<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let run = store
        .start_run(&tenant_a(), Flow::ItGlue, at(1))
        .await
        .unwrap();
    for (tenant, id) in [(tenant_b(), run.id), (tenant_a(), RunId(run.id.0 + 1000))] {
        let err = store
            .finish_run(&tenant, id, RunOutcome::Ok, &RunCounts::new(), at(2))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::NotFound {
                kind: RecordKind::SyncRun,
                ..
            }
        ));
    }
    assert_eq!(
        store.runs(&tenant_a(), None, 1).await.unwrap()[0].status,
        RunStatus::Syncing
    );
}
