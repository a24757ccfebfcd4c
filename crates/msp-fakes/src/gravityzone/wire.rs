//! The JSON-RPC wire format as GravityZone speaks it: the envelope, errors (mostly with
//! HTTP 200), the HTTP Basic credentials, and typed access to named parameters.

use serde_json::{Map, Value, json};
use wiremock::{Request, ResponseTemplate};

use crate::harness::json_response;

/// A JSON-RPC error answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RpcFault {
    pub code: i64,
    pub message: &'static str,
    pub details: String,
}

impl RpcFault {
    /// `-32602 Invalid params` with `details`.
    pub(crate) fn invalid_params(details: impl Into<String>) -> Self {
        Self {
            code: -32602,
            message: "Invalid params",
            details: details.into(),
        }
    }

    /// `-32602` for one parameter, worded as the live API words it.
    pub(crate) fn invalid_value(param: &str) -> Self {
        Self::invalid_params(format!("Invalid value for '{param}' parameter."))
    }

    /// `-32601 Method not found`.
    pub(crate) fn method_not_found(method: &str) -> Self {
        Self {
            code: -32601,
            message: "Method not found",
            details: format!("The method '{method}' does not exist."),
        }
    }

    /// `-32600 Invalid Request`.
    pub(crate) fn invalid_request(details: impl Into<String>) -> Self {
        Self {
            code: -32600,
            message: "Invalid Request",
            details: details.into(),
        }
    }

    /// `-32700 Parse error`.
    pub(crate) fn parse_error() -> Self {
        Self {
            code: -32700,
            message: "Parse error",
            details: "The request is not valid JSON.".into(),
        }
    }

    /// `-32000 Server error` (used with HTTP 401/403 for key problems).
    pub(crate) fn server_error(details: impl Into<String>) -> Self {
        Self {
            code: -32000,
            message: "Server error",
            details: details.into(),
        }
    }

    /// `-32003 Too many requests`.
    pub(crate) fn too_many_requests(method: &str) -> Self {
        Self {
            code: -32003,
            message: "Too many requests",
            details: format!("The rate limit of '{method}' was exceeded."),
        }
    }

    /// The error envelope.
    pub(crate) fn body(&self, id: &Value) -> Value {
        json!({
            "id": id,
            "jsonrpc": "2.0",
            "error": {"code": self.code, "message": self.message, "data": {"details": self.details}},
        })
    }

    /// The answer with HTTP `status`.
    pub(crate) fn respond(&self, status: u16, id: &Value) -> ResponseTemplate {
        json_response(status, &self.body(id))
    }
}

/// A success envelope with HTTP 200.
pub(crate) fn respond_result(id: &Value, result: Value) -> ResponseTemplate {
    json_response(200, &json!({"id": id, "jsonrpc": "2.0", "result": result}))
}

/// The API key from `Authorization: Basic base64(key:password)`; `Err` names what is wrong.
pub(crate) fn basic_user(request: &Request) -> Result<String, &'static str> {
    const MISSING: &str =
        "Authorization header not passed, HTTP Basic Authentication should be used.";
    let header = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or(MISSING)?;
    let encoded = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))
        .ok_or(MISSING)?;
    let decoded = base64_decode(encoded.trim()).ok_or(MISSING)?;
    let text = String::from_utf8(decoded).map_err(|_| MISSING)?;
    let (user, _password) = text.split_once(':').ok_or(MISSING)?;
    Ok(user.to_owned())
}

/// Standard base64 (with or without padding).
fn base64_decode(input: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let bytes: Vec<u8> = input.bytes().filter(|b| *b != b'=').collect();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let produced = chunk.len() - 1;
        for i in 0..produced {
            out.push(((n >> (16 - 8 * i)) & 0xff) as u8);
        }
    }
    Some(out)
}

/// The parsed JSON-RPC request.
#[derive(Debug)]
pub(crate) struct Call {
    pub id: Value,
    pub method: String,
    pub params: Map<String, Value>,
}

/// Parses the body into a [`Call`], or the error to answer (with the id when known).
pub(crate) fn parse_call(body: &[u8]) -> Result<Call, (Value, RpcFault)> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| (Value::Null, RpcFault::parse_error()))?;
    let Value::Object(mut envelope) = value else {
        return Err((
            Value::Null,
            RpcFault::invalid_request("Batch requests and non-object requests are not supported."),
        ));
    };
    let id = envelope.remove("id").unwrap_or(Value::Null);
    if envelope.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err((
            id,
            RpcFault::invalid_request("The 'jsonrpc' member must be \"2.0\"."),
        ));
    }
    let Some(method) = envelope
        .get("method")
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return Err((
            id,
            RpcFault::invalid_request("The 'method' member is missing."),
        ));
    };
    let params = match envelope.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err((
                id,
                RpcFault::invalid_params("Parameters must be passed by name (an object)."),
            ));
        }
    };
    Ok(Call { id, method, params })
}

/// Typed, checked access to named parameters.
pub(crate) struct Params<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Params<'a> {
    /// Wraps `map`, refusing members not in `allowed` (the vendor rejects unknown parameters,
    /// e.g. `page` on `getCompaniesList`).
    pub(crate) fn new(map: &'a Map<String, Value>, allowed: &[&str]) -> Result<Self, RpcFault> {
        if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
            return Err(RpcFault::invalid_params(format!(
                "Unknown parameter '{unknown}'."
            )));
        }
        Ok(Self { map })
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub(crate) fn opt_str(&self, name: &str) -> Result<Option<&'a str>, RpcFault> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(RpcFault::invalid_value(name)),
        }
    }

    pub(crate) fn req_str(&self, name: &str) -> Result<&'a str, RpcFault> {
        self.opt_str(name)?
            .ok_or_else(|| RpcFault::invalid_value(name))
    }

    pub(crate) fn opt_bool(&self, name: &str) -> Result<Option<bool>, RpcFault> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(RpcFault::invalid_value(name)),
        }
    }

    pub(crate) fn opt_int(&self, name: &str) -> Result<Option<i64>, RpcFault> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| RpcFault::invalid_value(name)),
        }
    }

    pub(crate) fn opt_object(
        &self,
        name: &str,
    ) -> Result<Option<&'a Map<String, Value>>, RpcFault> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(_) => Err(RpcFault::invalid_value(name)),
        }
    }

    pub(crate) fn raw(&self, name: &str) -> Option<&'a Value> {
        self.get(name)
    }

    /// `page` (default 1) and `perPage` (default 30, at most `max`).
    pub(crate) fn paging(&self, max: i64) -> Result<(i64, i64), RpcFault> {
        let page = self.opt_int("page")?.unwrap_or(1);
        if page < 1 {
            return Err(RpcFault::invalid_value("page"));
        }
        let per_page = self.opt_int("perPage")?.unwrap_or(30);
        if !(1..=max).contains(&per_page) {
            return Err(RpcFault::invalid_value("perPage"));
        }
        Ok((page, per_page))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_the_basic_pair() {
        assert_eq!(base64_decode("dGVzdC1rZXk6").unwrap(), b"test-key:");
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64_decode("Zg").unwrap(), b"f");
        assert!(base64_decode("Z").is_none());
        assert!(base64_decode("!!!!").is_none());
    }

    #[test]
    fn calls_need_2_0_a_method_and_named_params() {
        assert!(parse_call(br#"{"id":1,"jsonrpc":"2.0","method":"m","params":{}}"#).is_ok());
        assert_eq!(parse_call(b"{nope").unwrap_err().1.code, -32700);
        assert_eq!(
            parse_call(br#"{"id":1,"method":"m"}"#).unwrap_err().1.code,
            -32600
        );
        assert_eq!(parse_call(br#"[{"id":1}]"#).unwrap_err().1.code, -32600);
        let (id, fault) =
            parse_call(br#"{"id":"x","jsonrpc":"2.0","method":"m","params":[1]}"#).unwrap_err();
        assert_eq!((id, fault.code), (json!("x"), -32602));
    }

    #[test]
    fn unknown_parameters_are_refused() {
        let map = json!({"parentId": "a", "page": 1});
        let err = Params::new(map.as_object().unwrap(), &["parentId", "filters"])
            .err()
            .unwrap();
        assert!(err.details.contains("'page'"));
    }
}
