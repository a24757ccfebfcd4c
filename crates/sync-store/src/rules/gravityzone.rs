//! The GravityZone changes' checks and results, shared by every implementation.

use chrono::{DateTime, Utc};
use sync_core::gravityzone::{CompanyId, Event, SiteUid};

use crate::gravityzone::event_key;
use crate::time::truncate_to_millis;
use crate::{
    AssociationRecord, ChangedBy, EventRecord, EventStateChange, ExclusionRecord, RecordKind,
    StoreError,
};

/// The association to store, given the site's current one and the company's current one.
pub(crate) fn associate(
    of_site: Option<&AssociationRecord>,
    of_company: Option<&AssociationRecord>,
    new: &AssociationRecord,
) -> Result<AssociationRecord, StoreError> {
    let duplicate = |detail: String| StoreError::Duplicate {
        kind: RecordKind::Association,
        key: new.site().to_string(),
        detail,
    };
    if let Some(current) = of_site {
        return Err(duplicate(format!(
            "site {} is already associated with company {}",
            current.site(),
            current.company()
        )));
    }
    if let Some(current) = of_company {
        return Err(duplicate(format!(
            "company {} already serves site {}",
            current.company(),
            current.site()
        )));
    }
    Ok(AssociationRecord {
        made_at: truncate_to_millis(new.made_at),
        ..new.clone()
    })
}

/// The association after its package is recorded.
pub(crate) fn set_package(
    current: Option<AssociationRecord>,
    site: &SiteUid,
    package_id: &Option<String>,
    package_link: &Option<String>,
) -> Result<AssociationRecord, StoreError> {
    let current =
        current.ok_or_else(|| StoreError::not_found(RecordKind::Association, site.as_str()))?;
    Ok(AssociationRecord {
        package_id: package_id.clone(),
        package_link: package_link.clone(),
        ..current
    })
}

/// The association after a pass saw its site and company under these names (`None` keeps the
/// remembered one).
pub(crate) fn remember_names(
    current: Option<AssociationRecord>,
    site: &SiteUid,
    company: &CompanyId,
    site_name: &Option<String>,
    company_name: &Option<String>,
) -> Result<AssociationRecord, StoreError> {
    let mut record = match current {
        Some(record) if record.company() == company => record,
        _ => {
            return Err(StoreError::not_found(
                RecordKind::Association,
                format!("{site} → {company}"),
            ));
        }
    };
    if site_name.is_some() {
        record.association.site_name.clone_from(site_name);
    }
    if company_name.is_some() {
        record.association.company_name.clone_from(company_name);
    }
    Ok(record)
}

/// Checks that the site is associated with exactly `company`.
pub(crate) fn delete_association(
    current: Option<&AssociationRecord>,
    site: &SiteUid,
    company: &CompanyId,
) -> Result<(), StoreError> {
    match current {
        Some(record) if record.company() == company => Ok(()),
        _ => Err(StoreError::not_found(
            RecordKind::Association,
            format!("{site} → {company}"),
        )),
    }
}

/// The exclusion to store, given the site's current one.
pub(crate) fn exclude(
    current: Option<&ExclusionRecord>,
    new: &ExclusionRecord,
) -> Result<ExclusionRecord, StoreError> {
    if current.is_some() {
        return Err(StoreError::Duplicate {
            kind: RecordKind::Exclusion,
            key: new.site().to_string(),
            detail: "the site is already excluded".into(),
        });
    }
    Ok(ExclusionRecord {
        made_at: truncate_to_millis(new.made_at),
        ..new.clone()
    })
}

/// Checks that the site is excluded.
pub(crate) fn include(current: Option<&ExclusionRecord>, site: &SiteUid) -> Result<(), StoreError> {
    current
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found(RecordKind::Exclusion, site.as_str()))
}

/// The event record after `event` is stored: the event replaces the stored one, and a state it
/// did not have before is added to the history.
pub(crate) fn put_event(
    current: Option<EventRecord>,
    event: &Event,
    changed_by: &ChangedBy,
    changed_at: DateTime<Utc>,
) -> EventRecord {
    let mut history = match current {
        Some(record) if record.event.state == event.state => {
            return EventRecord {
                event: event.clone(),
                history: record.history,
            };
        }
        Some(record) => record.history,
        None => Vec::new(),
    };
    history.push(EventStateChange {
        state: event.state.clone(),
        changed_by: changed_by.clone(),
        changed_at: truncate_to_millis(changed_at),
    });
    EventRecord {
        event: event.clone(),
        history,
    }
}

/// Checks that the event exists.
pub(crate) fn remove_event(
    current: Option<&EventRecord>,
    id: &sync_core::gravityzone::EventId,
) -> Result<(), StoreError> {
    current
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found(RecordKind::Event, event_key(id)))
}
