//! Alerts (OpenAPI `Alert`), as found in alert lists and webhooks. The client wraps no alert
//! endpoint; the model is here so alert payloads decode with the same rules as the rest.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::lenient;
use super::open_enum::open_enum;
use super::timestamp::{self, Timestamp};
use crate::ids::{AlertUid, DeviceUid, SiteUid};

open_enum! {
    /// Alert priority.
    AlertPriority {
        /// `Critical`.
        Critical => "Critical",
        /// `High`.
        High => "High",
        /// `Moderate`.
        Moderate => "Moderate",
        /// `Low`.
        Low => "Low",
        /// `Information`.
        Information => "Information",
        /// `Unknown` (a value Datto itself documents).
        Unknown => "Unknown",
    }
}

/// A Datto RMM alert.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Alert {
    /// Alert uid.
    #[serde(default)]
    pub alert_uid: Option<AlertUid>,
    /// Priority.
    #[serde(default)]
    pub priority: Option<AlertPriority>,
    /// Diagnostic text.
    #[serde(default)]
    pub diagnostics: Option<String>,
    /// Resolved.
    #[serde(default)]
    pub resolved: Option<bool>,
    /// Who resolved it.
    #[serde(default)]
    pub resolved_by: Option<String>,
    /// When it was resolved.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub resolved_on: Option<Timestamp>,
    /// Muted.
    #[serde(default)]
    pub muted: Option<bool>,
    /// PSA ticket number.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub ticket_number: Option<String>,
    /// When it was raised.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub timestamp: Option<Timestamp>,
    /// Whether the monitor e-mails or creates tickets.
    #[serde(default)]
    pub alert_monitor_info: Option<AlertMonitorInfo>,
    /// What raised it (polymorphic; see [`AlertContext`]).
    #[serde(default)]
    pub alert_context: Option<AlertContext>,
    /// The device and site it concerns.
    #[serde(default)]
    pub alert_source_info: Option<AlertSourceInfo>,
    /// What Datto did about it.
    #[serde(default, deserialize_with = "lenient::list")]
    pub response_actions: Vec<ResponseAction>,
    /// Minutes until it resolves itself.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub autoresolve_mins: Option<i64>,
}

/// OpenAPI `AlertMonitorInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AlertMonitorInfo {
    /// The monitor sends e-mails.
    #[serde(default)]
    pub sends_emails: Option<bool>,
    /// The monitor creates tickets.
    #[serde(default)]
    pub creates_ticket: Option<bool>,
}

/// OpenAPI `AlertSourceInfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AlertSourceInfo {
    /// Device uid.
    #[serde(default)]
    pub device_uid: Option<DeviceUid>,
    /// Device name.
    #[serde(default)]
    pub device_name: Option<String>,
    /// Site uid.
    #[serde(default)]
    pub site_uid: Option<SiteUid>,
    /// Site name.
    #[serde(default)]
    pub site_name: Option<String>,
}

/// OpenAPI `ResponseAction`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResponseAction {
    /// When.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub action_time: Option<Timestamp>,
    /// What (`EMAIL_SENT`, `TICKET_CREATED`, …; kept as text, the list grows).
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub action_type: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Reference.
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub action_reference: Option<String>,
    /// Numeric reference (as text).
    #[serde(default, deserialize_with = "lenient::opt_text")]
    pub action_reference_int: Option<String>,
}

/// An alert's context: the `@class` tag (`comp_script_ctx`, `eventlog_ctx`, …) and the raw
/// JSON. The ~27 context schemas in Datto's document do not match what it sends, so the
/// fields are kept as JSON.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct AlertContext {
    /// The `@class` tag, if any.
    pub class: Option<String>,
    /// The whole context object as sent.
    pub raw: serde_json::Value,
}

impl<'de> Deserialize<'de> for AlertContext {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(deserializer)?;
        let class = raw
            .get("@class")
            .and_then(|c| c.as_str())
            .map(str::to_owned);
        Ok(AlertContext { class, raw })
    }
}

impl Serialize for AlertContext {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}
