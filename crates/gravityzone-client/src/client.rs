//! The client, its builder, and the one place a JSON-RPC call is made.

use msp_transport::{BaseUrl, ClientOptions, HttpClient, Method, RateLimit, Secret};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;
use crate::jsonrpc::{ApiVersion, CallContext, RpcRequest, api_path, interpret};
use crate::models::ApiArea;
use crate::rate_limits::{Limiters, RateClass, RateLimits};

/// One JSON-RPC method: where it lives and whether sending it twice is harmless.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MethodSpec<'a> {
    pub area: &'a ApiArea,
    pub version: ApiVersion,
    pub name: &'a str,
    /// Reads (and absolute updates) are idempotent and retried after a timeout or a 5xx;
    /// creates, deletes and moves are not (only after a 429, which is refused unprocessed).
    pub idempotent: bool,
    /// Reads get the read retries (more attempts, also after a 500 or a garbled answer).
    pub read: bool,
}

impl<'a> MethodSpec<'a> {
    /// A read on v1.0.
    pub(crate) const fn read(area: &'a ApiArea, name: &'a str) -> Self {
        Self {
            area,
            version: ApiVersion::V1_0,
            name,
            idempotent: true,
            read: true,
        }
    }

    /// A write on v1.0 that sets absolute values, so repeating it is harmless.
    pub(crate) const fn update(area: &'a ApiArea, name: &'a str) -> Self {
        Self {
            area,
            version: ApiVersion::V1_0,
            name,
            idempotent: true,
            read: false,
        }
    }

    /// A write on v1.0 that must not be repeated blindly.
    pub(crate) const fn write(area: &'a ApiArea, name: &'a str) -> Self {
        Self {
            area,
            version: ApiVersion::V1_0,
            name,
            idempotent: false,
            read: false,
        }
    }

    /// The same method on another API version.
    pub(crate) const fn on(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }
}

/// A client of the GravityZone Control Center API (partner JSON-RPC). Cheap to clone: clones
/// share the connection pool, the rate limiters and the request-id counter.
///
/// Every call is an HTTP `POST` of one JSON-RPC 2.0 request to
/// `{access URL}/v1.0/jsonrpc/{area}` (or `/v1.1/` where noted), authenticated with HTTP Basic
/// (the API key as user name, an empty password).
///
/// **Retries.** Reads are retried after timeouts, connection failures, 502/503/504 and 429 (as
/// the [`RetryPolicy`](crate::RetryPolicy) allows, honouring `Retry-After`). Writes that
/// create, delete or move
/// (`createCompany`, `createPackage`, `deleteCompany`, `deletePackage`,
/// `moveCompanyOrCompanyFolder`) are retried only after a 429 or a failed connection (both
/// mean the request was not processed); after a timeout they return an error whose
/// [`Error::may_have_been_sent`] is true, so the caller looks before trying again
/// ([`GravityZoneClient::find_or_create_package`] does exactly that).
///
/// ```no_run
/// # async fn run() -> Result<(), gravityzone_client::Error> {
/// use gravityzone_client::GravityZoneClient;
///
/// let client = GravityZoneClient::builder()
///     .access_url("https://cloudgz.gravityzone.bitdefender.com/api")
///     .api_key(std::env::var("GZ_API_KEY").unwrap_or_default())
///     .build()?;
/// let key = client.get_api_key_details().await?;
/// println!("the key may call: {:?}", key.enabled_apis);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct GravityZoneClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    access: BaseUrl,
    key: Secret,
    limits: RateLimits,
    limiters: Limiters,
    next_id: AtomicU64,
}

impl std::fmt::Debug for GravityZoneClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GravityZoneClient")
            .field("access_url", &self.inner.access.url().as_str())
            .field("rate_limits", &self.inner.limits)
            .finish_non_exhaustive()
    }
}

impl GravityZoneClient {
    /// Starts building a client.
    pub fn builder() -> GravityZoneClientBuilder {
        GravityZoneClientBuilder::default()
    }

    /// The access URL the client talks to.
    pub fn access_url(&self) -> &str {
        self.inner.access.url().as_str()
    }

    /// The rate limits the client keeps to.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.inner.limits
    }

    /// Calls any method and returns its raw `result` (`Value::Null` for methods returning
    /// nothing), for methods this client does not wrap. The method's rate class is looked up
    /// by name ([`RateClass::of`]). Set `idempotent` only for reads.
    ///
    /// ```no_run
    /// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
    /// use gravityzone_client::{ApiArea, ApiVersion};
    /// let containers = client
    ///     .call_raw(ApiArea::Network, ApiVersion::V1_0, "getRootContainers", &serde_json::json!({}), true)
    ///     .await?;
    /// # let _ = containers; Ok(()) }
    /// ```
    pub async fn call_raw(
        &self,
        area: ApiArea,
        version: ApiVersion,
        method: &str,
        params: &Value,
        idempotent: bool,
    ) -> Result<Value, Error> {
        let spec = MethodSpec {
            area: &area,
            version,
            name: method,
            idempotent,
            // `idempotent` is documented as "only for reads".
            read: idempotent,
        };
        self.call(spec, params).await
    }

    /// Sends one JSON-RPC request and decodes its `result` into `T` (`()` for `null`).
    pub(crate) async fn call<P, T>(&self, spec: MethodSpec<'_>, params: &P) -> Result<T, Error>
    where
        P: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let url = self.inner.access.join(&api_path(spec.version, spec.area))?;
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let body = RpcRequest {
            id,
            jsonrpc: "2.0",
            method: spec.name,
            params,
        };
        let limiter = self.inner.limiters.for_class(RateClass::of(spec.name));
        let mut request = self
            .inner
            .http
            .request(Method::POST, url)
            .basic_auth(&self.inner.key, None)
            .json(&body)
            .idempotent(spec.idempotent)
            .rate_limiter(limiter);
        if spec.read {
            request = request.read();
        }
        tracing::debug!(
            method = spec.name,
            area = spec.area.as_str(),
            id,
            "gravityzone call"
        );
        let response = self.inner.http.send(request).await?;
        interpret(
            CallContext {
                area: spec.area,
                method: spec.name,
            },
            &response,
        )
    }
}

/// Builds a [`GravityZoneClient`]: the access URL, the key and the per-class rate limits here,
/// the options every client takes alike (user agent, timeouts, retry policy, a limit on all
/// requests or a shared limiter) through [`ClientOptions`].
///
/// GravityZone limits each key per method class ([`RateLimits`]), so the client keeps one
/// limiter per class whatever the options say. A [`ClientOptions::rate_limit`] or
/// [`ClientOptions::rate_limiter`] is a limit on *every* request of the client, waited for
/// besides its class's (none by default): pass one [`RateLimiter`](crate::RateLimiter) to two
/// clients of one key to keep them together under, say, the 10 per second of the default
/// class.
///
/// ```
/// use std::time::Duration;
/// use gravityzone_client::{ClientOptions, GravityZoneClient, RateClass, RateLimit, RetryPolicy};
///
/// let client = GravityZoneClient::builder()
///     .access_url("https://cloud.gravityzone.bitdefender.com/api")
///     .api_key("my-key")
///     .rate_limit(RateClass::Default, RateLimit::per_second(4).unwrap())
///     .options(
///         ClientOptions::new()
///             .retry_policy(RetryPolicy::default().max_attempts(5))
///             .timeout(Some(Duration::from_secs(120))),
///     )
///     .build()
///     .unwrap();
/// assert_eq!(client.rate_limits().default.requests(), 4);
/// assert!(!format!("{client:?}").contains("my-key"));
/// ```
#[derive(Debug, Default)]
pub struct GravityZoneClientBuilder {
    options: ClientOptions,
    api_key: Option<Secret>,
    rate_limits: RateLimits,
}

impl GravityZoneClientBuilder {
    /// The Access URL from Control Center (My Account → Control Center API). It already ends
    /// in `/api`, e.g. `https://cloudgz.gravityzone.bitdefender.com/api`; a key works only on
    /// the instance that issued it. HTTPS is required (plain HTTP only for loopback fakes).
    /// The same as [`ClientOptions::base_url`].
    pub fn access_url(mut self, url: impl Into<String>) -> Self {
        self.options = self.options.base_url(url);
        self
    }

    /// The API key (sent as the Basic user name with an empty password; never printed).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The options shared by every client: what `options` sets replaces what was set before
    /// (the access URL included), what it leaves unset stays. Defaults: 60 s per attempt,
    /// [`RetryPolicy::default`](crate::RetryPolicy::default), no limit on all requests (the
    /// per-class limits apply).
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = self.options.merge(options);
        self
    }

    /// All per-class rate limits at once (default: [`RateLimits::default`], the vendor's table).
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.rate_limits = limits;
        self
    }

    /// The rate limit of one class.
    pub fn rate_limit(mut self, class: RateClass, limit: RateLimit) -> Self {
        self.rate_limits.set(class, limit);
        self
    }

    /// Builds the client; fails on a missing or refused access URL or a missing key.
    pub fn build(self) -> Result<GravityZoneClient, Error> {
        let invalid = |m: &str| Error::Transport(msp_transport::Error::InvalidConfig(m.into()));
        let access = self
            .options
            .get_base_url()
            .ok_or_else(|| invalid("the GravityZone access URL is required"))?;
        let access = BaseUrl::parse(access)?;
        let key = self
            .api_key
            .filter(|k| !k.is_empty())
            .ok_or_else(|| invalid("the GravityZone API key is required"))?;
        let http = HttpClient::builder("gravityzone")
            .options(&self.options)
            .build()?;
        Ok(GravityZoneClient {
            inner: Arc::new(Inner {
                http,
                access,
                key,
                limiters: Limiters::new(&self.rate_limits),
                limits: self.rate_limits,
                next_id: AtomicU64::new(1),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_and_an_access_url_are_required() {
        let no_key = GravityZoneClient::builder()
            .access_url("https://h/api")
            .build();
        assert!(no_key.unwrap_err().to_string().contains("API key"));
        let no_url = GravityZoneClient::builder().api_key("k").build();
        assert!(no_url.unwrap_err().to_string().contains("access URL"));
        let blank = GravityZoneClient::builder()
            .access_url("https://h/api")
            .api_key("  ")
            .build();
        assert!(blank.is_err());
    }

    #[test]
    fn plain_http_is_refused_off_loopback() {
        let e = GravityZoneClient::builder()
            .access_url("http://cloud.gravityzone.bitdefender.com/api")
            .api_key("k")
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("HTTPS"), "{e}");
    }
}
