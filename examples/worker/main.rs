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
//! The credentials file (the store never holds a secret) lists each tenant's vendor accounts,
//! in the format of `sync_engine::scheduler::CredentialsFile`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use msp_sync_examples::args::{StoreArgs, StoreLocation, parse_positive_interval};
use msp_sync_examples::exit::{self, CliError};
use msp_sync_examples::output::print_json_line;
use msp_sync_examples::{http, logging, signal};
use sync_engine::scheduler::{CredentialsFile, Scheduler, SchedulerConfig, SchedulerSummary};
use sync_store::{PostgresOptions, PostgresStore, Store};

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
    #[arg(long, value_name = "INTERVAL", value_parser = parse_positive_interval, default_value = "1h")]
    gravityzone_interval: Duration,
    /// Time between two IT Glue syncs of every tenant, overriding the tenants' own setting (for
    /// trials and tests with a shortened schedule).
    #[arg(long, env = "MSP_SYNC_ITGLUE_INTERVAL", value_name = "INTERVAL", value_parser = parse_positive_interval)]
    itglue_interval: Option<Duration>,
    /// Spread each tenant's runs at a stable offset below this within each interval. Default:
    /// the whole interval.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_positive_interval)]
    jitter: Option<Duration>,
    /// The lease's time-to-live: how soon the tenants of a worker that died are free for the
    /// others (renewed every third of it while a flow runs).
    #[arg(long, value_name = "INTERVAL", value_parser = parse_positive_interval, default_value = "60s")]
    lease_ttl: Duration,
    /// How often the store is asked for new tenants and changed settings.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_positive_interval, default_value = "60s")]
    refresh: Duration,
}

async fn run(cli: Cli) -> Result<SchedulerSummary, CliError> {
    let connections = CredentialsFile::read(&cli.credentials)
        .map_err(|e| CliError::usage(e.to_string()))?
        .with_options(http::client_options());
    let location = cli.store.location()?;
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
        (_, None) => cli.store.open().await?,
    };
    let mut config = SchedulerConfig::default()
        .with_gravityzone_interval(cli.gravityzone_interval)
        .with_lease_ttl(cli.lease_ttl)
        .with_refresh(cli.refresh);
    config.itglue_interval = cli.itglue_interval;
    config.jitter = cli.jitter;
    let mut scheduler = Scheduler::new(store, Arc::new(connections)).with_config(config);
    if let Some(name) = cli.name {
        scheduler = scheduler.with_worker(name);
    }
    let stop = signal::termination()?;
    eprintln!(
        "worker {} started; SIGINT or SIGTERM stops it after the current step",
        scheduler.worker()
    );
    tokio::spawn(scheduler.run_until(stop))
        .await
        .map_err(|e| CliError::failure(format!("the scheduler stopped abnormally: {e}")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init("info");
    exit::block_on("worker", async { print_json_line(&run(cli).await?) })
}
