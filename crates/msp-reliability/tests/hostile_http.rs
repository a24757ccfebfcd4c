//! Hostile answers through HTTP: each client's calls — lists (Datto's page envelope,
//! GravityZone's JSON-RPC envelope with paging, IT Glue's JSON:API documents), single reads,
//! creates, and the vendors' error bodies — answered with arbitrary bytes, arbitrary JSON, or
//! a mutated vendor document, under a random status. The client returns `Ok` or `Err` and
//! never panics; an error status (4xx/5xx) is never taken as data.

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::time::Duration;

use datto_rmm_client::{DattoClient, DeviceUid, SiteUid};
use gravityzone_client::{CompaniesFilter, GravityZoneClient, NewCompany, NewPackage, RateClass};
use itglue_client::{
    ConfigurationFilter, ConfigurationTypeId, ItGlueClient, NameFilter, NewConfiguration,
    NewOrganization, OrganizationFilter, OrganizationId,
};
use msp_reliability::hostile::{arbitrary_json, mutated};
use msp_reliability::scripted::{Answer, ScriptedServer};
use msp_transport::{ClientOptions, RateLimit, RetryPolicy};
use proptest::prelude::*;
use support::{Vendor, documents_of};

type Outcome = Result<String, String>;
type Call<C> = fn(&C) -> Pin<Box<dyn Future<Output = Outcome> + Send + '_>>;

fn debug<T: std::fmt::Debug, E: std::fmt::Display + std::fmt::Debug>(
    result: Result<T, E>,
) -> Outcome {
    result
        .map(|value| format!("{value:?}"))
        .map_err(|error| format!("{error} / {error:?}"))
}

/// One runtime, one scripted server and one client per vendor, shared by all cases.
struct Rig<C> {
    runtime: tokio::runtime::Runtime,
    server: ScriptedServer,
    client: C,
}

fn rig<C>(build: impl FnOnce(&str) -> C) -> Rig<C> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(ScriptedServer::start());
    let client = build(&server.uri());
    Rig {
        runtime,
        server,
        client,
    }
}

impl<C> Rig<C> {
    fn run(&self, call: Call<C>, answer: Answer) {
        let status = answer.status;
        self.server.script(answer);
        let outcome = self.runtime.block_on(call(&self.client));
        if status >= 400 {
            assert!(
                outcome.is_err(),
                "a {status} answer became data: {outcome:?}"
            );
        }
    }
}

/// Any status a vendor might send, mostly 200.
fn status() -> BoxedStrategy<u16> {
    prop_oneof![
        6 => Just(200u16),
        1 => Just(201u16),
        1 => Just(204u16),
        1 => proptest::sample::select(vec![400u16, 401, 403, 404, 409, 415, 422, 429, 500, 502, 503]),
        1 => 200u16..600, // no 1xx: a server cannot end an exchange with one
    ]
    .boxed()
}

fn body(vendor: Vendor) -> BoxedStrategy<Vec<u8>> {
    let documents = documents_of(vendor);
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        2 => arbitrary_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        6 => proptest::sample::select(documents)
            .prop_flat_map(mutated)
            .prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => Just(b"<html><body>404 Not Found</body></html>".to_vec()),
    ]
    .boxed()
}

fn answer(vendor: Vendor, content_type: &'static str) -> BoxedStrategy<Answer> {
    (
        status(),
        body(vendor),
        prop_oneof![Just(content_type), Just("text/html")],
    )
        .prop_map(|(status, body, content_type)| Answer {
            status,
            content_type: content_type.to_owned(),
            body,
        })
        .boxed()
}

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(20));

/// No client-side waiting: the cases are not about rate limits.
fn fast() -> RateLimit {
    RateLimit::per_second(1_000_000).unwrap()
}

fn datto_rig() -> &'static Rig<DattoClient> {
    static RIG: OnceLock<Rig<DattoClient>> = OnceLock::new();
    RIG.get_or_init(|| {
        rig(|uri| {
            DattoClient::builder()
                .api_url(uri)
                .api_key("hostile-key")
                .api_secret("hostile-secret")
                .options(
                    ClientOptions::new()
                        .rate_limit(fast())
                        .retry_policy(RetryPolicy::never())
                        .timeout(TIMEOUT),
                )
                .operation_write_limit(fast())
                .build()
                .unwrap()
        })
    })
}

fn datto_calls() -> Vec<Call<DattoClient>> {
    vec![
        |c| Box::pin(async move { debug(c.get_account().await) }),
        |c| Box::pin(async move { debug(c.list_sites().collect_all().await) }),
        |c| Box::pin(async move { debug(c.list_devices().collect_all().await) }),
        |c| {
            Box::pin(async move {
                debug(
                    c.list_site_network_interfaces(&SiteUid::new("s1"))
                        .collect_all()
                        .await,
                )
            })
        },
        |c| {
            Box::pin(async move {
                debug(
                    c.list_site_variables(&SiteUid::new("s1"))
                        .collect_all()
                        .await,
                )
            })
        },
        |c| Box::pin(async move { debug(c.get_device_audit(&DeviceUid::new("d1")).await) }),
        |c| Box::pin(async move { debug(c.get_device(&DeviceUid::new("d1")).await) }),
        |c| Box::pin(async move { debug(c.get_site(&SiteUid::new("s1")).await) }),
        |c| Box::pin(async move { debug(c.get_request_rate().await) }),
        |c| {
            Box::pin(async move {
                debug(
                    c.create_site_variable(&SiteUid::new("s1"), "n", "v", false)
                        .await,
                )
            })
        },
    ]
}

fn gravityzone_rig() -> &'static Rig<GravityZoneClient> {
    static RIG: OnceLock<Rig<GravityZoneClient>> = OnceLock::new();
    RIG.get_or_init(|| {
        rig(|uri| {
            GravityZoneClient::builder()
                .access_url(format!("{uri}/api"))
                .api_key("hostile-gz-key")
                .rate_limit(RateClass::Default, fast())
                .rate_limit(RateClass::LicensingAndCompanyWrites, fast())
                .options(
                    ClientOptions::new()
                        .retry_policy(RetryPolicy::never())
                        .timeout(TIMEOUT),
                )
                .build()
                .unwrap()
        })
    })
}

fn gravityzone_calls() -> Vec<Call<GravityZoneClient>> {
    vec![
        |c| {
            Box::pin(async move { debug(c.list_companies(None, CompaniesFilter::default()).await) })
        },
        |c| Box::pin(async move { debug(c.get_company(None).await) }),
        |c| Box::pin(async move { debug(c.get_api_key_details().await) }),
        |c| Box::pin(async move { debug(c.get_company_tree(None).await) }),
        |c| Box::pin(async move { debug(c.get_license_info(None, true).await) }),
        |c| Box::pin(async move { debug(c.list_packages(None).collect_all().await) }),
        |c| Box::pin(async move { debug(c.find_installation_links("p", None).await) }),
        |c| {
            Box::pin(async move {
                let company = NewCompany::new(gravityzone_client::CompanyType::Customer, "Acme");
                debug(c.create_company(&company).await)
            })
        },
        |c| Box::pin(async move { debug(c.find_or_create_package(&NewPackage::new("p")).await) }),
    ]
}

fn itglue_rig() -> &'static Rig<ItGlueClient> {
    static RIG: OnceLock<Rig<ItGlueClient>> = OnceLock::new();
    RIG.get_or_init(|| {
        rig(|uri| {
            ItGlueClient::builder()
                .base_url(uri)
                .api_key(itglue_client::Secret::new("hostile-itg-key"))
                .options(
                    ClientOptions::new()
                        .rate_limit(fast())
                        .retry_policy(RetryPolicy::never())
                        .timeout(TIMEOUT),
                )
                .build()
                .unwrap()
        })
    })
}

fn itglue_calls() -> Vec<Call<ItGlueClient>> {
    vec![
        |c| {
            Box::pin(async move {
                debug(
                    c.list_organizations(&OrganizationFilter::new())
                        .collect_all()
                        .await,
                )
            })
        },
        |c| Box::pin(async move { debug(c.get_organization(OrganizationId::new(1)).await) }),
        |c| {
            Box::pin(
                async move { debug(c.create_organization(&NewOrganization::new("Acme")).await) },
            )
        },
        |c| {
            Box::pin(async move {
                debug(
                    c.list_configurations_with_interfaces(&ConfigurationFilter::new())
                        .collect_all()
                        .await,
                )
            })
        },
        |c| {
            Box::pin(async move {
                debug(
                    c.list_configuration_types(&NameFilter::new())
                        .collect_all()
                        .await,
                )
            })
        },
        |c| {
            Box::pin(async move {
                let new = NewConfiguration::new("PC-1", ConfigurationTypeId::new(1));
                debug(c.create_configuration(OrganizationId::new(1), &new).await)
            })
        },
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn hostile_answers_never_panic_the_datto_client(
        call in proptest::sample::select(datto_calls()),
        answer in answer(Vendor::Datto, "application/json"),
    ) {
        datto_rig().run(call, answer);
    }

    #[test]
    fn hostile_answers_never_panic_the_gravityzone_client(
        call in proptest::sample::select(gravityzone_calls()),
        answer in answer(Vendor::GravityZone, "application/json"),
    ) {
        gravityzone_rig().run(call, answer);
    }

    #[test]
    fn hostile_answers_never_panic_the_itglue_client(
        call in proptest::sample::select(itglue_calls()),
        answer in answer(Vendor::ItGlue, "application/vnd.api+json"),
    ) {
        itglue_rig().run(call, answer);
    }
}
