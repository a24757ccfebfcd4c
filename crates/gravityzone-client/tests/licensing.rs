//! Licensing API against the fake.

mod common;

use gravityzone_client::{CompanyId, SubscriptionType};

#[tokio::test]
async fn license_info_as_an_object_is_one_entry_counting_managed_endpoints() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let company = fake.add_customer(&fake.root_id(), "Contoso").unwrap();
    fake.add_endpoint(&company, "PC-1", 1, &[]).unwrap();
    let unmanaged = fake.add_endpoint(&company, "PC-2", 1, &[]).unwrap();
    fake.set_endpoint_managed(&unmanaged, false);
    let info = client
        .get_license_info(Some(&CompanyId::new(&company)), false)
        .await
        .unwrap();
    assert_eq!(info.len(), 1);
    assert_eq!(
        info[0].subscription_type,
        Some(SubscriptionType::MonthlySubscription)
    );
    assert_eq!(info[0].used_slots, Some(1));
    assert_eq!(info[0].total_slots, None);
    assert!(info[0].end_subscription.is_some());
}

#[tokio::test]
async fn all_products_come_back_as_an_array() {
    let fake = common::fake().await;
    let info = common::client(&fake)
        .get_license_info(None, true)
        .await
        .unwrap();
    assert_eq!(info.len(), 2);
    assert_eq!(info[1].is_addon, Some(true));
}
