//! The configuration type of a device: first the kind of device (from Datto's device class,
//! device type and description, and the words of its model and hostname), then the first of the
//! kind's preferred type names the account has — unless the tenant pinned a type for the kind.
//!
//! IT Glue's configuration types are the account's own, so the names are preferences, not
//! requirements: an account with "Firewall" and "Network Switch" but no "Network Device" still
//! gets its firewalls and switches typed right.
//!
//! ```
//! use std::collections::BTreeMap;
//! use sync_core::itglue::{
//!     ConfigurationKind, ConfigurationType, Device, DeviceUid, SiteUid, TypePreferences,
//!     choose_configuration_type,
//! };
//!
//! let mut device = Device::new(DeviceUid::new("d"), SiteUid::new("s"), "ACME-FW01");
//! device.device_class = Some("rmmnetworkdevice".into());
//! device.model = Some("FortiGate 60F".into());
//! let kind = ConfigurationKind::of(&device);
//! assert_eq!(kind, ConfigurationKind::Firewall);
//!
//! let account = [
//!     ConfigurationType { id: 1, name: "Managed Workstation".into() },
//!     ConfigurationType { id: 2, name: "Network Switch".into() },
//!     ConfigurationType { id: 3, name: "Firewall".into() },
//! ];
//! let chosen = choose_configuration_type(kind, &account, &TypePreferences::default(), &BTreeMap::new());
//! assert_eq!(chosen.map(|t| t.id), Some(3));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::device::Device;
use super::network_adapters::{is_virtual_machine, virtual_prefix};
use crate::identifiers::MacAddress;

/// The kind of configuration a device becomes; each kind maps to one of the account's
/// configuration types (IT Glue ids are per account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigurationKind {
    /// A desktop or other workstation.
    Workstation,
    /// A laptop.
    Laptop,
    /// A server.
    Server,
    /// A hypervisor / virtualisation host (ESXi, a Hyper-V host).
    VirtualHost,
    /// A printer.
    Printer,
    /// A firewall.
    Firewall,
    /// A network switch.
    Switch,
    /// A router.
    Router,
    /// A wireless access point.
    AccessPoint,
    /// Network-attached storage.
    Nas,
    /// An uninterruptible power supply.
    Ups,
    /// Any other network device.
    NetworkDevice,
    /// A phone or tablet.
    MobileDevice,
    /// Anything else.
    Other,
}

/// Words that name a kind of network device, in the device's type, model, description or
/// hostname (whole words, lower case; a word also matches with its trailing digits dropped, so
/// `ACME-SW01` reads "sw").
const NETWORK_WORDS: &[(ConfigurationKind, &[&str])] = &[
    (
        ConfigurationKind::Firewall,
        &[
            "firewall",
            "fw",
            "fortigate",
            "sonicwall",
            "watchguard",
            "firebox",
            "pfsense",
            "opnsense",
            "utm",
            "sfos",
        ],
    ),
    (
        ConfigurationKind::AccessPoint,
        &["access point", "accesspoint", "ap", "wap", "uap", "aironet"],
    ),
    (
        ConfigurationKind::Switch,
        &[
            "switch",
            "sw",
            "catalyst",
            "procurve",
            "usw",
            "powerconnect",
            "nexus",
            "2930f",
            "2930m",
        ],
    ),
    (
        ConfigurationKind::Router,
        &[
            "router",
            "rtr",
            "gw",
            "gateway",
            "edgerouter",
            "mikrotik",
            "routeros",
            "vigor",
        ],
    ),
    (
        ConfigurationKind::Nas,
        &[
            "nas",
            "synology",
            "qnap",
            "diskstation",
            "readynas",
            "truenas",
        ],
    ),
    (ConfigurationKind::Ups, &["ups", "smart-ups", "powerchute"]),
    (ConfigurationKind::Printer, &["printer", "prn", "mfp"]),
];

/// Model families, recognised in a model or an SNMP description by a word that is the family's
/// letters followed by a model number (`FG60F`, `TZ370`, `GS724T`, `MR36`, `RB5009`): never in
/// a hostname, where such letters are a site's or a person's.
const MODEL_FAMILIES: &[(ConfigurationKind, &[&str])] = &[
    (
        ConfigurationKind::Firewall,
        &["fortigate", "fgt", "fg", "tz", "nsa", "xgs", "mx", "pa"],
    ),
    (
        ConfigurationKind::AccessPoint,
        &["uap", "u6", "u7", "mr", "eap", "wax", "wac", "cw"],
    ),
    (
        ConfigurationKind::Switch,
        &["gs", "gsm", "usw", "ms", "cbs", "sg", "icx", "ex"],
    ),
    (ConfigurationKind::Router, &["rb", "ccr", "vigor", "isr"]),
    (ConfigurationKind::Nas, &["ds", "rs", "ts", "tvs", "rn"]),
    (ConfigurationKind::Ups, &["smt", "smx", "sua", "srt"]),
];

impl ConfigurationKind {
    /// The kind of a device, from what Datto RMM itself says first: its class (`esxihost`,
    /// `printer`), its category (ESXi hosts, printers, network devices, servers, laptops,
    /// desktops, mobiles); a server with a Hyper-V virtual switch is a virtual host. A network
    /// device's kind is what Datto's discovery typed it (`Firewall`, `Switch`, …), else what
    /// its audited model, its SNMP description or — last — its hostname names; gear none of
    /// them names is the generic [`NetworkDevice`](Self::NetworkDevice).
    pub fn of(device: &Device) -> Self {
        let lower = |text: Option<&str>| text.unwrap_or_default().trim().to_lowercase();
        let category = lower(device.device_type.category.as_deref());
        let class = lower(device.device_class.as_deref());
        let has = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
        if class == "esxihost" {
            return Self::VirtualHost;
        }
        if class == "printer" {
            return Self::Printer;
        }
        if class == "rmmnetworkdevice" || has(&category, &["network"]) {
            return network_kind(device).unwrap_or(Self::NetworkDevice);
        }
        if has(&category, &["esxi", "hypervisor", "virtual host"]) {
            return Self::VirtualHost;
        }
        if has(&category, &["printer"]) {
            return Self::Printer;
        }
        if has(&category, &["server"]) {
            return if hosts_hyper_v(device) {
                Self::VirtualHost
            } else {
                Self::Server
            };
        }
        if has(&category, &["laptop", "notebook"]) {
            return Self::Laptop;
        }
        if has(&category, &["desktop", "workstation"]) {
            return Self::Workstation;
        }
        if has(&category, &["mobile", "phone", "tablet"]) {
            return Self::MobileDevice;
        }
        network_kind(device).unwrap_or(Self::Other)
    }
}

/// A physical server with a Hyper-V virtual switch adapter hosts virtual machines.
fn hosts_hyper_v(device: &Device) -> bool {
    !is_virtual_machine(device)
        && device.network_interfaces.iter().any(|nic| {
            let hyper_v_prefix = nic
                .mac_address
                .as_deref()
                .and_then(|m| MacAddress::parse(m).ok())
                .and_then(|m| virtual_prefix(&m))
                == Some("Microsoft Hyper-V");
            let name = nic.name.as_deref().unwrap_or_default().to_lowercase();
            hyper_v_prefix || name.contains("hyper-v virtual") || name.starts_with("vethernet")
        })
}

/// The network kind the device's own words name: Datto's type first, then the audited model,
/// the SNMP description, and the hostname last (a hostname is a person's choice: `GW01` may
/// well be a firewall).
fn network_kind(device: &Device) -> Option<ConfigurationKind> {
    let vendor_texts = [
        device.device_type.kind.as_deref(),
        device.model.as_deref(),
        device.description.as_deref(),
    ];
    vendor_texts
        .into_iter()
        .flatten()
        .find_map(|text| {
            let words = words_of(text);
            kind_named(&words).or_else(|| model_family(&words))
        })
        .or_else(|| kind_named(&words_of(&device.hostname)))
}

fn kind_named(words: &[String]) -> Option<ConfigurationKind> {
    NETWORK_WORDS.iter().find_map(|(kind, names)| {
        names
            .iter()
            .any(|name| contains_words(words, name))
            .then_some(*kind)
    })
}

fn model_family(words: &[String]) -> Option<ConfigurationKind> {
    MODEL_FAMILIES.iter().find_map(|(kind, families)| {
        words
            .iter()
            .any(|word| {
                families.iter().any(|family| {
                    word.strip_prefix(family)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
                })
            })
            .then_some(*kind)
    })
}

/// The text's words: lower case, split at every character that is neither a letter nor a
/// digit; a hyphenated word also counts whole ("smart-ups").
fn words_of(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .flat_map(|w| {
            let mut parts: Vec<String> = w.split('-').map(str::to_owned).collect();
            if parts.len() > 1 {
                parts.push(w.to_owned());
            }
            parts
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Whether the words hold `name` (one word or several in a row); a single word also matches
/// with its trailing digits dropped ("sw01", "fw2").
fn contains_words(words: &[String], name: &str) -> bool {
    let wanted: Vec<&str> = name.split(' ').collect();
    if let [single] = wanted.as_slice() {
        return words
            .iter()
            .any(|w| w == single || w.trim_end_matches(|c: char| c.is_ascii_digit()) == *single);
    }
    words
        .windows(wanted.len())
        .any(|window| window.iter().zip(&wanted).all(|(a, b)| a == b))
}

/// One of the account's configuration types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationType {
    /// Its id in this account.
    pub id: u64,
    /// Its name.
    pub name: String,
}

/// The configuration type names each kind of device may take, in order of preference, and the
/// names tried when none of a kind's names exists in the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypePreferences {
    /// Names per kind, most preferred first.
    pub by_kind: BTreeMap<ConfigurationKind, Vec<String>>,
    /// Names tried for every kind when its own are all missing.
    pub fallback: Vec<String>,
}

impl Default for TypePreferences {
    fn default() -> Self {
        const NETWORK: &[&str] = &[
            "Network Device",
            "Managed Network Device",
            "Network Equipment",
        ];
        let list = |own: &[&str], then: &[&str]| -> Vec<String> {
            own.iter().chain(then).map(|n| (*n).to_owned()).collect()
        };
        use ConfigurationKind as K;
        let by_kind = [
            (
                K::Workstation,
                list(
                    &["Managed Workstation", "Workstation", "Desktop", "Computer"],
                    &[],
                ),
            ),
            (
                K::Laptop,
                list(
                    &["Laptop", "Notebook", "Managed Workstation", "Workstation"],
                    &[],
                ),
            ),
            (K::Server, list(&["Managed Server", "Server"], &[])),
            (
                K::VirtualHost,
                list(
                    &[
                        "Hypervisor",
                        "Virtual Host",
                        "VM Host",
                        "Host",
                        "ESXi Host",
                        "Managed Server",
                        "Server",
                    ],
                    &[],
                ),
            ),
            (
                K::Printer,
                list(&["Printer", "Multifunction Printer", "MFP", "Copier"], &[]),
            ),
            (
                K::Firewall,
                list(
                    &["Firewall", "Network Firewall", "Security Appliance"],
                    NETWORK,
                ),
            ),
            (
                K::Switch,
                list(&["Switch", "Network Switch", "Managed Switch"], NETWORK),
            ),
            (
                K::Router,
                list(&["Router", "Network Router", "Gateway"], NETWORK),
            ),
            (
                K::AccessPoint,
                list(
                    &["Access Point", "Wireless Access Point", "WAP", "Wireless"],
                    NETWORK,
                ),
            ),
            (
                K::Nas,
                list(&["NAS", "Network Storage", "Storage", "SAN"], NETWORK),
            ),
            (K::Ups, list(&["UPS", "Power Supply", "Power"], NETWORK)),
            (
                K::NetworkDevice,
                list(NETWORK, &["Switch", "Network Switch"]),
            ),
            (
                K::MobileDevice,
                list(&["Mobile Device", "Mobile", "Phone", "Tablet"], &[]),
            ),
            (K::Other, list(&["Other"], &[])),
        ]
        .into_iter()
        .collect();
        Self {
            by_kind,
            fallback: list(
                &["Other", "Unknown", "Managed Workstation", "Workstation"],
                &[],
            ),
        }
    }
}

impl TypePreferences {
    /// The names tried for a kind: its own, then the fallback ones.
    pub fn names_for(&self, kind: ConfigurationKind) -> impl Iterator<Item = &str> {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .chain(&self.fallback)
            .map(String::as_str)
    }
}

/// The account's type for a kind: the tenant's pinned name when the account has it, else the
/// first preferred name the account has (compared case, blanks and punctuation aside), else
/// the first account type whose name contains a preferred name as whole words ("Network -
/// Firewall" for "Firewall"). `None` when the account has none of them.
pub fn choose_configuration_type<'a>(
    kind: ConfigurationKind,
    account: &'a [ConfigurationType],
    preferences: &TypePreferences,
    pins: &BTreeMap<ConfigurationKind, String>,
) -> Option<&'a ConfigurationType> {
    let key = |name: &str| words_of_name(name).join(" ");
    let exact = |wanted: &str| {
        let wanted = key(wanted);
        account.iter().find(|t| key(&t.name) == wanted)
    };
    if let Some(found) = pins.get(&kind).and_then(|pinned| exact(pinned)) {
        return Some(found);
    }
    let own: Vec<&str> = preferences
        .by_kind
        .get(&kind)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    own.iter()
        .find_map(|name| exact(name))
        .or_else(|| {
            own.iter().find_map(|name| {
                let wanted = words_of_name(name);
                account.iter().find(|t| {
                    let words = words_of_name(&t.name);
                    words
                        .windows(wanted.len())
                        .any(|window| window == wanted.as_slice())
                })
            })
        })
        .or_else(|| preferences.fallback.iter().find_map(|name| exact(name)))
}

fn words_of_name(name: &str) -> Vec<String> {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::itglue::device::NetworkInterface;
    use crate::itglue::ids::{DeviceUid, SiteUid};

    fn device(class: &str, category: &str, hostname: &str) -> Device {
        let mut d = Device::new(DeviceUid::new("d"), SiteUid::new("s"), hostname);
        d.device_class = Some(class.to_owned());
        d.device_type.category = Some(category.to_owned());
        d
    }

    fn types(names: &[&str]) -> Vec<ConfigurationType> {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| ConfigurationType {
                id: i as u64 + 1,
                name: (*n).to_owned(),
            })
            .collect()
    }

    fn chosen(kind: ConfigurationKind, names: &[&str]) -> Option<String> {
        let account = types(names);
        choose_configuration_type(
            kind,
            &account,
            &TypePreferences::default(),
            &BTreeMap::new(),
        )
        .map(|t| t.name.clone())
    }

    #[test]
    fn devices_map_to_kinds_by_class_and_category() {
        use ConfigurationKind as K;
        assert_eq!(K::of(&device("device", "Desktop", "PC")), K::Workstation);
        assert_eq!(K::of(&device("device", "Laptop", "PC")), K::Laptop);
        assert_eq!(K::of(&device("device", "Server", "SRV")), K::Server);
        assert_eq!(
            K::of(&device("esxihost", "ESXi Host", "esx01")),
            K::VirtualHost
        );
        assert_eq!(K::of(&device("printer", "Printer", "PRN")), K::Printer);
        assert_eq!(K::of(&device("device", "Mobile", "x")), K::MobileDevice);
        assert_eq!(K::of(&device("unknown", "Toaster", "x")), K::Other);
    }

    #[test]
    fn network_devices_are_told_apart_by_type_description_model_and_hostname() {
        use ConfigurationKind as K;
        let mut fw = device("rmmnetworkdevice", "Network Device", "gw-hq");
        fw.device_type.kind = Some("Firewall".into());
        assert_eq!(K::of(&fw), K::Firewall);
        let mut switch = device("rmmnetworkdevice", "network", "core");
        switch.description = Some("Core network switch".into());
        assert_eq!(K::of(&switch), K::Switch);
        let mut forti = device("rmmnetworkdevice", "Network Device", "x1");
        forti.model = Some("FortiGate 60F".into());
        assert_eq!(K::of(&forti), K::Firewall);
        assert_eq!(
            K::of(&device("rmmnetworkdevice", "", "ACME-SW01")),
            K::Switch
        );
        assert_eq!(
            K::of(&device("rmmnetworkdevice", "", "ACME-AP03")),
            K::AccessPoint
        );
        assert_eq!(K::of(&device("rmmnetworkdevice", "", "nas01")), K::Nas);
        let mut ups = device("rmmnetworkdevice", "", "x");
        ups.model = Some("APC Smart-UPS 1500".into());
        assert_eq!(K::of(&ups), K::Ups);
        assert_eq!(
            K::of(&device("rmmnetworkdevice", "", "x9")),
            K::NetworkDevice
        );
        assert_eq!(
            K::of(&device("rmmnetworkdevice", "", "Tuning")),
            K::NetworkDevice
        );
    }

    #[test]
    fn a_server_with_a_hyper_v_switch_is_a_virtual_host() {
        let mut host = device("device", "Server", "HV01");
        host.network_interfaces.push(NetworkInterface {
            name: Some("vEthernet (External)".into()),
            mac_address: Some("00:15:5D:00:00:01".into()),
            ..NetworkInterface::default()
        });
        assert_eq!(ConfigurationKind::of(&host), ConfigurationKind::VirtualHost);
    }

    #[test]
    fn the_accounts_own_types_are_found_by_preference() {
        use ConfigurationKind as K;
        let account = [
            "Managed Workstation",
            "Firewall",
            "Network Switch",
            "Printer",
        ];
        assert_eq!(chosen(K::Firewall, &account).as_deref(), Some("Firewall"));
        assert_eq!(
            chosen(K::Switch, &account).as_deref(),
            Some("Network Switch")
        );
        assert_eq!(chosen(K::Printer, &account).as_deref(), Some("Printer"));
        assert_eq!(
            chosen(K::NetworkDevice, &account).as_deref(),
            Some("Network Switch")
        );
        assert_eq!(
            chosen(K::Router, &account).as_deref(),
            Some("Managed Workstation")
        );
        assert_eq!(
            chosen(K::Firewall, &["Network - Firewall", "Other"]).as_deref(),
            Some("Network - Firewall")
        );
        assert_eq!(
            chosen(K::Server, &["managed  SERVER"]).as_deref(),
            Some("managed  SERVER")
        );
        assert_eq!(chosen(K::Server, &["Contract"]), None);
    }

    #[test]
    fn a_pinned_type_wins_when_the_account_has_it() {
        let account = types(&["Firewall", "Perimeter"]);
        let pins = BTreeMap::from([(ConfigurationKind::Firewall, "perimeter".to_owned())]);
        let prefs = TypePreferences::default();
        let pick = |pins: &BTreeMap<_, _>| {
            choose_configuration_type(ConfigurationKind::Firewall, &account, &prefs, pins)
                .map(|t| t.id)
        };
        assert_eq!(pick(&pins), Some(2));
        let missing = BTreeMap::from([(ConfigurationKind::Firewall, "Gone".to_owned())]);
        assert_eq!(pick(&missing), Some(1));
    }
}
