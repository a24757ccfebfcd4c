//! Reading a tenant's versioned state and applying changes to it.

use rusqlite::Connection;

use super::{gravityzone, integrations, itglue, tenants};
use crate::{Change, IntegrationChange, StoreError, TenantState, rules};

/// The tenant's versioned state (`None`: the tenant has no data).
pub(super) fn load(conn: &Connection, tenant: Option<i64>) -> Result<TenantState, StoreError> {
    let Some(id) = tenant else {
        return Ok(TenantState::default());
    };
    Ok(TenantState {
        version: tenants::version(conn, tenant)?,
        integrations: integrations::list(conn, id)?,
        gravityzone: gravityzone::load(conn, id)?,
        itglue: itglue::load(conn, id)?,
    })
}

/// Applies one change inside the caller's transaction.
pub(super) fn apply_change(
    conn: &Connection,
    tenant: i64,
    change: &Change,
) -> Result<(), StoreError> {
    match change {
        Change::Integration(IntegrationChange::Save {
            vendor,
            connection,
            fingerprint,
        }) => {
            let current = integrations::get(conn, tenant, *vendor)?;
            let saved = rules::save_integration(current.as_ref(), *vendor, connection, fingerprint);
            integrations::put(conn, tenant, &saved)
        }
        Change::Integration(IntegrationChange::Remove { vendor }) => {
            integrations::delete(conn, tenant, *vendor)
        }
        Change::GravityZone(change) => gravityzone::apply(conn, tenant, change),
        Change::ItGlue(change) => itglue::apply(conn, tenant, change),
    }
}
