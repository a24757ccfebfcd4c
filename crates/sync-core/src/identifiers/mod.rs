//! Device identifiers: MAC addresses and serial numbers, normalised so that one address or one
//! serial written in different ways gives one key, and with the values that identify nothing
//! (placeholders, shared virtual adapters) refused.
//!
//! ```
//! use sync_core::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};
//!
//! let policy = IdentifierPolicy::default();
//! let a = MacAddress::parse("00-1A-2B-3C-4D-5E").unwrap();
//! let b = MacAddress::parse("001a.2b3c.4d5e").unwrap();
//! assert_eq!(a, b);
//! assert_eq!(a.to_string(), "00:1A:2B:3C:4D:5E");
//! assert!(policy.identifies_a_device(&a));
//! assert!(!policy.identifies_a_device(&MacAddress::parse("00:00:00:00:00:00").unwrap()));
//!
//! assert_eq!(SerialNumber::normalize(" 5cg1234xyz ", &policy).unwrap().as_str(), "5CG1234XYZ");
//! assert!(SerialNumber::normalize("To Be Filled By O.E.M.", &policy).is_none());
//! ```

mod mac;
pub(crate) mod serial;

use serde::{Deserialize, Serialize};

pub use mac::{InvalidMacAddress, MacAddress, SHARED_MAC_ADDRESSES};
pub use serial::{PLACEHOLDER_SERIALS, SerialNumber};

/// A tenant's additions to the built-in lists of identifiers that identify nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentifierPolicy {
    /// Serial numbers to treat as placeholders, compared like the built-in ones (case, blanks
    /// and punctuation aside).
    pub placeholder_serials: Vec<String>,
    /// MAC addresses to treat as shared by many devices, in any notation. Entries that are not
    /// MAC addresses are ignored.
    pub shared_mac_addresses: Vec<String>,
}

impl IdentifierPolicy {
    /// Whether a MAC address can identify one device: not all zeros, not broadcast or
    /// multicast, not one of the [known shared virtual adapters](SHARED_MAC_ADDRESSES), and not
    /// in the tenant's list.
    pub fn identifies_a_device(&self, mac: &MacAddress) -> bool {
        mac.is_unique_hardware_address()
            && !self
                .shared_mac_addresses
                .iter()
                .filter_map(|text| MacAddress::parse(text).ok())
                .any(|shared| shared == *mac)
    }

    /// Whether a serial number (already normalised) is a placeholder for this tenant.
    pub fn is_placeholder_serial(&self, serial: &str) -> bool {
        serial::is_builtin_placeholder(serial)
            || self
                .placeholder_serials
                .iter()
                .any(|p| serial::same_squashed(p, serial))
    }
}

/// `str::trim`, with a shortcut for the usual case of a text that starts and ends with an ASCII
/// character other than a blank: configuration matching trims every MAC address, serial and
/// name of an account (issue #19), and the full trim decodes characters from both ends.
pub(crate) fn trim(text: &str) -> &str {
    let kept = |byte: &u8| byte.is_ascii() && !matches!(byte, b'\t'..=b'\r' | b' ');
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if kept(first) && kept(last) => text,
        _ => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The shortcut trims as `str::trim` does, on ASCII blanks, control characters, Unicode
        /// spaces and odd text at both ends.
        #[test]
        fn the_quick_trim_is_the_full_trim(
            text in "[\\x00-\\x20\u{85}\u{a0}\u{2003}\u{3000}]{0,2}(\\PC|\\pC){0,6}[\\x00-\\x20\u{7f}\u{85}\u{a0}\u{2028}]{0,2}",
        ) {
            proptest::prop_assert_eq!(super::trim(&text), text.trim());
        }
    }
}
