//! `system/status`, `system/request_rate`, `system/pagination`.

mod common;

use datto_rmm_client::AccountUid;

#[tokio::test]
async fn the_status_needs_no_token() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let status = client.get_system_status().await.unwrap();
    assert!(status.version.is_some());
    assert_eq!(status.status.as_deref(), Some("OK"));
    assert!(status.started.and_then(|t| t.epoch_millis()).is_some());
    assert_eq!(common::token_requests(&fake), 0);
}

#[tokio::test]
async fn the_status_works_with_wrong_credentials_so_it_probes_only_the_url() {
    let fake = common::fake().await;
    let client = common::builder(&fake).api_secret("wrong").build().unwrap();
    assert!(client.get_system_status().await.is_ok());
}

#[tokio::test]
async fn the_request_rate_counts_the_reads_of_the_window() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    for _ in 0..4 {
        client.get_account().await.unwrap();
    }
    let rate = client.get_request_rate().await.unwrap();
    assert_eq!(rate.account_rate_limit, Some(600));
    assert_eq!(rate.sliding_time_window_size_seconds, Some(60));
    assert_eq!(rate.account_count, Some(5), "four reads and this one");
    assert_eq!(rate.account_uid, Some(AccountUid::new(fake.account_uid())));
    let site_create = &rate.operation_write_status["site-create"];
    assert_eq!((site_create.limit, site_create.count), (Some(100), Some(0)));
}

#[tokio::test]
async fn the_page_size_is_250() {
    let fake = common::fake().await;
    let pagination = common::client(&fake).get_pagination().await.unwrap();
    assert_eq!(pagination.max, Some(250));
}
