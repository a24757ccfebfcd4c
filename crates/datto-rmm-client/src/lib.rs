//! A typed async client for the Datto RMM REST API v2: the account, sites, devices, device
//! audits, a site's network interfaces, site and account variables, and the system endpoints
//! the msp-sync flows need.
//!
//! - **Auth**: the OAuth password grant at `{host}/auth/oauth/token` (outside `/api`) with
//!   Datto's public client; one cached token shared by all clones, fetched once for
//!   concurrent callers, refreshed before it expires and once after a `401`. Rejected
//!   credentials give an error whose [`Error::is_unauthorized`] is true.
//! - **Pagination**: lists are lazy [`PageStream`]s (`msp-transport`'s one page stream) that
//!   follow `nextPageUrl` with `max=250`, refuse links to other hosts, restore dropped
//!   filters, and end with the error when a page fails; their `collect_all` never returns a
//!   partial list.
//! - **Options**: [`ClientOptions`] (user agent, timeouts, retry policy, rate limit or a shared
//!   [`RateLimiter`]), the same type every msp-sync client's builder takes.
//! - **Rate limit**: 600 requests per rolling minute by default (configurable), shared by
//!   clones, plus a per-operation limit on writes; a `403` after throttling is
//!   [`Error::TemporarilyBlocked`], not a permission error.
//! - **Ids** are types ([`SiteUid`], [`DeviceUid`], [`VariableId`], …), read from and written
//!   to Datto's wire format (uids as strings, numeric ids as numbers), so one kind of id cannot
//!   be passed for another.
//! - **Models** that survive the real API: everything optional, open enums, one lenient
//!   [`Timestamp`](models::Timestamp), UDFs and secrets kept out of `Debug`.
//!
//! ```no_run
//! use datto_rmm_client::{DattoClient, Platform, Secret};
//!
//! # async fn run() -> Result<(), datto_rmm_client::Error> {
//! let client = DattoClient::builder()
//!     .platform(Platform::Merlot)
//!     .api_key(Secret::new(std::env::var("DATTO_API_KEY").unwrap_or_default()))
//!     .api_secret(Secret::new(std::env::var("DATTO_API_SECRET").unwrap_or_default()))
//!     .build()?;
//!
//! for site in client.list_sites().collect_all().await? {
//!     if !site.is_customer_site() {
//!         continue; // system sites and OnDemand sites never take part
//!     }
//!     let Some(uid) = &site.uid else { continue };
//!     for device in client.list_site_network_interfaces(uid).collect_all().await? {
//!         let macs: Vec<_> = device.nics.iter().filter_map(|n| n.mac_address.as_deref()).collect();
//!         println!("{:?}: {:?} {macs:?}", site.name, device.hostname);
//!     }
//! }
//! # Ok(()) }
//! ```

mod account;
mod audit;
mod auth;
mod client;
mod devices;
mod error;
mod ids;
pub mod models;
mod pagination;
mod platform;
mod sites;
mod system;
mod variables;

pub use client::{
    DEFAULT_OPERATION_WRITE_LIMIT, DEFAULT_RATE_LIMIT_REQUESTS, DattoClient, DattoClientBuilder,
    PAGE_SIZE,
};
pub use devices::DeviceFilter;
pub use error::Error;
pub use ids::{
    AccountId, AccountUid, AlertUid, AutotaskCompanyId, DeviceId, DeviceUid, FilterId,
    ParseIdError, SiteId, SiteUid, VariableId,
};
pub use pagination::PageStream;
pub use platform::{Platform, UnknownPlatform};

/// The transport types a caller needs: credentials, the shared client options, limits and
/// retry settings.
pub use msp_transport::{ClientError, ClientOptions, RateLimit, RateLimiter, RetryPolicy, Secret};
