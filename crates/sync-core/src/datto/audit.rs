//! The facts of a Datto RMM device audit that the matchers use.

use serde::{Deserialize, Serialize};

/// The facts of a device audit the IT Glue matcher uses (fetching an audit is one API call per
/// device, so the engine caches them in the store next to the device's `lastAuditDate`).
///
/// ```
/// use sync_core::datto::AuditFacts;
///
/// let facts = AuditFacts {
///     serial_numbers: vec!["5CD1234XYZ".into()],
///     ..AuditFacts::default()
/// };
/// assert!(facts.mac_addresses.is_empty());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFacts {
    /// Serial numbers as the audit gives them (BIOS serial, service tag, SNMP serial).
    pub serial_numbers: Vec<String>,
    /// MAC addresses of the device's network interfaces.
    pub mac_addresses: Vec<String>,
    /// The system manufacturer.
    pub manufacturer: Option<String>,
    /// The system model.
    pub model: Option<String>,
    /// The network interfaces with their names and addresses (absent from facts kept before
    /// they were recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<crate::itglue::NetworkInterface>,
    /// Processors, cores, memory and disks from the audit, for the configuration's notes block
    /// (the other RMM facts come from the device listing).
    #[serde(default, skip_serializing_if = "crate::itglue::RmmFacts::is_empty")]
    pub hardware: crate::itglue::RmmFacts,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_facts_keep_their_serialised_form() {
        let facts = AuditFacts {
            serial_numbers: vec!["S1".into()],
            mac_addresses: vec!["00:11:22:33:44:55".into()],
            manufacturer: Some("Dell Inc.".into()),
            model: None,
            ..AuditFacts::default()
        };
        let json = serde_json::to_string(&facts).unwrap();
        assert_eq!(
            json,
            r#"{"serial_numbers":["S1"],"mac_addresses":["00:11:22:33:44:55"],"manufacturer":"Dell Inc.","model":null}"#
        );
        assert_eq!(serde_json::from_str::<AuditFacts>(&json).unwrap(), facts);
        // Interfaces and hardware, recorded since, round-trip beside the older fields.
        let fuller = AuditFacts {
            interfaces: vec![crate::itglue::NetworkInterface {
                name: Some("Ethernet".into()),
                ipv4: Some("10.0.0.5".into()),
                ipv6: None,
                mac_address: Some("00:11:22:33:44:55".into()),
            }],
            hardware: crate::itglue::RmmFacts {
                memory_bytes: Some(8 << 30),
                ..crate::itglue::RmmFacts::default()
            },
            ..facts
        };
        let json = serde_json::to_string(&fuller).unwrap();
        assert_eq!(serde_json::from_str::<AuditFacts>(&json).unwrap(), fuller);
    }
}
