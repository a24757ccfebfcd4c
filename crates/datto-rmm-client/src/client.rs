//! The client, its builder, and the one path every request takes (token, 401 refresh,
//! throttling classification).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use msp_transport::{
    BaseUrl, ClientOptions, HttpClient, Method, RateLimit, RateLimiter, Response, Secret, Url,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use crate::auth::Auth;
use crate::models::page::Page;
use crate::pagination::PageStream;
use crate::{Error, Platform};

/// Datto's documented limit: 600 requests in any 60 seconds, per account.
pub const DEFAULT_RATE_LIMIT_REQUESTS: u32 = 600;
/// Datto's per-operation write limit (mostly 100 per 60 seconds).
pub const DEFAULT_OPERATION_WRITE_LIMIT: u32 = 100;
/// Datto's largest (and default) page size.
pub const PAGE_SIZE: u32 = 250;
/// A `403` this soon after a `429` is read as the throttling block.
const THROTTLE_MEMORY: Duration = Duration::from_secs(600);

/// A write operation, with its own rate-limit bucket at Datto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum WriteOperation {
    SiteCreate,
    SiteUpdate,
    SiteVariableCreate,
    SiteVariableUpdate,
    SiteVariableDelete,
    AccountVariableCreate,
    AccountVariableUpdate,
    AccountVariableDelete,
}

impl WriteOperation {
    const ALL: [WriteOperation; 8] = [
        WriteOperation::SiteCreate,
        WriteOperation::SiteUpdate,
        WriteOperation::SiteVariableCreate,
        WriteOperation::SiteVariableUpdate,
        WriteOperation::SiteVariableDelete,
        WriteOperation::AccountVariableCreate,
        WriteOperation::AccountVariableUpdate,
        WriteOperation::AccountVariableDelete,
    ];
}

/// One API request, kept as data so it can be rebuilt with a fresh token after a `401`.
pub(crate) struct Call {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    idempotent: bool,
    operation: Option<WriteOperation>,
    authenticated: bool,
}

impl Call {
    pub fn get(url: Url) -> Call {
        Call {
            method: Method::GET,
            url,
            body: None,
            idempotent: true,
            operation: None,
            authenticated: true,
        }
    }

    /// A write with a JSON body. `idempotent` says whether sending it twice is harmless
    /// (Datto creates with `PUT`, so the HTTP method does not say it).
    pub fn write<B: Serialize + ?Sized>(
        method: Method,
        url: Url,
        body: Option<&B>,
        idempotent: bool,
        operation: WriteOperation,
    ) -> Result<Call, Error> {
        let body = match body {
            Some(body) => Some(serde_json::to_vec(body).map_err(|e| {
                msp_transport::Error::InvalidConfig(format!(
                    "cannot serialize the request body: {e}"
                ))
            })?),
            None => None,
        };
        Ok(Call {
            method,
            url,
            body,
            idempotent,
            operation: Some(operation),
            authenticated: true,
        })
    }

    pub fn unauthenticated(mut self) -> Call {
        self.authenticated = false;
        self
    }
}

/// Builds a [`DattoClient`]: the account's platform or API URL and the credentials here, the
/// options every client takes alike (user agent, timeouts, retry policy, rate limit or a
/// shared limiter) through [`ClientOptions`].
///
/// ```no_run
/// use std::time::Duration;
/// use datto_rmm_client::{ClientOptions, DattoClient, Platform, Secret};
///
/// # fn run() -> Result<(), datto_rmm_client::Error> {
/// let client = DattoClient::builder()
///     .platform(Platform::Merlot)
///     .api_key(Secret::new("API-KEY"))
///     .api_secret(Secret::new("API-SECRET-KEY"))
///     .options(ClientOptions::new().user_agent("acme-sync/1.0").timeout(Some(Duration::from_secs(30))))
///     .build()?;
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone)]
pub struct DattoClientBuilder {
    options: ClientOptions,
    api_key: Option<Secret>,
    api_secret: Option<Secret>,
    operation_write_limit: Option<RateLimit>,
}

impl std::fmt::Debug for DattoClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DattoClientBuilder")
            .field("options", &self.options)
            .field("api_key", &self.api_key)
            .field("api_secret", &self.api_secret)
            .finish_non_exhaustive()
    }
}

impl DattoClientBuilder {
    fn new() -> Self {
        DattoClientBuilder {
            options: ClientOptions::new(),
            api_key: None,
            api_secret: None,
            operation_write_limit: None,
        }
    }

    /// The account's platform (sets the API URL).
    pub fn platform(self, platform: Platform) -> Self {
        self.api_url(platform.api_url())
    }

    /// An explicit API URL, as Datto shows it (`https://merlot-api.centrastage.net`); a
    /// trailing `/api` is accepted and ignored. HTTPS is required except on loopback
    /// addresses (test fakes). The same as [`ClientOptions::base_url`].
    pub fn api_url(mut self, url: impl Into<String>) -> Self {
        self.options = self.options.base_url(url);
        self
    }

    /// The API key (the OAuth user name).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The API secret key (the OAuth password).
    pub fn api_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.api_secret = Some(secret.into());
        self
    }

    /// The options shared by every client: what `options` sets replaces what was set before
    /// (the API URL included), what it leaves unset stays. Defaults: 600 requests per 60
    /// seconds (Datto's limit per account, shared by the client's clones; give two clients of
    /// one account one [`RateLimiter`] through [`ClientOptions::rate_limiter`]), 60 s per
    /// attempt, [`RetryPolicy::default`](crate::RetryPolicy::default).
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = self.options.merge(options);
        self
    }

    /// The limit per write operation, e.g. site creation (default: 100 per 60 seconds),
    /// waited for besides the limit on all requests.
    pub fn operation_write_limit(mut self, limit: RateLimit) -> Self {
        self.operation_write_limit = Some(limit);
        self
    }

    /// Builds the client. Fails when the URL, the key or the secret is missing or invalid;
    /// nothing is sent yet.
    pub fn build(self) -> Result<DattoClient, Error> {
        let invalid = |m: &str| Error::from(msp_transport::Error::InvalidConfig(m.to_owned()));
        let api_url = self
            .options
            .get_base_url()
            .ok_or_else(|| invalid("set a Datto RMM platform or API URL"))?;
        let api_key = self
            .api_key
            .filter(|k| !k.is_empty())
            .ok_or_else(|| invalid("the API key is missing"))?;
        let api_secret = self
            .api_secret
            .filter(|k| !k.is_empty())
            .ok_or_else(|| invalid("the API secret key is missing"))?;
        let root = root_url(api_url)?;
        let api = BaseUrl::parse(root.join("api")?.as_str())?;
        let token_url = root.join("auth/oauth/token")?;

        let limiter = self.options.limiter_or(RateLimit::new(
            DEFAULT_RATE_LIMIT_REQUESTS,
            Duration::from_secs(60),
        )?);
        let operation_limit = match self.operation_write_limit {
            Some(limit) => limit,
            None => RateLimit::new(DEFAULT_OPERATION_WRITE_LIMIT, Duration::from_secs(60))?,
        };
        let writes = WriteOperation::ALL
            .into_iter()
            .map(|op| (op, RateLimiter::new(operation_limit)))
            .collect();

        let rate_limit = limiter.limit();
        let http = HttpClient::builder("datto")
            .options(&self.options)
            .rate_limiter(limiter)
            .build()?;
        let auth = Auth::new(http.clone(), token_url, api_key, api_secret);
        Ok(DattoClient {
            inner: Arc::new(Inner {
                rate_limit,
                http,
                root,
                api,
                auth,
                writes,
                throttled_at: Mutex::new(None),
            }),
        })
    }
}

/// The host root of an API URL: `https://h/api/` → `https://h`.
fn root_url(text: &str) -> Result<BaseUrl, Error> {
    let parsed = BaseUrl::parse(text.trim())?;
    let mut url = parsed.url().clone();
    let path = url.path().trim_end_matches('/').to_owned();
    let path = path.strip_suffix("/api").unwrap_or(&path).to_owned();
    url.set_path(if path.is_empty() { "/" } else { &path });
    url.set_query(None);
    url.set_fragment(None);
    Ok(BaseUrl::parse(url.as_str())?)
}

struct Inner {
    /// The limit on all requests (the shared limiter's, when one was given).
    rate_limit: RateLimit,
    http: HttpClient,
    /// Host root: the token endpoint and page links are checked against it.
    root: BaseUrl,
    /// `{root}/api`.
    api: BaseUrl,
    auth: Auth,
    writes: BTreeMap<WriteOperation, RateLimiter>,
    /// The last time Datto answered `429` to us.
    throttled_at: Mutex<Option<Instant>>,
}

/// A Datto RMM API v2 client. Cheap to clone; clones share the connection pool, the token,
/// the rate limiter and the retry budget.
///
/// See the crate documentation for an example.
#[derive(Clone)]
pub struct DattoClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for DattoClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DattoClient")
            .field("api_url", &self.inner.root.url().as_str())
            .finish_non_exhaustive()
    }
}

impl DattoClient {
    /// Starts building a client.
    pub fn builder() -> DattoClientBuilder {
        DattoClientBuilder::new()
    }

    /// The API URL (host root) the client talks to.
    pub fn api_url(&self) -> &Url {
        self.inner.root.url()
    }

    /// The limit the client keeps all its requests to: the options'
    /// [`rate_limit`](ClientOptions::rate_limit), the shared
    /// [`rate_limiter`](ClientOptions::rate_limiter)'s, else Datto's documented 600 per 60
    /// seconds.
    ///
    /// ```
    /// use datto_rmm_client::{DattoClient, RateLimit};
    ///
    /// # fn main() -> Result<(), datto_rmm_client::Error> {
    /// let client = DattoClient::builder()
    ///     .api_url("https://merlot-api.centrastage.net")
    ///     .api_key("key")
    ///     .api_secret("secret")
    ///     .build()?;
    /// assert_eq!(client.rate_limit(), RateLimit::per_minute(600)?);
    /// # Ok(()) }
    /// ```
    pub fn rate_limit(&self) -> RateLimit {
        self.inner.rate_limit
    }

    /// `{api_url}/api/{path}`.
    pub(crate) fn url(&self, path: &str) -> Result<Url, Error> {
        Ok(self.inner.api.join(path)?)
    }

    /// The host root, for checking page links.
    pub(crate) fn root(&self) -> &BaseUrl {
        &self.inner.root
    }

    fn to_request(&self, call: &Call, token: Option<&Secret>) -> msp_transport::Request {
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), call.url.clone())
            .header("accept", "application/json")
            .idempotent(call.idempotent);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = &call.body {
            request = request.body(body.clone(), "application/json");
        }
        if let Some(limiter) = call.operation.and_then(|op| self.inner.writes.get(&op)) {
            request = request.rate_limiter(limiter);
        }
        request
    }

    /// Sends `call` with the bearer token; after a `401`, refreshes the token once and sends
    /// again. Non-success answers become errors.
    pub(crate) async fn send(&self, call: Call) -> Result<Response, Error> {
        if !call.authenticated {
            let response = self.inner.http.send(self.to_request(&call, None)).await?;
            return self.check(response);
        }
        let bearer = self.inner.auth.bearer().await?;
        let mut response = self
            .inner
            .http
            .send(self.to_request(&call, Some(&bearer.token)))
            .await?;
        if response.status() == 401 {
            tracing::debug!(
                path = call.url.path(),
                "Datto answered 401; refreshing the token once"
            );
            self.inner.auth.invalidate(bearer.generation).await;
            let bearer = self.inner.auth.bearer().await?;
            response = self
                .inner
                .http
                .send(self.to_request(&call, Some(&bearer.token)))
                .await?;
        }
        self.check(response)
    }

    /// Sends a GET and decodes the JSON answer.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T, Error> {
        Ok(self.send(Call::get(url)).await?.json()?)
    }

    /// A lazy stream over every item of a paged list.
    pub(crate) fn pages<P: Page>(
        &self,
        path: &str,
        filters: &[(&str, String)],
    ) -> PageStream<P::Item> {
        let mut query: Vec<(String, String)> = filters
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        query.push(("max".to_owned(), PAGE_SIZE.to_string()));
        match self.url(path) {
            Ok(url) => crate::pagination::walk_pages::<P>(self.clone(), url, query),
            Err(error) => PageStream::failed(error),
        }
    }

    fn check(&self, response: Response) -> Result<Response, Error> {
        if response.is_success() {
            return Ok(response);
        }
        match response.status() {
            429 => {
                *self
                    .inner
                    .throttled_at
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
            }
            403 if self.is_throttling_block(&response) => {
                return Err(Error::TemporarilyBlocked {
                    retry_after: response.retry_after(),
                    message: response.excerpt(),
                });
            }
            _ => {}
        }
        Err(response.to_error().into())
    }

    /// A `403` is Datto's throttling block (not a permission problem) when it carries
    /// `Retry-After`, when its body speaks of rate limits or blocking, or when it follows a
    /// `429` within ten minutes. (Datto documents the escalation, not the answer's shape.)
    fn is_throttling_block(&self, response: &Response) -> bool {
        if response.header("retry-after").is_some() {
            return true;
        }
        let body = response.text_lossy().to_lowercase();
        const WORDS: [&str; 7] = [
            "rate limit",
            "rate-limit",
            "ratelimit",
            "too many",
            "block",
            "throttl",
            "ddos",
        ];
        if WORDS.iter().any(|w| body.contains(w)) {
            return true;
        }
        let throttled_at = *self
            .inner
            .throttled_at
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        throttled_at.is_some_and(|at| at.elapsed() < THROTTLE_MEMORY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_url_may_end_in_api_or_a_slash() {
        for text in [
            "https://merlot-api.centrastage.net",
            "https://merlot-api.centrastage.net/",
            "https://merlot-api.centrastage.net/api",
            "https://merlot-api.centrastage.net/api/",
        ] {
            assert_eq!(
                root_url(text).unwrap().url().as_str(),
                "https://merlot-api.centrastage.net/"
            );
        }
        assert_eq!(
            root_url("https://proxy.example/datto/api")
                .unwrap()
                .url()
                .as_str(),
            "https://proxy.example/datto"
        );
    }

    #[test]
    fn the_client_keeps_to_the_limit_it_was_built_with() {
        let builder = || {
            DattoClient::builder()
                .api_url("https://merlot-api.centrastage.net")
                .api_key("k")
                .api_secret("s")
        };
        let datto = RateLimit::per_minute(DEFAULT_RATE_LIMIT_REQUESTS).unwrap();
        assert_eq!(builder().build().unwrap().rate_limit(), datto);
        let raised = RateLimit::per_minute(60_000).unwrap();
        let client = builder()
            .options(ClientOptions::new().rate_limit(raised))
            .build()
            .unwrap();
        assert_eq!(client.rate_limit(), raised);
        let shared = RateLimiter::new(RateLimit::per_second(5).unwrap());
        let client = builder()
            .options(ClientOptions::new().rate_limit(raised).rate_limiter(shared))
            .build()
            .unwrap();
        assert_eq!(client.rate_limit(), RateLimit::per_second(5).unwrap());
    }

    #[test]
    fn the_builder_needs_a_url_a_key_and_a_secret() {
        let missing_url = DattoClient::builder().api_key("k").api_secret("s").build();
        assert!(matches!(
            missing_url,
            Err(Error::Transport(msp_transport::Error::InvalidConfig(_)))
        ));
        let missing_secret = DattoClient::builder()
            .platform(Platform::Merlot)
            .api_key("k")
            .build();
        assert!(missing_secret.is_err());
        let plain_http = DattoClient::builder()
            .api_url("http://example.com")
            .api_key("k")
            .api_secret("s")
            .build();
        assert!(plain_http.is_err(), "plain HTTP is only for loopback");
    }

    #[test]
    fn the_token_endpoint_is_outside_the_api_path() {
        let client = DattoClient::builder()
            .platform(Platform::Syrah)
            .api_key("k")
            .api_secret("s")
            .build()
            .unwrap();
        assert_eq!(
            client.url("v2/account").unwrap().as_str(),
            "https://syrah-api.centrastage.net/api/v2/account"
        );
        assert!(
            format!("{:?}", client.inner.auth)
                .contains("https://syrah-api.centrastage.net/auth/oauth/token")
        );
    }

    #[test]
    fn debug_output_never_shows_the_credentials() {
        let builder = DattoClient::builder()
            .platform(Platform::Merlot)
            .api_key("KEY123")
            .api_secret("SECRET456");
        let printed = format!("{builder:?} {:?}", builder.clone().build().unwrap());
        assert!(!printed.contains("KEY123") && !printed.contains("SECRET456"));
    }
}
