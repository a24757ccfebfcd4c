//! The conformance suite against [`PostgresStore`], each case in a fresh schema of the server
//! named by `MSP_SYNC_POSTGRES_URL` (`cargo xtask postgres`); skipped with a printed reason when
//! it is unset, failed under `CI=true`.

#![cfg(feature = "postgres")]

mod postgres_support;

use async_trait::async_trait;
use postgres_support::Scratch;
use sync_store::PostgresStore;
use sync_store::conformance::{Fixture, postgres_url};

struct PostgresFixture(Scratch);

impl PostgresFixture {
    async fn start() -> Option<Self> {
        let url = postgres_url("the PostgreSQL conformance suite")?;
        Some(Self(Scratch::new(url, "conformance").await))
    }
}

#[async_trait]
impl Fixture for PostgresFixture {
    type Store = PostgresStore;

    fn store(&self) -> &PostgresStore {
        self.0.store()
    }

    async fn restart(&mut self) {
        self.0.reopen().await;
    }
}

sync_store::conformance_tests!(match PostgresFixture::start().await {
    Some(fixture) => fixture,
    None => return,
});
