//! How failures reach the caller: rejected keys, IT Glue's HTML 404 page, undecodable answers,
//! server errors.

mod common;

use itglue_client::{
    ClientOptions, Error, ItGlueClient, OrganizationFilter, OrganizationId, Secret,
};
use msp_fakes::harness::{FaultKind, FaultPlan};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn client_of(server: &MockServer) -> ItGlueClient {
    ItGlueClient::builder()
        .base_url(server.uri())
        .api_key(Secret::new(common::KEY))
        .options(ClientOptions::new().retry_policy(itglue_client::RetryPolicy::never()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_invalid_key_is_unauthorized_and_never_quoted() {
    let fake = common::fake().await;
    let client = ItGlueClient::builder()
        .base_url(fake.uri())
        .api_key(Secret::new("ITG.wrong-key-4242"))
        .build()
        .unwrap();
    let err = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(!err.to_string().contains("wrong-key-4242"));
    assert!(!format!("{err:?}").contains("wrong-key-4242"));
}

#[tokio::test]
async fn a_revoked_key_stops_working() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    fake.set_api_key("ITG.rotated");
    let err = client
        .get_organization(OrganizationId::new(1))
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
}

#[tokio::test]
async fn the_key_is_sent_as_x_api_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .and(wiremock::matchers::header("x-api-key", common::KEY))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"data": [], "meta": {"next-page": null}}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client_of(&server).await;
    let all = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn the_user_agent_set_on_the_builder_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .and(wiremock::matchers::header(
            "user-agent",
            "msp-sync-tests/1.0",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"data": [], "meta": {"next-page": null}}"#),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = ItGlueClient::builder()
        .base_url(server.uri())
        .api_key(Secret::new(common::KEY))
        .options(ClientOptions::new().user_agent("msp-sync-tests/1.0"))
        .build()
        .unwrap();
    let all = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert!(all.is_empty());
}

#[tokio::test]
async fn a_401_with_unauthorized_resource_access_is_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_string(
            r#"{"errors":[{"status":401,"title":"Unauthorized","detail":"Unauthorized resource access","source":{"pointer":"id"}}]}"#,
        ))
        .mount(&server)
        .await;
    let err = client_of(&server)
        .await
        .get_organization(OrganizationId::new(1))
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    assert!(
        err.to_string().contains("Unauthorized resource access"),
        "{err}"
    );
}

#[tokio::test]
async fn an_html_404_page_is_not_found_not_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("content-type", "text/html; charset=utf-8")
                .set_body_string(
                    "<!DOCTYPE html><html><head><title>The page you were looking for doesn't exist (404)</title></head><body><h1>The page you were looking for doesn't exist.</h1></body></html>",
                ),
        )
        .mount(&server)
        .await;
    let err = client_of(&server)
        .await
        .get_organization(OrganizationId::new(1))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert!(matches!(err, Error::NotFound { .. }));
    assert!(err.to_string().contains("doesn't exist"), "{err}");
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_a_decode_error_naming_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"data": [{"id": "1", "type": "organizations", "attributes": {"name": 5}}]}"#,
        ))
        .mount(&server)
        .await;
    let err = client_of(&server)
        .await
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("data[0].attributes.name"), "{err}");
}

#[tokio::test]
async fn a_garbled_answer_from_the_fake_is_a_decode_error() {
    let fake = common::fake().await;
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::Garbled]));
    let err = common::client(&fake)
        .get_organization(OrganizationId::new(1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(msp_transport::Error::Decode { .. })),
        "{err}"
    );
}

#[tokio::test]
async fn a_server_error_with_an_html_body_keeps_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_string(
            "<html><head><title>We're sorry, but something went wrong (500)</title></head></html>",
        ))
        .mount(&server)
        .await;
    let err = client_of(&server)
        .await
        .get_organization(OrganizationId::new(1))
        .await
        .unwrap_err();
    match &err {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(*status, 500);
            assert!(message.contains("something went wrong"), "{message}");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(err.may_have_been_sent());
}

#[tokio::test]
async fn reads_are_retried_past_a_passing_outage() {
    let fake = common::fake().await;
    let id = fake.add_organization("Happy Frog");
    fake.faults().set(
        FaultPlan::new(11, 0.5, vec![FaultKind::Status503]).only_paths_containing("/organizations"),
    );
    let client = common::builder(&fake)
        .options(
            ClientOptions::new().retry_policy(
                itglue_client::RetryPolicy::default()
                    .max_attempts(10)
                    .initial_backoff(std::time::Duration::from_millis(1))
                    .max_backoff(std::time::Duration::from_millis(2)),
            ),
        )
        .build()
        .unwrap();
    for _ in 0..5 {
        let org = client
            .get_organization(OrganizationId::new(id))
            .await
            .unwrap();
        assert_eq!(org.attributes.name, "Happy Frog");
    }
    assert!(fake.faults().injected() > 0);
}

#[tokio::test]
async fn a_key_echoed_by_the_server_is_redacted_from_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_string(format!(
            r#"{{"errors":[{{"status":403,"title":"Forbidden","detail":"key {} is revoked"}}]}}"#,
            common::KEY
        )))
        .mount(&server)
        .await;
    let err = client_of(&server)
        .await
        .get_organization(OrganizationId::new(1))
        .await
        .unwrap_err();
    assert!(err.is_unauthorized());
    assert!(!err.to_string().contains(common::KEY), "{err}");
    assert!(!format!("{err:?}").contains(common::KEY));
}
