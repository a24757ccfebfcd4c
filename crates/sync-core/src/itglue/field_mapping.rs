//! The field mapping: what a configuration created from, or kept up to date by, a Datto RMM
//! device contains (`docs/field-mapping.md` has it as a table). It follows IT Glue's own RMM
//! field mapping (name, hostname, serial number, MAC and IP addresses, device type →
//! configuration type, operating system, manufacturer, model), adds the warranty date, the RMM
//! facts block in the notes and a marker of the RMM device uid in `installed-by`, since the API
//! does not expose the link IT Glue's built-in integration keeps.
//!
//! [`configuration_attributes`] gives a device's desired state; [`plan_configuration_update`]
//! compares it with what IT Glue holds and lists the attributes to write, under the tenant's
//! [`UpdatePolicies`]. Both are pure; the engine resolves names to the account's ids and sends
//! the writes.

use serde::{Deserialize, Serialize};

use super::configuration::{Configuration, ConfigurationInterface};
use super::configuration_types::{ConfigurationKind, ConfigurationType};
use super::device::Device;
use super::ids::{ConfigurationId, DeviceUid};
use super::network_adapters::{AdapterKind, adapter_kind, is_virtual_machine};
use super::notes_block::{has_facts_block, with_facts_block};
use super::update_policy::{ConfigurationField, FieldPolicy, UpdatePolicies};
use crate::identifiers::{IdentifierPolicy, MacAddress, SerialNumber};

/// What `installed-by` starts with on a configuration this tool created or matched.
pub const RMM_MARKER_PREFIX: &str = "RMM: ";

/// The `installed-by` text that marks a configuration as the device's.
pub fn rmm_marker(device: &DeviceUid) -> String {
    format!("{RMM_MARKER_PREFIX}{device}")
}

/// The device uid in an `installed-by` text written by [`rmm_marker`] (blanks around it and the
/// case of "RMM" aside).
pub fn parse_rmm_marker(installed_by: &str) -> Option<DeviceUid> {
    let text = installed_by.trim();
    let prefix = text.get(..4)?;
    if !prefix.eq_ignore_ascii_case("rmm:") {
        return None;
    }
    let uid = text.get(4..)?.trim();
    (!uid.is_empty()).then(|| DeviceUid::new(uid))
}

/// One interface of a configuration (`configuration_interfaces`), from one physical adapter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceAttributes {
    /// `name`: the adapter's name.
    pub name: Option<String>,
    /// `ip-address`: the adapter's IPv4 address, else its IPv6 address.
    pub ip_address: Option<String>,
    /// `mac-address`, as `AA:BB:CC:DD:EE:FF`.
    pub mac_address: Option<MacAddress>,
    /// `primary`: the physical adapter carrying the device's internal IP, else the first one
    /// with a usable MAC address and an IPv4 address, else the first with a usable MAC.
    pub primary: bool,
}

/// A device's desired configuration: the attributes of a configuration created from it, and
/// what a matched one is brought to (under the tenant's update policies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationAttributes {
    /// `name`: the device's hostname.
    pub name: String,
    /// `hostname`.
    pub hostname: String,
    /// `serial-number`: the first serial that is not a placeholder, trimmed.
    pub serial_number: Option<String>,
    /// `mac-address`: the primary physical interface's MAC address (17 characters).
    pub mac_address: Option<MacAddress>,
    /// `primary-ip`: the device's internal IP address.
    pub primary_ip: Option<String>,
    /// Decides `configuration-type-id`.
    pub kind: ConfigurationKind,
    /// Looked up for `operating-system-id` (the name as Datto reports it).
    pub operating_system: Option<String>,
    /// `operating-system-notes`: the operating system as Datto reports it.
    pub operating_system_notes: Option<String>,
    /// Looked up (or created) for `manufacturer-id`.
    pub manufacturer: Option<String>,
    /// Looked up (or created) for `model-id`, under the manufacturer.
    pub model: Option<String>,
    /// `warranty-expires-at` (`yyyy-mm-dd`).
    pub warranty_expires_at: Option<String>,
    /// `installed-by`: the RMM marker.
    pub installed_by: String,
    /// The RMM facts block for `notes` ([`RmmFacts::block`](super::RmmFacts::block)).
    pub notes_block: String,
    /// `configuration_interfaces`: one per physical adapter with an IP or a usable MAC.
    pub interfaces: Vec<InterfaceAttributes>,
}

/// Maps a device (with its audit, if fetched) to its desired configuration.
///
/// ```
/// use sync_core::identifiers::IdentifierPolicy;
/// use sync_core::itglue::{Device, DeviceUid, NetworkInterface, SiteUid, configuration_attributes};
///
/// let mut device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s-1"), "PC-042");
/// device.serial_numbers = vec!["To Be Filled By O.E.M.".into(), " 5CG1234XYZ ".into()];
/// device.internal_ip = Some("10.0.0.42".into());
/// device.network_interfaces = vec![
///     NetworkInterface {
///         name: Some("Hyper-V Virtual Ethernet Adapter".into()),
///         ipv4: Some("10.0.0.42".into()),
///         ipv6: None,
///         mac_address: Some("00155D000001".into()),
///     },
///     NetworkInterface {
///         name: Some("Ethernet".into()),
///         ipv4: None,
///         ipv6: None,
///         mac_address: Some("001a2b3c4d5e".into()),
///     },
/// ];
/// let attributes = configuration_attributes(&device, &IdentifierPolicy::default());
/// assert_eq!(attributes.serial_number.as_deref(), Some("5CG1234XYZ"));
/// // The Hyper-V switch is not a network card: the physical one is the MAC address.
/// assert_eq!(attributes.mac_address.unwrap().to_string(), "00:1A:2B:3C:4D:5E");
/// assert_eq!(attributes.primary_ip.as_deref(), Some("10.0.0.42"));
/// assert_eq!(attributes.interfaces.len(), 1);
/// assert_eq!(attributes.installed_by, "RMM: d-1");
/// ```
pub fn configuration_attributes(
    device: &Device,
    policy: &IdentifierPolicy,
) -> ConfigurationAttributes {
    let interfaces = interfaces(device, policy);
    let mac_address = interfaces
        .iter()
        .find(|i| i.primary)
        .and_then(|i| i.mac_address);
    ConfigurationAttributes {
        name: device.hostname.trim().to_owned(),
        hostname: device.hostname.trim().to_owned(),
        serial_number: first_serial(device, policy),
        mac_address,
        primary_ip: non_blank(device.internal_ip.as_deref()),
        kind: ConfigurationKind::of(device),
        operating_system: non_blank(device.operating_system.as_deref()),
        operating_system_notes: non_blank(device.operating_system.as_deref()),
        manufacturer: non_blank(device.manufacturer.as_deref()),
        model: non_blank(device.model.as_deref()),
        warranty_expires_at: non_blank(device.warranty_date.as_deref())
            .and_then(|date| date.get(..10).map(str::to_owned)),
        installed_by: rmm_marker(&device.uid),
        notes_block: device.rmm.block(),
        interfaces,
    }
}

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
/// adapter without a usable MAC. The one IT Glue creates itself from a new primary MAC address
/// is left out; added ones are never primary (the configuration keeps its own).
fn missing_interfaces(
    desired: &ConfigurationAttributes,
    current: &Configuration,
    changes: &[AttributeChange],
) -> Vec<InterfaceAttributes> {
    let new_primary_mac = changes
        .iter()
        .find(|c| c.field == ConfigurationField::MacAddress)
        .and_then(|c| MacAddress::parse(&c.new).ok());
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
        .chain(new_primary_mac)
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

fn first_serial(device: &Device, policy: &IdentifierPolicy) -> Option<String> {
    device
        .serial_numbers
        .iter()
        .find(|raw| SerialNumber::normalize(raw, policy).is_some())
        .map(|raw| raw.trim().to_owned())
}

/// One interface per physical adapter with an IP address or a usable MAC address, adapters
/// listed twice (the network-interface listing and the audit) merged by MAC address.
fn interfaces(device: &Device, policy: &IdentifierPolicy) -> Vec<InterfaceAttributes> {
    let on_virtual_machine = is_virtual_machine(device);
    let internal_ip = device.internal_ip.as_deref().map(str::trim);
    let mut out: Vec<InterfaceAttributes> = Vec::new();
    for nic in &device.network_interfaces {
        if adapter_kind(nic, on_virtual_machine) != AdapterKind::Physical {
            continue;
        }
        let mac_address = nic
            .mac_address
            .as_deref()
            .and_then(|m| MacAddress::parse(m).ok())
            .filter(|m| policy.identifies_a_device(m));
        let ip_address = non_blank(nic.ipv4.as_deref()).or_else(|| non_blank(nic.ipv6.as_deref()));
        if mac_address.is_none() && ip_address.is_none() {
            continue;
        }
        let name = non_blank(nic.name.as_deref());
        if let Some(known) =
            mac_address.and_then(|mac| out.iter_mut().find(|i| i.mac_address == Some(mac)))
        {
            known.name = known.name.take().or(name);
            known.ip_address = known.ip_address.take().or(ip_address);
            continue;
        }
        out.push(InterfaceAttributes {
            name,
            ip_address,
            mac_address,
            primary: false,
        });
    }
    let is_ipv4 =
        |i: &InterfaceAttributes| i.ip_address.as_deref().is_some_and(|ip| ip.contains('.'));
    let primary = out
        .iter()
        .position(|i| i.ip_address.is_some() && i.ip_address.as_deref() == internal_ip)
        .or_else(|| {
            out.iter()
                .position(|i| i.mac_address.is_some() && is_ipv4(i))
        })
        .or_else(|| out.iter().position(|i| i.mac_address.is_some()));
    if let Some(at) = primary
        && let Some(interface) = out.get_mut(at)
    {
        interface.primary = true;
    }
    out
}

fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::itglue::device::{DeviceType, NetworkInterface};
    use crate::itglue::ids::{OrganizationId, SiteUid};
    use crate::itglue::network_adapters::virtual_prefix;
    use crate::itglue::rmm_facts::RmmFacts;

    fn nic(name: &str, ip: Option<&str>, mac: Option<&str>) -> NetworkInterface {
        NetworkInterface {
            name: Some(name.to_owned()),
            ipv4: ip.map(str::to_owned),
            ipv6: None,
            mac_address: mac.map(str::to_owned),
        }
    }

    fn laptop() -> Device {
        let mut device = Device::new(DeviceUid::new("uid-7"), SiteUid::new("s"), " LT-007 ");
        device.device_type = DeviceType {
            category: Some("Laptop".into()),
            kind: Some("physical".into()),
        };
        device.operating_system = Some("Microsoft Windows 11 Pro".into());
        device.internal_ip = Some("192.168.1.20".into());
        device.manufacturer = Some("HP".into());
        device.model = Some("EliteBook 840 G8".into());
        device.serial_numbers = vec!["5CG1234XYZ".into()];
        device.warranty_date = Some("2027-01-31".into());
        device.rmm = RmmFacts {
            memory_bytes: Some(17_179_869_184),
            ..RmmFacts::default()
        };
        device.network_interfaces = vec![
            nic("Npcap Loopback Adapter", None, Some("02-00-4C-4F-4F-50")),
            nic("Wi-Fi", Some("192.168.1.20"), Some("a4:bb:6d:01:02:03")),
            nic("Ethernet", Some("169.254.3.4"), Some("a4bb6d010204")),
        ];
        device
    }

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
    fn a_device_maps_to_the_documented_attributes() {
        let a = configuration_attributes(&laptop(), &IdentifierPolicy::default());
        assert_eq!(a.name, "LT-007");
        assert_eq!(a.hostname, "LT-007");
        assert_eq!(a.serial_number.as_deref(), Some("5CG1234XYZ"));
        assert_eq!(a.primary_ip.as_deref(), Some("192.168.1.20"));
        assert_eq!(a.mac_address.unwrap().to_string(), "A4:BB:6D:01:02:03");
        assert_eq!(a.kind, ConfigurationKind::Laptop);
        assert_eq!(
            a.operating_system_notes.as_deref(),
            Some("Microsoft Windows 11 Pro")
        );
        assert_eq!(a.manufacturer.as_deref(), Some("HP"));
        assert_eq!(a.model.as_deref(), Some("EliteBook 840 G8"));
        assert_eq!(a.warranty_expires_at.as_deref(), Some("2027-01-31"));
        assert_eq!(a.installed_by, "RMM: uid-7");
        assert!(a.notes_block.contains("Memory: 16.0 GiB"));
    }

    #[test]
    fn one_interface_per_physical_adapter_with_its_name_ip_and_mac() {
        let a = configuration_attributes(&laptop(), &IdentifierPolicy::default());
        assert_eq!(a.interfaces.len(), 2);
        assert!(a.interfaces[0].primary);
        assert_eq!(a.interfaces[0].name.as_deref(), Some("Wi-Fi"));
        assert_eq!(a.interfaces[0].ip_address.as_deref(), Some("192.168.1.20"));
        assert!(!a.interfaces[1].primary);
        assert_eq!(a.interfaces[1].ip_address.as_deref(), Some("169.254.3.4"));
    }

    #[test]
    fn a_hyper_v_host_gets_its_physical_cards_mac_not_the_virtual_switchs() {
        let mut host = laptop();
        host.device_type.category = Some("Server".into());
        host.internal_ip = Some("10.0.0.5".into());
        host.network_interfaces = vec![
            nic(
                "Hyper-V Virtual Ethernet Adapter",
                Some("10.0.0.5"),
                Some("00:15:5D:01:02:03"),
            ),
            nic(
                "Broadcom NetXtreme Gigabit Ethernet",
                None,
                Some("D4:81:D7:00:00:01"),
            ),
        ];
        let a = configuration_attributes(&host, &IdentifierPolicy::default());
        assert_eq!(a.mac_address.unwrap().to_string(), "D4:81:D7:00:00:01");
        assert_eq!(a.primary_ip.as_deref(), Some("10.0.0.5"));
        assert_eq!(a.interfaces.len(), 1);
        assert_eq!(a.kind, ConfigurationKind::VirtualHost);
    }

    #[test]
    fn an_adapter_listed_twice_is_one_interface() {
        let mut device = laptop();
        device
            .network_interfaces
            .push(nic("", None, Some("A4-BB-6D-01-02-03")));
        let a = configuration_attributes(&device, &IdentifierPolicy::default());
        assert_eq!(a.interfaces.len(), 2);
    }

    #[test]
    fn placeholder_serials_are_not_written() {
        let mut device = laptop();
        device.serial_numbers = vec!["System Serial Number".into()];
        let a = configuration_attributes(&device, &IdentifierPolicy::default());
        assert_eq!(a.serial_number, None);
    }

    #[test]
    fn rmm_markers_round_trip() {
        let uid = DeviceUid::new("6f1c-42");
        assert_eq!(parse_rmm_marker(&rmm_marker(&uid)), Some(uid));
        assert_eq!(
            parse_rmm_marker(" rmm:6f1c-42 "),
            Some(DeviceUid::new("6f1c-42"))
        );
        assert_eq!(parse_rmm_marker("Installed by Bob"), None);
        assert_eq!(parse_rmm_marker("RMM: "), None);
        assert_eq!(parse_rmm_marker("é"), None);
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

    fn any_mac() -> impl Strategy<Value = String> {
        prop_oneof![
            // Hardware vendors.
            (any::<[u8; 3]>())
                .prop_map(|b| format!("3C:52:82:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2])),
            (any::<[u8; 3]>())
                .prop_map(|b| format!("d4-81-d7-{:02x}-{:02x}-{:02x}", b[0], b[1], b[2])),
            // Hypervisors, containers, shared and broken addresses.
            (any::<[u8; 3]>()).prop_map(|b| format!("00155D{:02X}{:02X}{:02X}", b[0], b[1], b[2])),
            (any::<[u8; 3]>())
                .prop_map(|b| format!("00:50:56:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2])),
            (any::<[u8; 4]>())
                .prop_map(|b| format!("02:42:{:02X}:{:02X}:{:02X}:{:02X}", b[0], b[1], b[2], b[3])),
            Just("52:54:00:12:34:56".to_owned()),
            Just("02-00-4C-4F-4F-50".to_owned()),
            Just("00:00:00:00:00:00".to_owned()),
            Just("not a mac".to_owned()),
        ]
    }

    fn any_nic() -> impl Strategy<Value = NetworkInterface> {
        let names = prop_oneof![
            Just("Intel(R) Ethernet Connection I219-LM"),
            Just("Realtek PCIe GbE Family Controller"),
            Just("Intel(R) Wi-Fi 6 AX201"),
            Just("Hyper-V Virtual Ethernet Adapter"),
            Just("Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter"),
            Just("Bluetooth Device (Personal Area Network)"),
            Just("Software Loopback Interface 1"),
            Just("Teredo Tunneling Pseudo-Interface"),
            Just("vmxnet3 Ethernet Adapter"),
        ];
        let ip = prop_oneof![
            Just(None),
            (1u8..=254).prop_map(|n| Some(format!("10.0.0.{n}"))),
        ];
        (names, ip, proptest::option::of(any_mac())).prop_map(|(name, ipv4, mac_address)| {
            NetworkInterface {
                name: Some(name.to_owned()),
                ipv4,
                ipv6: None,
                mac_address,
            }
        })
    }

    fn any_device() -> impl Strategy<Value = Device> {
        let serial = prop_oneof![
            Just("To Be Filled By O.E.M.".to_owned()),
            Just("System Serial Number".to_owned()),
            Just("0000000000".to_owned()),
            Just("123456789ABC".to_owned()),
            "[A-Z0-9]{7,12}",
            Just(" ".to_owned()),
        ];
        (
            proptest::collection::vec(any_nic(), 0..5),
            proptest::collection::vec(serial, 0..3),
            any::<bool>(),
            proptest::option::of((1u8..=254).prop_map(|n| format!("10.0.0.{n}"))),
            proptest::option::of(Just("HP".to_owned())),
            proptest::option::of(0u64..1 << 40),
        )
            .prop_map(
                |(nics, serials, virtual_machine, ip, manufacturer, memory)| {
                    let mut device = Device::new(DeviceUid::new("d-1"), SiteUid::new("s"), "PC-1");
                    device.device_type.category = Some("Desktop".into());
                    device.device_type.kind = Some(
                        if virtual_machine {
                            "Virtual"
                        } else {
                            "Physical"
                        }
                        .into(),
                    );
                    device.network_interfaces = nics;
                    device.serial_numbers = serials;
                    device.internal_ip = ip;
                    device.manufacturer = manufacturer;
                    device.rmm.memory_bytes = memory;
                    device
                },
            )
    }

    fn any_configuration() -> impl Strategy<Value = Configuration> {
        (
            proptest::option::of("[ -~]{0,20}"),
            proptest::option::of(any_mac()),
            proptest::option::of("[ -~]{0,12}"),
            any::<bool>(),
        )
            .prop_map(|(notes, mac, serial, psa)| {
                let mut c = Configuration::new(ConfigurationId(1), OrganizationId(1), "PC-1");
                c.notes = notes;
                c.mac_address = mac;
                c.serial_number = serial;
                c.psa_synced = psa;
                c
            })
    }

    fn any_policies() -> impl Strategy<Value = UpdatePolicies> {
        let policy = prop_oneof![
            Just(FieldPolicy::Overwrite),
            Just(FieldPolicy::FillWhenEmpty),
            Just(FieldPolicy::Never),
        ];
        proptest::collection::vec(policy, ConfigurationField::ALL.len()).prop_map(|chosen| {
            let mut policies = UpdatePolicies::default();
            for (field, policy) in ConfigurationField::ALL.into_iter().zip(chosen) {
                policies.set(field, policy);
            }
            policies
        })
    }

    proptest! {
        #[test]
        fn the_mapping_never_gives_a_placeholder_serial_or_a_virtual_mac(device in any_device()) {
            let policy = IdentifierPolicy::default();
            let a = configuration_attributes(&device, &policy);
            if let Some(serial) = &a.serial_number {
                prop_assert!(SerialNumber::normalize(serial, &policy).is_some(), "{serial}");
            }
            let on_vm = is_virtual_machine(&device);
            for mac in a.mac_address.iter().chain(a.interfaces.iter().filter_map(|i| i.mac_address.as_ref())) {
                prop_assert!(policy.identifies_a_device(mac), "{mac}");
                prop_assert!(on_vm || virtual_prefix(mac).is_none(), "{mac}");
            }
            for interface in &a.interfaces {
                let name = interface.name.as_deref().unwrap_or_default();
                let nic = NetworkInterface { name: Some(name.to_owned()), ..NetworkInterface::default() };
                prop_assert_eq!(adapter_kind(&nic, true), AdapterKind::Physical, "{}", name);
            }
            prop_assert!(a.interfaces.iter().filter(|i| i.primary).count() <= 1);
            // Every adapter kept with an IPv4 address carries it (a virtual adapter sharing a
            // kept adapter's MAC address is not kept, so its address is not either).
            for nic in device
                .network_interfaces
                .iter()
                .filter(|nic| adapter_kind(nic, on_vm) == AdapterKind::Physical)
            {
                let kept = a.interfaces.iter().find(|i| {
                    i.mac_address.is_some()
                        && i.mac_address == nic.mac_address.as_deref().and_then(|m| MacAddress::parse(m).ok())
                });
                if let (Some(kept), Some(_)) = (kept, &nic.ipv4) {
                    prop_assert!(kept.ip_address.is_some());
                }
            }
        }

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
