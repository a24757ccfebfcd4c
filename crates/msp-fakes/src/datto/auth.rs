//! The OAuth side of the fake: `POST /auth/oauth/token` (password grant, Basic
//! `public-client:public`) and the bearer tokens it hands out.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::Request;

use super::state::splitmix;

/// `Basic base64("public-client:public")`: the fixed public OAuth client every Datto user sends.
const PUBLIC_CLIENT_BASIC: &str = "cHVibGljLWNsaWVudDpwdWJsaWM=";

#[derive(Default)]
pub(crate) struct Tokens {
    /// token → expiry on the fake clock
    issued: BTreeMap<String, Instant>,
    counter: u64,
}

/// Prints how many tokens exist, never the tokens.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("valid_or_expired", &self.issued.len())
            .field("issued", &self.counter)
            .finish()
    }
}

/// The outcome of a token request.
pub(crate) enum Grant {
    Issued(Value),
    Rejected { status: u16, body: Value },
}

impl Tokens {
    pub fn issue(&mut self, now: Instant, lifetime: Duration, seed: u64) -> (String, u64) {
        self.counter += 1;
        let token = format!(
            "fake-{:016x}{:016x}",
            splitmix(seed ^ self.counter),
            splitmix(self.counter.wrapping_mul(31) ^ seed)
        );
        self.issued.insert(token.clone(), now + lifetime);
        (token, self.counter)
    }

    pub fn is_valid(&self, token: &str, now: Instant) -> bool {
        self.issued.get(token).is_some_and(|expiry| *expiry > now)
    }

    pub fn revoke_all(&mut self) {
        self.issued.clear();
    }

    pub fn issued_count(&self) -> u64 {
        self.counter
    }
}

/// The bearer token of a request, if it carries one.
pub(crate) fn bearer(request: &Request) -> Option<&str> {
    let value = request.headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn oauth_error(status: u16, error: &str, description: &str) -> Grant {
    Grant::Rejected {
        status,
        body: json!({ "error": error, "error_description": description }),
    }
}

/// Checks a token request against the account's API key and secret.
pub(crate) fn grant(
    request: &Request,
    api_key: &str,
    api_secret: &str,
    issue: impl FnOnce() -> (String, u64),
    lifetime: Duration,
) -> Grant {
    let client_ok = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, creds)| {
            scheme.eq_ignore_ascii_case("basic") && creds.trim() == PUBLIC_CLIENT_BASIC
        });
    if !client_ok {
        return oauth_error(
            401,
            "unauthorized",
            "Full authentication is required to access this resource",
        );
    }
    let mut grant_type = None;
    let mut username = None;
    let mut password = None;
    for (key, value) in url::form_urlencoded::parse(&request.body) {
        match key.as_ref() {
            "grant_type" => grant_type = Some(value.into_owned()),
            "username" => username = Some(value.into_owned()),
            "password" => password = Some(value.into_owned()),
            _ => {}
        }
    }
    if grant_type.as_deref() != Some("password") {
        return oauth_error(400, "unsupported_grant_type", "Unsupported grant type");
    }
    if username.as_deref() != Some(api_key) || password.as_deref() != Some(api_secret) {
        return oauth_error(401, "unauthorized", "Bad credentials");
    }
    let (token, n) = issue();
    Grant::Issued(json!({
        "access_token": token,
        "token_type": "bearer",
        "refresh_token": format!("refresh-{n}"),
        "expires_in": lifetime.as_secs(),
        "scope": "default",
        "jti": format!("jti-{n}"),
    }))
}
