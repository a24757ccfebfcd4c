//! A stateful fake of the IT Glue REST API (JSON:API), built from IT Glue's documentation
//! (`shared/api/itglue.md`).
//!
//! It keeps organizations, configurations, configuration interfaces and the four type/status
//! lists, and answers as IT Glue does:
//!
//! - `x-api-key` is required (missing: 401, wrong: 403); bodies must be
//!   `application/vnd.api+json` (else 415);
//! - lists honour the documented filters (a bare comma separates values, `\,` is a comma inside
//!   one), sort, `include=configuration_interfaces`, and page with `page[number]`/`page[size]`
//!   (1–1000, default 50) and `meta`/`links`; an unknown filter is a 400; filters on the nested
//!   `/organizations/:id/relationships/configurations` route are ignored, as IT Glue says;
//! - creates check the required attributes (422 naming each with its pointer, e.g.
//!   `/data/attributes/configuration-type` "must exist"); bulk creates take the nested route;
//!   a configuration update carrying `relationships` is a 422; PSA-synced records refuse most
//!   changes;
//! - past the rate limit (3000 requests in 5 minutes unless set otherwise) it answers 429;
//!   lists with pages larger than a set size can answer "The request took too long to process
//!   and timed out."; a wrong URL answers IT Glue's HTML 404 page.
//!
//! Request counts and fault injection come from the [`FakeServer`] it runs on.
//!
//! ```no_run
//! use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
//!
//! # async fn run() {
//! let fake = ItGlueFake::start(ItGlueFakeConfig::new("ITG.test-key")).await;
//! let org = fake.add_organization("Happy Frog");
//! let laptop = fake.add_configuration(org, "HF-LT-01");
//! fake.modify_configuration(laptop, |c| c.serial_number = Some("C03R3LT7THV8".into()));
//! println!("IT Glue fake on {}", fake.uri());
//! # }
//! ```

mod body;
mod configurations;
mod errors;
mod generate;
mod interfaces;
mod models;
mod organizations;
mod planted;
mod query;
mod render;
mod routes;
mod state;
mod types_statuses;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use wiremock::{Request, ResponseTemplate};

use crate::harness::{FakeServer, Faults, Handler, RequestLog};
use crate::msp::GeneratedMsp;

pub use errors::TIMED_OUT_DETAIL;
pub use planted::{
    DecoyReason, NameVariation, PlantedConfiguration, PlantedDecoy, PlantedIdentifier,
    PlantedMatches, PlantedOrganization,
};
pub use query::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, split_values};
pub use state::{
    FakeConfiguration, FakeInterface, FakeModel, FakeNamed, FakeOrganization, NamedKind,
};

use errors::{ApiError, errors_response};
use routes::Route;
use state::Account;

/// A request budget: at most `requests` in any `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FakeRateLimit {
    /// Requests allowed in one window.
    pub requests: usize,
    /// The sliding window.
    pub window: Duration,
}

impl FakeRateLimit {
    /// IT Glue's documented limit: 3000 requests in 5 minutes.
    pub const DOCUMENTED: FakeRateLimit = FakeRateLimit {
        requests: 3000,
        window: Duration::from_secs(300),
    };
}

/// Lists whose pages are larger than `above_page_size` answer IT Glue's "took too long" error
/// with HTTP `status` (IT Glue's status for it is not documented).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlowQueries {
    /// The largest page size that is still answered.
    pub above_page_size: u64,
    /// The HTTP status of the timeout answer.
    pub status: u16,
}

/// How the fake starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItGlueFakeConfig {
    /// The API key the fake accepts.
    pub api_key: String,
    /// The rate limit (`None`: unlimited).
    pub rate_limit: Option<FakeRateLimit>,
}

impl ItGlueFakeConfig {
    /// A fake accepting `api_key`, with IT Glue's documented rate limit.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            api_key: api_key.into(),
            rate_limit: Some(FakeRateLimit::DOCUMENTED),
        }
    }
}

struct Inner {
    account: Account,
    api_key: String,
    rate_limit: Option<FakeRateLimit>,
    recent: VecDeque<Instant>,
    slow_queries: Option<SlowQueries>,
    slow_answers: usize,
    failing_page: Option<(u64, u16)>,
}

impl Inner {
    fn answer(&mut self, request: &Request, route: Route) -> Option<ResponseTemplate> {
        let method = request.method.as_str().to_ascii_uppercase();
        let key = request
            .headers
            .get("x-api-key")
            .and_then(|value| value.to_str().ok());
        match key {
            None => {
                return Some(
                    ApiError::new(401, "Unauthorized")
                        .detail("An API key is required (x-api-key header)")
                        .into_response(),
                );
            }
            Some(key) if key != self.api_key => {
                return Some(
                    ApiError::new(403, "Forbidden")
                        .detail("The API key is invalid or has been revoked")
                        .into_response(),
                );
            }
            Some(_) => {}
        }
        if self.throttled() {
            return Some(
                ApiError::new(429, "Too Many Requests")
                    .detail("Rate limit exceeded: at most 3000 requests in 5 minutes")
                    .into_response(),
            );
        }
        if matches!(method.as_str(), "POST" | "PATCH") {
            let json_api = request
                .headers
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.trim().starts_with(errors::JSON_API));
            if !json_api {
                return Some(
                    ApiError::new(415, "Unsupported Media Type")
                        .detail("Content-Type must be application/vnd.api+json")
                        .into_response(),
                );
            }
        }
        if method == "GET"
            && route.is_list()
            && let Some(answer) = self.list_trouble(&request.url)
        {
            return Some(answer);
        }
        routes::dispatch(
            &mut self.account,
            &method,
            route,
            &request.url,
            &request.body,
        )
    }

    /// Counts the request against the rate limit; true when it is over.
    fn throttled(&mut self) -> bool {
        let Some(limit) = self.rate_limit else {
            return false;
        };
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= limit.window)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= limit.requests {
            return true;
        }
        self.recent.push_back(now);
        false
    }

    /// A slow-query timeout or a planted page failure for a list request.
    fn list_trouble(&mut self, url: &url::Url) -> Option<ResponseTemplate> {
        let param = |name: &str| {
            url.query_pairs()
                .find(|(key, _)| key == name)
                .and_then(|(_, value)| value.trim().parse::<u64>().ok())
        };
        let size = param("page[size]").unwrap_or(DEFAULT_PAGE_SIZE);
        let number = param("page[number]").unwrap_or(1);
        if let Some(slow) = self.slow_queries
            && size > slow.above_page_size
        {
            self.slow_answers += 1;
            let error = ApiError::new(slow.status, "Request Timeout").detail(TIMED_OUT_DETAIL);
            return Some(errors_response(slow.status, &[error]));
        }
        if let Some((page, status)) = self.failing_page
            && page == number
        {
            let error = ApiError::new(status, "Internal Server Error")
                .detail("Something went wrong while loading this page");
            return Some(errors_response(status, &[error]));
        }
        None
    }
}

/// The fake's state, shared by the running server and the test (clones share it). It
/// implements [`Handler`]; [`ItGlueFake::start`] mounts it on a [`FakeServer`].
#[derive(Clone)]
pub struct ItGlueHandler {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for ItGlueHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueHandler").finish_non_exhaustive()
    }
}

impl ItGlueHandler {
    /// The state for `config`: the default types and statuses, no organizations yet.
    pub fn new(config: ItGlueFakeConfig) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                account: Account::default(),
                api_key: config.api_key,
                rate_limit: config.rate_limit,
                recent: VecDeque::new(),
                slow_queries: None,
                slow_answers: 0,
                failing_page: None,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Plants a realistic documentation account for `msp` (see
    /// [`ItGlueFake::plant_documentation`]).
    pub fn plant_documentation(&self, msp: &GeneratedMsp, seed: u64) -> PlantedMatches {
        generate::plant(&mut self.lock().account, msp, seed)
    }
}

impl Handler for ItGlueHandler {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let route = Route::parse(request.url.path())?;
        self.lock().answer(request, route)
    }
}

/// A running IT Glue fake: the server and direct access to its state.
///
/// The seeding and inspection methods read and change the account "out of band", the way a
/// technician in IT Glue's web app or one of its own integrations would.
#[derive(Debug)]
pub struct ItGlueFake {
    handler: ItGlueHandler,
    server: FakeServer,
}

impl ItGlueFake {
    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start(config: ItGlueFakeConfig) -> ItGlueFake {
        let handler = ItGlueHandler::new(config);
        let server = FakeServer::start(handler.clone()).await;
        ItGlueFake { handler, server }
    }

    /// Starts the fake on `listener` (bound by the caller, e.g. to a fixed port).
    pub async fn start_on(config: ItGlueFakeConfig, listener: std::net::TcpListener) -> ItGlueFake {
        let handler = ItGlueHandler::new(config);
        let server = FakeServer::start_on(handler.clone(), listener).await;
        ItGlueFake { handler, server }
    }

    /// The base URL a client is configured with, e.g. `http://127.0.0.1:4711`.
    pub fn uri(&self) -> String {
        self.server.uri()
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

    /// The handler (shared state).
    pub fn handler(&self) -> &ItGlueHandler {
        &self.handler
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.handler.lock()
    }

    /// Accepts another API key from now on (the old one is refused with 403).
    pub fn set_api_key(&self, api_key: &str) {
        api_key.clone_into(&mut self.lock().api_key);
    }

    /// Sets the rate limit (`None`: unlimited) and forgets the requests counted so far.
    pub fn set_rate_limit(&self, limit: Option<FakeRateLimit>) {
        let mut inner = self.lock();
        inner.rate_limit = limit;
        inner.recent.clear();
    }

    /// Makes lists with large pages time out (`None`: never).
    pub fn set_slow_queries(&self, slow: Option<SlowQueries>) {
        self.lock().slow_queries = slow;
    }

    /// How many "took too long" answers the fake gave.
    pub fn slow_query_answers(&self) -> usize {
        self.lock().slow_answers
    }

    /// Makes page `page` of every list answer HTTP `status` (`None`: no failing page).
    pub fn fail_list_page(&self, failing: Option<(u64, u16)>) {
        self.lock().failing_page = failing;
    }

    /// Plants a realistic documentation account for `msp`: organizations named like variants
    /// of its sites' names (legal suffixes, `&`/`and`, location tails, typos, case) and
    /// organizations that exist only in IT Glue; configurations for a share of the devices,
    /// sharing their MAC address, serial number or only their name; decoys that must match no
    /// device. Returns what was planted, so a test can check what a sync finds. The same MSP
    /// and seed always plant the same names and matches.
    ///
    /// ```no_run
    /// use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig, PlantedIdentifier};
    /// use msp_fakes::msp::{GeneratedMsp, MspSize};
    ///
    /// # async fn run() {
    /// let msp = GeneratedMsp::generate(7, MspSize::Small);
    /// let fake = ItGlueFake::start(ItGlueFakeConfig::new("ITG.key")).await;
    /// let planted = fake.plant_documentation(&msp, 7);
    /// for (site_uid, organization) in &planted.sites {
    ///     println!("{site_uid} → {} ({:?})", organization.organization_name, organization.variations);
    /// }
    /// let by_mac = planted.devices_sharing(PlantedIdentifier::Mac);
    /// # let _ = by_mac; }
    /// ```
    pub fn plant_documentation(&self, msp: &GeneratedMsp, seed: u64) -> PlantedMatches {
        self.handler.plant_documentation(msp, seed)
    }

    /// Adds a customer organization (type Customer, status Active); returns its id.
    pub fn add_organization(&self, name: &str) -> u64 {
        let mut inner = self.lock();
        let org = inner.account.new_organization(name);
        let id = org.id;
        inner.account.organizations.insert(id, org);
        id
    }

    /// Changes an organization out of band; false when it does not exist.
    pub fn modify_organization(&self, id: u64, change: impl FnOnce(&mut FakeOrganization)) -> bool {
        let mut inner = self.lock();
        let now = inner.account.tick();
        match inner.account.organizations.get_mut(&id) {
            Some(org) => {
                change(org);
                org.updated_at = now;
                true
            }
            None => false,
        }
    }

    /// Deletes an organization and its configurations and interfaces out of band.
    pub fn remove_organization(&self, id: u64) -> bool {
        let mut inner = self.lock();
        let account = &mut inner.account;
        let configurations: Vec<u64> = account
            .configurations
            .values()
            .filter(|c| c.organization_id == id)
            .map(|c| c.id)
            .collect();
        for configuration in &configurations {
            account.configurations.remove(configuration);
        }
        account
            .interfaces
            .retain(|_, i| !configurations.contains(&i.configuration_id));
        account.organizations.remove(&id).is_some()
    }

    /// Adds a configuration of type "Managed Workstation" to `organization`; returns its id.
    pub fn add_configuration(&self, organization: u64, name: &str) -> u64 {
        let mut inner = self.lock();
        let type_id = inner
            .account
            .named_id(NamedKind::ConfigurationType, "Managed Workstation")
            .unwrap_or_default();
        let configuration = inner.account.new_configuration(organization, name, type_id);
        let id = configuration.id;
        inner.account.store_configuration(configuration);
        id
    }

    /// Changes a configuration out of band (its primary interface follows its primary IP and
    /// MAC); false when it does not exist.
    pub fn modify_configuration(
        &self,
        id: u64,
        change: impl FnOnce(&mut FakeConfiguration),
    ) -> bool {
        let mut inner = self.lock();
        let now = inner.account.tick();
        let Some(configuration) = inner.account.configurations.get_mut(&id) else {
            return false;
        };
        change(configuration);
        configuration.updated_at = now;
        inner.account.sync_primary_interface(id);
        true
    }

    /// Deletes a configuration and its interfaces out of band.
    pub fn remove_configuration(&self, id: u64) -> bool {
        let mut inner = self.lock();
        inner
            .account
            .interfaces
            .retain(|_, interface| interface.configuration_id != id);
        inner.account.configurations.remove(&id).is_some()
    }

    /// Adds an interface to a configuration; returns its id (`None` when the configuration
    /// does not exist). A primary interface sets the configuration's primary IP and MAC.
    pub fn add_interface(
        &self,
        configuration: u64,
        name: &str,
        ip_address: Option<&str>,
        mac_address: Option<&str>,
        primary: bool,
    ) -> Option<u64> {
        let mut inner = self.lock();
        if !inner.account.configurations.contains_key(&configuration) {
            return None;
        }
        let mut interface = inner.account.new_interface(configuration);
        interface.name = Some(name.to_owned());
        interface.ip_address = ip_address.map(str::to_owned);
        interface.mac_address = mac_address.map(str::to_owned);
        interface.primary = primary;
        let id = interface.id;
        inner.account.store_interface(interface);
        Some(id)
    }

    /// Adds a type or status; returns its id.
    pub fn add_named(&self, kind: NamedKind, name: &str, synced: bool) -> u64 {
        self.lock().account.add_named(kind, name, synced)
    }

    /// The id of the type or status with exactly this name.
    pub fn named_id(&self, kind: NamedKind, name: &str) -> Option<u64> {
        self.lock().account.named_id(kind, name)
    }

    /// Every type or status of one kind, in id order.
    pub fn named(&self, kind: NamedKind) -> Vec<FakeNamed> {
        self.lock().account.named_of(kind).cloned().collect()
    }

    /// Every organization, in id order.
    pub fn organizations(&self) -> Vec<FakeOrganization> {
        self.lock()
            .account
            .organizations
            .values()
            .cloned()
            .collect()
    }

    /// One organization.
    pub fn organization(&self, id: u64) -> Option<FakeOrganization> {
        self.lock().account.organizations.get(&id).cloned()
    }

    /// Every configuration, in id order.
    pub fn configurations(&self) -> Vec<FakeConfiguration> {
        self.lock()
            .account
            .configurations
            .values()
            .cloned()
            .collect()
    }

    /// The configurations of one organization, in id order.
    pub fn configurations_of(&self, organization: u64) -> Vec<FakeConfiguration> {
        self.lock()
            .account
            .configurations
            .values()
            .filter(|c| c.organization_id == organization)
            .cloned()
            .collect()
    }

    /// One configuration.
    pub fn configuration(&self, id: u64) -> Option<FakeConfiguration> {
        self.lock().account.configurations.get(&id).cloned()
    }

    /// The interfaces of one configuration, in id order.
    pub fn interfaces_of(&self, configuration: u64) -> Vec<FakeInterface> {
        self.lock()
            .account
            .interfaces_of(configuration)
            .into_iter()
            .cloned()
            .collect()
    }
}
