//! Paging against the IT Glue fake: many pages, a page that took too long, a page that failed,
//! the rate limits.

mod common;

use std::time::Duration;

use futures::StreamExt;
use itglue_client::{ClientOptions, OrganizationFilter, RateLimit, RetryPolicy};
use msp_fakes::itglue::{FakeRateLimit, SlowQueries};

fn seed_organizations(fake: &msp_fakes::itglue::ItGlueFake, count: usize) -> Vec<u64> {
    (0..count)
        .map(|n| fake.add_organization(&format!("Client {n:03}")))
        .collect()
}

#[tokio::test]
async fn a_list_over_three_pages_yields_every_item_once_in_order() {
    let fake = common::fake().await;
    let ids = seed_organizations(&fake, 25);
    let client = common::builder(&fake).page_size(10).build().unwrap();
    let all = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    let got: Vec<u64> = all.iter().map(|o| o.id.get()).collect();
    assert_eq!(got, ids);
    assert_eq!(
        common::pages_requested(&fake, "/organizations"),
        vec![(1, 10), (2, 10), (3, 10)]
    );
}

#[tokio::test]
async fn the_stream_fetches_pages_only_as_they_are_read() {
    let fake = common::fake().await;
    seed_organizations(&fake, 25);
    let client = common::builder(&fake).page_size(10).build().unwrap();
    let first: Vec<_> = client
        .list_organizations(&OrganizationFilter::new())
        .take(3)
        .collect()
        .await;
    assert_eq!(first.len(), 3);
    assert_eq!(fake.log().len(), 1);
}

#[tokio::test]
async fn a_page_that_took_too_long_is_retried_at_half_size() {
    let fake = common::fake().await;
    let ids = seed_organizations(&fake, 12);
    fake.set_slow_queries(Some(SlowQueries {
        above_page_size: 5,
        status: 422,
    }));
    let client = common::builder(&fake).page_size(10).build().unwrap();
    let all = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.iter().map(|o| o.id.get()).collect::<Vec<_>>(), ids);
    assert_eq!(
        common::pages_requested(&fake, "/organizations"),
        vec![(1, 10), (1, 5), (2, 5), (3, 5)]
    );
    assert_eq!(fake.slow_query_answers(), 1);
}

#[tokio::test]
async fn a_timeout_answered_as_504_is_also_halved_after_the_transport_retries() {
    let fake = common::fake().await;
    let ids = seed_organizations(&fake, 7);
    fake.set_slow_queries(Some(SlowQueries {
        above_page_size: 4,
        status: 504,
    }));
    let client = common::builder(&fake).page_size(8).build().unwrap();
    let all = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.iter().map(|o| o.id.get()).collect::<Vec<_>>(), ids);
    let pages = common::pages_requested(&fake, "/organizations");
    assert!(
        pages.iter().all(|&(_, size)| size == 8 || size == 4),
        "{pages:?}"
    );
    assert_eq!(&pages[pages.len() - 2..], &[(1, 4), (2, 4)]);
}

#[tokio::test]
async fn a_failed_page_makes_collect_all_fail() {
    let fake = common::fake().await;
    seed_organizations(&fake, 25);
    fake.fail_list_page(Some((2, 500)));
    let client = common::builder(&fake).page_size(10).build().unwrap();
    let err = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(err, itglue_client::Error::Api { status: 500, .. }),
        "{err}"
    );
    let mut expected = vec![(1, 10)];
    expected.extend([(2, 10); 6]);
    assert_eq!(
        common::pages_requested(&fake, "/organizations"),
        expected,
        "the failed page is read six times (a read's attempts), then paging stops there"
    );
    assert!(
        err.to_string().contains("GET /organizations (6 attempts)"),
        "{err}"
    );
}

#[tokio::test]
async fn a_failed_page_is_the_last_item_of_the_stream() {
    let fake = common::fake().await;
    seed_organizations(&fake, 25);
    fake.fail_list_page(Some((2, 500)));
    let client = common::builder(&fake).page_size(10).build().unwrap();
    let items: Vec<_> = client
        .list_organizations(&OrganizationFilter::new())
        .collect()
        .await;
    assert_eq!(items.len(), 11);
    assert!(items[..10].iter().all(Result::is_ok));
    assert!(items[10].is_err());
}

#[tokio::test]
async fn past_the_servers_limit_requests_are_rate_limited() {
    let fake = common::fake().await;
    fake.set_rate_limit(Some(FakeRateLimit {
        requests: 2,
        window: Duration::from_secs(300),
    }));
    let client = common::builder(&fake)
        .options(ClientOptions::new().retry_policy(RetryPolicy::never()))
        .build()
        .unwrap();
    for _ in 0..2 {
        client
            .list_organizations(&OrganizationFilter::new())
            .collect_all()
            .await
            .unwrap();
    }
    let err = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.is_rate_limited(), "{err}");
    assert!(!err.may_have_been_sent());
}

#[tokio::test(start_paused = true)]
async fn clones_share_the_client_side_rate_limit() {
    let fake = common::fake().await;
    let client = common::builder(&fake)
        .options(
            ClientOptions::new()
                .rate_limit(RateLimit::new(2, Duration::from_secs(60)).unwrap())
                .timeout(None),
        )
        .build()
        .unwrap();
    let clone = client.clone();
    let started = tokio::time::Instant::now();
    client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    clone
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(59),
        "the clone waited for the shared limiter: {:?}",
        started.elapsed()
    );
    assert_eq!(fake.log().len(), 2);
}
