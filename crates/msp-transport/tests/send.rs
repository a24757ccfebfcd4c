//! `HttpClient::send` against wiremock: retries, waits, budgets, URL policy and secrets.
//! Waiting is checked on tokio's paused clock, never with real sleeps.

use std::time::Duration;

use msp_transport::{
    BaseUrl, Error, HttpClient, Method, RateLimit, RateLimiter, RetryBudget, RetryPolicy, Secret,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "SUPERSECRETKEY0123456789ABCDEF01";

fn client() -> HttpClient {
    HttpClient::builder("test").timeout(None).build().unwrap()
}

async fn url(server: &MockServer, p: &str) -> msp_transport::Url {
    BaseUrl::parse(&server.uri()).unwrap().join(p).unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_503_then_200_succeeds_with_two_requests() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let http = client();
    let response = http
        .send(http.request(Method::GET, url(&server, "x").await))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_429_with_retry_after_7_waits_seven_seconds() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "7"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = client();
    let started = tokio::time::Instant::now();
    let response = http
        .send(http.request(Method::GET, url(&server, "x").await))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(7), "waited {waited:?}");
    assert!(waited < Duration::from_secs(8), "waited {waited:?}");
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_http_date_is_honoured() {
    let server = MockServer::start().await;
    let when = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", when.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = client();
    let started = tokio::time::Instant::now();
    http.send(http.request(Method::GET, url(&server, "x").await))
        .await
        .unwrap();
    // An HTTP date has one-second resolution.
    assert!(
        started.elapsed() >= Duration::from_secs(28),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn a_post_answered_500_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let http = client();
    let response = http
        .send(
            http.request(Method::POST, url(&server, "create").await)
                .json(&serde_json::json!({"a": 1})),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(matches!(
        response.error_for_status(),
        Err(Error::Vendor { status: 500, .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn a_post_answered_503_is_not_retried_but_a_post_answered_429_is() {
    let server = MockServer::start().await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/busy"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let http = client();
    let busy = http
        .send(http.request(Method::POST, url(&server, "busy").await))
        .await
        .unwrap();
    assert_eq!(busy.status(), 201);
    let down = http
        .send(http.request(Method::POST, url(&server, "down").await))
        .await
        .unwrap();
    assert_eq!(down.status(), 503);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_post_marked_idempotent_is_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/rpc"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/rpc"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = client();
    let response = http
        .send(
            http.request(Method::POST, url(&server, "rpc").await)
                .idempotent(true),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_stops_a_run_of_failures() {
    let server = MockServer::start().await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let http = HttpClient::builder("test")
        .timeout(None)
        .retry_policy(RetryPolicy::default().max_attempts(5))
        .retry_budget(RetryBudget::new(3.0, 0.1))
        .build()
        .unwrap();
    for _ in 0..5 {
        let response = http
            .send(http.request(Method::GET, url(&server, "down").await))
            .await
            .unwrap();
        assert_eq!(response.status(), 503);
    }
    // 5 first attempts plus the 3 retries the budget allowed, not 5 × 5.
    assert_eq!(server.received_requests().await.unwrap().len(), 8);
    assert!(http.retry_budget().remaining() < 1.0);
}

#[tokio::test(start_paused = true)]
async fn attempts_are_limited_by_the_policy() {
    let server = MockServer::start().await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let http = client();
    let response = http
        .send(http.request(Method::GET, url(&server, "down").await))
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        msp_transport::DEFAULT_READ_ATTEMPTS as usize
    );
    assert_eq!(response.attempts(), 6);
    let error = response.error_for_status().unwrap_err().to_string();
    assert!(
        error.contains("HTTP 502") && error.contains("GET /down") && error.contains("6 attempts"),
        "{error}"
    );
    let idempotent_write = http
        .send(http.request(Method::PUT, url(&server, "down").await))
        .await
        .unwrap();
    assert_eq!(idempotent_write.status(), 502);
    assert_eq!(idempotent_write.attempts(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_read_answered_500_is_retried_and_a_post_is_not() {
    let server = MockServer::start().await;
    Mock::given(path("/list"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path("/list"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let http = client();
    let response = http
        .send(http.request(Method::GET, url(&server, "list").await))
        .await
        .unwrap();
    assert_eq!((response.status(), response.attempts()), (200, 3));
    // A JSON-RPC read sent with POST, marked as a read, is retried the same way.
    server.reset().await;
    Mock::given(path("/rpc"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/rpc"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&server)
        .await;
    let read = http
        .send(http.request(Method::POST, url(&server, "rpc").await).read())
        .await
        .unwrap();
    assert_eq!((read.status(), read.attempts()), (200, 2));
    // An idempotent write answered 500 keeps today's rule: not retried.
    server.reset().await;
    Mock::given(path("/rpc"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let update = http
        .send(
            http.request(Method::POST, url(&server, "rpc").await)
                .idempotent(true),
        )
        .await
        .unwrap();
    assert_eq!((update.status(), update.attempts()), (500, 1));
}

#[tokio::test(start_paused = true)]
async fn a_garbled_json_answer_to_a_read_is_retried_but_not_to_a_write() {
    let server = MockServer::start().await;
    let garbled = ResponseTemplate::new(200).set_body_raw("{\"data\": [tru", "application/json");
    Mock::given(path("/list"))
        .respond_with(garbled.clone())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/list"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"data\": [true]}", "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/create"))
        .respond_with(garbled)
        .mount(&server)
        .await;
    Mock::given(path("/text"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json, and not said to be"))
        .mount(&server)
        .await;
    let http = client();
    let list = http
        .send(http.request(Method::GET, url(&server, "list").await))
        .await
        .unwrap();
    assert_eq!(list.attempts(), 2);
    let value: serde_json::Value = list.json().unwrap();
    assert_eq!(value["data"][0], true);
    let create = http
        .send(http.request(Method::POST, url(&server, "create").await))
        .await
        .unwrap();
    assert_eq!(create.attempts(), 1);
    assert!(create.json::<serde_json::Value>().is_err());
    let text = http
        .send(http.request(Method::GET, url(&server, "text").await))
        .await
        .unwrap();
    assert_eq!(text.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_read_that_keeps_timing_out_names_its_endpoint_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let http = HttpClient::builder("test")
        .timeout(Some(Duration::from_millis(200)))
        .retry_policy(
            RetryPolicy::default()
                .read_attempts(2)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let error = http
        .send(http.request(Method::GET, url(&server, "slow").await))
        .await
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("GET /slow (2 attempts)") && error.may_have_been_sent(),
        "{text}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_client_rate_limiter_spaces_requests() {
    let server = MockServer::start().await;
    Mock::given(path("/x"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let http = HttpClient::builder("test")
        .timeout(None)
        .rate_limiter(RateLimiter::new(RateLimit::per_second(5).unwrap()))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    for _ in 0..11 {
        http.send(http.request(Method::GET, url(&server, "x").await))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn plain_http_to_a_non_loopback_host_is_refused_before_sending() {
    let http = client();
    let target = msp_transport::Url::parse("http://203.0.113.9/api").unwrap();
    let error = http
        .send(http.request(Method::GET, target))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidConfig(_)), "{error:?}");
    assert!(!error.may_have_been_sent());
}

#[tokio::test]
async fn a_connection_failure_says_the_request_was_not_sent() {
    // Bind then drop a listener to get a closed loopback port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let http = HttpClient::builder("test")
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let target = msp_transport::Url::parse(&format!("http://127.0.0.1:{port}/x")).unwrap();
    let error = http
        .send(http.request(Method::POST, target))
        .await
        .unwrap_err();
    assert!(!error.may_have_been_sent(), "{error:?}");
}

#[tokio::test]
async fn a_timeout_says_the_request_may_have_been_sent() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let http = HttpClient::builder("test")
        .timeout(Some(Duration::from_millis(100)))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let error = http
        .send(http.request(Method::POST, url(&server, "slow").await))
        .await
        .unwrap_err();
    assert!(error.may_have_been_sent(), "{error:?}");
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: msp_transport::TransportErrorKind::Timeout,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(10_000)))
        .mount(&server)
        .await;
    let http = HttpClient::builder("test")
        .max_body_bytes(1_000)
        .build()
        .unwrap();
    let error = http
        .send(http.request(Method::GET, url(&server, "big").await))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                kind: msp_transport::TransportErrorKind::BodyTooLarge,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Status {
        #[serde(rename = "numberOfDevices")]
        number_of_devices: u32,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Site {
        #[serde(rename = "devicesStatus")]
        devices_status: Status,
    }
    let server = MockServer::start().await;
    Mock::given(path("/site"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"devicesStatus":{"numberOfDevices":"many"}}"#),
        )
        .mount(&server)
        .await;
    let http = client();
    let error = http
        .send(http.request(Method::GET, url(&server, "site").await))
        .await
        .unwrap()
        .json::<Site>()
        .unwrap_err();
    assert!(
        error.to_string().contains("devicesStatus.numberOfDevices"),
        "{error}"
    );
}

#[tokio::test]
async fn secrets_reach_the_wire_but_never_debug_display_or_errors() {
    let server = MockServer::start().await;
    Mock::given(header("x-api-key", KEY))
        .respond_with(ResponseTemplate::new(401).set_body_string(format!("invalid key {KEY}")))
        .mount(&server)
        .await;
    let key = Secret::new(KEY);
    let http = client();
    let request = http
        .request(Method::GET, url(&server, "x").await)
        .secret_header("x-api-key", &key);
    assert!(!format!("{request:?}").contains(KEY));
    let response = http.send(request).await.unwrap();
    assert_eq!(response.status(), 401, "the key must reach the wire");
    assert!(!format!("{response:?}").contains(KEY));
    assert!(!response.text_lossy().contains(KEY));
    let error = response.error_for_status().unwrap_err();
    assert!(error.is_unauthorized());
    assert!(!error.to_string().contains(KEY), "{error}");
    assert!(!format!("{error:?}").contains(KEY), "{error:?}");
    assert!(!format!("{key:?} {key}").contains(KEY));
}

#[tokio::test]
async fn bearer_and_basic_auth_are_sent() {
    let server = MockServer::start().await;
    Mock::given(header("authorization", "Bearer tok-123456"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(header(
        "authorization",
        "Basic cHVibGljLWNsaWVudDpwdWJsaWM=",
    ))
    .respond_with(ResponseTemplate::new(204))
    .mount(&server)
    .await;
    let http = client();
    let bearer = http
        .send(
            http.request(Method::GET, url(&server, "a").await)
                .bearer_auth(&Secret::new("tok-123456")),
        )
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);
    let basic = http
        .send(
            http.request(Method::GET, url(&server, "b").await)
                .basic_auth(&Secret::new("public-client"), Some(&Secret::new("public"))),
        )
        .await
        .unwrap();
    assert_eq!(basic.status(), 204);
}
