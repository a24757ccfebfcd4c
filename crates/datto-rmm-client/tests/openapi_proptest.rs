//! Property test: `Site` and `Device` objects built from Datto's own OpenAPI schemas — with
//! random `null`s, missing fields, unknown enum strings and every time shape — always decode,
//! and decoding keeps every value that was present.

use std::sync::OnceLock;

use datto_rmm_client::models::{Device, Site};
use proptest::prelude::*;
use serde_json::{Map, Value};

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = format!(
            "{}/tests/fixtures/datto-rmm-openapi.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
}

/// Follows a `$ref` to its schema.
fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &spec()["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// 1e12 ms (2001) to 4e12 ms (2096), in whole seconds so every shape is exact.
fn instant_ms() -> impl Strategy<Value = i64> {
    (1_000_000_000i64..4_000_000_000).prop_map(|s| s * 1000)
}

/// One time in each of the shapes Datto uses: epoch ms, epoch seconds (integer or with a
/// fraction), RFC 3339 text.
fn date_time() -> BoxedStrategy<Value> {
    prop_oneof![
        instant_ms().prop_map(Value::from),
        instant_ms().prop_map(|ms| Value::from(ms / 1000)),
        instant_ms().prop_map(|ms| Value::from(ms as f64 / 1000.0)),
        instant_ms().prop_map(|ms| {
            let at = chrono::DateTime::from_timestamp_millis(ms).unwrap();
            Value::from(at.to_rfc3339())
        }),
    ]
    .boxed()
}

fn value_of(schema: &Value) -> BoxedStrategy<Value> {
    let schema = resolve(schema);
    if let Some(known) = schema.get("enum").and_then(Value::as_array) {
        let known: Vec<Value> = known.clone();
        return prop_oneof![
            3 => proptest::sample::select(known),
            1 => "[A-Za-z_]{1,16}".prop_map(Value::from),
        ]
        .boxed();
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("date-time")) => date_time(),
        (Some("string"), _) => "\\PC{0,24}".prop_map(Value::from).boxed(),
        (Some("integer"), Some("int32")) => any::<i32>().prop_map(Value::from).boxed(),
        (Some("integer"), _) => any::<i64>().prop_map(Value::from).boxed(),
        (Some("number"), _) => (-1.0e9f64..1.0e9).prop_map(Value::from).boxed(),
        (Some("boolean"), _) => any::<bool>().prop_map(Value::from).boxed(),
        (Some("array"), _) => {
            let items = value_of(&schema["items"]);
            proptest::collection::vec(items, 0..3)
                .prop_map(Value::Array)
                .boxed()
        }
        _ => object_of(schema),
    }
}

/// An object with each property missing, `null`, or a value.
fn object_of(schema: &Value) -> BoxedStrategy<Value> {
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(name, property)| {
            let name = name.clone();
            let present = value_of(property);
            prop_oneof![
                1 => Just(None),
                1 => Just(Some((name.clone(), Value::Null))),
                3 => present.prop_map(move |v| Some((name.clone(), v))),
            ]
            .boxed()
        })
        .collect();
    fields
        .prop_map(|fields| Value::Object(fields.into_iter().flatten().collect::<Map<_, _>>()))
        .boxed()
}

/// The instant a generated time stands for, read independently of the client's parser.
fn expected_ms(generated: &Value) -> i64 {
    match generated {
        Value::Number(n) if n.is_i64() => {
            let n = n.as_i64().unwrap();
            if n < 1_000_000_000_000 { n * 1000 } else { n }
        }
        Value::Number(n) => (n.as_f64().unwrap() * 1000.0).round() as i64,
        Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis(),
        other => panic!("not a generated time: {other}"),
    }
}

/// Asserts that every present (non-null) value of `generated` is in `decoded` (the decoded
/// model serialized back), following `schema`.
fn assert_kept(schema: &Value, generated: &Value, decoded: &Value, path: &str) {
    let schema = resolve(schema);
    if generated.is_null() {
        return;
    }
    let is_time = schema.get("format").and_then(Value::as_str) == Some("date-time");
    match schema.get("type").and_then(Value::as_str) {
        _ if is_time => {
            assert_eq!(
                decoded.as_i64(),
                Some(expected_ms(generated)),
                "{path}: time {generated}"
            );
        }
        Some("number") => {
            let (a, b) = (
                generated.as_f64().unwrap(),
                decoded.as_f64().unwrap_or(f64::NAN),
            );
            assert!((a - b).abs() <= a.abs() * 1e-6, "{path}: {a} vs {b}");
        }
        Some("string" | "integer" | "boolean") => assert_eq!(decoded, generated, "{path}"),
        Some("array") => {
            let (generated, decoded) = (generated.as_array().unwrap(), decoded.as_array().unwrap());
            assert_eq!(generated.len(), decoded.len(), "{path}");
            for (i, (g, d)) in generated.iter().zip(decoded).enumerate() {
                assert_kept(&schema["items"], g, d, &format!("{path}[{i}]"));
            }
        }
        _ => {
            let properties = schema["properties"].as_object().unwrap();
            for (name, value) in generated
                .as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| !v.is_null())
            {
                let inner = decoded
                    .get(name)
                    .unwrap_or_else(|| panic!("{path}.{name} was dropped"));
                assert_kept(&properties[name], value, inner, &format!("{path}.{name}"));
            }
        }
    }
}

fn schema(name: &str) -> Value {
    spec()["components"]["schemas"][name].clone()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_openapi_shaped_site_decodes_and_keeps_its_values(site in object_of(&schema("Site"))) {
        let decoded: Site = serde_json::from_value(site.clone()).map_err(|e| TestCaseError::fail(format!("{e}: {site}")))?;
        let back = serde_json::to_value(&decoded).unwrap();
        assert_kept(&schema("Site"), &site, &back, "site");
    }

    #[test]
    fn any_openapi_shaped_device_decodes_and_keeps_its_values(device in object_of(&schema("Device"))) {
        let decoded: Device = serde_json::from_value(device.clone()).map_err(|e| TestCaseError::fail(format!("{e}: {device}")))?;
        let back = serde_json::to_value(&decoded).unwrap();
        assert_kept(&schema("Device"), &device, &back, "device");
    }

    #[test]
    fn any_openapi_shaped_site_page_decodes_from_bytes(site in object_of(&schema("Site"))) {
        let page = serde_json::json!({"pageDetails": {"count": 1, "nextPageUrl": null}, "sites": [site]});
        let bytes = serde_json::to_vec(&page).unwrap();
        #[derive(serde::Deserialize)]
        struct SitesPage { sites: Vec<Site> }
        let decoded: SitesPage = msp_transport::decode_json(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(decoded.sites.len(), 1);
    }
}
