//! A stateful fake of the Bitdefender GravityZone Control Center API (partner JSON-RPC).
//!
//! What it does, from the vendor notes in `shared/api/gravityzone.md`:
//! - JSON-RPC 2.0 over `POST {access}/v1.0/jsonrpc/{area}` (the access URL is
//!   `{server}/api`), and `…/v1.1/jsonrpc/network` for `getEndpointsList` and
//!   `getNetworkInventoryItems`; other verbs answer `405`. Named parameters only; unknown
//!   parameters, wrong types and unknown methods are JSON-RPC errors **with HTTP 200**
//!   (`-32602`, `-32601`, `-32600`, `-32700`), echoing the request id.
//! - HTTP Basic with the API key as user name: a missing header or an unknown key answers
//!   `401` with a JSON-RPC `-32000` body ("Invalid API key…"); a key without the API area
//!   answers `403` naming the area (`general` is always allowed).
//! - A partner tree: the key's partner company, sub-partners and customers, plus companies of
//!   other partners the key cannot see. Company names are unique across the **whole**
//!   instance (case-insensitively), so another partner's company blocks a name — the
//!   "destination creation" case. Companies: create (≤ 64 characters, parent must be a
//!   partner), details (with `parentCompanyId` and `companyPath`), update, delete (not a
//!   partner with children), substring search, suspend/activate; `getCompaniesList` one level,
//!   unpaged, refusing `page`/`perPage` and customers as parent; the move
//!   `moveCompanyOrCompanyFolder` (parameters `companyId`, `parentId` — the same unconfirmed
//!   guess the client makes).
//! - Packages per company (names unique per company, documented module keys as `0`/`1`,
//!   `contentControl` rules, the EDR rule), paged lists (≤ 100), details (reporting
//!   `antimalware` too), deletion, installation links with the fourteen fields and an optional
//!   per-platform `status`.
//! - Endpoints per company, paged on v1.1 up to 1000 (optionally with the reported v1.1 quirk:
//!   `hasMoreRecords` instead of `pagesCount` after page 1); inventory items; licence info
//!   (an object, or an array with `returnAllProducts`).
//! - Per-key, per-method rate limits by Bitdefender's classes; past limit and burst, `429`
//!   with `Retry-After` and a `-32003` body.
//! - Per-method call counts, and everything the harness adds (request log, fault injection,
//!   a catch-all for unknown routes).
//!
//! ```no_run
//! use msp_fakes::gravityzone::{GravityZoneFake, GravityZoneFakeConfig};
//!
//! # async fn run() {
//! let fake = GravityZoneFake::start(GravityZoneFakeConfig::default()).await;
//! let root = fake.root_id();
//! let customer = fake.add_customer(&root, "Contoso").unwrap();
//! println!("access URL {}, key {}, company {customer}", fake.access_url(), fake.api_key());
//! assert_eq!(fake.calls("createCompany"), 0);
//! # }
//! ```

mod methods;
mod seed;
mod state;
mod throttle;
mod wire;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde_json::{Map, Value};
use wiremock::{Request, ResponseTemplate};

use crate::harness::{FakeServer, Faults, Handler, RequestLog};

pub use seed::{MspSeedPlan, MspSeedReport, SeedReport};
pub use state::{
    ALL_API_AREAS, FakeApiKey, FakeCompany, FakeCompanyType, FakeEndpoint, FakePackage,
};
pub use throttle::{FakeRateLimit, FakeRateLimits};

use methods::Ctx;
use state::{Instance, name_key};
use throttle::Throttle;
use wire::{RpcFault, basic_user, parse_call, respond_result};

/// What `createPackage` answers (its real result is not documented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CreatePackageResult {
    /// `[{"success": true, "records": ["<id>"]}]`, the shape of an old documentation example.
    #[default]
    Records,
    /// The new id as a plain string.
    Id,
    /// `null`: the caller has to look the package up.
    Null,
}

/// How the fake is set up.
#[derive(Debug, Clone)]
pub struct GravityZoneFakeConfig {
    /// Seeds the ids, so two fakes with different seeds never share one.
    pub seed: u64,
    /// The name of the partner company the API key belongs to.
    pub root_name: String,
    /// The API key (a full-access key on the root company).
    pub api_key: String,
    /// The API areas enabled on that key (lower case).
    pub enabled_apis: Vec<String>,
    /// Rate limits ([`FakeRateLimits::default`] follows Bitdefender's table).
    pub rate_limits: FakeRateLimits,
    /// Pages after the first of v1.1 lists carry `hasMoreRecords` instead of
    /// `pagesCount`/`total` (reported by one third party).
    pub v1_1_paging_quirk: bool,
    /// What `createPackage` answers.
    pub create_package_result: CreatePackageResult,
    /// Whether installation links carry the per-platform `status` object.
    pub links_with_status: bool,
    /// Whether a new package's kits are ready at once (`status` 2) or still building (1).
    pub new_kits_ready: bool,
}

impl Default for GravityZoneFakeConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            root_name: "Northwind MSP".into(),
            api_key: "FAKEGZKEY00000000000000000000000000000001".into(),
            enabled_apis: ALL_API_AREAS.iter().map(|s| (*s).to_owned()).collect(),
            rate_limits: FakeRateLimits::default(),
            v1_1_paging_quirk: false,
            create_package_result: CreatePackageResult::default(),
            links_with_status: true,
            new_kits_ready: true,
        }
    }
}

/// Behaviour switches that can change while the fake runs.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub rate_limits: FakeRateLimits,
    pub v1_1_paging_quirk: bool,
    pub create_package_result: CreatePackageResult,
    pub links_with_status: bool,
    pub new_kits_ready: bool,
}

struct Inner {
    instance: Instance,
    settings: Settings,
    throttle: Throttle,
    calls: BTreeMap<String, usize>,
    root_id: String,
    primary_key: String,
}

/// The request handler: the whole fake behind one mutex. Clones share the state.
#[derive(Clone)]
pub struct GravityZoneHandler {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for GravityZoneHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GravityZoneHandler").finish_non_exhaustive()
    }
}

impl GravityZoneHandler {
    /// A fake instance holding the root partner of `config` and its key.
    pub fn new(config: &GravityZoneFakeConfig) -> Self {
        let mut instance = Instance::new(config.seed);
        let root_id = instance.insert_company(
            &config.root_name,
            FakeCompanyType::Partner,
            None,
            Map::new(),
        );
        let mut enabled: BTreeSet<String> = config
            .enabled_apis
            .iter()
            .map(|a| a.to_lowercase())
            .collect();
        enabled.insert("general".into());
        instance.keys.insert(
            config.api_key.clone(),
            FakeApiKey {
                company_id: root_id.clone(),
                enabled_apis: enabled,
            },
        );
        Self {
            inner: Arc::new(Mutex::new(Inner {
                instance,
                settings: Settings {
                    rate_limits: config.rate_limits.clone(),
                    v1_1_paging_quirk: config.v1_1_paging_quirk,
                    create_package_result: config.create_package_result,
                    links_with_status: config.links_with_status,
                    new_kits_ready: config.new_kits_ready,
                },
                throttle: Throttle::default(),
                calls: BTreeMap::new(),
                root_id,
                primary_key: config.api_key.clone(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `/api/{version}/jsonrpc/{area}` → (version, area).
fn route(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/api/")?;
    let (version, rest) = rest.split_once('/')?;
    let area = rest.strip_prefix("jsonrpc/")?;
    let known_version = version == "v1.0" || version == "v1.1";
    let known_area = ALL_API_AREAS.contains(&area);
    (known_version && known_area).then_some((version, area))
}

impl Handler for GravityZoneHandler {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let (version, area) = route(request.url.path())?;
        if request.method.as_str() != "POST" {
            return Some(
                RpcFault::invalid_request("Only POST requests are accepted.")
                    .respond(405, &Value::Null),
            );
        }
        let mut inner = self.lock();
        let key = match basic_user(request) {
            Ok(key) => key,
            Err(details) => {
                return Some(RpcFault::server_error(details).respond(401, &Value::Null));
            }
        };
        let Some(api_key) = inner.instance.keys.get(&key).cloned() else {
            let details = "Invalid API key. Please generate an API key in Control Center.";
            return Some(RpcFault::server_error(details).respond(401, &Value::Null));
        };
        let call = match parse_call(&request.body) {
            Ok(call) => call,
            Err((id, fault)) => return Some(fault.respond(200, &id)),
        };
        *inner.calls.entry(call.method.clone()).or_default() += 1;
        if area != "general" && !api_key.enabled_apis.contains(area) {
            let details = format!("The {area} API is not enabled for this API key.");
            return Some(RpcFault::server_error(details).respond(403, &call.id));
        }
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !content_type.starts_with("application/json") {
            let fault =
                RpcFault::invalid_request("The Content-Type header must be application/json.");
            return Some(fault.respond(200, &call.id));
        }
        if let Some(limit) = inner.settings.rate_limits.for_method(&call.method)
            && let Err(wait) = inner
                .throttle
                .admit(&key, &call.method, limit, Instant::now())
        {
            return Some(
                RpcFault::too_many_requests(&call.method)
                    .respond(429, &call.id)
                    .insert_header("retry-after", wait.to_string().as_str()),
            );
        }
        let Inner {
            instance, settings, ..
        } = &mut *inner;
        let ctx = Ctx {
            key: &key,
            scope: &api_key.company_id,
            settings,
        };
        let outcome = methods::dispatch(instance, &ctx, version, area, &call.method, &call.params)
            .unwrap_or_else(|| Err(RpcFault::method_not_found(&call.method)));
        Some(match outcome {
            Ok(result) => respond_result(&call.id, result),
            Err(fault) => fault.respond(200, &call.id),
        })
    }
}

/// A running GravityZone fake: the server and direct access to its state.
///
/// The accessors read and change the state "out of band", the way someone in the GravityZone
/// console would (add a company, move or rename it, add endpoints, restrict a key).
#[derive(Debug)]
pub struct GravityZoneFake {
    handler: GravityZoneHandler,
    server: FakeServer,
}

impl GravityZoneFake {
    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start(config: GravityZoneFakeConfig) -> GravityZoneFake {
        let handler = GravityZoneHandler::new(&config);
        let server = FakeServer::start(handler.clone()).await;
        GravityZoneFake { handler, server }
    }

    /// Starts the fake on `listener` (bound by the caller, e.g. to a fixed port).
    pub async fn start_on(
        config: GravityZoneFakeConfig,
        listener: std::net::TcpListener,
    ) -> GravityZoneFake {
        let handler = GravityZoneHandler::new(&config);
        let server = FakeServer::start_on(handler.clone(), listener).await;
        GravityZoneFake { handler, server }
    }

    /// The server root, e.g. `http://127.0.0.1:4711`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The access URL a client is configured with: `{uri}/api`.
    pub fn access_url(&self) -> String {
        format!("{}/api", self.server.uri())
    }

    /// The full-access API key of the root partner.
    pub fn api_key(&self) -> String {
        self.handler.lock().primary_key.clone()
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

    /// The handler (shares the state).
    pub fn handler(&self) -> &GravityZoneHandler {
        &self.handler
    }

    /// How many requests named JSON-RPC `method` (authenticated, parsed; refused ones
    /// included).
    pub fn calls(&self, method: &str) -> usize {
        self.handler.lock().calls.get(method).copied().unwrap_or(0)
    }

    /// Every method called so far, with its count.
    pub fn call_counts(&self) -> BTreeMap<String, usize> {
        self.handler.lock().calls.clone()
    }

    /// The id of the partner company the primary key belongs to.
    pub fn root_id(&self) -> String {
        self.handler.lock().root_id.clone()
    }

    /// Adds a company under `parent_id` (`None`: a top-level partner the key cannot see).
    /// Fails like the API would: a taken name, a name over 64 characters, a missing or
    /// customer parent.
    pub fn add_company(
        &self,
        parent_id: Option<&str>,
        name: &str,
        company_type: FakeCompanyType,
    ) -> Result<String, String> {
        let mut inner = self.handler.lock();
        let count = name.trim().chars().count();
        if count == 0 || count > 64 {
            return Err(format!("invalid company name {name:?}"));
        }
        if inner.instance.company_named(name).is_some() {
            return Err(format!("a company named {name:?} already exists"));
        }
        if let Some(parent) = parent_id {
            match inner.instance.company(parent) {
                Some(p) if p.company_type == FakeCompanyType::Partner => {}
                _ => return Err(format!("{parent} is not a partner company")),
            }
        }
        Ok(inner
            .instance
            .insert_company(name, company_type, parent_id, Map::new()))
    }

    /// Adds a partner company under `parent_id`.
    pub fn add_partner(&self, parent_id: &str, name: &str) -> Result<String, String> {
        self.add_company(Some(parent_id), name, FakeCompanyType::Partner)
    }

    /// Adds a customer company under `parent_id`.
    pub fn add_customer(&self, parent_id: &str, name: &str) -> Result<String, String> {
        self.add_company(Some(parent_id), name, FakeCompanyType::Customer)
    }

    /// Adds a top-level partner outside the key's tree (another MSP on the same instance):
    /// its companies block names but are invisible to the key.
    pub fn add_foreign_partner(&self, name: &str) -> Result<String, String> {
        self.add_company(None, name, FakeCompanyType::Partner)
    }

    /// Every company, in creation order.
    pub fn companies(&self) -> Vec<FakeCompany> {
        let inner = self.handler.lock();
        inner
            .instance
            .order
            .iter()
            .filter_map(|id| inner.instance.companies.get(id).cloned())
            .collect()
    }

    /// One company.
    pub fn company(&self, id: &str) -> Option<FakeCompany> {
        self.handler.lock().instance.company(id).cloned()
    }

    /// The company with this name (case-insensitively).
    pub fn company_named(&self, name: &str) -> Option<FakeCompany> {
        self.handler.lock().instance.company_named(name).cloned()
    }

    /// The direct children of `parent_id`, in creation order.
    pub fn children_of(&self, parent_id: &str) -> Vec<FakeCompany> {
        self.handler
            .lock()
            .instance
            .children(parent_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Renames a company out of band (no uniqueness check: the console enforces it, a test may
    /// want to break it). False when the id is unknown.
    pub fn rename_company(&self, id: &str, name: &str) -> bool {
        match self.handler.lock().instance.companies.get_mut(id) {
            Some(c) => {
                c.name = name.to_owned();
                true
            }
            None => false,
        }
    }

    /// Moves a company under another partner out of band (someone did it in the console).
    pub fn set_parent(&self, id: &str, parent_id: &str) -> bool {
        let mut inner = self.handler.lock();
        let parent_ok = inner
            .instance
            .company(parent_id)
            .is_some_and(|p| p.company_type == FakeCompanyType::Partner);
        if !parent_ok || inner.instance.is_within(parent_id, id) {
            return false;
        }
        match inner.instance.companies.get_mut(id) {
            Some(c) => {
                c.parent_id = Some(parent_id.to_owned());
                true
            }
            None => false,
        }
    }

    /// Deletes a company out of band, with its packages, endpoints and sub-companies.
    pub fn remove_company(&self, id: &str) -> bool {
        let mut inner = self.handler.lock();
        let below: Vec<String> = inner
            .instance
            .descendants(id)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        for child in below {
            inner.instance.remove_company(&child);
        }
        inner.instance.remove_company(id)
    }

    /// Adds an endpoint to a company; returns its id (`None` for an unknown company).
    pub fn add_endpoint(
        &self,
        company_id: &str,
        name: &str,
        machine_type: i64,
        macs: &[&str],
    ) -> Option<String> {
        let mut inner = self.handler.lock();
        inner.instance.company(company_id)?;
        let id = inner.instance.new_id();
        let n = inner.instance.endpoints.len();
        inner.instance.insert_endpoint(FakeEndpoint {
            id: id.clone(),
            name: name.to_owned(),
            company_id: company_id.to_owned(),
            machine_type,
            is_managed: true,
            ip: format!("10.0.{}.{}", (n / 250) % 250, n % 250 + 1),
            macs: macs.iter().map(|m| (*m).to_owned()).collect(),
            operating_system_version: "Windows 11 Pro".into(),
        });
        Some(id)
    }

    /// Marks an endpoint managed or not.
    pub fn set_endpoint_managed(&self, endpoint_id: &str, managed: bool) -> bool {
        match self.handler.lock().instance.endpoints.get_mut(endpoint_id) {
            Some(e) => {
                e.is_managed = managed;
                true
            }
            None => false,
        }
    }

    /// Every endpoint of a company.
    pub fn endpoints_of(&self, company_id: &str) -> Vec<FakeEndpoint> {
        self.handler
            .lock()
            .instance
            .endpoints_of(company_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Every package, in creation order.
    pub fn packages(&self) -> Vec<FakePackage> {
        let inner = self.handler.lock();
        inner
            .instance
            .package_order
            .iter()
            .filter_map(|id| inner.instance.packages.get(id).cloned())
            .collect()
    }

    /// The packages of a company.
    pub fn packages_of(&self, company_id: &str) -> Vec<FakePackage> {
        self.handler
            .lock()
            .instance
            .packages_of(company_id)
            .into_iter()
            .cloned()
            .collect()
    }

    /// Sets a module switch of a stored package, any key (e.g. one a newer console reports).
    pub fn set_package_module(&self, package_id: &str, key: &str, value: i64) -> bool {
        match self.handler.lock().instance.packages.get_mut(package_id) {
            Some(p) => {
                p.modules.insert(key.to_owned(), value);
                true
            }
            None => false,
        }
    }

    /// Sets the kit state of one platform (`windows`, `mac`, `linux`): 1 building, 2 ready.
    pub fn set_kit_status(&self, package_id: &str, platform: &str, state: i64) -> bool {
        match self.handler.lock().instance.packages.get_mut(package_id) {
            Some(p) => {
                p.kit_status.insert(platform.to_owned(), state);
                true
            }
            None => false,
        }
    }

    /// Adds (or replaces) an API key on `company_id` with the given areas (`general` is
    /// always added).
    pub fn add_api_key(&self, key: &str, company_id: &str, areas: &[&str]) {
        let mut enabled: BTreeSet<String> = areas.iter().map(|a| a.to_lowercase()).collect();
        enabled.insert("general".into());
        self.handler.lock().instance.keys.insert(
            key.to_owned(),
            FakeApiKey {
                company_id: company_id.to_owned(),
                enabled_apis: enabled,
            },
        );
    }

    /// Changes the areas of an existing key; false when the key is unknown.
    pub fn set_enabled_apis(&self, key: &str, areas: &[&str]) -> bool {
        match self.handler.lock().instance.keys.get_mut(key) {
            Some(k) => {
                k.enabled_apis = areas.iter().map(|a| a.to_lowercase()).collect();
                k.enabled_apis.insert("general".into());
                true
            }
            None => false,
        }
    }

    /// Deletes a key (its next request answers 401).
    pub fn revoke_api_key(&self, key: &str) -> bool {
        self.handler.lock().instance.keys.remove(key).is_some()
    }

    /// Replaces the rate limits.
    pub fn set_rate_limits(&self, limits: FakeRateLimits) {
        self.handler.lock().settings.rate_limits = limits;
    }

    /// Switches the v1.1 paging quirk.
    pub fn set_v1_1_paging_quirk(&self, on: bool) {
        self.handler.lock().settings.v1_1_paging_quirk = on;
    }

    /// Changes what `createPackage` answers.
    pub fn set_create_package_result(&self, result: CreatePackageResult) {
        self.handler.lock().settings.create_package_result = result;
    }

    /// Whether installation links carry `status`.
    pub fn set_links_with_status(&self, on: bool) {
        self.handler.lock().settings.links_with_status = on;
    }

    /// Whether the name is taken anywhere in the instance (case-insensitively).
    pub fn name_taken(&self, name: &str) -> bool {
        let inner = self.handler.lock();
        let wanted = name_key(name);
        inner
            .instance
            .companies
            .values()
            .any(|c| name_key(&c.name) == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_need_a_known_version_and_area() {
        assert_eq!(
            route("/api/v1.0/jsonrpc/companies"),
            Some(("v1.0", "companies"))
        );
        assert_eq!(
            route("/api/v1.1/jsonrpc/network"),
            Some(("v1.1", "network"))
        );
        assert_eq!(route("/api/v2.0/jsonrpc/network"), None);
        assert_eq!(route("/api/v1.0/jsonrpc/nothing"), None);
        assert_eq!(route("/v1.0/jsonrpc/network"), None);
    }
}
