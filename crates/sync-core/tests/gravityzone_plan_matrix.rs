//! Every event kind × every level × both handling modes: which events the plan raises and which
//! actions it plans.

mod gravityzone_support;

use gravityzone_support::*;
use sync_core::gravityzone::{
    Action, EventHandling, EventKind, InventorySnapshot, PrefixCreation, Settings, StoredState,
    SyncLevel, plan,
};

/// One scenario: the world, and for a level and a handling mode the expected event identities
/// and actions.
struct Scenario {
    name: &'static str,
    snapshot: InventorySnapshot,
    state: StoredState,
    prefix: fn(Settings) -> Settings,
    expect: fn(SyncLevel, EventHandling) -> (Vec<sync_core::gravityzone::EventId>, Vec<Action>),
}

fn acts(level: SyncLevel, handling: EventHandling) -> bool {
    level != SyncLevel::MonitorAndReportSynchronized && handling == EventHandling::Automatic
}

fn automatic_level(level: SyncLevel) -> bool {
    level == SyncLevel::AutomaticInventorySync
}

fn no_prefix(settings: Settings) -> Settings {
    settings
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "destination moved",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]),
            state: associated(&[("s1", "c1")]),
            prefix: no_prefix,
            expect: |level, handling| {
                let events = vec![id(EventKind::DestinationMoved, "s1", Some("c1"))];
                let actions = if acts(level, handling) {
                    vec![Action::MoveCompany {
                        company: cid("c1"),
                        parent: root(),
                    }]
                } else {
                    vec![]
                };
                (events, actions)
            },
        },
        Scenario {
            name: "destination deleted",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![]),
            state: associated(&[("s1", "c1")]),
            prefix: no_prefix,
            expect: |level, handling| {
                let events = vec![id(EventKind::DestinationDeleted, "s1", Some("c1"))];
                let mut actions = vec![];
                if acts(level, handling) {
                    actions.push(Action::DeleteAssociation {
                        site: sid("s1"),
                        company: cid("c1"),
                    });
                    actions.extend(create_and_associate("s1", "Acme"));
                }
                (events, actions)
            },
        },
        Scenario {
            name: "destination deleted while the site's name is taken: stays open",
            snapshot: snapshot(
                vec![site("s1", "Acme"), site("s2", "Other")],
                vec![company("c2", "Acme")],
            ),
            state: associated(&[("s1", "c1"), ("s2", "c2")]),
            prefix: |s| with_prefix(s, "MSP", PrefixCreation::OnlyIfNameExists, false),
            expect: |_, _| {
                // The automatic action recreates the company under the site's name, without
                // prefix; that name is taken, so the event waits for a user's name.
                (
                    vec![id(EventKind::DestinationDeleted, "s1", Some("c1"))],
                    vec![],
                )
            },
        },
        Scenario {
            name: "source deleted: never handled automatically",
            snapshot: snapshot(vec![], vec![company("c1", "Acme")]),
            state: associated(&[("s1", "c1")]),
            prefix: no_prefix,
            expect: |_, _| (vec![id(EventKind::SourceDeleted, "s1", Some("c1"))], vec![]),
        },
        Scenario {
            name: "destination moved from the root under a sub-partner",
            snapshot: snapshot_with_reseller(
                vec![site("s1", "Acme")],
                vec![resold_company("c1", "Acme")],
            ),
            state: associated(&[("s1", "c1")]),
            prefix: no_prefix,
            expect: |level, handling| {
                let events = vec![id(EventKind::DestinationMoved, "s1", Some("c1"))];
                let actions = if acts(level, handling) {
                    vec![Action::MoveCompany {
                        company: cid("c1"),
                        parent: root(),
                    }]
                } else {
                    vec![]
                };
                (events, actions)
            },
        },
        Scenario {
            name: "an association under a sub-partner where it was made is in order",
            snapshot: snapshot_with_reseller(
                vec![site("s1", "Acme")],
                vec![resold_company("c1", "Acme")],
            ),
            state: StoredState {
                associations: vec![
                    sync_core::gravityzone::Association::new(sid("s1"), cid("c1")).remembering(
                        reseller(),
                        "Acme",
                        "Acme",
                    ),
                ],
                ..StoredState::default()
            },
            prefix: no_prefix,
            expect: |_, _| (vec![], vec![]),
        },
        Scenario {
            name: "association missing with a company under a sub-partner",
            snapshot: snapshot_with_reseller(
                vec![site("s1", "Acme")],
                vec![resold_company("c1", "Acme")],
            ),
            state: StoredState::default(),
            prefix: no_prefix,
            expect: |level, handling| {
                if !automatic_level(level) {
                    return (vec![], vec![]);
                }
                let events = vec![id(EventKind::AssociationMissing, "s1", Some("c1"))];
                let actions = if acts(level, handling) {
                    associate_existing_under("s1", "c1", reseller())
                } else {
                    vec![]
                };
                (events, actions)
            },
        },
        Scenario {
            name: "association missing",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![company("c1", " ACME ")]),
            state: StoredState::default(),
            prefix: no_prefix,
            expect: |level, handling| {
                if !automatic_level(level) {
                    return (vec![], vec![]);
                }
                let events = vec![id(EventKind::AssociationMissing, "s1", Some("c1"))];
                let actions = if acts(level, handling) {
                    associate_existing_named("s1", "c1", " ACME ")
                } else {
                    vec![]
                };
                (events, actions)
            },
        },
        Scenario {
            name: "prefix-based association missing",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![company("c1", "msp acme")]),
            state: StoredState::default(),
            prefix: |s| with_prefix(s, "MSP", PrefixCreation::Never, true),
            expect: |level, handling| {
                if !automatic_level(level) {
                    return (vec![], vec![]);
                }
                let events = vec![id(
                    EventKind::PrefixBasedAssociationMissing,
                    "s1",
                    Some("c1"),
                )];
                let actions = if acts(level, handling) {
                    associate_existing_named("s1", "c1", "msp acme")
                } else {
                    vec![]
                };
                (events, actions)
            },
        },
        Scenario {
            name: "destination creation: the only allowed name is taken",
            snapshot: snapshot(
                vec![site("s1", "Acme"), site("s2", "Acme Holding")],
                vec![company("c2", "Acme")],
            ),
            state: associated(&[("s2", "c2")]),
            prefix: |s| with_prefix(s, "MSP", PrefixCreation::Never, false),
            expect: |level, handling| {
                // Only the automatic level with automatic handling tries to create a company.
                if !(automatic_level(level) && acts(level, handling)) {
                    return (vec![], vec![]);
                }
                (vec![id(EventKind::DestinationCreation, "s1", None)], vec![])
            },
        },
        Scenario {
            name: "destination creation: refused earlier by GravityZone",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![]),
            state: StoredState {
                events: vec![sync_core::gravityzone::Event::destination_creation(
                    sid("s1"),
                    Some("Acme".into()),
                    "Acme".into(),
                    NOW - 3_600_000,
                )],
                ..StoredState::default()
            },
            prefix: no_prefix,
            expect: |_, _| {
                // Waits for a user's name at every level (the refusal may answer a user's
                // "set as new company", whatever the level).
                (vec![id(EventKind::DestinationCreation, "s1", None)], vec![])
            },
        },
        Scenario {
            name: "unassociated site without a matching company",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![company("c9", "Other")]),
            state: StoredState::default(),
            prefix: no_prefix,
            expect: |level, handling| {
                if automatic_level(level) && acts(level, handling) {
                    (vec![], create_and_associate("s1", "Acme"))
                } else {
                    (vec![], vec![])
                }
            },
        },
        Scenario {
            name: "everything in order",
            snapshot: snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]),
            state: associated(&[("s1", "c1")]),
            prefix: no_prefix,
            expect: |_, _| (vec![], vec![]),
        },
    ]
}

#[test]
fn every_event_kind_at_every_level_and_handling_mode() {
    let mut checked = 0;
    for scenario in scenarios() {
        for level in LEVELS {
            for handling in HANDLINGS {
                let settings = (scenario.prefix)(settings(level, handling));
                let plan = plan(&scenario.snapshot, &scenario.state, &settings, NOW);
                let (events, actions) = (scenario.expect)(level, handling);
                let raised: Vec<_> = plan.events.iter().map(|e| e.id.clone()).collect();
                let planned: Vec<_> = plan.actions().cloned().collect();
                assert_eq!(raised, events, "{}: {level:?} {handling:?}", scenario.name);
                assert_eq!(
                    planned, actions,
                    "{}: {level:?} {handling:?}",
                    scenario.name
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 13 * 3 * 2);
}

#[test]
fn every_automatic_step_names_the_event_it_resolves_and_its_automatic_action() {
    use sync_core::gravityzone::StepReason;
    for scenario in scenarios() {
        let settings = (scenario.prefix)(automatic());
        let plan = plan(&scenario.snapshot, &scenario.state, &settings, NOW);
        for step in &plan.steps {
            if let StepReason::Event { event, action } = &step.reason {
                assert!(
                    plan.events.iter().any(|e| &e.id == event),
                    "{}",
                    scenario.name
                );
                assert_eq!(event.kind.automatic_action().as_ref(), Some(action));
            }
        }
    }
}
