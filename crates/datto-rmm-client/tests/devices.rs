//! Devices of the account and of a site, one device, filters, and a site's network
//! interfaces.

mod common;

use std::collections::BTreeSet;

use datto_rmm_client::models::DeviceClass;
use datto_rmm_client::{DeviceFilter, DeviceId, DeviceUid, FilterId, SiteUid};

#[tokio::test]
async fn the_account_lists_every_device_with_its_site() {
    let fake = common::fake().await;
    let client = common::client(&fake);

    let devices = client.list_devices().collect_all().await.unwrap();

    let listed: BTreeSet<String> = devices
        .iter()
        .filter_map(|d| d.uid.clone().map(String::from))
        .collect();
    let expected: BTreeSet<String> = fake.devices().into_iter().map(|d| d.uid).collect();
    assert_eq!(listed, expected);
    for device in &devices {
        let site = fake
            .site(device.site_uid.as_ref().unwrap().as_str())
            .unwrap();
        assert_eq!(device.site_name.as_deref(), Some(site.name.as_str()));
        assert!(
            device
                .device_type
                .as_ref()
                .and_then(|t| t.category.as_ref())
                .is_some()
        );
    }
}

#[tokio::test]
async fn a_site_lists_only_its_own_devices() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    for site in fake.sites().into_iter().take(6) {
        let devices = client
            .list_site_devices(&SiteUid::new(&site.uid))
            .collect_all()
            .await
            .unwrap();
        let expected: Vec<String> = fake
            .devices_of(&site.uid)
            .into_iter()
            .map(|d| d.uid)
            .collect();
        let listed: Vec<String> = devices
            .into_iter()
            .filter_map(|d| d.uid.map(String::from))
            .collect();
        assert_eq!(listed, expected, "site {}", site.name);
    }
}

#[tokio::test]
async fn a_site_without_devices_lists_none() {
    let msp = msp_fakes::msp::GeneratedMsp::generate(11, msp_fakes::msp::MspSize::Medium);
    let empty: SiteUid = msp
        .customer_sites()
        .find(|s| s.devices.is_empty())
        .unwrap()
        .uid
        .as_str()
        .into();
    let fake = common::start(msp).await;
    let devices = common::client(&fake)
        .list_site_devices(&empty)
        .collect_all()
        .await
        .unwrap();
    assert!(devices.is_empty());
}

#[tokio::test]
async fn one_device_is_found_by_uid_and_an_unknown_one_is_not_found() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let wanted = fake.devices().into_iter().nth(17).unwrap();

    let device = client
        .get_device(&DeviceUid::new(&wanted.uid))
        .await
        .unwrap();
    assert_eq!(device.hostname, Some(wanted.hostname));
    assert_eq!(device.id, Some(DeviceId::new(wanted.id)));
    assert_eq!(
        device.last_seen.and_then(|t| t.epoch_millis()),
        Some(wanted.last_seen_ms)
    );
    assert_eq!(
        device.udf.map(|u| u.len()),
        Some(0),
        "300 null udfs are no values"
    );

    assert!(
        client
            .get_device(&DeviceUid::new("no-such-device"))
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn the_account_devices_can_be_filtered_by_hostname() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let hostname = fake.devices().into_iter().nth(3).unwrap().hostname;

    let devices = client
        .list_devices_matching(&DeviceFilter::default().hostname(hostname.clone()))
        .collect_all()
        .await
        .unwrap();

    let needle = hostname.to_lowercase();
    let expected = fake
        .devices()
        .iter()
        .filter(|d| d.hostname.to_lowercase().contains(&needle))
        .count();
    assert_eq!(devices.len(), expected);
    assert!(!devices.is_empty());
}

#[tokio::test]
async fn an_unknown_device_filter_is_not_found() {
    let fake = common::fake().await;
    let error = common::client(&fake)
        .list_devices_matching(&DeviceFilter::default().filter_id(FilterId::new(999)))
        .collect_all()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}

#[tokio::test]
async fn a_sites_network_interfaces_carry_every_mac_address_of_its_devices() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let site = fake
        .sites()
        .into_iter()
        .max_by_key(|s| fake.devices_of(&s.uid).len())
        .unwrap();

    let devices = client
        .list_site_network_interfaces(&SiteUid::new(&site.uid))
        .collect_all()
        .await
        .unwrap();

    let listed: BTreeSet<String> = devices
        .iter()
        .flat_map(|d| d.nics.iter().filter_map(|n| n.mac_address.clone()))
        .collect();
    let expected: BTreeSet<String> = fake
        .devices_of(&site.uid)
        .into_iter()
        .flat_map(|d| d.nics.into_iter().map(|n| n.mac_address))
        .collect();
    assert_eq!(listed, expected);
    assert_eq!(devices.len(), fake.devices_of(&site.uid).len());
}

#[tokio::test]
async fn network_devices_and_printers_keep_their_device_class() {
    let fake = common::fake().await;
    let devices = common::client(&fake)
        .list_devices()
        .collect_all()
        .await
        .unwrap();
    let classes: BTreeSet<String> = devices
        .iter()
        .filter_map(|d| d.device_class.as_ref().map(|c| c.as_str().to_owned()))
        .collect();
    assert!(classes.contains(DeviceClass::Device.as_str()));
    assert!(classes.len() > 1, "{classes:?}");
}
