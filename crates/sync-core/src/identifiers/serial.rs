//! Serial numbers: trimmed, upper-cased, placeholders refused.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::IdentifierPolicy;

/// Serial numbers that BIOS vendors and virtual machines leave in place of a real one, compared
/// case, blanks and punctuation aside. Besides these, a serial made only of zeros and any serial
/// starting with "123456789" is a placeholder.
pub const PLACEHOLDER_SERIALS: &[&str] = &[
    "To Be Filled By O.E.M.",
    "System Serial Number",
    "Chassis Serial Number",
    "Base Board Serial Number",
    "Default string",
    "Default",
    "O.E.M.",
    "None",
    "N/A",
    "Not Specified",
    "Not Available",
    "Not Applicable",
    "Unknown",
    "Invalid",
    "Null",
    "Serial Number",
    "SerialNumber",
];

/// A usable serial number: trimmed and upper-cased, never empty and never a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SerialNumber(String);

impl SerialNumber {
    /// Normalises a serial number; `None` when it is empty or a placeholder (built-in or the
    /// tenant's).
    pub fn normalize(raw: &str, policy: &IdentifierPolicy) -> Option<Self> {
        let mut serial = String::new();
        normalize_into(raw, policy, &mut serial).map(|_| Self(serial))
    }

    /// The normalised serial.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether two texts are the same in the form placeholders are compared in: upper-case letters
/// and digits only.
pub(crate) fn same_squashed(a: &str, b: &str) -> bool {
    squashed_chars(a).eq(squashed_chars(b))
}

pub(crate) fn is_builtin_placeholder(serial: &str) -> bool {
    // The squashed form is walked, never collected: configuration matching checks every serial
    // of up to 200,000 devices (issue #19).
    if serial.is_ascii() {
        // The same rules on bytes: for ASCII, `char::is_alphanumeric` and `char::to_uppercase`
        // are their ASCII forms (the built-in placeholders are ASCII). The squashed form is
        // walked once, its start kept on the stack: a squashed text longer than every
        // placeholder is none of them, and one is compared in full only with the placeholders
        // of its length.
        let mut start = [0u8; LONGEST_SQUASHED_PLACEHOLDER];
        let (mut length, mut all_zeros) = (0, true);
        for byte in squashed_bytes(serial) {
            all_zeros &= byte == b'0';
            if let Some(slot) = start.get_mut(length) {
                *slot = byte;
            }
            length += 1;
        }
        let start = start.get(..length).unwrap_or(&start);
        return all_zeros
            || start.starts_with(b"123456789")
            || (length <= LONGEST_SQUASHED_PLACEHOLDER
                && squashed_placeholders()
                    .iter()
                    .any(|p| p.as_slice() == start));
    }
    is_builtin_placeholder_by_chars(serial)
}

/// The length of the longest built-in placeholder, squashed ("BASEBOARDSERIALNUMBER").
const LONGEST_SQUASHED_PLACEHOLDER: usize = 21;

/// The built-in placeholders, squashed (computed once).
fn squashed_placeholders() -> &'static [Vec<u8>] {
    static SQUASHED: std::sync::LazyLock<Vec<Vec<u8>>> = std::sync::LazyLock::new(|| {
        PLACEHOLDER_SERIALS
            .iter()
            .map(|p| squashed_bytes(p).collect())
            .collect()
    });
    &SQUASHED
}

/// [`is_builtin_placeholder`] for any text, char by char.
fn is_builtin_placeholder_by_chars(serial: &str) -> bool {
    squashed_chars(serial).all(|c| c == '0')
        || squashed_chars(serial).take(9).eq("123456789".chars())
        || PLACEHOLDER_SERIALS
            .iter()
            .any(|p| squashed_chars(p).eq(squashed_chars(serial)))
}

/// [`squashed_chars`] of an ASCII text, as bytes.
fn squashed_bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
}

/// Appends the normalised form of `raw` (trimmed, upper-cased) to `out` and returns where it
/// starts, or leaves `out` as it was and returns `None` when the serial is empty or a
/// placeholder. [`SerialNumber::normalize`] without its allocation, for callers that normalise
/// many serials into one buffer.
pub(crate) fn normalize_into(
    raw: &str,
    policy: &IdentifierPolicy,
    out: &mut String,
) -> Option<usize> {
    let start = out.len();
    let trimmed = super::trim(raw);
    if trimmed.is_ascii() {
        out.push_str(trimmed);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_uppercase();
        }
    } else {
        out.extend(trimmed.chars().flat_map(char::to_uppercase));
    }
    let serial = out.get(start..).unwrap_or_default();
    if serial.is_empty() || policy.is_placeholder_serial(serial) {
        out.truncate(start);
        return None;
    }
    Some(start)
}

/// Upper-case letters and digits only: the form placeholders are compared in, never collected.
fn squashed_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_squashed_placeholder_is_longer_than_the_longest() {
        let longest = squashed_placeholders().iter().map(Vec::len).max();
        assert_eq!(longest, Some(LONGEST_SQUASHED_PLACEHOLDER));
    }

    proptest::proptest! {
        /// The ASCII shortcut of the placeholder check decides what the char-by-char check does.
        #[test]
        fn the_ascii_placeholder_check_is_the_char_check(
            text in "[ a-zA-Z0-9./_-]{0,14}|(To Be Filled By O.E.M.|system serial number|N/A|n.a|0 0-0|12345678-9|12345678[0-9a-z]|Default|DEFAULT STRING)[ .a-z0-9]{0,2}|(Base Board Serial Number|base-board serial numbe|Chassis Serial Number|SerialNumber|Not Applicable|O.E.M.|Unknown|0{20,30}|123456789[0-9]{10,20})[ .a-z0-9]{0,3}|[a-zA-Z0 ]{18,30}",
        ) {
            proptest::prop_assert_eq!(is_builtin_placeholder(&text), is_builtin_placeholder_by_chars(&text));
        }
    }

    fn normalize(raw: &str) -> Option<String> {
        SerialNumber::normalize(raw, &IdentifierPolicy::default()).map(|s| s.0)
    }

    #[test]
    fn serials_are_trimmed_and_upper_cased() {
        assert_eq!(normalize("  5cg1234xyz\t").as_deref(), Some("5CG1234XYZ"));
    }

    #[test]
    fn placeholder_serials_never_identify_a_device() {
        for raw in [
            "To Be Filled By O.E.M.",
            "to be filled by o.e.m",
            "System Serial Number",
            "Default string",
            "0",
            "00000000",
            "None",
            "N/A",
            "Not Specified",
            "123456789",
            "1234567890ABC",
            "   ",
            "--",
        ] {
            assert_eq!(normalize(raw), None, "{raw}");
        }
    }

    #[test]
    fn tenant_placeholders_are_refused_too() {
        let policy = IdentifierPolicy {
            placeholder_serials: vec!["ABC-123".into()],
            ..IdentifierPolicy::default()
        };
        assert!(SerialNumber::normalize("abc 123", &policy).is_none());
        assert!(SerialNumber::normalize("ABC-124", &policy).is_some());
    }

    #[test]
    fn real_serials_that_merely_contain_placeholder_words_are_kept() {
        assert_eq!(normalize("NONE1234").as_deref(), Some("NONE1234"));
        assert_eq!(normalize("12345678").as_deref(), Some("12345678"));
    }
}
