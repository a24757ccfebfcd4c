//! The OAuth password grant at `{host}/auth/oauth/token` and the cached bearer token.
//!
//! One token serves every clone of a client. It is fetched under a tokio mutex, so concurrent
//! calls that find no valid token wait for one fetch instead of each starting their own; it is
//! refreshed a margin before it expires and after the API answers `401` (once per request).

use std::sync::Arc;
use std::time::Duration;

use msp_transport::{HttpClient, Method, Secret, Url};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::Error;
use crate::models::lenient;

/// Datto's fixed, public OAuth client (the same for every account; not a secret).
const CLIENT_ID: &str = "public-client";
const CLIENT_SECRET: &str = "public";
/// Datto documents 100-hour tokens; used when the answer has no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(100 * 3600);
/// Refresh this long before expiry at most…
const MAX_MARGIN: Duration = Duration::from_secs(600);

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

#[derive(Clone)]
struct Token {
    access: Secret,
    /// Refresh from this point on (a margin before expiry).
    refresh_at: Instant,
    /// Datto stops accepting it here.
    expires_at: Instant,
    /// Which fetch produced it: a 401 invalidates only the token it was seen with.
    generation: u64,
}

struct Slot {
    token: Option<Token>,
    generation: u64,
}

/// The bearer token of a request, and which fetch it came from.
#[derive(Clone)]
pub(crate) struct Bearer {
    pub token: Secret,
    pub generation: u64,
}

/// The credentials and the shared token cache.
#[derive(Clone)]
pub(crate) struct Auth {
    http: HttpClient,
    token_url: Url,
    api_key: Secret,
    api_secret: Secret,
    slot: Arc<Mutex<Slot>>,
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Auth")
            .field("token_url", &self.token_url.as_str())
            .finish_non_exhaustive()
    }
}

/// The refresh margin for a token living `lifetime`: a tenth of it, at most ten minutes.
fn margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(MAX_MARGIN)
}

impl Auth {
    pub fn new(http: HttpClient, token_url: Url, api_key: Secret, api_secret: Secret) -> Self {
        Auth {
            http,
            token_url,
            api_key,
            api_secret,
            slot: Arc::new(Mutex::new(Slot {
                token: None,
                generation: 0,
            })),
        }
    }

    /// A token that is valid now: the cached one, or a fresh one (one fetch for all waiting
    /// callers). When a refresh ahead of expiry fails for a passing reason, the old, still
    /// valid token is used.
    pub async fn bearer(&self) -> Result<Bearer, Error> {
        let mut slot = self.slot.lock().await;
        let now = Instant::now();
        if let Some(token) = &slot.token
            && now < token.refresh_at
        {
            return Ok(Bearer {
                token: token.access.clone(),
                generation: token.generation,
            });
        }
        match self.fetch().await {
            Ok((access, lifetime)) => {
                slot.generation += 1;
                let now = Instant::now();
                let token = Token {
                    access: access.clone(),
                    refresh_at: now + lifetime.saturating_sub(margin(lifetime)),
                    expires_at: now + lifetime,
                    generation: slot.generation,
                };
                slot.token = Some(token);
                Ok(Bearer {
                    token: access,
                    generation: slot.generation,
                })
            }
            Err(error) => {
                if !error.is_unauthorized()
                    && let Some(token) = &slot.token
                    && Instant::now() < token.expires_at
                {
                    tracing::warn!(%error, "Datto token refresh failed; using the current token until it expires");
                    return Ok(Bearer {
                        token: token.access.clone(),
                        generation: token.generation,
                    });
                }
                if error.is_unauthorized() {
                    slot.token = None;
                }
                Err(error)
            }
        }
    }

    /// Forgets the token of `generation` (the API rejected it); a newer one is kept.
    pub async fn invalidate(&self, generation: u64) {
        let mut slot = self.slot.lock().await;
        if slot
            .token
            .as_ref()
            .is_some_and(|t| t.generation == generation)
        {
            slot.token = None;
        }
    }

    /// Runs the password grant: the access token and its lifetime.
    async fn fetch(&self) -> Result<(Secret, Duration), Error> {
        let client_id = Secret::new(CLIENT_ID);
        let client_secret = Secret::new(CLIENT_SECRET);
        let request = self
            .http
            .request(Method::POST, self.token_url.clone())
            .basic_auth(&client_id, Some(&client_secret))
            .header("accept", "application/json")
            .form(&[("grant_type", "password")])
            .form_secret("username", &self.api_key)
            .form_secret("password", &self.api_secret)
            // Asking for a token changes nothing: safe to retry.
            .idempotent(true);
        let response = self.http.send(request).await?;
        let status = response.status();
        if status == 401 || (status == 400 && is_invalid_grant(response.body())) {
            return Err(Error::InvalidCredentials {
                message: describe(&response),
            });
        }
        let response = response.error_for_status()?;
        let token: TokenResponse = response.json()?;
        let access = token
            .access_token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| msp_transport::Error::Decode {
                path: "access_token".into(),
                message: "the token answer has no access_token".into(),
            })?;
        let lifetime = token
            .expires_in
            .filter(|s| *s > 0)
            .map_or(DEFAULT_LIFETIME, |s| Duration::from_secs(s.unsigned_abs()));
        tracing::debug!(
            lifetime_s = lifetime.as_secs(),
            "fetched a Datto RMM access token"
        );
        Ok((Secret::new(access), lifetime))
    }
}

fn is_invalid_grant(body: &[u8]) -> bool {
    serde_json::from_slice::<OAuthError>(body)
        .ok()
        .and_then(|e| e.error)
        .is_some_and(|e| e == "invalid_grant" || e == "unauthorized" || e == "invalid_client")
}

/// The OAuth error description, or an excerpt of the body.
fn describe(response: &msp_transport::Response) -> String {
    // text_lossy() has the request's secrets scrubbed out, should the server echo them.
    let parsed = serde_json::from_str::<OAuthError>(&response.text_lossy()).ok();
    match parsed.and_then(|e| e.error_description.or(e.error)) {
        Some(text) => format!("HTTP {}: {text}", response.status()),
        None => format!("HTTP {}: {}", response.status(), response.excerpt()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refresh_margin_is_a_tenth_of_the_lifetime_capped_at_ten_minutes() {
        assert_eq!(
            margin(Duration::from_secs(360_000)),
            Duration::from_secs(600)
        );
        assert_eq!(margin(Duration::from_secs(600)), Duration::from_secs(60));
    }

    #[test]
    fn oauth_invalid_grant_bodies_are_recognised() {
        assert!(is_invalid_grant(
            br#"{"error":"invalid_grant","error_description":"Bad credentials"}"#
        ));
        assert!(!is_invalid_grant(br#"{"error":"unsupported_grant_type"}"#));
        assert!(!is_invalid_grant(b"<html>"));
    }
}
