//! The Datto RMM → IT Glue flow.
//!
//! Data flows one way: the vendor APIs, through the [`ports`] (async traits implemented by the
//! [`adapters`] over the real clients, or by test doubles), into `sync-core`'s pure decisions
//! (groups, organization and device matching, field mapping), which this module applies through
//! the ports and the store.
//!
//! - [`ItGlueFlow::connect`] checks both vendors' credentials before saving their fingerprints.
//! - [`ItGlueFlow::run`] syncs: status `Syncing…` → `OK` or `Failed: reason`, with counts.
//! - The user actions on organizations and configurations, each with a dry run.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//!
//! use sync_engine::datto::DattoCredentials;
//! use sync_engine::itglue::{
//!     Actor, DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueFlow, ItGlueLocation, Mode,
//!     NoProgress, discover_tenant,
//! };
//! use sync_store::SqliteStore;
//!
//! let datto = DattoCredentials::new(
//!     "https://merlot-api.centrastage.net",
//!     std::env::var("DATTO_API_KEY")?,
//!     std::env::var("DATTO_API_SECRET")?,
//! );
//! let itglue = ItGlueCredentials {
//!     location: ItGlueLocation::Region(itglue_client::Region::Eu),
//!     api_key: std::env::var("ITGLUE_API_KEY")?.into(),
//! };
//! let rmm = Arc::new(DattoRmmAdapter::from_credentials(&datto)?);
//! let docs = Arc::new(ItGlueAdapter::new(&itglue)?);
//! let store = Arc::new(SqliteStore::open("msp-sync.db").await?);
//!
//! let tenant = discover_tenant(rmm.as_ref()).await?;
//! let flow = ItGlueFlow::new(store, tenant, rmm, docs);
//! flow.connect().await?; // checks both credentials, saves their fingerprints
//! let report = flow.run(&NoProgress).await?;
//! println!("{} groups, {} matched", report.counts.groups, report.counts.groups_matched);
//!
//! // Create the missing configurations of every matched organization, as a dry run first.
//! let missing: Vec<_> = report
//!     .organizations
//!     .iter()
//!     .flat_map(|o| &o.devices)
//!     .filter(|d| matches!(d.outcome, sync_core::itglue::ConfigurationOutcome::Unmatched))
//!     .map(|d| d.device.uid.clone())
//!     .collect();
//! let admin = Actor::administrator("alice");
//! let plan = flow.create_configurations(&admin, &report, &missing, Mode::DryRun).await?;
//! println!("{} steps planned", plan.steps.len());
//! # Ok(()) }
//! ```

mod actions;
pub mod adapters;
mod connect;
mod devices;
mod error;
mod facts;
mod flow;
mod journal;
mod kept;
mod listing;
mod lookup;
mod lookups;
pub mod ports;
mod progress;
mod report;
mod requests;
mod run;
mod scope;
mod screen;
mod settings;
mod settings_change;
mod status;
mod stored;
mod summary;
mod updates;
mod walkthrough;

pub use crate::clock::{Clock, SystemClock};
pub use crate::table::TableRow;
pub use actions::{
    AcceptedSuggestions, ActionOutcome, Created, LeftOut, Mode, PlannedConfiguration, Step,
};
pub use adapters::{
    DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueLocation, REGIONS, datto_identity,
};
pub use connect::{Connected, ItGlueConnection, discover_tenant};
pub use error::ItGlueError;
pub use flow::ItGlueFlow;
pub use listing::{
    ConfigurationState, DeviceListing, FoundConfiguration, FoundOrganization, GroupDetail,
    GroupListing, NamedOrganization, OrganizationDevices, OrganizationState, ProposedOrganization,
    SyncSummary, percent, reason_words,
};
pub use ports::{
    ConfigurationPatch, DattoRmmPort, DeviceInterfaces, ItGluePort, ModelRecord, NamedId,
    NewConfiguration, PortError, PortErrorKind, PortIdentity, RmmSite, vendor_name,
};
pub use progress::{ChannelProgress, NoProgress, Phase, Progress, ProgressSink};
pub use report::{
    ConfigurationUpdateView, DattoCalls, DeletedDevices, DeviceView, GroupView, OrganizationView,
    Refusal, SyncCounts, SyncReport, UpdateOutcome, UpdateReport,
};
pub use requests::{Handled, Request};
pub use run::DRY_RUN;
pub use scope::Actor;
pub use settings::{DEFAULT_CREATE_CAP, FlowOptions, default_tenant_settings};
pub use settings_change::{GROUPINGS, SettingsChange, parse_alias, settings_lines};
pub use status::{CredentialsView, FlowStatus, RunView};
pub use summary::{DeviceTally, UpdateCounts};
pub use walkthrough::Walkthrough;

/// The examples of `docs/user-guide-itglue.md`, compiled as doc tests so the guide stays true
/// to the code.
#[cfg(doctest)]
#[doc = include_str!("../../../../docs/user-guide-itglue.md")]
pub struct UserGuide;
