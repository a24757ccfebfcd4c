//! Shared helpers for the example binaries of the msp-sync workspace: the arguments they share,
//! the exit codes, the store location, table and JSON output, prompts and signals.
//!
//! ```
//! use msp_sync_examples::output::Table;
//!
//! let mut table = Table::new(["site", "company"]);
//! table.row(["Northwind - Hamburg", "Northwind Logistics GmbH"]);
//! assert!(table.render().starts_with("site"));
//! ```

pub mod args;
pub mod datto_rate;
pub mod exit;
pub mod http;
pub mod logging;
pub mod output;
pub mod prompt;
pub mod signal;
