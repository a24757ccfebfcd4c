//! Reading a tenant's versioned state and applying changes to it.

use rusqlite::Connection;

use super::{integrations, tenants};
use crate::{Change, StoreError, TenantState, rules};

/// The tenant's versioned state (`None`: the tenant has no data).
pub(super) fn load(conn: &Connection, tenant: Option<i64>) -> Result<TenantState, StoreError> {
    let Some(id) = tenant else {
        return Ok(TenantState::default());
    };
    Ok(TenantState {
        version: tenants::version(conn, tenant)?,
        integrations: integrations::list(conn, id)?,
    })
}

/// Applies one change inside the caller's transaction.
pub(super) fn apply_change(
    conn: &Connection,
    tenant: i64,
    change: &Change,
) -> Result<(), StoreError> {
    match change {
        Change::SaveIntegration {
            vendor,
            connection,
            fingerprint,
        } => {
            let current = integrations::get(conn, tenant, *vendor)?;
            let saved = rules::save_integration(current.as_ref(), *vendor, connection, fingerprint);
            integrations::put(conn, tenant, &saved)
        }
        Change::RemoveIntegration { vendor } => integrations::delete(conn, tenant, *vendor),
    }
}
