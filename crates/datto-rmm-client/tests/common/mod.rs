//! Shared setup of the integration tests: a Datto RMM fake on 127.0.0.1 serving a small
//! generated MSP, and a client configured for it.

#![allow(dead_code)]

use std::time::Duration;

use datto_rmm_client::{ClientOptions, DattoClient, DattoClientBuilder, RetryPolicy};
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::msp::{GeneratedMsp, MspSize};

/// The generated MSP every test serves unless it says otherwise.
pub fn small_msp() -> GeneratedMsp {
    GeneratedMsp::generate(7, MspSize::Small)
}

/// A fake with Datto's defaults serving `msp`.
pub async fn start(msp: GeneratedMsp) -> DattoFake {
    DattoFake::start(DattoFakeConfig::new(msp)).await
}

/// A fake serving [`small_msp`].
pub async fn fake() -> DattoFake {
    start(small_msp()).await
}

/// Retries with short backoffs, so tests of retried failures stay fast.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// A builder pointed at `fake` with its credentials.
pub fn builder(fake: &DattoFake) -> DattoClientBuilder {
    DattoClient::builder()
        .api_url(fake.uri())
        .api_key(fake.config().api_key.as_str())
        .api_secret(fake.config().api_secret.as_str())
        .options(ClientOptions::new().retry_policy(quick_retries()))
}

/// A client for `fake`.
pub fn client(fake: &DattoFake) -> DattoClient {
    builder(fake).build().unwrap()
}

/// A client with `fake`'s credentials and the default options that sends its requests to `uri`
/// (a server that wraps the fake's handler to answer some requests its own way).
pub fn client_through(fake: &DattoFake, uri: &str) -> DattoClient {
    DattoClient::builder()
        .api_url(uri)
        .api_key(fake.config().api_key.as_str())
        .api_secret(fake.config().api_secret.as_str())
        .build()
        .unwrap()
}

/// How many token requests the fake received.
pub fn token_requests(fake: &DattoFake) -> usize {
    fake.log().count("POST", "/auth/oauth/token")
}
