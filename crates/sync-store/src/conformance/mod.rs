//! The conformance suite: one set of tests, generic over [`Store`], that every implementation
//! runs. An implementation passes when all of them pass against it.
//!
//! Each case is an async function taking a [`Fixture`]; the [`conformance_tests!`] macro expands
//! to one `#[tokio::test]` per case, so a crate with a new implementation (say PostgreSQL) runs
//! the whole suite with one line:
//!
//! ```ignore
//! sync_store::conformance_tests!(PostgresFixture::start().await);
//! ```
//!
//! The cases panic (with `assert!`) when the store does not behave as the trait documents; that
//! is their purpose, so call them from tests only.
//!
//! [`conformance_tests!`]: crate::conformance_tests

mod cache;
mod gravityzone;
mod itglue;
mod journal;
mod leases;
mod operations;
mod reset;
mod versioned;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::{Store, TenantId};

pub use cache::*;
pub use gravityzone::*;
pub use itglue::*;
pub use journal::*;
pub use leases::*;
pub use operations::*;
pub use reset::*;
pub use versioned::*;

/// A store under test.
#[async_trait]
pub trait Fixture: Send {
    /// The implementation under test.
    type Store: Store;

    /// The store.
    fn store(&self) -> &Self::Store;

    /// Drops the store's handle and opens the same data again, as a worker restarted after a
    /// crash would.
    async fn restart(&mut self);
}

/// Expands to one `#[tokio::test]` per conformance case, each on a fresh fixture made by
/// evaluating `$fixture` (an expression of a type implementing
/// [`Fixture`](crate::conformance::Fixture); it may `.await`).
#[macro_export]
macro_rules! conformance_tests {
    ($fixture:expr) => {
        $crate::conformance_tests!(@cases $fixture;
            unknown_tenant_reads_as_empty,
            integration_round_trips_without_secrets,
            saving_other_credentials_resets_their_status,
            saving_the_same_credentials_keeps_their_status,
            credential_check_of_replaced_credentials_is_not_recorded,
            credential_status_of_a_missing_integration_is_not_found,
            each_apply_gives_a_new_version,
            stale_version_is_a_conflict_and_writes_nothing,
            concurrent_writers_at_one_version_let_exactly_one_win,
            empty_batch_only_checks_the_version,
            failing_batch_leaves_nothing_behind,
            versions_are_not_reused_after_a_reset,
            times_are_kept_to_the_millisecond,
            device_audit_round_trips_and_is_replaced,
            retain_device_audits_drops_only_devices_that_are_gone,
            site_interfaces_round_trip_and_are_replaced,
            retain_site_interfaces_drops_only_sites_that_are_gone,
            run_reports_are_kept_per_flow_and_replaced,
            run_reports_written_in_pieces_read_back_whole,
            runs_are_listed_newest_first_per_flow,
            finishing_a_run_records_outcome_and_counts,
            finishing_a_run_twice_is_refused,
            run_of_another_tenant_is_not_found,
            recording_an_intent_twice_returns_the_first_entry,
            intent_moves_from_recorded_to_sent_to_completed,
            completed_intent_is_neither_sent_nor_completed_again,
            pending_intents_are_listed_in_recorded_order,
            journal_resumes_after_a_restart_without_a_second_write,
            only_completed_intents_are_forgotten,
            lease_is_exclusive_until_it_expires,
            lease_holder_renews_and_extends_it,
            expired_lease_cannot_be_renewed,
            only_the_holder_releases_a_lease,
            concurrent_acquires_grant_one_lease,
            a_tenants_two_flows_are_leased_apart,
            lease_records_the_holders_process,
            lease_of_a_gone_holder_is_taken_over_at_once,
            concurrent_take_overs_grant_one_lease,
            reset_tenant_deletes_every_row_of_that_tenant_only,
            tenants_are_listed_from_first_write_until_reset,
            reads_and_refused_operations_create_no_tenant,
            gravityzone_settings_round_trip,
            association_round_trips_with_its_package,
            site_has_one_company_and_company_serves_one_site,
            deleting_an_association_needs_its_company,
            an_association_remembers_the_names_a_pass_last_saw,
            exclusions_round_trip,
            event_round_trips_with_its_state_history,
            events_are_kept_one_per_identity,
            removing_an_event_drops_its_history,
            itglue_settings_round_trip,
            organization_matches_round_trip_and_are_replaced,
            device_matches_round_trip_one_configuration_per_device,
            device_matches_in_one_batch_are_checked_in_order,
            itglue_ids_are_kept_whole,
            ignored_groups_round_trip,
        );
    };
    (@cases $fixture:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                let mut fixture = $fixture;
                $crate::conformance::$case(&mut fixture).await;
            }
        )*
    };
}

/// The URL of the PostgreSQL server tests run against, from `MSP_SYNC_POSTGRES_URL` (`cargo
/// xtask postgres` starts one and prints it). When it is unset, a test that needs it should be
/// skipped: this prints why and answers `None` — except under `CI=true`, where it panics, so a
/// CI run never skips the PostgreSQL tests silently.
///
/// ```
/// if let Some(url) = sync_store::conformance::postgres_url("an example") {
///     assert!(url.starts_with("postgres"));
/// }
/// ```
#[cfg(feature = "postgres")]
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var("MSP_SYNC_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => panic!(
            "{test}: MSP_SYNC_POSTGRES_URL is not set under CI=true (cargo xtask ci starts a \
             server; run `cargo xtask postgres` and export the line it prints)"
        ),
        _ => {
            eprintln!(
                "{test}: skipped: MSP_SYNC_POSTGRES_URL is not set (run `cargo xtask postgres` \
                 and export the line it prints)"
            );
            None
        }
    }
}

/// A PostgreSQL schema name no other test uses: tests share one server, each in its own schema.
#[cfg(feature = "postgres")]
pub fn unique_schema(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fixed instant `secs` seconds after 2024-01-01T00:00:00Z.
pub fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_704_067_200 + secs, 0).unwrap_or_default()
}

/// The first tenant of the suite.
pub fn tenant_a() -> TenantId {
    tenant("https://merlot-api.centrastage.net", "account-a")
}

/// The second tenant of the suite: same API URL, another account.
pub fn tenant_b() -> TenantId {
    tenant("https://merlot-api.centrastage.net", "account-b")
}

fn tenant(api_url: &str, account_uid: &str) -> TenantId {
    match TenantId::new(api_url, account_uid) {
        Ok(tenant) => tenant,
        Err(e) => panic!("suite tenant is invalid: {e}"),
    }
}

#[cfg(test)]
mod tests {
    /// Every case function of the suite is listed in [`conformance_tests!`], so none is skipped.
    #[test]
    fn every_case_is_in_the_macro() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/conformance");
        let listed = std::fs::read_to_string(dir.join("mod.rs")).unwrap();
        let mut cases = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for line in source.lines() {
                let Some(rest) = line.strip_prefix("pub async fn ") else {
                    continue;
                };
                if !rest.contains("<F: Fixture>") {
                    continue;
                }
                let name = rest.split('<').next().unwrap();
                cases += 1;
                assert!(
                    listed.contains(&format!("            {name},\n")),
                    "conformance case {name} is missing from conformance_tests!"
                );
            }
        }
        assert!(cases > 40, "found only {cases} cases");
    }
}
