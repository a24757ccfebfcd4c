//! The configuration pass as it was written before the speed work of issue #19: maps keyed by
//! device uid, keys parsed where they are used. Kept, for tests only, as the plain reference the
//! optimised pass in the parent module is compared with on random inputs.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{
    ConfigurationMatch, ConfigurationMatching, ConfigurationOutcome, MARKER_SCORE, NAME_SCORE,
    StoredConfigurationMatch, Strength,
};
use crate::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};
use crate::itglue::configuration::Configuration;
use crate::itglue::device::Device;
use crate::itglue::ids::{ConfigurationId, DeviceUid};
use crate::itglue::organizations::DEFAULT_TOP_K;
use crate::itglue::suggestion::{MatchReason, rank};

/// The identifiers of one device or configuration that can identify it, each sorted and
/// without repeats.
#[derive(Debug, Default)]
struct Keys {
    macs: Vec<MacAddress>,
    serials: Vec<SerialNumber>,
}

/// Sorted, without repeats (a set, without a tree's allocations).
fn sorted_set<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items.dedup();
    items
}

impl Keys {
    fn of_device(device: &Device, policy: &IdentifierPolicy) -> Self {
        Self {
            macs: macs(device.mac_addresses(), policy),
            serials: sorted_set(
                device
                    .serial_numbers
                    .iter()
                    .filter_map(|s| SerialNumber::normalize(s, policy))
                    .collect(),
            ),
        }
    }

    fn of_configuration(configuration: &Configuration, policy: &IdentifierPolicy) -> Self {
        Self {
            macs: macs(
                configuration.mac_addresses.iter().map(String::as_str),
                policy,
            ),
            serials: configuration
                .serial_number
                .iter()
                .filter_map(|s| SerialNumber::normalize(s, policy))
                .collect(),
        }
    }
}

fn macs<'a>(texts: impl Iterator<Item = &'a str>, policy: &IdentifierPolicy) -> Vec<MacAddress> {
    sorted_set(
        texts
            .filter_map(|m| MacAddress::parse(m).ok())
            .filter(|m| policy.identifies_a_device(m))
            .collect(),
    )
}

/// Evidence linking one device to one configuration.
#[derive(Debug, Clone, Copy, Default)]
struct Link {
    mac: bool,
    serial: bool,
    /// A shared MAC that no other device carries.
    own_mac: bool,
    /// A shared serial that no other device carries.
    own_serial: bool,
}

pub(super) fn match_configurations(
    devices: &[Device],
    configurations: &[Configuration],
    stored: &[StoredConfigurationMatch],
    policy: &IdentifierPolicy,
) -> ConfigurationMatching {
    let mut devices: Vec<&Device> = devices.iter().collect();
    devices.sort_by(|a, b| a.uid.cmp(&b.uid));
    devices.dedup_by(|later, earlier| later.uid == earlier.uid);
    let mut configurations: Vec<&Configuration> = configurations.iter().collect();
    configurations.sort_by_key(|c| c.id);
    configurations.dedup_by(|later, earlier| later.id == earlier.id);
    let present: HashSet<ConfigurationId> = configurations.iter().map(|c| c.id).collect();

    let mut stored_by_device: HashMap<&DeviceUid, ConfigurationId> = HashMap::new();
    for m in stored {
        stored_by_device
            .entry(&m.device)
            .and_modify(|known| *known = (*known).min(m.configuration))
            .or_insert(m.configuration);
    }

    let mut outcomes: HashMap<&DeviceUid, ConfigurationOutcome> = HashMap::new();
    let mut taken: HashSet<ConfigurationId> = HashSet::new();
    for device in &devices {
        if let Some(&configuration) = stored_by_device.get(&device.uid) {
            taken.insert(configuration);
            outcomes.insert(
                &device.uid,
                ConfigurationOutcome::Stored {
                    configuration,
                    configuration_exists: present.contains(&configuration),
                },
            );
        }
    }

    let open_devices: Vec<&Device> = devices
        .iter()
        .copied()
        .filter(|d| !outcomes.contains_key(&d.uid))
        .collect();
    let open_configurations: Vec<&Configuration> = configurations
        .iter()
        .copied()
        .filter(|c| !taken.contains(&c.id))
        .collect();

    let mut suggestions: HashMap<&DeviceUid, Vec<(ConfigurationId, f64, MatchReason)>> =
        HashMap::new();
    let marked = match_by_marker(&open_devices, &open_configurations, &mut suggestions);
    for (uid, configuration) in &marked {
        taken.insert(*configuration);
        outcomes.insert(
            uid,
            ConfigurationOutcome::Matched {
                configuration: *configuration,
                reason: MatchReason::RmmMarker,
            },
        );
    }

    let open_devices: Vec<&Device> = open_devices
        .into_iter()
        .filter(|d| !outcomes.contains_key(&d.uid) && !suggestions.contains_key(&d.uid))
        .collect();
    let open_configurations: Vec<&Configuration> = open_configurations
        .into_iter()
        .filter(|c| !taken.contains(&c.id))
        .collect();
    let links = links(&open_devices, &open_configurations, policy);
    for (uid, configuration, strength) in claims(&links) {
        taken.insert(configuration);
        outcomes.insert(
            uid,
            ConfigurationOutcome::Matched {
                configuration,
                reason: strength.reason(),
            },
        );
    }

    // Everything still open gets what evidence there is as suggestions.
    let names = configurations_by_name(&open_configurations);
    for device in &open_devices {
        if outcomes.contains_key(&device.uid) {
            continue;
        }
        let candidates = suggestions.entry(&device.uid).or_default();
        if let Some(device_links) = links.get(&device.uid) {
            for (configuration, link) in device_links {
                if let Some(strength) = Strength::of(link.mac, link.serial)
                    && !taken.contains(configuration)
                {
                    candidates.push((*configuration, strength.score(), strength.reason()));
                }
            }
        }
        for configuration in names
            .get(&fold_name(&device.hostname))
            .into_iter()
            .flatten()
        {
            if !taken.contains(configuration)
                && !candidates.iter().any(|(c, _, _)| c == configuration)
            {
                candidates.push((*configuration, NAME_SCORE, MatchReason::Name));
            }
        }
    }

    let matches = devices
        .iter()
        .map(|device| {
            let outcome = outcomes.remove(&device.uid).unwrap_or_else(|| {
                let candidates = suggestions.remove(&device.uid).unwrap_or_default();
                let ranked = rank(candidates, 0.0, DEFAULT_TOP_K);
                if ranked.is_empty() {
                    ConfigurationOutcome::Unmatched
                } else {
                    ConfigurationOutcome::Suggested {
                        suggestions: ranked,
                    }
                }
            });
            ConfigurationMatch {
                device: device.uid.clone(),
                outcome,
            }
        })
        .collect();
    ConfigurationMatching {
        matches,
        unmatched_configurations: configurations
            .iter()
            .map(|c| c.id)
            .filter(|id| !taken.contains(id))
            .collect(),
    }
}

/// Matches devices to the configuration carrying their RMM marker. A device whose marker is on
/// several configurations gets them as suggestions instead.
fn match_by_marker<'a>(
    devices: &[&'a Device],
    configurations: &[&Configuration],
    suggestions: &mut HashMap<&'a DeviceUid, Vec<(ConfigurationId, f64, MatchReason)>>,
) -> Vec<(&'a DeviceUid, ConfigurationId)> {
    let mut by_marker: HashMap<DeviceUid, Vec<ConfigurationId>> = HashMap::new();
    for configuration in configurations {
        if let Some(uid) = configuration.rmm_device() {
            by_marker.entry(uid).or_default().push(configuration.id);
        }
    }
    let mut matched = Vec::new();
    for device in devices {
        match by_marker.get(&device.uid).map(Vec::as_slice) {
            Some([only]) => matched.push((&device.uid, *only)),
            Some(several) if !several.is_empty() => {
                let candidates = suggestions.entry(&device.uid).or_default();
                candidates.extend(
                    several
                        .iter()
                        .map(|c| (*c, MARKER_SCORE, MatchReason::RmmMarker)),
                );
            }
            _ => {}
        }
    }
    matched
}

/// For every device, the configurations sharing a MAC address or a serial number with it.
fn links<'a>(
    devices: &[&'a Device],
    configurations: &[&Configuration],
    policy: &IdentifierPolicy,
) -> HashMap<&'a DeviceUid, BTreeMap<ConfigurationId, Link>> {
    let device_keys: Vec<Keys> = devices.iter().map(|d| Keys::of_device(d, policy)).collect();
    let mut devices_per_mac: HashMap<MacAddress, usize> = HashMap::new();
    let mut devices_per_serial: HashMap<&SerialNumber, usize> = HashMap::new();
    for keys in &device_keys {
        for mac in &keys.macs {
            *devices_per_mac.entry(*mac).or_default() += 1;
        }
        for serial in &keys.serials {
            *devices_per_serial.entry(serial).or_default() += 1;
        }
    }

    let mut by_mac: HashMap<MacAddress, Vec<ConfigurationId>> = HashMap::new();
    let mut by_serial: HashMap<SerialNumber, Vec<ConfigurationId>> = HashMap::new();
    for configuration in configurations {
        let keys = Keys::of_configuration(configuration, policy);
        for mac in keys.macs {
            by_mac.entry(mac).or_default().push(configuration.id);
        }
        for serial in keys.serials {
            by_serial.entry(serial).or_default().push(configuration.id);
        }
    }

    let mut links: HashMap<&DeviceUid, BTreeMap<ConfigurationId, Link>> = HashMap::new();
    for (device, keys) in devices.iter().zip(&device_keys) {
        let mut found: BTreeMap<ConfigurationId, Link> = BTreeMap::new();
        for mac in &keys.macs {
            let own = devices_per_mac.get(mac) == Some(&1);
            for configuration in by_mac.get(mac).into_iter().flatten() {
                let link = found.entry(*configuration).or_default();
                link.mac = true;
                link.own_mac |= own;
            }
        }
        for serial in &keys.serials {
            let own = devices_per_serial.get(serial) == Some(&1);
            for configuration in by_serial.get(serial).into_iter().flatten() {
                let link = found.entry(*configuration).or_default();
                link.serial = true;
                link.own_serial |= own;
            }
        }
        if !found.is_empty() {
            links.insert(&device.uid, found);
        }
    }
    links
}

/// The automatic matches: each device claims the one configuration its strongest own evidence
/// (keys no other device carries) points at, if exactly one; a configuration claimed by several
/// devices goes to the strongest claim, or to none when the strongest claims tie.
fn claims<'a>(
    links: &HashMap<&'a DeviceUid, BTreeMap<ConfigurationId, Link>>,
) -> Vec<(&'a DeviceUid, ConfigurationId, Strength)> {
    let mut claims_on: HashMap<ConfigurationId, Vec<(&'a DeviceUid, Strength)>> = HashMap::new();
    for (device, device_links) in links {
        let own: Vec<(ConfigurationId, Strength)> = device_links
            .iter()
            .filter_map(|(c, link)| Strength::of(link.own_mac, link.own_serial).map(|s| (*c, s)))
            .collect();
        let Some(strongest) = own.iter().map(|(_, s)| *s).max() else {
            continue;
        };
        let mut at_strongest = own.iter().filter(|(_, s)| *s == strongest);
        if let (Some((configuration, _)), None) = (at_strongest.next(), at_strongest.next()) {
            claims_on
                .entry(*configuration)
                .or_default()
                .push((*device, strongest));
        }
    }
    let mut won = Vec::new();
    for (configuration, claimants) in claims_on {
        let Some(strongest) = claimants.iter().map(|(_, s)| *s).max() else {
            continue;
        };
        let mut at_strongest = claimants.iter().filter(|(_, s)| *s == strongest);
        if let (Some((device, strength)), None) = (at_strongest.next(), at_strongest.next()) {
            won.push((*device, configuration, *strength));
        }
    }
    won
}

/// Configurations by folded name and hostname.
fn configurations_by_name(
    configurations: &[&Configuration],
) -> HashMap<String, Vec<ConfigurationId>> {
    let mut by_name: HashMap<String, Vec<ConfigurationId>> = HashMap::new();
    for configuration in configurations {
        let mut names: Vec<String> = [
            Some(configuration.name.as_str()),
            configuration.hostname.as_deref(),
        ]
        .into_iter()
        .flatten()
        .map(fold_name)
        .filter(|n| !n.is_empty())
        .collect();
        names.dedup();
        for name in names {
            by_name.entry(name).or_default().push(configuration.id);
        }
    }
    by_name
}

fn fold_name(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::itglue::device::NetworkInterface;
    use crate::itglue::ids::{OrganizationId, SiteUid};
    use crate::itglue::organizations::MatchOrigin;

    // Small pools, so that keys collide: shared MACs and serials, several configurations per
    // key, several devices per key, names that fold alike, markers on several configurations.
    const MACS: &[&str] = &[
        "00:1A:2B:3C:4D:01",
        "001a.2b3c.4d01",
        "00-1A-2B-3C-4D-02",
        "001A2B3C4D03",
        "00:1A:2B:3C:4D:04",
        "00:1A:2B:3C:4D:05",
        "02:00:4C:4F:4F:50",
        "00:00:00:00:00:00",
        "not a mac",
    ];
    const SERIALS: &[&str] = &[
        "SN1",
        "sn1 ",
        "sn2",
        " SN3 ",
        "ßn4",
        "System Serial Number",
        "0",
        "SN5",
        "TENANT-X",
        "",
        // Longer than the 15 bytes packed into an integer key, and at the edge.
        "VMware-42 1d 3e 4f 5a",
        "vmware-42 1d 3e 4f 5a ",
        "ABCDEFGHIJKLMNO",
        "abcdefghijklmnop",
    ];
    const NAMES: &[&str] = &[
        "PC-1",
        " pc-1",
        "PC-2",
        "Server",
        "SERVER ",
        "Ärzte-PC",
        "",
        "Workstation-Reception-01",
        "WORKSTATION-reception-01 ",
        "abcdefghijklmno",
        "ABCDEFGHIJKLMNOP",
    ];

    /// Device uids: short ones, and long ones that share their first eight bytes (the optimised
    /// pass orders uids by those bytes first).
    fn uid(n: u8) -> String {
        if n.is_multiple_of(2) {
            format!("d{}", n / 2)
        } else {
            format!("device-uid-{}", n / 2)
        }
    }

    fn devices() -> impl Strategy<Value = Vec<Device>> {
        let one = (
            0u8..28,
            prop::sample::select(NAMES),
            prop::collection::vec(prop::sample::select(MACS), 0..4),
            prop::collection::vec(prop::sample::select(SERIALS), 0..3),
        );
        prop::collection::vec(one, 0..24).prop_map(|list| {
            list.into_iter()
                .map(|(n, name, macs, serials)| {
                    let mut device = Device::new(DeviceUid::new(uid(n)), SiteUid::new("s"), name);
                    device.network_interfaces = macs
                        .into_iter()
                        .map(|m| NetworkInterface {
                            mac_address: Some(m.to_owned()),
                            ..NetworkInterface::default()
                        })
                        .collect();
                    device.serial_numbers = serials.into_iter().map(str::to_owned).collect();
                    device
                })
                .collect()
        })
    }

    fn configurations() -> impl Strategy<Value = Vec<Configuration>> {
        let one = (
            0u64..24,
            prop::sample::select(NAMES),
            prop::option::of(prop::sample::select(NAMES)),
            prop::collection::vec(prop::sample::select(MACS), 0..3),
            prop::option::of(prop::sample::select(SERIALS)),
            prop::option::of(0u8..32),
        );
        prop::collection::vec(one, 0..24).prop_map(|list| {
            list.into_iter()
                .map(|(id, name, hostname, macs, serial, marker)| {
                    let mut c = Configuration::new(ConfigurationId(id), OrganizationId(1), name);
                    c.hostname = hostname.map(str::to_owned);
                    c.mac_addresses = macs.into_iter().map(str::to_owned).collect();
                    c.serial_number = serial.map(str::to_owned);
                    c.installed_by = marker.map(|m| format!(" rmm:{} ", uid(m)));
                    c
                })
                .collect()
        })
    }

    fn stored() -> impl Strategy<Value = Vec<StoredConfigurationMatch>> {
        prop::collection::vec((0u8..32, 0u64..28), 0..4).prop_map(|list| {
            list.into_iter()
                .map(|(device, configuration)| StoredConfigurationMatch {
                    device: DeviceUid::new(uid(device)),
                    configuration: ConfigurationId(configuration),
                    origin: MatchOrigin::User,
                })
                .collect()
        })
    }

    fn policy() -> impl Strategy<Value = IdentifierPolicy> {
        (any::<bool>(), any::<bool>()).prop_map(|(serials, macs)| IdentifierPolicy {
            placeholder_serials: if serials {
                vec!["tenant x".into()]
            } else {
                Vec::new()
            },
            shared_mac_addresses: if macs {
                vec!["00-1a-2b-3c-4d-05".into(), "junk".into()]
            } else {
                Vec::new()
            },
        })
    }

    /// Above the size from which the pass reads its two inputs on two threads, it still decides
    /// what the plain pass decides: generated devices and configurations whose MACs, serials
    /// and names collide, with placeholders, the shared loopback, markers and stored matches.
    #[test]
    fn a_pass_that_reads_on_two_threads_decides_what_the_plain_pass_decides() {
        let count = super::super::READ_IN_PARALLEL_FROM / 2 + 1;
        let mut state = 7u64;
        let mut next = |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below
        };
        let mac = |n: usize| {
            format!(
                "00:1a:{:02x}:{:02x}:{:02x}:01",
                n >> 16 & 255,
                n >> 8 & 255,
                n & 255
            )
        };
        let devices: Vec<Device> = (0..count)
            .map(|_| {
                let mut device = Device::new(
                    DeviceUid::new(format!("device-{}", next(count * 2))),
                    SiteUid::new("s"),
                    format!("PC-{}", next(count)),
                );
                device.network_interfaces = [mac(next(count * 2)), "02-00-4C-4F-4F-50".to_owned()]
                    .into_iter()
                    .map(|m| NetworkInterface {
                        mac_address: Some(m),
                        ..NetworkInterface::default()
                    })
                    .collect();
                device.serial_numbers = vec![match next(20) {
                    0 => "To Be Filled By O.E.M.".to_owned(),
                    1 => format!("A-VERY-LONG-SERIAL-{}", next(count * 2)),
                    _ => format!("sn{}", next(count * 2)),
                }];
                device
            })
            .collect();
        let configurations: Vec<Configuration> = (0..count)
            .map(|i| {
                let mut c = Configuration::new(
                    ConfigurationId(next(count * 2) as u64),
                    OrganizationId(1),
                    format!("pc-{}", next(count)),
                );
                if next(3) > 0 {
                    c.mac_addresses = vec![mac(next(count * 2))];
                }
                if next(3) > 0 {
                    c.serial_number = Some(format!("SN{}", next(count * 2)));
                }
                if i % 50 == 0 {
                    c.installed_by = Some(format!("RMM: device-{}", next(count * 2)));
                }
                c
            })
            .collect();
        let stored: Vec<StoredConfigurationMatch> = (0..count / 100)
            .map(|_| StoredConfigurationMatch {
                device: DeviceUid::new(format!("device-{}", next(count * 2))),
                configuration: ConfigurationId(next(count * 2) as u64),
                origin: MatchOrigin::User,
            })
            .collect();
        let policy = IdentifierPolicy::default();
        assert!(devices.len() + configurations.len() >= super::super::READ_IN_PARALLEL_FROM);
        let optimised =
            super::super::match_configurations(&devices, &configurations, &stored, &policy);
        let plain = match_configurations(&devices, &configurations, &stored, &policy);
        let counts = optimised.counts();
        assert!(
            counts.matched > 0 && counts.suggested > 0 && counts.unmatched > 0,
            "{counts:?}"
        );
        assert_eq!(optimised, plain);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The optimised pass (positions instead of uid maps, keys parsed once, chained lists)
        /// decides exactly what the plain pass decides: same outcomes, same suggestions in the
        /// same order with the same scores and margins, same unmatched configurations.
        #[test]
        fn the_optimised_pass_decides_what_the_plain_pass_decides(
            devices in devices(),
            configurations in configurations(),
            stored in stored(),
            policy in policy(),
        ) {
            let optimised = super::super::match_configurations(&devices, &configurations, &stored, &policy);
            let plain = match_configurations(&devices, &configurations, &stored, &policy);
            prop_assert_eq!(optimised, plain);
        }
    }
}
