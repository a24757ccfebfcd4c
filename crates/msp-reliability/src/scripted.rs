//! A server that answers the next API request with a scripted status and body — whatever a
//! test generated — and every request after it with `500`, so a client that follows links or
//! pages cannot loop on a scripted answer.
//!
//! Datto's token endpoint (`POST /auth/oauth/token`) always answers with a valid token, so the
//! Datto client reaches the scripted API answer.

use std::sync::{Arc, Mutex, PoisonError};

use msp_fakes::harness::{FakeServer, Handler};
use serde_json::json;
use wiremock::{Request, ResponseTemplate};

/// One scripted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: String,
    /// The body, any bytes.
    pub body: Vec<u8>,
}

struct Script {
    next: Arc<Mutex<Option<Answer>>>,
}

impl Handler for Script {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        if request.url.path() == "/auth/oauth/token" {
            return Some(
                ResponseTemplate::new(200)
                    .insert_header("content-type", "application/json")
                    .set_body_string(
                        json!({
                            "access_token": "scripted-token",
                            "token_type": "bearer",
                            "expires_in": 359_999,
                            "scope": "default",
                        })
                        .to_string(),
                    ),
            );
        }
        let answer = self
            .next
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Some(match answer {
            Some(answer) => ResponseTemplate::new(answer.status)
                .insert_header("content-type", answer.content_type.as_str())
                .set_body_bytes(answer.body),
            None => ResponseTemplate::new(500).set_body_string("end of script"),
        })
    }
}

/// The scripted server.
pub struct ScriptedServer {
    server: FakeServer,
    next: Arc<Mutex<Option<Answer>>>,
}

impl std::fmt::Debug for ScriptedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptedServer")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl ScriptedServer {
    /// Starts the server on 127.0.0.1.
    pub async fn start() -> Self {
        let next = Arc::new(Mutex::new(None));
        let server = FakeServer::start(Script { next: next.clone() }).await;
        Self { server, next }
    }

    /// The base URI.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The server (its request log).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Answers the next API request with `answer`.
    pub fn script(&self, answer: Answer) {
        *self.next.lock().unwrap_or_else(PoisonError::into_inner) = Some(answer);
    }
}
