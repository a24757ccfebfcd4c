//! Configuration matching, within one matched organization: which IT Glue configuration each
//! Datto RMM device is.
//!
//! In this order: a stored match (by device uid) always wins; then the RMM marker a
//! configuration carries in `installed-by`; then, as IT Glue's own RMM integrations do, the same
//! MAC address and serial number together, then the same MAC address, then the same serial
//! number; and last a *suggestion* by exact name (the configuration's name or hostname is the
//! device's hostname, case aside). MAC addresses and serials are compared normalised, and the
//! ones that identify nothing (placeholders, shared virtual adapters) never match.
//!
//! A key (marker, MAC or serial) that points at several configurations, or that several
//! devices carry, gives suggestions and never a match; a configuration is matched to at most one
//! device, and when two devices claim it with equally strong evidence neither gets it.

use std::collections::BTreeMap;

// Maps keyed by uids, ids, MACs and serials of up to 200,000 devices: a fast hasher (seeded per
// process); nothing depends on their order.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use serde::{Deserialize, Serialize};

use super::configuration::Configuration;
use super::device::Device;
use super::ids::{ConfigurationId, DeviceUid};
use super::organizations::{DEFAULT_TOP_K, MatchOrigin};
use super::suggestion::{MatchReason, Suggestion, rank};
use crate::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};

/// The score of a suggestion by RMM marker (when several configurations carry the marker).
pub const MARKER_SCORE: f64 = 1.0;
/// The score of a suggestion by MAC address and serial number.
pub const MAC_AND_SERIAL_SCORE: f64 = 0.95;
/// The score of a suggestion by MAC address.
pub const MAC_SCORE: f64 = 0.9;
/// The score of a suggestion by serial number.
pub const SERIAL_SCORE: f64 = 0.8;
/// The score of a suggestion by name.
pub const NAME_SCORE: f64 = 0.6;

/// A device ↔ configuration match the store keeps. It wins over anything an automatic pass
/// finds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StoredConfigurationMatch {
    /// The device.
    pub device: DeviceUid,
    /// The configuration it is matched to.
    pub configuration: ConfigurationId,
    /// Who made the match.
    pub origin: MatchOrigin,
}

/// What the pass decided for one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigurationOutcome {
    /// A stored match, kept as it is.
    Stored {
        /// The stored configuration.
        configuration: ConfigurationId,
        /// Whether that configuration is still among the configurations given to the pass.
        configuration_exists: bool,
    },
    /// A new automatic match.
    Matched {
        /// The configuration.
        configuration: ConfigurationId,
        /// Why (RMM marker, MAC and serial, MAC, or serial).
        reason: MatchReason,
    },
    /// No match, but candidates, best first.
    Suggested {
        /// The candidates.
        suggestions: Vec<Suggestion<ConfigurationId>>,
    },
    /// Nothing.
    Unmatched,
}

/// The pass's result for one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigurationMatch {
    /// The device.
    pub device: DeviceUid,
    /// The decision.
    pub outcome: ConfigurationOutcome,
}

/// How many devices ended in each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationCounts {
    /// Devices considered.
    pub devices: usize,
    /// Devices with a stored or a new automatic match.
    pub matched: usize,
    /// Devices with suggestions only.
    pub suggested: usize,
    /// Devices with neither.
    pub unmatched: usize,
}

/// The result of the configuration pass: one entry per device, sorted by device uid, and the
/// configurations no device took.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigurationMatching {
    /// The decisions.
    pub matches: Vec<ConfigurationMatch>,
    /// Configurations matched to no device (neither stored nor new), sorted.
    pub unmatched_configurations: Vec<ConfigurationId>,
}

impl ConfigurationMatching {
    /// The counts per outcome.
    pub fn counts(&self) -> ConfigurationCounts {
        let mut counts = ConfigurationCounts {
            devices: self.matches.len(),
            ..ConfigurationCounts::default()
        };
        for m in &self.matches {
            match m.outcome {
                ConfigurationOutcome::Stored { .. } | ConfigurationOutcome::Matched { .. } => {
                    counts.matched += 1;
                }
                ConfigurationOutcome::Suggested { .. } => counts.suggested += 1,
                ConfigurationOutcome::Unmatched => counts.unmatched += 1,
            }
        }
        counts
    }

    /// The new automatic matches, as the store should keep them.
    pub fn new_matches(&self) -> impl Iterator<Item = StoredConfigurationMatch> + '_ {
        self.matches.iter().filter_map(|m| match m.outcome {
            ConfigurationOutcome::Matched {
                configuration,
                reason,
            } => Some(StoredConfigurationMatch {
                device: m.device.clone(),
                configuration,
                origin: MatchOrigin::Automatic { reason },
            }),
            _ => None,
        })
    }

    /// The decision for one device.
    pub fn get(&self, device: &DeviceUid) -> Option<&ConfigurationMatch> {
        self.matches
            .binary_search_by(|m| m.device.cmp(device))
            .ok()
            .and_then(|at| self.matches.get(at))
    }
}

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

/// How strongly a device points at a configuration through its MACs and serials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Serial,
    Mac,
    MacAndSerial,
}

impl Strength {
    fn of(mac: bool, serial: bool) -> Option<Self> {
        match (mac, serial) {
            (true, true) => Some(Self::MacAndSerial),
            (true, false) => Some(Self::Mac),
            (false, true) => Some(Self::Serial),
            (false, false) => None,
        }
    }

    fn reason(self) -> MatchReason {
        match self {
            Self::MacAndSerial => MatchReason::MacAndSerial,
            Self::Mac => MatchReason::MacAddress,
            Self::Serial => MatchReason::SerialNumber,
        }
    }

    fn score(self) -> f64 {
        match self {
            Self::MacAndSerial => MAC_AND_SERIAL_SCORE,
            Self::Mac => MAC_SCORE,
            Self::Serial => SERIAL_SCORE,
        }
    }
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

/// Runs the configuration pass for the devices and configurations of one organization.
///
/// The result is sorted by device uid and does not depend on the order of any input. When the
/// input holds several stored matches for one device, the one with the smallest configuration id
/// is used; duplicate devices or configurations (same uid or id) count once.
///
/// ```
/// use sync_core::identifiers::IdentifierPolicy;
/// use sync_core::itglue::*;
///
/// let mut device = Device::new(DeviceUid::new("d1"), SiteUid::new("s1"), "PC-01");
/// device.serial_numbers = vec!["5CG1234XYZ".into()];
/// let mut configuration = Configuration::new(ConfigurationId(10), OrganizationId(1), "Front desk");
/// configuration.serial_number = Some("5cg1234xyz".into());
///
/// let result = match_configurations(&[device], &[configuration], &[], &IdentifierPolicy::default());
/// assert_eq!(
///     result.matches[0].outcome,
///     ConfigurationOutcome::Matched { configuration: ConfigurationId(10), reason: MatchReason::SerialNumber },
/// );
/// ```
pub fn match_configurations(
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
