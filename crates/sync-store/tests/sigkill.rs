//! A writer process killed with SIGKILL in the middle of a transaction leaves the SQLite file
//! consistent: every batch is there in full or not at all.
//!
//! The test runs this same test binary again as the child, selecting the ignored test
//! `sigkill_child_writer` and handing it the store path in an environment variable. The child
//! writes large batches in a loop (each one `Store::apply` = one transaction) and says on stdout
//! when it begins and commits each. Once a few batches are committed, the parent watches the
//! file with a probe connection until SQLite refuses it the write lock (`BEGIN IMMEDIATE` answers
//! `SQLITE_BUSY`): the child is then inside the next batch's write transaction, and the parent
//! kills it with SIGKILL at once.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

use sync_core::gravityzone::{CompanyId, Event, EventId, EventKind, SiteUid};
use sync_store::conformance::{at, tenant_a};
use sync_store::{
    AssociationMethod, AssociationRecord, Change, ChangedBy, GravityZoneChange, IntentState,
    SqliteStore, Store, Version,
};

const CHILD_ENV: &str = "SYNC_STORE_SIGKILL_CHILD_DB";
/// Associations per batch: enough that one transaction takes far longer than the kill takes to
/// arrive.
const ASSOCIATIONS: usize = 3000;
/// Events per batch (each with one history row).
const EVENTS: usize = 300;
const BATCHES_BEFORE_KILL: usize = 2;

fn batch(n: usize) -> Vec<Change> {
    let mut changes: Vec<Change> = (0..ASSOCIATIONS)
        .map(|i| {
            GravityZoneChange::Associate(AssociationRecord::new(
                SiteUid::new(format!("b{n}-site-{i}")),
                CompanyId::new(format!("b{n}-company-{i}")),
                AssociationMethod::CreatedCompany,
                ChangedBy::Sync,
                at(n as i64),
            ))
            .into()
        })
        .collect();
    changes.extend((0..EVENTS).map(|i| {
        let id = EventId::new(
            EventKind::SourceDeleted,
            SiteUid::new(format!("b{n}-site-{i}")),
            Some(CompanyId::new(format!("b{n}-company-{i}"))),
        );
        Change::from(GravityZoneChange::PutEvent {
            event: Event::open(id, None, None, at(n as i64).timestamp_millis()),
            changed_by: ChangedBy::Sync,
            changed_at: at(n as i64),
        })
    }));
    changes
}

fn batch_of(site: &SiteUid) -> usize {
    site.as_str()
        .strip_prefix('b')
        .and_then(|rest| rest.split('-').next())
        .and_then(|n| n.parse().ok())
        .unwrap()
}

/// The child: writes batches until it is killed.
#[test]
#[ignore = "child process of a_writer_killed_mid_transaction_leaves_a_consistent_file"]
fn sigkill_child_writer() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(&path).await.unwrap();
        let t = tenant_a();
        let mut version = store.version(&t).await.unwrap();
        let mut out = std::io::stdout();
        for n in 0.. {
            let changes = batch(n);
            let key = format!("batch-{n}");
            store
                .record_intent(&t, &key, "write a batch", at(n as i64))
                .await
                .unwrap();
            writeln!(out, "begin {n}").unwrap();
            out.flush().unwrap();
            version = store.apply(&t, version, &changes).await.unwrap();
            store
                .complete(&t, &key, &version.to_string(), at(n as i64))
                .await
                .unwrap();
            writeln!(out, "committed {n}").unwrap();
            out.flush().unwrap();
        }
    });
}

/// Spins until another connection holds the file's write lock, i.e. is inside a write
/// transaction.
fn wait_until_a_write_transaction_is_open(path: &Path, child: &mut std::process::Child) {
    let probe = Connection::open(path).unwrap();
    probe.busy_timeout(Duration::ZERO).unwrap();
    loop {
        match probe.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => probe.execute_batch("ROLLBACK").unwrap(),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => {
                return;
            }
            Err(other) => panic!("probe failed: {other}"),
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the child writer exited by itself: {status}");
        }
    }
}

fn run_child_until_killed(path: &Path) -> usize {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "sigkill_child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut committed = 0;
    let mut in_flight = None;
    for line in lines {
        let line = line.unwrap();
        if line.starts_with("committed ") {
            committed += 1;
        } else if let Some(n) = line.strip_prefix("begin ")
            && committed >= BATCHES_BEFORE_KILL
        {
            in_flight = Some(n.parse().unwrap());
            wait_until_a_write_transaction_is_open(path, &mut child);
            child.kill().unwrap(); // SIGKILL on Unix
            break;
        }
    }
    let status = child.wait().unwrap();
    assert_eq!(
        status.signal(),
        Some(9),
        "the child died of SIGKILL: {status:?}"
    );
    in_flight.expect("the child began a batch after the ones it committed")
}

#[test]
fn a_writer_killed_mid_transaction_leaves_a_consistent_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let in_flight = run_child_until_killed(&path);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(&path).await.unwrap();
        store.check_integrity().await.unwrap();
        let t = tenant_a();
        let state = store.state(&t).await.unwrap();

        // Every batch is there in full or not at all.
        let mut associations = vec![0usize; in_flight + 1];
        for record in &state.gravityzone.associations {
            associations[batch_of(record.site())] += 1;
        }
        let mut events = vec![0usize; in_flight + 1];
        for record in &state.gravityzone.events {
            assert_eq!(record.history.len(), 1);
            events[batch_of(&record.event.id.site)] += 1;
        }
        let complete = associations.iter().filter(|n| **n == ASSOCIATIONS).count();
        for n in 0..=in_flight {
            let whole = associations[n] == ASSOCIATIONS && events[n] == EVENTS;
            let absent = associations[n] == 0 && events[n] == 0;
            assert!(
                whole || absent,
                "batch {n}: {} associations, {} events",
                associations[n],
                events[n]
            );
        }
        assert!(complete >= BATCHES_BEFORE_KILL);
        // Each committed batch was one version.
        assert_eq!(state.version, Version::new(complete as u64));

        // The journal tells the restarted writer what was in flight.
        let pending = store.pending_intents(&t).await.unwrap();
        let flight_key = format!("batch-{in_flight}");
        let landed = associations[in_flight] == ASSOCIATIONS;
        if landed {
            eprintln!("batch {in_flight} committed just before the kill landed");
        } else {
            eprintln!("batch {in_flight} was cut off mid-transaction and left nothing");
            assert_eq!(pending.len(), 1);
            assert_eq!(pending[0].key, flight_key);
            assert_eq!(pending[0].state, IntentState::Recorded);
        }
        for n in 0..in_flight {
            let entry = store
                .intent(&t, &format!("batch-{n}"))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(entry.state, IntentState::Completed);
        }

        // The file takes writes again at the version it shows.
        store
            .apply(&t, state.version, &batch(in_flight + 1))
            .await
            .unwrap();
        store.check_integrity().await.unwrap();
    });
}
