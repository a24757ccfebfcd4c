//! Which URLs a client may talk to: HTTPS anywhere, plain HTTP only on loopback.

use std::net::IpAddr;

use url::{Host, Url};

use crate::Error;

/// A validated base URL for a vendor API.
///
/// HTTPS is required; plain HTTP is accepted only for loopback hosts (`127.0.0.0/8`, `::1`,
/// `localhost`) so tests and the demo can use local fakes. URLs with embedded credentials are
/// refused.
///
/// ```
/// use msp_transport::BaseUrl;
/// let base = BaseUrl::parse("https://merlot-api.centrastage.net/api").unwrap();
/// assert_eq!(base.join("v2/account").unwrap().as_str(),
///            "https://merlot-api.centrastage.net/api/v2/account");
/// assert!(BaseUrl::parse("http://127.0.0.1:8080").is_ok());
/// assert!(BaseUrl::parse("http://example.com").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses and checks `text` (see the type's documentation for the policy).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let url = Url::parse(text.trim())
            .map_err(|e| Error::InvalidConfig(format!("invalid URL {text:?}: {e}")))?;
        check_url(&url)?;
        Ok(Self(url))
    }

    /// The URL itself.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The URL of `path` below this base, keeping the base's own path
    /// (`https://h/api` + `v2/x` → `https://h/api/v2/x`). A leading `/` in `path` is ignored.
    pub fn join(&self, path: &str) -> Result<Url, Error> {
        let mut url = self.0.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        let path = path.trim_start_matches('/');
        url.set_path(&format!("{base_path}/{path}"));
        url.set_query(None);
        check_url(&url)?;
        Ok(url)
    }

    /// The scheme, host and port only (`https://h:443`), for URLs outside the base path such
    /// as an OAuth token endpoint.
    pub fn origin_url(&self) -> Url {
        let mut url = self.0.clone();
        url.set_path("/");
        url.set_query(None);
        url.set_fragment(None);
        url
    }

    /// True when `other` has the same scheme, host and port: only then may credentials be sent
    /// to it (a vendor's "next page" link is checked this way).
    pub fn same_origin(&self, other: &Url) -> bool {
        self.0.origin() == other.origin()
    }
}

impl std::fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// True for `localhost`, `127.0.0.0/8` and `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks one URL against the policy; every request is checked before it is sent.
pub fn check_url(url: &Url) -> Result<(), Error> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidConfig(
            "URLs must not carry credentials; pass them to the client builder".into(),
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(Error::InvalidConfig(format!(
            "refusing plain HTTP to {}: HTTPS is required except for loopback addresses",
            url.host_str().unwrap_or("?")
        ))),
        other => Err(Error::InvalidConfig(format!(
            "unsupported URL scheme {other:?}: only https (and http on loopback) are allowed"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_accepted_everywhere() {
        assert!(BaseUrl::parse("https://api.itglue.com").is_ok());
    }

    #[test]
    fn plain_http_is_accepted_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:1234",
            "http://127.8.9.10",
            "http://[::1]:80",
            "http://LOCALHOST:9",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://example.com",
            "http://10.0.0.1",
            "http://192.168.1.1",
            "http://localhost.evil.com",
        ] {
            assert!(BaseUrl::parse(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn other_schemes_and_embedded_credentials_are_refused() {
        assert!(BaseUrl::parse("ftp://127.0.0.1").is_err());
        assert!(BaseUrl::parse("https://user:pw@example.com").is_err());
        assert!(BaseUrl::parse("not a url").is_err());
    }

    #[test]
    fn join_keeps_the_base_path() {
        let base = BaseUrl::parse("https://h.example/api/").unwrap();
        assert_eq!(
            base.join("/v2/account").unwrap().as_str(),
            "https://h.example/api/v2/account"
        );
        assert_eq!(base.origin_url().as_str(), "https://h.example/");
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let base = BaseUrl::parse("https://h.example/api").unwrap();
        assert!(base.same_origin(&Url::parse("https://h.example/api/v2/x?page=1").unwrap()));
        assert!(!base.same_origin(&Url::parse("https://evil.example/api").unwrap()));
        assert!(!base.same_origin(&Url::parse("https://h.example:8443/api").unwrap()));
    }
}
