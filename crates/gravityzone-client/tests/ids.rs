//! Typed ids: they read GravityZone's documented replies, are sent back as the same strings,
//! and an id of the wrong JSON type is a typed error naming the member, never a panic.

use gravityzone_client::{
    CompaniesFilter, CompanyId, CompanySummary, CompanyType, Error, GravityZoneClient, NewCompany,
    NewPackage, PackageId, PackageSummary,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A server answering the JSON-RPC method `rpc_method` (whose request holds `params`) with
/// `result`, once.
async fn answering(rpc_method: &str, params: Value, result: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_partial_json(
            json!({"method": rpc_method, "params": params}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "1", "jsonrpc": "2.0", "result": result})),
        )
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> GravityZoneClient {
    GravityZoneClient::builder()
        .access_url(format!("{}/api", server.uri()))
        .api_key("test-key")
        .build()
        .unwrap()
}

#[test]
fn documented_company_and_package_ids_read_and_write_as_the_same_strings() {
    let companies = fixture("gravityzone-companies-list.json")["result"].clone();
    let listed: Vec<CompanySummary> = serde_json::from_value(companies.clone()).unwrap();
    assert_eq!(listed[1].id, CompanyId::new("54a295d8b1a43d7c4a7b23c6"));
    for (company, wire) in listed.iter().zip(companies.as_array().unwrap()) {
        assert_eq!(serde_json::to_value(&company.id).unwrap(), wire["id"]);
    }

    let packages = fixture("gravityzone-packages-list.json")["result"]["items"].clone();
    let listed: Vec<PackageSummary> = serde_json::from_value(packages.clone()).unwrap();
    assert_eq!(listed[0].id, PackageId::new("55b8c1bfb1a43dd71071071b"));
    assert_eq!(
        serde_json::to_value(&listed[0].id).unwrap(),
        packages[0]["id"]
    );
}

#[test]
fn ids_in_requests_are_sent_as_strings() {
    let mut package = NewPackage::new("Contoso - default");
    package.company_id = Some(CompanyId::new("54a295d8b1a43d7c4a7b23c6"));
    let sent = serde_json::to_value(&package).unwrap();
    assert_eq!(sent["companyId"], json!("54a295d8b1a43d7c4a7b23c6"));
}

#[tokio::test]
async fn a_listed_company_id_is_what_the_next_call_sends() {
    let listed = fixture("gravityzone-companies-list.json")["result"].clone();
    let server = answering("getCompaniesList", json!({}), listed).await;
    let partner = client(&server)
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap()
        .remove(0)
        .id;

    let packages = fixture("gravityzone-packages-list.json")["result"].clone();
    let server = answering(
        "getPackagesList",
        json!({"companyId": "54a295eeb1a43d8b497b23c6"}),
        packages,
    )
    .await;
    let found = client(&server)
        .list_packages(Some(&partner))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found[0].id, "55b8c1bfb1a43dd71071071b");
}

#[tokio::test]
async fn a_numeric_company_id_in_a_reply_is_a_decode_error_naming_the_member() {
    let server = answering(
        "getCompaniesList",
        json!({}),
        json!([{"id": "54a295eeb1a43d8b497b23c6", "name": "A"}, {"id": 42, "name": "B"}]),
    )
    .await;

    let error = client(&server)
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap_err();

    match &error {
        Error::Transport(msp_transport::Error::Decode { path, message }) => {
            assert!(path.contains("[1]") && path.ends_with("id"), "{path}");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(!error.is_transient());
}

#[tokio::test]
async fn a_created_company_answered_with_a_number_is_an_unexpected_result() {
    let server = answering("createCompany", json!({"name": "Contoso"}), json!(42)).await;

    let error = client(&server)
        .create_company(&NewCompany::new(CompanyType::Customer, "Contoso"))
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::UnexpectedResult { method, .. } if method == "createCompany"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_created_company_s_id_comes_back_typed() {
    let server = answering(
        "createCompany",
        json!({"name": "Contoso", "parentId": "54a295eeb1a43d8b497b23c6"}),
        json!("5e5d3f4a1b2c3d4e5f6a7b8c"),
    )
    .await;
    let mut company = NewCompany::new(CompanyType::Customer, "Contoso");
    company.parent_id = Some(CompanyId::new("54a295eeb1a43d8b497b23c6"));

    let id: CompanyId = client(&server).create_company(&company).await.unwrap();

    assert_eq!(id, CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c"));
}
