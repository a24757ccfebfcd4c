//! The engine's options for the IT Glue flow, a tenant's settings as applied, and the clock.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::{
    ConfigurationKind, DEFAULT_SUGGESTION_FLOOR, DEFAULT_TOP_K, GroupingMode, MatchOptions,
};
use sync_store::ItGlueSettings;

/// The create cap used while a tenant has saved no settings (creates per action).
pub const DEFAULT_CREATE_CAP: u32 = 100;

/// How the engine runs the flow, for every tenant. What differs per tenant (grouping, name
/// aliases, placeholder serials, the create cap) is the tenant's [`ItGlueSettings`], kept in
/// the store.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FlowOptions {
    /// Organization candidates scoring below this are not suggested (`[0, 1]`).
    pub suggestion_floor: f64,
    /// At most this many suggestions per group.
    pub suggestions: usize,
    /// The IT Glue configuration type each kind of device becomes, by type name (compared case
    /// and blanks aside). A kind without an entry, or whose name the account does not have,
    /// uses [`FlowOptions::fallback_configuration_type`].
    pub configuration_types: BTreeMap<ConfigurationKind, String>,
    /// The configuration type used when a kind has none.
    pub fallback_configuration_type: Option<String>,
    /// The configuration status given to created configurations (by name), when the account
    /// has one of that name.
    pub configuration_status: Option<String>,
    /// How long a run holds the tenant's lease.
    pub lease_ttl: Duration,
}

impl Default for FlowOptions {
    fn default() -> Self {
        let configuration_types = [
            (ConfigurationKind::Workstation, "Workstation"),
            (ConfigurationKind::Laptop, "Laptop"),
            (ConfigurationKind::Server, "Server"),
            (ConfigurationKind::VirtualHost, "Virtual Host"),
            (ConfigurationKind::Printer, "Printer"),
            (ConfigurationKind::NetworkDevice, "Network Device"),
            (ConfigurationKind::MobileDevice, "Mobile Device"),
            (ConfigurationKind::Other, "Other"),
        ]
        .into_iter()
        .map(|(kind, name)| (kind, name.to_owned()))
        .collect();
        Self {
            suggestion_floor: DEFAULT_SUGGESTION_FLOOR,
            suggestions: DEFAULT_TOP_K,
            configuration_types,
            fallback_configuration_type: Some("Other".to_owned()),
            configuration_status: Some("Active".to_owned()),
            lease_ttl: Duration::from_secs(15 * 60),
        }
    }
}

/// The tenant's settings as the flow applies them.
#[derive(Clone, Debug)]
pub(crate) struct Effective {
    pub(crate) grouping: GroupingMode,
    pub(crate) matching: MatchOptions,
    pub(crate) identifiers: IdentifierPolicy,
    pub(crate) create_cap: usize,
}

impl Effective {
    pub(crate) fn new(options: &FlowOptions, saved: &ItGlueSettings) -> Self {
        Self {
            grouping: saved.grouping,
            matching: MatchOptions {
                floor: options.suggestion_floor,
                top_k: options.suggestions,
                aliases: saved.name_aliases(),
            },
            identifiers: saved.identifiers.clone(),
            create_cap: usize::try_from(saved.create_cap).unwrap_or(usize::MAX),
        }
    }
}

/// The settings of a tenant that saved none.
pub fn default_tenant_settings() -> ItGlueSettings {
    ItGlueSettings {
        create_cap: DEFAULT_CREATE_CAP,
        ..ItGlueSettings::default()
    }
}

/// Where the flow reads the time (the store never does). Tests give a fixed clock.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl<F: Fn() -> DateTime<Utc> + Send + Sync> Clock for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}
