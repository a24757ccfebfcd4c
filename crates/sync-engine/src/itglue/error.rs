//! The IT Glue flow's errors: why a connect, a run or an action did not happen.

use sync_core::itglue::{ConfigurationId, DeviceUid, GroupId, OrganizationId};
use sync_store::{StoreError, Vendor};

use super::ports::{PortError, vendor_name};

/// Why a connect, a run or an action of the IT Glue flow failed or was refused. Nothing in it
/// carries a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ItGlueError {
    /// A vendor refused the credentials while connecting: nothing was saved.
    #[error("{error}; nothing was saved")]
    CredentialsRefused {
        /// Which vendor.
        vendor: Vendor,
        /// The vendor's answer.
        error: PortError,
    },
    /// The credentials could not be checked while connecting (the vendor could not be reached
    /// or failed): nothing was saved.
    #[error("could not check the {} credentials ({error}); nothing was saved", vendor_name(*vendor))]
    CredentialsUnchecked {
        /// Which vendor.
        vendor: Vendor,
        /// What went wrong.
        error: PortError,
    },
    /// The Datto RMM credentials belong to another account than the tenant's: nothing was saved.
    #[error(
        "the Datto RMM credentials belong to account {found:?}, not to this tenant's {expected:?}"
    )]
    WrongAccount {
        /// The tenant's account uid.
        expected: String,
        /// The account the credentials belong to.
        found: String,
    },
    /// The Datto RMM API URL and account do not name a tenant.
    #[error("cannot name the tenant: {0}")]
    InvalidTenant(String),
    /// The tenant has no saved integration with this vendor: connect first.
    #[error("no {} credentials are saved for this tenant: connect first", vendor_name(*vendor))]
    NotConnected {
        /// Which vendor.
        vendor: Vendor,
    },
    /// The saved credentials were refused by the vendor: syncing is stopped until new ones are
    /// saved. Nothing was sent to any vendor.
    #[error(
        "syncing is stopped: {} refused the saved credentials; save new credentials to resume",
        vendor_name(*vendor)
    )]
    CredentialsInvalid {
        /// Which vendor.
        vendor: Vendor,
    },
    /// The credentials given to the engine are not the saved ones (connect validates and saves
    /// them). Nothing was sent to any vendor.
    #[error(
        "the {} credentials in use are not the saved ones: connect with them first",
        vendor_name(*vendor)
    )]
    CredentialsNotSaved {
        /// Which vendor.
        vendor: Vendor,
    },
    /// Another worker is running this tenant's IT Glue sync (it holds the tenant's lease for
    /// [`Flow::ItGlue`](sync_store::Flow::ItGlue); the GravityZone sync has a lease of its own).
    #[error(
        "the IT Glue sync of this tenant is running in worker {holder}: try again once it has \
         finished"
    )]
    Busy {
        /// The worker holding the tenant's IT Glue lease.
        holder: String,
    },
    /// The call outlasted the tenant's IT Glue lease between two steps (another worker may hold
    /// it now); it stopped before the next step (a run stores nothing then).
    #[error(
        "the IT Glue sync of this tenant lost its lease (a step took longer than the lease lasts) \
         and stopped; another worker may be running it now"
    )]
    LeaseLost,
    /// A reference (a group, an organization, a configuration) named no record, or several.
    #[error(transparent)]
    Lookup(#[from] crate::lookup::LookupError),
    /// A vendor call failed; the run or action stopped before acting on partial data.
    #[error(transparent)]
    Vendor(#[from] PortError),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A manager acted on an organization he was not granted.
    #[error(
        "{} is not among the organizations you were granted",
        organization_label(*organization, name.as_deref())
    )]
    OutOfScope {
        /// The organization.
        organization: OrganizationId,
        /// Its name, when the engine knows it.
        name: Option<String>,
    },
    /// The action needs an administrator (for example creating an organization).
    #[error("{action} needs an administrator; a manager acts only on organizations he was granted")]
    AdministratorOnly {
        /// What was asked.
        action: &'static str,
    },
    /// An organization with the same normalised name exists; creating another would make a
    /// duplicate. Match the group to it, or force the create.
    #[error(
        "an organization with the same name exists ({}); match to it or force the create",
        existing.iter().map(|(id, name)| format!("{name:?} #{id}")).collect::<Vec<_>>().join(", ")
    )]
    DuplicateOrganization {
        /// The name asked for.
        name: String,
        /// The organizations with the same normalised name.
        existing: Vec<(OrganizationId, String)>,
    },
    /// The action would create more objects than the cap allows; nothing was created.
    #[error(
        "this would create {requested} objects in IT Glue, more than the cap of {cap}; nothing was created"
    )]
    CreateCapExceeded {
        /// How many creates the action needs.
        requested: usize,
        /// The cap.
        cap: usize,
    },
    /// No group with this id takes part (no such site, no device, OnDemand or system site).
    #[error("no {group} takes part in the sync (unknown, without devices, or OnDemand)")]
    UnknownGroup {
        /// The group.
        group: GroupId,
    },
    /// No organization with this id exists in IT Glue (so there is no name to give).
    #[error("IT Glue has no organization with id {organization} (deleted, or never there)")]
    UnknownOrganization {
        /// The organization.
        organization: OrganizationId,
    },
    /// The device is not a device of a matched organization in the report acted on.
    #[error("device {device} is not a device of a matched organization")]
    UnknownDevice {
        /// The device.
        device: DeviceUid,
    },
    /// No configuration with this id belongs to the organization.
    #[error(
        "{} has no configuration with id {configuration}",
        organization_label(*organization, name.as_deref())
    )]
    UnknownConfiguration {
        /// The configuration.
        configuration: ConfigurationId,
        /// The organization.
        organization: OrganizationId,
        /// The organization's name, when the engine knows it.
        name: Option<String>,
    },
    /// The group is not matched to an organization (needed for configuration actions).
    #[error("{name:?} is not matched to an organization")]
    GroupNotMatched {
        /// The group.
        group: GroupId,
        /// Its name.
        name: String,
    },
    /// The suggestion accepted is not (or no longer) among the current suggestions.
    #[error("{target} is not a current suggestion for {subject}")]
    NotASuggestion {
        /// What the suggestion was for (a group or a device).
        subject: String,
        /// What was proposed (an organization or a configuration).
        target: String,
    },
    /// The group or device is already matched; use "change match".
    #[error("{subject} is already matched to {target}; change the match instead")]
    AlreadyMatched {
        /// The group or device.
        subject: String,
        /// What it is matched to.
        target: String,
    },
    /// The device or configuration is already matched to something else.
    #[error("{subject} is already matched to {other}")]
    Taken {
        /// The configuration or device asked for.
        subject: String,
        /// What holds it.
        other: String,
    },
    /// The group is ignored (or not ignored, for unignore).
    #[error("{name:?} is {}ignored", if *ignored { "already " } else { "not " })]
    IgnoreState {
        /// The group.
        group: GroupId,
        /// Its name.
        name: String,
        /// Whether it is ignored now.
        ignored: bool,
    },
    /// The account has no configuration type to give a created configuration.
    #[error("IT Glue has none of the configuration types {wanted}; add one or change the options")]
    NoConfigurationType {
        /// The type names looked for.
        wanted: String,
    },
    /// A setting is outside the values the flow accepts; nothing was saved.
    #[error("{setting} must be {allowed}, not {given}; nothing was saved")]
    InvalidSetting {
        /// The setting's name.
        setting: &'static str,
        /// The values it accepts.
        allowed: String,
        /// The value given.
        given: String,
    },
    /// The vendor answered a create in a way the flow cannot use (for example a bulk create
    /// that returned fewer configurations than asked).
    #[error("IT Glue answered the create unexpectedly: {0}")]
    UnexpectedAnswer(String),
    /// A vendor's client refused the settings it was to be built with (a malformed URL,
    /// plain HTTP to a remote host); no vendor was called.
    #[error("cannot use these {} settings: {error}", vendor_name(*vendor))]
    ClientSettings {
        /// The vendor.
        vendor: Vendor,
        /// What the client said.
        error: PortError,
    },
    /// An accept without a named suggestion, for a group or device that has no suggestion.
    #[error("{subject} has no suggestion to accept")]
    NoSuggestion {
        /// The group or device, by name (`group "Acme - Berlin"`, `device RECEPTION-PC`).
        subject: String,
    },
    /// The tenant has no stored report of a successful run to act on: run a sync first.
    #[error("no sync of tenant {tenant} has finished yet: run a sync first")]
    NoStoredRun {
        /// The tenant.
        tenant: String,
    },
}

/// `Name (#id)`, else `organization #id`.
fn organization_label(organization: OrganizationId, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{name:?} (#{organization})"),
        None => format!("organization #{organization}"),
    }
}

impl ItGlueError {
    /// Whether the vendor's side failed: credentials refused, unchecked, not the saved ones or
    /// of another account, a failed call, an unusable answer.
    pub fn is_vendor(&self) -> bool {
        matches!(
            self,
            Self::CredentialsRefused { .. }
                | Self::CredentialsUnchecked { .. }
                | Self::WrongAccount { .. }
                | Self::CredentialsInvalid { .. }
                | Self::CredentialsNotSaved { .. }
                | Self::Vendor(_)
                | Self::UnexpectedAnswer(_)
        )
    }

    /// Whether the flow refused the request as it was asked (a reference naming nothing, a
    /// state the action does not fit, a scope or role it needs, a setting out of bounds, no
    /// sync yet): nothing was done, and asking differently may succeed.
    pub fn is_refused_request(&self) -> bool {
        matches!(
            self,
            Self::NotConnected { .. }
                | Self::InvalidTenant(_)
                | Self::OutOfScope { .. }
                | Self::AdministratorOnly { .. }
                | Self::DuplicateOrganization { .. }
                | Self::CreateCapExceeded { .. }
                | Self::UnknownGroup { .. }
                | Self::UnknownOrganization { .. }
                | Self::UnknownDevice { .. }
                | Self::UnknownConfiguration { .. }
                | Self::GroupNotMatched { .. }
                | Self::NotASuggestion { .. }
                | Self::NoSuggestion { .. }
                | Self::ClientSettings { .. }
                | Self::AlreadyMatched { .. }
                | Self::Taken { .. }
                | Self::IgnoreState { .. }
                | Self::NoConfigurationType { .. }
                | Self::NoStoredRun { .. }
                | Self::InvalidSetting { .. }
                | Self::Lookup(_)
        )
    }

    /// Whether the error means a vendor refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        match self {
            Self::CredentialsRefused { .. } | Self::CredentialsInvalid { .. } => true,
            Self::Vendor(port) => port.is_unauthorized(),
            _ => false,
        }
    }
}
