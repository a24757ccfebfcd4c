//! Runs the `itglue-sync` example against the Datto RMM and IT Glue fakes: every subcommand's
//! happy path, wrong credentials, usage errors, and `--json` output that parses.

mod support;

use std::process::Command;

use serde_json::Value;
use support::{FakeWorld, Ran};

const BIN: &str = "itglue-sync";

fn itg(world: &FakeWorld, args: &[&str]) -> Ran {
    world.run(BIN, args)
}

async fn synced(seed: u64) -> FakeWorld {
    let world = FakeWorld::start(seed).await;
    itg(&world, &["connect"]).ok();
    itg(&world, &["sync"]).ok();
    world
}

fn groups(world: &FakeWorld, filter: &[&str]) -> Vec<Value> {
    let mut args = vec!["orgs", "--json"];
    args.extend_from_slice(filter);
    itg(world, &args)
        .ok()
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn first_group_in(world: &FakeWorld, state: &str) -> Value {
    groups(world, &[&format!("--{state}")])
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {state} group"))
}

#[test]
fn help_lists_the_subcommands_the_credential_variables_and_the_exit_codes() {
    let output = Command::new(support::example(BIN))
        .arg("--help")
        .env("ITGLUE_API_KEY", "ITG.SECRET-IN-ENV")
        .output()
        .unwrap();
    let help = Ran::from(output).ok().never_shows("ITG.SECRET-IN-ENV");
    for word in [
        "connect",
        "sync",
        "orgs",
        "accept",
        "match",
        "change-match",
        "create-org",
        "ignore",
        "unignore",
        "devices",
        "create-configs",
        "accept-devices",
        "status",
        "ITGLUE_API_KEY",
        "DATTO_API_KEY",
        "Exit codes",
    ] {
        assert!(
            help.stdout.contains(word),
            "--help lacks {word}: {}",
            help.stdout
        );
    }
}

#[test]
fn two_listing_filters_at_once_are_a_usage_error() {
    let output = Command::new(support::example(BIN))
        .args(["orgs", "--matched", "--unmatched"])
        .output()
        .unwrap();
    Ran::from(output).code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_prints_the_tenant_as_json() {
    let world = FakeWorld::start(41).await;
    let connected = itg(&world, &["connect", "--json"]).ok().json();
    assert_eq!(connected["account"], world.fakes.msp.account.uid.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_itglue_key_exits_with_the_vendor_code_and_is_not_echoed() {
    let world = FakeWorld::start(42).await;
    world
        .run_with(BIN, &["connect"], &[("ITGLUE_API_KEY", "ITG.WRONG-4711")])
        .code(3)
        .stderr_has("IT Glue")
        .never_shows("ITG.WRONG-4711");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_datto_secret_exits_with_the_vendor_code() {
    let world = FakeWorld::start(43).await;
    world
        .run_with(BIN, &["connect"], &[("DATTO_API_SECRET", "not-the-secret")])
        .code(3)
        .never_shows("not-the-secret");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_a_remote_itglue_is_refused() {
    let world = FakeWorld::start(44).await;
    let ran = world
        .run_with(
            BIN,
            &["connect"],
            &[("ITGLUE_API_URL", "http://itglue.example.com")],
        )
        .code(2);
    assert!(ran.stderr.to_lowercase().contains("https"), "{ran:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_counts_every_group_and_a_second_sync_reads_no_audit() {
    let world = FakeWorld::start(45).await;
    itg(&world, &["connect"]).ok();
    let first = itg(&world, &["sync", "--json"]).ok().json();
    let planted = &world.fakes.itglue_planted;
    let taking_part = planted.sites.len() + planted.sites_without_organization.len();
    let counts = &first["counts"];
    assert_eq!(counts["groups"], taking_part as u64);
    let sum = [
        "groups_matched",
        "groups_suggested",
        "groups_unmatched",
        "groups_ignored",
    ]
    .iter()
    .map(|k| counts[*k].as_u64().unwrap())
    .sum::<u64>();
    assert_eq!(sum, taking_part as u64);
    assert!(counts["groups_matched"].as_u64().unwrap() > 0, "{first}");
    assert!(counts["devices_matched"].as_u64().unwrap() > 0, "{first}");
    assert!(
        first["datto_calls"]["audits"].as_u64().unwrap() > 0,
        "{first}"
    );

    let second = itg(&world, &["sync", "--json"]).ok().json();
    assert_eq!(second["datto_calls"]["audits"], 0, "{second}");
    assert_eq!(second["counts"]["groups_matched"], counts["groups_matched"]);

    let text = itg(&world, &["sync"]).ok();
    assert!(text.stdout.starts_with("Groups:"), "{text:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn orgs_lists_groups_and_filters_them() {
    let world = synced(45).await;
    let all = groups(&world, &[]);
    assert!(!all.is_empty());
    for state in ["matched", "suggested", "unmatched", "ignored"] {
        for group in groups(&world, &[&format!("--{state}")]) {
            assert_eq!(group["state"], state, "{group}");
        }
    }
    let suggested = first_group_in(&world, "suggested");
    let suggestions = suggested["detail"]["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty());
    let score = suggestions[0]["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score), "{suggested}");

    let table = itg(&world, &["orgs"]).ok();
    assert!(table.stdout.starts_with("GROUP"), "{table:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn accept_matches_a_group_to_its_best_suggestion() {
    let world = synced(45).await;
    let group = first_group_in(&world, "suggested");
    let name = group["name"].as_str().unwrap();
    let best = group["detail"]["suggestions"][0]["organization"]
        .as_u64()
        .unwrap();

    let dry = itg(&world, &["accept", name, "--dry-run", "--json"])
        .ok()
        .json();
    assert_eq!(dry["applied"], false);
    itg(&world, &["accept", name]).ok().stdout_has("Done:");
    let after = groups(&world, &[])
        .into_iter()
        .find(|g| g["group"] == group["group"])
        .unwrap();
    assert_eq!(after["state"], "matched", "{after}");
    assert_eq!(after["detail"]["organization"], best);
}

#[tokio::test(flavor = "multi_thread")]
async fn match_and_change_match_take_an_organization_by_id() {
    let world = synced(48).await;
    let matched = groups(&world, &["--matched"]);
    let (first, second) = (&matched[0], &matched[matched.len() - 1]);
    let target = second["detail"]["organization"]
        .as_u64()
        .unwrap()
        .to_string();
    let group = first["group"].as_str().unwrap();
    itg(&world, &["match", group, &target])
        .code(2)
        .stderr_has("change the match");
    itg(&world, &["change-match", group, &target, "--json"])
        .ok()
        .json();
    let after = groups(&world, &[])
        .into_iter()
        .find(|g| g["group"] == first["group"])
        .unwrap();
    assert_eq!(
        after["detail"]["organization"]
            .as_u64()
            .unwrap()
            .to_string(),
        target
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_org_is_refused_for_a_duplicate_name_unless_forced() {
    let world = synced(45).await;
    let suggested = first_group_in(&world, "suggested");
    let group = suggested["group"].as_str().unwrap();
    let taken = suggested["detail"]["suggestions"][0]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = world.fakes.itglue.organizations().len();
    itg(&world, &["create-org", group, "--name", &taken])
        .code(2)
        .stderr_has("same name exists");
    itg(
        &world,
        &[
            "create-org",
            group,
            "--name",
            &taken,
            "--force",
            "--dry-run",
        ],
    )
    .ok()
    .stdout_has("Dry run");
    assert_eq!(world.fakes.itglue.organizations().len(), before);
    itg(
        &world,
        &["create-org", group, "--name", "Brand New Client Ltd"],
    )
    .ok()
    .stdout_has("created organization");
    assert_eq!(world.fakes.itglue.organizations().len(), before + 1);
    let after = groups(&world, &[])
        .into_iter()
        .find(|g| g["group"] == group)
        .unwrap();
    assert_eq!(after["state"], "matched", "{after}");
}

#[tokio::test(flavor = "multi_thread")]
async fn ignore_and_unignore_round_trip() {
    let world = synced(50).await;
    let group = groups(&world, &["--unmatched"])
        .into_iter()
        .chain(groups(&world, &["--suggested"]))
        .next()
        .expect("a group without a match");
    let id = group["group"].as_str().unwrap();
    itg(&world, &["ignore", id]).ok();
    assert!(
        groups(&world, &["--ignored"])
            .iter()
            .any(|g| g["group"] == id)
    );
    itg(&world, &["ignore", id])
        .code(2)
        .stderr_has("already ignored");
    itg(&world, &["unignore", id]).ok();
    assert!(
        !groups(&world, &["--ignored"])
            .iter()
            .any(|g| g["group"] == id)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn create_configs_documents_every_unmatched_device_of_an_organization() {
    let world = synced(51).await;
    // The first matched organization with a device left unmatched.
    let organization = matched_orgs(&world)
        .into_iter()
        .find(|org| !devices_in(&world, org, "unmatched").is_empty())
        .expect("an organization with an unmatched device")
        .parse::<u64>()
        .unwrap();
    let org = organization.to_string();
    let devices = itg(&world, &["devices", &org, "--json"]).ok().json();
    let unmatched = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == "unmatched")
        .count();
    let before = world.fakes.itglue.configurations_of(organization).len();
    let created = itg(&world, &["create-configs", &org, "--all", "--json"])
        .ok()
        .json();
    let made = created["created"].as_array().unwrap().len();
    assert_eq!(made, unmatched, "{created}");
    assert_eq!(
        world.fakes.itglue.configurations_of(organization).len(),
        before + unmatched
    );
    let after = itg(&world, &["devices", &org, "--unmatched", "--json"])
        .ok()
        .json();
    assert!(after["devices"].as_array().unwrap().is_empty(), "{after}");
    itg(&world, &["devices", &org]).ok().stdout_has("HOSTNAME");
    // Nothing left to create: still JSON with --json, a sentence without.
    let again = itg(&world, &["create-configs", &org, "--all", "--json"])
        .ok()
        .json();
    assert_eq!(again["steps"], serde_json::json!([]), "{again}");
    assert_eq!(again["created"], serde_json::json!([]), "{again}");
    itg(&world, &["create-configs", &org, "--all"])
        .ok()
        .stdout_has("has a configuration or a suggestion");
}

#[tokio::test(flavor = "multi_thread")]
async fn accept_device_matches_a_device_to_its_suggested_configuration() {
    let world = synced(52).await;
    let mut suggested = None;
    for group in groups(&world, &["--matched"]) {
        let org = group["detail"]["organization"]
            .as_u64()
            .unwrap()
            .to_string();
        let devices = itg(&world, &["devices", &org, "--json"]).ok().json();
        if let Some(device) = devices["devices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["state"] == "suggested")
        {
            suggested = Some((org, device["device"].as_str().unwrap().to_owned()));
            break;
        }
    }
    let (org, device) = suggested.expect("a device with a suggested configuration");
    itg(&world, &["accept-device", &device])
        .ok()
        .stdout_has("match device");
    let devices = itg(&world, &["devices", &org, "--json"]).ok().json();
    let state = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device"] == device.as_str())
        .map(|d| d["state"].clone());
    assert_eq!(state, Some(Value::from("matched")));
    itg(&world, &["match-device", "no-such-device", "1"]).code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_manager_sees_only_the_organizations_he_was_granted() {
    let world = synced(53).await;
    let matched = first_group_in(&world, "matched");
    let organization = matched["detail"]["organization"]
        .as_u64()
        .unwrap()
        .to_string();
    let visible = itg(&world, &["orgs", "--json", "--manager-of", &organization])
        .ok()
        .json();
    let visible = visible.as_array().unwrap();
    assert!(!visible.is_empty());
    for group in visible.iter().filter(|g| g["state"] == "matched") {
        assert_eq!(
            group["detail"]["organization"]
                .as_u64()
                .unwrap()
                .to_string(),
            organization
        );
    }
    let other = groups(&world, &["--unmatched"]).into_iter().next();
    if let Some(other) = other {
        itg(
            &world,
            &[
                "create-org",
                other["group"].as_str().unwrap(),
                "--manager-of",
                &organization,
            ],
        )
        .code(2);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn status_shows_the_runs_and_the_credentials() {
    let world = synced(54).await;
    let status = itg(&world, &["status", "--json"]).ok().json();
    let runs = status["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["status"], "OK");
    assert!(
        status["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "valid"),
        "{status}"
    );
    itg(&world, &["status"]).ok().stdout_has("OK");
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_set_then_show_round_trips_and_a_manager_may_not_change_them() {
    let world = FakeWorld::start(55).await;
    itg(&world, &["connect"]).ok();
    itg(
        &world,
        &[
            "settings",
            "set",
            "--grouping",
            "autotask-company",
            "--add-placeholder-serial",
            "0123456789",
            "--add-alias",
            "ACME=Acme Holdings",
            "--create-cap",
            "20",
        ],
    )
    .ok();
    let shown = itg(&world, &["settings", "show", "--json"]).ok().json();
    assert_eq!(shown["grouping"], "autotask_company");
    assert_eq!(shown["identifiers"]["placeholder_serials"][0], "0123456789");
    assert_eq!(shown["aliases"][0]["same_as"], "Acme Holdings");
    assert_eq!(shown["create_cap"], 20);
    assert_eq!(
        shown["sync_interval_minutes"], 240,
        "every four hours until set"
    );
    itg(
        &world,
        &["settings", "set", "--add-alias", "no equals sign"],
    )
    .code(2);
    itg(
        &world,
        &["settings", "set", "--create-cap", "5", "--manager-of", "1"],
    )
    .code(2)
    .stderr_has("administrator");
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_set_takes_a_sync_interval_within_its_bounds_only() {
    let world = FakeWorld::start(56).await;
    itg(&world, &["connect"]).ok();
    let set = |minutes: &'static str| ["settings", "set", "--sync-interval-minutes", minutes];
    for (minutes, kept) in [("15", 15), ("10080", 10_080), ("90", 90)] {
        itg(&world, &set(minutes)).ok();
        let shown = itg(&world, &["settings", "show", "--json"]).ok().json();
        assert_eq!(shown["sync_interval_minutes"], kept);
    }
    itg(&world, &["settings", "show"])
        .ok()
        .stdout_has("every 90 minutes");
    for refused in ["14", "10081", "0"] {
        itg(&world, &set(refused))
            .code(2)
            .stderr_has("from 15 to 10080 minutes");
    }
    itg(&world, &set("-5")).code(2);
    let shown = itg(&world, &["settings", "show", "--json"]).ok().json();
    assert_eq!(
        shown["sync_interval_minutes"], 90,
        "a refused interval saves nothing"
    );
}

/// The organization ids an IT Glue configuration listing (`GET /configurations`) asked for.
fn configuration_listings(world: &FakeWorld) -> Vec<u64> {
    world
        .fakes
        .itglue
        .log()
        .all()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/configurations")
        .map(|r| {
            let query = r.query.replace("%5B", "[").replace("%5D", "]");
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("filter[organization_id]="))
                .and_then(|id| id.parse().ok())
                .unwrap_or_else(|| panic!("a configuration listing of no organization: {query}"))
        })
        .collect()
}

/// Ten matching-screen actions, each in a process of its own, work on the stored report of the
/// last sync: no Datto RMM site or device listing at all, and IT Glue configuration listings
/// only of the organizations they touch.
#[tokio::test(flavor = "multi_thread")]
async fn ten_actions_in_ten_processes_list_no_sites_or_devices_and_only_the_configurations_they_touch()
 {
    let world = synced(45).await;
    let suggested = groups(&world, &["--suggested"]);
    let accepted = suggested[0]["group"].as_str().unwrap().to_owned();
    let best = suggested[0]["detail"]["suggestions"][0]["organization"]
        .as_u64()
        .unwrap();
    let free = groups(&world, &["--unmatched"])
        .into_iter()
        .chain(suggested.iter().skip(1).cloned())
        .map(|g| g["group"].as_str().unwrap().to_owned())
        .next()
        .expect("a second group without a match");
    let (org, device) = groups(&world, &["--matched"])
        .into_iter()
        .find_map(|group| {
            let org = group["detail"]["organization"].as_u64()?;
            let devices = itg(&world, &["devices", &org.to_string(), "--json"])
                .ok()
                .json();
            let device = devices["devices"]
                .as_array()?
                .iter()
                .find(|d| d["state"] == "unmatched")?["device"]
                .as_str()?
                .to_owned();
            Some((org, device))
        })
        .expect("a matched organization with an unmatched device");
    let org_text = org.to_string();
    world.fakes.datto.log().clear();
    world.fakes.itglue.log().clear();

    let actions: [&[&str]; 10] = [
        &["ignore", &free],
        &["unignore", &free],
        &["accept", &accepted, "--dry-run"],
        &["accept", &accepted],
        &["create-configs", &org_text, &device, "--dry-run"],
        &["create-configs", &org_text, &device],
        &["ignore", &free],
        &["unignore", &free],
        &[
            "create-org",
            &free,
            "--name",
            "Brand New Client Ltd",
            "--dry-run",
        ],
        &["create-org", &free, "--name", "Brand New Client Ltd"],
    ];
    for action in actions {
        let ran = itg(&world, action);
        assert_eq!(ran.code, Some(0), "{action:?}: {ran:#?}");
        assert!(
            !ran.stderr.contains("is running in worker"),
            "{action:?}: {}",
            ran.stderr
        );
    }

    let datto = world.fakes.datto.log().all();
    let listings: Vec<&str> = datto
        .iter()
        .map(|r| r.path.as_str())
        .filter(|p| {
            p.starts_with("/api/v2/account/")
                || (p.starts_with("/api/v2/site/") && p.contains("/devices"))
        })
        .collect();
    assert!(listings.is_empty(), "Datto RMM listings: {listings:?}");
    let created_org = world
        .fakes
        .itglue
        .organizations()
        .into_iter()
        .find(|o| o.name == "Brand New Client Ltd")
        .map(|o| o.id)
        .expect("the organization create-org made");
    let listed = configuration_listings(&world);
    println!(
        "configuration listings: {listed:?}; Datto requests: {}",
        datto.len()
    );
    for id in &listed {
        assert!(
            [org, best, created_org].contains(id),
            "configurations of organization {id} were listed; the actions touched {org}, {best} and {created_org}"
        );
    }
    // The stored report shows the actions without a sync.
    let after = groups(&world, &[]);
    let state = |group: &str| {
        after
            .iter()
            .find(|g| g["group"] == group)
            .map(|g| g["state"].clone())
    };
    assert_eq!(state(&accepted), Some(Value::from("matched")));
    assert_eq!(state(&free), Some(Value::from("matched")));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_finished_sync_the_matching_screen_says_so_and_syncs_nothing() {
    let world = FakeWorld::start(46).await;
    itg(&world, &["connect"]).ok();
    world.fakes.datto.log().clear();
    for args in [
        &["orgs"][..],
        &["accept", "anything"],
        &["ignore", "anything"],
    ] {
        itg(&world, args)
            .code(2)
            .stderr_has("no sync of this tenant has finished yet");
    }
    let listings = world
        .fakes
        .datto
        .log()
        .count_where(|r| r.path.starts_with("/api/v2/account/"));
    assert_eq!(listings, 0);
}

/// Devices of a matched organization by state, from `devices ORG --json`.
fn devices_in(world: &FakeWorld, org: &str, state: &str) -> Vec<Value> {
    itg(world, &["devices", org, "--json"]).ok().json()["devices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state"] == state)
        .cloned()
        .collect()
}

fn matched_orgs(world: &FakeWorld) -> Vec<String> {
    groups(world, &["--matched"])
        .iter()
        .map(|g| g["detail"]["organization"].as_u64().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_dry_run_shows_each_change_old_to_new_and_writes_nothing() {
    let world = FakeWorld::start(53).await;
    itg(&world, &["connect"]).ok();
    world.fakes.itglue.log().clear();
    let plan = itg(&world, &["sync", "--dry-run"])
        .ok()
        .stdout_has("Dry run: nothing was written to IT Glue.")
        .stdout_has("would be updated")
        .stdout_has("notes (RMM facts block):")
        .stdout_has(" → ");
    assert_eq!(world.fakes.itglue.log().writes(), 0, "{plan:#?}");

    let applied = itg(&world, &["sync", "--json"]).ok().json();
    let updated = applied["updates"]["configurations_updated"]
        .as_u64()
        .unwrap();
    assert!(updated > 0, "{applied}");
    assert!(!applied["updates"]["dry_run"].as_bool().unwrap());
    assert!(world.fakes.itglue.log().writes() > 0);
    // The dry run listed exactly the configurations the sync then updated.
    let listed = plan.stdout.matches("— would be updated").count() as u64;
    assert_eq!(listed, updated, "{}", plan.stdout);

    world.fakes.itglue.log().clear();
    itg(&world, &["sync", "--dry-run"])
        .ok()
        .stdout_has("Every matched configuration already carries its device's data.");
    itg(&world, &["sync"])
        .ok()
        .stdout_has("IT Glue: 0 configuration(s) updated");
    assert_eq!(world.fakes.itglue.log().writes(), 0);
}

/// What the store keeps of the world's tenant, Datto RMM's read caches aside.
async fn kept_in_store(
    world: &FakeWorld,
) -> (
    sync_store::TenantState,
    Vec<sync_store::SyncRun>,
    Option<sync_store::RunReport>,
    Vec<sync_store::JournalEntry>,
) {
    use sync_store::Store;
    let store = sync_store::SqliteStore::open(world.store()).await.unwrap();
    let tenants = store.tenants().await.unwrap();
    let [tenant] = tenants.as_slice() else {
        panic!("one tenant: {tenants:?}");
    };
    (
        store.state(tenant).await.unwrap(),
        store.runs(tenant, None, 100).await.unwrap(),
        store
            .run_report(tenant, sync_store::Flow::ItGlue)
            .await
            .unwrap(),
        store.journal(tenant).await.unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_dry_run_records_nothing_in_the_store() {
    let world = FakeWorld::start(55).await;
    itg(&world, &["connect"]).ok();
    world.fakes.itglue.log().clear();
    let before = kept_in_store(&world).await;
    itg(&world, &["sync", "--dry-run"])
        .ok()
        .stdout_has("New matches found (a dry run stores none): ");
    let plan = itg(&world, &["sync", "--dry-run", "--json"]).ok().json();
    assert!(plan["run"].is_null(), "{plan}");
    assert!(plan["updates"]["dry_run"].as_bool().unwrap());
    assert!(
        plan["counts"]["devices_matched_now"].as_u64().unwrap() > 0,
        "{plan}"
    );
    assert_eq!(kept_in_store(&world).await, before);
    assert_eq!(world.fakes.itglue.log().writes(), 0);
    let status = itg(&world, &["status", "--json"]).ok().json();
    assert_eq!(status["runs"], serde_json::json!([]), "{status}");
    // No report is kept for the actions either.
    itg(&world, &["orgs"])
        .code(2)
        .stderr_has("no sync of this tenant has finished yet");

    let applied = itg(&world, &["sync", "--json"]).ok().json();
    assert_eq!(
        applied["counts"]["devices_matched_now"],
        plan["counts"]["devices_matched_now"]
    );
    assert!(applied["run"].as_i64().unwrap() > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn match_device_takes_a_configuration_name_or_searches_for_one() {
    let world = synced(54).await;
    let mut chosen = None;
    'orgs: for org in matched_orgs(&world) {
        let Some(device) = devices_in(&world, &org, "unmatched").into_iter().next() else {
            continue;
        };
        let held: Vec<u64> = itg(&world, &["devices", &org, "--json"]).ok().json()["devices"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["outcome"]["configuration"].as_u64())
            .collect();
        let configurations = world.fakes.itglue.configurations_of(org.parse().unwrap());
        for c in &configurations {
            let same_name = configurations
                .iter()
                .filter(|o| {
                    o.name.eq_ignore_ascii_case(&c.name)
                        || o.hostname
                            .as_deref()
                            .is_some_and(|h| h.eq_ignore_ascii_case(&c.name))
                })
                .count();
            if !held.contains(&c.id) && !c.archived && same_name == 1 {
                chosen = Some((
                    org,
                    device["device"].as_str().unwrap().to_owned(),
                    c.clone(),
                ));
                break 'orgs;
            }
        }
    }
    let (org, device, configuration) =
        chosen.expect("an unmatched device and a free configuration");
    let part: String = configuration.name.chars().take(6).collect();
    let found = itg(
        &world,
        &["match-device", &device, "--search", &part, "--json"],
    )
    .ok()
    .json();
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["configuration"] == configuration.id),
        "{found}"
    );
    let name = configuration.name.to_lowercase();
    itg(&world, &["match-device", &device, &name, "--dry-run"])
        .ok()
        .stdout_has("Dry run, would do:");
    itg(&world, &["match-device", &device, &name])
        .ok()
        .stdout_has(&format!(
            "to configuration {} (#{})",
            configuration.name, configuration.id
        ));
    let now = itg(&world, &["devices", &org, "--json"]).ok().json();
    let state = now["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device"] == device.as_str())
        .map(|d| d["state"].clone());
    assert_eq!(state, Some(Value::from("matched")), "{now}");
    itg(
        &world,
        &["match-device", &device, "no configuration is named this"],
    )
    .code(2)
    .stderr_has("closest");
}

#[tokio::test(flavor = "multi_thread")]
async fn accept_devices_accepts_every_suggested_configuration_of_an_organization() {
    let world = synced(52).await;
    let (org, suggested) = matched_orgs(&world)
        .into_iter()
        .map(|org| {
            let suggested = devices_in(&world, &org, "suggested").len();
            (org, suggested)
        })
        .max_by_key(|(_, n)| *n)
        .expect("a matched organization");
    assert!(suggested > 0, "no device with a suggestion");
    let planned = itg(&world, &["accept-devices", &org, "--dry-run", "--json"])
        .ok()
        .json();
    assert_eq!(planned["outcome"]["applied"], false);
    assert_eq!(devices_in(&world, &org, "suggested").len(), suggested);

    let done = itg(&world, &["accept-devices", &org, "--json"]).ok().json();
    let accepted = done["outcome"]["steps"].as_array().unwrap().len();
    let left_out = done["left_out"].as_array().unwrap().len();
    assert_eq!(accepted + left_out, suggested, "{done}");
    assert_eq!(done["outcome"]["steps"], planned["outcome"]["steps"]);
    assert_eq!(devices_in(&world, &org, "suggested").len(), left_out);
    itg(&world, &["accept-devices", &org])
        .ok()
        .stdout_has(if left_out == 0 {
            "No device of"
        } else {
            "left out"
        });
}
