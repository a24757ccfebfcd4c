//! Turning stored columns back into values.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::time::from_millis;
use crate::{RecordKind, StoreError};

/// A stored time.
pub(super) fn time(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    from_millis(ms)
}

/// A stored optional time.
pub(super) fn opt_time(ms: Option<i64>) -> Result<Option<DateTime<Utc>>, StoreError> {
    ms.map(from_millis).transpose()
}

/// A stored enum value, by its name.
pub(super) fn parse<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown {what} {text:?}")))
}

/// A value as stored JSON text.
pub(super) fn to_json<T: Serialize + ?Sized>(
    kind: RecordKind,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::json(kind))
}

/// A value from stored JSON text.
pub(super) fn from_json<T: DeserializeOwned>(
    kind: RecordKind,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(StoreError::json(kind))
}
