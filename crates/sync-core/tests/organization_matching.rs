//! Organization matching: the automatic rules, stored and ignored groups, determinism, and the
//! index against scoring every organization.

#[path = "../benches/support/mod.rs"]
mod generated;

use proptest::prelude::*;
use sync_core::itglue::*;
use sync_core::names::NameAliases;

fn org(id: u64, name: &str) -> Organization {
    Organization {
        id: OrganizationId(id),
        name: name.to_owned(),
    }
}

fn group(uid: &str, name: &str) -> Group {
    Group {
        id: GroupId::Site(SiteUid::new(uid)),
        name: name.to_owned(),
        sites: vec![SiteUid::new(uid)],
        devices: vec![DeviceUid::new(format!("{uid}-device"))],
    }
}

fn outcome_of(result: &OrganizationMatching, uid: &str) -> OrganizationOutcome {
    result
        .get(&GroupId::Site(SiteUid::new(uid)))
        .unwrap()
        .outcome
        .clone()
}

#[test]
fn a_unique_normalised_key_is_a_match() {
    let index = OrganizationIndex::new([org(1, "Acme Dental, LLC"), org(2, "Bolt Plumbing")]);
    let result = index.evaluate("ACME DENTAL (HQ)", &MatchOptions::default());
    assert_eq!(
        result.matched,
        Some((OrganizationId(1), MatchReason::Normalised))
    );
}

#[test]
fn the_same_name_as_written_is_an_exact_match() {
    let index = OrganizationIndex::new([org(1, "Acme Dental, LLC")]);
    let result = index.evaluate("acme dental,  llc", &MatchOptions::default());
    assert_eq!(
        result.matched,
        Some((OrganizationId(1), MatchReason::Exact))
    );
    assert_eq!(result.suggestions[0].score, EXACT_SCORE);
}

#[test]
fn a_key_shared_by_two_organizations_gives_suggestions_not_a_match() {
    let index = OrganizationIndex::new([org(1, "Acme LLC"), org(2, "ACME Inc."), org(3, "Zeta")]);
    let result = index.evaluate("Acme", &MatchOptions::default());
    assert_eq!(result.matched, None);
    let ids: Vec<_> = result.suggestions.iter().map(|s| s.candidate).collect();
    assert_eq!(ids, [OrganizationId(1), OrganizationId(2)]);
    assert!(
        result
            .suggestions
            .iter()
            .all(|s| s.reason == MatchReason::Normalised)
    );
    assert_eq!(result.suggestions[0].margin, 0.0);
}

#[test]
fn among_organizations_sharing_a_key_the_same_legal_form_ranks_first() {
    let index = OrganizationIndex::new([org(1, "Stanton LLC"), org(2, "Stanton PLC")]);
    let result = index.evaluate("Stanton, P.L.C.", &MatchOptions::default());
    assert_eq!(result.matched, None);
    assert_eq!(result.suggestions[0].candidate, OrganizationId(2));
    assert_eq!(result.suggestions[0].score, NORMALISED_SCORE);
    assert_eq!(result.suggestions[1].score, NORMALISED_OTHER_FORM_SCORE);
}

#[test]
fn an_exact_name_breaks_a_tie_on_the_key() {
    let index = OrganizationIndex::new([org(1, "Acme - East"), org(2, "Acme - West")]);
    let result = index.evaluate("ACME - WEST", &MatchOptions::default());
    assert_eq!(
        result.matched,
        Some((OrganizationId(2), MatchReason::Exact))
    );
}

#[test]
fn a_tenant_alias_is_a_match() {
    let index = OrganizationIndex::new([org(1, "Robert Smith Retail LLC"), org(2, "Bob's Bikes")]);
    let options = MatchOptions {
        aliases: [("Bob's Shop", "Robert Smith Retail")]
            .into_iter()
            .collect::<NameAliases>(),
        ..MatchOptions::default()
    };
    let result = index.evaluate("Bobs Shop", &options);
    assert_eq!(
        result.matched,
        Some((OrganizationId(1), MatchReason::Alias))
    );
    assert_eq!(result.suggestions[0].reason, MatchReason::Alias);
}

#[test]
fn fuzzy_similarity_suggests_but_never_matches() {
    let index = OrganizationIndex::new([org(1, "Swaniawski Ltd"), org(2, "Kuhlman-Bogisich")]);
    let result = index.evaluate("Swaniawskx Ltd", &MatchOptions::default());
    assert_eq!(result.matched, None);
    assert_eq!(result.suggestions.len(), 1);
    assert_eq!(result.suggestions[0].candidate, OrganizationId(1));
    assert_eq!(result.suggestions[0].reason, MatchReason::Fuzzy);
    assert!(result.suggestions[0].score <= FUZZY_CAP);
}

#[test]
fn names_below_the_weak_floor_are_not_suggested() {
    let index = OrganizationIndex::new([org(1, "Kuhlman-Bogisich")]);
    let result = index.evaluate("Zyx", &MatchOptions::default());
    assert!(result.suggestions.is_empty(), "{:?}", result.suggestions);
}

#[test]
fn a_name_with_nothing_above_the_floor_gets_its_best_candidate_as_one_weak_suggestion() {
    let index = OrganizationIndex::new([
        org(1, "Swaniawski Ltd"),
        org(2, "Kuhlman-Bogisich"),
        org(3, "Kuhlman Bogisich Dental"),
    ]);
    let options = MatchOptions::default();
    let result = index.evaluate("Swannawsky Logistics", &options);
    assert_eq!(result.matched, None);
    assert_eq!(result.suggestions.len(), 1, "{:?}", result.suggestions);
    let weak = &result.suggestions[0];
    assert!(weak.weak);
    assert_eq!(weak.candidate, OrganizationId(1));
    assert!(weak.score < options.floor && weak.score >= WEAK_SUGGESTION_FLOOR);
    assert_eq!(weak.margin, weak.score);
    // An ordinary suggestion is never weak.
    assert!(
        index
            .evaluate("Swaniawskx Ltd", &options)
            .suggestions
            .iter()
            .all(|s| !s.weak)
    );

    // The pass shows it, never matches it, and counts the group as unmatched.
    let result = match_organizations(
        &[group("s1", "Swannawsky Logistics")],
        &index,
        &[],
        &[],
        &options,
    );
    assert!(matches!(
        outcome_of(&result, "s1"),
        OrganizationOutcome::WeakSuggestion { suggestion } if suggestion.weak && suggestion.candidate == OrganizationId(1)
    ));
    assert_eq!(result.counts().unmatched, 1);
    assert_eq!(result.new_matches().count(), 0);
}

#[test]
fn a_floor_at_or_below_the_weak_floor_gives_no_weak_suggestion() {
    let index = OrganizationIndex::new([org(1, "Swaniawski Ltd")]);
    let options = MatchOptions {
        floor: WEAK_SUGGESTION_FLOOR,
        ..MatchOptions::default()
    };
    let result = index.evaluate("Swannawsky Logistics", &options);
    assert!(result.suggestions.iter().all(|s| !s.weak));
}

#[test]
fn suggestions_are_cut_to_top_k() {
    let orgs = (0..10).map(|i| org(i, &format!("Acme Dental {i}")));
    let index = OrganizationIndex::new(orgs);
    let options = MatchOptions {
        top_k: 3,
        ..MatchOptions::default()
    };
    assert_eq!(index.evaluate("Acme Dental", &options).suggestions.len(), 3);
}

#[test]
fn a_name_without_letters_matches_nothing() {
    let index = OrganizationIndex::new([org(1, "---"), org(2, "Acme")]);
    let result = index.evaluate("---", &MatchOptions::default());
    assert_eq!(result.matched, None);
    assert!(result.suggestions.is_empty());
}

#[test]
fn with_same_key_finds_the_organizations_a_new_one_would_duplicate() {
    let index = OrganizationIndex::new([
        org(1, "Acme LLC"),
        org(2, "ACME, Inc."),
        org(3, "Acme Dental"),
    ]);
    assert_eq!(
        index.with_same_key("The Acme Corporation"),
        [OrganizationId(1), OrganizationId(2)]
    );
}

#[test]
fn a_stored_match_wins_over_a_better_automatic_match() {
    let index = OrganizationIndex::new([org(1, "Acme"), org(2, "Other")]);
    let stored = [StoredOrganizationMatch {
        group: GroupId::Site(SiteUid::new("s1")),
        organization: OrganizationId(2),
        origin: MatchOrigin::User,
    }];
    let result = match_organizations(
        &[group("s1", "Acme")],
        &index,
        &stored,
        &[],
        &MatchOptions::default(),
    );
    assert_eq!(
        outcome_of(&result, "s1"),
        OrganizationOutcome::Stored {
            organization: OrganizationId(2),
            organization_exists: true
        }
    );
    assert_eq!(result.new_matches().count(), 0);
}

#[test]
fn a_stored_match_to_a_deleted_organization_is_kept_and_flagged() {
    let index = OrganizationIndex::new([org(1, "Acme")]);
    let stored = [StoredOrganizationMatch {
        group: GroupId::Site(SiteUid::new("s1")),
        organization: OrganizationId(9),
        origin: MatchOrigin::Automatic {
            reason: MatchReason::Exact,
        },
    }];
    let result = match_organizations(
        &[group("s1", "Acme")],
        &index,
        &stored,
        &[],
        &MatchOptions::default(),
    );
    assert_eq!(
        outcome_of(&result, "s1"),
        OrganizationOutcome::Stored {
            organization: OrganizationId(9),
            organization_exists: false
        }
    );
}

#[test]
fn ignored_groups_are_not_counted_as_unmatched() {
    let index = OrganizationIndex::new([org(1, "Acme")]);
    let groups = [
        group("s1", "Nothing Alike"),
        group("s2", "Zzyzx Holdings"),
        group("s3", "Acme"),
    ];
    let ignored = [GroupId::Site(SiteUid::new("s2"))];
    let result = match_organizations(&groups, &index, &[], &ignored, &MatchOptions::default());
    assert_eq!(outcome_of(&result, "s2"), OrganizationOutcome::Ignored);
    assert_eq!(
        result.counts(),
        MatchCounts {
            groups: 3,
            matched: 1,
            suggested: 0,
            unmatched: 1,
            ignored: 1
        }
    );
}

#[test]
fn outcomes_serialise_with_their_kind() {
    let outcome = OrganizationOutcome::Matched {
        organization: OrganizationId(5),
        reason: MatchReason::Normalised,
    };
    let json = serde_json::to_string(&outcome).unwrap();
    assert_eq!(
        json,
        r#"{"outcome":"matched","organization":5,"reason":"normalised"}"#
    );
    let stored = StoredOrganizationMatch {
        group: GroupId::Site(SiteUid::new("s")),
        organization: OrganizationId(5),
        origin: MatchOrigin::User,
    };
    let back: StoredOrganizationMatch =
        serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
    assert_eq!(back, stored);
}

#[test]
fn the_index_scores_only_a_small_share_of_the_organizations() {
    // The benchmark runs 10,000 x 10,000; this is the same inventory at a size a debug test
    // affords.
    let (organizations, sites) = generated::organizations_and_sites(1_000, 1);
    let index = OrganizationIndex::new(organizations);
    let options = MatchOptions::default();
    let scored: usize = index
        .evaluate_all(sites.iter().map(String::as_str), &options)
        .map(|m| m.scored)
        .sum();
    println!("scored {scored} of 1,000,000 pairs");
    assert!(scored < 1_000_000 / 50, "scored {scored} pairs");
}

#[test]
fn hostile_names_go_through_matching_unharmed() {
    let hostile = [
        "Robert'); DROP TABLE organizations;--".to_owned(),
        "\"Quoted\" \\ Back\\slash".to_owned(),
        "Acme\u{202e}latneD\u{202c}".to_owned(),
        "\u{0}\u{7}\u{1b}[31mRed\u{1b}[0m".to_owned(),
        "😀 Emoji Holdings 🏢".to_owned(),
        "Acme ".repeat(2_000),
        "x".repeat(10_000),
    ];
    let index = OrganizationIndex::new(
        hostile
            .iter()
            .enumerate()
            .map(|(i, n)| org(i as u64 + 1, n))
            .chain([org(100, "Acme Dental")]),
    );
    for (i, name) in hostile.iter().enumerate() {
        let result = index.evaluate(name, &MatchOptions::default());
        assert_eq!(result.name.raw, *name);
        if !result.name.key.is_empty() {
            assert_eq!(
                result.matched,
                Some((OrganizationId(i as u64 + 1), MatchReason::Exact))
            );
        }
        let json = serde_json::to_string(&result).unwrap();
        assert!(!json.is_empty());
    }
}

// ---- properties ----

const SURNAMES: &[&str] = &[
    "acme", "bolt", "schinner", "schmidt", "smith", "brown", "dental", "kuhn", "koch", "rath",
    "lynch", "hill", "hilltop", "lehner", "stanton", "quitzon", "walter", "turner", "bayer",
];
const WORDS: &[&str] = &[
    "group", "services", "and", "sons", "medical", "it", "holdings", "of",
];
const FORMS: &[&str] = &["", " LLC", " Inc.", " Ltd", " PLC", " GmbH", " & Co"];

/// A company name: one to three surnames or common words and a legal form.
fn company_name() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        3 => prop::sample::select(SURNAMES).prop_map(str::to_owned),
        1 => prop::sample::select(WORDS).prop_map(str::to_owned),
        1 => "[a-z]{3,9}",
    ];
    (
        prop::collection::vec(word, 1..4),
        prop::sample::select(FORMS),
    )
        .prop_map(|(words, form)| format!("{}{form}", words.join(" ")))
}

/// A name as a site might spell it: a typo, another case, a location or another legal form.
fn variant(name: String) -> impl Strategy<Value = String> {
    let len = name.chars().count();
    (0..4u8, 0..len.max(1), prop::sample::select(FORMS)).prop_map(move |(kind, at, form)| {
        let chars: Vec<char> = name.chars().collect();
        match kind {
            0 => {
                let mut c = chars.clone();
                if at < c.len() {
                    c[at] = 'x';
                }
                c.into_iter().collect()
            }
            1 => name.to_uppercase(),
            2 => format!("{name} - Main Office"),
            _ => format!(
                "{}{form}",
                chars.iter().take_while(|c| **c != ' ').collect::<String>()
            ),
        }
    })
}

fn queries(orgs: Vec<String>) -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    let from_orgs = prop::sample::select(orgs.clone()).prop_flat_map(variant);
    let queries = prop::collection::vec(prop_oneof![from_orgs, company_name()], 1..12);
    (Just(orgs), queries)
}

fn index_of(names: &[String]) -> OrganizationIndex {
    OrganizationIndex::new(names.iter().enumerate().map(|(i, n)| org(i as u64 + 1, n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn indexed_top_k_equals_brute_force_top_k(
        (orgs, queries) in prop::collection::vec(company_name(), 1..300).prop_flat_map(queries),
        floor in prop_oneof![Just(DEFAULT_SUGGESTION_FLOOR), 0.51..0.95f64],
        top_k in 1usize..6,
    ) {
        let index = index_of(&orgs);
        let options = MatchOptions { floor, top_k, ..MatchOptions::default() };
        let weak_options = MatchOptions { floor: WEAK_SUGGESTION_FLOOR, top_k: 1, ..MatchOptions::default() };
        for query in &queries {
            let found = index.evaluate(query, &options);
            let brute = index.suggest_exhaustive(query, &options);
            if brute.is_empty() && found.matched.is_none() {
                // Nothing above the floor: the best candidate above the weak floor, weak.
                let best: Vec<_> = index
                    .suggest_exhaustive(query, &weak_options)
                    .into_iter()
                    .map(|mut s| { s.weak = true; s.margin = s.score; s })
                    .collect();
                prop_assert_eq!(found.suggestions, best, "query {:?}", query);
            } else {
                prop_assert_eq!(found.suggestions, brute, "query {:?}", query);
            }
        }
    }

    #[test]
    fn matching_does_not_depend_on_input_order(
        (orgs, queries) in prop::collection::vec(company_name(), 1..60).prop_flat_map(queries),
        seed in any::<u64>(),
    ) {
        let groups: Vec<Group> = queries.iter().enumerate().map(|(i, q)| group(&format!("s{i}"), q)).collect();
        let stored: Vec<StoredOrganizationMatch> = groups.iter().step_by(3).map(|g| StoredOrganizationMatch {
            group: g.id.clone(),
            organization: OrganizationId(1),
            origin: MatchOrigin::User,
        }).collect();
        let ignored: Vec<GroupId> = groups.iter().skip(1).step_by(4).map(|g| g.id.clone()).collect();
        let options = MatchOptions::default();
        let forward = match_organizations(&groups, &index_of(&orgs), &stored, &ignored, &options);

        let shuffle = |len: usize| {
            let mut order: Vec<usize> = (0..len).collect();
            let mut state = seed | 1;
            for i in (1..len).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            order
        };
        let shuffled_orgs: Vec<Organization> = shuffle(orgs.len()).into_iter().map(|i| org(i as u64 + 1, &orgs[i])).collect();
        let shuffled_groups: Vec<Group> = shuffle(groups.len()).into_iter().map(|i| groups[i].clone()).collect();
        let mut reversed_stored = stored.clone();
        reversed_stored.reverse();
        let mut reversed_ignored = ignored.clone();
        reversed_ignored.reverse();
        let backward = match_organizations(
            &shuffled_groups,
            &OrganizationIndex::new(shuffled_orgs),
            &reversed_stored,
            &reversed_ignored,
            &options,
        );
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn a_rerun_never_changes_a_stored_match(
        (orgs, queries) in prop::collection::vec(company_name(), 1..60).prop_flat_map(queries),
        renamed in prop::collection::vec(company_name(), 1..60),
    ) {
        let groups: Vec<Group> = queries.iter().enumerate().map(|(i, q)| group(&format!("s{i}"), q)).collect();
        let options = MatchOptions::default();
        let first = match_organizations(&groups, &index_of(&orgs), &[], &[], &options);
        let stored: Vec<StoredOrganizationMatch> = first.new_matches().collect();

        // The organizations change completely (renamed, some gone, new ones) before the rerun.
        let rerun = match_organizations(&groups, &index_of(&renamed), &stored, &[], &options);
        for kept in &stored {
            let outcome = &rerun.get(&kept.group).unwrap().outcome;
            let is_same_stored_match = matches!(
                outcome,
                OrganizationOutcome::Stored { organization, .. } if *organization == kept.organization
            );
            prop_assert!(is_same_stored_match, "{:?} became {:?}", kept, outcome);
        }
        prop_assert_eq!(rerun.new_matches().filter(|m| stored.iter().any(|s| s.group == m.group)).count(), 0);
    }
}
