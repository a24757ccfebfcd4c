//! End to end against the msp-fakes Datto RMM and GravityZone fakes serving a generated MSP:
//! the companies page maps sites to an existing company, to a new company and to an exclusion;
//! then, in the fakes, a company is moved under another partner, a company and a site are
//! deleted, companies are created with a site's name and a prefixed name, and a name collides
//! with another partner's company. Every level × handling mode is checked, and the whole
//! table of events is walked with primary, secondary and ignore.

mod gravityzone_support;

use std::collections::BTreeSet;
use std::sync::Arc;

use gravityzone_support::fakes::FakeMsp;
use sync_core::gravityzone::{
    Change, CompanyId, EventAction, EventHandling, EventId, EventKind, PACKAGE_LINK_VARIABLE,
    PrefixCreation, SiteUid, SyncLevel, package_name,
};
use sync_engine::gravityzone::{Approval, CompaniesChange};
use sync_store::MemoryStore;

use EventKind::{
    AssociationMissing, DestinationCreation, DestinationDeleted, DestinationMoved,
    PrefixBasedAssociationMissing, SourceDeleted,
};

/// The seed walked: which site plays which part.
struct Walk {
    fake: FakeMsp,
    existing: String,
    excluded: String,
    created: String,
    moved: String,
    deleted_company: String,
    deleted_site: String,
    named: String,
    prefixed: String,
    collided: String,
    /// Same-name seed sites nobody touched (association missing at the automatic level).
    other_same_name: Vec<String>,
    /// Sites without any company (new companies at the automatic level).
    other_without: Vec<String>,
}

fn uid(site: &str) -> SiteUid {
    SiteUid::new(site)
}

/// Maps, creates and excludes on the companies page, checks what that made in the fakes,
/// then changes the fakes out of band.
async fn walk() -> Walk {
    let fake = FakeMsp::start(Arc::new(MemoryStore::new()), "w1").await;
    let mut settings = fake.sync.settings(&fake.tenant).await.unwrap();
    settings.prefix.text = "MSP".into();
    settings.prefix.use_for_association = true;
    settings.prefix.use_for_creation = PrefixCreation::OnlyIfNameExists;
    fake.sync
        .update_settings(&fake.tenant, &settings)
        .await
        .unwrap();

    let same: Vec<String> = fake
        .seeded
        .same_name
        .iter()
        .map(|(s, _)| s.clone())
        .collect();
    let without: Vec<String> = fake
        .sites_without_company()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(same.len() >= 5, "seed {same:?}");
    assert!(without.len() >= 6, "seed {without:?}");
    let company_of_seed = |site: &String| {
        let (_, id) = fake
            .seeded
            .same_name
            .iter()
            .find(|(s, _)| s == site)
            .unwrap();
        CompanyId::new(id.clone())
    };
    let map = |site: &String| {
        CompaniesChange::new(Change::MapToCompany {
            site: uid(site),
            company: company_of_seed(site),
        })
    };
    let changes = vec![
        map(&same[0]),
        CompaniesChange::new(Change::Exclude {
            site: uid(&same[1]),
        }),
        map(&same[2]),
        map(&same[3]),
        CompaniesChange::new(Change::CreateCompany {
            site: uid(&without[0]),
        }),
        CompaniesChange::new(Change::CreateCompany {
            site: uid(&without[1]),
        }),
    ];
    let report = fake
        .sync
        .apply_companies_changes(
            &fake.tenant,
            &fake.connection,
            "alice",
            &changes,
            Approval::Apply,
        )
        .await
        .unwrap();
    assert_eq!(report.applied, changes.len(), "{report:?}");

    // Packages with the default modules, and their links in the site variables.
    for site in [&same[0], &same[2], &same[3], &without[0], &without[1]] {
        let company = fake.company_of(site).await.expect("associated");
        let packages = fake.gz.packages_of(&company);
        let package = packages
            .iter()
            .find(|p| p.name == package_name(&uid(site)))
            .unwrap_or_else(|| panic!("no package for {site}: {packages:?}"));
        assert_eq!(package.modules.get("advancedThreatControl"), Some(&1));
        assert_eq!(package.modules.get("edrSensor"), Some(&1));
        let link = fake
            .variable(site, PACKAGE_LINK_VARIABLE)
            .expect("link written");
        assert!(link.starts_with("http"), "{link}");
    }
    let new_company = fake.company_of(&without[0]).await.unwrap();
    assert_eq!(
        fake.gz.company(&new_company).unwrap().name,
        fake.site_name(&without[0])
    );
    assert_eq!(fake.company_of(&same[1]).await, None);
    assert!(fake.variable(&same[1], PACKAGE_LINK_VARIABLE).is_none());

    // Out of band, as someone in the consoles would.
    let root = fake.gz.root_id();
    let reseller = match &fake.seeded.reseller_id {
        Some(id) => id.clone(),
        None => fake.gz.add_partner(&root, "Reseller Partner").unwrap(),
    };
    let moved_company = fake.company_of(&same[3]).await.unwrap();
    assert!(fake.gz.set_parent(&moved_company, &reseller));
    let doomed = fake.company_of(&without[1]).await.unwrap();
    assert!(fake.gz.remove_company(&doomed));
    assert!(fake.datto.remove_site(&same[2]));
    fake.gz
        .add_customer(&root, &fake.site_name(&without[2]))
        .unwrap();
    fake.gz
        .add_customer(&root, &format!("MSP {}", fake.site_name(&without[3])))
        .unwrap();
    let foreign = match &fake.seeded.foreign_partner_id {
        Some(id) => id.clone(),
        None => fake.gz.add_foreign_partner("Another MSP").unwrap(),
    };
    fake.gz
        .add_customer(&foreign, &fake.site_name(&without[4]))
        .unwrap();

    Walk {
        existing: same[0].clone(),
        excluded: same[1].clone(),
        deleted_site: same[2].clone(),
        moved: same[3].clone(),
        created: without[0].clone(),
        deleted_company: without[1].clone(),
        named: without[2].clone(),
        prefixed: without[3].clone(),
        collided: without[4].clone(),
        other_same_name: same[4..].to_vec(),
        other_without: without[5..].to_vec(),
        fake,
    }
}

impl Walk {
    fn synchronized_events(&self) -> BTreeSet<(EventKind, String)> {
        BTreeSet::from([
            (DestinationMoved, self.moved.clone()),
            (DestinationDeleted, self.deleted_company.clone()),
            (SourceDeleted, self.deleted_site.clone()),
        ])
    }

    /// The events of the unassociated sites a user must answer at the automatic level. A
    /// company under the partner's sub-partner is one of the partner's companies: a site of
    /// its name has *association missing* too.
    fn matching_events(&self) -> BTreeSet<(EventKind, String)> {
        let mut events = BTreeSet::new();
        for site in self.other_same_name.iter().chain([&self.named]) {
            events.insert((AssociationMissing, site.clone()));
        }
        for (site, _) in &self.fake.seeded.under_reseller {
            events.insert((AssociationMissing, site.clone()));
        }
        for (site, _) in &self.fake.seeded.prefixed {
            events.insert((PrefixBasedAssociationMissing, site.clone()));
        }
        events.insert((PrefixBasedAssociationMissing, self.prefixed.clone()));
        events
    }

    fn foreign_sites(&self) -> Vec<String> {
        let mut sites: Vec<String> = self
            .fake
            .seeded
            .foreign
            .iter()
            .map(|(s, _)| s.clone())
            .collect();
        sites.push(self.collided.clone());
        sites
    }

    async fn open(&self) -> BTreeSet<(EventKind, String)> {
        self.fake.open().await.into_iter().collect()
    }

    async fn event(&self, kind: EventKind, site: &str) -> EventId {
        self.fake
            .open_events()
            .await
            .into_iter()
            .map(|v| v.event.id)
            .find(|id| id.kind == kind && id.site.as_str() == site)
            .unwrap_or_else(|| panic!("no open {kind:?} for {site}"))
    }

    async fn resolve(&self, kind: EventKind, site: &str, action: EventAction) {
        let id = self.event(kind, site).await;
        self.fake
            .sync
            .resolve_event(
                &self.fake.tenant,
                &self.fake.connection,
                "bob",
                &id,
                action,
                Approval::Apply,
            )
            .await
            .unwrap_or_else(|e| panic!("{kind:?} {site}: {e}"));
    }

    fn company_named(&self, name: &str) -> Option<String> {
        self.fake.gz.company_named(name).map(|c| c.id)
    }

    fn parent_of(&self, company: &str) -> Option<String> {
        self.fake.gz.company(company).and_then(|c| c.parent_id)
    }
}

/// At levels that do not act, the synchronized entities' events are raised and nothing is
/// written.
async fn assert_reported_only(level: SyncLevel, handling: EventHandling) {
    let walk = walk().await;
    walk.fake.settings(level, handling).await;
    let requests_before = walk.fake.gz.log().all().len();
    let report = walk.fake.pass().await;
    assert!(report.plan.steps.is_empty(), "{:?}", report.plan.steps);
    assert_eq!(walk.open().await, walk.synchronized_events());
    assert_eq!(
        walk.fake.gz.calls("createCompany"),
        2,
        "only the page's two creations"
    );
    assert_eq!(walk.fake.gz.calls("moveCompanyOrCompanyFolder"), 0);
    assert!(walk.fake.company_of(&walk.deleted_site).await.is_some());
    // Reads are JSON-RPC POSTs too: no GravityZone write method was called.
    let writes: Vec<String> = walk.fake.gz.log().all()[requests_before..]
        .iter()
        .filter(|r| {
            [
                "createCompany",
                "updateCompanyDetails",
                "createPackage",
                "deleteCompany",
            ]
            .iter()
            .any(|m| r.body.contains(m))
        })
        .map(|r| r.body.clone())
        .collect();
    assert!(writes.is_empty(), "{writes:?}");
    // The excluded and the untouched sites raise nothing.
    assert!(
        walk.open()
            .await
            .iter()
            .all(|(_, s)| s != &walk.excluded && s != &walk.existing && s != &walk.created)
    );
}

#[tokio::test]
async fn monitor_and_report_with_manual_handling_reports_the_synchronized_entities() {
    assert_reported_only(
        SyncLevel::MonitorAndReportSynchronized,
        EventHandling::Manual,
    )
    .await;
}

#[tokio::test]
async fn monitor_and_report_with_automatic_handling_still_never_acts() {
    assert_reported_only(
        SyncLevel::MonitorAndReportSynchronized,
        EventHandling::Automatic,
    )
    .await;
}

#[tokio::test]
async fn monitor_and_handle_with_manual_handling_leaves_the_events_to_the_user() {
    assert_reported_only(
        SyncLevel::MonitorAndHandleSynchronized,
        EventHandling::Manual,
    )
    .await;
}

#[tokio::test]
async fn monitor_and_handle_with_automatic_handling_runs_the_documents_automatic_actions_only() {
    let walk = walk().await;
    walk.fake
        .settings(
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Automatic,
        )
        .await;
    let report = walk.fake.pass().await;
    assert_eq!(report.steps_applied, 2, "{report:?}");
    // Source deleted is not in the document's automatic table: it waits for a user.
    assert_eq!(
        walk.open().await,
        BTreeSet::from([(SourceDeleted, walk.deleted_site.clone())])
    );
    // Moved back under the parent the association remembers: the root.
    let moved = walk.fake.company_of(&walk.moved).await.unwrap();
    assert_eq!(walk.parent_of(&moved), Some(walk.fake.gz.root_id()));
    // A new company for the site whose company was deleted, with package and link.
    let recreated = walk.fake.company_of(&walk.deleted_company).await.unwrap();
    assert_eq!(
        walk.fake.gz.company(&recreated).unwrap().name,
        walk.fake.site_name(&walk.deleted_company)
    );
    assert_eq!(walk.fake.gz.packages_of(&recreated).len(), 1);
    let link = walk
        .fake
        .variable(&walk.deleted_company, PACKAGE_LINK_VARIABLE)
        .unwrap();
    assert!(
        link.contains(&walk.fake.gz.packages_of(&recreated)[0].deployment_id),
        "{link}"
    );
    // The deleted site keeps its association until a user handles the event.
    assert!(walk.fake.company_of(&walk.deleted_site).await.is_some());
    // Unassociated sites are out of this level's scope.
    assert_eq!(walk.fake.company_of(&walk.named).await, None);
    // Each handled event's history ends resolved by the sync.
    let history = walk
        .fake
        .sync
        .event_history(&walk.fake.tenant)
        .await
        .unwrap();
    for record in history {
        let resolved = matches!(
            record.event.state,
            sync_core::gravityzone::EventState::Resolved { .. }
        );
        assert_eq!(
            resolved,
            record.event.id.kind != SourceDeleted,
            "{record:?}"
        );
    }
    // Nothing left to do; source deleted keeps coming back, open.
    let again = walk.fake.pass().await;
    assert!(again.plan.steps.is_empty());
    let kinds: Vec<EventKind> = again.plan.events.iter().map(|e| e.id.kind).collect();
    assert_eq!(kinds, [SourceDeleted]);
}

#[tokio::test]
async fn automatic_inventory_sync_with_manual_handling_reports_and_a_user_walks_every_action() {
    let walk = walk().await;
    walk.fake
        .settings(SyncLevel::AutomaticInventorySync, EventHandling::Manual)
        .await;
    let creates = walk.fake.gz.calls("createCompany");
    let report = walk.fake.pass().await;
    assert!(report.plan.steps.is_empty());
    let expected: BTreeSet<_> = walk
        .synchronized_events()
        .into_iter()
        .chain(walk.matching_events())
        .collect();
    assert_eq!(walk.open().await, expected);
    assert_eq!(walk.fake.gz.calls("createCompany"), creates);

    // Destination moved, primary: back under the root.
    walk.resolve(DestinationMoved, &walk.moved, EventAction::MoveBack)
        .await;
    let moved = walk.fake.company_of(&walk.moved).await.unwrap();
    assert_eq!(walk.parent_of(&moved), Some(walk.fake.gz.root_id()));
    // Destination deleted, the project's extra action: delete the association.
    walk.resolve(
        DestinationDeleted,
        &walk.deleted_company,
        EventAction::DeleteAssociation,
    )
    .await;
    assert_eq!(walk.fake.company_of(&walk.deleted_company).await, None);
    // Source deleted, primary: keep the company, delete the association.
    walk.resolve(
        SourceDeleted,
        &walk.deleted_site,
        EventAction::DeleteAssociation,
    )
    .await;
    assert_eq!(walk.fake.company_of(&walk.deleted_site).await, None);
    // Association missing, primary: associate with the company of the site's name.
    walk.resolve(AssociationMissing, &walk.named, EventAction::Associate)
        .await;
    let named_company = walk
        .company_named(&walk.fake.site_name(&walk.named))
        .unwrap();
    assert_eq!(walk.fake.company_of(&walk.named).await, Some(named_company));
    assert!(
        walk.fake
            .variable(&walk.named, PACKAGE_LINK_VARIABLE)
            .is_some()
    );
    // Association missing, the other primary: rename the company with the prefix, create a new
    // one with its previous name.
    let renamed_site = &walk.other_same_name[0];
    let renamed_name = walk.fake.site_name(renamed_site);
    let old_company = walk.company_named(&renamed_name).unwrap();
    walk.resolve(
        AssociationMissing,
        renamed_site,
        EventAction::RenameWithPrefixAndCreateNew,
    )
    .await;
    assert_eq!(
        walk.company_named(&format!("MSP {renamed_name}")),
        Some(old_company.clone())
    );
    let fresh = walk.company_named(&renamed_name).unwrap();
    assert_ne!(fresh, old_company);
    assert_eq!(walk.fake.company_of(renamed_site).await, Some(fresh));
    // Prefix-based association missing, primary: associate with the prefixed company.
    walk.resolve(
        PrefixBasedAssociationMissing,
        &walk.prefixed,
        EventAction::Associate,
    )
    .await;
    let prefixed_company = walk
        .company_named(&format!("MSP {}", walk.fake.site_name(&walk.prefixed)))
        .unwrap();
    assert_eq!(
        walk.fake.company_of(&walk.prefixed).await,
        Some(prefixed_company)
    );
    // Prefix-based association missing, the other primary: rename the prefixed company to the
    // site's name and associate the two (the company holding the endpoints; no new one).
    let (custom_site, custom_old) = walk.fake.seeded.prefixed[0].clone();
    walk.resolve(
        PrefixBasedAssociationMissing,
        &custom_site,
        EventAction::RenameToSiteNameAndAssociate,
    )
    .await;
    assert_eq!(
        walk.company_named(&walk.fake.site_name(&custom_site)),
        Some(custom_old.clone())
    );
    assert_eq!(walk.fake.company_of(&custom_site).await, Some(custom_old));
    // Association missing with a company under the sub-partner: associated where it is.
    let (resold_site, resold_company) = walk.fake.seeded.under_reseller[0].clone();
    walk.resolve(AssociationMissing, &resold_site, EventAction::Associate)
        .await;
    assert_eq!(
        walk.fake.company_of(&resold_site).await,
        Some(resold_company.clone())
    );
    assert_eq!(
        walk.parent_of(&resold_company),
        walk.fake.seeded.reseller_id
    );
    assert!(
        walk.fake
            .variable(&resold_site, PACKAGE_LINK_VARIABLE)
            .is_some()
    );
    // Ignore one: it returns at the next pass. The resolved ones never do.
    let (ignored_site, _) = walk.fake.seeded.prefixed[1].clone();
    let ignored = walk
        .event(PrefixBasedAssociationMissing, &ignored_site)
        .await;
    walk.fake
        .sync
        .ignore_event(&walk.fake.tenant, "bob", &ignored)
        .await
        .unwrap();
    assert!(
        !walk
            .open()
            .await
            .contains(&(PrefixBasedAssociationMissing, ignored_site.clone()))
    );
    walk.fake.pass().await;
    let open = walk.open().await;
    assert!(
        open.contains(&(PrefixBasedAssociationMissing, ignored_site.clone())),
        "{open:?}"
    );
    for resolved in [
        (DestinationMoved, walk.moved.clone()),
        (DestinationDeleted, walk.deleted_company.clone()),
        (SourceDeleted, walk.deleted_site.clone()),
        (AssociationMissing, walk.named.clone()),
        (AssociationMissing, renamed_site.clone()),
        (PrefixBasedAssociationMissing, walk.prefixed.clone()),
        (PrefixBasedAssociationMissing, custom_site.clone()),
        (AssociationMissing, resold_site.clone()),
    ] {
        assert!(
            !open.contains(&resolved),
            "{resolved:?} came back: {open:?}"
        );
    }
    // The history keeps who did what.
    let history = walk
        .fake
        .sync
        .event_history(&walk.fake.tenant)
        .await
        .unwrap();
    let moved_record = history
        .iter()
        .find(|r| r.event.id.kind == DestinationMoved)
        .unwrap();
    assert_eq!(
        moved_record.history.last().unwrap().changed_by,
        sync_store::ChangedBy::user("bob")
    );
}

#[tokio::test]
async fn automatic_inventory_sync_with_automatic_handling_resolves_what_it_can() {
    let walk = walk().await;
    walk.fake
        .settings(SyncLevel::AutomaticInventorySync, EventHandling::Automatic)
        .await;
    let report = walk.fake.pass().await;
    // Left to the user: the names taken by another partner's companies, and the deleted site
    // (source deleted is never handled automatically).
    let refused: BTreeSet<_> = walk
        .foreign_sites()
        .into_iter()
        .map(|s| (DestinationCreation, s))
        .collect();
    let mut expected = refused.clone();
    expected.insert((SourceDeleted, walk.deleted_site.clone()));
    assert_eq!(walk.open().await, expected, "{:?}", report.steps_failed);
    assert_eq!(report.steps_failed.len(), refused.len());
    // Matches associated with their companies.
    for site in walk.other_same_name.iter().chain([&walk.named]) {
        let company = walk.company_named(&walk.fake.site_name(site)).unwrap();
        assert_eq!(walk.fake.company_of(site).await, Some(company), "{site}");
    }
    for site in walk
        .fake
        .seeded
        .prefixed
        .iter()
        .map(|(s, _)| s)
        .chain([&walk.prefixed])
    {
        let company = walk
            .company_named(&format!("MSP {}", walk.fake.site_name(site)))
            .unwrap();
        assert_eq!(walk.fake.company_of(site).await, Some(company), "{site}");
    }
    // A site whose name a company under the sub-partner holds is associated with it.
    for (site, company) in &walk.fake.seeded.under_reseller {
        assert_eq!(
            walk.fake.company_of(site).await.as_ref(),
            Some(company),
            "{site}"
        );
    }
    // Every other site got a new company of its name, a package and a link.
    for site in &walk.other_without {
        let company = walk.fake.company_of(site).await.expect("associated");
        assert_eq!(
            walk.fake.gz.company(&company).unwrap().name,
            walk.fake.site_name(site)
        );
        assert_eq!(walk.fake.gz.packages_of(&company).len(), 1);
        assert!(walk.fake.variable(site, PACKAGE_LINK_VARIABLE).is_some());
    }
    assert_eq!(
        walk.parent_of(&walk.fake.company_of(&walk.moved).await.unwrap()),
        Some(walk.fake.gz.root_id())
    );
    assert!(walk.fake.company_of(&walk.deleted_site).await.is_some());
    assert!(walk.fake.company_of(&walk.excluded).await.is_none());

    // A second pass does not try the refused names again.
    let creates = walk.fake.gz.calls("createCompany");
    let again = walk.fake.pass().await;
    assert!(again.plan.steps.is_empty(), "{:?}", again.plan.steps);
    assert_eq!(walk.fake.gz.calls("createCompany"), creates);

    // Destination creation, primary with a custom name; secondary: exclude the site.
    let custom = format!("{} (Berlin)", walk.fake.site_name(&walk.collided));
    walk.resolve(
        DestinationCreation,
        &walk.collided,
        EventAction::CreateWithCustomName {
            name: custom.clone(),
        },
    )
    .await;
    assert_eq!(
        walk.fake.company_of(&walk.collided).await,
        walk.company_named(&custom)
    );
    let excluded = walk.fake.seeded.foreign[0].0.clone();
    walk.resolve(DestinationCreation, &excluded, EventAction::ExcludeSite)
        .await;
    walk.fake.pass().await;
    let open = walk.open().await;
    assert!(!open.contains(&(DestinationCreation, walk.collided.clone())));
    assert!(!open.contains(&(DestinationCreation, excluded.clone())));
    let page = walk
        .fake
        .sync
        .companies_page(&walk.fake.tenant, &walk.fake.connection)
        .await
        .unwrap();
    assert!(
        page.sites
            .iter()
            .any(|row| row.site.uid.as_str() == excluded && row.excluded)
    );
}
