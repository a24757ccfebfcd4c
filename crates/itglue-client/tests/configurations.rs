//! Configurations against the IT Glue fake: list with every filter and with interfaces, get,
//! create one, bulk create, update, archive.

mod common;

use itglue_client::{
    ConfigurationFilter, ConfigurationId, ConfigurationStatusId, ConfigurationTypeId,
    ConfigurationUpdate, ContactId, ItGlueClient, NewConfiguration, NewConfigurationInterface,
    OrganizationId, RmmIntegrationType,
};
use msp_fakes::itglue::{ItGlueFake, NamedKind};

/// Two organizations; the first with a laptop, a server and an archived switch, the second
/// with one workstation.
struct Seeded {
    frog: u64,
    other: u64,
    laptop: u64,
    server: u64,
    switch: u64,
    workstation: u64,
}

fn seed(fake: &ItGlueFake) -> Seeded {
    let frog = fake.add_organization("Happy Frog");
    let other = fake.add_organization("Other Co");
    let server_type = fake
        .named_id(NamedKind::ConfigurationType, "Managed Server")
        .unwrap();
    let switch_type = fake
        .named_id(NamedKind::ConfigurationType, "Switch")
        .unwrap();
    let inactive = fake
        .named_id(NamedKind::ConfigurationStatus, "Inactive")
        .unwrap();
    let laptop = fake.add_configuration(frog, "HF-LT-01");
    fake.modify_configuration(laptop, |c| {
        c.serial_number = Some("C03R3LT7THV8".into());
        c.mac_address = Some("C4:7A:92:14:3D:78".into());
        c.primary_ip = Some("10.10.1.111".into());
        c.asset_tag = Some("BP6549".into());
        c.contact_id = Some(77);
        c.rmm_links.push(("aem".into(), "6f1c-laptop-uid".into()));
    });
    let server = fake.add_configuration(frog, "HF-SRV-01");
    fake.modify_configuration(server, |c| {
        c.configuration_type_id = server_type;
        c.serial_number = Some("SRV123".into());
    });
    let switch = fake.add_configuration(frog, "HF-SW-01");
    fake.modify_configuration(switch, |c| {
        c.configuration_type_id = switch_type;
        c.configuration_status_id = Some(inactive);
        c.archived = true;
    });
    let workstation = fake.add_configuration(other, "OC-WS-01");
    Seeded {
        frog,
        other,
        laptop,
        server,
        switch,
        workstation,
    }
}

async fn ids(client: &ItGlueClient, filter: ConfigurationFilter) -> Vec<u64> {
    client
        .list_configurations(&filter)
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id.get())
        .collect()
}

#[tokio::test]
async fn the_organization_filter_lists_only_that_organizations_configurations() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().organization_id(OrganizationId::new(s.frog))
        )
        .await,
        vec![s.laptop, s.server, s.switch]
    );
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().organization_id(OrganizationId::new(s.other))
        )
        .await,
        vec![s.workstation]
    );
    let query = &fake.log().all()[0].query;
    assert!(query.contains("filter%5Borganization_id%5D="), "{query}");
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn the_serial_number_filter_finds_the_device() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().serial_number("C03R3LT7THV8")
        )
        .await,
        vec![s.laptop]
    );
}

#[tokio::test]
async fn the_mac_address_filter_finds_the_device() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().mac_address("C4:7A:92:14:3D:78")
        )
        .await,
        vec![s.laptop]
    );
}

#[tokio::test]
async fn the_name_filter_matches_the_exact_name_only() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    assert_eq!(
        ids(&client, ConfigurationFilter::new().name("HF-SRV-01")).await,
        vec![s.server]
    );
    assert!(
        ids(&client, ConfigurationFilter::new().name("HF-SRV"))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn the_rmm_filter_finds_the_linked_device() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().rmm(&RmmIntegrationType::Aem, "6f1c-laptop-uid")
        )
        .await,
        vec![s.laptop]
    );
    assert!(
        ids(
            &client,
            ConfigurationFilter::new().rmm(&RmmIntegrationType::NinjaRmm, "6f1c-laptop-uid")
        )
        .await
        .is_empty()
    );
}

#[tokio::test]
async fn type_status_contact_asset_tag_and_id_filters_select_exactly() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let server_type = fake
        .named_id(NamedKind::ConfigurationType, "Managed Server")
        .unwrap();
    let inactive = fake
        .named_id(NamedKind::ConfigurationStatus, "Inactive")
        .unwrap();
    let client = common::client(&fake);
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().configuration_type_id(ConfigurationTypeId::new(server_type))
        )
        .await,
        vec![s.server]
    );
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new()
                .configuration_status_id(ConfigurationStatusId::new(inactive))
        )
        .await,
        vec![s.switch]
    );
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().contact_id(ContactId::new(77))
        )
        .await,
        vec![s.laptop]
    );
    assert_eq!(
        ids(&client, ConfigurationFilter::new().asset_tag("BP6549")).await,
        vec![s.laptop]
    );
    assert_eq!(
        ids(
            &client,
            ConfigurationFilter::new().ids([
                ConfigurationId::new(s.workstation),
                ConfigurationId::new(s.server)
            ])
        )
        .await,
        vec![s.server, s.workstation]
    );
}

#[tokio::test]
async fn the_archived_filter_separates_archived_devices() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    assert_eq!(
        ids(&client, ConfigurationFilter::new().archived(true)).await,
        vec![s.switch]
    );
    assert_eq!(
        ids(&client, ConfigurationFilter::new().archived(false)).await,
        vec![s.laptop, s.server, s.workstation]
    );
}

#[tokio::test]
async fn configurations_are_listed_with_their_interfaces() {
    let fake = common::fake().await;
    let s = seed(&fake);
    fake.add_interface(
        s.laptop,
        "WLAN",
        Some("10.0.1.23"),
        Some("D4:6A:91:13:2D:77"),
        false,
    )
    .unwrap();
    let client = common::client(&fake);
    let listed = client
        .list_configurations_with_interfaces(
            &ConfigurationFilter::new().organization_id(OrganizationId::new(s.frog)),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3);
    let laptop = &listed[0];
    assert_eq!(laptop.configuration.id.get(), s.laptop);
    let macs: Vec<_> = laptop
        .interfaces
        .iter()
        .map(|i| (i.attributes.mac_address.clone(), i.attributes.primary))
        .collect();
    assert_eq!(
        macs,
        vec![
            (Some("C4:7A:92:14:3D:78".to_owned()), true),
            (Some("D4:6A:91:13:2D:77".to_owned()), false)
        ]
    );
    assert!(listed[1].interfaces.is_empty());
    assert!(
        fake.log().all()[0]
            .query
            .contains("include=configuration_interfaces")
    );
}

#[tokio::test]
async fn one_configuration_is_fetched_with_or_without_interfaces() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    let laptop = client
        .get_configuration(ConfigurationId::new(s.laptop))
        .await
        .unwrap();
    assert_eq!(laptop.attributes.name, "HF-LT-01");
    assert_eq!(
        laptop.attributes.organization_name.as_deref(),
        Some("Happy Frog")
    );
    assert_eq!(
        laptop.attributes.configuration_type_name.as_deref(),
        Some("Managed Workstation")
    );
    let with = client
        .get_configuration_with_interfaces(ConfigurationId::new(s.laptop))
        .await
        .unwrap();
    assert_eq!(with.interfaces.len(), 1);
    assert_eq!(
        with.interfaces[0].attributes.ip_address.as_deref(),
        Some("10.10.1.111")
    );
    let missing = client
        .get_configuration(ConfigurationId::new(1))
        .await
        .unwrap_err();
    assert!(missing.is_not_found());
}

#[tokio::test]
async fn a_configuration_is_created_with_its_interfaces() {
    let fake = common::fake().await;
    let org = fake.add_organization("Happy Frog");
    let laptop_type = fake
        .named_id(NamedKind::ConfigurationType, "Laptop")
        .unwrap();
    let client = common::client(&fake);
    let mut new = NewConfiguration::new("HF-LT-02", ConfigurationTypeId::new(laptop_type));
    new.hostname = Some("HFLT02".to_owned());
    new.serial_number = Some("5CG1234XYZ".to_owned());
    new.installed_by = Some("RMM: 6f1c-uid".to_owned());
    new.warranty_expires_at = chrono::NaiveDate::from_ymd_opt(2027, 5, 5);
    new.interfaces = vec![
        NewConfigurationInterface {
            name: Some("Ethernet".to_owned()),
            ip_address: Some("10.10.1.50".to_owned()),
            mac_address: Some("00:11:22:33:44:55".to_owned()),
            primary: Some(true),
            notes: None,
        },
        NewConfigurationInterface {
            name: Some("Wi-Fi".to_owned()),
            mac_address: Some("00:11:22:33:44:66".to_owned()),
            ..NewConfigurationInterface::default()
        },
    ];
    let created = client
        .create_configuration(OrganizationId::new(org), &new)
        .await
        .unwrap();
    assert_eq!(
        created.attributes.organization_id,
        Some(OrganizationId::new(org))
    );
    assert_eq!(
        created.attributes.mac_address.as_deref(),
        Some("00:11:22:33:44:55")
    );
    let stored = fake.configuration(created.id.get()).unwrap();
    assert_eq!(stored.serial_number.as_deref(), Some("5CG1234XYZ"));
    assert_eq!(stored.warranty_expires_at.as_deref(), Some("2027-05-05"));
    assert_eq!(stored.installed_by.as_deref(), Some("RMM: 6f1c-uid"));
    let interfaces = fake.interfaces_of(created.id.get());
    assert_eq!(interfaces.len(), 2);
    assert!(interfaces[0].primary);
    assert_eq!(fake.log().count("POST", "/configurations"), 1);
    let body: serde_json::Value = serde_json::from_str(&fake.log().all()[0].body).unwrap();
    assert_eq!(body["data"]["type"], "configurations");
    assert_eq!(body["data"]["attributes"]["organization-id"], org);
    assert_eq!(
        body["data"]["attributes"]["configuration-type-id"],
        laptop_type
    );
    assert_eq!(
        body["data"]["relationships"]["configuration_interfaces"]["data"][0]["type"],
        "configuration_interfaces"
    );
}

#[tokio::test]
async fn a_configuration_without_a_valid_type_names_the_missing_attribute() {
    let fake = common::fake().await;
    let org = fake.add_organization("Happy Frog");
    let client = common::client(&fake);
    let new = NewConfiguration::new("HF-LT-02", ConfigurationTypeId::new(1));
    let err = client
        .create_configuration(OrganizationId::new(org), &new)
        .await
        .unwrap_err();
    let errors = err.validation_errors();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(errors[0].attribute().as_deref(), Some("configuration-type"));
    assert_eq!(errors[0].detail.as_deref(), Some("must exist"));
    assert_eq!(
        errors[0].pointer.as_deref(),
        Some("/data/attributes/configuration-type")
    );
    assert!(fake.configurations().is_empty());
}

#[tokio::test]
async fn a_configuration_in_an_unknown_organization_is_refused() {
    let fake = common::fake().await;
    let laptop_type = fake
        .named_id(NamedKind::ConfigurationType, "Laptop")
        .unwrap();
    let client = common::client(&fake);
    let new = NewConfiguration::new("PC", ConfigurationTypeId::new(laptop_type));
    let err = client
        .create_configuration(OrganizationId::new(5), &new)
        .await
        .unwrap_err();
    let errors = err.validation_errors();
    assert_eq!(errors[0].attribute().as_deref(), Some("organization-id"));
    assert_eq!(errors[0].message(), "Valid organization_id is required");
}

#[tokio::test]
async fn bulk_create_makes_every_configuration_in_one_call_on_the_nested_route() {
    let fake = common::fake().await;
    let org = fake.add_organization("Happy Frog");
    let workstation = fake
        .named_id(NamedKind::ConfigurationType, "Managed Workstation")
        .unwrap();
    let client = common::client(&fake);
    let new: Vec<_> = (1..=3)
        .map(|n| {
            let mut config =
                NewConfiguration::new(format!("PC-00{n}"), ConfigurationTypeId::new(workstation));
            config.serial_number = Some(format!("SN-{n}"));
            config
        })
        .collect();
    let created = client
        .create_configurations(OrganizationId::new(org), &new)
        .await
        .unwrap();
    let names: Vec<_> = created.iter().map(|c| c.attributes.name.as_str()).collect();
    assert_eq!(names, vec!["PC-001", "PC-002", "PC-003"]);
    assert_eq!(fake.configurations_of(org).len(), 3);
    let path = format!("/organizations/{org}/relationships/configurations");
    assert_eq!(fake.log().count("POST", &path), 1);
    assert_eq!(fake.log().len(), 1);
}

#[tokio::test]
async fn a_bulk_create_with_one_bad_item_creates_nothing_and_points_at_it() {
    let fake = common::fake().await;
    let org = fake.add_organization("Happy Frog");
    let workstation = fake
        .named_id(NamedKind::ConfigurationType, "Managed Workstation")
        .unwrap();
    let client = common::client(&fake);
    let new = vec![
        NewConfiguration::new("PC-001", ConfigurationTypeId::new(workstation)),
        NewConfiguration::new("", ConfigurationTypeId::new(workstation)),
    ];
    let err = client
        .create_configurations(OrganizationId::new(org), &new)
        .await
        .unwrap_err();
    let errors = err.validation_errors();
    assert_eq!(
        errors[0].pointer.as_deref(),
        Some("/data/1/attributes/name")
    );
    assert_eq!(errors[0].attribute().as_deref(), Some("name"));
    assert!(fake.configurations().is_empty());
}

#[tokio::test]
async fn an_empty_bulk_create_sends_nothing() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let created = client
        .create_configurations(OrganizationId::new(1), &[])
        .await
        .unwrap();
    assert!(created.is_empty());
    assert!(fake.log().is_empty());
}

#[tokio::test]
async fn an_update_changes_the_attributes_given_and_the_primary_interface() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    let update = ConfigurationUpdate {
        serial_number: Some("NEW-SERIAL".to_owned()),
        primary_ip: Some("10.10.1.200".to_owned()),
        ..ConfigurationUpdate::default()
    };
    let updated = client
        .update_configuration(ConfigurationId::new(s.laptop), &update)
        .await
        .unwrap();
    assert_eq!(
        updated.attributes.serial_number.as_deref(),
        Some("NEW-SERIAL")
    );
    let stored = fake.configuration(s.laptop).unwrap();
    assert_eq!(stored.asset_tag.as_deref(), Some("BP6549"));
    assert_eq!(
        fake.interfaces_of(s.laptop)[0].ip_address.as_deref(),
        Some("10.10.1.200")
    );
}

#[tokio::test]
async fn archive_and_unarchive_flip_the_archived_flag() {
    let fake = common::fake().await;
    let s = seed(&fake);
    let client = common::client(&fake);
    let archived = client
        .archive_configuration(ConfigurationId::new(s.server))
        .await
        .unwrap();
    assert!(archived.attributes.archived);
    assert!(fake.configuration(s.server).unwrap().archived);
    let restored = client
        .unarchive_configuration(ConfigurationId::new(s.switch))
        .await
        .unwrap();
    assert!(!restored.attributes.archived);
    let body = &fake.log().all()[0].body;
    assert!(body.contains(r#""archived":true"#), "{body}");
}

#[tokio::test]
async fn a_psa_synced_configuration_can_be_archived_but_not_renamed() {
    let fake = common::fake().await;
    let s = seed(&fake);
    fake.modify_configuration(s.server, |c| c.psa = Some(("autotask".into(), "1".into())));
    let client = common::client(&fake);
    let rename = ConfigurationUpdate {
        name: Some("renamed".to_owned()),
        ..ConfigurationUpdate::default()
    };
    let err = client
        .update_configuration(ConfigurationId::new(s.server), &rename)
        .await
        .unwrap_err();
    assert_eq!(
        err.validation_errors()[0].attribute().as_deref(),
        Some("name")
    );
    client
        .archive_configuration(ConfigurationId::new(s.server))
        .await
        .unwrap();
    assert!(fake.configuration(s.server).unwrap().archived);
}
