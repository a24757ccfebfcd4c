//! The IT Glue flow's user actions against in-memory doubles: organizations (accept, match to
//! with a search, change match, create with the duplicate check, ignore), configurations
//! (accept, match to, create one or in bulk), dry runs, access scope, the create cap and
//! interrupted creates.

mod itglue_support;

use sync_core::itglue::{
    ConfigurationId, ConfigurationOutcome, DeviceUid, GroupId, OrganizationId, OrganizationOutcome,
    SiteUid,
};
use sync_engine::itglue::{
    AcceptedSuggestions, Actor, Created, ItGlueError, Mode, Step, SyncReport,
};
use sync_store::{IntentState, ItGlueChange, ItGlueSettings, Store};

use itglue_support::flaky_store::FailNext;
use itglue_support::{World, admin, standard, tenant};

fn group(site: &str) -> GroupId {
    GroupId::Site(SiteUid::new(site))
}

fn uid(device: &str) -> DeviceUid {
    DeviceUid::new(device)
}

async fn world_after_a_run() -> (World, SyncReport) {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    world.reset_calls();
    (world, report)
}

async fn organization_of(world: &World, group: &GroupId) -> Option<OrganizationId> {
    let state = world.store.state(&tenant()).await.unwrap();
    state
        .itglue
        .organization_of(group)
        .map(|m| m.organization())
}

async fn configuration_of(world: &World, device: &str) -> Option<ConfigurationId> {
    let state = world.store.state(&tenant()).await.unwrap();
    state
        .itglue
        .configuration_of(&uid(device))
        .map(|m| m.configuration)
}

#[tokio::test]
async fn accepting_a_suggestion_stores_the_users_match() {
    let (world, report) = world_after_a_run().await;
    let outcome = world
        .flow
        .accept_organization_suggestion(
            &admin(),
            &report,
            &group("s-crane"),
            OrganizationId(3),
            Mode::Apply,
        )
        .await
        .unwrap();
    assert!(outcome.applied);
    assert_eq!(
        organization_of(&world, &group("s-crane")).await,
        Some(OrganizationId(3))
    );
    let state = world.store.state(&tenant()).await.unwrap();
    let record = state.itglue.organization_of(&group("s-crane")).unwrap();
    assert_eq!(record.made_by, sync_store::ChangedBy::user("alice"));
}

#[tokio::test]
async fn an_organization_that_was_not_suggested_cannot_be_accepted() {
    let (world, report) = world_after_a_run().await;
    let error = world
        .flow
        .accept_organization_suggestion(
            &admin(),
            &report,
            &group("s-crane"),
            OrganizationId(4),
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, ItGlueError::NotASuggestion { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn the_search_finds_an_organization_to_match_to() {
    let (world, report) = world_after_a_run().await;
    let found = world
        .flow
        .search_organizations(&admin(), "former client", 5)
        .await
        .unwrap();
    assert_eq!(found[0].candidate.id, OrganizationId(4));
    world
        .flow
        .match_organization(
            &admin(),
            &report,
            &group("s-crane"),
            found[0].candidate.id,
            Mode::Apply,
        )
        .await
        .unwrap();
    assert_eq!(
        organization_of(&world, &group("s-crane")).await,
        Some(OrganizationId(4))
    );
}

#[tokio::test]
async fn matching_a_matched_group_needs_a_change_of_match() {
    let (world, report) = world_after_a_run().await;
    let error = world
        .flow
        .match_organization(
            &admin(),
            &report,
            &group("s-acme"),
            OrganizationId(4),
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, ItGlueError::AlreadyMatched { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn changing_a_match_moves_the_group_and_drops_its_device_matches() {
    let (world, report) = world_after_a_run().await;
    assert!(configuration_of(&world, "a-mac").await.is_some());
    let outcome = world
        .flow
        .change_organization_match(
            &admin(),
            &report,
            &group("s-acme"),
            OrganizationId(4),
            Mode::Apply,
        )
        .await
        .unwrap();
    assert!(
        outcome
            .steps
            .iter()
            .any(|s| matches!(s, Step::UnmatchDevice { .. }))
    );
    assert_eq!(
        organization_of(&world, &group("s-acme")).await,
        Some(OrganizationId(4))
    );
    assert_eq!(configuration_of(&world, "a-mac").await, None);
    assert_eq!(configuration_of(&world, "a-serial").await, None);
}

#[tokio::test]
async fn creating_an_organization_whose_normalised_name_exists_is_refused_unless_forced() {
    let (world, report) = world_after_a_run().await;
    let error = world
        .flow
        .create_organization(
            &admin(),
            &report,
            &group("s-crane"),
            Some("CRANE LOGISTICS LLC"),
            false,
            Mode::Apply,
        )
        .await
        .unwrap_err();
    match error {
        ItGlueError::DuplicateOrganization { existing, .. } => {
            assert_eq!(existing[0].0, OrganizationId(3));
        }
        other => panic!("expected a duplicate refusal, got {other}"),
    }
    assert_eq!(world.docs.calls().organization_creates, 0);

    let outcome = world
        .flow
        .create_organization(
            &admin(),
            &report,
            &group("s-crane"),
            Some("CRANE LOGISTICS LLC"),
            true,
            Mode::Apply,
        )
        .await
        .unwrap();
    let [Created::Organization { id, resumed: false }] = outcome.created.as_slice() else {
        panic!("expected one created organization: {outcome:?}");
    };
    assert_eq!(organization_of(&world, &group("s-crane")).await, Some(*id));
    assert_eq!(world.docs.calls().organization_creates, 1);
}

#[tokio::test]
async fn a_new_organization_takes_the_groups_name() {
    let (world, report) = world_after_a_run().await;
    let outcome = world
        .flow
        .create_organization(
            &admin(),
            &report,
            &group("s-crane"),
            None,
            true,
            Mode::Apply,
        )
        .await
        .unwrap();
    assert!(
        matches!(&outcome.steps[0], Step::CreateOrganization { name, .. } if name == "Crane Logistcs")
    );
}

#[tokio::test]
async fn managers_may_not_create_organizations_or_act_outside_their_grant() {
    let (world, report) = world_after_a_run().await;
    let manager = Actor::manager("bob", [OrganizationId(2)]);
    let error = world
        .flow
        .create_organization(
            &manager,
            &report,
            &group("s-crane"),
            None,
            true,
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, ItGlueError::AdministratorOnly { .. }));
    let error = world
        .flow
        .accept_organization_suggestion(
            &manager,
            &report,
            &group("s-crane"),
            OrganizationId(3),
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            ItGlueError::OutOfScope {
                organization: OrganizationId(3),
                name: Some(name),
            } if name == "Crane Logistics"
        ),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "\"Crane Logistics\" (#3) is not among the organizations you were granted"
    );
    let error = world
        .flow
        .match_configuration(
            &manager,
            &report,
            &uid("a-name"),
            ConfigurationId(103),
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        ItGlueError::OutOfScope {
            organization: OrganizationId(1),
            ..
        }
    ));
    assert!(
        error.to_string().starts_with("\"Acme Dental GmbH\" (#1) "),
        "{error}"
    );
    assert_eq!(organization_of(&world, &group("s-crane")).await, None);
}

#[tokio::test]
async fn a_manager_sees_only_his_organizations() {
    let (_, report) = world_after_a_run().await;
    let mine = report.visible_to(&Actor::manager("bob", [OrganizationId(2)]));
    let groups: Vec<&GroupId> = mine.groups.iter().map(|g| &g.group.id).collect();
    assert_eq!(groups, [&group("s-bolt")]);
    assert_eq!(mine.organizations.len(), 1);
    assert_eq!(mine.organizations[0].organization.id, OrganizationId(2));
    let everything = report.visible_to(&admin());
    assert_eq!(everything, report);
}

/// Refusals are never dropped: IT Glue refusing to archive a deleted device's configuration is
/// reported with its reason to the administrator and to the manager of its organization (a
/// refusal of archiving has no update view, so it is scoped by its own organization).
#[tokio::test]
async fn a_refused_archive_of_a_deleted_devices_configuration_is_reported_to_whoever_sees_it() {
    let (world, _) = world_after_a_run().await;
    let mut settings = world.flow.settings().await.unwrap();
    settings.deleted_devices = sync_core::itglue::DeletedDevicePolicy::Archive;
    world
        .flow
        .update_settings(&admin(), settings)
        .await
        .unwrap();
    // Devices a-mac and a-serial (configurations 101 and 102 of Acme, organization 1) are
    // deleted from Datto RMM; IT Glue refuses to archive 102, so the bulk archive of both is
    // refused and retried one by one.
    world.rmm.remove_device("a-mac");
    world.rmm.remove_device("a-serial");
    world.docs.refuse_archiving(102);
    let report = world.run().await;

    assert_eq!(report.updates.deleted_devices_archived, 1);
    let refusals = &report.updates.refusals;
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    let refusal = &refusals[0];
    assert_eq!(refusal.configuration, ConfigurationId(102));
    assert_eq!(refusal.organization, Some(OrganizationId(1)));
    assert_eq!(refusal.device, uid("a-serial"));
    assert!(
        refusal.reason.contains("archived is invalid"),
        "{}",
        refusal.reason
    );
    let archived: Vec<(u64, bool)> = world
        .docs
        .configurations_of(OrganizationId(1))
        .into_iter()
        .filter(|c| [101, 102].contains(&c.id.0))
        .map(|c| (c.id.0, c.archived))
        .collect();
    assert_eq!(archived, [(101, true), (102, false)]);

    assert_eq!(report.visible_to(&admin()).updates.refusals, *refusals);
    let acme = report.visible_to(&Actor::manager("ann", [OrganizationId(1)]));
    assert_eq!(acme.updates.refusals, *refusals);
    assert_eq!(acme.updates.deleted_devices_archived, 1);
    let bolt = report.visible_to(&Actor::manager("bob", [OrganizationId(2)]));
    assert!(
        bolt.updates.refusals.is_empty(),
        "{:?}",
        bolt.updates.refusals
    );
    // Nor does he see the other organizations' deleted devices counted.
    assert_eq!(
        (
            bolt.updates.deleted_devices_kept,
            bolt.updates.deleted_devices_archived
        ),
        (0, 0)
    );
}

#[tokio::test]
async fn an_ignored_group_is_neither_matched_nor_counted_unmatched_until_unignored() {
    let (world, report) = world_after_a_run().await;
    world
        .flow
        .ignore_group(&admin(), &report, &group("s-crane"), Mode::Apply)
        .await
        .unwrap();
    let report = world.run().await;
    assert!(matches!(
        report.group(&group("s-crane")).unwrap().outcome,
        OrganizationOutcome::Ignored
    ));
    assert_eq!(report.counts.groups_ignored, 1);
    assert_eq!(report.counts.groups_suggested, 0);

    world
        .flow
        .unignore_group(&admin(), &report, &group("s-crane"), Mode::Apply)
        .await
        .unwrap();
    let report = world.run().await;
    assert!(matches!(
        report.group(&group("s-crane")).unwrap().outcome,
        OrganizationOutcome::Suggested { .. }
    ));
}

#[tokio::test]
async fn a_dry_run_shows_the_steps_and_changes_nothing() {
    let (world, report) = world_after_a_run().await;
    let before = world.store.state(&tenant()).await.unwrap();
    let planned = world
        .flow
        .create_organization(
            &admin(),
            &report,
            &group("s-crane"),
            None,
            true,
            Mode::DryRun,
        )
        .await
        .unwrap();
    assert!(!planned.applied);
    assert!(matches!(&planned.steps[0], Step::CreateOrganization { .. }));
    let planned = world
        .flow
        .create_configurations(
            &admin(),
            &report,
            &[uid("a-none"), uid("a-junk")],
            Mode::DryRun,
        )
        .await
        .unwrap();
    let Step::CreateConfigurations { configurations, .. } = &planned.steps[0] else {
        panic!("expected a create step: {planned:?}");
    };
    assert_eq!(configurations.len(), 2);
    for dry in [
        world
            .flow
            .ignore_group(&admin(), &report, &group("s-crane"), Mode::DryRun)
            .await
            .unwrap(),
        world
            .flow
            .accept_organization_suggestion(
                &admin(),
                &report,
                &group("s-crane"),
                OrganizationId(3),
                Mode::DryRun,
            )
            .await
            .unwrap(),
        world
            .flow
            .accept_configuration_suggestion(
                &admin(),
                &report,
                &uid("a-name"),
                ConfigurationId(103),
                Mode::DryRun,
            )
            .await
            .unwrap(),
    ] {
        assert!(!dry.applied && !dry.steps.is_empty());
    }
    assert_eq!(world.store.state(&tenant()).await.unwrap(), before);
    assert_eq!(world.docs.calls().writes(), 0);
    assert!(world.store.journal(&tenant()).await.unwrap().is_empty());
}

#[tokio::test]
async fn accepting_a_suggested_configuration_matches_the_device() {
    let (world, report) = world_after_a_run().await;
    world
        .flow
        .accept_configuration_suggestion(
            &admin(),
            &report,
            &uid("a-name"),
            ConfigurationId(103),
            Mode::Apply,
        )
        .await
        .unwrap();
    assert_eq!(
        configuration_of(&world, "a-name").await,
        Some(ConfigurationId(103))
    );
    let report = world.run().await;
    let (_, view) = report.device(&uid("a-name")).unwrap();
    assert!(matches!(
        view.outcome,
        ConfigurationOutcome::Stored {
            configuration: ConfigurationId(103),
            ..
        }
    ));
}

#[tokio::test]
async fn a_configuration_another_device_holds_cannot_be_matched() {
    let (world, report) = world_after_a_run().await;
    let error = world
        .flow
        .match_configuration(
            &admin(),
            &report,
            &uid("a-none"),
            ConfigurationId(101),
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, ItGlueError::Taken { .. }), "{error}");
}

#[tokio::test]
async fn one_device_is_created_with_one_call_and_several_with_one_bulk_call() {
    let (world, report) = world_after_a_run().await;
    let outcome = world
        .flow
        .create_configurations(&admin(), &report, &[uid("a-none")], Mode::Apply)
        .await
        .unwrap();
    assert_eq!(world.docs.calls().configuration_creates, 1);
    assert_eq!(world.docs.calls().bulk_creates, 0);
    let [Created::Configuration { id, .. }] = outcome.created.as_slice() else {
        panic!("{outcome:?}");
    };
    assert_eq!(configuration_of(&world, "a-none").await, Some(*id));
    let created = world
        .docs
        .configurations_of(OrganizationId(1))
        .into_iter()
        .find(|c| c.id == *id)
        .unwrap();
    assert_eq!(created.serial_number.as_deref(), Some("SER-A5"));
    assert_eq!(created.installed_by.as_deref(), Some("RMM: a-none"));
    assert_eq!(created.mac_addresses, ["00:1A:2B:3C:4D:05"]);

    world.reset_calls();
    world
        .flow
        .create_configurations(
            &admin(),
            &report,
            &[uid("a-junk"), uid("a-name")],
            Mode::Apply,
        )
        .await
        .unwrap();
    assert_eq!(world.docs.calls().bulk_creates, 1);
    assert_eq!(world.docs.calls().configuration_creates, 0);
    assert!(configuration_of(&world, "a-junk").await.is_some());
    assert!(configuration_of(&world, "a-name").await.is_some());
}

#[tokio::test]
async fn creates_above_the_cap_are_refused_before_anything_is_created() {
    let (world, report) = world_after_a_run().await;
    let state = world.store.state(&tenant()).await.unwrap();
    let settings = ItGlueSettings {
        create_cap: 1,
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
    let error = world
        .flow
        .create_configurations(
            &admin(),
            &report,
            &[uid("a-junk"), uid("a-none")],
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            ItGlueError::CreateCapExceeded {
                requested: 2,
                cap: 1
            }
        ),
        "{error}"
    );
    assert_eq!(world.docs.calls().writes(), 0);
    assert!(world.store.journal(&tenant()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_create_interrupted_before_the_store_write_is_not_made_twice() {
    let (world, report) = world_after_a_run().await;
    world.store.fail_next(FailNext::Complete);
    assert!(
        world
            .flow
            .create_configurations(
                &admin(),
                &report,
                &[uid("a-junk"), uid("a-none")],
                Mode::Apply
            )
            .await
            .is_err()
    );
    assert_eq!(world.docs.calls().bulk_creates, 1);
    let before = world.docs.configurations_of(OrganizationId(1)).len();

    let outcome = world
        .flow
        .create_configurations(
            &admin(),
            &report,
            &[uid("a-junk"), uid("a-none")],
            Mode::Apply,
        )
        .await
        .unwrap();
    assert_eq!(
        world.docs.calls().bulk_creates,
        1,
        "resumed without a second create"
    );
    assert_eq!(
        world.docs.configurations_of(OrganizationId(1)).len(),
        before
    );
    assert!(
        outcome
            .created
            .iter()
            .all(|c| matches!(c, Created::Configuration { resumed: true, .. }))
    );
    assert!(configuration_of(&world, "a-junk").await.is_some());
    assert!(
        world
            .store
            .pending_intents(&tenant())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_run_after_an_interrupted_create_matches_it_and_settles_the_journal() {
    let (world, report) = world_after_a_run().await;
    world.store.fail_next(FailNext::Apply);
    assert!(
        world
            .flow
            .create_configurations(&admin(), &report, &[uid("a-none")], Mode::Apply)
            .await
            .is_err()
    );
    let entries = world.store.journal(&tenant()).await.unwrap();
    assert_eq!(entries[0].state, IntentState::Completed);
    assert_eq!(configuration_of(&world, "a-none").await, None);

    let report = world.run().await;
    let (_, view) = report.device(&uid("a-none")).unwrap();
    assert!(
        matches!(view.outcome, ConfigurationOutcome::Matched { .. }),
        "{view:?}"
    );
    // The one create, not repeated by the run (which only brings configurations up to date).
    let calls = world.docs.calls();
    assert_eq!(calls.configuration_creates + calls.bulk_creates, 1);
}

#[tokio::test]
async fn an_organization_create_interrupted_before_the_store_write_is_found_again() {
    let (world, report) = world_after_a_run().await;
    world.store.fail_next(FailNext::Complete);
    assert!(
        world
            .flow
            .create_organization(
                &admin(),
                &report,
                &group("s-crane"),
                Some("Crane Logistics Ltd"),
                true,
                Mode::Apply
            )
            .await
            .is_err()
    );
    let outcome = world
        .flow
        .create_organization(
            &admin(),
            &report,
            &group("s-crane"),
            Some("Crane Logistics Ltd"),
            true,
            Mode::Apply,
        )
        .await
        .unwrap();
    assert_eq!(world.docs.calls().organization_creates, 1);
    assert!(matches!(
        outcome.created[0],
        Created::Organization { resumed: true, .. }
    ));
    assert_eq!(
        world
            .docs
            .organizations()
            .iter()
            .filter(|o| o.name == "Crane Logistics Ltd")
            .count(),
        1
    );
    assert!(organization_of(&world, &group("s-crane")).await.is_some());
}

#[tokio::test]
async fn match_to_searches_the_devices_organization_by_configuration_name() {
    let (world, report) = world_after_a_run().await;
    let found = world
        .flow
        .search_configurations(&admin(), &report, &uid("a-none"), "Reception", 5)
        .await
        .unwrap();
    assert_eq!(found[0].candidate.id, ConfigurationId(103));
    let found = world
        .flow
        .search_configurations(&admin(), &report, &uid("a-none"), "asset", 5)
        .await
        .unwrap();
    let ids: Vec<u64> = found.iter().map(|s| s.candidate.id.0).collect();
    assert_eq!(ids, [101, 102]);
    // Only the device's organization is searched.
    assert!(!ids.contains(&201));
    let manager = Actor::manager("m", [OrganizationId(2)]);
    let error = world
        .flow
        .search_configurations(&manager, &report, &uid("a-none"), "asset", 5)
        .await
        .unwrap_err();
    assert!(matches!(error, ItGlueError::OutOfScope { .. }), "{error}");
}

/// The standard world with two more name suggestions in Acme Dental: ACME-PC04 and ACME-PC05
/// get configurations named like them.
async fn world_with_suggestions() -> (World, SyncReport) {
    let (rmm, docs) = standard();
    docs.add_configuration(itglue_support::configuration(
        105,
        1,
        "acme-pc05",
        None,
        None,
    ));
    docs.add_configuration(itglue_support::configuration(
        106,
        1,
        "ACME-PC04",
        None,
        None,
    ));
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    world.reset_calls();
    (world, report)
}

#[tokio::test]
async fn every_suggested_configuration_of_an_organization_is_accepted_in_one_transaction() {
    let (world, report) = world_with_suggestions().await;
    let before = world.store.version(&tenant()).await.unwrap();
    let AcceptedSuggestions {
        outcome: planned,
        left_out,
        ..
    } = world
        .flow
        .accept_configuration_suggestions(&admin(), &report, OrganizationId(1), Mode::DryRun)
        .await
        .unwrap();
    assert_eq!(planned.steps.len(), 3);
    assert!(!planned.applied && left_out.is_empty());
    assert_eq!(world.store.version(&tenant()).await.unwrap(), before);

    let AcceptedSuggestions {
        outcome, left_out, ..
    } = world
        .flow
        .accept_configuration_suggestions(&admin(), &report, OrganizationId(1), Mode::Apply)
        .await
        .unwrap();
    assert!(outcome.applied && left_out.is_empty());
    assert_eq!(outcome.steps, planned.steps);
    assert_eq!(
        world.store.version(&tenant()).await.unwrap(),
        sync_store::Version::new(before.get() + 1),
        "one transaction"
    );
    for (device, configuration) in [("a-name", 103), ("a-junk", 106), ("a-none", 105)] {
        assert_eq!(
            configuration_of(&world, device).await,
            Some(ConfigurationId(configuration)),
            "{device}"
        );
    }
}

#[tokio::test]
async fn accepting_all_leaves_out_a_suggestion_another_device_holds() {
    let (world, report) = world_with_suggestions().await;
    world
        .flow
        .match_configuration(
            &admin(),
            &report,
            &uid("a-junk"),
            ConfigurationId(105),
            Mode::Apply,
        )
        .await
        .unwrap();
    let AcceptedSuggestions {
        outcome, left_out, ..
    } = world
        .flow
        .accept_configuration_suggestions(&admin(), &report, OrganizationId(1), Mode::Apply)
        .await
        .unwrap();
    let matched: Vec<&DeviceUid> = outcome
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::MatchDevice { device, .. } => Some(device),
            _ => None,
        })
        .collect();
    assert_eq!(matched, [&uid("a-name")]);
    assert_eq!(left_out.len(), 1);
    assert_eq!(left_out[0].device, uid("a-none"));
    assert!(
        left_out[0].reason.contains("device ACME-PC04"),
        "{}",
        left_out[0].reason
    );
    assert_eq!(configuration_of(&world, "a-none").await, None);
    assert_eq!(
        configuration_of(&world, "a-junk").await,
        Some(ConfigurationId(105))
    );
}
