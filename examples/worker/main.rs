//! `worker`: runs the scheduler of both flows over a store until SIGINT or SIGTERM — every
//! tenant's GravityZone pass hourly and IT Glue sync at the tenant's interval. Start several on
//! one PostgreSQL database and they share the tenants: the store's lease per tenant and flow
//! keeps each tenant's flow from running twice at once (a tenant's two flows may run at the same
//! time on two workers), and the runs in the store keep each flow to once per interval whichever
//! worker runs it.
//!
//! ```text
//! cargo run --example worker -- --store postgres://sync@db.example/msp --credentials tenants.json
//! ```
//!
//! The credentials file (the store never holds a secret) lists each tenant's vendor accounts:
//!
//! ```text
//! {"tenants": [{
//!   "datto": {"api_url": "https://merlot-api.centrastage.net", "account_uid": "…",
//!             "api_key": "…", "api_secret": "…"},
//!   "itglue": {"api_url": "https://api.itglue.com", "api_key": "…"},
//!   "gravityzone": {"access_url": "https://cloudgz.gravityzone.bitdefender.com/api",
//!                   "api_key": "…"}
//! }]}
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use clap::Parser;
use msp_sync_examples::args::{StoreArgs, parse_interval};
use msp_sync_examples::exit::{self, CliError};
use msp_sync_examples::logging;
use msp_sync_examples::store::{self, StoreLocation};
use msp_transport::Secret;
use serde::Deserialize;
use sync_engine::gravityzone::{DattoCredentials, GravityZoneCredentials, TenantConnection};
use sync_engine::itglue::{DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueLocation};
use sync_engine::scheduler::{
    ConnectionSource, ItGlueConnection, Scheduler, SchedulerConfig, SchedulerSummary,
};
use sync_store::{PostgresOptions, PostgresStore, Store, TenantId};
use tokio::sync::watch;

/// The scheduler of both flows, for every tenant of a store, until SIGINT or SIGTERM.
#[derive(Debug, Parser)]
#[command(
    name = "worker",
    version,
    about = "Run every tenant's GravityZone pass and IT Glue sync on schedule until SIGINT/SIGTERM",
    long_about = "Run the scheduler of both flows over a store until SIGINT or SIGTERM: every \
tenant's GravityZone pass hourly and IT Glue sync at the tenant's interval (its setting, every 4 \
hours by default), with jitter. Several workers on one PostgreSQL store share the tenants; no \
tenant's flow runs twice at once and none is skipped. On SIGINT/SIGTERM the running pass stops \
after its current step (an IT Glue sync finishes), then the worker exits.",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    /// With a `postgres://` store: the PostgreSQL schema holding the tables (default
    /// `msp_sync`; several stores can share one database, one schema each).
    #[arg(long, env = "MSP_SYNC_STORE_SCHEMA", value_name = "SCHEMA")]
    store_schema: Option<String>,
    /// The JSON file with each tenant's vendor credentials (see `docs/command-line.md`).
    #[arg(long, env = "MSP_SYNC_CREDENTIALS", value_name = "FILE")]
    credentials: PathBuf,
    /// The name this worker holds leases under (unique among the workers of a store).
    /// Default: `worker-<host>-<process id>`.
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Time between two GravityZone passes of a tenant.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval, default_value = "1h")]
    gravityzone_interval: Duration,
    /// Time between two IT Glue syncs of every tenant, overriding the tenants' own setting (for
    /// trials and tests with a shortened schedule).
    #[arg(long, env = "MSP_SYNC_ITGLUE_INTERVAL", value_name = "INTERVAL", value_parser = parse_interval)]
    itglue_interval: Option<Duration>,
    /// Spread each tenant's runs at a stable offset below this within each interval. Default:
    /// the whole interval.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval)]
    jitter: Option<Duration>,
    /// The lease's time-to-live: how soon the tenants of a worker that died are free for the
    /// others (renewed every third of it while a flow runs).
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval, default_value = "60s")]
    lease_ttl: Duration,
    /// How often the store is asked for new tenants and changed settings.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval, default_value = "60s")]
    refresh: Duration,
}

/// The credentials file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    tenants: Vec<TenantCredentials>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantCredentials {
    datto: DattoEntry,
    itglue: Option<ItGlueEntry>,
    gravityzone: Option<GravityZoneEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DattoEntry {
    api_url: String,
    account_uid: String,
    api_key: String,
    api_secret: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItGlueEntry {
    api_url: String,
    api_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GravityZoneEntry {
    access_url: String,
    api_key: String,
}

/// Each tenant's credentials, ready to build its connections on demand (fresh clients for each
/// run).
struct FileConnections {
    tenants: BTreeMap<TenantId, Tenant>,
}

struct Tenant {
    datto: DattoCredentials,
    itglue: Option<ItGlueCredentials>,
    gravityzone: Option<GravityZoneCredentials>,
}

impl FileConnections {
    fn read(path: &std::path::Path) -> Result<Self, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!(
                "cannot read the credentials file {}: {e}",
                path.display()
            ))
        })?;
        let file: CredentialsFile = serde_json::from_str(&text).map_err(|e| {
            CliError::usage(format!(
                "the credentials file {} is not valid: {e}",
                path.display()
            ))
        })?;
        let mut tenants = BTreeMap::new();
        for entry in file.tenants {
            let tenant = TenantId::new(&entry.datto.api_url, &entry.datto.account_uid)
                .map_err(|e| CliError::usage(format!("a tenant in the credentials file: {e}")))?;
            let datto = DattoCredentials::new(
                entry.datto.api_url,
                Secret::new(entry.datto.api_key),
                Secret::new(entry.datto.api_secret),
            );
            let itglue = entry.itglue.map(|i| ItGlueCredentials {
                location: ItGlueLocation::Url(i.api_url),
                api_key: Secret::new(i.api_key),
            });
            let gravityzone = entry
                .gravityzone
                .map(|g| GravityZoneCredentials::new(g.access_url, Secret::new(g.api_key)));
            if tenants
                .insert(
                    tenant.clone(),
                    Tenant {
                        datto,
                        itglue,
                        gravityzone,
                    },
                )
                .is_some()
            {
                return Err(CliError::usage(format!(
                    "the credentials file lists {tenant} twice"
                )));
            }
        }
        Ok(Self { tenants })
    }
}

#[async_trait]
impl ConnectionSource for FileConnections {
    async fn gravityzone(&self, tenant: &TenantId) -> Option<TenantConnection> {
        let entry = self.tenants.get(tenant)?;
        let gravityzone = entry.gravityzone.as_ref()?;
        TenantConnection::from_credentials(&entry.datto, gravityzone)
            .inspect_err(|e| eprintln!("worker: {tenant}: unusable GravityZone settings: {e}"))
            .ok()
    }

    async fn itglue(&self, tenant: &TenantId) -> Option<ItGlueConnection> {
        let entry = self.tenants.get(tenant)?;
        let itglue = entry.itglue.as_ref()?;
        let rmm = DattoRmmAdapter::from_credentials(&entry.datto)
            .inspect_err(|e| eprintln!("worker: {tenant}: unusable Datto RMM settings: {e}"))
            .ok()?;
        let docs = ItGlueAdapter::new(itglue)
            .inspect_err(|e| eprintln!("worker: {tenant}: unusable IT Glue settings: {e}"))
            .ok()?;
        Some(ItGlueConnection {
            rmm: Arc::new(rmm),
            docs: Arc::new(docs),
        })
    }
}

fn default_name() -> String {
    let me = sync_engine::lease::this_process();
    format!("worker-{}-{}", me.host, me.pid)
}

async fn run(cli: Cli) -> Result<SchedulerSummary, CliError> {
    for (flag, value) in [
        ("--gravityzone-interval", Some(cli.gravityzone_interval)),
        ("--itglue-interval", cli.itglue_interval),
        ("--lease-ttl", Some(cli.lease_ttl)),
        ("--refresh", Some(cli.refresh)),
    ] {
        if value.is_some_and(|v| v.is_zero()) {
            return Err(CliError::usage(format!("{flag} must be longer than 0s")));
        }
    }
    let connections = FileConnections::read(&cli.credentials)?;
    let location = store::resolve(cli.store.store.clone())?;
    let store: Arc<dyn Store> = match (&location, &cli.store_schema) {
        (StoreLocation::Postgres(url), Some(schema)) => {
            let options = PostgresOptions::default().with_schema(schema.clone());
            let store = PostgresStore::connect_with(url, options)
                .await
                .map_err(|e| CliError::failure(format!("cannot open the store {location}: {e}")))?;
            Arc::new(store)
        }
        (_, Some(_)) => {
            return Err(CliError::usage("--store-schema needs a postgres:// store"));
        }
        (_, None) => store::open(&location).await?,
    };
    let mut config = SchedulerConfig::default()
        .with_gravityzone_interval(cli.gravityzone_interval)
        .with_lease_ttl(cli.lease_ttl)
        .with_refresh(cli.refresh);
    if let Some(interval) = cli.itglue_interval {
        config = config.with_itglue_interval(interval);
    }
    if let Some(jitter) = cli.jitter {
        config = config.with_jitter(jitter);
    }
    let name = cli.name.unwrap_or_else(default_name);
    let scheduler = Scheduler::new(store, Arc::new(connections))
        .with_worker(name.clone())
        .with_config(config);
    let (stop, stopped) = watch::channel(false);
    let mut running = tokio::spawn(scheduler.run(stopped));
    eprintln!("worker {name} started; SIGINT or SIGTERM stops it after the current step");
    tokio::select! {
        signal = stop_signal() => {
            signal?;
            let _ = stop.send(true);
        }
        finished = &mut running => {
            return finished
                .map_err(|e| CliError::failure(format!("the scheduler stopped abnormally: {e}")));
        }
    }
    running
        .await
        .map_err(|e| CliError::failure(format!("the scheduler stopped abnormally: {e}")))
}

/// Waits for SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn stop_signal() -> Result<(), CliError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())
            .map_err(|e| CliError::failure(format!("cannot wait for SIGTERM: {e}")))?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => {
                result.map_err(|e| CliError::failure(format!("cannot wait for Ctrl-C: {e}")))
            }
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| CliError::failure(format!("cannot wait for Ctrl-C: {e}")))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init("info");
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return CliError::failure(format!("cannot start the runtime: {e}")).report("worker");
        }
    };
    let result = runtime.block_on(run(cli)).map(|summary| {
        println!(
            "{{\"runs_ok\":{},\"runs_failed\":{},\"runs_busy\":{},\"runs_done_elsewhere\":{},\"runs_unconnected\":{}}}",
            summary.runs_ok,
            summary.runs_failed,
            summary.runs_busy,
            summary.runs_done_elsewhere,
            summary.runs_unconnected
        );
    });
    exit::finish("worker", result)
}
