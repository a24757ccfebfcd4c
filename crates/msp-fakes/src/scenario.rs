//! The generated MSP served by the three vendor fakes at once: Datto RMM holds the MSP's sites
//! and devices; IT Glue holds a realistic documentation account for the same clients
//! ([`ItGlueFake::plant_documentation`]: organizations named like variants of the sites' names,
//! configurations sharing a MAC address, a serial number or only a name with a device, decoys);
//! GravityZone holds companies named like some sites, prefixed names, names taken by another
//! partner, a reseller partner and spare companies ([`GravityZoneFake::seed_from_msp`]).
//!
//! What was planted comes back with the fakes, so the demo and the tests know what a sync
//! should find.
//!
//! ```no_run
//! use msp_fakes::msp::{GeneratedMsp, MspSize};
//! use msp_fakes::scenario::MspFakes;
//!
//! # async fn run() {
//! let fakes = MspFakes::start(GeneratedMsp::generate(7, MspSize::Small), false).await;
//! // What is served and where, with the `export` lines to paste into a shell.
//! print!("{}", fakes.summary());
//! # }
//! ```

use crate::datto::{DattoFake, DattoFakeConfig};
use crate::gravityzone::{GravityZoneFake, GravityZoneFakeConfig, MspSeedPlan, MspSeedReport};
use crate::itglue::{ItGlueFake, ItGlueFakeConfig, PlantedMatches};
use crate::msp::GeneratedMsp;
use serde::Serialize;
use std::fmt;
use std::net::{Ipv4Addr, TcpListener};

/// The IT Glue API key the fake accepts.
pub const ITGLUE_API_KEY: &str = "ITG.fake0000000000000000000000000001";

/// The three fakes, running on loopback, serving one generated MSP.
#[derive(Debug)]
pub struct MspFakes {
    /// The generated MSP.
    pub msp: GeneratedMsp,
    /// The Datto RMM fake.
    pub datto: DattoFake,
    /// The IT Glue fake.
    pub itglue: ItGlueFake,
    /// The GravityZone fake.
    pub gravityzone: GravityZoneFake,
    /// What was planted in IT Glue.
    pub itglue_planted: PlantedMatches,
    /// What was planted in GravityZone.
    pub gravityzone_planted: MspSeedReport,
}

/// Where to reach the fakes and with which (fake) credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FakeEndpoints {
    /// Datto RMM API URL.
    pub datto_api_url: String,
    /// Datto RMM API key.
    pub datto_api_key: String,
    /// Datto RMM API secret.
    pub datto_api_secret: String,
    /// IT Glue API URL.
    pub itglue_api_url: String,
    /// IT Glue API key.
    pub itglue_api_key: String,
    /// GravityZone access URL.
    pub gravityzone_access_url: String,
    /// GravityZone API key.
    pub gravityzone_api_key: String,
}

impl FakeEndpoints {
    /// The environment variables the binaries read, with these values.
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DATTO_API_URL", self.datto_api_url.clone()),
            ("DATTO_API_KEY", self.datto_api_key.clone()),
            ("DATTO_API_SECRET", self.datto_api_secret.clone()),
            ("ITGLUE_API_URL", self.itglue_api_url.clone()),
            ("ITGLUE_API_KEY", self.itglue_api_key.clone()),
            (
                "GRAVITYZONE_ACCESS_URL",
                self.gravityzone_access_url.clone(),
            ),
            ("GRAVITYZONE_API_KEY", self.gravityzone_api_key.clone()),
        ]
    }
}

impl FakeEndpoints {
    /// [`FakeEndpoints::environment`] as shell lines, `export NAME='value'`.
    ///
    /// ```
    /// # use msp_fakes::scenario::FakeEndpoints;
    /// # let endpoints = FakeEndpoints {
    /// #     datto_api_url: "http://127.0.0.1:1".into(), datto_api_key: "k".into(),
    /// #     datto_api_secret: "s".into(), itglue_api_url: "http://127.0.0.1:2".into(),
    /// #     itglue_api_key: "i".into(), gravityzone_access_url: "http://127.0.0.1:3/api".into(),
    /// #     gravityzone_api_key: "g".into(),
    /// # };
    /// assert_eq!(endpoints.shell_exports()[0], "export DATTO_API_URL='http://127.0.0.1:1'");
    /// ```
    pub fn shell_exports(&self) -> Vec<String> {
        self.environment()
            .into_iter()
            .map(|(name, value)| format!("export {name}='{value}'"))
            .collect()
    }
}

/// What running [`MspFakes`] serve and where, for a launcher to print ([`MspFakes::summary`]):
/// as JSON, one object; through `Display`, a few lines for people — the counts, the URLs and
/// the `export` lines that point the binaries at the fakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FakesSummary {
    /// The generated MSP's name.
    pub account: String,
    /// The seed it was generated from.
    pub seed: u64,
    /// Datto RMM sites (system sites included).
    pub sites: usize,
    /// Datto RMM devices.
    pub devices: usize,
    /// IT Glue organizations.
    pub itglue_organizations: usize,
    /// IT Glue configurations.
    pub itglue_configurations: usize,
    /// GravityZone companies.
    pub gravityzone_companies: usize,
    /// What was planted for the syncs to find.
    pub planted: PlantedCounts,
    /// Where the fakes listen, with their credentials.
    pub endpoints: FakeEndpoints,
    /// [`FakeEndpoints::shell_exports`].
    pub environment: Vec<String>,
}

/// How much of [`MspFakes::itglue_planted`] and [`MspFakes::gravityzone_planted`] there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PlantedCounts {
    /// IT Glue organizations standing for a site.
    pub itglue_site_organizations: usize,
    /// IT Glue configurations standing for a device.
    pub itglue_device_configurations: usize,
    /// GravityZone companies named like a site.
    pub gravityzone_same_name: usize,
    /// GravityZone companies named like a site with a prefix.
    pub gravityzone_prefixed: usize,
    /// GravityZone companies named like a site under another partner.
    pub gravityzone_foreign: usize,
    /// GravityZone companies named like a site under a reseller.
    pub gravityzone_under_reseller: usize,
    /// GravityZone companies named like no site.
    pub gravityzone_free: usize,
}

impl fmt::Display for FakesSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.planted;
        writeln!(
            f,
            "Generated MSP {:?} (seed {}): {} Datto RMM sites, {} devices.",
            self.account, self.seed, self.sites, self.devices
        )?;
        writeln!(
            f,
            "IT Glue: {} organizations ({} stand for a site), {} configurations ({} for a device).",
            self.itglue_organizations,
            p.itglue_site_organizations,
            self.itglue_configurations,
            p.itglue_device_configurations
        )?;
        writeln!(
            f,
            "GravityZone: {} companies named like a site, {} with a prefix, {} under another \
             partner, {} under a reseller, {} spare.\n",
            p.gravityzone_same_name,
            p.gravityzone_prefixed,
            p.gravityzone_foreign,
            p.gravityzone_under_reseller,
            p.gravityzone_free
        )?;
        let e = &self.endpoints;
        writeln!(f, "Datto RMM    {}", e.datto_api_url)?;
        writeln!(f, "IT Glue      {}", e.itglue_api_url)?;
        writeln!(f, "GravityZone  {}\n", e.gravityzone_access_url)?;
        writeln!(
            f,
            "These fake credentials work only against the fakes. In another shell:\n"
        )?;
        self.environment
            .iter()
            .try_for_each(|line| writeln!(f, "  {line}"))
    }
}

/// Loopback ports for the three fakes ([`MspFakes::start_on`]); `0` (the default) takes a
/// free one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FakePorts {
    /// The Datto RMM fake's port.
    pub datto: u16,
    /// The IT Glue fake's port.
    pub itglue: u16,
    /// The GravityZone fake's port.
    pub gravityzone: u16,
}

impl FakePorts {
    /// Listens on the three ports of 127.0.0.1, or says which fake cannot.
    fn bind(&self) -> std::io::Result<[TcpListener; 3]> {
        let bind = |vendor: &str, port: u16| {
            TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("the {vendor} fake cannot listen on 127.0.0.1:{port}: {e}"),
                )
            })
        };
        Ok([
            bind("Datto RMM", self.datto)?,
            bind("IT Glue", self.itglue)?,
            bind("GravityZone", self.gravityzone)?,
        ])
    }
}

impl MspFakes {
    /// Starts the three fakes on free loopback ports and plants `msp`'s data. The fakes keep
    /// their vendors' rate limits unless `rate_limits` is false.
    pub async fn start(msp: GeneratedMsp, rate_limits: bool) -> MspFakes {
        Self::launch(msp, rate_limits, None).await
    }

    /// [`MspFakes::start`] on the given ports of 127.0.0.1, so that the URLs (and the `export`
    /// lines of [`MspFakes::summary`]) stay the same from one start to the next. Fails, starting
    /// nothing, when a port is taken; the error names the fake and the port.
    ///
    /// ```no_run
    /// use msp_fakes::msp::{GeneratedMsp, MspSize};
    /// use msp_fakes::scenario::{FakePorts, MspFakes};
    ///
    /// # async fn run() -> std::io::Result<()> {
    /// let ports = FakePorts { datto: 18001, itglue: 18002, gravityzone: 18003 };
    /// let fakes = MspFakes::start_on(GeneratedMsp::generate(7, MspSize::Small), false, ports).await?;
    /// assert_eq!(fakes.endpoints().datto_api_url, "http://127.0.0.1:18001");
    /// # Ok(()) }
    /// ```
    pub async fn start_on(
        msp: GeneratedMsp,
        rate_limits: bool,
        ports: FakePorts,
    ) -> std::io::Result<MspFakes> {
        let listeners = ports.bind()?;
        Ok(Self::launch(msp, rate_limits, Some(listeners)).await)
    }

    async fn launch(
        msp: GeneratedMsp,
        rate_limits: bool,
        listeners: Option<[TcpListener; 3]>,
    ) -> MspFakes {
        let [datto_at, itglue_at, gravityzone_at] =
            listeners.map_or([None, None, None], |l| l.map(Some));
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        if !rate_limits {
            datto_config.rate_limit = None;
        }
        let datto = match datto_at {
            Some(listener) => DattoFake::start_on(datto_config, listener).await,
            None => DattoFake::start(datto_config).await,
        };
        let mut itglue_config = ItGlueFakeConfig::new(ITGLUE_API_KEY);
        if !rate_limits {
            itglue_config.rate_limit = None;
        }
        let itglue = match itglue_at {
            Some(listener) => ItGlueFake::start_on(itglue_config, listener).await,
            None => ItGlueFake::start(itglue_config).await,
        };
        let itglue_planted = itglue.plant_documentation(&msp, msp.seed);
        let gravityzone_config = GravityZoneFakeConfig {
            seed: msp.seed,
            root_name: msp.account.name.clone(),
            ..GravityZoneFakeConfig::default()
        };
        let gravityzone = match gravityzone_at {
            Some(listener) => GravityZoneFake::start_on(gravityzone_config, listener).await,
            None => GravityZoneFake::start(gravityzone_config).await,
        };
        let gravityzone_planted = gravityzone.seed_from_msp(&msp, &MspSeedPlan::default());
        if !rate_limits {
            gravityzone.set_rate_limits(crate::gravityzone::FakeRateLimits::none());
        }
        MspFakes {
            msp,
            datto,
            itglue,
            gravityzone,
            itglue_planted,
            gravityzone_planted,
        }
    }

    /// What these fakes serve and where (see [`FakesSummary`]).
    pub fn summary(&self) -> FakesSummary {
        let (itglue, gravityzone) = (&self.itglue_planted, &self.gravityzone_planted);
        let endpoints = self.endpoints();
        FakesSummary {
            account: self.msp.account.name.clone(),
            seed: self.msp.seed,
            sites: self.msp.sites.len(),
            devices: self.msp.devices.len(),
            itglue_organizations: self.itglue.organizations().len(),
            itglue_configurations: self.itglue.configurations().len(),
            gravityzone_companies: self.gravityzone.companies().len(),
            planted: PlantedCounts {
                itglue_site_organizations: itglue.sites.len(),
                itglue_device_configurations: itglue.devices.len(),
                gravityzone_same_name: gravityzone.same_name.len(),
                gravityzone_prefixed: gravityzone.prefixed.len(),
                gravityzone_foreign: gravityzone.foreign.len(),
                gravityzone_under_reseller: gravityzone.under_reseller.len(),
                gravityzone_free: gravityzone.free.len(),
            },
            environment: endpoints.shell_exports(),
            endpoints,
        }
    }

    /// The URLs and credentials of the three fakes.
    pub fn endpoints(&self) -> FakeEndpoints {
        FakeEndpoints {
            datto_api_url: self.datto.uri(),
            datto_api_key: self.datto.config().api_key.clone(),
            datto_api_secret: self.datto.config().api_secret.clone(),
            itglue_api_url: self.itglue.uri(),
            itglue_api_key: ITGLUE_API_KEY.to_owned(),
            gravityzone_access_url: self.gravityzone.access_url(),
            gravityzone_api_key: self.gravityzone.api_key(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msp::MspSize;

    #[tokio::test]
    async fn the_summary_counts_what_is_served_and_says_where() {
        let msp = GeneratedMsp::generate(
            5,
            MspSize::Custom {
                sites: 6,
                devices: 20,
            },
        );
        let fakes = MspFakes::start(msp, false).await;
        let summary = fakes.summary();
        assert_eq!((summary.seed, summary.sites), (5, fakes.msp.sites.len()));
        assert_eq!(
            summary.itglue_organizations,
            fakes.itglue.organizations().len()
        );
        assert_eq!(
            summary.planted.gravityzone_same_name,
            fakes.gravityzone_planted.same_name.len()
        );
        assert_eq!(summary.endpoints, fakes.endpoints());
        let text = summary.to_string();
        assert!(
            text.starts_with(&format!(
                "Generated MSP {:?} (seed 5): ",
                fakes.msp.account.name
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!("Datto RMM    {}\n", fakes.datto.uri())),
            "{text}"
        );
        let exports: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("  export "))
            .collect();
        assert_eq!(exports.len(), 7, "{text}");
        assert!(exports.contains(&format!("  export ITGLUE_API_KEY='{ITGLUE_API_KEY}'").as_str()));
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["endpoints"]["itglue_api_key"], ITGLUE_API_KEY);
        assert_eq!(json["environment"].as_array().unwrap().len(), 7);
    }

    /// Three ports nobody listens on (the system's free ones, given back at once).
    fn free_ports() -> FakePorts {
        let free = || {
            let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
            listener.local_addr().unwrap().port()
        };
        FakePorts {
            datto: free(),
            itglue: free(),
            gravityzone: free(),
        }
    }

    #[tokio::test]
    async fn the_fakes_listen_on_the_ports_asked_for() {
        let ports = free_ports();
        let msp = GeneratedMsp::generate(
            6,
            MspSize::Custom {
                sites: 4,
                devices: 8,
            },
        );
        let fakes = MspFakes::start_on(msp, false, ports).await.unwrap();
        let endpoints = fakes.endpoints();
        assert_eq!(
            endpoints.datto_api_url,
            format!("http://127.0.0.1:{}", ports.datto)
        );
        assert_eq!(
            endpoints.itglue_api_url,
            format!("http://127.0.0.1:{}", ports.itglue)
        );
        assert_eq!(
            endpoints.gravityzone_access_url,
            format!("http://127.0.0.1:{}/api", ports.gravityzone)
        );
        assert!(!fakes.gravityzone_planted.same_name.is_empty());
    }

    #[tokio::test]
    async fn a_taken_port_is_named_and_nothing_starts() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let ports = FakePorts {
            itglue: port,
            ..free_ports()
        };
        let msp = GeneratedMsp::generate(
            6,
            MspSize::Custom {
                sites: 4,
                devices: 8,
            },
        );
        let error = MspFakes::start_on(msp, false, ports).await.unwrap_err();
        let expected = format!("the IT Glue fake cannot listen on 127.0.0.1:{port}: ");
        assert!(error.to_string().starts_with(&expected), "{error}");
    }
}
