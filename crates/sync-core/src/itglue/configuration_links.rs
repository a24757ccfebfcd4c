//! The indexes behind [`match_configurations`](super::match_configurations): configurations by
//! MAC address, serial number and folded name, kept as positions in the sorted inputs (no map
//! keyed by uid strings), and the evidence linking each open device to them.

use super::facts::{ConfigurationFacts, DeviceFacts, NO_TEXT, sort_and_dedup_from};
use super::*;

/// No further entry in a [`Chains`] list.
pub(super) const END: u32 = u32::MAX;

/// Lists of configuration positions, one per key, chained through one vector. A list is built
/// from the last configuration to the first, each one put in front, so it reads in ascending
/// position (ascending configuration id).
pub(super) struct Chains {
    /// (configuration position, the next entry or [`END`]).
    pub(super) entries: Vec<(u32, u32)>,
}

impl Chains {
    pub(super) fn with_capacity(entries: usize) -> Self {
        Self {
            entries: Vec::with_capacity(entries),
        }
    }

    pub(super) fn put_in_front(&mut self, head: &mut u32, configuration: usize) {
        self.entries.push((configuration as u32, *head));
        *head = (self.entries.len() - 1) as u32;
    }

    pub(super) fn iter(&self, head: u32) -> impl Iterator<Item = usize> + '_ {
        let mut at = head;
        std::iter::from_fn(move || {
            let (configuration, next) = *self.entries.get(at as usize)?;
            at = next;
            Some(configuration as usize)
        })
    }
}

/// A MAC address or serial number that configurations carry.
#[derive(Clone, Copy)]
pub(super) struct Key {
    /// The configurations carrying it ([`Chains`]).
    pub(super) configurations: u32,
    /// How many open devices carry it.
    pub(super) devices: u32,
}

impl Default for Key {
    fn default() -> Self {
        Self {
            configurations: END,
            devices: 0,
        }
    }
}

/// Evidence linking one device to one configuration.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Link {
    pub(super) mac: bool,
    pub(super) serial: bool,
    /// A shared MAC that no other device carries.
    pub(super) own_mac: bool,
    /// A shared serial that no other device carries.
    pub(super) own_serial: bool,
}

impl Link {
    pub(super) fn add(&mut self, other: Link) {
        self.mac |= other.mac;
        self.serial |= other.serial;
        self.own_mac |= other.own_mac;
        self.own_serial |= other.own_serial;
    }
}

/// For every open device (by its place in uid order), the configurations sharing a MAC
/// address or a serial number with it, in ascending position, each with its evidence.
pub(super) struct Links {
    pub(super) links: Vec<(u32, Link)>,
    /// Where each device's links start and end in `links` (empty for the devices not open).
    pub(super) spans: Vec<(u32, u32)>,
}

impl Links {
    /// The links of the devices whose decision is [`Decision::Open`] to the configurations in
    /// `open_configurations` (places, ascending); `place` gives each input device's place in
    /// uid order ([`NOWHERE`] for a repeated uid).
    pub(super) fn new(
        devices: &DeviceFacts<'_>,
        place: &[u32],
        decisions: &[Decision],
        configurations: &ConfigurationFacts<'_>,
        open_configurations: &[usize],
    ) -> Self {
        // The configurations' keys, last to first (so that every chain reads in ascending
        // place).
        let capacity = configurations.macs.len();
        let mut keys: Vec<Key> = Vec::with_capacity(capacity + configurations.serials.len());
        let mut chains = Chains::with_capacity(capacity + configurations.serials.len());
        let new_key = |keys: &mut Vec<Key>| {
            keys.push(Key::default());
            (keys.len() - 1) as u32
        };
        // The MACs and the short serials are joined part by part (below); long serials, rare,
        // in one map of their own.
        let mut configuration_macs: Vec<(u64, u32)> = Vec::with_capacity(capacity);
        let mut configuration_serials: Vec<([u64; 2], u32)> =
            Vec::with_capacity(open_configurations.len());
        let mut by_long_serial: HashMap<&str, u32> = HashMap::new();
        for &c in open_configurations.iter().rev() {
            let at = configurations.order[c] as usize;
            configuration_macs.extend(
                configurations
                    .macs_of(at)
                    .iter()
                    .map(|mac| (*mac, c as u32)),
            );
            let serial = configurations.serials[at];
            if serial == NO_TEXT {
                continue;
            }
            match configurations.long_serials.text(serial) {
                None => configuration_serials.push((serial, c as u32)),
                Some(long) => {
                    let key = *by_long_serial
                        .entry(long)
                        .or_insert_with(|| new_key(&mut keys));
                    chains.put_in_front(&mut keys[key as usize].configurations, c);
                }
            }
        }

        // The open devices (input position, place), in input order.
        let open: Vec<(usize, usize)> = place
            .iter()
            .enumerate()
            .filter(|(_, d)| decisions.get(**d as usize) == Some(&Decision::Open))
            .map(|(at, d)| (at, *d as usize))
            .collect();
        // Their MACs and serials, each with the place of its key in `mac_keys` and
        // `serial_keys` (the open devices' keys in input order).
        let mut device_macs: Vec<(u64, u32)> = Vec::with_capacity(devices.macs.len());
        let mut device_serials: Vec<([u64; 2], u32)> = Vec::with_capacity(devices.serials.len());
        let mut serial_keys: Vec<u32> = Vec::with_capacity(devices.serials.len());
        for &(at, _) in &open {
            let (macs, serials) = devices.keys(at);
            for mac in macs {
                device_macs.push((*mac, device_macs.len() as u32));
            }
            for serial in serials {
                let key = match devices.long_serials.text(*serial) {
                    None => {
                        device_serials.push((*serial, serial_keys.len() as u32));
                        NO_KEY
                    }
                    Some(long) => by_long_serial.get(long).copied().unwrap_or(NO_KEY),
                };
                serial_keys.push(key);
            }
        }
        let mut mac_keys = vec![NO_KEY; device_macs.len()];
        join_by_parts(
            &configuration_macs,
            &device_macs,
            |mac| mac.wrapping_mul(MIX),
            &mut keys,
            &mut chains,
            &mut mac_keys,
        );
        join_by_parts(
            &configuration_serials,
            &device_serials,
            |[low, high]| (low.wrapping_mul(MIX) ^ high).wrapping_mul(MIX),
            &mut keys,
            &mut chains,
            &mut serial_keys,
        );

        // Each open device's keys: its MACs' keys, then its serials' keys (sorted, without
        // repeats); and how many devices carry each key.
        let mut device_keys: Vec<u32> = Vec::with_capacity(mac_keys.len() + serial_keys.len());
        let mut key_spans: Vec<(usize, usize, usize, usize)> = Vec::with_capacity(open.len());
        let (mut macs_at, mut serials_at) = (0, 0);
        for &(at, d) in &open {
            let (macs, serials) = devices.keys(at);
            let (macs_end, serials_end) = (macs_at + macs.len(), serials_at + serials.len());
            let start = device_keys.len();
            device_keys.extend(
                mac_keys[macs_at..macs_end]
                    .iter()
                    .copied()
                    .filter(|key| *key != NO_KEY),
            );
            let macs_end_at = device_keys.len();
            device_keys.extend(
                serial_keys[serials_at..serials_end]
                    .iter()
                    .copied()
                    .filter(|key| *key != NO_KEY),
            );
            sort_and_dedup_from(&mut device_keys, macs_end_at);
            (macs_at, serials_at) = (macs_end, serials_end);
            for key in &device_keys[start..] {
                keys[*key as usize].devices += 1;
            }
            if device_keys.len() > start {
                key_spans.push((d, start, macs_end_at, device_keys.len()));
            }
        }

        let mut links: Vec<(u32, Link)> = Vec::with_capacity(device_keys.len());
        let mut spans: Vec<(u32, u32)> = vec![(0, 0); decisions.len()];
        let mut found: Vec<(u32, Link)> = Vec::new();
        for (d, start, macs_end, end) in key_spans {
            found.clear();
            for at in start..end {
                let key = keys[device_keys[at] as usize];
                let own = key.devices == 1;
                let mac = at < macs_end;
                let link = Link {
                    mac,
                    serial: !mac,
                    own_mac: mac && own,
                    own_serial: !mac && own,
                };
                found.extend(chains.iter(key.configurations).map(|c| (c as u32, link)));
            }
            found.sort_unstable_by_key(|(c, _)| *c);
            let device_start = links.len();
            for &(c, link) in &found {
                match links.get_mut(device_start..).and_then(<[_]>::last_mut) {
                    Some((last, known)) if *last == c => known.add(link),
                    _ => links.push((c, link)),
                }
            }
            spans[d] = (device_start as u32, links.len() as u32);
        }
        Self { links, spans }
    }

    /// The links of the device at place `d`.
    pub(super) fn of(&self, d: usize) -> &[(u32, Link)] {
        let (start, end) = self.spans[d];
        &self.links[start as usize..end as usize]
    }

    /// The automatic matches, as (device, configuration, strength): each device claims the
    /// one configuration its strongest own evidence (keys no other device carries) points at,
    /// if exactly one; a configuration claimed by several devices goes to the strongest claim,
    /// or to none when the strongest claims tie.
    pub(super) fn claims(&self, configurations: usize) -> Vec<(usize, usize, Strength)> {
        // Per configuration: the strongest claim, how many devices make it, and the first.
        let mut claims: Vec<Option<(Strength, u32, usize)>> = vec![None; configurations];
        for at in 0..self.spans.len() {
            let own = self.of(at).iter().filter_map(|(c, link)| {
                Strength::of(link.own_mac, link.own_serial).map(|s| (*c as usize, s))
            });
            let mut strongest: Option<(usize, Strength, u32)> = None;
            for (c, s) in own {
                strongest = match strongest {
                    Some((_, best, _)) if s > best => Some((c, s, 1)),
                    Some((first, best, n)) if s == best => Some((first, best, n + 1)),
                    Some(kept) => Some(kept),
                    None => Some((c, s, 1)),
                };
            }
            let Some((c, strength, 1)) = strongest else {
                continue;
            };
            claims[c] = match claims[c] {
                Some((best, _, _)) if strength > best => Some((strength, 1, at)),
                Some((best, n, first)) if strength == best => Some((best, n + 1, first)),
                Some(kept) => Some(kept),
                None => Some((strength, 1, at)),
            };
        }
        claims
            .into_iter()
            .enumerate()
            .filter_map(|(c, claim)| match claim {
                Some((strength, 1, at)) => Some((at, c, strength)),
                _ => None,
            })
            .collect()
    }
}

/// No key: a device's MAC address or serial that no configuration carries.
const NO_KEY: u32 = u32::MAX;

/// An odd constant that spreads a key's bits over the high half of the product.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// How many configuration keys a part of [`join_by_parts`] holds, about: its map then stays
/// in the core's own cache.
const KEYS_PER_PART: usize = 4096;

/// Joins the configurations' keys (key, configuration place; in descending place) with the
/// devices' (key, where its key goes in `found`), part by part: both sides are split by the
/// high bits of `mix(key)` into parts of about [`KEYS_PER_PART`] configuration keys, and each
/// part joined through one small map, reused, instead of one large map whose every lookup
/// misses the cache (issue #19). Each configuration key gets a [`Key`] (new ones pushed onto
/// `keys`, configurations chained in ascending place), each device key the number of its
/// [`Key`] in `found` (left as it is when no configuration carries it).
fn join_by_parts<K: Copy + Eq + std::hash::Hash>(
    configurations: &[(K, u32)],
    devices: &[(K, u32)],
    mix: impl Fn(K) -> u64,
    keys: &mut Vec<Key>,
    chains: &mut Chains,
    found: &mut [u32],
) {
    let parts = configurations
        .len()
        .div_ceil(KEYS_PER_PART)
        .next_power_of_two()
        .max(MIN_PARTS);
    let part = |key: K| ((mix(key) >> 32) as usize) & (parts - 1);
    let (configurations, configuration_starts) = split_into_parts(configurations, parts, &part);
    let (devices, device_starts) = split_into_parts(devices, parts, &part);
    let mut by_key: HashMap<K, u32> = HashMap::with_capacity(
        configuration_starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .max()
            .unwrap_or(0),
    );
    for p in 0..parts {
        by_key.clear();
        for &(key, c) in &configurations[configuration_starts[p]..configuration_starts[p + 1]] {
            let at = *by_key.entry(key).or_insert_with(|| {
                keys.push(Key::default());
                (keys.len() - 1) as u32
            });
            chains.put_in_front(&mut keys[at as usize].configurations, c as usize);
        }
        for &(key, to) in &devices[device_starts[p]..device_starts[p + 1]] {
            if let (Some(at), Some(slot)) = (by_key.get(&key), found.get_mut(to as usize)) {
                *slot = *at;
            }
        }
    }
}

/// The fewest parts [`join_by_parts`] splits into (more than one in tests, so that the
/// proptests against the plain pass go through the split).
const MIN_PARTS: usize = if cfg!(test) { 4 } else { 1 };

/// The items split into `parts` parts by `part(key)`, each part in input order, and where each
/// part starts (with the end last).
fn split_into_parts<K: Copy>(
    items: &[(K, u32)],
    parts: usize,
    part: &impl Fn(K) -> usize,
) -> (Vec<(K, u32)>, Vec<usize>) {
    let mut starts = vec![0usize; parts + 1];
    for (key, _) in items {
        starts[part(*key) + 1] += 1;
    }
    for p in 0..parts {
        starts[p + 1] += starts[p];
    }
    let mut next = starts.clone();
    let mut split = items.to_vec();
    for &(key, value) in items {
        let to = &mut next[part(key)];
        split[*to] = (key, value);
        *to += 1;
    }
    (split, starts)
}
/// Texts (normalised serials, folded names) as map keys: those of up to 15 bytes packed with
/// their length into two integers, so that a lookup compares them without following a pointer
/// into a text buffer; longer ones as text.
pub(super) struct TextKeys<'a, V> {
    pub(super) short: HashMap<[u64; 2], V>,
    pub(super) long: HashMap<&'a str, V>,
}

impl<V: Copy> TextKeys<'_, V> {
    pub(super) fn with_capacity(short: usize) -> Self {
        Self {
            short: HashMap::with_capacity(short),
            long: HashMap::new(),
        }
    }

    pub(super) fn get(&self, text: &str) -> Option<V> {
        match packed(text) {
            Some(packed) => self.short.get(&packed).copied(),
            None => self.long.get(text).copied(),
        }
    }
}

/// A text of up to 15 bytes as two integers: its bytes, zeros, and its length in the last byte.
/// Read with at most four loads that may overlap, not byte by byte (called for every serial,
/// name and hostname the pass reads; proptested against [`packed_bytewise`]).
pub(super) fn packed(text: &str) -> Option<[u64; 2]> {
    let bytes = text.as_bytes();
    let length = bytes.len();
    let word = |at: usize| -> u64 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let half = |at: usize| -> u64 {
        let mut half = [0u8; 4];
        half.copy_from_slice(&bytes[at..at + 4]);
        u64::from(u32::from_le_bytes(half))
    };
    // Two loads of one width that overlap put the same byte in the same place: or-ed together
    // they give the bytes in order.
    let [low, high] = match length {
        16.. => return None,
        8 => [word(0), 0],
        9..=15 => [word(0), word(length - 8) >> (8 * (16 - length))],
        4..=7 => [half(0) | (half(length - 4) << (8 * (length - 4))), 0],
        _ => {
            let mut low = 0u64;
            for (at, byte) in bytes.iter().enumerate() {
                low |= u64::from(*byte) << (8 * at);
            }
            [low, 0]
        }
    };
    Some([low, high | ((length as u64) << 56)])
}

/// [`packed`] byte by byte.
#[cfg(test)]
fn packed_bytewise(text: &str) -> Option<[u64; 2]> {
    let bytes = text.as_bytes();
    let mut packed = [0u8; 16];
    packed.get_mut(..bytes.len())?.copy_from_slice(bytes);
    *packed.last_mut()? = u8::try_from(bytes.len()).ok().filter(|len| *len < 16)?;
    let [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p] = packed;
    Some([
        u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        u64::from_le_bytes([i, j, k, l, m, n, o, p]),
    ])
}

/// The folded names and hostnames of some configurations: short ones packed, long ones as
/// text.
pub(super) struct FoldedNames<'a> {
    /// (packed name, configuration position), in ascending position.
    pub(super) short: Vec<([u64; 2], u32)>,
    /// (long name, configuration position), in ascending position.
    pub(super) long: Vec<(&'a str, u32)>,
}

impl<'a> FoldedNames<'a> {
    /// The folded names and hostnames of the configurations at these places (folded as they
    /// were read).
    pub(super) fn new(configurations: &'a ConfigurationFacts<'_>, places: &[usize]) -> Self {
        let mut names = Self {
            short: Vec::with_capacity(places.len()),
            long: Vec::new(),
        };
        for &c in places {
            let (name, hostname) = configurations.names[configurations.order[c] as usize];
            for key in [name, hostname] {
                if key == NO_TEXT {
                    continue;
                }
                match configurations.long_names.text(key) {
                    None => names.short.push((key, c as u32)),
                    Some(long) => names.long.push((long, c as u32)),
                }
            }
        }
        names
    }

    /// Configurations by folded name and hostname.
    pub(super) fn index(&self) -> Names<'a> {
        let mut by_name = TextKeys::with_capacity(self.short.len());
        let mut chains = Chains::with_capacity(self.short.len() + self.long.len());
        for &(packed, c) in self.short.iter().rev() {
            chains.put_in_front(by_name.short.entry(packed).or_insert(END), c as usize);
        }
        for &(long, c) in self.long.iter().rev() {
            chains.put_in_front(by_name.long.entry(long).or_insert(END), c as usize);
        }
        Names { by_name, chains }
    }
}

/// Configurations by folded name and hostname.
pub(super) struct Names<'a> {
    pub(super) by_name: TextKeys<'a, u32>,
    pub(super) chains: Chains,
}

impl Names<'_> {
    /// The heads of the chains of configurations named as each of these devices' hostnames:
    /// (device place, packed folded hostname); long hostnames are looked up as they come.
    /// The lookups run in a loop of their own, without waiting for one another.
    pub(super) fn heads_of(&self, devices: &[(u32, [u64; 2])], heads: &mut [u32]) {
        for &(d, packed) in devices {
            if let Some(head) = self.by_name.short.get(&packed) {
                heads[d as usize] = *head;
            }
        }
    }

    /// The head of the chain of configurations with this folded name or hostname.
    pub(super) fn head(&self, folded: &str) -> u32 {
        self.by_name.get(folded).unwrap_or(END)
    }

    /// The configurations (positions, ascending) of the chain at `head`.
    pub(super) fn chain(&self, head: u32) -> impl Iterator<Item = usize> + '_ {
        self.chains.iter(head)
    }
}

pub(super) fn fold_name_into(name: &str, out: &mut String) {
    let trimmed = crate::identifiers::trim(name);
    if trimmed.is_ascii() {
        let start = out.len();
        out.push_str(trimmed);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        out.push_str(&trimmed.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::packed;

    proptest::proptest! {
        /// The packing by overlapping loads packs as the byte-by-byte one, at every length
        /// around the loads' widths.
        #[test]
        fn packing_by_loads_is_packing_byte_by_byte(text in "[a-z0-9\\x00é\\x{10FFFF}]{0,18}") {
            proptest::prop_assert_eq!(packed(&text), super::packed_bytewise(&text));
        }

        /// Two texts of up to 15 bytes pack into the same key exactly when they are the same
        /// text; longer ones do not pack.
        #[test]
        fn packed_texts_are_equal_exactly_when_the_texts_are(
            a in "[ab\\x00é]{0,17}",
            b in "[ab\\x00é]{0,17}",
        ) {
            proptest::prop_assert_eq!(packed(&a).is_some(), a.len() <= 15);
            if let (Some(pa), Some(pb)) = (packed(&a), packed(&b)) {
                proptest::prop_assert_eq!(pa == pb, a == b);
            }
        }
    }
}
