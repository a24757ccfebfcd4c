//! `ItGlueFlow::handle`: a user action as a person names it — groups, organizations, devices
//! and configurations as typed — resolved in sync-core's name rules, applied (or planned), and
//! the kept report refreshed, in one call; what it says in words and in JSON.

mod itglue_support;

use sync_core::itglue::{ConfigurationId, DeviceUid, GroupId, OrganizationId, SiteUid};
use sync_engine::itglue::{ItGlueError, Mode, OrganizationState, Request, SyncReport};
use sync_engine::lookup::{LookupError, Subject};
use sync_store::Store;

use itglue_support::{World, admin, standard, tenant};

async fn world_after_a_run() -> (World, SyncReport) {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    world.reset_calls();
    (world, report)
}

fn request(json: serde_json::Value) -> Request {
    serde_json::from_value(json).unwrap()
}

#[tokio::test]
async fn accepting_by_group_name_takes_the_best_suggestion_and_refreshes_the_kept_report() {
    let (world, report) = world_after_a_run().await;
    let accept = request(serde_json::json!({
        "request": "accept_organization", "group": "crane logistcs", "organization": null
    }));
    let plan = world
        .flow
        .handle(&admin(), &report, &accept, Mode::DryRun)
        .await
        .unwrap();
    assert!(!plan.outcome.applied);
    assert_eq!(
        plan.lines(),
        [
            "Dry run, would do:",
            "  - match \"Crane Logistcs\" to Crane Logistics (#3)"
        ]
    );
    assert_eq!(world.docs.calls().writes(), 0);
    let kept = world.flow.last_report().await.unwrap();
    assert_eq!(kept, report, "a dry run leaves the kept report alone");

    let done = world
        .flow
        .handle(&admin(), &report, &accept, Mode::Apply)
        .await
        .unwrap();
    assert_eq!(done.lines()[0], "Done:");
    assert_eq!(done.report_not_refreshed, None);
    let state = world.store.state(&tenant()).await.unwrap();
    let crane = GroupId::Site(SiteUid::new("s-crane"));
    assert_eq!(
        state
            .itglue
            .organization_of(&crane)
            .map(|m| m.organization()),
        Some(OrganizationId(3))
    );
    // The kept report shows the match at once, without a sync.
    let kept = world.flow.last_report().await.unwrap();
    let listed = world
        .flow
        .group_listings(&admin(), &kept, Some(OrganizationState::Matched))
        .await
        .unwrap();
    assert!(
        listed.iter().any(|g| g.name == "Crane Logistcs"),
        "{listed:?}"
    );
    // JSON: the action's outcome as it is.
    let json = serde_json::to_value(&done).unwrap();
    assert_eq!(json["applied"], true);
    assert_eq!(json["steps"][0]["step"], "match_organization");
}

#[tokio::test]
async fn an_accept_without_a_suggestion_and_unknown_references_are_refused_by_name() {
    let (world, report) = world_after_a_run().await;
    let handle = |request: Request| {
        let (flow, report) = (&world.flow, &report);
        async move { flow.handle(&admin(), report, &request, Mode::Apply).await }
    };
    let error = handle(Request::AcceptOrganization {
        group: "s-bolt".into(),
        organization: None,
    })
    .await
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "group \"BOLT PLUMBING\" has no suggestion to accept"
    );
    assert!(error.is_refused_request());
    let error = handle(Request::AcceptConfiguration {
        device: "ACME-PC01".into(),
        configuration: None,
    })
    .await
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "device ACME-PC01 has no suggestion to accept"
    );
    match handle(Request::MatchConfiguration {
        device: "no-such-device".into(),
        configuration: "101".into(),
    })
    .await
    {
        Err(ItGlueError::Lookup(LookupError::NotFound { subject, .. })) => {
            assert_eq!(subject, Subject::Device)
        }
        other => panic!("expected an unknown device, got {other:?}"),
    }
    match handle(Request::IgnoreGroup {
        group: "Nowhere Ltd".into(),
    })
    .await
    {
        Err(ItGlueError::Lookup(LookupError::NotFound { subject, .. })) => {
            assert_eq!(subject, Subject::Group)
        }
        other => panic!("expected an unknown group, got {other:?}"),
    }
    assert_eq!(world.docs.calls().writes(), 0);
}

#[tokio::test]
async fn a_device_is_named_by_its_hostname_in_any_case_and_its_suggestion_accepted() {
    let (world, report) = world_after_a_run().await;
    assert_eq!(
        report.find_device("reception-pc").unwrap().device.uid,
        DeviceUid::new("a-name")
    );
    let accept = Request::AcceptConfiguration {
        device: "reception-pc".into(),
        configuration: None,
    };
    let done = world
        .flow
        .handle(&admin(), &report, &accept, Mode::Apply)
        .await
        .unwrap();
    let lines = done.lines();
    assert!(
        lines[1].contains("device RECEPTION-PC") && lines[1].contains("reception-pc (#103)"),
        "{lines:?}"
    );
    let state = world.store.state(&tenant()).await.unwrap();
    assert_eq!(
        state
            .itglue
            .configuration_of(&DeviceUid::new("a-name"))
            .map(|m| m.configuration),
        Some(ConfigurationId(103))
    );
}

#[tokio::test]
async fn accepting_an_organizations_suggestions_lists_what_was_left_out_or_says_there_was_nothing()
{
    let (world, report) = world_after_a_run().await;
    let accept_all = Request::AcceptConfigurations {
        organization: "acme dental gmbh".into(),
    };
    let plan = world
        .flow
        .handle(&admin(), &report, &accept_all, Mode::DryRun)
        .await
        .unwrap();
    assert!(!plan.outcome.steps.is_empty());
    // JSON keeps the shape of AcceptedSuggestions: the outcome and the devices left out.
    let json = serde_json::to_value(&plan).unwrap();
    assert_eq!(json["outcome"]["applied"], false);
    assert!(json["left_out"].is_array(), "{json}");

    let bolt = Request::AcceptConfigurations {
        organization: "2".into(),
    };
    let nothing = world
        .flow
        .handle(&admin(), &report, &bolt, Mode::Apply)
        .await
        .unwrap();
    assert_eq!(
        nothing.lines(),
        ["No device of Bolt Plumbing, Inc. has a suggested configuration to accept."]
    );
}

#[tokio::test]
async fn configurations_are_created_for_the_devices_named_within_the_organization() {
    let (world, report) = world_after_a_run().await;
    // SPARE is a device of another group: not a device of Acme.
    let elsewhere = Request::CreateConfigurations {
        organization: "Acme Dental GmbH".into(),
        devices: vec!["SPARE".into()],
    };
    let error = world
        .flow
        .handle(&admin(), &report, &elsewhere, Mode::DryRun)
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "no device \"SPARE\"");

    let create = Request::CreateConfigurations {
        organization: "Acme Dental GmbH".into(),
        devices: Vec::new(),
    };
    let done = world
        .flow
        .handle(&admin(), &report, &create, Mode::Apply)
        .await
        .unwrap();
    assert!(!done.outcome.created.is_empty(), "{done:?}");
    assert_eq!(done.nothing_to_do, None);
    // The kept report was refreshed: nothing is left to create.
    let kept = world.flow.last_report().await.unwrap();
    let again = world
        .flow
        .handle(&admin(), &kept, &create, Mode::Apply)
        .await
        .unwrap();
    assert_eq!(
        again.lines(),
        ["Every device of Acme Dental GmbH has a configuration or a suggestion."]
    );
    assert!(again.outcome.steps.is_empty());
}

#[tokio::test]
async fn the_report_is_the_kept_one_unless_a_sync_is_asked_for_first() {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    assert!(matches!(
        world.flow.last_report_or_sync(false).await,
        Err(ItGlueError::NoStoredRun { .. })
    ));
    let synced = world.flow.last_report_or_sync(true).await.unwrap();
    assert_eq!(world.flow.last_report_or_sync(false).await.unwrap(), synced);
}
