//! The planner's scope rules and the events' life from one sync to the next.

mod gravityzone_support;

use gravityzone_support::*;
use sync_core::gravityzone::{
    Action, Actor, Event, EventAction, EventHandling, EventKind, EventState, PrefixCreation,
    Resolution, Settings, StepReason, StoredState, SyncLevel, plan,
};

fn kinds(plan: &sync_core::gravityzone::Plan) -> Vec<(EventKind, String)> {
    plan.events
        .iter()
        .map(|e| (e.id.kind, e.id.site.to_string()))
        .collect()
}

#[test]
fn an_excluded_associated_site_is_neither_reported_nor_acted_on() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    let state = with_exclusions(associated(&[("s1", "c1")]), &["s1"]);
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert!(plan.events.is_empty());
    assert!(plan.has_no_actions());
}

#[test]
fn an_excluded_unassociated_site_gets_no_company() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let state = with_exclusions(StoredState::default(), &["s1"]);
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert!(plan.events.is_empty());
    assert!(plan.has_no_actions());
}

#[test]
fn ondemand_and_system_sites_are_never_matched_or_given_a_company() {
    let snap = snapshot(
        vec![
            ondemand_site("s1", "Acme"),
            site("s2", "Managed"),
            site("s3", "OnDemand"),
            site("s4", "Deleted Devices"),
        ],
        vec![company("c1", "Acme"), company("c2", "Managed")],
    );
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    assert!(plan.events.is_empty());
    assert!(plan.has_no_actions());
}

#[test]
fn a_site_that_became_ondemand_keeps_its_association_untouched() {
    let snap = snapshot(vec![ondemand_site("s1", "Acme")], vec![]);
    let state = associated(&[("s1", "c1")]);
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert!(
        plan.events.is_empty(),
        "not a deleted site, and out of scope"
    );
    assert!(plan.has_no_actions());
}

#[test]
fn a_deleted_site_is_reported_as_source_deleted_even_if_its_company_is_gone_too() {
    let snap = snapshot(vec![], vec![]);
    let state = associated(&[("s1", "c1")]);
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert_eq!(kinds(&plan), vec![(EventKind::SourceDeleted, "s1".into())]);
    // Not in the document's automatic table: a user decides.
    assert!(plan.has_no_actions());
}

#[test]
fn a_deleted_site_keeps_its_last_known_name_in_the_event() {
    let snap = snapshot(vec![], vec![company("c1", "Acme GmbH")]);
    let mut state = StoredState::default();
    state.associations.push(
        sync_core::gravityzone::Association::new(sid("s1"), cid("c1")).remembering(
            root(),
            "Acme",
            "Acme GmbH",
        ),
    );
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert_eq!(plan.events[0].site_name.as_deref(), Some("Acme"));
    assert_eq!(plan.events[0].company_name.as_deref(), Some("Acme GmbH"));
}

#[test]
fn a_moved_or_associated_company_is_not_free_for_association() {
    let snap = snapshot(
        vec![
            site("s1", "Acme"),
            site("s2", "Beta"),
            site("s3", "Beta Old"),
        ],
        vec![moved_company("c1", "Acme"), company("c2", "Beta")],
    );
    let state = associated(&[("s3", "c2")]);
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::OnlyIfNameExists, false);
    let plan = plan(&snap, &state, &settings, NOW);
    assert!(
        plan.events
            .iter()
            .all(|e| e.id.kind != EventKind::AssociationMissing)
    );
    // Both names are taken, so the sites get prefixed companies.
    let created: Vec<_> = plan
        .actions()
        .filter_map(|a| match a {
            Action::CreateCompany { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(created, vec!["MSP Acme", "MSP Beta"]);
}

#[test]
fn a_company_two_sites_could_take_is_reported_for_both_and_left_to_a_user() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "ACME")],
        vec![company("c1", "Acme")],
    );
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    assert_eq!(
        kinds(&plan),
        vec![
            (EventKind::AssociationMissing, "s1".into()),
            (EventKind::AssociationMissing, "s2".into())
        ]
    );
    assert!(plan.has_no_actions());
}

#[test]
fn a_site_matching_two_companies_is_reported_twice_and_left_to_a_user() {
    let snap = snapshot(
        vec![site("s1", "Acme")],
        vec![company("c1", "Acme"), company("c2", "acme")],
    );
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    let ids: Vec<_> = plan.events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        ids,
        vec![
            id(EventKind::AssociationMissing, "s1", Some("c1")),
            id(EventKind::AssociationMissing, "s1", Some("c2"))
        ]
    );
    assert!(plan.has_no_actions());
}

#[test]
fn the_site_name_match_wins_over_the_prefixed_match() {
    let snap = snapshot(
        vec![site("s1", "Acme")],
        vec![company("c1", "Acme"), company("c2", "MSP Acme")],
    );
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::Never, true);
    let plan = plan(&snap, &StoredState::default(), &settings, NOW);
    let ids: Vec<_> = plan.events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        ids,
        vec![id(EventKind::AssociationMissing, "s1", Some("c1"))]
    );
}

#[test]
fn the_prefixed_name_is_not_looked_for_unless_the_prefix_is_used_for_association() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "MSP Acme")]);
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::Never, false);
    let plan = plan(&snap, &StoredState::default(), &settings, NOW);
    assert!(plan.events.is_empty());
    let actions: Vec<_> = plan.actions().cloned().collect();
    assert_eq!(actions, create_and_associate("s1", "Acme"));
}

#[test]
fn two_unmatched_sites_of_one_name_never_get_two_companies_of_one_name() {
    let snap = snapshot(vec![site("s1", "Acme"), site("s2", "acme ")], vec![]);
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::OnlyIfNameExists, false);
    let plan = plan(&snap, &StoredState::default(), &settings, NOW);
    let mut expected = create_and_associate("s1", "Acme");
    expected.extend(create_and_associate("s2", "MSP acme"));
    assert_eq!(plan.actions().cloned().collect::<Vec<_>>(), expected);
}

#[test]
fn with_prefix_never_the_second_site_of_one_name_raises_destination_creation() {
    let snap = snapshot(vec![site("s1", "Acme"), site("s2", "Acme")], vec![]);
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::Never, false);
    let plan = plan(&snap, &StoredState::default(), &settings, NOW);
    assert_eq!(
        plan.actions().cloned().collect::<Vec<_>>(),
        create_and_associate("s1", "Acme")
    );
    assert_eq!(
        kinds(&plan),
        vec![(EventKind::DestinationCreation, "s2".into())]
    );
    assert_eq!(plan.events[0].company_name.as_deref(), Some("Acme"));
}

#[test]
fn a_deleted_sites_company_stays_associated_until_a_user_handles_source_deleted() {
    // s1 was deleted and re-created as s2 with the same name: c1 is not free until a user
    // deletes s1's association, so s2 gets no company of the same name either.
    let snap = snapshot(vec![site("s2", "Acme")], vec![company("c1", "Acme")]);
    let state = associated(&[("s1", "c1")]);
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert_eq!(
        kinds(&plan),
        vec![
            (EventKind::DestinationCreation, "s2".into()),
            (EventKind::SourceDeleted, "s1".into()),
        ]
    );
    assert!(plan.has_no_actions());
}

#[test]
fn destination_deleted_whose_sites_name_is_taken_stays_open_without_destination_creation() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "Other")],
        vec![company("c2", "Acme")],
    );
    let state = associated(&[("s1", "c1"), ("s2", "c2")]);
    let settings = with_prefix(
        settings(
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Automatic,
        ),
        "MSP",
        PrefixCreation::Always,
        false,
    );
    let plan = plan(&snap, &state, &settings, NOW);
    assert_eq!(
        kinds(&plan),
        vec![(EventKind::DestinationDeleted, "s1".into())]
    );
    assert!(plan.has_no_actions());
}

#[test]
fn destination_deleted_with_manual_handling_raises_no_destination_creation() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "Other")],
        vec![company("c2", "Acme")],
    );
    let state = associated(&[("s1", "c1"), ("s2", "c2")]);
    let settings = with_prefix(
        settings(
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Manual,
        ),
        "MSP",
        PrefixCreation::Never,
        false,
    );
    let plan = plan(&snap, &state, &settings, NOW);
    assert_eq!(
        kinds(&plan),
        vec![(EventKind::DestinationDeleted, "s1".into())]
    );
}

fn refused(site: &str, name: &str, at: i64) -> Event {
    Event::destination_creation(sid(site), Some("Acme".into()), name.into(), at)
}

#[test]
fn destination_deleted_waits_for_a_users_name_after_gravityzone_refused_one() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(refused("s1", "Acme", NOW - 10));
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert_eq!(
        kinds(&plan),
        vec![
            (EventKind::DestinationCreation, "s1".into()),
            (EventKind::DestinationDeleted, "s1".into())
        ]
    );
    assert!(plan.has_no_actions());
}

#[test]
fn destination_creation_for_an_associated_site_stays_at_every_level_while_its_company_is_gone() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(refused("s1", "Acme", NOW - 10));
    for level in LEVELS {
        let plan = plan(&snap, &state, &settings(level, EventHandling::Manual), NOW);
        assert!(
            plan.events
                .iter()
                .any(|e| e.id.kind == EventKind::DestinationCreation),
            "{level:?}"
        );
    }
}

#[test]
fn a_name_gravityzone_refused_is_not_used_for_another_sites_company() {
    let snap = snapshot(vec![site("s1", "Acme"), site("s2", "Acme")], vec![]);
    let state = StoredState {
        events: vec![refused("s1", "Acme", NOW - 10).ignore(NOW - 5).unwrap()],
        ..StoredState::default()
    };
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::OnlyIfNameExists, false);
    let plan = plan(&snap, &state, &settings, NOW);
    assert_eq!(
        plan.actions().cloned().collect::<Vec<_>>(),
        create_and_associate("s2", "MSP Acme")
    );
}

#[test]
fn destination_creation_goes_away_once_the_site_has_a_company() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme 2")]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(refused("s1", "Acme", NOW - 10));
    let plan = plan(&snap, &state, &automatic(), NOW);
    assert!(plan.events.is_empty());
    assert_eq!(plan.closed.len(), 1);
    assert_eq!(plan.closed[0].id.kind, EventKind::DestinationCreation);
}

#[test]
fn an_open_event_found_again_keeps_its_first_date() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(open_event(
        EventKind::DestinationMoved,
        "s1",
        Some("c1"),
        NOW - 3_600_000,
    ));
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].generated_at_ms, NOW - 3_600_000);
    assert_eq!(plan.events[0].state, EventState::Open);
    assert!(plan.closed.is_empty());
}

#[test]
fn an_ignored_event_comes_back_as_a_new_occurrence_while_the_discrepancy_lasts() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    let mut state = associated(&[("s1", "c1")]);
    let ignored = open_event(
        EventKind::DestinationMoved,
        "s1",
        Some("c1"),
        NOW - 7_200_000,
    )
    .ignore(NOW - 3_600_000)
    .unwrap();
    state.events.push(ignored);
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].state, EventState::Open);
    assert_eq!(plan.events[0].generated_at_ms, NOW);
}

#[test]
fn an_ignored_event_whose_discrepancy_is_gone_is_not_raised_or_closed() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(
        open_event(EventKind::DestinationMoved, "s1", Some("c1"), NOW - 10)
            .ignore(NOW - 5)
            .unwrap(),
    );
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert!(plan.events.is_empty());
    assert!(plan.closed.is_empty());
}

#[test]
fn an_open_event_no_longer_found_is_closed_as_no_longer_found() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(open_event(
        EventKind::DestinationMoved,
        "s1",
        Some("c1"),
        NOW - 10,
    ));
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert!(plan.events.is_empty());
    assert_eq!(plan.closed.len(), 1);
    assert_eq!(
        plan.closed[0].state,
        EventState::Resolved {
            at_ms: NOW,
            resolution: Resolution::NoLongerFound
        }
    );
}

#[test]
fn events_out_of_the_levels_scope_are_closed_when_the_level_is_lowered() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let state = StoredState {
        events: vec![open_event(
            EventKind::AssociationMissing,
            "s1",
            Some("c1"),
            NOW - 10,
        )],
        ..StoredState::default()
    };
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert!(plan.events.is_empty());
    assert_eq!(plan.closed.len(), 1);
}

#[test]
fn resolved_stored_events_are_history_and_change_nothing() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![moved_company("c1", "Acme")]);
    let mut state = associated(&[("s1", "c1")]);
    state.events.push(
        open_event(EventKind::DestinationMoved, "s1", Some("c1"), NOW - 10)
            .resolve(EventAction::MoveBack, Actor::User, NOW - 5)
            .unwrap(),
    );
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert_eq!(plan.events.len(), 1);
    assert_eq!(plan.events[0].generated_at_ms, NOW, "a new occurrence");
    assert!(plan.closed.is_empty());
}

#[test]
fn events_carry_the_current_names() {
    let snap = snapshot(
        vec![site("s1", "Acme")],
        vec![moved_company("c1", "Acme Corp")],
    );
    let state = associated(&[("s1", "c1")]);
    let plan = plan(&snap, &state, &Settings::default(), NOW);
    assert_eq!(plan.events[0].site_name.as_deref(), Some("Acme"));
    assert_eq!(plan.events[0].company_name.as_deref(), Some("Acme Corp"));
}

#[test]
fn a_new_company_step_names_its_site() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(
        plan.steps[0].reason,
        StepReason::NewCompany { site: sid("s1") }
    );
}

#[test]
fn a_site_with_a_blank_name_gets_no_company_and_no_event() {
    let snap = snapshot(vec![site("s1", "   ")], vec![]);
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    assert!(plan.events.is_empty());
    assert!(plan.has_no_actions());
}

#[test]
fn the_partners_root_company_is_never_a_candidate_but_its_name_is_taken() {
    let snap = snapshot(
        vec![site("s1", "Partner Inc")],
        vec![sync_core::gravityzone::Company::new(
            "root",
            "Partner Inc",
            root(),
        )],
    );
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    assert_eq!(
        kinds(&plan),
        vec![(EventKind::DestinationCreation, "s1".into())]
    );
    assert!(plan.has_no_actions());
}

#[test]
fn a_site_listed_twice_once_as_ondemand_is_treated_as_ondemand() {
    let snap = snapshot(
        vec![site("s1", "Acme"), ondemand_site("s1", "Acme")],
        vec![company("c1", "Acme")],
    );
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    assert!(plan.events.is_empty());
    assert!(plan.has_no_actions());
}

#[test]
fn a_company_listed_twice_keeps_both_names_taken() {
    let snap = snapshot(
        vec![site("s1", "Beta")],
        vec![company("c1", "Alpha"), company("c1", "Beta")],
    );
    let settings = with_prefix(automatic(), "MSP", PrefixCreation::Never, false);
    let plan = plan(&snap, &StoredState::default(), &settings, NOW);
    assert!(plan.has_no_actions(), "{:?}", plan.steps);
}

#[test]
fn every_association_of_a_deleted_site_is_reported() {
    let snap = snapshot(vec![], vec![]);
    let state = associated(&[("s1", "c1"), ("s1", "c2")]);
    let plan = plan(&snap, &state, &automatic(), NOW);
    let ids: Vec<_> = plan.events.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        ids,
        vec![
            id(EventKind::SourceDeleted, "s1", Some("c1")),
            id(EventKind::SourceDeleted, "s1", Some("c2"))
        ]
    );
    assert_eq!(plan.actions().count(), 0);
}

#[test]
fn the_same_inputs_give_the_same_plan() {
    let snap = snapshot(
        vec![site("s1", "Acme"), site("s2", "Beta"), site("s3", "Gamma")],
        vec![company("c1", "acme"), moved_company("c2", "Beta")],
    );
    let state = associated(&[("s2", "c2")]);
    assert_eq!(
        plan(&snap, &state, &automatic(), NOW),
        plan(&snap, &state, &automatic(), NOW)
    );
}

#[test]
fn a_deleted_company_keeps_the_name_its_association_remembers_in_the_event() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let mut state = StoredState::default();
    state.associations.push(
        sync_core::gravityzone::Association::new(sid("s1"), cid("c1")).remembering(
            root(),
            "Acme",
            "Acme GmbH",
        ),
    );
    let remembered = plan(&snap, &state, &automatic(), NOW);
    assert_eq!(remembered.events[0].id.kind, EventKind::DestinationDeleted);
    assert_eq!(
        remembered.events[0].company_name.as_deref(),
        Some("Acme GmbH")
    );

    // An association stored before company names were remembered: only the id is known.
    let before = associated(&[("s1", "c1")]);
    let unknown = plan(&snap, &before, &automatic(), NOW);
    assert_eq!(unknown.events[0].company_name, None);
}

#[test]
fn an_association_the_plan_makes_remembers_the_companys_name() {
    let snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "ACME")]);
    let plan = plan(&snap, &StoredState::default(), &automatic(), NOW);
    let names: Vec<(&str, &str)> = plan
        .actions()
        .filter_map(|a| match a {
            Action::Associate {
                site_name,
                company_name,
                ..
            } => Some((site_name.as_str(), company_name.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(names, vec![("Acme", "ACME")]);
}
