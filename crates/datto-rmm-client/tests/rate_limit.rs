//! The client-side limit, Datto's 429, and the temporary 403 block that follows throttling.

mod common;

use std::time::Duration;

use datto_rmm_client::{
    AccountUid, ClientOptions, DattoClient, Error, RateLimit, RetryPolicy, SiteUid,
};
use msp_fakes::datto::FakeRateLimit;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn tight_limit() -> FakeRateLimit {
    FakeRateLimit {
        requests: 3,
        block_after_rejections: 2,
        ..FakeRateLimit::default()
    }
}

#[tokio::test]
async fn past_datto_s_limit_the_answer_is_a_rate_limit_error_with_its_wait() {
    let fake = common::fake().await;
    fake.set_rate_limit(Some(tight_limit()));
    let client = common::builder(&fake)
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();
    for _ in 0..3 {
        client.get_account().await.unwrap();
    }
    let error = client.get_account().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport(msp_transport::Error::RateLimited { .. })
        ),
        "{error:?}"
    );
    assert!(error.is_rate_limited());
    assert!(
        error
            .retry_after()
            .is_some_and(|d| d <= Duration::from_secs(60))
    );
}

#[tokio::test]
async fn hammering_through_the_429s_gets_a_temporary_block_not_a_permission_error() {
    let fake = common::fake().await;
    fake.set_rate_limit(Some(tight_limit()));
    let client = common::builder(&fake)
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();
    let mut last = None;
    for _ in 0..7 {
        last = client.get_account().await.err();
    }
    let error = last.unwrap();
    assert!(
        matches!(error, Error::TemporarilyBlocked { .. }),
        "{error:?}"
    );
    assert!(!error.is_unauthorized());
    assert!(error.is_transient());
    let wait = error.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(240) && wait <= Duration::from_secs(300),
        "{wait:?}"
    );
}

async fn server_answering(first: ResponseTemplate, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/auth/oauth/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"access_token": "t", "expires_in": 360000})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .respond_with(first)
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/account"))
        .respond_with(then)
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> DattoClient {
    DattoClient::builder()
        .api_url(server.uri())
        .api_key("k")
        .api_secret("s")
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_bare_403_right_after_a_429_is_the_throttling_block() {
    let server = server_answering(
        ResponseTemplate::new(429),
        ResponseTemplate::new(403).set_body_string("Forbidden"),
    )
    .await;
    let client = client_for(&server);
    assert!(client.get_account().await.unwrap_err().is_rate_limited());
    let error = client.get_account().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TemporarilyBlocked {
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_403_without_any_sign_of_throttling_is_a_permission_error() {
    let denied = ResponseTemplate::new(403)
        .set_body_string("Authenticated user doesn't have access to this resource.");
    let server = server_answering(denied.clone(), denied).await;
    let error = client_for(&server).get_account().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport(msp_transport::Error::Forbidden { .. })
        ),
        "{error:?}"
    );
    assert!(!error.is_rate_limited());
}

#[tokio::test]
async fn a_403_whose_body_speaks_of_blocking_is_the_throttling_block() {
    let blocked =
        ResponseTemplate::new(403).set_body_string("<html>Request blocked. AWS WAF</html>");
    let server = server_answering(blocked.clone(), blocked).await;
    let error = client_for(&server).get_account().await.unwrap_err();
    assert!(
        matches!(error, Error::TemporarilyBlocked { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_datto_asks_for() {
    let busy = ResponseTemplate::new(429).insert_header("retry-after", "1");
    let ok = ResponseTemplate::new(200).set_body_json(serde_json::json!({"uid": "ab1c0002"}));
    let server = server_answering(busy, ok).await;
    let client = DattoClient::builder()
        .api_url(server.uri())
        .api_key("k")
        .api_secret("s")
        .build()
        .unwrap();
    let account = client.get_account().await.unwrap();
    assert_eq!(account.uid, Some(AccountUid::new("ab1c0002")));
}

#[tokio::test(start_paused = true)]
async fn the_client_side_limit_is_shared_by_clones() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .options(
            ClientOptions::new()
                .timeout(None)
                .rate_limit(RateLimit::new(4, Duration::from_secs(60)).unwrap()),
        )
        .build()
        .unwrap();
    let clone = client.clone();
    client.get_system_status().await.unwrap();
    let started = Instant::now();
    for _ in 0..2 {
        client.get_system_status().await.unwrap();
        clone.get_system_status().await.unwrap();
    }
    // No 60 s window may see more than four requests: the fifth waits for the first to age out.
    assert!(
        started.elapsed() >= Duration::from_secs(59),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.log().count("GET", "/api/v2/system/status"), 5);
}

#[tokio::test(start_paused = true)]
async fn writes_of_one_operation_wait_for_their_own_limit() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .options(ClientOptions::new().timeout(None))
        .operation_write_limit(RateLimit::new(2, Duration::from_secs(60)).unwrap())
        .build()
        .unwrap();
    let site = SiteUid::new(&fake.sites()[3].uid);
    client.get_account().await.unwrap();
    let started = Instant::now();
    client
        .create_account_variable("a", "1", false)
        .await
        .unwrap();
    client
        .create_site_variable(&site, "x", "1", false)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "another operation does not wait: {:?}",
        started.elapsed()
    );
    client
        .create_account_variable("b", "2", false)
        .await
        .unwrap();
    client
        .create_account_variable("c", "3", false)
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(59),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.account_variables().len(), 3);
}
