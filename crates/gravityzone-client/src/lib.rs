//! A typed async client for the Bitdefender GravityZone Control Center API, as a partner (MSP)
//! uses it: companies under the partner's root, their installation packages and links,
//! licences, endpoints, and the key's own details.
//!
//! GravityZone speaks JSON-RPC 2.0 over HTTP `POST`, one URL per API area
//! (`{access URL}/v1.0/jsonrpc/{area}`), authenticated with HTTP Basic (the API key as user
//! name, an empty password). Most failures come back with HTTP 200 and a JSON-RPC `error`; the
//! client turns them into typed [`Error`]s:
//!
//! - an invalid key → [`Error::is_unauthorized`];
//! - an API area not ticked on the key → [`Error::ApiNotEnabled`] naming the area;
//! - a company name used anywhere in the instance → [`Error::CompanyNameTaken`];
//! - everything else → [`Error::Rpc`] with the code and `data.details`.
//!
//! Ids are types ([`CompanyId`], [`PackageId`], [`EndpointId`], …): JSON strings on the wire,
//! one type per kind of record, so one cannot be passed for another.
//!
//! Requests keep to the vendor's per-key rate limits ([`RateLimits`]: 10/s by default, 5/s for
//! licensing and company writes, 30/min for moves; [`ClientOptions`], the options every
//! msp-sync client takes alike, may add a limiter shared with other clients), honour `Retry-After` on 429, and retry
//! reads — never blind creates (see [`GravityZoneClient`]). Paged lists are [`PageStream`]s
//! (`msp-transport`'s one page stream) whose last item is the error when a page fails; their
//! `collect_all` never returns a partial list.
//!
//! ```no_run
//! use gravityzone_client::{CompanyType, GravityZoneClient, ModuleKey, Modules, NewCompany, NewPackage};
//!
//! # async fn run() -> Result<(), gravityzone_client::Error> {
//! let client = GravityZoneClient::builder()
//!     .access_url("https://cloudgz.gravityzone.bitdefender.com/api")
//!     .api_key(std::env::var("GZ_API_KEY").unwrap_or_default())
//!     .build()?;
//!
//! // Which companies exist below the key's company?
//! for company in client.get_company_tree(None).await? {
//!     println!("{} {} ({:?})", company.id, company.name, company.company_type);
//! }
//!
//! // A new customer with an installation package.
//! let id = match client.create_company(&NewCompany::new(CompanyType::Customer, "Contoso")).await {
//!     Ok(id) => id, // a `CompanyId`
//!     Err(e) if e.is_company_name_taken() => return Ok(()), // a "destination creation" case
//!     Err(e) => return Err(e),
//! };
//! let mut package = NewPackage::new("Contoso - default");
//! package.company_id = Some(id.clone());
//! package.modules = Modules::new().with(ModuleKey::AdvancedThreatControl, true);
//! client.find_or_create_package(&package).await?;
//! if let Some(links) = client.find_installation_links("Contoso - default", Some(&id)).await? {
//!     println!("install with {:?}", links.install_link_windows);
//! }
//! # Ok(()) }
//! ```
//!
//! The method list and what is unconfirmed about each is in `docs/api-coverage-gravityzone.md`.

mod client;
mod companies;
pub mod company_move;
mod endpoint_count;
mod error;
mod general;
mod ids;
mod jsonrpc;
mod licensing;
mod models;
mod network;
mod packages;
mod paging;
mod params;
mod rate_limits;

pub use client::{GravityZoneClient, GravityZoneClientBuilder};
pub use error::{Error, RpcError};
pub use ids::{CompanyId, EndpointId, GroupId, NodeId, PackageId, ParseIdError, PolicyId};
pub use jsonrpc::ApiVersion;
pub use models::*;
pub use network::{
    CompaniesFilter, EndpointsQuery, InventoryQuery, MAX_PER_PAGE_V1_1, MAX_TREE_DEPTH,
};
pub use packages::{FoundOrCreated, MAX_PACKAGES_PER_PAGE};
pub use paging::{Page, PageStream};
pub use rate_limits::{RateClass, RateLimits};

/// The transport types a caller needs: the key's secret type, the shared client options,
/// limits and retry settings (re-exported from `msp-transport`).
pub use msp_transport::{ClientError, ClientOptions, RateLimit, RateLimiter, RetryPolicy, Secret};
