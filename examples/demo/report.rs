//! The demo's report as text a person reads in one screen or two.

use std::fmt::Write as _;

use crate::DemoReport;
use crate::itglue::EXTRA_PLACEHOLDER_SERIAL;
use sync_engine::itglue::Walkthrough;

fn itglue(out: &mut String, it: &Walkthrough) -> std::fmt::Result {
    writeln!(out, "== Datto RMM → IT Glue ==")?;
    writeln!(
        out,
        "Settings: each site is a group; serial {EXTRA_PLACEHOLDER_SERIAL:?} declared a placeholder."
    )?;
    for line in it.lines() {
        writeln!(out, "{line}")?;
    }
    writeln!(out)
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
