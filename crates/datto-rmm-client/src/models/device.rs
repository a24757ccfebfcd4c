//! Devices: Datto's `Device`, `DevicesType`, `Antivirus`, `PatchManagement`, and the shortened
//! `Device Network Interface` record with its `NetworkInterface`s.

use serde::{Deserialize, Serialize};

use super::lenient;
use super::open_enum::open_enum;
use super::timestamp::{self, Timestamp};
use super::udf::Udfs;
use crate::ids::{DeviceId, DeviceUid, SiteId, SiteUid};

open_enum! {
    /// Datto's device class (`deviceClass`).
    DeviceClass {
        /// `device`: a computer with an agent (the only class with a `DeviceAudit`).
        Device => "device",
        /// `printer`.
        Printer => "printer",
        /// `esxihost`.
        EsxiHost => "esxihost",
        /// `rmmnetworkdevice`: a network device monitored over SNMP.
        RmmNetworkDevice => "rmmnetworkdevice",
        /// `unknown` (a value Datto itself documents).
        Unknown => "unknown",
    }
}

open_enum! {
    /// Antivirus state (`antivirus.antivirusStatus`).
    AntivirusStatus {
        /// `RunningAndUpToDate`.
        RunningAndUpToDate => "RunningAndUpToDate",
        /// `RunningAndNotUpToDate`.
        RunningAndNotUpToDate => "RunningAndNotUpToDate",
        /// `NotRunning`.
        NotRunning => "NotRunning",
        /// `NotDetected`.
        NotDetected => "NotDetected",
    }
}

open_enum! {
    /// Patch state (`patchManagement.patchStatus`).
    PatchStatus {
        /// `NoPolicy`.
        NoPolicy => "NoPolicy",
        /// `NoData`.
        NoData => "NoData",
        /// `RebootRequired`.
        RebootRequired => "RebootRequired",
        /// `InstallError`.
        InstallError => "InstallError",
        /// `ApprovedPending`.
        ApprovedPending => "ApprovedPending",
        /// `FullyPatched`.
        FullyPatched => "FullyPatched",
    }
}

/// A device's type: an object of category and type (OpenAPI `DevicesType`), not a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeviceType {
    /// Category, e.g. `Desktop`, `Laptop`, `Server`.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub category: Option<String>,
    /// Type within the category.
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_text")]
    pub type_name: Option<String>,
}

/// Antivirus product and state (OpenAPI `Antivirus`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Antivirus {
    /// Product name.
    #[serde(default)]
    pub antivirus_product: Option<String>,
    /// State.
    #[serde(default)]
    pub antivirus_status: Option<AntivirusStatus>,
}

/// Patch counts and state (OpenAPI `PatchManagement`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PatchManagement {
    /// State.
    #[serde(default)]
    pub patch_status: Option<PatchStatus>,
    /// Approved patches waiting to install.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub patches_approved_pending: Option<i64>,
    /// Patches not approved.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub patches_not_approved: Option<i64>,
    /// Installed patches.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub patches_installed: Option<i64>,
}

/// A Datto RMM device (OpenAPI `Device`). Every field is optional. There is no serial number
/// and no MAC address here: those come from the audit or the site's network-interface list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Device {
    /// Numeric device id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<DeviceId>,
    /// Device uid.
    #[serde(default)]
    pub uid: Option<DeviceUid>,
    /// Numeric id of the device's site.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub site_id: Option<SiteId>,
    /// Uid of the device's site.
    #[serde(default)]
    pub site_uid: Option<SiteUid>,
    /// Name of the device's site.
    #[serde(default)]
    pub site_name: Option<String>,
    /// Category and type.
    #[serde(default)]
    pub device_type: Option<DeviceType>,
    /// Hostname.
    #[serde(default)]
    pub hostname: Option<String>,
    /// Internal IP address.
    #[serde(default)]
    pub int_ip_address: Option<String>,
    /// Operating system.
    #[serde(default)]
    pub operating_system: Option<String>,
    /// Last logged-in user.
    #[serde(default)]
    pub last_logged_in_user: Option<String>,
    /// Domain or workgroup.
    #[serde(default)]
    pub domain: Option<String>,
    /// Agent (CAG) version.
    #[serde(default)]
    pub cag_version: Option<String>,
    /// Displayed agent version.
    #[serde(default)]
    pub display_version: Option<String>,
    /// External IP address.
    #[serde(default)]
    pub ext_ip_address: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// 64-bit operating system.
    #[serde(default, rename = "a64Bit")]
    pub a64_bit: Option<bool>,
    /// A reboot is pending.
    #[serde(default)]
    pub reboot_required: Option<bool>,
    /// The agent is online.
    #[serde(default)]
    pub online: Option<bool>,
    /// The device is suspended.
    #[serde(default)]
    pub suspended: Option<bool>,
    /// The device is deleted.
    #[serde(default)]
    pub deleted: Option<bool>,
    /// Last time the agent was seen.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub last_seen: Option<Timestamp>,
    /// Last reboot.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub last_reboot: Option<Timestamp>,
    /// Last audit.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub last_audit_date: Option<Timestamp>,
    /// When the device was added.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub creation_date: Option<Timestamp>,
    /// User-defined fields that hold a value.
    #[serde(default)]
    pub udf: Option<Udfs>,
    /// SNMP monitoring is on.
    #[serde(default)]
    pub snmp_enabled: Option<bool>,
    /// Device class.
    #[serde(default)]
    pub device_class: Option<DeviceClass>,
    /// Link to the device in the web portal (opaque).
    #[serde(default)]
    pub portal_url: Option<String>,
    /// Warranty end date as Datto sends it (`yyyy-mm-dd`).
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub warranty_date: Option<String>,
    /// Antivirus product and state.
    #[serde(default)]
    pub antivirus: Option<Antivirus>,
    /// Patch state.
    #[serde(default)]
    pub patch_management: Option<PatchManagement>,
    /// Software compliance state.
    #[serde(default)]
    pub software_status: Option<String>,
    /// Web remote link.
    #[serde(default)]
    pub web_remote_url: Option<String>,
    /// The device is a network probe.
    #[serde(default)]
    pub network_probe: Option<bool>,
    /// The device was onboarded by the network monitor.
    #[serde(default)]
    pub onboarded_via_network_monitor: Option<bool>,
}

impl Device {
    /// True when the device has an agent audit (`deviceClass` is `device`); the audit
    /// endpoint answers `400` for every other class.
    pub fn has_device_audit(&self) -> bool {
        self.device_class == Some(DeviceClass::Device)
    }
}

/// One network interface (OpenAPI `NetworkInterface`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NetworkInterface {
    /// Adapter name (virtual adapters are recognisable by it).
    #[serde(default)]
    pub instance: Option<String>,
    /// IPv4 address.
    #[serde(default)]
    pub ipv4: Option<String>,
    /// IPv6 address.
    #[serde(default)]
    pub ipv6: Option<String>,
    /// MAC address in whatever notation the device reported (`00:1A:…`, `00-1a-…`,
    /// `001A2B…`): normalise before comparing.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// Adapter type.
    #[serde(default, rename = "type")]
    pub nic_type: Option<String>,
}

/// A device with its network interfaces, from a site's network-interface list (OpenAPI
/// `Device Network Interface`): all MAC addresses of a site in a few paged calls instead of one
/// audit per device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeviceNetworkInterfaces {
    /// Numeric device id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<DeviceId>,
    /// Device uid.
    #[serde(default)]
    pub uid: Option<DeviceUid>,
    /// Numeric site id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub site_id: Option<SiteId>,
    /// Site uid.
    #[serde(default)]
    pub site_uid: Option<SiteUid>,
    /// Site name.
    #[serde(default)]
    pub site_name: Option<String>,
    /// Category and type.
    #[serde(default)]
    pub device_type: Option<DeviceType>,
    /// Hostname.
    #[serde(default)]
    pub hostname: Option<String>,
    /// Internal IP address.
    #[serde(default)]
    pub int_ip_address: Option<String>,
    /// External IP address.
    #[serde(default)]
    pub ext_ip_address: Option<String>,
    /// The network interfaces (`null` reads as none).
    #[serde(default, deserialize_with = "lenient::list")]
    pub nics: Vec<NetworkInterface>,
}
