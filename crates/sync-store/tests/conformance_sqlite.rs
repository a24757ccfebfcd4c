//! The conformance suite against [`SqliteStore`], each case on a fresh file.

use async_trait::async_trait;
use sync_store::SqliteStore;
use sync_store::conformance::Fixture;
use tempfile::TempDir;

/// A store file in a temporary directory; a restart closes the file and opens it again.
struct SqliteFixture {
    dir: TempDir,
    store: Option<SqliteStore>,
}

impl SqliteFixture {
    async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("store.db"))
            .await
            .unwrap();
        Self {
            dir,
            store: Some(store),
        }
    }
}

#[async_trait]
impl Fixture for SqliteFixture {
    type Store = SqliteStore;

    fn store(&self) -> &SqliteStore {
        self.store.as_ref().unwrap()
    }

    async fn restart(&mut self) {
        // Drop the only handle first, so the connection is closed before the file is reopened.
        drop(self.store.take());
        self.store = Some(
            SqliteStore::open(self.dir.path().join("store.db"))
                .await
                .unwrap(),
        );
    }
}

sync_store::conformance_tests!(SqliteFixture::new().await);
