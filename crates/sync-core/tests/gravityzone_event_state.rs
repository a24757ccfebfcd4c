//! The event state machine and each kind's actions, as the product's table lists them.

use sync_core::gravityzone::{
    ActionRole, Actor, CompanyId, Event, EventAction, EventActionKind, EventId, EventKind,
    EventState, Resolution, SiteUid, TransitionError,
};

fn open_event(kind: EventKind) -> Event {
    let company = (kind != EventKind::DestinationCreation).then(|| CompanyId::new("c1"));
    Event::open(
        EventId::new(kind, SiteUid::new("s1"), company),
        Some("Acme".into()),
        Some("Acme".into()),
        1_000,
    )
}

const ALL_KINDS: [EventKind; 6] = [
    EventKind::DestinationCreation,
    EventKind::DestinationMoved,
    EventKind::DestinationDeleted,
    EventKind::AssociationMissing,
    EventKind::PrefixBasedAssociationMissing,
    EventKind::SourceDeleted,
];

#[test]
fn each_kind_offers_exactly_the_actions_of_the_document_then_ignore_then_the_extras() {
    use ActionRole::{Extra, Primary, Secondary};
    use EventActionKind as A;
    let table: [(EventKind, &[(A, ActionRole)]); 6] = [
        (
            EventKind::DestinationCreation,
            &[
                (A::CreateWithCustomName, Primary),
                (A::Ignore, Secondary),
                (A::ExcludeSite, Extra),
            ],
        ),
        (
            EventKind::DestinationMoved,
            &[
                (A::MoveBack, Primary),
                (A::Ignore, Secondary),
                (A::DeleteAssociation, Extra),
            ],
        ),
        (
            EventKind::DestinationDeleted,
            &[
                (A::CreateNewCompany, Primary),
                (A::Ignore, Secondary),
                (A::DeleteAssociation, Extra),
            ],
        ),
        (
            EventKind::AssociationMissing,
            &[
                (A::Associate, Primary),
                (A::RenameWithPrefixAndCreateNew, Primary),
                (A::Ignore, Secondary),
            ],
        ),
        (
            EventKind::PrefixBasedAssociationMissing,
            &[
                (A::Associate, Primary),
                (A::RenameToSiteNameAndAssociate, Primary),
                (A::Ignore, Secondary),
            ],
        ),
        (
            EventKind::SourceDeleted,
            &[
                (A::DeleteCompanyAndAssociation, Primary),
                (A::DeleteAssociation, Primary),
                (A::Ignore, Secondary),
            ],
        ),
    ];
    for (kind, expected) in table {
        let offered: Vec<_> = kind
            .offered_actions()
            .iter()
            .map(|o| (o.action, o.role))
            .collect();
        assert_eq!(offered, expected, "{kind:?}");
    }
}

#[test]
fn the_secondary_action_is_always_ignore_and_only_ignore() {
    for kind in ALL_KINDS {
        let secondary: Vec<_> = kind
            .offered_actions()
            .iter()
            .filter(|o| o.role == ActionRole::Secondary)
            .map(|o| o.action)
            .collect();
        assert_eq!(secondary, [EventActionKind::Ignore], "{kind:?}");
    }
}

#[test]
fn the_automatic_actions_are_exactly_the_documents_automatic_table() {
    assert_eq!(EventKind::DestinationCreation.automatic_action(), None);
    assert_eq!(
        EventKind::DestinationMoved.automatic_action(),
        Some(EventAction::MoveBack)
    );
    assert_eq!(
        EventKind::DestinationDeleted.automatic_action(),
        Some(EventAction::CreateNewCompany { name: None })
    );
    assert_eq!(
        EventKind::AssociationMissing.automatic_action(),
        Some(EventAction::Associate)
    );
    assert_eq!(
        EventKind::PrefixBasedAssociationMissing.automatic_action(),
        Some(EventAction::Associate)
    );
    assert_eq!(EventKind::SourceDeleted.automatic_action(), None);
}

#[test]
fn every_automatic_action_is_a_primary_action_never_an_extra() {
    for kind in ALL_KINDS {
        if let Some(action) = kind.automatic_action() {
            assert_eq!(
                kind.role_of(action.kind()),
                Some(ActionRole::Primary),
                "{kind:?}"
            );
        }
    }
}

#[test]
fn the_sync_may_not_run_an_extra_action() {
    for (kind, extra) in [
        (EventKind::DestinationCreation, EventAction::ExcludeSite),
        (EventKind::DestinationMoved, EventAction::DeleteAssociation),
        (
            EventKind::DestinationDeleted,
            EventAction::DeleteAssociation,
        ),
    ] {
        assert_eq!(
            open_event(kind).resolve(extra.clone(), Actor::Automatic, 2),
            Err(TransitionError::NotAutomatic {
                kind,
                action: extra.kind()
            })
        );
        assert!(open_event(kind).resolve(extra, Actor::User, 2).is_ok());
    }
}

#[test]
fn every_automatic_action_is_one_the_kind_offers() {
    for kind in ALL_KINDS {
        if let Some(action) = kind.automatic_action() {
            assert!(kind.role_of(action.kind()).is_some(), "{kind:?}");
        }
    }
}

#[test]
fn an_open_event_can_be_ignored() {
    let ignored = open_event(EventKind::DestinationMoved)
        .ignore(2_000)
        .unwrap();
    assert_eq!(ignored.state, EventState::Ignored { at_ms: 2_000 });
    assert!(ignored.is_ignored());
    assert_eq!(ignored.generated_at_ms, 1_000);
}

#[test]
fn an_open_event_is_resolved_by_a_users_action_and_records_it() {
    let event = open_event(EventKind::DestinationDeleted);
    let action = EventAction::CreateNewCompany {
        name: Some("Acme Ltd".into()),
    };
    let resolved = event.resolve(action.clone(), Actor::User, 3_000).unwrap();
    assert_eq!(
        resolved.state,
        EventState::Resolved {
            at_ms: 3_000,
            resolution: Resolution::Action {
                action,
                by: Actor::User
            }
        }
    );
}

#[test]
fn a_secondary_action_also_resolves_the_event() {
    let resolved = open_event(EventKind::DestinationCreation)
        .resolve(EventAction::ExcludeSite, Actor::User, 3_000)
        .unwrap();
    assert!(matches!(resolved.state, EventState::Resolved { .. }));
}

#[test]
fn the_sync_resolves_an_event_with_its_automatic_action() {
    for kind in ALL_KINDS {
        let Some(action) = kind.automatic_action() else {
            continue;
        };
        let resolved = open_event(kind)
            .resolve(action.clone(), Actor::Automatic, 5)
            .unwrap();
        assert_eq!(
            resolved.state,
            EventState::Resolved {
                at_ms: 5,
                resolution: Resolution::Action {
                    action,
                    by: Actor::Automatic
                }
            }
        );
    }
}

#[test]
fn the_sync_may_not_run_a_non_automatic_action() {
    let event = open_event(EventKind::AssociationMissing);
    assert_eq!(
        event.resolve(
            EventAction::RenameWithPrefixAndCreateNew,
            Actor::Automatic,
            5
        ),
        Err(TransitionError::NotAutomatic {
            kind: EventKind::AssociationMissing,
            action: EventActionKind::RenameWithPrefixAndCreateNew
        })
    );
    let deleted = open_event(EventKind::DestinationDeleted);
    assert!(matches!(
        deleted.resolve(
            EventAction::CreateNewCompany {
                name: Some("Custom".into())
            },
            Actor::Automatic,
            5
        ),
        Err(TransitionError::NotAutomatic { .. })
    ));
}

#[test]
fn destination_creation_cannot_be_resolved_automatically() {
    let event = open_event(EventKind::DestinationCreation);
    let result = event.resolve(
        EventAction::CreateWithCustomName {
            name: "Acme 2".into(),
        },
        Actor::Automatic,
        5,
    );
    assert!(matches!(result, Err(TransitionError::NotAutomatic { .. })));
}

#[test]
fn an_action_another_kind_offers_is_refused() {
    let event = open_event(EventKind::SourceDeleted);
    assert_eq!(
        event.resolve(EventAction::MoveBack, Actor::User, 5),
        Err(TransitionError::ActionNotOffered {
            kind: EventKind::SourceDeleted,
            action: EventActionKind::MoveBack
        })
    );
}

#[test]
fn ignored_and_resolved_events_accept_no_further_transition() {
    let ignored = open_event(EventKind::DestinationMoved).ignore(2).unwrap();
    let resolved = open_event(EventKind::DestinationMoved)
        .resolve(EventAction::MoveBack, Actor::User, 2)
        .unwrap();
    for event in [ignored, resolved] {
        assert_eq!(event.ignore(3), Err(TransitionError::NotOpen));
        assert_eq!(
            event.resolve(EventAction::DeleteAssociation, Actor::User, 3),
            Err(TransitionError::NotOpen)
        );
        assert_eq!(event.no_longer_found(3), Err(TransitionError::NotOpen));
    }
}

#[test]
fn an_open_event_whose_discrepancy_is_gone_is_resolved_as_no_longer_found() {
    let closed = open_event(EventKind::SourceDeleted)
        .no_longer_found(9)
        .unwrap();
    assert_eq!(
        closed.state,
        EventState::Resolved {
            at_ms: 9,
            resolution: Resolution::NoLongerFound
        }
    );
}

#[test]
fn a_failed_creation_raises_an_open_destination_creation_event_without_company() {
    let event =
        Event::destination_creation(SiteUid::new("s1"), Some("Acme".into()), "Acme".into(), 42);
    assert_eq!(event.id.kind, EventKind::DestinationCreation);
    assert_eq!(event.id.company, None);
    assert_eq!(event.company_name.as_deref(), Some("Acme"));
    assert!(event.is_open());
    assert_eq!(event.generated_at_ms, 42);
}

#[test]
fn events_round_trip_through_json() {
    let event = open_event(EventKind::DestinationDeleted)
        .resolve(
            EventAction::CreateNewCompany { name: None },
            Actor::Automatic,
            7,
        )
        .unwrap();
    let json = serde_json::to_string(&event).unwrap();
    let back: Event = serde_json::from_str(&json).unwrap();
    assert_eq!(back, event);
}

#[test]
fn the_stored_json_names_states_actions_and_actors_in_words() {
    let event = open_event(EventKind::DestinationDeleted)
        .resolve(
            EventAction::CreateNewCompany {
                name: Some("Acme AG".into()),
            },
            Actor::User,
            7,
        )
        .unwrap();
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(json["id"]["kind"], "destination_deleted");
    assert_eq!(json["state"]["state"], "resolved");
    assert_eq!(json["state"]["resolution"]["resolution"], "action");
    assert_eq!(
        json["state"]["resolution"]["action"]["action"],
        "create_new_company"
    );
    assert_eq!(json["state"]["resolution"]["action"]["name"], "Acme AG");
    assert_eq!(json["state"]["resolution"]["by"], "user");
    let ignored = open_event(EventKind::SourceDeleted).ignore(9).unwrap();
    let json = serde_json::to_value(&ignored).unwrap();
    assert_eq!(
        json["state"],
        serde_json::json!({"state": "ignored", "at_ms": 9})
    );
}
