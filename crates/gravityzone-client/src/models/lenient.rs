//! Lenient decoding helpers for the shapes GravityZone is known to vary on.
//!
//! The vendor and its documentation disagree on small things: flags arrive as `true`/`false`
//! or as `1`/`0`, numbers sometimes as strings, timestamps with or without a zone, and
//! `0001-01-01T00:00:00` stands for "never". These helpers accept every seen variant so one
//! oddity does not fail a whole list.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serializer};
use std::fmt;

/// A flag that may arrive as a boolean, as `0`/`1`, or as a string of either.
struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, 0/1, or a string holding one of them")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(E::invalid_value(de::Unexpected::Signed(other), &self)),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(E::invalid_value(de::Unexpected::Unsigned(other), &self)),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        if v == 0.0 {
            Ok(false)
        } else if v == 1.0 {
            Ok(true)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

/// Decodes a flag leniently (see [`FlagVisitor`]).
pub(crate) fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(FlagVisitor)
}

/// Decodes an optional flag leniently; `null` and a missing member are `None`.
pub(crate) fn opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    struct Wrap(#[serde(deserialize_with = "flag")] bool);
    Ok(Option::<Wrap>::deserialize(d)?.map(|Wrap(v)| v))
}

/// Writes an optional flag as `0`/`1`, the way the API documents module and role switches.
pub(crate) fn opt_flag_as_int<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(on) => s.serialize_u8(u8::from(*on)),
        None => s.serialize_none(),
    }
}

/// An integer that may arrive as a number or as a string of digits.
struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            // Exact: the value is integral and well inside i64's range.
            #[allow(clippy::cast_possible_truncation)]
            Ok(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// Decodes an integer leniently (number or numeric string).
pub(crate) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    d.deserialize_any(IntVisitor)
}

/// Decodes an optional integer leniently; `null` and a missing member are `None`.
pub(crate) fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Wrap(#[serde(deserialize_with = "int")] i64);
    Ok(Option::<Wrap>::deserialize(d)?.map(|Wrap(v)| v))
}

/// Parses a GravityZone timestamp.
///
/// Accepts RFC 3339 (with an offset) and the zone-less form the API mostly uses
/// (`2022-09-06T11:41:47`, optionally with fractional seconds), which is UTC. The placeholder
/// `0001-01-01T00:00:00` means "never" and yields `Ok(None)`; an empty string too.
pub fn parse_timestamp(text: &str) -> Result<Option<DateTime<Utc>>, chrono::ParseError> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("0001-01-01") {
        return Ok(None);
    }
    if let Ok(with_zone) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(with_zone.with_timezone(&Utc)));
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))?;
    Ok(Some(naive.and_utc()))
}

/// Decodes an optional timestamp with [`parse_timestamp`].
pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => parse_timestamp(&text)
            .map_err(|e| de::Error::custom(format!("invalid timestamp {text:?}: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Flags {
        #[serde(default, deserialize_with = "opt_flag")]
        a: Option<bool>,
        #[serde(default, deserialize_with = "opt_int")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "opt_timestamp")]
        t: Option<DateTime<Utc>>,
    }

    fn decode(v: serde_json::Value) -> Flags {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn flags_accept_booleans_numbers_and_strings() {
        assert_eq!(decode(json!({"a": true})).a, Some(true));
        assert_eq!(decode(json!({"a": 0})).a, Some(false));
        assert_eq!(decode(json!({"a": "1"})).a, Some(true));
        assert_eq!(decode(json!({"a": null})).a, None);
        assert_eq!(decode(json!({})).a, None);
        assert!(serde_json::from_value::<Flags>(json!({"a": 2})).is_err());
    }

    #[test]
    fn integers_accept_numeric_strings() {
        assert_eq!(decode(json!({"n": "30"})).n, Some(30));
        assert_eq!(decode(json!({"n": 30})).n, Some(30));
        assert!(serde_json::from_value::<Flags>(json!({"n": "thirty"})).is_err());
    }

    #[test]
    fn zoneless_timestamps_are_utc_and_year_one_means_never() {
        let t = decode(json!({"t": "2022-09-06T11:41:47"})).t.unwrap();
        assert_eq!(t.to_rfc3339(), "2022-09-06T11:41:47+00:00");
        let z = decode(json!({"t": "2022-09-06T13:41:47+02:00"})).t.unwrap();
        assert_eq!(z, t);
        assert_eq!(decode(json!({"t": "0001-01-01T00:00:00"})).t, None);
        assert!(serde_json::from_value::<Flags>(json!({"t": "yesterday"})).is_err());
    }
}
