//! Which configuration attributes the sync may change on a matched configuration, per field: a
//! tenant setting with documented defaults.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A configuration attribute the field mapping fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigurationField {
    /// `name`.
    Name,
    /// `hostname`.
    Hostname,
    /// `primary-ip`.
    PrimaryIp,
    /// `mac-address`.
    MacAddress,
    /// `serial-number`.
    SerialNumber,
    /// `manufacturer-id` (by the manufacturer's name).
    Manufacturer,
    /// `model-id` (by the model's name).
    Model,
    /// `operating-system-id` (by the operating system's name).
    OperatingSystem,
    /// `operating-system-notes`.
    OperatingSystemNotes,
    /// `configuration-type-id`.
    ConfigurationType,
    /// `warranty-expires-at`.
    WarrantyExpiresAt,
    /// The RMM facts block in `notes` (text outside the block is never touched).
    Notes,
    /// `installed-by`, where the RMM marker is kept.
    InstalledBy,
}

impl ConfigurationField {
    /// Every field, in the order reports list them.
    pub const ALL: [ConfigurationField; 13] = [
        Self::Name,
        Self::Hostname,
        Self::PrimaryIp,
        Self::MacAddress,
        Self::SerialNumber,
        Self::Manufacturer,
        Self::Model,
        Self::OperatingSystem,
        Self::OperatingSystemNotes,
        Self::ConfigurationType,
        Self::WarrantyExpiresAt,
        Self::Notes,
        Self::InstalledBy,
    ];

    /// IT Glue's attribute name (kebab-case, as in its JSON).
    pub fn attribute(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Hostname => "hostname",
            Self::PrimaryIp => "primary-ip",
            Self::MacAddress => "mac-address",
            Self::SerialNumber => "serial-number",
            Self::Manufacturer => "manufacturer-id",
            Self::Model => "model-id",
            Self::OperatingSystem => "operating-system-id",
            Self::OperatingSystemNotes => "operating-system-notes",
            Self::ConfigurationType => "configuration-type-id",
            Self::WarrantyExpiresAt => "warranty-expires-at",
            Self::Notes => "notes",
            Self::InstalledBy => "installed-by",
        }
    }

    /// Whether the sync writes it on a configuration synced from a PSA. IT Glue refuses most
    /// attributes there (422); of those it accepts, the sync writes only the notes block — the
    /// PSA is that configuration's source of truth.
    pub fn written_on_psa_configurations(self) -> bool {
        matches!(self, Self::Notes)
    }

    /// The field's default policy: the name and the configuration type are only filled when
    /// empty (people rename and reclassify in IT Glue; a type is always set, so it is never
    /// changed), the RMM owns everything else.
    pub fn default_policy(self) -> FieldPolicy {
        match self {
            Self::Name | Self::ConfigurationType | Self::InstalledBy => FieldPolicy::FillWhenEmpty,
            _ => FieldPolicy::Overwrite,
        }
    }
}

impl fmt::Display for ConfigurationField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.attribute())
    }
}

/// What the sync may do to one attribute of a matched configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FieldPolicy {
    /// The RMM owns it: written whenever it differs from the device.
    Overwrite,
    /// Written only while the configuration has no value.
    FillWhenEmpty,
    /// Never written on a matched configuration.
    Never,
}

/// A tenant's per-field policies; fields it does not name take their
/// [default](ConfigurationField::default_policy). Created configurations get every mapped
/// field regardless.
///
/// ```
/// use sync_core::itglue::{ConfigurationField, FieldPolicy, UpdatePolicies};
///
/// let mut policies = UpdatePolicies::default();
/// assert_eq!(policies.policy(ConfigurationField::Name), FieldPolicy::FillWhenEmpty);
/// assert_eq!(policies.policy(ConfigurationField::PrimaryIp), FieldPolicy::Overwrite);
/// policies.set(ConfigurationField::SerialNumber, FieldPolicy::Never);
/// assert_eq!(policies.policy(ConfigurationField::SerialNumber), FieldPolicy::Never);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpdatePolicies {
    fields: BTreeMap<ConfigurationField, FieldPolicy>,
}

impl UpdatePolicies {
    /// The policy of a field.
    pub fn policy(&self, field: ConfigurationField) -> FieldPolicy {
        self.fields
            .get(&field)
            .copied()
            .unwrap_or_else(|| field.default_policy())
    }

    /// Sets a field's policy.
    pub fn set(&mut self, field: ConfigurationField, policy: FieldPolicy) {
        self.fields.insert(field, policy);
    }

    /// The fields the tenant set, with their policies.
    pub fn overrides(&self) -> impl Iterator<Item = (ConfigurationField, FieldPolicy)> + '_ {
        self.fields.iter().map(|(f, p)| (*f, *p))
    }
}

/// What happens to the configuration of a device deleted from Datto RMM (a tenant setting).
/// The configuration is never deleted: it may hold what people documented.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeletedDevicePolicy {
    /// Leave the configuration as it is (the default).
    #[default]
    Keep,
    /// Archive it (`archived: true`); a device that comes back is matched again.
    Archive,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_are_stored_as_a_map_of_snake_case_names() {
        let mut policies = UpdatePolicies::default();
        policies.set(ConfigurationField::Name, FieldPolicy::Overwrite);
        let json = serde_json::to_string(&policies).unwrap();
        assert_eq!(json, r#"{"name":"overwrite"}"#);
        let back: UpdatePolicies = serde_json::from_str(&json).unwrap();
        assert_eq!(back, policies);
    }

    #[test]
    fn only_the_notes_block_is_written_on_psa_configurations() {
        let written: Vec<_> = ConfigurationField::ALL
            .into_iter()
            .filter(|f| f.written_on_psa_configurations())
            .collect();
        assert_eq!(written, [ConfigurationField::Notes]);
    }
}
