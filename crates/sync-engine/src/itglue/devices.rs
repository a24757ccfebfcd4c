//! The configuration pass of one organization: `sync-core` decides; this module gives it the
//! organization's devices, its configurations and the stored matches that still hold.

use std::collections::BTreeMap;

use sync_core::identifiers::IdentifierPolicy;
use sync_core::itglue::{
    Configuration, ConfigurationId, ConfigurationOutcome, Device, DeviceUid, MatchOrigin,
    StoredConfigurationMatch, match_configurations,
};

use super::stored::Stored;

/// Whether an outcome is a match (stored or new).
pub(crate) fn is_matched(outcome: &ConfigurationOutcome) -> bool {
    matches!(
        outcome,
        ConfigurationOutcome::Stored { .. } | ConfigurationOutcome::Matched { .. }
    )
}

/// The configuration an outcome matches, if any.
pub(crate) fn matched_configuration(outcome: &ConfigurationOutcome) -> Option<ConfigurationId> {
    match outcome {
        ConfigurationOutcome::Stored { configuration, .. }
        | ConfigurationOutcome::Matched { configuration, .. } => Some(*configuration),
        _ => None,
    }
}

/// Matches `members` (the devices of the groups matched to one organization) to the
/// organization's configurations. A stored match whose configuration is no longer in the
/// organization's complete listing is not given to the pass: the device is matched afresh (and
/// the run drops the stale match).
pub(crate) fn match_devices(
    members: &[DeviceUid],
    devices: &BTreeMap<DeviceUid, Device>,
    configurations: &[Configuration],
    stored: &Stored,
    policy: &IdentifierPolicy,
) -> BTreeMap<DeviceUid, ConfigurationOutcome> {
    let present: std::collections::BTreeSet<ConfigurationId> =
        configurations.iter().map(|c| c.id).collect();
    // Borrowed, not cloned: the pass reads only uids, hostnames, MACs and serials.
    let inputs: Vec<&Device> = members.iter().filter_map(|uid| devices.get(uid)).collect();
    let still_valid: Vec<StoredConfigurationMatch> = members
        .iter()
        .filter_map(|uid| {
            let configuration = *stored.matches.configuration_of.get(uid)?;
            present
                .contains(&configuration)
                .then(|| StoredConfigurationMatch {
                    device: uid.clone(),
                    configuration,
                    origin: MatchOrigin::User,
                })
        })
        .collect();
    match_configurations(&inputs, configurations, &still_valid, policy)
        .matches
        .into_iter()
        .map(|m| (m.device, m.outcome))
        .collect()
}
