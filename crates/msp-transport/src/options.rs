//! The options every vendor client's builder takes alike: where to send requests, as whom, how
//! long to wait, how hard to retry, and how fast to go.

use std::time::Duration;

use crate::client::HttpClientBuilder;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::retry::RetryPolicy;

/// The options shared by the three vendor clients' builders (`.options(…)` on each), so code
/// that tunes one client tunes any of them the same way. Every option is optional: what is not
/// set keeps the vendor client's default (its documented rate limit, its timeout), and the
/// vendor's own settings (Datto RMM's platform, IT Glue's region, GravityZone's per-method
/// limits, the credentials) stay on the vendor's builder.
///
/// The options hold no secret; their `Debug` leaves out any user name or password a base URL
/// was given with (the clients refuse such a URL anyway).
///
/// ```
/// use std::time::Duration;
/// use msp_transport::{ClientOptions, RateLimit, RateLimiter, RetryPolicy};
///
/// // One limiter for every client of the same account: clones share its budget.
/// let shared = RateLimiter::new(RateLimit::per_minute(600).unwrap());
/// let options = ClientOptions::new()
///     .user_agent("acme-sync/1.0")
///     .timeout(Some(Duration::from_secs(30)))
///     .connect_timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::default().max_attempts(4))
///     .rate_limiter(shared);
/// assert_eq!(options.get_user_agent(), Some("acme-sync/1.0"));
/// assert_eq!(options.get_timeout(), Some(Some(Duration::from_secs(30))));
/// assert!(options.get_base_url().is_none(), "the vendor's default URL stays");
/// ```
#[derive(Clone, Default)]
pub struct ClientOptions {
    base_url: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Option<Duration>>,
    connect_timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    rate_limit: Option<RateLimit>,
    rate_limiter: Option<RateLimiter>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("base_url", &self.base_url.as_deref().map(without_userinfo))
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limiter", &self.rate_limiter)
            .finish()
    }
}

/// `scheme://user:password@host/…` printed as `scheme://[REDACTED]@host/…`.
fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}@{}", crate::REDACTED, &rest[at + 1..]),
        None => url.to_owned(),
    }
}

impl ClientOptions {
    /// No option set: every client keeps its defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API's base URL, instead of the one the vendor's region or platform gives (a proxy,
    /// a gateway, a local fake). HTTPS is required except for loopback addresses; the client
    /// checks it when it is built.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The `User-Agent` header (default `msp-sync/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// The total timeout of one attempt (the client's default when unset: 60 s, IT Glue
    /// 120 s). `None` runs without a timer of the client's own, which tests on tokio's paused
    /// clock need.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// The client-side limit on every request of the client and its clones, instead of the
    /// vendor's documented one. Ignored when [`Self::rate_limiter`] is set.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// A limiter every request waits for, shared with whatever else holds a clone of it (for
    /// example two clients of one account, whose limit is per account). Wins over
    /// [`Self::rate_limit`].
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// These options with every option `other` sets taken from `other` (what a client
    /// builder's `.options(…)` does, so a vendor setting made before it stays unless `other`
    /// sets the same option).
    ///
    /// ```
    /// use std::time::Duration;
    /// use msp_transport::ClientOptions;
    /// let merged = ClientOptions::new()
    ///     .base_url("https://api.eu.itglue.com")
    ///     .timeout(Some(Duration::from_secs(5)))
    ///     .merge(ClientOptions::new().user_agent("acme").timeout(None));
    /// assert_eq!(merged.get_base_url(), Some("https://api.eu.itglue.com"));
    /// assert_eq!(merged.get_user_agent(), Some("acme"));
    /// assert_eq!(merged.get_timeout(), Some(None));
    /// ```
    pub fn merge(self, other: ClientOptions) -> Self {
        Self {
            base_url: other.base_url.or(self.base_url),
            user_agent: other.user_agent.or(self.user_agent),
            timeout: other.timeout.or(self.timeout),
            connect_timeout: other.connect_timeout.or(self.connect_timeout),
            retry_policy: other.retry_policy.or(self.retry_policy),
            rate_limit: other.rate_limit.or(self.rate_limit),
            rate_limiter: other.rate_limiter.or(self.rate_limiter),
        }
    }

    /// The base URL, when set.
    pub fn get_base_url(&self) -> Option<&str> {
        self.base_url.as_deref()
    }

    /// The user agent, when set.
    pub fn get_user_agent(&self) -> Option<&str> {
        self.user_agent.as_deref()
    }

    /// The timeout of one attempt, when set (`Some(None)`: no timeout).
    pub fn get_timeout(&self) -> Option<Option<Duration>> {
        self.timeout
    }

    /// The connect timeout, when set.
    pub fn get_connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// The retry policy, when set.
    pub fn get_retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry_policy.as_ref()
    }

    /// The rate limit, when set.
    pub fn get_rate_limit(&self) -> Option<RateLimit> {
        self.rate_limit
    }

    /// The shared limiter, when set.
    pub fn get_rate_limiter(&self) -> Option<&RateLimiter> {
        self.rate_limiter.as_ref()
    }

    /// The limiter these options ask for: the shared one, else a new one of the rate limit
    /// set, else none (the client keeps its vendor's).
    pub fn limiter(&self) -> Option<RateLimiter> {
        self.rate_limiter
            .clone()
            .or_else(|| self.rate_limit.map(RateLimiter::new))
    }

    /// The limiter these options ask for, else a new one enforcing the vendor's `default`.
    ///
    /// ```
    /// use msp_transport::{ClientOptions, RateLimit};
    /// let vendor = RateLimit::per_minute(600).unwrap();
    /// assert_eq!(ClientOptions::new().limiter_or(vendor).limit(), vendor);
    /// let mine = RateLimit::per_second(2).unwrap();
    /// assert_eq!(ClientOptions::new().rate_limit(mine).limiter_or(vendor).limit(), mine);
    /// ```
    pub fn limiter_or(&self, default: RateLimit) -> RateLimiter {
        self.limiter().unwrap_or_else(|| RateLimiter::new(default))
    }
}

impl HttpClientBuilder {
    /// Applies every option `options` sets (user agent, timeouts, retry policy, the limiter);
    /// what it leaves unset keeps this builder's value. The base URL is the vendor client's
    /// business ([`ClientOptions::get_base_url`]).
    ///
    /// ```
    /// use msp_transport::{ClientOptions, HttpClient};
    /// let http = HttpClient::builder("example")
    ///     .options(&ClientOptions::new().user_agent("acme/1.0").timeout(None))
    ///     .build()
    ///     .unwrap();
    /// # let _ = http;
    /// ```
    pub fn options(mut self, options: &ClientOptions) -> Self {
        if let Some(agent) = &options.user_agent {
            self = self.user_agent(agent.clone());
        }
        if let Some(timeout) = options.timeout {
            self = self.timeout(timeout);
        }
        if let Some(timeout) = options.connect_timeout {
            self = self.connect_timeout(timeout);
        }
        if let Some(policy) = &options.retry_policy {
            self = self.retry_policy(policy.clone());
        }
        if let Some(limiter) = options.limiter() {
            self = self.rate_limiter(limiter);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_leaves_out_the_credentials_of_a_base_url() {
        let options =
            ClientOptions::new().base_url("https://admin:hunter2@api.example.com/v1?x=a@b");
        let printed = format!("{options:?}");
        assert!(
            !printed.contains("hunter2") && !printed.contains("admin"),
            "{printed}"
        );
        assert!(
            printed.contains("https://[REDACTED]@api.example.com/v1?x=a@b"),
            "{printed}"
        );
        let plain = ClientOptions::new().base_url("https://api.example.com/a@b");
        assert!(format!("{plain:?}").contains("https://api.example.com/a@b"));
    }

    #[test]
    fn a_shared_limiter_wins_over_a_rate_limit() {
        let shared = RateLimiter::new(RateLimit::per_second(3).unwrap());
        let options = ClientOptions::new()
            .rate_limit(RateLimit::per_second(7).unwrap())
            .rate_limiter(shared);
        assert_eq!(options.limiter().unwrap().limit().requests(), 3);
        assert!(ClientOptions::new().limiter().is_none());
    }

    #[test]
    fn merge_keeps_what_the_other_leaves_unset() {
        let policy = RetryPolicy::default().max_attempts(2);
        let merged = ClientOptions::new()
            .retry_policy(policy.clone())
            .connect_timeout(Duration::from_secs(1))
            .rate_limit(RateLimit::per_second(1).unwrap())
            .merge(ClientOptions::new().connect_timeout(Duration::from_secs(2)));
        assert_eq!(merged.get_retry_policy(), Some(&policy));
        assert_eq!(merged.get_connect_timeout(), Some(Duration::from_secs(2)));
        assert_eq!(merged.get_rate_limit().unwrap().requests(), 1);
        assert!(merged.get_user_agent().is_none());
    }
}
