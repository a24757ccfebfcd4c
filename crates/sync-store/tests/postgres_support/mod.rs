//! A PostgreSQL store in a schema of its own for one test, dropped with it.

use sync_store::conformance::unique_schema;
use sync_store::{PostgresOptions, PostgresStore};

/// A store in a fresh schema of the server at `url`; the schema is dropped when this is.
pub struct Scratch {
    pub url: String,
    pub schema: String,
    pub store: Option<PostgresStore>,
}

impl Scratch {
    pub async fn new(url: String, prefix: &str) -> Self {
        let schema = unique_schema(prefix);
        let store = open(&url, &schema).await;
        Self {
            url,
            schema,
            store: Some(store),
        }
    }

    pub fn store(&self) -> &PostgresStore {
        self.store.as_ref().unwrap()
    }

    /// Drops the handle (its pool) and connects again to the same schema.
    #[allow(dead_code)] // not every test file that shares this module restarts
    pub async fn reopen(&mut self) {
        drop(self.store.take());
        self.store = Some(open(&self.url, &self.schema).await);
    }
}

pub async fn open(url: &str, schema: &str) -> PostgresStore {
    PostgresStore::connect_with(
        url,
        PostgresOptions::default()
            .with_pool_size(4)
            .with_schema(schema),
    )
    .await
    .unwrap()
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort, in the background: the test's runtime (which owns this store's
        // connections) must be free to wind down first, so nothing here may wait for it. A
        // schema left behind when the test process exits first only takes space on the
        // throw-away server.
        drop(self.store.take());
        let url = self.url.clone();
        let schema = self.schema.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                let _ =
                    runtime.block_on(async move { open(&url, &schema).await.drop_schema().await });
            }
        });
    }
}
