//! The two sync workflows: Datto RMM → IT Glue and Datto RMM ↔ GravityZone. The engine
//! adapts the vendor clients' models into `sync-core` types, asks `sync-core` for decisions and
//! applies them through the clients and the store.

pub mod gravityzone;
pub mod itglue;
