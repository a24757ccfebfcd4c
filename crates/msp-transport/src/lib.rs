//! Shared HTTP machinery for the vendor clients.
