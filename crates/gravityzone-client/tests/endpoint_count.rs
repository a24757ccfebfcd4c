//! `get_endpoint_count`: one `getEndpointsList` request whose `total` counts a company's endpoints,
//! its sub-companies' included; a first page without `total` is an error, never zero.

mod common;

use gravityzone_client::{CompanyId, Error, GravityZoneClient};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_count_covers_the_company_and_everything_below_it_in_one_request() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let root = fake.root_id();
    let reseller = fake.add_partner(&root, "Reseller").unwrap();
    let acme = fake.add_customer(&reseller, "Acme").unwrap();
    let empty = fake.add_customer(&root, "Empty Ltd").unwrap();
    for i in 0..3 {
        fake.add_endpoint(&acme, &format!("PC-{i}"), 1, &[])
            .unwrap();
    }
    for (company, expected) in [(acme, 3), (reseller, 3), (empty, 0)] {
        let company = CompanyId::new(company);
        assert_eq!(client.get_endpoint_count(&company).await.unwrap(), expected);
    }
    assert_eq!(fake.calls("getEndpointsList"), 3);
}

async fn server_answering(result: serde_json::Value) -> (MockServer, GravityZoneClient) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1.1/jsonrpc/network"))
        .and(body_partial_json(serde_json::json!({
            "method": "getEndpointsList",
            "params": {"parentId": "c1", "perPage": 1, "filters": {"depth": {"allItemsRecursively": true}}},
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": 1, "jsonrpc": "2.0", "result": result,
        })))
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

#[tokio::test]
async fn the_total_of_the_first_page_is_the_count() {
    let (_server, client) = server_answering(serde_json::json!({
        "page": 1, "pagesCount": 1234, "perPage": 1, "total": 1234,
        "items": [{"id": "e1", "name": "PC-1"}],
    }))
    .await;
    assert_eq!(
        client
            .get_endpoint_count(&CompanyId::new("c1"))
            .await
            .unwrap(),
        1234
    );
}

#[tokio::test]
async fn a_first_page_without_total_is_an_error_not_zero() {
    let (_server, client) = server_answering(serde_json::json!({
        "page": 1, "perPage": 1, "hasMoreRecords": true, "items": [],
    }))
    .await;
    let error = client
        .get_endpoint_count(&CompanyId::new("c1"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedResult { .. }), "{error:?}");
}
