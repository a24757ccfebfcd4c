//! Every `datto-*.json` sample decodes into the models, with the values it holds.

use datto_rmm_client::models::{
    Alert, AlertPriority, AntivirusStatus, Device, DeviceClass, PaginationData, PatchStatus, Site,
    Timestamp,
};
use datto_rmm_client::{AccountUid, AutotaskCompanyId, DeviceUid, SiteId};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn millis(at: &Option<Timestamp>) -> Option<i64> {
    at.as_ref().and_then(Timestamp::epoch_millis)
}

#[test]
fn the_synthetic_device_decodes_with_its_device_type_object_and_epoch_ms_times() {
    let device: Device = serde_json::from_str(&fixture("datto-device.json")).unwrap();
    assert_eq!(device.uid, Some(DeviceUid::new("device-uid-1")));
    assert_eq!(device.site_id, Some(SiteId::new(100)));
    let device_type = device.device_type.as_ref().unwrap();
    assert_eq!(device_type.category.as_deref(), Some("server"));
    assert_eq!(device_type.type_name.as_deref(), Some("physical"));
    assert_eq!(device.device_class, Some(DeviceClass::Device));
    assert!(device.has_device_audit());
    assert_eq!(millis(&device.last_seen), Some(1_721_131_200_000));
    assert_eq!(millis(&device.creation_date), Some(1_704_067_200_000));
    assert_eq!(device.a64_bit, Some(true));
    assert_eq!(device.warranty_date.as_deref(), Some("2026-01-01"));
    let antivirus = device.antivirus.as_ref().unwrap();
    assert_eq!(
        antivirus.antivirus_status,
        Some(AntivirusStatus::RunningAndUpToDate)
    );
    let patches = device.patch_management.as_ref().unwrap();
    assert_eq!(patches.patch_status, Some(PatchStatus::FullyPatched));
    assert_eq!(patches.patches_installed, Some(100));
    let udf = device.udf.as_ref().unwrap();
    assert_eq!(udf.get(1), Some("value1"));
    assert_eq!(udf.get(2), None, "null udfs are not values");
}

#[test]
fn the_network_device_with_nulls_everywhere_decodes() {
    let device: Device =
        serde_json::from_str(&fixture("datto-device-rmmnetworkdevice.json")).unwrap();
    assert_eq!(device.device_class, Some(DeviceClass::RmmNetworkDevice));
    assert!(!device.has_device_audit());
    assert_eq!(device.operating_system, None);
    assert_eq!(device.a64_bit, None);
    assert_eq!(device.antivirus, None);
    assert_eq!(device.patch_management, None);
    assert_eq!(device.last_reboot, None);
    assert_eq!(
        device.udf.as_ref().and_then(|u| u.get(300)),
        Some("SYNTHETIC-UDF-300")
    );
}

#[test]
fn the_live_device_subset_decodes_with_an_iso_last_seen_and_empty_objects() {
    let device: Device = serde_json::from_str(&fixture("datto-device-live-partial.json")).unwrap();
    assert_eq!(device.hostname.as_deref(), Some("SRV-VOORBEELD-01"));
    assert_eq!(
        device.last_logged_in_user.as_deref(),
        Some("DOMEIN\\gebruiker")
    );
    let expected = chrono::DateTime::parse_from_rfc3339("2026-08-25T07:26:00Z").unwrap();
    assert_eq!(millis(&device.last_seen), Some(expected.timestamp_millis()));
    assert_eq!(
        device
            .antivirus
            .as_ref()
            .map(|a| a.antivirus_status.clone()),
        Some(None)
    );
    assert_eq!(device.id, None, "missing fields are None");
}

#[test]
fn the_devices_page_decodes_with_an_empty_string_prev_link() {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct DevicesPage {
        page_details: PaginationData,
        devices: Vec<Device>,
    }
    let page: DevicesPage = serde_json::from_str(&fixture("datto-devices-page1.json")).unwrap();
    assert_eq!(page.page_details.count, Some(1));
    assert_eq!(page.page_details.total_count, Some(2));
    assert_eq!(page.page_details.prev_page_url.as_deref(), Some(""));
    assert_eq!(
        page.page_details.next_page_url.as_deref(),
        Some("https://example.com/api/v2/account/devices?page=2")
    );
    assert_eq!(page.devices.len(), 1);
    assert_eq!(page.devices[0].hostname.as_deref(), Some("server1"));
}

#[test]
fn the_live_site_subset_decodes_with_its_autotask_link_and_two_device_counts() {
    let site: Site = serde_json::from_str(&fixture("datto-site-live-partial.json")).unwrap();
    assert_eq!(site.id, Some(SiteId::new(218_140)));
    assert_eq!(site.account_uid, Some(AccountUid::new("ab1c0002")));
    assert_eq!(site.name.as_deref(), Some("Voorbeeld Klant B.V."));
    assert_eq!(
        site.autotask_company_id,
        Some(AutotaskCompanyId::new("1234"))
    );
    assert_eq!(
        site.autotask_company_name.as_deref(),
        Some("Voorbeeld Klant B.V.")
    );
    let status = site.devices_status.as_ref().unwrap();
    assert_eq!(status.number_of_devices, Some(26));
    assert_eq!(status.number_of_online_devices, Some(18));
    assert_eq!(status.number_of_offline_devices, None);
    assert!(site.is_customer_site());
}

#[test]
fn both_alert_samples_decode_with_their_context_class() {
    let synthetic: Alert =
        serde_json::from_str(&fixture("datto-alert-comp-script-synthetic.json")).unwrap();
    assert_eq!(synthetic.priority, Some(AlertPriority::Moderate));
    assert_eq!(
        synthetic
            .alert_context
            .as_ref()
            .and_then(|c| c.class.as_deref()),
        Some("comp_script_ctx")
    );
    assert_eq!(synthetic.response_actions.len(), 1);
    assert_eq!(
        synthetic.response_actions[0]
            .action_time
            .as_ref()
            .and_then(Timestamp::epoch_millis),
        Some(1_721_131_200_000)
    );
    assert_eq!(synthetic.autoresolve_mins, Some(60));

    let live: Alert = serde_json::from_str(&fixture("datto-alert-live-partial.json")).unwrap();
    assert_eq!(live.ticket_number, None);
    assert_eq!(millis(&live.timestamp), Some(1_787_643_495_000));
    let context = live.alert_context.unwrap();
    assert_eq!(
        context.raw["samples"]["Alert"],
        "BSODView Command has Failed: ..."
    );
    assert_eq!(
        live.alert_source_info.unwrap().site_name.as_deref(),
        Some("Voorbeeld Klant B.V.")
    );
}

#[test]
fn unknown_enum_values_are_kept_not_rejected() {
    let device: Device = serde_json::from_str(
        r#"{"deviceClass": "quantumdevice", "antivirus": {"antivirusStatus": "Sleeping"}}"#,
    )
    .unwrap();
    assert_eq!(
        device.device_class,
        Some(DeviceClass::Other("quantumdevice".into()))
    );
    assert_eq!(
        device.device_class.as_ref().map(DeviceClass::as_str),
        Some("quantumdevice")
    );
    assert_eq!(
        device.antivirus.unwrap().antivirus_status,
        Some(AntivirusStatus::Other("Sleeping".into()))
    );
}

#[test]
fn numbers_and_numeric_strings_are_read_either_way() {
    let site: Site =
        serde_json::from_str(r#"{"id": "218140", "autotaskCompanyId": 1234}"#).unwrap();
    assert_eq!(site.id, Some(SiteId::new(218_140)));
    assert_eq!(
        site.autotask_company_id,
        Some(AutotaskCompanyId::new("1234"))
    );
}

#[test]
fn a_wrong_type_names_the_failing_path() {
    let error =
        msp_transport::decode_json::<Site>(br#"{"devicesStatus": {"numberOfDevices": [1]}}"#)
            .unwrap_err();
    assert!(
        error.to_string().contains("devicesStatus.numberOfDevices"),
        "{error}"
    );
}

#[test]
fn udf_values_and_masked_variables_stay_out_of_debug_output() {
    let device: Device =
        serde_json::from_str(r#"{"udf": {"udf5": "BitLocker: 123456-654321"}}"#).unwrap();
    assert!(!format!("{device:?}").contains("BitLocker"));
    let variable: datto_rmm_client::models::Variable =
        serde_json::from_str(r#"{"id": 1, "name": "pw", "value": "hunter2", "masked": true}"#)
            .unwrap();
    assert!(!format!("{variable:?}").contains("hunter2"));
}
