//! Paging against scripted answers: a failing page ends the stream with the error, a server
//! ignoring `page` is caught, an empty list stops at once.

use futures::StreamExt;
use gravityzone_client::{Error, GravityZoneClient};
use serde_json::json;
use wiremock::matchers::body_partial_json;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> GravityZoneClient {
    GravityZoneClient::builder()
        .access_url(format!("{}/api", server.uri()))
        .api_key("k")
        .build()
        .unwrap()
}

fn page(page: u32, pages_count: u32, names: &[&str]) -> ResponseTemplate {
    let items: Vec<_> = names
        .iter()
        .map(|n| json!({"id": n, "name": n, "type": 4}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "id": 1, "jsonrpc": "2.0",
        "result": {"page": page, "pagesCount": pages_count, "perPage": 100, "total": 250, "items": items}
    }))
}

async fn on_page(server: &MockServer, n: u32, template: ResponseTemplate) {
    Mock::given(body_partial_json(
        json!({"method": "getPackagesList", "params": {"page": n}}),
    ))
    .respond_with(template)
    .mount(server)
    .await;
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    let names: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    on_page(&server, 1, page(1, 3, &refs)).await;
    on_page(
        &server,
        2,
        ResponseTemplate::new(200).set_body_json(json!({
            "id": 1, "jsonrpc": "2.0",
            "error": {"code": -32000, "message": "Server error", "data": {"details": "boom"}}
        })),
    )
    .await;
    let client = client(&server);
    let items: Vec<_> = client.list_packages(None).collect().await;
    assert_eq!(items.len(), 101);
    assert!(items[..100].iter().all(Result::is_ok));
    assert!(items[100].is_err());
    let error = client.list_packages(None).collect_all().await.unwrap_err();
    assert_eq!(error.rpc().unwrap().reason(), "boom");
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_is_an_error_not_a_loop() {
    let server = MockServer::start().await;
    let names: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Mock::given(body_partial_json(json!({"method": "getPackagesList"})))
        .respond_with(page(1, 5, &refs))
        .mount(&server)
        .await;
    let error = client(&server)
        .list_packages(None)
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnexpectedResult { .. }), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_empty_list_with_zero_pages_takes_one_request() {
    let server = MockServer::start().await;
    on_page(&server, 1, page(1, 0, &[])).await;
    assert!(
        client(&server)
            .list_packages(None)
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
