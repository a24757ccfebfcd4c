//! What the hostile-input tests share: seed documents (the vendors' published samples, and
//! answers captured from the fakes, which are built from the vendors' documents).

#![allow(dead_code)] // each test file uses its own subset

use std::sync::OnceLock;

use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use serde_json::{Value, json};

/// Which vendor a seed document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Datto,
    GravityZone,
    ItGlue,
}

/// A seed document: the vendor, what it is, and the JSON.
#[derive(Debug, Clone)]
pub struct Seed {
    pub vendor: Vendor,
    pub label: String,
    pub document: Value,
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixtures() -> Vec<Seed> {
    let files = [
        (Vendor::Datto, "datto-device.json"),
        (Vendor::Datto, "datto-device-rmmnetworkdevice.json"),
        (Vendor::Datto, "datto-devices-page1.json"),
        (Vendor::Datto, "datto-site-live-partial.json"),
        (Vendor::Datto, "datto-device-live-partial.json"),
        (Vendor::GravityZone, "gravityzone-companies-list.json"),
        (Vendor::GravityZone, "gravityzone-company-details.json"),
        (
            Vendor::GravityZone,
            "gravityzone-error-401-invalid-api-key.json",
        ),
        (Vendor::GravityZone, "gravityzone-installation-links.json"),
        (Vendor::GravityZone, "gravityzone-packages-list.json"),
        (Vendor::ItGlue, "itglue-configuration-interfaces-list.json"),
        (Vendor::ItGlue, "itglue-configurations-list.json"),
        (Vendor::ItGlue, "itglue-error-422-configuration-type.json"),
        (
            Vendor::ItGlue,
            "itglue-organization-statuses-with-meta.json",
        ),
        (Vendor::ItGlue, "itglue-organizations-list.json"),
    ];
    files
        .into_iter()
        .map(|(vendor, name)| Seed {
            vendor,
            label: name.to_owned(),
            document: fixture(name),
        })
        .collect()
}

async fn datto_answers() -> Vec<Seed> {
    let msp = GeneratedMsp::generate(5, MspSize::Small);
    let site = msp.sites[4].uid.clone();
    let device = msp.devices_of(&msp.sites[4]).first().map(|d| d.uid.clone());
    let fake = DattoFake::start(DattoFakeConfig::new(msp)).await;
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/auth/oauth/token", fake.uri()))
        .basic_auth("public-client", Some("public"))
        .form(&[
            ("grant_type", "password"),
            ("username", fake.config().api_key.as_str()),
            ("password", fake.config().api_secret.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let mut paths = vec![
        "account".to_owned(),
        "account/sites?max=5".to_owned(),
        "account/devices?max=3".to_owned(),
        format!("site/{site}/devices/network-interface"),
        format!("site/{site}/variables"),
        "system/request_rate".to_owned(),
    ];
    if let Some(device) = device {
        paths.push(format!("audit/device/{device}"));
        paths.push(format!("device/{device}"));
    }
    let mut seeds = vec![Seed {
        vendor: Vendor::Datto,
        label: "token".into(),
        document: json!({"access_token": "t", "token_type": "bearer", "expires_in": 359999}),
    }];
    for path in paths {
        let document: Value = http
            .get(format!("{}/api/v2/{path}", fake.uri()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seeds.push(Seed {
            vendor: Vendor::Datto,
            label: path,
            document,
        });
    }
    seeds
}

async fn gravityzone_answers() -> Vec<Seed> {
    let fake = GravityZoneFake::start(GravityZoneFakeConfig::default()).await;
    let root = fake.root_id();
    let company = fake.add_customer(&root, "Contoso").unwrap();
    let http = reqwest::Client::new();
    let calls = [
        ("v1.0", "network", "getCompaniesList", json!({})),
        (
            "v1.0",
            "companies",
            "getCompanyDetails",
            json!({"companyId": company}),
        ),
        ("v1.0", "packages", "getPackagesList", json!({})),
        ("v1.0", "general", "getApiKeyDetails", json!({})),
        ("v1.0", "licensing", "getLicenseInfo", json!({})),
        (
            "v1.1",
            "network",
            "getEndpointsList",
            json!({"parentId": company}),
        ),
        (
            "v1.0",
            "packages",
            "getInstallationLinks",
            json!({"packageName": "none"}),
        ),
        ("v1.0", "network", "noSuchMethod", json!({})),
    ];
    let mut seeds = Vec::new();
    for (version, area, method, params) in calls {
        let document: Value = http
            .post(format!("{}/{version}/jsonrpc/{area}", fake.access_url()))
            .basic_auth(fake.api_key(), Some(""))
            .json(&json!({"id": "1", "jsonrpc": "2.0", "method": method, "params": params}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seeds.push(Seed {
            vendor: Vendor::GravityZone,
            label: method.to_owned(),
            document,
        });
    }
    seeds
}

async fn itglue_answers() -> Vec<Seed> {
    let key = "ITG.reliability-seed-key";
    let fake = ItGlueFake::start(ItGlueFakeConfig::new(key)).await;
    fake.plant_documentation(&GeneratedMsp::generate(5, MspSize::Small), 5);
    let http = reqwest::Client::new();
    let paths = [
        "organizations?page[size]=3",
        "configurations?page[size]=3&include=configuration_interfaces",
        "configuration_types",
        "configuration_statuses",
        "organizations/999999999",
    ];
    let mut seeds = Vec::new();
    for path in paths {
        let text = http
            .get(format!("{}/{path}", fake.uri()))
            .header("x-api-key", key)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if let Ok(document) = serde_json::from_str(&text) {
            seeds.push(Seed {
                vendor: Vendor::ItGlue,
                label: path.to_owned(),
                document,
            });
        }
    }
    seeds
}

/// Every seed document, computed once.
pub fn seeds() -> &'static [Seed] {
    static SEEDS: OnceLock<Vec<Seed>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let mut seeds = fixtures();
        runtime.block_on(async {
            seeds.extend(datto_answers().await);
            seeds.extend(gravityzone_answers().await);
            seeds.extend(itglue_answers().await);
        });
        seeds
    })
}

/// The seed documents of one vendor, each also with the inner values a model is decoded
/// from (`result` of a JSON-RPC envelope, `data` of a JSON:API document, the items of a page,
/// the elements of an array).
pub fn documents_of(vendor: Vendor) -> Vec<Value> {
    let mut documents = Vec::new();
    for seed in seeds().iter().filter(|s| s.vendor == vendor) {
        let document = &seed.document;
        documents.push(document.clone());
        for inner in [
            "result",
            "data",
            "sites",
            "devices",
            "variables",
            "items",
            "included",
        ] {
            if let Some(value) = document.get(inner) {
                documents.push(value.clone());
                if let Some(first) = value.as_array().and_then(|a| a.first()) {
                    documents.push(first.clone());
                }
                if let Some(items) = value.get("items") {
                    documents.push(items.clone());
                }
            }
        }
        if let Some(first) = document.as_array().and_then(|a| a.first()) {
            documents.push(first.clone());
        }
    }
    documents
}
