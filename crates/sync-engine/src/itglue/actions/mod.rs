//! The user actions on organizations and configurations.
//!
//! An action acts on what a run found (its [`SyncReport`](super::SyncReport), as shown to the
//! user) and checks it against IT Glue's current lists before doing anything. Every action can
//! be planned without being applied ([`Mode::DryRun`]): the answer lists the same steps, and
//! nothing is created, journaled or stored. A manager's action on an organization he was not
//! granted is refused with [`ItGlueError::OutOfScope`](super::ItGlueError::OutOfScope).

mod configuration_picks;
pub(crate) mod configurations;
mod names;

pub use configuration_picks::{AcceptedSuggestions, LeftOut};
pub use names::Names;
mod organizations;

use serde::{Deserialize, Serialize};
use sync_core::itglue::{
    ConfigurationAttributes, ConfigurationId, DeviceUid, GroupId, OrganizationId,
};
use sync_store::TenantState;

use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::ports::PortError;

/// Whether an action is applied or only planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Mode {
    /// Work out the steps and show them; change nothing anywhere.
    DryRun,
    /// Apply the steps.
    Apply,
}

impl Mode {
    /// [`Mode::DryRun`] when `dry_run` (a `--dry-run` flag, a `?dry_run=true`), else
    /// [`Mode::Apply`].
    ///
    /// ```
    /// use sync_engine::itglue::Mode;
    ///
    /// assert_eq!(Mode::from_dry_run(true), Mode::DryRun);
    /// assert_eq!(Mode::from_dry_run(false), Mode::Apply);
    /// ```
    pub fn from_dry_run(dry_run: bool) -> Self {
        if dry_run { Self::DryRun } else { Self::Apply }
    }
}

/// One step of an action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// Match a group to an organization.
    MatchOrganization {
        /// The group.
        group: GroupId,
        /// The organization.
        organization: OrganizationId,
        /// The organization it was matched to before (change match).
        replacing: Option<OrganizationId>,
    },
    /// Create an organization in IT Glue and match the group to it.
    CreateOrganization {
        /// The group it is for.
        group: GroupId,
        /// Its name.
        name: String,
    },
    /// Delete a device's match (its configuration belongs to the group's previous
    /// organization).
    UnmatchDevice {
        /// The device.
        device: DeviceUid,
        /// The configuration it was matched to.
        configuration: ConfigurationId,
    },
    /// Ignore a group.
    IgnoreGroup {
        /// The group.
        group: GroupId,
    },
    /// Take a group's ignore back.
    UnignoreGroup {
        /// The group.
        group: GroupId,
    },
    /// Match a device to a configuration.
    MatchDevice {
        /// The device.
        device: DeviceUid,
        /// The configuration.
        configuration: ConfigurationId,
        /// The configuration it was matched to before.
        replacing: Option<ConfigurationId>,
    },
    /// Create configurations in an organization (one call; a bulk call for several), then
    /// match each device to its configuration.
    CreateConfigurations {
        /// The organization.
        organization: OrganizationId,
        /// Each device and the attributes its configuration gets.
        configurations: Vec<PlannedConfiguration>,
    },
}

/// A configuration an action creates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedConfiguration {
    /// The device it stands for.
    pub device: DeviceUid,
    /// What the field mapping made of the device.
    pub attributes: ConfigurationAttributes,
    /// The configuration type it gets (resolved from the device's kind).
    pub configuration_type: String,
}

/// What IT Glue created for an action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "created", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Created {
    /// An organization.
    Organization {
        /// Its id.
        id: OrganizationId,
        /// Whether it was found from an interrupted earlier attempt rather than created now.
        resumed: bool,
    },
    /// A configuration for a device.
    Configuration {
        /// The device.
        device: DeviceUid,
        /// Its id.
        id: ConfigurationId,
        /// Whether it was found from an interrupted earlier attempt rather than created now.
        resumed: bool,
    },
}

/// What an action did, or would do in a dry run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionOutcome {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Whether they were applied (false for a dry run).
    pub applied: bool,
    /// What IT Glue created (empty for a dry run).
    pub created: Vec<Created>,
    /// The names of the groups, organizations, devices and configurations the steps and
    /// creations name (see [`ActionOutcome::lines`]).
    #[serde(default)]
    pub names: Names,
}

impl ActionOutcome {
    fn planned(steps: Vec<Step>) -> Self {
        Self {
            steps,
            applied: false,
            created: Vec::new(),
            names: Names::default(),
        }
    }

    fn applied(steps: Vec<Step>, created: Vec<Created>) -> Self {
        Self {
            steps,
            applied: true,
            created,
            names: Names::default(),
        }
    }
}

impl ItGlueFlow {
    /// Reads the tenant's state and refuses, without calling a vendor, when its syncing is
    /// stopped (see [`ItGlueFlow::run`]).
    pub(crate) async fn action_state(&self) -> Result<TenantState, ItGlueError> {
        let state = self.store.state(&self.tenant).await?;
        self.check_gate(&state)?;
        Ok(state)
    }

    /// Notes refused credentials and turns a port error into the action's error.
    pub(crate) async fn vendor_failed(&self, error: PortError) -> ItGlueError {
        self.note_refusal(&error).await;
        ItGlueError::Vendor(error)
    }
}
