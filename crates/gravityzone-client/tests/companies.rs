//! Companies API against the fake.

mod common;

use gravityzone_client::{CompanyId, CompanyType, CompanyUpdate, Error, NewCompany, RpcErrorCode};

fn customer(name: &str, parent: &str) -> NewCompany {
    let mut company = NewCompany::new(CompanyType::Customer, name);
    company.parent_id = Some(CompanyId::new(parent));
    company
}

#[tokio::test]
async fn a_created_customer_reports_its_parent_and_path() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let root = fake.root_id();
    let partner = fake.add_partner(&root, "Sub Partner").unwrap();
    let mut company = customer("Contoso", &partner);
    company.country = Some("DE".into());
    let id = client.create_company(&company).await.unwrap();
    let details = client.get_company(Some(&id)).await.unwrap();
    assert_eq!(details.name, "Contoso");
    assert_eq!(details.company_type, Some(CompanyType::Customer));
    assert_eq!(details.parent_company_id, Some(CompanyId::new(&partner)));
    assert_eq!(details.country.as_deref(), Some("DE"));
    assert_eq!(details.state.as_deref(), Some("N/A"));
    let path = details.company_path.unwrap();
    assert_eq!(path.as_array().unwrap().len(), 3, "{path}");
    assert!(details.created_at.is_some());
    assert_eq!(
        fake.company(id.as_str()).unwrap().parent_id.as_deref(),
        Some(partner.as_str())
    );
}

#[tokio::test]
async fn the_own_company_is_the_default() {
    let fake = common::fake().await;
    let details = common::client(&fake).get_company(None).await.unwrap();
    assert_eq!(details.id, CompanyId::new(fake.root_id()));
    assert!(details.is_partner());
    assert!(details.contact_person.is_some());
}

#[tokio::test]
async fn a_name_taken_by_another_partner_is_a_company_name_taken_error() {
    let fake = common::fake().await;
    let other = fake.add_foreign_partner("Other MSP").unwrap();
    fake.add_customer(&other, "Contoso").unwrap();
    let client = common::client(&fake);
    let error = client
        .create_company(&customer("Contoso", &fake.root_id()))
        .await
        .unwrap_err();
    assert!(error.is_company_name_taken(), "{error:?}");
    assert!(matches!(&error, Error::CompanyNameTaken { name, .. } if name == "Contoso"));
    assert!(!error.may_have_been_sent());
    assert!(fake.children_of(&fake.root_id()).is_empty());
}

#[tokio::test]
async fn a_name_over_64_characters_is_refused_before_sending() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let error = client
        .create_company(&customer(&"x".repeat(65), &fake.root_id()))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert_eq!(fake.calls("createCompany"), 0);
    // 64 characters are fine.
    client
        .create_company(&customer(&"x".repeat(64), &fake.root_id()))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_customer_cannot_be_a_parent() {
    let fake = common::fake().await;
    let leaf = fake.add_customer(&fake.root_id(), "Leaf").unwrap();
    let error = common::client(&fake)
        .create_company(&customer("Child", &leaf))
        .await
        .unwrap_err();
    assert_eq!(
        error.rpc().map(|e| e.code),
        Some(RpcErrorCode::InvalidParams),
        "{error:?}"
    );
    assert!(!error.is_company_name_taken());
}

#[tokio::test]
async fn update_returns_null_and_changes_only_what_is_set() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let id = CompanyId::new(fake.add_customer(&fake.root_id(), "Contoso").unwrap());
    let mut update = CompanyUpdate::default();
    update.phone = Some("+49 40 123".into());
    client.update_company(&id, &update).await.unwrap();
    let details = client.get_company(Some(&id)).await.unwrap();
    assert_eq!(details.phone.as_deref(), Some("+49 40 123"));
    assert_eq!(details.name, "Contoso");
}

#[tokio::test]
async fn renaming_to_a_taken_name_is_a_company_name_taken_error() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let a = fake.add_customer(&fake.root_id(), "Alpha").unwrap();
    fake.add_customer(&fake.root_id(), "Beta").unwrap();
    let mut update = CompanyUpdate::default();
    update.name = Some("Beta".into());
    let error = client
        .update_company(&CompanyId::new(&a), &update)
        .await
        .unwrap_err();
    assert!(error.is_company_name_taken(), "{error:?}");
    assert_eq!(fake.company(&a).unwrap().name, "Alpha");
}

#[tokio::test]
async fn find_by_exact_name_ignores_substring_hits() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let root = fake.root_id();
    fake.add_customer(&root, "Contoso Pharma").unwrap();
    let fuzzy = client.find_companies_by_name("Contoso").await.unwrap();
    assert_eq!(fuzzy.len(), 1, "the vendor side matches substrings");
    assert_eq!(
        client.find_company_by_exact_name("Contoso").await.unwrap(),
        None
    );
    let id = fake.add_customer(&root, "Contoso").unwrap();
    let exact = client
        .find_company_by_exact_name("Contoso")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(exact.id, CompanyId::new(&id));
    assert_eq!(exact.company_type, Some(CompanyType::Customer));
}

#[tokio::test]
async fn a_partner_with_children_cannot_be_deleted_but_a_customer_can() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let partner = fake.add_partner(&fake.root_id(), "Sub Partner").unwrap();
    let leaf = fake.add_customer(&partner, "Leaf").unwrap();
    let error = client
        .delete_company(&CompanyId::new(&partner))
        .await
        .unwrap_err();
    assert_eq!(
        error.rpc().map(|e| e.code),
        Some(RpcErrorCode::InvalidParams),
        "{error:?}"
    );
    client.delete_company(&CompanyId::new(&leaf)).await.unwrap();
    assert!(fake.company(&leaf).is_none());
    client
        .delete_company(&CompanyId::new(&partner))
        .await
        .unwrap();
    assert!(fake.company(&partner).is_none());
}

#[tokio::test]
async fn a_recursive_suspension_covers_the_subtree_and_activation_lifts_it() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let partner = fake.add_partner(&fake.root_id(), "Sub Partner").unwrap();
    let leaf = fake.add_customer(&partner, "Leaf").unwrap();
    client
        .suspend_company(&CompanyId::new(&partner), true)
        .await
        .unwrap();
    assert!(fake.company(&leaf).unwrap().suspended);
    let details = client
        .get_company(Some(&CompanyId::new(&leaf)))
        .await
        .unwrap();
    assert_eq!(details.is_suspended, Some(true));
    client
        .activate_company(&CompanyId::new(&partner), false)
        .await
        .unwrap();
    assert!(!fake.company(&partner).unwrap().suspended);
    assert!(fake.company(&leaf).unwrap().suspended, "not recursive");
}
