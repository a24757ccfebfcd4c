//! General: the details of the API key in use (`getApiKeyDetails`).

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::enums::ApiArea;

/// What `getApiKeyDetails` reports about the key.
///
/// Only `enabledApis` is known from public material (a list of area names); it is read from a
/// list of names or from an object of `name: bool`, case-insensitively.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiKeyDetails {
    /// The API areas the key may call.
    #[serde(default, deserialize_with = "areas")]
    pub enabled_apis: Vec<ApiArea>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ApiKeyDetails {
    /// Whether the key may call `area`.
    pub fn allows(&self, area: &ApiArea) -> bool {
        self.enabled_apis.contains(area)
    }

    /// Which of `required` the key may not call.
    pub fn missing<'a>(&self, required: &'a [ApiArea]) -> Vec<&'a ApiArea> {
        required.iter().filter(|a| !self.allows(a)).collect()
    }
}

fn areas<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ApiArea>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Names(Vec<String>),
        Switches(Map<String, Value>),
    }
    Ok(match Option::<Shape>::deserialize(d)? {
        None => Vec::new(),
        Some(Shape::Names(names)) => names.iter().map(|n| ApiArea::from_wire(n)).collect(),
        Some(Shape::Switches(map)) => map
            .iter()
            .filter(|(_, on)| matches!(on, Value::Bool(true)) || on.as_i64() == Some(1))
            .map(|(n, _)| ApiArea::from_wire(n))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enabled_apis_read_from_names_or_switches() {
        let a: ApiKeyDetails =
            serde_json::from_value(json!({"enabledApis": ["Companies", "network"]})).unwrap();
        assert!(a.allows(&ApiArea::Companies) && a.allows(&ApiArea::Network));
        assert_eq!(
            a.missing(&[ApiArea::Packages, ApiArea::Network]),
            [&ApiArea::Packages]
        );
        let b: ApiKeyDetails =
            serde_json::from_value(json!({"enabledApis": {"packages": true, "licensing": false}}))
                .unwrap();
        assert_eq!(b.enabled_apis, [ApiArea::Packages]);
    }
}
