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

async fn run(cli: &Cli) -> Result<DemoReport, CliError> {
    let started = Instant::now();
    let msp = GeneratedMsp::generate(
        cli.seed,
        MspSize::Custom {
            sites: cli.sites,
            devices: cli.devices,
        },
    );
    let fakes = MspFakes::start(msp, true).await;
    let failed = |what: &str, e: &dyn std::fmt::Display| CliError::failure(format!("{what}: {e}"));
    let dir = tempfile::tempdir().map_err(|e| failed("temporary directory", &e))?;
    let store = SqliteStore::open(dir.path().join("demo.sqlite")).await;
    let store: Arc<dyn sync_store::Store> = Arc::new(store.map_err(|e| failed("store", &e))?);
    let itglue = itglue::run(&fakes, store.clone()).await;
    let itglue = itglue.map_err(|e| failed("IT Glue flow", &e))?;
    let gravityzone = gravityzone::run(&fakes, store).await;
    let gravityzone = gravityzone.map_err(|e| failed("GravityZone flow", &e))?;
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
        let report = run(&cli).await?;
        if cli.json {
            print_json(&report)
        } else {
            print!("{}", report::render(&report));
            Ok(())
        }
    })
}
