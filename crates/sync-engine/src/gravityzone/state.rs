//! The bridge to the store: the tenant's state as the workflow reads it, and the store changes
//! it commits.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sync_core::gravityzone::{Association, Event, Settings, SiteUid, StoredState};
use sync_store::{
    AssociationMethod, AssociationRecord, Change, ChangedBy, ConnectionDetails,
    CredentialFingerprint, ExclusionRecord, GravityZoneChange, GravityZoneState, Integration,
    IntegrationChange, Store, StoreError, TenantId, Vendor,
};

use super::error::GravityZoneSyncError;

/// How many times a commit is retried when another writer changed the tenant in between.
const COMMIT_ATTEMPTS: usize = 8;

/// The tenant's state as the workflow reads it.
#[derive(Debug, Clone)]
pub(crate) struct TenantView {
    /// The settings (defaults until saved).
    pub settings: Settings,
    /// What the planner compares with: associations, exclusions, events.
    pub stored: StoredState,
    /// The vendor integrations.
    pub integrations: BTreeMap<Vendor, Integration>,
    /// The GravityZone state with its records (who, when, packages, event histories).
    pub records: GravityZoneState,
}

/// One change the workflow makes to the tenant's state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StateEdit {
    /// Save an integration's connection details and credential fingerprint.
    SaveIntegration {
        vendor: Vendor,
        connection: ConnectionDetails,
        fingerprint: CredentialFingerprint,
    },
    /// Save the settings.
    SaveSettings(Settings),
    /// Store an association.
    Associate {
        association: Association,
        method: AssociationMethod,
        made_by: ChangedBy,
    },
    /// Record an association's package and installation link.
    SetPackage {
        site: SiteUid,
        package_id: Option<String>,
        package_link: Option<String>,
    },
    /// Refresh the names an association remembers (its site's and company's, as a pass saw
    /// them).
    RememberNames(Association),
    /// Delete an association.
    DeleteAssociation(Association),
    /// Exclude a site.
    Exclude { site: SiteUid, made_by: ChangedBy },
    /// Take a site's exclusion back.
    Include(SiteUid),
    /// Store an event (its state change goes to its history).
    RecordEvent { event: Event, changed_by: ChangedBy },
}

/// Reads the tenant's state.
pub(crate) async fn load(
    store: &dyn Store,
    tenant: &TenantId,
) -> Result<TenantView, GravityZoneSyncError> {
    let state = store.state(tenant).await?;
    Ok(TenantView {
        settings: state.gravityzone.settings_or_default(),
        stored: state.gravityzone.stored_state(),
        integrations: state.integrations,
        records: state.gravityzone,
    })
}

/// Applies `edits` in one transaction. Another writer changing the tenant in between (the
/// IT Glue flow, a user saving settings) makes the store refuse the batch untouched; it is
/// then applied again on the new version. The edits are facts (this association was made,
/// this event was raised), so they hold whatever else changed; the store still refuses any
/// that contradict the state (a second company for a site).
pub(crate) async fn commit(
    store: &dyn Store,
    tenant: &TenantId,
    edits: &[StateEdit],
    at: DateTime<Utc>,
) -> Result<(), GravityZoneSyncError> {
    if edits.is_empty() {
        return Ok(());
    }
    let changes: Vec<Change> = edits.iter().map(|edit| to_change(edit, at)).collect();
    for _ in 0..COMMIT_ATTEMPTS {
        let version = store.version(tenant).await?;
        match store.apply(tenant, version, &changes).await {
            Ok(_) => return Ok(()),
            Err(StoreError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(GravityZoneSyncError::TooManyConflicts)
}

fn to_change(edit: &StateEdit, at: DateTime<Utc>) -> Change {
    match edit.clone() {
        StateEdit::SaveIntegration {
            vendor,
            connection,
            fingerprint,
        } => IntegrationChange::Save {
            vendor,
            connection,
            fingerprint,
        }
        .into(),
        StateEdit::SaveSettings(settings) => GravityZoneChange::SaveSettings(settings).into(),
        StateEdit::Associate {
            association,
            method,
            made_by,
        } => {
            let mut record = AssociationRecord::new(
                association.site.clone(),
                association.company.clone(),
                method,
                made_by,
                at,
            );
            // What the association remembers: the company's parent and the site's name.
            record.association = association;
            GravityZoneChange::Associate(record).into()
        }
        StateEdit::SetPackage {
            site,
            package_id,
            package_link,
        } => GravityZoneChange::SetPackage {
            site,
            package_id,
            package_link,
        }
        .into(),
        StateEdit::RememberNames(association) => GravityZoneChange::RememberNames {
            site: association.site,
            company: association.company,
            site_name: association.site_name,
            company_name: association.company_name,
        }
        .into(),
        StateEdit::DeleteAssociation(association) => GravityZoneChange::DeleteAssociation {
            site: association.site,
            company: association.company,
        }
        .into(),
        StateEdit::Exclude { site, made_by } => {
            GravityZoneChange::Exclude(ExclusionRecord::new(site, made_by, at)).into()
        }
        StateEdit::Include(site) => GravityZoneChange::Include { site }.into(),
        StateEdit::RecordEvent { event, changed_by } => GravityZoneChange::PutEvent {
            event,
            changed_by,
            changed_at: at,
        }
        .into(),
    }
}
