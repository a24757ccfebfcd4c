//! Request bodies as IT Glue reads them: `{"data": {…}}` or `{"data": [{…}, …]}`, attribute
//! keys in kebab-case or snake_case (IT Glue accepts both), ids as numbers or digit strings,
//! booleans as `true`/`"true"`/`1`, and `null` to clear.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::errors::ApiError;

/// One resource object of a request body.
#[derive(Debug, Clone)]
pub(crate) struct ResourceIn {
    /// The `type`, when sent.
    pub(crate) kind: Option<String>,
    /// The attributes.
    pub(crate) attributes: Attributes,
    /// The relationships object, when sent (normalised keys).
    pub(crate) relationships: Option<BTreeMap<String, Value>>,
    /// The JSON pointer of this object (`/data` or `/data/3`).
    pub(crate) pointer: String,
}

impl ResourceIn {
    /// Checks the `type` (when sent) against the expected one, in either case style.
    pub(crate) fn expect_type(&self, expected: &str) -> Result<(), ApiError> {
        match &self.kind {
            Some(kind) if normalise(kind) != expected => Err(ApiError::new(409, "Conflict")
                .pointer(format!("{}/type", self.pointer))
                .detail(format!("type must be {expected}, not {kind}"))),
            _ => Ok(()),
        }
    }
}

/// The `data` of a body: one object or a list.
#[derive(Debug, Clone)]
pub(crate) enum BodyData {
    /// `{"data": {…}}`
    One(ResourceIn),
    /// `{"data": [{…}, …]}`
    Many(Vec<ResourceIn>),
}

/// `type` values and attribute keys compared in kebab-case.
pub(crate) fn normalise(key: &str) -> String {
    key.trim().replace('_', "-").to_ascii_lowercase()
}

/// Parses a request body; anything that is not a JSON:API document is a 400.
pub(crate) fn parse(body: &[u8]) -> Result<BodyData, ApiError> {
    let bad = |detail: &str| ApiError::new(400, "Bad Request").detail(detail);
    let value: Value =
        serde_json::from_slice(body).map_err(|_| bad("the request body is not valid JSON"))?;
    let data = value
        .get("data")
        .ok_or_else(|| bad("the request body has no data member"))?;
    match data {
        Value::Object(object) => Ok(BodyData::One(resource(object, "/data".to_owned())?)),
        Value::Array(items) => {
            items
                .iter()
                .enumerate()
                .map(|(index, item)| match item {
                    Value::Object(object) => resource(object, format!("/data/{index}")),
                    _ => Err(bad("every item of data must be an object")
                        .pointer(format!("/data/{index}"))),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(BodyData::Many)
        }
        _ => Err(bad("data must be an object or an array").pointer("/data")),
    }
}

fn resource(object: &Map<String, Value>, pointer: String) -> Result<ResourceIn, ApiError> {
    let kind = object
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let attributes = match object.get("attributes") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| (normalise(key), value.clone()))
            .collect(),
        Some(_) => {
            return Err(ApiError::new(400, "Bad Request")
                .pointer(format!("{pointer}/attributes"))
                .detail("attributes must be an object"));
        }
    };
    let relationships = match object.get("relationships") {
        Some(Value::Object(map)) => Some(
            map.iter()
                .map(|(key, value)| (normalise(key), value.clone()))
                .collect(),
        ),
        _ => None,
    };
    Ok(ResourceIn {
        kind,
        attributes: Attributes {
            values: attributes,
            pointer: format!("{pointer}/attributes"),
            errors: Vec::new(),
        },
        relationships,
        pointer,
    })
}

/// The attributes of one resource, read with the errors collected along the way.
#[derive(Debug, Clone)]
pub(crate) struct Attributes {
    values: BTreeMap<String, Value>,
    pointer: String,
    errors: Vec<ApiError>,
}

/// An attribute as sent: absent, `null`, or a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field<T> {
    /// Not in the body: leave as is.
    Absent,
    /// `null`: clear.
    Null,
    /// A value.
    Value(T),
}

impl<T> Field<T> {
    /// Applies the field to `slot`: a value sets it, `null` clears it, absent leaves it.
    pub(crate) fn apply(self, slot: &mut Option<T>) {
        match self {
            Field::Absent => {}
            Field::Null => *slot = None,
            Field::Value(value) => *slot = Some(value),
        }
    }

    /// The value, when one was sent.
    pub(crate) fn value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }
}

impl Attributes {
    /// The pointer of attribute `key` (kebab-case).
    pub(crate) fn pointer_of(&self, key: &str) -> String {
        format!("{}/{key}", self.pointer)
    }

    /// Records a 422 for attribute `key` (the pointer may name a relation, e.g.
    /// `configuration-type`).
    pub(crate) fn invalid(&mut self, key: &str, detail: &str) {
        let pointer = self.pointer_of(key);
        self.errors.push(ApiError::invalid(pointer, detail));
    }

    /// The errors found so far.
    pub(crate) fn take_errors(&mut self) -> Vec<ApiError> {
        std::mem::take(&mut self.errors)
    }

    /// The attribute keys sent (kebab-case).
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// A text attribute (numbers are read as their text).
    pub(crate) fn text(&mut self, key: &str) -> Field<String> {
        match self.values.get(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(Value::String(text)) => Field::Value(text.clone()),
            Some(Value::Number(number)) => Field::Value(number.to_string()),
            Some(_) => {
                self.invalid(key, "must be a string");
                Field::Absent
            }
        }
    }

    /// An id attribute: a number or a string of digits.
    pub(crate) fn id(&mut self, key: &str) -> Field<u64> {
        match self.values.get(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(Value::Number(number)) => match number.as_u64() {
                Some(id) => Field::Value(id),
                None => {
                    self.invalid(key, "must be an id");
                    Field::Absent
                }
            },
            Some(Value::String(text)) if text.trim().is_empty() => Field::Null,
            Some(Value::String(text)) => match text.trim().parse() {
                Ok(id) => Field::Value(id),
                Err(_) => {
                    self.invalid(key, "must be an id");
                    Field::Absent
                }
            },
            Some(_) => {
                self.invalid(key, "must be an id");
                Field::Absent
            }
        }
    }

    /// A boolean attribute (`true`/`false`/`1`/`0`, as JSON or text).
    pub(crate) fn flag(&mut self, key: &str) -> Field<bool> {
        let parsed = match self.values.get(key) {
            None => return Field::Absent,
            Some(Value::Null) => return Field::Null,
            Some(Value::Bool(flag)) => Some(*flag),
            Some(Value::Number(number)) => match number.as_u64() {
                Some(0) => Some(false),
                Some(1) => Some(true),
                _ => None,
            },
            Some(Value::String(text)) => super::query::parse_bool(text),
            Some(_) => None,
        };
        match parsed {
            Some(flag) => Field::Value(flag),
            None => {
                self.invalid(key, "must be true or false");
                Field::Absent
            }
        }
    }

    /// A date attribute (`YYYY-MM-DD`).
    pub(crate) fn date(&mut self, key: &str) -> Field<String> {
        match self.text(key) {
            Field::Value(text) if text.trim().is_empty() => Field::Null,
            Field::Value(text) => match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
                Ok(date) => Field::Value(date.to_string()),
                Err(_) => {
                    self.invalid(key, "is not a valid date");
                    Field::Absent
                }
            },
            other => other,
        }
    }

    /// An IP address attribute (IPv4 or IPv6).
    pub(crate) fn ip(&mut self, key: &str) -> Field<String> {
        match self.text(key) {
            Field::Value(text) if text.trim().is_empty() => Field::Null,
            Field::Value(text) if text.trim().parse::<IpAddr>().is_err() => {
                self.invalid(key, "is not a valid IP address");
                Field::Absent
            }
            other => other,
        }
    }
}

/// Whether `text` is a MAC address: twelve hex digits, grouped by `:`, `-` or `.`, or not.
pub(crate) fn is_mac(text: &str) -> bool {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.'))
        .collect();
    digits.len() == 12 && digits.chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(json: &str) -> Attributes {
        match parse(json.as_bytes()).unwrap() {
            BodyData::One(resource) => resource.attributes,
            BodyData::Many(_) => panic!("expected one resource"),
        }
    }

    #[test]
    fn kebab_and_snake_keys_are_one_attribute() {
        let mut a = attributes(
            r#"{"data": {"attributes": {"organization_id": "12", "configuration-type-id": 3}}}"#,
        );
        assert_eq!(a.id("organization-id"), Field::Value(12));
        assert_eq!(a.id("configuration-type-id"), Field::Value(3));
        assert!(a.take_errors().is_empty());
    }

    #[test]
    fn booleans_read_every_spelling_and_refuse_others() {
        let mut a = attributes(r#"{"data": {"attributes": {"a": "true", "b": 0, "c": "maybe"}}}"#);
        assert_eq!(a.flag("a"), Field::Value(true));
        assert_eq!(a.flag("b"), Field::Value(false));
        assert_eq!(a.flag("c"), Field::Absent);
        let errors = a.take_errors();
        assert_eq!(errors[0].pointer.as_deref(), Some("/data/attributes/c"));
    }

    #[test]
    fn bodies_that_are_not_documents_are_refused() {
        assert!(parse(b"nope").is_err());
        assert!(parse(br#"{"attributes": {}}"#).is_err());
        assert!(parse(br#"{"data": 3}"#).is_err());
    }

    #[test]
    fn macs_are_twelve_hex_digits() {
        assert!(is_mac("C4:7A:92:14:3D:78"));
        assert!(is_mac("c4-7a-92-14-3d-78"));
        assert!(is_mac("c47a92143d78"));
        assert!(!is_mac("18-5E-0F-ED-99-9J"));
        assert!(!is_mac("C4:7A:92"));
    }
}
