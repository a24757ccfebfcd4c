//! Character-level folding: case, accents, ligatures, `&`/`+`, apostrophes and punctuation.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Case-folds a whole string and collapses its whitespace, keeping punctuation and accents.
/// This is the form in which two names are *exactly* equal.
pub(crate) fn fold_exact(text: &str) -> String {
    let lowered: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(lowered.len());
    for word in lowered.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&expand_special(word));
    }
    out
}

/// Splits text into folded words: lower case, accents removed, `&` and `+` read as the word
/// "and", apostrophes dropped so that the letters around them join (O'Brien → obrien),
/// unreadable characters kept as [`UNREADABLE`], and every other non-alphanumeric character read
/// as a word break.
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, words: &mut Vec<String>| {
        if !current.is_empty() {
            words.push(std::mem::take(current));
        }
    };
    for c in strip_accents(text).chars() {
        if c.is_alphanumeric() {
            current.push(c);
        } else if is_unreadable(c) {
            current.push(UNREADABLE);
        } else if is_apostrophe(c) {
            // Joined: the letters on both sides form one word.
        } else if c == '&' || c == '+' {
            flush(&mut current, &mut words);
            words.push("and".to_owned());
        } else {
            flush(&mut current, &mut words);
        }
    }
    flush(&mut current, &mut words);
    words
}

/// Lower case, compatibility-decomposed, combining marks removed, recomposed, and the letters
/// that do not decompose (ß, æ, ø, ł …) spelt out in ASCII.
fn strip_accents(text: &str) -> String {
    let lowered: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let bare: String = lowered
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .nfc()
        .collect();
    // Lower-case again: a decomposition can, rarely, yield an upper-case letter.
    let bare: String = bare.chars().flat_map(char::to_lowercase).collect();
    expand_special(&bare)
}

/// Letters without a decomposition that people nevertheless write in ASCII.
fn expand_special(text: &str) -> String {
    if text.is_ascii() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            'ħ' => out.push('h'),
            other => out.push(other),
        }
    }
    out
}

/// What an unreadable character becomes inside a word.
pub(crate) const UNREADABLE: char = char::REPLACEMENT_CHARACTER;

/// Control characters (other than blanks) and the replacement character stand for a letter that
/// was lost on the way, typically to a broken text encoding: they stay inside the word as
/// [`UNREADABLE`] rather than splitting it.
fn is_unreadable(c: char) -> bool {
    c == UNREADABLE || (c.is_control() && !c.is_whitespace())
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '′')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_are_folded() {
        assert_eq!(fold_words("Café Müller"), ["cafe", "muller"]);
        assert_eq!(fold_words("STRAßE Ærø"), ["strasse", "aero"]);
    }

    #[test]
    fn ampersand_and_plus_read_as_and() {
        assert_eq!(
            fold_words("Smith&Jones + Co"),
            ["smith", "and", "jones", "and", "co"]
        );
    }

    #[test]
    fn apostrophes_inside_words_join_the_letters() {
        assert_eq!(fold_words("O'Brien’s Bar"), ["obriens", "bar"]);
    }

    #[test]
    fn punctuation_breaks_words() {
        assert_eq!(fold_words("Frami-Orn, Ltd."), ["frami", "orn", "ltd"]);
    }

    #[test]
    fn exact_fold_keeps_punctuation_but_not_case_or_extra_blanks() {
        assert_eq!(fold_exact("  ACME,  Inc. "), "acme, inc.");
    }

    #[test]
    fn unreadable_characters_stay_inside_the_word() {
        assert_eq!(
            fold_words("Caf\u{fffd} M\u{80}ller\tLtd"),
            ["caf\u{fffd}", "m\u{fffd}ller", "ltd"]
        );
    }

    #[test]
    fn fullwidth_letters_are_read_as_ascii() {
        assert_eq!(fold_words("ＡＣＭＥ"), ["acme"]);
    }
}
