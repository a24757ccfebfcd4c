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
        let serial = raw.trim().to_uppercase();
        if serial.is_empty() || policy.is_placeholder_serial(&serial) {
            return None;
        }
        Some(Self(serial))
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

/// Upper-case letters and digits only: the form placeholders are compared in.
pub(crate) fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

pub(crate) fn is_builtin_placeholder(serial: &str) -> bool {
    let squashed = squash(serial);
    squashed.is_empty()
        || squashed.chars().all(|c| c == '0')
        || squashed.starts_with("123456789")
        || PLACEHOLDER_SERIALS
            .iter()
            .any(|p| squashed_chars(p).eq(squashed.chars()))
}

/// The characters of [`squash`], without collecting them.
fn squashed_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

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
