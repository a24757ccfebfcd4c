//! A generated device's network adapters: the physical card under a vendor's prefix, a
//! Hyper-V host's virtual switch, a laptop's wireless card and the shared virtual adapters
//! (VPN clients and the like) some agents report.

use rand::Rng;

use super::super::text::format_mac;
use super::super::vocabulary::*;
use super::super::{DeviceClass, MspNic};
use super::Generator;

/// What a device's adapters depend on.
pub(super) struct NicSeed<'a> {
    pub(super) class: DeviceClass,
    pub(super) category: &'a str,
    /// The hypervisor prefix of a virtual machine's card.
    pub(super) guest_oui: Option<[u8; 3]>,
    pub(super) hyper_v_host: bool,
    pub(super) ipv4: &'a str,
}

impl Generator {
    pub(super) fn nics(&mut self, card: &NicSeed<'_>) -> Vec<MspNic> {
        if self.chance(0.03) {
            return Vec::new();
        }
        let mut nics = Vec::with_capacity(3);
        let notation = self.rng.random_range(0..100);
        let agent = card.class == DeviceClass::Device;
        let primary_instance = match card.guest_oui {
            Some(HYPER_V_OUI) => "Microsoft Hyper-V Network Adapter".to_owned(),
            Some(_) => "vmxnet3 Ethernet Adapter".to_owned(),
            None if agent => self.pick(ETHERNET_NICS).to_owned(),
            None => self.pick(&["eth0", "port1", "internal", "lan"]).to_owned(),
        };
        let oui = match card.guest_oui {
            Some(oui) => oui,
            None if agent || card.class == DeviceClass::EsxiHost => self.oui(PHYSICAL_OUIS),
            None => self.oui(GEAR_OUIS),
        };
        let mac = self.mac(oui);
        // On a Hyper-V host with an external virtual switch the host's address sits on the
        // switch's adapter and the card itself has none; with only the internal default
        // switch the card keeps the address and the switch has a private one.
        let external_switch = card.hyper_v_host && self.chance(0.5);
        nics.push(MspNic {
            instance: primary_instance,
            mac_address: format_mac(&mac, notation),
            ipv4: (!external_switch).then(|| card.ipv4.to_owned()),
            ipv6: self
                .chance(0.4)
                .then(|| format!("fe80::{:x}:{:x}", mac[4], mac[5])),
            nic_type: "Ethernet 802.3".to_owned(),
            is_virtual: false,
        });
        if card.hyper_v_host {
            let switch = self.mac(HYPER_V_OUI);
            let (instance, ipv4) = if external_switch {
                ("Hyper-V Virtual Ethernet Adapter", card.ipv4.to_owned())
            } else {
                (
                    "Hyper-V Virtual Ethernet Adapter #2",
                    format!("172.{}.{}.1", self.rng.random_range(16..32), mac[5]),
                )
            };
            let adapter = MspNic {
                instance: instance.to_owned(),
                mac_address: format_mac(&switch, notation),
                ipv4: Some(ipv4),
                ipv6: None,
                nic_type: "Ethernet 802.3".to_owned(),
                is_virtual: true,
            };
            // Windows often lists the virtual switch first.
            if self.chance(0.5) {
                nics.insert(0, adapter);
            } else {
                nics.push(adapter);
            }
        }
        if card.category == "Laptop" {
            let oui = self.oui(PHYSICAL_OUIS);
            let wifi = self.mac(oui);
            nics.push(MspNic {
                instance: self.pick(WIFI_NICS).to_owned(),
                mac_address: format_mac(&wifi, notation),
                ipv4: None,
                ipv6: None,
                nic_type: "Wireless".to_owned(),
                is_virtual: false,
            });
        }
        if agent && self.chance(0.12) {
            let (instance, mac) =
                SHARED_VIRTUAL_NICS[self.rng.random_range(0..SHARED_VIRTUAL_NICS.len())];
            nics.push(MspNic {
                instance: instance.to_owned(),
                mac_address: mac.to_owned(),
                ipv4: None,
                ipv6: None,
                nic_type: "Ethernet 802.3".to_owned(),
                is_virtual: true,
            });
        }
        nics
    }

    pub(super) fn oui(&mut self, ouis: &[[u8; 3]]) -> [u8; 3] {
        ouis[self.rng.random_range(0..ouis.len())]
    }

    /// A unique MAC address under `oui`: a running counter, so no two adapters share an
    /// address by accident.
    pub(super) fn mac(&mut self, oui: [u8; 3]) -> [u8; 6] {
        self.next_oui = self.next_oui.wrapping_add(1 + self.rng.random_range(0..3));
        let n = self.next_oui.to_be_bytes();
        [oui[0], oui[1], oui[2], n[1], n[2], n[3]]
    }
}
