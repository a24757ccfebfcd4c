//! Stateful [wiremock] fakes of the three vendor APIs this workspace talks to (Datto RMM,
//! Bitdefender GravityZone, IT Glue), and the machinery they share: request counts, a request
//! log, seedable fault injection and a catch-all responder that fails loudly on an unexpected
//! request.
//!
//! The fakes are built from the vendors' documented behaviour (see `shared/api` in the
//! repository), not from what our own clients happen to send. They are the test backend of
//! every client crate and the backend of the demo.
