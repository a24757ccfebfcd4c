//! Organizations against the IT Glue fake: list with every filter, get, create, update.

mod common;

use chrono::{Duration as ChronoDuration, Utc};
use itglue_client::{
    NewOrganization, OrganizationFilter, OrganizationId, OrganizationSortField,
    OrganizationStatusId, OrganizationTypeId, OrganizationUpdate, PsaIntegrationType, Sort,
    TimeRange,
};
use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::itglue::NamedKind;

fn names(organizations: &[itglue_client::Organization]) -> Vec<&str> {
    organizations
        .iter()
        .map(|o| o.attributes.name.as_str())
        .collect()
}

#[tokio::test]
async fn organizations_are_listed_with_typed_ids_and_type_names() {
    let fake = common::fake().await;
    let frog = fake.add_organization("Happy Frog");
    fake.add_organization("Dell Support");
    let client = common::client(&fake);
    let all = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&all), vec!["Happy Frog", "Dell Support"]);
    assert_eq!(all[0].id, OrganizationId::new(frog));
    assert_eq!(
        all[0].attributes.organization_type_name.as_deref(),
        Some("Customer")
    );
    assert_eq!(
        all[0].attributes.organization_status_name.as_deref(),
        Some("Active")
    );
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn a_name_with_a_comma_is_one_value_not_an_or() {
    let fake = common::fake().await;
    fake.add_organization("Kub");
    fake.add_organization("Reynolds and Gibson");
    let wanted = fake.add_organization("Kub, Reynolds and Gibson");
    let client = common::client(&fake);
    let found = client
        .list_organizations(&OrganizationFilter::new().name("Kub, Reynolds and Gibson"))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, OrganizationId::new(wanted));
    let query = &fake.log().all()[0].query;
    assert!(
        query.contains("filter%5Bname%5D=Kub%5C%2C+Reynolds"),
        "{query}"
    );
}

#[tokio::test]
async fn several_names_or_ids_select_any_of_them() {
    let fake = common::fake().await;
    let a = fake.add_organization("Alpha, Inc.");
    let b = fake.add_organization("Beta");
    fake.add_organization("Gamma");
    let client = common::client(&fake);
    let by_name = client
        .list_organizations(&OrganizationFilter::new().names(["Alpha, Inc.", "Beta"]))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&by_name), vec!["Alpha, Inc.", "Beta"]);
    let by_id = client
        .list_organizations(
            &OrganizationFilter::new().ids([OrganizationId::new(a), OrganizationId::new(b)]),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&by_id), vec!["Alpha, Inc.", "Beta"]);
}

#[tokio::test]
async fn type_and_status_filters_and_their_exclusions_select_exactly() {
    let fake = common::fake().await;
    let vendor_type = fake
        .named_id(NamedKind::OrganizationType, "Vendor")
        .unwrap();
    let inactive = fake
        .named_id(NamedKind::OrganizationStatus, "Inactive")
        .unwrap();
    fake.add_organization("Customer One");
    let vendor = fake.add_organization("Dell Support");
    fake.modify_organization(vendor, |o| o.organization_type_id = Some(vendor_type));
    let gone = fake.add_organization("Former Customer");
    fake.modify_organization(gone, |o| o.organization_status_id = Some(inactive));
    let client = common::client(&fake);
    let list = |filter: OrganizationFilter| {
        let client = client.clone();
        async move {
            let all = client
                .list_organizations(&filter)
                .collect_all()
                .await
                .unwrap();
            all.into_iter()
                .map(|o| o.attributes.name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(OrganizationFilter::new().organization_type_id(OrganizationTypeId::new(vendor_type)))
            .await,
        vec!["Dell Support"]
    );
    assert_eq!(
        list(OrganizationFilter::new().organization_status_id(OrganizationStatusId::new(inactive)))
            .await,
        vec!["Former Customer"]
    );
    assert_eq!(
        list(
            OrganizationFilter::new()
                .exclude_organization_type_id(OrganizationTypeId::new(vendor_type))
                .exclude_organization_status_id(OrganizationStatusId::new(inactive))
        )
        .await,
        vec!["Customer One"]
    );
    assert_eq!(
        list(
            OrganizationFilter::new()
                .exclude_ids([OrganizationId::new(vendor)])
                .exclude_names(["Former Customer"])
        )
        .await,
        vec!["Customer One"]
    );
}

#[tokio::test]
async fn the_primary_filter_finds_the_account_owner() {
    let fake = common::fake().await;
    let owner = fake.add_organization("Kraken Techs");
    fake.modify_organization(owner, |o| o.primary = true);
    fake.add_organization("Happy Frog");
    let client = common::client(&fake);
    let primary = client
        .list_organizations(&OrganizationFilter::new().primary(true))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&primary), vec!["Kraken Techs"]);
    assert!(primary[0].attributes.primary);
    let others = client
        .list_organizations(&OrganizationFilter::new().primary(false))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&others), vec!["Happy Frog"]);
}

#[tokio::test]
async fn a_psa_filter_finds_the_synced_organization() {
    let fake = common::fake().await;
    let synced = fake.add_organization("Synced Co");
    fake.modify_organization(synced, |o| {
        o.psa = Some(("autotask".to_owned(), "29683".to_owned()));
    });
    fake.add_organization("Manual Co");
    let client = common::client(&fake);
    let found = client
        .list_organizations(&OrganizationFilter::new().psa(&PsaIntegrationType::Autotask, "29683"))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&found), vec!["Synced Co"]);
    assert_eq!(
        found[0].attributes.psa_integration.as_deref(),
        Some("enabled")
    );
    let other_psa = client
        .list_organizations(&OrganizationFilter::new().psa(&PsaIntegrationType::Manage, "29683"))
        .collect_all()
        .await
        .unwrap();
    assert!(other_psa.is_empty());
}

#[tokio::test]
async fn time_range_filters_select_by_creation_and_change() {
    let fake = common::fake().await;
    let old = fake.add_organization("Old");
    let recent = fake.add_organization("Recent");
    let old_at = fake.organization(old).unwrap().created_at;
    let recent_at = fake.organization(recent).unwrap().created_at;
    let client = common::client(&fake);
    let since_recent = client
        .list_organizations(&OrganizationFilter::new().created_at(TimeRange::since(recent_at)))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&since_recent), vec!["Recent"]);
    let until_old = client
        .list_organizations(&OrganizationFilter::new().updated_at(TimeRange::until(old_at)))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&until_old), vec!["Old"]);
    let future = Utc::now() + ChronoDuration::days(3650);
    let none = client
        .list_organizations(&OrganizationFilter::new().created_at(TimeRange::since(future)))
        .collect_all()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_sort_orders_the_list() {
    let fake = common::fake().await;
    for name in ["beta", "Alpha", "gamma"] {
        fake.add_organization(name);
    }
    let client = common::client(&fake);
    let sorted = client
        .list_organizations(
            &OrganizationFilter::new().sort(Sort::descending(OrganizationSortField::Name)),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(names(&sorted), vec!["gamma", "beta", "Alpha"]);
}

#[tokio::test]
async fn get_returns_full_quick_notes_where_the_list_truncates_them() {
    let fake = common::fake().await;
    let id = fake.add_organization("Happy Frog");
    let notes = "n".repeat(400);
    fake.modify_organization(id, |o| o.quick_notes = Some(notes.clone()));
    let client = common::client(&fake);
    let one = client
        .get_organization(OrganizationId::new(id))
        .await
        .unwrap();
    assert_eq!(one.attributes.quick_notes.as_deref(), Some(notes.as_str()));
    let listed = client
        .list_organizations(&OrganizationFilter::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        listed[0].attributes.quick_notes.as_ref().map(String::len),
        Some(250)
    );
}

#[tokio::test]
async fn a_missing_organization_is_not_found() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let err = client
        .get_organization(OrganizationId::new(42))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn an_organization_is_created_with_its_type_and_status() {
    let fake = common::fake().await;
    let customer = fake
        .named_id(NamedKind::OrganizationType, "Customer")
        .unwrap();
    let active = fake
        .named_id(NamedKind::OrganizationStatus, "Active")
        .unwrap();
    let client = common::client(&fake);
    let mut new = NewOrganization::new("Happy Frog");
    new.organization_type_id = Some(OrganizationTypeId::new(customer));
    new.organization_status_id = Some(OrganizationStatusId::new(active));
    new.quick_notes = Some("Created by the sync".to_owned());
    let created = client.create_organization(&new).await.unwrap();
    assert_eq!(created.attributes.name, "Happy Frog");
    let stored = fake.organization(created.id.get()).unwrap();
    assert_eq!(stored.organization_type_id, Some(customer));
    assert_eq!(stored.quick_notes.as_deref(), Some("Created by the sync"));
    assert_eq!(fake.log().count("POST", "/organizations"), 1);
}

#[tokio::test]
async fn an_organization_without_a_name_is_refused_naming_the_attribute() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let err = client
        .create_organization(&NewOrganization::new("  "))
        .await
        .unwrap_err();
    let errors = err.validation_errors();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].attribute().as_deref(), Some("name"));
    assert_eq!(errors[0].detail.as_deref(), Some("can't be blank"));
    assert!(fake.organizations().is_empty());
}

#[tokio::test]
async fn an_unknown_organization_type_is_refused() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let mut new = NewOrganization::new("Happy Frog");
    new.organization_type_id = Some(OrganizationTypeId::new(1));
    let err = client.create_organization(&new).await.unwrap_err();
    assert_eq!(
        err.validation_errors()[0].attribute().as_deref(),
        Some("organization-type")
    );
}

#[tokio::test]
async fn a_create_is_sent_once_even_when_the_server_fails() {
    let fake = common::fake().await;
    fake.faults().set(
        FaultPlan::new(1, 1.0, vec![FaultKind::Status503]).only_paths_containing("/organizations"),
    );
    let client = common::client(&fake);
    let err = client
        .create_organization(&NewOrganization::new("Happy Frog"))
        .await
        .unwrap_err();
    assert!(err.may_have_been_sent(), "{err}");
    assert_eq!(fake.log().count("POST", "/organizations"), 1);
}

#[tokio::test]
async fn a_create_that_failed_after_commit_says_it_may_have_been_sent() {
    let fake = common::fake().await;
    fake.faults().set(
        FaultPlan::new(1, 1.0, vec![FaultKind::FailAfterCommit])
            .only_paths_containing("/organizations"),
    );
    let client = common::client(&fake);
    let err = client
        .create_organization(&NewOrganization::new("Happy Frog"))
        .await
        .unwrap_err();
    assert!(err.may_have_been_sent());
    assert_eq!(fake.organizations().len(), 1, "the fake did create it");
    assert_eq!(fake.log().count("POST", "/organizations"), 1);
}

#[tokio::test]
async fn an_update_changes_only_the_attributes_given() {
    let fake = common::fake().await;
    let id = fake.add_organization("Happy Frog");
    fake.modify_organization(id, |o| o.description = Some("keep me".into()));
    let client = common::client(&fake);
    let update = OrganizationUpdate {
        alert: Some("Check backups".to_owned()),
        short_name: Some("frog".to_owned()),
        ..OrganizationUpdate::default()
    };
    let updated = client
        .update_organization(OrganizationId::new(id), &update)
        .await
        .unwrap();
    assert_eq!(updated.attributes.alert.as_deref(), Some("Check backups"));
    let stored = fake.organization(id).unwrap();
    assert_eq!(stored.short_name.as_deref(), Some("frog"));
    assert_eq!(stored.description.as_deref(), Some("keep me"));
    assert_eq!(stored.name, "Happy Frog");
}

#[tokio::test]
async fn a_psa_synced_organization_refuses_a_rename_but_takes_an_alert() {
    let fake = common::fake().await;
    let id = fake.add_organization("Synced Co");
    fake.modify_organization(id, |o| o.psa = Some(("manage".into(), "7".into())));
    let client = common::client(&fake);
    let rename = OrganizationUpdate {
        name: Some("Renamed".to_owned()),
        ..OrganizationUpdate::default()
    };
    let err = client
        .update_organization(OrganizationId::new(id), &rename)
        .await
        .unwrap_err();
    assert_eq!(
        err.validation_errors()[0].attribute().as_deref(),
        Some("name")
    );
    let alert = OrganizationUpdate {
        alert: Some("Synced from PSA".to_owned()),
        ..OrganizationUpdate::default()
    };
    client
        .update_organization(OrganizationId::new(id), &alert)
        .await
        .unwrap();
    assert_eq!(fake.organization(id).unwrap().name, "Synced Co");
}

#[tokio::test]
async fn updating_a_missing_organization_is_not_found() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let err = client
        .update_organization(OrganizationId::new(9), &OrganizationUpdate::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}
