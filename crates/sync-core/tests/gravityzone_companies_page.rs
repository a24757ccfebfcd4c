//! The companies page: what it shows, each change's confirmation, and each refusal.

mod gravityzone_support;

use gravityzone_support::*;
use sync_core::gravityzone::{
    Action, Change, PrefixCreation, RefusalReason, Settings, StoredState, companies_page,
    validate_changes,
};

fn page_world() -> (sync_core::gravityzone::InventorySnapshot, StoredState) {
    let snap = snapshot(
        vec![
            site("s3", "charlie"),
            site("s1", "Bravo"),
            site("s2", "alpha"),
            ondemand_site("s4", "OnDemand Customer"),
            site("s5", "Deleted Devices"),
        ],
        vec![
            company("c1", "Bravo"),
            company("c2", "zulu"),
            company("c3", "Yankee"),
            moved_company("c4", "Moved"),
        ],
    );
    let state = with_exclusions(associated(&[("s1", "c1"), ("s2", "c9")]), &["s3"]);
    (snap, state)
}

#[test]
fn the_page_lists_managed_sites_by_name_with_association_or_exclusion() {
    let (snap, state) = page_world();
    let page = companies_page(&snap, &state, &Settings::default());
    let rows: Vec<_> = page
        .sites
        .iter()
        .map(|r| {
            (
                r.site.uid.to_string(),
                r.association.as_ref().map(|a| a.id.to_string()),
                r.association.as_ref().and_then(|a| a.name.clone()),
                r.excluded,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("s2".into(), Some("c9".into()), None, false),
            ("s1".into(), Some("c1".into()), Some("Bravo".into()), false),
            ("s3".into(), None, None, true),
        ]
    );
}

#[test]
fn the_page_lists_only_free_companies_under_the_root_by_name() {
    let (snap, state) = page_world();
    let page = companies_page(&snap, &state, &Settings::default());
    let free: Vec<_> = page
        .free_companies
        .iter()
        .map(|c| c.id.to_string())
        .collect();
    assert_eq!(free, vec!["c3", "c2"]);
}

fn refusal(changes: &[Change], settings: &Settings) -> Vec<RefusalReason> {
    let (snap, state) = page_world();
    validate_changes(&snap, &state, settings, changes)
        .unwrap_err()
        .into_iter()
        .map(|r| r.reason)
        .collect()
}

#[test]
fn mapping_to_a_free_company_confirms_association_package_and_site_variable() {
    let (snap, state) = page_world();
    let change = Change::MapToCompany {
        site: sid("s3"),
        company: cid("c2"),
    };
    let confirmation = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        std::slice::from_ref(&change),
    )
    .unwrap();
    let mut expected = vec![Action::RemoveExclusion { site: sid("s3") }];
    expected.extend(associate_existing("s3", "c2"));
    assert_eq!(confirmation.changes.len(), 1);
    assert_eq!(confirmation.changes[0].change, change);
    assert_eq!(confirmation.changes[0].actions, expected);
}

#[test]
fn mapping_an_ondemand_system_or_unknown_site_is_refused() {
    for site in ["s4", "s5", "nope"] {
        assert_eq!(
            refusal(
                &[Change::MapToCompany {
                    site: sid(site),
                    company: cid("c2")
                }],
                &Settings::default()
            ),
            vec![RefusalReason::SiteNotManaged],
            "{site}"
        );
    }
}

#[test]
fn mapping_an_associated_site_is_refused() {
    let reason = RefusalReason::SiteAlreadyAssociated {
        company: cid("c1"),
        company_name: Some("Bravo".into()),
    };
    assert_eq!(
        reason.to_string(),
        "the site is already associated with company \"Bravo\""
    );
    assert_eq!(
        refusal(
            &[Change::MapToCompany {
                site: sid("s1"),
                company: cid("c2")
            }],
            &Settings::default()
        ),
        vec![RefusalReason::SiteAlreadyAssociated {
            company: cid("c1"),
            company_name: Some("Bravo".into()),
        }]
    );
}

#[test]
fn mapping_to_an_unknown_moved_or_taken_company_is_refused() {
    let cases = [
        ("c404", RefusalReason::UnknownCompany),
        ("c4", RefusalReason::CompanyOutsidePartner),
        (
            "c1",
            RefusalReason::CompanyAlreadyAssociated {
                site: sid("s1"),
                site_name: Some("Bravo".into()),
            },
        ),
    ];
    for (company, reason) in cases {
        assert_eq!(
            refusal(
                &[Change::MapToCompany {
                    site: sid("s3"),
                    company: cid(company)
                }],
                &Settings::default()
            ),
            vec![reason]
        );
    }
}

#[test]
fn mapping_two_sites_to_one_company_in_one_batch_is_refused_for_the_second() {
    let (mut snap, state) = page_world();
    snap.sites.push(site("s6", "delta"));
    let changes = [
        Change::MapToCompany {
            site: sid("s3"),
            company: cid("c2"),
        },
        Change::MapToCompany {
            site: sid("s6"),
            company: cid("c2"),
        },
    ];
    let refusals = validate_changes(&snap, &state, &Settings::default(), &changes).unwrap_err();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].index, 1);
    assert_eq!(
        refusals[0].reason,
        RefusalReason::CompanyAlreadyAssociated {
            site: sid("s3"),
            site_name: Some("charlie".into()),
        }
    );
}

#[test]
fn a_new_company_is_named_after_the_site() {
    let (snap, state) = page_world();
    let confirmation = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[Change::CreateCompany { site: sid("s3") }],
    )
    .unwrap();
    let mut expected = vec![Action::RemoveExclusion { site: sid("s3") }];
    expected.extend(create_and_associate("s3", "charlie"));
    assert_eq!(confirmation.changes[0].actions, expected);
}

#[test]
fn a_new_company_takes_the_prefix_when_the_prefix_is_always_used() {
    let (mut snap, state) = page_world();
    snap.sites.push(site("s6", "delta"));
    let settings = with_prefix(Settings::default(), "MSP", PrefixCreation::Always, false);
    let confirmation = validate_changes(
        &snap,
        &state,
        &settings,
        &[Change::CreateCompany { site: sid("s6") }],
    )
    .unwrap();
    assert_eq!(
        confirmation.changes[0].actions,
        create_and_associate("s6", "MSP delta")
    );
}

#[test]
fn a_new_company_is_refused_when_a_company_of_the_sites_name_exists() {
    let (mut snap, state) = page_world();
    snap.sites.push(site("s6", "YANKEE"));
    snap.sites.push(site("s7", "moved"));
    for (site, company, name) in [("s6", "c3", "Yankee"), ("s7", "c4", "Moved")] {
        let refusals = validate_changes(
            &snap,
            &state,
            &Settings::default(),
            &[Change::CreateCompany { site: sid(site) }],
        )
        .unwrap_err();
        assert_eq!(
            refusals[0].reason,
            RefusalReason::CompanyWithSiteNameExists {
                company: cid(company),
                name: name.into(),
            }
        );
    }
}

#[test]
fn a_new_prefixed_company_is_refused_when_the_prefixed_name_exists() {
    let (mut snap, state) = page_world();
    snap.sites.push(site("s6", "delta"));
    snap.companies.push(company("c6", "MSP Delta"));
    let settings = with_prefix(Settings::default(), "MSP", PrefixCreation::Always, false);
    let refusals = validate_changes(
        &snap,
        &state,
        &settings,
        &[Change::CreateCompany { site: sid("s6") }],
    )
    .unwrap_err();
    assert_eq!(
        refusals[0].reason,
        RefusalReason::NameTaken {
            name: "MSP delta".into()
        }
    );
}

#[test]
fn two_new_companies_of_one_name_in_one_batch_are_refused_for_the_second() {
    let (mut snap, state) = page_world();
    snap.sites.push(site("s6", "delta"));
    snap.sites.push(site("s7", "Delta"));
    let refusals = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[
            Change::CreateCompany { site: sid("s6") },
            Change::CreateCompany { site: sid("s7") },
        ],
    )
    .unwrap_err();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].index, 1);
    assert!(matches!(
        refusals[0].reason,
        RefusalReason::CompanyWithSiteNameExists { .. }
    ));
}

#[test]
fn a_new_company_for_an_associated_or_blank_named_site_is_refused() {
    let (mut snap, state) = page_world();
    snap.sites.push(site("s6", "  "));
    assert_eq!(
        refusal(
            &[Change::CreateCompany { site: sid("s1") }],
            &Settings::default()
        ),
        vec![RefusalReason::SiteAlreadyAssociated {
            company: cid("c1"),
            company_name: Some("Bravo".into()),
        }]
    );
    let refusals = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[Change::CreateCompany { site: sid("s6") }],
    )
    .unwrap_err();
    assert_eq!(refusals[0].reason, RefusalReason::BlankSiteName);
}

#[test]
fn excluding_an_associated_site_deletes_its_association_first() {
    let (snap, state) = page_world();
    let confirmation = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[Change::Exclude { site: sid("s1") }],
    )
    .unwrap();
    assert_eq!(
        confirmation.changes[0].actions,
        vec![
            Action::DeleteAssociation {
                site: sid("s1"),
                company: cid("c1")
            },
            Action::Exclude { site: sid("s1") }
        ]
    );
}

#[test]
fn excluding_twice_or_excluding_an_unmanaged_site_is_refused() {
    assert_eq!(
        refusal(&[Change::Exclude { site: sid("s3") }], &Settings::default()),
        vec![RefusalReason::AlreadyExcluded]
    );
    assert_eq!(
        refusal(&[Change::Exclude { site: sid("s4") }], &Settings::default()),
        vec![RefusalReason::SiteNotManaged]
    );
}

#[test]
fn including_takes_an_exclusion_back_and_is_refused_for_a_site_not_excluded() {
    let (snap, state) = page_world();
    let confirmation = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[Change::Include { site: sid("s3") }],
    )
    .unwrap();
    assert_eq!(
        confirmation.changes[0].actions,
        vec![Action::RemoveExclusion { site: sid("s3") }]
    );
    assert_eq!(
        refusal(&[Change::Include { site: sid("s1") }], &Settings::default()),
        vec![RefusalReason::NotExcluded]
    );
}

#[test]
fn deleting_an_association_confirms_it_and_is_refused_for_a_site_without_one() {
    let (snap, state) = page_world();
    let confirmation = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[Change::DeleteAssociation { site: sid("s2") }],
    )
    .unwrap();
    assert_eq!(
        confirmation.changes[0].actions,
        vec![Action::DeleteAssociation {
            site: sid("s2"),
            company: cid("c9")
        }]
    );
    assert_eq!(
        refusal(
            &[Change::DeleteAssociation { site: sid("s3") }],
            &Settings::default()
        ),
        vec![RefusalReason::NotAssociated]
    );
}

#[test]
fn a_batch_is_validated_in_order_so_a_site_can_be_remapped() {
    let (snap, state) = page_world();
    let changes = [
        Change::DeleteAssociation { site: sid("s1") },
        Change::MapToCompany {
            site: sid("s1"),
            company: cid("c3"),
        },
    ];
    let confirmation = validate_changes(&snap, &state, &Settings::default(), &changes).unwrap();
    assert_eq!(confirmation.changes.len(), 2);
}

#[test]
fn every_refusal_of_a_batch_is_reported_and_nothing_is_confirmed() {
    let changes = [
        Change::Include { site: sid("s1") },
        Change::Exclude { site: sid("s2") },
        Change::DeleteAssociation { site: sid("s3") },
    ];
    let (snap, state) = page_world();
    let refusals = validate_changes(&snap, &state, &Settings::default(), &changes).unwrap_err();
    let indexes: Vec<_> = refusals.iter().map(|r| r.index).collect();
    assert_eq!(indexes, vec![0, 2]);
}

#[test]
fn a_deleted_company_shows_under_the_name_its_association_remembers() {
    let (snap, mut state) = page_world();
    // c9 (s2's company) is gone from GravityZone; the association remembers its name.
    state.associations = vec![
        sync_core::gravityzone::Association::new(sid("s1"), cid("c1")),
        sync_core::gravityzone::Association::new(sid("s2"), cid("c9")).remembering(
            root(),
            "alpha",
            "Alpha Old GmbH",
        ),
        sync_core::gravityzone::Association::new(sid("gone"), cid("c8")).remembering(
            root(),
            "Gone Site",
            "Gone Company",
        ),
    ];
    let page = companies_page(&snap, &state, &Settings::default());
    let s2 = page.sites.iter().find(|r| r.site.uid == sid("s2")).unwrap();
    let company = s2.association.as_ref().unwrap();
    assert_eq!(company.name, None);
    assert_eq!(company.last_known_name.as_deref(), Some("Alpha Old GmbH"));
    let s1 = page.sites.iter().find(|r| r.site.uid == sid("s1")).unwrap();
    let company = s1.association.as_ref().unwrap();
    assert_eq!(
        (company.name.as_deref(), company.last_known_name.as_deref()),
        (Some("Bravo"), None)
    );
    assert_eq!(
        page.deleted_sites[0].association.last_known_name.as_deref(),
        Some("Gone Company")
    );
    let refusals = validate_changes(
        &snap,
        &state,
        &Settings::default(),
        &[Change::CreateCompany { site: sid("s2") }],
    )
    .unwrap_err();
    assert_eq!(
        refusals[0].reason,
        RefusalReason::SiteAlreadyAssociated {
            company: cid("c9"),
            company_name: Some("Alpha Old GmbH".into()),
        }
    );
}

#[test]
fn refusals_read_as_sentences() {
    assert_eq!(
        RefusalReason::CompanyWithSiteNameExists {
            company: cid("c3"),
            name: "Yankee".into()
        }
        .to_string(),
        "a company of the site's name exists: \"Yankee\" (c3); map the site to it instead"
    );
}
