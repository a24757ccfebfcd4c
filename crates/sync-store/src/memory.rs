//! [`MemoryStore`]: the whole store in one process's memory, for tests and demos.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::time::truncate_to_millis;
use crate::{
    Change, CredentialFingerprint, CredentialStatus, DeviceAudit, Flow, GravityZoneChange,
    GravityZoneState, IntegrationChange, ItGlueChange, ItGlueState, JournalEntry, Lease,
    LeaseHolder, RecordKind, RunCounts, RunId, RunOutcome, RunReport, RunStatus, SiteInterfaces,
    Store, StoreError, SyncRun, TenantId, TenantState, Vendor, Version, rules,
};

/// A store kept in memory. Clones share the same data. It behaves exactly like the SQLite store
/// (both pass the same conformance suite) and loses everything when the last clone is dropped.
///
/// ```
/// use sync_store::{MemoryStore, Store, TenantId, Version};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryStore::new();
/// let tenant = TenantId::new("https://merlot-api.centrastage.net", "acc-1").unwrap();
/// assert_eq!(store.version(&tenant).await.unwrap(), Version::EMPTY);
/// # });
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Default)]
struct Inner {
    tenants: BTreeMap<TenantId, TenantData>,
    last_version: u64,
    last_run_id: i64,
}

#[derive(Clone, Debug, Default)]
struct TenantData {
    state: TenantState,
    audits: BTreeMap<String, DeviceAudit>,
    site_interfaces: BTreeMap<String, SiteInterfaces>,
    reports: BTreeMap<Flow, RunReport>,
    runs: Vec<SyncRun>,
    journal: Vec<JournalEntry>,
    leases: BTreeMap<Flow, Lease>,
}

/// Whether a successful operation makes a tenant exist when it did not, given its answer.
type Creates<T> = fn(&T) -> bool;

/// The operation creates the tenant whenever it succeeds.
fn always<T>(_: &T) -> bool {
    true
}

/// The operation never creates the tenant (it needs an existing record, or only removes).
fn never<T>(_: &T) -> bool {
    false
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read<T>(&self, tenant: &TenantId, f: impl FnOnce(&TenantData) -> T) -> T {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        match inner.tenants.get(tenant) {
            Some(data) => f(data),
            None => f(&TenantData::default()),
        }
    }

    /// Runs `f` on a copy of the tenant's data and keeps the copy only if `f` succeeds, so a
    /// failing operation leaves nothing behind.
    fn write<T>(
        &self,
        tenant: &TenantId,
        creates: Creates<T>,
        f: impl FnOnce(&mut TenantData, &mut Counters<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let existing = inner.tenants.get(tenant).cloned();
        let exists = existing.is_some();
        let mut data = existing.unwrap_or_default();
        let mut last_version = inner.last_version;
        let mut last_run_id = inner.last_run_id;
        let out = f(
            &mut data,
            &mut Counters {
                last_version: &mut last_version,
                last_run_id: &mut last_run_id,
            },
        )?;
        if exists || creates(&out) {
            inner.tenants.insert(tenant.clone(), data);
        }
        inner.last_version = last_version;
        inner.last_run_id = last_run_id;
        Ok(out)
    }

    /// Grants `holder` the flow's lease when it is free (or held by `gone`).
    fn lease_for(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        gone: Option<&str>,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        // The tenant comes into existence only when the lease is granted.
        self.write(
            tenant,
            |acquired| *acquired,
            |data, _| match rules::acquire_lease(data.leases.get(&flow), holder, gone, ttl, now)? {
                Some(lease) => {
                    data.leases.insert(flow, lease);
                    Ok(true)
                }
                None => Ok(false),
            },
        )
    }
}

/// The store-wide sequences an operation may draw from.
struct Counters<'a> {
    last_version: &'a mut u64,
    last_run_id: &'a mut i64,
}

fn journal_entry<'a>(
    data: &'a mut TenantData,
    key: &str,
) -> Result<&'a mut JournalEntry, StoreError> {
    data.journal
        .iter_mut()
        .find(|entry| entry.key == key)
        .ok_or_else(|| StoreError::not_found(RecordKind::JournalEntry, key))
}

fn apply_change(state: &mut TenantState, change: &Change) -> Result<(), StoreError> {
    match change {
        Change::Integration(change) => apply_integration(&mut state.integrations, change),
        Change::GravityZone(change) => apply_gravityzone(&mut state.gravityzone, change),
        Change::ItGlue(change) => apply_itglue(&mut state.itglue, change),
    }
}

fn apply_integration(
    integrations: &mut BTreeMap<Vendor, crate::Integration>,
    change: &IntegrationChange,
) -> Result<(), StoreError> {
    match change {
        IntegrationChange::Save {
            vendor,
            connection,
            fingerprint,
        } => {
            let saved =
                rules::save_integration(integrations.get(vendor), *vendor, connection, fingerprint);
            integrations.insert(*vendor, saved);
        }
        IntegrationChange::Remove { vendor } => {
            integrations
                .remove(vendor)
                .ok_or_else(|| StoreError::not_found(RecordKind::Integration, vendor.as_str()))?;
        }
    }
    Ok(())
}

fn apply_gravityzone(
    gz: &mut GravityZoneState,
    change: &GravityZoneChange,
) -> Result<(), StoreError> {
    use rules::gravityzone as rule;
    match change {
        GravityZoneChange::SaveSettings(settings) => gz.settings = Some(settings.clone()),
        GravityZoneChange::Associate(new) => {
            let of_company = gz
                .associations
                .iter()
                .find(|r| r.company() == new.company());
            let record = rule::associate(gz.association_of(new.site()), of_company, new)?;
            gz.associations.push(record);
            gz.associations.sort_by(|a, b| a.site().cmp(b.site()));
        }
        GravityZoneChange::SetPackage {
            site,
            package_id,
            package_link,
        } => {
            let current = gz.association_of(site).cloned();
            let record = rule::set_package(current, site, package_id, package_link)?;
            gz.associations.retain(|r| r.site() != site);
            gz.associations.push(record);
            gz.associations.sort_by(|a, b| a.site().cmp(b.site()));
        }
        GravityZoneChange::RememberNames {
            site,
            company,
            site_name,
            company_name,
        } => {
            let current = gz.association_of(site).cloned();
            let record = rule::remember_names(current, site, company, site_name, company_name)?;
            gz.associations.retain(|r| r.site() != site);
            gz.associations.push(record);
            gz.associations.sort_by(|a, b| a.site().cmp(b.site()));
        }
        GravityZoneChange::DeleteAssociation { site, company } => {
            rule::delete_association(gz.association_of(site), site, company)?;
            gz.associations.retain(|r| r.site() != site);
        }
        GravityZoneChange::Exclude(new) => {
            let current = gz.exclusions.iter().find(|r| r.site() == new.site());
            let record = rule::exclude(current, new)?;
            gz.exclusions.push(record);
            gz.exclusions.sort_by(|a, b| a.site().cmp(b.site()));
        }
        GravityZoneChange::Include { site } => {
            rule::include(gz.exclusions.iter().find(|r| r.site() == site), site)?;
            gz.exclusions.retain(|r| r.site() != site);
        }
        GravityZoneChange::PutEvent {
            event,
            changed_by,
            changed_at,
        } => {
            let current = gz.event(&event.id).cloned();
            let record = rule::put_event(current, event, changed_by, *changed_at);
            gz.events.retain(|r| r.id() != &event.id);
            gz.events.push(record);
            gz.events.sort_by(|a, b| a.id().cmp(b.id()));
        }
        GravityZoneChange::RemoveEvent { id } => {
            rule::remove_event(gz.event(id), id)?;
            gz.events.retain(|r| r.id() != id);
        }
    }
    Ok(())
}

fn apply_itglue(itg: &mut ItGlueState, change: &ItGlueChange) -> Result<(), StoreError> {
    use rules::itglue as rule;
    match change {
        ItGlueChange::SaveSettings(settings) => itg.settings = Some(settings.clone()),
        ItGlueChange::MatchOrganization(new) => {
            let record = rule::match_organization(new);
            itg.organization_matches
                .retain(|m| m.group() != new.group());
            itg.organization_matches.push(record);
            itg.organization_matches
                .sort_by(|a, b| a.group().cmp(b.group()));
        }
        ItGlueChange::UnmatchOrganization { group } => {
            rule::unmatch_organization(itg.organization_of(group), group)?;
            itg.organization_matches.retain(|m| m.group() != group);
        }
        ItGlueChange::MatchDevice(new) => {
            let holder = itg
                .device_matches
                .iter()
                .find(|m| m.configuration == new.configuration);
            let record = rule::match_device(holder, new)?;
            itg.device_matches.retain(|m| m.device != new.device);
            itg.device_matches.push(record);
            itg.device_matches.sort_by(|a, b| a.device.cmp(&b.device));
        }
        ItGlueChange::UnmatchDevice { device } => {
            rule::unmatch_device(itg.configuration_of(device), device)?;
            itg.device_matches.retain(|m| &m.device != device);
        }
        ItGlueChange::IgnoreGroup(new) => {
            let current = itg.ignored_groups.iter().find(|g| g.group == new.group);
            let record = rule::ignore_group(current, new)?;
            itg.ignored_groups.push(record);
            itg.ignored_groups.sort_by(|a, b| a.group.cmp(&b.group));
        }
        ItGlueChange::UnignoreGroup { group } => {
            let current = itg.ignored_groups.iter().find(|g| &g.group == group);
            rule::unignore_group(current, group)?;
            itg.ignored_groups.retain(|g| &g.group != group);
        }
    }
    Ok(())
}

#[async_trait]
impl Store for MemoryStore {
    async fn tenants(&self) -> Result<Vec<TenantId>, StoreError> {
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(inner.tenants.keys().cloned().collect())
    }

    async fn state(&self, tenant: &TenantId) -> Result<TenantState, StoreError> {
        Ok(self.read(tenant, |data| data.state.clone()))
    }

    async fn version(&self, tenant: &TenantId) -> Result<Version, StoreError> {
        Ok(self.read(tenant, |data| data.state.version))
    }

    async fn apply(
        &self,
        tenant: &TenantId,
        expected: Version,
        changes: &[Change],
    ) -> Result<Version, StoreError> {
        let creates: Creates<Version> = if changes.is_empty() { never } else { always };
        self.write(tenant, creates, |data, counters| {
            let actual = data.state.version;
            if actual != expected {
                return Err(StoreError::Conflict {
                    tenant: tenant.clone(),
                    expected,
                    actual,
                });
            }
            if changes.is_empty() {
                return Ok(actual);
            }
            for change in changes {
                apply_change(&mut data.state, change)?;
            }
            *counters.last_version += 1;
            data.state.version = Version::new(*counters.last_version);
            Ok(data.state.version)
        })
    }

    async fn reset_tenant(&self, tenant: &TenantId) -> Result<(), StoreError> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.tenants.remove(tenant);
        Ok(())
    }

    async fn set_credential_status(
        &self,
        tenant: &TenantId,
        vendor: Vendor,
        fingerprint: &CredentialFingerprint,
        status: CredentialStatus,
        checked_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(tenant, never, |data, _| {
            let current =
                data.state.integrations.get(&vendor).ok_or_else(|| {
                    StoreError::not_found(RecordKind::Integration, vendor.as_str())
                })?;
            match rules::credential_checked(current, fingerprint, status, checked_at) {
                Some(checked) => {
                    data.state.integrations.insert(vendor, checked);
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    }

    async fn put_device_audit(
        &self,
        tenant: &TenantId,
        audit: &DeviceAudit,
    ) -> Result<(), StoreError> {
        self.write(tenant, always, |data, _| {
            let audit = DeviceAudit {
                last_audit_date: truncate_to_millis(audit.last_audit_date),
                ..audit.clone()
            };
            data.audits.insert(audit.device_uid.clone(), audit);
            Ok(())
        })
    }

    async fn device_audit(
        &self,
        tenant: &TenantId,
        device_uid: &str,
    ) -> Result<Option<DeviceAudit>, StoreError> {
        Ok(self.read(tenant, |data| data.audits.get(device_uid).cloned()))
    }

    async fn device_audits(&self, tenant: &TenantId) -> Result<Vec<DeviceAudit>, StoreError> {
        Ok(self.read(tenant, |data| data.audits.values().cloned().collect()))
    }

    async fn retain_device_audits(
        &self,
        tenant: &TenantId,
        device_uids: &[String],
    ) -> Result<u64, StoreError> {
        self.write(tenant, never, |data, _| {
            let before = data.audits.len();
            data.audits.retain(|uid, _| device_uids.contains(uid));
            Ok((before - data.audits.len()) as u64)
        })
    }

    async fn put_site_interfaces(
        &self,
        tenant: &TenantId,
        listing: &SiteInterfaces,
    ) -> Result<(), StoreError> {
        self.write(tenant, always, |data, _| {
            let listing = SiteInterfaces::new(
                listing.site_uid.clone(),
                listing.devices.iter().cloned(),
                listing.listing.clone(),
            );
            data.site_interfaces
                .insert(listing.site_uid.clone(), listing);
            Ok(())
        })
    }

    async fn site_interfaces(&self, tenant: &TenantId) -> Result<Vec<SiteInterfaces>, StoreError> {
        Ok(self.read(tenant, |data| {
            data.site_interfaces.values().cloned().collect()
        }))
    }

    async fn retain_site_interfaces(
        &self,
        tenant: &TenantId,
        site_uids: &[String],
    ) -> Result<u64, StoreError> {
        self.write(tenant, never, |data, _| {
            let before = data.site_interfaces.len();
            data.site_interfaces
                .retain(|uid, _| site_uids.contains(uid));
            Ok((before - data.site_interfaces.len()) as u64)
        })
    }

    async fn put_run_report(&self, tenant: &TenantId, report: RunReport) -> Result<(), StoreError> {
        self.write(tenant, always, move |data, _| {
            let mut report = report;
            report.saved_at = truncate_to_millis(report.saved_at);
            data.reports.insert(report.flow, report);
            Ok(())
        })
    }

    async fn run_report(
        &self,
        tenant: &TenantId,
        flow: Flow,
    ) -> Result<Option<RunReport>, StoreError> {
        Ok(self.read(tenant, |data| data.reports.get(&flow).cloned()))
    }

    async fn start_run(
        &self,
        tenant: &TenantId,
        flow: Flow,
        started_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        self.write(tenant, always, |data, counters| {
            *counters.last_run_id += 1;
            let run = SyncRun {
                id: RunId(*counters.last_run_id),
                flow,
                status: RunStatus::Syncing,
                started_at: truncate_to_millis(started_at),
                finished_at: None,
                counts: RunCounts::new(),
            };
            data.runs.push(run.clone());
            Ok(run)
        })
    }

    async fn finish_run(
        &self,
        tenant: &TenantId,
        run: RunId,
        outcome: RunOutcome,
        counts: &RunCounts,
        finished_at: DateTime<Utc>,
    ) -> Result<SyncRun, StoreError> {
        self.write(tenant, never, |data, _| {
            let stored = data
                .runs
                .iter_mut()
                .find(|stored| stored.id == run)
                .ok_or_else(|| StoreError::not_found(RecordKind::SyncRun, run.0.to_string()))?;
            *stored = rules::finish_run(stored.clone(), outcome, counts, finished_at)?;
            Ok(stored.clone())
        })
    }

    async fn runs(
        &self,
        tenant: &TenantId,
        flow: Option<Flow>,
        limit: usize,
    ) -> Result<Vec<SyncRun>, StoreError> {
        Ok(self.read(tenant, |data| {
            data.runs
                .iter()
                .rev()
                .filter(|run| flow.is_none_or(|flow| run.flow == flow))
                .take(limit)
                .cloned()
                .collect()
        }))
    }

    async fn record_intent(
        &self,
        tenant: &TenantId,
        key: &str,
        description: &str,
        recorded_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        self.write(tenant, always, |data, _| {
            if let Some(existing) = data.journal.iter().find(|entry| entry.key == key) {
                return Ok(existing.clone());
            }
            let entry = JournalEntry::recorded(key, description, truncate_to_millis(recorded_at));
            data.journal.push(entry.clone());
            Ok(entry)
        })
    }

    async fn mark_sent(
        &self,
        tenant: &TenantId,
        key: &str,
        sent_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        self.write(tenant, never, |data, _| {
            let entry = journal_entry(data, key)?;
            *entry = rules::mark_sent(entry.clone(), sent_at)?;
            Ok(entry.clone())
        })
    }

    async fn complete(
        &self,
        tenant: &TenantId,
        key: &str,
        result: &str,
        completed_at: DateTime<Utc>,
    ) -> Result<JournalEntry, StoreError> {
        self.write(tenant, never, |data, _| {
            let entry = journal_entry(data, key)?;
            *entry = rules::complete(entry.clone(), result, completed_at)?;
            Ok(entry.clone())
        })
    }

    async fn intent(
        &self,
        tenant: &TenantId,
        key: &str,
    ) -> Result<Option<JournalEntry>, StoreError> {
        Ok(self.read(tenant, |data| {
            data.journal.iter().find(|entry| entry.key == key).cloned()
        }))
    }

    async fn pending_intents(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        Ok(self.read(tenant, |data| {
            data.journal
                .iter()
                .filter(|entry| entry.is_pending())
                .cloned()
                .collect()
        }))
    }

    async fn journal(&self, tenant: &TenantId) -> Result<Vec<JournalEntry>, StoreError> {
        Ok(self.read(tenant, |data| data.journal.clone()))
    }

    async fn forget_intent(&self, tenant: &TenantId, key: &str) -> Result<(), StoreError> {
        self.write(tenant, never, |data, _| {
            rules::forget(journal_entry(data, key)?)?;
            data.journal.retain(|entry| entry.key != key);
            Ok(())
        })
    }

    async fn acquire_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &LeaseHolder,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.lease_for(tenant, flow, holder, None, ttl, now)
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
        self.lease_for(tenant, flow, holder, Some(gone), ttl, now)
    }

    async fn renew_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.write(tenant, never, |data, _| {
            match rules::renew_lease(data.leases.get(&flow), holder, ttl, now)? {
                Some(lease) => {
                    data.leases.insert(flow, lease);
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    }

    async fn release_lease(
        &self,
        tenant: &TenantId,
        flow: Flow,
        holder: &str,
    ) -> Result<bool, StoreError> {
        self.write(tenant, never, |data, _| {
            if data
                .leases
                .get(&flow)
                .is_some_and(|lease| lease.holder == holder)
            {
                data.leases.remove(&flow);
                Ok(true)
            } else {
                Ok(false)
            }
        })
    }

    async fn lease(&self, tenant: &TenantId, flow: Flow) -> Result<Option<Lease>, StoreError> {
        Ok(self.read(tenant, |data| data.leases.get(&flow).cloned()))
    }
}
