//! A pass in words: what it compared, the events it found, the steps it took (or, in a dry
//! run, would take), sites and companies by name.

use sync_core::gravityzone::StepReason;

use super::names::Names;
use super::pass::PassReport;

impl PassReport {
    /// `2 of 5 step(s) failed; their events stay open`, when a step failed.
    pub fn failed_steps(&self) -> Option<String> {
        (!self.steps_failed.is_empty()).then(|| {
            format!(
                "{} of {} step(s) failed; their events stay open",
                self.steps_failed.len(),
                self.plan.steps.len()
            )
        })
    }

    /// The pass as lines a person reads: the counts compared, each event (short reference,
    /// kind, site ↔ company by name, open or handled), the steps with their actions, the
    /// failures and the creations an interrupted run left that this pass finished.
    pub fn lines(&self) -> Vec<String> {
        let plan = &self.plan;
        // The inventories' names, and for a site or company deleted since, the name its event
        // remembers (from the association).
        let names = plan
            .events
            .iter()
            .fold(Names::from_snapshot(&self.snapshot), Names::with_event);
        let mut lines = vec![format!(
            "{} {} managed sites and {} companies.",
            if self.dry_run {
                "Dry run: compared"
            } else {
                "Compared"
            },
            self.snapshot.managed_sites().count(),
            self.snapshot.companies.len()
        )];
        if plan.events.is_empty() {
            lines.push("No discrepancies.".to_owned());
        } else {
            lines.push("Events:".to_owned());
        }
        for event in &plan.events {
            let state = if event.is_open() { "open" } else { "handled" };
            lines.push(format!(
                "  {} {:<34} {} ↔ {} ({state})",
                event.id.short_ref(),
                event.id.kind.as_str(),
                event.site_name.as_deref().unwrap_or(event.id.site.as_str()),
                event.company_name.as_deref().unwrap_or("-"),
            ));
        }
        if !plan.closed.is_empty() {
            let closed = plan.closed.len();
            lines.push(format!("{closed} earlier event(s) no longer found."));
        }
        if !plan.steps.is_empty() {
            let (done, of) = (self.steps_applied, plan.steps.len());
            let verb = if self.dry_run { "Would do" } else { "Done" };
            lines.push(format!("{verb} ({done} of {of}):"));
        }
        for step in &plan.steps {
            lines.push(match &step.reason {
                StepReason::Event { event, action } => {
                    format!("  {} → {}", event.kind.as_str(), action.kind().as_str())
                }
                StepReason::NewCompany { site } => {
                    format!("  new company for {}", names.site(site))
                }
                _ => "  step".to_owned(),
            });
            lines.extend(
                step.actions
                    .iter()
                    .map(|a| format!("    - {}", names.action(a))),
            );
        }
        for failure in &self.steps_failed {
            lines.push(format!("  failed: {}", failure.message));
        }
        if self.recovered > 0 {
            let recovered = self.recovered;
            lines.push(format!(
                "Finished {recovered} creation(s) an interrupted run left."
            ));
        }
        lines
    }
}
