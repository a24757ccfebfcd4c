//! The typed records of the IT Glue API, one file per resource: the attributes IT Glue returns
//! (wrapped in the JSON:API [`Resource`](crate::Resource) envelope) and the bodies of creates
//! and updates.
//!
//! Rules every model follows: response keys are kebab-case; every attribute but the name may be
//! `null` or missing; unknown attributes are ignored; booleans, dates and numbers are read
//! leniently (IT Glue sends some of them as text); request bodies leave out the fields that are
//! not set, so an update changes only what it names.

pub(crate) mod configuration;
pub(crate) mod interface;
pub(crate) mod lookup;
pub(crate) mod named;
pub(crate) mod organization;

pub use configuration::{
    Configuration, ConfigurationAttributes, ConfigurationUpdate, ConfigurationWithInterfaces,
    NewConfiguration,
};
pub use interface::{
    ConfigurationInterface, ConfigurationInterfaceAttributes, NewConfigurationInterface,
};
pub use lookup::{
    Manufacturer, ManufacturerAttributes, Model, ModelAttributes, OperatingSystem,
    OperatingSystemAttributes,
};
pub use named::{
    ConfigurationStatus, ConfigurationStatusAttributes, ConfigurationType,
    ConfigurationTypeAttributes, OrganizationStatus, OrganizationStatusAttributes,
    OrganizationType, OrganizationTypeAttributes,
};
pub use organization::{NewOrganization, Organization, OrganizationAttributes, OrganizationUpdate};
