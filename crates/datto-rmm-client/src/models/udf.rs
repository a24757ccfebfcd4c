//! User-defined fields (`udf1` … `udf300`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::lenient::Text;

/// A device's user-defined fields: only the ones that hold a value (Datto sends all 300 keys,
/// the empty ones as `null`).
///
/// UDFs often hold secrets (BitLocker keys, local admin passwords), so `Debug` prints the
/// names of the set fields, never their values.
///
/// ```
/// use datto_rmm_client::models::Udfs;
/// let udfs: Udfs = serde_json::from_str(r#"{"udf1": "rack 4", "udf2": null, "udf7": 42}"#).unwrap();
/// assert_eq!(udfs.get(1), Some("rack 4"));
/// assert_eq!(udfs.get(2), None);
/// assert_eq!(udfs.get(7), Some("42"));
/// assert!(!format!("{udfs:?}").contains("rack 4"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct Udfs(BTreeMap<String, String>);

impl Udfs {
    /// The value of `udf{number}`, if set.
    pub fn get(&self, number: u16) -> Option<&str> {
        self.0.get(&format!("udf{number}")).map(String::as_str)
    }

    /// A field by its key (`"udf12"`), if set.
    pub fn get_key(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The set fields, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many fields hold a value.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no field holds a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Udfs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.0.keys().map(|k| (k, msp_transport::REDACTED)))
            .finish()
    }
}

impl<'de> Deserialize<'de> for Udfs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(UdfsVisitor)
    }
}

/// Reads the map without allocating anything for the (usually ~300) `null` entries.
struct UdfsVisitor;

impl<'de> Visitor<'de> for UdfsVisitor {
    type Value = Udfs;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map of udf1..udf300")
    }

    fn visit_none<E: de::Error>(self) -> Result<Udfs, E> {
        Ok(Udfs::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Udfs, E> {
        Ok(Udfs::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Udfs, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Udfs, A::Error> {
        let mut values = BTreeMap::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if let Some(value) = map.next_value::<Option<Text>>()? {
                values.insert(key.into_owned(), value.0);
            }
        }
        Ok(Udfs(values))
    }
}

/// A map key, borrowed from the input when it can be (no allocation for skipped entries).
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a udf name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}
