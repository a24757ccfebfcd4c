//! Typed numeric identifiers.
//!
//! IT Glue sends a resource's own `id` as a JSON string (`"455"`) and foreign keys inside
//! `attributes` as JSON numbers (`"organization-id": 2`); real ids have 15–16 digits. Each id
//! type here reads both forms and writes a number, so an organization id can never be passed
//! where a configuration id is expected.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The error returned when text is not a valid IT Glue id (not a non-negative integer): the
/// same type as the other clients' id errors.
///
/// ```
/// use itglue_client::{OrganizationId, ParseIdError};
/// let error: ParseIdError = "abc".parse::<OrganizationId>().unwrap_err();
/// assert_eq!(error.to_string(), "not a valid IT Glue organization id: \"abc\"");
/// ```
pub use msp_transport::ParseIdError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u64);

        impl $name {
            /// Wraps a raw numeric id.
            pub const fn new(raw: u64) -> Self {
                Self(raw)
            }

            /// The raw numeric id.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl From<u64> for $name {
            fn from(raw: u64) -> Self {
                Self(raw)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_raw_id(s)
                    .map(Self)
                    .ok_or_else(|| ParseIdError::new("IT Glue", $kind, s))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(RawIdVisitor).map(Self)
            }
        }
    };
}

id_type!(
    /// The id of an organization (IT Glue's company record).
    OrganizationId,
    "organization id"
);
id_type!(
    /// The id of an organization type (e.g. "Customer", "Vendor").
    OrganizationTypeId,
    "organization type id"
);
id_type!(
    /// The id of an organization status (e.g. "Active").
    OrganizationStatusId,
    "organization status id"
);
id_type!(
    /// The id of a configuration (IT Glue's device record).
    ConfigurationId,
    "configuration id"
);
id_type!(
    /// The id of a configuration type (e.g. "Managed Server").
    ConfigurationTypeId,
    "configuration type id"
);
id_type!(
    /// The id of a configuration status (e.g. "Active").
    ConfigurationStatusId,
    "configuration status id"
);
id_type!(
    /// The id of a configuration interface (one IP/MAC pair of a configuration).
    ConfigurationInterfaceId,
    "configuration interface id"
);
id_type!(
    /// The id of a contact.
    ContactId,
    "contact id"
);
id_type!(
    /// The id of a location of an organization.
    LocationId,
    "location id"
);
id_type!(
    /// The id of a manufacturer.
    ManufacturerId,
    "manufacturer id"
);
id_type!(
    /// The id of a model.
    ModelId,
    "model id"
);
id_type!(
    /// The id of an operating system.
    OperatingSystemId,
    "operating system id"
);

fn parse_raw_id(s: &str) -> Option<u64> {
    s.trim().parse::<u64>().ok()
}

/// Reads an id written as a JSON number or as a string of digits.
struct RawIdVisitor;

impl Visitor<'_> for RawIdVisitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer id, as a number or a string of digits")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        parse_raw_id(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_strings_and_numbers() {
        let from_string: ConfigurationId = serde_json::from_str("\"1694461951918297\"").unwrap();
        let from_number: ConfigurationId = serde_json::from_str("1694461951918297").unwrap();
        assert_eq!(from_string, from_number);
        assert_eq!(from_string.get(), 1_694_461_951_918_297);
    }

    #[test]
    fn ids_reject_text_and_negative_numbers() {
        assert!(serde_json::from_str::<OrganizationId>("\"abc\"").is_err());
        assert!(serde_json::from_str::<OrganizationId>("-3").is_err());
        assert!(serde_json::from_str::<OrganizationId>("1.5").is_err());
        assert!("".parse::<OrganizationId>().is_err());
    }

    #[test]
    fn ids_are_written_as_numbers() {
        let json = serde_json::to_string(&OrganizationId::new(42)).unwrap();
        assert_eq!(json, "42");
    }
}
