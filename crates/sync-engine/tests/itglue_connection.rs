//! Building an IT Glue flow from credentials (`ItGlueConnection`), the tenant a Datto RMM key
//! belongs to (`ItGlueFlow::discover`), and what `connect` and `status` say in words.

mod itglue_support;

use std::sync::Arc;

use itglue_client::Region;
use msp_fakes::datto::{DattoFake, DattoFakeConfig};
use msp_fakes::itglue::{ItGlueFake, ItGlueFakeConfig};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_transport::ClientOptions;
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{ItGlueConnection, ItGlueCredentials, ItGlueError, ItGlueLocation};
use sync_store::{MemoryStore, Vendor};

use itglue_support::fakes::{FakeAccount, ITGLUE_KEY};
use itglue_support::tenant;

fn itglue_at(url: &str) -> ItGlueCredentials {
    ItGlueCredentials {
        location: ItGlueLocation::url_or_region(Some(url), Region::Us),
        api_key: ITGLUE_KEY.into(),
    }
}

#[test]
fn settings_a_client_refuses_name_the_vendor_and_call_no_one() {
    let datto = DattoCredentials::new("https://merlot-api.centrastage.net", "key", "secret");
    let options = ClientOptions::default();
    // Plain HTTP is refused for anything but loopback: IT Glue's client says so.
    let error = ItGlueConnection::from_credentials_with(
        &datto,
        &options,
        &itglue_at("http://itglue.example.com"),
        &options,
    )
    .unwrap_err();
    match &error {
        ItGlueError::ClientSettings { vendor, .. } => assert_eq!(*vendor, Vendor::ItGlue),
        other => panic!("expected refused client settings, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .starts_with("cannot use these IT Glue settings: "),
        "{error}"
    );
    assert!(error.is_refused_request() && !error.is_vendor());

    let remote_datto = DattoCredentials::new("http://datto.example.com", "key", "secret");
    let error = ItGlueConnection::from_credentials_with(
        &remote_datto,
        &options,
        &itglue_at("https://api.itglue.com"),
        &options,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot use these Datto RMM settings: "),
        "{error}"
    );

    // Good settings build both clients; the flow names the tenant it is given.
    let connection = ItGlueConnection::from_credentials_with(
        &datto,
        &options,
        &itglue_at(" https://api.itglue.com "),
        &options,
    )
    .unwrap();
    let flow = connection.flow(Arc::new(MemoryStore::new()), tenant());
    assert_eq!(flow.tenant(), &tenant());
}

#[tokio::test]
async fn discover_names_the_tenant_of_the_datto_key_and_connect_and_status_say_it_in_words() {
    let msp = GeneratedMsp::generate(
        5,
        MspSize::Custom {
            sites: 4,
            devices: 6,
        },
    );
    let account = msp.account.uid.clone();
    let mut datto_config = DattoFakeConfig::new(msp);
    datto_config.rate_limit = None;
    let datto_fake = DattoFake::start(datto_config).await;
    let mut itglue_config = ItGlueFakeConfig::new(ITGLUE_KEY);
    itglue_config.rate_limit = None;
    let itglue_fake = ItGlueFake::start(itglue_config).await;

    let datto = FakeAccount::datto_credentials(&datto_fake);
    let options = ClientOptions::default();
    let connection = ItGlueConnection::from_credentials_with(
        &datto,
        &options,
        &itglue_at(&itglue_fake.uri()),
        &options,
    )
    .unwrap();
    let flow = connection
        .discover(Arc::new(MemoryStore::new()))
        .await
        .unwrap();
    assert_eq!(flow.tenant().account_uid(), account.as_str());
    assert_eq!(
        flow.tenant().api_url(),
        datto_fake.uri().trim_end_matches('/')
    );

    let connected = flow.connect().await.unwrap();
    assert_eq!(
        connected.lines(),
        [
            format!(
                "Connected: Datto RMM account {account} on {}, and IT Glue.",
                connected.api_url
            ),
            "Only fingerprints of the credentials were saved; pass them again with each command."
                .to_owned(),
        ]
    );
    let status = flow.status(5).await.unwrap();
    assert_eq!(
        status.lines(),
        [
            format!("Tenant {}", flow.tenant()),
            "  Datto RMM credentials: working".to_owned(),
            "  IT Glue credentials: working".to_owned(),
        ]
    );
}
