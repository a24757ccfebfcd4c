//! Random operation sequences, run against `MemoryStore` and `SqliteStore` side by side: every
//! operation answers the same in both, and both end in equal states.

use std::time::Duration;

use proptest::prelude::*;
use sync_core::gravityzone::{
    CompanyId, Event, EventId, EventKind, EventState, Resolution, Settings, SiteUid, SyncLevel,
};
use sync_core::itglue::{
    AutotaskCompanyId, ConfigurationId, DeviceUid, GroupId, MatchOrigin, MatchReason,
    OrganizationId,
};
use sync_store::conformance::{at, tenant_a, tenant_b};
use sync_store::{
    AssociationMethod, AssociationRecord, AuditFacts, Change, ChangedBy, ConnectionDetails,
    CredentialFingerprint, CredentialStatus, DeviceAudit, ExclusionRecord, Flow, GravityZoneChange,
    IntegrationChange, MemoryStore, RunCounts, RunId, RunOutcome, SqliteStore, Store, TenantId,
    Vendor, Version,
};
use sync_store::{
    DeviceMatchRecord, HolderProcess, IgnoredGroup, ItGlueChange, ItGlueSettings, LeaseHolder,
    OrganizationMatchRecord,
};

#[derive(Clone, Debug)]
enum Op {
    Apply {
        tenant: usize,
        stale: bool,
        changes: Vec<ChangeOp>,
    },
    Reset(usize),
    CredentialStatus {
        tenant: usize,
        vendor: usize,
        secret: usize,
        status: usize,
        t: i64,
    },
    PutAudit {
        tenant: usize,
        device: usize,
        t: i64,
    },
    RetainAudits {
        tenant: usize,
        keep: Vec<usize>,
    },
    StartRun {
        tenant: usize,
        itglue: bool,
        t: i64,
    },
    FinishRun {
        tenant: usize,
        run: i64,
        ok: bool,
        t: i64,
    },
    RecordIntent {
        tenant: usize,
        key: usize,
        t: i64,
    },
    MarkSent {
        tenant: usize,
        key: usize,
        t: i64,
    },
    Complete {
        tenant: usize,
        key: usize,
        t: i64,
    },
    Forget {
        tenant: usize,
        key: usize,
    },
    Acquire {
        tenant: usize,
        itglue: bool,
        holder: usize,
        ttl: u64,
        t: i64,
    },
    Renew {
        tenant: usize,
        itglue: bool,
        holder: usize,
        ttl: u64,
        t: i64,
    },
    TakeOver {
        tenant: usize,
        itglue: bool,
        holder: usize,
        gone: usize,
        ttl: u64,
        t: i64,
    },
    Release {
        tenant: usize,
        itglue: bool,
        holder: usize,
    },
}

#[derive(Clone, Debug)]
enum ChangeOp {
    SaveIntegration {
        vendor: usize,
        secret: usize,
    },
    RemoveIntegration {
        vendor: usize,
    },
    SaveSettings {
        level: usize,
    },
    Associate {
        site: usize,
        company: usize,
        by_user: bool,
        t: i64,
    },
    SetPackage {
        site: usize,
        package: Option<usize>,
    },
    DeleteAssociation {
        site: usize,
        company: usize,
    },
    RememberNames {
        site: usize,
        company: usize,
        site_name: Option<usize>,
        company_name: Option<usize>,
    },
    Exclude {
        site: usize,
        t: i64,
    },
    Include {
        site: usize,
    },
    PutEvent {
        kind: usize,
        site: usize,
        company: Option<usize>,
        state: usize,
        t: i64,
    },
    RemoveEvent {
        kind: usize,
        site: usize,
        company: Option<usize>,
    },
    SaveItGlueSettings {
        cap: u32,
    },
    MatchOrganization {
        group: usize,
        organization: u64,
        by_user: bool,
        t: i64,
    },
    UnmatchOrganization {
        group: usize,
    },
    MatchDevice {
        device: usize,
        configuration: u64,
        t: i64,
    },
    UnmatchDevice {
        device: usize,
    },
    IgnoreGroup {
        group: usize,
        t: i64,
    },
    UnignoreGroup {
        group: usize,
    },
}

const KINDS: [EventKind; 3] = [
    EventKind::DestinationDeleted,
    EventKind::AssociationMissing,
    EventKind::SourceDeleted,
];

fn time() -> impl Strategy<Value = i64> {
    0i64..200
}

fn change_op() -> impl Strategy<Value = ChangeOp> {
    // Small domains, so that operations meet the records earlier ones wrote.
    let site = 0..2usize;
    let company = 0..2usize;
    prop_oneof![
        1 => (0..3usize, 0..2usize)
            .prop_map(|(vendor, secret)| ChangeOp::SaveIntegration { vendor, secret }),
        1 => (0..3usize).prop_map(|vendor| ChangeOp::RemoveIntegration { vendor }),
        1 => (0..3usize).prop_map(|level| ChangeOp::SaveSettings { level }),
        2 => (site.clone(), company.clone(), any::<bool>(), time()).prop_map(
            |(site, company, by_user, t)| ChangeOp::Associate { site, company, by_user, t }
        ),
        1 => (site.clone(), proptest::option::of(0..2usize))
            .prop_map(|(site, package)| ChangeOp::SetPackage { site, package }),
        1 => (site.clone(), company.clone())
            .prop_map(|(site, company)| ChangeOp::DeleteAssociation { site, company }),
        1 => (
            site.clone(),
            company.clone(),
            proptest::option::of(0..2usize),
            proptest::option::of(0..2usize),
        )
            .prop_map(|(site, company, site_name, company_name)| ChangeOp::RememberNames {
                site, company, site_name, company_name
            }),
        1 => (site.clone(), time()).prop_map(|(site, t)| ChangeOp::Exclude { site, t }),
        1 => site.clone().prop_map(|site| ChangeOp::Include { site }),
        3 => (0..2usize, proptest::option::of(0..1usize), 0..3usize, time()).prop_map(
            |(kind, company, state, t)| ChangeOp::PutEvent { kind, site: 0, company, state, t }
        ),
        1 => (0..2usize, proptest::option::of(0..1usize))
            .prop_map(|(kind, company)| ChangeOp::RemoveEvent { kind, site: 0, company }),
        1 => (0u32..3).prop_map(|cap| ChangeOp::SaveItGlueSettings { cap }),
        2 => (0..3usize, prop_oneof![Just(1u64), Just(2), Just(u64::MAX)], any::<bool>(), time())
            .prop_map(|(group, organization, by_user, t)| ChangeOp::MatchOrganization {
                group, organization, by_user, t
            }),
        1 => (0..3usize).prop_map(|group| ChangeOp::UnmatchOrganization { group }),
        2 => (0..2usize, 1u64..3, time())
            .prop_map(|(device, configuration, t)| ChangeOp::MatchDevice { device, configuration, t }),
        1 => (0..2usize).prop_map(|device| ChangeOp::UnmatchDevice { device }),
        1 => (0..3usize, time()).prop_map(|(group, t)| ChangeOp::IgnoreGroup { group, t }),
        1 => (0..3usize).prop_map(|group| ChangeOp::UnignoreGroup { group }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let tenant = 0..2usize;
    prop_oneof![
        12 => (tenant.clone(), proptest::bool::weighted(0.1), proptest::collection::vec(change_op(), 0..3))
            .prop_map(|(tenant, stale, changes)| Op::Apply { tenant, stale, changes }),
        1 => tenant.clone().prop_map(Op::Reset),
        1 => (tenant.clone(), 0..3usize, 0..2usize, 0..3usize, time()).prop_map(
            |(tenant, vendor, secret, status, t)| Op::CredentialStatus { tenant, vendor, secret, status, t }
        ),
        1 => (tenant.clone(), 0..3usize, time()).prop_map(|(tenant, device, t)| Op::PutAudit { tenant, device, t }),
        1 => (tenant.clone(), proptest::collection::vec(0..3usize, 0..3))
            .prop_map(|(tenant, keep)| Op::RetainAudits { tenant, keep }),
        1 => (tenant.clone(), any::<bool>(), time()).prop_map(|(tenant, itglue, t)| Op::StartRun { tenant, itglue, t }),
        1 => (tenant.clone(), 1i64..6, any::<bool>(), time())
            .prop_map(|(tenant, run, ok, t)| Op::FinishRun { tenant, run, ok, t }),
        1 => (tenant.clone(), 0..3usize, time()).prop_map(|(tenant, key, t)| Op::RecordIntent { tenant, key, t }),
        1 => (tenant.clone(), 0..3usize, time()).prop_map(|(tenant, key, t)| Op::MarkSent { tenant, key, t }),
        1 => (tenant.clone(), 0..3usize, time()).prop_map(|(tenant, key, t)| Op::Complete { tenant, key, t }),
        1 => (tenant.clone(), 0..3usize).prop_map(|(tenant, key)| Op::Forget { tenant, key }),
        1 => (tenant.clone(), any::<bool>(), 0..2usize, 0u64..100, time())
            .prop_map(|(tenant, itglue, holder, ttl, t)| Op::Acquire { tenant, itglue, holder, ttl, t }),
        1 => (tenant.clone(), any::<bool>(), 0..2usize, 0u64..100, time())
            .prop_map(|(tenant, itglue, holder, ttl, t)| Op::Renew { tenant, itglue, holder, ttl, t }),
        1 => (tenant.clone(), any::<bool>(), 0..2usize, 0..2usize, 0u64..100, time())
            .prop_map(|(tenant, itglue, holder, gone, ttl, t)| Op::TakeOver { tenant, itglue, holder, gone, ttl, t }),
        1 => (tenant, any::<bool>(), 0..2usize)
            .prop_map(|(tenant, itglue, holder)| Op::Release { tenant, itglue, holder }),
    ]
}

fn tenant(i: usize) -> TenantId {
    [tenant_a(), tenant_b()][i].clone()
}

fn flow(itglue: bool) -> Flow {
    if itglue {
        Flow::ItGlue
    } else {
        Flow::GravityZone
    }
}

fn vendor(i: usize) -> Vendor {
    Vendor::ALL[i]
}

fn fingerprint(secret: usize) -> CredentialFingerprint {
    CredentialFingerprint::of_secrets([format!("secret-{secret}")])
}

fn site(i: usize) -> SiteUid {
    SiteUid::new(format!("site-{i}"))
}

fn company(i: usize) -> CompanyId {
    CompanyId::new(format!("company-{i}"))
}

fn event_id(kind: usize, site_i: usize, company_i: Option<usize>) -> EventId {
    EventId::new(KINDS[kind], site(site_i), company_i.map(company))
}

fn change(op: &ChangeOp) -> Change {
    match op.clone() {
        ChangeOp::SaveIntegration { vendor: v, secret } => IntegrationChange::Save {
            vendor: vendor(v),
            connection: ConnectionDetails {
                url: Some(format!("https://{v}.example")),
                ..ConnectionDetails::default()
            },
            fingerprint: fingerprint(secret),
        }
        .into(),
        ChangeOp::RemoveIntegration { vendor: v } => {
            IntegrationChange::Remove { vendor: vendor(v) }.into()
        }
        ChangeOp::SaveSettings { level } => GravityZoneChange::SaveSettings(Settings {
            level: [
                SyncLevel::MonitorAndReportSynchronized,
                SyncLevel::MonitorAndHandleSynchronized,
                SyncLevel::AutomaticInventorySync,
            ][level],
            ..Settings::default()
        })
        .into(),
        ChangeOp::Associate {
            site: s,
            company: c,
            by_user,
            t,
        } => GravityZoneChange::Associate(AssociationRecord::new(
            site(s),
            company(c),
            AssociationMethod::MatchedByName,
            if by_user {
                ChangedBy::user("u")
            } else {
                ChangedBy::Sync
            },
            at(t),
        ))
        .into(),
        ChangeOp::SetPackage { site: s, package } => GravityZoneChange::SetPackage {
            site: site(s),
            package_id: package.map(|p| format!("pkg-{p}")),
            package_link: package.map(|p| format!("https://link/{p}")),
        }
        .into(),
        ChangeOp::DeleteAssociation {
            site: s,
            company: c,
        } => GravityZoneChange::DeleteAssociation {
            site: site(s),
            company: company(c),
        }
        .into(),
        ChangeOp::RememberNames {
            site: s,
            company: c,
            site_name,
            company_name,
        } => GravityZoneChange::RememberNames {
            site: site(s),
            company: company(c),
            site_name: site_name.map(|n| ["Zürich", "Zürich Nord"][n].to_owned()),
            company_name: company_name.map(|n| ["Müller AG", "Müller & Söhne 🦀"][n].to_owned()),
        }
        .into(),
        ChangeOp::Exclude { site: s, t } => {
            GravityZoneChange::Exclude(ExclusionRecord::new(site(s), ChangedBy::Sync, at(t))).into()
        }
        ChangeOp::Include { site: s } => GravityZoneChange::Include { site: site(s) }.into(),
        ChangeOp::PutEvent {
            kind,
            site: s,
            company: c,
            state,
            t,
        } => {
            let ms = at(t).timestamp_millis();
            let state = match state {
                0 => EventState::Open,
                1 => EventState::Ignored { at_ms: ms },
                _ => EventState::Resolved {
                    at_ms: ms,
                    resolution: Resolution::NoLongerFound,
                },
            };
            let event = Event {
                state,
                ..Event::open(event_id(kind, s, c), Some(format!("Site {s}")), None, ms)
            };
            GravityZoneChange::PutEvent {
                event,
                changed_by: ChangedBy::Sync,
                changed_at: at(t),
            }
            .into()
        }
        ChangeOp::RemoveEvent {
            kind,
            site: s,
            company: c,
        } => GravityZoneChange::RemoveEvent {
            id: event_id(kind, s, c),
        }
        .into(),
        ChangeOp::SaveItGlueSettings { cap } => ItGlueChange::SaveSettings(ItGlueSettings {
            create_cap: cap,
            ..ItGlueSettings::default()
        })
        .into(),
        ChangeOp::MatchOrganization {
            group: g,
            organization,
            by_user,
            t,
        } => {
            let (origin, by) = if by_user {
                (MatchOrigin::User, ChangedBy::user("u"))
            } else {
                (
                    MatchOrigin::Automatic {
                        reason: MatchReason::Exact,
                    },
                    ChangedBy::Sync,
                )
            };
            ItGlueChange::MatchOrganization(OrganizationMatchRecord::new(
                group(g),
                OrganizationId(organization),
                origin,
                by,
                at(t),
            ))
            .into()
        }
        ChangeOp::UnmatchOrganization { group: g } => {
            ItGlueChange::UnmatchOrganization { group: group(g) }.into()
        }
        ChangeOp::MatchDevice {
            device,
            configuration,
            t,
        } => ItGlueChange::MatchDevice(DeviceMatchRecord {
            device: DeviceUid::new(format!("dev-{device}")),
            configuration: ConfigurationId(configuration),
            origin: MatchOrigin::Automatic {
                reason: MatchReason::SerialNumber,
            },
            made_by: ChangedBy::Sync,
            made_at: at(t),
        })
        .into(),
        ChangeOp::UnmatchDevice { device } => ItGlueChange::UnmatchDevice {
            device: DeviceUid::new(format!("dev-{device}")),
        }
        .into(),
        ChangeOp::IgnoreGroup { group: g, t } => ItGlueChange::IgnoreGroup(IgnoredGroup {
            group: group(g),
            ignored_by: ChangedBy::user("u"),
            ignored_at: at(t),
        })
        .into(),
        ChangeOp::UnignoreGroup { group: g } => {
            ItGlueChange::UnignoreGroup { group: group(g) }.into()
        }
    }
}

fn group(i: usize) -> GroupId {
    match i {
        0 => GroupId::Site(site(0)),
        1 => GroupId::Site(site(1)),
        // The same text as site-0's uid, as another kind of group.
        _ => GroupId::AutotaskCompany(AutotaskCompanyId::new("site-0")),
    }
}

fn key(i: usize) -> String {
    format!("gz:create-company:site-{i}")
}

fn holder(i: usize) -> String {
    format!("worker-{i}")
}

/// Holder `i` with a process (odd holders give theirs; even ones none).
fn lease_holder(i: usize, t: i64) -> LeaseHolder {
    let named = LeaseHolder::new(holder(i));
    if i % 2 == 1 {
        named.with_process(HolderProcess::new("host-a", 100 + i as u32, Some(t as u64)))
    } else {
        named
    }
}

/// Runs one operation; the answer as text (`Ok(…)` or the error's message).
async fn run<S: Store>(store: &S, op: &Op) -> String {
    fn show<T: std::fmt::Debug>(result: Result<T, sync_store::StoreError>) -> String {
        match result {
            Ok(value) => format!("Ok({value:?})"),
            Err(e) => format!("Err({e})"),
        }
    }
    match op {
        Op::Apply {
            tenant: i,
            stale,
            changes,
        } => {
            let t = tenant(*i);
            let current = store.version(&t).await.unwrap();
            let version = if *stale {
                Version::new(current.get() + 1)
            } else {
                current
            };
            let changes: Vec<Change> = changes.iter().map(change).collect();
            show(store.apply(&t, version, &changes).await)
        }
        Op::Reset(i) => show(store.reset_tenant(&tenant(*i)).await),
        Op::CredentialStatus {
            tenant: i,
            vendor: v,
            secret,
            status,
            t,
        } => show(
            store
                .set_credential_status(
                    &tenant(*i),
                    vendor(*v),
                    &fingerprint(*secret),
                    [
                        CredentialStatus::Unknown,
                        CredentialStatus::Valid,
                        CredentialStatus::Invalid,
                    ][*status],
                    at(*t),
                )
                .await,
        ),
        Op::PutAudit {
            tenant: i,
            device,
            t,
        } => {
            let audit = DeviceAudit {
                device_uid: format!("dev-{device}"),
                last_audit_date: at(*t),
                facts: AuditFacts {
                    serial_numbers: vec![format!("SN{t}")],
                    ..AuditFacts::default()
                },
            };
            show(store.put_device_audit(&tenant(*i), &audit).await)
        }
        Op::RetainAudits { tenant: i, keep } => {
            let keep: Vec<String> = keep.iter().map(|d| format!("dev-{d}")).collect();
            show(store.retain_device_audits(&tenant(*i), &keep).await)
        }
        Op::StartRun {
            tenant: i,
            itglue,
            t,
        } => show(store.start_run(&tenant(*i), flow(*itglue), at(*t)).await),
        Op::FinishRun {
            tenant: i,
            run,
            ok,
            t,
        } => {
            let outcome = if *ok {
                RunOutcome::Ok
            } else {
                RunOutcome::Failed {
                    reason: "vendor said no".into(),
                }
            };
            let counts = RunCounts::from([("sites".to_owned(), *t as u64)]);
            show(
                store
                    .finish_run(&tenant(*i), RunId(*run), outcome, &counts, at(*t))
                    .await,
            )
        }
        Op::RecordIntent {
            tenant: i,
            key: k,
            t,
        } => show(
            store
                .record_intent(&tenant(*i), &key(*k), "create", at(*t))
                .await,
        ),
        Op::MarkSent {
            tenant: i,
            key: k,
            t,
        } => show(store.mark_sent(&tenant(*i), &key(*k), at(*t)).await),
        Op::Complete {
            tenant: i,
            key: k,
            t,
        } => show(store.complete(&tenant(*i), &key(*k), "id", at(*t)).await),
        Op::Forget { tenant: i, key: k } => show(store.forget_intent(&tenant(*i), &key(*k)).await),
        Op::Acquire {
            tenant: i,
            itglue,
            holder: h,
            ttl,
            t,
        } => show(
            store
                .acquire_lease(
                    &tenant(*i),
                    flow(*itglue),
                    &lease_holder(*h, *t),
                    Duration::from_secs(*ttl),
                    at(*t),
                )
                .await,
        ),
        Op::TakeOver {
            tenant: i,
            itglue,
            holder: h,
            gone,
            ttl,
            t,
        } => show(
            store
                .take_over_lease(
                    &tenant(*i),
                    flow(*itglue),
                    &lease_holder(*h, *t),
                    &holder(*gone),
                    Duration::from_secs(*ttl),
                    at(*t),
                )
                .await,
        ),
        Op::Renew {
            tenant: i,
            itglue,
            holder: h,
            ttl,
            t,
        } => show(
            store
                .renew_lease(
                    &tenant(*i),
                    flow(*itglue),
                    &holder(*h),
                    Duration::from_secs(*ttl),
                    at(*t),
                )
                .await,
        ),
        Op::Release {
            tenant: i,
            itglue,
            holder: h,
        } => show(
            store
                .release_lease(&tenant(*i), flow(*itglue), &holder(*h))
                .await,
        ),
    }
}

/// Everything the store holds, as text.
async fn dump<S: Store>(store: &S) -> String {
    let mut out = format!("tenants: {:?}\n", store.tenants().await.unwrap());
    for i in 0..2 {
        let t = tenant(i);
        out += &format!(
            "{t}:\n  state: {:?}\n  audits: {:?}\n  runs: {:?}\n  journal: {:?}\n  leases: {:?} {:?}\n",
            store.state(&t).await.unwrap(),
            store.device_audits(&t).await.unwrap(),
            store.runs(&t, None, usize::MAX).await.unwrap(),
            store.journal(&t).await.unwrap(),
            store.lease(&t, Flow::GravityZone).await.unwrap(),
            store.lease(&t, Flow::ItGlue).await.unwrap(),
        );
    }
    out
}

async fn run_both(ops: &[Op]) -> ((Vec<String>, String), (Vec<String>, String)) {
    let memory = MemoryStore::new();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("store.db"))
        .await
        .unwrap();
    let mut memory_answers = Vec::new();
    let mut sqlite_answers = Vec::new();
    for op in ops {
        memory_answers.push(run(&memory, op).await);
        sqlite_answers.push(run(&sqlite, op).await);
    }
    sqlite.check_integrity().await.unwrap();
    (
        (memory_answers, dump(&memory).await),
        (sqlite_answers, dump(&sqlite).await),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn memory_and_sqlite_stores_answer_alike_and_end_equal(
        ops in proptest::collection::vec(op(), 1..60)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let ((memory_answers, memory_end), (sqlite_answers, sqlite_end)) =
            runtime.block_on(run_both(&ops));
        prop_assert_eq!(memory_answers, sqlite_answers);
        prop_assert_eq!(memory_end, sqlite_end);
    }
}

#[cfg(feature = "postgres")]
mod postgres_support;

/// Runs `ops` on a memory store and on a PostgreSQL store in a fresh schema of `url`.
#[cfg(feature = "postgres")]
async fn run_memory_and_postgres(
    ops: &[Op],
    url: String,
) -> ((Vec<String>, String), (Vec<String>, String)) {
    let memory = MemoryStore::new();
    let scratch = postgres_support::Scratch::new(url, "equivalence").await;
    let mut memory_answers = Vec::new();
    let mut postgres_answers = Vec::new();
    for op in ops {
        memory_answers.push(run(&memory, op).await);
        postgres_answers.push(run(scratch.store(), op).await);
    }
    let ends = (dump(&memory).await, dump(scratch.store()).await);
    ((memory_answers, ends.0), (postgres_answers, ends.1))
}

#[cfg(feature = "postgres")]
proptest! {
    // Fewer cases than SQLite: each one makes and drops a schema on the server.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn memory_and_postgres_stores_answer_alike_and_end_equal(
        ops in proptest::collection::vec(op(), 1..60)
    ) {
        let Some(url) = sync_store::conformance::postgres_url("the PostgreSQL equivalence test")
        else {
            return Ok(());
        };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let ((memory_answers, memory_end), (postgres_answers, postgres_end)) =
            runtime.block_on(run_memory_and_postgres(&ops, url));
        prop_assert_eq!(memory_answers, postgres_answers);
        prop_assert_eq!(memory_end, postgres_end);
    }
}
