//! The GravityZone workflow against in-memory doubles of both vendors and a `MemoryStore`:
//! connecting, the companies page, passes at each level and handling mode, events, recovery of
//! an interrupted creation, invalid credentials, dry runs, reset.

mod gravityzone_support;

use std::sync::Arc;

use gravityzone_support::doubles::Fault;
use gravityzone_support::{World, connection_with};
use sync_core::gravityzone::{
    Change, DefaultPackage, EventAction, EventHandling, EventKind, EventState,
    PACKAGE_LINK_VARIABLE, PrefixCreation, Resolution, SiteUid, SyncLevel, package_name,
};
use sync_engine::gravityzone::{
    Approval, BatchPlan, ChangeRequest, CompaniesChange, GravityZoneSyncError, PassOptions, Removal,
};
use sync_engine::lookup::{LookupError, Subject};
use sync_store::{
    AssociationMethod, ChangedBy, CredentialStatus, Flow, MemoryStore, RunStatus, Store, Vendor,
};

fn site(uid: &str) -> SiteUid {
    SiteUid::new(uid)
}

/// Maps Acme to its company and creates a company for Globex, through the companies page.
async fn map_acme_and_create_globex(world: &World) {
    let changes = [
        CompaniesChange::new(Change::MapToCompany {
            site: site("s-acme"),
            company: world.acme.clone(),
        }),
        CompaniesChange::new(Change::CreateCompany {
            site: site("s-globex"),
        }),
    ];
    let report = world.apply(&changes, Approval::Apply).await.unwrap();
    assert_eq!(report.applied, 2, "{report:?}");
}

#[tokio::test(start_paused = true)]
async fn connecting_stores_fingerprints_and_status_but_never_the_secrets() {
    let world = World::connected().await;
    let state = world.store.state(&world.tenant).await.unwrap();
    for vendor in [Vendor::DattoRmm, Vendor::GravityZone] {
        let integration = &state.integrations[&vendor];
        assert_eq!(integration.status, CredentialStatus::Valid);
    }
    assert_eq!(
        state.integrations[&Vendor::DattoRmm].fingerprint,
        world.connection.datto_fingerprint
    );
    let printed = format!("{state:?}");
    assert!(
        !printed.contains("gz-key") && !printed.contains("secret"),
        "{printed}"
    );
    assert_eq!(world.tenant.account_uid(), "acc-1");
}

#[tokio::test(start_paused = true)]
async fn a_refused_key_is_not_saved() {
    let store = Arc::new(MemoryStore::new());
    let world = World::connected_in(store.clone(), "acc-1").await;
    world.sync.reset_tenant(&world.tenant).await.unwrap();
    world.gz.set_fault(Some(Fault::Unauthorized));
    let error = world.sync.connect(&world.connection).await.unwrap_err();
    assert!(
        matches!(
            error,
            GravityZoneSyncError::CredentialsRefused {
                vendor: Vendor::GravityZone,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.is_unauthorized(), "{error}");
    assert!(store.tenants().await.unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn the_companies_page_lists_managed_sites_and_free_companies() {
    let world = World::connected().await;
    let page = world
        .sync
        .companies_page(&world.tenant, &world.connection)
        .await
        .unwrap();
    let names: Vec<&str> = page.sites.iter().map(|r| r.site.name.as_str()).collect();
    assert_eq!(names, ["Acme", "Globex", "Hooli", "Initech"]);
    let free: Vec<&str> = page
        .free_companies
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(free, ["Acme", "Zeta Corp"]);
}

#[tokio::test(start_paused = true)]
async fn a_dry_run_batch_shows_the_confirmation_list_and_writes_nothing() {
    let world = World::connected().await;
    let changes = [CompaniesChange::new(Change::CreateCompany {
        site: site("s-globex"),
    })];
    let report = world.apply(&changes, Approval::Preview).await.unwrap();
    assert!(report.dry_run);
    assert_eq!(report.plan.confirmation.changes.len(), 1);
    assert_eq!(report.plan.confirmation.changes[0].actions.len(), 4);
    assert_eq!(world.gz.count_calls("create_company"), 0);
    assert_eq!(world.company_of("s-globex").await, None);
}

#[tokio::test(start_paused = true)]
async fn one_call_shows_the_list_under_the_lease_and_applies_that_same_list() {
    let world = World::connected().await;
    let changes = [CompaniesChange::new(Change::CreateCompany {
        site: site("s-globex"),
    })];
    let store = world.store.clone();
    let tenant = world.tenant.clone();
    let mut seen = Vec::new();
    let mut ask = |list: &BatchPlan| {
        // The tenant's lease is held while the list is shown: no other worker can change the
        // tenant between this list and its apply.
        let lease =
            futures::executor::block_on(store.lease(&tenant, sync_store::Flow::GravityZone))
                .unwrap();
        assert!(lease.is_some(), "the lease is held while the list is shown");
        seen.push(list.clone());
        true
    };
    let report = world
        .apply(&changes, Approval::Ask(&mut ask))
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0], report.plan);
    assert!(!report.dry_run && !report.declined);
    assert_eq!(report.applied, 1);
    // The report serializes as it is (what `gravityzone-sync --json` prints).
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["applied"], 1);
    assert_eq!(json["declined"], false);
    assert_eq!(json["writes"]["companies_created"], 1);
    assert_eq!(json["confirmation"]["changes"].as_array().unwrap().len(), 1);
    assert_eq!(world.gz.count_calls("create_company"), 1);
    assert!(
        world
            .store
            .lease(&world.tenant, sync_store::Flow::GravityZone)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(start_paused = true)]
async fn requests_name_sites_and_companies_as_typed_and_are_resolved_in_the_same_call() {
    let world = World::connected().await;
    let requests = [
        ChangeRequest::map("ACME", " acme "),
        ChangeRequest::create_company("globex"),
    ];
    let mut shown = Vec::new();
    let mut ask = |plan: &BatchPlan| {
        shown = plan.lines();
        true
    };
    let report = world
        .sync
        .request_companies_changes(
            &world.tenant,
            &world.connection,
            "alice",
            &requests,
            Approval::Ask(&mut ask),
        )
        .await
        .unwrap();
    // One fetch of the inventories: the page the requests are resolved on is the page the
    // changes are checked and applied against.
    assert_eq!(world.gz.count_calls("customer_companies"), 1);
    let datto_calls = world.datto.calls.lock().unwrap().clone();
    assert_eq!(datto_calls.iter().filter(|c| *c == "sites").count(), 1);
    assert_eq!(shown[0], "Confirmation list:");
    assert_eq!(shown[1], "  1. map site \"Acme\" to company \"Acme\"");
    assert!(
        shown.contains(&"  2. set site \"Globex\" as a new company".to_owned()),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|l| l == "       - create company \"Globex\" under the partner company"),
        "{shown:?}"
    );
    // Sites by name (the package's own name holds the uid: it is its name).
    assert!(shown.iter().all(|l| !l.contains("site s-")), "{shown:?}");
    assert_eq!(world.company_of("s-acme").await, Some(world.acme.clone()));
    assert_eq!(
        report.lines(),
        ["Applied 2 of 2 change(s): 1 companies created, 2 packages, 2 links written."]
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["described"][0]["change"],
        "map site \"Acme\" to company \"Acme\""
    );
    assert_eq!(json["confirmation"]["changes"].as_array().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_request_naming_no_site_fails_before_anything_is_written() {
    let world = World::connected().await;
    let requests = [
        ChangeRequest::create_company("Globex"),
        ChangeRequest::exclude("Nowhere Inc"),
    ];
    let error = world
        .sync
        .request_companies_changes(
            &world.tenant,
            &world.connection,
            "alice",
            &requests,
            Approval::Apply,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error, GravityZoneSyncError::Lookup(e) if e.subject() == Subject::Site),
        "{error}"
    );
    assert!(error.is_refused_request(), "{error}");
    assert!(matches!(
        ChangeRequest::map("Globex", "Nobody").resolve(
            &world
                .sync
                .companies_page(&world.tenant, &world.connection)
                .await
                .unwrap()
        ),
        Err(LookupError::NotFound {
            subject: Subject::FreeCompany,
            ..
        })
    ));
    assert_eq!(world.gz.count_calls("create_company"), 0);
    assert_eq!(world.company_of("s-globex").await, None);
    let lease = world.store.lease(&world.tenant, Flow::GravityZone).await;
    assert!(lease.unwrap().is_none());
}

#[tokio::test(start_paused = true)]
async fn a_preview_reads_as_the_list_then_dry_run_and_a_declined_list_as_nothing_changed() {
    let world = World::connected().await;
    let requests = [ChangeRequest::exclude("Hooli")];
    let run = |approval| {
        world.sync.request_companies_changes(
            &world.tenant,
            &world.connection,
            "alice",
            &requests,
            approval,
        )
    };
    let preview = run(Approval::Preview).await.unwrap();
    assert_eq!(
        preview.lines(),
        [
            "Confirmation list:",
            "  1. exclude site \"Hooli\"",
            "       - exclude site \"Hooli\"",
            "Dry run: nothing was changed."
        ]
    );
    let mut no = |_: &BatchPlan| false;
    let declined = run(Approval::Ask(&mut no)).await.unwrap();
    assert_eq!(declined.lines(), ["Nothing was changed."]);
}

#[tokio::test(start_paused = true)]
async fn a_declined_list_writes_nothing_and_releases_the_lease() {
    let world = World::connected().await;
    let changes = [CompaniesChange::new(Change::CreateCompany {
        site: site("s-globex"),
    })];
    let mut ask = |list: &BatchPlan| {
        assert_eq!(list.confirmation.changes.len(), 1);
        false
    };
    let report = world
        .apply(&changes, Approval::Ask(&mut ask))
        .await
        .unwrap();
    assert!(report.dry_run && report.declined);
    assert_eq!(report.applied, 0);
    assert_eq!(report.plan.confirmation.changes[0].actions.len(), 4);
    assert_eq!(world.gz.count_calls("create_company"), 0);
    assert_eq!(world.company_of("s-globex").await, None);
    assert!(
        world
            .store
            .lease(&world.tenant, sync_store::Flow::GravityZone)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test(start_paused = true)]
async fn applying_a_batch_creates_companies_packages_links_and_associations() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    let globex = world.gz.company_named("Globex").expect("Globex created");
    assert_eq!(globex.parent, world.gz.root);
    assert_eq!(world.company_of("s-acme").await, Some(world.acme.clone()));
    assert_eq!(world.company_of("s-globex").await, Some(globex.id.clone()));
    for (site_uid, company) in [("s-acme", &world.acme), ("s-globex", &globex.id)] {
        let packages = world.gz.packages_of(company);
        assert_eq!(packages.len(), 1);
        assert_eq!(packages[0].name, package_name(&site(site_uid)));
        assert_eq!(packages[0].package, DefaultPackage::default());
        let link = world
            .datto
            .variable(site_uid, PACKAGE_LINK_VARIABLE)
            .unwrap();
        assert!(link.contains(&packages[0].id), "{link}");
    }
    let records = world.sync.associations(&world.tenant).await.unwrap();
    let acme = records
        .iter()
        .find(|r| r.site() == &site("s-acme"))
        .unwrap();
    assert_eq!(acme.method, AssociationMethod::MappedToExisting);
    assert_eq!(acme.made_by, ChangedBy::user("alice"));
    assert!(acme.package_link.is_some() && acme.package_id.is_some());
    let globex_record = records
        .iter()
        .find(|r| r.site() == &site("s-globex"))
        .unwrap();
    assert_eq!(globex_record.method, AssociationMethod::CreatedCompany);
    // The journal holds nothing once the task is done.
    assert!(world.store.journal(&world.tenant).await.unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn setting_a_site_as_new_company_is_refused_when_a_company_of_its_name_exists() {
    let world = World::connected().await;
    let changes = [CompaniesChange::new(Change::CreateCompany {
        site: site("s-acme"),
    })];
    let error = world.apply(&changes, Approval::Apply).await.unwrap_err();
    assert!(matches!(error, GravityZoneSyncError::ChangesRefused(ref r) if r.len() == 1));
    assert_eq!(world.gz.count_calls("create_company"), 0);
}

#[tokio::test(start_paused = true)]
async fn deleting_an_association_removes_only_what_the_user_asks() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    let globex = world.gz.company_named("Globex").unwrap().id;
    let changes = [
        CompaniesChange::new(Change::DeleteAssociation {
            site: site("s-acme"),
        }),
        CompaniesChange::new(Change::DeleteAssociation {
            site: site("s-globex"),
        })
        .removing(Removal::package_and_link()),
    ];
    world.apply(&changes, Approval::Apply).await.unwrap();
    assert_eq!(world.company_of("s-acme").await, None);
    assert_eq!(world.company_of("s-globex").await, None);
    // Acme: nothing removed.
    assert_eq!(world.gz.packages_of(&world.acme).len(), 1);
    assert!(
        world
            .datto
            .variable("s-acme", PACKAGE_LINK_VARIABLE)
            .is_some()
    );
    // Globex: package and link removed, company kept.
    assert!(world.gz.packages_of(&globex).is_empty());
    assert!(
        world
            .datto
            .variable("s-globex", PACKAGE_LINK_VARIABLE)
            .is_none()
    );
    assert!(world.gz.company_named("Globex").is_some());
}

#[tokio::test(start_paused = true)]
async fn monitor_and_report_raises_events_but_never_acts() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    let partner = world.gz.add_partner("Other Partner");
    world.gz.set_parent(&world.acme, &partner);
    world
        .set(
            SyncLevel::MonitorAndReportSynchronized,
            EventHandling::Automatic,
        )
        .await;
    let report = world.pass().await;
    assert_eq!(report.steps_applied, 0);
    assert_eq!(world.gz.count_calls("move_company"), 0);
    assert_eq!(
        world.open_kinds().await,
        [(EventKind::DestinationMoved, "s-acme".to_owned())]
    );
}

#[tokio::test(start_paused = true)]
async fn automatic_handling_moves_a_moved_company_back_and_closes_the_event() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    let partner = world.gz.add_partner("Other Partner");
    world.gz.set_parent(&world.acme, &partner);
    world
        .set(
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Automatic,
        )
        .await;
    let report = world.pass().await;
    assert_eq!(report.steps_applied, 1);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["steps_applied"], 1);
    assert_eq!(json["plan"]["events"][0]["id"]["kind"], "destination_moved");
    assert_eq!(json["writes"]["companies_moved"], 1);
    assert_eq!(
        world.gz.company_named("Acme").unwrap().parent,
        world.gz.root
    );
    assert!(world.open_events().await.is_empty());
    let history = world.sync.event_history(&world.tenant).await.unwrap();
    let moved = history
        .iter()
        .find(|r| r.event.id.kind == EventKind::DestinationMoved)
        .unwrap();
    assert!(matches!(
        &moved.event.state,
        EventState::Resolved {
            resolution: Resolution::Action {
                action: EventAction::MoveBack,
                ..
            },
            ..
        }
    ));
    assert_eq!(
        moved.history.len(),
        2,
        "open, then resolved: {:?}",
        moved.history
    );
}

#[tokio::test(start_paused = true)]
async fn manual_handling_leaves_events_open_until_a_primary_action_closes_them_for_good() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    world.gz.remove_company(&world.acme);
    world
        .set(SyncLevel::AutomaticInventorySync, EventHandling::Manual)
        .await;
    world.pass().await;
    world.pass().await;
    let open = world.open_events().await;
    assert_eq!(open.len(), 1, "{open:?}");
    let event = open[0].event.clone();
    assert_eq!(event.id.kind, EventKind::DestinationDeleted);
    // An open event carries the short reference a person types, also in its JSON.
    assert_eq!(open[0].reference, event.id.short_ref());
    let json = serde_json::to_value(&open[0]).unwrap();
    assert_eq!(json["ref"], event.id.short_ref());
    assert_eq!(json["event"]["id"]["kind"], "destination_deleted");
    assert_eq!(
        open[0].actions[0].action,
        sync_core::gravityzone::EventActionKind::CreateNewCompany
    );
    // Dry run first: nothing happens.
    let preview = world
        .sync
        .resolve_event(
            &world.tenant,
            &world.connection,
            "bob",
            &event.id,
            EventAction::CreateNewCompany { name: None },
            Approval::Preview,
        )
        .await
        .unwrap();
    assert!(preview.dry_run && !preview.actions.is_empty());
    let title = "the destination-deleted event of site \"Acme\" with create-new-company";
    let lines = preview.lines();
    assert_eq!(lines[0], format!("Confirmation list: resolve {title}:"));
    let create = "  - create company \"Acme\" under the partner company";
    assert!(lines.iter().any(|l| l == create), "{lines:?}");
    assert_eq!(lines.last().unwrap(), "Dry run: nothing was changed.");
    assert_eq!(lines.len(), preview.actions.len() + 2);
    assert_eq!(world.gz.companies_named("Acme"), 0);
    // Shown under the lease and declined: the same actions, nothing run, the event stays open.
    let mut shown = Vec::new();
    let mut decline = |plan: &sync_engine::gravityzone::ResolvePlan| {
        shown = plan.actions.clone();
        assert_eq!(plan.confirmation_lines(), lines[..lines.len() - 1]);
        assert_eq!(plan.lines.len(), plan.actions.len());
        // Named, the root included: no bare id.
        assert!(
            plan.lines
                .iter()
                .any(|l| l == "create company \"Acme\" under the partner company"),
            "{plan:?}"
        );
        false
    };
    let declined = world
        .sync
        .resolve_event(
            &world.tenant,
            &world.connection,
            "bob",
            &event.id,
            EventAction::CreateNewCompany { name: None },
            Approval::Ask(&mut decline),
        )
        .await
        .unwrap();
    assert!(declined.declined && declined.dry_run);
    assert_eq!(declined.lines(), ["Nothing was changed."]);
    assert_eq!(shown, preview.actions);
    assert_eq!(declined.actions, preview.actions);
    assert_eq!(world.gz.companies_named("Acme"), 0);
    assert_eq!(world.open_events().await.len(), 1);
    let resolved = world
        .sync
        .resolve_event(
            &world.tenant,
            &world.connection,
            "bob",
            &event.id,
            EventAction::CreateNewCompany { name: None },
            Approval::Apply,
        )
        .await
        .unwrap();
    assert_eq!(resolved.lines(), [format!("Resolved {title}.")]);
    let new_acme = world.gz.company_named("Acme").expect("a new Acme company");
    assert_eq!(world.company_of("s-acme").await, Some(new_acme.id.clone()));
    assert!(world.open_events().await.is_empty());
    world.pass().await;
    assert!(world.open_events().await.is_empty(), "closed for good");
}

#[tokio::test(start_paused = true)]
async fn an_ignored_event_returns_at_the_next_pass() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    world.datto.remove_site("s-globex");
    world.pass().await;
    let event = world.open_events().await[0].event.clone();
    assert_eq!(event.id.kind, EventKind::SourceDeleted);
    world
        .sync
        .ignore_event(&world.tenant, "bob", &event.id)
        .await
        .unwrap();
    assert!(world.open_events().await.is_empty());
    tokio::time::advance(std::time::Duration::from_secs(3600)).await;
    world.pass().await;
    let back = world.open_events().await;
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].event.id, event.id);
    assert!(
        back[0].event.generated_at_ms > event.generated_at_ms,
        "a new occurrence"
    );
}

#[tokio::test(start_paused = true)]
async fn a_secondary_action_with_a_custom_name_resolves_a_destination_creation() {
    let world = World::connected().await;
    world
        .gz
        .foreign_names
        .lock()
        .unwrap()
        .push("Initech".into());
    world
        .update(|s| {
            s.level = SyncLevel::AutomaticInventorySync;
            s.handling = EventHandling::Automatic;
            s.prefix.use_for_creation = PrefixCreation::Never;
        })
        .await;
    let report = world.pass().await;
    assert!(!report.steps_failed.is_empty());
    assert_eq!(
        report.failed_steps().unwrap(),
        format!(
            "{} of {} step(s) failed; their events stay open",
            report.steps_failed.len(),
            report.plan.steps.len()
        )
    );
    let creation = world
        .open_events()
        .await
        .into_iter()
        .find(|v| v.event.id.kind == EventKind::DestinationCreation)
        .expect("destination creation raised");
    assert_eq!(creation.event.company_name.as_deref(), Some("Initech"));
    // The next pass does not try again while the user has not answered.
    let creates = world.gz.count_calls("create_company");
    world.pass().await;
    assert_eq!(world.gz.count_calls("create_company"), creates);
    world
        .sync
        .resolve_event(
            &world.tenant,
            &world.connection,
            "carol",
            &creation.event.id,
            EventAction::CreateWithCustomName {
                name: "Initech Europe".into(),
            },
            Approval::Apply,
        )
        .await
        .unwrap();
    let company = world.gz.company_named("Initech Europe").unwrap();
    assert_eq!(world.company_of("s-initech").await, Some(company.id));
    assert!(
        world
            .open_events()
            .await
            .iter()
            .all(|v| v.event.id.kind != EventKind::DestinationCreation)
    );
}

#[tokio::test(start_paused = true)]
async fn the_automatic_level_associates_matches_and_creates_the_rest() {
    let world = World::connected().await;
    world
        .set(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let report = world.pass().await;
    assert!(report.steps_failed.is_empty(), "{:?}", report.steps_failed);
    assert_eq!(report.failed_steps(), None);
    assert_eq!(world.company_of("s-acme").await, Some(world.acme.clone()));
    for (uid, name) in [
        ("s-globex", "Globex"),
        ("s-initech", "Initech"),
        ("s-hooli", "Hooli"),
    ] {
        let company = world.gz.company_named(name).unwrap();
        assert_eq!(world.company_of(uid).await, Some(company.id));
    }
    // OnDemand and system sites never take part.
    assert_eq!(world.gz.companies_named("Umbrella"), 0);
    assert_eq!(world.gz.companies_named("Managed"), 0);
    let records = world.sync.associations(&world.tenant).await.unwrap();
    let acme = records
        .iter()
        .find(|r| r.site() == &site("s-acme"))
        .unwrap();
    assert_eq!(acme.method, AssociationMethod::MatchedByName);
    assert_eq!(acme.made_by, ChangedBy::Sync);
    // A second pass has nothing to do.
    let again = world.pass().await;
    assert!(
        again.plan.steps.is_empty() && again.plan.events.is_empty(),
        "{again:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_dry_run_pass_plans_but_writes_nothing() {
    let world = World::connected().await;
    world
        .set(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let report = world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::dry_run())
        .await
        .unwrap();
    assert!(report.dry_run && !report.plan.steps.is_empty());
    // In words: what it would do, sites and the partner company by name.
    let lines = report.lines();
    assert!(lines[0].starts_with("Dry run: compared"), "{lines:?}");
    let would = format!("Would do (0 of {}):", report.plan.steps.len());
    assert!(lines.contains(&would), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("under the partner company")),
        "{lines:?}"
    );
    assert_eq!(world.gz.count_calls("create_company"), 0);
    assert!(world.open_events().await.is_empty());
    assert!(
        world
            .store
            .runs(&world.tenant, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn a_failed_inventory_fetch_fails_the_pass_before_any_action() {
    let world = World::connected().await;
    world
        .set(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    world.datto.set_fault(Some(Fault::ServerError));
    let error = world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::apply())
        .await
        .unwrap_err();
    assert!(matches!(error, GravityZoneSyncError::Vendor(_)), "{error}");
    assert_eq!(world.gz.count_calls("create_company"), 0);
    assert!(world.open_events().await.is_empty());
    let runs = world.store.runs(&world.tenant, None, 10).await.unwrap();
    assert!(
        matches!(runs[0].status, RunStatus::Failed { .. }),
        "{:?}",
        runs[0]
    );
}

#[tokio::test(start_paused = true)]
async fn refused_credentials_stop_the_passes_until_new_ones_are_saved() {
    let world = World::connected().await;
    world.datto.set_fault(Some(Fault::Unauthorized));
    let error = world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::apply())
        .await
        .unwrap_err();
    assert!(error.is_unauthorized());
    let state = world.store.state(&world.tenant).await.unwrap();
    assert_eq!(
        state.integrations[&Vendor::DattoRmm].status,
        CredentialStatus::Invalid
    );
    // The same credentials: refused without calling Datto RMM.
    let calls = world.datto.calls.lock().unwrap().len();
    let error = world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::apply())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        GravityZoneSyncError::CredentialsInvalid {
            vendor: Vendor::DattoRmm
        }
    ));
    assert_eq!(world.datto.calls.lock().unwrap().len(), calls);
    // New credentials saved: the passes resume.
    world.datto.set_fault(None);
    let renewed = connection_with(&world.datto, &world.gz, "new-key", "gz-key");
    world.sync.connect(&renewed).await.unwrap();
    world
        .sync
        .run_pass(&world.tenant, &renewed, PassOptions::apply())
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn an_interrupted_creation_resumes_without_a_second_company() {
    let world = World::connected().await;
    world
        .set(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    // Every site needs a new company; the first step fails after creating its company.
    world.gz.remove_company(&world.acme);
    *world.gz.fail_next_package.lock().unwrap() = true;
    let first = world.pass().await;
    assert_eq!(first.steps_failed.len(), 1, "{first:?}");
    let pending = world.store.journal(&world.tenant).await.unwrap();
    assert!(
        pending
            .iter()
            .any(|e| e.key.starts_with("gz:create-company:"))
    );
    let second = world.pass().await;
    assert_eq!(second.recovered, 1);
    for name in ["Acme", "Globex", "Initech", "Hooli"] {
        assert_eq!(world.gz.companies_named(name), 1, "{name}");
    }
    assert_eq!(world.gz.count_calls("create_company"), 4);
    for uid in ["s-acme", "s-globex", "s-initech", "s-hooli"] {
        assert!(world.company_of(uid).await.is_some(), "{uid}");
        assert!(
            world.datto.variable(uid, PACKAGE_LINK_VARIABLE).is_some(),
            "{uid}"
        );
    }
    assert!(world.store.journal(&world.tenant).await.unwrap().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_pass_does_not_run_while_another_holds_the_tenants_lease() {
    let world = World::connected().await;
    let now = gravityzone_support::t0();
    assert!(
        world
            .store
            .acquire_lease(
                &world.tenant,
                Flow::GravityZone,
                &"someone-else".into(),
                std::time::Duration::from_secs(600),
                now
            )
            .await
            .unwrap()
    );
    let error = world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::apply())
        .await
        .unwrap_err();
    assert!(
        matches!(error, GravityZoneSyncError::Busy { .. }),
        "{error}"
    );
    assert!(
        world
            .datto
            .calls
            .lock()
            .unwrap()
            .iter()
            .all(|c| c == "account")
    );
}

#[tokio::test(start_paused = true)]
async fn a_pass_runs_while_another_worker_syncs_the_tenant_with_itglue() {
    let world = World::connected().await;
    let ttl = std::time::Duration::from_secs(600);
    let itglue_worker = "itglue-worker".into();
    let now = gravityzone_support::t0();
    assert!(
        world
            .store
            .acquire_lease(&world.tenant, Flow::ItGlue, &itglue_worker, ttl, now)
            .await
            .unwrap()
    );
    world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::apply())
        .await
        .unwrap();
    let runs = world.store.runs(&world.tenant, None, 10).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status, RunStatus::Ok);
    let held = world.store.lease(&world.tenant, Flow::ItGlue).await;
    assert_eq!(held.unwrap().unwrap().holder, "itglue-worker");
}

#[tokio::test(start_paused = true)]
async fn a_requested_shutdown_stops_the_pass_before_the_next_step() {
    let world = World::connected().await;
    world
        .set(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let (_trigger, shutdown) = tokio::sync::watch::channel(true);
    let report = world
        .sync
        .run_pass(
            &world.tenant,
            &world.connection,
            PassOptions::apply().with_shutdown(shutdown),
        )
        .await
        .unwrap();
    assert!(report.interrupted);
    assert_eq!(report.steps_applied, 0);
    assert_eq!(world.gz.count_calls("create_company"), 0);
}

#[tokio::test(start_paused = true)]
async fn settings_are_checked_and_apply_from_the_next_pass() {
    let world = World::connected().await;
    let mut settings = world.sync.settings(&world.tenant).await.unwrap();
    assert_eq!(settings.level, SyncLevel::MonitorAndReportSynchronized);
    settings.prefix.use_for_creation = PrefixCreation::Always;
    settings.prefix.text = "  ".into();
    assert!(matches!(
        world.sync.update_settings(&world.tenant, &settings).await,
        Err(GravityZoneSyncError::Settings(_))
    ));
    world
        .update(|s| {
            s.level = SyncLevel::AutomaticInventorySync;
            s.handling = EventHandling::Automatic;
            s.prefix.text = "MSP".into();
            s.prefix.use_for_creation = PrefixCreation::Always;
        })
        .await;
    world.pass().await;
    assert!(world.gz.company_named("MSP Globex").is_some());
    assert_eq!(world.gz.companies_named("Globex"), 0);
}

#[tokio::test(start_paused = true)]
async fn resetting_a_tenant_leaves_the_other_tenant_intact() {
    let store = Arc::new(MemoryStore::new());
    let first = World::connected_in(store.clone(), "acc-1").await;
    let second = World::connected_in(store.clone(), "acc-2").await;
    for world in [&first, &second] {
        map_acme_and_create_globex(world).await;
        world.datto.remove_site("s-globex");
        world.pass().await;
    }
    first.sync.reset_tenant(&first.tenant).await.unwrap();
    let gone = store.state(&first.tenant).await.unwrap();
    assert!(gone.integrations.is_empty());
    assert!(gone.gravityzone.associations.is_empty() && gone.gravityzone.events.is_empty());
    assert!(gone.gravityzone.settings.is_none());
    assert!(
        store
            .runs(&first.tenant, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let kept = store.state(&second.tenant).await.unwrap();
    assert_eq!(kept.integrations.len(), 2);
    assert_eq!(kept.gravityzone.associations.len(), 2);
    assert_eq!(second.open_events().await.len(), 1);
    assert_eq!(store.runs(&second.tenant, None, 10).await.unwrap().len(), 1);
    // The vendors keep their companies and packages.
    assert!(first.gz.company_named("Globex").is_some());
    assert_eq!(first.gz.packages_of(&first.acme).len(), 1);
    assert_eq!(store.tenants().await.unwrap(), vec![second.tenant.clone()]);
}

#[tokio::test(start_paused = true)]
async fn an_overview_names_the_associations_and_every_open_event_resolves_in_one_call() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    let overview = world
        .sync
        .overview(&world.tenant, &world.connection)
        .await
        .unwrap();
    assert_eq!(overview.managed_sites, 4);
    let sites: Vec<_> = (overview.associations.iter())
        .map(|r| (r.site_name.as_deref(), r.company_name.as_deref()))
        .collect();
    assert_eq!(
        sites,
        [
            (Some("Acme"), Some("Acme")),
            (Some("Globex"), Some("Globex"))
        ]
    );
    let by_method: Vec<_> = overview.associations_by_method.into_iter().collect();
    assert_eq!(
        by_method,
        [("created_company", 1), ("mapped_to_existing", 1)]
    );
    assert!(overview.open_events.is_empty());

    world
        .set(
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Manual,
        )
        .await;
    world.datto.remove_site("s-globex");
    world.pass().await;
    let overview = world
        .sync
        .overview(&world.tenant, &world.connection)
        .await
        .unwrap();
    let lines = overview.lines();
    assert_eq!(lines[0], "3 managed sites, 2 paired with a company:");
    assert!(
        lines.contains(&"    1  created a company".to_owned()),
        "{lines:?}"
    );
    let open = "  source-deleted: site \"Globex\" / company \"Globex\"";
    assert_eq!(lines[lines.len() - 2..], ["Open events:", open]);

    // Each open event with its cautious action: a deleted site loses its association only.
    let resolved = world
        .sync
        .resolve_open_events(&world.tenant, &world.connection, "bob", |view| {
            view.cautious_action(|_| unreachable!("no event needs a name"))
        })
        .await
        .unwrap();
    assert_eq!(resolved.len(), 1);
    assert_eq!(resolved[0].action, "delete-association");
    let lines = resolved[0].lines();
    assert_eq!(
        lines[..2],
        [open.to_owned(), "    → delete-association".to_owned()]
    );
    assert_eq!(
        lines[2],
        "        delete the association of site \"Globex\" with company \"Globex\""
    );
    assert!(
        world.gz.company_named("Globex").is_some(),
        "the company stays"
    );
    assert!(world.open_events().await.is_empty());
    assert_eq!(world.company_of("s-globex").await, None);
    // Nothing chosen, nothing done.
    let none = world
        .sync
        .resolve_open_events(&world.tenant, &world.connection, "bob", |_| None)
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test(start_paused = true)]
async fn settings_change_in_one_call_and_one_tenant_is_a_scheduler_source_of_itself_alone() {
    use sync_engine::gravityzone::{OneTenant, SettingsChange};
    use sync_engine::scheduler::ConnectionSource;
    let world = World::connected().await;
    let mut change = SettingsChange::default();
    change.level = Some(SyncLevel::AutomaticInventorySync);
    change.prefix = Some("MSP".to_owned());
    let saved = world
        .sync
        .change_settings(&world.tenant, &change)
        .await
        .unwrap();
    assert_eq!(saved.level, SyncLevel::AutomaticInventorySync);
    assert_eq!(saved.prefix.text, "MSP");
    assert_eq!(saved.handling, EventHandling::default());
    assert_eq!(world.sync.settings(&world.tenant).await.unwrap(), saved);

    let source = OneTenant::new(world.tenant.clone(), world.connection.clone());
    let served = source.gravityzone(&world.tenant).await.unwrap();
    assert_eq!(served.datto_fingerprint, world.connection.datto_fingerprint);
    let other = sync_store::TenantId::new("https://other.example", "acc-9").unwrap();
    assert!(source.gravityzone(&other).await.is_none());
}

/// A company deleted in GravityZone keeps the name its association remembers: the event, the
/// pass's lines, the companies page, the overview and the resolution name it, never its id.
#[tokio::test(start_paused = true)]
async fn a_company_deleted_in_gravityzone_is_named_by_the_name_its_association_remembers() {
    let world = World::connected().await;
    let changes = [CompaniesChange::new(Change::MapToCompany {
        site: site("s-hooli"),
        company: world.zeta.clone(),
    })];
    let report = world.apply(&changes, Approval::Apply).await.unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    let state = world.store.state(&world.tenant).await.unwrap();
    let stored = state.gravityzone.association_of(&site("s-hooli")).unwrap();
    assert_eq!(
        stored.association.company_name.as_deref(),
        Some("Zeta Corp")
    );
    assert_eq!(stored.association.site_name.as_deref(), Some("Hooli"));

    world.gz.remove_company(&world.zeta);
    world
        .set(
            SyncLevel::MonitorAndReportSynchronized,
            EventHandling::Manual,
        )
        .await;
    let pass = world.pass().await;
    let zeta = world.zeta.as_str();
    let event = pass
        .plan
        .events
        .iter()
        .find(|e| e.id.kind == EventKind::DestinationDeleted)
        .unwrap_or_else(|| panic!("{:?}", pass.plan.events));
    assert_eq!(event.company_name.as_deref(), Some("Zeta Corp"));
    let lines = pass.lines();
    assert!(
        lines.iter().any(|l| l.contains("Hooli ↔ Zeta Corp (open)")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains(zeta)), "{lines:?}");

    // The companies page and the overview: the remembered name, marked deleted.
    let page = world
        .sync
        .companies_page(&world.tenant, &world.connection)
        .await
        .unwrap();
    let row = page
        .sites
        .iter()
        .find(|r| r.site.uid == site("s-hooli"))
        .unwrap();
    let line = sync_engine::gravityzone::SiteLine::new(row);
    assert_eq!(line.company, "Zeta Corp (deleted in GravityZone)");
    let overview = world
        .sync
        .overview(&world.tenant, &world.connection)
        .await
        .unwrap();
    let hooli = overview
        .associations
        .iter()
        .find(|r| r.site == site("s-hooli"))
        .unwrap();
    assert_eq!(hooli.company_name.as_deref(), Some("Zeta Corp"));
    assert!(
        !overview.lines().iter().any(|l| l.contains(zeta)),
        "{:?}",
        overview.lines()
    );

    // Resolving it: every line names the deleted company.
    let resolved = world
        .sync
        .resolve_open_events(&world.tenant, &world.connection, "bob", |view| {
            view.cautious_action(|_| unreachable!("no custom name is asked for"))
        })
        .await
        .unwrap();
    let lines: Vec<String> = resolved.iter().flat_map(|r| r.lines()).collect();
    assert!(
        lines
            .iter()
            .any(|l| l
                .contains("delete the association of site \"Hooli\" with company \"Zeta Corp\"")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains(zeta)), "{lines:?}");
}

/// A pass refreshes the names an association remembers: a company renamed in GravityZone and a
/// site renamed in Datto RMM, then deleted, are named by their latest names; a dry run stores
/// nothing.
#[tokio::test(start_paused = true)]
async fn a_pass_remembers_the_latest_names_of_an_associated_site_and_company() {
    let world = World::connected().await;
    map_acme_and_create_globex(&world).await;
    world
        .set(
            SyncLevel::MonitorAndReportSynchronized,
            EventHandling::Manual,
        )
        .await;
    let remembered = |world: &World, uid: &'static str| {
        let store = world.store.clone();
        let tenant = world.tenant.clone();
        async move {
            let state = store.state(&tenant).await.unwrap();
            let association = &state
                .gravityzone
                .association_of(&site(uid))
                .unwrap()
                .association;
            (
                association.site_name.clone(),
                association.company_name.clone(),
            )
        }
    };
    assert_eq!(
        remembered(&world, "s-acme").await,
        (Some("Acme".into()), Some("Acme".into()))
    );
    world.gz.rename(&world.acme, "Acme Holding AG");
    world.datto.remove_site("s-globex");
    world.datto.add_site(sync_core::gravityzone::Site::new(
        "s-globex",
        "Globex Zürich",
        false,
    ));
    // A dry run sees the new names but stores nothing.
    world
        .sync
        .run_pass(&world.tenant, &world.connection, PassOptions::dry_run())
        .await
        .unwrap();
    assert_eq!(
        remembered(&world, "s-acme").await,
        (Some("Acme".into()), Some("Acme".into()))
    );
    let quiet = world.pass().await;
    assert!(quiet.plan.events.is_empty(), "{:?}", quiet.plan.events);
    assert_eq!(
        remembered(&world, "s-acme").await,
        (Some("Acme".into()), Some("Acme Holding AG".into()))
    );
    assert_eq!(
        remembered(&world, "s-globex").await,
        (Some("Globex Zürich".into()), Some("Globex".into()))
    );
    // Nothing renamed since: the next pass changes nothing in the tenant's state.
    let version = world.store.version(&world.tenant).await.unwrap();
    world.pass().await;
    assert_eq!(world.store.version(&world.tenant).await.unwrap(), version);

    // Both deleted now: the events and the pass's lines use the latest names.
    world.gz.remove_company(&world.acme);
    world.datto.remove_site("s-globex");
    let pass = world.pass().await;
    let named: Vec<(EventKind, Option<&str>, Option<&str>)> = pass
        .plan
        .events
        .iter()
        .map(|e| (e.id.kind, e.site_name.as_deref(), e.company_name.as_deref()))
        .collect();
    assert!(
        named.contains(&(
            EventKind::DestinationDeleted,
            Some("Acme"),
            Some("Acme Holding AG")
        )),
        "{named:?}"
    );
    assert!(
        named.contains(&(
            EventKind::SourceDeleted,
            Some("Globex Zürich"),
            Some("Globex")
        )),
        "{named:?}"
    );
    let lines = pass.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Acme ↔ Acme Holding AG (open)")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Globex Zürich ↔ Globex (open)")),
        "{lines:?}"
    );
}
