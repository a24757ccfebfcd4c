//! The Datto RMM ↔ GravityZone workflow: every managed Datto RMM site gets one GravityZone
//! company under the partner's root, with an installation package whose link lands in the
//! site variable `GravityZonePackageLink`; an hourly inventory sync reports discrepancies as
//! events and handles them where the tenant's settings allow.
//!
//! Data flows vendor API → client → [`adapters`] → `sync-core` (pure decisions) → this module,
//! which applies the decisions through the [`ports`] and the store:
//!
//! - [`GravityZoneSync::connect`] checks and saves a tenant's credentials (fingerprints only);
//! - [`GravityZoneSync::companies_page`] and [`GravityZoneSync::apply_companies_changes`]: the
//!   companies page, a batch of changes confirmed then applied as one task;
//! - [`GravityZoneSync::run_pass`]: one inventory sync pass; [`crate::scheduler::Scheduler`] runs them
//!   hourly;
//! - [`GravityZoneSync::events`], [`GravityZoneSync::resolve_event`],
//!   [`GravityZoneSync::ignore_event`]: the events page;
//! - [`GravityZoneSync::settings`], [`GravityZoneSync::update_settings`],
//!   [`GravityZoneSync::reset_tenant`].
//!
//! Every vendor write goes through the store's journal under a deterministic key, so a
//! resumed pass never creates a second company or package; every call that writes takes the
//! tenant's lease; every pass and batch has a dry run.
//!
//! ```no_run
//! use std::sync::Arc;
//! use sync_engine::gravityzone::{
//!     DattoCredentials, GravityZoneCredentials, GravityZoneSync, PassOptions, TenantConnection,
//! };
//! use sync_store::SqliteStore;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let store = Arc::new(SqliteStore::open("msp-sync.db").await?);
//! let sync = GravityZoneSync::new(store);
//! let connection = TenantConnection::from_credentials(
//!     &DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret"),
//!     &GravityZoneCredentials::new("https://cloudgz.gravityzone.bitdefender.com/api", "gz-key"),
//! )?;
//! let tenant = sync.connect(&connection).await?;
//! let report = sync.run_pass(&tenant, &connection, PassOptions::dry_run()).await?;
//! for event in &report.plan.events {
//!     println!("{:?} {:?} → {:?}", event.id.kind, event.site_name, event.company_name);
//! }
//! # Ok(()) }
//! ```
//!

pub mod adapters;
mod approval;
mod choice;
mod companies;
mod connect;
mod connection;
mod credentials;
mod error;
mod events;
mod executor;
mod inventory;
mod journal;
mod lookup;
mod names;
mod overview;
mod pass;
mod pass_text;
pub mod ports;
mod recovery;
mod report;
mod request;
mod settings_words;
mod state;
mod sync;
mod table;

pub use crate::clock::{Clock, SystemClock, TokioClock};
pub use approval::Approval;
pub use choice::{ActionChoiceError, RESOLVE_ACTIONS, choose_event_action};
pub use companies::{BatchFailure, BatchReport, CompaniesChange, RaisedEvent, Removal};
pub use connection::{OneTenant, TenantConnection};
pub use credentials::{
    DattoCredentials, GravityZoneCredentials, datto_fingerprint, gravityzone_fingerprint,
};
pub use error::GravityZoneSyncError;
pub use events::{EventView, ResolvePlan, Resolved};
pub use executor::WriteCounts;
pub use lookup::{find_event, find_free_company, find_site};
pub use names::Names;
pub use overview::{Overview, ResolvedEvent};
pub use pass::{PassOptions, PassReport, StepFailure};
pub use report::{
    AssociationRow, EventHistoryRow, EventRow, OfferedRow, SiteLine, StateRow, TenantSummary,
};
pub use request::{BatchPlan, ChangeRequest, DescribedChange};
pub use settings_words::{
    EVENT_HANDLINGS, PACKAGE_MODULES, PREFIX_CREATIONS, PackageModule, SYNC_LEVELS, SettingsChange,
    choice, choice_name, settings_lines,
};
pub use sync::{DEFAULT_LEASE_TTL, GravityZoneSync};
pub use table::TableRow;
