//! The shared fake machinery: logging, faults and the catch-all, over real HTTP.

use msp_fakes::harness::{FakeServer, FaultKind, FaultPlan, Handler, json_response};
use wiremock::{Request, ResponseTemplate};

struct Counter(std::sync::atomic::AtomicUsize);

impl Handler for Counter {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        if request.url.path() != "/count" {
            return None;
        }
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        Some(json_response(200, &serde_json::json!({ "n": n })))
    }
}

async fn start() -> FakeServer {
    FakeServer::start(Counter(Default::default())).await
}

#[tokio::test]
async fn known_routes_are_answered_and_logged() {
    let fake = start().await;
    let body = reqwest::get(format!("{}/count?x=1", fake.uri()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, r#"{"n":1}"#);
    assert_eq!(fake.log().count("GET", "/count"), 1);
    assert_eq!(fake.log().all()[0].query, "x=1");
    assert_eq!(fake.log().writes(), 0);
    fake.assert_no_unexpected();
}

#[tokio::test]
async fn an_unexpected_request_is_answered_418_and_recorded() {
    let fake = start().await;
    let response = reqwest::Client::new()
        .post(format!("{}/nowhere", fake.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 418);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("unexpected request POST /nowhere")
    );
    assert_eq!(fake.unexpected_requests().len(), 1);
    assert_eq!(fake.log().writes(), 1);
    let outcome =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fake.assert_no_unexpected()));
    assert!(outcome.is_err());
}

#[tokio::test]
async fn faults_before_the_handler_change_no_state() {
    let fake = start().await;
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::Status503]));
    let status = reqwest::get(format!("{}/count", fake.uri()))
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 503);
    fake.faults().clear();
    let body = reqwest::get(format!("{}/count", fake.uri()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        body, r#"{"n":1}"#,
        "the faulted request must not have reached the handler"
    );
    assert_eq!(fake.faults().injected(), 1);
}

#[tokio::test]
async fn fail_after_commit_changes_state_and_still_answers_500() {
    let fake = start().await;
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::FailAfterCommit]));
    let status = reqwest::get(format!("{}/count", fake.uri()))
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 500);
    fake.faults().clear();
    let body = reqwest::get(format!("{}/count", fake.uri()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, r#"{"n":2}"#);
}

#[tokio::test]
async fn garbled_answers_are_not_json_and_429_carries_retry_after() {
    let fake = start().await;
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::Garbled]));
    let body = reqwest::get(format!("{}/count", fake.uri()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(&body).is_err());
    fake.faults().set(FaultPlan::new(
        3,
        1.0,
        vec![FaultKind::Status429 {
            retry_after_secs: 7,
        }],
    ));
    let response = reqwest::get(format!("{}/count", fake.uri())).await.unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers()["retry-after"], "7");
}

#[tokio::test]
async fn a_dropped_connection_changes_state_and_leaves_the_client_without_an_answer() {
    let fake = start().await;
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::DroppedConnection]));
    let answer = match reqwest::get(format!("{}/count", fake.uri())).await {
        Ok(response) => response.text().await.map(drop),
        Err(error) => Err(error),
    };
    let error = answer.expect_err("the connection must drop before the body is complete");
    assert!(!error.is_connect(), "{error}");
    fake.faults().clear();
    let body = reqwest::get(format!("{}/count", fake.uri()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, r#"{"n":2}"#);
}

#[tokio::test]
async fn json_answers_say_they_are_json() {
    let fake = start().await;
    let response = reqwest::get(format!("{}/count", fake.uri())).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    fake.faults()
        .set(FaultPlan::new(3, 1.0, vec![FaultKind::Garbled]));
    let response = reqwest::get(format!("{}/count", fake.uri())).await.unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
}
