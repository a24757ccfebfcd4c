//! Cases on the GravityZone flow's state: settings, associations, exclusions, events.

use sync_core::gravityzone::{
    Actor, CompanyId, EventAction, EventHandling, EventId, EventKind, EventState, Settings,
    SiteUid, SyncLevel,
};

use super::{Fixture, at, tenant_a};
use crate::{
    AssociationMethod, AssociationRecord, Change, ChangedBy, ExclusionRecord, GravityZoneChange,
    RecordKind, Store, StoreError, TenantId,
};

fn site(uid: &str) -> SiteUid {
    SiteUid::new(uid)
}

fn company(id: &str) -> CompanyId {
    CompanyId::new(id)
}

pub(super) fn association(site_uid: &str, company_id: &str) -> AssociationRecord {
    AssociationRecord::new(
        site(site_uid),
        company(company_id),
        AssociationMethod::MappedToExisting,
        ChangedBy::user("alice@msp.example"),
        at(20),
    )
}

/// Applies `changes` at the tenant's current version.
pub(super) async fn write<S: Store + ?Sized>(
    store: &S,
    tenant: &TenantId,
    changes: Vec<GravityZoneChange>,
) -> Result<crate::Version, StoreError> {
    let version = store.version(tenant).await?;
    let changes: Vec<Change> = changes.into_iter().map(Change::from).collect();
    store.apply(tenant, version, &changes).await
}

pub(super) fn open_event(
    kind: EventKind,
    site_uid: &str,
    company_id: Option<&str>,
) -> sync_core::gravityzone::Event {
    sync_core::gravityzone::Event::open(
        EventId::new(kind, site(site_uid), company_id.map(company)),
        Some(format!("Site {site_uid}")),
        company_id.map(|c| format!("Company {c}")),
        at(30).timestamp_millis(),
    )
}

/// Settings read back as saved, replacing the previous ones; none before the first save.
pub async fn gravityzone_settings_round_trip<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    assert_eq!(store.state(&t).await.unwrap().gravityzone.settings, None);
    let mut settings = Settings {
        level: SyncLevel::AutomaticInventorySync,
        handling: EventHandling::Automatic,
        ..Settings::default()
    };
    settings.prefix.text = "MSP".into();
    settings.prefix.use_for_association = true;
    settings.package.modules.firewall = false;
    settings.package.remove_competitors = false;
    write(
        store,
        &t,
        vec![GravityZoneChange::SaveSettings(Settings::default())],
    )
    .await
    .unwrap();
    write(
        store,
        &t,
        vec![GravityZoneChange::SaveSettings(settings.clone())],
    )
    .await
    .unwrap();
    let gz = store.state(&t).await.unwrap().gravityzone;
    assert_eq!(gz.settings, Some(settings.clone()));
    assert_eq!(gz.settings_or_default(), settings);
}

/// An association keeps its site, company, method, author and time, then its package.
pub async fn association_round_trips_with_its_package<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let mut made = AssociationRecord::new(
        site("site-2"),
        company("65a0c0ffee0000000000aaaa"),
        AssociationMethod::MatchedByPrefixedName,
        ChangedBy::Sync,
        at(21),
    );
    // What the association remembers: the company's parent and the site's name (issue #16),
    // the company's name (issue #20).
    made.association = made.association.clone().remembering(
        company("65a0c0ffee00000000000001"),
        "Müller & Söhne GmbH",
        "MSP Müller & Söhne — Zürich \u{202e}🦀",
    );
    write(
        store,
        &t,
        vec![
            GravityZoneChange::Associate(made.clone()),
            GravityZoneChange::Associate(association("site-1", "company-1")),
        ],
    )
    .await
    .unwrap();
    let link = "https://cloud.gravityzone.bitdefender.com/Packages/BSTWIN/0/setupdownloader_[aHR0cHM6Ly9jbG91ZA==].exe";
    write(
        store,
        &t,
        vec![GravityZoneChange::SetPackage {
            site: site("site-2"),
            package_id: Some("pkg-77".into()),
            package_link: Some(link.into()),
        }],
    )
    .await
    .unwrap();
    let gz = store.state(&t).await.unwrap().gravityzone;
    let sites: Vec<_> = gz.associations.iter().map(|a| a.site().as_str()).collect();
    assert_eq!(sites, ["site-1", "site-2"]);
    let stored = gz.association_of(&site("site-2")).unwrap();
    assert_eq!(
        stored,
        &AssociationRecord {
            package_id: Some("pkg-77".into()),
            package_link: Some(link.into()),
            ..made
        }
    );
    assert_eq!(
        stored.association.company_name.as_deref(),
        Some("MSP Müller & Söhne — Zürich \u{202e}🦀")
    );
    // An association made without names reads back remembering none.
    let unnamed = gz.association_of(&site("site-1")).unwrap();
    assert_eq!(unnamed, &association("site-1", "company-1"));
    assert_eq!(
        (
            &unnamed.association.site_name,
            &unnamed.association.company_name
        ),
        (&None, &None)
    );
    let planner_view = gz.stored_state();
    assert_eq!(
        planner_view.company_of(&site("site-2")),
        Some(&company("65a0c0ffee0000000000aaaa"))
    );
    assert_eq!(
        planner_view.site_of(&company("company-1")),
        Some(&site("site-1"))
    );
}

/// One company per site and one site per company: a second one is refused, and its batch
/// leaves nothing behind.
pub async fn site_has_one_company_and_company_serves_one_site<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    write(
        store,
        &t,
        vec![GravityZoneChange::Associate(association(
            "site-1",
            "company-1",
        ))],
    )
    .await
    .unwrap();
    let before = store.state(&t).await.unwrap();
    for second in [
        association("site-1", "company-2"),
        association("site-2", "company-1"),
    ] {
        let err = write(
            store,
            &t,
            vec![
                GravityZoneChange::Exclude(ExclusionRecord::new(
                    site("site-9"),
                    ChangedBy::Sync,
                    at(1),
                )),
                GravityZoneChange::Associate(second),
            ],
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Duplicate {
                    kind: RecordKind::Association,
                    ..
                }
            ),
            "{err}"
        );
    }
    assert_eq!(store.state(&t).await.unwrap(), before);
}

/// The names an association remembers are refreshed as a pass sees them, one at a time, only
/// for the site ↔ company pair it is; the rest of the record stays.
pub async fn an_association_remembers_the_names_a_pass_last_saw<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let mut made = association("site-1", "company-1");
    made.association = made
        .association
        .clone()
        .remembering(company("root"), "Zürich", "Müller AG");
    made.package_id = Some("pkg-1".into());
    write(store, &t, vec![GravityZoneChange::Associate(made.clone())])
        .await
        .unwrap();
    let rename = |site_name: Option<&str>, company_name: Option<&str>, of: &str| {
        GravityZoneChange::RememberNames {
            site: site("site-1"),
            company: company(of),
            site_name: site_name.map(str::to_owned),
            company_name: company_name.map(str::to_owned),
        }
    };
    // The company renamed in GravityZone; the site's remembered name is kept.
    write(
        store,
        &t,
        vec![rename(None, Some("Müller & Söhne AG 🦀"), "company-1")],
    )
    .await
    .unwrap();
    // The site renamed in Datto RMM.
    write(
        store,
        &t,
        vec![rename(Some("Zürich Nord"), None, "company-1")],
    )
    .await
    .unwrap();
    let gz = store.state(&t).await.unwrap().gravityzone;
    let stored = gz.association_of(&site("site-1")).unwrap();
    let mut expected = made.clone();
    expected.association.site_name = Some("Zürich Nord".into());
    expected.association.company_name = Some("Müller & Söhne AG 🦀".into());
    assert_eq!(stored, &expected);
    // Another company, or a site without association: nothing to refresh, nothing written.
    let before = store.state(&t).await.unwrap();
    for wrong in [
        rename(Some("x"), Some("y"), "company-2"),
        GravityZoneChange::RememberNames {
            site: site("site-9"),
            company: company("company-1"),
            site_name: None,
            company_name: Some("y".into()),
        },
    ] {
        assert!(matches!(
            write(store, &t, vec![wrong]).await,
            Err(StoreError::NotFound {
                kind: RecordKind::Association,
                ..
            })
        ));
    }
    assert_eq!(store.state(&t).await.unwrap(), before);
}

/// An association is deleted only as the site ↔ company pair it is.
pub async fn deleting_an_association_needs_its_company<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    write(
        store,
        &t,
        vec![GravityZoneChange::Associate(association(
            "site-1",
            "company-1",
        ))],
    )
    .await
    .unwrap();
    let wrong = GravityZoneChange::DeleteAssociation {
        site: site("site-1"),
        company: company("company-2"),
    };
    assert!(matches!(
        write(store, &t, vec![wrong]).await,
        Err(StoreError::NotFound {
            kind: RecordKind::Association,
            ..
        })
    ));
    let right = GravityZoneChange::DeleteAssociation {
        site: site("site-1"),
        company: company("company-1"),
    };
    write(store, &t, vec![right.clone()]).await.unwrap();
    assert!(
        store
            .state(&t)
            .await
            .unwrap()
            .gravityzone
            .associations
            .is_empty()
    );
    assert!(write(store, &t, vec![right]).await.is_err());
    // The company is free again.
    write(
        store,
        &t,
        vec![GravityZoneChange::Associate(association(
            "site-2",
            "company-1",
        ))],
    )
    .await
    .unwrap();
    let missing_package = GravityZoneChange::SetPackage {
        site: site("site-1"),
        package_id: None,
        package_link: None,
    };
    assert!(matches!(
        write(store, &t, vec![missing_package]).await,
        Err(StoreError::NotFound {
            kind: RecordKind::Association,
            ..
        })
    ));
}

/// Exclusions keep author and time; a site is excluded once and included only when excluded.
pub async fn exclusions_round_trip<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let by_user = ExclusionRecord::new(site("site-b"), ChangedBy::user("bob"), at(40));
    let by_sync = ExclusionRecord::new(site("site-a"), ChangedBy::Sync, at(41));
    write(
        store,
        &t,
        vec![
            GravityZoneChange::Exclude(by_user.clone()),
            GravityZoneChange::Exclude(by_sync.clone()),
        ],
    )
    .await
    .unwrap();
    let gz = store.state(&t).await.unwrap().gravityzone;
    assert_eq!(gz.exclusions, [by_sync, by_user.clone()]);
    assert!(gz.stored_state().is_excluded(&site("site-a")));
    assert!(matches!(
        write(store, &t, vec![GravityZoneChange::Exclude(by_user)]).await,
        Err(StoreError::Duplicate {
            kind: RecordKind::Exclusion,
            ..
        })
    ));
    write(
        store,
        &t,
        vec![GravityZoneChange::Include {
            site: site("site-a"),
        }],
    )
    .await
    .unwrap();
    assert!(matches!(
        write(
            store,
            &t,
            vec![GravityZoneChange::Include {
                site: site("site-a")
            }]
        )
        .await,
        Err(StoreError::NotFound {
            kind: RecordKind::Exclusion,
            ..
        })
    ));
    let gz = store.state(&t).await.unwrap().gravityzone;
    assert_eq!(gz.exclusions.len(), 1);
    assert!(!gz.stored_state().is_excluded(&site("site-a")));
}

/// An event keeps every state it entered, with who changed it and when; storing it again in the
/// same state adds nothing.
pub async fn event_round_trips_with_its_state_history<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let put = |event: &sync_core::gravityzone::Event, by: ChangedBy, secs: i64| {
        GravityZoneChange::PutEvent {
            event: event.clone(),
            changed_by: by,
            changed_at: at(secs),
        }
    };
    let raised = open_event(EventKind::DestinationDeleted, "site-1", Some("company-1"));
    let ignored = raised.ignore(at(35).timestamp_millis()).unwrap();
    let again = sync_core::gravityzone::Event {
        generated_at_ms: at(90).timestamp_millis(),
        state: EventState::Open,
        ..raised.clone()
    };
    let resolved = again
        .resolve(
            EventAction::CreateNewCompany {
                name: Some("Acme Corp (new)".into()),
            },
            Actor::User,
            at(95).timestamp_millis(),
        )
        .unwrap();
    write(store, &t, vec![put(&raised, ChangedBy::Sync, 30)])
        .await
        .unwrap();
    write(store, &t, vec![put(&raised, ChangedBy::Sync, 31)])
        .await
        .unwrap();
    write(store, &t, vec![put(&ignored, ChangedBy::user("carol"), 35)])
        .await
        .unwrap();
    write(store, &t, vec![put(&again, ChangedBy::Sync, 90)])
        .await
        .unwrap();
    write(
        store,
        &t,
        vec![put(&resolved, ChangedBy::user("carol"), 95)],
    )
    .await
    .unwrap();

    let gz = store.state(&t).await.unwrap().gravityzone;
    let record = gz.event(&raised.id).unwrap();
    assert_eq!(record.event, resolved);
    let history: Vec<_> = record
        .history
        .iter()
        .map(|c| (c.state.clone(), c.changed_by.clone(), c.changed_at))
        .collect();
    assert_eq!(
        history,
        [
            (EventState::Open, ChangedBy::Sync, at(30)),
            (ignored.state.clone(), ChangedBy::user("carol"), at(35)),
            (EventState::Open, ChangedBy::Sync, at(90)),
            (resolved.state.clone(), ChangedBy::user("carol"), at(95)),
        ]
    );
}

/// Events are one per identity: kind, site and company (none for destination creation).
pub async fn events_are_kept_one_per_identity<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let creation = sync_core::gravityzone::Event::destination_creation(
        site("site-1"),
        Some("Acme".into()),
        "Acme".into(),
        at(1).timestamp_millis(),
    );
    let events = [
        creation.clone(),
        open_event(EventKind::AssociationMissing, "site-1", Some("company-1")),
        open_event(EventKind::AssociationMissing, "site-1", Some("company-2")),
        open_event(EventKind::SourceDeleted, "site-1", Some("company-1")),
    ];
    let changes = events
        .iter()
        .map(|event| GravityZoneChange::PutEvent {
            event: event.clone(),
            changed_by: ChangedBy::Sync,
            changed_at: at(2),
        })
        .collect();
    write(store, &t, changes).await.unwrap();
    let gz = store.state(&t).await.unwrap().gravityzone;
    let mut expected: Vec<_> = events.iter().map(|e| e.id.clone()).collect();
    expected.sort();
    let ids: Vec<_> = gz.events.iter().map(|r| r.id().clone()).collect();
    assert_eq!(ids, expected);
    assert_eq!(gz.event(&creation.id).unwrap().event, creation);
    assert_eq!(gz.stored_state().events.len(), 4);
}

/// Removing an event removes its history; storing it again starts a new history.
pub async fn removing_an_event_drops_its_history<F: Fixture>(fixture: &mut F) {
    let store = fixture.store();
    let t = tenant_a();
    let raised = open_event(EventKind::SourceDeleted, "site-1", Some("company-1"));
    let ignored = raised.ignore(at(40).timestamp_millis()).unwrap();
    let put = |event: &sync_core::gravityzone::Event| GravityZoneChange::PutEvent {
        event: event.clone(),
        changed_by: ChangedBy::Sync,
        changed_at: at(50),
    };
    write(store, &t, vec![put(&raised), put(&ignored)])
        .await
        .unwrap();
    assert_eq!(
        store.state(&t).await.unwrap().gravityzone.events[0]
            .history
            .len(),
        2
    );
    let remove = GravityZoneChange::RemoveEvent {
        id: raised.id.clone(),
    };
    write(store, &t, vec![remove.clone()]).await.unwrap();
    assert!(store.state(&t).await.unwrap().gravityzone.events.is_empty());
    assert!(matches!(
        write(store, &t, vec![remove]).await,
        Err(StoreError::NotFound {
            kind: RecordKind::Event,
            ..
        })
    ));
    write(store, &t, vec![put(&raised)]).await.unwrap();
    assert_eq!(
        store.state(&t).await.unwrap().gravityzone.events[0]
            .history
            .len(),
        1
    );
}
