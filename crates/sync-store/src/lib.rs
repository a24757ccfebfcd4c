//! Storage for the MSP syncs: one async [`Store`] trait, [`MemoryStore`] for tests and
//! [`SqliteStore`] as the embedded default, and `PostgresStore` (feature `postgres`) for several
//! workers sharing one database; all pass the same `conformance` suite.
//!
//! Cargo features: `sqlite` (default) builds [`SqliteStore`]; `conformance` builds the
//! `conformance` module, the suite for a crate that tests its own `Store` (this crate's own
//! conformance, SQLite and equivalence tests need both: `cargo test -p sync-store
//! --all-features`); `postgres` builds `PostgresStore`. docs.rs documents every feature.
//!
//! # Data model
//!
//! Every row belongs to one **tenant** ([`TenantId`]: a Datto RMM API URL plus account uid).
//! Per tenant the store keeps two kinds of data:
//!
//! - **Versioned state** ([`TenantState`]), what people and the planners decide on:
//!   - the vendor integrations ([`Integration`]: connection details and a
//!     [`CredentialFingerprint`] with its [`CredentialStatus`], never the secrets);
//!   - the GravityZone flow ([`GravityZoneState`]): sync-core's
//!     [`Settings`](sync_core::gravityzone::Settings), the site ↔ company associations with how
//!     they were made and the company's installation package ([`AssociationRecord`]), the
//!     excluded sites ([`ExclusionRecord`]) and the events, one per identity, with every state
//!     they went through ([`EventRecord`]);
//!   - the IT Glue flow ([`ItGlueState`]): [`ItGlueSettings`], the group ↔ organization and
//!     device ↔ configuration matches ([`OrganizationMatchRecord`], [`DeviceMatchRecord`]) and
//!     the ignored groups ([`IgnoredGroup`]).
//!
//!   It is read in one piece with [`Store::state`] and changed only by [`Store::apply`]: a batch
//!   of [`Change`]s applied in one transaction, all or nothing, and only if the tenant is still
//!   at the [`Version`] the writer read — otherwise [`StoreError::Conflict`]. Two writers
//!   therefore never overwrite each other silently.
//! - **Operational records**, each changed by one atomic call and outside optimistic
//!   concurrency: the credential status (tied to the fingerprint it was checked with), the cache
//!   of [`DeviceAudit`]s, [`SyncRun`]s, the journal of intended vendor writes
//!   ([`JournalEntry`]) and the tenant's [`Lease`]s, one per [`Flow`].
//!
//! The **journal** makes vendor writes resumable: record the intent under a deterministic key,
//! mark it sent, call the vendor, complete it with the answer. After a crash
//! [`Store::pending_intents`] shows what was in flight (see [`IntentState`] for what each state
//! means). The **lease**, one per tenant and flow, keeps two workers from running one tenant's
//! flow at once (the GravityZone pass and the IT Glue sync of a tenant may run side by side):
//! exclusive until it expires, renewed by its holder. [`Store::reset_tenant`] deletes every row of one tenant and
//! nothing else.
//!
//! `docs/storage.md` in the repository shows the SQLite schema.
//!
//! The store never reads the clock: every time is an argument, kept to the millisecond.
//!
//! # Example
//!
//! ```
//! use std::time::Duration;
//! use chrono::{TimeZone, Utc};
//! use sync_store::{Change, ConnectionDetails, CredentialFingerprint, Flow, IntegrationChange,
//!                  MemoryStore, Store, StoreError, TenantId, Vendor};
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let store = MemoryStore::new();
//! let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
//! let now = Utc.with_ymd_and_hms(2024, 5, 1, 9, 0, 0).unwrap();
//!
//! // One worker at a time per tenant and flow.
//! let ttl = Duration::from_secs(60);
//! assert!(store.acquire_lease(&tenant, Flow::GravityZone, &"worker-1".into(), ttl, now).await?);
//!
//! // Read, decide, write back with the version read.
//! let state = store.state(&tenant).await?;
//! let save: Change = IntegrationChange::Save {
//!     vendor: Vendor::GravityZone,
//!     connection: ConnectionDetails {
//!         url: Some("https://cloud.gravityzone.bitdefender.com/api".into()),
//!         ..ConnectionDetails::default()
//!     },
//!     fingerprint: CredentialFingerprint::of_secrets(["the API key"]),
//! }
//! .into();
//! store.apply(&tenant, state.version, &[save.clone()]).await?;
//! // A second writer still holding the old version is refused.
//! assert!(matches!(
//!     store.apply(&tenant, state.version, &[save]).await,
//!     Err(StoreError::Conflict { .. })
//! ));
//!
//! // A vendor write, journaled so a crash cannot make it twice.
//! let key = "gz:create-company:site-1";
//! store.record_intent(&tenant, key, "create company Acme", now).await?;
//! store.mark_sent(&tenant, key, now).await?;
//! store.complete(&tenant, key, "65f1c0ffee", now).await?;
//! assert!(store.pending_intents(&tenant).await?.is_empty());
//! # Ok::<(), StoreError>(())
//! # }).unwrap();
//! ```

mod actor;
mod audit;
mod cache;
mod change;
#[cfg(feature = "conformance")]
pub mod conformance;
mod error;
mod gravityzone;
mod integration;
mod itglue;
mod journal;
mod lease;
mod location;
mod memory;
#[cfg(feature = "postgres")]
mod postgres;
mod rules;
mod run;
#[cfg(feature = "sqlite")]
mod sqlite;
mod state;
mod store;
mod tenant;
mod time;
mod version;

pub use actor::ChangedBy;
pub use audit::{AuditFacts, DeviceAudit};
pub use cache::{DeviceStamp, ListedInterfaces, ReportBody, RunReport, SiteInterfaces};
pub use change::{Change, GravityZoneChange, IntegrationChange, ItGlueChange};
pub use error::{RecordKind, StoreError};
pub use gravityzone::{
    AssociationMethod, AssociationRecord, EventRecord, EventStateChange, ExclusionRecord,
    GravityZoneState,
};
pub use integration::{
    ConnectionDetails, CredentialFingerprint, CredentialStatus, Integration, InvalidFingerprint,
    UnknownVendor, Vendor,
};
pub use itglue::{
    DeviceMatchRecord, IgnoredGroup, ItGlueSettings, ItGlueState, NameAlias,
    OrganizationMatchRecord,
};
pub use journal::{IntentState, JournalEntry};
pub use lease::{HolderProcess, Lease, LeaseHolder};
pub use location::{DEFAULT_FILE_NAME, OpenError, StoreLocation};
pub use memory::MemoryStore;
#[cfg(feature = "postgres")]
pub use postgres::{DEFAULT_SCHEMA, PostgresOptions, PostgresStore};
pub use run::{Flow, RunCounts, RunId, RunOutcome, RunStatus, SyncRun};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;
pub use state::TenantState;
pub use store::Store;
pub use tenant::{TenantId, TenantIdError};
pub(crate) use time::truncate_to_millis;
pub use version::Version;
