//! A tenant's versioned state, read in one piece.

use std::collections::BTreeMap;

use crate::{GravityZoneState, Integration, ItGlueState, Vendor, Version};

/// Everything [`Store::apply`](crate::Store::apply) changes for one tenant, read at one version.
/// Lists are sorted by their key (site uid, event identity, …), so two reads of one version are
/// equal whatever the implementation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TenantState {
    /// The version to pass back with the next change.
    pub version: Version,
    /// The tenant's vendor integrations, without secrets.
    pub integrations: BTreeMap<Vendor, Integration>,
    /// The GravityZone flow's settings, associations, exclusions and events.
    pub gravityzone: GravityZoneState,
    /// The IT Glue flow's settings, matches and ignored groups.
    pub itglue: ItGlueState,
}
