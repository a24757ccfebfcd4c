//! Typed numeric identifiers.
//!
//! IT Glue sends a resource's own `id` as a JSON string (`"455"`) and foreign keys inside
//! `attributes` as JSON numbers (`"organization-id": 2`); real ids have 15–16 digits. Each id
//! type here reads both forms and writes a number, so an organization id can never be passed
//! where a configuration id is expected.

/// The error returned when text is not a valid IT Glue id (not a non-negative integer): the
/// same type as the other clients' id errors.
///
/// ```
/// use itglue_client::{OrganizationId, ParseIdError};
/// let error: ParseIdError = "abc".parse::<OrganizationId>().unwrap_err();
/// assert_eq!(error.to_string(), "not a valid IT Glue organization id: \"abc\"");
/// ```
pub use msp_transport::ParseIdError;

/// An IT Glue id: one of `msp-transport`'s numeric ids, over an unsigned integer.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        msp_transport::numeric_id!($(#[$doc])* $name, u64, "IT Glue", $kind);
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
