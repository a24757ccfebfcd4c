//! A string that must never be printed: API keys, API secrets, tokens.
//!
//! [`Secret`] wraps [`secrecy::SecretString`], so the value is also wiped from memory when the
//! last copy is dropped; this module adds the trimming, the printing as [`REDACTED`] and the
//! scrubbing of echoed secrets from vendor messages.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// The text every secret prints as.
pub const REDACTED: &str = "[REDACTED]";

/// A secret string. `Debug` and `Display` print [`REDACTED`]; the value reaches the wire only
/// through [`Secret::expose_secret`], and is zeroed in memory when dropped
/// ([`secrecy::SecretString`] inside).
///
/// ```
/// use msp_transport::Secret;
/// let key = Secret::new("s3cr3t-api-key");
/// assert_eq!(format!("{key}"), "[REDACTED]");
/// assert_eq!(format!("{key:?}"), "Secret([REDACTED])");
/// assert_eq!(key.expose_secret(), "s3cr3t-api-key");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps `value`. Surrounding whitespace (a trailing newline from a file or a paste) is
    /// removed: vendors reject it with an error that looks like a wrong key.
    pub fn new(value: impl Into<String>) -> Self {
        let value: String = value.into();
        Self(SecretString::from(value.trim()))
    }

    /// The secret itself, for the one place that puts it on the wire.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.expose_secret().is_empty()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

/// Replaces every occurrence of each secret in `text` with [`REDACTED`].
///
/// Used on vendor error messages before they become errors, in case a vendor echoes a key.
pub(crate) fn scrub(text: &str, secrets: &[Secret]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        // Very short values would redact ordinary words; real keys are long.
        if secret.expose_secret().len() >= 4 {
            out = out.replace(secret.expose_secret(), REDACTED);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::new("abcd1234");
        assert!(!format!("{secret:?}").contains("abcd1234"));
        assert!(!format!("{secret}").contains("abcd1234"));
        assert!(!format!("{:?}", Some(secret.clone())).contains("abcd1234"));
    }

    #[test]
    fn equal_values_are_equal_secrets_and_clones_keep_the_value() {
        let secret = Secret::new("abcd1234");
        assert_eq!(secret, Secret::new(" abcd1234\n"));
        assert_ne!(secret, Secret::new("abcd1235"));
        assert_eq!(secret.clone().expose_secret(), "abcd1234");
        assert!(Secret::new("  ").is_empty());
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(Secret::new("  key\n").expose_secret(), "key");
    }

    #[test]
    fn scrub_removes_echoed_secrets() {
        let secret = Secret::new("KEY12345");
        assert_eq!(
            scrub("invalid key KEY12345 given", &[secret]),
            "invalid key [REDACTED] given"
        );
    }
}
