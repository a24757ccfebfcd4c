//! A vendor fake behind a gate that refuses its first requests with `429 Too Many Requests`
//! and a `Retry-After`, recording on tokio's (paused) clock when each request arrived — to see
//! that a client waits exactly as long as it was told.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use msp_fakes::harness::{FakeServer, Handler};
use wiremock::{Request, ResponseTemplate};

use crate::virtual_time::{Arrival, VirtualClock};

struct Gate<H> {
    inner: H,
    clock: VirtualClock,
    path_contains: String,
    refusals_left: Mutex<usize>,
    retry_after: Duration,
    arrivals: Arc<Mutex<Vec<(Arrival, bool)>>>,
}

impl<H: Handler> Handler for Gate<H> {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let arrival = Arrival {
            at: self.clock.elapsed(),
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
        };
        let refuse = arrival.path.contains(self.path_contains.as_str()) && {
            let mut left = self
                .refusals_left
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let refuse = *left > 0;
            *left = left.saturating_sub(1);
            refuse
        };
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((arrival, refuse));
        if refuse {
            return Some(
                ResponseTemplate::new(429)
                    .insert_header(
                        "retry-after",
                        self.retry_after.as_secs().to_string().as_str(),
                    )
                    .set_body_string("Too Many Requests"),
            );
        }
        self.inner.handle(request)
    }
}

/// A fake's state served behind a gate that answers the first `refusals` requests whose path
/// contains a fragment with `429` and `Retry-After: <seconds>`.
pub struct ThrottledFake {
    server: FakeServer,
    arrivals: Arc<Mutex<Vec<(Arrival, bool)>>>,
}

impl std::fmt::Debug for ThrottledFake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThrottledFake")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl ThrottledFake {
    /// Serves `inner` (a fake's handler) behind the gate; call inside the test's runtime.
    pub async fn start(
        inner: impl Handler,
        path_contains: &str,
        refusals: usize,
        retry_after: Duration,
    ) -> Self {
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let gate = Gate {
            inner,
            clock: VirtualClock::of_current_runtime(),
            path_contains: path_contains.to_owned(),
            refusals_left: Mutex::new(refusals),
            retry_after,
            arrivals: arrivals.clone(),
        };
        Self {
            server: FakeServer::start(gate).await,
            arrivals,
        }
    }

    /// The base URI of the gate.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// Every request that reached the gate, with whether it was refused.
    pub fn arrivals(&self) -> Vec<(Arrival, bool)> {
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The virtual times of the requests whose path contains `fragment`.
    pub fn times_of(&self, fragment: &str) -> Vec<Duration> {
        self.arrivals()
            .into_iter()
            .filter(|(a, _)| a.path.contains(fragment))
            .map(|(a, _)| a.at)
            .collect()
    }
}
