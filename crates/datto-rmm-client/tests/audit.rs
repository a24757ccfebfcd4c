//! `GET /v2/audit/device/{deviceUid}`.

mod common;

use datto_rmm_client::{DeviceUid, Error};
use msp_fakes::msp::DeviceClass;

#[tokio::test]
async fn a_device_audit_has_the_serial_number_manufacturer_model_and_macs() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let wanted = fake
        .devices()
        .into_iter()
        .find(|d| {
            d.device_class == DeviceClass::Device
                && d.last_audit_ms.is_some()
                && d.serial_number.is_some()
        })
        .unwrap();

    let audit = client
        .get_device_audit(&DeviceUid::new(&wanted.uid))
        .await
        .unwrap();

    assert_eq!(audit.serial_number(), wanted.serial_number.as_deref());
    assert_eq!(audit.manufacturer(), Some(wanted.manufacturer.as_str()));
    assert_eq!(audit.model(), Some(wanted.model.as_str()));
    let macs: Vec<&str> = audit
        .nics
        .iter()
        .filter_map(|n| n.mac_address.as_deref())
        .collect();
    let expected: Vec<&str> = wanted.nics.iter().map(|n| n.mac_address.as_str()).collect();
    assert_eq!(macs, expected);
}

#[tokio::test]
async fn a_printer_has_no_device_audit() {
    let fake = common::fake().await;
    let client = common::client(&fake);
    let printer = fake
        .devices()
        .into_iter()
        .find(|d| d.device_class != DeviceClass::Device)
        .unwrap();

    let printer_uid = DeviceUid::new(&printer.uid);
    let error = client.get_device_audit(&printer_uid).await.unwrap_err();

    assert!(
        matches!(error, Error::NotAGenericDevice { ref device_uid } if *device_uid == printer_uid),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_audit_of_an_unknown_device_is_not_found() {
    let fake = common::fake().await;
    let error = common::client(&fake)
        .get_device_audit(&DeviceUid::new("gone"))
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
}
