//! Stateful [wiremock] fakes of the three vendor APIs this workspace talks to (Datto RMM,
//! Bitdefender GravityZone, IT Glue), and the machinery they share: request counts, a request
//! log, seedable fault injection and a catch-all responder that fails loudly on an unexpected
//! request.
//!
//! The fakes are built from the vendors' documented behaviour (see `shared/api` in the
//! repository), not from what our own clients happen to send. They are the test backend of
//! every client crate and the backend of the demo.
//!
//! ```no_run
//! use msp_fakes::harness::{FakeServer, Handler};
//! use wiremock::{Request, ResponseTemplate};
//!
//! struct Status;
//! impl Handler for Status {
//!     fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
//!         (request.url.path() == "/status").then(|| ResponseTemplate::new(200))
//!     }
//! }
//!
//! # async fn run() {
//! let fake = FakeServer::start(Status).await;
//! assert_eq!(fake.log().len(), 0);
//! # }
//! ```

pub mod datto;
pub mod gravityzone;
pub mod harness;
pub mod itglue;
pub mod msp;
pub mod scenario;
