//! A vendor's answer, fully read, and how to turn it into data or an error.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::retry::parse_retry_after;
use crate::secret::{Secret, scrub};

/// The longest excerpt of a body quoted in an error message.
const EXCERPT: usize = 300;

/// A complete HTTP answer (status, headers, body).
#[derive(Clone)]
pub struct Response {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
    secrets: Vec<Secret>,
    origin: Option<Origin>,
}

/// Which request an answer came from, and after how many attempts.
#[derive(Clone, Debug)]
struct Origin {
    endpoint: String,
    attempts: u32,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Response {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: Bytes, secrets: Vec<Secret>) -> Self {
        Self {
            status,
            headers,
            body,
            secrets,
            origin: None,
        }
    }

    pub(crate) fn with_origin(mut self, endpoint: String, attempts: u32) -> Self {
        self.origin = Some(Origin { endpoint, attempts });
        self
    }

    /// The request this answer came from, as `METHOD /path` (set by [`crate::HttpClient::send`]).
    pub fn endpoint(&self) -> Option<&str> {
        self.origin.as_ref().map(|o| o.endpoint.as_str())
    }

    /// How many attempts the request took (1 when it was not retried; set by
    /// [`crate::HttpClient::send`]).
    pub fn attempts(&self) -> u32 {
        self.origin.as_ref().map_or(1, |o| o.attempts)
    }

    /// `METHOD /path (n attempts)`, for error messages; empty when unknown.
    pub fn origin(&self) -> String {
        self.origin
            .as_ref()
            .map(|o| {
                format!(
                    "{} ({})",
                    o.endpoint,
                    crate::client::attempts_text(o.attempts)
                )
            })
            .unwrap_or_default()
    }

    /// True when the answer says it is JSON (`content-type` `…json…`) but its body does not
    /// parse: garbled or cut short on the way.
    pub fn is_garbled_json(&self) -> bool {
        let says_json = self
            .header("content-type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
        says_json
            && !self.body.is_empty()
            && serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_err()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// A header's value, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced), with the request's secrets redacted.
    pub fn text_lossy(&self) -> String {
        scrub(&String::from_utf8_lossy(&self.body), &self.secrets)
    }

    /// The `Retry-After` header, parsed (seconds or HTTP date).
    pub fn retry_after(&self) -> Option<Duration> {
        self.header("retry-after")
            .and_then(|v| parse_retry_after(v, SystemTime::now()))
    }

    /// Decodes the body as JSON into `T`; a failure names the JSON path.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(&self.body)
    }

    /// A short, secret-free excerpt of the body for error messages.
    pub fn excerpt(&self) -> String {
        let text = self.text_lossy();
        let text = text.trim();
        if text.chars().count() <= EXCERPT {
            text.to_owned()
        } else {
            let cut: String = text.chars().take(EXCERPT).collect();
            format!("{cut}…")
        }
    }

    /// Keeps a successful answer; turns any other into the matching [`Error`]:
    /// 401 → `Unauthorized`, 403 → `Forbidden`, 404 → `NotFound`, 429 → `RateLimited`,
    /// anything else → `Vendor`.
    pub fn error_for_status(self) -> Result<Response, Error> {
        if self.is_success() {
            return Ok(self);
        }
        Err(self.to_error())
    }

    /// The [`Error`] this (unsuccessful) answer stands for, as in [`Response::error_for_status`].
    pub fn to_error(&self) -> Error {
        let message = self.excerpt();
        match self.status {
            401 => Error::Unauthorized { message },
            403 => Error::Forbidden { message },
            404 => Error::NotFound { message },
            429 => Error::RateLimited {
                retry_after: self.retry_after(),
            },
            status => {
                let origin = self.origin();
                let message = if origin.is_empty() {
                    message
                } else {
                    format!("{origin}: {message}")
                };
                Error::Vendor { status, message }
            }
        }
    }
}

/// Decodes JSON into `T`; the error names the failing path, e.g.
/// `devicesStatus.numberOfDevices`.
///
/// ```
/// #[derive(Debug, serde::Deserialize)]
/// struct Site { #[allow(dead_code)] name: String }
/// let err = msp_transport::decode_json::<Vec<Site>>(br#"[{"name": 5}]"#).unwrap_err();
/// assert!(err.to_string().contains("[0].name"));
/// ```
pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| Error::Decode {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })?;
    deserializer.end().map_err(|e| Error::Decode {
        path: ".".into(),
        message: e.to_string(),
    })?;
    Ok(value)
}
