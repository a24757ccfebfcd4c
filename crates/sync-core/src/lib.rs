//! Pure sync decisions for MSP tooling: company-name normalisation, organization and device
//! matching for the Datto RMM → IT Glue flow, and the settings, prefix rules, event state machine
//! and planner of the Datto RMM ↔ GravityZone inventory sync.
//!
//! Nothing here performs I/O, needs an async runtime or knows a vendor's wire format: every
//! decision is a pure function of its inputs, so it is tested without a runtime.

pub mod gravityzone;
pub mod identifiers;
pub mod itglue;
pub mod names;
