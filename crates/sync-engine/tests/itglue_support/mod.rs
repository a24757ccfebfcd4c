//! Shared pieces of the IT Glue flow tests: in-memory doubles of the ports, a store that fails
//! on demand, and a small world built from them.
#![allow(dead_code)]

pub mod doubles;
pub mod fakes;
pub mod flaky_store;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use sync_core::itglue::{
    AutotaskCompanyId, Configuration, ConfigurationId, Device, DeviceType, DeviceUid,
    NetworkInterface, OrganizationId, Site, SiteUid,
};
use sync_engine::itglue::{Actor, ItGlueFlow, NoProgress, RmmSite, SyncReport};
use sync_store::{AuditFacts, MemoryStore, TenantId};

use doubles::{MemoryItGlue, MemoryRmm, RmmDeviceRecord};
use flaky_store::FlakyStore;

/// The audit date every device starts with (epoch milliseconds).
pub const AUDITED: i64 = 1_749_900_000_000;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 9, 0, 0).unwrap()
}

pub fn tenant() -> TenantId {
    TenantId::new("https://merlot-api.centrastage.net", "acct-1").unwrap()
}

pub fn admin() -> Actor {
    Actor::administrator("alice")
}

pub fn site(uid: &str, name: &str, devices: u64) -> RmmSite {
    RmmSite {
        site: Site {
            uid: SiteUid::new(uid),
            name: name.into(),
            on_demand: false,
            autotask_company_id: None,
            autotask_company_name: None,
        },
        device_count: Some(devices),
    }
}

pub fn with_company(mut site: RmmSite, id: &str, name: &str) -> RmmSite {
    site.site.autotask_company_id = Some(AutotaskCompanyId::new(id));
    site.site.autotask_company_name = Some(name.into());
    site
}

/// A desktop with an agent and an audit: its MAC (if any) in the site listing and its audit,
/// its serial (if any) only in the audit.
pub fn device(
    uid: &str,
    site: &str,
    hostname: &str,
    mac: Option<&str>,
    serial: Option<&str>,
) -> RmmDeviceRecord {
    let mut device = Device::new(DeviceUid::new(uid), SiteUid::new(site), hostname);
    device.device_class = Some("device".into());
    device.device_type = DeviceType {
        category: Some("Desktop".into()),
        kind: Some("Physical".into()),
    };
    device.operating_system = Some("Microsoft Windows 11 Pro".into());
    device.internal_ip = Some("10.0.0.10".into());
    device.last_audit_date = Some(AUDITED);
    let interfaces: Vec<NetworkInterface> = mac
        .map(|mac| NetworkInterface {
            name: Some("Ethernet".into()),
            ipv4: Some("10.0.0.10".into()),
            ipv6: None,
            mac_address: Some(mac.into()),
        })
        .into_iter()
        .collect();
    RmmDeviceRecord {
        device,
        audit: AuditFacts {
            serial_numbers: serial.map(str::to_owned).into_iter().collect(),
            mac_addresses: mac.map(str::to_owned).into_iter().collect(),
            manufacturer: Some("Dell Inc.".into()),
            model: Some("OptiPlex 7090".into()),
            ..AuditFacts::default()
        },
        interfaces,
    }
}

pub fn configuration(
    id: u64,
    organization: u64,
    name: &str,
    mac: Option<&str>,
    serial: Option<&str>,
) -> Configuration {
    let mut c = Configuration::new(ConfigurationId(id), OrganizationId(organization), name);
    c.mac_addresses = mac.map(str::to_owned).into_iter().collect();
    c.serial_number = serial.map(str::to_owned);
    c
}

/// Both vendors in memory, a store and the flow over them.
pub struct World {
    pub store: Arc<FlakyStore>,
    pub memory: MemoryStore,
    pub rmm: Arc<MemoryRmm>,
    pub docs: Arc<MemoryItGlue>,
    pub flow: ItGlueFlow,
}

impl World {
    pub fn new(rmm: MemoryRmm, docs: MemoryItGlue) -> Self {
        let memory = MemoryStore::new();
        let store = Arc::new(FlakyStore::new(memory.clone()));
        let rmm = Arc::new(rmm);
        let docs = Arc::new(docs);
        let flow = ItGlueFlow::new(store.clone(), tenant(), rmm.clone(), docs.clone())
            .with_clock(Arc::new(now));
        Self {
            store,
            memory,
            rmm,
            docs,
            flow,
        }
    }

    /// A world already connected.
    pub async fn connected(rmm: MemoryRmm, docs: MemoryItGlue) -> Self {
        let world = Self::new(rmm, docs);
        world.flow.connect().await.unwrap();
        world.rmm.reset_calls();
        world.docs.reset_calls();
        world
    }

    pub async fn run(&self) -> SyncReport {
        self.flow.run(&NoProgress).await.unwrap()
    }

    pub fn reset_calls(&self) {
        self.rmm.reset_calls();
        self.docs.reset_calls();
    }
}

/// The standard small account: two sites matching two organizations by name variant, one
/// site only similar to an organization, one site without devices, one OnDemand site.
///
/// Devices of Acme: `a-mac` (matches configuration 101 by MAC), `a-serial` (102 by serial),
/// `a-name` (103 only by name), `a-junk` (placeholder serial, shared with decoy 104),
/// `a-none` (nothing). Bolt: `b-1` (201 by MAC).
pub fn standard() -> (MemoryRmm, MemoryItGlue) {
    let mut on_demand = site("s-od", "Walk-in Customers", 1);
    on_demand.site.on_demand = true;
    let sites = vec![
        site("s-acme", "Acme Dental - Berlin", 5),
        site("s-bolt", "BOLT PLUMBING", 1),
        site("s-crane", "Crane Logistcs", 1),
        site("s-empty", "Empty Widgets GmbH", 0),
        on_demand,
        site("s-managed", "Managed", 1),
    ];
    let devices = vec![
        device(
            "a-mac",
            "s-acme",
            "ACME-PC01",
            Some("00:1A:2B:3C:4D:01"),
            Some("SER-A1"),
        ),
        device(
            "a-serial",
            "s-acme",
            "ACME-PC02",
            Some("00:1A:2B:3C:4D:02"),
            Some("SER-A2"),
        ),
        device(
            "a-name",
            "s-acme",
            "RECEPTION-PC",
            Some("00:1A:2B:3C:4D:03"),
            None,
        ),
        device(
            "a-junk",
            "s-acme",
            "ACME-PC04",
            None,
            Some("To Be Filled By O.E.M."),
        ),
        device(
            "a-none",
            "s-acme",
            "ACME-PC05",
            Some("00:1A:2B:3C:4D:05"),
            Some("SER-A5"),
        ),
        device(
            "b-1",
            "s-bolt",
            "BOLT-SRV",
            Some("00-1a-2b-3c-4d-11"),
            Some("SER-B1"),
        ),
        device(
            "c-1",
            "s-crane",
            "CRANE-PC",
            Some("00:1A:2B:3C:4D:21"),
            Some("SER-C1"),
        ),
        device("od-1", "s-od", "WALKIN", Some("00:1A:2B:3C:4D:31"), None),
        device("m-1", "s-managed", "SPARE", Some("00:1A:2B:3C:4D:41"), None),
    ];
    let organizations = vec![
        sync_core::itglue::Organization {
            id: OrganizationId(1),
            name: "Acme Dental GmbH".into(),
        },
        sync_core::itglue::Organization {
            id: OrganizationId(2),
            name: "Bolt Plumbing, Inc.".into(),
        },
        sync_core::itglue::Organization {
            id: OrganizationId(3),
            name: "Crane Logistics".into(),
        },
        sync_core::itglue::Organization {
            id: OrganizationId(4),
            name: "Former Client Holdings".into(),
        },
    ];
    let configurations = vec![
        configuration(101, 1, "ASSET-1", Some("001A2B3C4D01"), None),
        configuration(102, 1, "ASSET-2", None, Some("ser-a2")),
        configuration(103, 1, "reception-pc", None, None),
        configuration(104, 1, "DECOY", None, Some("To be filled by O.E.M.")),
        configuration(201, 2, "ASSET-B", Some("00:1A:2B:3C:4D:11"), None),
    ];
    (
        MemoryRmm::new(sites, devices),
        MemoryItGlue::new(organizations, configurations),
    )
}
