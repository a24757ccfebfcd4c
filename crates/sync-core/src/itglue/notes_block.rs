//! The RMM facts block inside a configuration's notes.
//!
//! The block runs from a [`BLOCK_BEGIN`] line to a [`BLOCK_END`] line. Only that span is ever
//! rewritten: whatever a person wrote before or after it stays byte for byte. Notes without a
//! block get it appended on a line of its own. A begin line whose end line a person deleted is
//! left as the person's text (a fresh block is appended), so no text outside a whole block is
//! ever replaced.
//!
//! ```
//! use sync_core::itglue::{BLOCK_BEGIN, BLOCK_END, with_facts_block};
//!
//! let block = format!("{BLOCK_BEGIN}\nMemory: 16.0 GiB\n{BLOCK_END}");
//! let notes = with_facts_block(Some("Behind the reception desk."), &block);
//! assert_eq!(notes, format!("Behind the reception desk.\n{block}"));
//!
//! let newer = format!("{BLOCK_BEGIN}\nMemory: 32.0 GiB\n{BLOCK_END}");
//! let edited = format!("{notes}\nReplaced the fan in May.");
//! assert_eq!(
//!     with_facts_block(Some(&edited), &newer),
//!     format!("Behind the reception desk.\n{newer}\nReplaced the fan in May."),
//! );
//! ```

/// The first line of the RMM facts block.
pub const BLOCK_BEGIN: &str =
    "===== Datto RMM (kept up to date by itglue-sync; edits inside this block are replaced) =====";

/// The last line of the RMM facts block.
pub const BLOCK_END: &str = "===== end of Datto RMM =====";

/// Where the whole block sits in `notes`: from the start of a begin marker to the end of the
/// first end marker after it. The last begin marker that has an end marker after it wins, so a
/// stray marker a person typed before or after the block changes nothing.
fn block_span(notes: &str) -> Option<(usize, usize)> {
    let mut search_end = notes.len();
    while let Some(begin) = notes[..search_end].rfind(BLOCK_BEGIN) {
        let body = begin + BLOCK_BEGIN.len();
        if let Some(end) = notes[body..].find(BLOCK_END) {
            return Some((begin, body + end + BLOCK_END.len()));
        }
        search_end = begin;
    }
    None
}

/// The block currently in `notes`, markers included.
pub fn facts_block_of(notes: &str) -> Option<&str> {
    block_span(notes).map(|(begin, end)| &notes[begin..end])
}

/// `notes` with `block` in place of the block it holds, or appended on a line of its own when
/// it holds none. Text outside the block is kept byte for byte.
pub fn with_facts_block(notes: Option<&str>, block: &str) -> String {
    let notes = notes.unwrap_or_default();
    match block_span(notes) {
        Some((begin, end)) => {
            let mut out = String::with_capacity(notes.len() - (end - begin) + block.len());
            out.push_str(&notes[..begin]);
            out.push_str(block);
            out.push_str(&notes[end..]);
            out
        }
        None if notes.is_empty() => block.to_owned(),
        None if notes.ends_with('\n') => format!("{notes}{block}"),
        None => format!("{notes}\n{block}"),
    }
}

/// Whether `notes` already carries `block`, line endings aside (IT Glue may store `\r\n`).
pub fn has_facts_block(notes: Option<&str>, block: &str) -> bool {
    notes
        .and_then(facts_block_of)
        .is_some_and(|current| current.replace("\r\n", "\n") == block.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn block(body: &str) -> String {
        format!("{BLOCK_BEGIN}\n{body}\n{BLOCK_END}")
    }

    #[test]
    fn empty_notes_become_the_block() {
        assert_eq!(with_facts_block(None, &block("a")), block("a"));
        assert_eq!(with_facts_block(Some(""), &block("a")), block("a"));
    }

    #[test]
    fn a_begin_line_without_its_end_is_kept_as_text() {
        let notes = format!("{BLOCK_BEGIN}\nold facts the person kept");
        let updated = with_facts_block(Some(&notes), &block("new"));
        assert_eq!(updated, format!("{notes}\n{}", block("new")));
        let again = with_facts_block(Some(&updated), &block("newer"));
        assert_eq!(again, format!("{notes}\n{}", block("newer")));
    }

    #[test]
    fn the_current_block_is_recognised_whatever_the_line_endings() {
        let notes = format!("x\r\n{}", block("a").replace('\n', "\r\n"));
        assert!(has_facts_block(Some(&notes), &block("a")));
        assert!(!has_facts_block(Some(&notes), &block("b")));
        assert!(!has_facts_block(None, &block("a")));
    }

    fn person_text() -> impl Strategy<Value = String> {
        // Anything a person may type, markers' fragments and odd Unicode included.
        prop_oneof![
            ".*",
            "[a-z =\n\r]{0,40}",
            Just("=====".to_owned()),
            Just("\u{202e}é\u{0}\n".to_owned()),
            Just(BLOCK_END.to_owned()),
            Just(BLOCK_BEGIN.to_owned()),
            Just(format!("{BLOCK_BEGIN} left over\n")),
        ]
    }

    proptest! {
        #[test]
        fn text_around_the_block_survives_many_updates_byte_for_byte(
            before in person_text(),
            after in person_text(),
            bodies in proptest::collection::vec("[^=]{0,30}", 1..8),
        ) {
            let mut notes = with_facts_block(Some(&before), &block(&bodies[0]));
            notes.push_str(&after);
            let prefix_len = notes.len() - after.len() - block(&bodies[0]).len();
            let prefix = notes[..prefix_len].to_owned();
            prop_assert!(prefix.starts_with(&before));
            for body in &bodies {
                notes = with_facts_block(Some(&notes), &block(body));
                prop_assert_eq!(&notes, &format!("{prefix}{}{after}", block(body)));
                prop_assert!(has_facts_block(Some(&notes), &block(body)));
            }
        }
    }
}
