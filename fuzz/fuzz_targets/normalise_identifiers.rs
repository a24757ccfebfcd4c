//! Any text through company-name normalisation, MAC and serial parsing and organization
//! matching: no panic, and normalisation is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sync_core::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};
use sync_core::itglue::{MatchOptions, Organization, OrganizationId, OrganizationIndex};
use sync_core::names::normalize_company_name;

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    let name = normalize_company_name(&text);
    assert_eq!(normalize_company_name(&name.key).key, name.key);
    if let Ok(mac) = MacAddress::parse(&text) {
        assert_eq!(MacAddress::parse(&mac.to_string()), Ok(mac));
    }
    let policy = IdentifierPolicy::default();
    if let Some(serial) = SerialNumber::normalize(&text, &policy) {
        assert_eq!(SerialNumber::normalize(serial.as_str(), &policy), Some(serial));
    }
    let (left, right) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    let index = OrganizationIndex::new([
        Organization { id: OrganizationId(1), name: left.to_owned() },
        Organization { id: OrganizationId(2), name: right.to_owned() },
    ]);
    let _ = index.evaluate(&text, &MatchOptions::default());
});
