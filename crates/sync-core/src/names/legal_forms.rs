//! Trailing legal forms: "Inc", "GmbH", "Pty Ltd", "S.A." …, and professional designations
//! ("MD", "DDS", "CPA", "Esq." …), in folded form (after
//! punctuation became word breaks and runs of single letters were joined, so "S.A." is "sa"
//! and "L.L.C." is "llc").

/// One legal form: its folded words and whether it is short and ambiguous (also a common word
/// or initials, such as "co", "sa", "ag", "pc"). A short ambiguous form is removed only when a
/// word of at least three characters stays in front of it, so "AB Co" or "AG SA" are kept.
struct LegalForm {
    words: &'static [&'static str],
    ambiguous: bool,
}

const fn form(words: &'static [&'static str]) -> LegalForm {
    LegalForm {
        words,
        ambiguous: false,
    }
}

const fn short(words: &'static [&'static str]) -> LegalForm {
    LegalForm {
        words,
        ambiguous: true,
    }
}

/// Professional titles written before a name ("Dr. Jane Doe"): dropped like a leading "the".
pub(crate) const LEADING_TITLES: &[&str] = &["dr"];

/// The curated list, longest (in words) first so that "pty ltd" wins over "ltd".
const LEGAL_FORMS: &[LegalForm] = &[
    // four words
    form(&["gmbh", "and", "co", "kg"]),
    form(&["sa", "de", "cv"]),
    // two and three words
    form(&["gmbh", "co", "kg"]),
    form(&["pty", "ltd"]),
    form(&["pty", "limited"]),
    form(&["pte", "ltd"]),
    form(&["pvt", "ltd"]),
    form(&["private", "limited"]),
    form(&["sdn", "bhd"]),
    form(&["and", "co"]),
    form(&["co", "ltd"]),
    form(&["co", "inc"]),
    form(&["ph", "d"]),
    // one word
    form(&["incorporated"]),
    form(&["corporation"]),
    form(&["company"]),
    form(&["limited"]),
    form(&["inc"]),
    form(&["corp"]),
    form(&["ltd"]),
    form(&["llc"]),
    form(&["lllp"]),
    form(&["llp"]),
    form(&["pllc"]),
    form(&["plc"]),
    form(&["gmbh"]),
    form(&["mbh"]),
    form(&["kgaa"]),
    form(&["ohg"]),
    form(&["sarl"]),
    form(&["sas"]),
    form(&["srl"]),
    form(&["spa"]),
    form(&["ltda"]),
    form(&["bhd"]),
    form(&["oyj"]),
    form(&["aps"]),
    form(&["asa"]),
    form(&["pty"]),
    form(&["psc"]),
    // Professional designations after a name ("Jane Doe, CPA", "Smith Dental DDS"): noise for
    // matching, like a legal form. "Ph.D." folds to "ph d".
    form(&["dds"]),
    form(&["dmd"]),
    form(&["dvm"]),
    form(&["cpa"]),
    form(&["esq"]),
    form(&["phd"]),
    short(&["co"]),
    short(&["ag"]),
    short(&["sa"]),
    short(&["bv"]),
    short(&["nv"]),
    short(&["ab"]),
    short(&["as"]),
    short(&["oy"]),
    short(&["kg"]),
    short(&["se"]),
    short(&["pc"]),
    short(&["lp"]),
    short(&["lc"]),
    short(&["pa"]),
    short(&["cv"]),
    short(&["sl"]),
    short(&["ug"]),
    short(&["kk"]),
    // German "eingetragener Kaufmann" (e.K.).
    short(&["ek"]),
    // Designations that are also initials or abbreviations (MD is Maryland, RN a name's
    // initials): only behind a real word.
    short(&["md"]),
    short(&["rn"]),
    short(&["dr"]),
];

/// Legal forms that are also recognised glued to the end of the last word ("SchummPLC",
/// "Roberts6LLC"): none of them ends an ordinary word.
const GLUED_FORMS: &[&str] = &["gmbh", "pllc", "llc", "llp", "ltd", "plc"];

/// A word must keep at least this many characters when a glued form is cut off it.
const GLUED_MIN_REST: usize = 3;

/// Whether a word is long enough to stand in front of a short ambiguous legal form.
pub(crate) fn is_long(word: &str) -> bool {
    word.chars().nth(2).is_some()
}

/// Removes one legal form from the end of `words`, if one is there and something meaningful
/// stays in front of it, and returns the removed form as written in folded words.
/// `leading_short` is how many words at the start are not [long](is_long) (all words before
/// the last are unchanged since it was counted).
pub(crate) fn strip_one(words: &mut Vec<String>, leading_short: usize) -> Option<String> {
    for legal in LEGAL_FORMS {
        let n = legal.words.len();
        if n >= words.len() {
            continue;
        }
        let start = words.len() - n;
        if legal.words.iter().zip(&words[start..]).any(|(f, w)| f != w) {
            continue;
        }
        if legal.ambiguous && leading_short >= start {
            continue;
        }
        let removed = words.split_off(start).join(" ");
        return Some(removed);
    }
    strip_glued(words)
}

fn strip_glued(words: &mut [String]) -> Option<String> {
    let last = words.last_mut()?;
    for glued in GLUED_FORMS {
        if let Some(rest) = last.strip_suffix(glued)
            && rest.chars().nth(GLUED_MIN_REST - 1).is_some()
        {
            let rest = rest.to_owned();
            *last = rest;
            return Some((*glued).to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    fn strip(words: &mut Vec<String>) -> Option<String> {
        let short = words.iter().take_while(|w| !is_long(w)).count();
        strip_one(words, short)
    }

    #[test]
    fn longest_form_is_removed_first() {
        let mut w = words("acme pty ltd");
        assert_eq!(strip(&mut w).as_deref(), Some("pty ltd"));
        assert_eq!(w, ["acme"]);
    }

    #[test]
    fn forms_are_listed_longest_first() {
        let lengths: Vec<usize> = LEGAL_FORMS.iter().map(|f| f.words.len()).collect();
        let mut sorted = lengths.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(lengths, sorted);
    }

    #[test]
    fn a_name_is_never_stripped_to_nothing() {
        let mut w = words("ltd");
        assert_eq!(strip(&mut w), None);
        assert_eq!(w, ["ltd"]);
    }

    #[test]
    fn short_ambiguous_forms_need_a_real_word_in_front() {
        let mut w = words("ab co");
        assert_eq!(strip(&mut w), None);
        let mut w = words("nordea ab");
        assert_eq!(strip(&mut w).as_deref(), Some("ab"));
    }

    #[test]
    fn professional_designations_are_stripped_like_legal_forms() {
        let mut w = words("jane doe cpa");
        assert_eq!(strip(&mut w).as_deref(), Some("cpa"));
        let mut w = words("smith ph d");
        assert_eq!(strip(&mut w).as_deref(), Some("ph d"));
        let mut w = words("ab md");
        assert_eq!(strip(&mut w), None);
    }

    #[test]
    fn forms_in_the_middle_are_kept() {
        let mut w = words("ag insurance");
        assert_eq!(strip(&mut w), None);
    }

    #[test]
    fn glued_forms_are_cut_off_the_last_word() {
        let mut w = words("schummplc");
        assert_eq!(strip(&mut w).as_deref(), Some("plc"));
        assert_eq!(w, ["schumm"]);
        let mut w = words("zinc");
        assert_eq!(strip(&mut w), None);
    }
}
