//! `GET /v2/account`.

mod common;

use datto_rmm_client::AccountUid;

#[tokio::test]
async fn the_account_names_itself_and_counts_its_devices() {
    let fake = common::fake().await;
    let client = common::client(&fake);

    let account = client.get_account().await.unwrap();

    assert_eq!(account.uid, Some(AccountUid::new(fake.account_uid())));
    let status = account.devices_status.unwrap();
    assert_eq!(status.number_of_devices, Some(fake.devices().len() as i64));
    let online = fake.devices().iter().filter(|d| d.online).count() as i64;
    assert_eq!(status.number_of_online_devices, Some(online));
    assert!(
        account.descriptor.unwrap().billing_email.is_some(),
        "bilingEmail is read"
    );
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn an_outage_of_the_api_is_a_transient_error() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();
    fake.faults().set(msp_fakes::harness::FaultPlan::new(
        2,
        1.0,
        vec![msp_fakes::harness::FaultKind::Status503],
    ));
    let error = client.get_account().await.unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert!(!error.is_unauthorized());
    assert_eq!(
        fake.log().count("GET", "/api/v2/account"),
        1 + msp_transport::DEFAULT_READ_ATTEMPTS as usize,
        "the first call, then one call and five retries (a read gets six attempts)"
    );
    let message = error.to_string();
    assert!(
        message.contains("503") && message.contains("GET /api/v2/account (6 attempts)"),
        "the error names the endpoint, the attempts and the last status: {message}"
    );
}
