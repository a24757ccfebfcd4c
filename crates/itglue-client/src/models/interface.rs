//! Configuration interfaces (the IP/MAC pairs of a configuration): the record as IT Glue
//! returns it, and the body of a create.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ConfigurationId, ConfigurationInterfaceId};
use crate::jsonapi::{Resource, ResourceAttributes};
use crate::lenient;

/// A configuration interface as IT Glue returns it.
pub type ConfigurationInterface = Resource<ConfigurationInterfaceAttributes>;

/// The attributes of a configuration interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ConfigurationInterfaceAttributes {
    /// The id, when sent inside the attributes: the official list example does so and omits
    /// the top-level id; [`Resource::id`] is filled from here then.
    #[serde(default)]
    pub id: Option<ConfigurationInterfaceId>,
    /// The configuration it belongs to, when sent.
    #[serde(default)]
    pub configuration_id: Option<ConfigurationId>,
    /// Whether this is the configuration's primary interface.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub primary: bool,
    /// The interface's name (e.g. "Ethernet Card").
    #[serde(default)]
    pub name: Option<String>,
    /// Its IP address (IPv4 or IPv6).
    #[serde(default)]
    pub ip_address: Option<String>,
    /// Its MAC address.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for ConfigurationInterfaceAttributes {
    const TYPE: &'static str = "configuration-interfaces";
    type Id = ConfigurationInterfaceId;

    fn embedded_id(&self) -> Option<ConfigurationInterfaceId> {
        self.id
    }
}

/// A new configuration interface. IT Glue accepts one IP and one MAC per interface.
///
/// ```
/// use itglue_client::NewConfigurationInterface;
///
/// let nic = NewConfigurationInterface {
///     name: Some("Ethernet".to_owned()),
///     ip_address: Some("10.10.1.111".to_owned()),
///     mac_address: Some("C4:7A:92:14:3D:78".to_owned()),
///     primary: Some(true),
///     notes: None,
/// };
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewConfigurationInterface {
    /// The interface's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Its MAC address (IT Glue checks that it is a valid MAC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// Whether it is the primary interface.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}
