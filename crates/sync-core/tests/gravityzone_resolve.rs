//! Resolving an event: the concrete actions of each kind's actions, and the refusals.

mod gravityzone_support;

use gravityzone_support::*;
use sync_core::gravityzone::{
    Action, Actor, Event, EventAction, EventActionKind, EventKind, InventorySnapshot, NameError,
    PrefixCreation, ResolveError, Settings, StoredState, TransitionError, resolve,
};

fn event(kind: EventKind, site: &str, company: Option<&str>) -> Event {
    open_event(kind, site, company, NOW)
}

fn run(
    event: &Event,
    action: EventAction,
    snap: &InventorySnapshot,
    state: &StoredState,
    settings: &Settings,
) -> Result<Vec<Action>, ResolveError> {
    resolve(event, &action, snap, state, settings)
}

fn prefixed() -> Settings {
    with_prefix(
        Settings::default(),
        "MSP",
        PrefixCreation::OnlyIfNameExists,
        true,
    )
}

// --- destination creation ---

#[test]
fn destination_creation_creates_the_users_name_and_associates_it() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = Event::destination_creation(sid("s1"), None, "Acme".into(), NOW);
    let actions = run(
        &e,
        EventAction::CreateWithCustomName {
            name: "  Acme (Berlin) ".into(),
        },
        &snap,
        &StoredState::default(),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(actions, create_and_associate("s1", "Acme (Berlin)"));
}

#[test]
fn destination_creation_for_a_site_whose_company_is_gone_deletes_that_association_first() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = Event::destination_creation(sid("s1"), None, "Acme".into(), NOW);
    let actions = run(
        &e,
        EventAction::CreateWithCustomName {
            name: "Acme 2".into(),
        },
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap();
    let mut expected = vec![Action::DeleteAssociation {
        site: sid("s1"),
        company: cid("c1"),
    }];
    expected.extend(create_and_associate("s1", "Acme 2"));
    assert_eq!(actions, expected);
}

#[test]
fn a_custom_name_a_known_company_has_is_refused() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c9", "ACME 2")]);
    let e = Event::destination_creation(sid("s1"), None, "Acme".into(), NOW);
    assert_eq!(
        run(
            &e,
            EventAction::CreateWithCustomName {
                name: "Acme 2".into()
            },
            &snap,
            &StoredState::default(),
            &Settings::default()
        ),
        Err(ResolveError::NameTaken("Acme 2".into()))
    );
}

#[test]
fn a_custom_name_gravityzone_refused_before_may_be_tried_again() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = Event::destination_creation(sid("s1"), None, "Acme".into(), NOW);
    let state = StoredState {
        events: vec![e.clone()],
        ..StoredState::default()
    };
    let actions = run(
        &e,
        EventAction::CreateWithCustomName {
            name: "Acme".into(),
        },
        &snap,
        &state,
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(actions, create_and_associate("s1", "Acme"));
}

#[test]
fn an_invalid_custom_name_is_refused() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = Event::destination_creation(sid("s1"), None, "Acme".into(), NOW);
    let cases = [
        ("  ".to_owned(), NameError::Empty),
        ("x".repeat(65), NameError::TooLong { chars: 65, max: 64 }),
    ];
    for (name, error) in cases {
        assert_eq!(
            run(
                &e,
                EventAction::CreateWithCustomName { name },
                &snap,
                &StoredState::default(),
                &Settings::default()
            ),
            Err(ResolveError::InvalidName(error))
        );
    }
}

#[test]
fn destination_creation_excludes_the_site() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = Event::destination_creation(sid("s1"), None, "Acme".into(), NOW);
    let actions = run(
        &e,
        EventAction::ExcludeSite,
        &snap,
        &StoredState::default(),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(actions, vec![Action::Exclude { site: sid("s1") }]);
}

// --- destination moved ---

#[test]
fn destination_moved_moves_the_company_back_under_the_parent_the_association_remembers() {
    let snap = snapshot_with_reseller(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let e = event(EventKind::DestinationMoved, "s1", Some("c1"));
    let mut state = StoredState::default();
    state.associations.push(
        sync_core::gravityzone::Association::new(sid("s1"), cid("c1")).remembering(
            reseller(),
            "Acme",
            "Acme",
        ),
    );
    let actions = run(
        &e,
        EventAction::MoveBack,
        &snap,
        &state,
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(
        actions,
        vec![Action::MoveCompany {
            company: cid("c1"),
            parent: reseller()
        }]
    );
}

#[test]
fn destination_moved_moves_a_company_of_an_older_association_back_under_the_root() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    let e = event(EventKind::DestinationMoved, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::MoveBack,
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(
        actions,
        vec![Action::MoveCompany {
            company: cid("c1"),
            parent: root()
        }]
    );
}

#[test]
fn moving_back_a_company_already_under_the_root_does_nothing() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let e = event(EventKind::DestinationMoved, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::MoveBack,
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap();
    assert!(actions.is_empty());
}

#[test]
fn moving_back_a_company_that_is_gone_is_refused() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = event(EventKind::DestinationMoved, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::MoveBack,
            &snap,
            &associated(&[("s1", "c1")]),
            &Settings::default()
        ),
        Err(ResolveError::CompanyUnavailable)
    );
}

#[test]
fn destination_moved_and_deleted_can_delete_the_association() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    for kind in [EventKind::DestinationMoved, EventKind::DestinationDeleted] {
        let e = event(kind, "s1", Some("c1"));
        let actions = run(
            &e,
            EventAction::DeleteAssociation,
            &snap,
            &associated(&[("s1", "c1")]),
            &Settings::default(),
        )
        .unwrap();
        assert_eq!(
            actions,
            vec![Action::DeleteAssociation {
                site: sid("s1"),
                company: cid("c1")
            }]
        );
    }
}

#[test]
fn deleting_an_association_that_no_longer_exists_is_refused() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    let e = event(EventKind::DestinationMoved, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::DeleteAssociation,
            &snap,
            &StoredState::default(),
            &Settings::default()
        ),
        Err(ResolveError::AssociationNotFound {
            site: sid("s1"),
            site_name: Some("Acme".into()),
            company: cid("c1"),
            company_name: Some("Acme".into()),
        })
    );
}

// --- destination deleted ---

#[test]
fn destination_deleted_recreates_the_company_with_the_sites_name_without_prefix() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = event(EventKind::DestinationDeleted, "s1", Some("c1"));
    let settings = with_prefix(Settings::default(), "MSP", PrefixCreation::Always, true);
    let actions = run(
        &e,
        EventAction::CreateNewCompany { name: None },
        &snap,
        &associated(&[("s1", "c1")]),
        &settings,
    )
    .unwrap();
    let mut expected = vec![Action::DeleteAssociation {
        site: sid("s1"),
        company: cid("c1"),
    }];
    expected.extend(create_and_associate("s1", "Acme"));
    assert_eq!(actions, expected);
}

#[test]
fn destination_deleted_creates_a_company_with_the_users_name() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let e = event(EventKind::DestinationDeleted, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::CreateNewCompany {
            name: Some("Acme AG".into()),
        },
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(actions[1..], create_and_associate("s1", "Acme AG")[..]);
}

#[test]
fn destination_deleted_when_the_sites_name_is_taken_is_refused_naming_it() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "x")],
        vec![company("c2", "Acme")],
    );
    let e = event(EventKind::DestinationDeleted, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::CreateNewCompany { name: None },
            &snap,
            &associated(&[("s1", "c1"), ("s2", "c2")]),
            &prefixed()
        ),
        Err(ResolveError::NameTaken("Acme".into()))
    );
}

#[test]
fn creating_for_a_site_whose_company_still_exists_is_refused() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let e = event(EventKind::DestinationDeleted, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::CreateNewCompany {
                name: Some("Other".into())
            },
            &snap,
            &associated(&[("s1", "c1")]),
            &Settings::default()
        ),
        Err(ResolveError::SiteAlreadyAssociated {
            site: sid("s1"),
            site_name: Some("Acme".into()),
            company: cid("c1"),
            company_name: Some("Acme".into()),
        })
    );
}

#[test]
fn creating_for_an_excluded_or_ondemand_site_is_refused() {
    let e = event(EventKind::DestinationDeleted, "s1", Some("c1"));
    let excluded = with_exclusions(associated(&[("s1", "c1")]), &["s1"]);
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    assert_eq!(
        run(
            &e,
            EventAction::CreateNewCompany { name: None },
            &snap,
            &excluded,
            &Settings::default()
        ),
        Err(ResolveError::SiteUnavailable {
            site: sid("s1"),
            name: Some("Acme".into()),
        })
    );
    let ondemand = snapshot(vec![ondemand_site("s1", "Acme")], vec![]);
    assert_eq!(
        run(
            &e,
            EventAction::CreateNewCompany { name: None },
            &ondemand,
            &associated(&[("s1", "c1")]),
            &Settings::default()
        ),
        Err(ResolveError::SiteUnavailable {
            site: sid("s1"),
            name: Some("Acme".into()),
        })
    );
}

// --- association missing ---

#[test]
fn association_missing_associates_the_site_with_the_company() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::Associate,
        &snap,
        &StoredState::default(),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(actions, associate_existing("s1", "c1"));
}

#[test]
fn association_missing_renames_the_company_with_the_prefix_and_creates_a_new_one() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::RenameWithPrefixAndCreateNew,
        &snap,
        &StoredState::default(),
        &prefixed(),
    )
    .unwrap();
    let mut expected = vec![Action::RenameCompany {
        company: cid("c1"),
        name: "MSP Acme".into(),
    }];
    expected.extend(create_and_associate("s1", "Acme"));
    assert_eq!(actions, expected);
}

#[test]
fn renaming_with_the_prefix_needs_a_prefix() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::RenameWithPrefixAndCreateNew,
            &snap,
            &StoredState::default(),
            &Settings::default()
        ),
        Err(ResolveError::PrefixNotSet)
    );
}

#[test]
fn renaming_with_the_prefix_to_a_taken_name_is_refused() {
    let snap = snapshot(
        vec![site("s1", "Acme")],
        vec![company("c1", "Acme"), company("c2", "MSP Acme")],
    );
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::RenameWithPrefixAndCreateNew,
            &snap,
            &StoredState::default(),
            &prefixed()
        ),
        Err(ResolveError::NameTaken("MSP Acme".into()))
    );
}

#[test]
fn associating_a_company_that_serves_another_site_or_was_moved_is_refused() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "Acme Old")],
        vec![company("c1", "Acme"), moved_company("c3", "Acme")],
    );
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::Associate,
            &snap,
            &associated(&[("s2", "c1")]),
            &Settings::default()
        ),
        Err(ResolveError::CompanyNotFree {
            company: cid("c1"),
            name: Some("Acme".into()),
        })
    );
    let e = event(EventKind::AssociationMissing, "s1", Some("c3"));
    assert_eq!(
        run(
            &e,
            EventAction::Associate,
            &snap,
            &StoredState::default(),
            &Settings::default()
        ),
        Err(ResolveError::CompanyNotFree {
            company: cid("c3"),
            name: Some("Acme".into()),
        })
    );
}

#[test]
fn associating_a_site_that_already_has_a_company_is_refused() {
    let snap = snapshot(
        vec![site("s1", "Acme")],
        vec![company("c1", "Acme"), company("c2", "Acme 2")],
    );
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::Associate,
            &snap,
            &associated(&[("s1", "c2")]),
            &Settings::default()
        ),
        Err(ResolveError::SiteAlreadyAssociated {
            site: sid("s1"),
            site_name: Some("Acme".into()),
            company: cid("c2"),
            company_name: Some("Acme 2".into()),
        })
    );
}

#[test]
fn a_refusal_names_the_site_and_company_a_deleted_site_by_the_name_its_event_remembers() {
    let snap = snapshot(vec![site("s1", "Zürich")], vec![company("c2", "Müller AG")]);
    let e = event(EventKind::AssociationMissing, "s1", Some("c1"));
    let refused = run(
        &e,
        EventAction::RenameToSiteNameAndAssociate,
        &snap,
        &associated(&[("s1", "c2")]),
        &Settings::default(),
    )
    .unwrap_err();
    assert!(!refused.to_string().contains("s1"), "{refused}");
    let gone = Event::open(
        id(EventKind::DestinationDeleted, "s9", Some("c1")),
        Some("Old Site".into()),
        Some("Old Company".into()),
        NOW,
    );
    let refused = run(
        &gone,
        EventAction::DeleteAssociation,
        &snap,
        &StoredState::default(),
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "site \"Old Site\" is no longer associated with company \"Old Company\""
    );
    let unavailable = run(
        &gone,
        EventAction::CreateNewCompany { name: None },
        &snap,
        &StoredState::default(),
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(
        unavailable.to_string(),
        "site \"Old Site\" cannot be synced (gone, OnDemand, a system site or excluded)"
    );
}

#[test]
fn a_refusal_names_a_deleted_company_by_the_name_its_association_remembers() {
    // s1's company c1 was deleted in GravityZone; the association remembers its name, the
    // event about c2 knows nothing of c1.
    let snap = snapshot(vec![site("s1", "Zürich")], vec![company("c2", "Zürich AG")]);
    let mut state = StoredState::default();
    state.associations.push(
        sync_core::gravityzone::Association::new(sid("s1"), cid("c1")).remembering(
            root(),
            "Zürich",
            "Müller AG",
        ),
    );
    let e = event(EventKind::AssociationMissing, "s1", Some("c2"));
    let refused = run(
        &e,
        EventAction::Associate,
        &snap,
        &state,
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(
        refused,
        ResolveError::SiteAlreadyAssociated {
            site: sid("s1"),
            site_name: Some("Zürich".into()),
            company: cid("c1"),
            company_name: Some("Müller AG".into()),
        }
    );
    assert!(
        refused.to_string().contains("company \"Müller AG\""),
        "{refused}"
    );
    assert!(!refused.to_string().contains("c1"), "{refused}");

    // Stored before company names were remembered: the id is all there is.
    let refused = run(
        &e,
        EventAction::Associate,
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap_err();
    assert!(refused.to_string().contains("company c1"), "{refused}");
}

// --- prefix-based association missing ---

#[test]
fn prefix_based_association_missing_associates_the_prefixed_company() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "MSP Acme")]);
    let e = event(EventKind::PrefixBasedAssociationMissing, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::Associate,
        &snap,
        &StoredState::default(),
        &prefixed(),
    )
    .unwrap();
    assert_eq!(actions, associate_existing("s1", "c1"));
}

#[test]
fn prefix_based_association_missing_renames_the_company_to_the_sites_name_and_associates_it() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "MSP Acme")]);
    let e = event(EventKind::PrefixBasedAssociationMissing, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::RenameToSiteNameAndAssociate,
        &snap,
        &StoredState::default(),
        &prefixed(),
    )
    .unwrap();
    let mut expected = vec![Action::RenameCompany {
        company: cid("c1"),
        name: "Acme".into(),
    }];
    // The company that holds the customer's endpoints is the one associated: no new company.
    // The association remembers the company's name after the rename.
    expected.extend(associate_existing_named("s1", "c1", "Acme"));
    assert_eq!(actions, expected);
    assert!(
        !actions
            .iter()
            .any(|a| matches!(a, Action::CreateCompany { .. }))
    );
}

#[test]
fn renaming_to_the_sites_name_when_another_company_has_it_is_refused() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "Other")],
        vec![company("c1", "MSP Acme"), company("c2", "ACME")],
    );
    let e = event(EventKind::PrefixBasedAssociationMissing, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::RenameToSiteNameAndAssociate,
            &snap,
            &associated(&[("s2", "c2")]),
            &prefixed()
        ),
        Err(ResolveError::NameTaken("Acme".into()))
    );
}

// --- source deleted ---

#[test]
fn source_deleted_keeps_the_company_and_deletes_the_association() {
    let snap = snapshot(vec![], vec![company("c1", "Acme")]);
    let e = event(EventKind::SourceDeleted, "s1", Some("c1"));
    let actions = run(
        &e,
        EventAction::DeleteAssociation,
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(
        actions,
        vec![Action::DeleteAssociation {
            site: sid("s1"),
            company: cid("c1")
        }]
    );
}

fn delete_company(force: bool, endpoints: Option<u64>) -> Result<Vec<Action>, ResolveError> {
    let mut snap = snapshot(vec![], vec![company("c1", "Acme")]);
    if let Some(count) = endpoints {
        snap = snap.with_endpoint_count(cid("c1"), count);
    }
    run(
        &event(EventKind::SourceDeleted, "s1", Some("c1")),
        EventAction::DeleteCompanyAndAssociation { force },
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
}

#[test]
fn source_deleted_deletes_an_empty_company_with_the_association() {
    let expected = vec![
        Action::DeleteAssociation {
            site: sid("s1"),
            company: cid("c1"),
        },
        Action::DeleteCompany {
            company: cid("c1"),
            endpoints: 0,
        },
    ];
    assert_eq!(delete_company(false, Some(0)), Ok(expected));
}

#[test]
fn deleting_a_company_that_holds_endpoints_is_refused_unless_forced() {
    let refused = delete_company(false, Some(7));
    assert_eq!(
        refused,
        Err(ResolveError::CompanyHasEndpoints {
            company: cid("c1"),
            name: "Acme".into(),
            count: 7
        })
    );
    // The message names the company by its name, not its id.
    assert_eq!(
        refused.unwrap_err().to_string(),
        "company \"Acme\" still holds 7 endpoint(s); force the deletion to delete it"
    );
    let forced = delete_company(true, Some(7)).unwrap();
    assert_eq!(
        forced.last(),
        Some(&Action::DeleteCompany {
            company: cid("c1"),
            endpoints: 7
        })
    );
}

#[test]
fn a_company_whose_endpoints_were_not_counted_is_not_deleted() {
    for force in [false, true] {
        assert_eq!(
            delete_company(force, None),
            Err(ResolveError::EndpointCountUnknown {
                company: cid("c1"),
                name: "Acme".into()
            })
        );
    }
}

#[test]
fn deleting_the_company_of_a_source_deleted_event_whose_company_is_gone_only_deletes_the_association()
 {
    let snap = snapshot(vec![], vec![]);
    let actions = run(
        &event(EventKind::SourceDeleted, "s1", Some("c1")),
        EventAction::DeleteCompanyAndAssociation { force: false },
        &snap,
        &associated(&[("s1", "c1")]),
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(
        actions,
        vec![Action::DeleteAssociation {
            site: sid("s1"),
            company: cid("c1")
        }]
    );
}

// --- the state machine guards resolve ---

#[test]
fn an_action_the_kind_does_not_offer_is_refused() {
    let snap = snapshot(vec![], vec![company("c1", "Acme")]);
    let e = event(EventKind::SourceDeleted, "s1", Some("c1"));
    assert_eq!(
        run(
            &e,
            EventAction::Associate,
            &snap,
            &associated(&[("s1", "c1")]),
            &Settings::default()
        ),
        Err(ResolveError::Transition(
            TransitionError::ActionNotOffered {
                kind: EventKind::SourceDeleted,
                action: EventActionKind::Associate
            }
        ))
    );
}

#[test]
fn an_event_that_is_not_open_cannot_be_resolved() {
    let snap = snapshot(vec![], vec![company("c1", "Acme")]);
    let e = event(EventKind::SourceDeleted, "s1", Some("c1"))
        .resolve(EventAction::DeleteAssociation, Actor::User, NOW)
        .unwrap();
    assert_eq!(
        run(
            &e,
            EventAction::DeleteAssociation,
            &snap,
            &associated(&[("s1", "c1")]),
            &Settings::default()
        ),
        Err(ResolveError::Transition(TransitionError::NotOpen))
    );
}

#[test]
fn resolving_then_applying_makes_the_discrepancy_go_away() {
    use sync_core::gravityzone::{apply, plan};
    let mut snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let mut state = StoredState::default();
    let settings = with_prefix(
        settings(
            sync_core::gravityzone::SyncLevel::AutomaticInventorySync,
            sync_core::gravityzone::EventHandling::Manual,
        ),
        "MSP",
        PrefixCreation::Never,
        false,
    );
    let first = plan(&snap, &state, &settings, NOW);
    let e = first.events[0].clone();
    let actions = resolve(
        &e,
        &EventAction::RenameWithPrefixAndCreateNew,
        &snap,
        &state,
        &settings,
    )
    .unwrap();
    apply(&mut snap, &mut state, &actions).unwrap();
    state.events = vec![
        e.resolve(EventAction::RenameWithPrefixAndCreateNew, Actor::User, NOW)
            .unwrap(),
    ];
    let second = plan(&snap, &state, &settings, NOW + 1);
    assert!(second.events.is_empty());
    assert!(second.has_no_actions());
}
