//! The Datto RMM → IT Glue flow's decisions: groups, organization matching, configuration
//! matching, the field mapping of a device to a configuration, and access scopes.

mod access;
mod configuration;
mod configuration_matching;
mod device;
mod field_mapping;
mod groups;
mod ids;
mod organizations;
mod stored_matches;
mod suggestion;

pub use access::{AccessDenied, AccessScope};
pub use configuration::Configuration;
pub use configuration_matching::{
    ConfigurationCounts, ConfigurationMatch, ConfigurationMatching, ConfigurationOutcome,
    MAC_AND_SERIAL_SCORE, MAC_SCORE, MARKER_SCORE, NAME_SCORE, SERIAL_SCORE,
    StoredConfigurationMatch, match_configurations,
};
pub use device::{Device, DeviceType, NetworkInterface};
pub use field_mapping::{
    ConfigurationAttributes, ConfigurationKind, ConfigurationUpdate, InterfaceAttributes,
    RMM_MARKER_PREFIX, configuration_attributes, configuration_update, parse_rmm_marker,
    rmm_marker,
};
pub use groups::{Group, GroupingMode, Site, build_groups};
pub use ids::{AutotaskCompanyId, ConfigurationId, DeviceUid, GroupId, OrganizationId, SiteUid};
pub use organizations::{
    ALIAS_SCORE, DEFAULT_SUGGESTION_FLOOR, DEFAULT_TOP_K, EXACT_SCORE, FUZZY_CAP, MatchCounts,
    MatchOptions, MatchOrigin, NORMALISED_OTHER_FORM_SCORE, NORMALISED_SCORE, NameMatch,
    Organization, OrganizationIndex, OrganizationMatch, OrganizationMatching, OrganizationOutcome,
    StoredOrganizationMatch, WEAK_SUGGESTION_FLOOR, match_organizations,
};
pub use stored_matches::{DeviceMatchChanges, NewDeviceMatch, StoredMatches, device_match_changes};
pub use suggestion::{MatchReason, Suggestion};
