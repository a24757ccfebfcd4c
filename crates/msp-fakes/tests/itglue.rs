//! The IT Glue fake over plain HTTP: what it answers to requests no well-behaved client sends.

use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig, NamedKind};
use serde_json::{Value, json};

const KEY: &str = "ITG.fake-test";
const JSON_API: &str = "application/vnd.api+json";

async fn start() -> ItGlueFake {
    ItGlueFake::start(ItGlueFakeConfig::new(KEY)).await
}

async fn get(fake: &ItGlueFake, path_and_query: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(format!("{}{path_and_query}", fake.uri()))
        .header("x-api-key", KEY)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn send(fake: &ItGlueFake, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", fake.uri()))
        .header("x-api-key", KEY)
        .header("content-type", JSON_API)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[tokio::test]
async fn a_missing_key_is_401_and_a_wrong_key_is_403() {
    let fake = start().await;
    let url = format!("{}/organizations", fake.uri());
    let missing = reqwest::get(&url).await.unwrap();
    assert_eq!(missing.status().as_u16(), 401);
    let wrong = reqwest::Client::new()
        .get(&url)
        .header("x-api-key", "ITG.nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 403);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["errors"][0]["status"], 403);
}

#[tokio::test]
async fn a_write_that_is_not_json_api_is_415() {
    let fake = start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/organizations", fake.uri()))
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .body(r#"{"data": {"type": "organizations", "attributes": {"name": "X"}}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    assert!(fake.organizations().is_empty());
}

#[tokio::test]
async fn lists_carry_meta_and_links() {
    let fake = start().await;
    for n in 0..5 {
        fake.add_organization(&format!("Org {n}"));
    }
    let (status, body) = get(
        &fake,
        "/organizations?page[size]=2&page[number]=2&filter[name]=Org%201,Org%202,Org%203",
    )
    .await;
    assert_eq!(status, 200);
    let body = json(&body);
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    let meta = &body["meta"];
    assert_eq!(meta["current-page"], 2);
    assert_eq!(meta["next-page"], Value::Null);
    assert_eq!(meta["prev-page"], 1);
    assert_eq!(meta["total-pages"], 2);
    assert_eq!(meta["total-count"], 3);
    assert_eq!(meta["filters"]["name"], "Org 1,Org 2,Org 3");
    let prev = body["links"]["prev"].as_str().unwrap();
    assert!(prev.contains("page%5Bnumber%5D=1"), "{prev}");
}

#[tokio::test]
async fn the_default_page_is_fifty_and_more_than_a_thousand_is_refused() {
    let fake = start().await;
    for n in 0..51 {
        fake.add_organization(&format!("Org {n}"));
    }
    let (_, body) = get(&fake, "/organizations").await;
    assert_eq!(json(&body)["data"].as_array().unwrap().len(), 50);
    let (status, _) = get(&fake, "/organizations?page[size]=1001").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn an_unknown_filter_is_refused_rather_than_ignored() {
    let fake = start().await;
    let (status, body) = get(&fake, "/configurations?filter[organization-id]=1").await;
    assert_eq!(status, 400);
    assert_eq!(
        json(&body)["errors"][0]["source"]["parameter"],
        "filter[organization-id]"
    );
}

#[tokio::test]
async fn an_rmm_id_without_its_integration_type_is_refused() {
    let fake = start().await;
    let org = fake.add_organization("Org");
    fake.add_configuration(org, "PC");
    let (status, _) = get(&fake, "/configurations?filter[rmm_id]=abc").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn filters_on_the_nested_configuration_route_are_ignored() {
    let fake = start().await;
    let org = fake.add_organization("Org");
    fake.add_configuration(org, "PC-1");
    fake.add_configuration(org, "PC-2");
    let (status, body) = get(
        &fake,
        &format!("/organizations/{org}/relationships/configurations?filter[name]=PC-1"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(json(&body)["data"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn there_is_no_account_wide_interface_list() {
    let fake = start().await;
    let (status, body) = get(&fake, "/configuration_interfaces").await;
    assert_eq!(status, 404);
    assert!(body.contains("<title>The page you were looking for doesn't exist (404)</title>"));
    let (status, _) = get(&fake, "/organizations/not-a-number").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn unknown_routes_are_unexpected_requests() {
    let fake = start().await;
    let (status, _) = get(&fake, "/passwords").await;
    assert_eq!(status, 418);
    assert_eq!(fake.server().unexpected_requests().len(), 1);
}

#[tokio::test]
async fn a_configuration_without_type_or_name_gets_one_error_per_attribute() {
    let fake = start().await;
    let org = fake.add_organization("Org");
    let (status, body) = send(
        &fake,
        "POST",
        "/configurations",
        &json!({"data": {"type": "configurations", "attributes": {"organization_id": org}}}),
    )
    .await;
    assert_eq!(status, 422);
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"]["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        vec![
            "/data/attributes/name",
            "/data/attributes/configuration-type"
        ]
    );
    assert_eq!(body["errors"][1]["detail"], "must exist");
    assert_eq!(body["errors"][1]["status"], 422);
}

#[tokio::test]
async fn a_configuration_without_an_organization_is_refused_as_it_glue_does() {
    let fake = start().await;
    let laptop = fake
        .named_id(NamedKind::ConfigurationType, "Laptop")
        .unwrap();
    let (status, body) = send(
        &fake,
        "POST",
        "/configurations",
        &json!({"data": {"type": "configurations", "attributes": {"name": "PC", "configuration-type-id": laptop}}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"][0]["title"],
        "Valid organization_id is required"
    );
    assert_eq!(
        body["errors"][0]["source"]["pointer"],
        "data/attributes/organization_id"
    );
}

#[tokio::test]
async fn bulk_create_is_refused_on_the_top_level_route() {
    let fake = start().await;
    let laptop = fake
        .named_id(NamedKind::ConfigurationType, "Laptop")
        .unwrap();
    let org = fake.add_organization("Org");
    let item = json!({"type": "configurations", "attributes": {"name": "PC", "organization-id": org, "configuration-type-id": laptop}});
    let (status, _) = send(&fake, "POST", "/configurations", &json!({"data": [item]})).await;
    assert_eq!(status, 400);
    assert!(fake.configurations().is_empty());
}

#[tokio::test]
async fn a_configuration_update_with_relationships_is_refused() {
    let fake = start().await;
    let org = fake.add_organization("Org");
    let pc = fake.add_configuration(org, "PC");
    let (status, body) = send(
        &fake,
        "PATCH",
        &format!("/configurations/{pc}"),
        &json!({"data": {"type": "configurations", "attributes": {"name": "PC2"},
            "relationships": {"configuration_interfaces": {"data": []}}}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"][0]["source"]["pointer"],
        "/data/relationships"
    );
    assert_eq!(fake.configuration(pc).unwrap().name, "PC");
}

#[tokio::test]
async fn archived_accepts_every_documented_spelling() {
    let fake = start().await;
    let org = fake.add_organization("Org");
    let pc = fake.add_configuration(org, "PC");
    for (value, expected) in [(json!("true"), true), (json!(0), false), (json!("1"), true)] {
        let (status, _) = send(
            &fake,
            "PATCH",
            &format!("/configurations/{pc}"),
            &json!({"data": {"type": "configurations", "attributes": {"archived": value}}}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(fake.configuration(pc).unwrap().archived, expected);
    }
}

#[tokio::test]
async fn the_time_out_answer_uses_it_glues_words() {
    let fake = start().await;
    fake.set_slow_queries(Some(msp_fakes::itglue::SlowQueries {
        above_page_size: 100,
        status: 500,
    }));
    let (status, body) = get(&fake, "/organizations?page[size]=1000").await;
    assert_eq!(status, 500);
    assert_eq!(
        json(&body)["errors"][0]["detail"],
        msp_fakes::itglue::TIMED_OUT_DETAIL
    );
    let (status, _) = get(&fake, "/organizations?page[size]=100").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn past_the_limit_the_fake_answers_429() {
    let fake = start().await;
    fake.set_rate_limit(Some(msp_fakes::itglue::FakeRateLimit {
        requests: 3,
        window: std::time::Duration::from_secs(300),
    }));
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(get(&fake, "/organizations").await.0);
    }
    assert_eq!(statuses, vec![200, 200, 200, 429, 429]);
}

#[tokio::test]
async fn a_synced_type_cannot_be_renamed() {
    let fake = start().await;
    let synced = fake.add_named(NamedKind::ConfigurationStatus, "PSA Active", true);
    let (status, _) = send(
        &fake,
        "PATCH",
        &format!("/configuration_statuses/{synced}"),
        &json!({"data": {"type": "configuration-statuses", "attributes": {"name": "Other"}}}),
    )
    .await;
    assert_eq!(status, 422);
}
