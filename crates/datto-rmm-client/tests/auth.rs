//! The OAuth password grant, the shared token, its refresh before expiry and after a `401`,
//! and rejected credentials.

mod common;

use std::time::Duration;

use datto_rmm_client::{AccountUid, ClientOptions, DattoClient, Error, SiteUid};
use futures::future::join_all;
use msp_fakes::harness::{FaultKind, FaultPlan};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_first_call_runs_the_password_grant_at_the_host_root() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();

    let grants: Vec<_> = fake
        .log()
        .all()
        .into_iter()
        .filter(|r| r.path == "/auth/oauth/token")
        .collect();
    assert_eq!(grants.len(), 1);
    let form: Vec<(String, String)> = url::form_urlencoded::parse(grants[0].body.as_bytes())
        .into_owned()
        .collect();
    assert!(form.contains(&("grant_type".into(), "password".into())));
    assert!(form.contains(&("username".into(), fake.config().api_key.clone())));
    assert!(form.contains(&("password".into(), fake.config().api_secret.clone())));
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn one_token_serves_every_call_of_every_clone() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let clone = client.clone();
    client.get_account().await.unwrap();
    clone.get_account().await.unwrap();
    client
        .get_site(&SiteUid::new(&fake.sites()[0].uid))
        .await
        .unwrap();
    assert_eq!(common::token_requests(&fake), 1);
}

#[tokio::test]
async fn ten_concurrent_calls_cause_one_token_request() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let calls = (0..10).map(|_| {
        let client = client.clone();
        async move { client.get_account().await }
    });
    let results = join_all(calls).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(common::token_requests(&fake), 1);
    assert_eq!(fake.log().count("GET", "/api/v2/account"), 10);
}

#[tokio::test]
async fn wrong_credentials_give_the_unauthorized_error_and_no_api_call() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .api_secret("WRONG-SECRET-KEY")
        .build()
        .unwrap();
    let error = client.get_account().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    assert!(
        matches!(error, Error::InvalidCredentials { .. }),
        "{error:?}"
    );
    assert!(!error.may_have_been_sent());
    assert!(!error.to_string().contains("WRONG-SECRET-KEY"));
    assert_eq!(fake.log().count("GET", "/api/v2/account"), 0);
}

#[tokio::test]
async fn every_call_with_rejected_credentials_is_unauthorized_again() {
    let fake = common::fake().await;
    let client = common::builder(&fake).api_key("NOT-A-KEY").build().unwrap();
    assert!(
        client
            .list_sites()
            .collect_all()
            .await
            .unwrap_err()
            .is_unauthorized()
    );
    assert!(client.get_account().await.unwrap_err().is_unauthorized());
}

#[tokio::test]
async fn a_token_the_server_no_longer_accepts_is_refreshed_once_and_the_call_repeated() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();
    fake.revoke_tokens();

    let account = client.get_account().await.unwrap();
    assert_eq!(account.uid, Some(AccountUid::new(fake.account_uid())));
    assert_eq!(common::token_requests(&fake), 2);
    assert_eq!(
        fake.log().count("GET", "/api/v2/account"),
        3,
        "ok, 401, repeated ok"
    );
}

#[tokio::test]
async fn a_token_expired_on_the_server_clock_is_refreshed_after_the_401() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();
    fake.advance_clock(Duration::from_secs(100 * 3600 + 1));

    client.get_account().await.unwrap();
    assert_eq!(common::token_requests(&fake), 2);
}

#[tokio::test]
async fn keys_rotated_in_datto_stop_the_client_with_the_unauthorized_error() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();
    fake.set_credentials("NEWKEY", "NEWSECRET");
    fake.revoke_tokens();

    let error = client.get_account().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
}

#[tokio::test(start_paused = true)]
async fn the_token_is_refreshed_before_it_expires() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .options(ClientOptions::new().timeout(None))
        .build()
        .unwrap();
    client.get_account().await.unwrap();

    // 100 h tokens are renewed in their last 10 minutes, before Datto would answer 401.
    tokio::time::advance(Duration::from_secs(100 * 3600 - 9 * 60)).await;
    client.get_account().await.unwrap();

    assert_eq!(common::token_requests(&fake), 2);
    assert_eq!(
        fake.log().count("GET", "/api/v2/account"),
        2,
        "no 401 on the way"
    );
}

#[tokio::test(start_paused = true)]
async fn a_valid_token_is_kept_until_its_refresh_window() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .options(ClientOptions::new().timeout(None))
        .build()
        .unwrap();
    client.get_account().await.unwrap();
    tokio::time::advance(Duration::from_secs(99 * 3600)).await;
    client.get_account().await.unwrap();
    assert_eq!(common::token_requests(&fake), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_early_refresh_keeps_using_the_current_token() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .options(ClientOptions::new().timeout(None))
        .build()
        .unwrap();
    client.get_account().await.unwrap();
    fake.faults().set(
        FaultPlan::new(1, 1.0, vec![FaultKind::Status503])
            .only_paths_containing("/auth/oauth/token"),
    );
    tokio::time::advance(Duration::from_secs(100 * 3600 - 5 * 60)).await;

    client.get_account().await.unwrap();
    assert!(common::token_requests(&fake) > 1, "a refresh was tried");
    assert_eq!(fake.log().count("GET", "/api/v2/account"), 2);
}

/// A server whose token endpoint works but whose API rejects every token.
async fn server_rejecting_every_token() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"access_token": "t", "token_type": "bearer", "expires_in": 360000}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .respond_with(ResponseTemplate::new(401).set_body_string("Request can not be authorized."))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_401_that_a_fresh_token_does_not_cure_is_unauthorized_after_one_retry() {
    let server = server_rejecting_every_token().await;
    let client = DattoClient::builder()
        .api_url(server.uri())
        .api_key("k")
        .api_secret("s")
        .build()
        .unwrap();
    let error = client.get_account().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    let requests = server.received_requests().await.unwrap();
    let api_calls = requests
        .iter()
        .filter(|r| r.url.path() == "/api/v2/account")
        .count();
    let grants = requests
        .iter()
        .filter(|r| r.url.path() == "/auth/oauth/token")
        .count();
    assert_eq!((api_calls, grants), (2, 2));
}

#[tokio::test]
async fn an_oauth_invalid_grant_answer_is_the_unauthorized_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            serde_json::json!({"error": "invalid_grant", "error_description": "Bad credentials"}),
        ))
        .mount(&server)
        .await;
    let client = DattoClient::builder()
        .api_url(server.uri())
        .api_key("k")
        .api_secret("s")
        .build()
        .unwrap();
    let error = client.get_account().await.unwrap_err();
    assert!(error.is_unauthorized());
    assert!(error.to_string().contains("Bad credentials"), "{error}");
}
