//! The demo's report as text a person reads in one screen or two.

use std::fmt::Write as _;

use crate::DemoReport;
use crate::itglue::{EXTRA_PLACEHOLDER_SERIAL, ItGlueReport};
use sync_engine::itglue::OrganizationState;

fn itglue(out: &mut String, it: &ItGlueReport) -> std::fmt::Result {
    let c = &it.first;
    writeln!(out, "== Datto RMM → IT Glue ==")?;
    writeln!(
        out,
        "Settings: each site is a group; serial {EXTRA_PLACEHOLDER_SERIAL:?} declared a placeholder."
    )?;
    writeln!(
        out,
        "First sync: {} groups with devices — {} matched, {} suggested, {} unmatched.",
        c.groups, c.groups_matched, c.groups_suggested, c.groups_unmatched
    )?;
    let in_state = |state| it.groups.iter().filter(move |g| g.state == state);
    writeln!(out, "Matched organizations:")?;
    for g in in_state(OrganizationState::Matched) {
        writeln!(out, "  {:?} → {}", g.name, g.detail)?;
    }
    if in_state(OrganizationState::Suggested).next().is_some() {
        writeln!(out, "Suggested (best first):")?;
    }
    for g in in_state(OrganizationState::Suggested) {
        writeln!(out, "  {:?}: {}", g.name, g.detail)?;
    }
    let unmatched: Vec<String> = in_state(OrganizationState::Unmatched)
        .map(|g| format!("{:?}", g.name))
        .collect();
    if !unmatched.is_empty() {
        writeln!(out, "Unmatched: {}", unmatched.join(", "))?;
    }
    let by: Vec<String> = (it.devices.devices_matched_by.iter())
        .map(|(reason, n)| format!("{n} by {reason}"))
        .collect();
    writeln!(
        out,
        "Configurations: of {} devices in matched organizations, {} matched ({}), {} suggested by name only, {} without a configuration; {} devices wait for their group's organization.",
        c.devices - c.devices_without_organization,
        c.devices_matched,
        by.join(", "),
        it.devices.devices_suggested_by_name,
        c.devices_unmatched,
        c.devices_without_organization
    )?;
    writeln!(
        out,
        "RMM data written on matched configurations: {}.",
        it.first_updates
    )?;
    writeln!(out, "Then, as a user:")?;
    if !it.accepted.is_empty() {
        let n = it.accepted.len();
        writeln!(out, "  accepted the best suggestion for {n} group(s)")?;
    }
    if let Some((organization, created)) = &it.created_configurations {
        writeln!(
            out,
            "  created {created} missing configuration(s) in {organization:?} (one bulk call)"
        )?;
    }
    let s = &it.second;
    writeln!(
        out,
        "Second sync: {} of {} groups matched, {} of {} devices matched; {}.",
        s.groups_matched, s.groups, s.devices_matched, s.devices, it.second_updates
    )?;
    writeln!(out, "Third sync, nothing changed: {}.\n", it.third_updates)
}

/// The report as text.
pub fn render(report: &DemoReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "msp-sync demo — generated MSP {:?} (seed {}): {} Datto RMM sites, {} devices; fakes on 127.0.0.1, SQLite store in a temporary directory.\n",
        report.msp, report.seed, report.sites, report.devices
    );
    let _ = itglue(&mut out, &report.itglue);
    crate::gravityzone::render(&mut out, &report.gravityzone);
    let _ = writeln!(out, "\nDone in {:.1} s.", report.seconds);
    out
}
