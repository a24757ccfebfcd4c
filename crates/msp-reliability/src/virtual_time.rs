//! Datto RMM's rate limit on tokio's paused clock.
//!
//! The Datto fake's own limiter runs on real time (plus an offset a test can only move
//! forward), while the client's limiter runs on tokio's clock. A listing that needs several of
//! Datto's 60-second windows would take real minutes, and a fake clock that only moves forward
//! cannot follow a paused clock exactly (it also moves with the real time the test takes,
//! which would make it stricter or more lenient at random). So the tests pause tokio's clock
//! and put [`VirtualTimeDatto`] in front of the fake's state ([`DattoHandler`]): it enforces
//! Datto's documented rule — at most `requests` reads and `writes` writes in any rolling
//! `window`; past it `429` with `Retry-After`; a client that keeps going gets a `403` block —
//! on the test's virtual time, with the numbers of the fake's [`FakeRateLimit`], and records
//! when each request arrived and which it refused.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use msp_fakes::datto::{DattoFake, DattoHandler, FakeRateLimit};
use msp_fakes::harness::{FakeServer, Handler};
use wiremock::{Request, ResponseTemplate};

/// Tokio's clock of one runtime, readable from any thread (the fakes answer on threads of
/// their own, where `tokio::time::Instant::now()` would read another runtime's clock).
#[derive(Debug, Clone)]
pub struct VirtualClock {
    runtime: tokio::runtime::Handle,
    start: tokio::time::Instant,
}

impl VirtualClock {
    /// The clock of the current runtime (call it inside the test), starting now.
    pub fn of_current_runtime() -> Self {
        Self {
            runtime: tokio::runtime::Handle::current(),
            start: tokio::time::Instant::now(),
        }
    }

    /// Time elapsed on the runtime's clock since [`Self::of_current_runtime`].
    pub fn elapsed(&self) -> Duration {
        let _entered = self.runtime.enter();
        self.start.elapsed()
    }
}

/// One request as a virtual-time server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// Virtual time of arrival, since the clock started.
    pub at: Duration,
    /// HTTP method.
    pub method: String,
    /// URL path.
    pub path: String,
}

impl Arrival {
    /// Whether Datto counts it against the account's request limit (every `/api/v2` call but
    /// `system/status`; the token endpoint is outside the API).
    pub fn counts_against_datto_limit(&self) -> bool {
        self.path.starts_with("/api/v2/") && self.path != "/api/v2/system/status"
    }

    /// Whether it may change state.
    pub fn is_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// What the limiter answered to requests it did not let through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refusals {
    /// `429 Too Many Requests` answers.
    pub too_many: usize,
    /// `403` block answers.
    pub blocked: usize,
}

#[derive(Debug, Default)]
struct Limiter {
    reads: VecDeque<Duration>,
    writes: VecDeque<Duration>,
    rejected_in_a_row: u32,
    blocked_until: Option<Duration>,
    refusals: Refusals,
}

fn prune(queue: &mut VecDeque<Duration>, now: Duration, window: Duration) {
    while queue
        .front()
        .is_some_and(|first| now.saturating_sub(*first) >= window)
    {
        queue.pop_front();
    }
}

impl Limiter {
    /// `None` to let the request through, else the refusal to answer with.
    fn check(
        &mut self,
        limit: &FakeRateLimit,
        now: Duration,
        write: bool,
    ) -> Option<ResponseTemplate> {
        if let Some(until) = self.blocked_until {
            if until > now {
                self.refusals.blocked += 1;
                return Some(blocked(until - now));
            }
            self.blocked_until = None;
        }
        prune(&mut self.reads, now, limit.window);
        prune(&mut self.writes, now, limit.window);
        let (queue, allowed) = if write {
            (&mut self.writes, limit.writes)
        } else {
            (&mut self.reads, limit.requests)
        };
        if queue.len() < allowed as usize {
            queue.push_back(now);
            self.rejected_in_a_row = 0;
            return None;
        }
        self.rejected_in_a_row += 1;
        if self.rejected_in_a_row > limit.block_after_rejections {
            self.rejected_in_a_row = 0;
            self.blocked_until = Some(now + limit.block_for);
            self.refusals.blocked += 1;
            return Some(blocked(limit.block_for));
        }
        let free_at = queue.front().map_or(now, |first| *first + limit.window);
        self.refusals.too_many += 1;
        Some(
            ResponseTemplate::new(429)
                .insert_header(
                    "retry-after",
                    whole_seconds(free_at.saturating_sub(now)).as_str(),
                )
                .set_body_string("Too Many Requests: request rate limit exceeded"),
        )
    }
}

fn whole_seconds(wait: Duration) -> String {
    wait.as_secs_f64().ceil().max(1.0).to_string()
}

fn blocked(remaining: Duration) -> ResponseTemplate {
    ResponseTemplate::new(403)
        .insert_header("retry-after", whole_seconds(remaining).as_str())
        .set_body_string("403 Forbidden: request blocked (rate limit exceeded)")
}

struct OnVirtualTime {
    state: DattoHandler,
    clock: VirtualClock,
    limit: FakeRateLimit,
    limiter: Arc<Mutex<Limiter>>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
}

impl Handler for OnVirtualTime {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let arrival = Arrival {
            at: self.clock.elapsed(),
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
        };
        let refusal = if arrival.counts_against_datto_limit() {
            self.limiter
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .check(&self.limit, arrival.at, arrival.is_write())
        } else {
            None
        };
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(arrival);
        match refusal {
            Some(answer) => Some(answer),
            None => self.state.handle(request),
        }
    }
}

/// A Datto RMM fake whose rate limit counts on tokio's (paused) clock.
pub struct VirtualTimeDatto {
    fake: DattoFake,
    server: FakeServer,
    limiter: Arc<Mutex<Limiter>>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
}

impl std::fmt::Debug for VirtualTimeDatto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtualTimeDatto")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl VirtualTimeDatto {
    /// Serves `fake`'s state with `limit` enforced on virtual time (call inside the test's
    /// runtime). The fake's own real-time limiter is switched off.
    pub async fn start(fake: DattoFake, limit: FakeRateLimit) -> Self {
        fake.set_rate_limit(None);
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let limiter = Arc::new(Mutex::new(Limiter::default()));
        let handler = OnVirtualTime {
            state: fake.handler().clone(),
            clock: VirtualClock::of_current_runtime(),
            limit,
            limiter: limiter.clone(),
            arrivals: arrivals.clone(),
        };
        let server = FakeServer::start(handler).await;
        Self {
            fake,
            server,
            limiter,
            arrivals,
        }
    }

    /// The API URL to configure a client with.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The fake (its state and configuration; its own server is not used).
    pub fn fake(&self) -> &DattoFake {
        &self.fake
    }

    /// The server in front of the fake (request log, faults).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Every request so far, in arrival order.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The `429` and `403` answers so far.
    pub fn refusals(&self) -> Refusals {
        self.limiter
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .refusals
    }
}

/// The largest number of `times` (sorted ascending) inside any half-open window
/// `(t - window, t]`, the rolling window Datto counts in.
///
/// ```
/// use std::time::Duration;
/// use msp_reliability::virtual_time::most_in_any_window;
/// let s = Duration::from_secs;
/// assert_eq!(most_in_any_window(&[s(0), s(30), s(59), s(60)], s(60)), 3);
/// ```
pub fn most_in_any_window(times: &[Duration], window: Duration) -> usize {
    let mut most = 0;
    let mut first = 0;
    for (last, at) in times.iter().enumerate() {
        while times
            .get(first)
            .is_some_and(|start| at.saturating_sub(*start) >= window)
        {
            first += 1;
        }
        most = most.max(last + 1 - first);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit() -> FakeRateLimit {
        FakeRateLimit {
            requests: 2,
            block_after_rejections: 1,
            ..FakeRateLimit::default()
        }
    }

    #[test]
    fn reads_past_the_limit_are_refused_until_the_window_moves_on_then_blocked() {
        let mut limiter = Limiter::default();
        let s = Duration::from_secs;
        assert!(limiter.check(&limit(), s(0), false).is_none());
        assert!(limiter.check(&limit(), s(1), false).is_none());
        assert!(limiter.check(&limit(), s(2), false).is_some());
        assert_eq!(
            limiter.refusals,
            Refusals {
                too_many: 1,
                blocked: 0
            }
        );
        assert!(limiter.check(&limit(), s(60), false).is_none());
        assert!(limiter.check(&limit(), s(60), false).is_some());
        assert!(limiter.check(&limit(), s(60), false).is_some());
        assert_eq!(
            limiter.refusals,
            Refusals {
                too_many: 2,
                blocked: 1
            }
        );
        assert!(
            limiter.check(&limit(), s(300), false).is_some(),
            "still blocked"
        );
        assert!(limiter.check(&limit(), s(400), false).is_none());
    }
}
