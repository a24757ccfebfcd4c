//! Rate limits at scale: a full listing of a 2,000-site, 50,000-device Datto RMM account at
//! Datto's real limit (600 requests in any 60 s, then 429, then a temporary 403 block) receives
//! no 429, and every client waits exactly as long as a `429`'s `Retry-After` says.
//!
//! Both run on tokio's paused clock. Datto's rule is enforced in front of the Datto fake's
//! state on that virtual time ([`VirtualTimeDatto`], with the fake's own numbers), so Datto's
//! 60-second windows are real windows of virtual time and the suite stays fast
//! (docs/reliability.md explains the choice).

use std::time::Duration;

use datto_rmm_client::{ClientOptions, DattoClient, RateLimit, RetryPolicy};
use gravityzone_client::{CompaniesFilter, GravityZoneClient};
use itglue_client::{ItGlueClient, OrganizationFilter, Secret};
use msp_fakes::datto::{DattoFake, DattoFakeConfig, FakeRateLimit};
use msp_fakes::gravityzone::{FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_reliability::throttled::ThrottledFake;
use msp_reliability::virtual_time::{Refusals, VirtualTimeDatto, most_in_any_window};

const WINDOW: Duration = Duration::from_secs(60);

fn datto_client(uri: &str, fake: &DattoFake) -> datto_rmm_client::DattoClientBuilder {
    DattoClient::builder()
        .api_url(uri)
        .api_key(fake.config().api_key.as_str())
        .api_secret(fake.config().api_secret.as_str())
        // no per-attempt timeout on the paused clock: it would fire while a request is in
        // flight
        .options(
            ClientOptions::new()
                .timeout(None)
                .connect_timeout(Duration::from_secs(24 * 3600)),
        )
}

/// Lists the account, every site, and every site's devices with their network interfaces
/// (the listing the IT Glue flow reads MAC addresses from). Returns (sites, devices).
///
/// The account-wide device listing is left out: its 200 pages of 1.3 MB each take minutes
/// to render and decode in a debug build, and add only 200 requests to the ~2,000 here.
async fn full_listing(client: &DattoClient) -> Result<(usize, usize), datto_rmm_client::Error> {
    client.get_account().await?;
    let sites = client.list_sites().collect_all().await?;
    let mut devices = 0;
    for site in &sites {
        let Some(uid) = &site.uid else { continue };
        devices += client
            .list_site_network_interfaces(uid)
            .collect_all()
            .await?
            .len();
    }
    Ok((sites.len(), devices))
}

#[tokio::test(start_paused = true)]
async fn a_full_listing_of_2000_sites_and_50000_devices_at_datto_s_limit_gets_no_429() {
    let msp = GeneratedMsp::generate(11, MspSize::Large);
    let (expected_sites, expected_devices) = (msp.sites.len(), msp.devices.len());
    assert_eq!((expected_sites, expected_devices), (2_000, 50_000));
    let config = DattoFakeConfig::new(msp);
    let datto_s_limit = FakeRateLimit::default();
    assert_eq!(config.rate_limit.as_ref(), Some(&datto_s_limit));
    assert_eq!(
        (datto_s_limit.requests, datto_s_limit.window),
        (600, WINDOW)
    );
    let datto = VirtualTimeDatto::start(DattoFake::start(config).await, datto_s_limit).await;
    // Datto's limit is the client's default; no retries, so one 429 (or the 403 block) would
    // fail the listing.
    let client = datto_client(&datto.uri(), datto.fake())
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();

    let started = tokio::time::Instant::now();
    let listed = full_listing(&client).await;
    let took = started.elapsed();

    assert_eq!(datto.refusals(), Refusals::default());
    assert_eq!(listed.unwrap(), (expected_sites, expected_devices));
    let counted: Vec<Duration> = datto
        .arrivals()
        .iter()
        .filter(|a| a.counts_against_datto_limit())
        .map(|a| a.at)
        .collect();
    let busiest = most_in_any_window(&counted, WINDOW);
    println!(
        "{} API requests in {:?} of virtual time, at most {busiest} in any 60 s, {} token request(s)",
        counted.len(),
        took,
        datto.server().log().count("POST", "/auth/oauth/token"),
    );
    assert!(busiest <= 600, "{busiest} requests in one 60 s window");
    // The listing needed several windows, so the limit was really in play.
    assert!(counted.len() > 3 * 600, "{} requests", counted.len());
    assert!(took >= Duration::from_secs(3 * 60), "{took:?}");
    datto.server().assert_no_unexpected();
}

#[tokio::test(start_paused = true)]
async fn a_client_faster_than_datto_s_limit_is_refused_on_the_same_virtual_clock() {
    // The control for the test above: the same set-up does catch a client over the limit.
    let msp = GeneratedMsp::generate(
        11,
        MspSize::Custom {
            sites: 800,
            devices: 4_000,
        },
    );
    let config = DattoFakeConfig::new(msp);
    let datto =
        VirtualTimeDatto::start(DattoFake::start(config).await, FakeRateLimit::default()).await;
    let client = datto_client(&datto.uri(), datto.fake())
        .options(
            ClientOptions::new()
                .retry_policy(RetryPolicy::never())
                .rate_limit(RateLimit::new(1_200, WINDOW).unwrap()),
        )
        .build()
        .unwrap();
    let error = full_listing(&client).await.unwrap_err();
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(datto.refusals().too_many, 1);
}

const WAIT: Duration = Duration::from_secs(7);

/// The gap between the refused request and its retry, which must be the `Retry-After`
/// exactly (the client's own limiter adds nothing at these rates).
fn retry_gap(times: &[Duration]) -> Duration {
    assert_eq!(
        times.len(),
        2,
        "one refused request and one retry: {times:?}"
    );
    times[1] - times[0]
}

#[tokio::test(start_paused = true)]
async fn the_datto_client_waits_as_long_as_retry_after_says() {
    let fake = DattoFake::start(DattoFakeConfig::new(GeneratedMsp::generate(
        3,
        MspSize::Small,
    )))
    .await;
    let gate = ThrottledFake::start(fake.handler().clone(), "/api/v2/account", 1, WAIT).await;
    let client = datto_client(&gate.uri(), &fake).build().unwrap();
    client.get_account().await.unwrap();
    assert_eq!(retry_gap(&gate.times_of("/api/v2/account")), WAIT);
}

#[tokio::test(start_paused = true)]
async fn the_gravityzone_client_waits_as_long_as_retry_after_says() {
    let fake = GravityZoneFake::start(GravityZoneFakeConfig {
        rate_limits: FakeRateLimits::none(),
        ..GravityZoneFakeConfig::default()
    })
    .await;
    let gate = ThrottledFake::start(fake.handler().clone(), "/jsonrpc/network", 1, WAIT).await;
    let client = GravityZoneClient::builder()
        .access_url(format!("{}/api", gate.uri()))
        .api_key(fake.api_key())
        .options(
            ClientOptions::new()
                .timeout(None)
                .connect_timeout(Duration::from_secs(24 * 3600)),
        )
        .build()
        .unwrap();
    client
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap();
    assert_eq!(retry_gap(&gate.times_of("/jsonrpc/network")), WAIT);
}

#[tokio::test(start_paused = true)]
async fn the_itglue_client_waits_as_long_as_retry_after_says() {
    let key = "ITG.reliability-rate-limit-key";
    let fake = ItGlueFake::start(ItGlueFakeConfig::new(key)).await;
    fake.add_organization("Contoso");
    let gate = ThrottledFake::start(fake.handler().clone(), "/organizations", 1, WAIT).await;
    let client = ItGlueClient::builder()
        .base_url(gate.uri())
        .api_key(Secret::new(key))
        .options(
            ClientOptions::new()
                .timeout(None)
                .connect_timeout(Duration::from_secs(24 * 3600)),
        )
        .build()
        .unwrap();
    let organizations = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(organizations.len(), 1);
    assert_eq!(retry_gap(&gate.times_of("/organizations")), WAIT);
}
