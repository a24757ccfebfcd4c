//! Pure sync decisions for MSP tooling: the Datto RMM world both flows share (sites, system
//! sites, audit facts), company-name normalisation, organization and device matching for the
//! Datto RMM → IT Glue flow, and the settings, prefix rules, event state machine and planner of
//! the Datto RMM ↔ GravityZone inventory sync.
//!
//! Nothing here performs I/O, needs an async runtime or knows a vendor's wire format: every
//! decision is a pure function of its inputs, so it is tested without a runtime.
//!
//! ```
//! use sync_core::identifiers::MacAddress;
//! use sync_core::names::same_company_name;
//!
//! assert!(same_company_name("The Acme Company, Inc.", "ACME CO"));
//! assert_eq!(
//!     MacAddress::parse("00-1A-2B-3C-4D-5E").ok(),
//!     MacAddress::parse("001a.2b3c.4d5e").ok(),
//! );
//! ```

pub mod datto;
pub mod gravityzone;
pub mod identifiers;
pub mod itglue;
pub mod names;
pub mod schedule;
