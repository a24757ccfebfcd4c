//! The field mapping: what a configuration created from, or updated by, a Datto RMM device
//! contains. It follows IT Glue's own RMM field mapping (name, hostname, serial number, MAC and
//! IP addresses, device type → configuration type, operating system, manufacturer, model) and
//! adds a marker of the RMM device uid in `installed-by`, since the API does not expose the link
//! IT Glue's built-in integration keeps.
//!
//! The result is plain data; the engine turns it into an IT Glue request (resolving the
//! configuration type, manufacturer, model and operating system names to the account's ids).

use serde::{Deserialize, Serialize};

use super::configuration::Configuration;
use super::device::Device;
use super::ids::DeviceUid;
use crate::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};

/// What `installed-by` starts with on a configuration this tool created or matched.
pub const RMM_MARKER_PREFIX: &str = "RMM: ";

/// The `installed-by` text that marks a configuration as the device's.
pub fn rmm_marker(device: &DeviceUid) -> String {
    format!("{RMM_MARKER_PREFIX}{device}")
}

/// The device uid in an `installed-by` text written by [`rmm_marker`] (blanks around it and the
/// case of "RMM" aside).
pub fn parse_rmm_marker(installed_by: &str) -> Option<DeviceUid> {
    let text = installed_by.trim();
    let prefix = text.get(..4)?;
    if !prefix.eq_ignore_ascii_case("rmm:") {
        return None;
    }
    let uid = text.get(4..)?.trim();
    (!uid.is_empty()).then(|| DeviceUid::new(uid))
}

/// The kind of configuration a device becomes; the engine maps each kind to one of the
/// account's configuration types (IT Glue ids are per account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigurationKind {
    /// A desktop or other workstation.
    Workstation,
    /// A laptop.
    Laptop,
    /// A server.
    Server,
    /// A virtualisation host (ESXi).
    VirtualHost,
    /// A printer.
    Printer,
    /// A router, switch, firewall, access point or other network device.
    NetworkDevice,
    /// A phone or tablet.
    MobileDevice,
    /// Anything else.
    Other,
}

impl ConfigurationKind {
    /// The kind for Datto's device type category, falling back on the device class.
    pub fn of(device: &Device) -> Self {
        let category = device
            .device_type
            .category
            .as_deref()
            .unwrap_or_default()
            .to_lowercase();
        let class = device
            .device_class
            .as_deref()
            .unwrap_or_default()
            .to_lowercase();
        let has = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
        if has(&category, &["esxi", "hypervisor"]) || class == "esxihost" {
            Self::VirtualHost
        } else if has(&category, &["server"]) {
            Self::Server
        } else if has(&category, &["laptop", "notebook"]) {
            Self::Laptop
        } else if has(&category, &["desktop", "workstation"]) {
            Self::Workstation
        } else if has(&category, &["printer"]) || class == "printer" {
            Self::Printer
        } else if has(
            &category,
            &["network", "router", "switch", "firewall", "access point"],
        ) || class == "rmmnetworkdevice"
        {
            Self::NetworkDevice
        } else if has(&category, &["mobile", "phone", "tablet"]) {
            Self::MobileDevice
        } else {
            Self::Other
        }
    }
}

/// One interface of a configuration (`configuration_interfaces`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceAttributes {
    /// `name`: the adapter's name.
    pub name: Option<String>,
    /// `ip-address`.
    pub ip_address: Option<String>,
    /// `mac-address`, as `AA:BB:CC:DD:EE:FF`.
    pub mac_address: Option<MacAddress>,
    /// `primary`: the interface carrying the device's internal IP (else the first one with a
    /// usable MAC address).
    pub primary: bool,
}

/// The attributes of a configuration created from a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationAttributes {
    /// `name`: the device's hostname.
    pub name: String,
    /// `hostname`.
    pub hostname: String,
    /// `serial-number`: the first serial that is not a placeholder, trimmed.
    pub serial_number: Option<String>,
    /// `mac-address`: the primary interface's MAC address (17 characters).
    pub mac_address: Option<MacAddress>,
    /// `primary-ip`: the device's internal IP address.
    pub primary_ip: Option<String>,
    /// Decides `configuration-type-id`.
    pub kind: ConfigurationKind,
    /// Looked up for `operating-system-id` (the name as Datto reports it).
    pub operating_system: Option<String>,
    /// `operating-system-notes`: the operating system as Datto reports it.
    pub operating_system_notes: Option<String>,
    /// Looked up (or created) for `manufacturer-id`.
    pub manufacturer: Option<String>,
    /// Looked up (or created) for `model-id`.
    pub model: Option<String>,
    /// `warranty-expires-at` (`yyyy-mm-dd`).
    pub warranty_expires_at: Option<String>,
    /// `installed-by`: the RMM marker.
    pub installed_by: String,
    /// `configuration_interfaces`: one per network interface with an IP or a usable MAC.
    pub interfaces: Vec<InterfaceAttributes>,
}

/// The attributes to change on an existing configuration; `None` leaves one unchanged. The name
/// and the configuration type are never changed (users rename and reclassify in IT Glue), nor
/// is a value the device does not know cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationUpdate {
    /// New `hostname`.
    pub hostname: Option<String>,
    /// New `serial-number`.
    pub serial_number: Option<String>,
    /// New `mac-address`.
    pub mac_address: Option<MacAddress>,
    /// New `primary-ip`.
    pub primary_ip: Option<String>,
    /// New `operating-system-notes`.
    pub operating_system_notes: Option<String>,
    /// New operating system (to look up).
    pub operating_system: Option<String>,
    /// New manufacturer (to look up).
    pub manufacturer: Option<String>,
    /// New model (to look up).
    pub model: Option<String>,
    /// New `installed-by` marker: written when `installed-by` is empty or holds another
    /// device's marker, never over text a person wrote.
    pub installed_by: Option<String>,
}

impl ConfigurationUpdate {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Maps a device (with its audit, if fetched) to the attributes of a new configuration.
///
/// ```
/// use sync_core::identifiers::IdentifierPolicy;
/// use sync_core::itglue::{Device, DeviceUid, NetworkInterface, SiteUid, configuration_attributes};
///
/// let mut device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s-1"), "PC-042");
/// device.serial_numbers = vec!["To Be Filled By O.E.M.".into(), " 5CG1234XYZ ".into()];
/// device.internal_ip = Some("10.0.0.42".into());
/// device.network_interfaces = vec![NetworkInterface {
///     name: Some("Ethernet".into()),
///     ipv4: Some("10.0.0.42".into()),
///     ipv6: None,
///     mac_address: Some("001a2b3c4d5e".into()),
/// }];
/// let attributes = configuration_attributes(&device, &IdentifierPolicy::default());
/// assert_eq!(attributes.serial_number.as_deref(), Some("5CG1234XYZ"));
/// assert_eq!(attributes.mac_address.unwrap().to_string(), "00:1A:2B:3C:4D:5E");
/// assert_eq!(attributes.installed_by, "RMM: d-1");
/// ```
pub fn configuration_attributes(
    device: &Device,
    policy: &IdentifierPolicy,
) -> ConfigurationAttributes {
    let interfaces = interfaces(device, policy);
    let mac_address = interfaces
        .iter()
        .find(|i| i.primary)
        .and_then(|i| i.mac_address);
    ConfigurationAttributes {
        name: device.hostname.trim().to_owned(),
        hostname: device.hostname.trim().to_owned(),
        serial_number: first_serial(device, policy),
        mac_address,
        primary_ip: non_blank(device.internal_ip.as_deref()),
        kind: ConfigurationKind::of(device),
        operating_system: non_blank(device.operating_system.as_deref()),
        operating_system_notes: non_blank(device.operating_system.as_deref()),
        manufacturer: non_blank(device.manufacturer.as_deref()),
        model: non_blank(device.model.as_deref()),
        warranty_expires_at: non_blank(device.warranty_date.as_deref()),
        installed_by: rmm_marker(&device.uid),
        interfaces,
    }
}

/// What to change on a configuration matched to a device so that it reflects the device.
pub fn configuration_update(
    device: &Device,
    configuration: &Configuration,
    policy: &IdentifierPolicy,
) -> ConfigurationUpdate {
    let wanted = configuration_attributes(device, policy);
    let changed = |new: Option<String>, old: Option<&str>| {
        new.filter(|n| old.map(str::trim) != Some(n.as_str()))
    };
    let current_mac = configuration
        .mac_addresses
        .first()
        .and_then(|m| MacAddress::parse(m).ok());
    let installed_by = match configuration.installed_by.as_deref().map(str::trim) {
        None | Some("") => Some(wanted.installed_by.clone()),
        Some(text) => match parse_rmm_marker(text) {
            Some(uid) if uid != device.uid => Some(wanted.installed_by.clone()),
            _ => None,
        },
    };
    ConfigurationUpdate {
        hostname: changed(Some(wanted.hostname), configuration.hostname.as_deref())
            .filter(|h| !h.is_empty()),
        serial_number: changed(wanted.serial_number, configuration.serial_number.as_deref()),
        mac_address: wanted.mac_address.filter(|mac| Some(*mac) != current_mac),
        primary_ip: changed(wanted.primary_ip, configuration.primary_ip.as_deref()),
        operating_system_notes: changed(
            wanted.operating_system_notes,
            configuration.operating_system_notes.as_deref(),
        ),
        operating_system: changed(
            wanted.operating_system,
            configuration.operating_system_name.as_deref(),
        ),
        manufacturer: changed(
            wanted.manufacturer,
            configuration.manufacturer_name.as_deref(),
        ),
        model: changed(wanted.model, configuration.model_name.as_deref()),
        installed_by,
    }
}

fn first_serial(device: &Device, policy: &IdentifierPolicy) -> Option<String> {
    device
        .serial_numbers
        .iter()
        .find(|raw| SerialNumber::normalize(raw, policy).is_some())
        .map(|raw| raw.trim().to_owned())
}

fn interfaces(device: &Device, policy: &IdentifierPolicy) -> Vec<InterfaceAttributes> {
    let internal_ip = device.internal_ip.as_deref().map(str::trim);
    let mut out: Vec<InterfaceAttributes> = device
        .network_interfaces
        .iter()
        .filter_map(|nic| {
            let mac_address = nic
                .mac_address
                .as_deref()
                .and_then(|m| MacAddress::parse(m).ok())
                .filter(|m| policy.identifies_a_device(m));
            let ip_address =
                non_blank(nic.ipv4.as_deref()).or_else(|| non_blank(nic.ipv6.as_deref()));
            (mac_address.is_some() || ip_address.is_some()).then(|| InterfaceAttributes {
                name: non_blank(nic.name.as_deref()),
                ip_address,
                mac_address,
                primary: false,
            })
        })
        .collect();
    let primary = out
        .iter()
        .position(|i| i.ip_address.is_some() && i.ip_address.as_deref() == internal_ip)
        .or_else(|| out.iter().position(|i| i.mac_address.is_some()));
    if let Some(at) = primary
        && let Some(interface) = out.get_mut(at)
    {
        interface.primary = true;
    }
    out
}

fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itglue::device::{DeviceType, NetworkInterface};
    use crate::itglue::ids::{ConfigurationId, OrganizationId, SiteUid};

    fn nic(name: &str, ip: Option<&str>, mac: Option<&str>) -> NetworkInterface {
        NetworkInterface {
            name: Some(name.to_owned()),
            ipv4: ip.map(str::to_owned),
            ipv6: None,
            mac_address: mac.map(str::to_owned),
        }
    }

    fn laptop() -> Device {
        let mut device = Device::new(DeviceUid::new("uid-7"), SiteUid::new("s"), " LT-007 ");
        device.device_type = DeviceType {
            category: Some("Laptop".into()),
            kind: Some("physical".into()),
        };
        device.operating_system = Some("Microsoft Windows 11 Pro".into());
        device.internal_ip = Some("192.168.1.20".into());
        device.manufacturer = Some("HP".into());
        device.model = Some("EliteBook 840 G8".into());
        device.serial_numbers = vec!["5CG1234XYZ".into()];
        device.warranty_date = Some("2027-01-31".into());
        device.network_interfaces = vec![
            nic("Npcap Loopback", None, Some("02-00-4C-4F-4F-50")),
            nic("Wi-Fi", Some("192.168.1.20"), Some("a4:bb:6d:01:02:03")),
            nic("Ethernet", Some("169.254.3.4"), Some("a4bb6d010204")),
        ];
        device
    }

    #[test]
    fn a_device_maps_to_the_documented_attributes() {
        let a = configuration_attributes(&laptop(), &IdentifierPolicy::default());
        assert_eq!(a.name, "LT-007");
        assert_eq!(a.hostname, "LT-007");
        assert_eq!(a.serial_number.as_deref(), Some("5CG1234XYZ"));
        assert_eq!(a.primary_ip.as_deref(), Some("192.168.1.20"));
        assert_eq!(a.mac_address.unwrap().to_string(), "A4:BB:6D:01:02:03");
        assert_eq!(a.kind, ConfigurationKind::Laptop);
        assert_eq!(
            a.operating_system_notes.as_deref(),
            Some("Microsoft Windows 11 Pro")
        );
        assert_eq!(a.manufacturer.as_deref(), Some("HP"));
        assert_eq!(a.model.as_deref(), Some("EliteBook 840 G8"));
        assert_eq!(a.warranty_expires_at.as_deref(), Some("2027-01-31"));
        assert_eq!(a.installed_by, "RMM: uid-7");
    }

    #[test]
    fn the_interface_with_the_internal_ip_is_primary_and_shared_macs_are_left_out() {
        let a = configuration_attributes(&laptop(), &IdentifierPolicy::default());
        assert_eq!(a.interfaces.len(), 2);
        assert!(a.interfaces[0].primary);
        assert_eq!(a.interfaces[0].name.as_deref(), Some("Wi-Fi"));
        assert!(!a.interfaces[1].primary);
    }

    #[test]
    fn placeholder_serials_are_not_written() {
        let mut device = laptop();
        device.serial_numbers = vec!["System Serial Number".into()];
        let a = configuration_attributes(&device, &IdentifierPolicy::default());
        assert_eq!(a.serial_number, None);
    }

    #[test]
    fn device_types_map_to_configuration_kinds() {
        let kind = |category: &str, class: Option<&str>| {
            let mut d = laptop();
            d.device_type.category = Some(category.to_owned());
            d.device_class = class.map(str::to_owned);
            ConfigurationKind::of(&d)
        };
        assert_eq!(kind("Desktop", None), ConfigurationKind::Workstation);
        assert_eq!(kind("Server", None), ConfigurationKind::Server);
        assert_eq!(kind("ESXi Host", None), ConfigurationKind::VirtualHost);
        assert_eq!(kind("Printer", None), ConfigurationKind::Printer);
        assert_eq!(
            kind("Network Device", None),
            ConfigurationKind::NetworkDevice
        );
        assert_eq!(
            kind("", Some("rmmnetworkdevice")),
            ConfigurationKind::NetworkDevice
        );
        assert_eq!(kind("Mobile", None), ConfigurationKind::MobileDevice);
        assert_eq!(kind("Toaster", None), ConfigurationKind::Other);
    }

    #[test]
    fn rmm_markers_round_trip() {
        let uid = DeviceUid::new("6f1c-42");
        assert_eq!(parse_rmm_marker(&rmm_marker(&uid)), Some(uid));
        assert_eq!(
            parse_rmm_marker(" rmm:6f1c-42 "),
            Some(DeviceUid::new("6f1c-42"))
        );
        assert_eq!(parse_rmm_marker("Installed by Bob"), None);
        assert_eq!(parse_rmm_marker("RMM: "), None);
        assert_eq!(parse_rmm_marker("é"), None);
    }

    #[test]
    fn an_update_changes_only_what_differs_and_never_the_name() {
        let device = laptop();
        let mut configuration =
            Configuration::new(ConfigurationId(1), OrganizationId(2), "Bob's laptop");
        configuration.hostname = Some("LT-007".into());
        configuration.serial_number = Some("5CG1234XYZ".into());
        configuration.mac_addresses = vec!["A4-BB-6D-01-02-03".into()];
        configuration.primary_ip = Some("192.168.1.99".into());
        configuration.installed_by = Some("Installed by Bob".into());
        let update = configuration_update(&device, &configuration, &IdentifierPolicy::default());
        assert_eq!(update.primary_ip.as_deref(), Some("192.168.1.20"));
        assert_eq!(update.hostname, None);
        assert_eq!(update.serial_number, None);
        assert_eq!(update.mac_address, None);
        assert_eq!(update.installed_by, None);
        assert_eq!(update.manufacturer.as_deref(), Some("HP"));
    }

    #[test]
    fn an_update_writes_the_marker_when_missing_or_another_devices() {
        let device = laptop();
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "x");
        let update = configuration_update(&device, &configuration, &IdentifierPolicy::default());
        assert_eq!(update.installed_by.as_deref(), Some("RMM: uid-7"));
        configuration.installed_by = Some("RMM: other".into());
        let update = configuration_update(&device, &configuration, &IdentifierPolicy::default());
        assert_eq!(update.installed_by.as_deref(), Some("RMM: uid-7"));
        configuration.installed_by = Some("RMM: uid-7".into());
        let update = configuration_update(&device, &configuration, &IdentifierPolicy::default());
        assert_eq!(update.installed_by, None);
    }

    #[test]
    fn a_configuration_in_step_with_its_device_needs_no_update() {
        let device = laptop();
        let attributes = configuration_attributes(&device, &IdentifierPolicy::default());
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "LT-007");
        configuration.hostname = Some(attributes.hostname);
        configuration.serial_number = attributes.serial_number;
        configuration.mac_addresses = vec![attributes.mac_address.unwrap().to_string()];
        configuration.primary_ip = attributes.primary_ip;
        configuration.operating_system_notes = attributes.operating_system_notes;
        configuration.operating_system_name = attributes.operating_system;
        configuration.manufacturer_name = attributes.manufacturer;
        configuration.model_name = attributes.model;
        configuration.installed_by = Some(attributes.installed_by);
        assert!(
            configuration_update(&device, &configuration, &IdentifierPolicy::default()).is_empty()
        );
    }
}
