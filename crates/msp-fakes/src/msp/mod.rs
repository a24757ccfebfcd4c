//! A seedable generator of a realistic MSP (managed service provider): its client companies,
//! their Datto RMM sites and the devices in them.
//!
//! Every fake and the engine tests build on the same [`GeneratedMsp`], so the data is plain
//! public data: no behaviour beyond a few lookups. The same seed and size always give the same
//! MSP, on every platform.
//!
//! What makes the data realistic (and hard for a sync):
//! - company names in many shapes: `Smith & Jones LLP`, `Northwind Logistics GmbH`,
//!   `The Summit Dental Group`, some with legal suffixes, `&`, apostrophes and accents;
//! - sites named like their company, or without its legal suffix, or with a location tail
//!   (`Northwind Logistics - Hamburg`); several sites of one company share its Autotask
//!   company id;
//! - the three system sites every Datto account has (`Managed`, `OnDemand`, `Deleted Devices`),
//!   some customer sites that are OnDemand, some sites without any device;
//! - devices with hostnames that repeat across sites (`SRV-DC01`, `RECEPTION-PC`), serial numbers
//!   that are sometimes placeholder junk (`To Be Filled By O.E.M.`, `System Serial Number`,
//!   `Default string`, `0`), MAC addresses in mixed notations (`00:1A:2B:…`, `00-1a-2b-…`,
//!   `001A2B…`, `001a.2b3c.4d5e`) and virtual adapters whose MAC is shared by many machines.
//!
//! ```
//! use msp_fakes::msp::{GeneratedMsp, MspSize};
//!
//! let msp = GeneratedMsp::generate(7, MspSize::Small);
//! assert_eq!(msp, GeneratedMsp::generate(7, MspSize::Small));
//! let managed = msp.sites.iter().filter(|s| s.kind == msp_fakes::msp::SiteKind::Customer);
//! for site in managed {
//!     let _devices = msp.devices_of(site);
//! }
//! ```

use std::ops::Range;

mod generate;
#[cfg(test)]
mod tests;
mod text;
mod vocabulary;

/// How big an MSP to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MspSize {
    /// About 20 sites and 300 devices: unit and integration tests.
    Small,
    /// About 200 sites and 5,000 devices: a typical MSP.
    Medium,
    /// About 2,000 sites and 50,000 devices: a large MSP, for benchmarks.
    Large,
    /// Exactly `sites` sites (the three system sites included, so at least 3) and `devices`
    /// devices.
    Custom {
        /// Number of sites, system sites included.
        sites: usize,
        /// Number of devices.
        devices: usize,
    },
}

impl MspSize {
    /// The number of sites (system sites included) and devices this size stands for.
    pub fn counts(self) -> (usize, usize) {
        match self {
            MspSize::Small => (20, 300),
            MspSize::Medium => (200, 5_000),
            MspSize::Large => (2_000, 50_000),
            MspSize::Custom { sites, devices } => (sites.max(3), devices),
        }
    }
}

/// A generated MSP: one Datto RMM account with its client companies, sites and devices.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedMsp {
    /// The seed it was generated from.
    pub seed: u64,
    /// The Datto RMM account.
    pub account: MspAccount,
    /// The MSP's client companies (what PSA, IT Glue and GravityZone know as companies or
    /// organizations). Names are unique (case-insensitively).
    pub companies: Vec<ClientCompany>,
    /// The Datto RMM sites: the three system sites first, then customer sites.
    pub sites: Vec<MspSite>,
    /// All devices, grouped by site in the order of [`GeneratedMsp::sites`]; each site's
    /// [`MspSite::devices`] is its range in this vector.
    pub devices: Vec<MspDevice>,
}

/// The Datto RMM account of the MSP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MspAccount {
    /// Numeric account id.
    pub id: i64,
    /// Short account uid, like Datto's `ab1c0002`.
    pub uid: String,
    /// The MSP's own name.
    pub name: String,
}

/// One client company of the MSP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCompany {
    /// Position in [`GeneratedMsp::companies`].
    pub index: usize,
    /// The company's full name, e.g. `Smith & Jones LLP` or `Northwind Logistics GmbH`.
    pub name: String,
    /// The Autotask company id (a decimal string, as Datto sends it) when the company is linked
    /// to the PSA; shared by all of its sites.
    pub autotask_company_id: Option<String>,
    /// The company's web domain, e.g. `smith-jones.example`.
    pub domain: String,
}

/// What kind of Datto RMM site a site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SiteKind {
    /// A managed customer site.
    Customer,
    /// A customer site marked OnDemand (never takes part in a sync).
    CustomerOnDemand,
    /// The system site `Managed`.
    SystemManaged,
    /// The system site `OnDemand` (itself OnDemand).
    SystemOnDemand,
    /// The system site `Deleted Devices`.
    SystemDeletedDevices,
}

impl SiteKind {
    /// True for the three sites every Datto account has.
    pub fn is_system(self) -> bool {
        matches!(
            self,
            SiteKind::SystemManaged | SiteKind::SystemOnDemand | SiteKind::SystemDeletedDevices
        )
    }

    /// True when Datto marks the site `onDemand`.
    pub fn is_on_demand(self) -> bool {
        matches!(self, SiteKind::CustomerOnDemand | SiteKind::SystemOnDemand)
    }
}

/// One Datto RMM site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MspSite {
    /// Position in [`GeneratedMsp::sites`].
    pub index: usize,
    /// Datto's numeric site id.
    pub id: i64,
    /// Datto's site uid (a UUID).
    pub uid: String,
    /// The site name as shown in Datto RMM.
    pub name: String,
    /// Free-text description (often empty).
    pub description: String,
    /// Customer, OnDemand or one of the system sites.
    pub kind: SiteKind,
    /// The company this site belongs to (index into [`GeneratedMsp::companies`]); `None` for
    /// the system sites.
    pub company: Option<usize>,
    /// Autotask company id copied from the company (Datto's `autotaskCompanyId`).
    pub autotask_company_id: Option<String>,
    /// Autotask company name (Datto's `autotaskCompanyName`), present with the id.
    pub autotask_company_name: Option<String>,
    /// This site's devices: a range in [`GeneratedMsp::devices`] (empty for sites without
    /// devices).
    pub devices: Range<usize>,
}

/// Datto's device class of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeviceClass {
    /// A computer (desktop, laptop, server) with an agent: `device`.
    Device,
    /// A printer: `printer`.
    Printer,
    /// A VMware ESXi host: `esxihost`.
    EsxiHost,
    /// A network device monitored over SNMP: `rmmnetworkdevice`.
    NetworkDevice,
}

impl DeviceClass {
    /// The value Datto sends in `deviceClass`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceClass::Device => "device",
            DeviceClass::Printer => "printer",
            DeviceClass::EsxiHost => "esxihost",
            DeviceClass::NetworkDevice => "rmmnetworkdevice",
        }
    }
}

/// One network interface of a device, as its audit reports it. Computers have a card with
/// their vendor's prefix; a Hyper-V host also lists its virtual switch adapter (prefix
/// `00:15:5D`, which may carry the host's address); a virtual machine's card has its
/// hypervisor's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MspNic {
    /// Adapter name, e.g. `Intel(R) Ethernet Connection I219-LM`.
    pub instance: String,
    /// The MAC address in whatever notation this device reports it.
    pub mac_address: String,
    /// IPv4 address, when the adapter has one.
    pub ipv4: Option<String>,
    /// IPv6 address, when the adapter has one.
    pub ipv6: Option<String>,
    /// Adapter type (`Ethernet 802.3`, `Wireless`, …).
    pub nic_type: String,
    /// True for virtual adapters (VPN, hypervisor host-only, loopback, a Hyper-V host's virtual
    /// switch): never the machine's MAC address; the VPN and loopback ones share their address
    /// with many machines.
    pub is_virtual: bool,
}

/// One device in a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MspDevice {
    /// Position in [`GeneratedMsp::devices`].
    pub index: usize,
    /// Datto's numeric device id.
    pub id: i64,
    /// Datto's device uid (a UUID).
    pub uid: String,
    /// The site the device is in (index into [`GeneratedMsp::sites`]).
    pub site: usize,
    /// Hostname; repeats across sites and sometimes within one.
    pub hostname: String,
    /// Datto's device class.
    pub device_class: DeviceClass,
    /// `deviceType.category` (`Desktop`, `Laptop`, `Server`, `Printer`, `ESXi Host`,
    /// `Network Device`).
    pub category: String,
    /// `deviceType.type`: `Physical` or `Virtual` for computers, printers and ESXi hosts; for
    /// network devices what Datto's network discovery identified (`Firewall`, `Switch`,
    /// `Router`, `Access Point`, or the generic `Network Device`).
    pub type_name: String,
    /// `description`: for printers and network devices the SNMP system description
    /// (`FortiGate-60F v7.2.8,…`), `None` for computers.
    pub description: Option<String>,
    /// Hardware manufacturer (audit `systemInfo.manufacturer` of computers, printers and ESXi
    /// hosts; network devices have no audit).
    pub manufacturer: String,
    /// Hardware model (audit `systemInfo.model`, as the manufacturer).
    pub model: String,
    /// Operating system as Datto shows it.
    pub operating_system: String,
    /// BIOS serial number (for printers the SNMP serial, for ESXi hosts the service tag);
    /// sometimes placeholder junk, `None` when the audit has none.
    pub serial_number: Option<String>,
    /// Network interfaces with MAC addresses (empty for some devices).
    pub nics: Vec<MspNic>,
    /// Internal IP address.
    pub int_ip_address: String,
    /// External (public) IP address.
    pub ext_ip_address: String,
    /// Windows domain or workgroup, if any.
    pub domain: Option<String>,
    /// Last logged-in user, if any.
    pub last_logged_in_user: Option<String>,
    /// Whether the agent is online.
    pub online: bool,
    /// Last time the agent was seen, epoch milliseconds.
    pub last_seen_ms: i64,
    /// Last audit, epoch milliseconds; `None` when the device was never audited.
    pub last_audit_ms: Option<i64>,
    /// When the device was added, epoch milliseconds.
    pub creation_ms: i64,
}

impl GeneratedMsp {
    /// Generates the MSP for `seed` and `size`. Deterministic: same arguments, same MSP.
    pub fn generate(seed: u64, size: MspSize) -> GeneratedMsp {
        generate::Generator::new(seed).run(seed, size)
    }

    /// The devices of `site`.
    pub fn devices_of(&self, site: &MspSite) -> &[MspDevice] {
        self.devices.get(site.devices.clone()).unwrap_or(&[])
    }

    /// The site a device is in.
    pub fn site_of(&self, device: &MspDevice) -> Option<&MspSite> {
        self.sites.get(device.site)
    }

    /// The company a site belongs to (`None` for the system sites).
    pub fn company_of(&self, site: &MspSite) -> Option<&ClientCompany> {
        site.company.and_then(|c| self.companies.get(c))
    }

    /// The site with this uid.
    pub fn site_by_uid(&self, uid: &str) -> Option<&MspSite> {
        self.sites.iter().find(|s| s.uid == uid)
    }

    /// Managed customer sites: not a system site, not OnDemand.
    pub fn customer_sites(&self) -> impl Iterator<Item = &MspSite> {
        self.sites.iter().filter(|s| s.kind == SiteKind::Customer)
    }
}
