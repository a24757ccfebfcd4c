//! One lenient timestamp type for the three shapes Datto sends: epoch milliseconds (devices,
//! alerts), epoch seconds with a fraction (activity logs) and ISO-8601 text (seen for
//! `lastSeen`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// .NET's `DateTime.MinValue` in epoch milliseconds: Datto's way of saying "never".
const DOTNET_MIN_MS: i64 = -62_135_596_800_000;
/// Numbers below this are seconds, above it milliseconds (1e12 ms is September 2001).
const SECONDS_BELOW: f64 = 1.0e12;

/// A point in time as Datto sent it.
///
/// Numbers below 10¹² are epoch seconds, others epoch milliseconds; text is RFC 3339, or a
/// date-time or date without zone (read as UTC), or a number in a string. Text that is none of
/// these is kept as [`Timestamp::Unparsed`] rather than failing the whole record. A `null`,
/// an empty string and .NET's `DateTime.MinValue` decode to `None` in the models.
///
/// ```
/// use datto_rmm_client::models::Timestamp;
/// let ms: Timestamp = serde_json::from_str("1721131200000").unwrap();
/// let iso: Timestamp = serde_json::from_str(r#""2024-07-16T12:00:00Z""#).unwrap();
/// let secs: Timestamp = serde_json::from_str("1721131200.0").unwrap();
/// assert_eq!(ms, iso);
/// assert_eq!(ms, secs);
/// assert_eq!(ms.epoch_millis(), Some(1_721_131_200_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Timestamp {
    /// A time that could be read.
    At(DateTime<Utc>),
    /// Text that is not a time this client can read, kept verbatim.
    Unparsed(String),
}

impl Timestamp {
    /// The time, when it could be read.
    pub fn as_datetime(&self) -> Option<DateTime<Utc>> {
        match self {
            Timestamp::At(at) => Some(*at),
            Timestamp::Unparsed(_) => None,
        }
    }

    /// The time in epoch milliseconds, when it could be read.
    pub fn epoch_millis(&self) -> Option<i64> {
        self.as_datetime().map(|at| at.timestamp_millis())
    }

    /// Reads a number: seconds below 10¹², milliseconds above; `None` for "never" sentinels
    /// and numbers out of chrono's range.
    pub fn from_number(value: f64) -> Option<Timestamp> {
        if !value.is_finite() {
            return None;
        }
        let millis = if value.abs() < SECONDS_BELOW {
            value * 1000.0
        } else {
            value
        };
        let millis = millis.round();
        if millis <= DOTNET_MIN_MS as f64 || millis.abs() > 8.0e15 {
            return None;
        }
        Utc.timestamp_millis_opt(millis as i64)
            .single()
            .map(Timestamp::At)
    }

    /// Reads text: a number, RFC 3339, a zone-less date-time or a date; other text is kept as
    /// [`Timestamp::Unparsed`]; empty text is `None`.
    pub fn from_text(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Ok(number) = text.parse::<f64>() {
            return Timestamp::from_number(number);
        }
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp::At(at.with_timezone(&Utc)));
        }
        for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                return Some(Timestamp::At(naive.and_utc()));
            }
        }
        if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            && let Some(midnight) = date.and_hms_opt(0, 0, 0)
        {
            return Some(Timestamp::At(midnight.and_utc()));
        }
        Some(Timestamp::Unparsed(text.to_owned()))
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(at: DateTime<Utc>) -> Self {
        Timestamp::At(at)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Timestamp::At(at) => write!(f, "{}", at.to_rfc3339()),
            Timestamp::Unparsed(text) => f.write_str(text),
        }
    }
}

/// Serialized as Datto sends most times: epoch milliseconds (unparsed text as the text).
impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Timestamp::At(at) => serializer.serialize_i64(at.timestamp_millis()),
            Timestamp::Unparsed(text) => serializer.serialize_str(text),
        }
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<Timestamp>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("epoch seconds or milliseconds, or a date-time text")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Timestamp::from_number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Timestamp::from_number(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Timestamp::from_number(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Timestamp::from_text(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Timestamp::Unparsed(v.to_string())))
    }
}

/// A time that reads as "none" (null, empty, `DateTime.MinValue`) is an error here; model
/// fields read those as `None`.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(TimestampVisitor)?
            .ok_or_else(|| de::Error::custom("no time given"))
    }
}

/// `deserialize_with` for `Option<Timestamp>` fields: "none" values become `None`.
pub(crate) fn option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    deserializer.deserialize_any(TimestampVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "option")]
        at: Option<Timestamp>,
    }

    fn read(json: &str) -> Option<Timestamp> {
        serde_json::from_str::<Holder>(&format!(r#"{{"at": {json}}}"#))
            .unwrap()
            .at
    }

    #[test]
    fn milliseconds_seconds_and_iso_text_are_the_same_instant() {
        let expected = read("1721131200000");
        assert!(expected.is_some());
        assert_eq!(read("1721131200"), expected);
        assert_eq!(read("1721131200.0"), expected);
        assert_eq!(read(r#""2024-07-16T12:00:00Z""#), expected);
        assert_eq!(read(r#""2024-07-16T14:00:00+02:00""#), expected);
        assert_eq!(read(r#""2024-07-16T12:00:00""#), expected);
        assert_eq!(read(r#""2024-07-16 12:00:00""#), expected);
        assert_eq!(read(r#""1721131200000""#), expected);
    }

    #[test]
    fn seconds_keep_their_fraction() {
        assert_eq!(
            read("1721131200.25").and_then(|t| t.epoch_millis()),
            Some(1_721_131_200_250)
        );
    }

    #[test]
    fn null_empty_and_dotnet_min_value_mean_no_time() {
        assert_eq!(read("null"), None);
        assert_eq!(read(r#""""#), None);
        assert_eq!(read("-62135596800000"), None);
        assert_eq!(serde_json::from_str::<Holder>("{}").unwrap().at, None);
    }

    #[test]
    fn unreadable_text_is_kept_not_rejected() {
        assert_eq!(
            read(r#""next tuesday""#),
            Some(Timestamp::Unparsed("next tuesday".into()))
        );
    }

    #[test]
    fn a_bare_date_is_midnight_utc() {
        assert_eq!(
            read(r#""2026-01-01""#).and_then(|t| t.epoch_millis()),
            Some(1_767_225_600_000)
        );
    }

    #[test]
    fn serializes_as_epoch_milliseconds() {
        let at = read("1721131200000").unwrap();
        assert_eq!(serde_json::to_string(&at).unwrap(), "1721131200000");
    }
}
