//! Secrets in the flows and the binaries: both flows run on a SQLite store with tracing
//! captured at TRACE level — clean runs, runs under injected faults, refused credentials — and
//! no API key, secret or Basic credential appears in the logs, in any error, or anywhere in
//! the store's files (database, WAL, shared memory). The binaries offer no way to turn
//! certificate validation off, refuse plain HTTP to a host that is not a loopback address, and
//! never print the credentials they were given.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use msp_fakes::harness::{FaultKind, FaultPlan};
use msp_fakes::msp::MspSize;
use msp_reliability::binaries::example;
use msp_reliability::gravityzone_world::GravityZoneWorld;
use msp_reliability::itglue_world::{ITGLUE_KEY, ItGlueWorld};
use msp_reliability::log_capture::{LeakCheck, capture_trace};
use sync_store::{SqliteStore, Store};

fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn faults(seed: u64) -> FaultPlan {
    FaultPlan::new(
        seed,
        0.2,
        vec![
            FaultKind::Status500,
            FaultKind::Status503,
            FaultKind::Garbled,
            FaultKind::FailAfterCommit,
        ],
    )
}

/// The bytes of every file of the store (`store.sqlite`, `-wal`, `-shm`), lossily as text.
fn store_files(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("store.sqlite"))
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

async fn sqlite(dir: &Path) -> Arc<dyn Store> {
    Arc::new(SqliteStore::open(dir.join("store.sqlite")).await.unwrap())
}

#[tokio::test]
async fn the_gravityzone_flow_keeps_secrets_out_of_logs_errors_and_the_store_file() {
    let (logs, _guard) = capture_trace();
    let dir = tempfile::tempdir().unwrap();
    let world = GravityZoneWorld::start(13, sqlite(dir.path()).await).await;
    let mut check = LeakCheck::default();
    for pass in 0..6 {
        if pass == 2 {
            world.datto.faults().set(faults(1));
            world.gz.faults().set(faults(2));
        }
        match world.pass().await {
            Ok(report) => {
                for failure in &report.steps_failed {
                    check.add("step failure", format!("{failure:?}"));
                }
                check.add("pass report", format!("{report:?}"));
            }
            Err(error) => {
                check.add("pass error", error.to_string());
                check.add("pass error Debug", format!("{error:?}"));
            }
        }
    }
    world.datto.faults().clear();
    world.gz.faults().clear();
    let gz_key = world.gz.api_key();
    world.gz.revoke_api_key(&gz_key);
    let refused = world.pass().await.unwrap_err();
    check.add("refused key", format!("{refused} {refused:?}"));
    check.add("connection Debug", format!("{:?}", world.connection));
    check.add("logs", logs.text());
    let datto_key = world.datto.config().api_key.clone();
    let datto_secret = world.datto.config().api_secret.clone();
    drop(world);
    for (file, text) in store_files(dir.path()) {
        check.add(file, text);
    }
    let secrets = [
        datto_key,
        datto_secret,
        gz_key.clone(),
        base64(format!("{gz_key}:").as_bytes()),
    ];
    assert!(
        logs.lines_containing("http.request") > 20,
        "nothing was captured"
    );
    let leaks = check.leaks(&secrets);
    assert!(leaks.is_empty(), "secrets leaked: {leaks:?}");
}

#[tokio::test]
async fn the_itglue_flow_keeps_secrets_out_of_logs_errors_and_the_store_file() {
    let (logs, _guard) = capture_trace();
    let dir = tempfile::tempdir().unwrap();
    let size = MspSize::Custom {
        sites: 10,
        devices: 60,
    };
    let world = ItGlueWorld::start(14, size, sqlite(dir.path()).await).await;
    let mut check = LeakCheck::default();
    for attempt in 0..5 {
        if attempt == 2 {
            world.datto.faults().set(faults(3));
            world.itglue.faults().set(faults(4));
        }
        match world.full_sync().await {
            Ok(report) => check.add("report", format!("{report:?}")),
            Err(error) => check.add("error", format!("{error} {error:?}")),
        }
    }
    world.datto.faults().clear();
    world.itglue.faults().clear();
    world
        .itglue
        .set_api_key("ITG.rotated-key-the-flow-does-not-know");
    let refused = world.full_sync().await.unwrap_err();
    check.add("refused key", format!("{refused} {refused:?}"));
    let runs = world.store.runs(&world.tenant, None, 50).await.unwrap();
    check.add("runs", format!("{runs:?}"));
    check.add("logs", logs.text());
    let datto_key = world.datto.config().api_key.clone();
    let datto_secret = world.datto.config().api_secret.clone();
    drop(world);
    for (file, text) in store_files(dir.path()) {
        check.add(file, text);
    }
    let secrets = [datto_key, datto_secret, ITGLUE_KEY.to_owned()];
    assert!(
        logs.lines_containing("http.request") > 20,
        "nothing was captured"
    );
    let leaks = check.leaks(&secrets);
    assert!(leaks.is_empty(), "secrets leaked: {leaks:?}");
}

const BINARIES: [&str; 2] = ["gravityzone-sync", "itglue-sync"];

fn run(name: &str, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut command = Command::new(example(name));
    for variable in [
        "DATTO_API_URL",
        "DATTO_API_KEY",
        "DATTO_API_SECRET",
        "GRAVITYZONE_ACCESS_URL",
        "GRAVITYZONE_API_KEY",
        "ITGLUE_API_URL",
        "ITGLUE_API_KEY",
        "MSP_SYNC_STORE",
        "RUST_LOG",
    ] {
        command.env_remove(variable);
    }
    let dir = tempfile::tempdir().unwrap();
    let output = command
        .args(args)
        .envs(env.iter().copied())
        .env("MSP_SYNC_STORE", dir.path().join("store.sqlite"))
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[test]
fn no_binary_offers_a_way_to_turn_certificate_validation_off() {
    for name in BINARIES {
        let mut help = run(name, &["--help"], &[]).1;
        for sub in ["connect", "sync"] {
            help.push_str(&run(name, &[sub, "--help"], &[]).1);
        }
        let lower = help.to_lowercase();
        assert!(
            lower.contains("--datto-url"),
            "{name}: unexpected help: {help}"
        );
        for word in [
            "insecure",
            "no-verify",
            "danger",
            "accept-invalid",
            "skip-tls",
            "no-tls",
            "tls-verify",
            "ignore-cert",
        ] {
            assert!(
                !lower.contains(word),
                "{name} --help offers {word:?}:\n{help}"
            );
        }
    }
}

#[test]
fn the_binaries_refuse_plain_http_to_a_host_that_is_not_loopback_and_never_print_credentials() {
    let key = "SECRETKEY-binary-0000000001";
    let secret = "SECRETSECRET-binary-00000001";
    let env = [
        ("DATTO_API_URL", "http://datto.example.com"),
        ("DATTO_API_KEY", key),
        ("DATTO_API_SECRET", secret),
        ("GRAVITYZONE_ACCESS_URL", "http://gz.example.com/api"),
        ("GRAVITYZONE_API_KEY", key),
        ("ITGLUE_API_URL", "http://itglue.example.com"),
        ("ITGLUE_API_KEY", key),
    ];
    for name in BINARIES {
        let (code, text) = run(name, &["connect"], &env);
        assert_ne!(
            code,
            Some(0),
            "{name} accepted http:// to a remote host: {text}"
        );
        assert!(
            text.to_lowercase().contains("https"),
            "{name} did not say why: {text}"
        );
        assert!(
            !text.contains(key) && !text.contains(secret),
            "{name} printed a credential: {text}"
        );
        let (_, help) = run(name, &["--help"], &env);
        assert!(
            !help.contains(key) && !help.contains(secret),
            "{name} --help printed a credential: {help}"
        );
    }
}
