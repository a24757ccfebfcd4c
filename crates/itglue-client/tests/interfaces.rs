//! Configuration interfaces against the IT Glue fake: list (with filters) and create.

mod common;

use itglue_client::{
    ConfigurationId, ConfigurationInterfaceFilter, ConfigurationInterfaceId,
    ConfigurationInterfaceSortField, NewConfigurationInterface, Sort,
};
use msp_fakes::itglue::ItGlueFake;

/// A configuration with a primary Ethernet and a WLAN interface.
fn seed(fake: &ItGlueFake) -> (u64, u64, u64) {
    let org = fake.add_organization("Happy Frog");
    let configuration = fake.add_configuration(org, "HF-LT-01");
    let ethernet = fake
        .add_interface(
            configuration,
            "Ethernet Card",
            Some("10.10.1.111"),
            Some("C4:7A:92:14:3D:78"),
            true,
        )
        .unwrap();
    let wlan = fake
        .add_interface(
            configuration,
            "WLAN Card",
            Some("10.0.1.23"),
            Some("D4:6A:91:13:2D:77"),
            false,
        )
        .unwrap();
    (configuration, ethernet, wlan)
}

#[tokio::test]
async fn the_interfaces_of_a_configuration_are_listed_on_the_nested_route() {
    let fake = common::fake().await;
    let (configuration, ethernet, wlan) = seed(&fake);
    let client = common::client(&fake);
    let listed = client
        .list_configuration_interfaces(
            ConfigurationId::new(configuration),
            &ConfigurationInterfaceFilter::new(),
        )
        .collect_all()
        .await
        .unwrap();
    let ids: Vec<_> = listed.iter().map(|i| i.id.get()).collect();
    assert_eq!(ids, vec![ethernet, wlan]);
    assert!(listed[0].attributes.primary);
    assert_eq!(listed[1].attributes.name.as_deref(), Some("WLAN Card"));
    let path = format!("/configurations/{configuration}/relationships/configuration_interfaces");
    assert_eq!(fake.log().count("GET", &path), 1);
    fake.server().assert_no_unexpected();
}

#[tokio::test]
async fn interface_filters_select_by_ip_and_id() {
    let fake = common::fake().await;
    let (configuration, ethernet, wlan) = seed(&fake);
    let client = common::client(&fake);
    let by_ip = client
        .list_configuration_interfaces(
            ConfigurationId::new(configuration),
            &ConfigurationInterfaceFilter::new().ip_address("10.0.1.23"),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(by_ip.len(), 1);
    assert_eq!(by_ip[0].id.get(), wlan);
    let by_id = client
        .list_configuration_interfaces(
            ConfigurationId::new(configuration),
            &ConfigurationInterfaceFilter::new()
                .ids([ConfigurationInterfaceId::new(ethernet)])
                .sort(Sort::descending(ConfigurationInterfaceSortField::CreatedAt)),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].id.get(), ethernet);
}

#[tokio::test]
async fn an_interface_is_added_to_a_configuration() {
    let fake = common::fake().await;
    let (configuration, _, _) = seed(&fake);
    let client = common::client(&fake);
    let new = NewConfigurationInterface {
        name: Some("Docking NIC".to_owned()),
        ip_address: Some("fe80::1".to_owned()),
        mac_address: Some("00-11-22-33-44-77".to_owned()),
        primary: Some(false),
        notes: Some("USB-C dock".to_owned()),
    };
    let created = client
        .create_configuration_interface(ConfigurationId::new(configuration), &new)
        .await
        .unwrap();
    assert_eq!(created.attributes.name.as_deref(), Some("Docking NIC"));
    assert_eq!(created.attributes.ip_address.as_deref(), Some("fe80::1"));
    let stored = fake.interfaces_of(configuration);
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[2].notes.as_deref(), Some("USB-C dock"));
}

#[tokio::test]
async fn a_new_primary_interface_becomes_the_configurations_primary_address() {
    let fake = common::fake().await;
    let (configuration, _, _) = seed(&fake);
    let client = common::client(&fake);
    let new = NewConfigurationInterface {
        name: Some("10GbE".to_owned()),
        ip_address: Some("10.10.9.9".to_owned()),
        mac_address: Some("AA:BB:CC:DD:EE:FF".to_owned()),
        primary: Some(true),
        notes: None,
    };
    client
        .create_configuration_interface(ConfigurationId::new(configuration), &new)
        .await
        .unwrap();
    let stored = fake.configuration(configuration).unwrap();
    assert_eq!(stored.mac_address.as_deref(), Some("AA:BB:CC:DD:EE:FF"));
    let primaries = fake
        .interfaces_of(configuration)
        .into_iter()
        .filter(|i| i.primary)
        .count();
    assert_eq!(primaries, 1);
}

#[tokio::test]
async fn an_invalid_mac_address_is_refused_naming_the_attribute() {
    let fake = common::fake().await;
    let (configuration, _, _) = seed(&fake);
    let client = common::client(&fake);
    let new = NewConfigurationInterface {
        mac_address: Some("18-5E-0F-ED-99-9J".to_owned()),
        ..NewConfigurationInterface::default()
    };
    let err = client
        .create_configuration_interface(ConfigurationId::new(configuration), &new)
        .await
        .unwrap_err();
    let errors = err.validation_errors();
    assert_eq!(errors[0].attribute().as_deref(), Some("mac-address"));
    assert_eq!(
        errors[0].detail.as_deref(),
        Some("must be a valid MAC address")
    );
    assert_eq!(fake.interfaces_of(configuration).len(), 2);
}

#[tokio::test]
async fn the_interfaces_of_a_missing_configuration_are_not_found() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let err = client
        .list_configuration_interfaces(
            ConfigurationId::new(3),
            &ConfigurationInterfaceFilter::new(),
        )
        .collect_all()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}
