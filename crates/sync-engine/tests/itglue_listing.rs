//! What the IT Glue flow's listings show a person and a script: groups with their
//! organizations named by name, an organization's devices, a run's summary, the status, and the
//! action that creates the configurations an organization is missing.

mod itglue_support;

use std::collections::BTreeMap;

use serde_json::json;
use sync_core::itglue::{
    ConfigurationId, DeviceUid, GroupId, MatchReason, OrganizationId, OrganizationOutcome, SiteUid,
};
use sync_engine::itglue::{
    Actor, ConfigurationState, DeviceListing, GroupDetail, GroupListing, Mode, OrganizationDevices,
    OrganizationState, SyncReport, TableRow, reason_words,
};

use itglue_support::{World, admin, standard};

async fn world_after_a_run() -> (World, SyncReport) {
    let (rmm, docs) = standard();
    let world = World::connected(rmm, docs).await;
    let report = world.run().await;
    (world, report)
}

fn listing<'a>(listings: &'a [GroupListing], group: &str) -> &'a GroupListing {
    listings.iter().find(|l| l.group == group).unwrap()
}

#[tokio::test]
async fn groups_are_listed_with_their_organizations_named_by_name() {
    let (world, report) = world_after_a_run().await;
    let names = world.flow.organization_names().await.unwrap();
    let listings = report.group_listings(&names);
    assert_eq!(listings.len(), report.groups.len());

    let bolt = listing(&listings, "s-bolt");
    assert_eq!(bolt.state, OrganizationState::Matched);
    assert_eq!(
        serde_json::to_value(bolt).unwrap(),
        json!({
            "group": "s-bolt",
            "name": "BOLT PLUMBING",
            "devices": 1,
            "state": "matched",
            "detail": {"organization": 2, "name": "Bolt Plumbing, Inc.", "reason": "same normalised name"},
        })
    );
    assert_eq!(
        bolt.detail.to_string(),
        "Bolt Plumbing, Inc. (#2) — same normalised name"
    );

    let crane = listing(&listings, "s-crane");
    assert_eq!(crane.state, OrganizationState::Suggested);
    let detail = serde_json::to_value(&crane.detail).unwrap();
    assert_eq!(detail["suggestions"][0]["organization"], 3, "{detail}");
    assert_eq!(detail["suggestions"][0]["name"], "Crane Logistics");
    assert!(
        crane
            .detail
            .to_string()
            .starts_with("Crane Logistics (#3) "),
        "{}",
        crane.detail
    );
}

#[test]
fn an_organization_it_glue_no_longer_lists_is_named_by_its_id_alone() {
    let gone = OrganizationOutcome::Stored {
        organization: OrganizationId(9),
        organization_exists: false,
    };
    let detail = GroupDetail::new(&gone, &BTreeMap::new());
    assert_eq!(
        detail.to_string(),
        "organization #9 — kept match, organization gone"
    );
    assert_eq!(
        serde_json::to_value(&detail).unwrap(),
        json!({"organization": 9, "name": null, "stored": true, "exists": false})
    );
    let nothing = GroupDetail::new(&OrganizationOutcome::Ignored, &BTreeMap::new());
    assert_eq!(serde_json::to_value(&nothing).unwrap(), json!({}));
    assert_eq!(
        OrganizationState::of(&OrganizationOutcome::Ignored).to_string(),
        "ignored"
    );
    assert_eq!(reason_words(MatchReason::MacAddress), "MAC address");
}

#[tokio::test]
async fn an_organizations_devices_are_listed_with_their_configurations_named() {
    let (world, report) = world_after_a_run().await;
    let acme = report.organization(OrganizationId(1)).unwrap();
    let names = world
        .flow
        .configuration_names(OrganizationId(1))
        .await
        .unwrap();
    assert_eq!(names[&ConfigurationId(101)], "ASSET-1");
    let all = OrganizationDevices::new(acme, false, &names);
    assert_eq!(all.name, "Acme Dental GmbH");
    assert_eq!(all.devices.len(), acme.devices.len());
    let by_mac = all.devices.iter().find(|d| d.device == "a-mac").unwrap();
    assert_eq!(by_mac.state, ConfigurationState::Matched);
    assert_eq!(by_mac.describe(&names), "ASSET-1 (#101) — MAC address");
    assert_eq!(by_mac.detail, "ASSET-1 (#101) — MAC address");

    // One engine call: the organization by name (sync-core's rules), configurations named.
    let listed = world
        .flow
        .organization_devices(&admin(), &report, "ACME DENTAL GMBH", true)
        .await
        .unwrap();
    assert_eq!(listed.all_devices, acme.devices.len());
    assert!(!listed.devices.is_empty());
    assert!(
        listed
            .devices
            .iter()
            .all(|d| d.state == ConfigurationState::Unmatched)
    );
    assert_eq!(
        listed.heading(),
        format!(
            "Acme Dental GmbH (#1): {} device(s), {} configuration(s) in IT Glue.",
            acme.devices.len(),
            acme.configurations
        )
    );
    let json = serde_json::to_value(&listed).unwrap();
    assert_eq!(json["organization"], 1);
    assert_eq!(json["devices"][0]["state"], "unmatched");
    let row = listed.devices[0].cells();
    assert_eq!(row.len(), DeviceListing::COLUMNS.len());
    assert_eq!(row[1], listed.devices[0].hostname);
    // A suggested device's cell names its configuration and why.
    let all = world
        .flow
        .organization_devices(&admin(), &report, "1", false)
        .await
        .unwrap();
    let suggested = all.devices.iter().find(|d| d.device == "a-name").unwrap();
    assert!(
        suggested.cells()[3] == "reception-pc (#103) 60% (name)",
        "{suggested:?}"
    );
    // An organization no group is matched to lists nothing, naming why.
    let error = world
        .flow
        .organization_devices(&admin(), &report, "Former Client Holdings", false)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "no matched organization \"Former Client Holdings\""
    );
}

#[tokio::test]
async fn the_groups_are_listed_with_their_organizations_named_and_filtered_by_state() {
    let (world, report) = world_after_a_run().await;
    let all = world
        .flow
        .group_listings(&admin(), &report, None)
        .await
        .unwrap();
    assert_eq!(all.len(), report.groups.len());
    let suggested = world
        .flow
        .group_listings(&admin(), &report, Some(OrganizationState::Suggested))
        .await
        .unwrap();
    assert_eq!(suggested.len(), 1);
    assert_eq!(
        suggested[0].cells(),
        [
            "Crane Logistcs".to_owned(),
            "1".to_owned(),
            "suggested".to_owned(),
            suggested[0].detail.to_string()
        ]
    );
    assert!(
        suggested[0].cells()[3].starts_with("Crane Logistics (#3) "),
        "{:?}",
        suggested[0]
    );
    assert_eq!(GroupListing::COLUMNS[3], "ORGANIZATION / SUGGESTIONS");
    // A manager sees only the groups of the organizations he was granted.
    let manager = Actor::manager("bob", [OrganizationId(2)]);
    let seen = world
        .flow
        .group_listings(&manager, &report, Some(OrganizationState::Matched))
        .await
        .unwrap();
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|g| g.name == "BOLT PLUMBING"), "{seen:?}");
}

#[tokio::test]
async fn a_dry_runs_summary_has_no_run_number_and_the_status_lists_the_runs() {
    let (world, report) = world_after_a_run().await;
    let summary = serde_json::to_value(report.summary()).unwrap();
    assert_eq!(summary["run"], report.run.0);
    assert_eq!(summary["counts"]["groups"], report.counts.groups);

    let dry = world
        .flow
        .run_with(&sync_engine::itglue::NoProgress, Mode::DryRun)
        .await
        .unwrap();
    let summary = serde_json::to_value(dry.summary()).unwrap();
    assert!(summary["run"].is_null(), "{summary}");
    assert_eq!(summary["updates"]["dry_run"], true);

    let status = world.flow.status(5).await.unwrap();
    assert_eq!(status.runs.len(), 1, "a dry run is not recorded");
    assert!(status.runs[0].ok);
    assert_eq!(
        status.runs[0].count("groups"),
        report.counts.groups.to_string()
    );
    assert_eq!(status.runs[0].count("no such count"), "-");
    let json = serde_json::to_value(&status).unwrap();
    assert_eq!(json["runs"][0]["status"], "OK");
    assert_eq!(
        json["credentials"],
        json!([{"vendor": "datto", "status": "valid"}, {"vendor": "itglue", "status": "valid"}])
    );
    assert_eq!(status.credentials[1].words(), "working");
}

#[tokio::test]
async fn the_missing_configurations_of_an_organization_are_created_once() {
    let (world, report) = world_after_a_run().await;
    let acme = OrganizationId(1);
    let missing: Vec<_> = report
        .organization(acme)
        .unwrap()
        .devices
        .iter()
        .filter(|d| d.outcome == sync_core::itglue::ConfigurationOutcome::Unmatched)
        .map(|d| d.device.uid.clone())
        .collect();
    assert!(!missing.is_empty());
    let flow = &world.flow;
    let planned = flow
        .create_missing_configurations(&admin(), &report, acme, Mode::DryRun)
        .await
        .unwrap();
    assert!(!planned.applied);
    let done = flow
        .create_missing_configurations(&admin(), &report, acme, Mode::Apply)
        .await
        .unwrap();
    assert_eq!(done.created.len(), missing.len());
    // The same (now stale) report again: the store's matches win, nothing is created twice.
    let again = flow
        .create_missing_configurations(&admin(), &report, acme, Mode::Apply)
        .await
        .unwrap();
    assert!(
        again.steps.is_empty() && again.created.is_empty(),
        "{again:?}"
    );
    assert_eq!(
        serde_json::to_value(&again).unwrap()["steps"],
        json!([]),
        "an empty outcome still prints as JSON"
    );
}

#[tokio::test]
async fn an_actions_outcome_names_groups_organizations_and_devices_by_name() {
    let (world, report) = world_after_a_run().await;
    let crane = GroupId::Site(SiteUid::new("s-crane"));
    let planned = world
        .flow
        .accept_organization_suggestion(&admin(), &report, &crane, OrganizationId(3), Mode::DryRun)
        .await
        .unwrap();
    assert_eq!(
        planned.lines(),
        ["match \"Crane Logistcs\" to Crane Logistics (#3)"]
    );
    let json = serde_json::to_value(&planned).unwrap();
    assert_eq!(json["names"]["organizations"]["3"], "Crane Logistics");
    assert_eq!(json["names"]["groups"]["s-crane"], "Crane Logistcs");

    let done = world
        .flow
        .create_missing_configurations(&admin(), &report, OrganizationId(1), Mode::Apply)
        .await
        .unwrap();
    assert_eq!(
        done.lines(),
        [
            "create 2 configuration(s) in Acme Dental GmbH (#1): ACME-PC04 (Workstation), ACME-PC05 (Workstation)",
            "created configuration ACME-PC04 (#10003) for device ACME-PC04",
            "created configuration ACME-PC05 (#10004) for device ACME-PC05",
        ]
    );
}

#[tokio::test]
async fn a_created_organization_is_named_in_the_outcome() {
    let (world, report) = world_after_a_run().await;
    let crane = GroupId::Site(SiteUid::new("s-crane"));
    let outcome = world
        .flow
        .create_organization(
            &admin(),
            &report,
            &crane,
            Some("Crane Freight"),
            false,
            Mode::Apply,
        )
        .await
        .unwrap();
    let lines = outcome.lines();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0],
        "create organization \"Crane Freight\" for \"Crane Logistcs\""
    );
    assert!(
        lines[1].starts_with("match \"Crane Logistcs\" to Crane Freight (#"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("created organization Crane Freight (#"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn refusals_name_the_group_and_the_organization() {
    let (world, report) = world_after_a_run().await;
    let bolt = GroupId::Site(SiteUid::new("s-bolt"));
    let error = world
        .flow
        .match_organization(&admin(), &report, &bolt, OrganizationId(3), Mode::Apply)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"BOLT PLUMBING\" is already matched to Bolt Plumbing, Inc. (#2); change the match instead"
    );
    let error = world
        .flow
        .unignore_group(&admin(), &report, &bolt, Mode::Apply)
        .await
        .unwrap_err();
    assert_eq!(error.to_string(), "\"BOLT PLUMBING\" is not ignored");
    let error = world
        .flow
        .match_configuration(
            &admin(),
            &report,
            &DeviceUid::new("a-mac"),
            ConfigurationId(201),
            Mode::Apply,
        )
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"Acme Dental GmbH\" (#1) has no configuration with id 201"
    );
}
