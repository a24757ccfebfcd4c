//! The typed records of the Datto RMM API v2, built from Datto's OpenAPI document and what
//! the live API is reported to send.
//!
//! Rules every model follows, because the real API breaks its own document:
//! - every field Datto may send as `null` (all of them) is an `Option`, lists read `null` as
//!   empty, and missing fields are fine;
//! - enums are open: an unknown value is kept in an `Other(String)` variant, never rejected;
//! - times use one lenient [`Timestamp`] (epoch milliseconds, epoch seconds, ISO text);
//! - ids and numbers accept their string spelling, strings accept numbers;
//! - secrets-prone values (UDFs, masked variables, proxy passwords) never reach `Debug`.
//!
//! Structs are `#[non_exhaustive]` and implement `Default`: build one with `Default::default()`
//! and set fields, or decode it from JSON.

mod account;
mod alert;
mod audit;
mod device;
pub(crate) mod lenient;
pub(crate) mod open_enum;
pub(crate) mod page;
mod site;
mod system;
pub(crate) mod timestamp;
mod udf;
pub(crate) mod variable;

pub use account::{Account, AccountDescriptor, AccountDevicesStatus};
pub use alert::{
    Alert, AlertContext, AlertMonitorInfo, AlertPriority, AlertSourceInfo, ResponseAction,
};
pub use audit::{
    AttachedDevice, BaseBoard, Bios, DeviceAudit, Display, LogicalDisk, MobileInfo, PhysicalMemory,
    Processor, SnmpInfo, SystemInfo, VideoBoard,
};
pub use device::{
    Antivirus, AntivirusStatus, Device, DeviceClass, DeviceNetworkInterfaces, DeviceType,
    NetworkInterface, PatchManagement, PatchStatus,
};
pub use page::PaginationData;
pub use site::{
    CreateSiteRequest, DevicesStatus, ProxySettings, ProxyType, Site, SystemSite, UpdateSiteRequest,
};
pub use system::{OperationRateStatus, PaginationConfiguration, RequestRate, SystemStatus};
pub use timestamp::Timestamp;
pub use udf::Udfs;
pub use variable::Variable;
