//! The wire shapes the fake answers with, following Datto's OpenAPI schemas (`Site`, `Device`,
//! `Device Network Interface`, `DeviceAudit`, `PrinterAudit`, `ESXiHostAudit`, `Variable`,
//! `Account`) and the live notes:
//! timestamps as epoch milliseconds, `autotaskCompanyId` as a string, all 300 udf keys on a
//! device with the unset ones `null`, masked variable values replaced by a mask.

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use super::state::{Account, FakeDevice, FakeSite, FakeVariable};
use crate::msp::{DeviceClass, MspNic};

/// What a list of variables shows instead of a masked value (the real mask is unconfirmed).
pub const MASK: &str = "********";

/// How many udf keys a device carries (Datto RMM 14.9.0 and later).
pub const UDF_COUNT: u16 = 300;

fn portal(account: &Account, kind: &str, uid: &str) -> String {
    format!(
        "https://merlot.centrastage.net/csm/{kind}/{}/{uid}",
        account.uid
    )
}

/// A site with its device counts (all, online).
pub fn site(account: &Account, site: &FakeSite, (total, online): (usize, usize)) -> Value {
    json!({
        "id": site.id,
        "uid": site.uid,
        "accountUid": account.uid,
        "name": site.name,
        "description": site.description,
        "notes": site.notes,
        "onDemand": site.on_demand,
        "splashtopAutoInstall": site.splashtop_auto_install,
        "proxySettings": site.proxy_settings.as_ref().map(redact_proxy),
        "devicesStatus": {
            "numberOfDevices": total,
            "numberOfOnlineDevices": online,
            "numberOfOfflineDevices": total.saturating_sub(online),
        },
        "autotaskCompanyName": site.autotask_company_name,
        "autotaskCompanyId": site.autotask_company_id,
        "portalUrl": portal(account, "site", &site.uid),
    })
}

/// Proxy passwords are never sent back.
fn redact_proxy(proxy: &Value) -> Value {
    let mut proxy = proxy.clone();
    if let Some(map) = proxy.as_object_mut() {
        map.remove("password");
    }
    proxy
}

/// `udf1` … `udf300`, all `null`: built once, cloned per device.
fn empty_udfs() -> &'static Map<String, Value> {
    static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
    EMPTY.get_or_init(|| {
        (1..=UDF_COUNT)
            .map(|n| (format!("udf{n}"), Value::Null))
            .collect()
    })
}

fn device_type(device: &FakeDevice) -> Value {
    json!({ "category": device.category, "type": device.type_name })
}

fn non_empty(text: &str) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        Value::String(text.to_owned())
    }
}

pub fn device(account: &Account, device: &FakeDevice) -> Value {
    let site = account.site(&device.site_uid);
    let agent = device.device_class == DeviceClass::Device;
    let mut udf = empty_udfs().clone();
    for (n, value) in &device.udfs {
        udf.insert(format!("udf{n}"), Value::String(value.clone()));
    }
    json!({
        "id": device.id,
        "uid": device.uid,
        "siteId": site.map(|s| s.id),
        "siteUid": device.site_uid,
        "siteName": site.map(|s| s.name.as_str()),
        "deviceType": device_type(device),
        "hostname": device.hostname,
        "intIpAddress": device.int_ip_address,
        "operatingSystem": non_empty(&device.operating_system),
        "lastLoggedInUser": device.last_logged_in_user,
        "domain": device.domain,
        "cagVersion": if agent { json!("4.4.2210.2210") } else { Value::Null },
        "displayVersion": if agent { json!("4.4.2210") } else { Value::Null },
        "extIpAddress": device.ext_ip_address,
        "description": device.description,
        "a64Bit": if agent { json!(true) } else { Value::Null },
        "rebootRequired": if agent { json!(false) } else { Value::Null },
        "online": device.online,
        "suspended": false,
        "deleted": false,
        "lastSeen": device.last_seen_ms,
        "lastReboot": if agent { json!(device.last_seen_ms - 3_600_000) } else { Value::Null },
        "lastAuditDate": device.last_audit_ms,
        "creationDate": device.creation_ms,
        "udf": udf,
        "snmpEnabled": !agent,
        "deviceClass": device.device_class.as_str(),
        "portalUrl": portal(account, "device", &device.uid),
        "warrantyDate": Value::Null,
        "antivirus": if agent {
            json!({"antivirusProduct": "Datto AV", "antivirusStatus": "RunningAndUpToDate"})
        } else { Value::Null },
        "patchManagement": if agent {
            json!({"patchStatus": "FullyPatched", "patchesApprovedPending": 0,
                   "patchesNotApproved": 0, "patchesInstalled": 120})
        } else { Value::Null },
        "softwareStatus": if agent { json!("Compliant") } else { Value::Null },
        "webRemoteUrl": if agent {
            json!(format!("https://merlot.centrastage.net/csm/remote/{}", device.uid))
        } else { Value::Null },
        "networkProbe": false,
        "onboardedViaNetworkMonitor": false,
    })
}

fn nic(nic: &MspNic) -> Value {
    json!({
        "instance": nic.instance,
        "ipv4": nic.ipv4,
        "ipv6": nic.ipv6,
        "macAddress": nic.mac_address,
        "type": nic.nic_type,
    })
}

pub fn device_network_interfaces(account: &Account, device: &FakeDevice) -> Value {
    let site = account.site(&device.site_uid);
    json!({
        "id": device.id,
        "uid": device.uid,
        "siteId": site.map(|s| s.id),
        "siteUid": device.site_uid,
        "siteName": site.map(|s| s.name.as_str()),
        "deviceType": device_type(device),
        "hostname": device.hostname,
        "intIpAddress": device.int_ip_address,
        "extIpAddress": device.ext_ip_address,
        "nics": device.nics.iter().map(nic).collect::<Vec<_>>(),
    })
}

/// `DeviceAudit` of a device of class `device`.
pub fn device_audit(account: &Account, device: &FakeDevice) -> Value {
    let audited = device.last_audit_ms.is_some();
    let memory: i64 = if device.category == "Server" {
        68_719_476_736
    } else {
        17_179_869_184
    };
    json!({
        "portalUrl": portal(account, "device", &device.uid),
        "webRemoteUrl": format!("https://merlot.centrastage.net/csm/remote/{}", device.uid),
        "systemInfo": {
            "manufacturer": device.manufacturer,
            "model": device.model,
            "totalPhysicalMemory": memory,
            "username": device.last_logged_in_user,
            "dotNetVersion": "4.8.09032",
            "totalCpuCores": if device.category == "Server" { 16 } else { 8 },
        },
        "nics": if audited { device.nics.iter().map(nic).collect::<Vec<_>>() } else { Vec::new() },
        "bios": {
            "instance": "Default System BIOS",
            "releaseDate": 1_672_531_200_000_i64,
            "serialNumber": device.serial_number,
            "smBiosVersion": "3.4",
        },
        "baseBoard": { "manufacturer": device.manufacturer, "product": device.model },
        "displays": [],
        "logicalDisks": [{
            "description": "Local Fixed Disk", "diskIdentifier": "C:",
            "freespace": 112_000_000_000_i64, "size": 511_000_000_000_i64
        }],
        "mobileInfo": [],
        "processors": [{ "name": "Intel(R) Core(TM) i5-1245U" }],
        "videoBoards": [{ "displayAdapter": "Intel(R) Iris(R) Xe Graphics" }],
        "attachedDevices": [],
        "snmpInfo": Value::Null,
        "physicalMemory": [{
            "module": "DIMM0", "size": memory, "type": "DDR4", "speed": "3200",
            "serialNumber": Value::Null, "partNumber": Value::Null, "bank": "BANK 0"
        }],
    })
}

/// `PrinterAudit` of a device of class `printer`: the SNMP facts (serial number in
/// `snmpInfo.snmpSerial`), the page count, the toner levels, `systemInfo {manufacturer, model}`
/// and the card.
pub fn printer_audit(account: &Account, device: &FakeDevice) -> Value {
    json!({
        "portalUrl": portal(account, "device", &device.uid),
        "snmpInfo": {
            "snmpName": device.hostname,
            "snmpContact": Value::Null,
            "snmpDescription": device.description,
            "snmpLocation": Value::Null,
            "snmpUptime": "12 days, 04:31:10",
            "nicManufacturer": device.manufacturer,
            "objectId": "1.3.6.1.4.1.11.2.3.9.1",
            "snmpSerial": device.serial_number,
        },
        "printerMarkerSupplies": [
            { "description": "Black Toner", "maxCapacity": "100", "suppliesLevel": "63" }
        ],
        "printer": { "printedPageCount": 48_213 },
        "systemInfo": { "manufacturer": device.manufacturer, "model": device.model },
        "nics": device.nics.iter().map(nic).collect::<Vec<_>>(),
    })
}

/// `ESXiHostAudit` of a device of class `esxihost`: `systemInfo` with the service tag (its
/// serial number), the host's cards as `ESXiNic {name, ipv4, ipv6, macAddress, speed, type}`,
/// its processors, memory and datastores.
pub fn esxi_host_audit(account: &Account, device: &FakeDevice) -> Value {
    let nics: Vec<Value> = device
        .nics
        .iter()
        .enumerate()
        .map(|(n, card)| {
            json!({
                "name": format!("vmnic{n}"),
                "ipv4": card.ipv4,
                "ipv6": card.ipv6,
                "macAddress": card.mac_address,
                "speed": "1000",
                "type": card.nic_type,
            })
        })
        .collect();
    json!({
        "portalUrl": portal(account, "device", &device.uid),
        "systemInfo": {
            "manufacturer": device.manufacturer,
            "model": device.model,
            "name": device.hostname,
            "numberOfSnapshots": 2,
            "serviceTag": device.serial_number,
        },
        "guests": [],
        "processors": [{ "frequency": 2_400.0, "numberOfCores": 16, "name": "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz" }],
        "nics": nics,
        "physicalMemory": [{ "module": "DIMM_A1", "size": 68_719_476_736_i64, "type": "DDR4" }],
        "datastores": [{ "datastoreName": "datastore1", "size": 1_999_844_147_200_i64,
                         "freeSpace": 812_000_000_000_i64, "fileSystem": "VMFS-6" }],
    })
}

pub fn variable(variable: &FakeVariable) -> Value {
    json!({
        "id": variable.id,
        "name": variable.name,
        "value": if variable.masked { MASK } else { variable.value.as_str() },
        "masked": variable.masked,
    })
}

pub fn account(account: &Account) -> Value {
    let on_demand_sites: Vec<&str> = account
        .sites
        .iter()
        .filter(|s| s.on_demand)
        .map(|s| s.uid.as_str())
        .collect();
    let total = account.devices.len();
    let online = account.devices.iter().filter(|d| d.online).count();
    let on_demand = account
        .devices
        .iter()
        .filter(|d| on_demand_sites.contains(&d.site_uid.as_str()))
        .count();
    json!({
        "id": account.id,
        "uid": account.uid,
        "name": account.name,
        "currency": "EUR",
        "descriptor": {
            "bilingEmail": "billing@msp.example",
            "deviceLimit": 100_000,
            "timeZone": "Europe/Berlin",
        },
        "devicesStatus": {
            "numberOfDevices": total,
            "numberOfOnlineDevices": online,
            "numberOfOfflineDevices": total - online,
            "numberOfOnDemandDevices": on_demand,
            "numberOfManagedDevices": total - on_demand,
        },
    })
}
