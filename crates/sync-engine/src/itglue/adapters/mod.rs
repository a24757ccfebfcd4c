//! The ports implemented over the real clients, turning their models into `sync-core` types.
//! The same adapters talk to the msp-fakes fakes in the end-to-end tests.

mod datto;
mod itglue;

pub use datto::{DattoAdapter, datto_identity};
pub use itglue::{ItGlueAdapter, ItGlueCredentials, ItGlueLocation};
