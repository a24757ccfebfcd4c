//! Tolerant readers for the places where IT Glue's wire format varies.
//!
//! Each function here is a `deserialize_with` helper for one documented variation: numbers sent
//! as strings, booleans sent as `"true"`/`"1"`, `null` where a list or map is expected, dates
//! with or without a time, and `ancestor-ids` sent as the text `"[1,6]"`.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// `null` (or a missing field, with `#[serde(default)]`) reads as the type's default.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

struct StringOrNumber;

impl Visitor<'_> for StringOrNumber {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// A string, or a number read as its decimal text.
pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    deserializer.deserialize_any(StringOrNumber)
}

/// Like [`string_or_number`], allowing `null`.
pub(crate) fn optional_string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    struct Wrapper(String);
    impl<'de> Deserialize<'de> for Wrapper {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            string_or_number(deserializer).map(Wrapper)
        }
    }
    Ok(Option::<Wrapper>::deserialize(deserializer)?.map(|wrapper| wrapper.0))
}

/// A non-negative integer sent as a number or a string of digits; `null` reads as `None`.
pub(crate) fn optional_u64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    match optional_string_or_number(deserializer)? {
        None => Ok(None),
        Some(text) => text.trim().parse().map(Some).map_err(|_| {
            de::Error::invalid_value(de::Unexpected::Str(&text), &"a non-negative integer")
        }),
    }
}

struct LenientBool;

impl Visitor<'_> for LenientBool {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean, \"true\"/\"false\", \"1\"/\"0\" or 1/0")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match v {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            "" => Ok(None),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A boolean in any of the spellings IT Glue accepts; `null` reads as `None`.
pub(crate) fn optional_bool<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    deserializer.deserialize_any(LenientBool)
}

/// A boolean in any of the spellings IT Glue accepts; `null` reads as `false`.
pub(crate) fn bool_or_false<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(optional_bool(deserializer)?.unwrap_or(false))
}

/// A date-only attribute (`2018-05-05`); a full timestamp is read as its date; `null` and `""`
/// read as `None`.
pub(crate) fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    let Some(text) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(date) = NaiveDate::from_str(text) {
        return Ok(Some(date));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|timestamp| Some(timestamp.date_naive()))
        .map_err(|_| de::Error::invalid_value(de::Unexpected::Str(text), &"a date (YYYY-MM-DD)"))
}

/// A list of ids sent as a JSON array or as the text of one (`"[1,6]"`); `null` is empty.
pub(crate) fn id_list<'de, D, I>(deserializer: D) -> Result<Vec<I>, D::Error>
where
    D: Deserializer<'de>,
    I: FromStr + Deserialize<'de>,
{
    struct IdListVisitor<I>(PhantomData<I>);

    impl<'de, I: FromStr + Deserialize<'de>> Visitor<'de> for IdListVisitor<I> {
        type Value = Vec<I>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of ids or its text, like \"[1,6]\"")
        }

        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
            let mut ids = Vec::new();
            while let Some(id) = seq.next_element()? {
                ids.push(id);
            }
            Ok(ids)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            let inner = v.trim().trim_start_matches('[').trim_end_matches(']');
            inner
                .split(',')
                .map(|part| part.trim().trim_matches('"'))
                .filter(|part| !part.is_empty())
                .map(|part| {
                    part.parse()
                        .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
                })
                .collect()
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }

    deserializer.deserialize_any(IdListVisitor(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Flags {
        #[serde(default, deserialize_with = "optional_bool")]
        value: Option<bool>,
    }

    fn flag(json: &str) -> Option<bool> {
        serde_json::from_str::<Flags>(json).unwrap().value
    }

    #[test]
    fn booleans_are_read_in_every_documented_spelling() {
        assert_eq!(flag(r#"{"value": true}"#), Some(true));
        assert_eq!(flag(r#"{"value": "false"}"#), Some(false));
        assert_eq!(flag(r#"{"value": "1"}"#), Some(true));
        assert_eq!(flag(r#"{"value": 0}"#), Some(false));
        assert_eq!(flag(r#"{"value": null}"#), None);
        assert_eq!(flag(r#"{}"#), None);
        assert!(serde_json::from_str::<Flags>(r#"{"value": "maybe"}"#).is_err());
    }

    #[derive(Deserialize)]
    struct Dated {
        #[serde(default, deserialize_with = "optional_date")]
        at: Option<NaiveDate>,
    }

    #[test]
    fn dates_accept_a_plain_date_or_a_timestamp() {
        let plain: Dated = serde_json::from_str(r#"{"at": "2018-05-05"}"#).unwrap();
        let stamped: Dated = serde_json::from_str(r#"{"at": "2018-05-05T10:00:00.000Z"}"#).unwrap();
        assert_eq!(plain.at, stamped.at);
        let empty: Dated = serde_json::from_str(r#"{"at": ""}"#).unwrap();
        assert_eq!(empty.at, None);
        assert!(serde_json::from_str::<Dated>(r#"{"at": "soon"}"#).is_err());
    }

    #[derive(Deserialize)]
    struct Ancestors {
        #[serde(deserialize_with = "id_list")]
        ids: Vec<u64>,
    }

    #[test]
    fn id_lists_accept_text_and_arrays() {
        let text: Ancestors = serde_json::from_str(r#"{"ids": "[1,6]"}"#).unwrap();
        let array: Ancestors = serde_json::from_str(r#"{"ids": [1, 6]}"#).unwrap();
        let empty: Ancestors = serde_json::from_str(r#"{"ids": "[]"}"#).unwrap();
        assert_eq!(text.ids, vec![1, 6]);
        assert_eq!(array.ids, vec![1, 6]);
        assert!(empty.ids.is_empty());
    }
}
