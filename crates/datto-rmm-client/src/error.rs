//! The client's error type.

use std::time::Duration;

/// An error from a Datto RMM call. No variant carries a secret.
///
/// The sync engine acts on two questions: [`Error::is_unauthorized`] (stop syncing this tenant
/// until new credentials are saved) and [`Error::may_have_been_sent`] (whether a failed write
/// may still have happened).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A transport-level or HTTP error (401 after a fresh token, 403, 404, 429, 5xx, decode,
    /// timeout…).
    #[error(transparent)]
    Transport(#[from] msp_transport::Error),

    /// Datto's token endpoint rejected the API key or secret.
    #[error("Datto RMM rejected the API key or secret key: {message}")]
    InvalidCredentials {
        /// What the token endpoint said.
        message: String,
    },

    /// Datto answered `403` after throttling: a temporary block of the source address (Datto
    /// says to wait at least five minutes), not a permission problem.
    #[error("Datto RMM temporarily blocked requests after too many requests{}; wait before retrying", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    TemporarilyBlocked {
        /// How long Datto asked to wait, if it said.
        retry_after: Option<Duration>,
        /// What Datto said.
        message: String,
    },

    /// A page's `nextPageUrl` pointed to another host than the configured one; the bearer
    /// token was not sent there.
    #[error("refusing to follow a page link to another host: {origin}")]
    UntrustedPageUrl {
        /// Scheme, host and port of the link.
        origin: String,
    },

    /// A page could not be followed (unreadable link, a loop, a page without its item list).
    #[error("invalid page from Datto RMM: {message}")]
    InvalidPage {
        /// What was wrong.
        message: String,
    },

    /// `GET /v2/audit/device/{uid}` answered `400`: the device is not of class `device`
    /// (printers, ESXi hosts and network devices have no device audit).
    #[error("device {device_uid} has no device audit (its class is not `device`)")]
    NotAGenericDevice {
        /// The device uid.
        device_uid: crate::DeviceUid,
    },

    /// A variable write succeeded but the variable was not in the list read back.
    #[error("variable {name:?} was written but is not in the list read back")]
    VariableNotFound {
        /// The variable's name.
        name: String,
    },
}

impl Error {
    /// True when Datto rejected the credentials: at the token endpoint, or with a `401` that a
    /// fresh token did not cure. The sync engine stops syncing the tenant on it.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::InvalidCredentials { .. } => true,
            Error::Transport(e) => e.is_unauthorized(),
            _ => false,
        }
    }

    /// Whether Datto may have received (and acted on) the request: false for errors raised
    /// before the request left (credentials rejected at the token endpoint, refused page
    /// links), for connection failures and for throttling answers.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport(e) => e.may_have_been_sent(),
            Error::InvalidCredentials { .. }
            | Error::TemporarilyBlocked { .. }
            | Error::UntrustedPageUrl { .. } => false,
            Error::InvalidPage { .. }
            | Error::NotAGenericDevice { .. }
            | Error::VariableNotFound { .. } => true,
        }
    }

    /// True for failures that may pass later (rate limits, temporary blocks, 5xx, transport).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_transient(),
            Error::TemporarilyBlocked { .. } => true,
            _ => false,
        }
    }

    /// True for a `429` that retries did not get through, or a temporary `403` block.
    pub fn is_rate_limited(&self) -> bool {
        matches!(
            self,
            Error::TemporarilyBlocked { .. }
                | Error::Transport(msp_transport::Error::RateLimited { .. })
        )
    }

    /// How long Datto asked to wait, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::TemporarilyBlocked { retry_after, .. }
            | Error::Transport(msp_transport::Error::RateLimited { retry_after }) => *retry_after,
            _ => None,
        }
    }

    /// True for a `404`.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Error::Transport(msp_transport::Error::NotFound { .. })
        )
    }
}

msp_transport::impl_client_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_credentials_and_a_persistent_401_are_unauthorized() {
        assert!(
            Error::InvalidCredentials {
                message: "Bad credentials".into()
            }
            .is_unauthorized()
        );
        let persistent = Error::from(msp_transport::Error::Unauthorized {
            message: "x".into(),
        });
        assert!(persistent.is_unauthorized());
        let forbidden = Error::from(msp_transport::Error::Forbidden {
            message: "x".into(),
        });
        assert!(!forbidden.is_unauthorized());
    }

    #[test]
    fn a_temporary_block_is_transient_rate_limiting_not_unauthorized() {
        let block = Error::TemporarilyBlocked {
            retry_after: Some(Duration::from_secs(300)),
            message: "blocked".into(),
        };
        assert!(block.is_transient());
        assert!(block.is_rate_limited());
        assert!(!block.is_unauthorized());
        assert!(!block.may_have_been_sent());
        assert_eq!(block.retry_after(), Some(Duration::from_secs(300)));
        assert!(block.to_string().contains("retry after 300s"));
    }
}
