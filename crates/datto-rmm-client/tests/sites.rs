//! Sites: list, get, create, update, name filter, system sites.

mod common;

use datto_rmm_client::models::{CreateSiteRequest, SystemSite, UpdateSiteRequest};
use datto_rmm_client::{AutotaskCompanyId, SiteUid};
use msp_fakes::harness::{FaultKind, FaultPlan};

#[tokio::test]
async fn the_site_list_holds_every_site_and_recognises_the_system_sites() {
    let fake = common::fake().await;
    let client = common::client(&fake);

    let sites = client.list_sites().collect_all().await.unwrap();

    assert_eq!(sites.len(), fake.sites().len());
    let mut system: Vec<SystemSite> = sites.iter().filter_map(|s| s.system_site()).collect();
    system.sort_by_key(|s| s.name());
    assert_eq!(
        system,
        vec![
            SystemSite::DeletedDevices,
            SystemSite::Managed,
            SystemSite::OnDemand
        ]
    );
    let customer = sites.iter().filter(|s| s.is_customer_site()).count();
    let expected = fake.sites().iter().filter(|s| !s.on_demand).count() - 2;
    assert_eq!(
        customer, expected,
        "customer sites: not system, not OnDemand"
    );
}

#[tokio::test]
async fn one_site_comes_with_its_device_counts() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let busiest = fake
        .sites()
        .into_iter()
        .max_by_key(|s| fake.devices_of(&s.uid).len())
        .unwrap();

    let site = client.get_site(&SiteUid::new(&busiest.uid)).await.unwrap();

    assert_eq!(site.name, Some(busiest.name.clone()));
    let expected = fake.devices_of(&busiest.uid).len() as i64;
    assert_eq!(
        site.devices_status.unwrap().number_of_devices,
        Some(expected)
    );
    assert_eq!(
        site.autotask_company_id,
        busiest.autotask_company_id.map(AutotaskCompanyId::new)
    );
}

#[tokio::test]
async fn an_unknown_site_is_not_found() {
    let fake = common::fake().await;
    let error = common::client(&fake)
        .get_site(&SiteUid::new("no-such-site"))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn the_name_filter_returns_only_matching_sites() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let sites = client
        .list_sites_named("deleted")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(sites.len(), 1);
    assert_eq!(sites[0].system_site(), Some(SystemSite::DeletedDevices));
}

#[tokio::test]
async fn a_created_site_is_returned_and_shows_in_the_next_list() {
    let fake = common::fake().await;
    let client = common::client(&fake);

    let created = client
        .create_site(
            &CreateSiteRequest::new("Brand New Client GmbH").description("onboarded today"),
        )
        .await
        .unwrap();

    assert_eq!(created.name.as_deref(), Some("Brand New Client GmbH"));
    assert_eq!(created.description.as_deref(), Some("onboarded today"));
    let uid = created.uid.clone().unwrap();
    let listed = client.list_sites().collect_all().await.unwrap();
    assert!(listed.iter().any(|s| s.uid.as_ref() == Some(&uid)));
    assert!(fake.site(uid.as_str()).is_some());
}

#[tokio::test]
async fn a_site_create_that_failed_is_not_sent_again() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client.get_account().await.unwrap();
    let before = fake.sites().len();
    fake.faults().set(
        FaultPlan::new(5, 1.0, vec![FaultKind::Status503]).only_paths_containing("/api/v2/site"),
    );

    let error = client
        .create_site(&CreateSiteRequest::new("Maybe Created Ltd"))
        .await
        .unwrap_err();

    assert!(error.may_have_been_sent());
    assert_eq!(
        fake.log().count("PUT", "/api/v2/site"),
        1,
        "a create is never retried blindly"
    );
    assert_eq!(fake.sites().len(), before);
}

#[tokio::test]
async fn an_update_changes_the_site_and_returns_it() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let target = fake
        .sites()
        .into_iter()
        .find(|s| !s.on_demand && s.name != "Managed")
        .unwrap();
    let target_uid = SiteUid::new(&target.uid);
    let current = client.get_site(&target_uid).await.unwrap();

    let request = UpdateSiteRequest::from_site(&current)
        .unwrap()
        .name("Renamed Client")
        .notes("renamed")
        .on_demand(false);
    let updated = client.update_site(&target_uid, &request).await.unwrap();

    assert_eq!(updated.name.as_deref(), Some("Renamed Client"));
    assert_eq!(updated.notes.as_deref(), Some("renamed"));
    assert_eq!(fake.site(&target.uid).unwrap().name, "Renamed Client");
    assert_eq!(
        updated.description, current.description,
        "values not changed are kept"
    );
}

#[tokio::test]
async fn updating_an_unknown_site_is_not_found() {
    let fake = common::fake().await;
    let error = common::client(&fake)
        .update_site(&SiteUid::new("missing"), &UpdateSiteRequest::new("x"))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}
