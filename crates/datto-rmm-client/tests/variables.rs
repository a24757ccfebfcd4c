//! Site and account variables: body-less writes, masking, and the upsert that re-lists to
//! learn the id.

mod common;

use datto_rmm_client::{SiteUid, VariableId};
use msp_fakes::datto::{DattoHandler, MASK};
use msp_fakes::harness::{FakeServer, Handler};
use wiremock::{Request, ResponseTemplate};

fn some_site(fake: &msp_fakes::datto::DattoFake) -> String {
    fake.sites()
        .into_iter()
        .find(|s| s.name != "Managed" && !s.on_demand)
        .unwrap()
        .uid
}

/// The client's uid of the fake's site `uid`.
fn uid(site: &str) -> SiteUid {
    SiteUid::new(site)
}

/// API writes (the token request is a `POST` too, but writes nothing).
fn writes(fake: &msp_fakes::datto::DattoFake) -> usize {
    fake.log()
        .count_where(|r| r.is_write() && r.path.starts_with("/api/"))
}

#[tokio::test]
async fn a_created_site_variable_shows_in_the_next_list() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = some_site(&fake);

    client
        .create_site_variable(&uid(&site), "Rack", "R4", false)
        .await
        .unwrap();

    let variables = client
        .list_site_variables(&uid(&site))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(variables.len(), 1);
    assert_eq!(variables[0].name.as_deref(), Some("Rack"));
    assert_eq!(variables[0].value.as_deref(), Some("R4"));
    assert!(variables[0].id.is_some());
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn a_masked_variable_is_listed_with_its_value_masked() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = some_site(&fake);
    client
        .create_site_variable(&uid(&site), "AdminPassword", "hunter2", true)
        .await
        .unwrap();

    let variables = client
        .list_site_variables(&uid(&site))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(variables[0].masked, Some(true));
    assert_eq!(variables[0].value.as_deref(), Some(MASK));
    assert_eq!(fake.site_variables(&site)[0].value, "hunter2");
}

#[tokio::test]
async fn a_site_variable_is_updated_and_deleted_by_id() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = some_site(&fake);
    let id = VariableId::new(fake.set_site_variable(&site, "Color", "red", false));

    client
        .update_site_variable(&uid(&site), id, "Colour", "blue")
        .await
        .unwrap();
    let stored = fake.site_variables(&site);
    assert_eq!(
        (stored[0].name.as_str(), stored[0].value.as_str()),
        ("Colour", "blue")
    );

    client.delete_site_variable(&uid(&site), id).await.unwrap();
    assert!(fake.site_variables(&site).is_empty());
    assert!(
        client
            .delete_site_variable(&uid(&site), id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn upsert_creates_a_missing_variable_and_returns_it_with_its_id() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = some_site(&fake);

    let variable = client
        .upsert_site_variable(
            &uid(&site),
            "GravityZonePackageLink",
            "https://gz.example/pkg/1",
            false,
        )
        .await
        .unwrap();

    let stored = fake.site_variables(&site);
    assert_eq!(stored.len(), 1);
    assert_eq!(variable.id, Some(VariableId::new(stored[0].id)));
    assert_eq!(variable.value.as_deref(), Some("https://gz.example/pkg/1"));
}

#[tokio::test]
async fn upsert_updates_an_existing_variable_instead_of_adding_one() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = some_site(&fake);
    let id = fake.set_site_variable(
        &site,
        "GravityZonePackageLink",
        "https://gz.example/old",
        false,
    );

    let variable = client
        .upsert_site_variable(
            &uid(&site),
            "GravityZonePackageLink",
            "https://gz.example/new",
            false,
        )
        .await
        .unwrap();

    assert_eq!(variable.id, Some(VariableId::new(id)));
    let stored = fake.site_variables(&site);
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].value, "https://gz.example/new");
    assert_eq!(
        fake.log()
            .count("PUT", &format!("/api/v2/site/{site}/variable")),
        0
    );
}

#[tokio::test]
async fn upsert_with_the_value_already_set_writes_nothing() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = some_site(&fake);
    fake.set_site_variable(
        &site,
        "GravityZonePackageLink",
        "https://gz.example/same",
        false,
    );

    client
        .upsert_site_variable(
            &uid(&site),
            "GravityZonePackageLink",
            "https://gz.example/same",
            false,
        )
        .await
        .unwrap();
    client
        .upsert_site_variable(
            &uid(&site),
            "GravityZonePackageLink",
            "https://gz.example/same",
            false,
        )
        .await
        .unwrap();

    assert_eq!(writes(&fake), 0);
}

/// The Datto fake, except that a variable create is answered `500` after it was stored.
struct CreateFailsAfterCommit(DattoHandler);

impl Handler for CreateFailsAfterCommit {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let answer = self.0.handle(request)?;
        let is_create =
            request.method.as_str() == "PUT" && request.url.path().ends_with("/variable");
        Some(if is_create {
            ResponseTemplate::new(500).set_body_string("proxy error")
        } else {
            answer
        })
    }
}

#[tokio::test]
async fn upsert_after_a_create_that_failed_yet_happened_leaves_one_variable() {
    let fake = common::fake().await;
    let site = some_site(&fake);
    let server = FakeServer::start(CreateFailsAfterCommit(fake.handler().clone())).await;
    let client = common::client_through(&fake, &server.uri());

    let variable = client
        .upsert_site_variable(&uid(&site), "GravityZonePackageLink", "https://gz/1", false)
        .await
        .unwrap();

    let stored = fake.site_variables(&site);
    assert_eq!(stored.len(), 1, "no duplicate");
    assert_eq!(variable.id, Some(VariableId::new(stored[0].id)));
    assert_eq!(
        server
            .log()
            .count("PUT", &format!("/api/v2/site/{site}/variable")),
        1
    );
}

#[tokio::test]
async fn upsert_on_an_unknown_site_is_not_found() {
    let fake = common::fake().await;
    let error = common::client(&fake)
        .upsert_site_variable(&uid("nope"), "a", "b", false)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn account_variables_are_created_listed_updated_and_deleted() {
    let fake = common::fake().await;
    let client = common::client(&fake);

    client
        .create_account_variable("Region", "EU", false)
        .await
        .unwrap();
    let listed = client.list_account_variables().collect_all().await.unwrap();
    assert_eq!(listed.len(), 1);
    let id = listed[0].id.unwrap();

    client
        .update_account_variable(id, "Region", "US")
        .await
        .unwrap();
    assert_eq!(fake.account_variables()[0].value, "US");

    client.delete_account_variable(id).await.unwrap();
    assert!(
        client
            .list_account_variables()
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn creating_a_variable_whose_name_exists_is_a_conflict() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    client
        .create_account_variable("Region", "EU", false)
        .await
        .unwrap();
    let error = client
        .create_account_variable("Region", "US", false)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            datto_rmm_client::Error::Transport(msp_transport::Error::Vendor { status: 409, .. })
        ),
        "{error:?}"
    );
}
