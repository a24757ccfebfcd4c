//! The schema, as an ordered list of migrations. A file's `PRAGMA user_version` says how many of
//! them it has; opening a store applies the missing ones, each in its own transaction.
//!
//! Never edit a migration that has shipped: add a new one. docs/storage.md shows the resulting
//! schema.

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// Version 1: tenants, the version sequence, leases, the journal, sync runs, integrations and
/// the device-audit cache.
const V1_FOUNDATION: &str = "
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO store_meta (key, value) VALUES ('last_version', 0);

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY,
    api_url     TEXT NOT NULL,
    account_uid TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (api_url, account_uid)
) STRICT;

CREATE TABLE leases (
    tenant_id   INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    holder      TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE journal (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    description  TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('recorded', 'sent', 'completed')),
    result       TEXT,
    recorded_at  INTEGER NOT NULL,
    sent_at      INTEGER,
    completed_at INTEGER,
    UNIQUE (tenant_id, key)
) STRICT;

CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    flow           TEXT NOT NULL CHECK (flow IN ('gravityzone', 'itglue')),
    status         TEXT NOT NULL CHECK (status IN ('syncing', 'ok', 'failed')),
    failure_reason TEXT,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    counts         TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX sync_runs_by_tenant_flow ON sync_runs (tenant_id, flow, id);

CREATE TABLE integrations (
    tenant_id              INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    vendor                 TEXT NOT NULL CHECK (vendor IN ('datto', 'gravityzone', 'itglue')),
    url                    TEXT,
    region                 TEXT,
    platform               TEXT,
    credential_fingerprint TEXT NOT NULL CHECK (length(credential_fingerprint) = 64),
    credential_status      TEXT NOT NULL CHECK (credential_status IN ('unknown', 'valid', 'invalid')),
    checked_at             INTEGER,
    PRIMARY KEY (tenant_id, vendor)
) STRICT;

CREATE TABLE device_audits (
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    device_uid      TEXT NOT NULL,
    last_audit_date INTEGER NOT NULL,
    facts           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, device_uid)
) STRICT;
";

/// Version 2: the GravityZone flow's settings, associations, exclusions and events.
const V2_GRAVITYZONE: &str = "
CREATE TABLE gravityzone_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    settings  TEXT NOT NULL
) STRICT;

CREATE TABLE gravityzone_associations (
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_uid     TEXT NOT NULL,
    company_id   TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN
                     ('mapped_to_existing', 'matched_by_name', 'matched_by_prefixed_name',
                      'created_company')),
    made_by      TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user TEXT,
    made_at      INTEGER NOT NULL,
    package_id   TEXT,
    package_link TEXT,
    PRIMARY KEY (tenant_id, site_uid),
    UNIQUE (tenant_id, company_id)
) STRICT;

CREATE TABLE gravityzone_exclusions (
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_uid     TEXT NOT NULL,
    made_by      TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user TEXT,
    made_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_uid)
) STRICT;

CREATE TABLE gravityzone_events (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    site_uid     TEXT NOT NULL,
    company_id   TEXT,
    site_name    TEXT,
    company_name TEXT,
    generated_at INTEGER NOT NULL,
    state        TEXT NOT NULL
) STRICT;
-- One event per identity; x'' stands in for 'no company' (NULLs would all be distinct).
CREATE UNIQUE INDEX gravityzone_events_identity
    ON gravityzone_events (tenant_id, kind, site_uid, ifnull(company_id, x''));

CREATE TABLE gravityzone_event_history (
    id              INTEGER PRIMARY KEY,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    event_id        INTEGER NOT NULL REFERENCES gravityzone_events (id) ON DELETE CASCADE,
    state           TEXT NOT NULL,
    changed_by      TEXT NOT NULL CHECK (changed_by IN ('sync', 'user')),
    changed_by_user TEXT,
    changed_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX gravityzone_event_history_by_event ON gravityzone_event_history (event_id, id);
";

/// Version 3: the IT Glue flow's settings, organization and device matches and ignored groups.
/// IT Glue ids are unsigned 64-bit numbers kept in INTEGER columns bit for bit (ids above
/// 2^63 - 1, which IT Glue does not hand out, would read as negative numbers in SQL). A group is
/// its kind (`site`, `autotask_company`) and id; a match's origin is sync-core's `MatchOrigin`
/// as JSON.
const V3_ITGLUE: &str = "
CREATE TABLE itglue_settings (
    tenant_id INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    settings  TEXT NOT NULL
) STRICT;

CREATE TABLE itglue_organization_matches (
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    group_kind      TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    organization_id INTEGER NOT NULL,
    origin          TEXT NOT NULL,
    made_by         TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user    TEXT,
    made_at         INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, group_kind, group_id)
) STRICT;

CREATE TABLE itglue_device_matches (
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    device_uid       TEXT NOT NULL,
    configuration_id INTEGER NOT NULL,
    origin           TEXT NOT NULL,
    made_by          TEXT NOT NULL CHECK (made_by IN ('sync', 'user')),
    made_by_user     TEXT,
    made_at          INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, device_uid),
    UNIQUE (tenant_id, configuration_id)
) STRICT;

CREATE TABLE itglue_ignored_groups (
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    group_kind      TEXT NOT NULL,
    group_id        TEXT NOT NULL,
    ignored_by      TEXT NOT NULL CHECK (ignored_by IN ('sync', 'user')),
    ignored_by_user TEXT,
    ignored_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, group_kind, group_id)
) STRICT;
";

/// Version 4: the process holding a lease (host, process id and start time), so that a worker
/// on the same host can take over at once the lease of a process that no longer exists. The
/// three are NULL together for a holder that gave no process (and for leases written before).
const V4_LEASE_HOLDER_PROCESS: &str = "
ALTER TABLE leases ADD COLUMN holder_host TEXT;
ALTER TABLE leases ADD COLUMN holder_pid INTEGER CHECK (holder_pid BETWEEN 0 AND 4294967295);
ALTER TABLE leases ADD COLUMN holder_start INTEGER;
";

/// Version 5 (issue #16): an association remembers its company's parent (destination moved =
/// the parent changed) and the site's last known name (shown once the site is deleted). `NULL`
/// for rows stored before: the root, and no name.
const V5_GRAVITYZONE_ASSOCIATION_MEMORY: &str = "
ALTER TABLE gravityzone_associations ADD COLUMN company_parent TEXT;
ALTER TABLE gravityzone_associations ADD COLUMN site_name TEXT;
";

/// Version 6 (issue #17): kept site network-interface listings (with the devices they hold for) and the
/// last report of each flow.
const V6_READ_CACHE: &str = "
CREATE TABLE site_interfaces (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_uid  TEXT NOT NULL,
    devices   TEXT NOT NULL,
    listing   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, site_uid)
) STRICT;

CREATE TABLE run_reports (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    flow      TEXT NOT NULL CHECK (flow IN ('gravityzone', 'itglue')),
    run_id    INTEGER NOT NULL,
    saved_at  INTEGER NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, flow)
) STRICT;
";

/// Version 7 (issue #16): the vendor account an integration's credentials reach (GravityZone:
/// the partner's root company), so a tenant refuses another partner's key until it is reset.
const V7_INTEGRATION_ACCOUNT: &str = "
ALTER TABLE integrations ADD COLUMN account TEXT;
";

/// Version 8 (issue #18): a lease per tenant and flow, so a tenant's GravityZone pass and its
/// IT Glue sync may run at once on two workers while each flow still runs only once. A lease
/// written before was the whole tenant's: it becomes the lease of both flows, same holder and
/// times, so whoever held the tenant still holds everything it held until the lease is released
/// or expires.
const V8_LEASE_PER_FLOW: &str = "
ALTER TABLE leases RENAME TO leases_v7;
CREATE TABLE leases (
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    flow         TEXT NOT NULL CHECK (flow IN ('gravityzone', 'itglue')),
    holder       TEXT NOT NULL,
    acquired_at  INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    holder_host  TEXT,
    holder_pid   INTEGER CHECK (holder_pid BETWEEN 0 AND 4294967295),
    holder_start INTEGER,
    PRIMARY KEY (tenant_id, flow)
) STRICT;
INSERT INTO leases (tenant_id, flow, holder, acquired_at, expires_at,
                    holder_host, holder_pid, holder_start)
SELECT tenant_id, flows.flow, holder, acquired_at, expires_at,
       holder_host, holder_pid, holder_start
FROM leases_v7 CROSS JOIN (SELECT 'gravityzone' AS flow UNION ALL SELECT 'itglue') AS flows;
DROP TABLE leases_v7;
";

/// Version 9 (issue #19): a kept report's body is a BLOB holding its JSON (UTF-8), written
/// with SQLite's incremental blob I/O. The report of an account of 50,000 devices is about
/// 64 MB of JSON, and bound as one text value SQLite copied it twice before writing it.
const V9_REPORT_BODY_BLOB: &str = "
ALTER TABLE run_reports RENAME TO run_reports_v8;
CREATE TABLE run_reports (
    tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    flow      TEXT NOT NULL CHECK (flow IN ('gravityzone', 'itglue')),
    run_id    INTEGER NOT NULL,
    saved_at  INTEGER NOT NULL,
    body      BLOB NOT NULL,
    PRIMARY KEY (tenant_id, flow)
) STRICT;
INSERT INTO run_reports (tenant_id, flow, run_id, saved_at, body)
SELECT tenant_id, flow, run_id, saved_at, CAST(body AS BLOB) FROM run_reports_v8;
DROP TABLE run_reports_v8;
";

/// Version 10 (issue #20): an association remembers its company's last known name (shown once
/// the company is deleted in GravityZone). `NULL` for rows stored before: the company is then
/// named by its id.
const V10_GRAVITYZONE_ASSOCIATION_COMPANY_NAME: &str = "
ALTER TABLE gravityzone_associations ADD COLUMN company_name TEXT;
";

/// Every migration, oldest first; the schema version of a file is how many it has.
pub(super) const MIGRATIONS: &[&str] = &[
    V1_FOUNDATION,
    V2_GRAVITYZONE,
    V3_ITGLUE,
    V4_LEASE_HOLDER_PROCESS,
    V5_GRAVITYZONE_ASSOCIATION_MEMORY,
    V6_READ_CACHE,
    V7_INTEGRATION_ACCOUNT,
    V8_LEASE_PER_FLOW,
    V9_REPORT_BODY_BLOB,
    V10_GRAVITYZONE_ASSOCIATION_COMPANY_NAME,
];

/// The schema version this build writes.
pub(super) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the file up to schema version `target` (the latest when opening a store; an older one
/// when a test writes a file as an older build would have); returns the version it had before.
pub(super) fn migrate_to(conn: &mut Connection, target: i64) -> Result<i64, StoreError> {
    let mut found = None;
    loop {
        // IMMEDIATE: two processes opening one file at once must not both apply a migration.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
        let found = *found.get_or_insert(current);
        if current > latest() {
            return Err(StoreError::SchemaTooNew {
                store: "the store file".to_owned(),
                found: current,
                supported: latest(),
            });
        }
        if current >= target {
            return Ok(found);
        }
        let migration = usize::try_from(current)
            .ok()
            .and_then(|index| MIGRATIONS.get(index))
            .ok_or_else(|| {
                StoreError::Corrupt(format!("the file's schema version {current} is invalid"))
            })?;
        tx.execute_batch(migration)?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
        tracing::debug!(version = current + 1, "applied store migration");
    }
}
