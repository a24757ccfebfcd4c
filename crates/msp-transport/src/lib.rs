//! Shared HTTP machinery for the vendor clients of the msp-sync workspace (Datto RMM,
//! GravityZone, IT Glue), written once:
//!
//! - [`Secret`]: API keys, secrets and tokens that never print;
//! - [`BaseUrl`]: HTTPS required, plain HTTP only for loopback fakes; certificate validation
//!   always on;
//! - [`HttpClient`]: connect and total timeouts, retries decided by one pure (and unit-tested)
//!   function of the policy, the [`RequestKind`], the outcome, the attempt and the time spent
//!   (429/502/503/504, connection failures and timeouts for idempotent requests; `Retry-After` in seconds or as an HTTP date; exponential backoff with jitter,
//!   capped; a limit on attempts and on total time), a shared [`RetryBudget`], a client-side
//!   [`RateLimiter`], a cap on body size and a `tracing` span per request that never carries a
//!   secret;
//! - one typed [`Error`] whose JSON decode failures name the path and whose transport failures
//!   say whether the request may have been sent;
//! - [`ClientOptions`]: the options every vendor client's builder takes alike (base URL, user
//!   agent, timeouts, retry policy, a rate limit or a shared [`RateLimiter`]);
//! - [`PageStream`]: the one lazy page stream every client's `list_*` returns, ending with the
//!   error when a page fails, with a `collect_all` that never returns a partial list;
//! - [`string_id!`] and [`numeric_id!`]: the two shapes of a vendor's typed id (an opaque string,
//!   an integer sent as a number or a string of digits), failing to parse with one
//!   [`ParseIdError`].
//!
//! ```no_run
//! # async fn run() -> Result<(), msp_transport::Error> {
//! use msp_transport::{BaseUrl, HttpClient, RateLimit, RateLimiter, Secret};
//!
//! let base = BaseUrl::parse("https://api.itglue.com")?;
//! let http = HttpClient::builder("itglue")
//!     .rate_limiter(RateLimiter::new(RateLimit::new(3000, std::time::Duration::from_secs(300))?))
//!     .build()?;
//! let key = Secret::new(std::env::var("ITGLUE_API_KEY").unwrap_or_default());
//! let request = http
//!     .request(reqwest::Method::GET, base.join("organizations")?)
//!     .secret_header("x-api-key", &key)
//!     .query(&[("page[size]", "100")]);
//! let organizations: serde_json::Value = http.send(request).await?.error_for_status()?.json()?;
//! # let _ = organizations; Ok(()) }
//! ```

mod client;
mod error;
mod id;
mod options;
mod page_stream;
mod rate_limit;
mod response;
mod retry;
mod secret;
mod url_policy;

pub use client::{DEFAULT_MAX_BODY, HttpClient, HttpClientBuilder, Request};
pub use error::{ClientError, Error, TransportErrorKind};
#[doc(hidden)]
pub use id::__private;
pub use id::ParseIdError;
pub use options::ClientOptions;
pub use page_stream::PageStream;
pub use rate_limit::{RateLimit, RateLimiter};
pub use response::{Response, decode_json};
pub use retry::{
    DEFAULT_READ_ATTEMPTS, DEFAULT_WRITE_ATTEMPTS, RequestKind, RetryBudget, RetryPolicy,
};
pub use secret::{REDACTED, Secret};
pub use url_policy::{BaseUrl, check_url, is_loopback};

/// The HTTP method type used by [`HttpClient::request`] (re-exported from `reqwest`).
pub use reqwest::Method;
/// The URL type used throughout (re-exported from `url`).
pub use url::Url;
