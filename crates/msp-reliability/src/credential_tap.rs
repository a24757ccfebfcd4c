//! A vendor fake behind a tap that notes every credential the client sent — bearer tokens,
//! Basic credentials, API-key headers — so a test knows exactly which secrets to look for in
//! logs, errors and files.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};

use msp_fakes::harness::{FakeServer, Handler};
use wiremock::{Request, ResponseTemplate};

struct Tap<H> {
    inner: H,
    seen: Arc<Mutex<BTreeSet<String>>>,
}

impl<H: Handler> Handler for Tap<H> {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        for name in ["authorization", "x-api-key"] {
            for value in request.headers.get_all(name) {
                let Ok(value) = value.to_str() else { continue };
                let value = value.trim();
                seen.insert(value.to_owned());
                if let Some((_scheme, credential)) = value.split_once(' ') {
                    seen.insert(credential.trim().to_owned());
                }
            }
        }
        drop(seen);
        self.inner.handle(request)
    }
}

/// A fake's state served behind the tap.
pub struct TappedFake {
    server: FakeServer,
    seen: Arc<Mutex<BTreeSet<String>>>,
}

impl std::fmt::Debug for TappedFake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TappedFake")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl TappedFake {
    /// Serves `inner` (a fake's handler) behind the tap.
    pub async fn start(inner: impl Handler) -> Self {
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let server = FakeServer::start(Tap {
            inner,
            seen: seen.clone(),
        })
        .await;
        Self { server, seen }
    }

    /// The base URI.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The server (request log, faults).
    pub fn server(&self) -> &FakeServer {
        &self.server
    }

    /// Every credential seen: whole header values and the credential after the scheme
    /// (`Bearer …`, `Basic …`).
    pub fn credentials_seen(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}
