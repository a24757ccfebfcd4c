//! Errors: IT Glue's `errors` array turned into typed failures.
//!
//! IT Glue answers failures with `{"errors": [{"status": 422, "title": …, "detail": …,
//! "source": {"pointer": …}}]}`, where `status` is a number (sometimes text), `detail` may be
//! missing, and the pointer comes as `/data/attributes/configuration-type` or
//! `data/attributes/organization_id`. A wrong URL answers an HTML page, not JSON. Every
//! unsuccessful answer becomes one [`Error`] variant that keeps what IT Glue said.

use std::fmt;
use std::time::Duration;

use msp_transport::Response;
use serde::Deserialize;

use crate::lenient;

/// The detail IT Glue sends when a list query ran too long.
const TIMED_OUT_TEXT: &str = "took too long";

/// Anything that can go wrong calling IT Glue.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request got no usable answer (connection, timeout, undecodable body) or the client
    /// was configured wrongly. A decode failure names the JSON path.
    #[error(transparent)]
    Transport(#[from] msp_transport::Error),
    /// IT Glue rejected the API key (HTTP 401 or 403): syncing must stop until new
    /// credentials are saved.
    #[error("IT Glue rejected the API key (HTTP {status}): {message}")]
    Unauthorized {
        /// 401 or 403.
        status: u16,
        /// What IT Glue said.
        message: String,
        /// The `errors` array, when there was one.
        errors: Vec<ApiError>,
    },
    /// The record or the route does not exist (HTTP 404, JSON or an HTML page).
    #[error("not found: {message}")]
    NotFound {
        /// What IT Glue said (for an HTML page: its title).
        message: String,
    },
    /// IT Glue refused the request's content (HTTP 422, or 400): each error names the
    /// attribute (its pointer) and what is wrong with it.
    #[error(
        "IT Glue refused the request (HTTP {status}): {}",
        ApiError::summary(errors)
    )]
    Validation {
        /// 422 or 400.
        status: u16,
        /// What IT Glue said, one entry per problem.
        errors: Vec<ApiError>,
    },
    /// IT Glue's rate limit (3000 requests in 5 minutes) was hit and retries did not get
    /// through.
    #[error("rate limited by IT Glue{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// How long IT Glue asked to wait, if it said.
        retry_after: Option<Duration>,
    },
    /// IT Glue gave up on the query: "The request took too long to process and timed out."
    /// Lists retry such a page at half the page size before returning this.
    #[error("IT Glue timed out processing the request (HTTP {status}): {message}")]
    QueryTimedOut {
        /// The HTTP status it came with.
        status: u16,
        /// What IT Glue said.
        message: String,
    },
    /// Any other unsuccessful answer.
    #[error("IT Glue answered HTTP {status}: {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// What IT Glue said (the errors' text, or an excerpt of the body).
        message: String,
        /// The `errors` array, when there was one.
        errors: Vec<ApiError>,
    },
    /// An argument was refused before anything was sent (for example a page size over 1000).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

impl Error {
    /// True when IT Glue rejected the credentials (401/403).
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Self::Unauthorized { .. } => true,
            Self::Transport(inner) => {
                inner.is_unauthorized() || matches!(inner, msp_transport::Error::Forbidden { .. })
            }
            _ => false,
        }
    }

    /// True when the record or route does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Self::NotFound { .. } | Self::Transport(msp_transport::Error::NotFound { .. })
        )
    }

    /// True when IT Glue's rate limit stopped the request.
    pub fn is_rate_limited(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. } | Self::Transport(msp_transport::Error::RateLimited { .. })
        )
    }

    /// True for failures that may pass when tried again later: rate limits, 5xx, IT Glue's
    /// "query took too long", transport failures.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport(inner) => inner.is_transient(),
            Self::RateLimited { .. } | Self::QueryTimedOut { .. } => true,
            Self::Api { status, .. } => *status >= 500,
            Self::Unauthorized { .. }
            | Self::NotFound { .. }
            | Self::Validation { .. }
            | Self::InvalidArgument(_) => false,
        }
    }

    /// How long IT Glue asked to wait (`Retry-After` of a 429), when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after }
            | Self::Transport(msp_transport::Error::RateLimited { retry_after }) => *retry_after,
            _ => None,
        }
    }

    /// True when IT Glue said the query took too long (a smaller page may pass).
    pub fn is_query_timeout(&self) -> bool {
        matches!(self, Self::QueryTimedOut { .. })
    }

    /// The validation errors (attribute pointer and detail) of a 422/400, else empty.
    pub fn validation_errors(&self) -> &[ApiError] {
        match self {
            Self::Validation { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Whether IT Glue may have acted on the request. False for requests that surely were not
    /// sent and for answers that refused the request (401, 403, 404, 422, 429 and other 4xx);
    /// true when the request may have been processed (timeouts after sending, 5xx). A create
    /// that fails with `true` must be checked before it is tried again.
    pub fn may_have_been_sent(&self) -> bool {
        match self {
            Self::Transport(inner) => inner.may_have_been_sent(),
            Self::Api { status, .. } => *status >= 500,
            Self::QueryTimedOut { .. } => true,
            Self::Unauthorized { .. }
            | Self::NotFound { .. }
            | Self::Validation { .. }
            | Self::RateLimited { .. }
            | Self::InvalidArgument(_) => false,
        }
    }

    /// The error an unsuccessful answer stands for.
    pub(crate) fn from_response(response: &Response) -> Self {
        let status = response.status();
        // Read from the scrubbed text: a vendor that echoes the key must not leak it.
        let errors = parse_errors(response.text_lossy().as_bytes());
        let mut message = if errors.is_empty() {
            body_summary(response)
        } else {
            ApiError::summary(&errors)
        };
        if response.attempts() > 1 {
            // Retried and still failing: name the endpoint and the attempts.
            message = format!("{}: {message}", response.origin());
        }
        if errors.iter().any(ApiError::is_timeout) {
            return Self::QueryTimedOut { status, message };
        }
        match status {
            401 | 403 => Self::Unauthorized {
                status,
                message,
                errors,
            },
            404 => Self::NotFound { message },
            400 | 422 => Self::Validation { status, errors },
            429 => Self::RateLimited {
                retry_after: response.retry_after(),
            },
            504 => Self::QueryTimedOut { status, message },
            _ => Self::Api {
                status,
                message,
                errors,
            },
        }
    }
}

/// One entry of IT Glue's `errors` array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status IT Glue put in the entry (sent as a number or as text).
    pub status: Option<u16>,
    /// The short title (sometimes the only message, e.g. "Valid organization_id is
    /// required").
    pub title: Option<String>,
    /// The detail (e.g. "must exist"); may be absent.
    pub detail: Option<String>,
    /// The JSON pointer to the offending part of the request, as sent (e.g.
    /// `/data/attributes/configuration-type`).
    pub pointer: Option<String>,
    /// The query parameter at fault, when the error is about one (e.g. `page[size]`).
    pub parameter: Option<String>,
}

impl ApiError {
    /// The attribute the pointer names, in kebab-case (`configuration-type`,
    /// `organization-id`), whatever the pointer's style; `None` when it names no attribute.
    ///
    /// ```
    /// use itglue_client::ApiError;
    ///
    /// let mut error = ApiError::default();
    /// error.pointer = Some("data/attributes/organization_id".to_owned());
    /// assert_eq!(error.attribute().as_deref(), Some("organization-id"));
    /// ```
    pub fn attribute(&self) -> Option<String> {
        let pointer = self.pointer.as_deref()?.trim().trim_start_matches('/');
        let rest = pointer.strip_prefix("data/attributes/").or_else(|| {
            pointer
                .split_once("/attributes/")
                .map(|(_, attribute)| attribute)
        })?;
        let attribute = rest.split('/').next().unwrap_or(rest).trim();
        (!attribute.is_empty()).then(|| attribute.replace('_', "-"))
    }

    /// The human message: the detail, else the title, else empty.
    pub fn message(&self) -> &str {
        self.detail
            .as_deref()
            .or(self.title.as_deref())
            .unwrap_or_default()
    }

    fn is_timeout(&self) -> bool {
        [&self.detail, &self.title]
            .into_iter()
            .flatten()
            .any(|text| text.to_ascii_lowercase().contains(TIMED_OUT_TEXT))
    }

    fn summary(errors: &[ApiError]) -> String {
        if errors.is_empty() {
            return "no details".to_owned();
        }
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self
            .attribute()
            .or_else(|| self.pointer.clone())
            .or_else(|| self.parameter.clone());
        match (place, self.message()) {
            (Some(place), "") => write!(f, "{place}: (no detail)"),
            (Some(place), message) => write!(f, "{place}: {message}"),
            (None, "") => f.write_str("(no detail)"),
            (None, message) => f.write_str(message),
        }
    }
}

#[derive(Deserialize)]
struct ErrorsDocument {
    #[serde(default)]
    errors: Vec<WireApiError>,
}

#[derive(Deserialize)]
struct WireApiError {
    #[serde(default, deserialize_with = "lenient::optional_string_or_number")]
    status: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    source: Option<WireSource>,
}

#[derive(Deserialize)]
struct WireSource {
    #[serde(default)]
    pointer: Option<String>,
    #[serde(default)]
    parameter: Option<String>,
}

/// The `errors` array of a body; empty when the body is not a JSON:API error document (an
/// HTML page, a proxy's text).
fn parse_errors(body: &[u8]) -> Vec<ApiError> {
    let Ok(document) = serde_json::from_slice::<ErrorsDocument>(body) else {
        return Vec::new();
    };
    document
        .errors
        .into_iter()
        .map(|wire| ApiError {
            status: wire.status.and_then(|status| status.trim().parse().ok()),
            title: wire.title,
            detail: wire.detail,
            pointer: wire
                .source
                .as_ref()
                .and_then(|source| source.pointer.clone()),
            parameter: wire.source.and_then(|source| source.parameter),
        })
        .collect()
}

/// A short description of a body that is not an error document: an HTML page's title, or an
/// excerpt of the text.
fn body_summary(response: &Response) -> String {
    let text = response.text_lossy();
    let lower = text.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>")) {
        let title = text
            .get(start + "<title>".len()..end)
            .unwrap_or_default()
            .trim();
        if !title.is_empty() {
            return format!("HTML page \"{title}\"");
        }
    }
    let excerpt = response.excerpt();
    if excerpt.is_empty() {
        format!("empty body with HTTP {}", response.status())
    } else {
        excerpt
    }
}

msp_transport::impl_client_error!(Error);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_failures_and_retry_after_read_the_same_as_on_the_other_clients() {
        let limited = Error::RateLimited {
            retry_after: Some(Duration::from_secs(30)),
        };
        assert!(limited.is_transient() && limited.is_rate_limited());
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(30)));
        let slow = Error::QueryTimedOut {
            status: 422,
            message: "took too long".into(),
        };
        assert!(slow.is_transient() && slow.retry_after().is_none());
        let server = Error::Api {
            status: 503,
            message: "down".into(),
            errors: Vec::new(),
        };
        assert!(msp_transport::ClientError::is_transient(&server));
        let refused = Error::Validation {
            status: 422,
            errors: Vec::new(),
        };
        assert!(!refused.is_transient() && !refused.may_have_been_sent());
        let transport = Error::Transport(msp_transport::Error::RateLimited {
            retry_after: Some(Duration::from_secs(5)),
        });
        assert_eq!(transport.retry_after(), Some(Duration::from_secs(5)));
    }

    fn attribute_of(pointer: &str) -> Option<String> {
        ApiError {
            pointer: Some(pointer.to_owned()),
            ..ApiError::default()
        }
        .attribute()
    }

    #[test]
    fn pointers_of_every_observed_style_name_the_attribute() {
        assert_eq!(
            attribute_of("/data/attributes/configuration-type").as_deref(),
            Some("configuration-type")
        );
        assert_eq!(
            attribute_of("data/attributes/organization_id").as_deref(),
            Some("organization-id")
        );
        assert_eq!(
            attribute_of("/data/0/attributes/name").as_deref(),
            Some("name")
        );
        assert_eq!(attribute_of("id"), None);
    }

    #[test]
    fn errors_with_text_status_and_missing_detail_are_read() {
        let body = br#"{"errors": [
            {"status": "422", "title": "Valid organization_id is required",
             "source": {"pointer": "data/attributes/organization_id"}},
            {"status": 401}
        ]}"#;
        let errors = parse_errors(body);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].status, Some(422));
        assert_eq!(errors[0].message(), "Valid organization_id is required");
        assert_eq!(
            errors[0].to_string(),
            "organization-id: Valid organization_id is required"
        );
        assert_eq!(errors[1].to_string(), "(no detail)");
    }

    #[test]
    fn a_query_parameter_at_fault_is_kept() {
        let errors = parse_errors(
            br#"{"errors": [{"status": 400, "title": "Bad Request", "detail": "too big",
                "source": {"parameter": "page[size]"}}]}"#,
        );
        assert_eq!(errors[0].parameter.as_deref(), Some("page[size]"));
        assert_eq!(errors[0].to_string(), "page[size]: too big");
    }

    #[test]
    fn a_body_that_is_not_an_error_document_has_no_errors() {
        assert!(parse_errors(b"<html><title>x</title></html>").is_empty());
        assert!(parse_errors(b"").is_empty());
        assert!(parse_errors(br#"{"errors": "boom"}"#).is_empty());
    }

    #[test]
    fn the_timeout_text_is_recognised_in_detail_or_title() {
        let detail = ApiError {
            detail: Some("The request took too long to process and timed out.".to_owned()),
            ..ApiError::default()
        };
        let title = ApiError {
            title: Some("Request Took Too Long".to_owned()),
            ..ApiError::default()
        };
        assert!(detail.is_timeout());
        assert!(title.is_timeout());
        assert!(!ApiError::default().is_timeout());
    }
}
