//! Every IT Glue sample payload in `tests/fixtures` (copied from `shared/api/fixtures`, see
//! `SOURCES.md`) decodes into this crate's types.

use itglue_client::{
    Configuration, ConfigurationId, ConfigurationInterface, ConfigurationInterfaceId,
    ConfigurationStatusId, ConfigurationTypeId, Document, ItGlueClient, NewOrganization,
    Organization, OrganizationId, OrganizationStatus, OrganizationStatusId, OrganizationTypeId,
    Secret,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let text = fixture(name);
    msp_transport::decode_json(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_organizations_sample_decodes_with_typed_ids_and_string_ancestors() {
    let document: Document<Vec<Organization>> = decode("itglue-organizations-list.json");
    assert_eq!(document.data.len(), 3);
    let happy_frog = &document.data[0];
    assert_eq!(happy_frog.id, OrganizationId::new(2));
    assert_eq!(happy_frog.attributes.name, "Happy Frog");
    assert_eq!(
        happy_frog.attributes.organization_type_id,
        Some(OrganizationTypeId::new(86))
    );
    assert_eq!(
        happy_frog.attributes.organization_status_id,
        Some(OrganizationStatusId::new(68))
    );
    assert_eq!(
        happy_frog.attributes.parent_id,
        Some(OrganizationId::new(1))
    );
    assert_eq!(
        happy_frog.attributes.ancestor_ids,
        vec![OrganizationId::new(1), OrganizationId::new(6)]
    );
    assert!(!happy_frog.attributes.primary);
    let kraken = &document.data[1];
    assert!(kraken.attributes.primary);
    assert_eq!(
        kraken.attributes.organization_type_name.as_deref(),
        Some("Owner")
    );
    assert!(document.meta.is_none());
}

#[test]
fn the_configurations_sample_decodes_with_dates_and_interface_relationships() {
    let document: Document<Vec<Configuration>> = decode("itglue-configurations-list.json");
    assert_eq!(document.data.len(), 2);
    let laptop = &document.data[0];
    assert_eq!(laptop.id, ConfigurationId::new(455));
    let attributes = &laptop.attributes;
    assert_eq!(attributes.name, "HF-SF-CJ452JK");
    assert_eq!(attributes.organization_id, Some(OrganizationId::new(2)));
    assert_eq!(attributes.serial_number.as_deref(), Some("C03R3LT7THV8"));
    assert_eq!(attributes.mac_address.as_deref(), Some("18-5E-0F-ED-99-9J"));
    assert_eq!(
        attributes.configuration_type_id,
        Some(ConfigurationTypeId::new(65))
    );
    assert_eq!(
        attributes.configuration_status_id,
        Some(ConfigurationStatusId::new(29))
    );
    assert_eq!(
        attributes
            .warranty_expires_at
            .map(|d| d.to_string())
            .as_deref(),
        Some("2018-05-05")
    );
    assert!(!attributes.archived);
    let interface_ids: Vec<ConfigurationInterfaceId> = laptop
        .related("configuration-interfaces")
        .iter()
        .filter_map(|identifier| identifier.parse_id())
        .collect();
    assert_eq!(
        interface_ids,
        vec![
            ConfigurationInterfaceId::new(68),
            ConfigurationInterfaceId::new(78)
        ]
    );
    let switch = &document.data[1];
    assert!(switch.attributes.archived);
    assert_eq!(switch.attributes.hostname, None);
}

#[test]
fn the_interfaces_sample_with_ids_inside_attributes_decodes() {
    // Doc quirk: no top-level id; the id is a number inside `attributes`.
    let document: Document<Vec<ConfigurationInterface>> =
        decode("itglue-configuration-interfaces-list.json");
    let ids: Vec<_> = document.data.iter().map(|i| i.id).collect();
    assert_eq!(
        ids,
        vec![
            ConfigurationInterfaceId::new(63),
            ConfigurationInterfaceId::new(64)
        ]
    );
    let ethernet = &document.data[0].attributes;
    assert!(ethernet.primary);
    assert_eq!(ethernet.mac_address.as_deref(), Some("C4:7A:92:14:3D:78"));
    assert_eq!(ethernet.ip_address.as_deref(), Some("10.10.1.111"));
    assert_eq!(
        document.data[1].attributes.notes.as_deref(),
        Some("Fujitsu 802.11b Wireless LAN Adapter(A)")
    );
}

#[test]
fn the_organization_statuses_sample_decodes_with_its_meta() {
    let document: Document<Vec<OrganizationStatus>> =
        decode("itglue-organization-statuses-with-meta.json");
    assert_eq!(document.data.len(), 2);
    assert!(document.data[0].attributes.synced);
    assert!(!document.data[1].attributes.synced);
    let meta = document.meta.expect("the sample has meta");
    assert_eq!(meta.current_page, Some(1));
    assert_eq!(meta.next_page, None);
    assert_eq!(meta.prev_page, None);
    assert_eq!(meta.total_pages, Some(1));
    assert_eq!(meta.total_count, Some(2));
    assert_eq!(meta.filters, Some(serde_json::json!({})));
}

#[tokio::test]
async fn the_422_sample_reaches_the_caller_with_pointer_and_detail() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/organizations"))
        .respond_with(
            ResponseTemplate::new(422)
                .insert_header("content-type", "application/vnd.api+json")
                .set_body_string(fixture("itglue-error-422-configuration-type.json")),
        )
        .mount(&server)
        .await;
    let client = ItGlueClient::builder()
        .base_url(server.uri())
        .api_key(Secret::new("ITG.fixture"))
        .build()
        .unwrap();
    let err = client
        .create_organization(&NewOrganization::new("Happy Frog"))
        .await
        .unwrap_err();
    let errors = err.validation_errors();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].status, Some(422));
    assert_eq!(errors[0].attribute().as_deref(), Some("configuration-type"));
    assert_eq!(errors[0].detail.as_deref(), Some("must exist"));
    assert_eq!(errors[0].title.as_deref(), Some("Unprocessable Entity"));
    assert!(err.to_string().contains("configuration-type: must exist"));
    assert!(!err.may_have_been_sent());
}
