//! The client and its builder: region or base URL, API key, rate limit, retries, timeouts, and
//! the one place requests are sent and answers read.

use std::sync::Arc;
use std::time::Duration;

use msp_transport::{
    BaseUrl, ClientOptions, HttpClient, Method, RateLimit, RateLimiter, Response, Secret,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::jsonapi::{Document, IncludedError, Resource, ResourceAttributes, WriteDocument};
use crate::pagination::{Page, PageStream, paginate};

/// The media type IT Glue reads and writes.
pub const JSON_API: &str = "application/vnd.api+json";

/// The largest page IT Glue serves.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// IT Glue's documented rate limit: 3000 requests in any 5 minutes.
pub const DEFAULT_RATE_LIMIT: (u32, Duration) = (3000, Duration::from_secs(300));

/// The timeout of one attempt unless the options say otherwise (IT Glue answers a large page
/// slowly).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// IT Glue's data centres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Region {
    /// `https://api.itglue.com` (the default).
    #[default]
    Us,
    /// `https://api.eu.itglue.com`.
    Eu,
    /// `https://api.au.itglue.com`.
    Au,
}

impl Region {
    /// The region's API base URL.
    pub fn base_url(self) -> &'static str {
        match self {
            Self::Us => "https://api.itglue.com",
            Self::Eu => "https://api.eu.itglue.com",
            Self::Au => "https://api.au.itglue.com",
        }
    }
}

/// Builds an [`ItGlueClient`]: the region or base URL, the key and the page size here, the
/// options every client takes alike (user agent, timeouts, retry policy, rate limit or a
/// shared limiter) through [`ClientOptions`].
///
/// ```
/// use std::time::Duration;
/// use itglue_client::{ClientOptions, ItGlueClient, Region, Secret};
///
/// let client = ItGlueClient::builder()
///     .region(Region::Eu)
///     .api_key(Secret::new("ITG.example"))
///     .options(ClientOptions::new().user_agent("acme-sync/1.0").timeout(Some(Duration::from_secs(30))))
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url().as_str(), "https://api.eu.itglue.com/");
/// assert_eq!(client.rate_limit().requests(), 3000, "IT Glue's own limit by default");
/// ```
#[derive(Debug, Clone)]
pub struct ItGlueClientBuilder {
    options: ClientOptions,
    api_key: Option<Secret>,
    page_size: u32,
}

impl Default for ItGlueClientBuilder {
    fn default() -> Self {
        Self {
            options: ClientOptions::new(),
            api_key: None,
            page_size: MAX_PAGE_SIZE,
        }
    }
}

impl ItGlueClientBuilder {
    /// The data centre (default US): sets the base URL to the region's.
    pub fn region(self, region: Region) -> Self {
        self.base_url(region.base_url())
    }

    /// An explicit base URL (a gateway, a proxy, a local fake). HTTPS is required except for
    /// loopback addresses. The same as [`ClientOptions::base_url`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.options = self.options.base_url(url);
        self
    }

    /// The API key, sent as `x-api-key` (required).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The options shared by every client: what `options` sets replaces what was set before
    /// (the base URL included), what it leaves unset stays. Defaults: 3000 requests per 5
    /// minutes (IT Glue's limit, shared by the client's clones), 120 s per attempt, 10 s to
    /// connect, [`RetryPolicy::default`](crate::RetryPolicy::default) for reads and updates
    /// (creates are never retried).
    pub fn options(mut self, options: ClientOptions) -> Self {
        self.options = self.options.merge(options);
        self
    }

    /// The page size lists start with (1 to 1000, default 1000); halved for a page IT Glue
    /// says took too long.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Builds the client; fails on a missing or empty key, a refused URL, or a page size
    /// outside 1–1000.
    pub fn build(self) -> Result<ItGlueClient, Error> {
        let api_key = self
            .api_key
            .filter(|key| !key.expose_secret().trim().is_empty())
            .ok_or_else(|| {
                msp_transport::Error::InvalidConfig("an IT Glue API key is required".into())
            })?;
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::InvalidArgument(format!(
                "the page size must be between 1 and {MAX_PAGE_SIZE}, not {}",
                self.page_size
            )));
        }
        let base = BaseUrl::parse(
            self.options
                .get_base_url()
                .unwrap_or_else(|| Region::default().base_url()),
        )?;
        let (requests, per) = DEFAULT_RATE_LIMIT;
        let limiter = self.options.limiter_or(RateLimit::new(requests, per)?);
        let http = HttpClient::builder("itglue")
            .timeout(Some(DEFAULT_TIMEOUT))
            .options(&self.options)
            .rate_limiter(limiter.clone())
            .build()?;
        Ok(ItGlueClient {
            inner: Arc::new(Inner {
                http,
                base,
                api_key,
                page_size: self.page_size,
                limiter,
            }),
        })
    }
}

/// A client of the IT Glue API. Cheap to clone; clones share the connection pool, the rate
/// limiter and the retry budget.
///
/// ```no_run
/// # async fn run() -> Result<(), itglue_client::Error> {
/// use itglue_client::{ItGlueClient, OrganizationFilter, Region, Secret};
///
/// let client = ItGlueClient::builder()
///     .region(Region::Us)
///     .api_key(Secret::new(std::env::var("ITGLUE_API_KEY").unwrap_or_default()))
///     .build()?;
/// let organizations = client
///     .list_organizations(&OrganizationFilter::new())
///     .collect_all()
///     .await?;
/// println!("{} organizations", organizations.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ItGlueClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    base: BaseUrl,
    api_key: Secret,
    page_size: u32,
    limiter: RateLimiter,
}

impl std::fmt::Debug for ItGlueClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueClient")
            .field("base_url", &self.inner.base.url().as_str())
            .field("page_size", &self.inner.page_size)
            .finish_non_exhaustive()
    }
}

impl ItGlueClient {
    /// Starts building a client.
    pub fn builder() -> ItGlueClientBuilder {
        ItGlueClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &url::Url {
        self.inner.base.url()
    }

    /// The page size lists start with.
    pub fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    /// The client-side rate limit every request (of every clone) waits for.
    pub fn rate_limit(&self) -> RateLimit {
        self.inner.limiter.limit()
    }

    /// Every resource of a list route, page by page.
    pub(crate) fn list<A>(
        &self,
        path: String,
        query: Vec<(String, String)>,
    ) -> PageStream<Resource<A>>
    where
        A: ResourceAttributes + Send + 'static,
    {
        self.list_with(path, query, |document: Document<Vec<Resource<A>>>| {
            Ok(document.data)
        })
    }

    /// Every item of a list route, page by page, each page's document turned into items by
    /// `convert` (for lists that resolve `included` resources).
    pub(crate) fn list_with<D, T, C>(
        &self,
        path: String,
        query: Vec<(String, String)>,
        convert: C,
    ) -> PageStream<T>
    where
        D: DeserializeOwned + Send + 'static,
        T: Send + 'static,
        C: Fn(Document<D>) -> Result<Vec<T>, Error> + Send + Sync + 'static,
    {
        let client = self.clone();
        let convert = Arc::new(convert);
        paginate(self.inner.page_size, move |page| {
            let client = client.clone();
            let path = path.clone();
            let convert = Arc::clone(&convert);
            let mut query = query.clone();
            query.extend(page.to_query());
            async move {
                let document: Document<D> = client.get_document(&path, &query).await?;
                let meta = document.meta.clone();
                let items = convert(document)?;
                Ok(Page { items, meta })
            }
        })
    }

    /// `GET path?query` decoded as a JSON:API document.
    pub(crate) async fn get_document<D: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(String, String)],
    ) -> Result<Document<D>, Error> {
        let url = self.inner.base.join(path)?;
        let request = self
            .inner
            .http
            .request(Method::GET, url)
            .secret_header("x-api-key", &self.inner.api_key)
            .header("accept", JSON_API)
            .query(query);
        let response = self.inner.http.send(request).await?;
        decode(&response)
    }

    /// Sends a write (`POST` or `PATCH`) with a JSON:API body and decodes the answer. Creates
    /// (`retry = false`) are sent once; updates may be retried, as setting the same
    /// attributes twice is harmless.
    pub(crate) async fn write_document<B: Serialize, D: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        data: &B,
        retry: bool,
    ) -> Result<Document<D>, Error> {
        let url = self.inner.base.join(path)?;
        let request = self
            .inner
            .http
            .request(method, url)
            .secret_header("x-api-key", &self.inner.api_key)
            .header("accept", JSON_API)
            .json_as(&WriteDocument { data }, JSON_API)
            .idempotent(retry);
        let response = self.inner.http.send(request).await?;
        decode(&response)
    }
}

impl From<IncludedError> for Error {
    fn from(error: IncludedError) -> Self {
        Error::Transport(msp_transport::Error::Decode {
            path: error.path,
            message: error.message,
        })
    }
}

/// A successful answer decoded (the failing JSON path named), any other turned into an
/// [`Error`].
fn decode<D: DeserializeOwned>(response: &Response) -> Result<Document<D>, Error> {
    if !response.is_success() {
        return Err(Error::from_response(response));
    }
    Ok(response.json::<Document<D>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_region_has_its_documented_base_url() {
        assert_eq!(Region::Us.base_url(), "https://api.itglue.com");
        assert_eq!(Region::Eu.base_url(), "https://api.eu.itglue.com");
        assert_eq!(Region::Au.base_url(), "https://api.au.itglue.com");
    }

    #[test]
    fn a_client_needs_a_non_empty_key() {
        assert!(ItGlueClient::builder().build().is_err());
        assert!(
            ItGlueClient::builder()
                .api_key(Secret::new("  "))
                .build()
                .is_err()
        );
    }

    #[test]
    fn page_sizes_outside_one_to_a_thousand_are_refused() {
        let builder = ItGlueClient::builder().api_key(Secret::new("ITG.key"));
        assert!(builder.clone().page_size(0).build().is_err());
        assert!(builder.clone().page_size(1001).build().is_err());
        assert!(builder.page_size(1000).build().is_ok());
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        let builder = ItGlueClient::builder().api_key(Secret::new("ITG.key"));
        assert!(
            builder
                .clone()
                .base_url("http://api.itglue.com")
                .build()
                .is_err()
        );
        assert!(builder.base_url("http://127.0.0.1:9").build().is_ok());
    }

    #[test]
    fn the_default_rate_limit_is_it_glues_3000_per_5_minutes() {
        let client = ItGlueClient::builder()
            .api_key(Secret::new("ITG.key"))
            .build()
            .unwrap();
        assert_eq!(client.rate_limit().requests(), 3000);
        assert_eq!(client.rate_limit().per(), Duration::from_secs(300));
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let client = ItGlueClient::builder()
            .api_key(Secret::new("ITG.very-secret"))
            .build()
            .unwrap();
        assert!(!format!("{client:?}").contains("very-secret"));
    }
}
