//! Idempotent creates through the store's journal.
//!
//! Every create is recorded under a deterministic key before IT Glue is called, marked sent just
//! before the call and completed with the created id. An action interrupted anywhere in between
//! finds its entry when it is asked again:
//!
//! | entry | meaning | what the action does |
//! |---|---|---|
//! | none or `recorded` | IT Glue was never asked | create |
//! | `sent` | IT Glue may have created it | look it up (organization by name, configuration by its RMM marker) and create only when absent |
//! | `completed` | created; the id is kept | use the id — unless the object is gone from IT Glue, then forget the entry and create again |

use chrono::{DateTime, Utc};
use sync_core::itglue::{DeviceUid, GroupId};
use sync_store::{IntentState, Store, StoreError, TenantId};

/// The key of the intent to create an organization for a group.
pub(crate) fn organization_key(group: &GroupId) -> String {
    match group {
        GroupId::Site(site) => format!("itglue:create-organization:site:{site}"),
        GroupId::AutotaskCompany(company) => {
            format!("itglue:create-organization:autotask:{company}")
        }
        other => format!("itglue:create-organization:{other}"),
    }
}

/// The key of the intent to create a configuration for a device.
pub(crate) fn configuration_key(device: &DeviceUid) -> String {
    format!("itglue:create-configuration:{device}")
}

/// Where a journaled create stands when an action starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Resume {
    /// Never sent: create.
    Fresh,
    /// Sent without a recorded answer: look the object up before creating.
    LookUp,
    /// Completed with this answer (the created id).
    Done(String),
}

/// Records the intent (or finds the one recorded before) and says how to go on.
pub(crate) async fn begin(
    store: &dyn Store,
    tenant: &TenantId,
    key: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<Resume, StoreError> {
    let entry = store.record_intent(tenant, key, description, now).await?;
    Ok(match entry.state {
        IntentState::Completed => Resume::Done(entry.result.unwrap_or_default()),
        IntentState::Sent => Resume::LookUp,
        _ => Resume::Fresh,
    })
}

/// Forgets a completed intent whose object is gone, and records it afresh.
pub(crate) async fn restart(
    store: &dyn Store,
    tenant: &TenantId,
    key: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.forget_intent(tenant, key).await?;
    store.record_intent(tenant, key, description, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use sync_core::itglue::{AutotaskCompanyId, SiteUid};

    use super::*;

    #[test]
    fn keys_name_the_flow_the_write_and_the_subject() {
        assert_eq!(
            organization_key(&GroupId::Site(SiteUid::new("s-1"))),
            "itglue:create-organization:site:s-1"
        );
        assert_eq!(
            organization_key(&GroupId::AutotaskCompany(AutotaskCompanyId::new("77"))),
            "itglue:create-organization:autotask:77"
        );
        assert_eq!(
            configuration_key(&DeviceUid::new("d-1")),
            "itglue:create-configuration:d-1"
        );
    }
}
