//! The Datto RMM → IT Glue flow's decisions: groups, organization matching, configuration
//! matching, the field mapping of a device to a configuration, and access scopes.

mod access;
mod configuration;
mod configuration_matching;
mod configuration_search;
mod configuration_types;
mod device;
mod field_mapping;
mod groups;
mod ids;
#[cfg(test)]
mod mapping_samples;
mod network_adapters;
mod notes_block;
mod organizations;
mod rmm_facts;
mod rmm_marker;
mod stored_matches;
mod suggestion;
mod update_plan;
mod update_policy;

pub use access::{AccessDenied, AccessScope};
pub use configuration::{Configuration, ConfigurationInterface};
pub use configuration_matching::{
    ConfigurationCounts, ConfigurationMatch, ConfigurationMatching, ConfigurationOutcome,
    MAC_AND_SERIAL_SCORE, MAC_SCORE, MARKER_SCORE, NAME_SCORE, SERIAL_SCORE,
    StoredConfigurationMatch, match_configurations,
};
pub use configuration_search::{CONFIGURATION_SEARCH_FLOOR, search_configurations};
pub use configuration_types::{
    ConfigurationKind, ConfigurationType, TypePreferences, choose_configuration_type,
};
pub use device::{Device, DeviceType, NetworkInterface};
pub use field_mapping::{ConfigurationAttributes, InterfaceAttributes, configuration_attributes};
pub use groups::{Group, GroupingMode, Site, build_groups};
pub use ids::{AutotaskCompanyId, ConfigurationId, DeviceUid, GroupId, OrganizationId, SiteUid};
pub use network_adapters::{
    AdapterKind, VIRTUAL_ADAPTER_PREFIXES, VIRTUAL_ADAPTER_WORDS, adapter_kind, is_virtual_machine,
    virtual_prefix,
};
pub use notes_block::{BLOCK_BEGIN, BLOCK_END, facts_block_of, has_facts_block, with_facts_block};
pub use organizations::{
    ALIAS_SCORE, DEFAULT_SUGGESTION_FLOOR, DEFAULT_TOP_K, EXACT_SCORE, FUZZY_CAP, MatchCounts,
    MatchOptions, MatchOrigin, NORMALISED_OTHER_FORM_SCORE, NORMALISED_SCORE, NameMatch,
    NamedCandidate, NamedMatch, NamedSuggestion, Organization, OrganizationIndex,
    OrganizationMatch, OrganizationMatching, OrganizationOutcome, StoredOrganizationMatch,
    WEAK_SUGGESTION_FLOOR, match_organizations,
};
pub use rmm_facts::{AntivirusFacts, Disk, PatchFacts, RmmFacts};
pub use rmm_marker::{RMM_MARKER_PREFIX, parse_rmm_marker, rmm_marker};
pub use stored_matches::{DeviceMatchChanges, NewDeviceMatch, StoredMatches, device_match_changes};
pub use suggestion::{MatchReason, Suggestion};
pub use update_plan::{AttributeChange, ConfigurationChanges, plan_configuration_update};
pub use update_policy::{ConfigurationField, DeletedDevicePolicy, FieldPolicy, UpdatePolicies};
