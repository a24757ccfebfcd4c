//! General: the details of the API key in use (`getApiKeyDetails`).

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::enums::ApiArea;

/// What `getApiKeyDetails` reports about the key.
///
/// Only `enabledApis` is known from public material (a list of area names); it is read from a
/// list of names or from an object of `name: bool`, case-insensitively. When the reply does
/// not carry it, nothing is concluded: [`ApiKeyDetails::allows`] answers `None` and
/// [`ApiKeyDetails::missing`] reports nothing.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiKeyDetails {
    /// The API areas the key may call; `None` when the reply does not say.
    #[serde(default, deserialize_with = "areas")]
    pub enabled_apis: Option<Vec<ApiArea>>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ApiKeyDetails {
    /// Whether the key may call `area`; `None` when the reply does not list the areas.
    pub fn allows(&self, area: &ApiArea) -> Option<bool> {
        self.enabled_apis.as_ref().map(|areas| areas.contains(area))
    }

    /// Which of `required` the key may not call (none when the reply does not list areas).
    pub fn missing<'a>(&self, required: &'a [ApiArea]) -> Vec<&'a ApiArea> {
        required
            .iter()
            .filter(|a| self.allows(a) == Some(false))
            .collect()
    }
}

fn areas<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<ApiArea>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Names(Vec<String>),
        Switches(Map<String, Value>),
    }
    Ok(Option::<Shape>::deserialize(d)?.map(|shape| match shape {
        Shape::Names(names) => names.iter().map(|n| ApiArea::from_wire(n)).collect(),
        Shape::Switches(map) => map
            .iter()
            .filter(|(_, on)| matches!(on, Value::Bool(true)) || on.as_i64() == Some(1))
            .map(|(n, _)| ApiArea::from_wire(n))
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enabled_apis_read_from_names_or_switches() {
        let a: ApiKeyDetails =
            serde_json::from_value(json!({"enabledApis": ["Companies", "network"]})).unwrap();
        assert_eq!(a.allows(&ApiArea::Companies), Some(true));
        assert_eq!(a.allows(&ApiArea::Packages), Some(false));
        assert_eq!(
            a.missing(&[ApiArea::Packages, ApiArea::Network]),
            [&ApiArea::Packages]
        );
        let b: ApiKeyDetails =
            serde_json::from_value(json!({"enabledApis": {"packages": true, "licensing": false}}))
                .unwrap();
        assert_eq!(b.enabled_apis, Some(vec![ApiArea::Packages]));
    }

    #[test]
    fn a_reply_without_enabled_apis_concludes_nothing() {
        let c: ApiKeyDetails = serde_json::from_value(json!({"keyName": "sync"})).unwrap();
        assert_eq!(c.allows(&ApiArea::Packages), None);
        assert!(c.missing(&[ApiArea::Packages]).is_empty());
        assert_eq!(c.extra["keyName"], json!("sync"));
    }
}
