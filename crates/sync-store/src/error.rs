//! The store's one error type.

use std::fmt;

use crate::{TenantId, Version};

/// What went wrong in a store operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The tenant changed since the writer read it; nothing was written. Reload and decide again.
    #[error("tenant {tenant} changed since {expected} (now {actual}); nothing was written")]
    Conflict {
        /// The tenant written to.
        tenant: TenantId,
        /// The version the writer passed back.
        expected: Version,
        /// The version the tenant is at.
        actual: Version,
    },
    /// A record the operation needs does not exist.
    #[error("{kind} {key:?} does not exist")]
    NotFound {
        /// What kind of record.
        kind: RecordKind,
        /// Its key (site uid, event id, journal key, …).
        key: String,
    },
    /// The change would give two records a value that must be unique.
    #[error("{kind} {key:?} conflicts with an existing one: {detail}")]
    Duplicate {
        /// What kind of record.
        kind: RecordKind,
        /// The key of the record being written.
        key: String,
        /// Which value is taken, and by whom.
        detail: String,
    },
    /// The operation does not apply to the record in its current state (for example completing a
    /// journal entry twice, or finishing a run that has already finished).
    #[error("{kind} {key:?} is {state}: cannot {action}")]
    InvalidState {
        /// What kind of record.
        kind: RecordKind,
        /// Its key.
        key: String,
        /// The state it is in.
        state: String,
        /// What was asked.
        action: &'static str,
    },
    /// A stored value could not be read back (the file was edited or damaged).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The store — a SQLite file, or the store's schema in a PostgreSQL database — was written
    /// by a newer build: opening it could lose data.
    #[error("{store} has schema version {found}; this build knows up to {supported}")]
    SchemaTooNew {
        /// Which store: `the store file` (SQLite), or `the PostgreSQL database <host:port/name>
        /// (schema <name>)` — never a password.
        store: String,
        /// The store's schema version.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// SQLite reported an error.
    #[cfg(feature = "sqlite")]
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL reported an error, or could not be reached.
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// A stored JSON value could not be written or read.
    #[error("JSON value of {kind}: {source}")]
    Json {
        /// Which record's value.
        kind: RecordKind,
        /// The serde error.
        source: serde_json::Error,
    },
    /// The blocking task that ran the operation failed (panicked or was cancelled).
    #[error("storage task failed: {0}")]
    Task(String),
}

/// The kinds of records the store keeps, as named in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordKind {
    /// GravityZone flow settings.
    GravityZoneSettings,
    /// IT Glue flow settings.
    ItGlueSettings,
    /// A vendor integration (connection details and credential fingerprint).
    Integration,
    /// A site ↔ company association.
    Association,
    /// A site excluded from the GravityZone sync.
    Exclusion,
    /// A GravityZone inventory-sync event.
    Event,
    /// A group ↔ organization match.
    OrganizationMatch,
    /// A device ↔ configuration match.
    DeviceMatch,
    /// A group ignored by the IT Glue sync.
    IgnoredGroup,
    /// A cached Datto RMM device audit.
    DeviceAudit,
    /// A kept site network-interface listing.
    SiteInterfaces,
    /// A kept run report.
    RunReport,
    /// An entry of the journal of vendor writes.
    JournalEntry,
    /// A sync run.
    SyncRun,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::GravityZoneSettings => "GravityZone settings",
            Self::ItGlueSettings => "IT Glue settings",
            Self::Integration => "integration",
            Self::Association => "association",
            Self::Exclusion => "exclusion",
            Self::Event => "event",
            Self::OrganizationMatch => "organization match",
            Self::DeviceMatch => "device match",
            Self::IgnoredGroup => "ignored group",
            Self::DeviceAudit => "device audit",
            Self::SiteInterfaces => "site network-interface listing",
            Self::RunReport => "run report",
            Self::JournalEntry => "journal entry",
            Self::SyncRun => "sync run",
        })
    }
}

#[cfg(feature = "postgres")]
impl From<tokio_postgres::Error> for StoreError {
    fn from(error: tokio_postgres::Error) -> Self {
        // The server's message with its detail; the driver's Display alone often says only
        // "db error".
        let text = match error.as_db_error() {
            Some(db) => match db.detail() {
                Some(detail) => format!("{}: {} ({detail})", db.severity(), db.message()),
                None => format!("{}: {}", db.severity(), db.message()),
            },
            None => error.to_string(),
        };
        Self::Postgres(text)
    }
}

impl StoreError {
    pub(crate) fn not_found(kind: RecordKind, key: impl Into<String>) -> Self {
        Self::NotFound {
            kind,
            key: key.into(),
        }
    }

    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn json(kind: RecordKind) -> impl FnOnce(serde_json::Error) -> Self {
        move |source| Self::Json { kind, source }
    }
}
