//! JSON-RPC 2.0 over HTTP POST, done once: the request envelope, the response envelope, and
//! how an HTTP answer becomes a result or a typed [`Error`].

use std::fmt;

use msp_transport::Response;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{Error, RpcError};
use crate::models::lenient;
use crate::models::{ApiArea, RpcErrorCode};

/// The version segment of an API URL: `{access}/v1.0/jsonrpc/{area}` or `…/v1.1/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `v1.0`: every method.
    V1_0,
    /// `v1.1`: `getEndpointsList` and `getNetworkInventoryItems` (pages up to 1000), among
    /// a few others.
    V1_1,
}

impl ApiVersion {
    /// The URL segment (`"v1.0"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1_0 => "v1.0",
            ApiVersion::V1_1 => "v1.1",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The path of an API below the access URL, e.g. `v1.0/jsonrpc/companies`.
pub(crate) fn api_path(version: ApiVersion, area: &ApiArea) -> String {
    format!("{}/jsonrpc/{}", version.as_str(), area.as_str())
}

/// The request envelope. `params` is always an object of named members.
#[derive(Debug, Serialize)]
pub(crate) struct RpcRequest<'a, P: Serialize + ?Sized> {
    pub id: u64,
    pub jsonrpc: &'static str,
    pub method: &'a str,
    pub params: &'a P,
}

/// The response envelope. `result` distinguishes "present and null" (`Some(Value::Null)`)
/// from "absent" (`None`).
#[derive(Debug, Deserialize)]
pub(crate) struct RpcResponse {
    #[serde(default, deserialize_with = "present")]
    pub result: Option<Value>,
    #[serde(default)]
    pub error: Option<WireError>,
}

fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// `error` as sent: every member optional, `code` possibly a string.
#[derive(Debug, Deserialize)]
pub(crate) struct WireError {
    #[serde(default, deserialize_with = "lenient::opt_int")]
    code: Option<i64>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    data: Option<Value>,
}

impl WireError {
    fn into_rpc_error(self) -> RpcError {
        let details = match self.data {
            Some(Value::Object(mut data)) => match data.remove("details") {
                Some(Value::String(s)) => Some(s),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.to_string()),
            },
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        RpcError {
            code: RpcErrorCode::from_code(self.code.unwrap_or(-32000)),
            message: self.message.unwrap_or_default(),
            details,
        }
    }
}

/// The method being called, for error messages and classification.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallContext<'a> {
    pub area: &'a ApiArea,
    pub method: &'a str,
}

/// Turns a complete HTTP answer into the decoded `result`, or the error it stands for.
pub(crate) fn interpret<T: DeserializeOwned>(
    ctx: CallContext<'_>,
    response: &Response,
) -> Result<T, Error> {
    let status = response.status();
    let (result, rpc_error) = match msp_transport::decode_json::<RpcResponse>(response.body()) {
        Ok(envelope) => (
            Ok(envelope.result),
            envelope.error.map(WireError::into_rpc_error),
        ),
        Err(e) => (Err(e), None),
    };
    let details = || {
        rpc_error
            .as_ref()
            .map(|e| e.reason().to_owned())
            .unwrap_or_else(|| response.excerpt())
    };
    match status {
        200..=299 => {}
        401 => {
            let details = details();
            let area_refused = rpc_error
                .as_ref()
                .is_some_and(|e| !e.looks_like_bad_key() && e.looks_like_area_not_enabled());
            return Err(if area_refused {
                Error::ApiNotEnabled {
                    area: ctx.area.clone(),
                    details,
                }
            } else {
                Error::Unauthorized { details }
            });
        }
        403 => {
            return Err(Error::ApiNotEnabled {
                area: ctx.area.clone(),
                details: details(),
            });
        }
        405 => {
            return Err(msp_transport::Error::Vendor {
                status,
                message: format!("GravityZone accepts only POST: {}", details()),
            }
            .into());
        }
        429 => {
            return Err(msp_transport::Error::RateLimited {
                retry_after: response.retry_after(),
            }
            .into());
        }
        400..=499 if rpc_error.is_some() => {
            // Not the vendor's documented habit (errors come with 200), but a JSON-RPC error is
            // a JSON-RPC error whatever the status.
        }
        _ => {
            let origin = response.origin();
            let message = if origin.is_empty() {
                format!("{}: {}", ctx.method, details())
            } else {
                format!("{} {origin}: {}", ctx.method, details())
            };
            return Err(msp_transport::Error::Vendor { status, message }.into());
        }
    }
    if let Some(error) = rpc_error {
        return Err(classify_rpc_error(ctx, error));
    }
    let Some(result) = result? else {
        return Err(Error::UnexpectedResult {
            method: ctx.method.to_owned(),
            message: "the answer has neither `result` nor `error`".into(),
        });
    };
    serde_path_to_error::deserialize(result).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            "result".to_owned()
        } else {
            format!("result.{inner}")
        };
        Error::Transport(msp_transport::Error::Decode {
            path,
            message: e.inner().to_string(),
        })
    })
}

/// A JSON-RPC error sent with a success status: the key and rate-limit cases get their own
/// errors, everything else is [`Error::Rpc`] (callers refine name collisions).
fn classify_rpc_error(ctx: CallContext<'_>, error: RpcError) -> Error {
    if error.looks_like_bad_key() {
        return Error::Unauthorized {
            details: error.reason().to_owned(),
        };
    }
    if error.code == RpcErrorCode::TooManyRequests {
        return msp_transport::Error::RateLimited { retry_after: None }.into();
    }
    Error::Rpc {
        method: ctx.method.to_owned(),
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_use_named_params_and_the_2_0_tag() {
        let params = json!({"companyId": "abc"});
        let request = RpcRequest {
            id: 7,
            jsonrpc: "2.0",
            method: "getCompanyDetails",
            params: &params,
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"id": 7, "jsonrpc": "2.0", "method": "getCompanyDetails",
                   "params": {"companyId": "abc"}})
        );
    }

    #[test]
    fn a_null_result_is_present_and_a_missing_one_is_not() {
        let null: RpcResponse = serde_json::from_value(json!({"id": 1, "result": null})).unwrap();
        assert_eq!(null.result, Some(Value::Null));
        let missing: RpcResponse = serde_json::from_value(json!({"id": 1})).unwrap();
        assert_eq!(missing.result, None);
    }

    #[test]
    fn error_details_come_from_data_details() {
        let wire: WireError = serde_json::from_value(
            json!({"code": -32602, "message": "Invalid params", "data": {"details": "bad parentId", "echo": "x"}}),
        )
        .unwrap();
        let e = wire.into_rpc_error();
        assert_eq!(e.code, RpcErrorCode::InvalidParams);
        assert_eq!(e.reason(), "bad parentId");
    }

    #[test]
    fn api_paths_keep_the_version_and_lower_case_area() {
        assert_eq!(
            api_path(ApiVersion::V1_1, &ApiArea::Network),
            "v1.1/jsonrpc/network"
        );
    }
}
