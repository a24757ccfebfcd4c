//! Properties of MAC address and serial number normalisation.

use proptest::prelude::*;
use sync_core::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};

/// The address written in every notation `MacAddress` reads, in the given case.
fn notations(octets: [u8; 6], upper: bool) -> Vec<String> {
    let hex: Vec<String> = octets.iter().map(|b| format!("{b:02x}")).collect();
    let unpadded: Vec<String> = octets.iter().map(|b| format!("{b:x}")).collect();
    let all = vec![
        hex.join(":"),
        hex.join("-"),
        format!(
            "{}{}.{}{}.{}{}",
            hex[0], hex[1], hex[2], hex[3], hex[4], hex[5]
        ),
        hex.concat(),
        unpadded.join(":"),
        format!("  {}\t", hex.join(":")),
    ];
    all.into_iter()
        .map(|n| if upper { n.to_uppercase() } else { n })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_mac_notation_of_one_address_gives_one_key(octets in any::<[u8; 6]>(), upper in any::<bool>()) {
        for text in notations(octets, upper) {
            let parsed = MacAddress::parse(&text);
            prop_assert_eq!(parsed.map(|m| m.octets()), Ok(octets), "{}", text);
        }
    }

    #[test]
    fn a_mac_reads_back_from_its_written_form(octets in any::<[u8; 6]>()) {
        let mac = MacAddress::parse(&notations(octets, false)[0]).unwrap();
        prop_assert_eq!(MacAddress::parse(&mac.to_string()), Ok(mac));
        prop_assert_eq!(mac.to_string().len(), 17);
    }

    #[test]
    fn mac_parsing_never_panics(text in "\\PC{0,30}") {
        let _ = MacAddress::parse(&text);
    }

    #[test]
    fn serial_normalisation_is_idempotent(raw in "\\PC{0,24}") {
        let policy = IdentifierPolicy::default();
        if let Some(serial) = SerialNumber::normalize(&raw, &policy) {
            let again = SerialNumber::normalize(serial.as_str(), &policy);
            prop_assert_eq!(again.as_ref(), Some(&serial));
        }
    }
}
