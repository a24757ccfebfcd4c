//! The two sync workflows: Datto RMM → IT Glue and Datto RMM ↔ GravityZone. The engine
//! adapts the vendor clients' models into `sync-core` types, asks `sync-core` for decisions and
//! applies them through the clients and the store.
//!
//! - [`itglue`]: Datto RMM → IT Glue — groups matched to organizations, devices to
//!   configurations, the missing ones created on the user's word.
//! - [`gravityzone`]: Datto RMM ↔ GravityZone — the companies page, packages and their links,
//!   the hourly inventory sync with its events.
//! - [`scheduler`]: one scheduler for both flows — every tenant's GravityZone pass hourly and
//!   IT Glue sync at the tenant's interval, with jitter, one lease per tenant shared by the
//!   workers of a store, and a graceful shutdown.
//! - [`tenant`]: which stored tenant a Datto RMM account is, by its API URL.
//!
//! Each flow is a cargo feature of its own (`itglue`, `gravityzone`, both on by default), so a
//! tool that runs one flow does not build the other vendor's client.
//!
//! Both flows share one Datto RMM world: the [`datto::DattoRmmPort`] and its
//! [`datto::DattoRmmAdapter`], the [`port::PortError`] every port call fails with, and the
//! [`clock::Clock`] they read the time from.
//!
//! ```no_run
//! use std::sync::Arc;
//! use sync_engine::gravityzone::{
//!     DattoCredentials, GravityZoneCredentials, GravityZoneSync, PassOptions, TenantConnection,
//! };
//! use sync_store::SqliteStore;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = Arc::new(SqliteStore::open("msp-sync.sqlite").await?);
//! let sync = GravityZoneSync::new(store);
//! let connection = TenantConnection::from_credentials(
//!     &DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret"),
//!     &GravityZoneCredentials::new("https://cloudgz.gravityzone.bitdefender.com/api", "gz-key"),
//! )?;
//! let tenant = sync.connect(&connection).await?;
//! let pass = sync.run_pass(&tenant, &connection, PassOptions::dry_run()).await?;
//! println!("{} events", pass.plan.events.len());
//! # Ok(()) }
//! ```

pub mod clock;
pub mod datto;
#[cfg(feature = "gravityzone")]
pub mod gravityzone;
#[cfg(feature = "itglue")]
pub mod itglue;
pub mod lease;
pub mod lookup;
pub mod port;
pub mod scheduler;
pub mod table;
pub mod tenant;

/// The repository README's Rust examples, compiled (and the runnable ones run) as doc tests so
/// the README cannot drift from the API.
#[cfg(all(doctest, feature = "itglue", feature = "gravityzone"))]
#[doc = include_str!("../../../README.md")]
mod readme_examples {}
