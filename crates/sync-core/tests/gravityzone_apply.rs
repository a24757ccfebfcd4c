//! The action model: what each action does to the inventories and the stored state.

mod gravityzone_support;

use gravityzone_support::*;
use sync_core::gravityzone::{
    Action, ApplyError, Association, CompanyId, CompanyRef, StoredState, apply,
};

#[test]
fn creating_and_associating_adds_the_company_under_the_root_and_the_association_remembering_parent_and_names()
 {
    let mut snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let mut state = StoredState::default();
    apply(&mut snap, &mut state, &create_and_associate("s1", "Acme")).unwrap();
    let created = CompanyId::provisional("Acme");
    assert_eq!(snap.companies, vec![company(created.as_str(), "Acme")]);
    assert_eq!(
        state.associations,
        vec![Association::new(sid("s1"), created).remembering(root(), "Acme", "Acme")]
    );
}

#[test]
fn a_company_name_that_exists_in_another_case_cannot_be_created() {
    let mut snap = snapshot(vec![], vec![company("c1", "ACME")]);
    let mut state = StoredState::default();
    let result = apply(
        &mut snap,
        &mut state,
        &[Action::CreateCompany {
            name: "acme".into(),
            parent: root(),
        }],
    );
    assert_eq!(result, Err(ApplyError::NameTaken("acme".into())));
}

#[test]
fn a_failing_list_changes_nothing() {
    let mut snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let mut state = StoredState::default();
    let before = (snap.clone(), state.clone());
    let mut actions = associate_existing("s1", "c1");
    actions.extend(associate_existing("s1", "c1"));
    assert!(matches!(
        apply(&mut snap, &mut state, &actions),
        Err(ApplyError::SiteAlreadyAssociated { .. })
    ));
    assert_eq!((snap, state), before);
}

#[test]
fn renaming_frees_the_old_name_for_a_new_company() {
    let mut snap = snapshot(vec![site("s1", "Acme")], vec![company("c1", "Acme")]);
    let mut state = StoredState::default();
    let mut actions = vec![Action::RenameCompany {
        company: cid("c1"),
        name: "MSP Acme".into(),
    }];
    actions.extend(create_and_associate("s1", "Acme"));
    apply(&mut snap, &mut state, &actions).unwrap();
    let names: Vec<_> = snap.companies.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["MSP Acme", "Acme"]);
}

#[test]
fn moving_sets_the_parent() {
    let mut snap = snapshot(vec![], vec![moved_company("c1", "Acme")]);
    let mut state = StoredState::default();
    apply(
        &mut snap,
        &mut state,
        &[Action::MoveCompany {
            company: cid("c1"),
            parent: root(),
        }],
    )
    .unwrap();
    assert_eq!(snap.companies[0].parent, root());
}

#[test]
fn a_reference_to_a_company_not_created_in_the_list_is_an_error() {
    let mut snap = snapshot(vec![site("s1", "Acme")], vec![]);
    let mut state = StoredState::default();
    let result = apply(
        &mut snap,
        &mut state,
        &[Action::Associate {
            site: sid("s1"),
            company: CompanyRef::created("Acme"),
            parent: root(),
            site_name: "Acme".into(),
            company_name: "Acme".into(),
        }],
    );
    assert_eq!(result, Err(ApplyError::NotCreatedInThisList("Acme".into())));
}

#[test]
fn associating_a_company_that_serves_a_site_is_an_error() {
    let mut snap = snapshot(vec![], vec![company("c1", "Acme")]);
    let mut state = associated(&[("s1", "c1")]);
    assert_eq!(
        apply(&mut snap, &mut state, &associate_existing("s2", "c1")),
        Err(ApplyError::CompanyAlreadyAssociated {
            company: cid("c1"),
            site: sid("s1")
        })
    );
}

#[test]
fn exclusions_and_association_deletions_must_match_the_state() {
    let mut snap = snapshot(vec![], vec![]);
    let mut state = with_exclusions(associated(&[("s1", "c1")]), &["s2"]);
    assert_eq!(
        apply(
            &mut snap,
            &mut state,
            &[Action::Exclude { site: sid("s2") }]
        ),
        Err(ApplyError::AlreadyExcluded(sid("s2")))
    );
    assert_eq!(
        apply(
            &mut snap,
            &mut state,
            &[Action::RemoveExclusion { site: sid("s1") }]
        ),
        Err(ApplyError::NotExcluded(sid("s1")))
    );
    assert_eq!(
        apply(
            &mut snap,
            &mut state,
            &[Action::DeleteAssociation {
                site: sid("s1"),
                company: cid("c2")
            }]
        ),
        Err(ApplyError::NotAssociated {
            site: sid("s1"),
            company: cid("c2")
        })
    );
    apply(
        &mut snap,
        &mut state,
        &[
            Action::DeleteAssociation {
                site: sid("s1"),
                company: cid("c1"),
            },
            Action::RemoveExclusion { site: sid("s2") },
            Action::Exclude { site: sid("s1") },
        ],
    )
    .unwrap();
    assert!(state.associations.is_empty());
    assert_eq!(state.exclusions.len(), 1);
}
