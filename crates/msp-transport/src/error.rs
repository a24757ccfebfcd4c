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

    /// True for failures that may pass if tried again later (rate limits, 5xx, transport).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Transport { .. } => true,
            Error::Vendor { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

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
