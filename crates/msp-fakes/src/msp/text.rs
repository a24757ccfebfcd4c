//! Text helpers of the generator: MAC address notations, legal suffixes, site tags, slugs.

use super::vocabulary::LEGAL_SUFFIXES;

/// Notation 0..100: how the device reports its MAC addresses.
pub(super) fn format_mac(mac: &[u8; 6], notation: u32) -> String {
    match notation {
        0..=44 => format!(
            "{:02X}:{:02X}:{:02X}:{:02X}:{:02X}:{:02X}",
            mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
        ),
        45..=64 => format!(
            "{:02X}-{:02X}-{:02X}-{:02X}-{:02X}-{:02X}",
            mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
        ),
        65..=79 => format!(
            "{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}",
            mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
        ),
        80..=91 => format!(
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
        ),
        _ => format!(
            "{:02x}{:02x}.{:02x}{:02x}.{:02x}{:02x}",
            mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]
        ),
    }
}

pub(super) fn strip_legal_suffix(name: &str) -> String {
    let mut best = name;
    for suffix in LEGAL_SUFFIXES {
        if let Some(stripped) = name.strip_suffix(suffix)
            && let Some(stripped) = stripped.strip_suffix(' ')
            && stripped.len() < best.len()
        {
            best = stripped;
        }
    }
    best.trim_end_matches(',').to_owned()
}

/// A short upper-case tag for a site, used as hostname prefix: `Northwind Logistics` → `NORTH`.
pub(super) fn site_tag(name: &str) -> String {
    let letters: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(5)
        .collect::<String>()
        .to_uppercase();
    if letters.is_empty() {
        "SITE".to_owned()
    } else {
        letters
    }
}

pub(super) fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}
