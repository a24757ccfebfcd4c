//! Prefix rules: new company names for each prefix option, the prefixed name used for
//! association, and the edge cases (blank prefix, blanks, case, the vendor's length limit).

use sync_core::gravityzone::prefix::{association_names, plain_name};
use sync_core::gravityzone::{
    COMPANY_NAME_MAX_CHARS, NewCompanyName, PrefixCreation, PrefixSettings, new_company_name,
    prefixed_name,
};

fn prefix(text: &str, creation: PrefixCreation, association: bool) -> PrefixSettings {
    PrefixSettings {
        text: text.into(),
        use_for_creation: creation,
        use_for_association: association,
    }
}

fn nothing_taken(_: &str) -> bool {
    false
}

fn free(name: &str) -> NewCompanyName {
    NewCompanyName::Free(name.into())
}

#[test]
fn the_prefixed_name_is_prefix_one_blank_and_name() {
    let p = prefix("MSP", PrefixCreation::Always, false);
    assert_eq!(prefixed_name(&p, "Acme").as_deref(), Some("MSP Acme"));
}

#[test]
fn blanks_around_prefix_and_name_are_dropped_so_exactly_one_blank_separates_them() {
    let p = prefix("  MSP  ", PrefixCreation::Always, false);
    assert_eq!(
        prefixed_name(&p, "  Acme GmbH  ").as_deref(),
        Some("MSP Acme GmbH")
    );
}

#[test]
fn blanks_inside_the_prefix_are_kept() {
    let p = prefix("My MSP", PrefixCreation::Always, false);
    assert_eq!(prefixed_name(&p, "Acme").as_deref(), Some("My MSP Acme"));
}

#[test]
fn a_blank_prefix_has_no_prefixed_name() {
    let p = prefix("   ", PrefixCreation::Always, true);
    assert_eq!(prefixed_name(&p, "Acme"), None);
}

#[test]
fn never_uses_the_site_name() {
    let p = prefix("MSP", PrefixCreation::Never, false);
    assert_eq!(new_company_name("Acme", &p, nothing_taken), free("Acme"));
}

#[test]
fn never_gives_up_when_the_site_name_is_taken() {
    let p = prefix("MSP", PrefixCreation::Never, false);
    assert_eq!(
        new_company_name("Acme", &p, |n| n == "Acme"),
        NewCompanyName::Taken {
            wanted: "Acme".into()
        }
    );
}

#[test]
fn always_uses_the_prefixed_name() {
    let p = prefix("MSP", PrefixCreation::Always, false);
    assert_eq!(
        new_company_name("Acme", &p, nothing_taken),
        free("MSP Acme")
    );
}

#[test]
fn always_gives_up_when_the_prefixed_name_is_taken_even_if_the_site_name_is_free() {
    let p = prefix("MSP", PrefixCreation::Always, false);
    assert_eq!(
        new_company_name("Acme", &p, |n| n == "MSP Acme"),
        NewCompanyName::Taken {
            wanted: "MSP Acme".into()
        }
    );
}

#[test]
fn always_with_a_blank_prefix_uses_the_site_name() {
    let p = prefix("", PrefixCreation::Always, false);
    assert_eq!(new_company_name("Acme", &p, nothing_taken), free("Acme"));
}

#[test]
fn only_if_name_exists_uses_the_site_name_when_it_is_free() {
    let p = prefix("MSP", PrefixCreation::OnlyIfNameExists, false);
    assert_eq!(new_company_name("Acme", &p, nothing_taken), free("Acme"));
}

#[test]
fn only_if_name_exists_uses_the_prefixed_name_when_the_site_name_is_taken() {
    let p = prefix("MSP", PrefixCreation::OnlyIfNameExists, false);
    assert_eq!(
        new_company_name("Acme", &p, |n| n == "Acme"),
        free("MSP Acme")
    );
}

#[test]
fn only_if_name_exists_gives_up_when_both_names_are_taken_and_reports_the_site_name() {
    let p = prefix("MSP", PrefixCreation::OnlyIfNameExists, false);
    assert_eq!(
        new_company_name("Acme", &p, |_| true),
        NewCompanyName::Taken {
            wanted: "Acme".into()
        }
    );
}

#[test]
fn only_if_name_exists_with_a_blank_prefix_has_no_alternative() {
    let p = prefix(" ", PrefixCreation::OnlyIfNameExists, false);
    assert_eq!(
        new_company_name("Acme", &p, |n| n == "Acme"),
        NewCompanyName::Taken {
            wanted: "Acme".into()
        }
    );
}

#[test]
fn a_blank_site_name_gives_no_company_name() {
    let p = prefix("MSP", PrefixCreation::Always, false);
    assert_eq!(
        new_company_name("   ", &p, nothing_taken),
        NewCompanyName::NoName
    );
}

#[test]
fn the_site_name_loses_its_surrounding_blanks() {
    let p = prefix("MSP", PrefixCreation::Never, false);
    assert_eq!(
        new_company_name("  Acme  ", &p, nothing_taken),
        free("Acme")
    );
}

#[test]
fn a_site_name_over_the_limit_is_cut_to_the_limit() {
    let long = "A".repeat(COMPANY_NAME_MAX_CHARS + 10);
    let p = prefix("MSP", PrefixCreation::Never, false);
    assert_eq!(
        new_company_name(&long, &p, nothing_taken),
        free(&"A".repeat(COMPANY_NAME_MAX_CHARS))
    );
}

#[test]
fn a_prefixed_name_over_the_limit_keeps_the_prefix_and_cuts_the_site_name() {
    let long = "B".repeat(COMPANY_NAME_MAX_CHARS);
    let p = prefix("MSP", PrefixCreation::Always, false);
    let name = prefixed_name(&p, &long).unwrap();
    assert_eq!(name.chars().count(), COMPANY_NAME_MAX_CHARS);
    assert!(name.starts_with("MSP B"));
}

#[test]
fn the_limit_counts_characters_not_bytes() {
    let long = "ü".repeat(COMPANY_NAME_MAX_CHARS);
    assert_eq!(
        plain_name(&long).unwrap().chars().count(),
        COMPANY_NAME_MAX_CHARS
    );
    let p = prefix("MSP", PrefixCreation::Always, false);
    assert_eq!(
        prefixed_name(&p, &long).unwrap().chars().count(),
        COMPANY_NAME_MAX_CHARS
    );
}

#[test]
fn case_is_kept_in_generated_names() {
    let p = prefix("msp", PrefixCreation::Always, false);
    assert_eq!(
        new_company_name("ACME", &p, nothing_taken),
        free("msp ACME")
    );
}

#[test]
fn the_taken_check_sees_the_name_that_would_be_created() {
    // The caller compares names case-insensitively; the rule asks about the exact candidate.
    let p = prefix("MSP", PrefixCreation::OnlyIfNameExists, false);
    let asked = std::cell::RefCell::new(Vec::new());
    let _ = new_company_name(" Acme ", &p, |n| {
        asked.borrow_mut().push(n.to_owned());
        true
    });
    assert_eq!(
        *asked.borrow(),
        vec!["Acme".to_owned(), "MSP Acme".to_owned()]
    );
}

#[test]
fn association_looks_for_the_prefixed_name_only_when_asked_to() {
    let on = prefix("MSP", PrefixCreation::Never, true);
    let off = prefix("MSP", PrefixCreation::Never, false);
    assert_eq!(
        association_names("Acme", &on).prefixed.as_deref(),
        Some("MSP Acme")
    );
    assert_eq!(association_names("Acme", &off).prefixed, None);
    assert_eq!(
        association_names("Acme", &off).plain.as_deref(),
        Some("Acme")
    );
}

#[test]
fn association_with_a_blank_prefix_looks_for_the_site_name_only() {
    let p = prefix("", PrefixCreation::Never, true);
    let names = association_names("Acme", &p);
    assert_eq!(names.plain.as_deref(), Some("Acme"));
    assert_eq!(names.prefixed, None);
}

#[test]
fn association_names_are_cut_like_created_names_so_a_long_site_finds_its_company() {
    let long = "C".repeat(COMPANY_NAME_MAX_CHARS + 5);
    let p = prefix("MSP", PrefixCreation::Always, true);
    let names = association_names(&long, &p);
    assert_eq!(names.plain, plain_name(&long));
    assert_eq!(names.prefixed, prefixed_name(&p, &long));
}
