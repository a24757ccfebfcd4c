//! MAC addresses in every common notation.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A 48-bit MAC address. Parsed from colons (`00:1a:2b:3c:4d:5e`, also with one-digit groups
/// `0:1a:2b:3c:4d:5e`), dashes (`00-1A-2B-3C-4D-5E`), Cisco dots (`001a.2b3c.4d5e`) or bare hex
/// (`001A2B3C4D5E`), in any case and with blanks around it; written as `00:1A:2B:3C:4D:5E`
/// (17 characters, IT Glue's limit for `mac-address`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddress([u8; 6]);

/// The text is not a MAC address in a notation [`MacAddress`] reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a MAC address: {0:?}")]
pub struct InvalidMacAddress(pub String);

/// MAC addresses that many unrelated machines report, so they identify nothing. Prefixes of
/// fewer than six bytes cover every address starting with them.
pub const SHARED_MAC_ADDRESSES: &[(&[u8], &str)] = &[
    (
        &[0x02, 0x00, 0x4C, 0x4F, 0x4F, 0x50],
        "Microsoft loopback adapter",
    ),
    (
        &[0x00, 0x05, 0x9A, 0x3C, 0x7A, 0x00],
        "Cisco AnyConnect virtual adapter",
    ),
    (
        &[0x02, 0x50, 0x41, 0x00, 0x00, 0x01],
        "Palo Alto GlobalProtect virtual adapter",
    ),
    (
        &[0x00, 0x09, 0x0F, 0xFE, 0x00, 0x01],
        "FortiClient virtual adapter",
    ),
    (
        &[0x00, 0x50, 0x56, 0xC0, 0x00, 0x01],
        "VMware Workstation VMnet1 host adapter",
    ),
    (
        &[0x00, 0x50, 0x56, 0xC0, 0x00, 0x08],
        "VMware Workstation VMnet8 host adapter",
    ),
    (
        &[0x0A, 0x00, 0x27, 0x00, 0x00],
        "VirtualBox host-only adapters",
    ),
    (
        &[0x20, 0x41, 0x53, 0x59, 0x4E, 0xFF],
        "Windows RAS async adapter",
    ),
    (
        &[0x50, 0x50, 0x54, 0x50, 0x30, 0x30],
        "Windows WAN miniport (PPTP)",
    ),
    (
        &[0xAC, 0xDE, 0x48, 0x00, 0x11, 0x22],
        "Apple T2 iBridge interface",
    ),
    (
        &[0x02, 0x00, 0x00, 0x00, 0x00, 0x00],
        "Android privacy placeholder",
    ),
    (
        &[0x00, 0x11, 0x22, 0x33, 0x44, 0x55],
        "unprogrammed network card default",
    ),
];

impl MacAddress {
    /// Reads a MAC address in any common notation.
    pub fn parse(text: &str) -> Result<Self, InvalidMacAddress> {
        Self::read(text).ok_or_else(|| InvalidMacAddress(text.chars().take(64).collect()))
    }

    /// [`MacAddress::parse`] without the error, so a refused text costs no allocation
    /// (configuration matching reads every MAC address of an account, issue #19).
    pub(crate) fn read(text: &str) -> Option<Self> {
        read_octets(super::trim(text).as_bytes()).map(Self)
    }

    /// The six bytes.
    pub fn octets(&self) -> [u8; 6] {
        self.0
    }

    /// Twelve upper-case hex digits without separators (Datto RMM's lookup notation).
    pub fn to_bare_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02X}")).collect()
    }

    /// Whether the address can belong to one network card: not all zeros, not a broadcast or
    /// multicast address, and not a known shared virtual adapter.
    pub fn is_unique_hardware_address(&self) -> bool {
        let all_zero = self.0 == [0; 6];
        let group = self.0[0] & 0x01 == 0x01; // multicast, broadcast included
        // Byte by byte rather than `starts_with`: no call per listed adapter.
        let shared = SHARED_MAC_ADDRESSES.iter().any(|(prefix, _)| {
            prefix.len() <= self.0.len() && prefix.iter().zip(self.0).all(|(a, b)| *a == b)
        });
        !all_zero && !group && !shared
    }
}

/// The separator classes of the notations: colons and dashes (two-digit groups), Cisco dots
/// (four-digit groups).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Separator {
    Colon,
    Dot,
}

/// Reads the twelve hex digits of the notations [`MacAddress::parse`] accepts in one pass over
/// the bytes, into an integer: colons or dashes between six groups of one or two digits, dots
/// between three groups of four, or twelve bare digits.
fn read_octets(text: &[u8]) -> Option<[u8; 6]> {
    read_pairs(text).or_else(|| read_any(text))
}

/// [`read_octets`] without the shortcut for the usual notation.
fn read_any(text: &[u8]) -> Option<[u8; 6]> {
    let mut separator: Option<Separator> = None;
    let mut value: u64 = 0;
    // The current group: its digits as a number, and how many there are.
    let mut group: u64 = 0;
    let mut digits = 0u32;
    let mut groups = 0u32;
    for &byte in text {
        let found = match byte {
            b':' | b'-' => Separator::Colon,
            b'.' => Separator::Dot,
            _ => {
                digits += 1;
                if digits > 12 {
                    return None;
                }
                group = (group << 4) | u64::from(hex_value(byte)?);
                continue;
            }
        };
        if separator.is_some_and(|known| known != found) {
            return None;
        }
        separator = Some(found);
        value = close_group(value, group, digits, found)?;
        groups += 1;
        group = 0;
        digits = 0;
    }
    let value = match separator {
        None if digits == 12 => group,
        None => return None,
        Some(found) => {
            let wanted = if found == Separator::Colon { 6 } else { 3 };
            if groups + 1 != wanted {
                return None;
            }
            close_group(value, group, digits, found)?
        }
    };
    let [_, _, a, b, c, d, e, f] = value.to_be_bytes();
    Some([a, b, c, d, e, f])
}

/// The usual notation alone, without a loop over the bytes: six groups of two hex digits
/// separated by colons or dashes, 17 bytes (configuration matching reads hundreds of thousands,
/// issue #19). `None` for anything else, which [`read_octets`] then reads in full.
fn read_pairs(text: &[u8]) -> Option<[u8; 6]> {
    let text: &[u8; 17] = text.try_into().ok()?;
    let separators = [text[2], text[5], text[8], text[11], text[14]];
    if !separators.iter().all(|s| matches!(s, b':' | b'-')) {
        return None;
    }
    let mut octets = [0u8; 6];
    for (octet, pair) in octets.iter_mut().zip(text.chunks(3)) {
        let high = HEX_VALUES[usize::from(pair[0])];
        let low = HEX_VALUES[usize::from(pair[1])];
        if (high | low) == NOT_HEX {
            return None;
        }
        *octet = (high << 4) | low;
    }
    Some(octets)
}

/// Not a hex digit, in [`HEX_VALUES`] (its bits cover every digit's).
const NOT_HEX: u8 = 0xFF;

/// The value of every byte that is a hex digit, [`NOT_HEX`] for the others.
const HEX_VALUES: [u8; 256] = {
    let mut values = [NOT_HEX; 256];
    let mut byte = 0;
    while byte < 256 {
        values[byte] = match byte as u8 {
            digit @ b'0'..=b'9' => digit - b'0',
            digit @ b'a'..=b'f' => digit - b'a' + 10,
            digit @ b'A'..=b'F' => digit - b'A' + 10,
            _ => NOT_HEX,
        };
        byte += 1;
    }
    values
};

/// `value` with one more group of `digits` hex digits appended, if that group has a length the
/// separator allows.
fn close_group(value: u64, group: u64, digits: u32, separator: Separator) -> Option<u64> {
    match (separator, digits) {
        (Separator::Colon, 1 | 2) => Some((value << 8) | group),
        (Separator::Dot, 4) => Some((value << 16) | group),
        _ => None,
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02X}:{b:02X}:{c:02X}:{d:02X}:{e:02X}:{g:02X}")
    }
}

impl FromStr for MacAddress {
    type Err = InvalidMacAddress;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for MacAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MacAddress {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser [`read_octets`] replaced (split on the separators, then the digits): the
    /// reference it is tested against.
    fn parse_groups(text: &str) -> Option<[u8; 6]> {
        let mut digits = [0u8; 12];
        let mut count = 0;
        let mut push = |bytes: &[u8]| {
            let end = count + bytes.len();
            digits.get_mut(count..end)?.copy_from_slice(bytes);
            count = end;
            Some(())
        };
        if text.contains(':') || text.contains('-') {
            let mut groups = 0;
            for group in text.split([':', '-']) {
                groups += 1;
                if groups > 6 || !(1..=2).contains(&group.len()) {
                    return None;
                }
                if group.len() == 1 {
                    push(b"0")?;
                }
                push(group.as_bytes())?;
            }
            if groups != 6 {
                return None;
            }
        } else if text.contains('.') {
            let mut groups = 0;
            for group in text.split('.') {
                groups += 1;
                if groups > 3 || group.len() != 4 {
                    return None;
                }
                push(group.as_bytes())?;
            }
            if groups != 3 {
                return None;
            }
        } else if text.len() == 12 {
            push(text.as_bytes())?;
        } else {
            return None;
        }
        if count != 12 {
            return None;
        }
        let mut octets = [0u8; 6];
        for (octet, pair) in octets.iter_mut().zip(digits.chunks(2)) {
            let high = old_hex_value(*pair.first()?)?;
            let low = old_hex_value(*pair.get(1)?)?;
            *octet = (high << 4) | low;
        }
        Some(octets)
    }

    fn old_hex_value(digit: u8) -> Option<u8> {
        char::from(digit)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    }

    proptest::proptest! {
        /// The shortcut for six two-digit groups reads what the full reader reads, on that
        /// notation and near misses of it (other separators, mixed ones, odd bytes, lengths).
        #[test]
        fn the_shortcut_for_the_usual_notation_reads_what_the_full_reader_reads(
            text in "[0-9a-fA-Fg]{2}([:.-][0-9a-fG]{2}){5}|[0-9a-fA-F]{2}([:-][0-9a-fA-F]{1,2}){5}|([0-9a-fA-F:.-]|é){15,19}",
        ) {
            proptest::prop_assert_eq!(read_octets(text.as_bytes()), read_any(text.as_bytes()), "{:?}", text);
            if let Some(octets) = read_pairs(text.as_bytes()) {
                proptest::prop_assert_eq!(Some(octets), parse_groups(&text));
            }
        }

        /// The one-pass reader accepts what the splitting parser accepts and reads the same
        /// address, on addresses in every notation, near misses and odd text.
        #[test]
        fn the_one_pass_reader_reads_what_the_splitting_parser_reads(
            text in "[ \t]?([0-9a-fA-F]{1,3}[:.-]){0,6}[0-9a-fA-F]{0,5}[ \t]?|[0-9a-fA-F]{10,14}|[0-9a-fA-F.:-]{0,20}|(\\PC|[0-9a-f:.-]){0,20}|\u{a0}?[0-9A-F]{2}(-[0-9A-F]{2}){5}\u{2003}?",
        ) {
            proptest::prop_assert_eq!(
                MacAddress::read(&text).map(|m| m.0),
                parse_groups(text.trim()),
                "{:?}", text
            );
        }
    }

    #[test]
    fn every_common_notation_reads_the_same_address() {
        let expected = MacAddress([0x00, 0x1A, 0x2B, 0x3C, 0x4D, 0x5E]);
        for text in [
            "00:1a:2b:3c:4d:5e",
            "00-1A-2B-3C-4D-5E",
            "001a.2b3c.4d5e",
            "001A2B3C4D5E",
            " 0:1a:2b:3c:4d:5e ",
        ] {
            assert_eq!(MacAddress::parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for text in [
            "",
            "00:1a:2b:3c:4d",
            "00:1a:2b:3c:4d:5e:6f",
            "001a2b3c4d5g",
            "18-5E-0F-ED-99-9J",
            "001:a2:b3:c4:d5:e6",
            "0000.0000.000",
        ] {
            assert!(MacAddress::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn zero_broadcast_multicast_and_shared_addresses_identify_nothing() {
        for text in [
            "00:00:00:00:00:00",
            "FF:FF:FF:FF:FF:FF",
            "01:00:5E:00:00:FB",
            "02:00:4C:4F:4F:50",
            "0A:00:27:00:00:07",
            "33:50:6F:45:30:30",
        ] {
            assert!(
                !MacAddress::parse(text)
                    .unwrap()
                    .is_unique_hardware_address(),
                "{text}"
            );
        }
        assert!(
            MacAddress::parse("00:1A:2B:3C:4D:5E")
                .unwrap()
                .is_unique_hardware_address()
        );
    }

    #[test]
    fn written_with_colons_in_upper_case() {
        let mac = MacAddress::parse("001a2b3c4d5e").unwrap();
        assert_eq!(mac.to_string(), "00:1A:2B:3C:4D:5E");
        assert_eq!(mac.to_bare_hex(), "001A2B3C4D5E");
        assert_eq!(
            serde_json::to_string(&mac).unwrap(),
            "\"00:1A:2B:3C:4D:5E\""
        );
    }
}
