//! The GravityZone credentials a tenant connects with (the Datto RMM ones live in
//! [`crate::datto`]), and their fingerprints. Secrets stay in memory, in
//! [`Secret`]s that print as `[REDACTED]`; the store only ever sees a fingerprint.

use std::fmt;

use msp_transport::Secret;
use sync_store::CredentialFingerprint;

pub use crate::datto::{DattoCredentials, datto_fingerprint};

/// A GravityZone API key with the console's access URL.
#[derive(Clone)]
pub struct GravityZoneCredentials {
    /// The access URL shown in the console, e.g.
    /// `https://cloudgz.gravityzone.bitdefender.com/api`.
    pub access_url: String,
    /// The API key.
    pub api_key: Secret,
}

impl GravityZoneCredentials {
    /// A key for the console at `access_url`.
    pub fn new(access_url: impl Into<String>, api_key: impl Into<Secret>) -> Self {
        Self {
            access_url: access_url.into(),
            api_key: api_key.into(),
        }
    }

    /// The fingerprint the store keeps instead of the key.
    pub fn fingerprint(&self) -> CredentialFingerprint {
        gravityzone_fingerprint(&self.api_key)
    }
}

/// The fingerprint of a GravityZone API key.
pub fn gravityzone_fingerprint(api_key: &Secret) -> CredentialFingerprint {
    CredentialFingerprint::of_secrets(["gravityzone", api_key.expose_secret()])
}

impl fmt::Debug for GravityZoneCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GravityZoneCredentials")
            .field("access_url", &self.access_url)
            .field("api_key", &self.api_key)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print_their_secrets() {
        let datto = DattoCredentials::new("https://h.example", "KEY-123", "SECRET-456");
        let gz = GravityZoneCredentials::new("https://gz.example/api", "GZKEY-789");
        let printed = format!("{datto:?} {gz:?}");
        for secret in ["KEY-123", "SECRET-456", "GZKEY-789"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }

    #[test]
    fn fingerprints_change_with_any_part_of_the_credentials() {
        assert_ne!(
            GravityZoneCredentials::new("u", "k").fingerprint(),
            GravityZoneCredentials::new("u", "l").fingerprint()
        );
    }
}
