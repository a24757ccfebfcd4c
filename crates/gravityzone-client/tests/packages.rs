//! Packages API against the fake (and one scripted wiremock case).

mod common;

use gravityzone_client::{
    CompanyId, Error, GravityZoneClient, KitState, ModuleKey, Modules, NewPackage, PackageRoles,
    PackageSettings, PackageType,
};
use msp_fakes::gravityzone::{CreatePackageResult, GravityZoneFake};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn package_for(company: &CompanyId, name: &str) -> NewPackage {
    let mut package = NewPackage::new(name);
    package.company_id = Some(company.clone());
    package.modules = Modules::new()
        .with(ModuleKey::AdvancedThreatControl, true)
        .with(ModuleKey::Firewall, false)
        .with(ModuleKey::NetworkAttackDefense, true);
    let mut settings = PackageSettings::default();
    settings.remove_competitors = Some(true);
    package.settings = Some(settings);
    package.roles = Some(PackageRoles::exchange(true));
    package
}

async fn with_customer() -> (GravityZoneFake, GravityZoneClient, CompanyId) {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let company = CompanyId::new(fake.add_customer(&fake.root_id(), "Contoso").unwrap());
    (fake, client, company)
}

#[tokio::test]
async fn a_created_package_is_listed_with_its_configuration() {
    let (fake, client, company) = with_customer().await;
    let id = client
        .create_package(&package_for(&company, "Contoso - default"))
        .await
        .unwrap()
        .expect("the fake answers with the records shape");
    let listed = client
        .list_packages(Some(&company))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (&listed[0].id, listed[0].package_type),
        (&id, Some(PackageType::Best))
    );
    let details = client.get_package(&id).await.unwrap();
    assert_eq!(details.package_name, "Contoso - default");
    assert!(
        details
            .modules
            .is_enabled(&ModuleKey::AdvancedThreatControl)
    );
    assert!(details.modules.is_enabled(&ModuleKey::NetworkAttackDefense));
    assert_eq!(details.modules.get(&ModuleKey::EdrSensor), Some(false));
    assert_eq!(details.settings.unwrap().remove_competitors, Some(true));
    assert_eq!(details.roles.unwrap().exchange, Some(true));
    // The wire carried the documented 0/1 integers.
    let stored = &fake.packages_of(company.as_str())[0];
    assert_eq!(stored.modules["advancedThreatControl"], 1);
    assert_eq!(stored.modules["firewall"], 0);
}

#[tokio::test]
async fn an_unknown_module_key_in_a_response_is_kept() {
    let (fake, client, company) = with_customer().await;
    let id = client
        .create_package(&package_for(&company, "P"))
        .await
        .unwrap()
        .unwrap();
    assert!(fake.set_package_module(id.as_str(), "quantumShield", 1));
    let details = client.get_package(&id).await.unwrap();
    assert!(
        details
            .modules
            .is_enabled(&ModuleKey::Other("quantumShield".into()))
    );
    assert_eq!(
        details.modules.unknown_keys().collect::<Vec<_>>(),
        ["quantumShield"]
    );
    assert!(details.modules.is_enabled(&ModuleKey::Antimalware));
}

#[tokio::test]
async fn find_or_create_run_twice_creates_one_package() {
    let (fake, client, company) = with_customer().await;
    let package = package_for(&company, "Contoso - default");
    let first = client.find_or_create_package(&package).await.unwrap();
    let second = client.find_or_create_package(&package).await.unwrap();
    assert!(first.created);
    assert!(!second.created);
    assert_eq!(first.item.id, second.item.id);
    assert_eq!(fake.packages_of(company.as_str()).len(), 1);
    assert_eq!(fake.calls("createPackage"), 1);
}

#[tokio::test]
async fn find_or_create_finds_the_package_when_create_returns_nothing() {
    let (fake, client, company) = with_customer().await;
    fake.set_create_package_result(CreatePackageResult::Null);
    let ensured = client
        .find_or_create_package(&package_for(&company, "P"))
        .await
        .unwrap();
    assert!(ensured.created);
    assert_eq!(ensured.item.id, fake.packages_of(company.as_str())[0].id);
}

#[tokio::test]
async fn find_or_create_resolves_a_create_whose_answer_was_lost() {
    // Scripted: the package list is empty, the create commits but answers 500, then the list
    // shows the package. The create must not be sent twice.
    let server = MockServer::start().await;
    let list = |items: serde_json::Value| {
        json!({"id": 1, "jsonrpc": "2.0",
               "result": {"page": 1, "pagesCount": 1, "perPage": 100, "total": 1, "items": items}})
    };
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": "getPackagesList"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(list(json!([]))))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": "createPackage"})))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"method": "getPackagesList"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(list(json!([{"id": "p1", "name": "P", "type": 4}]))),
        )
        .mount(&server)
        .await;
    let client = GravityZoneClient::builder()
        .access_url(format!("{}/api", server.uri()))
        .api_key("k")
        .build()
        .unwrap();
    let ensured = client
        .find_or_create_package(&package_for(&CompanyId::new("c1"), "P"))
        .await
        .unwrap();
    assert_eq!((ensured.item.id.as_str(), ensured.created), ("p1", true));
}

#[tokio::test]
async fn a_duplicate_package_name_is_package_name_taken() {
    let (_fake, client, company) = with_customer().await;
    client
        .create_package(&package_for(&company, "P"))
        .await
        .unwrap();
    let error = client
        .create_package(&package_for(&company, "P"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::PackageNameTaken { name, .. } if name == "P"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_content_control_contradiction_is_refused_before_sending() {
    let (fake, client, company) = with_customer().await;
    let mut package = package_for(&company, "P");
    package.modules = Modules::new()
        .with(ModuleKey::ContentControl, true)
        .with(ModuleKey::TrafficScan, false);
    let error = client.create_package(&package).await.unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    assert_eq!(fake.calls("createPackage"), 0);
}

#[tokio::test]
async fn installation_links_carry_all_fourteen_fields_and_the_deployment_id() {
    let (fake, client, company) = with_customer().await;
    let id = client
        .create_package(&package_for(&company, "Contoso - default"))
        .await
        .unwrap()
        .unwrap();
    let links = client
        .find_installation_links("Contoso - default", Some(&company))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(links.company_id, Some(company.clone()));
    assert_eq!(links.company_name.as_deref(), Some("Contoso"));
    for link in [
        &links.install_link_windows,
        &links.install_link_mac,
        &links.install_link_mac_arm,
        &links.install_link_mac_downloader,
        &links.install_link_linux,
        &links.full_kit_windows_x32,
        &links.full_kit_windows_x64,
        &links.full_kit_windows_arm64,
        &links.full_kit_linux_x32,
        &links.full_kit_linux_x64,
        &links.full_kit_linux_arm64,
    ] {
        assert!(
            link.as_deref().is_some_and(|l| l.starts_with("https://")),
            "{links:#?}"
        );
    }
    let stored = &fake.packages_of(company.as_str())[0];
    assert_eq!(id, stored.id);
    assert_eq!(
        links.windows_deployment_id(),
        Some(stored.deployment_id.as_str())
    );
    assert_eq!(links.windows_kit_ready(), Some(true));
    fake.set_kit_status(id.as_str(), "windows", 1);
    let links = client
        .find_installation_links("Contoso - default", Some(&company))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(links.status.unwrap()["windows"], KitState::Building);
}

#[tokio::test]
async fn installation_links_for_compares_names_exactly() {
    let (_fake, client, company) = with_customer().await;
    client
        .create_package(&package_for(&company, "Contoso - default v2"))
        .await
        .unwrap();
    let fuzzy = client
        .get_installation_links(Some("Contoso - default"), Some(&company))
        .await
        .unwrap();
    assert_eq!(fuzzy.len(), 1, "the vendor side matches loosely");
    let exact = client
        .find_installation_links("Contoso - default", Some(&company))
        .await
        .unwrap();
    assert!(exact.is_none());
}

#[tokio::test]
async fn a_deleted_package_is_gone() {
    let (fake, client, company) = with_customer().await;
    let id = client
        .create_package(&package_for(&company, "P"))
        .await
        .unwrap()
        .unwrap();
    client.delete_package(&id).await.unwrap();
    assert!(fake.packages_of(company.as_str()).is_empty());
    assert!(
        client
            .list_packages(Some(&company))
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn packages_are_paged_by_one_hundred() {
    let (fake, client, company) = with_customer().await;
    for i in 0..101 {
        client
            .create_package(&package_for(&company, &format!("P{i:03}")))
            .await
            .unwrap();
    }
    let all = client
        .list_packages(Some(&company))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 101);
    assert_eq!(fake.calls("getPackagesList"), 2);
}
