//! The changes a writer applies to a tenant's versioned state, all at once or not at all.

use crate::{ConnectionDetails, CredentialFingerprint, Vendor};

/// One change to a tenant's versioned state. A batch of changes is given to
/// [`Store::apply`](crate::Store::apply), which applies all of them in one transaction or none.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// Save a vendor integration. When `fingerprint` differs from the saved one the credential
    /// status goes back to [`CredentialStatus::Unknown`](crate::CredentialStatus::Unknown); with
    /// the same fingerprint the status is kept (only the connection details changed).
    SaveIntegration {
        /// The vendor.
        vendor: Vendor,
        /// How to reach the vendor account.
        connection: ConnectionDetails,
        /// The fingerprint of the credentials saved with it.
        fingerprint: CredentialFingerprint,
    },
    /// Remove a vendor integration; fails with `NotFound` when there is none.
    RemoveIntegration {
        /// The vendor.
        vendor: Vendor,
    },
}
