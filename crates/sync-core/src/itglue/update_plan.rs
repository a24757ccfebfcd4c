//! The update plan: what to write on a configuration matched to a device so that it carries
//! the device's desired state ([`configuration_attributes`](super::configuration_attributes)),
//! under the tenant's [`UpdatePolicies`]: only the attributes that differ, never clearing a
//! value the device does not know, the missing interfaces added and none removed; on a
//! PSA-synced configuration only the notes block.

use serde::{Deserialize, Serialize};

use super::configuration::{Configuration, ConfigurationInterface};
use super::configuration_types::ConfigurationType;
use super::field_mapping::{ConfigurationAttributes, InterfaceAttributes, non_blank};
use super::ids::{ConfigurationId, DeviceUid};
use super::notes_block::{has_facts_block, with_facts_block};
use super::rmm_marker::parse_rmm_marker;
use super::update_policy::{ConfigurationField, FieldPolicy, UpdatePolicies};
use crate::identifiers::MacAddress;

/// One attribute to write on a matched configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeChange {
    /// Which attribute.
    pub field: ConfigurationField,
    /// What IT Glue holds now (a name for manufacturer, model, operating system and type).
    pub old: Option<String>,
    /// What it becomes (a name for manufacturer, model, operating system and type, which the
    /// engine resolves to the account's ids; the whole new text for `notes`).
    pub new: String,
}

/// What the sync writes on one matched configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationChanges {
    /// The configuration.
    pub configuration: ConfigurationId,
    /// The attributes that differ and that the policies let the sync write, in
    /// [`ConfigurationField::ALL`] order.
    pub changes: Vec<AttributeChange>,
    /// The interfaces to add (the device's physical adapters the configuration lacks). None is
    /// ever removed.
    pub interfaces_to_add: Vec<InterfaceAttributes>,
    /// Differing attributes left alone because the configuration is synced from a PSA, which
    /// refuses them.
    pub withheld: Vec<ConfigurationField>,
}

impl ConfigurationChanges {
    /// Whether nothing is written.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.interfaces_to_add.is_empty()
    }

    /// The change of one field, if it changes.
    pub fn change(&self, field: ConfigurationField) -> Option<&AttributeChange> {
        self.changes.iter().find(|c| c.field == field)
    }

    /// `configuration` as IT Glue holds it once the changes are written: a new primary IP or
    /// MAC address also updates (or creates) the primary interface, as IT Glue does.
    pub fn apply_to(
        &self,
        configuration: &mut Configuration,
        kind_type: Option<&ConfigurationType>,
    ) {
        for change in &self.changes {
            let new = Some(change.new.clone());
            match change.field {
                ConfigurationField::Name => configuration.name.clone_from(&change.new),
                ConfigurationField::Hostname => configuration.hostname = new,
                ConfigurationField::PrimaryIp => configuration.primary_ip = new,
                ConfigurationField::MacAddress => configuration.mac_address = new,
                ConfigurationField::SerialNumber => configuration.serial_number = new,
                ConfigurationField::Manufacturer => configuration.manufacturer_name = new,
                ConfigurationField::Model => configuration.model_name = new,
                ConfigurationField::OperatingSystem => configuration.operating_system_name = new,
                ConfigurationField::OperatingSystemNotes => {
                    configuration.operating_system_notes = new;
                }
                ConfigurationField::ConfigurationType => {
                    configuration.configuration_type_name = new;
                    configuration.configuration_type_id = kind_type.map(|t| t.id);
                }
                ConfigurationField::WarrantyExpiresAt => configuration.warranty_expires_at = new,
                ConfigurationField::Notes => configuration.notes = new,
                ConfigurationField::InstalledBy => configuration.installed_by = new,
            }
        }
        let addresses_changed = self.changes.iter().any(|c| {
            matches!(
                c.field,
                ConfigurationField::PrimaryIp | ConfigurationField::MacAddress
            )
        });
        if addresses_changed {
            let ip = configuration.primary_ip.clone();
            let mac = configuration.mac_address.clone();
            match configuration.interfaces.iter_mut().find(|i| i.primary) {
                Some(primary) => {
                    primary.ip_address = ip;
                    primary.mac_address = mac;
                }
                None => configuration.interfaces.push(ConfigurationInterface {
                    id: None,
                    name: None,
                    ip_address: ip,
                    mac_address: mac,
                    primary: true,
                }),
            }
        }
        for interface in &self.interfaces_to_add {
            configuration.interfaces.push(ConfigurationInterface {
                id: None,
                name: interface.name.clone(),
                ip_address: interface.ip_address.clone(),
                mac_address: interface.mac_address.map(|m| m.to_string()),
                primary: false,
            });
        }
        configuration.mac_addresses = configuration
            .mac_address
            .iter()
            .chain(
                configuration
                    .interfaces
                    .iter()
                    .filter_map(|i| i.mac_address.as_ref()),
            )
            .cloned()
            .collect();
    }
}

/// What to write on a configuration matched to a device so that it carries the device's
/// desired state: every attribute that differs and that `policies` lets the sync write (never
/// clearing a value the device does not know), and the device's physical interfaces the
/// configuration lacks. On a configuration synced from a PSA only the notes block is written.
/// `kind_type` is the account's type for the device's kind, when it has one.
///
/// ```
/// use sync_core::identifiers::IdentifierPolicy;
/// use sync_core::itglue::{
///     Configuration, ConfigurationField, ConfigurationId, Device, DeviceUid, OrganizationId,
///     SiteUid, UpdatePolicies, configuration_attributes, plan_configuration_update,
/// };
///
/// let mut device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s-1"), "PC-042");
/// device.internal_ip = Some("10.0.0.42".into());
/// let desired = configuration_attributes(&device, &IdentifierPolicy::default());
/// let mut configuration = Configuration::new(ConfigurationId(7), OrganizationId(1), "Reception PC");
/// configuration.primary_ip = Some("10.0.0.9".into());
///
/// let plan = plan_configuration_update(&desired, None, &configuration, &UpdatePolicies::default());
/// let ip = plan.change(ConfigurationField::PrimaryIp).unwrap();
/// assert_eq!((ip.old.as_deref(), ip.new.as_str()), (Some("10.0.0.9"), "10.0.0.42"));
/// // The name a person gave is kept.
/// assert!(plan.change(ConfigurationField::Name).is_none());
///
/// let mut after = configuration.clone();
/// plan.apply_to(&mut after, None);
/// assert!(plan_configuration_update(&desired, None, &after, &UpdatePolicies::default()).is_empty());
/// ```
pub fn plan_configuration_update(
    desired: &ConfigurationAttributes,
    kind_type: Option<&ConfigurationType>,
    current: &Configuration,
    policies: &UpdatePolicies,
) -> ConfigurationChanges {
    let mut changes = Vec::new();
    let mut withheld = Vec::new();
    for field in ConfigurationField::ALL {
        let Some(change) = field_change(field, desired, kind_type, current, policies) else {
            continue;
        };
        if current.psa_synced && !field.written_on_psa_configurations() {
            withheld.push(field);
        } else {
            changes.push(change);
        }
    }
    let interfaces_to_add = if current.psa_synced {
        Vec::new()
    } else {
        missing_interfaces(desired, current, &changes)
    };
    ConfigurationChanges {
        configuration: current.id,
        changes,
        interfaces_to_add,
        withheld,
    }
}

/// The change of one field, if the device's value differs and the policy allows writing it.
fn field_change(
    field: ConfigurationField,
    desired: &ConfigurationAttributes,
    kind_type: Option<&ConfigurationType>,
    current: &Configuration,
    policies: &UpdatePolicies,
) -> Option<AttributeChange> {
    let policy = policies.policy(field);
    if policy == FieldPolicy::Never {
        return None;
    }
    let same_text = |a: &str, b: &str| a.trim() == b.trim();
    let same_name = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let (old, new, same): (Option<String>, Option<String>, bool) = match field {
        ConfigurationField::Name => {
            let old = Some(current.name.clone()).filter(|n| !n.trim().is_empty());
            let same = old.as_deref().is_some_and(|o| same_text(o, &desired.name));
            (
                old,
                Some(desired.name.clone()).filter(|n| !n.is_empty()),
                same,
            )
        }
        ConfigurationField::Hostname => text(
            current.hostname.as_deref(),
            Some(desired.hostname.as_str()).filter(|h| !h.is_empty()),
            same_text,
        ),
        ConfigurationField::PrimaryIp => text(
            current.primary_ip.as_deref(),
            desired.primary_ip.as_deref(),
            same_text,
        ),
        ConfigurationField::MacAddress => {
            let old = non_blank(current.mac_address.as_deref());
            let parsed = old.as_deref().and_then(|m| MacAddress::parse(m).ok());
            let same = desired.mac_address.is_some() && parsed == desired.mac_address;
            (old, desired.mac_address.map(|m| m.to_string()), same)
        }
        ConfigurationField::SerialNumber => text(
            current.serial_number.as_deref(),
            desired.serial_number.as_deref(),
            same_text,
        ),
        ConfigurationField::Manufacturer => text(
            current.manufacturer_name.as_deref(),
            desired.manufacturer.as_deref(),
            same_name,
        ),
        ConfigurationField::Model => text(
            current.model_name.as_deref(),
            desired.model.as_deref(),
            same_name,
        ),
        ConfigurationField::OperatingSystem => text(
            current.operating_system_name.as_deref(),
            desired.operating_system.as_deref(),
            same_name,
        ),
        ConfigurationField::OperatingSystemNotes => text(
            current.operating_system_notes.as_deref(),
            desired.operating_system_notes.as_deref(),
            same_text,
        ),
        ConfigurationField::ConfigurationType => {
            let old = non_blank(current.configuration_type_name.as_deref());
            let same = kind_type.is_some_and(|t| {
                current.configuration_type_id == Some(t.id)
                    || (current.configuration_type_id.is_none()
                        && old.as_deref().is_some_and(|o| same_name(o, &t.name)))
            });
            let empty = current.configuration_type_id.is_none() && old.is_none();
            if policy == FieldPolicy::FillWhenEmpty && !empty {
                return None;
            }
            (old, kind_type.map(|t| t.name.clone()), same)
        }
        ConfigurationField::WarrantyExpiresAt => text(
            current.warranty_expires_at.as_deref(),
            desired.warranty_expires_at.as_deref(),
            |a, b| a.trim().get(..10).unwrap_or(a.trim()) == b.trim(),
        ),
        ConfigurationField::Notes => {
            let old = current.notes.clone();
            let same = has_facts_block(old.as_deref(), &desired.notes_block);
            let new = with_facts_block(old.as_deref(), &desired.notes_block);
            if policy == FieldPolicy::FillWhenEmpty
                && old.as_deref().is_some_and(|n| !n.trim().is_empty())
            {
                return None;
            }
            (old, Some(new), same)
        }
        ConfigurationField::InstalledBy => {
            let old = non_blank(current.installed_by.as_deref());
            let marked = old.as_deref().and_then(parse_rmm_marker);
            if marked.as_ref() == Some(&marker_uid(desired)) {
                return None;
            }
            // Another device's marker is this tool's own text: it is replaced like an empty
            // one; text a person wrote only under `Overwrite`.
            if policy == FieldPolicy::FillWhenEmpty && old.is_some() && marked.is_none() {
                return None;
            }
            let new = desired.installed_by.clone();
            return Some(AttributeChange { field, old, new });
        }
    };
    let new = new?;
    if same {
        return None;
    }
    let empty = old.as_deref().is_none_or(|o| o.trim().is_empty());
    if policy == FieldPolicy::FillWhenEmpty && !empty {
        return None;
    }
    Some(AttributeChange { field, old, new })
}

/// `(old, new, same)` for a text attribute.
fn text(
    old: Option<&str>,
    new: Option<&str>,
    same: impl Fn(&str, &str) -> bool,
) -> (Option<String>, Option<String>, bool) {
    let old = non_blank(old);
    let new = non_blank(new);
    let equal = matches!((&old, &new), (Some(o), Some(n)) if same(o, n));
    (old, new, equal)
}

fn marker_uid(desired: &ConfigurationAttributes) -> DeviceUid {
    parse_rmm_marker(&desired.installed_by).unwrap_or_else(|| DeviceUid::new(""))
}

/// The desired interfaces the configuration lacks: by MAC address, or by IP address for an
/// adapter without a usable MAC. They are looked for on the configuration as it will be once
/// `changes` are written: a new primary MAC or IP address replaces the primary interface's (IT
/// Glue creates or updates the primary interface itself), so the old primary address no longer
/// counts as present — an adapter carrying it is added, or the next sync would add it (the
/// plan would not be idempotent). Added ones are never primary (the configuration keeps its own).
fn missing_interfaces(
    desired: &ConfigurationAttributes,
    current: &Configuration,
    changes: &[AttributeChange],
) -> Vec<InterfaceAttributes> {
    let addresses_change = changes.iter().any(|c| {
        matches!(
            c.field,
            ConfigurationField::PrimaryIp | ConfigurationField::MacAddress
        )
    });
    let written;
    let current = if addresses_change {
        let mut after = current.clone();
        let address_changes = ConfigurationChanges {
            configuration: current.id,
            changes: changes.to_vec(),
            interfaces_to_add: Vec::new(),
            withheld: Vec::new(),
        };
        address_changes.apply_to(&mut after, None);
        written = after;
        &written
    } else {
        current
    };
    let current_macs: Vec<MacAddress> = current
        .mac_address
        .iter()
        .chain(
            current
                .interfaces
                .iter()
                .filter_map(|i| i.mac_address.as_ref()),
        )
        .chain(&current.mac_addresses)
        .filter_map(|m| MacAddress::parse(m).ok())
        .collect();
    let current_ips: Vec<&str> = current
        .interfaces
        .iter()
        .filter_map(|i| i.ip_address.as_deref())
        .map(str::trim)
        .collect();
    desired
        .interfaces
        .iter()
        .filter(
            |wanted| match (wanted.mac_address, wanted.ip_address.as_deref()) {
                (Some(mac), _) => !current_macs.contains(&mac),
                (None, Some(ip)) => !current_ips.contains(&ip.trim()),
                (None, None) => false,
            },
        )
        .map(|wanted| InterfaceAttributes {
            primary: false,
            ..wanted.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::identifiers::IdentifierPolicy;
    use crate::itglue::device::{Device, NetworkInterface};
    use crate::itglue::field_mapping::configuration_attributes;
    use crate::itglue::ids::OrganizationId;
    use crate::itglue::mapping_samples::{any_configuration, any_device, any_policies, laptop};

    fn policies() -> UpdatePolicies {
        UpdatePolicies::default()
    }

    fn plan(device: &Device, configuration: &Configuration) -> ConfigurationChanges {
        let desired = configuration_attributes(device, &IdentifierPolicy::default());
        plan_configuration_update(&desired, None, configuration, &policies())
    }

    fn fields(changes: &ConfigurationChanges) -> Vec<ConfigurationField> {
        changes.changes.iter().map(|c| c.field).collect()
    }

    #[test]
    fn an_update_changes_only_what_differs_and_never_the_name() {
        let device = laptop();
        let mut configuration =
            Configuration::new(ConfigurationId(1), OrganizationId(2), "Bob's laptop");
        configuration.hostname = Some("LT-007".into());
        configuration.serial_number = Some("5CG1234XYZ".into());
        configuration.mac_address = Some("A4-BB-6D-01-02-03".into());
        configuration.primary_ip = Some("192.168.1.99".into());
        configuration.installed_by = Some("Installed by Bob".into());
        let update = plan(&device, &configuration);
        let ip = update.change(ConfigurationField::PrimaryIp).unwrap();
        assert_eq!(ip.old.as_deref(), Some("192.168.1.99"));
        assert_eq!(ip.new, "192.168.1.20");
        for unchanged in [
            ConfigurationField::Name,
            ConfigurationField::Hostname,
            ConfigurationField::SerialNumber,
            ConfigurationField::MacAddress,
            ConfigurationField::InstalledBy,
        ] {
            assert!(update.change(unchanged).is_none(), "{unchanged}");
        }
        assert_eq!(
            update
                .change(ConfigurationField::Manufacturer)
                .map(|c| c.new.as_str()),
            Some("HP")
        );
    }

    #[test]
    fn the_marker_is_written_when_missing_or_another_devices() {
        let device = laptop();
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "x");
        let marker = |c: &Configuration| {
            plan(&device, c)
                .change(ConfigurationField::InstalledBy)
                .map(|c| c.new.clone())
        };
        assert_eq!(marker(&configuration).as_deref(), Some("RMM: uid-7"));
        configuration.installed_by = Some("RMM: other".into());
        assert_eq!(marker(&configuration).as_deref(), Some("RMM: uid-7"));
        configuration.installed_by = Some("RMM: uid-7".into());
        assert_eq!(marker(&configuration), None);
    }

    #[test]
    fn policies_overwrite_fill_when_empty_or_never() {
        let device = laptop();
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "Bob's");
        configuration.serial_number = Some("OLD".into());
        let desired = configuration_attributes(&device, &IdentifierPolicy::default());
        let with = |field, policy| {
            let mut policies = UpdatePolicies::default();
            policies.set(field, policy);
            plan_configuration_update(&desired, None, &configuration, &policies)
        };
        use ConfigurationField as F;
        assert!(
            with(F::SerialNumber, FieldPolicy::Overwrite)
                .change(F::SerialNumber)
                .is_some()
        );
        assert!(
            with(F::SerialNumber, FieldPolicy::FillWhenEmpty)
                .change(F::SerialNumber)
                .is_none()
        );
        assert!(
            with(F::PrimaryIp, FieldPolicy::FillWhenEmpty)
                .change(F::PrimaryIp)
                .is_some()
        );
        assert!(
            with(F::PrimaryIp, FieldPolicy::Never)
                .change(F::PrimaryIp)
                .is_none()
        );
        assert!(
            with(F::Name, FieldPolicy::Overwrite)
                .change(F::Name)
                .is_some()
        );
        assert!(
            with(F::Notes, FieldPolicy::Never)
                .change(F::Notes)
                .is_none()
        );
    }

    #[test]
    fn a_psa_synced_configuration_gets_only_the_notes_block() {
        let device = laptop();
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "PSA");
        configuration.psa_synced = true;
        configuration.notes = Some("Leased until 2027.".into());
        let update = plan(&device, &configuration);
        assert_eq!(fields(&update), [ConfigurationField::Notes]);
        assert!(update.interfaces_to_add.is_empty());
        assert!(update.withheld.contains(&ConfigurationField::PrimaryIp));
        let notes = &update.change(ConfigurationField::Notes).unwrap().new;
        assert!(notes.starts_with("Leased until 2027.\n"));
    }

    #[test]
    fn missing_interfaces_are_added_and_none_is_removed() {
        let device = laptop();
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "x");
        configuration.mac_address = Some("A4:BB:6D:01:02:03".into());
        configuration.interfaces = vec![
            ConfigurationInterface {
                id: Some(5),
                mac_address: Some("A4:BB:6D:01:02:03".into()),
                primary: true,
                ..ConfigurationInterface::default()
            },
            ConfigurationInterface {
                id: Some(6),
                name: Some("Printer port a person added".into()),
                ip_address: Some("192.168.1.200".into()),
                ..ConfigurationInterface::default()
            },
        ];
        let update = plan(&device, &configuration);
        assert_eq!(update.interfaces_to_add.len(), 1);
        assert_eq!(
            update.interfaces_to_add[0].name.as_deref(),
            Some("Ethernet")
        );
        assert!(!update.interfaces_to_add[0].primary);
        let mut after = configuration.clone();
        update.apply_to(&mut after, None);
        assert_eq!(after.interfaces.len(), 3);
    }

    #[test]
    fn an_adapter_with_the_replaced_primary_mac_is_added_at_once() {
        // The configuration's primary MAC is the device's second adapter's; the device's primary
        // adapter (the one with an address) is another. Overwriting the primary MAC moves the
        // primary interface to the new address, so the second adapter must be added now, not
        // by the next sync.
        let mut device = laptop();
        device.network_interfaces = vec![
            NetworkInterface {
                name: Some("Intel(R) Ethernet Connection I219-LM".into()),
                ipv4: None,
                ipv6: None,
                mac_address: Some("A4:BB:6D:0A:0B:0C".into()),
            },
            NetworkInterface {
                name: Some("Intel(R) Ethernet Connection I219-LM".into()),
                ipv4: Some("10.0.0.1".into()),
                ipv6: None,
                mac_address: Some("3C:52:82:00:00:00".into()),
            },
        ];
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "x");
        configuration.mac_address = Some("A4:BB:6D:0A:0B:0C".into());
        let mut overwrite = UpdatePolicies::default();
        overwrite.set(ConfigurationField::MacAddress, FieldPolicy::Overwrite);
        let desired = configuration_attributes(&device, &IdentifierPolicy::default());
        let first = plan_configuration_update(&desired, None, &configuration, &overwrite);
        assert_eq!(
            first
                .change(ConfigurationField::MacAddress)
                .map(|c| c.new.as_str()),
            Some("3C:52:82:00:00:00")
        );
        let added: Vec<_> = first
            .interfaces_to_add
            .iter()
            .map(|i| i.mac_address)
            .collect();
        assert_eq!(added, [MacAddress::parse("A4:BB:6D:0A:0B:0C").ok()]);
        let mut after = configuration.clone();
        first.apply_to(&mut after, None);
        let second = plan_configuration_update(&desired, None, &after, &overwrite);
        assert!(second.is_empty(), "{second:?}");
    }

    #[test]
    fn the_chosen_type_is_only_filled_by_default_and_overwritten_when_asked() {
        let device = laptop();
        let laptop_type = ConfigurationType {
            id: 9,
            name: "Laptop".into(),
        };
        let desired = configuration_attributes(&device, &IdentifierPolicy::default());
        let mut configuration = Configuration::new(ConfigurationId(1), OrganizationId(2), "x");
        configuration.configuration_type_id = Some(3);
        configuration.configuration_type_name = Some("Managed Workstation".into());
        let by_default =
            plan_configuration_update(&desired, Some(&laptop_type), &configuration, &policies());
        assert!(
            by_default
                .change(ConfigurationField::ConfigurationType)
                .is_none()
        );
        let mut overwrite = UpdatePolicies::default();
        overwrite.set(
            ConfigurationField::ConfigurationType,
            FieldPolicy::Overwrite,
        );
        let forced =
            plan_configuration_update(&desired, Some(&laptop_type), &configuration, &overwrite);
        let change = forced
            .change(ConfigurationField::ConfigurationType)
            .unwrap();
        assert_eq!(change.new, "Laptop");
    }

    proptest! {
        #[test]
        fn applying_the_update_and_mapping_again_changes_nothing(
            device in any_device(),
            configuration in any_configuration(),
            policies in any_policies(),
        ) {
            let desired = configuration_attributes(&device, &IdentifierPolicy::default());
            let kind_type = ConfigurationType { id: 4, name: "Workstation".into() };
            let first = plan_configuration_update(&desired, Some(&kind_type), &configuration, &policies);
            let mut after = configuration.clone();
            first.apply_to(&mut after, Some(&kind_type));
            let second = plan_configuration_update(&desired, Some(&kind_type), &after, &policies);
            prop_assert!(second.is_empty(), "{:?}", second);
            if configuration.psa_synced {
                prop_assert!(first.changes.iter().all(|c| c.field == ConfigurationField::Notes));
            }
        }
    }
}
