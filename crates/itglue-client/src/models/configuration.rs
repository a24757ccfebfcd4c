//! Configurations (IT Glue's device records): the record as IT Glue returns it, and the bodies
//! of a create and of an update.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    ConfigurationId, ConfigurationStatusId, ConfigurationTypeId, ContactId, LocationId,
    ManufacturerId, ModelId, OperatingSystemId, OrganizationId,
};
use crate::jsonapi::{Resource, ResourceAttributes};
use crate::lenient;
use crate::models::interface::{ConfigurationInterface, NewConfigurationInterface};

/// A configuration as IT Glue returns it.
pub type Configuration = Resource<ConfigurationAttributes>;

/// The attributes of a configuration (response keys are kebab-case). Every attribute but the
/// name may be `null`; unknown attributes are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ConfigurationAttributes {
    /// The device's name.
    pub name: String,
    /// The organization it belongs to.
    #[serde(default)]
    pub organization_id: Option<OrganizationId>,
    /// The organization's name.
    #[serde(default)]
    pub organization_name: Option<String>,
    /// The organization's short name.
    #[serde(default)]
    pub organization_short_name: Option<String>,
    /// The record's page in the IT Glue web app.
    #[serde(default)]
    pub resource_url: Option<String>,
    /// The hostname.
    #[serde(default)]
    pub hostname: Option<String>,
    /// The primary IP address.
    #[serde(default)]
    pub primary_ip: Option<String>,
    /// The primary MAC address, as entered (format varies: `C4:7A:…`, `18-5E-…`).
    #[serde(default)]
    pub mac_address: Option<String>,
    /// The default gateway.
    #[serde(default)]
    pub default_gateway: Option<String>,
    /// The serial number.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// The asset tag.
    #[serde(default)]
    pub asset_tag: Option<String>,
    /// The position (e.g. rack slot).
    #[serde(default)]
    pub position: Option<String>,
    /// Who installed it (syncs often store their own device marker here).
    #[serde(default)]
    pub installed_by: Option<String>,
    /// Who purchased it.
    #[serde(default)]
    pub purchased_by: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Operating system notes.
    #[serde(default)]
    pub operating_system_notes: Option<String>,
    /// When the warranty ends.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub warranty_expires_at: Option<NaiveDate>,
    /// When it was installed.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub installed_at: Option<NaiveDate>,
    /// When it was purchased.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub purchased_at: Option<NaiveDate>,
    /// When the MITP device subscription expires.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub mitp_device_expiration_date: Option<NaiveDate>,
    /// The MITP end-of-life date.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub mitp_end_of_life_date: Option<NaiveDate>,
    /// The configuration type's id.
    #[serde(default)]
    pub configuration_type_id: Option<ConfigurationTypeId>,
    /// The configuration type's name.
    #[serde(default)]
    pub configuration_type_name: Option<String>,
    /// The configuration type's kind (e.g. `server`, `switch`).
    #[serde(default)]
    pub configuration_type_kind: Option<String>,
    /// The configuration status's id.
    #[serde(default)]
    pub configuration_status_id: Option<ConfigurationStatusId>,
    /// The configuration status's name.
    #[serde(default)]
    pub configuration_status_name: Option<String>,
    /// The manufacturer's id.
    #[serde(default)]
    pub manufacturer_id: Option<ManufacturerId>,
    /// The manufacturer's name.
    #[serde(default)]
    pub manufacturer_name: Option<String>,
    /// The model's id.
    #[serde(default)]
    pub model_id: Option<ModelId>,
    /// The model's name.
    #[serde(default)]
    pub model_name: Option<String>,
    /// The operating system's id.
    #[serde(default)]
    pub operating_system_id: Option<OperatingSystemId>,
    /// The operating system's name.
    #[serde(default)]
    pub operating_system_name: Option<String>,
    /// The location's id.
    #[serde(default)]
    pub location_id: Option<LocationId>,
    /// The location's name.
    #[serde(default)]
    pub location_name: Option<String>,
    /// The contact's id.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// The contact's name.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Whether the configuration is archived.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub archived: bool,
    /// Whether access to it is restricted.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub restricted: bool,
    /// `"enabled"` when it is synced from a PSA (then most attributes are read-only).
    #[serde(default)]
    pub psa_integration: Option<String>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for ConfigurationAttributes {
    const TYPE: &'static str = "configurations";
    type Id = ConfigurationId;
}

/// A configuration together with its interfaces, as listed with
/// `include=configuration_interfaces`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConfigurationWithInterfaces {
    /// The configuration.
    pub configuration: Configuration,
    /// Its interfaces, in the order the relationship lists them.
    pub interfaces: Vec<ConfigurationInterface>,
}

impl ConfigurationWithInterfaces {
    /// A configuration with its interfaces (for tests and doubles; the client builds these
    /// from a listing).
    pub fn new(configuration: Configuration, interfaces: Vec<ConfigurationInterface>) -> Self {
        Self {
            configuration,
            interfaces,
        }
    }
}

/// A new configuration. IT Glue requires a name and a configuration type; the organization is
/// given to the create call.
///
/// ```
/// use itglue_client::{ConfigurationTypeId, NewConfiguration, NewConfigurationInterface};
///
/// let mut new = NewConfiguration::new("HF-SF-CJ452JK", ConfigurationTypeId::new(65));
/// new.serial_number = Some("C03R3LT7THV8".to_owned());
/// new.interfaces.push(NewConfigurationInterface {
///     name: Some("Ethernet".to_owned()),
///     mac_address: Some("C4:7A:92:14:3D:78".to_owned()),
///     primary: Some(true),
///     ..Default::default()
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewConfiguration {
    /// The name (required).
    pub name: String,
    /// The configuration type (required).
    pub configuration_type_id: ConfigurationTypeId,
    /// The configuration status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_status_id: Option<ConfigurationStatusId>,
    /// The hostname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// The primary IP address (IPv4 or IPv6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_ip: Option<String>,
    /// The primary MAC address (at most 17 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// The default gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_gateway: Option<String>,
    /// The serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The asset tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_tag: Option<String>,
    /// The position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Who installed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
    /// Who purchased it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchased_by: Option<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Operating system notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_notes: Option<String>,
    /// The manufacturer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<ManufacturerId>,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_id: Option<ModelId>,
    /// The operating system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_id: Option<OperatingSystemId>,
    /// The location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<LocationId>,
    /// The contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<ContactId>,
    /// When the warranty ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warranty_expires_at: Option<NaiveDate>,
    /// When it was installed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_at: Option<NaiveDate>,
    /// When it was purchased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchased_at: Option<NaiveDate>,
    /// Interfaces to create with the configuration (sent as its `configuration_interfaces`
    /// relationship).
    #[serde(skip)]
    pub interfaces: Vec<NewConfigurationInterface>,
}

impl NewConfiguration {
    /// A new configuration with only the required attributes.
    pub fn new(name: impl Into<String>, configuration_type_id: ConfigurationTypeId) -> Self {
        Self {
            name: name.into(),
            configuration_type_id,
            configuration_status_id: None,
            hostname: None,
            primary_ip: None,
            mac_address: None,
            default_gateway: None,
            serial_number: None,
            asset_tag: None,
            position: None,
            installed_by: None,
            purchased_by: None,
            notes: None,
            operating_system_notes: None,
            manufacturer_id: None,
            model_id: None,
            operating_system_id: None,
            location_id: None,
            contact_id: None,
            warranty_expires_at: None,
            installed_at: None,
            purchased_at: None,
            interfaces: Vec::new(),
        }
    }
}

/// A partial update (`PATCH /configurations/:id`): only the fields that are `Some` are sent.
/// Interfaces are changed through their own calls (IT Glue answers 422 to a configuration
/// update that carries relationships).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConfigurationUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new configuration type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_type_id: Option<ConfigurationTypeId>,
    /// A new configuration status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_status_id: Option<ConfigurationStatusId>,
    /// A new hostname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// A new primary IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_ip: Option<String>,
    /// A new primary MAC address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// A new default gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_gateway: Option<String>,
    /// A new serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// A new asset tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_tag: Option<String>,
    /// A new installer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
    /// New notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// New operating system notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_notes: Option<String>,
    /// A new manufacturer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<ManufacturerId>,
    /// A new model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_id: Option<ModelId>,
    /// A new operating system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_id: Option<OperatingSystemId>,
    /// A new location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<LocationId>,
    /// A new warranty end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warranty_expires_at: Option<NaiveDate>,
    /// Archive (`true`) or restore (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_sends_only_what_is_set() {
        let update = ConfigurationUpdate {
            archived: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"archived": true})
        );
    }
}
