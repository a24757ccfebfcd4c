//! Company-name normalisation: the key under which a site, an Autotask company and an IT Glue
//! organization are compared.
//!
//! [`normalize_company_name`] runs these steps, in this order:
//!
//! 1. Unicode NFKC (full-width letters, ligatures and other compatibility forms become plain
//!    letters).
//! 2. Written location tails are split off the end, repeatedly: " - Main Office", "(HQ)",
//!    "\[Denver\]", "#1234". They are kept in [`NormalizedName::location`].
//! 3. Case folding and accent removal (é → e, ß → ss, ø → o …); `&` and `+` read as "and";
//!    apostrophes dropped so the letters around them join (O'Brien → obrien); control
//!    characters and U+FFFD (letters lost to a broken encoding) stay in their word as U+FFFD;
//!    every other punctuation character is a word break; whitespace collapses.
//! 4. Runs of single letters join ("I.B.M." → "ibm", "S.A." → "sa").
//! 5. Abbreviations from a small table are spelt out (st → saint, mgmt → management,
//!    coop → cooperative, med → medical, …).
//! 6. A leading "the" and a leading title ("Dr.") are dropped; the title is kept with the legal
//!    forms.
//! 7. Repeatedly, until nothing changes: a trailing legal form is removed (longest first from a
//!    curated multi-country list: inc, llc, ltd, gmbh, pty ltd, …; short ambiguous forms such as
//!    "co" or "sa" only when a word of three or more letters stays in front; "SchummPLC" loses its
//!    glued "plc"; professional designations such as MD, DDS, DMD, DVM, CPA, Esq., PhD and RN
//!    count as legal forms), and trailing location words ("HQ", "Branch 12", "Main Office") move to the
//!    location. No step ever removes the last word.
//!
//! The result is idempotent: normalising a key gives the same key.
//!
//! ```
//! use sync_core::names::normalize_company_name;
//!
//! let name = normalize_company_name("The St. Mary's Med Ctr, Inc. - Main Office");
//! assert_eq!(name.key, "saint marys medical center");
//! assert_eq!(name.legal_forms, ["inc"]);
//! assert_eq!(name.location.as_deref(), Some("Main Office"));
//! assert!(normalize_company_name("ST MARYS MEDICAL CENTER LLC").same_company(&name));
//! ```

mod abbreviations;
mod aliases;
mod fold;
mod legal_forms;
mod location;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

pub use aliases::NameAliases;

/// A company name taken apart for comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormalizedName {
    /// The name exactly as it was given.
    pub raw: String,
    /// The whole name in lower case with whitespace collapsed, punctuation, accents, legal form
    /// and location kept. Two names with the same `exact` form are the same name as written.
    pub exact: String,
    /// The normalised key: folded words joined by single blanks, without legal forms, location
    /// or a leading "the". Empty only when the name has no letter or digit.
    pub key: String,
    /// The legal forms and professional designations removed from the end, in the order they
    /// were written ("pty ltd", "md"), after a leading title ("dr") if there was one.
    pub legal_forms: Vec<String>,
    /// The location tails removed, in the order they were written and joined by a blank
    /// ("Main Office", "HQ", "#1234"), if there were any.
    pub location: Option<String>,
}

impl NormalizedName {
    /// The words of the key.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.key.split(' ').filter(|w| !w.is_empty())
    }

    /// Whether both names have the same non-empty key: the same company once legal forms,
    /// location, case, accents, punctuation and abbreviations are set aside.
    pub fn same_company(&self, other: &NormalizedName) -> bool {
        !self.key.is_empty() && self.key == other.key
    }
}

/// Normalises a company name (see the [module documentation](self) for the steps).
pub fn normalize_company_name(raw: &str) -> NormalizedName {
    let nfkc: String = raw.nfkc().collect();
    let exact = fold::fold_exact(&nfkc);

    let mut body = nfkc.trim();
    let mut written_tails = Vec::new();
    while let Some((rest, tail)) = location::split_written_tail(body) {
        written_tails.push(tail.to_owned());
        body = rest;
    }
    written_tails.reverse();

    let mut words = abbreviations::expand(&join_single_letters(fold::fold_words(body)));
    let leading = words
        .iter()
        .take_while(|w| *w == "the" || legal_forms::LEADING_TITLES.contains(&w.as_str()))
        .count();
    let titles: Vec<String> = words
        .drain(..leading.min(words.len().saturating_sub(1)))
        .filter(|w| w != "the")
        .collect();

    // Every step below changes only the end of `words`, so the leading short words stay what
    // they are: counted once, they tell a short legal form whether a real word stands in front.
    let leading_short = words
        .iter()
        .take_while(|w| !legal_forms::is_long(w))
        .count();
    let mut legal_forms = Vec::new();
    let mut word_tails = Vec::new();
    loop {
        if let Some(form) = legal_forms::strip_one(&mut words, leading_short) {
            legal_forms.push(form);
            // A glued form leaves a shorter last word that may be an abbreviation (of one or,
            // with the word before, two words; the words in front are spelt out already).
            let tail = words.len().saturating_sub(2);
            let expanded = abbreviations::expand(&words[tail..]);
            words.truncate(tail);
            words.extend(expanded);
            continue;
        }
        let tail = location::word_tail_len(&words);
        if tail > 0 {
            word_tails.push(words.split_off(words.len() - tail).join(" "));
            continue;
        }
        break;
    }
    legal_forms.reverse();
    // Leading titles count as legal forms, in the order written.
    legal_forms.splice(0..0, titles);
    word_tails.reverse();

    let location_parts: Vec<String> = word_tails.into_iter().chain(written_tails).collect();
    NormalizedName {
        raw: raw.to_owned(),
        exact,
        key: words.join(" "),
        legal_forms,
        location: (!location_parts.is_empty()).then(|| location_parts.join(" ")),
    }
}

/// Whether two names normalise to the same non-empty key.
pub fn same_company_name(a: &str, b: &str) -> bool {
    normalize_company_name(a).same_company(&normalize_company_name(b))
}

/// Joins runs of two or more one-letter words: "i b m" → "ibm".
fn join_single_letters(words: Vec<String>) -> Vec<String> {
    let single = |w: &str| {
        let mut chars = w.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    };
    // Recomposed once per run: two joined letters may form one character (Hangul jamo). NFC of
    // the whole run equals recomposing letter by letter, and is linear in the run's length.
    let recompose = |out: &mut Vec<String>, run: usize| {
        if run > 1
            && let Some(last) = out.last_mut()
            && !last.is_ascii()
        {
            *last = last.nfc().collect();
        }
    };
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut run = 0usize;
    for word in words {
        let is_single = single(&word);
        match out.last_mut() {
            Some(last) if is_single && run > 0 => {
                last.push_str(&word);
                run += 1;
            }
            _ => {
                recompose(&mut out, run);
                run = usize::from(is_single);
                out.push(word);
            }
        }
    }
    recompose(&mut out, run);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> String {
        normalize_company_name(name).key
    }

    #[test]
    fn legal_forms_and_punctuation_do_not_change_the_key() {
        assert_eq!(key("Acme, Inc."), "acme");
        assert_eq!(key("ACME LLC"), "acme");
        assert_eq!(key("Acme Pty. Ltd."), "acme");
        assert_eq!(key("Müller GmbH & Co. KG"), "muller");
    }

    #[test]
    fn legal_forms_are_removed_repeatedly_and_recorded_in_order() {
        let name = normalize_company_name("Acme Holdings Co., Ltd. LLC");
        assert_eq!(name.key, "acme holdings");
        assert_eq!(name.legal_forms, ["co ltd", "llc"]);
    }

    #[test]
    fn a_name_made_only_of_a_legal_form_keeps_it() {
        assert_eq!(key("The Company"), "company");
        assert_eq!(key("Limited"), "limited");
    }

    #[test]
    fn leading_the_is_dropped() {
        assert_eq!(key("The Acme Group"), "acme group");
        assert_eq!(key("The"), "the");
    }

    #[test]
    fn professional_titles_and_designations_are_noise_like_legal_forms() {
        for name in [
            "Dr. Jane Smith",
            "Jane Smith, MD",
            "Jane Smith DDS",
            "Jane Smith D.M.D.",
            "Jane Smith, DVM",
            "Jane Smith CPA",
            "Jane Smith, Esq.",
            "Jane Smith, Ph.D.",
            "Jane Smith PhD",
            "Jane Smith, R.N.",
            "Dr Jane Smith MD PhD",
        ] {
            assert_eq!(key(name), "jane smith", "{name}");
        }
        let name = normalize_company_name("Dr. Jane Smith, MD, PhD");
        assert_eq!(name.legal_forms, ["dr", "md", "phd"]);
        // A title alone, or before a single short word, stays.
        assert_eq!(key("Dr."), "dr");
        assert_eq!(key("AB MD"), "ab md");
    }

    #[test]
    fn location_tails_are_kept_apart() {
        let name = normalize_company_name("Acme Dental (HQ) - Branch 12");
        assert_eq!(name.key, "acme dental");
        assert_eq!(name.location.as_deref(), Some("HQ Branch 12"));
        let name = normalize_company_name("Acme Dental HQ Ltd");
        assert_eq!(name.key, "acme dental");
        assert_eq!(name.location.as_deref(), Some("hq"));
        assert_eq!(name.legal_forms, ["ltd"]);
    }

    #[test]
    fn store_numbers_are_a_location() {
        let name = normalize_company_name("Acme Hardware #1234");
        assert_eq!(name.key, "acme hardware");
        assert_eq!(name.location.as_deref(), Some("#1234"));
    }

    #[test]
    fn initials_join() {
        assert_eq!(key("I.B.M. Corp"), "ibm");
        assert_eq!(key("A B C Plumbing"), "abc plumbing");
    }

    #[test]
    fn apostrophes_join_and_accents_go() {
        assert_eq!(key("O'Brien & Søn"), "obrien and son");
        assert_eq!(key("Société Générale S.A."), "societe generale");
    }

    #[test]
    fn abbreviations_and_legal_forms_combine() {
        assert_eq!(key("Acme Mfg Co"), "acme manufacturing");
        assert_eq!(key("Acme Manufacturing Company"), "acme manufacturing");
    }

    #[test]
    fn exact_form_keeps_everything_but_case_and_blanks() {
        let name = normalize_company_name("  Acme,   INC. ");
        assert_eq!(name.exact, "acme, inc.");
        assert_eq!(name.raw, "  Acme,   INC. ");
    }

    #[test]
    fn names_without_letters_have_an_empty_key_and_match_nothing() {
        let name = normalize_company_name("--- ...");
        assert_eq!(name.key, "");
        assert!(!name.same_company(&name));
    }

    #[test]
    fn same_company_name_ignores_form_and_case() {
        assert!(same_company_name("Acme Inc", "ACME, LLC"));
        assert!(!same_company_name("Acme Inc", "Acme Dental"));
    }

    #[test]
    fn spelt_out_abbreviations_are_never_stripped_again() {
        for (_, long) in abbreviations::ABBREVIATIONS {
            let name = format!("acme {long}");
            assert_eq!(key(&name), name, "{long} would be removed");
        }
    }
}
