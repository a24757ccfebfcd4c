//! User-defined fields (`udf1` … `udf300`).

use std::collections::BTreeMap;

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
        let raw = Option::<BTreeMap<String, Option<Text>>>::deserialize(deserializer)?;
        Ok(Udfs(
            raw.unwrap_or_default()
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v.0)))
                .collect(),
        ))
    }
}
