//! An IT Glue configuration as the IT Glue flow sees it.

use serde::{Deserialize, Serialize};

use super::ids::{ConfigurationId, DeviceUid, OrganizationId};
use super::rmm_marker::parse_rmm_marker;

/// An IT Glue configuration (a device record). The engine's adapter fills it from the
/// configuration's attributes (kebab-case in IT Glue's JSON: `serial-number`, `mac-address`,
/// `installed-by` …) and, when included, its interfaces' MAC addresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Configuration {
    /// Its id.
    pub id: ConfigurationId,
    /// The organization it belongs to (`organization-id`).
    pub organization: OrganizationId,
    /// `name`.
    pub name: String,
    /// `hostname`.
    #[serde(default)]
    pub hostname: Option<String>,
    /// `serial-number`.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// `mac-address` (the primary MAC) first, then the interfaces' MAC addresses, as written.
    #[serde(default)]
    pub mac_addresses: Vec<String>,
    /// `primary-ip`.
    #[serde(default)]
    pub primary_ip: Option<String>,
    /// `installed-by`, where this tool keeps its RMM marker (`RMM: <device uid>`).
    #[serde(default)]
    pub installed_by: Option<String>,
    /// `operating-system-notes`.
    #[serde(default)]
    pub operating_system_notes: Option<String>,
    /// `manufacturer-name`.
    #[serde(default)]
    pub manufacturer_name: Option<String>,
    /// `model-name`.
    #[serde(default)]
    pub model_name: Option<String>,
    /// `operating-system-name`.
    #[serde(default)]
    pub operating_system_name: Option<String>,
    /// `archived`.
    #[serde(default)]
    pub archived: bool,
    /// `mac-address`, the configuration's own primary MAC address, as written.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// `notes`.
    #[serde(default)]
    pub notes: Option<String>,
    /// `warranty-expires-at` (`YYYY-MM-DD`).
    #[serde(default)]
    pub warranty_expires_at: Option<String>,
    /// `configuration-type-id`.
    #[serde(default)]
    pub configuration_type_id: Option<u64>,
    /// `configuration-type-name`.
    #[serde(default)]
    pub configuration_type_name: Option<String>,
    /// Whether it is synced from a PSA (`psa-integration` set): IT Glue then refuses changes
    /// to most attributes.
    #[serde(default)]
    pub psa_synced: bool,
    /// Its interfaces, when the listing included them.
    #[serde(default)]
    pub interfaces: Vec<ConfigurationInterface>,
}

/// One of a configuration's interfaces (`configuration-interfaces`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationInterface {
    /// Its id, when it exists in IT Glue.
    #[serde(default)]
    pub id: Option<u64>,
    /// `name`.
    #[serde(default)]
    pub name: Option<String>,
    /// `ip-address`.
    #[serde(default)]
    pub ip_address: Option<String>,
    /// `mac-address`, as written.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// `primary`.
    #[serde(default)]
    pub primary: bool,
}

impl Configuration {
    /// A configuration with only its identity and name; every other field empty.
    pub fn new(id: ConfigurationId, organization: OrganizationId, name: impl Into<String>) -> Self {
        Self {
            id,
            organization,
            name: name.into(),
            hostname: None,
            serial_number: None,
            mac_addresses: Vec::new(),
            primary_ip: None,
            installed_by: None,
            operating_system_notes: None,
            manufacturer_name: None,
            model_name: None,
            operating_system_name: None,
            archived: false,
            mac_address: None,
            notes: None,
            warranty_expires_at: None,
            configuration_type_id: None,
            configuration_type_name: None,
            psa_synced: false,
            interfaces: Vec::new(),
        }
    }

    /// The device uid of the RMM marker in `installed-by`, if there is one.
    pub fn rmm_device(&self) -> Option<DeviceUid> {
        self.installed_by.as_deref().and_then(parse_rmm_marker)
    }
}
