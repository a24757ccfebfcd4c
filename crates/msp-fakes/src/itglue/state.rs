//! The records of the IT Glue fake: organizations, configurations, configuration interfaces,
//! and the four type/status lists, with the account's id counter and logical clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration as ChronoDuration, TimeZone, Utc};

/// The first id the fake hands out: real IT Glue ids have 15–16 digits.
const FIRST_ID: u64 = 1_694_461_951_918_297;

/// An organization as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeOrganization {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// The short name.
    pub short_name: Option<String>,
    /// The alert text.
    pub alert: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Quick notes (lists show the first 250 characters).
    pub quick_notes: Option<String>,
    /// The organization type.
    pub organization_type_id: Option<u64>,
    /// The organization status.
    pub organization_status_id: Option<u64>,
    /// Whether this is the account owner's organization.
    pub primary: bool,
    /// The PSA record it is synced from (`(integration type, PSA id)`); such an organization
    /// accepts changes to `alert`, `description` and `quick_notes` only.
    pub psa: Option<(String, String)>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A configuration as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeConfiguration {
    /// The id.
    pub id: u64,
    /// The organization it belongs to.
    pub organization_id: u64,
    /// The name.
    pub name: String,
    /// The hostname.
    pub hostname: Option<String>,
    /// The primary IP address.
    pub primary_ip: Option<String>,
    /// The primary MAC address, as entered.
    pub mac_address: Option<String>,
    /// The default gateway.
    pub default_gateway: Option<String>,
    /// The serial number.
    pub serial_number: Option<String>,
    /// The asset tag.
    pub asset_tag: Option<String>,
    /// The position.
    pub position: Option<String>,
    /// Who installed it.
    pub installed_by: Option<String>,
    /// Who purchased it.
    pub purchased_by: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Operating system notes.
    pub operating_system_notes: Option<String>,
    /// The configuration type (every configuration has one).
    pub configuration_type_id: u64,
    /// The configuration status.
    pub configuration_status_id: Option<u64>,
    /// The manufacturer (no names are kept).
    pub manufacturer_id: Option<u64>,
    /// The model.
    pub model_id: Option<u64>,
    /// The operating system.
    pub operating_system_id: Option<u64>,
    /// The location.
    pub location_id: Option<u64>,
    /// The contact.
    pub contact_id: Option<u64>,
    /// When the warranty ends (`YYYY-MM-DD`).
    pub warranty_expires_at: Option<String>,
    /// When it was installed (`YYYY-MM-DD`).
    pub installed_at: Option<String>,
    /// When it was purchased (`YYYY-MM-DD`).
    pub purchased_at: Option<String>,
    /// Whether it is archived.
    pub archived: bool,
    /// Whether access is restricted.
    pub restricted: bool,
    /// RMM records linked by IT Glue's own integrations: `(integration type, RMM id)`, found
    /// by `filter[rmm_id]` + `filter[rmm_integration_type]`.
    pub rmm_links: Vec<(String, String)>,
    /// The PSA record it is synced from; then only a few attributes may change.
    pub psa: Option<(String, String)>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A configuration interface as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeInterface {
    /// The id.
    pub id: u64,
    /// The configuration it belongs to.
    pub configuration_id: u64,
    /// The name.
    pub name: Option<String>,
    /// The IP address.
    pub ip_address: Option<String>,
    /// The MAC address.
    pub mac_address: Option<String>,
    /// Whether it is the configuration's primary interface.
    pub primary: bool,
    /// Notes.
    pub notes: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// An organization or configuration type or status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeNamed {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// Whether it is synced from a PSA (then it cannot be changed).
    pub synced: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// Which of the four name lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NamedKind {
    /// `organization_types`
    OrganizationType,
    /// `organization_statuses`
    OrganizationStatus,
    /// `configuration_types`
    ConfigurationType,
    /// `configuration_statuses`
    ConfigurationStatus,
    /// `manufacturers`
    Manufacturer,
    /// `operating_systems` (read-only in IT Glue)
    OperatingSystem,
}

impl NamedKind {
    /// Every kind, in route order.
    pub const ALL: [NamedKind; 6] = [
        NamedKind::OrganizationType,
        NamedKind::OrganizationStatus,
        NamedKind::ConfigurationType,
        NamedKind::ConfigurationStatus,
        NamedKind::Manufacturer,
        NamedKind::OperatingSystem,
    ];

    /// The route segment (`organization_types`).
    pub fn route(self) -> &'static str {
        match self {
            Self::OrganizationType => "organization_types",
            Self::OrganizationStatus => "organization_statuses",
            Self::ConfigurationType => "configuration_types",
            Self::ConfigurationStatus => "configuration_statuses",
            Self::Manufacturer => "manufacturers",
            Self::OperatingSystem => "operating_systems",
        }
    }

    /// The JSON:API type (`organization-types`).
    pub fn json_type(self) -> &'static str {
        match self {
            Self::OrganizationType => "organization-types",
            Self::OrganizationStatus => "organization-statuses",
            Self::ConfigurationType => "configuration-types",
            Self::ConfigurationStatus => "configuration-statuses",
            Self::Manufacturer => "manufacturers",
            Self::OperatingSystem => "operating-systems",
        }
    }

    /// The kind whose route segment is `segment`.
    pub fn from_route(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.route() == segment)
    }
}

/// A model of a manufacturer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeModel {
    /// The id.
    pub id: u64,
    /// The name.
    pub name: String,
    /// The manufacturer it belongs to.
    pub manufacturer_id: u64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// The whole account.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    next_id: u64,
    clock: DateTime<Utc>,
    pub(crate) organizations: BTreeMap<u64, FakeOrganization>,
    pub(crate) configurations: BTreeMap<u64, FakeConfiguration>,
    pub(crate) interfaces: BTreeMap<u64, FakeInterface>,
    pub(crate) named: BTreeMap<NamedKind, BTreeMap<u64, FakeNamed>>,
    pub(crate) models: BTreeMap<u64, FakeModel>,
}

impl Default for Account {
    fn default() -> Self {
        let mut account = Self {
            next_id: FIRST_ID,
            clock: Utc
                .with_ymd_and_hms(2024, 1, 15, 9, 0, 0)
                .single()
                .unwrap_or_default(),
            organizations: BTreeMap::new(),
            configurations: BTreeMap::new(),
            interfaces: BTreeMap::new(),
            named: BTreeMap::new(),
            models: BTreeMap::new(),
        };
        for (kind, names) in [
            (
                NamedKind::OrganizationType,
                &["Owner", "Customer", "Vendor", "Prospect"][..],
            ),
            (NamedKind::OrganizationStatus, &["Active", "Inactive"][..]),
            (
                NamedKind::ConfigurationType,
                &[
                    "Managed Server",
                    "Managed Workstation",
                    "Laptop",
                    "Switch",
                    "Firewall",
                    "Printer",
                    "Network Device",
                ][..],
            ),
            (
                NamedKind::ConfigurationStatus,
                &["Active", "Inactive", "Decommissioned"][..],
            ),
            (NamedKind::Manufacturer, &["Dell", "Lenovo"][..]),
            (
                NamedKind::OperatingSystem,
                &[
                    "Windows 11",
                    "Windows 10",
                    "Windows Server 2022",
                    "Windows Server 2019",
                    "macOS",
                    "Ubuntu",
                ][..],
            ),
        ] {
            for name in names {
                account.add_named(kind, name, false);
            }
        }
        account
    }
}

impl Account {
    /// A fresh id.
    pub(crate) fn allocate_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The logical clock, advanced one second per change so timestamps are distinct and
    /// repeatable.
    pub(crate) fn tick(&mut self) -> DateTime<Utc> {
        self.clock += ChronoDuration::seconds(1);
        self.clock
    }

    /// Adds a type or status.
    pub(crate) fn add_named(&mut self, kind: NamedKind, name: &str, synced: bool) -> u64 {
        let id = self.allocate_id();
        let now = self.tick();
        self.named.entry(kind).or_default().insert(
            id,
            FakeNamed {
                id,
                name: name.to_owned(),
                synced,
                created_at: now,
                updated_at: now,
            },
        );
        id
    }

    /// The list of one kind.
    pub(crate) fn named_of(&self, kind: NamedKind) -> impl Iterator<Item = &FakeNamed> {
        self.named.get(&kind).into_iter().flat_map(BTreeMap::values)
    }

    /// One type or status.
    pub(crate) fn named_get(&self, kind: NamedKind, id: u64) -> Option<&FakeNamed> {
        self.named.get(&kind).and_then(|list| list.get(&id))
    }

    /// The id of the type or status with exactly this name.
    pub(crate) fn named_id(&self, kind: NamedKind, name: &str) -> Option<u64> {
        self.named_of(kind)
            .find(|named| named.name == name)
            .map(|named| named.id)
    }

    /// The name of a type or status, when it exists.
    pub(crate) fn named_name(&self, kind: NamedKind, id: Option<u64>) -> Option<String> {
        id.and_then(|id| self.named_get(kind, id))
            .map(|named| named.name.clone())
    }

    /// Adds a model under a manufacturer.
    pub(crate) fn add_model(&mut self, manufacturer_id: u64, name: &str) -> u64 {
        let id = self.allocate_id();
        let now = self.tick();
        self.models.insert(
            id,
            FakeModel {
                id,
                name: name.to_owned(),
                manufacturer_id,
                created_at: now,
                updated_at: now,
            },
        );
        id
    }

    /// A new organization with only a name, of type Customer and status Active.
    pub(crate) fn new_organization(&mut self, name: &str) -> FakeOrganization {
        let id = self.allocate_id();
        let now = self.tick();
        FakeOrganization {
            id,
            name: name.to_owned(),
            short_name: None,
            alert: None,
            description: None,
            quick_notes: None,
            organization_type_id: self.named_id(NamedKind::OrganizationType, "Customer"),
            organization_status_id: self.named_id(NamedKind::OrganizationStatus, "Active"),
            primary: false,
            psa: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// A new configuration with only the required attributes.
    pub(crate) fn new_configuration(
        &mut self,
        organization_id: u64,
        name: &str,
        configuration_type_id: u64,
    ) -> FakeConfiguration {
        let id = self.allocate_id();
        let now = self.tick();
        FakeConfiguration {
            id,
            organization_id,
            name: name.to_owned(),
            hostname: None,
            primary_ip: None,
            mac_address: None,
            default_gateway: None,
            serial_number: None,
            asset_tag: None,
            position: None,
            installed_by: None,
            purchased_by: None,
            notes: None,
            operating_system_notes: None,
            configuration_type_id,
            configuration_status_id: None,
            manufacturer_id: None,
            model_id: None,
            operating_system_id: None,
            location_id: None,
            contact_id: None,
            warranty_expires_at: None,
            installed_at: None,
            purchased_at: None,
            archived: false,
            restricted: false,
            rmm_links: Vec::new(),
            psa: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// A new interface of `configuration_id`.
    pub(crate) fn new_interface(&mut self, configuration_id: u64) -> FakeInterface {
        let id = self.allocate_id();
        let now = self.tick();
        FakeInterface {
            id,
            configuration_id,
            name: None,
            ip_address: None,
            mac_address: None,
            primary: false,
            notes: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// The interfaces of one configuration, in id order.
    pub(crate) fn interfaces_of(&self, configuration_id: u64) -> Vec<&FakeInterface> {
        self.interfaces
            .values()
            .filter(|interface| interface.configuration_id == configuration_id)
            .collect()
    }

    /// Stores an interface and keeps the configuration and its primary interface in step, as
    /// IT Glue does: a new primary interface demotes the old one and sets the configuration's
    /// primary IP and MAC.
    pub(crate) fn store_interface(&mut self, interface: FakeInterface) {
        if interface.primary {
            for other in self.interfaces.values_mut() {
                if other.configuration_id == interface.configuration_id {
                    other.primary = false;
                }
            }
            let now = self.tick();
            if let Some(configuration) = self.configurations.get_mut(&interface.configuration_id) {
                if interface.ip_address.is_some() {
                    configuration.primary_ip.clone_from(&interface.ip_address);
                }
                if interface.mac_address.is_some() {
                    configuration.mac_address.clone_from(&interface.mac_address);
                }
                configuration.updated_at = now;
            }
        }
        self.interfaces.insert(interface.id, interface);
    }

    /// Stores a configuration and keeps its primary interface in step with its primary IP and
    /// MAC (see [`Account::sync_primary_interface`]).
    pub(crate) fn store_configuration(&mut self, configuration: FakeConfiguration) {
        let id = configuration.id;
        self.configurations.insert(id, configuration);
        self.sync_primary_interface(id);
    }

    /// As IT Glue does: a configuration's primary IP and MAC are its primary interface's;
    /// writing them updates that interface, creating one when there is none.
    pub(crate) fn sync_primary_interface(&mut self, configuration_id: u64) {
        let Some(configuration) = self.configurations.get(&configuration_id) else {
            return;
        };
        let ip = configuration.primary_ip.clone();
        let mac = configuration.mac_address.clone();
        if ip.is_none() && mac.is_none() {
            return;
        }
        let primary = self
            .interfaces
            .values()
            .find(|interface| interface.configuration_id == configuration_id && interface.primary)
            .map(|interface| interface.id);
        match primary {
            Some(interface_id) => {
                let now = self.tick();
                if let Some(interface) = self.interfaces.get_mut(&interface_id) {
                    let mut changed = false;
                    if ip.is_some() && interface.ip_address != ip {
                        interface.ip_address = ip;
                        changed = true;
                    }
                    if mac.is_some() && interface.mac_address != mac {
                        interface.mac_address = mac;
                        changed = true;
                    }
                    if changed {
                        interface.updated_at = now;
                    }
                }
            }
            None => {
                let mut interface = self.new_interface(configuration_id);
                interface.name = Some("Primary".to_owned());
                interface.ip_address = ip;
                interface.mac_address = mac;
                interface.primary = true;
                self.interfaces.insert(interface.id, interface);
            }
        }
    }
}
