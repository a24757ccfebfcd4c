//! The PostgreSQL schema, as an ordered list of migrations. The table `store_schema` holds how
//! many of them the database has; opening a store applies the missing ones in one transaction,
//! under an advisory lock so that workers starting together do not both migrate.
//!
//! The tables mirror the SQLite ones (times as BIGINT milliseconds since the Unix epoch, IT Glue
//! ids bit for bit in BIGINT columns). Never edit a migration that has shipped: add a new one.

use tokio_postgres::Client;

use crate::StoreError;

/// Version 1: every table of SQLite schema version 4.
const V1_FOUNDATION: &str = "
CREATE SEQUENCE store_versions;

CREATE TABLE tenants (
    id          BIGSERIAL PRIMARY KEY,
    api_url     TEXT NOT NULL,
    account_uid TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 0,
    UNIQUE (api_url, account_uid)
);

CREATE TABLE leases (
    tenant_id    BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    holder       TEXT NOT NULL,
    acquired_at  BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    holder_host  TEXT,
    holder_pid   BIGINT CHECK (holder_pid BETWEEN 0 AND 4294967295),
    holder_start BIGINT
);

CREATE TABLE journal (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    description  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('recorded', 'sent', 'completed')),
    result       TEXT,
    recorded_at  BIGINT NOT NULL,
    sent_at      BIGINT,
    completed_at BIGINT,
    UNIQUE (tenant_id, key)
);

CREATE TABLE sync_runs (
    id             BIGSERIAL PRIMARY KEY,
    tenant_id      BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    flow           TEXT NOT NULL CHECK (flow IN ('gravityzone', 'itglue')),
    status         TEXT NOT NULL CHECK (status IN ('syncing', 'ok', 'failed')),
    failure_reason TEXT,
    started_at     BIGINT NOT NULL,
    finished_at    BIGINT,
    counts         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_runs_by_tenant_flow ON sync_runs (tenant_id, flow, id);

CREATE TABLE integrations (
    tenant_id              BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    vendor                 TEXT NOT NULL CHECK (vendor IN ('datto', 'gravityzone', 'itglue')),
    url                    TEXT,
    region                 TEXT,
    platform               TEXT,
    credential_fingerprint TEXT NOT NULL CHECK (length(credential_fingerprint) = 64),
    credential_status      TEXT NOT NULL CHECK (credential_status IN ('unknown', 'valid', 'invalid')),
    checked_at             BIGINT,
    PRIMARY KEY (tenant_id, vendor)
);

CREATE TABLE device_audits (
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    device_uid      TEXT NOT NULL,
    last_audit_date BIGINT NOT NULL,
    facts           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, device_uid)
);

CREATE TABLE gravityzone_settings (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    settings  TEXT NOT NULL
);

CREATE TABLE gravityzone_associations (
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_uid     TEXT NOT NULL,
    company_id   TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN
                     ('mapped_to_existing', 'matched_by_name', 'matched_by_prefixed_name',
                      'created_company')),
    made_by      TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user TEXT,
    made_at      BIGINT NOT NULL,
    package_id   TEXT,
    package_link TEXT,
    PRIMARY KEY (tenant_id, site_uid),
    UNIQUE (tenant_id, company_id)
);

CREATE TABLE gravityzone_exclusions (
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_uid     TEXT NOT NULL,
    made_by      TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user TEXT,
    made_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, site_uid)
);

CREATE TABLE gravityzone_events (
    id           BIGSERIAL PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    site_uid     TEXT NOT NULL,
    company_id   TEXT,
    site_name    TEXT,
    company_name TEXT,
    generated_at BIGINT NOT NULL,
    state        TEXT NOT NULL
);
-- One event per identity; NULLS NOT DISTINCT: one event without a company per kind and site.
CREATE UNIQUE INDEX gravityzone_events_identity
    ON gravityzone_events (tenant_id, kind, site_uid, company_id) NULLS NOT DISTINCT;

CREATE TABLE gravityzone_event_history (
    id              BIGSERIAL PRIMARY KEY,
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    event_id        BIGINT NOT NULL REFERENCES gravityzone_events (id) ON DELETE CASCADE,
    state           TEXT NOT NULL,
    changed_by      TEXT NOT NULL CHECK (changed_by IN ('sync', 'user')),
    changed_by_user TEXT,
    changed_at      BIGINT NOT NULL
);
CREATE INDEX gravityzone_event_history_by_event ON gravityzone_event_history (event_id, id);

CREATE TABLE itglue_settings (
    tenant_id BIGINT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    settings  TEXT NOT NULL
);

CREATE TABLE itglue_organization_matches (
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    group_kind      TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    organization_id BIGINT NOT NULL,
    origin          TEXT NOT NULL,
    made_by         TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user    TEXT,
    made_at         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, group_kind, group_id)
);

CREATE TABLE itglue_device_matches (
    tenant_id        BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    device_uid       TEXT NOT NULL,
    configuration_id BIGINT NOT NULL,
    origin           TEXT NOT NULL,
    made_by          TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user     TEXT,
    made_at          BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, device_uid),
    UNIQUE (tenant_id, configuration_id)
);

CREATE TABLE itglue_ignored_groups (
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    group_kind      TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    ignored_by      TEXT NOT NULL CHECK (ignored_by IN ('sync', 'user')),
    ignored_by_user TEXT,
    ignored_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, group_kind, group_id)
);
";

/// Version 2 (issue #17; SQLite version 6): kept site network-interface listings (with the
/// devices they hold for) and the last report of each flow.
const V2_READ_CACHE: &str = "
CREATE TABLE site_interfaces (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_uid  TEXT NOT NULL,
    devices   TEXT NOT NULL,
    listing   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, site_uid)
);

CREATE TABLE run_reports (
    tenant_id BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    flow      TEXT NOT NULL CHECK (flow IN ('gravityzone', 'itglue')),
    run_id    BIGINT NOT NULL,
    saved_at  BIGINT NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, flow)
);
";

/// Version 3 (issue #16; SQLite version 5): an association remembers its company's parent
/// (destination moved = the parent changed) and the site's last known name (shown once the site
/// is deleted). `NULL` for rows stored before: the root, and no name.
const V3_GRAVITYZONE_ASSOCIATION_MEMORY: &str = "
ALTER TABLE gravityzone_associations ADD COLUMN company_parent TEXT;
ALTER TABLE gravityzone_associations ADD COLUMN site_name TEXT;
";

/// Version 4 (issue #16; SQLite version 7): the vendor account an integration's credentials
/// reach (GravityZone: the partner's root company), so a tenant refuses another partner's key
/// until it is reset.
const V4_INTEGRATION_ACCOUNT: &str = "
ALTER TABLE integrations ADD COLUMN account TEXT;
";

/// Version 5 (issue #18; SQLite version 8): a lease per tenant and flow, so a tenant's
/// GravityZone pass and its IT Glue sync may run at once on two workers while each flow still
/// runs only once. A lease written before was the whole tenant's: it becomes the lease of both
/// flows, same holder and times, so whoever held the tenant still holds everything it held until
/// the lease is released or expires.
const V5_LEASE_PER_FLOW: &str = "
ALTER TABLE leases ADD COLUMN flow TEXT NOT NULL DEFAULT 'gravityzone'
    CHECK (flow IN ('gravityzone', 'itglue'));
ALTER TABLE leases ALTER COLUMN flow DROP DEFAULT;
ALTER TABLE leases DROP CONSTRAINT leases_pkey;
INSERT INTO leases (tenant_id, flow, holder, acquired_at, expires_at,
                    holder_host, holder_pid, holder_start)
SELECT tenant_id, 'itglue', holder, acquired_at, expires_at, holder_host, holder_pid, holder_start
FROM leases;
ALTER TABLE leases ADD PRIMARY KEY (tenant_id, flow);
";

/// Version 6 (issue #20; SQLite version 10): an association remembers its company's last known
/// name (shown once the company is deleted in GravityZone). `NULL` for rows stored before: the
/// company is then named by its id.
const V6_GRAVITYZONE_ASSOCIATION_COMPANY_NAME: &str = "
ALTER TABLE gravityzone_associations ADD COLUMN company_name TEXT;
";

/// Every migration, oldest first; the schema version of a database is how many it has.
pub(super) const MIGRATIONS: &[&str] = &[
    V1_FOUNDATION,
    V2_READ_CACHE,
    V3_GRAVITYZONE_ASSOCIATION_MEMORY,
    V4_INTEGRATION_ACCOUNT,
    V5_LEASE_PER_FLOW,
    V6_GRAVITYZONE_ASSOCIATION_COMPANY_NAME,
];

/// The advisory lock migrations hold (any constant no other part takes).
const MIGRATION_LOCK: i64 = 0x6d73_705f_7379_6e63; // "msp_sync"

/// The schema version this build writes.
pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Creates the store's PostgreSQL schema (namespace) `namespace` if needed and brings it up to
/// schema version `target`; returns the version it had before. `server` (host, port and
/// database, no password) names the database when it is refused.
pub(super) async fn migrate_to(
    client: &mut Client,
    server: &str,
    namespace: &str,
    target: i64,
) -> Result<i64, StoreError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(&format!(
        "CREATE SCHEMA IF NOT EXISTS \"{namespace}\";
         SET LOCAL search_path TO \"{namespace}\";
         CREATE TABLE IF NOT EXISTS store_schema (
             version BIGINT NOT NULL
         );"
    ))
    .await?;
    let found: i64 = match tx
        .query_opt("SELECT version FROM store_schema", &[])
        .await?
    {
        Some(row) => row.try_get(0)?,
        None => {
            tx.execute("INSERT INTO store_schema (version) VALUES (0)", &[])
                .await?;
            0
        }
    };
    if found > latest() {
        return Err(StoreError::SchemaTooNew {
            store: format!("the PostgreSQL database {server} (schema {namespace})"),
            found,
            supported: latest(),
        });
    }
    for version in found..target.min(latest()) {
        let migration = MIGRATIONS[usize::try_from(version).unwrap_or_default()];
        tx.batch_execute(migration).await?;
        tx.execute("UPDATE store_schema SET version = $1", &[&(version + 1)])
            .await?;
        tracing::debug!(version = version + 1, "applied PostgreSQL store migration");
    }
    tx.commit().await?;
    Ok(found)
}
