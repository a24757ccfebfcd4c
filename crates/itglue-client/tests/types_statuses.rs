//! Organization and configuration types and statuses against the IT Glue fake.

mod common;

use itglue_client::{
    ConfigurationStatusId, ConfigurationTypeId, NameFilter, NamedSortField, OrganizationStatusId,
    OrganizationTypeId, Sort,
};
use msp_fakes::itglue::NamedKind;

#[tokio::test]
async fn every_list_returns_the_accounts_entries() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let all = NameFilter::new();
    let organization_types = client
        .list_organization_types(&all)
        .collect_all()
        .await
        .unwrap();
    let organization_statuses = client
        .list_organization_statuses(&all)
        .collect_all()
        .await
        .unwrap();
    let configuration_types = client
        .list_configuration_types(&all)
        .collect_all()
        .await
        .unwrap();
    let configuration_statuses = client
        .list_configuration_statuses(&all)
        .collect_all()
        .await
        .unwrap();
    let names = |kind| {
        fake.named(kind)
            .into_iter()
            .map(|n| n.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        organization_types
            .iter()
            .map(|t| t.attributes.name.clone())
            .collect::<Vec<_>>(),
        names(NamedKind::OrganizationType)
    );
    assert_eq!(
        organization_statuses
            .iter()
            .map(|t| t.attributes.name.clone())
            .collect::<Vec<_>>(),
        names(NamedKind::OrganizationStatus)
    );
    assert_eq!(
        configuration_types
            .iter()
            .map(|t| t.attributes.name.clone())
            .collect::<Vec<_>>(),
        names(NamedKind::ConfigurationType)
    );
    assert_eq!(
        configuration_statuses
            .iter()
            .map(|t| t.attributes.name.clone())
            .collect::<Vec<_>>(),
        names(NamedKind::ConfigurationStatus)
    );
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn the_name_filter_finds_one_type_by_its_exact_name() {
    let fake = common::fake().await;
    let server = fake
        .named_id(NamedKind::ConfigurationType, "Managed Server")
        .unwrap();
    let org = fake.add_organization("Happy Frog");
    let device = fake.add_configuration(org, "HF-SRV-01");
    fake.modify_configuration(device, |c| c.configuration_type_id = server);
    let client = common::client(&fake);
    let found = client
        .list_configuration_types(&NameFilter::new().name("Managed Server"))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, ConfigurationTypeId::new(server));
    assert_eq!(found[0].attributes.configurations_count, Some(1));
    let partial = client
        .list_configuration_types(&NameFilter::new().name("Managed"))
        .collect_all()
        .await
        .unwrap();
    assert!(partial.is_empty());
}

#[tokio::test]
async fn a_sorted_list_follows_the_sort() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let sorted = client
        .list_organization_statuses(&NameFilter::new().sort(Sort::descending(NamedSortField::Name)))
        .collect_all()
        .await
        .unwrap();
    let names: Vec<_> = sorted.iter().map(|s| s.attributes.name.as_str()).collect();
    assert_eq!(names, vec!["Inactive", "Active"]);
}

#[tokio::test]
async fn each_kind_is_fetched_by_id() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let customer = fake
        .named_id(NamedKind::OrganizationType, "Customer")
        .unwrap();
    let active = fake
        .named_id(NamedKind::OrganizationStatus, "Active")
        .unwrap();
    let laptop = fake
        .named_id(NamedKind::ConfigurationType, "Laptop")
        .unwrap();
    let retired = fake
        .named_id(NamedKind::ConfigurationStatus, "Decommissioned")
        .unwrap();
    assert_eq!(
        client
            .get_organization_type(OrganizationTypeId::new(customer))
            .await
            .unwrap()
            .attributes
            .name,
        "Customer"
    );
    assert_eq!(
        client
            .get_organization_status(OrganizationStatusId::new(active))
            .await
            .unwrap()
            .attributes
            .name,
        "Active"
    );
    assert_eq!(
        client
            .get_configuration_type(ConfigurationTypeId::new(laptop))
            .await
            .unwrap()
            .attributes
            .name,
        "Laptop"
    );
    assert_eq!(
        client
            .get_configuration_status(ConfigurationStatusId::new(retired))
            .await
            .unwrap()
            .attributes
            .name,
        "Decommissioned"
    );
    assert!(
        client
            .get_configuration_type(ConfigurationTypeId::new(active))
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn each_kind_can_be_created() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let org_type = client.create_organization_type("Partner").await.unwrap();
    let org_status = client
        .create_organization_status("Onboarding")
        .await
        .unwrap();
    let config_type = client
        .create_configuration_type("Hypervisor")
        .await
        .unwrap();
    let config_status = client
        .create_configuration_status("In Repair")
        .await
        .unwrap();
    assert_eq!(
        fake.named_id(NamedKind::OrganizationType, "Partner"),
        Some(org_type.id.get())
    );
    assert_eq!(
        fake.named_id(NamedKind::OrganizationStatus, "Onboarding"),
        Some(org_status.id.get())
    );
    assert_eq!(
        fake.named_id(NamedKind::ConfigurationType, "Hypervisor"),
        Some(config_type.id.get())
    );
    assert_eq!(
        fake.named_id(NamedKind::ConfigurationStatus, "In Repair"),
        Some(config_status.id.get())
    );
}

#[tokio::test]
async fn a_duplicate_or_blank_name_is_refused() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let duplicate = client
        .create_configuration_type("Laptop")
        .await
        .unwrap_err();
    assert_eq!(
        duplicate.validation_errors()[0].detail.as_deref(),
        Some("has already been taken")
    );
    let blank = client.create_organization_status("").await.unwrap_err();
    assert_eq!(
        blank.validation_errors()[0].attribute().as_deref(),
        Some("name")
    );
}
