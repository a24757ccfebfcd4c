//! The ports implemented over the real clients (the Datto RMM one, shared with the GravityZone
//! flow, is re-exported from [`crate::datto`]), turning their models into `sync-core` types.
//! The same adapters talk to the msp-fakes fakes in the end-to-end tests.

mod itglue;

pub use crate::datto::{DattoRmmAdapter, datto_identity};
pub use itglue::{ItGlueAdapter, ItGlueCredentials, ItGlueLocation, REGIONS};
