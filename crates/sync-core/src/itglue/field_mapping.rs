//! The field mapping: what a configuration created from, or kept up to date by, a Datto RMM
//! device contains (`docs/field-mapping.md` has it as a table). It follows IT Glue's own RMM
//! field mapping (name, hostname, serial number, MAC and IP addresses, device type →
//! configuration type, operating system, manufacturer, model), adds the warranty date, the RMM
//! facts block in the notes and a marker of the RMM device uid in `installed-by`, since the API
//! does not expose the link IT Glue's built-in integration keeps.
//!
//! [`configuration_attributes`] gives a device's desired state; [`plan_configuration_update`]
//! compares it with what IT Glue holds and lists the attributes to write, under the tenant's
//! [`UpdatePolicies`]. Both are pure; the engine resolves names to the account's ids and sends
//! the writes.

use serde::{Deserialize, Serialize};

use super::configuration_types::ConfigurationKind;
use super::device::Device;
use super::network_adapters::{AdapterKind, adapter_kind, is_virtual_machine};
use super::rmm_marker::rmm_marker;
use crate::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};

/// One interface of a configuration (`configuration_interfaces`), from one physical adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceAttributes {
    /// `name`: the adapter's name.
    pub name: Option<String>,
    /// `ip-address`: the adapter's IPv4 address, else its IPv6 address.
    pub ip_address: Option<String>,
    /// `mac-address`, as `AA:BB:CC:DD:EE:FF`.
    pub mac_address: Option<MacAddress>,
    /// `primary`: the physical adapter carrying the device's internal IP, else the first one
    /// with a usable MAC address and an IPv4 address, else the first with a usable MAC.
    pub primary: bool,
}

/// A device's desired configuration: the attributes of a configuration created from it, and
/// what a matched one is brought to (under the tenant's update policies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationAttributes {
    /// `name`: the device's hostname.
    pub name: String,
    /// `hostname`.
    pub hostname: String,
    /// `serial-number`: the first serial that is not a placeholder, trimmed.
    pub serial_number: Option<String>,
    /// `mac-address`: the primary physical interface's MAC address (17 characters).
    pub mac_address: Option<MacAddress>,
    /// `primary-ip`: the device's internal IP address.
    pub primary_ip: Option<String>,
    /// Decides `configuration-type-id`.
    pub kind: ConfigurationKind,
    /// Looked up for `operating-system-id` (the name as Datto reports it).
    pub operating_system: Option<String>,
    /// `operating-system-notes`: the operating system as Datto reports it.
    pub operating_system_notes: Option<String>,
    /// Looked up (or created) for `manufacturer-id`.
    pub manufacturer: Option<String>,
    /// Looked up (or created) for `model-id`, under the manufacturer.
    pub model: Option<String>,
    /// `warranty-expires-at` (`yyyy-mm-dd`).
    pub warranty_expires_at: Option<String>,
    /// `installed-by`: the RMM marker.
    pub installed_by: String,
    /// The RMM facts block for `notes` ([`RmmFacts::block`](super::RmmFacts::block)).
    pub notes_block: String,
    /// `configuration_interfaces`: one per physical adapter with an IP or a usable MAC.
    pub interfaces: Vec<InterfaceAttributes>,
}

/// Maps a device (with its audit, if fetched) to its desired configuration.
///
/// ```
/// use sync_core::identifiers::IdentifierPolicy;
/// use sync_core::itglue::{Device, DeviceUid, NetworkInterface, SiteUid, configuration_attributes};
///
/// let mut device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s-1"), "PC-042");
/// device.serial_numbers = vec!["To Be Filled By O.E.M.".into(), " 5CG1234XYZ ".into()];
/// device.internal_ip = Some("10.0.0.42".into());
/// device.network_interfaces = vec![
///     NetworkInterface {
///         name: Some("Hyper-V Virtual Ethernet Adapter".into()),
///         ipv4: Some("10.0.0.42".into()),
///         ipv6: None,
///         mac_address: Some("00155D000001".into()),
///     },
///     NetworkInterface {
///         name: Some("Ethernet".into()),
///         ipv4: None,
///         ipv6: None,
///         mac_address: Some("001a2b3c4d5e".into()),
///     },
/// ];
/// let attributes = configuration_attributes(&device, &IdentifierPolicy::default());
/// assert_eq!(attributes.serial_number.as_deref(), Some("5CG1234XYZ"));
/// // The Hyper-V switch is not a network card: the physical one is the MAC address.
/// assert_eq!(attributes.mac_address.unwrap().to_string(), "00:1A:2B:3C:4D:5E");
/// assert_eq!(attributes.primary_ip.as_deref(), Some("10.0.0.42"));
/// assert_eq!(attributes.interfaces.len(), 1);
/// assert_eq!(attributes.installed_by, "RMM: d-1");
/// ```
pub fn configuration_attributes(
    device: &Device,
    policy: &IdentifierPolicy,
) -> ConfigurationAttributes {
    let interfaces = interfaces(device, policy);
    let mac_address = interfaces
        .iter()
        .find(|i| i.primary)
        .and_then(|i| i.mac_address);
    ConfigurationAttributes {
        name: device.hostname.trim().to_owned(),
        hostname: device.hostname.trim().to_owned(),
        serial_number: first_serial(device, policy),
        mac_address,
        primary_ip: non_blank(device.internal_ip.as_deref()),
        kind: ConfigurationKind::of(device),
        operating_system: non_blank(device.operating_system.as_deref()),
        operating_system_notes: non_blank(device.operating_system.as_deref()),
        manufacturer: non_blank(device.manufacturer.as_deref()),
        model: non_blank(device.model.as_deref()),
        warranty_expires_at: non_blank(device.warranty_date.as_deref())
            .and_then(|date| date.get(..10).map(str::to_owned)),
        installed_by: rmm_marker(&device.uid),
        notes_block: device.rmm.block(),
        interfaces,
    }
}

fn first_serial(device: &Device, policy: &IdentifierPolicy) -> Option<String> {
    device
        .serial_numbers
        .iter()
        .find(|raw| SerialNumber::normalize(raw, policy).is_some())
        .map(|raw| raw.trim().to_owned())
}

/// One interface per physical adapter with an IP address or a usable MAC address, adapters
/// listed twice (the network-interface listing and the audit) merged by MAC address; a card
/// without an IP address takes the one of a virtual adapter sharing its MAC address.
fn interfaces(device: &Device, policy: &IdentifierPolicy) -> Vec<InterfaceAttributes> {
    let on_virtual_machine = is_virtual_machine(device);
    let internal_ip = device.internal_ip.as_deref().map(str::trim);
    let mut out: Vec<InterfaceAttributes> = Vec::new();
    for nic in &device.network_interfaces {
        if adapter_kind(nic, on_virtual_machine) != AdapterKind::Physical {
            continue;
        }
        let mac_address = nic
            .mac_address
            .as_deref()
            .and_then(|m| MacAddress::parse(m).ok())
            .filter(|m| policy.identifies_a_device(m));
        let ip_address = non_blank(nic.ipv4.as_deref()).or_else(|| non_blank(nic.ipv6.as_deref()));
        if mac_address.is_none() && ip_address.is_none() {
            continue;
        }
        let name = non_blank(nic.name.as_deref());
        if let Some(known) =
            mac_address.and_then(|mac| out.iter_mut().find(|i| i.mac_address == Some(mac)))
        {
            known.name = known.name.take().or(name);
            known.ip_address = known.ip_address.take().or(ip_address);
            continue;
        }
        out.push(InterfaceAttributes {
            name,
            ip_address,
            mac_address,
            primary: false,
        });
    }
    // A Hyper-V host's own virtual adapter on an external switch takes the card's MAC address
    // and carries the IP address the card no longer has: that card's interface gets it.
    for nic in &device.network_interfaces {
        if adapter_kind(nic, on_virtual_machine) == AdapterKind::Physical {
            continue;
        }
        let mac = nic
            .mac_address
            .as_deref()
            .and_then(|m| MacAddress::parse(m).ok());
        let ip_address = non_blank(nic.ipv4.as_deref()).or_else(|| non_blank(nic.ipv6.as_deref()));
        if let Some(card) = mac.and_then(|mac| {
            out.iter_mut()
                .find(|i| i.mac_address == Some(mac) && i.ip_address.is_none())
        }) {
            card.ip_address = ip_address;
        }
    }
    let is_ipv4 =
        |i: &InterfaceAttributes| i.ip_address.as_deref().is_some_and(|ip| ip.contains('.'));
    let primary = out
        .iter()
        .position(|i| i.ip_address.is_some() && i.ip_address.as_deref() == internal_ip)
        .or_else(|| {
            out.iter()
                .position(|i| i.mac_address.is_some() && is_ipv4(i))
        })
        .or_else(|| out.iter().position(|i| i.mac_address.is_some()));
    if let Some(at) = primary
        && let Some(interface) = out.get_mut(at)
    {
        interface.primary = true;
    }
    out
}

/// The text, trimmed, unless it is blank.
pub(crate) fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::itglue::device::NetworkInterface;
    use crate::itglue::mapping_samples::{any_device, laptop, nic};
    use crate::itglue::network_adapters::virtual_prefix;

    #[test]
    fn a_device_maps_to_the_documented_attributes() {
        let a = configuration_attributes(&laptop(), &IdentifierPolicy::default());
        assert_eq!(a.name, "LT-007");
        assert_eq!(a.hostname, "LT-007");
        assert_eq!(a.serial_number.as_deref(), Some("5CG1234XYZ"));
        assert_eq!(a.primary_ip.as_deref(), Some("192.168.1.20"));
        assert_eq!(a.mac_address.unwrap().to_string(), "A4:BB:6D:01:02:03");
        assert_eq!(a.kind, ConfigurationKind::Laptop);
        assert_eq!(
            a.operating_system_notes.as_deref(),
            Some("Microsoft Windows 11 Pro")
        );
        assert_eq!(a.manufacturer.as_deref(), Some("HP"));
        assert_eq!(a.model.as_deref(), Some("EliteBook 840 G8"));
        assert_eq!(a.warranty_expires_at.as_deref(), Some("2027-01-31"));
        assert_eq!(a.installed_by, "RMM: uid-7");
        assert!(a.notes_block.contains("Memory: 16.0 GiB"));
    }

    #[test]
    fn one_interface_per_physical_adapter_with_its_name_ip_and_mac() {
        let a = configuration_attributes(&laptop(), &IdentifierPolicy::default());
        assert_eq!(a.interfaces.len(), 2);
        assert!(a.interfaces[0].primary);
        assert_eq!(a.interfaces[0].name.as_deref(), Some("Wi-Fi"));
        assert_eq!(a.interfaces[0].ip_address.as_deref(), Some("192.168.1.20"));
        assert!(!a.interfaces[1].primary);
        assert_eq!(a.interfaces[1].ip_address.as_deref(), Some("169.254.3.4"));
    }

    #[test]
    fn a_hyper_v_host_gets_its_physical_cards_mac_not_the_virtual_switchs() {
        let mut host = laptop();
        host.device_type.category = Some("Server".into());
        host.internal_ip = Some("10.0.0.5".into());
        host.network_interfaces = vec![
            nic(
                "Hyper-V Virtual Ethernet Adapter",
                Some("10.0.0.5"),
                Some("00:15:5D:01:02:03"),
            ),
            nic(
                "Broadcom NetXtreme Gigabit Ethernet",
                None,
                Some("D4:81:D7:00:00:01"),
            ),
        ];
        let a = configuration_attributes(&host, &IdentifierPolicy::default());
        assert_eq!(a.mac_address.unwrap().to_string(), "D4:81:D7:00:00:01");
        assert_eq!(a.primary_ip.as_deref(), Some("10.0.0.5"));
        assert_eq!(a.interfaces.len(), 1);
        assert_eq!(a.kind, ConfigurationKind::VirtualHost);
    }

    #[test]
    fn a_card_under_the_hosts_virtual_adapter_gets_its_ip_address() {
        let mut host = laptop();
        host.internal_ip = Some("10.0.0.6".into());
        host.network_interfaces = vec![
            nic(
                "Broadcom NetXtreme Gigabit Ethernet",
                None,
                Some("D4:81:D7:00:00:02"),
            ),
            nic(
                "Hyper-V Virtual Ethernet Adapter #2",
                Some("10.0.0.6"),
                Some("D4-81-D7-00-00-02"),
            ),
        ];
        let a = configuration_attributes(&host, &IdentifierPolicy::default());
        assert_eq!(a.interfaces.len(), 1);
        let card = &a.interfaces[0];
        assert_eq!(
            card.name.as_deref(),
            Some("Broadcom NetXtreme Gigabit Ethernet")
        );
        assert_eq!(card.ip_address.as_deref(), Some("10.0.0.6"));
        assert!(card.primary);
    }

    #[test]
    fn an_adapter_listed_twice_is_one_interface() {
        let mut device = laptop();
        device
            .network_interfaces
            .push(nic("", None, Some("A4-BB-6D-01-02-03")));
        let a = configuration_attributes(&device, &IdentifierPolicy::default());
        assert_eq!(a.interfaces.len(), 2);
    }

    #[test]
    fn placeholder_serials_are_not_written() {
        let mut device = laptop();
        device.serial_numbers = vec!["System Serial Number".into()];
        let a = configuration_attributes(&device, &IdentifierPolicy::default());
        assert_eq!(a.serial_number, None);
    }

    proptest! {
        #[test]
        fn the_mapping_never_gives_a_placeholder_serial_or_a_virtual_mac(device in any_device()) {
            let policy = IdentifierPolicy::default();
            let a = configuration_attributes(&device, &policy);
            if let Some(serial) = &a.serial_number {
                prop_assert!(SerialNumber::normalize(serial, &policy).is_some(), "{serial}");
            }
            let on_vm = is_virtual_machine(&device);
            for mac in a.mac_address.iter().chain(a.interfaces.iter().filter_map(|i| i.mac_address.as_ref())) {
                prop_assert!(policy.identifies_a_device(mac), "{mac}");
                prop_assert!(on_vm || virtual_prefix(mac).is_none(), "{mac}");
            }
            for interface in &a.interfaces {
                let name = interface.name.as_deref().unwrap_or_default();
                let nic = NetworkInterface { name: Some(name.to_owned()), ..NetworkInterface::default() };
                prop_assert_eq!(adapter_kind(&nic, true), AdapterKind::Physical, "{}", name);
            }
            prop_assert!(a.interfaces.iter().filter(|i| i.primary).count() <= 1);
            // Every physical adapter kept with an IPv4 address carries it (a virtual adapter is
            // not kept; a card without an IP under one sharing its MAC takes that adapter's IP,
            // see a_card_under_the_hosts_virtual_adapter_gets_its_ip_address).
            for nic in device
                .network_interfaces
                .iter()
                .filter(|nic| adapter_kind(nic, on_vm) == AdapterKind::Physical)
            {
                let kept = a.interfaces.iter().find(|i| {
                    i.mac_address.is_some()
                        && i.mac_address == nic.mac_address.as_deref().and_then(|m| MacAddress::parse(m).ok())
                });
                if let (Some(kept), Some(_)) = (kept, &nic.ipv4) {
                    prop_assert!(kept.ip_address.is_some());
                }
            }
        }
    }
}
