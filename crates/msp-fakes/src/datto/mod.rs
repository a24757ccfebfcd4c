//! A stateful fake of the Datto RMM REST API v2.
//!
//! What it does, from Datto's OpenAPI document and the research notes in `shared/api`:
//! - `POST /auth/oauth/token` (outside `/api`): the OAuth password grant with the fixed public
//!   client `public-client:public`; wrong credentials answer `401`; tokens expire after the
//!   configured lifetime (Datto: 100 hours) on the fake's clock, which a test can move forward
//!   ([`DattoFake::advance_clock`]) or invalidate ([`DattoFake::revoke_tokens`]).
//! - Every `/api/v2` route needs a valid bearer token (except `system/status`), else `401`.
//! - Lists use Datto's page envelope: `page` from 0, `max` clamped to the page-size cap (250),
//!   absolute `nextPageUrl`s on the request's host, `null` on the last page (or `""`, and links
//!   that drop the filters, as opt-in quirks).
//! - Sites (list with `siteName` filter, get, create, update), devices of the account (with
//!   `hostname`, `deviceType`, `operatingSystem`, `siteName` filters) and of a site, device by
//!   uid, id and MAC address, device audits (`400` for devices not of class `device`), a site's
//!   network interfaces, site and account variables with body-less writes (a created variable
//!   shows in the next list; masked values come back masked), `account`, `system/status`,
//!   `system/request_rate`, `system/pagination`.
//! - The rate limit: a rolling window per account (reads, writes, each write operation);
//!   past it `429` with `Retry-After`, and a client that keeps going gets a temporary `403`.
//! - Everything the harness adds: request log, fault injection, catch-all for unknown routes.
//!
//! ```no_run
//! use msp_fakes::datto::{DattoFake, DattoFakeConfig};
//! use msp_fakes::msp::{GeneratedMsp, MspSize};
//!
//! # async fn run() {
//! let fake = DattoFake::start(DattoFakeConfig::new(GeneratedMsp::generate(1, MspSize::Small))).await;
//! println!("API URL {}, key {}", fake.uri(), fake.config().api_key);
//! assert_eq!(fake.log().count("POST", "/auth/oauth/token"), 0);
//! # }
//! ```

mod auth;
mod paging;
mod routes;
mod state;
#[cfg(test)]
mod tests;
mod throttle;
mod wire;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{Request, ResponseTemplate};

use crate::harness::{FakeServer, Faults, Handler, RequestLog, json_response};
use crate::msp::GeneratedMsp;

pub use paging::MissingPageLink;
pub use state::{FakeDevice, FakeSite, FakeVariable};
pub use throttle::FakeRateLimit;
pub use wire::{MASK, UDF_COUNT};

use auth::{Grant, Tokens};
use routes::Route;
use state::Account;
use throttle::{Throttle, Verdict};

/// How the fake is set up. Every field can also be changed while it runs. `Debug` leaves the
/// secret out.
#[derive(Clone)]
pub struct DattoFakeConfig {
    /// The account's data.
    pub msp: GeneratedMsp,
    /// The API key the token endpoint accepts (the OAuth `username`).
    pub api_key: String,
    /// The API secret key the token endpoint accepts (the OAuth `password`).
    pub api_secret: String,
    /// How long a token lives (Datto: 100 hours); sent as `expires_in`.
    pub token_lifetime: Duration,
    /// The page-size cap `max` is clamped to (Datto: 250).
    pub max_page_size: usize,
    /// `null` or `""` for missing page links.
    pub missing_page_link: MissingPageLink,
    /// Leave the filters out of `nextPageUrl` (a defect reported for the live API).
    pub drop_filters_in_next_page_url: bool,
    /// The rate limit, `None` for no limit.
    pub rate_limit: Option<FakeRateLimit>,
}

impl std::fmt::Debug for DattoFakeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DattoFakeConfig")
            .field("api_key", &self.api_key)
            .field("api_secret", &"[REDACTED]")
            .field("token_lifetime", &self.token_lifetime)
            .field("max_page_size", &self.max_page_size)
            .field("missing_page_link", &self.missing_page_link)
            .field(
                "drop_filters_in_next_page_url",
                &self.drop_filters_in_next_page_url,
            )
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl DattoFakeConfig {
    /// The defaults Datto documents, serving `msp`, with the key `FAKEAPIKEY…` and the secret
    /// `FAKEAPISECRET…`.
    pub fn new(msp: GeneratedMsp) -> Self {
        DattoFakeConfig {
            msp,
            api_key: "FAKEAPIKEY0000000000000000000001".to_owned(),
            api_secret: "FAKEAPISECRET0000000000000000001".to_owned(),
            token_lifetime: Duration::from_secs(100 * 3600),
            max_page_size: 250,
            missing_page_link: MissingPageLink::Null,
            drop_filters_in_next_page_url: false,
            rate_limit: Some(FakeRateLimit::default()),
        }
    }
}

#[derive(Clone)]
pub(crate) struct Settings {
    api_key: String,
    api_secret: String,
    token_lifetime: Duration,
    max_page_size: usize,
    missing_page_link: MissingPageLink,
    drop_filters_in_next_page_url: bool,
    rate_limit: Option<FakeRateLimit>,
}

pub(crate) struct Inner {
    account: Account,
    settings: Settings,
    tokens: Tokens,
    throttle: Throttle,
    clock_offset: Duration,
    base_uri: Option<String>,
    started_iso: String,
    seed: u64,
}

impl Inner {
    fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// The scheme and host page links are built on: the request's `Host` (as a real server
    /// does), else the address the fake was started on.
    fn origin(&self, request: &Request) -> String {
        match request.headers.get("host").and_then(|h| h.to_str().ok()) {
            Some(host) => format!("http://{host}"),
            None => self
                .base_uri
                .clone()
                .unwrap_or_else(|| "http://localhost".to_owned()),
        }
    }

    fn token_endpoint(&mut self, request: &Request) -> ResponseTemplate {
        let now = self.now();
        let lifetime = self.settings.token_lifetime;
        let seed = self.seed;
        let tokens = &mut self.tokens;
        match auth::grant(
            request,
            &self.settings.api_key,
            &self.settings.api_secret,
            || tokens.issue(now, lifetime, seed),
            lifetime,
        ) {
            Grant::Issued(body) => json_response(200, &body),
            Grant::Rejected { status, body } => json_response(status, &body),
        }
    }

    fn api(&mut self, route: &Route<'_>, request: &Request) -> ResponseTemplate {
        let now = self.now();
        let path = request.url.path();
        if *route != Route::Status {
            let authorised = auth::bearer(request).is_some_and(|t| self.tokens.is_valid(t, now));
            if !authorised {
                return json_response(
                    401,
                    &json!({"error": "invalid_token", "error_description": "Request can not be authorized."}),
                );
            }
        }
        let mut slow = false;
        if let Some(limit) = self.settings.rate_limit.clone()
            && *route != Route::Status
        {
            match self.throttle.check(&limit, now, route.write_operation()) {
                Verdict::Allow { slow: s } => slow = s,
                Verdict::TooMany { retry_after } => {
                    return error(429, "Too Many Requests: request rate limit exceeded", path)
                        .insert_header("retry-after", whole_seconds(retry_after).as_str());
                }
                Verdict::Blocked { remaining } => {
                    return ResponseTemplate::new(403)
                        .insert_header("retry-after", whole_seconds(remaining).as_str())
                        .set_body_string("403 Forbidden: request blocked (rate limit exceeded)");
                }
            }
        }
        let origin = self.origin(request);
        let answer = self.answer(route, request, &origin, now);
        if slow {
            answer.set_delay(Duration::from_secs(1))
        } else {
            answer
        }
    }
}

/// A `Retry-After` value: whole seconds, rounded up so a client never comes back too early.
fn whole_seconds(wait: Duration) -> String {
    wait.as_secs_f64().ceil().max(1.0).to_string()
}

/// A Spring-style error body (Datto's real error bodies are undocumented; clients must treat
/// them as opaque).
pub(crate) fn error(status: u16, message: &str, path: &str) -> ResponseTemplate {
    let reason = match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        _ => "Error",
    };
    json_response(
        status,
        &json!({
            "timestamp": "2025-06-15T00:00:00.000+00:00",
            "status": status,
            "error": reason,
            "message": message,
            "path": path,
        }),
    )
}

/// The fake's state, shared by the running server and the test (clones share it).
///
/// It implements [`Handler`]; [`DattoFake::start`] mounts it on a [`FakeServer`].
#[derive(Clone)]
pub struct DattoHandler {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for DattoHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DattoHandler").finish_non_exhaustive()
    }
}

impl DattoHandler {
    /// The state for `config`, not yet serving.
    pub fn new(config: DattoFakeConfig) -> Self {
        let account = Account::from_msp(&config.msp);
        let inner = Inner {
            account,
            settings: Settings {
                api_key: config.api_key,
                api_secret: config.api_secret,
                token_lifetime: config.token_lifetime,
                max_page_size: config.max_page_size.max(1),
                missing_page_link: config.missing_page_link,
                drop_filters_in_next_page_url: config.drop_filters_in_next_page_url,
                rate_limit: config.rate_limit,
            },
            tokens: Tokens::default(),
            throttle: Throttle::default(),
            clock_offset: Duration::ZERO,
            base_uri: None,
            started_iso: "2025-06-01T04:00:00Z".to_owned(),
            seed: config.msp.seed,
        };
        DattoHandler {
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Handler for DattoHandler {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let path = request.url.path();
        let method = request.method.as_str();
        if path == "/auth/oauth/token" {
            return (method == "POST").then(|| self.lock().token_endpoint(request));
        }
        let rest = path.strip_prefix("/api/v2/")?;
        let route = Route::parse(method, rest)?;
        Some(self.lock().api(&route, request))
    }
}

/// A running Datto RMM fake: the server and direct access to its state.
///
/// The accessors read and change the state "out of band", the way a technician in Datto's web
/// UI would (add a site, rename it, move a device, expire tokens).
#[derive(Debug)]
pub struct DattoFake {
    handler: DattoHandler,
    server: FakeServer,
    config: DattoFakeConfig,
}

impl DattoFake {
    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start(config: DattoFakeConfig) -> DattoFake {
        Self::start_with(config, None).await
    }

    /// Starts the fake on `listener` (bound by the caller, e.g. to a fixed port).
    pub async fn start_on(config: DattoFakeConfig, listener: std::net::TcpListener) -> DattoFake {
        Self::start_with(config, Some(listener)).await
    }

    async fn start_with(
        config: DattoFakeConfig,
        listener: Option<std::net::TcpListener>,
    ) -> DattoFake {
        let handler = DattoHandler::new(config.clone());
        let server = match listener {
            Some(listener) => FakeServer::start_on(handler.clone(), listener).await,
            None => FakeServer::start(handler.clone()).await,
        };
        handler.lock().base_uri = Some(server.uri());
        DattoFake {
            handler,
            server,
            config,
        }
    }

    /// The API URL a client is configured with: the host root, e.g. `http://127.0.0.1:4711`
    /// (REST paths live under `/api`, the token endpoint at `/auth/oauth/token`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The configuration it was started with (credentials included).
    pub fn config(&self) -> &DattoFakeConfig {
        &self.config
    }

    /// The server (request log, faults, unexpected requests).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// The request log.
    pub fn log(&self) -> &RequestLog {
        self.server.log()
    }

    /// The fault injector.
    pub fn faults(&self) -> &Faults {
        self.server.faults()
    }

    /// The shared state (a [`Handler`]), e.g. to mount it on another server.
    pub fn handler(&self) -> &DattoHandler {
        &self.handler
    }

    /// The account uid.
    pub fn account_uid(&self) -> String {
        self.handler.lock().account.uid.clone()
    }

    /// How many tokens the token endpoint has issued.
    pub fn tokens_issued(&self) -> u64 {
        self.handler.lock().tokens.issued_count()
    }

    /// Makes every issued token invalid (the next API call with one answers `401`).
    pub fn revoke_tokens(&self) {
        self.handler.lock().tokens.revoke_all();
    }

    /// Moves the fake's clock forward: tokens expire, rate-limit windows move on.
    pub fn advance_clock(&self, by: Duration) {
        self.handler.lock().clock_offset += by;
    }

    /// Accepts only these credentials from now on (as after a key reset in Datto).
    pub fn set_credentials(&self, api_key: &str, api_secret: &str) {
        let mut inner = self.handler.lock();
        inner.settings.api_key = api_key.to_owned();
        inner.settings.api_secret = api_secret.to_owned();
    }

    /// Changes the page-size cap `max` is clamped to.
    pub fn set_max_page_size(&self, max: usize) {
        self.handler.lock().settings.max_page_size = max.max(1);
    }

    /// Writes missing page links as `null` or `""`.
    pub fn set_missing_page_link(&self, style: MissingPageLink) {
        self.handler.lock().settings.missing_page_link = style;
    }

    /// Leaves (or stops leaving) the filters out of `nextPageUrl`.
    pub fn set_drop_filters_in_next_page_url(&self, drop: bool) {
        self.handler.lock().settings.drop_filters_in_next_page_url = drop;
    }

    /// Changes the rate limit (`None`: unlimited) and forgets the requests counted so far.
    pub fn set_rate_limit(&self, limit: Option<FakeRateLimit>) {
        let mut inner = self.handler.lock();
        inner.settings.rate_limit = limit;
        inner.throttle.reset();
    }

    /// Every site, in list order.
    pub fn sites(&self) -> Vec<FakeSite> {
        self.handler.lock().account.sites.clone()
    }

    /// The site with this uid.
    pub fn site(&self, uid: &str) -> Option<FakeSite> {
        self.handler.lock().account.site(uid).cloned()
    }

    /// Adds a site (as if created in the web UI).
    pub fn add_site(&self, site: FakeSite) {
        self.handler.lock().account.sites.push(site);
    }

    /// Renames a site; false when there is no such site.
    pub fn rename_site(&self, uid: &str, name: &str) -> bool {
        let mut inner = self.handler.lock();
        match inner.account.site_mut(uid) {
            Some(site) => {
                site.name = name.to_owned();
                true
            }
            None => false,
        }
    }

    /// Deletes a site with its devices and variables; false when there is no such site.
    pub fn remove_site(&self, uid: &str) -> bool {
        let mut inner = self.handler.lock();
        let before = inner.account.sites.len();
        inner.account.sites.retain(|s| s.uid != uid);
        inner.account.devices.retain(|d| d.site_uid != uid);
        inner.account.site_variables.remove(uid);
        inner.account.sites.len() != before
    }

    /// Every device, in list order.
    pub fn devices(&self) -> Vec<FakeDevice> {
        self.handler.lock().account.devices.clone()
    }

    /// The devices of one site.
    pub fn devices_of(&self, site_uid: &str) -> Vec<FakeDevice> {
        self.handler
            .lock()
            .account
            .devices_of(site_uid)
            .cloned()
            .collect()
    }

    /// Adds a device.
    pub fn add_device(&self, device: FakeDevice) {
        self.handler.lock().account.devices.push(device);
    }

    /// Moves a device to another site; false when either is unknown.
    pub fn move_device(&self, device_uid: &str, site_uid: &str) -> bool {
        let mut inner = self.handler.lock();
        if inner.account.site(site_uid).is_none() {
            return false;
        }
        match inner
            .account
            .devices
            .iter_mut()
            .find(|d| d.uid == device_uid)
        {
            Some(device) => {
                device.site_uid = site_uid.to_owned();
                true
            }
            None => false,
        }
    }

    /// Deletes a device; false when there is no such device.
    pub fn remove_device(&self, uid: &str) -> bool {
        let mut inner = self.handler.lock();
        let before = inner.account.devices.len();
        inner.account.devices.retain(|d| d.uid != uid);
        inner.account.devices.len() != before
    }

    /// Sets a udf of a device (`None` clears it).
    pub fn set_device_udf(&self, device_uid: &str, udf: u16, value: Option<&str>) -> bool {
        let mut inner = self.handler.lock();
        match inner
            .account
            .devices
            .iter_mut()
            .find(|d| d.uid == device_uid)
        {
            Some(device) => {
                match value {
                    Some(v) => device.udfs.insert(udf, v.to_owned()),
                    None => device.udfs.remove(&udf),
                };
                true
            }
            None => false,
        }
    }

    /// The variables of a site, with their real (unmasked) values.
    pub fn site_variables(&self, site_uid: &str) -> Vec<FakeVariable> {
        self.handler
            .lock()
            .account
            .site_variables
            .get(site_uid)
            .cloned()
            .unwrap_or_default()
    }

    /// Sets a site variable out of band (creates it when the name is new); returns its id.
    pub fn set_site_variable(&self, site_uid: &str, name: &str, value: &str, masked: bool) -> i64 {
        let mut inner = self.handler.lock();
        let id = inner.account.new_variable_id();
        let variables = inner
            .account
            .site_variables
            .entry(site_uid.to_owned())
            .or_default();
        match variables.iter_mut().find(|v| v.name == name) {
            Some(existing) => {
                existing.value = value.to_owned();
                existing.id
            }
            None => {
                variables.push(FakeVariable {
                    id,
                    name: name.to_owned(),
                    value: value.to_owned(),
                    masked,
                });
                id
            }
        }
    }

    /// The account variables, with their real values.
    pub fn account_variables(&self) -> Vec<FakeVariable> {
        self.handler.lock().account.account_variables.clone()
    }

    /// Every site's variables, by site uid.
    pub fn all_site_variables(&self) -> BTreeMap<String, Vec<FakeVariable>> {
        self.handler.lock().account.site_variables.clone()
    }
}
