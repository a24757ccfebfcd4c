//! What a sync wrote on matched configurations, or would write in a dry run: the counts, and
//! per configuration each attribute old → new.

use sync_core::itglue::{AttributeChange, ConfigurationField};
use sync_engine::itglue::{ConfigurationUpdateView, SyncReport, UpdateOutcome};

/// The attribute as IT Glue names it.
fn field_name(field: ConfigurationField) -> &'static str {
    match field {
        ConfigurationField::Notes => "notes (RMM facts block)",
        other => other.attribute(),
    }
}

/// A value as shown: quoted, or "(none)".
fn shown(value: Option<&str>) -> String {
    match value {
        Some(text) => format!("{text:?}"),
        None => "(none)".to_owned(),
    }
}

/// The lines of one attribute change: `old → new` on one line, or for the notes block the
/// lines that differ (`-` old, `+` new).
fn change_lines(change: &AttributeChange) -> Vec<String> {
    if change.field != ConfigurationField::Notes {
        return vec![format!(
            "{}: {} → {}",
            field_name(change.field),
            shown(change.old.as_deref()),
            shown(Some(&change.new))
        )];
    }
    let old: Vec<&str> = change
        .old
        .as_deref()
        .map_or(Vec::new(), |o| o.lines().collect());
    let new: Vec<&str> = change.new.lines().collect();
    let mut lines = vec![format!("{}:", field_name(change.field))];
    lines.extend(
        old.iter()
            .filter(|line| !new.contains(line))
            .map(|line| format!("  - {line}")),
    );
    lines.extend(
        new.iter()
            .filter(|line| !old.contains(line))
            .map(|line| format!("  + {line}")),
    );
    lines
}

fn outcome_words(outcome: &UpdateOutcome) -> String {
    match outcome {
        UpdateOutcome::Planned => "would be updated".to_owned(),
        UpdateOutcome::Updated => "updated".to_owned(),
        UpdateOutcome::Refused { reason } => format!("refused by IT Glue: {reason}"),
        UpdateOutcome::NotWritten { reason } => {
            format!("not written ({reason}); the next sync tries again")
        }
        _ => "other".to_owned(),
    }
}

/// One configuration's writes, for people.
fn print_configuration(view: &ConfigurationUpdateView) {
    println!(
        "  {} (#{}), device {} — {}",
        view.name,
        view.configuration,
        view.device,
        outcome_words(&view.outcome)
    );
    for change in &view.changes {
        for line in change_lines(change) {
            println!("      {line}");
        }
    }
    for interface in &view.interfaces_added {
        println!(
            "      interface added: {} {} {}",
            interface.name.as_deref().unwrap_or("(no name)"),
            interface.ip_address.as_deref().unwrap_or("(no IP)"),
            interface
                .mac_address
                .map_or_else(|| "(no MAC)".to_owned(), |m| m.to_string())
        );
    }
    if !view.withheld.is_empty() {
        println!(
            "      left alone (PSA-synced, IT Glue refuses them): {}",
            view.withheld
                .iter()
                .map(|f| field_name(*f))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The counts of a run's updates on one line, and its refusals.
pub fn print_counts(report: &SyncReport) {
    let u = &report.updates;
    let fields = if u.fields.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            u.fields
                .iter()
                .map(|(field, n)| format!("{} {n}", field.attribute()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    println!(
        "IT Glue: {} configuration(s) {}{fields}, {} interface(s) added, {} refused, {} not written; devices deleted from Datto RMM: {} configuration(s) kept, {} archived.",
        u.configurations_updated,
        if u.dry_run {
            "would be updated"
        } else {
            "updated"
        },
        u.interfaces_added,
        u.refusals.len(),
        u.not_written.len(),
        u.deleted_devices_kept,
        u.deleted_devices_archived
    );
    for refusal in &u.refusals {
        println!(
            "  refused: {} (#{}), device {}: {}",
            refusal.name, refusal.configuration, refusal.device, refusal.reason
        );
    }
    for failed in &u.not_written {
        println!(
            "  not written (the next sync tries again): {} (#{}), device {}: {}",
            failed.name, failed.configuration, failed.device, failed.reason
        );
    }
}

/// A dry run's plan: every configuration with something to write, each attribute old → new.
pub fn print_plan(report: &SyncReport) {
    println!("Dry run: nothing was written to IT Glue.");
    let planned: Vec<&ConfigurationUpdateView> = report
        .updates
        .configurations
        .iter()
        .filter(|v| {
            !v.changes.is_empty() || !v.interfaces_added.is_empty() || !v.withheld.is_empty()
        })
        .collect();
    if planned.is_empty() {
        println!("Every matched configuration already carries its device's data.");
        return;
    }
    for view in planned {
        print_configuration(view);
    }
}
