//! The IT Glue flow's connect and sync run against in-memory doubles of Datto RMM and IT Glue:
//! statuses and counts, what takes part, matching, call economy, partial data and refused
//! credentials.

mod itglue_support;

use std::sync::{Arc, Mutex};

use sync_core::itglue::{
    ConfigurationId, ConfigurationOutcome, DeviceUid, GroupId, MatchReason, OrganizationId,
    OrganizationOutcome, SiteUid,
};
use sync_engine::itglue::{ItGlueError, NoProgress, Phase, Progress};
use sync_store::{CredentialStatus, Flow, ItGlueChange, ItGlueSettings, RunStatus, Store, Vendor};

use itglue_support::doubles::MemoryRmm;
use itglue_support::{AUDITED, World, configuration, device, now, site, standard, tenant};

fn group(site: &str) -> GroupId {
    GroupId::Site(SiteUid::new(site))
}

fn outcome_of<'a>(
    report: &'a sync_engine::itglue::SyncReport,
    device: &str,
) -> &'a ConfigurationOutcome {
    &report.device(&DeviceUid::new(device)).unwrap().1.outcome
}

#[tokio::test]
async fn connect_saves_both_fingerprints_as_valid_after_both_vendors_accept() {
    let (rmm, docs) = standard();
    let world = World::new(rmm, docs);
    world.flow.connect().await.unwrap();
    let state = world.store.state(&tenant()).await.unwrap();
    for vendor in [Vendor::DattoRmm, Vendor::ItGlue] {
        let integration = &state.integrations[&vendor];
        assert_eq!(integration.status, CredentialStatus::Valid);
        assert_eq!(integration.fingerprint, world.flow_identity(vendor));
    }
}

trait Identity {
    fn flow_identity(&self, vendor: Vendor) -> sync_store::CredentialFingerprint;
}

impl Identity for World {
    fn flow_identity(&self, vendor: Vendor) -> sync_store::CredentialFingerprint {
        use sync_engine::itglue::{DattoRmmPort, ItGluePort};
        match vendor {
            Vendor::DattoRmm => self.rmm.identity().fingerprint,
            _ => self.docs.identity().fingerprint,
        }
    }
}

#[tokio::test]
async fn connect_with_refused_credentials_saves_nothing() {
    let (rmm, docs) = standard();
    docs.accept_secret("another key");
    let world = World::new(rmm, docs);
    let error = world.flow.connect().await.unwrap_err();
    assert!(matches!(
        error,
        ItGlueError::CredentialsRefused {
            vendor: Vendor::ItGlue,
            ..
        }
    ));
    assert!(
        world
            .store
            .state(&tenant())
            .await
            .unwrap()
            .integrations
            .is_empty()
    );
}

#[tokio::test]
async fn connect_refuses_datto_credentials_of_another_account() {
    let (rmm, docs) = standard();
    rmm.set_account("someone-else");
    let world = World::new(rmm, docs);
    let error = world.flow.connect().await.unwrap_err();
    assert!(matches!(error, ItGlueError::WrongAccount { .. }), "{error}");
    assert!(error.is_vendor() && !error.is_refused_request());
    assert!(
        world
            .store
            .state(&tenant())
            .await
            .unwrap()
            .integrations
            .is_empty()
    );
}

#[tokio::test]
async fn a_run_goes_from_syncing_to_ok_and_records_its_counts() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink_seen = seen.clone();
    let sink = move |progress: &Progress| sink_seen.lock().unwrap().push(progress.phase);
    let report = world.flow.run(&sink).await.unwrap();

    let runs = world
        .store
        .runs(&tenant(), Some(Flow::ItGlue), 5)
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Ok);
    assert_eq!(runs[0].counts["groups"], 3);
    assert_eq!(runs[0].counts["groups_matched"], 2);
    assert_eq!(runs[0].counts["groups_suggested"], 1);
    assert_eq!(runs[0].counts["devices"], 7);
    assert_eq!(report.counts.groups_matched, 2);

    let phases = seen.lock().unwrap().clone();
    let first = |phase| phases.iter().position(|p| *p == phase).unwrap();
    assert!(first(Phase::Sites) < first(Phase::Devices));
    assert!(first(Phase::Devices) < first(Phase::Organizations));
    assert!(first(Phase::Configurations) < first(Phase::MatchingDevices));
    assert_eq!(phases.last(), Some(&Phase::Done));
}

#[tokio::test]
async fn ondemand_system_and_empty_sites_take_no_part() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    let groups: Vec<&GroupId> = report.groups.iter().map(|g| &g.group.id).collect();
    assert_eq!(
        groups,
        [&group("s-acme"), &group("s-bolt"), &group("s-crane")]
    );
}

#[tokio::test]
async fn name_variants_match_and_are_stored_while_typos_are_only_suggested() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;

    let state = world.store.state(&tenant()).await.unwrap();
    let stored: Vec<(GroupId, OrganizationId)> = state
        .itglue
        .organization_matches
        .iter()
        .map(|m| (m.group().clone(), m.organization()))
        .collect();
    assert_eq!(
        stored,
        [
            (group("s-acme"), OrganizationId(1)),
            (group("s-bolt"), OrganizationId(2))
        ]
    );
    match &report.group(&group("s-crane")).unwrap().outcome {
        OrganizationOutcome::Suggested { suggestions } => {
            assert_eq!(suggestions[0].candidate, OrganizationId(3));
        }
        other => panic!("expected suggestions, got {other:?}"),
    }
}

#[tokio::test]
async fn devices_match_by_mac_serial_and_are_only_suggested_by_name() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;

    assert!(matches!(
        outcome_of(&report, "a-mac"),
        ConfigurationOutcome::Matched {
            configuration: ConfigurationId(101),
            reason: MatchReason::MacAddress
        }
    ));
    assert!(matches!(
        outcome_of(&report, "a-serial"),
        ConfigurationOutcome::Matched {
            configuration: ConfigurationId(102),
            reason: MatchReason::SerialNumber
        }
    ));
    assert!(matches!(
        outcome_of(&report, "b-1"),
        ConfigurationOutcome::Matched {
            configuration: ConfigurationId(201),
            ..
        }
    ));
    match outcome_of(&report, "a-name") {
        ConfigurationOutcome::Suggested { suggestions } => {
            assert_eq!(suggestions[0].candidate, ConfigurationId(103));
            assert_eq!(suggestions[0].reason, MatchReason::Name);
        }
        other => panic!("expected a name suggestion, got {other:?}"),
    }
    let state = world.store.state(&tenant()).await.unwrap();
    let stored: Vec<(&str, u64)> = state
        .itglue
        .device_matches
        .iter()
        .map(|m| (m.device.as_str(), m.configuration.0))
        .collect();
    assert_eq!(stored, [("a-mac", 101), ("a-serial", 102), ("b-1", 201)]);
}

#[tokio::test]
async fn placeholder_serials_and_shared_virtual_macs_match_nothing() {
    let (rmm, docs) = standard();
    docs.add_configuration(configuration(
        105,
        1,
        "VPN",
        Some("00:05:9A:3C:7A:00"),
        None,
    ));
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    assert!(matches!(
        outcome_of(&report, "a-junk"),
        ConfigurationOutcome::Unmatched
    ));
    assert!(matches!(
        outcome_of(&report, "a-none"),
        ConfigurationOutcome::Unmatched
    ));
}

#[tokio::test]
async fn macs_come_from_one_site_listing_and_only_devices_mac_did_not_match_are_audited() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    let calls = world.rmm.calls();
    assert_eq!(calls.sites, 1);
    assert_eq!(calls.account_devices, 1);
    assert_eq!(calls.site_devices, 0);
    // Acme lists its NICs once; Bolt's single device is audited directly instead.
    assert_eq!(calls.interfaces, 1);
    // a-serial, a-name, a-junk, a-none (Acme, not matched by MAC) and b-1 (alone in Bolt);
    // then the device matched by MAC, whose configuration gets its serial number and hardware
    // from the audit (kept for the next runs).
    assert_eq!(calls.audits, 6);
    assert_eq!(report.datto_calls.audits, 6);
}

#[tokio::test]
async fn a_second_run_without_changes_lists_only_sites_and_devices() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    world.run().await;
    world.reset_calls();
    let report = world.run().await;
    let calls = world.rmm.calls();
    assert_eq!((calls.sites, calls.account_devices), (1, 1));
    assert_eq!(calls.total(), 2, "{calls:?}");
    assert_eq!(world.docs.calls().writes(), 0);
    assert_eq!(report.counts.devices_matched_now, 0);
    assert_eq!(report.counts.organizations_matched_now, 0);
}

#[tokio::test]
async fn a_changed_audit_date_costs_exactly_one_audit() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    world.run().await;
    world.rmm.set_last_audit("a-none", AUDITED + 60_000);
    world.reset_calls();
    world.run().await;
    let calls = world.rmm.calls();
    assert_eq!(calls.audits, 1);
    assert_eq!(calls.interfaces, 0);
}

#[tokio::test]
async fn a_site_whose_count_disagrees_with_the_account_listing_is_listed_alone() {
    let (rmm, docs) = standard();
    rmm.hide_from_account_listing("b-1");
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    assert_eq!(world.rmm.calls().site_devices, 1);
    assert!(matches!(
        outcome_of(&report, "b-1"),
        ConfigurationOutcome::Matched { .. }
    ));
}

#[tokio::test]
async fn autotask_grouping_puts_the_sites_of_one_company_in_one_group() {
    let sites = vec![
        itglue_support::with_company(site("s-1", "Acme East", 1), "77", "Acme Dental GmbH"),
        itglue_support::with_company(site("s-2", "Acme West", 1), "77", "Acme Dental GmbH"),
    ];
    let devices = vec![
        device("d-1", "s-1", "PC1", Some("00:1A:2B:00:00:01"), None),
        device("d-2", "s-2", "PC2", Some("00:1A:2B:00:00:02"), None),
    ];
    let (_, docs) = standard();
    let world = World::connected(MemoryRmm::new(sites, devices), docs).await;
    let state = world.store.state(&tenant()).await.unwrap();
    let settings = ItGlueSettings {
        grouping: sync_core::itglue::GroupingMode::AutotaskCompany,
        ..ItGlueSettings::default()
    };
    world
        .store
        .apply(
            &tenant(),
            state.version,
            &[ItGlueChange::SaveSettings(settings).into()],
        )
        .await
        .unwrap();
    let report = world.run().await;
    assert_eq!(report.groups.len(), 1);
    assert_eq!(report.groups[0].group.devices.len(), 2);
    assert_eq!(report.groups[0].organization(), Some(OrganizationId(1)));
}

#[tokio::test]
async fn a_failed_configuration_page_fails_the_run_and_stores_nothing() {
    let (rmm, docs) = standard();
    docs.fail_configurations_of(Some(2));
    let world = World::connected(rmm, docs).await;
    let error = world.flow.run(&NoProgress).await.unwrap_err();
    assert!(matches!(error, ItGlueError::Vendor(_)));
    let state = world.store.state(&tenant()).await.unwrap();
    assert!(state.itglue.organization_matches.is_empty());
    assert!(state.itglue.device_matches.is_empty());
    let runs = world
        .store
        .runs(&tenant(), Some(Flow::ItGlue), 1)
        .await
        .unwrap();
    assert!(
        matches!(&runs[0].status, RunStatus::Failed { reason } if reason.contains("configurations page 3"))
    );
}

#[tokio::test]
async fn a_failed_device_page_fails_the_run_before_any_other_call() {
    let (rmm, docs) = standard();
    rmm.fail_account_devices(true);
    let world = World::connected(rmm, docs).await;
    assert!(world.flow.run(&NoProgress).await.is_err());
    assert_eq!(world.docs.calls().organizations, 0);
    assert!(
        world
            .store
            .state(&tenant())
            .await
            .unwrap()
            .itglue
            .organization_matches
            .is_empty()
    );
}

#[tokio::test]
async fn refused_credentials_stop_syncing_until_new_ones_are_saved() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    world.rmm.accept_secret("rotated");
    let error = world.flow.run(&NoProgress).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");

    world.reset_calls();
    let error = world.flow.run(&NoProgress).await.unwrap_err();
    assert!(matches!(
        error,
        ItGlueError::CredentialsInvalid {
            vendor: Vendor::DattoRmm
        }
    ));
    assert_eq!(world.rmm.calls().total(), 0);
    assert_eq!(world.docs.calls(), Default::default());
    let runs = world
        .store
        .runs(&tenant(), Some(Flow::ItGlue), 1)
        .await
        .unwrap();
    assert!(matches!(&runs[0].status, RunStatus::Failed { .. }));

    // New credentials, checked and saved: syncing resumes.
    world.rmm.use_secret("rotated");
    world.flow.connect().await.unwrap();
    world.run().await;
}

#[tokio::test]
async fn credentials_that_were_never_saved_are_refused_without_a_call() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    world.rmm.use_secret("unsaved");
    world.rmm.accept_secret("unsaved");
    let error = world.flow.run(&NoProgress).await.unwrap_err();
    assert!(matches!(
        error,
        ItGlueError::CredentialsNotSaved {
            vendor: Vendor::DattoRmm
        }
    ));
    assert_eq!(world.rmm.calls().total(), 0);
}

#[tokio::test]
async fn a_tenant_synced_by_another_worker_is_busy() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    assert!(
        world
            .store
            .acquire_lease(
                &tenant(),
                Flow::ItGlue,
                &"other-worker".into(),
                std::time::Duration::from_secs(60),
                now()
            )
            .await
            .unwrap()
    );
    let error = world.flow.run(&NoProgress).await.unwrap_err();
    assert!(matches!(error, ItGlueError::Busy { holder } if holder == "other-worker"));
    assert_eq!(world.rmm.calls().total(), 0);
}

#[tokio::test]
async fn a_gravityzone_pass_of_the_tenant_elsewhere_does_not_hold_up_its_itglue_sync() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let ttl = std::time::Duration::from_secs(60);
    let gz = Flow::GravityZone;
    let pass_worker = "gravityzone-worker".into();
    assert!(
        world
            .store
            .acquire_lease(&tenant(), gz, &pass_worker, ttl, now())
            .await
            .unwrap()
    );
    world.run().await;
    assert!(world.rmm.calls().total() > 0);
    let held = world.store.lease(&tenant(), gz).await.unwrap().unwrap();
    assert_eq!(held.holder, "gravityzone-worker");
    assert_eq!(
        world.store.lease(&tenant(), Flow::ItGlue).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn a_configuration_deleted_in_itglue_loses_its_stored_match() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    world.run().await;
    world.docs.remove_configuration(101);
    let report = world.run().await;
    assert!(!matches!(
        outcome_of(&report, "a-mac"),
        ConfigurationOutcome::Stored { .. }
    ));
    let state = world.store.state(&tenant()).await.unwrap();
    assert!(
        state
            .itglue
            .configuration_of(&DeviceUid::new("a-mac"))
            .is_none()
    );
}

#[tokio::test]
async fn a_run_that_outlasts_its_lease_stops_before_storing_anything() {
    use std::sync::atomic::{AtomicI64, Ordering};
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    // Every reading of the clock is an hour later: the lease lapses between two phases.
    let hours = Arc::new(AtomicI64::new(0));
    let clock = move || now() + chrono::Duration::hours(hours.fetch_add(1, Ordering::SeqCst));
    let flow = world.flow.clone().with_clock(Arc::new(clock));
    let error = flow.run(&NoProgress).await.unwrap_err();
    assert!(matches!(error, ItGlueError::LeaseLost), "{error}");
    let state = world.store.state(&tenant()).await.unwrap();
    assert!(state.itglue.organization_matches.is_empty());
    let runs = world
        .store
        .runs(&tenant(), Some(Flow::ItGlue), 1)
        .await
        .unwrap();
    assert!(matches!(&runs[0].status, RunStatus::Failed { .. }));
}

#[tokio::test]
async fn a_sync_interval_outside_its_bounds_is_refused_and_saves_nothing() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let admin = itglue_support::admin();
    let before = world.store.state(&tenant()).await.unwrap();
    for minutes in [0, ItGlueSettings::MIN_SYNC_INTERVAL_MINUTES - 1, 10_081] {
        let mut settings = world.flow.settings().await.unwrap();
        settings.sync_interval_minutes = minutes;
        let error = world
            .flow
            .update_settings(&admin, settings)
            .await
            .unwrap_err();
        assert!(
            matches!(&error, ItGlueError::InvalidSetting { setting, .. } if *setting == "sync_interval_minutes"),
            "{error}"
        );
        assert!(
            error.to_string().contains("from 15 to 10080 minutes"),
            "{error}"
        );
    }
    assert_eq!(world.store.state(&tenant()).await.unwrap(), before);
    for minutes in [15, 10_080] {
        let mut settings = world.flow.settings().await.unwrap();
        settings.sync_interval_minutes = minutes;
        world.flow.update_settings(&admin, settings).await.unwrap();
        let saved = world.flow.settings().await.unwrap();
        assert_eq!(saved.sync_interval_minutes, minutes);
    }
}

/// A device Datto never audited lists no card in its audit, only in its site's
/// network-interface listing. The audit kept by one run must not hide that MAC from the next:
/// after a dry run (which stores no match, only what it read), the sync still matches it by MAC.
#[tokio::test]
async fn a_device_whose_audit_lists_no_card_matches_by_its_listed_mac_on_every_run() {
    let mut never_audited = device(
        "a-mac",
        "s-acme",
        "ACME-PC01",
        Some("00:1A:2B:3C:4D:01"),
        Some("SER-A1"),
    );
    never_audited.device.last_audit_date = None;
    never_audited.audit.mac_addresses.clear();
    never_audited.audit.interfaces.clear();
    let other = device(
        "a-other",
        "s-acme",
        "ACME-PC02",
        Some("00:1A:2B:3C:4D:02"),
        None,
    );
    let rmm = MemoryRmm::new(
        vec![site("s-acme", "Acme Dental - Berlin", 2)],
        vec![never_audited, other],
    );
    let docs = itglue_support::doubles::MemoryItGlue::new(
        vec![sync_core::itglue::Organization {
            id: OrganizationId(1),
            name: "Acme Dental GmbH".into(),
        }],
        vec![configuration(101, 1, "ASSET-1", Some("001A2B3C4D01"), None)],
    );
    let world = World::connected(rmm, docs).await;
    let by_mac = |report: &sync_engine::itglue::SyncReport| {
        matches!(
            outcome_of(report, "a-mac"),
            ConfigurationOutcome::Matched {
                configuration: ConfigurationId(101),
                reason: MatchReason::MacAddress,
            }
        )
    };
    let planned = world
        .flow
        .run_with(&NoProgress, sync_engine::itglue::Mode::DryRun)
        .await
        .unwrap();
    assert!(by_mac(&planned), "{:?}", outcome_of(&planned, "a-mac"));
    let applied = world.run().await;
    assert!(by_mac(&applied), "{:?}", outcome_of(&applied, "a-mac"));
}
