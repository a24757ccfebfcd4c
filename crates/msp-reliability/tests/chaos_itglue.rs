//! Chaos runs of the Datto RMM → IT Glue flow: the fakes inject faults into 10 % and 30 % of
//! all requests (500, 503, 429 with `Retry-After`, answers slower than the client's timeout,
//! garbled JSON, and `500` after the write was made), for several seeds, while the flow runs,
//! creates the missing configurations and organizations, and runs again — first with faults
//! in both fakes (a run reads hundreds of pages and audits, so most attempts fail before they
//! write), then in IT Glue alone (the side the flow writes to). After every attempt,
//! nothing exists that a fault-free run does not make (no duplicate organization or
//! configuration, no second configuration of one device, no wrong match) and nothing a
//! fault-free run keeps was removed (nothing applied from partial data); once the faults
//! stop, the flow settles on exactly the end state of a fault-free run. The request, fault,
//! retry and failure counts are printed.

use std::sync::{Arc, OnceLock};

use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::msp::MspSize;
use msp_reliability::gravityzone_world::ATTEMPT_TIMEOUT;
use msp_reliability::itglue_world::{ItGlueEndState, ItGlueWorld};
use msp_reliability::log_capture::capture_trace;
use sync_store::{MemoryStore, Store};

const SEEDS: [u64; 3] = [5, 21, 42];
/// A dozen sites (three of them system sites) and 120 devices: every case of the planted
/// documentation, at a size that keeps the suite fast.
const SIZE: MspSize = MspSize::Custom {
    sites: 12,
    devices: 120,
};
/// Attempts with faults in both fakes, then in IT Glue only.
const ATTEMPTS_UNDER_FAULTS: [usize; 2] = [6, 6];

fn kinds() -> Vec<FaultKind> {
    vec![
        FaultKind::Status500,
        FaultKind::Status503,
        FaultKind::Status429 {
            retry_after_secs: 0,
        },
        FaultKind::Slow(ATTEMPT_TIMEOUT * 2),
        FaultKind::Garbled,
        FaultKind::FailAfterCommit,
    ]
}

fn store() -> Arc<dyn Store> {
    Arc::new(MemoryStore::new())
}

/// Full syncs until one leaves the state as it found it.
async fn settle(world: &ItGlueWorld) -> (ItGlueEndState, usize) {
    let mut last = world.end_state().await;
    for n in 1..=4 {
        world
            .full_sync()
            .await
            .unwrap_or_else(|e| panic!("a fault-free full sync failed: {e}"));
        let now = world.end_state().await;
        if now == last {
            return (now, n);
        }
        last = now;
    }
    panic!("no quiet full sync after 4 fault-free ones")
}

/// The state before the first sync and the fault-free end state of one seed.
type ReferenceCell = tokio::sync::OnceCell<(ItGlueEndState, ItGlueEndState)>;

/// The fault-free end state of each seed, computed once for all tests.
async fn reference(seed: u64) -> (ItGlueEndState, ItGlueEndState) {
    static REFERENCES: OnceLock<Vec<(u64, ReferenceCell)>> = OnceLock::new();
    let cells = REFERENCES.get_or_init(|| {
        SEEDS
            .iter()
            .map(|s| (*s, tokio::sync::OnceCell::new()))
            .collect()
    });
    match cells.iter().find(|(s, _)| *s == seed) {
        Some((_, cell)) => cell.get_or_init(|| fault_free(seed)).await.clone(),
        None => fault_free(seed).await,
    }
}

async fn fault_free(seed: u64) -> (ItGlueEndState, ItGlueEndState) {
    let world = ItGlueWorld::start(seed, SIZE, store()).await;
    let initial = world.end_state().await;
    let (state, _) = settle(&world).await;
    assert!(
        state.duplicates(&initial).is_empty(),
        "{:?}",
        state.duplicates(&initial)
    );
    assert!(
        state.configurations.len() > initial.configurations.len(),
        "the flow created nothing"
    );
    (initial, state)
}

async fn chaos(rate: f64) {
    let (logs, _guard) = capture_trace();
    let mut writes_under_faults = 0;
    for seed in SEEDS {
        let (initial, reference) = reference(seed).await;
        let world = ItGlueWorld::start(seed, SIZE, store()).await;
        world.datto.log().clear();
        world.itglue.log().clear();
        let plan = FaultPlan::new(seed, rate, kinds());
        world.datto.faults().set(plan.clone());
        world.itglue.faults().set(FaultPlan {
            seed: seed + 1,
            ..plan
        });
        let retries_before = logs.lines_containing("retrying");
        let mut failed = 0;
        let mut before = world.end_state().await;
        for attempt in 1..=ATTEMPTS_UNDER_FAULTS[0] + ATTEMPTS_UNDER_FAULTS[1] {
            if attempt == ATTEMPTS_UNDER_FAULTS[0] + 1 {
                world.datto.faults().clear();
            }
            if world.full_sync().await.is_err() {
                failed += 1;
            }
            let now = world.end_state().await;
            let duplicates = now.duplicates(&initial);
            assert!(
                duplicates.is_empty(),
                "seed {seed} attempt {attempt}: duplicates {duplicates:?}"
            );
            let beyond = now.beyond(&reference);
            assert!(
                beyond.is_empty(),
                "seed {seed} attempt {attempt}: beyond a fault-free run: {beyond:?}"
            );
            let lost = now.lost(&before, &reference);
            assert!(
                lost.is_empty(),
                "seed {seed} attempt {attempt}: removed: {lost:?}"
            );
            before = now;
        }
        let faults = world.datto.faults().injected() + world.itglue.faults().injected();
        world.datto.faults().clear();
        world.itglue.faults().clear();
        let requests = world.datto.log().len() + world.itglue.log().len();
        let writes = world.itglue.log().writes();
        writes_under_faults += writes;
        let (end, settling) = settle(&world).await;
        assert_eq!(
            end, reference,
            "seed {seed}: the end state differs from a fault-free run"
        );
        println!(
            "rate {:>3.0}% seed {seed:>2}: {requests} requests ({writes} writes) under faults, {faults} faults, {} retries, \
             {failed}/{} full syncs failed, settled in {settling} fault-free full sync(s)",
            rate * 100.0,
            logs.lines_containing("retrying") - retries_before,
            ATTEMPTS_UNDER_FAULTS[0] + ATTEMPTS_UNDER_FAULTS[1],
        );
        assert!(faults > 0, "no fault was injected");
    }
    // At 30 % a run rarely gets through its reads to a create; the 10 % runs must write.
    if rate < 0.2 {
        assert!(writes_under_faults > 0, "no write was made under faults");
    }
}

#[tokio::test]
async fn under_10_percent_faults_the_itglue_flow_converges_without_duplicates() {
    chaos(0.10).await;
}

#[tokio::test]
async fn under_30_percent_faults_the_itglue_flow_converges_without_duplicates() {
    chaos(0.30).await;
}

#[tokio::test]
async fn the_itglue_reference_run_is_deterministic() {
    assert_eq!(reference(SEEDS[0]).await, fault_free(SEEDS[0]).await);
}
