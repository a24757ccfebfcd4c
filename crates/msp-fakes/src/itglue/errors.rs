//! IT Glue's failure answers: the JSON:API `errors` array (with a numeric `status`, as IT Glue
//! sends it) and the HTML page of a wrong URL.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

/// The media type of IT Glue's answers.
pub(crate) const JSON_API: &str = "application/vnd.api+json";

/// The detail IT Glue gives when a query ran too long.
pub const TIMED_OUT_DETAIL: &str = "The request took too long to process and timed out.";

/// One entry of the `errors` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) title: String,
    pub(crate) detail: Option<String>,
    pub(crate) pointer: Option<String>,
    pub(crate) parameter: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: u16, title: &str) -> Self {
        Self {
            status,
            title: title.to_owned(),
            detail: None,
            pointer: None,
            parameter: None,
        }
    }

    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub(crate) fn pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    pub(crate) fn parameter(mut self, parameter: impl Into<String>) -> Self {
        self.parameter = Some(parameter.into());
        self
    }

    /// A 422 for one attribute: `/data/attributes/<attribute>` and the detail.
    pub(crate) fn invalid(pointer: impl Into<String>, detail: &str) -> Self {
        Self::new(422, "Unprocessable Entity")
            .pointer(pointer)
            .detail(detail)
    }

    /// A 400 for a query parameter.
    pub(crate) fn bad_parameter(parameter: &str, detail: impl Into<String>) -> Self {
        Self::new(400, "Bad Request")
            .parameter(parameter)
            .detail(detail)
    }

    fn to_json(&self) -> Value {
        let mut entry = json!({ "status": self.status, "title": self.title });
        if let Some(detail) = &self.detail {
            entry["detail"] = json!(detail);
        }
        if self.pointer.is_some() || self.parameter.is_some() {
            let mut source = json!({});
            if let Some(pointer) = &self.pointer {
                source["pointer"] = json!(pointer);
            }
            if let Some(parameter) = &self.parameter {
                source["parameter"] = json!(parameter);
            }
            entry["source"] = source;
        }
        entry
    }

    /// This error alone, as an answer with its own status.
    pub(crate) fn into_response(self) -> ResponseTemplate {
        let status = self.status;
        errors_response(status, &[self])
    }
}

/// An answer with HTTP `status` and these errors.
pub(crate) fn errors_response(status: u16, errors: &[ApiError]) -> ResponseTemplate {
    let body = json!({ "errors": errors.iter().map(ApiError::to_json).collect::<Vec<_>>() });
    json_api(status, &body)
}

/// A JSON:API answer.
pub(crate) fn json_api(status: u16, body: &Value) -> ResponseTemplate {
    // `set_body_raw` keeps the content type (`set_body_string` would make it `text/plain`).
    ResponseTemplate::new(status).set_body_raw(body.to_string(), JSON_API)
}

/// `404` with IT Glue's JSON body for a record that does not exist.
pub(crate) fn record_not_found() -> ResponseTemplate {
    ApiError::new(404, "Record not found")
        .detail("The record you were looking for could not be found.")
        .into_response()
}

/// The HTML page IT Glue answers for a URL that matches no route.
pub(crate) fn html_not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_raw(
            "<!DOCTYPE html>\n<html>\n<head>\n  <title>The page you were looking for doesn't exist (404)</title>\n</head>\n<body>\n  <div class=\"dialog\">\n    <h1>The page you were looking for doesn't exist.</h1>\n    <p>You may have mistyped the address or the page may have moved.</p>\n  </div>\n</body>\n</html>\n",
        "text/html; charset=utf-8",
    )
}
