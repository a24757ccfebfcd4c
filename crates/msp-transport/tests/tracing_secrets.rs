//! Tracing at TRACE level, captured into a buffer, never carries a secret.

use std::io::Write;
use std::sync::{Arc, Mutex};

use msp_transport::{BaseUrl, HttpClient, Method, Secret};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_never_contain_the_key_or_the_token() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let http = HttpClient::builder("test")
        .retry_policy(
            msp_transport::RetryPolicy::default()
                .initial_backoff(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let key = Secret::new("KEY-THAT-MUST-NOT-LEAK-1234");
    let token = Secret::new("TOKEN-THAT-MUST-NOT-LEAK-5678");
    let url = BaseUrl::parse(&server.uri()).unwrap().join("v1/x").unwrap();
    let _ = http
        .send(
            http.request(Method::GET, url)
                .secret_header("x-api-key", &key)
                .bearer_auth(&token),
        )
        .await
        .unwrap();
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("http.request"),
        "the request span should be logged: {logs}"
    );
    assert!(!logs.contains("KEY-THAT-MUST-NOT-LEAK"), "{logs}");
    assert!(!logs.contains("TOKEN-THAT-MUST-NOT-LEAK"), "{logs}");
}
