//! Properties of the planner over generated inventories, stored states and settings.

mod gravityzone_support;

use std::collections::BTreeSet;

use gravityzone_support::{NOW, elsewhere, reseller, root};
use proptest::prelude::*;
use sync_core::gravityzone::name::name_key;
use sync_core::gravityzone::{
    Action, Actor, Association, Company, CompanyId, Event, EventHandling, EventId, EventKind,
    Exclusion, InventorySnapshot, Plan, PrefixCreation, PrefixSettings, Settings, Site, SiteUid,
    StepReason, StoredState, SyncLevel, apply, plan,
};

const NAMES: &[&str] = &[
    "Acme",
    "acme ",
    "ACME",
    "Beta",
    "MSP Acme",
    "msp beta",
    "Gamma",
    "MSP MSP Acme",
    "   ",
    "Managed",
    "Deleted Devices",
    "Zeta Holdings International Limited Liability Company of Greater Springfield",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

/// Sites with distinct uids (Datto's uids are unique).
fn sites() -> impl Strategy<Value = Vec<Site>> {
    prop::collection::btree_map(0..6usize, (name(), prop::bool::weighted(0.2)), 0..7).prop_map(
        |sites| {
            sites
                .into_iter()
                .map(|(i, (name, on_demand))| Site::new(format!("s{i}"), name, on_demand))
                .collect()
        },
    )
}

/// Companies with distinct ids: most under the root, some under the root's sub-partner, a few
/// moved out of the partner's subtree.
fn companies() -> impl Strategy<Value = Vec<Company>> {
    prop::collection::btree_map(0..6usize, (name(), 0..10u8), 0..7).prop_map(|companies| {
        companies
            .into_iter()
            .map(|(i, (name, place))| {
                let parent = match place {
                    0 | 1 => elsewhere(),
                    2 | 3 => reseller(),
                    _ => root(),
                };
                Company::new(format!("c{i}"), name, parent)
            })
            .collect()
    })
}

/// The parent an association remembers: none (stored before parents were), the root or the
/// sub-partner.
fn remembered_parent() -> impl Strategy<Value = Option<CompanyId>> {
    prop::sample::select(vec![None, Some(root()), Some(reseller())])
}

fn kind() -> impl Strategy<Value = EventKind> {
    prop::sample::select(vec![
        EventKind::DestinationCreation,
        EventKind::DestinationMoved,
        EventKind::DestinationDeleted,
        EventKind::AssociationMissing,
        EventKind::PrefixBasedAssociationMissing,
        EventKind::SourceDeleted,
    ])
}

/// Stored events: destination-creation refusals and arbitrary others, open or ignored.
fn event() -> impl Strategy<Value = Event> {
    (
        kind(),
        0..8usize,
        0..8usize,
        name(),
        any::<bool>(),
        0..1000i64,
    )
        .prop_map(|(kind, site, company, name, ignored, age)| {
            let site = SiteUid::new(format!("s{site}"));
            let event = if kind == EventKind::DestinationCreation {
                Event::destination_creation(site, None, name, NOW - age)
            } else {
                Event::open(
                    EventId::new(kind, site, Some(CompanyId::new(format!("c{company}")))),
                    None,
                    None,
                    NOW - age,
                )
            };
            if ignored {
                event.ignore(NOW - 1).unwrap()
            } else {
                event
            }
        })
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        prop::sample::select(vec![
            SyncLevel::MonitorAndReportSynchronized,
            SyncLevel::MonitorAndHandleSynchronized,
            SyncLevel::AutomaticInventorySync,
        ]),
        prop::sample::select(vec![EventHandling::Automatic, EventHandling::Manual]),
        prop::sample::select(vec!["", "MSP", " MSP "]),
        prop::sample::select(vec![
            PrefixCreation::Never,
            PrefixCreation::Always,
            PrefixCreation::OnlyIfNameExists,
        ]),
        any::<bool>(),
    )
        .prop_map(|(level, handling, text, creation, association)| Settings {
            level,
            handling,
            prefix: PrefixSettings {
                text: text.into(),
                use_for_creation: creation,
                use_for_association: association,
            },
            ..Settings::default()
        })
}

#[derive(Debug, Clone)]
struct Input {
    snapshot: InventorySnapshot,
    state: StoredState,
    settings: Settings,
}

/// Sites s6, s7 and companies c6, c7 never exist, so associations and events may point at
/// deleted entities. Associations are arbitrary pairs: a store might hold a site or a company
/// twice.
fn input() -> impl Strategy<Value = Input> {
    (
        sites(),
        companies(),
        prop::collection::vec((0..8usize, 0..8usize, remembered_parent()), 0..5),
        prop::collection::btree_set(0..8usize, 0..3),
        prop::collection::vec(event(), 0..4),
        settings(),
    )
        .prop_map(
            |(sites, companies, associations, exclusions, events, settings)| Input {
                snapshot: InventorySnapshot::new(root(), sites, companies)
                    .with_partners(vec![reseller()]),
                state: StoredState {
                    associations: associations
                        .into_iter()
                        .map(|(s, c, parent)| {
                            let mut association = Association::new(
                                SiteUid::new(format!("s{s}")),
                                CompanyId::new(format!("c{c}")),
                            );
                            association.parent = parent;
                            association
                        })
                        .collect(),
                    exclusions: exclusions
                        .into_iter()
                        .map(|s| Exclusion::new(SiteUid::new(format!("s{s}"))))
                        .collect(),
                    events,
                    ..StoredState::default()
                },
                settings,
            },
        )
}

/// The same input with every list shuffled.
fn shuffled(input: Input) -> impl Strategy<Value = Input> {
    (
        Just(input.snapshot.sites.clone()).prop_shuffle(),
        Just(input.snapshot.companies.clone()).prop_shuffle(),
        Just(input.state.associations.clone()).prop_shuffle(),
        Just(input.state.exclusions.clone()).prop_shuffle(),
        Just(input.state.events.clone()).prop_shuffle(),
    )
        .prop_map(
            move |(sites, companies, associations, exclusions, events)| Input {
                snapshot: InventorySnapshot::new(root(), sites, companies)
                    .with_partners(vec![reseller()]),
                state: StoredState {
                    associations,
                    exclusions,
                    events,
                    ..StoredState::default()
                },
                settings: input.settings.clone(),
            },
        )
}

/// What the engine stores after running the plan: the events found, those the steps resolved
/// marked resolved, and the closed ones.
fn events_after(plan: &Plan) -> Vec<Event> {
    let mut events: Vec<Event> = plan
        .events
        .iter()
        .map(|event| {
            let resolving = plan.steps.iter().find_map(|step| match &step.reason {
                StepReason::Event { event: id, action } if *id == event.id => Some(action),
                _ => None,
            });
            match resolving {
                Some(action) => event
                    .resolve(action.clone(), Actor::Automatic, NOW)
                    .unwrap(),
                None => event.clone(),
            }
        })
        .collect();
    events.extend(plan.closed.iter().cloned());
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn planning_again_after_applying_the_plan_gives_no_actions(input in input()) {
        let first = plan(&input.snapshot, &input.state, &input.settings, NOW);
        let mut snapshot = input.snapshot.clone();
        let mut state = input.state.clone();
        let actions: Vec<Action> = first.actions().cloned().collect();
        prop_assert_eq!(apply(&mut snapshot, &mut state, &actions), Ok(()));
        state.events = events_after(&first);
        let second = plan(&snapshot, &state, &input.settings, NOW + 3_600_000);
        prop_assert!(second.has_no_actions(), "second plan: {:?}", second.steps);
    }

    #[test]
    fn the_plan_does_not_depend_on_the_order_of_the_inputs(
        (input, reordered) in input().prop_flat_map(|i| (Just(i.clone()), shuffled(i)))
    ) {
        let a = plan(&input.snapshot, &input.state, &input.settings, NOW);
        let b = plan(&reordered.snapshot, &reordered.state, &reordered.settings, NOW);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn excluded_ondemand_and_system_sites_never_get_an_action(input in input()) {
        let plan = plan(&input.snapshot, &input.state, &input.settings, NOW);
        let excluded: BTreeSet<&SiteUid> =
            input.state.exclusions.iter().map(|e| &e.site).collect();
        let unmanaged: BTreeSet<&SiteUid> = input
            .snapshot
            .sites
            .iter()
            .filter(|s| !s.is_managed())
            .map(|s| &s.uid)
            .collect();
        for action in plan.actions() {
            if let Some(site) = action.site() {
                prop_assert!(!excluded.contains(site), "{:?}", action);
                prop_assert!(!unmanaged.contains(site), "{:?}", action);
            }
        }
        for event in &plan.events {
            prop_assert!(!excluded.contains(&event.id.site), "{:?}", event.id);
        }
    }

    #[test]
    fn no_plan_creates_two_companies_of_one_name_or_a_name_that_exists(input in input()) {
        let plan = plan(&input.snapshot, &input.state, &input.settings, NOW);
        let existing: BTreeSet<String> =
            input.snapshot.companies.iter().map(|c| name_key(&c.name)).collect();
        let mut created = BTreeSet::new();
        for action in plan.actions() {
            let is_rename = matches!(action, Action::RenameCompany { .. });
            prop_assert!(!is_rename, "{:?}", action);
            if let Action::CreateCompany { name, .. } = action {
                prop_assert!(created.insert(name_key(name)), "{} twice", name);
                prop_assert!(!existing.contains(&name_key(name)), "{} exists", name);
                prop_assert!(name.chars().count() <= 64);
            }
        }
    }

    #[test]
    fn source_deleted_and_destination_creation_are_never_handled_automatically(input in input()) {
        let plan = plan(&input.snapshot, &input.state, &input.settings, NOW);
        for step in &plan.steps {
            if let StepReason::Event { event, .. } = &step.reason {
                prop_assert!(event.kind != EventKind::SourceDeleted, "{:?}", step);
                prop_assert!(event.kind != EventKind::DestinationCreation, "{:?}", step);
            }
            for action in &step.actions {
                prop_assert!(!matches!(action, Action::DeleteCompany { .. }), "{:?}", action);
            }
        }
    }

    #[test]
    fn every_association_the_plan_makes_is_with_a_company_of_the_partners_subtree(input in input()) {
        let plan = plan(&input.snapshot, &input.state, &input.settings, NOW);
        for action in plan.actions() {
            if let Action::Associate { company: sync_core::gravityzone::CompanyRef::Existing { id }, parent, .. } = action {
                let company = input.snapshot.company(id).expect("a known company");
                prop_assert!(input.snapshot.is_in_subtree(company), "{:?}", action);
                prop_assert_eq!(&company.parent, parent);
            }
        }
    }

    #[test]
    fn nothing_is_done_unless_the_settings_act_automatically(input in input()) {
        let plan = plan(&input.snapshot, &input.state, &input.settings, NOW);
        if !input.settings.acts_automatically() {
            prop_assert!(plan.has_no_actions());
        }
    }

    #[test]
    fn every_event_of_the_plan_is_open_and_every_closed_event_was_open(input in input()) {
        let plan = plan(&input.snapshot, &input.state, &input.settings, NOW);
        prop_assert!(plan.events.iter().all(Event::is_open));
        for closed in &plan.closed {
            prop_assert!(input.state.events.iter().any(|e| e.id == closed.id && e.is_open()));
            prop_assert!(!plan.events.iter().any(|e| e.id == closed.id));
        }
    }
}
