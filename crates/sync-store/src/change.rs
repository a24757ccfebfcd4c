//! The changes a writer applies to a tenant's versioned state, all at once or not at all.

use chrono::{DateTime, Utc};
use sync_core::gravityzone::{CompanyId, Event, EventId, Settings, SiteUid};
use sync_core::itglue::{DeviceUid, GroupId};

use crate::{
    AssociationRecord, ChangedBy, ConnectionDetails, CredentialFingerprint, DeviceMatchRecord,
    ExclusionRecord, IgnoredGroup, ItGlueSettings, OrganizationMatchRecord, Vendor,
};

/// One change to a tenant's versioned state. A batch of changes is given to
/// [`Store::apply`](crate::Store::apply), which applies all of them in one transaction, in order,
/// or none. Each area's changes convert into a `Change` with `.into()`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// A change to a vendor integration.
    Integration(IntegrationChange),
    /// A change to the GravityZone flow's state.
    GravityZone(GravityZoneChange),
    /// A change to the IT Glue flow's state.
    ItGlue(ItGlueChange),
}

/// A change to a vendor integration.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum IntegrationChange {
    /// Save a vendor integration. When `fingerprint` differs from the saved one the credential
    /// status goes back to [`CredentialStatus::Unknown`](crate::CredentialStatus::Unknown); with
    /// the same fingerprint the status is kept (only the connection details changed).
    Save {
        /// The vendor.
        vendor: Vendor,
        /// How to reach the vendor account.
        connection: ConnectionDetails,
        /// The fingerprint of the credentials saved with it.
        fingerprint: CredentialFingerprint,
    },
    /// Remove a vendor integration; `NotFound` when there is none.
    Remove {
        /// The vendor.
        vendor: Vendor,
    },
}

/// A change to the GravityZone flow's state.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum GravityZoneChange {
    /// Save the flow's settings, replacing the previous ones.
    SaveSettings(Settings),
    /// Store a new association. `Duplicate` when the site already has a company or the company
    /// already serves a site.
    Associate(AssociationRecord),
    /// Record the installation package of a site's association; `NotFound` without association.
    SetPackage {
        /// The associated site.
        site: SiteUid,
        /// The package's id.
        package_id: Option<String>,
        /// Its installation link.
        package_link: Option<String>,
    },
    /// Refresh the names the association of `site` with `company` remembers, as a pass last saw
    /// them (a site renamed in Datto RMM, a company renamed in GravityZone), so the names shown
    /// once the site or company is deleted are the latest; `None` keeps the remembered name.
    /// `NotFound` unless the site is associated with exactly that company.
    RememberNames {
        /// The site.
        site: SiteUid,
        /// The company it is associated with.
        company: CompanyId,
        /// The site's name now.
        site_name: Option<String>,
        /// The company's name now.
        company_name: Option<String>,
    },
    /// Delete the association of `site` with `company`; `NotFound` unless the site is associated
    /// with exactly that company.
    DeleteAssociation {
        /// The site.
        site: SiteUid,
        /// The company it is associated with.
        company: CompanyId,
    },
    /// Exclude a site; `Duplicate` when it is already excluded.
    Exclude(ExclusionRecord),
    /// Take a site's exclusion back; `NotFound` when it is not excluded.
    Include {
        /// The site.
        site: SiteUid,
    },
    /// Store an event: new, or replacing the stored event of the same identity. When its state
    /// differs from the stored one, the state is added to the event's history with who changed
    /// it and when.
    PutEvent {
        /// The event as it is now.
        event: Event,
        /// Who changed it (the sync raising or closing it, or a user ignoring or resolving it).
        changed_by: ChangedBy,
        /// When.
        changed_at: DateTime<Utc>,
    },
    /// Delete an event and its history; `NotFound` when there is none.
    RemoveEvent {
        /// The event's identity.
        id: EventId,
    },
}

/// A change to the IT Glue flow's state.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ItGlueChange {
    /// Save the flow's settings, replacing the previous ones.
    SaveSettings(ItGlueSettings),
    /// Match a group to an organization, replacing the group's previous match (change match).
    MatchOrganization(OrganizationMatchRecord),
    /// Delete a group's organization match; `NotFound` when it has none.
    UnmatchOrganization {
        /// The group.
        group: GroupId,
    },
    /// Match a device to a configuration, replacing the device's previous match. `Duplicate`
    /// when the configuration already serves another device.
    MatchDevice(DeviceMatchRecord),
    /// Delete a device's configuration match; `NotFound` when it has none.
    UnmatchDevice {
        /// The Datto RMM device.
        device: DeviceUid,
    },
    /// Ignore a group; `Duplicate` when it is already ignored.
    IgnoreGroup(IgnoredGroup),
    /// Take a group's ignore back; `NotFound` when it is not ignored.
    UnignoreGroup {
        /// The group.
        group: GroupId,
    },
}

impl From<IntegrationChange> for Change {
    fn from(change: IntegrationChange) -> Self {
        Self::Integration(change)
    }
}

impl From<GravityZoneChange> for Change {
    fn from(change: GravityZoneChange) -> Self {
        Self::GravityZone(change)
    }
}

impl From<ItGlueChange> for Change {
    fn from(change: ItGlueChange) -> Self {
        Self::ItGlue(change)
    }
}
