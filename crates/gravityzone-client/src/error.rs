//! The client's error type and the classification of GravityZone's failures.
//!
//! Most failures arrive with HTTP 200 and a JSON-RPC `error` member; the body decides. A few
//! arrive by status: 401 (bad or missing key), 403 (API area not enabled on the key), 405
//! (not a POST), 429 (rate limited, with `Retry-After`).

use std::fmt;
use std::time::Duration;

use crate::models::{ApiArea, RpcErrorCode};

/// A JSON-RPC error as GravityZone sends it: `{code, message, data: {details}}`.
///
/// Only `data.details` is kept from `data`: the rest can echo the request's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RpcError {
    /// The error code.
    pub code: RpcErrorCode,
    /// The short message (`"Invalid params"`, `"Server error"`, …).
    pub message: String,
    /// The human-readable reason (`error.data.details`), when sent.
    pub details: Option<String>,
}

impl RpcError {
    /// The most telling text: the details when present, else the message.
    pub fn reason(&self) -> &str {
        self.details.as_deref().unwrap_or(&self.message)
    }

    /// Message and details in lower case, for the text heuristics below.
    fn text(&self) -> String {
        format!("{} {}", self.message, self.details.as_deref().unwrap_or("")).to_lowercase()
    }

    /// Whether the error reads like "this name is already used" (the vendor's wording is not
    /// documented, so this is a heuristic on the text: `already`, `duplicate`, `unique`,
    /// `in use`, `taken`, or `exists` without `not exist`).
    pub fn looks_like_name_collision(&self) -> bool {
        if matches!(
            self.code,
            RpcErrorCode::ParseError | RpcErrorCode::InvalidRequest | RpcErrorCode::MethodNotFound
        ) {
            return false;
        }
        let text = self.text();
        ["already", "duplicate", "unique", "in use", "taken"]
            .iter()
            .any(|w| text.contains(w))
            || (text.contains("exists") && !text.contains("not exist"))
    }

    /// Whether the error says the API key itself is invalid or missing.
    pub(crate) fn looks_like_bad_key(&self) -> bool {
        let text = self.text();
        text.contains("invalid api key")
            || text.contains("authorization header")
            || text.contains("api key is not valid")
    }

    /// Whether the error says an API area is not enabled for the key.
    pub(crate) fn looks_like_area_not_enabled(&self) -> bool {
        let text = self.text();
        [
            "not enabled",
            "not allowed",
            "permission",
            "access denied",
            "not authorized",
        ]
        .iter()
        .any(|w| text.contains(w))
    }
}

impl fmt::Display for RpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {})", self.message, self.code.code())?;
        if let Some(details) = &self.details {
            write!(f, ": {details}")?;
        }
        Ok(())
    }
}

/// An error from the GravityZone client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP layer failed, or the vendor answered with a status that says it all (429,
    /// 5xx, …), or the answer could not be decoded (the path names the field).
    #[error(transparent)]
    Transport(#[from] msp_transport::Error),
    /// GravityZone rejected the API key (HTTP 401 "Invalid API key…" or a missing
    /// `Authorization` header). Syncing with this key should stop until it is replaced.
    #[error("GravityZone rejected the API key: {details}")]
    Unauthorized {
        /// What GravityZone said (no secrets).
        details: String,
    },
    /// The key is valid but the API area is not enabled for it (HTTP 403, or a 401 whose
    /// details say so). Fix: tick the area on the key in Control Center, or make a new key.
    #[error(
        "the GravityZone API key may not call the {area} API (enable it on the key in Control Center): {details}"
    )]
    ApiNotEnabled {
        /// The area that was refused.
        area: ApiArea,
        /// What GravityZone said.
        details: String,
    },
    /// `createCompany` or `updateCompanyDetails` refused the name because a company of that
    /// name exists somewhere in the instance (names are unique across all partners, also
    /// where this key cannot see them).
    #[error("a GravityZone company named {name:?} already exists: {details}")]
    CompanyNameTaken {
        /// The name that was refused.
        name: String,
        /// What GravityZone said.
        details: String,
    },
    /// `createPackage` refused the name because the company has a package of that name.
    #[error("a GravityZone package named {name:?} already exists: {details}")]
    PackageNameTaken {
        /// The name that was refused.
        name: String,
        /// What GravityZone said.
        details: String,
    },
    /// Any other JSON-RPC error.
    #[error("GravityZone {method} failed: {error}")]
    Rpc {
        /// The JSON-RPC method.
        method: String,
        /// The error GravityZone sent.
        error: RpcError,
    },
    /// The answer was valid JSON-RPC but not what the method documents (for example a
    /// create that reports success but whose result names nothing).
    #[error("unexpected answer from GravityZone {method}: {message}")]
    UnexpectedResult {
        /// The JSON-RPC method.
        method: String,
        /// What was unexpected.
        message: String,
    },
    /// The parameters break a documented rule; nothing was sent.
    #[error("invalid input for GravityZone {method}: {message}")]
    InvalidInput {
        /// The JSON-RPC method.
        method: String,
        /// Which rule was broken.
        message: String,
    },
}

impl Error {
    /// True when GravityZone rejected the API key: the sync engine stops using it.
    ///
    /// A key that is valid but lacks an API area is *not* unauthorized: see
    /// [`Error::api_not_enabled`].
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Error::Unauthorized { .. } => true,
            Error::Transport(e) => e.is_unauthorized(),
            _ => false,
        }
    }

    /// The API area the key may not call, for [`Error::ApiNotEnabled`].
    pub fn api_not_enabled(&self) -> Option<&ApiArea> {
        match self {
            Error::ApiNotEnabled { area, .. } => Some(area),
            _ => None,
        }
    }

    /// True for [`Error::CompanyNameTaken`]: the engine raises a "destination creation" event.
    pub fn is_company_name_taken(&self) -> bool {
        matches!(self, Error::CompanyNameTaken { .. })
    }

    /// The JSON-RPC error, for [`Error::Rpc`].
    pub fn rpc(&self) -> Option<&RpcError> {
        match self {
            Error::Rpc { error, .. } => Some(error),
            _ => None,
        }
    }

    /// How long GravityZone asked to wait, for a rate-limit error.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Transport(msp_transport::Error::RateLimited { retry_after }) => *retry_after,
            _ => None,
        }
    }

    /// Whether GravityZone may have received *and acted on* the request. Decides whether a
    /// write may be repeated blindly (it may not when this is true: look first).
    ///
    /// False for requests refused before processing (bad key, area not enabled, rate limit,
    /// invalid input, a name collision, a JSON-RPC validation error); true for transport
    /// failures after sending, server errors (5xx, `-32000` with HTTP 200) and answers the
    /// client could not read.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Error::Transport(e) => e.may_have_been_sent(),
            Error::Unauthorized { .. }
            | Error::ApiNotEnabled { .. }
            | Error::CompanyNameTaken { .. }
            | Error::PackageNameTaken { .. }
            | Error::InvalidInput { .. } => false,
            Error::Rpc { error, .. } => matches!(error.code, RpcErrorCode::ServerError),
            Error::UnexpectedResult { .. } => true,
        }
    }

    /// True when the item does not exist (HTTP 404, or JSON-RPC `-32002` "not found").
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_not_found(),
            Error::Rpc { error, .. } => matches!(error.code, RpcErrorCode::NotFound),
            _ => false,
        }
    }

    /// True when GravityZone's rate limit stopped the request (HTTP 429 the retries did not get
    /// through, or JSON-RPC "too many requests").
    pub fn is_rate_limited(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_rate_limited(),
            Error::Rpc { error, .. } => matches!(error.code, RpcErrorCode::TooManyRequests),
            _ => false,
        }
    }

    /// True for failures that may pass when tried again later (rate limits, 5xx, transport
    /// failures, JSON-RPC server errors).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_transient(),
            Error::Rpc { error, .. } => matches!(
                error.code,
                RpcErrorCode::ServerError | RpcErrorCode::TooManyRequests
            ),
            _ => false,
        }
    }
}

msp_transport::impl_client_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_and_rate_limits_read_the_same_as_on_the_other_clients() {
        let not_found = Error::Rpc {
            method: "getCompanyDetails".into(),
            error: rpc(-32002, "Not found", None),
        };
        assert!(not_found.is_not_found() && !not_found.is_rate_limited());
        let http_404 = Error::Transport(msp_transport::Error::NotFound {
            message: "gone".into(),
        });
        assert!(msp_transport::ClientError::is_not_found(&http_404));
        let too_many = Error::Rpc {
            method: "getEndpointsList".into(),
            error: rpc(-32003, "Too many requests", None),
        };
        assert!(too_many.is_rate_limited() && too_many.is_transient());
        let limited = Error::Transport(msp_transport::Error::RateLimited {
            retry_after: Some(Duration::from_secs(7)),
        });
        assert!(limited.is_rate_limited());
        assert_eq!(
            msp_transport::ClientError::retry_after(&limited),
            Some(Duration::from_secs(7))
        );
        assert!(
            !Error::Unauthorized {
                details: "no".into()
            }
            .is_not_found()
        );
    }

    fn rpc(code: i64, message: &str, details: Option<&str>) -> RpcError {
        RpcError {
            code: RpcErrorCode::from_code(code),
            message: message.into(),
            details: details.map(Into::into),
        }
    }

    #[test]
    fn name_collision_wording_is_recognised() {
        for details in [
            "A company with the same name already exists.",
            "The company name must be unique.",
            "Duplicate company name",
            "Name is already in use",
            "Package name exists",
        ] {
            assert!(
                rpc(-32602, "Invalid params", Some(details)).looks_like_name_collision(),
                "{details}"
            );
        }
    }

    #[test]
    fn other_invalid_params_are_not_name_collisions() {
        for details in [
            "Invalid value for 'parentId' parameter.",
            "The parent company does not exist.",
            "Invalid value for 'type' parameter.",
        ] {
            assert!(
                !rpc(-32602, "Invalid params", Some(details)).looks_like_name_collision(),
                "{details}"
            );
        }
        assert!(!rpc(-32601, "Method not found: already", None).looks_like_name_collision());
    }

    #[test]
    fn api_not_enabled_is_not_unauthorized() {
        let e = Error::ApiNotEnabled {
            area: ApiArea::Packages,
            details: "not enabled".into(),
        };
        assert!(!e.is_unauthorized());
        assert_eq!(e.api_not_enabled(), Some(&ApiArea::Packages));
        assert!(e.to_string().contains("packages"));
        assert!(!e.may_have_been_sent());
    }

    #[test]
    fn server_errors_may_have_acted_validation_errors_did_not() {
        let server = Error::Rpc {
            method: "createCompany".into(),
            error: rpc(-32000, "Server error", None),
        };
        assert!(server.may_have_been_sent() && server.is_transient());
        let invalid = Error::Rpc {
            method: "createCompany".into(),
            error: rpc(-32602, "Invalid params", None),
        };
        assert!(!invalid.may_have_been_sent() && !invalid.is_transient());
    }
}
