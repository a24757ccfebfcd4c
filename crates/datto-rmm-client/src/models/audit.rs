//! The hardware audit of a device of class `device` (OpenAPI `DeviceAudit`).

use serde::{Deserialize, Serialize};

use super::device::NetworkInterface;
use super::lenient;
use super::timestamp::{self, Timestamp};

/// A device's hardware audit: BIOS serial number, manufacturer and model, network interfaces
/// with MAC addresses, and the rest of the inventory. Every field is optional; lists read
/// `null` as empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeviceAudit {
    /// Link to the device in the web portal.
    #[serde(default)]
    pub portal_url: Option<String>,
    /// Web remote link.
    #[serde(default)]
    pub web_remote_url: Option<String>,
    /// Manufacturer, model, memory, CPU cores.
    #[serde(default)]
    pub system_info: Option<SystemInfo>,
    /// Network interfaces.
    #[serde(default, deserialize_with = "lenient::list")]
    pub nics: Vec<NetworkInterface>,
    /// BIOS, with the serial number.
    #[serde(default)]
    pub bios: Option<Bios>,
    /// Mainboard.
    #[serde(default)]
    pub base_board: Option<BaseBoard>,
    /// Displays.
    #[serde(default, deserialize_with = "lenient::list")]
    pub displays: Vec<Display>,
    /// Logical disks.
    #[serde(default, deserialize_with = "lenient::list")]
    pub logical_disks: Vec<LogicalDisk>,
    /// Mobile connections.
    #[serde(default, deserialize_with = "lenient::list")]
    pub mobile_info: Vec<MobileInfo>,
    /// Processors.
    #[serde(default, deserialize_with = "lenient::list")]
    pub processors: Vec<Processor>,
    /// Video boards.
    #[serde(default, deserialize_with = "lenient::list")]
    pub video_boards: Vec<VideoBoard>,
    /// Attached devices.
    #[serde(default, deserialize_with = "lenient::list")]
    pub attached_devices: Vec<AttachedDevice>,
    /// SNMP information.
    #[serde(default)]
    pub snmp_info: Option<SnmpInfo>,
    /// Memory modules.
    #[serde(default, deserialize_with = "lenient::list")]
    pub physical_memory: Vec<PhysicalMemory>,
}

impl DeviceAudit {
    /// The BIOS serial number as reported (possibly placeholder junk such as
    /// `To Be Filled By O.E.M.`: judging that is the caller's business).
    pub fn serial_number(&self) -> Option<&str> {
        self.bios.as_ref()?.serial_number.as_deref()
    }

    /// The hardware manufacturer.
    pub fn manufacturer(&self) -> Option<&str> {
        self.system_info.as_ref()?.manufacturer.as_deref()
    }

    /// The hardware model.
    pub fn model(&self) -> Option<&str> {
        self.system_info.as_ref()?.model.as_deref()
    }
}

/// OpenAPI `SystemInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SystemInfo {
    /// Manufacturer.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
    /// Memory in bytes.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub total_physical_memory: Option<i64>,
    /// Logged-in user.
    #[serde(default)]
    pub username: Option<String>,
    /// .NET version.
    #[serde(default)]
    pub dot_net_version: Option<String>,
    /// CPU cores.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub total_cpu_cores: Option<i64>,
}

/// OpenAPI `Bios`, plus the keys DattoRMM.Core reads (`manufacturer`, `name`,
/// `smbiosBiosVersion`); which set the live API sends is unconfirmed, `serialNumber` is in both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Bios {
    /// BIOS instance name.
    #[serde(default)]
    pub instance: Option<String>,
    /// Release date.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub release_date: Option<Timestamp>,
    /// Serial number of the machine.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub serial_number: Option<String>,
    /// SMBIOS version (OpenAPI spelling).
    #[serde(default)]
    pub sm_bios_version: Option<String>,
    /// SMBIOS version (DattoRMM.Core's spelling).
    #[serde(default)]
    pub smbios_bios_version: Option<String>,
    /// BIOS manufacturer (DattoRMM.Core).
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// BIOS name (DattoRMM.Core).
    #[serde(default)]
    pub name: Option<String>,
}

/// OpenAPI `BaseBoard` (plus `serialNumber`, read by DattoRMM.Core).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BaseBoard {
    /// Manufacturer.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// Product.
    #[serde(default)]
    pub product: Option<String>,
    /// Serial number.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub serial_number: Option<String>,
}

/// OpenAPI `Display`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Display {
    /// Instance name.
    #[serde(default)]
    pub instance: Option<String>,
    /// Height in pixels.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub screen_height: Option<i64>,
    /// Width in pixels.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub screen_width: Option<i64>,
}

/// OpenAPI `LogicalDisk`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LogicalDisk {
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Drive letter or identifier.
    #[serde(default)]
    pub disk_identifier: Option<String>,
    /// Free bytes.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub freespace: Option<i64>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub size: Option<i64>,
}

/// OpenAPI `MobileInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MobileInfo {
    /// SIM ICCID.
    #[serde(default)]
    pub iccid: Option<String>,
    /// IMEI.
    #[serde(default)]
    pub imei: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub number: Option<String>,
    /// Operator.
    #[serde(default)]
    pub operator: Option<String>,
}

/// OpenAPI `Processor`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Processor {
    /// Processor name.
    #[serde(default)]
    pub name: Option<String>,
}

/// OpenAPI `VideoBoard`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VideoBoard {
    /// Adapter name.
    #[serde(default)]
    pub display_adapter: Option<String>,
}

/// OpenAPI `AttachedDevice`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AttachedDevice {
    /// Device name.
    #[serde(default)]
    pub device_name: Option<String>,
    /// Device type.
    #[serde(default)]
    pub device_type: Option<String>,
    /// Driver file.
    #[serde(default)]
    pub driver_file: Option<String>,
    /// Driver file change time.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub driver_file_last_modified: Option<Timestamp>,
    /// Driver manufacturer.
    #[serde(default)]
    pub driver_manufacturer: Option<String>,
    /// Driver name.
    #[serde(default)]
    pub driver_name: Option<String>,
    /// Driver version.
    #[serde(default)]
    pub driver_version: Option<String>,
    /// Port.
    #[serde(default)]
    pub port_name: Option<String>,
}

/// OpenAPI `SnmpInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SnmpInfo {
    /// SNMP name.
    #[serde(default)]
    pub snmp_name: Option<String>,
    /// SNMP contact.
    #[serde(default)]
    pub snmp_contact: Option<String>,
    /// SNMP description.
    #[serde(default)]
    pub snmp_description: Option<String>,
    /// SNMP location.
    #[serde(default)]
    pub snmp_location: Option<String>,
    /// SNMP uptime.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub snmp_uptime: Option<String>,
    /// NIC manufacturer.
    #[serde(default)]
    pub nic_manufacturer: Option<String>,
    /// SNMP object id.
    #[serde(default)]
    pub object_id: Option<String>,
    /// Serial number reported over SNMP.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub snmp_serial: Option<String>,
}

/// OpenAPI `PhysicalMemory`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PhysicalMemory {
    /// Module name.
    #[serde(default)]
    pub module: Option<String>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub size: Option<i64>,
    /// Memory type.
    #[serde(default, rename = "type")]
    pub memory_type: Option<String>,
    /// Speed.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub speed: Option<String>,
    /// Serial number.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub serial_number: Option<String>,
    /// Part number.
    #[serde(default)]
    pub part_number: Option<String>,
    /// Bank.
    #[serde(default)]
    pub bank: Option<String>,
}
