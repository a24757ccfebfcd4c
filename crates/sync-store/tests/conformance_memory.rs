//! The conformance suite against [`MemoryStore`].

use async_trait::async_trait;
use sync_store::MemoryStore;
use sync_store::conformance::Fixture;

/// A memory store; a restart is a new handle on the same data, as a restarted task would get.
struct MemoryFixture {
    store: MemoryStore,
}

#[async_trait]
impl Fixture for MemoryFixture {
    type Store = MemoryStore;

    fn store(&self) -> &MemoryStore {
        &self.store
    }

    async fn restart(&mut self) {
        let data = self.store.clone();
        self.store = MemoryStore::new();
        self.store = data;
    }
}

sync_store::conformance_tests!(MemoryFixture {
    store: MemoryStore::new()
});
