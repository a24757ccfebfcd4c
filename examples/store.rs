//! Where the binaries keep their state: a SQLite file (by default in the user's data directory),
//! a PostgreSQL database (`postgres://…`, for several workers) or, for a throw-away run, memory.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use sync_store::{MemoryStore, PostgresStore, SqliteStore, Store};

use crate::exit::CliError;

/// The file name of the default store inside the data directory.
pub const DEFAULT_FILE_NAME: &str = "msp-sync.sqlite";

/// Where the store lives, as given to `--store`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreLocation {
    /// `--store memory`: nothing outlives the process.
    Memory,
    /// A SQLite file.
    File(PathBuf),
    /// A PostgreSQL database: a `postgres://` or `postgresql://` URL (TLS when it says
    /// `sslmode=require`).
    Postgres(String),
}

impl FromStr for StoreLocation {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim() {
            "" => Err("the store path is empty".to_owned()),
            "memory" | ":memory:" => Ok(StoreLocation::Memory),
            url if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(StoreLocation::Postgres(url.to_owned()))
            }
            path => Ok(StoreLocation::File(PathBuf::from(path))),
        }
    }
}

impl fmt::Display for StoreLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreLocation::Memory => f.write_str("memory"),
            StoreLocation::File(path) => write!(f, "{}", path.display()),
            StoreLocation::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// The user's data directory for msp-sync: `$XDG_DATA_HOME/msp-sync`, else
/// `~/.local/share/msp-sync` (`%APPDATA%\msp-sync` on Windows). `None` when none of these
/// variables is set.
pub fn data_directory(lookup: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let set = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    if let Some(xdg) = set("XDG_DATA_HOME") {
        return Some(PathBuf::from(xdg).join("msp-sync"));
    }
    if let Some(home) = set("HOME") {
        return Some(PathBuf::from(home).join(".local/share/msp-sync"));
    }
    set("APPDATA").map(|appdata| PathBuf::from(appdata).join("msp-sync"))
}

/// The store to use: the one given, else the default file in the data directory.
pub fn resolve(given: Option<StoreLocation>) -> Result<StoreLocation, CliError> {
    if let Some(location) = given {
        return Ok(location);
    }
    data_directory(|name| std::env::var(name).ok())
        .map(|dir| StoreLocation::File(dir.join(DEFAULT_FILE_NAME)))
        .ok_or_else(|| {
            CliError::usage(
                "no data directory (neither XDG_DATA_HOME nor HOME is set): pass --store <path>",
            )
        })
}

/// Opens the store, creating the file and its directory when needed.
pub async fn open(location: &StoreLocation) -> Result<Arc<dyn Store>, CliError> {
    match location {
        StoreLocation::Memory => Ok(Arc::new(MemoryStore::new())),
        StoreLocation::File(path) => open_file(path).await,
        StoreLocation::Postgres(url) => {
            let store = PostgresStore::connect(url).await.map_err(|e| {
                CliError::failure(format!(
                    "cannot open the store {}: {e}",
                    without_password(url)
                ))
            })?;
            Ok(Arc::new(store))
        }
    }
}

/// `url` with the password of its user part, if any, replaced by `***`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

async fn open_file(path: &Path) -> Result<Arc<dyn Store>, CliError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            CliError::failure(format!(
                "cannot create the store directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    let store = SqliteStore::open(path)
        .await
        .map_err(|e| CliError::failure(format!("cannot open the store {}: {e}", path.display())))?;
    Ok(Arc::new(store))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn memory_and_paths_parse() {
        assert_eq!("memory".parse(), Ok(StoreLocation::Memory));
        assert_eq!(
            "/tmp/x.sqlite".parse(),
            Ok(StoreLocation::File(PathBuf::from("/tmp/x.sqlite")))
        );
        assert!("  ".parse::<StoreLocation>().is_err());
    }

    #[test]
    fn postgres_urls_parse_and_display_without_their_password() {
        let location: StoreLocation = "postgres://sync:s3cret@db.example:5432/msp?sslmode=require"
            .parse()
            .unwrap();
        assert!(matches!(location, StoreLocation::Postgres(_)));
        assert_eq!(
            location.to_string(),
            "postgres://sync:***@db.example:5432/msp?sslmode=require"
        );
        assert_eq!(
            "postgresql://db.example/msp"
                .parse::<StoreLocation>()
                .unwrap()
                .to_string(),
            "postgresql://db.example/msp"
        );
    }

    #[test]
    fn xdg_data_home_wins_over_home() {
        let dir = data_directory(env(&[("XDG_DATA_HOME", "/data"), ("HOME", "/home/u")]));
        assert_eq!(dir, Some(PathBuf::from("/data/msp-sync")));
    }

    #[test]
    fn home_gives_the_local_share_directory() {
        let dir = data_directory(env(&[("XDG_DATA_HOME", ""), ("HOME", "/home/u")]));
        assert_eq!(dir, Some(PathBuf::from("/home/u/.local/share/msp-sync")));
    }

    #[test]
    fn no_directory_without_variables() {
        assert_eq!(data_directory(env(&[])), None);
    }

    #[tokio::test]
    async fn a_file_store_is_created_with_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/store.sqlite");
        let store = open(&StoreLocation::File(path.clone())).await.unwrap();
        assert!(store.tenants().await.unwrap().is_empty());
        assert!(path.exists());
    }
}
