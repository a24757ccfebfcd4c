//! Rate limits: the client keeps to the vendor's classes (checked on tokio's paused clock)
//! and reports a 429 it may not wait for with the vendor's `Retry-After`.

mod common;

use std::time::Duration;

use gravityzone_client::{CompaniesFilter, CompanyId, Error, RateClass};
use msp_fakes::gravityzone::{FakeRateLimit, FakeRateLimits};
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn default_class_calls_are_held_to_ten_per_second() {
    let fake = common::fake().await;
    let client = common::paced_client(&fake.access_url(), &fake.api_key());
    let started = Instant::now();
    for _ in 0..21 {
        client
            .list_companies(None, CompaniesFilter::default())
            .await
            .unwrap();
    }
    // 21 calls at 10 per second cannot finish in under two seconds.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn company_writes_are_held_to_five_per_second() {
    let fake = common::fake().await;
    let client = common::paced_client(&fake.access_url(), &fake.api_key());
    let id = CompanyId::new(fake.add_customer(&fake.root_id(), "Contoso").unwrap());
    let started = Instant::now();
    for i in 0..11 {
        client.suspend_company(&id, i % 2 == 0).await.unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn moves_are_held_to_thirty_per_minute_across_clones() {
    let fake = common::fake().await;
    let client = common::paced_client(&fake.access_url(), &fake.api_key());
    let clone = client.clone();
    let root = fake.root_id();
    let a = CompanyId::new(fake.add_partner(&root, "A").unwrap());
    let company = CompanyId::new(fake.add_customer(&root, "Contoso").unwrap());
    let root = CompanyId::new(root);
    let started = Instant::now();
    for i in 0..16 {
        let target = if i % 2 == 0 { &a } else { &root };
        client.move_company(&company, target).await.unwrap();
        clone.move_company(&company, target).await.unwrap();
    }
    // 32 moves at 30 per minute: more than a minute, whichever clone sent them.
    assert!(
        started.elapsed() >= Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(client.rate_limits().get(RateClass::Moves).requests(), 30);
}

#[tokio::test]
async fn a_429_longer_than_the_client_waits_is_returned_with_retry_after() {
    let fake = common::fake().await;
    let mut limits = FakeRateLimits::none();
    limits.per_method.insert(
        "getCompaniesList".into(),
        FakeRateLimit::strict(1, Duration::from_secs(3600)),
    );
    fake.set_rate_limits(limits);
    let client = common::client(&fake);
    client
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap();
    let error = client
        .list_companies(None, CompaniesFilter::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport(msp_transport::Error::RateLimited { .. })
        ),
        "{error:?}"
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(3600)));
    assert!(error.is_transient());
    assert!(!error.may_have_been_sent());
}
