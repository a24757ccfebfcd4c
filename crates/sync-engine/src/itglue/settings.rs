//! The engine's options for the IT Glue flow and a tenant's settings as applied.

use std::collections::BTreeMap;
use std::time::Duration;

use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::{
    ConfigurationKind, DEFAULT_SUGGESTION_FLOOR, DEFAULT_TOP_K, DeletedDevicePolicy, GroupingMode,
    MatchOptions, TypePreferences, UpdatePolicies,
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
    /// The IT Glue configuration types each kind of device may become, by type name in order
    /// of preference (compared case and blanks aside), and the fallback names; a tenant's
    /// pinned types ([`ItGlueSettings::configuration_types`]) come first.
    pub configuration_types: TypePreferences,
    /// The configuration status given to created configurations (by name), when the account
    /// has one of that name.
    pub configuration_status: Option<String>,
    /// How long the tenant's lease lasts unless renewed (the heartbeat renews it every third of
    /// this while the run works; a killed worker's tenant is free after at most this long).
    pub lease_ttl: Duration,
}

impl Default for FlowOptions {
    fn default() -> Self {
        Self {
            suggestion_floor: DEFAULT_SUGGESTION_FLOOR,
            suggestions: DEFAULT_TOP_K,
            configuration_types: TypePreferences::default(),
            configuration_status: Some("Active".to_owned()),
            lease_ttl: crate::lease::DEFAULT_LEASE_TTL,
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
    pub(crate) type_pins: BTreeMap<ConfigurationKind, String>,
    pub(crate) update_policies: UpdatePolicies,
    pub(crate) deleted_devices: DeletedDevicePolicy,
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
            type_pins: saved.configuration_types.clone(),
            update_policies: saved.update_policies.clone(),
            deleted_devices: saved.deleted_devices,
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
