//! Properties of company-name normalisation.

use proptest::prelude::*;
use sync_core::names::normalize_company_name;

/// Names built from the pieces that the normalisation treats specially.
fn name_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Za-z]{1,8}",
        Just("The".to_owned()),
        Just("&".to_owned()),
        Just("+".to_owned()),
        Just("Inc.".to_owned()),
        Just("LLC".to_owned()),
        Just("Pty Ltd".to_owned()),
        Just("GmbH & Co. KG".to_owned()),
        Just("S.A.".to_owned()),
        Just("Co".to_owned()),
        Just("HQ".to_owned()),
        Just("Branch 12".to_owned()),
        Just("- Main Office".to_owned()),
        Just("(Denver)".to_owned()),
        Just("#1234".to_owned()),
        Just("Dr.".to_owned()),
        Just("MD".to_owned()),
        Just("Ph.D.".to_owned()),
        Just("CPA".to_owned()),
        Just("St.".to_owned()),
        Just("Mgmt".to_owned()),
        Just("co-op".to_owned()),
        Just("O'Brien".to_owned()),
        Just("Müller".to_owned()),
        Just("ß".to_owned()),
        Just("Ｆｕｌｌ".to_owned()),
        Just("ltdplc".to_owned()),
        "[0-9]{1,4}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalisation_is_idempotent_on_name_like_input(raw in name_like()) {
        let once = normalize_company_name(&raw);
        let twice = normalize_company_name(&once.key);
        prop_assert_eq!(&twice.key, &once.key, "raw {:?}", raw);
    }

    #[test]
    fn normalisation_is_idempotent_on_any_text(raw in "\\PC{0,40}") {
        let once = normalize_company_name(&raw);
        let twice = normalize_company_name(&once.key);
        prop_assert_eq!(&twice.key, &once.key, "raw {:?}", raw);
    }

    #[test]
    fn keys_are_single_spaced_lower_case_words(raw in name_like()) {
        let key = normalize_company_name(&raw).key;
        prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
        prop_assert!(key.chars().all(|c| c == ' ' || c == char::REPLACEMENT_CHARACTER || c.is_alphanumeric()));
        prop_assert_eq!(key.to_lowercase(), key.clone());
    }

    #[test]
    fn a_name_with_a_letter_never_has_an_empty_key(raw in "[A-Za-z]{1,3}[ .,&-]{0,3}\\PC{0,20}") {
        prop_assert!(!normalize_company_name(&raw).key.is_empty());
    }
}

#[test]
fn very_long_and_hostile_names_normalise_without_harm() {
    let long = "Acme ".repeat(2_000);
    assert_eq!(normalize_company_name(&long).key.split(' ').count(), 2_000);
    let hostile = "Robert'); DROP TABLE orgs;-- \u{202e}ƃuıʇsǝʇ 😀\u{0}";
    let name = normalize_company_name(hostile);
    assert_eq!(name.raw, hostile);
    assert!(!name.key.is_empty());
}

/// Names of 10,000 characters in the shapes that made the normalisation quadratic (runs of
/// initials, repeated leading "the", repeated legal forms, location tails, glued forms, one long
/// word). They are normalised and scored against an index here; a quadratic step would make this
/// test take minutes in a debug build (it is checked by how long CI takes, never by a time bound
/// in the test).
#[test]
fn names_of_ten_thousand_characters_are_normalised_and_matched() {
    use sync_core::itglue::{MatchOptions, Organization, OrganizationId, OrganizationIndex};

    const LENGTH: usize = 10_000;
    let fill = |unit: &str, prefix: &str, suffix: &str| {
        let mut text = prefix.to_owned();
        while text.len() + unit.len() + suffix.len() <= LENGTH {
            text.push_str(unit);
        }
        text.push_str(suffix);
        text
    };
    let names = [
        fill("a ", "", "Dental"),
        fill("I.", "", " Corp"),
        fill("The ", "", "Acme"),
        fill(" Inc", "Acme", ""),
        fill(" - East", "Acme", ""),
        fill("plc", "Acme", ""),
        fill("x", "", ""),
        fill("Dr. ", "", "Acme MD"),
        fill("Smith Dental ", "", "LLC"),
    ];
    let index = OrganizationIndex::new(
        [
            "Acme Dental",
            "Smith Dental LLC",
            "I.B.M. Corp",
            "Bolt Plumbing",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| Organization {
            id: OrganizationId(i as u64 + 1),
            name: (*n).to_owned(),
        }),
    );
    for name in &names {
        let normalized = normalize_company_name(name);
        assert!(!normalized.key.is_empty() || name.trim().is_empty());
        assert_eq!(normalize_company_name(&normalized.key).key, normalized.key);
        let found = index.evaluate(name, &MatchOptions::default());
        assert!(found.suggestions.iter().all(|s| s.score <= 1.0));
    }
    // A long name is also indexed and found.
    let long = fill("Smith Dental ", "", "LLC");
    let index = OrganizationIndex::new([Organization {
        id: OrganizationId(1),
        name: long.clone(),
    }]);
    assert_eq!(
        index
            .evaluate(&long, &MatchOptions::default())
            .matched
            .map(|m| m.0),
        Some(OrganizationId(1))
    );
}

#[test]
fn the_german_sole_trader_form_e_k_is_a_legal_form() {
    assert_eq!(
        normalize_company_name("Patel Printing e.K.").key,
        normalize_company_name("Patel Printing").key
    );
    assert_eq!(
        normalize_company_name("Müller e. K.").key,
        normalize_company_name("Müller").key
    );
    // Only behind a real word: "EK" alone stays a name.
    assert!(!normalize_company_name("EK").key.is_empty());
}
