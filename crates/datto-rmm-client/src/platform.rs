//! Datto RMM platforms (regions) and their API URLs.

/// A Datto RMM platform. The account's platform is shown in Datto's web UI (Setup > Global
/// Settings > Access Control) as its API URL, e.g. `https://merlot-api.centrastage.net`.
///
/// ```
/// use datto_rmm_client::Platform;
/// assert_eq!(Platform::Merlot.api_url(), "https://merlot-api.centrastage.net");
/// assert_eq!("zinfandel".parse::<Platform>().unwrap(), Platform::Zinfandel);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// `pinotage`.
    Pinotage,
    /// `merlot`.
    Merlot,
    /// `concord`.
    Concord,
    /// `vidal`.
    Vidal,
    /// `zinfandel`.
    Zinfandel,
    /// `syrah`.
    Syrah,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 6] = [
        Platform::Pinotage,
        Platform::Merlot,
        Platform::Concord,
        Platform::Vidal,
        Platform::Zinfandel,
        Platform::Syrah,
    ];

    /// The platform's name as Datto writes it (`merlot`).
    pub fn name(self) -> &'static str {
        match self {
            Platform::Pinotage => "pinotage",
            Platform::Merlot => "merlot",
            Platform::Concord => "concord",
            Platform::Vidal => "vidal",
            Platform::Zinfandel => "zinfandel",
            Platform::Syrah => "syrah",
        }
    }

    /// The API URL (host root; REST paths live under `/api`, the token endpoint at
    /// `/auth/oauth/token`).
    pub fn api_url(self) -> &'static str {
        match self {
            Platform::Pinotage => "https://pinotage-api.centrastage.net",
            Platform::Merlot => "https://merlot-api.centrastage.net",
            Platform::Concord => "https://concord-api.centrastage.net",
            Platform::Vidal => "https://vidal-api.centrastage.net",
            Platform::Zinfandel => "https://zinfandel-api.centrastage.net",
            Platform::Syrah => "https://syrah-api.centrastage.net",
        }
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown platform name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown Datto RMM platform {0:?} (expected one of pinotage, merlot, concord, vidal, zinfandel, syrah)"
)]
pub struct UnknownPlatform(pub String);

impl std::str::FromStr for Platform {
    type Err = UnknownPlatform;

    /// Accepts the name in any case (`Merlot`, `merlot`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Platform::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownPlatform(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_has_its_own_centrastage_host() {
        for platform in Platform::ALL {
            assert_eq!(
                platform.api_url(),
                format!("https://{}-api.centrastage.net", platform.name())
            );
            assert_eq!(platform.name().parse::<Platform>(), Ok(platform));
        }
        assert!("chardonnay".parse::<Platform>().is_err());
    }
}
