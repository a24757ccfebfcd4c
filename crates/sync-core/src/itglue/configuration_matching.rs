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

// Maps keyed by the MACs, serials and names of up to 200,000 configurations: a fast hasher
// (seeded per process); nothing depends on their order.
use foldhash::{HashMap, HashMapExt};

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use super::configuration::Configuration;
use super::device::Device;
use super::ids::{ConfigurationId, DeviceUid};
use super::organizations::{DEFAULT_TOP_K, MatchOrigin};
use super::rmm_marker::marked_uid;
use super::suggestion::{MatchReason, Suggestion, rank_drain};
use crate::identifiers::{IdentifierPolicy, MacAddress, serial};

#[path = "configuration_facts.rs"]
mod facts;
#[path = "configuration_links.rs"]
mod links;
use facts::{ConfigurationFacts, DeviceFacts, NO_TEXT, SharedMacs};
use links::{END, FoldedNames, Links, packed};

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

/// Runs the configuration pass for the devices and configurations of one organization.
///
/// The result is sorted by device uid and does not depend on the order of any input. When the
/// input holds several stored matches for one device, the one with the smallest configuration id
/// is used; duplicate devices or configurations (same uid or id) count once.
///
/// The devices may be given owned (`&[Device]`) or borrowed (`&[&Device]`, anything that
/// borrows as a [`Device`]): a caller holding its devices elsewhere — in a map by uid, say —
/// picks the ones to match without cloning them. The pass reads only their uids, hostnames,
/// MAC addresses and serial numbers.
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
/// let (devices, configurations) = ([device], [configuration]);
/// let policy = IdentifierPolicy::default();
///
/// let result = match_configurations(&devices, &configurations, &[], &policy);
/// assert_eq!(
///     result.matches[0].outcome,
///     ConfigurationOutcome::Matched { configuration: ConfigurationId(10), reason: MatchReason::SerialNumber },
/// );
///
/// // The same devices borrowed (picked from a map by uid, say): the same result, no clone.
/// let by_uid: std::collections::BTreeMap<&DeviceUid, &Device> =
///     devices.iter().map(|device| (&device.uid, device)).collect();
/// let picked: Vec<&Device> = by_uid.values().copied().collect();
/// assert_eq!(match_configurations(&picked, &configurations, &[], &policy), result);
/// ```
pub fn match_configurations<D: Borrow<Device> + Sync>(
    devices: &[D],
    configurations: &[Configuration],
    stored: &[StoredConfigurationMatch],
    policy: &IdentifierPolicy,
) -> ConfigurationMatching {
    // Inside the pass a device is its place in uid order and a configuration its place in id
    // order (issue #19: no map keyed by uid strings, no allocation per device but its result).
    // Each input is read once, in input order (the order its records lie in memory), into
    // compact vectors the rest of the pass works on.
    let shared = SharedMacs::of(policy);
    let (mut device_facts, configuration_facts) =
        if devices.len() + configurations.len() >= READ_IN_PARALLEL_FROM {
            // The two reads wait on memory, not on each other: on two cores at once.
            std::thread::scope(|scope| {
                let configurations =
                    scope.spawn(|| ConfigurationFacts::read(configurations, policy, &shared));
                let devices = DeviceFacts::read(devices, policy, &shared);
                let configurations = configurations
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                (devices, configurations)
            })
        } else {
            (
                DeviceFacts::read(devices, policy, &shared),
                ConfigurationFacts::read(configurations, policy, &shared),
            )
        };
    let order = sorted_by_uid(std::mem::take(&mut device_facts.heads), &device_facts.uids);
    let uids = &device_facts.uids;
    let mut place = vec![NOWHERE; devices.len()];
    for (d, &at) in order.iter().enumerate() {
        place[at as usize] = d as u32;
    }
    let ids = &configuration_facts.ids;
    let device_at = |uid: &str| {
        order
            .binary_search_by(|&at| uids[at as usize].cmp(uid))
            .ok()
    };
    let configuration_at = |id: ConfigurationId| ids.binary_search(&id).ok();

    let mut decisions = vec![Decision::Open; order.len()];
    let mut taken = vec![false; ids.len()];

    let mut stored_for: Vec<(usize, ConfigurationId)> = stored
        .iter()
        .filter_map(|m| Some((device_at(m.device.as_str())?, m.configuration)))
        .collect();
    // The smallest configuration id of each device's stored matches.
    stored_for.sort_unstable();
    stored_for.dedup_by_key(|(d, _)| *d);
    for (d, configuration) in stored_for {
        let at = configuration_at(configuration);
        if let Some(c) = at {
            taken[c] = true;
        }
        decisions[d] = Decision::Stored {
            configuration,
            configuration_exists: at.is_some(),
        };
    }

    // The RMM marker: one configuration carrying a device's marker is its match, several are
    // suggestions (kept, as (device, configuration) in order, for the last pass).
    let mut marked: Vec<(usize, usize)> = Vec::new();
    if !configuration_facts.markers.is_empty() {
        // The place of each input configuration (NOWHERE for a repeated id).
        let mut configuration_place = vec![NOWHERE; configurations.len()];
        for (c, &at) in configuration_facts.order.iter().enumerate() {
            configuration_place[at as usize] = c as u32;
        }
        for &(at, uid) in &configuration_facts.markers {
            let c = configuration_place[at as usize] as usize;
            if let (Some(false), Some(d)) = (taken.get(c).copied(), device_at(uid))
                && decisions[d] == Decision::Open
            {
                marked.push((d, c));
            }
        }
    }
    marked.sort_unstable();
    let mut marker_suggestions: Vec<(usize, usize)> = Vec::new();
    for group in marked.chunk_by(|a, b| a.0 == b.0) {
        match group {
            [(d, c)] => {
                taken[*c] = true;
                decisions[*d] = Decision::Matched {
                    configuration: *c as u32,
                    reason: MatchReason::RmmMarker,
                };
            }
            several => {
                decisions[several[0].0] = Decision::Suggested;
                marker_suggestions.extend_from_slice(several);
            }
        }
    }

    let open_configurations: Vec<usize> = (0..ids.len()).filter(|c| !taken[*c]).collect();
    let links = Links::new(
        &device_facts,
        &place,
        &decisions,
        &configuration_facts,
        &open_configurations,
    );
    for (d, configuration, strength) in links.claims(ids.len()) {
        taken[configuration] = true;
        decisions[d] = Decision::Matched {
            configuration: configuration as u32,
            reason: strength.reason(),
        };
    }

    // The configurations named as the hostname of each device still open (the head of a chain
    // in the names index), found in input order.
    let still_open: Vec<usize> = open_configurations
        .into_iter()
        .filter(|c| !taken[*c])
        .collect();
    let folded_names = FoldedNames::new(&configuration_facts, &still_open);
    let names = folded_names.index();
    let mut named = vec![END; order.len()];
    let mut hostnames: Vec<(u32, [u64; 2])> = Vec::new();
    for (&hostname, &d) in device_facts.hostnames.iter().zip(&place) {
        if hostname != NO_TEXT && decisions.get(d as usize) == Some(&Decision::Open) {
            match device_facts.long_hostnames.text(hostname) {
                None => hostnames.push((d, hostname)),
                Some(long) => named[d as usize] = names.head(long),
            }
        }
    }
    names.heads_of(&hostnames, &mut named);

    // The results, in uid order: the uids (copied as the devices were read, while in cache)
    // moved in first.
    let mut matches: Vec<ConfigurationMatch> = order
        .iter()
        .map(|_| ConfigurationMatch {
            device: DeviceUid(String::new()),
            outcome: ConfigurationOutcome::Unmatched,
        })
        .collect();
    let mut owned = std::mem::take(&mut device_facts.owned);
    for (uid, &d) in owned.iter_mut().zip(&place) {
        if let Some(m) = matches.get_mut(d as usize) {
            m.device = std::mem::replace(uid, DeviceUid(String::new()));
        }
    }
    let mut markers = marker_suggestions.iter().peekable();
    let mut candidates: Vec<(ConfigurationId, f64, MatchReason)> = Vec::new();
    for (d, (m, decision)) in matches.iter_mut().zip(&decisions).enumerate() {
        m.outcome = match *decision {
            Decision::Stored {
                configuration,
                configuration_exists,
            } => ConfigurationOutcome::Stored {
                configuration,
                configuration_exists,
            },
            Decision::Matched {
                configuration,
                reason,
            } => ConfigurationOutcome::Matched {
                configuration: ids[configuration as usize],
                reason,
            },
            Decision::Suggested => {
                candidates.clear();
                while let Some((_, c)) = markers.next_if(|(at, _)| *at == d) {
                    candidates.push((ids[*c], MARKER_SCORE, MatchReason::RmmMarker));
                }
                suggested(&mut candidates)
            }
            Decision::Open => {
                candidates.clear();
                for (c, link) in links.of(d) {
                    if let Some(strength) = Strength::of(link.mac, link.serial)
                        && !taken[*c as usize]
                    {
                        candidates.push((ids[*c as usize], strength.score(), strength.reason()));
                    }
                }
                for c in names.chain(named[d]) {
                    let id = ids[c];
                    if !taken[c] && !candidates.iter().any(|(known, _, _)| *known == id) {
                        candidates.push((id, NAME_SCORE, MatchReason::Name));
                    }
                }
                suggested(&mut candidates)
            }
        };
    }
    ConfigurationMatching {
        matches,
        unmatched_configurations: ids
            .iter()
            .zip(&taken)
            .filter(|(_, taken)| !**taken)
            .map(|(id, _)| *id)
            .collect(),
    }
}

/// From how many devices and configurations together the two inputs are read on two threads
/// (below, starting a thread costs more than it saves).
const READ_IN_PARALLEL_FROM: usize = 20_000;

/// No place: a device whose uid an earlier device already has.
const NOWHERE: u32 = u32::MAX;

/// Where one device stands while the pass runs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Decision {
    /// Nothing decided yet: its keys and hostname are looked at.
    Open,
    /// A stored match.
    Stored {
        configuration: ConfigurationId,
        configuration_exists: bool,
    },
    /// A new automatic match, to the configuration at this place.
    Matched {
        configuration: u32,
        reason: MatchReason,
    },
    /// Its RMM marker is on several configurations: those are its suggestions, nothing else.
    Suggested,
}

/// The outcome of a device with these candidates (emptied, their buffer kept).
fn suggested(candidates: &mut Vec<(ConfigurationId, f64, MatchReason)>) -> ConfigurationOutcome {
    if candidates.is_empty() {
        return ConfigurationOutcome::Unmatched;
    }
    let suggestions = rank_drain(candidates, 0.0, DEFAULT_TOP_K);
    if suggestions.is_empty() {
        ConfigurationOutcome::Unmatched
    } else {
        ConfigurationOutcome::Suggested { suggestions }
    }
}

/// The input positions of the devices in uid order, the first of each uid in the input only.
/// The uids are compared by their first eight bytes first (one integer comparison, no pointer
/// to follow), then, among equal heads, in full.
fn sorted_by_uid(mut order: Vec<(u64, u32)>, uids: &[&str]) -> Vec<u32> {
    // (head, input position) orders as the uid does where the heads differ (a head is a prefix
    // padded with zeros, so it never contradicts the full comparison); uids with one head are
    // then put in order in full, equal uids in input order.
    sort_by_head(&mut order);
    let uid = |at: u32| uids[at as usize];
    let mut sorted: Vec<u32> = Vec::with_capacity(order.len());
    for same_head in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if let [(_, only)] = same_head {
            sorted.push(*only);
            continue;
        }
        same_head.sort_by(|a, b| uid(a.1).cmp(uid(b.1)).then(a.1.cmp(&b.1)));
        let mut last = None;
        for &(_, at) in same_head.iter() {
            if last != Some(uid(at)) {
                sorted.push(at);
                last = Some(uid(at));
            }
        }
    }
    sorted
}

/// Sorts (head, position) pairs, whose positions are ascending and distinct, as
/// `sort_unstable` does: for many, a byte-wise radix sort of the heads (stable, so equal heads
/// keep their positions in order), which skips the bytes all heads share.
fn sort_by_head(order: &mut Vec<(u64, u32)>) {
    if order.len() < 256 {
        order.sort_unstable();
        return;
    }
    let mut counts = [[0usize; 256]; 8];
    for (head, _) in order.iter() {
        for (count, byte) in counts.iter_mut().zip(head.to_le_bytes()) {
            count[usize::from(byte)] += 1;
        }
    }
    let mut sorted = vec![(0u64, 0u32); order.len()];
    for (digit, count) in counts.iter().enumerate() {
        if count.contains(&order.len()) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut start = 0;
        for (next, count) in next.iter_mut().zip(count) {
            *next = start;
            start += count;
        }
        for &(head, at) in order.iter() {
            let bucket = &mut next[usize::from(head.to_le_bytes()[digit])];
            sorted[*bucket] = (head, at);
            *bucket += 1;
        }
        std::mem::swap(order, &mut sorted);
    }
}

#[cfg(test)]
#[path = "configuration_matching_reference.rs"]
mod reference;

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The radix sort of (head, position) pairs sorts as `sort_unstable` does, heads that
        /// share bytes and equal heads included, below and above the size it starts at.
        #[test]
        fn the_radix_sort_of_heads_is_a_sort(
            heads in proptest::collection::vec(
                (0u64..6, 0u64..3, proptest::prelude::any::<u64>(), 0u8..6),
                0..700,
            ),
        ) {
            let mut order: Vec<(u64, u32)> = heads
                .into_iter()
                .enumerate()
                .map(|(at, (high, low, any, pick))| {
                    // Mostly heads with zero bytes, so that most but not all heads share a byte.
                    let head = match pick {
                        0..=3 => (high << 56) | low,
                        4 => u64::from_be_bytes(*b"device-0") + low,
                        _ => any,
                    };
                    (head, at as u32)
                })
                .collect();
            let mut expected = order.clone();
            expected.sort_unstable();
            super::sort_by_head(&mut order);
            proptest::prop_assert_eq!(order, expected);
        }
    }
}
