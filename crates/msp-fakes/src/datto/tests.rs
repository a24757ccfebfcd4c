//! The fake speaks Datto's wire protocol, checked with a plain HTTP client (not our Datto
//! client, so the fake cannot drift towards what the client happens to accept).

use serde_json::{Value, json};

use super::{DattoFake, DattoFakeConfig};
use crate::msp::{DeviceClass, GeneratedMsp, MspSize};

const PUBLIC_CLIENT: (&str, &str) = ("public-client", "public");

async fn fake(size: MspSize) -> DattoFake {
    DattoFake::start(DattoFakeConfig::new(GeneratedMsp::generate(3, size))).await
}

async fn token(fake: &DattoFake) -> String {
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/auth/oauth/token", fake.uri()))
        .basic_auth(PUBLIC_CLIENT.0, Some(PUBLIC_CLIENT.1))
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
    answer["access_token"].as_str().unwrap().to_owned()
}

async fn get(fake: &DattoFake, token: &str, path_and_query: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .get(format!("{}/api{path_and_query}", fake.uri()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn the_token_endpoint_wants_the_public_client_the_password_grant_and_the_right_keys() {
    let fake = fake(MspSize::Small).await;
    let http = reqwest::Client::new();
    let url = format!("{}/auth/oauth/token", fake.uri());
    let key = fake.config().api_key.clone();
    let secret = fake.config().api_secret.clone();
    let attempt = |client: (&str, &str), grant: &str, password: &str| {
        http.post(&url)
            .basic_auth(client.0, Some(client.1))
            .form(&[
                ("grant_type", grant),
                ("username", key.as_str()),
                ("password", password),
            ])
            .send()
    };

    assert_eq!(
        attempt(("x", "y"), "password", &secret)
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(
        attempt(PUBLIC_CLIENT, "client_credentials", &secret)
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        attempt(PUBLIC_CLIENT, "password", "wrong")
            .await
            .unwrap()
            .status(),
        401
    );
    let ok = attempt(PUBLIC_CLIENT, "password", &secret).await.unwrap();
    assert_eq!(ok.status(), 200);
    let body: Value = ok.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 360_000);
    assert_eq!(fake.tokens_issued(), 1);
}

#[tokio::test]
async fn the_api_needs_a_valid_token_except_for_the_system_status() {
    let fake = fake(MspSize::Small).await;
    assert_eq!(get(&fake, "nonsense", "/v2/account").await.0, 401);
    assert_eq!(get(&fake, "nonsense", "/v2/system/status").await.0, 200);
    let token = token(&fake).await;
    assert_eq!(get(&fake, &token, "/v2/account").await.0, 200);
    fake.advance_clock(std::time::Duration::from_secs(100 * 3600));
    assert_eq!(get(&fake, &token, "/v2/account").await.0, 401, "expired");
}

#[tokio::test]
async fn lists_use_datto_s_page_envelope_with_absolute_links_and_null_at_the_end() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;

    let (_, first) = get(&fake, &token, "/v2/account/sites?max=8&page=0").await;
    assert_eq!(first["pageDetails"]["count"], 8);
    assert_eq!(first["pageDetails"]["totalCount"], 20);
    assert_eq!(first["pageDetails"]["prevPageUrl"], Value::Null);
    let next = first["pageDetails"]["nextPageUrl"].as_str().unwrap();
    assert_eq!(
        next,
        format!("{}/api/v2/account/sites?max=8&page=1", fake.uri())
    );

    let (_, last) = get(&fake, &token, "/v2/account/sites?max=8&page=2").await;
    assert_eq!(last["pageDetails"]["count"], 4);
    assert_eq!(last["pageDetails"]["nextPageUrl"], Value::Null);
    assert!(last["sites"][0]["devicesStatus"]["numberOfDevices"].is_u64());
}

#[tokio::test]
async fn a_max_above_250_is_clamped_silently() {
    let fake = fake(MspSize::Medium).await;
    let token = token(&fake).await;
    let (status, page) = get(&fake, &token, "/v2/account/devices?max=1000").await;
    assert_eq!(status, 200);
    assert_eq!(page["devices"].as_array().unwrap().len(), 250);
    assert!(
        page["pageDetails"]["nextPageUrl"]
            .as_str()
            .unwrap()
            .contains("max=250&page=1")
    );
}

#[tokio::test]
async fn devices_carry_all_300_udf_keys_a_device_type_object_and_epoch_ms_times() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;
    let uid = fake.devices()[0].uid.clone();
    let (_, device) = get(&fake, &token, &format!("/v2/device/{uid}")).await;
    assert_eq!(device["udf"].as_object().unwrap().len(), 300);
    assert!(device["deviceType"]["category"].is_string());
    assert!(device["lastSeen"].as_i64().unwrap() > 1_000_000_000_000);
}

#[tokio::test]
async fn variable_writes_answer_without_a_body_and_show_in_the_next_list() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;
    let site = fake.sites()[4].uid.clone();
    let created = reqwest::Client::new()
        .put(format!("{}/api/v2/site/{site}/variable", fake.uri()))
        .bearer_auth(&token)
        .json(&json!({"name": "Link", "value": "https://x", "masked": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 200);
    assert!(created.bytes().await.unwrap().is_empty());
    let (_, page) = get(&fake, &token, &format!("/v2/site/{site}/variables")).await;
    assert_eq!(page["variables"][0]["name"], "Link");
    assert_eq!(page["variables"][0]["value"], "https://x");
}

#[tokio::test]
async fn only_devices_of_class_device_have_an_audit() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;
    let devices = fake.devices();
    let printer = devices
        .iter()
        .find(|d| d.device_class != DeviceClass::Device)
        .unwrap();
    let computer = devices
        .iter()
        .find(|d| d.device_class == DeviceClass::Device)
        .unwrap();
    assert_eq!(
        get(&fake, &token, &format!("/v2/audit/device/{}", printer.uid))
            .await
            .0,
        400
    );
    let (status, audit) = get(&fake, &token, &format!("/v2/audit/device/{}", computer.uid)).await;
    assert_eq!(status, 200);
    assert_eq!(
        audit["systemInfo"]["manufacturer"],
        computer.manufacturer.as_str()
    );
}

#[tokio::test]
async fn printers_and_esxi_hosts_have_their_own_audits_and_only_they() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;
    let devices = fake.devices();
    let of = |class| devices.iter().find(|d| d.device_class == class).unwrap();
    let printer = of(DeviceClass::Printer);
    let host = of(DeviceClass::EsxiHost);
    let (status, audit) = get(&fake, &token, &format!("/v2/audit/printer/{}", printer.uid)).await;
    assert_eq!(status, 200);
    assert_eq!(audit["systemInfo"]["model"], printer.model.as_str());
    assert_eq!(
        audit["snmpInfo"]["snmpSerial"].as_str(),
        printer.serial_number.as_deref()
    );
    let (status, audit) = get(&fake, &token, &format!("/v2/audit/esxihost/{}", host.uid)).await;
    assert_eq!(status, 200);
    assert_eq!(
        audit["systemInfo"]["serviceTag"].as_str(),
        host.serial_number.as_deref()
    );
    assert_eq!(audit["nics"].as_array().unwrap().len(), host.nics.len());
    if let Some(card) = host.nics.first() {
        assert_eq!(audit["nics"][0]["macAddress"], card.mac_address.as_str());
    }
    for (path, wrong) in [("printer", host), ("esxihost", printer)] {
        let status = get(&fake, &token, &format!("/v2/audit/{path}/{}", wrong.uid))
            .await
            .0;
        assert_eq!(status, 400, "{path}");
    }
}

#[tokio::test]
async fn network_devices_carry_the_type_discovery_gave_and_their_snmp_description() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;
    let gear = fake
        .devices()
        .into_iter()
        .find(|d| d.device_class == DeviceClass::NetworkDevice)
        .unwrap();
    let (status, device) = get(&fake, &token, &format!("/v2/device/{}", gear.uid)).await;
    assert_eq!(status, 200);
    assert_eq!(device["deviceClass"], "rmmnetworkdevice");
    assert_eq!(device["deviceType"]["category"], "Network Device");
    assert_eq!(device["deviceType"]["type"], gear.type_name.as_str());
    assert_eq!(device["description"].as_str(), gear.description.as_deref());
    assert!(device["description"].is_string());
}

#[tokio::test]
async fn an_unknown_route_is_left_to_the_catch_all() {
    let fake = fake(MspSize::Small).await;
    let token = token(&fake).await;
    assert_eq!(get(&fake, &token, "/v2/devices").await.0, 418);
    assert_eq!(fake.server().unexpected_requests().len(), 1);
}
