//! The account: Datto's `Account`, `Account Descriptor` and `AccountDevicesStatus`.

use serde::{Deserialize, Serialize};

use super::lenient;
use crate::ids::{AccountId, AccountUid};

/// The Datto RMM account the API key belongs to (OpenAPI `Account`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Account {
    /// Numeric account id.
    #[serde(default, deserialize_with = "lenient::opt_id")]
    pub id: Option<AccountId>,
    /// Account uid (a short code like `ab1c0002`).
    #[serde(default)]
    pub uid: Option<AccountUid>,
    /// Account name.
    #[serde(default)]
    pub name: Option<String>,
    /// Billing currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Billing e-mail, device limit and time zone.
    #[serde(default)]
    pub descriptor: Option<AccountDescriptor>,
    /// Device counts.
    #[serde(default)]
    pub devices_status: Option<AccountDevicesStatus>,
}

/// OpenAPI `Account Descriptor`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountDescriptor {
    /// Billing e-mail address (Datto spells the key `bilingEmail`).
    #[serde(default, rename = "bilingEmail")]
    pub billing_email: Option<String>,
    /// Licensed device limit.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub device_limit: Option<i64>,
    /// Time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// OpenAPI `AccountDevicesStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountDevicesStatus {
    /// All devices.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_devices: Option<i64>,
    /// Online devices.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_online_devices: Option<i64>,
    /// Offline devices.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_offline_devices: Option<i64>,
    /// Devices in OnDemand sites.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_on_demand_devices: Option<i64>,
    /// Devices in managed sites.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub number_of_managed_devices: Option<i64>,
}
