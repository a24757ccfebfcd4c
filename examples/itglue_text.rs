//! Words for the IT Glue flow's outcomes, shared by `itglue-sync` and the demo.

use sync_core::itglue::{ConfigurationOutcome, MatchReason, OrganizationOutcome};

/// Why something matched or was suggested, as a person reads it.
pub fn reason(reason: MatchReason) -> &'static str {
    match reason {
        MatchReason::Exact => "same name",
        MatchReason::Alias => "alias",
        MatchReason::Normalised => "same normalised name",
        MatchReason::Fuzzy => "similar name",
        MatchReason::RmmMarker => "RMM marker",
        MatchReason::MacAndSerial => "MAC and serial",
        MatchReason::MacAddress => "MAC address",
        MatchReason::SerialNumber => "serial number",
        MatchReason::Name => "name",
        _ => "other",
    }
}

/// A group's organization outcome in one word: `matched`, `suggested`, `unmatched`, `ignored`.
pub fn organization_state(outcome: &OrganizationOutcome) -> &'static str {
    match outcome {
        OrganizationOutcome::Stored { .. } | OrganizationOutcome::Matched { .. } => "matched",
        OrganizationOutcome::Suggested { .. } => "suggested",
        // A weak suggestion (below the floor) leaves the group unmatched.
        OrganizationOutcome::Unmatched | OrganizationOutcome::WeakSuggestion { .. } => "unmatched",
        OrganizationOutcome::Ignored => "ignored",
        _ => "other",
    }
}

/// A device's configuration outcome in one word: `matched`, `suggested`, `unmatched`.
pub fn configuration_state(outcome: &ConfigurationOutcome) -> &'static str {
    match outcome {
        ConfigurationOutcome::Stored { .. } | ConfigurationOutcome::Matched { .. } => "matched",
        ConfigurationOutcome::Suggested { .. } => "suggested",
        ConfigurationOutcome::Unmatched => "unmatched",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_have_one_word_each() {
        assert_eq!(
            organization_state(&OrganizationOutcome::Unmatched),
            "unmatched"
        );
        assert_eq!(organization_state(&OrganizationOutcome::Ignored), "ignored");
        assert_eq!(
            configuration_state(&ConfigurationOutcome::Unmatched),
            "unmatched"
        );
        assert_eq!(reason(MatchReason::MacAddress), "MAC address");
    }
}
