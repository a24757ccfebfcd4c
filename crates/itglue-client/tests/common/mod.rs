//! Shared set-up: the IT Glue fake on 127.0.0.1 and a client pointed at it.

#![allow(dead_code)]

use std::time::Duration;

use itglue_client::{ClientOptions, ItGlueClient, ItGlueClientBuilder, RetryPolicy, Secret};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};

/// The key the fake accepts.
pub const KEY: &str = "ITG.0123456789abcdef-test-key";

/// A fake accepting [`KEY`], with IT Glue's rate limit.
pub async fn fake() -> ItGlueFake {
    ItGlueFake::start(ItGlueFakeConfig::new(KEY)).await
}

/// A builder for a client of `fake`, with quick retries.
pub fn builder(fake: &ItGlueFake) -> ItGlueClientBuilder {
    ItGlueClient::builder()
        .base_url(fake.uri())
        .api_key(Secret::new(KEY))
        .options(
            ClientOptions::new().retry_policy(
                RetryPolicy::default()
                    .initial_backoff(Duration::from_millis(1))
                    .max_backoff(Duration::from_millis(5)),
            ),
        )
}

/// A client of `fake`.
pub fn client(fake: &ItGlueFake) -> ItGlueClient {
    builder(fake).build().expect("client")
}

/// The `page[number]` and `page[size]` of every logged request to `path`, in order.
pub fn pages_requested(fake: &ItGlueFake, path: &str) -> Vec<(u64, u64)> {
    fake.log()
        .all()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| {
            let url = url::Url::parse(&format!("http://x/?{}", r.query)).unwrap();
            let get = |name: &str| {
                url.query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.parse().unwrap())
                    .unwrap_or(0)
            };
            (get("page[number]"), get("page[size]"))
        })
        .collect()
}
