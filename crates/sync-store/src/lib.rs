//! Storage for the MSP syncs: one async `Store` trait, an in-memory implementation for tests
//! and an embedded SQLite implementation as the default.
