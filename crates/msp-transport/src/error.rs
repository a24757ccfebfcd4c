//! The one error type of the transport.

use std::time::Duration;

/// What went wrong at the transport level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made: the request was surely not sent.
    Connect,
    /// The request timed out.
    Timeout,
    /// The response body was larger than the client accepts.
    BodyTooLarge,
    /// Any other failure while sending or receiving.
    Other,
}

/// An error from a vendor API call.
///
/// No variant ever carries a secret: messages taken from vendor answers are scrubbed of the
/// credentials the request used.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The vendor rejected the credentials (HTTP 401 or the vendor's equivalent).
    #[error("unauthorized: {message}")]
    Unauthorized {
        /// What the vendor said.
        message: String,
    },
    /// The credentials are valid but may not do this (HTTP 403).
    #[error("forbidden: {message}")]
    Forbidden {
        /// What the vendor said.
        message: String,
    },
    /// The resource does not exist (HTTP 404).
    #[error("not found: {message}")]
    NotFound {
        /// What the vendor said.
        message: String,
    },
    /// The vendor's rate limit was hit and retries did not get through.
    #[error("rate limited by the vendor{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// How long the vendor asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// Any other answer that is not a success.
    #[error("vendor error (HTTP {status}): {message}")]
    Vendor {
        /// The HTTP status.
        status: u16,
        /// The vendor's message (or an excerpt of the body).
        message: String,
    },
    /// The answer was not what the API documents; `path` names the failing JSON field.
    #[error("could not decode the vendor's answer at `{path}`: {message}")]
    Decode {
        /// The JSON path of the failing field (`.` for the document itself).
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// The request failed in transit.
    #[error("transport error ({kind:?}, {}): {message}", if *may_have_been_sent { "may have been sent" } else { "not sent" })]
    Transport {
        /// What kind of failure.
        kind: TransportErrorKind,
        /// Whether the vendor may have received (and acted on) the request. Decides whether a
        /// write can be retried.
        may_have_been_sent: bool,
        /// A description (no secrets).
        message: String,
    },
    /// The client was configured wrongly (URL policy, missing credential, bad limit).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
}

impl Error {
    /// Whether the vendor may have received the request: true for answers and for failures
    /// after sending; false for connection failures and configuration errors.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport {
                may_have_been_sent, ..
            } => *may_have_been_sent,
            Error::InvalidConfig(_) => false,
            // A 429 is refused before it is processed.
            Error::RateLimited { .. } => false,
            _ => true,
        }
    }

    /// True when the vendor rejected the credentials.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Unauthorized { .. })
    }

    /// True for a `404`.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::NotFound { .. })
    }

    /// True for a `429` the retries did not get through.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// How long the vendor asked to wait (`Retry-After`), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// True for failures that may pass if tried again later (rate limits, 5xx, transport).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Transport { .. } => true,
            Error::Vendor { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// The questions every client's error answers, in the same words for every vendor: each
/// client's `Error` implements it (with inherent methods of the same names, so no import is
/// needed to call them), and code that handles any vendor's failure can be generic over it.
///
/// ```
/// use std::time::Duration;
/// use msp_transport::{ClientError, Error};
///
/// fn wait_before_retry(error: &impl ClientError) -> Option<Duration> {
///     error.is_transient().then(|| error.retry_after().unwrap_or(Duration::from_secs(1)))
/// }
///
/// let limited = Error::RateLimited { retry_after: Some(Duration::from_secs(30)) };
/// assert_eq!(wait_before_retry(&limited), Some(Duration::from_secs(30)));
/// assert!(!limited.may_have_been_sent());
/// ```
pub trait ClientError: std::error::Error {
    /// True when the record or route does not exist.
    fn is_not_found(&self) -> bool;
    /// True when the vendor refused the credentials.
    fn is_unauthorized(&self) -> bool;
    /// True when the vendor's rate limit stopped the request.
    fn is_rate_limited(&self) -> bool;
    /// True for failures that may pass when tried again later.
    fn is_transient(&self) -> bool;
    /// How long the vendor asked to wait, when it said.
    fn retry_after(&self) -> Option<Duration>;
    /// Whether the vendor may have received and acted on the request (a write that failed with
    /// `true` must be looked for before it is sent again).
    fn may_have_been_sent(&self) -> bool;
}

/// Implements [`ClientError`] for an error type by calling its inherent methods of the same
/// names.
#[doc(hidden)]
#[macro_export]
macro_rules! impl_client_error {
    ($error:ty) => {
        impl $crate::ClientError for $error {
            fn is_not_found(&self) -> bool {
                <$error>::is_not_found(self)
            }
            fn is_unauthorized(&self) -> bool {
                <$error>::is_unauthorized(self)
            }
            fn is_rate_limited(&self) -> bool {
                <$error>::is_rate_limited(self)
            }
            fn is_transient(&self) -> bool {
                <$error>::is_transient(self)
            }
            fn retry_after(&self) -> Option<::std::time::Duration> {
                <$error>::retry_after(self)
            }
            fn may_have_been_sent(&self) -> bool {
                <$error>::may_have_been_sent(self)
            }
        }
    };
}

impl_client_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_failures_were_not_sent_but_timeouts_may_have_been() {
        let connect = Error::Transport {
            kind: TransportErrorKind::Connect,
            may_have_been_sent: false,
            message: "refused".into(),
        };
        assert!(!connect.may_have_been_sent());
        assert!(connect.to_string().contains("not sent"));
        let vendor = Error::Vendor {
            status: 500,
            message: "boom".into(),
        };
        assert!(vendor.may_have_been_sent());
        assert!(vendor.is_transient());
    }
}
