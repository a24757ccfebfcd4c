//! The indexes behind [`match_configurations`](super::match_configurations): configurations by
//! MAC address, serial number and folded name, kept as positions in the sorted inputs (no map
//! keyed by uid strings), and the evidence linking each open device to them.

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
    /// The links of the devices whose decision is [`Decision::Open`]; `place` gives each input
    /// device's place in uid order ([`NOWHERE`] for a repeated uid).
    pub(super) fn new(
        devices: &[Device],
        place: &[u32],
        decisions: &[Decision],
        configurations: &[&Configuration],
        open_configurations: &[usize],
        policy: &IdentifierPolicy,
    ) -> Self {
        let shared: Vec<MacAddress> = policy
            .shared_mac_addresses
            .iter()
            .filter_map(|text| MacAddress::read(text))
            .collect();
        // `IdentifierPolicy::identifies_a_device` with the tenant's list parsed once.
        let identifies =
            |mac: &MacAddress| mac.is_unique_hardware_address() && !shared.contains(mac);

        // The configurations' serials, normalised into one buffer the serial map then borrows.
        // Sized for one key of about 16 bytes per configuration: no growth on the way.
        let mut serial_text = String::with_capacity(open_configurations.len() * 16);
        let mut serial_spans: Vec<(usize, usize, usize)> =
            Vec::with_capacity(open_configurations.len());
        for &c in open_configurations {
            if let Some(raw) = configurations[c].serial_number.as_deref()
                && let Some(start) = serial::normalize_into(raw, policy, &mut serial_text)
            {
                serial_spans.push((c, start, serial_text.len()));
            }
        }

        let mut keys: Vec<Key> = Vec::with_capacity(open_configurations.len() * 2);
        let mut chains = Chains::with_capacity(open_configurations.len() * 2);
        let mut by_mac: HashMap<MacAddress, u32> =
            HashMap::with_capacity(open_configurations.len());
        let mut macs: Vec<MacAddress> = Vec::new();
        for &c in open_configurations.iter().rev() {
            macs.clear();
            macs.extend(
                configurations[c]
                    .mac_addresses
                    .iter()
                    .filter_map(|m| MacAddress::read(m))
                    .filter(|m| identifies(m)),
            );
            macs.sort_unstable();
            macs.dedup();
            for mac in &macs {
                let key = *by_mac.entry(*mac).or_insert_with(|| {
                    keys.push(Key::default());
                    (keys.len() - 1) as u32
                });
                chains.put_in_front(&mut keys[key as usize].configurations, c);
            }
        }
        let mut by_serial: HashMap<&str, u32> = HashMap::with_capacity(serial_spans.len());
        for &(c, start, end) in serial_spans.iter().rev() {
            let key = *by_serial
                .entry(&serial_text[start..end])
                .or_insert_with(|| {
                    keys.push(Key::default());
                    (keys.len() - 1) as u32
                });
            chains.put_in_front(&mut keys[key as usize].configurations, c);
        }

        // Each open device's keys, parsed once, in input order: its MACs' keys, then its
        // serials' keys.
        let mut device_keys: Vec<u32> = Vec::with_capacity(devices.len() * 2);
        let mut key_spans: Vec<(usize, usize, usize, usize)> = Vec::with_capacity(devices.len());
        let mut serial_keys: Vec<u32> = Vec::new();
        let mut normalised = String::new();
        for (device, &d) in devices.iter().zip(place) {
            if decisions.get(d as usize) != Some(&Decision::Open) {
                continue;
            }
            macs.clear();
            macs.extend(
                device
                    .mac_addresses()
                    .filter_map(MacAddress::read)
                    .filter(|m| identifies(m)),
            );
            macs.sort_unstable();
            macs.dedup();
            let start = device_keys.len();
            device_keys.extend(macs.iter().filter_map(|mac| by_mac.get(mac).copied()));
            let macs_end = device_keys.len();
            serial_keys.clear();
            for raw in &device.serial_numbers {
                normalised.clear();
                if serial::normalize_into(raw, policy, &mut normalised).is_some()
                    && let Some(key) = by_serial.get(normalised.as_str())
                {
                    serial_keys.push(*key);
                }
            }
            serial_keys.sort_unstable();
            serial_keys.dedup();
            device_keys.extend_from_slice(&serial_keys);
            for key in &device_keys[start..] {
                keys[*key as usize].devices += 1;
            }
            if device_keys.len() > start {
                key_spans.push((d as usize, start, macs_end, device_keys.len()));
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

/// The folded names and hostnames of configurations, in one buffer.
pub(super) struct FoldedNames {
    pub(super) text: String,
    /// (configuration position, start, end in `text`), in ascending position.
    pub(super) spans: Vec<(usize, usize, usize)>,
}

impl FoldedNames {
    pub(super) fn new(configurations: &[&Configuration], open_configurations: &[usize]) -> Self {
        let mut text = String::with_capacity(open_configurations.len() * 16);
        let mut spans = Vec::with_capacity(open_configurations.len());
        for &c in open_configurations {
            let configuration = configurations[c];
            let start = text.len();
            fold_name_into(&configuration.name, &mut text);
            let name_end = text.len();
            if name_end > start {
                spans.push((c, start, name_end));
            }
            if let Some(hostname) = configuration.hostname.as_deref() {
                fold_name_into(hostname, &mut text);
                let end = text.len();
                if end == name_end || text.get(start..name_end) == text.get(name_end..end) {
                    text.truncate(name_end);
                } else {
                    spans.push((c, name_end, end));
                }
            }
        }
        Self { text, spans }
    }

    /// Configurations by folded name and hostname.
    pub(super) fn index(&self) -> Names<'_> {
        let mut by_name: HashMap<&str, u32> = HashMap::with_capacity(self.spans.len());
        let mut chains = Chains::with_capacity(self.spans.len());
        for &(c, start, end) in self.spans.iter().rev() {
            let head = by_name.entry(&self.text[start..end]).or_insert(END);
            chains.put_in_front(head, c);
        }
        Names { by_name, chains }
    }
}

/// Configurations by folded name and hostname.
pub(super) struct Names<'a> {
    pub(super) by_name: HashMap<&'a str, u32>,
    pub(super) chains: Chains,
}

impl Names<'_> {
    /// The head of the chain of configurations with this folded name or hostname.
    pub(super) fn head(&self, folded: &str) -> u32 {
        self.by_name.get(folded).copied().unwrap_or(END)
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
