//! Typed ids: they read Datto's wire shapes (uids as strings, numeric ids as numbers), write
//! them back the same way, and a wrong-typed id is a decode error naming the field.

mod common;

use datto_rmm_client::models::{Device, Site, Variable};
use datto_rmm_client::{
    AccountUid, AutotaskCompanyId, DeviceId, DeviceUid, Error, SiteId, SiteUid, VariableId,
};
use msp_fakes::datto::DattoHandler;
use msp_fakes::harness::{FakeServer, Handler};
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The id fields of `value`, as they are on the wire.
fn wire_ids(value: &Value, keys: &[&str]) -> Vec<Value> {
    keys.iter().map(|key| value[*key].clone()).collect()
}

#[test]
fn a_live_site_keeps_its_ids_and_writes_them_back_in_datto_shapes() {
    let wire = fixture("datto-site-live-partial.json");
    let site: Site = serde_json::from_value(wire.clone()).unwrap();

    assert_eq!(site.id, Some(SiteId::new(218_140)));
    assert_eq!(
        site.uid,
        Some(SiteUid::new("11111111-2222-3333-4444-555555555555"))
    );
    assert_eq!(site.account_uid, Some(AccountUid::new("ab1c0002")));
    assert_eq!(
        site.autotask_company_id,
        Some(AutotaskCompanyId::new("1234"))
    );
    let written = serde_json::to_value(&site).unwrap();
    let keys = ["id", "uid", "accountUid", "autotaskCompanyId"];
    assert_eq!(wire_ids(&written, &keys), wire_ids(&wire, &keys));
}

#[test]
fn a_device_keeps_its_ids_and_writes_them_back_in_datto_shapes() {
    let wire = fixture("datto-device.json");
    let device: Device = serde_json::from_value(wire.clone()).unwrap();

    assert_eq!(device.uid, Some(DeviceUid::new("device-uid-1")));
    assert_eq!(device.site_id, Some(SiteId::new(100)));
    assert!(device.id.is_some() && device.site_uid.is_some());
    let written = serde_json::to_value(&device).unwrap();
    let keys = ["id", "uid", "siteId", "siteUid"];
    assert_eq!(wire_ids(&written, &keys), wire_ids(&wire, &keys));
    assert!(written["id"].is_number() && written["siteUid"].is_string());
}

#[test]
fn a_variable_id_written_as_text_is_read_and_written_as_a_number() {
    let variable: Variable =
        serde_json::from_value(json!({"id": "17", "name": "Rack", "value": "R4"})).unwrap();
    assert_eq!(variable.id, Some(VariableId::new(17)));
    assert_eq!(serde_json::to_value(&variable).unwrap()["id"], json!(17));
}

#[test]
fn wrong_typed_ids_are_decode_errors_naming_the_field() {
    let cases: [(&[u8], &str); 5] = [
        (br#"{"uid": 42}"#, "uid"),
        (br#"{"accountUid": ["ab1c0002"]}"#, "accountUid"),
        (br#"{"id": "two hundred"}"#, "id"),
        (br#"{"id": 1.5}"#, "id"),
        (br#"{"id": true}"#, "id"),
    ];
    for (body, field) in cases {
        let error = msp_transport::decode_json::<Site>(body).unwrap_err();
        assert!(
            matches!(&error, msp_transport::Error::Decode { path, .. } if path == field),
            "{}: {error:?}",
            String::from_utf8_lossy(body)
        );
    }
    let error = msp_transport::decode_json::<Device>(br#"{"siteUid": 7}"#).unwrap_err();
    assert!(error.to_string().contains("siteUid"), "{error}");
}

/// The Datto fake, except that one site is answered with a numeric uid.
struct NumericSiteUid(DattoHandler);

impl Handler for NumericSiteUid {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        if request.url.path().starts_with("/api/v2/site/") {
            return Some(ResponseTemplate::new(200).set_body_json(json!({"id": 1, "uid": 12345})));
        }
        self.0.handle(request)
    }
}

#[tokio::test]
async fn a_site_with_a_numeric_uid_is_a_typed_decode_error_from_the_client() {
    let fake = common::fake().await;
    let server = FakeServer::start(NumericSiteUid(fake.handler().clone())).await;
    let client = common::client_through(&fake, &server.uri());

    let error = client.get_site(&SiteUid::new("s-1")).await.unwrap_err();

    assert!(
        matches!(
            &error,
            Error::Transport(msp_transport::Error::Decode { path, .. }) if path == "uid"
        ),
        "{error:?}"
    );
    assert!(!error.is_transient());
}

#[tokio::test]
async fn ids_taken_from_a_listing_address_the_same_records() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let listed = client.list_devices().collect_all().await.unwrap();
    let first = listed[0].clone();

    let device = client
        .get_device(first.uid.as_ref().unwrap())
        .await
        .unwrap();

    assert_eq!(device.uid, first.uid);
    assert_eq!(device.id, first.id);
    assert_eq!(device.site_uid, first.site_uid);
    let stored = fake
        .devices()
        .into_iter()
        .find(|d| first.uid.as_ref().map(DeviceUid::as_str) == Some(d.uid.as_str()))
        .unwrap();
    assert_eq!(first.id, Some(DeviceId::new(stored.id)));
}
