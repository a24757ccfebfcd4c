//! Location tails: the part of a site name that says *which* office of a company it is
//! (" - Main Office", "(HQ)", "#1234", "Branch 12").

/// Characters that separate a company name from a location when written with blanks around
/// them: "Acme - Denver", "Acme – Denver", "Acme | Denver".
const SEPARATORS: [char; 4] = ['-', '–', '—', '|'];

/// Removes one written location tail from the end of `text` (which is already trimmed) and
/// returns what is left and the tail. Returns `None` when there is no tail, or when removing it
/// would leave no letter or digit.
pub(crate) fn split_written_tail(text: &str) -> Option<(&str, &str)> {
    let (body, tail) = bracketed_tail(text)
        .or_else(|| number_tail(text))
        .or_else(|| separated_tail(text))?;
    let body = body.trim_end();
    let tail = tail.trim();
    let body_has_content = body.chars().any(char::is_alphanumeric);
    (body_has_content && !tail.is_empty()).then_some((body, tail))
}

/// "Acme (HQ)" or "Acme [Denver]": a bracketed group that ends the name.
fn bracketed_tail(text: &str) -> Option<(&str, &str)> {
    let close = text.chars().next_back()?;
    let open = match close {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let mut depth = 0usize;
    for (at, c) in text.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                let inside = &text[at + c.len_utf8()..text.len() - close.len_utf8()];
                return Some((&text[..at], inside));
            }
        }
    }
    None
}

/// "Acme #1234": a word starting with `#` that ends the name.
fn number_tail(text: &str) -> Option<(&str, &str)> {
    let start = text
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(at, c)| at + c.len_utf8());
    let word = &text[start..];
    let rest = word.strip_prefix('#')?;
    (!rest.is_empty() && rest.chars().all(char::is_alphanumeric)).then_some((&text[..start], word))
}

/// "Acme - Main Office": the text after the last separator written with blanks on both sides.
/// Scans from the end, so splitting tail after tail reads the name once.
fn separated_tail(text: &str) -> Option<(&str, &str)> {
    let mut chars = text.char_indices().rev().peekable();
    let mut after: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        let before = chars.peek().map(|(_, b)| *b);
        if SEPARATORS.contains(&c)
            && before.is_some_and(char::is_whitespace)
            && after.is_some_and(char::is_whitespace)
        {
            return Some((&text[..at], &text[at + c.len_utf8()..]));
        }
        after = Some(c);
    }
    None
}

/// Location words that end a name without punctuation, in folded form. Each entry is the
/// sequence of words; `#` stands for a number.
const WORD_TAILS: &[&[&str]] = &[
    &["head", "office"],
    &["main", "office"],
    &["main", "site"],
    &["headquarters"],
    &["hq"],
    &["branch", "#"],
    &["site", "#"],
    &["office", "#"],
    &["store", "#"],
    &["location", "#"],
    &["clinic", "#"],
];

/// How many folded words at the end of `words` form a location tail (0 when none does).
/// Never claims every word.
pub(crate) fn word_tail_len(words: &[String]) -> usize {
    for tail in WORD_TAILS {
        if tail.len() >= words.len() {
            continue;
        }
        let start = words.len() - tail.len();
        let matches = tail.iter().zip(&words[start..]).all(|(pattern, word)| {
            if *pattern == "#" {
                word.chars().all(|c| c.is_ascii_digit())
            } else {
                pattern == word
            }
        });
        if matches {
            return tail.len();
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_separated_tail_is_split_off() {
        assert_eq!(
            split_written_tail("Acme Ltd - Main Office"),
            Some(("Acme Ltd", "Main Office"))
        );
        assert_eq!(
            split_written_tail("Acme – Denver"),
            Some(("Acme", "Denver"))
        );
    }

    #[test]
    fn hyphenated_names_are_not_a_location() {
        assert_eq!(split_written_tail("Frami-Orn"), None);
        assert_eq!(split_written_tail("Frami -Orn"), None);
    }

    #[test]
    fn bracketed_tail_is_split_off() {
        assert_eq!(split_written_tail("Acme (HQ)"), Some(("Acme", "HQ")));
        assert_eq!(split_written_tail("Acme (a (b))"), Some(("Acme", "a (b)")));
    }

    #[test]
    fn store_number_is_split_off() {
        assert_eq!(split_written_tail("Acme #1234"), Some(("Acme", "#1234")));
    }

    #[test]
    fn a_tail_is_never_the_whole_name() {
        assert_eq!(split_written_tail("(HQ)"), None);
        assert_eq!(split_written_tail("#12"), None);
        assert_eq!(split_written_tail("- Main"), None);
    }

    #[test]
    fn unbalanced_brackets_are_left_alone() {
        assert_eq!(split_written_tail("Acme b)"), None);
    }

    #[test]
    fn location_words_at_the_end_are_a_tail() {
        let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(word_tail_len(&words("acme branch 12")), 2);
        assert_eq!(word_tail_len(&words("acme hq")), 1);
        assert_eq!(word_tail_len(&words("hq")), 0);
        assert_eq!(word_tail_len(&words("acme branch")), 0);
    }
}
