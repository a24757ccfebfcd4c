//! General API against the fake: the credential check and what a key may call.

mod common;

use gravityzone_client::ApiArea;

#[tokio::test]
async fn api_key_details_list_the_enabled_areas() {
    let fake = common::fake().await;
    fake.add_api_key("partial", &fake.root_id(), &["companies", "network"]);
    let details = common::client_with_key(&fake, "partial")
        .get_api_key_details()
        .await
        .unwrap();
    assert_eq!(details.allows(&ApiArea::Companies), Some(true));
    assert_eq!(details.allows(&ApiArea::Network), Some(true));
    assert_eq!(details.allows(&ApiArea::Packages), Some(false));
    assert_eq!(fake.calls("getApiKeyDetails"), 1);
}

#[tokio::test]
async fn an_invalid_key_is_unauthorized() {
    let fake = common::fake().await;
    let error = common::client_with_key(&fake, "not-a-key")
        .get_api_key_details()
        .await
        .unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    assert!(error.to_string().contains("Invalid API key"), "{error}");
}

#[tokio::test]
async fn a_revoked_key_is_unauthorized_on_every_area() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    assert!(fake.revoke_api_key(&fake.api_key()));
    let error = client.get_company(None).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
    let error = client.list_packages(None).collect_all().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error:?}");
}

#[tokio::test]
async fn a_key_without_the_packages_area_gets_an_error_naming_it() {
    let fake = common::fake().await;
    fake.add_api_key(
        "no-packages",
        &fake.root_id(),
        &["companies", "network", "licensing"],
    );
    let client = common::client_with_key(&fake, "no-packages");
    let error = client.list_packages(None).collect_all().await.unwrap_err();
    assert_eq!(
        error.api_not_enabled(),
        Some(&ApiArea::Packages),
        "{error:?}"
    );
    assert!(!error.is_unauthorized());
    assert!(error.to_string().contains("packages"), "{error}");
    // The other areas still work.
    client.get_company(None).await.unwrap();
}

#[tokio::test]
async fn require_api_areas_reports_the_first_missing_area() {
    let fake = common::fake().await;
    fake.add_api_key("companies-only", &fake.root_id(), &["companies"]);
    let client = common::client_with_key(&fake, "companies-only");
    let error = client
        .require_api_areas(&[ApiArea::Companies, ApiArea::Network, ApiArea::Packages])
        .await
        .unwrap_err();
    assert_eq!(error.api_not_enabled(), Some(&ApiArea::Network));
    let full = common::client(&fake);
    full.require_api_areas(&[ApiArea::Companies, ApiArea::Network, ApiArea::Packages])
        .await
        .unwrap();
}

#[tokio::test]
async fn the_key_never_appears_in_errors_or_debug_output() {
    let fake = common::fake().await;
    let key = "SECRET-KEY-0123456789abcdef";
    let client = common::client_with_key(&fake, key);
    let error = client.get_api_key_details().await.unwrap_err();
    assert!(!format!("{error} {error:?} {client:?}").contains(key));
}
