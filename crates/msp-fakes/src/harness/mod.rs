//! The machinery every vendor fake shares.
//!
//! A vendor fake is a [`Handler`]: given one request it answers with a response, or `None` when
//! the route is unknown. [`FakeServer`] mounts a handler on a wiremock [`MockServer`] behind one
//! dispatcher that
//!
//! 1. records every request in a [`RequestLog`] (method, path, query, body),
//! 2. lets [`Faults`] replace the answer with an injected failure (seeded, so a run is
//!    repeatable),
//! 3. asks the handler, and
//! 4. answers an unknown route with a `418` whose body names the request, recorded as
//!    *unexpected* so a test can fail with a readable message
//!    ([`FakeServer::assert_no_unexpected`]).
//!
//! [`MockServer`]: wiremock::MockServer

mod faults;
mod log;
mod server;

pub use faults::{FaultKind, FaultPlan, Faults};
pub use log::{LoggedRequest, RequestLog};
pub use server::{FakeServer, Handler, json_response};
