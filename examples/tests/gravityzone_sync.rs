//! Runs the `gravityzone-sync` example against the Datto RMM and GravityZone fakes: every
//! subcommand's happy path, wrong credentials, usage errors, and `--json` output that parses.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;

use msp_fakes::msp::SiteKind;
use support::{FakeWorld, KillOnDrop, Ran};

const BIN: &str = "gravityzone-sync";

fn gz(world: &FakeWorld, args: &[&str]) -> Ran {
    world.run(BIN, args)
}

async fn connected(seed: u64) -> FakeWorld {
    let world = FakeWorld::start(seed).await;
    gz(&world, &["connect"]).ok();
    world
}

fn site_named(world: &FakeWorld, uid: &str) -> String {
    world
        .fakes
        .msp
        .site_by_uid(uid)
        .map(|s| s.name.clone())
        .unwrap()
}

/// A managed site the GravityZone fake holds no company for (so `map-new` can create one).
fn site_without_company(world: &FakeWorld) -> String {
    let seeded = &world.fakes.gravityzone_planted;
    let planted: Vec<&str> = [
        &seeded.same_name,
        &seeded.prefixed,
        &seeded.foreign,
        &seeded.under_reseller,
    ]
    .into_iter()
    .flat_map(|list| list.iter().map(|(site, _)| site.as_str()))
    .collect();
    world
        .fakes
        .msp
        .customer_sites()
        .find(|s| !planted.contains(&s.uid.as_str()))
        .map(|s| s.uid.clone())
        .unwrap()
}

fn package_link(world: &FakeWorld, site: &str) -> Option<String> {
    world
        .fakes
        .datto
        .site_variables(site)
        .into_iter()
        .find(|v| v.name == "GravityZonePackageLink")
        .map(|v| v.value)
}

fn open_events(world: &FakeWorld) -> Vec<serde_json::Value> {
    gz(world, &["events", "--json"])
        .ok()
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn help_lists_the_subcommands_the_credential_variables_and_the_exit_codes() {
    let output = Command::new(support::example(BIN))
        .arg("--help")
        .env("GRAVITYZONE_API_KEY", "SECRET-IN-ENV-123")
        .output()
        .unwrap();
    let help = Ran::from(output).ok().never_shows("SECRET-IN-ENV-123");
    for word in [
        "connect",
        "companies",
        "map",
        "map-new",
        "exclude",
        "unmap",
        "sync",
        "run",
        "events",
        "resolve",
        "settings",
        "reset-tenant",
        "GRAVITYZONE_API_KEY",
        "DATTO_API_SECRET",
        "Exit codes",
        "partial success",
    ] {
        assert!(
            help.stdout.contains(word),
            "--help lacks {word}: {}",
            help.stdout
        );
    }
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    let output = Command::new(support::example(BIN))
        .arg("explode")
        .output()
        .unwrap();
    Ran::from(output).code(2);
}

#[test]
fn a_scheduler_interval_of_zero_is_a_usage_error() {
    let output = Command::new(support::example(BIN))
        .args(["run", "--every", "0s"])
        .output()
        .unwrap();
    Ran::from(output)
        .code(2)
        .stderr_has("must be longer than 0s");
}

#[tokio::test(flavor = "multi_thread")]
async fn connect_prints_the_tenant_as_json() {
    let world = FakeWorld::start(11).await;
    let connected = gz(&world, &["connect", "--json"]).ok().json();
    assert_eq!(connected["account"], world.fakes.msp.account.uid.as_str());
    assert_eq!(connected["api_url"], world.fakes.datto.uri().as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_gravityzone_key_exits_with_the_vendor_code_and_is_not_echoed() {
    let world = FakeWorld::start(12).await;
    world
        .run_with(
            BIN,
            &["connect"],
            &[("GRAVITYZONE_API_KEY", "WRONG-KEY-4711")],
        )
        .code(3)
        .stderr_has("GravityZone")
        .never_shows("WRONG-KEY-4711");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_datto_secret_exits_with_the_vendor_code() {
    let world = FakeWorld::start(13).await;
    world
        .run_with(BIN, &["connect"], &[("DATTO_API_SECRET", "not-the-secret")])
        .code(3)
        .stderr_has("Datto RMM")
        .stderr_has("nothing was saved")
        .never_shows("not-the-secret");
    // The error says its cause once: each layer adds only its own words.
    let refused = world.run_with(BIN, &["connect"], &[("DATTO_API_SECRET", "not-the-secret")]);
    assert_eq!(
        refused.stderr.matches("Datto RMM").count(),
        1,
        "{refused:#?}"
    );
    assert_eq!(
        refused.stderr.matches("rejected").count(),
        1,
        "{refused:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn commands_before_connect_say_to_connect_first() {
    let world = FakeWorld::start(14).await;
    gz(&world, &["events"]).code(2).stderr_has("connect");
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_credentials_name_the_flag_and_the_variable() {
    let world = connected(30).await;
    world
        .run_with(BIN, &["companies"], &[("GRAVITYZONE_API_KEY", "")])
        .code(2)
        .stderr_has("--gravityzone-key")
        .stderr_has("GRAVITYZONE_API_KEY");
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_a_remote_host_is_refused() {
    let world = connected(15).await;
    let ran = world
        .run_with(
            BIN,
            &["companies"],
            &[(
                "GRAVITYZONE_ACCESS_URL",
                "http://gravityzone.example.com/api",
            )],
        )
        .code(2);
    assert!(ran.stderr.to_lowercase().contains("https"), "{ran:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn companies_lists_every_managed_site_and_the_free_companies() {
    let world = connected(16).await;
    let page = gz(&world, &["companies", "--json"]).ok().json();
    let managed = world.fakes.msp.customer_sites().count();
    assert_eq!(page["sites"].as_array().unwrap().len(), managed);
    let free: Vec<&str> = page["free_companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(free.contains(&"Spare Customer 1"), "{free:?}");

    let table = gz(&world, &["companies"]).ok();
    let header = table.stdout.lines().next().unwrap_or_default().to_owned();
    for column in [
        "SITE",
        "STATUS",
        "COMPANY",
        "PROPOSAL",
        "SITE UID",
        "COMPANY ID",
    ] {
        assert!(header.contains(column), "{header}");
    }
    // Names first, the ids only as the last, extra columns.
    assert!(
        header.find("SITE UID") > header.find("PROPOSAL"),
        "{header}"
    );
    assert!(table.stdout.contains("FREE COMPANY"), "{table:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_managed_sites_leave_out_ondemand_and_system_sites() {
    let world = connected(29).await;
    let page = gz(&world, &["companies", "--json"]).ok().json();
    let listed: Vec<&str> = page["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["site"]["uid"].as_str().unwrap())
        .collect();
    for site in &world.fakes.msp.sites {
        let managed = site.kind == SiteKind::Customer;
        assert_eq!(
            listed.contains(&site.uid.as_str()),
            managed,
            "{}",
            site.name
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn map_new_off_a_terminal_without_yes_changes_nothing() {
    let world = connected(17).await;
    let site = site_without_company(&world);
    let companies_before = world.fakes.gravityzone.companies().len();
    gz(&world, &["map-new", &site])
        .code(2)
        .stdout_has("Confirmation list")
        .stderr_has("--yes");
    assert_eq!(world.fakes.gravityzone.companies().len(), companies_before);
    assert_eq!(package_link(&world, &site), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn map_new_with_yes_creates_the_company_package_and_link() {
    let world = connected(18).await;
    let site = site_without_company(&world);
    let name = site_named(&world, &site);
    let report = gz(&world, &["map-new", &name, "--yes", "--json"])
        .ok()
        .json();
    assert_eq!(report["applied"], 1);
    assert_eq!(report["writes"]["companies_created"], 1);
    let company = world.fakes.gravityzone.company_named(&name).unwrap();
    assert_eq!(world.fakes.gravityzone.packages_of(&company.id).len(), 1);
    let link = package_link(&world, &site).expect("the package link variable");

    let associations = gz(&world, &["associations", "--json"]).ok().json();
    let rows = associations.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["site"], site.as_str());
    assert_eq!(rows[0]["package_link"], link.as_str());
    assert_eq!(rows[0]["made_by"], "tester");
}

#[tokio::test(flavor = "multi_thread")]
async fn map_associates_a_site_with_a_free_company_by_name() {
    let world = connected(19).await;
    let (site, company) = world.fakes.gravityzone_planted.same_name[0].clone();
    let name = site_named(&world, &site);
    gz(&world, &["map", &site, &name, "--yes"])
        .ok()
        .stdout_has("Applied 1 of 1");
    assert_eq!(world.fakes.gravityzone.packages_of(&company).len(), 1);
    assert!(package_link(&world, &site).is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn map_finds_the_site_and_the_company_by_their_names_in_another_case() {
    let world = connected(21).await;
    let (site, company) = world.fakes.gravityzone_planted.same_name[0].clone();
    // Unicode upper case, not only ASCII: names are compared in sync-core's rules.
    let name = site_named(&world, &site).to_uppercase();
    gz(&world, &["map", &name, &format!("  {name} "), "--yes"])
        .ok()
        .stdout_has("Applied 1 of 1");
    assert_eq!(world.fakes.gravityzone.packages_of(&company).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn map_to_an_unknown_company_is_a_usage_error() {
    let world = connected(20).await;
    let site = site_without_company(&world);
    gz(&world, &["map", &site, "No Such Company", "--yes"])
        .code(2)
        .stderr_has("no free company");
}

#[tokio::test(flavor = "multi_thread")]
async fn exclude_dry_run_shows_the_list_and_exclude_applies_it() {
    let world = connected(21).await;
    let site = site_without_company(&world);
    gz(&world, &["exclude", &site, "--dry-run"])
        .ok()
        .stdout_has("Dry run");
    gz(&world, &["exclude", &site, "--yes"]).ok();
    let page = gz(&world, &["companies", "--json"]).ok().json();
    let row = page["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["site"]["uid"] == site.as_str())
        .cloned()
        .unwrap();
    assert_eq!(row["excluded"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn unmap_deletes_the_association_and_the_link_when_asked() {
    let world = connected(22).await;
    let site = site_without_company(&world);
    gz(&world, &["map-new", &site, "--yes"]).ok();
    assert!(package_link(&world, &site).is_some());
    gz(&world, &["unmap", &site, "--remove-link", "--yes"]).ok();
    assert_eq!(package_link(&world, &site), None);
    let associations = gz(&world, &["associations", "--json"]).ok().json();
    assert_eq!(associations.as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_raises_a_destination_deleted_event_that_resolve_handles() {
    let world = connected(23).await;
    let site = site_without_company(&world);
    let name = site_named(&world, &site);
    gz(&world, &["map-new", &site, "--yes"]).ok();
    let company = world.fakes.gravityzone.company_named(&name).unwrap();
    assert!(world.fakes.gravityzone.remove_company(&company.id));

    let planned = gz(&world, &["sync", "--dry-run", "--json"]).ok().json();
    assert_eq!(planned["dry_run"], true);
    let raised = |report: &serde_json::Value| {
        report["plan"]["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"]["kind"] == "destination_deleted" && e["id"]["site"] == site.as_str())
    };
    assert!(raised(&planned), "{planned}");
    assert!(open_events(&world).is_empty(), "a dry run records no event");

    let pass = gz(&world, &["sync", "--json"]).ok().json();
    assert!(raised(&pass), "{pass}");
    let event = open_events(&world)
        .into_iter()
        .find(|e| e["kind"] == "destination-deleted")
        .expect("the destination-deleted event is open");
    let reference = event["ref"].as_str().unwrap().to_owned();
    assert!(
        event["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "create-new-company" && a["role"] == "primary"),
        "{event}"
    );

    // Like `map`: the confirmation list first; off a terminal only `--yes` applies it.
    gz(
        &world,
        &["resolve", &reference, "create-new-company", "--dry-run"],
    )
    .ok()
    .stdout_has("Confirmation list")
    .stdout_has(&format!("create company {name:?}"))
    .stdout_has("Dry run");
    gz(&world, &["resolve", &reference, "create-new-company"])
        .code(2)
        .stdout_has("Confirmation list")
        .stderr_has("--yes");
    assert!(world.fakes.gravityzone.company_named(&name).is_none());
    gz(
        &world,
        &["resolve", &reference, "create-new-company", "--yes"],
    )
    .ok()
    .stdout_has("Resolved the destination-deleted");
    assert!(world.fakes.gravityzone.company_named(&name).is_some());
    assert!(
        !open_events(&world)
            .iter()
            .any(|e| e["ref"] == reference.as_str())
    );
    gz(&world, &["events", "--all"]).ok().stdout_has("resolved");
}

#[tokio::test(flavor = "multi_thread")]
async fn resolve_checks_the_action_and_its_name() {
    let world = connected(24).await;
    gz(&world, &["resolve", "0000", "explode"])
        .code(2)
        .stderr_has("unknown action");
    gz(&world, &["resolve", "0000", "create-with-custom-name"])
        .code(2)
        .stderr_has("--name");
    gz(&world, &["resolve", "0000", "associate"])
        .code(2)
        .stderr_has("no open event");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ignored_event_comes_back_at_the_next_sync() {
    let world = connected(25).await;
    gz(
        &world,
        &[
            "settings",
            "set",
            "--level",
            "automatic",
            "--handling",
            "manual",
        ],
    )
    .ok();
    gz(&world, &["sync"]).ok();
    let first = open_events(&world).first().cloned().expect("an open event");
    let reference = first["ref"].as_str().unwrap().to_owned();
    gz(&world, &["ignore", &reference]).ok();
    assert!(
        !open_events(&world)
            .iter()
            .any(|e| e["ref"] == reference.as_str())
    );
    gz(&world, &["sync"]).ok();
    assert!(
        open_events(&world)
            .iter()
            .any(|e| e["ref"] == reference.as_str())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_set_then_show_round_trips() {
    let world = connected(26).await;
    gz(
        &world,
        &[
            "settings",
            "set",
            "--level",
            "monitor-and-handle",
            "--prefix",
            "MSP",
            "--prefix-creation",
            "always",
            "--disable",
            "firewall",
        ],
    )
    .ok();
    let shown = gz(&world, &["settings", "show", "--json"]).ok().json();
    assert_eq!(shown["level"], "monitor_and_handle_synchronized");
    assert_eq!(shown["prefix"]["text"], "MSP");
    assert_eq!(shown["prefix"]["use_for_creation"], "always");
    assert_eq!(shown["package"]["modules"]["firewall"], false);
    let text = gz(&world, &["settings", "show"]).ok();
    let text = text.stdout_has("monitor-and-handle").stdout_has("\"MSP\"");
    assert!(!text.stdout.contains("firewall"), "{text:#?}");
    gz(&world, &["settings", "set", "--level", "sideways"]).code(2);
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_tenant_needs_yes_and_then_forgets_the_tenant() {
    let world = connected(27).await;
    gz(&world, &["reset-tenant"]).code(2).stderr_has("--yes");
    gz(&world, &["reset-tenant", "--yes"]).ok();
    gz(&world, &["events"]).code(2).stderr_has("connect");
}

#[tokio::test(flavor = "multi_thread")]
async fn run_syncs_on_schedule_and_stops_cleanly_on_ctrl_c() {
    let world = connected(28).await;
    let mut child = KillOnDrop(
        world
            .command(BIN)
            .args(["run", "--every", "1h"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = child.0.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    // The scheduler logs each pass; the first starts at once (no jitter by default).
    let mut seen = Vec::new();
    for line in received.iter() {
        let ended = line.contains("pass finished") || line.contains("pass failed");
        seen.push(line);
        if ended {
            break;
        }
    }
    assert!(
        seen.iter().any(|l| l.contains("pass finished")),
        "the scheduler never finished a pass: {seen:?}"
    );
    let interrupted = Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let mut stdout = String::new();
    child
        .0
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.0.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("1 pass(es) OK"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_default_store_is_a_file_in_the_users_data_directory() {
    let world = FakeWorld::start(31).await;
    let data = world.dir.path().join("data");
    let output = world
        .command(BIN)
        .arg("connect")
        .env_remove("MSP_SYNC_STORE")
        .env("XDG_DATA_HOME", &data)
        .output()
        .unwrap();
    Ran::from(output).ok();
    assert!(data.join("msp-sync/msp-sync.sqlite").exists());
    assert!(!world.store().exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_in_memory_forgets_everything_when_the_command_ends() {
    let world = FakeWorld::start(32).await;
    world
        .run_with(BIN, &["connect", "--store", "memory"], &[])
        .ok();
    world
        .run_with(BIN, &["events", "--store", "memory"], &[])
        .code(2)
        .stderr_has("connect");
    assert!(!world.store().exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn map_new_of_a_name_another_tenant_uses_leaves_one_open_destination_creation_event() {
    let world = connected(33).await;
    let (site, foreign) = world.fakes.gravityzone_planted.foreign[0].clone();
    let name = site_named(&world, &site);
    let companies_before = world.fakes.gravityzone.companies().len();
    let report = gz(&world, &["map-new", &site, "--yes", "--json"])
        .ok()
        .json();
    assert_eq!(report["applied"], 0, "{report}");
    assert_eq!(report["failure"], serde_json::Value::Null);
    let raised = report["events_raised"].as_array().unwrap();
    assert_eq!(raised.len(), 1, "{report}");
    assert_eq!(raised[0]["event"]["id"]["kind"], "destination_creation");
    assert_eq!(raised[0]["event"]["id"]["site"], site.as_str());
    assert_eq!(raised[0]["name"], name.as_str());
    assert!(raised[0]["ref"].is_string(), "{report}");
    assert_eq!(world.fakes.gravityzone.companies().len(), companies_before);

    let open = open_events(&world);
    let events: Vec<_> = open
        .iter()
        .filter(|e| e["kind"] == "destination-creation" && e["site"] == site.as_str())
        .collect();
    assert_eq!(events.len(), 1, "{open:?}");
    assert_eq!(events[0]["ref"], raised[0]["ref"]);
    // The event stays open through the next pass, whatever the level.
    gz(&world, &["sync"]).ok();
    assert!(
        open_events(&world)
            .iter()
            .any(|e| e["ref"] == raised[0]["ref"]),
        "the destination-creation event closed at the next pass"
    );

    // Its primary action: a company under the user's name, its package and link.
    let reference = raised[0]["ref"].as_str().unwrap();
    let chosen = format!("{name} (ours)");
    gz(
        &world,
        &[
            "resolve",
            reference,
            "create-with-custom-name",
            "--name",
            &chosen,
            "--yes",
        ],
    )
    .ok();
    let company = world.fakes.gravityzone.company_named(&chosen).unwrap();
    assert_ne!(company.id, foreign);
    assert_eq!(world.fakes.gravityzone.packages_of(&company.id).len(), 1);
    assert!(package_link(&world, &site).is_some());
    let associations = gz(&world, &["associations", "--json"]).ok().json();
    assert_eq!(associations[0]["site"], site.as_str());
    assert_eq!(associations[0]["company"], company.id.as_str());
    assert!(open_events(&world).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_batch_exits_2_and_changes_nothing() {
    let world = connected(34).await;
    // A free company of the site's name exists: "set as new company" is refused (map to it).
    let (site, _) = world.fakes.gravityzone_planted.same_name[0].clone();
    let companies_before = world.fakes.gravityzone.companies().len();
    gz(&world, &["map-new", &site, "--yes"])
        .code(2)
        .stderr_has("nothing was done");
    assert_eq!(world.fakes.gravityzone.companies().len(), companies_before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_map_new_interrupted_after_the_company_creation_finishes_on_rerun_without_a_duplicate() {
    use msp_fakes::harness::{FaultKind, FaultPlan};
    let world = connected(35).await;
    let site = site_without_company(&world);
    let name = site_named(&world, &site);
    // Datto RMM refuses every site-variable call (429 until the retries run out): the company
    // and its package are created, then the change stops before the association is stored.
    world.fakes.datto.faults().set(
        FaultPlan::new(
            1,
            1.0,
            vec![FaultKind::Status429 {
                retry_after_secs: 0,
            }],
        )
        .only_paths_containing("/variable"),
    );
    let failed = gz(&world, &["map-new", &site, "--yes", "--json"]).code(1);
    assert!(
        failed.stderr.contains("nothing was applied"),
        "a batch that applied none of its changes is a failure: {failed:#?}"
    );
    let report = failed.json();
    assert_eq!(report["applied"], 0);
    assert_eq!(report["writes"]["companies_created"], 1);
    assert!(world.fakes.gravityzone.company_named(&name).is_some());
    assert_eq!(package_link(&world, &site), None);

    // The same map-new again: the flow's own company (its journal) is used, not refused.
    world.fakes.datto.faults().clear();
    gz(&world, &["map-new", &site, "--yes"])
        .ok()
        .stdout_has("Applied 1 of 1");
    let same_name = world
        .fakes
        .gravityzone
        .companies()
        .into_iter()
        .filter(|c| c.name == name)
        .count();
    assert_eq!(same_name, 1, "a second company {name:?} was created");
    let company = world.fakes.gravityzone.company_named(&name).unwrap();
    assert_eq!(world.fakes.gravityzone.packages_of(&company.id).len(), 1);
    assert!(package_link(&world, &site).is_some());
    let associations = gz(&world, &["associations", "--json"]).ok().json();
    assert_eq!(associations[0]["company"], company.id.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_companies_page_flags_open_events_proposes_same_name_companies_and_keeps_deleted_sites_names()
 {
    let world = connected(36).await;
    let (proposed_site, proposed) = world.fakes.gravityzone_planted.same_name[0].clone();
    let proposed_name = site_named(&world, &proposed_site);
    let (deleted_site, _) = world.fakes.gravityzone_planted.same_name[1].clone();
    let deleted_name = site_named(&world, &deleted_site);
    let (moved_site, moved) = world.fakes.gravityzone_planted.same_name[2].clone();
    let moved_name = site_named(&world, &moved_site);
    gz(&world, &["map", &deleted_site, &deleted_name, "--yes"]).ok();
    gz(&world, &["map", &moved_site, &moved_name, "--yes"]).ok();
    // The site is deleted in Datto RMM; the other company is moved under another partner.
    assert!(world.fakes.datto.remove_site(&deleted_site));
    let other = world
        .fakes
        .gravityzone
        .add_foreign_partner("Elsewhere Partner")
        .unwrap();
    assert!(world.fakes.gravityzone.set_parent(&moved, &other));
    gz(&world, &["sync"]).ok();

    let page = gz(&world, &["companies", "--json"]).ok().json();
    let row = |uid: &str| {
        page["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["site"]["uid"] == uid)
            .cloned()
            .unwrap()
    };
    assert!(
        !row(&moved_site)["open_events"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        row(&proposed_site)["proposal"]["company"]["id"],
        proposed.as_str()
    );
    let deleted = &page["deleted_sites"][0];
    assert_eq!(deleted["site"], deleted_site.as_str());
    assert_eq!(deleted["site_name"], deleted_name.as_str());

    let table = gz(&world, &["companies"]).ok();
    let line_of = |name: &str| {
        table
            .stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(line_of(&moved_name).starts_with('!'), "{table:#?}");
    assert!(
        line_of(&proposed_name)
            .matches(proposed_name.as_str())
            .count()
            >= 2,
        "the proposal names the same-name company: {table:#?}"
    );
    assert!(table.stdout.contains("DELETED SITE"), "{table:#?}");
    assert!(line_of(&deleted_name).starts_with('!'), "{table:#?}");

    // The events page: the document's columns, by name.
    let events = gz(&world, &["events"]).ok();
    let header = events.stdout.lines().next().unwrap_or_default().to_owned();
    let columns = [
        "TYPE",
        "SOURCE",
        "DESTINATION",
        "GENERATION TIME",
        "EVENT TYPE",
        "ACTION",
    ];
    let mut at = 0;
    for column in columns {
        let found = header[at..].find(column).map(|i| i + at);
        assert!(
            found.is_some(),
            "{column} missing or out of order: {header}"
        );
        at = found.unwrap();
    }
    let source_deleted = events
        .stdout
        .lines()
        .find(|l| l.contains("source-deleted"))
        .unwrap_or_default();
    assert!(source_deleted.starts_with("source"), "{events:#?}");
    assert!(source_deleted.contains(&deleted_name), "{events:#?}");
    let listed = open_events(&world);
    // The company moved out of the key's sight (another partner): the destination's event.
    let moved_event = listed
        .iter()
        .find(|e| e["site"] == moved_site.as_str())
        .unwrap_or_else(|| panic!("no event of the moved company's site: {listed:?}"));
    assert_eq!(moved_event["type"], "destination", "{moved_event}");
    let kind = moved_event["event_type"].as_str().unwrap();
    assert!(kind.starts_with("destination-"), "{moved_event}");
    assert_eq!(moved_event["source"], moved_name.as_str());
    let generated = moved_event["generation_time"].as_str().unwrap();
    assert!(generated.ends_with("UTC"), "{moved_event}");
    let action = moved_event["action"].as_str().unwrap();
    assert!(action.contains('*'), "a primary action: {moved_event}");
}

#[tokio::test(flavor = "multi_thread")]
async fn connecting_with_another_partners_key_is_refused_until_the_tenant_is_reset() {
    let world = connected(37).await;
    let (site, company) = world.fakes.gravityzone_planted.same_name[0].clone();
    gz(&world, &["map", &site, &company, "--yes"]).ok();
    let other = world
        .fakes
        .gravityzone
        .add_foreign_partner("Another MSP")
        .unwrap();
    world.fakes.gravityzone.add_api_key(
        "OTHER-PARTNER-KEY",
        &other,
        &["companies", "licensing", "packages", "network"],
    );
    let other_key = [("GRAVITYZONE_API_KEY", "OTHER-PARTNER-KEY")];
    world
        .run_with(BIN, &["connect"], &other_key)
        .code(3)
        .stderr_has("another partner")
        .stderr_has(&other)
        .stderr_has("\"Another MSP\"")
        .never_shows("OTHER-PARTNER-KEY");
    // Nothing changed: the tenant keeps its partner and its association.
    gz(&world, &["connect"]).ok();
    let associations = gz(&world, &["associations", "--json"]).ok().json();
    assert_eq!(associations.as_array().unwrap().len(), 1);

    gz(&world, &["reset-tenant", "--yes"]).ok();
    world.run_with(BIN, &["connect"], &other_key).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_company_that_holds_endpoints_needs_force() {
    let world = connected(26).await;
    // A same-name company the fake filled with the site's computers.
    let (site, company) = world
        .fakes
        .gravityzone_planted
        .same_name
        .iter()
        .find(|(_, company)| !world.fakes.gravityzone.endpoints_of(company).is_empty())
        .cloned()
        .expect("a same-name company with endpoints");
    let endpoints = world.fakes.gravityzone.endpoints_of(&company).len();
    let name = site_named(&world, &site);
    gz(&world, &["map", &site, &name, "--yes"]).ok();
    assert!(world.fakes.datto.remove_site(&site));
    gz(&world, &["sync"]).ok();
    let event = open_events(&world)
        .into_iter()
        .find(|e| e["kind"] == "source-deleted")
        .expect("the source-deleted event is open");
    let reference = event["ref"].as_str().unwrap().to_owned();
    let delete = ["resolve", &reference, "delete-company-and-association"];

    // Without --force the deletion is refused, naming the company (by its name, not its id)
    // and how many endpoints it holds.
    let company_name = world.fakes.gravityzone.company(&company).unwrap().name;
    let refused = gz(&world, &[&delete[..], &["--yes"]].concat())
        .code(2)
        .stderr_has(&format!(
            "{company_name:?} still holds {endpoints} endpoint(s)"
        ))
        .stderr_has("force");
    assert!(!refused.stderr.contains(company.as_str()), "{refused:#?}");
    assert!(world.fakes.gravityzone.company(&company).is_some());
    assert!(
        open_events(&world)
            .iter()
            .any(|e| e["ref"] == reference.as_str())
    );

    // Forced, the confirmation list still says what goes with the company.
    gz(&world, &[&delete[..], &["--yes", "--force"]].concat())
        .ok()
        .stdout_has("Confirmation list")
        .stdout_has(&format!("{endpoints} endpoint"))
        .stdout_has("Resolved the source-deleted");
    assert!(world.fakes.gravityzone.company(&company).is_none());
    assert!(
        !open_events(&world)
            .iter()
            .any(|e| e["ref"] == reference.as_str())
    );
}
