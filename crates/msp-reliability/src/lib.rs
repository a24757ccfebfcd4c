//! The cross-crate reliability suite of msp-sync (not published, not a library for users).
//!
//! The tests under `tests/` run the clients, the stores and the sync flows together against
//! the vendor fakes of `msp-fakes` to show what users of such syncs report most is impossible
//! here: hostile input that panics a decoder, rate-limit errors at scale, secrets in logs,
//! duplicates after a flaky API, and partial lists taken as complete. This library holds what
//! those tests share.
//!
//! ```
//! use std::time::Duration;
//! use msp_reliability::virtual_time::most_in_any_window;
//!
//! // Datto counts requests in a rolling window: four requests within 60 s are four.
//! let at = [0, 20, 40, 59].map(Duration::from_secs);
//! assert_eq!(most_in_any_window(&at, Duration::from_secs(60)), 4);
//! ```

pub mod binaries;
pub mod credential_tap;
pub mod gravityzone_world;
pub mod hostile;
pub mod itglue_world;
pub mod log_capture;
pub mod scripted;
pub mod throttled;
pub mod virtual_time;
