//! Common abbreviations in company names, spelt out so that "St Mary's Med Ctr" and
//! "Saint Mary's Medical Center" get one key.
//!
//! The table is deliberately small: every entry must be unambiguous in company names. A
//! spelt-out word is never itself an abbreviation, a legal form or a location word, so
//! expanding twice changes nothing.

/// `(abbreviation words, spelt-out word)`, in folded form.
pub(crate) const ABBREVIATIONS: &[(&[&str], &str)] = &[
    (&["co", "op"], "cooperative"),
    (&["coop"], "cooperative"),
    (&["st"], "saint"),
    (&["ste"], "sainte"),
    (&["mt"], "mount"),
    (&["ft"], "fort"),
    (&["mgmt"], "management"),
    (&["mgt"], "management"),
    (&["med"], "medical"),
    (&["ctr"], "center"),
    (&["cntr"], "center"),
    (&["centre"], "center"),
    (&["intl"], "international"),
    (&["natl"], "national"),
    (&["svc"], "service"),
    (&["svcs"], "services"),
    (&["dept"], "department"),
    (&["assn"], "association"),
    (&["assoc"], "associates"),
    (&["bros"], "brothers"),
    (&["mfg"], "manufacturing"),
    (&["univ"], "university"),
    (&["hosp"], "hospital"),
    (&["grp"], "group"),
    (&["hldgs"], "holdings"),
    (&["bldg"], "building"),
    (&["constr"], "construction"),
    (&["engr"], "engineering"),
    (&["govt"], "government"),
    (&["elem"], "elementary"),
    (&["sch"], "school"),
    (&["vet"], "veterinary"),
    (&["chiro"], "chiropractic"),
    (&["props"], "properties"),
    (&["dev"], "development"),
    (&["tech"], "technology"),
    (&["sys"], "systems"),
];

/// Replaces every abbreviation in `words` by its spelt-out word, longest abbreviation first.
pub(crate) fn expand(words: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut at = 0;
    'words: while at < words.len() {
        for (short, long) in ABBREVIATIONS {
            let end = at + short.len();
            if end <= words.len() && short.iter().zip(&words[at..end]).all(|(s, w)| s == w) {
                out.push((*long).to_owned());
                at = end;
                continue 'words;
            }
        }
        out.push(words[at].clone());
        at += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_text(text: &str) -> String {
        let words: Vec<String> = text.split(' ').map(str::to_owned).collect();
        expand(&words).join(" ")
    }

    #[test]
    fn abbreviations_are_spelt_out() {
        assert_eq!(
            expand_text("st marys med ctr"),
            "saint marys medical center"
        );
        assert_eq!(expand_text("acme co op"), "acme cooperative");
    }

    #[test]
    fn spelt_out_words_are_not_abbreviations() {
        for (_, long) in ABBREVIATIONS {
            assert!(
                ABBREVIATIONS.iter().all(|(short, _)| short != &[*long]),
                "{long} is both"
            );
        }
    }

    #[test]
    fn multi_word_abbreviations_come_first() {
        let first_single = ABBREVIATIONS.iter().position(|(s, _)| s.len() == 1);
        let last_multi = ABBREVIATIONS.iter().rposition(|(s, _)| s.len() > 1);
        assert!(last_multi < first_single);
    }
}
