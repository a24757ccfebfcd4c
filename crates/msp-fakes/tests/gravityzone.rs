//! The GravityZone fake over real HTTP, spoken to with raw JSON-RPC (the client crate's
//! tests cover it through the typed client).

use std::time::Duration;

use msp_fakes::gravityzone::{
    FakeRateLimit, FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig,
};
use serde_json::{Value, json};

struct Answer {
    status: u16,
    retry_after: Option<String>,
    body: Value,
}

async fn rpc(
    fake: &GravityZoneFake,
    key: Option<&str>,
    area: &str,
    method: &str,
    params: Value,
) -> Answer {
    let mut request = reqwest::Client::new()
        .post(format!("{}/v1.0/jsonrpc/{area}", fake.access_url()))
        .json(&json!({"id": "req-1", "jsonrpc": "2.0", "method": method, "params": params}));
    if let Some(key) = key {
        request = request.basic_auth(key, Some(""));
    }
    let response = request.send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        retry_after: response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: response.json().await.unwrap(),
    }
}

async fn start() -> GravityZoneFake {
    GravityZoneFake::start(GravityZoneFakeConfig::default()).await
}

#[tokio::test]
async fn a_created_company_is_returned_as_a_bare_id_and_listed_under_its_parent() {
    let fake = start().await;
    let key = fake.api_key();
    let answer = rpc(
        &fake,
        Some(&key),
        "companies",
        "createCompany",
        json!({"type": 1, "name": "Contoso"}),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["id"], json!("req-1"));
    let id = answer.body["result"].as_str().unwrap().to_owned();
    let list = rpc(&fake, Some(&key), "network", "getCompaniesList", json!({})).await;
    assert_eq!(list.body["result"], json!([{"id": id, "name": "Contoso"}]));
    assert_eq!(fake.calls("createCompany"), 1);
}

#[tokio::test]
async fn another_partners_company_blocks_the_name_with_an_http_200_error() {
    let fake = start().await;
    let other = fake.add_foreign_partner("Other MSP").unwrap();
    fake.add_customer(&other, "Contoso").unwrap();
    let answer = rpc(
        &fake,
        Some(&fake.api_key()),
        "companies",
        "createCompany",
        json!({"type": 1, "name": "contoso"}),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["error"]["code"], json!(-32602));
    assert!(
        answer.body["error"]["data"]["details"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    // The other partner's company is invisible to the key.
    let found = rpc(
        &fake,
        Some(&fake.api_key()),
        "companies",
        "findCompaniesByName",
        json!({"nameFilter": "Contoso"}),
    )
    .await;
    assert_eq!(found.body["result"], json!([]));
}

#[tokio::test]
async fn a_bad_key_is_401_and_a_missing_area_is_403() {
    let fake = start().await;
    let bad = rpc(
        &fake,
        Some("nope"),
        "general",
        "getApiKeyDetails",
        json!({}),
    )
    .await;
    assert_eq!(bad.status, 401);
    assert!(
        bad.body["error"]["data"]["details"]
            .as_str()
            .unwrap()
            .starts_with("Invalid API key")
    );
    let missing = rpc(&fake, None, "general", "getApiKeyDetails", json!({})).await;
    assert_eq!(missing.status, 401);
    fake.add_api_key("limited", &fake.root_id(), &["companies"]);
    let refused = rpc(
        &fake,
        Some("limited"),
        "packages",
        "getPackagesList",
        json!({}),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body["error"]["data"]["details"]
            .as_str()
            .unwrap()
            .contains("packages")
    );
    let details = rpc(
        &fake,
        Some("limited"),
        "general",
        "getApiKeyDetails",
        json!({}),
    )
    .await;
    assert_eq!(
        details.body["result"]["enabledApis"],
        json!(["companies", "general"])
    );
}

#[tokio::test]
async fn companies_list_refuses_paging_and_customer_parents() {
    let fake = start().await;
    let key = fake.api_key();
    let customer = fake.add_customer(&fake.root_id(), "Leaf").unwrap();
    let paged = rpc(
        &fake,
        Some(&key),
        "network",
        "getCompaniesList",
        json!({"page": 1}),
    )
    .await;
    assert_eq!(paged.body["error"]["code"], json!(-32602));
    let leaf = rpc(
        &fake,
        Some(&key),
        "network",
        "getCompaniesList",
        json!({"parentId": customer}),
    )
    .await;
    assert_eq!(
        leaf.body["error"]["data"]["details"],
        json!("Invalid value for 'parentId' parameter.")
    );
}

#[tokio::test]
async fn past_the_limit_the_fake_answers_429_with_retry_after() {
    let fake = start().await;
    let mut limits = FakeRateLimits::none();
    limits.per_method.insert(
        "getCompaniesList".into(),
        FakeRateLimit::strict(2, Duration::from_secs(3600)),
    );
    fake.set_rate_limits(limits);
    let key = fake.api_key();
    for _ in 0..2 {
        assert_eq!(
            rpc(&fake, Some(&key), "network", "getCompaniesList", json!({}))
                .await
                .status,
            200
        );
    }
    let refused = rpc(&fake, Some(&key), "network", "getCompaniesList", json!({})).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.retry_after.as_deref(), Some("3600"));
    assert_eq!(refused.body["error"]["code"], json!(-32003));
}

#[tokio::test]
async fn unknown_methods_and_v1_1_misuse_are_method_not_found() {
    let fake = start().await;
    let key = fake.api_key();
    let unknown = rpc(&fake, Some(&key), "companies", "makeCoffee", json!({})).await;
    assert_eq!(
        (unknown.status, unknown.body["error"]["code"].clone()),
        (200, json!(-32601))
    );
    let response = reqwest::Client::new()
        .post(format!("{}/v1.1/jsonrpc/companies", fake.access_url()))
        .basic_auth(&key, Some(""))
        .json(&json!({"id": 1, "jsonrpc": "2.0", "method": "getCompanyDetails", "params": {}}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], json!(-32601));
}

#[tokio::test]
async fn only_post_is_accepted() {
    let fake = start().await;
    let response = reqwest::get(format!("{}/v1.0/jsonrpc/companies", fake.access_url()))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
}

#[tokio::test]
async fn a_generated_msp_seeds_every_association_case() {
    use msp_fakes::gravityzone::MspSeedPlan;
    use msp_fakes::msp::{GeneratedMsp, MspSize};

    let msp = GeneratedMsp::generate(7, MspSize::Small);
    let fake = start().await;
    let report = fake.seed_from_msp(&msp, &MspSeedPlan::default());
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    for (case, list) in [
        ("same name", &report.same_name),
        ("prefixed", &report.prefixed),
        ("foreign", &report.foreign),
        ("reseller", &report.under_reseller),
    ] {
        assert!(!list.is_empty(), "no {case} company for a small MSP");
    }
    assert_eq!(report.free.len(), 2);
    let (site_uid, company) = &report.same_name[0];
    let site = msp.site_by_uid(site_uid).unwrap();
    assert_eq!(fake.company(company).unwrap().name, site.name);
    assert!(!fake.endpoints_of(company).is_empty() || msp.devices_of(site).is_empty());
    let (site_uid, _) = &report.prefixed[0];
    let prefixed = format!("MSP {}", msp.site_by_uid(site_uid).unwrap().name);
    assert!(fake.company_named(&prefixed).is_some());
    // A name held by the foreign partner is taken but invisible to the key.
    let (site_uid, _) = &report.foreign[0];
    let name = &msp.site_by_uid(site_uid).unwrap().name;
    let key = fake.api_key();
    let created = rpc(
        &fake,
        Some(&key),
        "companies",
        "createCompany",
        json!({"type": 1, "name": name}),
    )
    .await;
    assert_eq!(created.body["error"]["code"], json!(-32602));
    let found = rpc(
        &fake,
        Some(&key),
        "companies",
        "findCompaniesByName",
        json!({"nameFilter": name}),
    )
    .await;
    assert!(
        found.body["result"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != json!(name))
    );
    // Same seed, same data.
    let (_again, again) = GravityZoneFake::start_with_msp(
        GravityZoneFakeConfig::default(),
        &msp,
        &MspSeedPlan::default(),
    )
    .await;
    assert_eq!(again, report);
}
