//! Progress reporting: what a run is doing and how far it got, for a progress bar.
//!
//! A run calls a [`ProgressSink`] at the start of each [`Phase`] and when a phase's count is
//! known or grows (sites and devices listed, organizations listed and matched, organizations
//! whose configurations were read). Any `Fn(&Progress) + Send + Sync` is a sink;
//! [`ChannelProgress`] forwards to a tokio channel so a binary can draw from another task.
//!
//! The run also opens `tracing` spans: `itglue.run` (tenant, run number) around
//! `itglue.inventory` (sites and devices), `itglue.organizations` (listing and matching),
//! `itglue.configurations`, `itglue.devices` (MACs, audits, configuration matching) and
//! `itglue.saving`; at its end it logs the Datto RMM calls it made, by kind.

use std::fmt;

use tokio::sync::mpsc;

/// A phase of an IT Glue sync run, in the order they happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Phase {
    /// Checking the saved credential status and the lease.
    Preparing,
    /// Listing Datto RMM sites.
    Sites,
    /// Listing Datto RMM devices.
    Devices,
    /// Listing IT Glue organizations.
    Organizations,
    /// Matching groups to organizations.
    MatchingOrganizations,
    /// Listing the configurations of the matched organizations.
    Configurations,
    /// Reading MAC addresses (site network-interface listings) and audits of the devices that
    /// need them.
    DeviceFacts,
    /// Matching devices to configurations.
    MatchingDevices,
    /// Writing the results to the store.
    Saving,
    /// Bringing matched configurations to their devices' data (planning only, in a dry run).
    Updating,
    /// The run is over.
    Done,
}

impl Phase {
    /// The phase's name in snake case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preparing => "preparing",
            Self::Sites => "sites",
            Self::Devices => "devices",
            Self::Organizations => "organizations",
            Self::MatchingOrganizations => "matching_organizations",
            Self::Configurations => "configurations",
            Self::DeviceFacts => "device_facts",
            Self::MatchingDevices => "matching_devices",
            Self::Saving => "saving",
            Self::Updating => "updating",
            Self::Done => "done",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One progress report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The phase the run is in.
    pub phase: Phase,
    /// How many items of the phase are done (sites listed, organizations whose configurations
    /// were read, …).
    pub done: u64,
    /// How many there are in all, when known.
    pub total: Option<u64>,
}

/// Receives progress reports. Implemented by every `Fn(&Progress) + Send + Sync`.
pub trait ProgressSink: Send + Sync {
    /// Called for each report; must return quickly.
    fn report(&self, progress: &Progress);
}

impl<F: Fn(&Progress) + Send + Sync> ProgressSink for F {
    fn report(&self, progress: &Progress) {
        self(progress);
    }
}

/// A sink that ignores every report.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn report(&self, _progress: &Progress) {}
}

/// A sink that sends every report into an unbounded tokio channel (reports sent after the
/// receiver is dropped are discarded).
///
/// ```
/// use sync_engine::itglue::{ChannelProgress, Phase, Progress, ProgressSink};
///
/// let (sink, mut reports) = ChannelProgress::new();
/// sink.report(&Progress { phase: Phase::Sites, done: 3, total: None });
/// assert_eq!(reports.try_recv().unwrap().done, 3);
/// ```
#[derive(Clone, Debug)]
pub struct ChannelProgress {
    sender: mpsc::UnboundedSender<Progress>,
}

impl ChannelProgress {
    /// A sink and the receiver of its reports.
    pub fn new() -> (Self, mpsc::UnboundedReceiver<Progress>) {
        let (sender, receiver) = mpsc::unbounded_channel();
        (Self { sender }, receiver)
    }
}

impl ProgressSink for ChannelProgress {
    fn report(&self, progress: &Progress) {
        // A closed receiver means nobody draws the bar any more; the run goes on.
        let _ = self.sender.send(progress.clone());
    }
}

/// The helper a run uses to report.
pub(crate) struct Reporter<'a> {
    sink: &'a dyn ProgressSink,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(sink: &'a dyn ProgressSink) -> Self {
        Self { sink }
    }

    pub(crate) fn report(&self, phase: Phase, done: u64, total: Option<u64>) {
        self.sink.report(&Progress { phase, done, total });
    }

    pub(crate) fn start(&self, phase: Phase, total: Option<u64>) {
        self.report(phase, 0, total);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn closures_are_sinks() {
        let seen = Mutex::new(Vec::new());
        let sink = |p: &Progress| seen.lock().unwrap().push(p.phase);
        Reporter::new(&sink).start(Phase::Devices, Some(4));
        assert_eq!(*seen.lock().unwrap(), [Phase::Devices]);
    }

    #[test]
    fn a_dropped_receiver_does_not_stop_reporting() {
        let (sink, receiver) = ChannelProgress::new();
        drop(receiver);
        sink.report(&Progress {
            phase: Phase::Done,
            done: 1,
            total: Some(1),
        });
    }
}
