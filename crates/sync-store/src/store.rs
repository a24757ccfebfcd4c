//! The one storage trait every implementation provides.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::{
    Change, CredentialFingerprint, CredentialStatus, DeviceAudit, Flow, JournalEntry, Lease,
    LeaseHolder, RunCounts, RunId, RunOutcome, RunReport, SiteInterfaces, StoreError, SyncRun,
    TenantId, TenantState, Vendor, Version,
};

/// Everything the two flows keep, per tenant.
///
/// The store never reads the clock: every time is an argument. Times are kept to the millisecond.
///
/// Two kinds of data live here:
/// - the tenant's **versioned state** ([`TenantState`]): settings, integrations, associations,
///   exclusions, events, matches and ignored groups. It is read with [`Store::state`] and changed
///   only through [`Store::apply`], which takes the version the writer read and applies a batch
///   of [`Change`]s in one transaction — all or nothing — or answers
///   [`StoreError::Conflict`] when the tenant changed meanwhile;
/// - **operational records** that do not take part in optimistic concurrency, each changed by
///   one atomic call: credential status, the device-audit cache, the kept site
///   network-interface listings, sync runs and the last run's report, the journal of vendor
///   writes and the tenant's leases (one per flow).
///
/// A tenant exists from its first successful write until [`Store::reset_tenant`].
#[async_trait]
pub trait Store: Send + Sync {
    /// Every tenant that has data, ordered by API URL then account uid.
    async fn tenants(&self) -> Result<Vec<TenantId>, StoreError>;

    /// The tenant's versioned state; an unknown tenant reads as empty at [`Version::EMPTY`].
    async fn state(&self, tenant: &TenantId) -> Result<TenantState, StoreError>;

    /// The tenant's current version.
    async fn version(&self, tenant: &TenantId) -> Result<Version, StoreError>;

    /// Applies `changes` in order, in one transaction, if the tenant is still at `expected`;
    /// returns the new version. On any error nothing is written. An empty batch only checks the
    /// version and returns it unchanged.
    async fn apply(
        &self,
        tenant: &TenantId,
        expected: Version,
        changes: &[Change],
    ) -> Result<Version, StoreError>;

    /// Deletes every row of the tenant — state, integrations, runs, journal, audits, leases — and
    /// nothing of any other tenant, in one transaction.
    async fn reset_tenant(&self, tenant: &TenantId) -> Result<(), StoreError>;

    /// Records whether the credentials with `fingerprint` worked at `checked_at`. Returns
    /// `false`, recording nothing, when the integration's saved credentials have another
    /// fingerprint (they changed while the check ran); fails with `NotFound` when the tenant has
    /// no integration with `vendor`.
    async fn set_credential_status(
        &self,
        tenant: &TenantId,
        vendor: Vendor,
        fingerprint: &CredentialFingerprint,
        status: CredentialStatus,
        checked_at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Caches a device audit, replacing the one cached for the same device.
    async fn put_device_audit(
        &self,
        tenant: &TenantId,
        audit: &DeviceAudit,
    ) -> Result<(), StoreError>;

    /// The cached audit of one device.
    async fn device_audit(
        &self,
        tenant: &TenantId,
        device_uid: &str,
    ) -> Result<Option<DeviceAudit>, StoreError>;

    /// Every cached audit of the tenant, by device uid.
    async fn device_audits(&self, tenant: &TenantId) -> Result<Vec<DeviceAudit>, StoreError>;

    /// Drops the cached audits of every device not in `device_uids` (devices that are gone);
    /// returns how many were dropped.
    async fn retain_device_audits(
        &self,
        tenant: &TenantId,
        device_uids: &[String],
    ) -> Result<u64, StoreError>;

    /// Keeps a site's network-interface listing, replacing the one kept for the same site.
    async fn put_site_interfaces(
        &self,
        tenant: &TenantId,
        listing: &SiteInterfaces,
    ) -> Result<(), StoreError>;

    /// Every kept site network-interface listing of the tenant, by site uid.
    async fn site_interfaces(&self, tenant: &TenantId) -> Result<Vec<SiteInterfaces>, StoreError>;

    /// Drops the kept listings of every site not in `site_uids` (sites that are gone); returns
    /// how many were dropped.
    async fn retain_site_interfaces(
        &self,
        tenant: &TenantId,
        site_uids: &[String],
    ) -> Result<u64, StoreError>;

    /// Keeps `report` as the last report of its flow, replacing the one kept before. The
    /// report is taken by value: its body may be tens of megabytes at MSP scale, and a store
    /// that hands it to another thread need not copy it.
    async fn put_run_report(&self, tenant: &TenantId, report: RunReport) -> Result<(), StoreError>;

    /// [`put_run_report`](Self::put_run_report) with a body written as it is produced: the
    /// SQLite store writes it straight into the file, never holding it whole; the others
    /// (this default) collect it into a string first.
    async fn put_run_report_streamed(
        &self,
        tenant: &TenantId,
        flow: Flow,
        run: RunId,
        saved_at: DateTime<Utc>,
        body: std::sync::Arc<dyn crate::ReportBody>,
    ) -> Result<(), StoreError> {
        let body = crate::cache::collect_body(body.as_ref())?;
        self.put_run_report(
            tenant,
            RunReport {
                flow,
                run,
                saved_at,
                body,
            },
        )
        .await
    }

    /// The last report kept for `flow`.
    async fn run_report(
        &self,
        tenant: &TenantId,
        flow: Flow,
    ) -> Result<Option<RunReport>, StoreError>;

    /// Records the start of a run (status `Syncing…`).
    async fn start_run(
        &self,
        tenant: &TenantId,
        flow: Flow,
        started_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError>;

    /// Records how a run ended and what it counted. Fails with `NotFound` for a run of another
    /// tenant and with `InvalidState` for a run that already finished.
    async fn finish_run(
        &self,
        tenant: &TenantId,
        run: RunId,
        outcome: RunOutcome,
        counts: &RunCounts,
        finished_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError>;

    /// The tenant's runs, newest first, of one flow or of all, at most `limit`.
    async fn runs(
        &self,
        tenant: &TenantId,
        flow: Option<Flow>,
        limit: usize,
    ) -> Result<Vec<SyncRun>, StoreError>;

    /// Records the intent to make a vendor write under the idempotency `key`. When the key is
    /// already journaled, returns that entry unchanged: the caller resumes it instead of writing
    /// twice.
    async fn record_intent(
        &self,
        tenant: &TenantId,
        key: &str,
        description: &str,
        recorded_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError>;

    /// Marks the intent as sent to the vendor (call this just before the call). Marking a sent
    /// intent again keeps the first time; a completed intent fails with `InvalidState`.
    async fn mark_sent(
        &self,
        tenant: &TenantId,
        key: &str,
        sent_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError>;

    /// Completes the intent with the vendor's answer (for example the created id). Completing a
    /// completed intent fails with `InvalidState`.
    async fn complete(
        &self,
        tenant: &TenantId,
        key: &str,
        result: &str,
        completed_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError>;

    /// The journal entry under `key`.
    async fn intent(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<Option<JournalEntry>, StoreError>;

    /// The entries not completed yet, in the order they were recorded.
    async fn pending_intents(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError>;

    /// Every journal entry, in the order they were recorded.
    async fn journal(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError>;

    /// Removes a completed entry so its key can be used again (for example to create a company
    /// again after the first one was deleted). A pending entry fails with `InvalidState`.
    async fn forget_intent(&self, tenant: &TenantId, key: &str) -> Result<(), StoreError>;

    /// Takes the lease of the tenant's `flow` for `holder` until `now + ttl` if nobody else
    /// holds an unexpired one, recording the holder's process. Returns whether `holder` now holds
    /// it; when it already did, the lease is extended.
    ///
    /// A lease is per tenant **and flow**: the tenant's GravityZone pass and its IT Glue sync
    /// each have their own, so two workers may run them at the same time, while one flow of a
    /// tenant never runs twice at once.
    ///
    /// ```
    /// use std::time::Duration;
    /// use chrono::{TimeZone, Utc};
    /// use sync_store::{Flow, MemoryStore, Store, TenantId};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let store = MemoryStore::new();
    /// let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
    /// let now = Utc.with_ymd_and_hms(2024, 5, 1, 9, 0, 0).unwrap();
    /// let ttl = Duration::from_secs(60);
    /// let gz = Flow::GravityZone;
    /// assert!(store.acquire_lease(&tenant, gz, &"worker-1".into(), ttl, now).await?);
    /// // The same flow is refused to another worker; the tenant's other flow is free.
    /// assert!(!store.acquire_lease(&tenant, gz, &"worker-2".into(), ttl, now).await?);
    /// assert!(store.acquire_lease(&tenant, Flow::ItGlue, &"worker-2".into(), ttl, now).await?);
    /// assert_eq!(store.lease(&tenant, gz).await?.unwrap().holder, "worker-1");
    /// # Ok::<(), sync_store::StoreError>(())
    /// # }).unwrap();
    /// ```
    async fn acquire_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Takes the lease of the tenant's `flow` for `holder` until `now + ttl` like
    /// [`Store::acquire_lease`], except that a lease held by `gone` — a holder the caller found
    /// to be a process that no longer exists — is taken even before it expires. The check and
    /// the write are one atomic step: when somebody other than `gone` holds an unexpired lease
    /// meanwhile, nothing is written and the answer is `false`.
    async fn take_over_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        gone: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Extends `holder`'s unexpired lease of the tenant's `flow` to `now + ttl`. Returns `false`
    /// when `holder` does not hold it or it has expired (then it must be acquired again).
    async fn renew_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;

    /// Gives up `holder`'s lease of the tenant's `flow`. Returns `false` when `holder` did not
    /// hold it.
    async fn release_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
    ) -> Result<bool, StoreError>;

    /// The lease of the tenant's `flow` as stored (it may have expired; see
    /// [`Lease::is_expired`]).
    async fn lease(&self, tenant: &TenantId, flow: Flow) -> Result<Option<Lease>, StoreError>;
}
