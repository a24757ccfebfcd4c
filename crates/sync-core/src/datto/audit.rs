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
        };
        let json = serde_json::to_string(&facts).unwrap();
        assert_eq!(
            json,
            r#"{"serial_numbers":["S1"],"mac_addresses":["00:11:22:33:44:55"],"manufacturer":"Dell Inc.","model":null}"#
        );
        assert_eq!(serde_json::from_str::<AuditFacts>(&json).unwrap(), facts);
    }
}
