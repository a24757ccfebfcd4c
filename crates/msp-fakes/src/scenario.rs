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
//! for (name, value) in fakes.endpoints().environment() {
//!     println!("export {name}='{value}'");
//! }
//! # }
//! ```

use crate::datto::{DattoFake, DattoFakeConfig};
use crate::gravityzone::{GravityZoneFake, GravityZoneFakeConfig, MspSeedPlan, MspSeedReport};
use crate::itglue::{ItGlueFake, ItGlueFakeConfig, PlantedMatches};
use crate::msp::GeneratedMsp;
use serde::Serialize;

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

impl MspFakes {
    /// Starts the three fakes on free loopback ports and plants `msp`'s data. The fakes keep
    /// their vendors' rate limits unless `rate_limits` is false.
    pub async fn start(msp: GeneratedMsp, rate_limits: bool) -> MspFakes {
        let mut datto_config = DattoFakeConfig::new(msp.clone());
        if !rate_limits {
            datto_config.rate_limit = None;
        }
        let datto = DattoFake::start(datto_config).await;
        let mut itglue_config = ItGlueFakeConfig::new(ITGLUE_API_KEY);
        if !rate_limits {
            itglue_config.rate_limit = None;
        }
        let itglue = ItGlueFake::start(itglue_config).await;
        let itglue_planted = itglue.plant_documentation(&msp, msp.seed);
        let gravityzone_config = GravityZoneFakeConfig {
            seed: msp.seed,
            root_name: msp.account.name.clone(),
            ..GravityZoneFakeConfig::default()
        };
        let (gravityzone, gravityzone_planted) =
            GravityZoneFake::start_with_msp(gravityzone_config, &msp, &MspSeedPlan::default())
                .await;
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
