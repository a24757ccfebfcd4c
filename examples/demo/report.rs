//! The demo's report as text a person reads in one screen or two.

use std::fmt::Write as _;

use crate::DemoReport;
use crate::itglue::{EXTRA_PLACEHOLDER_SERIAL, ItGlueReport, Updates};
use msp_sync_examples::output::percent;

/// A sync's updates in one line: how many configurations, which attributes.
fn updates_line(updates: &Updates) -> String {
    let fields: Vec<String> = updates
        .fields
        .iter()
        .map(|(field, n)| format!("{field} {n}"))
        .collect();
    let fields = if fields.is_empty() {
        String::new()
    } else {
        format!(" ({})", fields.join(", "))
    };
    format!(
        "{} configuration(s) updated{fields}, {} interface(s) added, {} refused",
        updates.configurations_updated, updates.interfaces_added, updates.refused
    )
}

fn itglue(out: &mut String, it: &ItGlueReport) {
    let c = &it.first;
    let _ = writeln!(out, "== Datto RMM → IT Glue ==");
    let _ = writeln!(
        out,
        "Settings: each site is a group; serial {EXTRA_PLACEHOLDER_SERIAL:?} declared a placeholder."
    );
    let _ = writeln!(
        out,
        "First sync: {} groups with devices — {} matched, {} suggested, {} unmatched.",
        c.groups, c.groups_matched, c.groups_suggested, c.groups_unmatched
    );
    let _ = writeln!(out, "Matched organizations:");
    for m in &it.matched {
        let same = if m.group == m.organization {
            String::new()
        } else {
            format!(" → {:?}", m.organization)
        };
        let _ = writeln!(out, "  {:?}{same} ({})", m.group, m.reason);
    }
    if !it.suggested.is_empty() {
        let _ = writeln!(out, "Suggested (best first):");
        for s in &it.suggested {
            let list: Vec<String> = s
                .suggestions
                .iter()
                .map(|(name, score)| format!("{name:?} {}", percent(*score)))
                .collect();
            let _ = writeln!(out, "  {:?}: {}", s.group, list.join(", "));
        }
    }
    if !it.unmatched.is_empty() {
        let _ = writeln!(
            out,
            "Unmatched: {}",
            it.unmatched
                .iter()
                .map(|g| format!("{g:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let by: Vec<String> = it
        .devices_matched_by
        .iter()
        .map(|(reason, n)| format!("{n} by {reason}"))
        .collect();
    let _ = writeln!(
        out,
        "Configurations: of {} devices in matched organizations, {} matched ({}), {} suggested by name only, {} without a configuration; {} devices wait for their group's organization.",
        c.devices - c.devices_without_organization,
        c.devices_matched,
        by.join(", "),
        it.devices_suggested_by_name,
        c.devices_unmatched,
        c.devices_without_organization
    );
    let _ = writeln!(
        out,
        "RMM data written on matched configurations: {}.",
        updates_line(&it.first_updates)
    );
    let _ = writeln!(out, "Then, as a user:");
    if !it.accepted.is_empty() {
        let _ = writeln!(
            out,
            "  accepted the best suggestion for {} group(s)",
            it.accepted.len()
        );
    }
    if let Some((organization, created)) = &it.created_configurations {
        let _ = writeln!(
            out,
            "  created {created} missing configuration(s) in {organization:?} (one bulk call)"
        );
    }
    let s = &it.second;
    let _ = writeln!(
        out,
        "Second sync: {} of {} groups matched, {} of {} devices matched; {}.",
        s.groups_matched,
        s.groups,
        s.devices_matched,
        s.devices,
        updates_line(&it.second_updates)
    );
    let _ = writeln!(
        out,
        "Third sync, nothing changed: {}.\n",
        updates_line(&it.third_updates)
    );
}

/// The report as text.
pub fn render(report: &DemoReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "msp-sync demo — generated MSP {:?} (seed {}): {} Datto RMM sites, {} devices; fakes on 127.0.0.1, SQLite store in a temporary directory.\n",
        report.msp, report.seed, report.sites, report.devices
    );
    itglue(&mut out, &report.itglue);
    crate::gravityzone::render(&mut out, &report.gravityzone);
    let _ = writeln!(out, "\nDone in {:.1} s.", report.seconds);
    out
}
