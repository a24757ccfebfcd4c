//! Company names: the vendor's length limit, how two names are compared, and the checks on a
//! name a user types.

use unicode_normalization::UnicodeNormalization;

/// GravityZone refuses company names longer than this many characters.
pub const COMPANY_NAME_MAX_CHARS: usize = 64;

/// The form in which two names are compared: blanks around the name removed, Unicode NFC, and
/// lower case. GravityZone names are unique across the whole tree; whether that uniqueness
/// ignores case is not documented, so names that differ only in case are treated as the same
/// name (a creation is never planned that the vendor might refuse).
pub fn name_key(name: &str) -> String {
    name.trim().nfc().flat_map(char::to_lowercase).collect()
}

/// Whether two names are the same name in the sense of [`name_key`].
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// Makes a generated name fit the vendor's limit: blanks around it removed, cut to
/// [`COMPANY_NAME_MAX_CHARS`] characters, and blanks left at the cut removed. Returns `None`
/// when nothing is left.
pub fn fit_company_name(name: &str) -> Option<String> {
    let cut: String = name.trim().chars().take(COMPANY_NAME_MAX_CHARS).collect();
    let cut = cut.trim_end();
    (!cut.is_empty()).then(|| cut.to_owned())
}

/// Why a name typed by a user cannot be a company name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Nothing but blanks.
    #[error("the company name is empty")]
    Empty,
    /// Longer than the vendor allows.
    #[error("the company name has {chars} characters; GravityZone allows at most {max}")]
    TooLong {
        /// The name's length in characters, blanks around it not counted.
        chars: usize,
        /// [`COMPANY_NAME_MAX_CHARS`].
        max: usize,
    },
    /// Contains a control character (line break, tab, …).
    #[error("the company name contains a control character")]
    ControlCharacter,
}

/// Checks a company name a user typed and returns it without surrounding blanks. Unlike
/// generated names, a user's name is never cut: the user is told instead.
pub fn custom_company_name(name: &str) -> Result<String, NameError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(NameError::ControlCharacter);
    }
    let chars = trimmed.chars().count();
    if chars > COMPANY_NAME_MAX_CHARS {
        return Err(NameError::TooLong {
            chars,
            max: COMPANY_NAME_MAX_CHARS,
        });
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_in_case_and_blanks_are_the_same_name() {
        assert!(same_name("  Acme GmbH ", "ACME gmbh"));
        assert!(!same_name("Acme GmbH", "Acme  GmbH"));
    }

    #[test]
    fn composed_and_decomposed_accents_are_the_same_name() {
        assert!(same_name("Caf\u{e9}", "Cafe\u{301}"));
    }

    #[test]
    fn generated_names_are_cut_to_the_vendor_limit_at_a_character_boundary() {
        let long = "é".repeat(70);
        let fitted = fit_company_name(&long).unwrap();
        assert_eq!(fitted.chars().count(), COMPANY_NAME_MAX_CHARS);
    }

    #[test]
    fn a_cut_that_ends_in_a_blank_loses_the_blank() {
        let name = format!("{} tail", "a".repeat(COMPANY_NAME_MAX_CHARS - 1));
        assert_eq!(
            fit_company_name(&name).unwrap(),
            "a".repeat(COMPANY_NAME_MAX_CHARS - 1)
        );
    }

    #[test]
    fn a_blank_generated_name_is_no_name() {
        assert_eq!(fit_company_name("   "), None);
    }

    #[test]
    fn a_custom_name_is_trimmed_but_never_cut() {
        assert_eq!(custom_company_name("  Acme  ").unwrap(), "Acme");
        let long = "x".repeat(COMPANY_NAME_MAX_CHARS + 1);
        assert_eq!(
            custom_company_name(&long),
            Err(NameError::TooLong {
                chars: COMPANY_NAME_MAX_CHARS + 1,
                max: COMPANY_NAME_MAX_CHARS
            })
        );
        assert!(custom_company_name(&"x".repeat(COMPANY_NAME_MAX_CHARS)).is_ok());
    }

    #[test]
    fn a_custom_name_must_not_be_blank_or_hold_control_characters() {
        assert_eq!(custom_company_name(" \t "), Err(NameError::Empty));
        assert_eq!(
            custom_company_name("Acme\nEvil"),
            Err(NameError::ControlCharacter)
        );
    }
}
