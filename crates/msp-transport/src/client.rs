//! The HTTP client every vendor client is built on: one `send` that checks the URL policy,
//! waits for the rate limiter, retries by [`crate::retry::decide`] and reads the answer.

use std::time::Duration;

use bytes::Bytes;
use rand::Rng;
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use tracing::Instrument;
use url::Url;

use crate::rate_limit::RateLimiter;
use crate::response::Response;
use crate::retry::{Decision, Outcome, RequestKind, RetryBudget, RetryPolicy, decide};
use crate::secret::Secret;
use crate::url_policy::check_url;
use crate::{Error, TransportErrorKind};

/// The largest body accepted by default (64 MiB): a bigger answer is an error, not an
/// out-of-memory.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// Builds an [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpClientBuilder {
    vendor: &'static str,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    budget: RetryBudget,
    limiter: Option<RateLimiter>,
    user_agent: String,
    max_body: usize,
}

impl HttpClientBuilder {
    /// The total timeout of one attempt (default 60 s). `None` runs without any timer of the
    /// client's own — no total timeout and no idle-connection reaper — which is what tests on
    /// tokio's paused clock need (a pending timer makes the paused clock jump while the test
    /// waits for a real socket).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The retry budget shared by all requests of the client (default [`RetryBudget::default`]).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = budget;
        self
    }

    /// The rate limiter every request waits for (default: none).
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// The largest response body accepted, in bytes (default [`DEFAULT_MAX_BODY`]).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Builds the client. Certificate validation is always on; redirects are not followed
    /// (vendor APIs do not redirect, and a redirect must not carry credentials elsewhere).
    pub fn build(self) -> Result<HttpClient, Error> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(self.user_agent.clone())
            .https_only(false);
        match self.timeout {
            Some(timeout) => builder = builder.timeout(timeout),
            None => builder = builder.pool_idle_timeout(None),
        }
        let inner = builder
            .build()
            .map_err(|e| Error::InvalidConfig(format!("cannot build the HTTP client: {e}")))?;
        Ok(HttpClient {
            inner,
            vendor: self.vendor,
            retry: self.retry,
            budget: self.budget,
            limiter: self.limiter,
            max_body: self.max_body,
        })
    }
}

/// The shared HTTP machinery. Clones share the connection pool, the rate limiter and the retry
/// budget.
///
/// ```no_run
/// # async fn run() -> Result<(), msp_transport::Error> {
/// use msp_transport::{BaseUrl, HttpClient, RateLimit, RateLimiter, Secret};
/// let base = BaseUrl::parse("https://api.example.com")?;
/// let http = HttpClient::builder("example")
///     .rate_limiter(RateLimiter::new(RateLimit::per_second(10)?))
///     .build()?;
/// let key = Secret::new("my-key");
/// let answer = http
///     .send(http.request(reqwest::Method::GET, base.join("v1/things")?).secret_header("x-api-key", &key))
///     .await?
///     .error_for_status()?;
/// let things: serde_json::Value = answer.json()?;
/// # let _ = things; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    vendor: &'static str,
    retry: RetryPolicy,
    budget: RetryBudget,
    limiter: Option<RateLimiter>,
    max_body: usize,
}

/// One request, ready to be sent (and re-sent) by [`HttpClient::send`].
pub struct Request {
    method: Method,
    url: Url,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Bytes>,
    kind: RequestKind,
    limiters: Vec<RateLimiter>,
    secrets: Vec<Secret>,
    error: Option<Error>,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.url.path())
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Request {
    fn push_header(&mut self, name: &str, value: &str, sensitive: bool) {
        let name = match HeaderName::try_from(name) {
            Ok(name) => name,
            Err(_) => {
                self.error = Some(Error::InvalidConfig(format!(
                    "invalid header name {name:?}"
                )));
                return;
            }
        };
        match HeaderValue::try_from(value) {
            Ok(mut value) => {
                value.set_sensitive(sensitive);
                self.headers.push((name, value));
            }
            Err(_) => {
                // Never quote the value: it may be a secret.
                self.error = Some(Error::InvalidConfig(format!(
                    "the value of header {name} contains characters HTTP does not allow"
                )));
            }
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.push_header(name, value, false);
        self
    }

    /// Adds a header whose value is a secret (marked sensitive, scrubbed from errors).
    pub fn secret_header(mut self, name: &str, value: &Secret) -> Self {
        self.push_header(name, value.expose_secret(), true);
        self.secrets.push(value.clone());
        self
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer_auth(mut self, token: &Secret) -> Self {
        self.push_header(
            "authorization",
            &format!("Bearer {}", token.expose_secret()),
            true,
        );
        self.secrets.push(token.clone());
        self
    }

    /// `Authorization: Basic …` from a user name and an optional password.
    pub fn basic_auth(mut self, user: &Secret, password: Option<&Secret>) -> Self {
        use base64_lite::encode;
        let pair = format!(
            "{}:{}",
            user.expose_secret(),
            password.map(Secret::expose_secret).unwrap_or("")
        );
        self.push_header(
            "authorization",
            &format!("Basic {}", encode(pair.as_bytes())),
            true,
        );
        self.secrets.push(user.clone());
        if let Some(password) = password {
            self.secrets.push(password.clone());
        }
        self
    }

    /// Appends query parameters (percent-encoded).
    pub fn query<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        {
            let mut query = self.url.query_pairs_mut();
            for (k, v) in pairs {
                query.append_pair(k.as_ref(), v.as_ref());
            }
        }
        self
    }

    /// A JSON body with `content-type: application/json`.
    pub fn json<T: serde::Serialize + ?Sized>(self, body: &T) -> Self {
        self.json_as(body, "application/json")
    }

    /// A JSON body with another content type (for example `application/vnd.api+json`).
    pub fn json_as<T: serde::Serialize + ?Sized>(mut self, body: &T, content_type: &str) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.push_header("content-type", content_type, false);
                self.body = Some(bytes.into());
            }
            Err(e) => {
                self.error = Some(Error::InvalidConfig(format!(
                    "cannot serialize the body: {e}"
                )))
            }
        }
        self
    }

    /// A form body (`application/x-www-form-urlencoded`); values are secrets-aware: pass secret
    /// values through [`Request::form_secret`] instead.
    pub fn form(mut self, pairs: &[(&str, &str)]) -> Self {
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            serializer.append_pair(k, v);
        }
        let existing = self
            .body
            .take()
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        let mut text = existing.unwrap_or_default();
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(&serializer.finish());
        self.push_header("content-type", "application/x-www-form-urlencoded", false);
        self.body = Some(text.into());
        self
    }

    /// Adds one form field whose value is a secret (scrubbed from errors).
    pub fn form_secret(mut self, name: &str, value: &Secret) -> Self {
        self.secrets.push(value.clone());
        let mut serializer = url::form_urlencoded::Serializer::new(String::new());
        serializer.append_pair(name, value.expose_secret());
        let mut text = self
            .body
            .take()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        if !text.is_empty() {
            text.push('&');
        }
        text.push_str(&serializer.finish());
        if !self.headers.iter().any(|(n, _)| n == "content-type") {
            self.push_header("content-type", "application/x-www-form-urlencoded", false);
        }
        self.body = Some(text.into());
        self
    }

    /// A raw body with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: &str) -> Self {
        self.push_header("content-type", content_type, false);
        self.body = Some(bytes.into());
        self
    }

    /// Whether sending the request twice is harmless. Defaults: `GET`, `HEAD`, `OPTIONS` are
    /// reads; `PUT` and `DELETE` idempotent writes; `POST` and `PATCH` writes. Mark a `POST`
    /// idempotent only when the API makes it so (an absolute update, an idempotency key); a read
    /// stays a read. A read over `POST` is marked with [`Request::read`].
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.kind = match (idempotent, self.kind) {
            (true, RequestKind::Read) => RequestKind::Read,
            (true, _) => RequestKind::IdempotentWrite,
            (false, _) => RequestKind::Write,
        };
        self
    }

    /// Marks the request as a read whatever its method (for example a JSON-RPC read sent with
    /// `POST`): it is retried on every transient failure, with the read attempts of the
    /// [`RetryPolicy`].
    pub fn read(mut self) -> Self {
        self.kind = RequestKind::Read;
        self
    }

    /// What the request does, as far as retrying is concerned.
    pub fn kind(&self) -> RequestKind {
        self.kind
    }

    /// An extra limiter for this request (for example a vendor's per-method class), waited
    /// for in addition to the client's own.
    pub fn rate_limiter(mut self, limiter: &RateLimiter) -> Self {
        self.limiters.push(limiter.clone());
        self
    }

    /// The target URL.
    pub fn url(&self) -> &Url {
        &self.url
    }

    fn to_reqwest(&self, client: &reqwest::Client) -> reqwest::RequestBuilder {
        let mut builder = client.request(self.method.clone(), self.url.clone());
        for (name, value) in &self.headers {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(body) = &self.body {
            builder = builder.body(body.clone());
        }
        builder
    }
}

/// A tiny standard base64 encoder, for the Basic authorization header only.
mod base64_lite {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(input: &[u8]) -> String {
        let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
        for chunk in input.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn encodes_like_rfc_4648() {
            assert_eq!(super::encode(b""), "");
            assert_eq!(super::encode(b"f"), "Zg==");
            assert_eq!(super::encode(b"fo"), "Zm8=");
            assert_eq!(super::encode(b"foo"), "Zm9v");
            assert_eq!(
                super::encode(b"public-client:public"),
                "cHVibGljLWNsaWVudDpwdWJsaWM="
            );
        }
    }
}

impl HttpClient {
    /// Starts building a client for `vendor` (a short name used in logs, e.g. `"datto"`).
    pub fn builder(vendor: &'static str) -> HttpClientBuilder {
        HttpClientBuilder {
            vendor,
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            budget: RetryBudget::default(),
            limiter: None,
            user_agent: format!("msp-sync/{}", env!("CARGO_PKG_VERSION")),
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// The vendor name given to the builder.
    pub fn vendor(&self) -> &'static str {
        self.vendor
    }

    /// The retry budget shared by this client's clones.
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.budget
    }

    /// A new request to `url`.
    pub fn request(&self, method: Method, url: Url) -> Request {
        let kind = if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
            RequestKind::Read
        } else if matches!(method, Method::PUT | Method::DELETE) {
            RequestKind::IdempotentWrite
        } else {
            RequestKind::Write
        };
        Request {
            method,
            url,
            headers: Vec::new(),
            body: None,
            kind,
            limiters: Vec::new(),
            secrets: Vec::new(),
            error: None,
        }
    }

    /// Sends `request`, retrying as the policy and the budget allow, and returns the final
    /// answer whatever its status. Errors are for requests that got no answer, refused URLs
    /// and bodies over the limit.
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        if let Some(error) = request.error {
            return Err(error);
        }
        check_url(&request.url)?;
        let started = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Some(limiter) = &self.limiter {
                limiter.acquire().await;
            }
            for limiter in &request.limiters {
                limiter.acquire().await;
            }
            let span = tracing::debug_span!(
                "http.request",
                vendor = self.vendor,
                method = %request.method,
                path = request.url.path(),
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let attempt_started = tokio::time::Instant::now();
            let result = self.attempt(&request).instrument(span.clone()).await;
            span.record("elapsed_ms", attempt_started.elapsed().as_millis() as u64);
            let outcome = match &result {
                Ok(response) => {
                    span.record("status", response.status());
                    if response.is_success() && response.is_garbled_json() {
                        Outcome::Garbled
                    } else {
                        Outcome::Status {
                            status: response.status(),
                            retry_after: response.retry_after(),
                        }
                    }
                }
                Err(Error::Transport {
                    may_have_been_sent: false,
                    ..
                }) => Outcome::ConnectFailed,
                Err(Error::Transport {
                    kind: TransportErrorKind::BodyTooLarge,
                    ..
                }) => return result,
                Err(Error::Transport { .. }) => Outcome::FailedAfterSend,
                Err(_) => return result,
            };
            let jitter = rand::rng().random::<f64>();
            let decision = decide(
                &self.retry,
                request.kind,
                outcome,
                attempt,
                started.elapsed(),
                jitter,
            );
            match decision {
                Decision::RetryAfter(wait) if self.budget.try_spend() => {
                    tracing::debug!(
                        parent: &span,
                        vendor = self.vendor,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                Decision::RetryAfter(_) => {
                    tracing::warn!(vendor = self.vendor, "retry budget exhausted; not retrying");
                    return self.with_origin(&request, attempt, outcome, result);
                }
                _ => {
                    if matches!(&result, Ok(r) if r.is_success()) && attempt == 1 {
                        self.budget.record_success();
                    }
                    return self.with_origin(&request, attempt, outcome, result);
                }
            }
        }
    }

    /// Names the request (method and path) and the attempts it took in the final answer or
    /// transport error, so a failure says which endpoint failed, how, and after how many
    /// tries; logs a request that failed after retries.
    fn with_origin(
        &self,
        request: &Request,
        attempts: u32,
        outcome: Outcome,
        result: Result<Response, Error>,
    ) -> Result<Response, Error> {
        let endpoint = format!("{} {}", request.method, request.url.path());
        let failed =
            !matches!(outcome, Outcome::Status { status, .. } if (200..400).contains(&status));
        if failed && attempts > 1 {
            tracing::warn!(
                vendor = self.vendor,
                endpoint = endpoint.as_str(),
                attempts,
                last = ?outcome,
                "request failed after retries"
            );
        }
        match result {
            Ok(response) => Ok(response.with_origin(endpoint, attempts)),
            Err(Error::Transport {
                kind,
                may_have_been_sent,
                message,
            }) => Err(Error::Transport {
                kind,
                may_have_been_sent,
                message: format!("{endpoint} ({}): {message}", attempts_text(attempts)),
            }),
            Err(other) => Err(other),
        }
    }

    async fn attempt(&self, request: &Request) -> Result<Response, Error> {
        let response = request
            .to_reqwest(&self.inner)
            .send()
            .await
            .map_err(|e| transport_error(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if let Some(length) = response.content_length()
            && length > self.max_body as u64
        {
            return Err(too_large(self.max_body));
        }
        let mut body = Vec::new();
        let mut response = response;
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
            if body.len() + chunk.len() > self.max_body {
                return Err(too_large(self.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response::new(
            status,
            headers,
            body.into(),
            request.secrets.clone(),
        ))
    }
}

/// "1 attempt", "6 attempts".
pub(crate) fn attempts_text(attempts: u32) -> String {
    if attempts == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{attempts} attempts")
    }
}

fn too_large(limit: usize) -> Error {
    Error::Transport {
        kind: TransportErrorKind::BodyTooLarge,
        may_have_been_sent: true,
        message: format!("the answer is larger than the {limit}-byte limit"),
    }
}

/// Classifies a reqwest error. reqwest's messages carry the URL but never headers, and our
/// URLs never carry secrets (the policy refuses credentials in URLs).
fn transport_error(error: &reqwest::Error) -> Error {
    let connect = error.is_connect();
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if connect {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    Error::Transport {
        kind,
        may_have_been_sent: !connect,
        message,
    }
}
