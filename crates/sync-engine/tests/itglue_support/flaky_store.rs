//! A store that fails chosen writes once, to play a process killed between a vendor's answer
//! and the store's write.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sync_store::{
    Change, CredentialFingerprint, CredentialStatus, DeviceAudit, Flow, JournalEntry, Lease,
    LeaseHolder, MemoryStore, RunCounts, RunId, RunOutcome, Store, StoreError, SyncRun, TenantId,
    TenantState, Vendor, Version,
};

/// Which write fails next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailNext {
    /// Nothing fails.
    Nothing,
    /// The next `complete` of a journal entry.
    Complete,
    /// The next `apply` of state changes.
    Apply,
}

/// A store whose next `complete` or `apply` can be made to fail once.
pub struct FlakyStore {
    inner: Arc<dyn Store>,
    fail: Mutex<FailNext>,
}

impl FlakyStore {
    pub fn new(inner: MemoryStore) -> Self {
        Self::over(Arc::new(inner))
    }

    pub fn over(inner: Arc<dyn Store>) -> Self {
        Self {
            inner,
            fail: Mutex::new(FailNext::Nothing),
        }
    }

    pub fn fail_next(&self, what: FailNext) {
        *self.fail.lock().unwrap() = what;
    }

    fn trip(&self, what: FailNext) -> Result<(), StoreError> {
        let mut fail = self.fail.lock().unwrap();
        if *fail == what {
            *fail = FailNext::Nothing;
            return Err(StoreError::Task(
                "the process was killed (simulated)".into(),
            ));
        }
        Ok(())
    }
}

#[async_trait]
impl Store for FlakyStore {
    async fn tenants(&self) -> Result<Vec<TenantId>, StoreError> {
        self.inner.tenants().await
    }
    async fn state(&self, tenant: &TenantId) -> Result<TenantState, StoreError> {
        self.inner.state(tenant).await
    }
    async fn version(&self, tenant: &TenantId) -> Result<Version, StoreError> {
        self.inner.version(tenant).await
    }
    async fn apply(
        &self,
        tenant: &TenantId,
        expected: Version,
        changes: &[Change],
    ) -> Result<Version, StoreError> {
        self.trip(FailNext::Apply)?;
        self.inner.apply(tenant, expected, changes).await
    }
    async fn reset_tenant(&self, tenant: &TenantId) -> Result<(), StoreError> {
        self.inner.reset_tenant(tenant).await
    }
    async fn set_credential_status(
        &self,
        tenant: &TenantId,
        vendor: Vendor,
        fingerprint: &CredentialFingerprint,
        status: CredentialStatus,
        checked_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner
            .set_credential_status(tenant, vendor, fingerprint, status, checked_at)
            .await
    }
    async fn put_device_audit(
        &self,
        tenant: &TenantId,
        audit: &DeviceAudit,
    ) -> Result<(), StoreError> {
        self.inner.put_device_audit(tenant, audit).await
    }
    async fn device_audit(
        &self,
        tenant: &TenantId,
        device_uid: &str,
    ) -> Result<Option<DeviceAudit>, StoreError> {
        self.inner.device_audit(tenant, device_uid).await
    }
    async fn device_audits(&self, tenant: &TenantId) -> Result<Vec<DeviceAudit>, StoreError> {
        self.inner.device_audits(tenant).await
    }
    async fn retain_device_audits(
        &self,
        tenant: &TenantId,
        device_uids: &[String],
    ) -> Result<u64, StoreError> {
        self.inner.retain_device_audits(tenant, device_uids).await
    }
    async fn put_site_interfaces(
        &self,
        tenant: &TenantId,
        listing: &sync_store::SiteInterfaces,
    ) -> Result<(), StoreError> {
        self.inner.put_site_interfaces(tenant, listing).await
    }
    async fn site_interfaces(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<sync_store::SiteInterfaces>, StoreError> {
        self.inner.site_interfaces(tenant).await
    }
    async fn retain_site_interfaces(
        &self,
        tenant: &TenantId,
        site_uids: &[String],
    ) -> Result<u64, StoreError> {
        self.inner.retain_site_interfaces(tenant, site_uids).await
    }
    async fn put_run_report(
        &self,
        tenant: &TenantId,
        report: sync_store::RunReport,
    ) -> Result<(), StoreError> {
        self.inner.put_run_report(tenant, report).await
    }
    async fn put_run_report_streamed(
        &self,
        tenant: &TenantId,
        flow: sync_store::Flow,
        run: sync_store::RunId,
        saved_at: chrono::DateTime<chrono::Utc>,
        body: std::sync::Arc<dyn sync_store::ReportBody>,
    ) -> Result<(), StoreError> {
        self.inner
            .put_run_report_streamed(tenant, flow, run, saved_at, body)
            .await
    }
    async fn run_report(
        &self,
        tenant: &TenantId,
        flow: Flow,
    ) -> Result<Option<sync_store::RunReport>, StoreError> {
        self.inner.run_report(tenant, flow).await
    }
    async fn start_run(
        &self,
        tenant: &TenantId,
        flow: Flow,
        started_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        self.inner.start_run(tenant, flow, started_at).await
    }
    async fn finish_run(
        &self,
        tenant: &TenantId,
        run: RunId,
        outcome: RunOutcome,
        counts: &RunCounts,
        finished_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        self.inner
            .finish_run(tenant, run, outcome, counts, finished_at)
            .await
    }
    async fn runs(
        &self,
        tenant: &TenantId,
        flow: Option<Flow>,
        limit: usize,
    ) -> Result<Vec<SyncRun>, StoreError> {
        self.inner.runs(tenant, flow, limit).await
    }
    async fn record_intent(
        &self,
        tenant: &TenantId,
        key: &str,
        description: &str,
        recorded_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        self.inner
            .record_intent(tenant, key, description, recorded_at)
            .await
    }
    async fn mark_sent(
        &self,
        tenant: &TenantId,
        key: &str,
        sent_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        self.inner.mark_sent(tenant, key, sent_at).await
    }
    async fn complete(
        &self,
        tenant: &TenantId,
        key: &str,
        result: &str,
        completed_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        self.trip(FailNext::Complete)?;
        self.inner.complete(tenant, key, result, completed_at).await
    }
    async fn intent(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<Option<JournalEntry>, StoreError> {
        self.inner.intent(tenant, key).await
    }
    async fn pending_intents(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        self.inner.pending_intents(tenant).await
    }
    async fn journal(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        self.inner.journal(tenant).await
    }
    async fn forget_intent(&self, tenant: &TenantId, key: &str) -> Result<(), StoreError> {
        self.inner.forget_intent(tenant, key).await
    }
    async fn acquire_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner
            .acquire_lease(tenant, flow, holder, ttl, now)
            .await
    }
    async fn take_over_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        gone: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner
            .take_over_lease(tenant, flow, holder, gone, ttl, now)
            .await
    }
    async fn renew_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner.renew_lease(tenant, flow, holder, ttl, now).await
    }
    async fn release_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
    ) -> Result<bool, StoreError> {
        self.inner.release_lease(tenant, flow, holder).await
    }
    async fn lease(&self, tenant: &TenantId, flow: Flow) -> Result<Option<Lease>, StoreError> {
        self.inner.lease(tenant, flow).await
    }
}
