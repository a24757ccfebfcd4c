//! What a user reads when a vendor refuses the credentials at `connect`: the whole of standard
//! error, word for word. Each layer adds only what it knows (the client: which vendor rejected
//! what, with the vendor's reason; the engine: that nothing was saved; the binary: its name),
//! so the cause is said once.

mod support;

use support::{FakeWorld, Ran};

/// `connect` of binary `bin` with `env` overriding the fakes' credentials: exit code 3 (a
/// vendor refused), nothing on standard output.
async fn refused_connect(seed: u64, bin: &str, env: &[(&str, &str)]) -> Ran {
    let world = FakeWorld::start(seed).await;
    let ran = world.run_with(bin, &["connect"], env).code(3);
    assert!(ran.stdout.is_empty(), "{ran:#?}");
    for (_, secret) in env {
        assert!(!ran.stderr.contains(secret), "{ran:#?}");
    }
    ran
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_datto_secret_is_said_once_by_both_binaries() {
    for bin in ["itglue-sync", "gravityzone-sync"] {
        let ran = refused_connect(41, bin, &[("DATTO_API_SECRET", "not-the-secret")]).await;
        assert_eq!(
            ran.stderr,
            format!(
                "{bin}: Datto RMM rejected the API key or secret key: HTTP 401: Bad \
                 credentials; nothing was saved\n"
            )
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_itglue_key_is_said_once() {
    let ran = refused_connect(42, "itglue-sync", &[("ITGLUE_API_KEY", "ITG.not-the-key")]).await;
    assert_eq!(
        ran.stderr,
        "itglue-sync: IT Glue rejected the API key (HTTP 403): The API key is invalid or has \
         been revoked; nothing was saved\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_gravityzone_key_is_said_once() {
    let ran = refused_connect(
        43,
        "gravityzone-sync",
        &[("GRAVITYZONE_API_KEY", "NOT-THE-GRAVITYZONE-KEY-0001")],
    )
    .await;
    assert_eq!(
        ran.stderr,
        "gravityzone-sync: GravityZone rejected the API key: Invalid API key. Please generate \
         an API key in Control Center; nothing was saved\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gravityzone_key_lacking_several_api_areas_is_refused_naming_them_all() {
    let world = FakeWorld::start(44).await;
    let key = world.fakes.endpoints().gravityzone_api_key;
    assert!(
        world
            .fakes
            .gravityzone
            .set_enabled_apis(&key, &["companies"])
    );
    let ran = world
        .run("gravityzone-sync", &["connect"])
        .code(3)
        .never_shows(&key);
    assert_eq!(
        ran.stderr,
        "gravityzone-sync: GravityZone: the API key may not call the licensing, packages and \
         network APIs; enable them on the key in the GravityZone console; nothing was saved\n"
    );
}
