//! `demo`: the README's first command. It starts the Datto RMM, IT Glue and GravityZone fakes
//! on loopback with a generated MSP, runs both sync flows against them with a SQLite store in
//! a temporary directory, changes the fakes the way people change the real consoles, syncs
//! again and prints a short report of what was matched, made, found and resolved.
//!
//! ```text
//! cargo run --release --example demo
//! ```

mod gravityzone;
mod itglue;
mod report;

use std::fmt;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::MspFakes;
use msp_sync_examples::exit::{self, CliError};
use msp_sync_examples::output::print_json;
use serde::Serialize;
use sync_store::SqliteStore;

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "demo",
    version,
    about = "Run both syncs against local fakes of Datto RMM, IT Glue and GravityZone and report",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    /// Seed of the generated MSP: the same seed always gives the same MSP and report.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Datto RMM sites of the generated MSP (the three system sites included).
    #[arg(long, default_value_t = 24)]
    sites: usize,
    /// Devices of the generated MSP.
    #[arg(long, default_value_t = 300)]
    devices: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Something the demo could not do.
#[derive(Debug)]
pub struct DemoError(String);

impl DemoError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<sync_engine::gravityzone::GravityZoneSyncError> for DemoError {
    fn from(e: sync_engine::gravityzone::GravityZoneSyncError) -> Self {
        Self(format!("GravityZone flow: {e}"))
    }
}

impl From<sync_engine::itglue::ItGlueError> for DemoError {
    fn from(e: sync_engine::itglue::ItGlueError) -> Self {
        Self(format!("IT Glue flow: {e}"))
    }
}

impl From<sync_engine::gravityzone::ports::PortError> for DemoError {
    fn from(e: sync_engine::gravityzone::ports::PortError) -> Self {
        Self(e.to_string())
    }
}

impl From<sync_store::StoreError> for DemoError {
    fn from(e: sync_store::StoreError) -> Self {
        Self(format!("store: {e}"))
    }
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct DemoReport {
    /// The MSP's seed.
    pub seed: u64,
    /// The MSP's name.
    pub msp: String,
    /// Datto RMM sites (system sites included).
    pub sites: usize,
    /// Devices.
    pub devices: usize,
    /// The IT Glue flow.
    pub itglue: sync_engine::itglue::Walkthrough,
    /// The GravityZone flow.
    pub gravityzone: gravityzone::GravityZoneReport,
    /// Seconds the flows took (the fakes' start included).
    pub seconds: f64,
}

async fn run(cli: &Cli) -> Result<DemoReport, DemoError> {
    let started = Instant::now();
    let msp = GeneratedMsp::generate(
        cli.seed,
        MspSize::Custom {
            sites: cli.sites,
            devices: cli.devices,
        },
    );
    let fakes = MspFakes::start(msp, true).await;
    let dir =
        tempfile::tempdir().map_err(|e| DemoError::new(format!("temporary directory: {e}")))?;
    let store: Arc<dyn sync_store::Store> =
        Arc::new(SqliteStore::open(dir.path().join("demo.sqlite")).await?);
    let itglue = itglue::run(&fakes, store.clone()).await?;
    let gravityzone = gravityzone::run(&fakes, store).await?;
    Ok(DemoReport {
        seed: cli.seed,
        msp: fakes.msp.account.name.clone(),
        sites: fakes.msp.sites.len(),
        devices: fakes.msp.devices.len(),
        itglue,
        gravityzone,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    msp_sync_examples::logging::init("error");
    exit::block_on("demo", async {
        let report = run(&cli)
            .await
            .map_err(|e| CliError::failure(e.to_string()))?;
        if cli.json {
            print_json(&report)
        } else {
            print!("{}", report::render(&report));
            Ok(())
        }
    })
}
