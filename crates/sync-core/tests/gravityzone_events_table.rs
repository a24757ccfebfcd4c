//! The source document's two tables, one case per row and per action.
//!
//! Events table: for every kind, the offered actions and which are primary; for every primary
//! action, what it does to the inventories and the stored state, and that the next sync no
//! longer raises the event (it is handled for good); for the secondary action *Ignore*, that
//! the next sync raises the event again; for the project's extras, that they are offered only
//! as extras. Automatic-actions table: for each of its four rows, at every level and handling
//! mode, whether the sync runs the row's action, and that a run handles the event for good.

mod gravityzone_support;

use gravityzone_support::*;
use sync_core::gravityzone::{
    Action, ActionRole, Actor, Association, Company, Event, EventAction, EventActionKind,
    EventHandling, EventId, EventKind, InventorySnapshot, PrefixCreation, Settings, StoredState,
    SyncLevel, apply, plan, resolve,
};

/// One row of the events table: a world where the row's event is raised.
struct Row {
    kind: EventKind,
    snapshot: InventorySnapshot,
    state: StoredState,
    settings: Settings,
    event: EventId,
}

fn at_automatic_level(prefix: &str, creation: PrefixCreation, association: bool) -> Settings {
    with_prefix(
        settings(SyncLevel::AutomaticInventorySync, EventHandling::Manual),
        prefix,
        creation,
        association,
    )
}

fn remembered(
    site: &str,
    company: &str,
    parent: sync_core::gravityzone::CompanyId,
    name: &str,
) -> StoredState {
    StoredState {
        associations: vec![
            Association::new(sid(site), cid(company)).remembering(parent, name, name),
        ],
        ..StoredState::default()
    }
}

fn row(kind: EventKind) -> Row {
    let manual = at_automatic_level("", PrefixCreation::OnlyIfNameExists, false);
    match kind {
        EventKind::DestinationCreation => Row {
            kind,
            snapshot: snapshot(vec![site("s1", "Acme")], vec![]),
            state: StoredState {
                events: vec![Event::destination_creation(
                    sid("s1"),
                    Some("Acme".into()),
                    "Acme".into(),
                    NOW - 10,
                )],
                ..StoredState::default()
            },
            settings: manual,
            event: id(kind, "s1", None),
        },
        EventKind::DestinationMoved => Row {
            kind,
            snapshot: snapshot_with_reseller(
                vec![site("s1", "Acme")],
                vec![moved_company("c1", "Acme")],
            ),
            state: remembered("s1", "c1", reseller(), "Acme"),
            settings: manual,
            event: id(kind, "s1", Some("c1")),
        },
        EventKind::DestinationDeleted => Row {
            kind,
            snapshot: snapshot(vec![site("s1", "Acme")], vec![]),
            state: remembered("s1", "c1", root(), "Acme"),
            settings: manual,
            event: id(kind, "s1", Some("c1")),
        },
        EventKind::AssociationMissing => Row {
            kind,
            snapshot: snapshot_with_reseller(
                vec![site("s1", "Acme")],
                vec![resold_company("c1", "Acme")],
            ),
            state: StoredState::default(),
            settings: at_automatic_level("MSP", PrefixCreation::OnlyIfNameExists, false),
            event: id(kind, "s1", Some("c1")),
        },
        EventKind::PrefixBasedAssociationMissing => Row {
            kind,
            snapshot: snapshot(vec![site("s1", "Acme")], vec![company("c1", "MSP Acme")]),
            state: StoredState::default(),
            settings: at_automatic_level("MSP", PrefixCreation::Never, true),
            event: id(kind, "s1", Some("c1")),
        },
        EventKind::SourceDeleted => Row {
            kind,
            snapshot: snapshot(vec![], vec![company("c1", "Acme")])
                .with_endpoint_count(cid("c1"), 0),
            state: remembered("s1", "c1", root(), "Acme"),
            settings: manual,
            event: id(kind, "s1", Some("c1")),
        },
        _ => unreachable!("every kind has a row"),
    }
}

const KINDS: [EventKind; 6] = [
    EventKind::DestinationCreation,
    EventKind::DestinationMoved,
    EventKind::DestinationDeleted,
    EventKind::AssociationMissing,
    EventKind::PrefixBasedAssociationMissing,
    EventKind::SourceDeleted,
];

/// The row's world after the first sync, with the row's event stored open.
fn raised(row: &Row) -> (StoredState, Event) {
    let first = plan(&row.snapshot, &row.state, &row.settings, NOW);
    let event = first
        .events
        .iter()
        .find(|e| e.id == row.event)
        .unwrap_or_else(|| panic!("{:?} not raised: {:?}", row.kind, first.events))
        .clone();
    assert!(first.has_no_actions(), "manual handling acts on nothing");
    let mut state = row.state.clone();
    state.events = first.events.clone();
    (state, event)
}

/// Runs `action` for the row's event, applies its actions and stores the event resolved;
/// returns the inventories and the state after, and whether the next sync raises the event
/// again.
fn run_action(row: &Row, action: EventAction) -> (InventorySnapshot, StoredState, bool) {
    let (mut state, event) = raised(row);
    let actions = resolve(&event, &action, &row.snapshot, &state, &row.settings)
        .unwrap_or_else(|e| panic!("{:?} {action:?}: {e}", row.kind));
    let mut snapshot = row.snapshot.clone();
    apply(&mut snapshot, &mut state, &actions).unwrap();
    let resolved = event.resolve(action, Actor::User, NOW + 1).unwrap();
    state.events = vec![resolved];
    let next = plan(&snapshot, &state, &row.settings, NOW + 3_600_000);
    let again = next.events.iter().any(|e| e.id == row.event);
    (snapshot, state, again)
}

fn company_named<'s>(snapshot: &'s InventorySnapshot, name: &str) -> Option<&'s Company> {
    snapshot.companies.iter().find(|c| c.name == name)
}

#[test]
fn every_kind_offers_the_documents_primary_actions_then_ignore_then_its_extras() {
    use EventActionKind as A;
    let primaries: [(EventKind, &[A]); 6] = [
        (EventKind::DestinationCreation, &[A::CreateWithCustomName]),
        (EventKind::DestinationMoved, &[A::MoveBack]),
        (EventKind::DestinationDeleted, &[A::CreateNewCompany]),
        (
            EventKind::AssociationMissing,
            &[A::Associate, A::RenameWithPrefixAndCreateNew],
        ),
        (
            EventKind::PrefixBasedAssociationMissing,
            &[A::Associate, A::RenameToSiteNameAndAssociate],
        ),
        (
            EventKind::SourceDeleted,
            &[A::DeleteCompanyAndAssociation, A::DeleteAssociation],
        ),
    ];
    for (kind, expected) in primaries {
        let offered = kind.offered_actions();
        let primary: Vec<A> = offered
            .iter()
            .filter(|o| o.role == ActionRole::Primary)
            .map(|o| o.action)
            .collect();
        assert_eq!(primary, expected, "{kind:?}");
        assert_eq!(offered[expected.len()].action, A::Ignore, "{kind:?}");
        assert!(
            offered[expected.len() + 1..]
                .iter()
                .all(|o| o.role == ActionRole::Extra),
            "{kind:?}"
        );
    }
}

#[test]
fn destination_creation_create_with_given_name() {
    let row = row(EventKind::DestinationCreation);
    let action = EventAction::CreateWithCustomName {
        name: "Acme (Berlin)".into(),
    };
    let (snapshot, state, again) = run_action(&row, action);
    let created = company_named(&snapshot, "Acme (Berlin)").expect("created");
    assert_eq!(created.parent, root());
    assert_eq!(state.company_of(&sid("s1")), Some(&created.id));
    assert!(!again, "handled for good");
}

#[test]
fn destination_moved_move() {
    let row = row(EventKind::DestinationMoved);
    let (snapshot, state, again) = run_action(&row, EventAction::MoveBack);
    assert_eq!(snapshot.company(&cid("c1")).unwrap().parent, reseller());
    assert_eq!(state.company_of(&sid("s1")), Some(&cid("c1")));
    assert!(!again, "handled for good");
}

#[test]
fn destination_deleted_recreate_with_the_sites_name() {
    let row = row(EventKind::DestinationDeleted);
    let (snapshot, state, again) = run_action(&row, EventAction::CreateNewCompany { name: None });
    let created = company_named(&snapshot, "Acme").expect("recreated under the site's name");
    assert_eq!(state.company_of(&sid("s1")), Some(&created.id));
    assert!(!again, "handled for good");
}

#[test]
fn destination_deleted_recreate_with_a_custom_name() {
    let row = row(EventKind::DestinationDeleted);
    let action = EventAction::CreateNewCompany {
        name: Some("Acme AG".into()),
    };
    let (snapshot, state, again) = run_action(&row, action);
    let created = company_named(&snapshot, "Acme AG").expect("recreated under the user's name");
    assert_eq!(state.company_of(&sid("s1")), Some(&created.id));
    assert!(!again, "handled for good");
}

#[test]
fn association_missing_associate() {
    let row = row(EventKind::AssociationMissing);
    let (snapshot, state, again) = run_action(&row, EventAction::Associate);
    assert_eq!(state.company_of(&sid("s1")), Some(&cid("c1")));
    assert_eq!(state.associations[0].parent, Some(reseller()));
    assert_eq!(snapshot.companies.len(), 1);
    assert!(!again, "handled for good");
}

#[test]
fn association_missing_rename_with_prefix_and_create_new() {
    let row = row(EventKind::AssociationMissing);
    let (snapshot, state, again) = run_action(&row, EventAction::RenameWithPrefixAndCreateNew);
    assert_eq!(snapshot.company(&cid("c1")).unwrap().name, "MSP Acme");
    let created = company_named(&snapshot, "Acme").expect("a new company with the old name");
    assert_ne!(created.id, cid("c1"));
    assert_eq!(state.company_of(&sid("s1")), Some(&created.id));
    assert!(!again, "handled for good");
}

#[test]
fn prefix_based_association_missing_associate() {
    let row = row(EventKind::PrefixBasedAssociationMissing);
    let (snapshot, state, again) = run_action(&row, EventAction::Associate);
    assert_eq!(snapshot.company(&cid("c1")).unwrap().name, "MSP Acme");
    assert_eq!(state.company_of(&sid("s1")), Some(&cid("c1")));
    assert!(!again, "handled for good");
}

#[test]
fn prefix_based_association_missing_rename_to_the_sites_name_and_associate() {
    let row = row(EventKind::PrefixBasedAssociationMissing);
    let (snapshot, state, again) = run_action(&row, EventAction::RenameToSiteNameAndAssociate);
    assert_eq!(snapshot.companies.len(), 1, "no new, empty company");
    assert_eq!(snapshot.company(&cid("c1")).unwrap().name, "Acme");
    assert_eq!(state.company_of(&sid("s1")), Some(&cid("c1")));
    assert!(!again, "handled for good");
}

#[test]
fn source_deleted_delete_the_company_and_the_association() {
    let row = row(EventKind::SourceDeleted);
    let action = EventAction::DeleteCompanyAndAssociation { force: false };
    let (snapshot, state, again) = run_action(&row, action);
    assert!(snapshot.company(&cid("c1")).is_none());
    assert!(state.associations.is_empty());
    assert!(!again, "handled for good");
}

#[test]
fn source_deleted_keep_the_company_and_delete_the_association() {
    let row = row(EventKind::SourceDeleted);
    let (snapshot, state, again) = run_action(&row, EventAction::DeleteAssociation);
    assert!(snapshot.company(&cid("c1")).is_some());
    assert!(state.associations.is_empty());
    assert!(!again, "handled for good");
}

#[test]
fn ignore_hides_one_occurrence_only_for_every_kind() {
    for kind in KINDS {
        let row = row(kind);
        let (mut state, event) = raised(&row);
        state.events = vec![event.ignore(NOW + 1).unwrap()];
        let next = plan(&row.snapshot, &state, &row.settings, NOW + 3_600_000);
        let again = next
            .events
            .iter()
            .find(|e| e.id == row.event)
            .unwrap_or_else(|| panic!("{kind:?}: an ignored event comes back"));
        assert!(again.is_open(), "{kind:?}");
        assert_eq!(
            again.generated_at_ms,
            NOW + 3_600_000,
            "{kind:?}: a new occurrence"
        );
        // Ignoring changed nothing: no association was created or deleted.
        assert_eq!(state.associations, row.state.associations, "{kind:?}");
    }
}

#[test]
fn the_extras_are_offered_as_extras_and_never_run_by_the_sync() {
    for (kind, extra) in [
        (EventKind::DestinationCreation, EventAction::ExcludeSite),
        (EventKind::DestinationMoved, EventAction::DeleteAssociation),
        (
            EventKind::DestinationDeleted,
            EventAction::DeleteAssociation,
        ),
    ] {
        assert_eq!(
            kind.role_of(extra.kind()),
            Some(ActionRole::Extra),
            "{kind:?}"
        );
        let row = row(kind);
        for level in LEVELS {
            for handling in HANDLINGS {
                let mut settings = row.settings.clone();
                settings.level = level;
                settings.handling = handling;
                let plan = plan(&row.snapshot, &row.state, &settings, NOW);
                for step in &plan.steps {
                    if let sync_core::gravityzone::StepReason::Event { action, .. } = &step.reason {
                        assert_ne!(
                            action.kind(),
                            extra.kind(),
                            "{kind:?} {level:?} {handling:?}"
                        );
                    }
                }
            }
        }
    }
}

/// The automatic-actions table: the four rows, at every level and handling mode.
#[test]
fn the_automatic_actions_run_exactly_where_the_level_and_handling_allow() {
    let rows = [
        (EventKind::DestinationMoved, EventAction::MoveBack),
        (
            EventKind::DestinationDeleted,
            EventAction::CreateNewCompany { name: None },
        ),
        (EventKind::AssociationMissing, EventAction::Associate),
        (
            EventKind::PrefixBasedAssociationMissing,
            EventAction::Associate,
        ),
    ];
    for (kind, automatic) in rows {
        assert_eq!(kind.automatic_action(), Some(automatic.clone()));
        let row = row(kind);
        for level in LEVELS {
            for handling in HANDLINGS {
                let mut settings = row.settings.clone();
                settings.level = level;
                settings.handling = handling;
                let first = plan(&row.snapshot, &row.state, &settings, NOW);
                let watched = kind_is_watched(kind, level);
                let raised = first.events.iter().any(|e| e.id == row.event);
                assert_eq!(raised, watched, "{kind:?} {level:?} {handling:?}");
                let acts = watched
                    && level != SyncLevel::MonitorAndReportSynchronized
                    && handling == EventHandling::Automatic;
                let step = first.steps.iter().find(|s| {
                    matches!(&s.reason, sync_core::gravityzone::StepReason::Event { event, action }
                        if *event == row.event && *action == automatic)
                });
                assert_eq!(step.is_some(), acts, "{kind:?} {level:?} {handling:?}");
                if let Some(step) = step {
                    let mut snapshot = row.snapshot.clone();
                    let mut state = row.state.clone();
                    apply(&mut snapshot, &mut state, &step.actions).unwrap();
                    state.events = vec![
                        first
                            .events
                            .iter()
                            .find(|e| e.id == row.event)
                            .unwrap()
                            .resolve(automatic.clone(), Actor::Automatic, NOW)
                            .unwrap(),
                    ];
                    let next = plan(&snapshot, &state, &settings, NOW + 3_600_000);
                    assert!(
                        !next.events.iter().any(|e| e.id == row.event),
                        "{kind:?} {level:?}: handled for good"
                    );
                    assert!(next.has_no_actions());
                }
            }
        }
    }
}

/// Source deleted and destination creation are never handled automatically.
#[test]
fn source_deleted_and_destination_creation_wait_for_a_user_at_every_level() {
    for kind in [EventKind::SourceDeleted, EventKind::DestinationCreation] {
        assert_eq!(kind.automatic_action(), None);
        let row = row(kind);
        for level in LEVELS {
            for handling in HANDLINGS {
                let mut settings = row.settings.clone();
                settings.level = level;
                settings.handling = handling;
                let plan = plan(&row.snapshot, &row.state, &settings, NOW);
                assert_eq!(
                    plan.events.iter().any(|e| e.id == row.event),
                    kind_is_watched(kind, level),
                    "{kind:?} {level:?} {handling:?}"
                );
                assert!(plan.has_no_actions(), "{kind:?} {level:?} {handling:?}");
            }
        }
    }
}

/// Associated sites are watched at every level; unassociated ones only at the automatic level.
/// A destination creation GravityZone refused (a user's `map-new`, or the automatic level's new
/// company) stays open at every level until a primary action handles it.
fn kind_is_watched(kind: EventKind, level: SyncLevel) -> bool {
    match kind {
        EventKind::AssociationMissing | EventKind::PrefixBasedAssociationMissing => {
            level == SyncLevel::AutomaticInventorySync
        }
        _ => true,
    }
}

#[test]
fn every_action_of_the_confirmation_is_one_the_inventory_model_accepts() {
    // The table's worlds are consistent: no primary action is refused by the model.
    for kind in KINDS {
        let row = row(kind);
        let (state, event) = raised(&row);
        for offered in kind.offered_actions() {
            if offered.role != ActionRole::Primary {
                continue;
            }
            let action = match offered.action {
                EventActionKind::CreateWithCustomName => EventAction::CreateWithCustomName {
                    name: "Custom".into(),
                },
                EventActionKind::CreateNewCompany => EventAction::CreateNewCompany { name: None },
                EventActionKind::DeleteCompanyAndAssociation => {
                    EventAction::DeleteCompanyAndAssociation { force: false }
                }
                EventActionKind::MoveBack => EventAction::MoveBack,
                EventActionKind::Associate => EventAction::Associate,
                EventActionKind::RenameWithPrefixAndCreateNew => {
                    EventAction::RenameWithPrefixAndCreateNew
                }
                EventActionKind::RenameToSiteNameAndAssociate => {
                    EventAction::RenameToSiteNameAndAssociate
                }
                EventActionKind::DeleteAssociation => EventAction::DeleteAssociation,
                other => panic!("{other:?} is not a primary action"),
            };
            let actions: Vec<Action> =
                resolve(&event, &action, &row.snapshot, &state, &row.settings)
                    .unwrap_or_else(|e| panic!("{kind:?} {action:?}: {e}"));
            let mut snapshot = row.snapshot.clone();
            let mut after = state.clone();
            assert_eq!(
                apply(&mut snapshot, &mut after, &actions),
                Ok(()),
                "{kind:?} {action:?}"
            );
        }
    }
}
