//! Where a store lives, as a person names it: a SQLite file, a PostgreSQL URL or `memory`;
//! and opening it (the backends compiled in).

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use crate::{MemoryStore, Store};

/// The file name of the default store inside the data directory.
pub const DEFAULT_FILE_NAME: &str = "msp-sync.sqlite";

/// Where a store lives.
///
/// ```
/// use sync_store::StoreLocation;
/// let location: StoreLocation = "postgres://sync:s3cret@db.example/msp".parse().unwrap();
/// assert_eq!(location.to_string(), "postgres://sync:***@db.example/msp");
/// assert_eq!("memory".parse::<StoreLocation>(), Ok(StoreLocation::Memory));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreLocation {
    /// `memory`: nothing outlives the process.
    Memory,
    /// A SQLite file (feature `sqlite`).
    File(PathBuf),
    /// A PostgreSQL database: a `postgres://` or `postgresql://` URL, TLS when it says
    /// `sslmode=require` (feature `postgres`). Its `Display` hides the password.
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

/// A store that could not be opened; names the location (never a password) and why.
#[derive(Debug, thiserror::Error)]
#[error("cannot open the store {location}: {reason}")]
pub struct OpenError {
    /// The location, as displayed.
    pub location: String,
    /// Why.
    pub reason: String,
}

impl StoreLocation {
    /// The default store: [`DEFAULT_FILE_NAME`] in the user's data directory
    /// (`$XDG_DATA_HOME/msp-sync`, else `~/.local/share/msp-sync`, else `%APPDATA%\msp-sync`),
    /// the variables read through `lookup`; `None` when none of them is set.
    ///
    /// ```
    /// use std::path::PathBuf;
    /// use sync_store::StoreLocation;
    /// let home = |name: &str| (name == "HOME").then(|| "/home/u".to_owned());
    /// assert_eq!(
    ///     StoreLocation::default_file(home),
    ///     Some(StoreLocation::File(PathBuf::from("/home/u/.local/share/msp-sync/msp-sync.sqlite")))
    /// );
    /// ```
    pub fn default_file(lookup: impl Fn(&str) -> Option<String>) -> Option<StoreLocation> {
        let set = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let dir = if let Some(xdg) = set("XDG_DATA_HOME") {
            PathBuf::from(xdg).join("msp-sync")
        } else if let Some(home) = set("HOME") {
            PathBuf::from(home).join(".local/share/msp-sync")
        } else {
            PathBuf::from(set("APPDATA")?).join("msp-sync")
        };
        Some(StoreLocation::File(dir.join(DEFAULT_FILE_NAME)))
    }

    /// Opens the store, creating a SQLite file and its directory when needed. A backend this
    /// build was compiled without is an error naming its feature.
    pub async fn open(&self) -> Result<Arc<dyn Store>, OpenError> {
        let failed = |reason: String| OpenError {
            location: self.to_string(),
            reason,
        };
        match self {
            StoreLocation::Memory => Ok(Arc::new(MemoryStore::new())),
            #[cfg(feature = "sqlite")]
            StoreLocation::File(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        failed(format!(
                            "cannot create its directory {}: {e}",
                            dir.display()
                        ))
                    })?;
                }
                let store = crate::SqliteStore::open(path)
                    .await
                    .map_err(|e| failed(e.to_string()))?;
                Ok(Arc::new(store))
            }
            #[cfg(feature = "postgres")]
            StoreLocation::Postgres(url) => {
                let store = crate::PostgresStore::connect(url)
                    .await
                    .map_err(|e| failed(e.to_string()))?;
                Ok(Arc::new(store))
            }
            #[allow(unreachable_patterns)]
            _ => Err(failed(
                "this build has no such store (features `sqlite`, `postgres`)".to_owned(),
            )),
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

    fn file(path: &str) -> Option<StoreLocation> {
        Some(StoreLocation::File(PathBuf::from(path)))
    }

    #[test]
    fn memory_and_paths_parse() {
        assert_eq!("memory".parse(), Ok(StoreLocation::Memory));
        assert_eq!("/tmp/x.sqlite".parse().ok(), file("/tmp/x.sqlite"));
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
        let plain: StoreLocation = "postgresql://db.example/msp".parse().unwrap();
        assert_eq!(plain.to_string(), "postgresql://db.example/msp");
    }

    #[test]
    fn the_default_file_follows_xdg_then_home_then_appdata() {
        let xdg = env(&[("XDG_DATA_HOME", "/data"), ("HOME", "/home/u")]);
        assert_eq!(
            StoreLocation::default_file(xdg),
            file("/data/msp-sync/msp-sync.sqlite")
        );
        let home = env(&[("XDG_DATA_HOME", ""), ("HOME", "/home/u")]);
        assert_eq!(
            StoreLocation::default_file(home),
            file("/home/u/.local/share/msp-sync/msp-sync.sqlite")
        );
        let appdata = env(&[("APPDATA", "C:/Users/u/AppData")]);
        assert_eq!(
            StoreLocation::default_file(appdata),
            file("C:/Users/u/AppData/msp-sync/msp-sync.sqlite")
        );
        assert_eq!(StoreLocation::default_file(env(&[])), None);
    }

    #[cfg(feature = "sqlite")]
    #[tokio::test]
    async fn a_file_store_is_created_with_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/store.sqlite");
        let store = StoreLocation::File(path.clone()).open().await.unwrap();
        assert!(store.tenants().await.unwrap().is_empty());
        assert!(path.exists());
    }

    #[cfg(feature = "sqlite")]
    #[tokio::test]
    async fn a_store_that_cannot_be_created_says_where_and_why() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, b"not a directory").unwrap();
        let location = StoreLocation::File(blocker.join("store.sqlite"));
        let error = location.open().await.err().unwrap().to_string();
        assert!(
            error.starts_with(&format!("cannot open the store {location}: cannot create")),
            "{error}"
        );
    }
}
