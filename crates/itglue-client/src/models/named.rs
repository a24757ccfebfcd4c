//! Organization types and statuses, configuration types and statuses: four small
//! account-specific lists of named records, and the body that creates one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    ConfigurationStatusId, ConfigurationTypeId, OrganizationStatusId, OrganizationTypeId,
};
use crate::jsonapi::{Resource, ResourceAttributes};
use crate::lenient;

macro_rules! named_resource {
    (
        $(#[$doc:meta])* $attributes:ident, $alias:ident, $id:ty, $kind:literal, $alias_doc:literal
    ) => {
        #[doc = $alias_doc]
        pub type $alias = Resource<$attributes>;

        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        #[non_exhaustive]
        pub struct $attributes {
            /// The name.
            pub name: String,
            /// Whether it is synced from a PSA (then IT Glue refuses changes with 422).
            #[serde(default, deserialize_with = "lenient::bool_or_false")]
            pub synced: bool,
            /// How many configurations use it (configuration types only).
            #[serde(default, deserialize_with = "lenient::optional_u64")]
            pub configurations_count: Option<u64>,
            /// When the record was created.
            #[serde(default)]
            pub created_at: Option<DateTime<Utc>>,
            /// When the record was last changed.
            #[serde(default)]
            pub updated_at: Option<DateTime<Utc>>,
        }

        impl ResourceAttributes for $attributes {
            const TYPE: &'static str = $kind;
            type Id = $id;
        }
    };
}

named_resource!(
    /// The attributes of an organization type (e.g. "Customer", "Vendor").
    OrganizationTypeAttributes,
    OrganizationType,
    OrganizationTypeId,
    "organization-types",
    "An organization type as IT Glue returns it."
);
named_resource!(
    /// The attributes of an organization status (e.g. "Active", "Inactive").
    OrganizationStatusAttributes,
    OrganizationStatus,
    OrganizationStatusId,
    "organization-statuses",
    "An organization status as IT Glue returns it."
);
named_resource!(
    /// The attributes of a configuration type (e.g. "Managed Server", "Switch").
    ConfigurationTypeAttributes,
    ConfigurationType,
    ConfigurationTypeId,
    "configuration-types",
    "A configuration type as IT Glue returns it."
);
named_resource!(
    /// The attributes of a configuration status (e.g. "Active").
    ConfigurationStatusAttributes,
    ConfigurationStatus,
    ConfigurationStatusId,
    "configuration-statuses",
    "A configuration status as IT Glue returns it."
);

/// The body of a new type or status: only a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NewNamed<'a> {
    pub(crate) name: &'a str,
}
