//! The Datto RMM credentials both flows connect with, and their fingerprint. Secrets stay in
//! memory, in [`Secret`]s that print as `[REDACTED]`; the store only ever sees a fingerprint.

use std::fmt;

use msp_transport::Secret;
use sync_store::CredentialFingerprint;

/// A Datto RMM API key and secret, with the API URL of the account's platform.
#[derive(Clone)]
pub struct DattoCredentials {
    /// The account's API URL, e.g. `https://pinotage-api.centrastage.net`.
    pub api_url: String,
    /// The API key.
    pub api_key: Secret,
    /// The API secret.
    pub api_secret: Secret,
}

impl DattoCredentials {
    /// Credentials for the account at `api_url`.
    pub fn new(
        api_url: impl Into<String>,
        api_key: impl Into<Secret>,
        api_secret: impl Into<Secret>,
    ) -> Self {
        Self {
            api_url: api_url.into(),
            api_key: api_key.into(),
            api_secret: api_secret.into(),
        }
    }

    /// The fingerprint the store keeps instead of the key and secret.
    pub fn fingerprint(&self) -> CredentialFingerprint {
        datto_fingerprint(&self.api_key, &self.api_secret)
    }
}

/// The fingerprint of a Datto RMM key and secret.
pub fn datto_fingerprint(api_key: &Secret, api_secret: &Secret) -> CredentialFingerprint {
    CredentialFingerprint::of_secrets([
        "datto-rmm",
        api_key.expose_secret(),
        api_secret.expose_secret(),
    ])
}

impl fmt::Debug for DattoCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DattoCredentials")
            .field("api_url", &self.api_url)
            .field("api_key", &self.api_key)
            .field("api_secret", &self.api_secret)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print_their_secrets() {
        let printed = format!(
            "{:?}",
            DattoCredentials::new("https://h.example", "KEY-123", "SECRET-456")
        );
        for secret in ["KEY-123", "SECRET-456"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }

    #[test]
    fn the_fingerprint_changes_with_the_key_or_the_secret() {
        let a = DattoCredentials::new("u", "k", "s").fingerprint();
        assert_eq!(a, DattoCredentials::new("u", "k", "s").fingerprint());
        assert_ne!(a, DattoCredentials::new("u", "k", "t").fingerprint());
        assert_ne!(a, DattoCredentials::new("u", "j", "s").fingerprint());
    }
}
