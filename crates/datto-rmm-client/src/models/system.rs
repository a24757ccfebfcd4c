//! `system/status`, `system/request_rate` and `system/pagination`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::lenient;
use super::timestamp::{self, Timestamp};
use crate::ids::AccountUid;

/// The API's status (OpenAPI `StatusResponse`); needs no token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SystemStatus {
    /// API version and build.
    #[serde(default)]
    pub version: Option<String>,
    /// Status text.
    #[serde(default)]
    pub status: Option<String>,
    /// When the service started.
    #[serde(default, deserialize_with = "timestamp::option")]
    pub started: Option<Timestamp>,
}

/// The account's request-rate state (OpenAPI `RateStatusResponse`): the live model behind the
/// 600-requests-per-minute limit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RequestRate {
    /// Length of the rolling window in seconds (60).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub sliding_time_window_size_seconds: Option<i64>,
    /// The account uid.
    #[serde(default)]
    pub account_uid: Option<AccountUid>,
    /// Reads counted in the window.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub account_count: Option<i64>,
    /// Reads allowed per window (600).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub account_rate_limit: Option<i64>,
    /// Share of the limit after which every answer is delayed (0.9).
    #[serde(default)]
    pub account_cut_off_ratio: Option<f64>,
    /// Writes allowed per window.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub account_write_rate_limit: Option<i64>,
    /// Writes counted in the window.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub account_write_count: Option<i64>,
    /// Per-operation write buckets, by Datto's operation name (names differ between sources:
    /// read them from here rather than hard-coding them).
    #[serde(default, deserialize_with = "lenient::map")]
    pub operation_write_status: BTreeMap<String, OperationRateStatus>,
}

/// One write operation's bucket (OpenAPI `OperationRateStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OperationRateStatus {
    /// Writes allowed per window.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub limit: Option<i64>,
    /// Writes counted in the window.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub count: Option<i64>,
}

/// The page-size configuration (OpenAPI `PaginationConfiguration`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PaginationConfiguration {
    /// Default and largest page size (250).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub max: Option<i64>,
}
