//! Following Datto's page links: several pages, `null` and `""` ends, dropped filters, links to
//! other hosts, and failed pages that must never yield a partial list.

mod common;

use datto_rmm_client::{ClientOptions, DattoClient, Error};
use futures::{StreamExt, TryStreamExt};
use msp_fakes::datto::{DattoHandler, MissingPageLink};
use msp_fakes::harness::{FakeServer, FaultKind, FaultPlan, Handler};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn pages_requested(fake: &msp_fakes::datto::DattoFake, path: &str) -> Vec<String> {
    fake.log()
        .all()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| r.query)
        .collect()
}

#[tokio::test]
async fn every_site_is_collected_across_three_pages_with_max_250() {
    let fake = common::fake().await;
    fake.set_max_page_size(7);
    let client = common::client(&fake);

    let sites = client.list_sites().collect_all().await.unwrap();

    let uids: Vec<String> = sites
        .iter()
        .filter_map(|s| s.uid.clone().map(String::from))
        .collect();
    let expected: Vec<String> = fake.sites().into_iter().map(|s| s.uid).collect();
    assert_eq!(uids, expected);
    assert_eq!(expected.len(), 20);
    let queries = pages_requested(&fake, "/api/v2/account/sites");
    assert_eq!(queries.len(), 3);
    assert_eq!(queries[0], "max=250&page=0");
    assert!(
        queries[1].contains("page=1") && queries[2].contains("page=2"),
        "{queries:?}"
    );
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn the_account_devices_span_two_full_datto_pages() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let devices = client.list_devices().collect_all().await.unwrap();
    assert_eq!(devices.len(), 300);
    assert_eq!(pages_requested(&fake, "/api/v2/account/devices").len(), 2);
}

#[tokio::test]
async fn empty_string_page_links_end_the_list_like_null() {
    let fake = common::fake().await;
    fake.set_max_page_size(6);
    fake.set_missing_page_link(MissingPageLink::EmptyString);
    let client = common::client(&fake);
    assert_eq!(client.list_sites().collect_all().await.unwrap().len(), 20);
    assert_eq!(pages_requested(&fake, "/api/v2/account/sites").len(), 4);
}

#[tokio::test]
async fn filters_a_next_link_dropped_are_sent_again() {
    let fake = common::fake().await;
    fake.set_max_page_size(2);
    fake.set_drop_filters_in_next_page_url(true);
    let client = common::client(&fake);

    let sites = client.list_sites_named("e").collect_all().await.unwrap();

    let expected = fake
        .sites()
        .into_iter()
        .filter(|s| s.name.to_lowercase().contains('e'))
        .count();
    assert!(expected > 4, "the filter must span several pages");
    assert_eq!(sites.len(), expected);
    assert!(
        sites
            .iter()
            .all(|s| s.name.as_deref().unwrap_or("").to_lowercase().contains('e'))
    );
    for query in pages_requested(&fake, "/api/v2/account/sites") {
        assert!(query.contains("siteName=e"), "{query}");
    }
}

#[tokio::test]
async fn the_stream_is_lazy_and_fetches_a_page_only_when_needed() {
    let fake = common::fake().await;
    fake.set_max_page_size(5);
    let client = common::client(&fake);
    let first_three: Vec<_> = client.list_sites().take(3).try_collect().await.unwrap();
    assert_eq!(first_three.len(), 3);
    assert_eq!(pages_requested(&fake, "/api/v2/account/sites").len(), 1);
}

#[tokio::test]
async fn a_page_that_fails_mid_stream_is_the_last_item() {
    let fake = common::fake().await;
    fake.set_max_page_size(5);
    let client = common::client(&fake);
    let mut sites = client.list_sites();
    for _ in 0..5 {
        assert!(sites.next().await.unwrap().is_ok());
    }
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::Status500]));

    let failure = sites.next().await.unwrap();
    assert!(failure.is_err());
    assert!(sites.next().await.is_none(), "nothing follows the error");
}

/// The Datto fake, except that the second page of every list answers `500`.
struct SecondPageFails(DattoHandler);

impl Handler for SecondPageFails {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let second_page = request
            .url
            .query_pairs()
            .any(|(k, v)| k == "page" && v == "1");
        if second_page {
            return Some(ResponseTemplate::new(500).set_body_string("database timeout"));
        }
        self.0.handle(request)
    }
}

#[tokio::test]
async fn a_failed_middle_page_makes_collect_all_fail_instead_of_returning_a_partial_list() {
    let fake = common::fake().await;
    fake.set_max_page_size(7);
    let server = FakeServer::start(SecondPageFails(fake.handler().clone())).await;
    let client = DattoClient::builder()
        .api_url(server.uri())
        .api_key(fake.config().api_key.as_str())
        .api_secret(fake.config().api_secret.as_str())
        .options(ClientOptions::new().retry_policy(common::quick_retries()))
        .build()
        .unwrap();

    let error = client.list_sites().collect_all().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport(msp_transport::Error::Vendor { status: 500, .. })
        ),
        "{error:?}"
    );
    let pages = server
        .log()
        .count_where(|r| r.path == "/api/v2/account/sites");
    assert_eq!(
        pages,
        1 + msp_transport::DEFAULT_READ_ATTEMPTS as usize,
        "the failed page is read six times, then the walk stops there"
    );
}

async fn server_with_next_link(next: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "tok", "expires_in": 360000})),
        )
        .mount(&server)
        .await;
    let next = next.replace("{host}", &server.uri());
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "pageDetails": {"count": 1, "totalCount": 2, "prevPageUrl": null, "nextPageUrl": next},
            "sites": [{"uid": "s1", "name": "One"}]
        })))
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> DattoClient {
    DattoClient::builder()
        .api_url(server.uri())
        .api_key("k")
        .api_secret("s")
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused_and_gets_no_token() {
    let other = MockServer::start().await;
    let server =
        server_with_next_link(&format!("{}/api/v2/account/sites?page=1", other.uri())).await;
    let error = client_for(&server)
        .list_sites()
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UntrustedPageUrl { .. }), "{error:?}");
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_next_link_that_points_back_to_itself_is_an_error_not_a_loop() {
    let server = server_with_next_link("{host}/api/v2/account/sites?max=250&page=0").await;
    let error = client_for(&server)
        .list_sites()
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidPage { .. }), "{error:?}");
}

#[tokio::test]
async fn a_page_without_its_item_list_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "tok", "expires_in": 360000})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account/sites"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"pageDetails": {"count": 3}})),
        )
        .mount(&server)
        .await;
    let error = client_for(&server)
        .list_sites()
        .collect_all()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("`sites`"), "{error}");
}

#[tokio::test]
async fn a_garbled_page_is_a_decode_error() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();
    fake.faults()
        .set(FaultPlan::new(1, 1.0, vec![FaultKind::Garbled]).only_paths_containing("/sites"));
    let error = client.list_sites().collect_all().await.unwrap_err();
    assert!(
        matches!(error, Error::Transport(msp_transport::Error::Decode { .. })),
        "{error:?}"
    );
}
