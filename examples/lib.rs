//! Shared helpers for the example binaries of the msp-sync workspace.
