//! The wiremock server that hosts one vendor fake.

use std::sync::{Arc, Mutex, PoisonError};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::faults::{FaultKind, Faults};
use super::log::{LoggedRequest, RequestLog, now_ms};

/// A vendor fake: answers one request, or `None` when it does not know the route.
///
/// Handlers hold their state behind a mutex of their own; they are called from the server's
/// threads.
pub trait Handler: Send + Sync + 'static {
    /// Answers `request`, or `None` for an unknown route.
    fn handle(&self, request: &Request) -> Option<ResponseTemplate>;
}

impl<T: Handler> Handler for Arc<T> {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        (**self).handle(request)
    }
}

/// A `200`-style JSON answer with `status` and the body serialized from `value`.
///
/// ```
/// let answer = msp_fakes::harness::json_response(200, &serde_json::json!({"ok": true}));
/// # let _ = answer;
/// ```
pub fn json_response(status: u16, value: &serde_json::Value) -> ResponseTemplate {
    // `set_body_raw` keeps the content type (`set_body_string` would make it `text/plain`).
    ResponseTemplate::new(status).set_body_raw(value.to_string(), "application/json")
}

struct Dispatcher<H> {
    handler: H,
    log: RequestLog,
    faults: Faults,
    unexpected: Arc<Mutex<Vec<LoggedRequest>>>,
}

impl<H: Handler> Respond for Dispatcher<H> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_owned();
        let fault = self.faults.draw(&path);
        let mut entry = LoggedRequest {
            method: request.method.as_str().to_ascii_uppercase(),
            path,
            query: request.url.query().unwrap_or("").to_owned(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
            at_ms: now_ms(),
            faulted: fault.is_some(),
        };
        let early = match &fault {
            Some(FaultKind::Status500) => {
                Some(ResponseTemplate::new(500).set_body_string("injected fault"))
            }
            Some(FaultKind::Status503) => {
                Some(ResponseTemplate::new(503).set_body_string("injected fault"))
            }
            Some(FaultKind::Status429 { retry_after_secs }) => Some(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", retry_after_secs.to_string().as_str())
                    .set_body_string("injected fault"),
            ),
            Some(FaultKind::Garbled) => Some(
                ResponseTemplate::new(200).set_body_raw("{\"garbled\": [tru", "application/json"),
            ),
            _ => None,
        };
        if let Some(answer) = early {
            self.log.record(entry);
            return answer;
        }
        let answer = match self.handler.handle(request) {
            Some(answer) => answer,
            None => {
                entry.faulted = false;
                let message = format!(
                    "msp-fakes: unexpected request {} {}{}{}",
                    entry.method,
                    entry.path,
                    if entry.query.is_empty() { "" } else { "?" },
                    entry.query
                );
                self.unexpected
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(entry.clone());
                self.log.record(entry);
                return ResponseTemplate::new(418).set_body_string(message);
            }
        };
        self.log.record(entry);
        match fault {
            Some(FaultKind::Slow(delay)) => answer.set_delay(delay),
            Some(FaultKind::FailAfterCommit) => {
                ResponseTemplate::new(500).set_body_string("injected fault after commit")
            }
            Some(FaultKind::DroppedConnection) => dropped_connection(),
            _ => answer,
        }
    }
}

/// An answer whose head promises more body than follows: the server sends the head and the
/// few bytes there are, then closes the connection — what a client sees when the connection
/// drops while the answer comes (reqwest reports a body error; the request may have been
/// acted on).
fn dropped_connection() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("content-length", "1048576")
        .set_body_raw("{\"data\": [", "application/json")
}

/// A running fake: a wiremock server on 127.0.0.1 with one [`Handler`] behind the dispatcher.
///
/// ```no_run
/// use msp_fakes::harness::{FakeServer, Handler};
/// use wiremock::{Request, ResponseTemplate};
///
/// struct Hello;
/// impl Handler for Hello {
///     fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
///         (request.url.path() == "/hello").then(|| ResponseTemplate::new(200))
///     }
/// }
///
/// # async fn run() {
/// let fake = FakeServer::start(Hello).await;
/// println!("listening on {}", fake.uri());
/// # }
/// ```
pub struct FakeServer {
    server: MockServer,
    log: RequestLog,
    faults: Faults,
    unexpected: Arc<Mutex<Vec<LoggedRequest>>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl FakeServer {
    /// Starts a server on a free loopback port, answering through `handler`.
    pub async fn start(handler: impl Handler) -> Self {
        Self::serve(MockServer::builder().start().await, handler).await
    }

    /// Starts a server on `listener` (bound by the caller, for example to a port chosen in
    /// advance), answering through `handler`.
    pub async fn start_on(handler: impl Handler, listener: std::net::TcpListener) -> Self {
        let server = MockServer::builder().listener(listener).start().await;
        Self::serve(server, handler).await
    }

    async fn serve(server: MockServer, handler: impl Handler) -> Self {
        let log = RequestLog::default();
        let faults = Faults::default();
        let unexpected = Arc::new(Mutex::new(Vec::new()));
        Mock::given(any())
            .respond_with(Dispatcher {
                handler,
                log: log.clone(),
                faults: faults.clone(),
                unexpected: unexpected.clone(),
            })
            .mount(&server)
            .await;
        Self {
            server,
            log,
            faults,
            unexpected,
        }
    }

    /// The base URI, e.g. `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The request log.
    pub fn log(&self) -> &RequestLog {
        &self.log
    }

    /// The fault injector.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The requests no route of the handler knew.
    pub fn unexpected_requests(&self) -> Vec<LoggedRequest> {
        self.unexpected
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Panics with a readable list when any request reached no known route.
    ///
    /// This is for tests: an unexpected request is a test failure.
    pub fn assert_no_unexpected(&self) {
        let unexpected = self.unexpected_requests();
        assert!(
            unexpected.is_empty(),
            "the fake received {} unexpected request(s):\n{}",
            unexpected.len(),
            unexpected
                .iter()
                .map(|r| format!("  {} {}?{}", r.method, r.path, r.query))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
