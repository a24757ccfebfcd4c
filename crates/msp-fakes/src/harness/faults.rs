//! Seedable fault injection: a chosen share of requests answered with a failure.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One kind of failure a fake can inject.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// `500 Internal Server Error`, before the handler runs (no state changes).
    Status500,
    /// `503 Service Unavailable`, before the handler runs.
    Status503,
    /// `429 Too Many Requests` with a `Retry-After` of this many seconds.
    Status429 {
        /// The value of the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// The real answer, delivered after this delay (long enough to trip a client timeout).
    Slow(Duration),
    /// `200 OK` with a body that is not valid JSON, before the handler runs.
    Garbled,
    /// The handler runs (state changes!) and then the client is told `500`: the case that
    /// creates duplicates in careless clients.
    FailAfterCommit,
    /// The handler runs (state changes!) and then the connection drops while the answer is
    /// being sent: the head promises a body that never fully arrives.
    DroppedConnection,
}

/// What to inject: a share of requests (`rate`, 0 to 1) answered with one of `kinds`, chosen
/// by a random generator seeded with `seed`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    /// Seed of the generator, so a run can be repeated.
    pub seed: u64,
    /// Share of requests that fail, from 0 (none) to 1 (all).
    pub rate: f64,
    /// The kinds to choose from (uniformly). Empty means no faults.
    pub kinds: Vec<FaultKind>,
    /// Only requests whose path contains this text are eligible (`None`: every request).
    pub path_contains: Option<String>,
}

impl FaultPlan {
    /// A plan failing `rate` of all requests with one of `kinds`.
    pub fn new(seed: u64, rate: f64, kinds: Vec<FaultKind>) -> Self {
        Self {
            seed,
            rate,
            kinds,
            path_contains: None,
        }
    }

    /// Restricts the plan to requests whose path contains `fragment`.
    pub fn only_paths_containing(mut self, fragment: impl Into<String>) -> Self {
        self.path_contains = Some(fragment.into());
        self
    }
}

#[derive(Debug)]
struct State {
    plan: Option<FaultPlan>,
    rng: ChaCha8Rng,
    injected: usize,
}

/// The fault injector of one fake. Clones share it.
///
/// ```
/// use msp_fakes::harness::{FaultKind, FaultPlan, Faults};
/// let faults = Faults::default();
/// faults.set(FaultPlan::new(7, 0.1, vec![FaultKind::Status503]));
/// assert_eq!(faults.injected(), 0);
/// ```
#[derive(Debug, Clone)]
pub struct Faults {
    state: Arc<Mutex<State>>,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                plan: None,
                rng: ChaCha8Rng::seed_from_u64(0),
                injected: 0,
            })),
        }
    }
}

impl Faults {
    /// Starts injecting according to `plan` (the generator restarts from its seed).
    pub fn set(&self, plan: FaultPlan) {
        let mut state = self.lock();
        state.rng = ChaCha8Rng::seed_from_u64(plan.seed);
        state.plan = Some(plan);
    }

    /// Stops injecting.
    pub fn clear(&self) {
        self.lock().plan = None;
    }

    /// How many faults were injected so far.
    pub fn injected(&self) -> usize {
        self.lock().injected
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Draws the fault for one request on `path`, if any.
    pub(crate) fn draw(&self, path: &str) -> Option<FaultKind> {
        let mut state = self.lock();
        let plan = state.plan.clone()?;
        if plan.kinds.is_empty() || plan.rate <= 0.0 {
            return None;
        }
        if let Some(fragment) = &plan.path_contains
            && !path.contains(fragment.as_str())
        {
            return None;
        }
        let roll: f64 = state.rng.random();
        if roll >= plan.rate {
            return None;
        }
        let index = state.rng.random_range(0..plan.kinds.len());
        state.injected += 1;
        plan.kinds.get(index).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(faults: &Faults, n: usize) -> Vec<Option<FaultKind>> {
        (0..n).map(|_| faults.draw("/x")).collect()
    }

    #[test]
    fn the_same_seed_injects_the_same_faults() {
        let a = Faults::default();
        let b = Faults::default();
        let plan = FaultPlan::new(42, 0.3, vec![FaultKind::Status500, FaultKind::Garbled]);
        a.set(plan.clone());
        b.set(plan);
        assert_eq!(draws(&a, 200), draws(&b, 200));
    }

    #[test]
    fn the_rate_is_roughly_the_share_of_faulted_requests() {
        let faults = Faults::default();
        faults.set(FaultPlan::new(1, 0.3, vec![FaultKind::Status503]));
        let n = draws(&faults, 2000).into_iter().flatten().count();
        assert!((500..700).contains(&n), "{n} faults out of 2000");
        assert_eq!(faults.injected(), n);
    }

    #[test]
    fn no_plan_or_a_cleared_plan_injects_nothing() {
        let faults = Faults::default();
        assert!(draws(&faults, 50).iter().all(Option::is_none));
        faults.set(FaultPlan::new(1, 1.0, vec![FaultKind::Status500]));
        faults.clear();
        assert!(draws(&faults, 50).iter().all(Option::is_none));
    }

    #[test]
    fn a_path_filter_limits_the_faults_to_matching_paths() {
        let faults = Faults::default();
        faults
            .set(FaultPlan::new(1, 1.0, vec![FaultKind::Status500]).only_paths_containing("sites"));
        assert_eq!(faults.draw("/api/v2/devices"), None);
        assert_eq!(
            faults.draw("/api/v2/account/sites"),
            Some(FaultKind::Status500)
        );
    }
}
