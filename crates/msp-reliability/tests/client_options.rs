//! The three clients take their common options the same way — one
//! [`msp_transport::ClientOptions`] given to each builder's `.options(…)` — and honour every one
//! of them against their vendor's fake: the base URL, the user agent, the timeout, the retry
//! policy, the rate limit and a limiter shared by two clients.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use datto_rmm_client::{DattoClient, Platform};
use gravityzone_client::GravityZoneClient;
use itglue_client::{ItGlueClient, OrganizationFilter, Region};
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::gravityzone::{FakeRateLimits, GravityZoneFake, GravityZoneFakeConfig};
use msp_fakes::harness::{FakeServer, FaultKind, FaultPlan, Handler};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_transport::{ClientOptions, RateLimit, RateLimiter, RetryPolicy, TransportErrorKind};
use wiremock::{Request, ResponseTemplate};

const ITGLUE_KEY: &str = "ITG.0123456789abcdef.options-test-key";

/// A fake's handler that notes the `User-Agent` of every request.
struct Watched<H> {
    inner: H,
    agents: Arc<Mutex<Vec<String>>>,
}

impl<H: Handler> Handler for Watched<H> {
    fn handle(&self, request: &Request) -> Option<ResponseTemplate> {
        let agent = request
            .headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(none)");
        self.agents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(agent.to_owned());
        self.inner.handle(request)
    }
}

#[derive(Debug, Clone, Copy)]
enum Vendor {
    Datto,
    GravityZone,
    ItGlue,
}

const VENDORS: [Vendor; 3] = [Vendor::Datto, Vendor::GravityZone, Vendor::ItGlue];

/// One vendor's fake behind the watch, and what a client of it needs.
struct Rig {
    vendor: Vendor,
    server: FakeServer,
    agents: Arc<Mutex<Vec<String>>>,
    /// Kept alive: the fake's state lives with it.
    _fake: Box<dyn std::any::Any>,
    key: String,
    secret: String,
}

/// A client of any vendor, read through one call.
enum Client {
    Datto(DattoClient),
    GravityZone(GravityZoneClient),
    ItGlue(ItGlueClient),
}

/// How a read failed: the transport's kind when it was a transport failure, and the message.
#[derive(Debug)]
struct Failure {
    kind: Option<TransportErrorKind>,
    message: String,
}

fn failure(transport: Option<&msp_transport::Error>, message: String) -> Failure {
    let kind = match transport {
        Some(msp_transport::Error::Transport { kind, .. }) => Some(*kind),
        _ => None,
    };
    Failure { kind, message }
}

impl Client {
    /// One read: Datto's account, GravityZone's key details, IT Glue's organizations.
    async fn read(&self) -> Result<(), Failure> {
        match self {
            Client::Datto(client) => client.get_account().await.map(drop).map_err(|e| {
                let transport = match &e {
                    datto_rmm_client::Error::Transport(t) => Some(t),
                    _ => None,
                };
                failure(transport, e.to_string())
            }),
            Client::GravityZone(client) => {
                client.get_api_key_details().await.map(drop).map_err(|e| {
                    let transport = match &e {
                        gravityzone_client::Error::Transport(t) => Some(t),
                        _ => None,
                    };
                    failure(transport, e.to_string())
                })
            }
            Client::ItGlue(client) => client
                .list_organizations(&OrganizationFilter::new())
                .collect_all()
                .await
                .map(drop)
                .map_err(|e| {
                    let transport = match &e {
                        itglue_client::Error::Transport(t) => Some(t),
                        _ => None,
                    };
                    failure(transport, e.to_string())
                }),
        }
    }
}

impl Rig {
    async fn start(vendor: Vendor) -> Rig {
        let agents = Arc::new(Mutex::new(Vec::new()));
        let (server, fake, key, secret): (_, Box<dyn std::any::Any>, _, _) = match vendor {
            Vendor::Datto => {
                let fake = DattoFake::start(DattoFakeConfig::new(GeneratedMsp::generate(
                    3,
                    MspSize::Small,
                )))
                .await;
                let server = FakeServer::start(Watched {
                    inner: fake.handler().clone(),
                    agents: agents.clone(),
                })
                .await;
                let (key, secret) = (
                    fake.config().api_key.clone(),
                    fake.config().api_secret.clone(),
                );
                (server, Box::new(fake), key, secret)
            }
            Vendor::GravityZone => {
                let fake = GravityZoneFake::start(GravityZoneFakeConfig {
                    rate_limits: FakeRateLimits::none(),
                    ..GravityZoneFakeConfig::default()
                })
                .await;
                let server = FakeServer::start(Watched {
                    inner: fake.handler().clone(),
                    agents: agents.clone(),
                })
                .await;
                let key = fake.api_key();
                (server, Box::new(fake), key, String::new())
            }
            Vendor::ItGlue => {
                let fake = ItGlueFake::start(ItGlueFakeConfig::new(ITGLUE_KEY)).await;
                let server = FakeServer::start(Watched {
                    inner: fake.handler().clone(),
                    agents: agents.clone(),
                })
                .await;
                (server, Box::new(fake), ITGLUE_KEY.to_owned(), String::new())
            }
        };
        Rig {
            vendor,
            server,
            agents,
            _fake: fake,
            key,
            secret,
        }
    }

    /// The fake's address, as each vendor's base URL is written.
    fn base_url(&self) -> String {
        match self.vendor {
            Vendor::GravityZone => format!("{}/api", self.server.uri()),
            _ => self.server.uri(),
        }
    }

    /// A client with the vendor's own location (a real platform or region; GravityZone has
    /// none) replaced by the fake's address through the options, plus `options`.
    fn client(&self, options: ClientOptions) -> Client {
        let options = ClientOptions::new()
            .base_url(self.base_url())
            .merge(options);
        match self.vendor {
            Vendor::Datto => Client::Datto(
                DattoClient::builder()
                    .platform(Platform::Merlot)
                    .api_key(self.key.as_str())
                    .api_secret(self.secret.as_str())
                    .options(options)
                    .build()
                    .unwrap(),
            ),
            Vendor::GravityZone => Client::GravityZone(
                GravityZoneClient::builder()
                    .api_key(self.key.as_str())
                    .options(options)
                    .build()
                    .unwrap(),
            ),
            Vendor::ItGlue => Client::ItGlue(
                ItGlueClient::builder()
                    .region(Region::Eu)
                    .api_key(self.key.as_str())
                    .options(options)
                    .build()
                    .unwrap(),
            ),
        }
    }

    /// What the read asks for (Datto's token request aside).
    fn read_path(&self) -> &'static str {
        match self.vendor {
            Vendor::Datto => "/api/v2/account",
            Vendor::GravityZone => "/api/v1.0/jsonrpc/general",
            Vendor::ItGlue => "/organizations",
        }
    }

    fn reads_seen(&self) -> usize {
        let path = self.read_path();
        self.server.log().count_where(|r| r.path == path)
    }

    fn requests_seen(&self) -> usize {
        self.server.log().len()
    }

    fn agents_seen(&self) -> Vec<String> {
        self.agents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every read answered with `kind`.
    fn fail_reads_with(&self, kind: FaultKind) {
        self.server
            .faults()
            .set(FaultPlan::new(1, 1.0, vec![kind]).only_paths_containing(self.read_path()));
    }
}

#[tokio::test]
async fn every_client_goes_to_the_base_url_and_sends_the_user_agent_of_its_options() {
    for vendor in VENDORS {
        let rig = Rig::start(vendor).await;
        let client = rig.client(ClientOptions::new().user_agent("acme-sync/9.9 (options)"));
        client
            .read()
            .await
            .unwrap_or_else(|e| panic!("{vendor:?}: {e:?}"));
        assert_eq!(rig.reads_seen(), 1, "{vendor:?}");
        let agents = rig.agents_seen();
        assert!(!agents.is_empty(), "{vendor:?}");
        assert!(
            agents.iter().all(|a| a == "acme-sync/9.9 (options)"),
            "{vendor:?}: {agents:?}"
        );
        rig.server.assert_no_unexpected();
    }
}

#[tokio::test]
async fn without_a_user_agent_every_client_sends_the_workspace_s() {
    for vendor in VENDORS {
        let rig = Rig::start(vendor).await;
        rig.client(ClientOptions::new()).read().await.unwrap();
        let agents = rig.agents_seen();
        assert!(
            agents.iter().all(|a| a.starts_with("msp-sync/")),
            "{vendor:?}: {agents:?}"
        );
    }
}

#[tokio::test]
async fn an_answer_slower_than_the_options_timeout_is_a_timeout_error() {
    for vendor in VENDORS {
        let rig = Rig::start(vendor).await;
        rig.fail_reads_with(FaultKind::Slow(Duration::from_secs(30)));
        let client = rig.client(
            ClientOptions::new()
                .timeout(Some(Duration::from_millis(200)))
                .retry_policy(RetryPolicy::never()),
        );
        let failure = client.read().await.unwrap_err();
        assert_eq!(
            failure.kind,
            Some(TransportErrorKind::Timeout),
            "{vendor:?}: {failure:?}"
        );
        assert_eq!(rig.reads_seen(), 1, "{vendor:?}");
    }
}

#[tokio::test]
async fn every_client_tries_as_often_as_its_options_retry_policy_says() {
    for vendor in VENDORS {
        let rig = Rig::start(vendor).await;
        rig.fail_reads_with(FaultKind::Status503);
        let quick = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(2));
        for (policy, attempts) in [
            (quick.clone().max_attempts(3), 3),
            (RetryPolicy::never(), 1),
        ] {
            rig.server.log().clear();
            let client = rig.client(ClientOptions::new().retry_policy(policy));
            let failure = client.read().await.unwrap_err();
            assert!(failure.message.contains("503"), "{vendor:?}: {failure:?}");
            assert_eq!(rig.reads_seen(), attempts, "{vendor:?}");
        }
    }
}

#[tokio::test(start_paused = true)]
async fn every_client_keeps_to_the_rate_limit_of_its_options() {
    let two_a_minute = RateLimit::new(2, Duration::from_secs(60)).unwrap();
    for vendor in VENDORS {
        let rig = Rig::start(vendor).await;
        let client = rig.client(ClientOptions::new().timeout(None).rate_limit(two_a_minute));
        let started = tokio::time::Instant::now();
        client.read().await.unwrap();
        client.read().await.unwrap();
        // The limit lets one request through, then one a minute: n requests take n - 1
        // minutes (Datto's token request counts too).
        let minutes = rig.requests_seen() as u32 - 1;
        assert!(minutes >= 1, "{vendor:?}");
        assert!(
            started.elapsed() >= Duration::from_secs(60) * minutes - Duration::from_secs(1),
            "{vendor:?}: {:?} for {} requests",
            started.elapsed(),
            rig.requests_seen()
        );
    }
}

#[tokio::test(start_paused = true)]
async fn one_limiter_in_the_options_of_two_clients_is_shared_by_both() {
    let two_a_minute = RateLimit::new(2, Duration::from_secs(60)).unwrap();
    for vendor in VENDORS {
        let rig = Rig::start(vendor).await;
        let shared = RateLimiter::new(two_a_minute);
        let options = ClientOptions::new().timeout(None).rate_limiter(shared);
        let (first, second) = (rig.client(options.clone()), rig.client(options));
        let started = tokio::time::Instant::now();
        first.read().await.unwrap();
        second.read().await.unwrap();
        // Each client alone would wait at most a minute (Datto: its token, then its read);
        // sharing one limiter, every request of both waits its turn.
        let minutes = rig.requests_seen() as u32 - 1;
        assert!(
            started.elapsed() >= Duration::from_secs(60) * minutes - Duration::from_secs(1),
            "{vendor:?}: {:?} for {} requests",
            started.elapsed(),
            rig.requests_seen()
        );
        assert!(minutes >= 1, "{vendor:?}");
    }
}
