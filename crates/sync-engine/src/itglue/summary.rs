//! A run in words and numbers: its counts, what it wrote on matched configurations (each
//! attribute old → new for a dry run's plan), and how its devices matched.

use std::collections::BTreeMap;

use serde::Serialize;
use sync_core::itglue::{AttributeChange, ConfigurationField, ConfigurationOutcome, MatchReason};

use super::listing::{SyncSummary, reason_words};
use super::progress::Phase;
use super::report::{ConfigurationUpdateView, SyncReport, UpdateOutcome, UpdateReport};

/// A run's writes on matched configurations in numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UpdateCounts {
    /// Whether this was a dry run (nothing was written).
    pub dry_run: bool,
    /// Configurations updated (or that would be).
    pub configurations_updated: u64,
    /// How many configurations each attribute was written on, by IT Glue's attribute name.
    pub fields: BTreeMap<&'static str, u64>,
    /// Interfaces added.
    pub interfaces_added: u64,
    /// Configurations IT Glue refused.
    pub refused: usize,
    /// Configurations whose write failed for a reason that may pass.
    pub not_written: usize,
    /// Configurations of devices deleted from Datto RMM, kept.
    pub deleted_devices_kept: u64,
    /// Configurations of devices deleted from Datto RMM, archived.
    pub deleted_devices_archived: u64,
}

impl UpdateReport {
    /// The report in numbers.
    pub fn counts(&self) -> UpdateCounts {
        UpdateCounts {
            dry_run: self.dry_run,
            configurations_updated: self.configurations_updated,
            fields: self
                .fields
                .iter()
                .map(|(field, n)| (field.attribute(), *n))
                .collect(),
            interfaces_added: self.interfaces_added,
            refused: self.refusals.len(),
            not_written: self.not_written.len(),
            deleted_devices_kept: self.deleted_devices_kept,
            deleted_devices_archived: self.deleted_devices_archived,
        }
    }

    /// A dry run's plan: every configuration with something to write, each attribute
    /// old → new (the notes block as the lines that change), the interfaces to add and the
    /// attributes left alone.
    pub fn plan_lines(&self) -> Vec<String> {
        let planned: Vec<&ConfigurationUpdateView> = self
            .configurations
            .iter()
            .filter(|v| {
                !v.changes.is_empty() || !v.interfaces_added.is_empty() || !v.withheld.is_empty()
            })
            .collect();
        if planned.is_empty() {
            return vec!["Every matched configuration already carries its device's data.".into()];
        }
        planned.into_iter().flat_map(|view| view.lines()).collect()
    }
}

impl std::fmt::Display for UpdateCounts {
    /// `N configuration(s) updated (notes 3, …), N interface(s) added, N refused, N not
    /// written; devices deleted from Datto RMM: N configuration(s) kept, N archived`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(f, n)| format!("{f} {n}"))
            .collect();
        let fields = if fields.is_empty() {
            String::new()
        } else {
            format!(" ({})", fields.join(", "))
        };
        let updated = if self.dry_run {
            "would be updated"
        } else {
            "updated"
        };
        write!(
            f,
            "{} configuration(s) {updated}{fields}, {} interface(s) added, {} refused, {} not written; devices deleted from Datto RMM: {} configuration(s) kept, {} archived",
            self.configurations_updated,
            self.interfaces_added,
            self.refused,
            self.not_written,
            self.deleted_devices_kept,
            self.deleted_devices_archived
        )
    }
}

/// The attribute as a person reads it.
fn field_name(field: ConfigurationField) -> &'static str {
    match field {
        ConfigurationField::Notes => "notes (RMM facts block)",
        other => other.attribute(),
    }
}

/// A value as shown: quoted, or "(none)".
fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "(none)".to_owned(), |text| format!("{text:?}"))
}

/// One attribute change: `old → new` on one line, or for the notes block the lines that
/// differ (`-` old, `+` new).
fn change_lines(change: &AttributeChange) -> Vec<String> {
    let name = field_name(change.field);
    if change.field != ConfigurationField::Notes {
        let (old, new) = (shown(change.old.as_deref()), shown(Some(&change.new)));
        return vec![format!("{name}: {old} → {new}")];
    }
    let old: Vec<&str> = change
        .old
        .as_deref()
        .map_or(Vec::new(), |o| o.lines().collect());
    let new: Vec<&str> = change.new.lines().collect();
    let mut lines = vec![format!("{name}:")];
    lines.extend(
        old.iter()
            .filter(|l| !new.contains(l))
            .map(|l| format!("  - {l}")),
    );
    lines.extend(
        new.iter()
            .filter(|l| !old.contains(l))
            .map(|l| format!("  + {l}")),
    );
    lines
}

impl ConfigurationUpdateView {
    /// The configuration's writes: a heading line, then (indented) each change, interface
    /// added and attribute left alone.
    pub fn lines(&self) -> Vec<String> {
        let outcome = match &self.outcome {
            UpdateOutcome::Planned => "would be updated".to_owned(),
            UpdateOutcome::Updated => "updated".to_owned(),
            UpdateOutcome::Refused { reason } => format!("refused by IT Glue: {reason}"),
            UpdateOutcome::NotWritten { reason } => {
                format!("not written ({reason}); the next sync tries again")
            }
        };
        let mut lines = vec![format!(
            "  {} (#{}), device {} — {outcome}",
            self.name, self.configuration, self.device
        )];
        let details =
            self.changes
                .iter()
                .flat_map(change_lines)
                .chain(self.interfaces_added.iter().map(|interface| {
                    format!(
                        "interface added: {} {} {}",
                        interface.name.as_deref().unwrap_or("(no name)"),
                        interface.ip_address.as_deref().unwrap_or("(no IP)"),
                        interface
                            .mac_address
                            .map_or_else(|| "(no MAC)".to_owned(), |m| m.to_string())
                    )
                }));
        lines.extend(details.map(|line| format!("      {line}")));
        if !self.withheld.is_empty() {
            let names: Vec<&str> = self.withheld.iter().map(|f| field_name(*f)).collect();
            lines.push(format!(
                "      left alone (PSA-synced, IT Glue refuses them): {}",
                names.join(", ")
            ));
        }
        lines
    }
}

impl SyncSummary<'_> {
    /// The run for people: groups, devices, new matches and Datto RMM calls, the writes on
    /// configurations, and each refusal or failed write; for a dry run then `Dry run: nothing
    /// was written to IT Glue.` and its plan ([`UpdateReport::plan_lines`]).
    pub fn lines(&self) -> Vec<String> {
        let (c, calls, u) = (self.counts, self.datto_calls, self.updates);
        let matches = if u.dry_run {
            "New matches found (a dry run stores none)"
        } else {
            "New matches stored"
        };
        let mut lines = vec![
            format!(
                "Groups: {} taking part — {} matched, {} with suggestions, {} unmatched, {} ignored.",
                c.groups,
                c.groups_matched,
                c.groups_suggested,
                c.groups_unmatched,
                c.groups_ignored
            ),
            format!(
                "Devices: {} — {} matched, {} with suggestions, {} unmatched, {} in groups without an organization.",
                c.devices,
                c.devices_matched,
                c.devices_suggested,
                c.devices_unmatched,
                c.devices_without_organization
            ),
            format!(
                "{matches}: {} organizations, {} devices. Datto RMM calls: {} site, {} device, {} interface listings, {} audits.",
                c.organizations_matched_now,
                c.devices_matched_now,
                calls.site_listings,
                calls.device_listings + calls.site_device_listings,
                calls.interface_listings,
                calls.audits
            ),
            format!("IT Glue: {}.", u.counts()),
        ];
        for (what, list) in [
            ("refused", &u.refusals),
            ("not written (the next sync tries again)", &u.not_written),
        ] {
            lines.extend(list.iter().map(|r| {
                format!(
                    "  {what}: {} (#{}), device {}: {}",
                    r.name, r.configuration, r.device, r.reason
                )
            }));
        }
        if u.dry_run {
            lines.push("Dry run: nothing was written to IT Glue.".to_owned());
            lines.extend(u.plan_lines());
        }
        lines
    }
}

/// How a run's devices of matched organizations matched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DeviceTally {
    /// Devices matched by this run, by reason in words (`MAC and serial`, `MAC address`,
    /// `serial number`, …).
    pub devices_matched_by: BTreeMap<&'static str, u64>,
    /// Devices with a configuration suggested by name only.
    pub devices_suggested_by_name: u64,
}

impl SyncReport {
    /// How the devices of matched organizations matched.
    pub fn device_tally(&self) -> DeviceTally {
        let mut tally = DeviceTally::default();
        for device in self.organizations.iter().flat_map(|o| &o.devices) {
            match &device.outcome {
                ConfigurationOutcome::Matched { reason, .. } => {
                    *tally
                        .devices_matched_by
                        .entry(reason_words(*reason))
                        .or_default() += 1;
                }
                ConfigurationOutcome::Suggested { suggestions }
                    if suggestions.iter().all(|s| s.reason == MatchReason::Name) =>
                {
                    tally.devices_suggested_by_name += 1;
                }
                _ => {}
            }
        }
        tally
    }
}

impl Phase {
    /// The phase as a progress line says it: "listing Datto RMM sites", …
    pub fn words(self) -> &'static str {
        match self {
            Phase::Preparing => "preparing",
            Phase::Sites => "listing Datto RMM sites",
            Phase::Devices => "listing Datto RMM devices",
            Phase::Organizations => "listing IT Glue organizations",
            Phase::MatchingOrganizations => "matching organizations",
            Phase::Configurations => "listing configurations",
            Phase::DeviceFacts => "reading MAC addresses and audits",
            Phase::MatchingDevices => "matching devices",
            Phase::Saving => "saving",
            Phase::Updating => "updating configurations",
            Phase::Done => "done",
        }
    }
}
