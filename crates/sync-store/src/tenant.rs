//! The tenant: one Datto RMM account, named by its API URL and account uid.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One Datto RMM account: its API URL plus its account uid. Every stored row belongs to one
/// tenant.
///
/// The API URL is normalised so that one account always has one identity: surrounding blanks and
/// trailing slashes are removed and the scheme and host are lower-cased
/// (`HTTPS://Pinotage-API.centrastage.net/` and `https://pinotage-api.centrastage.net` are the
/// same tenant). The account uid is kept as given, without surrounding blanks.
///
/// ```
/// use sync_store::TenantId;
///
/// let tenant = TenantId::new("HTTPS://Pinotage-API.centrastage.net/", "abc123").unwrap();
/// assert_eq!(tenant.api_url(), "https://pinotage-api.centrastage.net");
/// assert_eq!(tenant.to_string(), "abc123@https://pinotage-api.centrastage.net");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TenantId {
    api_url: String,
    account_uid: String,
}

/// Why a [`TenantId`] could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TenantIdError {
    /// The API URL is empty.
    #[error("the Datto RMM API URL is empty")]
    EmptyApiUrl,
    /// The API URL has no `scheme://` prefix.
    #[error("the Datto RMM API URL {0:?} has no scheme (expected https://…)")]
    NoScheme(String),
    /// The account uid is empty.
    #[error("the Datto RMM account uid is empty")]
    EmptyAccountUid,
}

impl TenantId {
    /// The tenant of the Datto RMM account `account_uid` reached at `api_url`.
    pub fn new(api_url: &str, account_uid: &str) -> Result<Self, TenantIdError> {
        let api_url = normalise_api_url(api_url)?;
        let account_uid = account_uid.trim();
        if account_uid.is_empty() {
            return Err(TenantIdError::EmptyAccountUid);
        }
        Ok(Self {
            api_url,
            account_uid: account_uid.to_owned(),
        })
    }

    /// The normalised Datto RMM API URL.
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// The Datto RMM account uid.
    pub fn account_uid(&self) -> &str {
        &self.account_uid
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.account_uid, self.api_url)
    }
}

fn normalise_api_url(raw: &str) -> Result<String, TenantIdError> {
    let trimmed = raw.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(TenantIdError::EmptyApiUrl);
    }
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err(TenantIdError::NoScheme(trimmed.to_owned()));
    };
    if scheme.is_empty() || rest.is_empty() {
        return Err(TenantIdError::NoScheme(trimmed.to_owned()));
    }
    let (host, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    Ok(format!(
        "{}://{}{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase(),
        path
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_account_has_one_identity_whatever_the_url_spelling() {
        let a = TenantId::new(" https://Merlot-API.centrastage.net// ", " acc-1 ").unwrap();
        let b = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn url_path_keeps_its_case() {
        let t = TenantId::new("https://Host.example/Api/", "x").unwrap();
        assert_eq!(t.api_url(), "https://host.example/Api");
    }

    #[test]
    fn account_uid_is_case_sensitive() {
        let a = TenantId::new("https://h.example", "Abc").unwrap();
        let b = TenantId::new("https://h.example", "abc").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn empty_or_schemeless_parts_are_refused() {
        assert_eq!(TenantId::new(" / ", "a"), Err(TenantIdError::EmptyApiUrl));
        assert!(matches!(
            TenantId::new("merlot-api.centrastage.net", "a"),
            Err(TenantIdError::NoScheme(_))
        ));
        assert_eq!(
            TenantId::new("https://h.example", "  "),
            Err(TenantIdError::EmptyAccountUid)
        );
    }
}
