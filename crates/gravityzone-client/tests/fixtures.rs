//! Every GravityZone sample payload in `tests/fixtures` decodes through the real client path
//! (HTTP, JSON-RPC envelope, typed result), served by a plain wiremock server.

use gravityzone_client::{
    CompaniesFilter, CompanyId, CompanyType, GravityZoneClient, Industry, PackageType,
};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FIXTURES: &[&str] = &[
    "gravityzone-companies-list.json",
    "gravityzone-company-details.json",
    "gravityzone-error-401-invalid-api-key.json",
    "gravityzone-installation-links.json",
    "gravityzone-packages-list.json",
];

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A server answering `rpc_method` on `area` with the fixture `name` and `status`, only for
/// requests authenticated as `test-key` with an empty password.
async fn serve(
    area: &str,
    rpc_method: &str,
    status: u16,
    name: &str,
) -> (MockServer, GravityZoneClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v1.0/jsonrpc/{area}")))
        // base64("test-key:")
        .and(header("authorization", "Basic dGVzdC1rZXk6"))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(
            serde_json::json!({"jsonrpc": "2.0", "method": rpc_method}),
        ))
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("content-type", "application/json")
                .set_body_string(fixture(name)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = GravityZoneClient::builder()
        .access_url(format!("{}/api", server.uri()))
        .api_key("test-key")
        .build()
        .unwrap();
    (server, client)
}

#[test]
fn every_gravityzone_fixture_has_a_decoding_test() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, FIXTURES);
    let sources = fixture("SOURCES.md");
    for name in FIXTURES {
        assert!(sources.contains(name), "{name} has no SOURCES.md line");
    }
}

#[tokio::test]
async fn the_recorded_company_details_decode() {
    let (_server, client) = serve(
        "companies",
        "getCompanyDetails",
        200,
        "gravityzone-company-details.json",
    )
    .await;
    let details = client
        .get_company(Some(&CompanyId::new("COMPANY_ID")))
        .await
        .unwrap();
    assert_eq!(details.id, "COMPANY_ID");
    assert_eq!(details.company_type, Some(CompanyType::Customer));
    assert_eq!(details.industry, Some(Industry::Code(30)));
    assert_eq!(details.skip_2fa_period, Some(90));
    assert_eq!(details.is_suspended, Some(false));
    assert_eq!(
        details.created_at.unwrap().to_rfc3339(),
        "2022-09-06T11:41:47+00:00"
    );
    assert_eq!(details.risk_score.unwrap().value.as_deref(), Some("18%"));
    assert_eq!(
        details.contact_person.unwrap().company_role.as_deref(),
        Some("Security Enginner / Security Analyst")
    );
    assert_eq!(details.parent_company_id, None);
}

#[tokio::test]
async fn the_documented_companies_list_decodes() {
    let (_server, client) = serve(
        "network",
        "getCompaniesList",
        200,
        "gravityzone-companies-list.json",
    )
    .await;
    let list = client
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap();
    let names: Vec<_> = list.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Partner Company Trial 1", "Partner Company Trial 2"]
    );
    assert_eq!(list[0].id, "54a295eeb1a43d8b497b23c6");
}

#[tokio::test]
async fn the_documented_packages_list_decodes() {
    let (_server, client) = serve(
        "packages",
        "getPackagesList",
        200,
        "gravityzone-packages-list.json",
    )
    .await;
    let packages = client.list_packages(None).collect_all().await.unwrap();
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0].name, "Package Test");
    assert_eq!(packages[0].package_type, Some(PackageType::SecurityServer));
}

#[tokio::test]
async fn the_old_installation_links_example_decodes() {
    let (_server, client) = serve(
        "packages",
        "getInstallationLinks",
        200,
        "gravityzone-installation-links.json",
    )
    .await;
    let links = client
        .get_installation_links(Some("Pack1"), None)
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].package_name, "Pack1");
    assert!(
        links[0]
            .install_link_linux
            .as_deref()
            .unwrap()
            .contains("BSTNIX")
    );
    assert_eq!(links[0].full_kit_windows_x64, None);
    assert_eq!(links[0].status, None);
}

#[tokio::test]
async fn the_invalid_key_answer_is_unauthorized() {
    let (_server, client) = serve(
        "general",
        "getApiKeyDetails",
        401,
        "gravityzone-error-401-invalid-api-key.json",
    )
    .await;
    let error = client.get_api_key_details().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert!(error.to_string().contains("Invalid API key"), "{error}");
    assert!(!error.may_have_been_sent());
}
