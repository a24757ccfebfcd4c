//! The workflow's one error type.

use sync_core::gravityzone::{EventId, Refusal, ResolveError, SettingsError};
use sync_store::{StoreError, TenantIdError, Vendor};

use super::ports::PortError;

/// What went wrong in a GravityZone workflow call. Nothing here carries a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GravityZoneSyncError {
    /// A vendor call failed.
    #[error(transparent)]
    Vendor(#[from] PortError),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The Datto RMM API URL or account does not name a tenant.
    #[error("invalid tenant: {0}")]
    Tenant(#[from] TenantIdError),
    /// The tenant has not saved credentials for this vendor.
    #[error("the tenant has no {0} integration: connect it first")]
    NotConnected(Vendor),
    /// The vendor refused the tenant's saved credentials at the last check: the tenant's
    /// passes stay stopped until new credentials are saved.
    #[error("the saved {0} credentials were refused; save new credentials to resume syncing")]
    CredentialsInvalid(Vendor),
    /// The credentials handed to this call are not the ones the tenant saved.
    #[error("these {0} credentials are not the tenant's saved ones; connect with them first")]
    CredentialsNotSaved(Vendor),
    /// The Datto RMM credentials belong to another account than the tenant's.
    #[error("the Datto RMM credentials belong to account {found}, not {expected}")]
    WrongAccount {
        /// The tenant's account uid.
        expected: String,
        /// The account the credentials belong to.
        found: String,
    },
    /// Another worker (or another call) holds the tenant's lease.
    #[error("another sync of this tenant is running")]
    Busy,
    /// The settings were refused.
    #[error("invalid settings: {0}")]
    Settings(#[from] SettingsError),
    /// The companies page refused some changes of the batch; nothing was done.
    #[error("{} change(s) of the batch were refused", .0.len())]
    ChangesRefused(Vec<Refusal>),
    /// No open event has this identity.
    #[error("no open event {0:?}")]
    EventNotFound(EventId),
    /// The chosen action cannot be carried out for the event.
    #[error("cannot resolve the event: {0}")]
    Resolve(#[from] ResolveError),
    /// A vendor write could not be completed for a reason other than a vendor error (for
    /// example GravityZone lists no installation link for a new package yet).
    #[error("the change could not be completed: {0}")]
    ActionFailed(String),
    /// The tenant's state kept changing under this call; try again.
    #[error("the tenant's state kept changing; try again")]
    TooManyConflicts,
    /// The stored state cannot be read as the workflow expects.
    #[error("inconsistent stored state: {0}")]
    Inconsistent(String),
}

impl GravityZoneSyncError {
    /// Whether the error says a vendor refused the credentials.
    pub fn is_credentials_problem(&self) -> bool {
        match self {
            GravityZoneSyncError::Vendor(e) => e.is_unauthorized(),
            GravityZoneSyncError::CredentialsInvalid(_) => true,
            _ => false,
        }
    }
}
