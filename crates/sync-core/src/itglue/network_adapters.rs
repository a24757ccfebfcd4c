//! Which of a device's network adapters is a physical network card.
//!
//! A configuration's MAC address and interfaces come from physical adapters only. Windows lists
//! Hyper-V virtual switches, VPN clients, loopback and tunnel pseudo-adapters and Bluetooth PAN
//! adapters next to the real cards, often first, and a Hyper-V host's virtual switch even
//! carries the host's IP address. They are recognised two ways:
//!
//! - by the adapter's description (Datto's `instance`), for every device;
//! - by the MAC address's vendor prefix (OUI) of a hypervisor or container runtime — but only on
//!   a device that is not itself a virtual machine: a virtual machine's only network card
//!   carries its hypervisor's prefix, and that card is the machine's own.
//!
//! ```
//! use sync_core::itglue::{NetworkInterface, adapter_kind, AdapterKind};
//!
//! let vswitch = NetworkInterface {
//!     name: Some("Hyper-V Virtual Ethernet Adapter".into()),
//!     mac_address: Some("00-15-5D-01-02-03".into()),
//!     ..NetworkInterface::default()
//! };
//! assert!(matches!(adapter_kind(&vswitch, false), AdapterKind::Virtual { .. }));
//!
//! let card = NetworkInterface {
//!     name: Some("Intel(R) Ethernet Connection I219-LM".into()),
//!     mac_address: Some("3C:52:82:11:22:33".into()),
//!     ..NetworkInterface::default()
//! };
//! assert_eq!(adapter_kind(&card, false), AdapterKind::Physical);
//! ```

use super::device::{Device, NetworkInterface};
use crate::identifiers::MacAddress;

/// MAC address prefixes (OUIs) that hypervisors and container runtimes give their virtual
/// adapters, with whose they are.
pub const VIRTUAL_ADAPTER_PREFIXES: &[([u8; 3], &str)] = &[
    ([0x00, 0x15, 0x5D], "Microsoft Hyper-V"),
    ([0x00, 0x03, 0xFF], "Microsoft Virtual PC / Virtual Server"),
    ([0x00, 0x50, 0x56], "VMware"),
    ([0x00, 0x0C, 0x29], "VMware"),
    ([0x00, 0x05, 0x69], "VMware"),
    ([0x00, 0x1C, 0x14], "VMware"),
    ([0x08, 0x00, 0x27], "Oracle VirtualBox"),
    ([0x0A, 0x00, 0x27], "Oracle VirtualBox host-only"),
    ([0x00, 0x16, 0x3E], "Xen"),
    ([0x52, 0x54, 0x00], "QEMU/KVM"),
    ([0x00, 0x1C, 0x42], "Parallels"),
    ([0x02, 0x42, 0x00], "Docker"),
];

/// Words in an adapter's description that name an adapter which is not a network card of its
/// own (compared in lower case). "Virtual" covers Hyper-V's virtual switch adapters, VMware's
/// VMnet adapters, VirtualBox's host-only adapters and Wi-Fi Direct; the rest name VPN clients,
/// tunnels, loopbacks and Bluetooth.
pub const VIRTUAL_ADAPTER_WORDS: &[&str] = &[
    "virtual",
    "vethernet",
    "vmnet",
    "host-only",
    "vpn",
    "tap-windows",
    "tap adapter",
    "tap-",
    "tun",
    "utun",
    "wintun",
    "wireguard",
    "openvpn",
    "anyconnect",
    "globalprotect",
    "pangp",
    "fortinet",
    "forticlient",
    "sonicwall",
    "juniper",
    "pulse secure",
    "zscaler",
    "tailscale",
    "zerotier",
    "hamachi",
    "loopback",
    "npcap",
    "pseudo",
    "teredo",
    "isatap",
    "6to4",
    "ip-https",
    "wan miniport",
    "ras async",
    "ppp",
    "bluetooth",
    "docker",
    "vboxnet",
    "bridge",
];

/// What an adapter is, as far as the configuration's MAC address and interfaces are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AdapterKind {
    /// A network card of the device's own.
    Physical,
    /// Not a network card of its own (virtual switch, VPN, tunnel, loopback, Bluetooth,
    /// container bridge): never the configuration's MAC address, never an interface.
    Virtual {
        /// What gave it away (the vendor of its MAC prefix, or the word in its description).
        reason: &'static str,
    },
}

/// Whether a device is a virtual machine by Datto's `deviceType.type` ("Virtual").
pub fn is_virtual_machine(device: &Device) -> bool {
    device
        .device_type
        .kind
        .as_deref()
        .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("virtual"))
}

/// What an adapter is: virtual when its description names a virtual, VPN, tunnel, loopback or
/// Bluetooth adapter, or when — on a device that is not a virtual machine — its MAC address has
/// a hypervisor's or container runtime's prefix.
pub fn adapter_kind(nic: &NetworkInterface, on_virtual_machine: bool) -> AdapterKind {
    if let Some(word) = nic.name.as_deref().and_then(virtual_word) {
        return AdapterKind::Virtual { reason: word };
    }
    if !on_virtual_machine
        && let Some(vendor) = nic
            .mac_address
            .as_deref()
            .and_then(|m| MacAddress::parse(m).ok())
            .and_then(|m| virtual_prefix(&m))
    {
        return AdapterKind::Virtual { reason: vendor };
    }
    AdapterKind::Physical
}

/// The hypervisor or runtime whose prefix the address carries, if any.
pub fn virtual_prefix(mac: &MacAddress) -> Option<&'static str> {
    let octets = mac.octets();
    VIRTUAL_ADAPTER_PREFIXES
        .iter()
        .find(|(prefix, vendor)| {
            // Docker hands out 02:42:xx:xx:xx:xx: only its first two bytes are fixed.
            if *vendor == "Docker" {
                octets[..2] == prefix[..2]
            } else {
                octets[..3] == prefix[..]
            }
        })
        .map(|(_, vendor)| *vendor)
}

/// The word of [`VIRTUAL_ADAPTER_WORDS`] the description contains, not inside a longer word
/// (so "tun" names `tun0` but not "Tuning"; digits may follow, as in `ppp0`).
fn virtual_word(description: &str) -> Option<&'static str> {
    let text = description.to_lowercase();
    VIRTUAL_ADAPTER_WORDS
        .iter()
        .find(|word| contains_word(&text, word))
        .copied()
}

fn contains_word(text: &str, word: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphabetic());
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        // A word ending in a separator ("tap-") needs no boundary after it.
        let open_end = word.ends_with(|c: char| !c.is_alphabetic());
        boundary(before) && (open_end || boundary(after))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nic(name: &str, mac: &str) -> NetworkInterface {
        NetworkInterface {
            name: Some(name.to_owned()),
            mac_address: Some(mac.to_owned()),
            ..NetworkInterface::default()
        }
    }

    #[test]
    fn hypervisor_and_container_prefixes_are_virtual_on_a_physical_machine() {
        for (mac, vendor) in [
            ("00:15:5D:0A:0B:0C", "Microsoft Hyper-V"),
            ("00-50-56-C0-00-08", "VMware"),
            ("000c.2911.2233", "VMware"),
            ("08:00:27:AA:BB:CC", "Oracle VirtualBox"),
            ("00:16:3E:01:02:03", "Xen"),
            ("52:54:00:12:34:56", "QEMU/KVM"),
            ("00:1C:42:00:00:01", "Parallels"),
            ("02:42:AC:11:00:02", "Docker"),
        ] {
            assert_eq!(
                adapter_kind(&nic("Ethernet", mac), false),
                AdapterKind::Virtual { reason: vendor },
                "{mac}"
            );
        }
    }

    #[test]
    fn a_virtual_machines_own_card_with_its_hypervisors_prefix_is_physical_to_it() {
        let card = nic("vmxnet3 Ethernet Adapter", "00:50:56:9A:00:01");
        assert_eq!(adapter_kind(&card, true), AdapterKind::Physical);
        let vpn = nic(
            "Cisco AnyConnect Secure Mobility Client",
            "00:50:56:9A:00:02",
        );
        assert!(matches!(
            adapter_kind(&vpn, true),
            AdapterKind::Virtual { .. }
        ));
    }

    #[test]
    fn descriptions_name_virtual_vpn_loopback_tunnel_and_bluetooth_adapters() {
        for name in [
            "Hyper-V Virtual Ethernet Adapter",
            "vEthernet (External Switch)",
            "VMware Virtual Ethernet Adapter for VMnet8",
            "VirtualBox Host-Only Ethernet Adapter",
            "TAP-Windows Adapter V9",
            "WireGuard Tunnel",
            "Npcap Loopback Adapter",
            "Microsoft KM-TEST Loopback Adapter",
            "Teredo Tunneling Pseudo-Interface",
            "WAN Miniport (IKEv2)",
            "Bluetooth Device (Personal Area Network)",
            "Fortinet SSL VPN Virtual Ethernet Adapter",
            "utun3",
            "tun0",
            "docker0",
        ] {
            assert!(
                matches!(
                    adapter_kind(&nic(name, "3C:52:82:00:00:01"), false),
                    AdapterKind::Virtual { .. }
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn ordinary_cards_are_physical() {
        for name in [
            "Intel(R) Ethernet Connection (7) I219-LM",
            "Realtek PCIe GbE Family Controller",
            "Intel(R) Wi-Fi 6 AX201 160MHz",
            "Broadcom NetXtreme Gigabit Ethernet",
            "eth0",
            "en0",
            "Tuning Controller",
        ] {
            assert_eq!(
                adapter_kind(&nic(name, "3C:52:82:00:00:01"), false),
                AdapterKind::Physical,
                "{name}"
            );
        }
    }

    #[test]
    fn virtual_machines_are_recognised_by_datto_device_type() {
        use crate::itglue::ids::{DeviceUid, SiteUid};
        let mut device = Device::new(DeviceUid::new("d"), SiteUid::new("s"), "VM");
        assert!(!is_virtual_machine(&device));
        device.device_type.kind = Some("Virtual".into());
        assert!(is_virtual_machine(&device));
    }
}
