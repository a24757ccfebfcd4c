//! Where the binaries keep their state (`--store`): `sync_store::StoreLocation` (a SQLite file,
//! by default in the user's data directory; `postgres://…` for several workers; `memory`).

use std::sync::Arc;

use sync_store::Store;
pub use sync_store::{DEFAULT_FILE_NAME, StoreLocation};

use crate::exit::CliError;

/// The store to use: the one given, else the default file in the data directory.
pub fn resolve(given: Option<StoreLocation>) -> Result<StoreLocation, CliError> {
    given
        .or_else(|| StoreLocation::default_file(|name| std::env::var(name).ok()))
        .ok_or_else(|| {
            CliError::usage(
                "no data directory (neither XDG_DATA_HOME nor HOME is set): pass --store <path>",
            )
        })
}

/// Opens the store, creating the file and its directory when needed.
pub async fn open(location: &StoreLocation) -> Result<Arc<dyn Store>, CliError> {
    location
        .open()
        .await
        .map_err(|e| CliError::failure(e.to_string()))
}
