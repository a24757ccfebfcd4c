//! Secrets: every client, run against its fake with tracing captured at TRACE level — through
//! successes, refused credentials, missing objects, injected 429/503/garbled answers and
//! retries — never lets an API key, secret or token reach the logs, an error's `Display` or
//! `Debug`, or a client's or builder's `Debug`. Plain HTTP to any host but a loopback address is
//! refused before anything is sent, and redirects are never followed.

use std::time::Duration;

use datto_rmm_client::{DattoClient, SiteUid};
use gravityzone_client::{CompaniesFilter, CompanyId, GravityZoneClient, RateClass};
use itglue_client::{ItGlueClient, OrganizationFilter, OrganizationId};
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::gravityzone::{FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig};
use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_reliability::credential_tap::TappedFake;
use msp_reliability::log_capture::{LeakCheck, capture_trace};
use msp_transport::{ClientOptions, RateLimit, RetryPolicy, Secret};

/// Datto's fixed public OAuth client, sent as Basic credentials: public, not a secret.
const DATTO_PUBLIC_CLIENT: &str = "cHVibGljLWNsaWVudDpwdWJsaWM=";

fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .max_attempts(4)
}

fn fast() -> RateLimit {
    RateLimit::per_second(100_000).unwrap()
}

fn faults() -> FaultPlan {
    FaultPlan::new(
        7,
        0.3,
        vec![
            FaultKind::Status429 {
                retry_after_secs: 0,
            },
            FaultKind::Status503,
            FaultKind::Status500,
            FaultKind::Garbled,
        ],
    )
}

fn record<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug>(
    check: &mut LeakCheck,
    what: &str,
    result: &Result<T, E>,
) {
    match result {
        Ok(value) => check.add(format!("{what}: Debug of the value"), format!("{value:?}")),
        Err(error) => {
            check.add(format!("{what}: error Display"), error.to_string());
            check.add(format!("{what}: error Debug"), format!("{error:?}"));
        }
    }
}

fn assert_no_leaks(check: &LeakCheck, secrets: &[String]) {
    let leaks = check.leaks(secrets);
    assert!(leaks.is_empty(), "secrets leaked: {leaks:?}");
    assert!(
        check.places() > 10,
        "only {} places searched",
        check.places()
    );
}

#[tokio::test]
async fn the_datto_client_never_shows_its_key_secret_or_tokens() {
    let (logs, _guard) = capture_trace();
    let fake = DattoFake::start(DattoFakeConfig::new(GeneratedMsp::generate(
        2,
        MspSize::Small,
    )))
    .await;
    let tap = TappedFake::start(fake.handler().clone()).await;
    let (key, secret) = (
        fake.config().api_key.clone(),
        fake.config().api_secret.clone(),
    );
    let builder = DattoClient::builder()
        .api_url(tap.uri())
        .api_key(key.as_str())
        .api_secret(secret.as_str())
        .options(
            ClientOptions::new()
                .rate_limit(fast())
                .retry_policy(quick_retries()),
        );
    let mut check = LeakCheck::default();
    check.add("builder Debug", format!("{builder:?}"));
    let client = builder.build().unwrap();
    check.add("client Debug", format!("{client:?}"));

    record(&mut check, "account", &client.get_account().await);
    let site = SiteUid::new(&fake.sites()[4].uid);
    record(
        &mut check,
        "sites",
        &client.list_sites().collect_all().await,
    );
    record(&mut check, "site", &client.get_site(&site).await);
    record(
        &mut check,
        "missing site",
        &client.get_site(&SiteUid::new("no-such-site")).await,
    );
    record(
        &mut check,
        "variables",
        &client.list_site_variables(&site).collect_all().await,
    );
    record(
        &mut check,
        "masked variable",
        &client
            .create_site_variable(&site, "Password", "hunter2-not-logged", true)
            .await,
    );
    tap.server().faults().set(faults());
    for _ in 0..5 {
        record(
            &mut check,
            "devices under faults",
            &client.list_site_devices(&site).collect_all().await,
        );
    }
    tap.server().faults().clear();
    fake.revoke_tokens();
    record(
        &mut check,
        "after token revocation",
        &client.get_account().await,
    );

    let wrong_key = "WRONGDATTOKEY000000000000000000001";
    let wrong_secret = "WRONGDATTOSECRET0000000000000001";
    let refused = DattoClient::builder()
        .api_url(tap.uri())
        .api_key(wrong_key)
        .api_secret(wrong_secret)
        .options(ClientOptions::new().retry_policy(quick_retries()))
        .build()
        .unwrap();
    let error = refused.get_account().await;
    assert!(
        error.as_ref().is_err_and(|e| e.is_unauthorized()),
        "{error:?}"
    );
    record(&mut check, "refused credentials", &error);
    check.add("logs", logs.text());

    let mut secrets: Vec<String> = tap
        .credentials_seen()
        .into_iter()
        .filter(|c| !c.contains(DATTO_PUBLIC_CLIENT) && c.len() > "Bearer".len())
        .collect();
    assert!(
        secrets.iter().any(|s| s.starts_with("Bearer ")),
        "no token was sent: {secrets:?}"
    );
    secrets.extend([
        key,
        secret,
        wrong_key.into(),
        wrong_secret.into(),
        "hunter2-not-logged".into(),
    ]);
    assert!(
        logs.lines_containing("http.request") > 10,
        "nothing was captured"
    );
    assert_no_leaks(&check, &secrets);
}

#[tokio::test]
async fn the_gravityzone_client_never_shows_its_api_key() {
    let (logs, _guard) = capture_trace();
    let fake = GravityZoneFake::start(GravityZoneFakeConfig {
        rate_limits: FakeRateLimits::none(),
        ..GravityZoneFakeConfig::default()
    })
    .await;
    let tap = TappedFake::start(fake.handler().clone()).await;
    let key = fake.api_key();
    let builder = GravityZoneClient::builder()
        .access_url(format!("{}/api", tap.uri()))
        .api_key(key.as_str())
        .rate_limit(RateClass::Default, fast())
        .rate_limit(RateClass::LicensingAndCompanyWrites, fast())
        .options(ClientOptions::new().retry_policy(quick_retries()));
    let mut check = LeakCheck::default();
    check.add("builder Debug", format!("{builder:?}"));
    let client = builder.build().unwrap();
    check.add("client Debug", format!("{client:?}"));
    let company = fake.add_customer(&fake.root_id(), "Contoso").unwrap();

    record(
        &mut check,
        "api key details",
        &client.get_api_key_details().await,
    );
    record(
        &mut check,
        "companies",
        &client
            .list_companies(None, CompaniesFilter::default())
            .await,
    );
    record(
        &mut check,
        "company",
        &client.get_company(Some(&CompanyId::new(&company))).await,
    );
    record(
        &mut check,
        "missing company",
        &client
            .get_company(Some(&CompanyId::new("000000000000000000000000")))
            .await,
    );
    tap.server().faults().set(faults());
    for _ in 0..5 {
        record(
            &mut check,
            "tree under faults",
            &client.get_company_tree(None).await,
        );
    }
    tap.server().faults().clear();

    let wrong_key = "WRONGGZKEY00000000000000000000000000000001";
    let refused = GravityZoneClient::builder()
        .access_url(format!("{}/api", tap.uri()))
        .api_key(wrong_key)
        .options(ClientOptions::new().retry_policy(quick_retries()))
        .build()
        .unwrap();
    let error = refused.get_api_key_details().await;
    assert!(
        error.as_ref().is_err_and(|e| e.is_unauthorized()),
        "{error:?}"
    );
    record(&mut check, "refused key", &error);
    fake.revoke_api_key(&key);
    record(
        &mut check,
        "revoked key",
        &client.get_api_key_details().await,
    );
    check.add("logs", logs.text());

    let mut secrets: Vec<String> = tap
        .credentials_seen()
        .into_iter()
        .filter(|c| c.len() > "Basic".len())
        .collect();
    assert!(
        secrets.iter().any(|s| s.starts_with("Basic ")),
        "no key was sent: {secrets:?}"
    );
    secrets.extend([key, wrong_key.into()]);
    assert!(
        logs.lines_containing("http.request") > 10,
        "nothing was captured"
    );
    assert_no_leaks(&check, &secrets);
}

#[tokio::test]
async fn the_itglue_client_never_shows_its_api_key() {
    let (logs, _guard) = capture_trace();
    let key = "ITG.0123456789abcdef.reliability-secret-key";
    let fake = ItGlueFake::start(ItGlueFakeConfig::new(key)).await;
    fake.plant_documentation(&GeneratedMsp::generate(2, MspSize::Small), 2);
    let tap = TappedFake::start(fake.handler().clone()).await;
    let builder = ItGlueClient::builder()
        .base_url(tap.uri())
        .api_key(Secret::new(key))
        .options(
            ClientOptions::new()
                .rate_limit(fast())
                .retry_policy(quick_retries()),
        );
    let mut check = LeakCheck::default();
    check.add("builder Debug", format!("{builder:?}"));
    let client = builder.build().unwrap();
    check.add("client Debug", format!("{client:?}"));

    record(
        &mut check,
        "organizations",
        &client
            .list_organizations(&OrganizationFilter::new())
            .collect_all()
            .await,
    );
    record(
        &mut check,
        "missing organization",
        &client
            .get_organization(OrganizationId::new(987_654_321))
            .await,
    );
    tap.server().faults().set(faults());
    for _ in 0..5 {
        record(
            &mut check,
            "organizations under faults",
            &client
                .list_organizations(&OrganizationFilter::new())
                .collect_all()
                .await,
        );
    }
    tap.server().faults().clear();
    let wrong_key = "ITG.wrong-key-never-valid-000000";
    let refused = ItGlueClient::builder()
        .base_url(tap.uri())
        .api_key(Secret::new(wrong_key))
        .options(ClientOptions::new().retry_policy(quick_retries()))
        .build()
        .unwrap();
    let error = refused
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await;
    assert!(
        error.as_ref().is_err_and(|e| e.is_unauthorized()),
        "{error:?}"
    );
    record(&mut check, "refused key", &error);
    check.add("logs", logs.text());

    let mut secrets = tap.credentials_seen();
    assert!(
        secrets.iter().any(|s| s == key),
        "the key was not sent: {secrets:?}"
    );
    secrets.push(wrong_key.into());
    assert!(
        logs.lines_containing("http.request") > 5,
        "nothing was captured"
    );
    assert_no_leaks(&check, &secrets);
}

/// Plain-HTTP URLs of hosts that are not loopback addresses, some dressed up as one.
const NOT_LOOPBACK: &[&str] = &[
    "http://example.com",
    "HTTP://EXAMPLE.COM/api",
    "http://10.0.0.1",
    "http://192.168.1.10:8080",
    "http://169.254.169.254/latest",
    "http://0.0.0.0",
    "http://localhost.example.com",
    "http://127.0.0.1.example.com",
    "http://user:pass@example.com",
    "http://[fe80::1]",
    "http://[2001:db8::1]",
];

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused_by_every_client() {
    for url in NOT_LOOPBACK {
        let datto = DattoClient::builder()
            .api_url(*url)
            .api_key("k-123456")
            .api_secret("s-123456")
            .build();
        assert!(datto.is_err(), "Datto accepted {url}");
        let gz = GravityZoneClient::builder()
            .access_url(*url)
            .api_key("k-123456")
            .build();
        assert!(gz.is_err(), "GravityZone accepted {url}");
        let itg = ItGlueClient::builder()
            .base_url(*url)
            .api_key(Secret::new("k-123456"))
            .build();
        assert!(itg.is_err(), "IT Glue accepted {url}");
        assert!(
            msp_transport::BaseUrl::parse(url).is_err(),
            "transport accepted {url}"
        );
    }
    for url in [
        "https://example.com",
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:2",
    ] {
        assert!(msp_transport::BaseUrl::parse(url).is_ok(), "{url} refused");
    }
}

#[tokio::test]
async fn redirects_are_never_followed() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&elsewhere)
        .await;
    let redirecting = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/stolen", elsewhere.uri()).as_str()),
        )
        .mount(&redirecting)
        .await;
    let itg = ItGlueClient::builder()
        .base_url(redirecting.uri())
        .api_key(Secret::new("ITG.redirect-test-key"))
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();
    assert!(
        itg.list_organizations(&OrganizationFilter::new())
            .collect_all()
            .await
            .is_err()
    );
    let gz = GravityZoneClient::builder()
        .access_url(format!("{}/api", redirecting.uri()))
        .api_key("gz-redirect-test-key")
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();
    assert!(gz.get_api_key_details().await.is_err());
    let datto = DattoClient::builder()
        .api_url(redirecting.uri())
        .api_key("datto-redirect-key")
        .api_secret("datto-redirect-secret")
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();
    assert!(datto.get_account().await.is_err());
    assert_eq!(
        elsewhere
            .received_requests()
            .await
            .unwrap_or_default()
            .len(),
        0
    );
}
