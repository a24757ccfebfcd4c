//! Integration details without secrets: how to reach a vendor, a fingerprint of the credentials,
//! and whether those credentials last worked.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A vendor a tenant connects to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Vendor {
    /// Datto RMM (the source of sites and devices).
    #[serde(rename = "datto")]
    DattoRmm,
    /// Bitdefender GravityZone.
    #[serde(rename = "gravityzone")]
    GravityZone,
    /// IT Glue.
    #[serde(rename = "itglue")]
    ItGlue,
}

impl Vendor {
    /// Every vendor.
    pub const ALL: [Vendor; 3] = [Vendor::DattoRmm, Vendor::GravityZone, Vendor::ItGlue];

    /// The vendor's name in the store: `datto`, `gravityzone` or `itglue`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DattoRmm => "datto",
            Self::GravityZone => "gravityzone",
            Self::ItGlue => "itglue",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text is not one of the vendor names `datto`, `gravityzone`, `itglue`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown vendor {0:?} (expected datto, gravityzone or itglue)")]
pub struct UnknownVendor(pub String);

impl FromStr for Vendor {
    type Err = UnknownVendor;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVendor(s.to_owned()))
    }
}

/// The non-secret data needed to reach a vendor account. Which fields are used depends on the
/// vendor: GravityZone's access URL, IT Glue's region (`us`, `eu`, `au`) or URL, Datto RMM's
/// platform (`pinotage`, `merlot`, …).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionDetails {
    /// The API base URL, when the vendor has one per account.
    pub url: Option<String>,
    /// The vendor's region.
    pub region: Option<String>,
    /// The vendor's platform name.
    pub platform: Option<String>,
    /// The vendor account the credentials reach, where the vendor names one: for GravityZone
    /// the partner's root company id. A tenant connected to one account refuses credentials of
    /// another until it is reset.
    #[serde(default)]
    pub account: Option<String>,
}

/// A SHA-256 fingerprint of a set of credentials, as 64 lower-case hex digits.
///
/// It tells whether the credentials changed (and so whether a status recorded for the old ones
/// still applies) without keeping the secrets.
///
/// ```
/// use sync_store::CredentialFingerprint;
///
/// let a = CredentialFingerprint::of_secrets(["api-key", "api-secret"]);
/// let b = CredentialFingerprint::of_secrets(["api-key", "api-secret"]);
/// assert_eq!(a, b);
/// assert_ne!(a, CredentialFingerprint::of_secrets(["api-keyapi-", "secret"]));
/// assert_eq!(a.as_hex().len(), 64);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CredentialFingerprint(String);

/// The text is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a credential fingerprint is 64 hex digits (SHA-256), got {0} characters")]
pub struct InvalidFingerprint(pub usize);

impl CredentialFingerprint {
    /// The fingerprint of `secrets`, in order. Each part is length-prefixed, so moving text from
    /// one part to the next gives another fingerprint.
    pub fn of_secrets<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<[u8]>,
    {
        let mut hasher = Sha256::new();
        hasher.update(b"msp-sync credential fingerprint v1\0");
        for secret in secrets {
            let bytes = secret.as_ref();
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
        let digest = hasher.finalize();
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// A fingerprint computed elsewhere, as 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Result<Self, InvalidFingerprint> {
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(hex.to_ascii_lowercase()))
        } else {
            Err(InvalidFingerprint(hex.chars().count()))
        }
    }

    /// The fingerprint as 64 lower-case hex digits.
    pub fn as_hex(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CredentialFingerprint {
    type Error = InvalidFingerprint;

    fn try_from(hex: String) -> Result<Self, Self::Error> {
        Self::from_hex(&hex)
    }
}

impl From<CredentialFingerprint> for String {
    fn from(fingerprint: CredentialFingerprint) -> Self {
        fingerprint.0
    }
}

impl fmt::Display for CredentialFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether a tenant's credentials for a vendor last worked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum CredentialStatus {
    /// Not checked since these credentials were saved.
    #[default]
    Unknown,
    /// The vendor accepted them at the last check.
    Valid,
    /// The vendor refused them at the last check: syncing stops until new ones are saved.
    Invalid,
}

impl CredentialStatus {
    /// The status's name in the store: `unknown`, `valid` or `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Valid => "valid",
            Self::Invalid => "invalid",
        }
    }
}

impl FromStr for CredentialStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Unknown, Self::Valid, Self::Invalid]
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown credential status {s:?}"))
    }
}

/// One vendor integration of a tenant, without secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Integration {
    /// The vendor.
    pub vendor: Vendor,
    /// How to reach the vendor account.
    pub connection: ConnectionDetails,
    /// The fingerprint of the credentials saved for it.
    pub fingerprint: CredentialFingerprint,
    /// Whether these credentials last worked.
    pub status: CredentialStatus,
    /// When the status was last established; `None` while [`CredentialStatus::Unknown`] because
    /// the credentials were never checked.
    pub checked_at: Option<DateTime<Utc>>,
}

impl Integration {
    /// A newly saved integration whose credentials were not checked yet.
    pub fn unchecked(
        vendor: Vendor,
        connection: ConnectionDetails,
        fingerprint: CredentialFingerprint,
    ) -> Self {
        Self {
            vendor,
            connection,
            fingerprint,
            status: CredentialStatus::Unknown,
            checked_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_the_documented_sha256() {
        // Computed independently: sha256(b"msp-sync credential fingerprint v1\0" ++ be64(3) ++ b"key").
        let mut hasher = Sha256::new();
        hasher.update(b"msp-sync credential fingerprint v1\0");
        hasher.update(3u64.to_be_bytes());
        hasher.update(b"key");
        let expected: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            CredentialFingerprint::of_secrets(["key"]).as_hex(),
            expected
        );
    }

    #[test]
    fn fingerprint_does_not_contain_the_secret() {
        let fp = CredentialFingerprint::of_secrets(["abcdef0123456789"]);
        assert!(!fp.as_hex().contains("abcdef0123456789"));
        assert!(!format!("{fp:?}").contains("abcdef0123456789"));
    }

    #[test]
    fn fingerprint_hex_is_validated_and_lower_cased() {
        let upper = "A".repeat(64);
        assert_eq!(
            CredentialFingerprint::from_hex(&upper).unwrap().as_hex(),
            "a".repeat(64)
        );
        assert_eq!(
            CredentialFingerprint::from_hex("abc"),
            Err(InvalidFingerprint(3))
        );
        assert!(CredentialFingerprint::from_hex(&"g".repeat(64)).is_err());
    }

    #[test]
    fn vendor_names_round_trip() {
        for vendor in Vendor::ALL {
            assert_eq!(vendor.as_str().parse::<Vendor>().unwrap(), vendor);
        }
        assert!("autotask".parse::<Vendor>().is_err());
    }
}
