//! Shared set-up for the tests against the GravityZone fake.
#![allow(dead_code)] // each test file uses its own subset

use std::time::Duration;

use gravityzone_client::{ClientOptions, GravityZoneClient, RateClass};
use msp_fakes::gravityzone::{FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig};
use msp_transport::RateLimit;

/// A fake with the vendor's defaults but without server-side rate limits (the tests that
/// check limits set them explicitly).
pub async fn fake() -> GravityZoneFake {
    let config = GravityZoneFakeConfig {
        rate_limits: FakeRateLimits::none(),
        ..GravityZoneFakeConfig::default()
    };
    GravityZoneFake::start(config).await
}

/// A client of `fake` with the primary key and generous client-side limits, so functional
/// tests do not wait (the rate-limit tests use [`paced_client`]).
pub fn client(fake: &GravityZoneFake) -> GravityZoneClient {
    client_with_key(fake, &fake.api_key())
}

/// Like [`client`] with another key.
pub fn client_with_key(fake: &GravityZoneFake, key: &str) -> GravityZoneClient {
    let fast = RateLimit::per_second(10_000).unwrap();
    GravityZoneClient::builder()
        .access_url(fake.access_url())
        .api_key(key)
        .rate_limit(RateClass::Default, fast)
        .rate_limit(RateClass::LicensingAndCompanyWrites, fast)
        .rate_limit(RateClass::Moves, fast)
        .build()
        .unwrap()
}

/// A client with the vendor's default limits and no timeouts, for tests on tokio's paused
/// clock.
pub fn paced_client(access_url: &str, key: &str) -> GravityZoneClient {
    GravityZoneClient::builder()
        .access_url(access_url)
        .api_key(key)
        .options(
            ClientOptions::new()
                .timeout(None)
                .connect_timeout(Duration::from_secs(3600)),
        )
        .build()
        .unwrap()
}
