//! A Datto RMM device as the IT Glue flow sees it: what the device list, the site's
//! network-interface listing and the device's audit say about it.

use serde::{Deserialize, Serialize};

use super::ids::{DeviceUid, SiteUid};
use super::rmm_facts::RmmFacts;

/// A Datto RMM device. The engine's adapter fills it from the device list (`Device`), the site
/// network-interface listing (`nics`) and, when fetched, the device audit (serial numbers,
/// manufacturer, model). Fields the vendor left empty are `None` or empty lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The device's uid.
    pub uid: DeviceUid,
    /// The site it belongs to.
    pub site: SiteUid,
    /// Its hostname.
    pub hostname: String,
    /// Datto's device type (`deviceType.category` and `deviceType.type`).
    #[serde(default)]
    pub device_type: DeviceType,
    /// Datto's device class (`device`, `printer`, `esxihost`, `rmmnetworkdevice`, `unknown`).
    #[serde(default)]
    pub device_class: Option<String>,
    /// The operating system as Datto reports it ("Microsoft Windows 11 Pro 23H2").
    #[serde(default)]
    pub operating_system: Option<String>,
    /// The internal IP address (`intIpAddress`).
    #[serde(default)]
    pub internal_ip: Option<String>,
    /// The network interfaces, in the order Datto lists them.
    #[serde(default)]
    pub network_interfaces: Vec<NetworkInterface>,
    /// Serial numbers from the audit (BIOS serial; service tag for ESXi hosts; SNMP serial for
    /// printers), as reported, placeholders included.
    #[serde(default)]
    pub serial_numbers: Vec<String>,
    /// The manufacturer from the audit.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// The model from the audit.
    #[serde(default)]
    pub model: Option<String>,
    /// The warranty end date Datto holds (`warrantyDate`, `yyyy-mm-dd`).
    #[serde(default)]
    pub warranty_date: Option<String>,
    /// When Datto last audited the device (milliseconds since the Unix epoch), which tells
    /// whether a kept audit is still current.
    #[serde(default)]
    pub last_audit_date: Option<i64>,
    /// Datto's `description` of the device ("Core network switch").
    #[serde(default)]
    pub description: Option<String>,
    /// What the RMM knows that IT Glue has no attribute for (CPU, memory, disks, last reboot,
    /// patch and antivirus status …): the configuration's notes block.
    #[serde(default)]
    pub rmm: RmmFacts,
}

/// Datto's `deviceType` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceType {
    /// `category`, e.g. "Desktop", "Laptop", "Server", "Printer", "Network Device".
    #[serde(default)]
    pub category: Option<String>,
    /// `type`, e.g. "physical", "virtual".
    #[serde(default)]
    pub kind: Option<String>,
}

/// One network interface of a device.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkInterface {
    /// The adapter's name (`instance`).
    #[serde(default)]
    pub name: Option<String>,
    /// Its IPv4 address.
    #[serde(default)]
    pub ipv4: Option<String>,
    /// Its IPv6 address.
    #[serde(default)]
    pub ipv6: Option<String>,
    /// Its MAC address, in whatever notation Datto used.
    #[serde(default)]
    pub mac_address: Option<String>,
}

impl Device {
    /// A device with only its identity and hostname; every other field empty.
    pub fn new(uid: DeviceUid, site: SiteUid, hostname: impl Into<String>) -> Self {
        Self {
            uid,
            site,
            hostname: hostname.into(),
            device_type: DeviceType::default(),
            device_class: None,
            operating_system: None,
            internal_ip: None,
            network_interfaces: Vec::new(),
            serial_numbers: Vec::new(),
            manufacturer: None,
            model: None,
            warranty_date: None,
            last_audit_date: None,
            description: None,
            rmm: RmmFacts::default(),
        }
    }

    /// The MAC addresses of its interfaces, as reported.
    pub fn mac_addresses(&self) -> impl Iterator<Item = &str> {
        self.network_interfaces
            .iter()
            .filter_map(|nic| nic.mac_address.as_deref())
    }
}
