//! What [`match_configurations`](super::match_configurations) reads of the devices and the
//! configurations, read in **one pass over each input, in input order** (the order they lie in
//! memory) into compact vectors (issue #19). A `Device` is over 600 bytes and a `Configuration`
//! 400, with the fields the pass reads spread over several cache lines; reading each input once
//! and working on the compact copy afterwards is what keeps the pass from waiting on memory.
//!
//! MAC addresses are kept as `u64` keys, serial numbers normalised (placeholders dropped) and
//! names and hostnames folded as [`TextKey`]s, and each device's uid copied for its result:
//! done while the record's strings are in cache, not on a later walk that would miss on each
//! of them again (issue #19). Uids (for the sort) and markers stay slices of the inputs.

use super::links::fold_name_into;
use super::*;

/// A normalised text as a map key: one of up to 15 bytes [`packed`], or a longer one as
/// `[its number among the long texts, LONG]`. No packed text ends in `LONG` (the last byte of a
/// packed text is its length).
pub(super) type TextKey = [u64; 2];

/// The second half of the [`TextKey`] of a long text.
pub(super) const LONG: u64 = u64::MAX;

/// No text: the packed empty text, which no normalised serial is.
pub(super) const NO_TEXT: TextKey = [0, 0];

/// The texts longer than 15 bytes, in one buffer.
#[derive(Default)]
pub(super) struct LongTexts {
    text: String,
    ends: Vec<usize>,
}

impl LongTexts {
    /// The key of this text, kept here when it is long.
    fn key(&mut self, text: &str) -> TextKey {
        packed(text).unwrap_or_else(|| {
            self.text.push_str(text);
            self.ends.push(self.text.len());
            [(self.ends.len() - 1) as u64, LONG]
        })
    }

    /// The long text of a key (`None` for a packed one).
    pub(super) fn text(&self, key: TextKey) -> Option<&str> {
        let [at, LONG] = key else {
            return None;
        };
        let at = usize::try_from(at).ok()?;
        let start = match at.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..*self.ends.get(at)?)
    }
}

/// The tenant's shared MAC addresses, parsed once per pass; with the built-in list,
/// [`IdentifierPolicy::identifies_a_device`].
pub(super) struct SharedMacs(Vec<MacAddress>);

impl SharedMacs {
    pub(super) fn of(policy: &IdentifierPolicy) -> Self {
        Self(
            policy
                .shared_mac_addresses
                .iter()
                .filter_map(|text| MacAddress::read(text))
                .collect(),
        )
    }

    /// Appends the keys of the MAC addresses among `texts` that identify a device, sorted and
    /// without repeats, after the keys already in `keys`.
    fn read_into<'t>(&self, texts: impl Iterator<Item = &'t str>, keys: &mut Vec<u64>) {
        let start = keys.len();
        keys.extend(
            texts
                .filter_map(MacAddress::read)
                .filter(|mac| mac.is_unique_hardware_address() && !self.0.contains(mac))
                .map(mac_key),
        );
        sort_and_dedup_from(keys, start);
    }
}

/// What the pass reads of each device, by input position.
pub(super) struct DeviceFacts<'a> {
    /// (the uid's first eight bytes as an integer, input position), in input order.
    pub(super) heads: Vec<(u64, u32)>,
    pub(super) uids: Vec<&'a str>,
    /// The uids copied, by input position, for the results.
    pub(super) owned: Vec<DeviceUid>,
    /// The folded hostnames ([`fold_name_into`]): packed, or kept in `long_hostnames`.
    pub(super) hostnames: Vec<TextKey>,
    pub(super) long_hostnames: LongTexts,
    /// The MAC keys of every device: each device's sorted, without repeats.
    pub(super) macs: Vec<u64>,
    /// The normalised serials of every device, placeholders left out.
    pub(super) serials: Vec<TextKey>,
    pub(super) long_serials: LongTexts,
    /// Where each device's MACs and serials end in `macs` and `serials`.
    pub(super) ends: Vec<(u32, u32)>,
}

impl<'a> DeviceFacts<'a> {
    pub(super) fn read<D: Borrow<Device>>(
        devices: &'a [D],
        policy: &IdentifierPolicy,
        shared: &SharedMacs,
    ) -> Self {
        let mut facts = Self {
            heads: Vec::with_capacity(devices.len()),
            uids: Vec::with_capacity(devices.len()),
            owned: Vec::with_capacity(devices.len()),
            hostnames: Vec::with_capacity(devices.len()),
            long_hostnames: LongTexts::default(),
            macs: Vec::with_capacity(devices.len() * 2),
            serials: Vec::with_capacity(devices.len()),
            long_serials: LongTexts::default(),
            ends: Vec::with_capacity(devices.len()),
        };
        let (mut normalised, mut folded) = (String::new(), String::new());
        for (at, device) in devices.iter().enumerate() {
            let device: &'a Device = device.borrow();
            let uid = device.uid.as_str();
            facts.heads.push((head(uid), at as u32));
            facts.uids.push(uid);
            facts.owned.push(device.uid.clone());
            // Folded and copied now, while the device's strings are in cache (issue #19).
            folded.clear();
            fold_name_into(&device.hostname, &mut folded);
            facts.hostnames.push(facts.long_hostnames.key(&folded));
            shared.read_into(device.mac_addresses(), &mut facts.macs);
            for raw in &device.serial_numbers {
                normalised.clear();
                if serial::normalize_into(raw, policy, &mut normalised).is_some() {
                    let key = facts.long_serials.key(&normalised);
                    facts.serials.push(key);
                }
            }
            facts
                .ends
                .push((facts.macs.len() as u32, facts.serials.len() as u32));
        }
        facts
    }

    /// The MACs and serials of the device at input position `at`.
    pub(super) fn keys(&self, at: usize) -> (&[u64], &[TextKey]) {
        let (macs_start, serials_start) = match at.checked_sub(1) {
            Some(before) => self.ends[before],
            None => (0, 0),
        };
        let (macs_end, serials_end) = self.ends[at];
        (
            &self.macs[macs_start as usize..macs_end as usize],
            &self.serials[serials_start as usize..serials_end as usize],
        )
    }
}

/// A uid's first eight bytes as an integer (zeros after a shorter uid): ordered as the uids
/// are where two heads differ.
pub(super) fn head(uid: &str) -> u64 {
    let mut head = [0u8; 8];
    for (to, from) in head.iter_mut().zip(uid.bytes()) {
        *to = from;
    }
    u64::from_be_bytes(head)
}

/// What the pass reads of each configuration.
pub(super) struct ConfigurationFacts<'a> {
    /// The input positions of the configurations in id order, the first of each id only: a
    /// configuration's *place* is its index here.
    pub(super) order: Vec<u32>,
    /// The ids, by place.
    pub(super) ids: Vec<ConfigurationId>,
    /// (input position, marked device uid) of the configurations carrying an RMM marker, in
    /// input order.
    pub(super) markers: Vec<(u32, &'a str)>,
    /// The folded name and the folded hostname ([`fold_name_into`]; [`NO_TEXT`] for none or
    /// one folded as the name), by input position; packed, or kept in `long_names`.
    pub(super) names: Vec<(TextKey, TextKey)>,
    pub(super) long_names: LongTexts,
    /// The MAC keys of every configuration: each configuration's sorted, without repeats.
    pub(super) macs: Vec<u64>,
    /// Where each configuration's MACs end in `macs`, by input position.
    pub(super) macs_ends: Vec<u32>,
    /// The normalised serial ([`NO_TEXT`] for none or a placeholder), by input position.
    pub(super) serials: Vec<TextKey>,
    pub(super) long_serials: LongTexts,
}

impl<'a> ConfigurationFacts<'a> {
    pub(super) fn read(
        configurations: &'a [Configuration],
        policy: &IdentifierPolicy,
        shared: &SharedMacs,
    ) -> Self {
        let count = configurations.len();
        let mut ids: Vec<(ConfigurationId, u32)> = Vec::with_capacity(count);
        let mut facts = Self {
            order: Vec::new(),
            ids: Vec::new(),
            markers: Vec::new(),
            names: Vec::with_capacity(count),
            long_names: LongTexts::default(),
            macs: Vec::with_capacity(count),
            macs_ends: Vec::with_capacity(count),
            serials: Vec::with_capacity(count),
            long_serials: LongTexts::default(),
        };
        let (mut normalised, mut name, mut hostname) =
            (String::new(), String::new(), String::new());
        for (at, configuration) in configurations.iter().enumerate() {
            ids.push((configuration.id, at as u32));
            if let Some(uid) = configuration.installed_by.as_deref().and_then(marked_uid) {
                facts.markers.push((at as u32, uid));
            }
            // Folded now, while the configuration's strings are in cache (issue #19).
            name.clear();
            fold_name_into(&configuration.name, &mut name);
            hostname.clear();
            if let Some(raw) = configuration.hostname.as_deref() {
                fold_name_into(raw, &mut hostname);
            }
            let name_key = facts.long_names.key(&name);
            let hostname_key = if hostname.is_empty() || hostname == name {
                NO_TEXT
            } else {
                facts.long_names.key(&hostname)
            };
            facts.names.push((name_key, hostname_key));
            shared.read_into(
                configuration.mac_addresses.iter().map(String::as_str),
                &mut facts.macs,
            );
            facts.macs_ends.push(facts.macs.len() as u32);
            normalised.clear();
            let serial = match configuration.serial_number.as_deref() {
                Some(raw) if serial::normalize_into(raw, policy, &mut normalised).is_some() => {
                    facts.long_serials.key(&normalised)
                }
                _ => NO_TEXT,
            };
            facts.serials.push(serial);
        }
        ids.sort_unstable();
        ids.dedup_by_key(|(id, _)| *id);
        facts.ids = ids.iter().map(|(id, _)| *id).collect();
        facts.order = ids.into_iter().map(|(_, at)| at).collect();
        facts
    }

    /// The MACs of the configuration at input position `at`.
    pub(super) fn macs_of(&self, at: usize) -> &[u64] {
        let start = match at.checked_sub(1) {
            Some(before) => self.macs_ends[before],
            None => 0,
        };
        &self.macs[start as usize..self.macs_ends[at] as usize]
    }
}

/// Sorts the items of `items` from `start` on and drops their repeats, leaving those before
/// `start` as they are.
pub(super) fn sort_and_dedup_from<T: Ord + Copy>(items: &mut Vec<T>, start: usize) {
    let Some(tail) = items.get_mut(start..) else {
        return;
    };
    if tail.len() < 2 {
        return;
    }
    tail.sort_unstable();
    let mut kept = start + 1;
    for at in start + 1..items.len() {
        if items[at] != items[kept - 1] {
            items[kept] = items[at];
            kept += 1;
        }
    }
    items.truncate(kept);
}

/// A MAC address as a map key.
fn mac_key(mac: MacAddress) -> u64 {
    let [a, b, c, d, e, f] = mac.octets();
    u64::from_be_bytes([0, 0, a, b, c, d, e, f])
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A long text's key gives the text back; a short one is packed and has none.
        #[test]
        fn long_texts_are_kept_and_found(texts in proptest::collection::vec("[ab]{0,20}", 0..8)) {
            let mut long = LongTexts::default();
            let keys: Vec<TextKey> = texts.iter().map(|text| long.key(text)).collect();
            for (text, key) in texts.iter().zip(keys) {
                if text.len() <= 15 {
                    proptest::prop_assert_eq!(Some(key), packed(text));
                    proptest::prop_assert_eq!(long.text(key), None);
                } else {
                    proptest::prop_assert_eq!(long.text(key), Some(text.as_str()));
                }
            }
        }
    }
}
