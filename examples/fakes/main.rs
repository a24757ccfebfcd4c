//! `fakes`: starts the Datto RMM, IT Glue and GravityZone fakes on loopback with a generated
//! MSP, prints the URLs and credentials to use, and keeps them running until stopped (Ctrl-C).
//!
//! ```text
//! cargo run --example fakes -- --seed 7 --size small
//! ```

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::{FakeEndpoints, MspFakes};
use msp_sync_examples::exit::{self, CliError};
use serde::Serialize;

/// The three vendor fakes with a generated MSP, for trying the binaries without vendor accounts.
#[derive(Debug, Parser)]
#[command(
    name = "fakes",
    version,
    about = "Start the Datto RMM, IT Glue and GravityZone fakes on 127.0.0.1 with a generated MSP",
    long_about = "Start the Datto RMM, IT Glue and GravityZone fakes on 127.0.0.1 with a generated \
MSP (sites, devices, IT Glue organizations and configurations, GravityZone companies), print the \
URLs and the fakes' own credentials as shell `export` lines, and keep serving until Ctrl-C.\n\n\
In another terminal, paste the export lines, then run e.g. `itglue-sync connect` or \
`gravityzone-sync companies`.",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    /// Seed of the generated MSP: the same seed always gives the same MSP.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// How big an MSP to generate.
    #[arg(long, value_enum, default_value_t = Size::Small)]
    size: Size,
    /// With `--size custom`: the number of Datto RMM sites (system sites included).
    #[arg(long, default_value_t = 40)]
    sites: usize,
    /// With `--size custom`: the number of devices.
    #[arg(long, default_value_t = 600)]
    devices: usize,
    /// Keep the vendors' rate limits (off by default so trying things out is quick).
    #[arg(long)]
    rate_limits: bool,
    /// Print the URLs and credentials as one JSON object instead of shell lines.
    #[arg(long)]
    json: bool,
}

/// The sizes `--size` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Size {
    /// About 20 sites and 300 devices.
    Small,
    /// About 200 sites and 5,000 devices.
    Medium,
    /// About 2,000 sites and 50,000 devices.
    Large,
    /// `--sites` sites and `--devices` devices.
    Custom,
}

/// What `--json` prints.
#[derive(Debug, Serialize)]
struct Started<'a> {
    seed: u64,
    sites: usize,
    devices: usize,
    itglue_organizations: usize,
    itglue_configurations: usize,
    gravityzone_companies: usize,
    endpoints: &'a FakeEndpoints,
    environment: Vec<String>,
}

fn size(cli: &Cli) -> MspSize {
    match cli.size {
        Size::Small => MspSize::Small,
        Size::Medium => MspSize::Medium,
        Size::Large => MspSize::Large,
        Size::Custom => MspSize::Custom {
            sites: cli.sites,
            devices: cli.devices,
        },
    }
}

fn shell_lines(endpoints: &FakeEndpoints) -> Vec<String> {
    endpoints
        .environment()
        .into_iter()
        .map(|(name, value)| format!("export {name}='{value}'"))
        .collect()
}

async fn run(cli: Cli) -> Result<(), CliError> {
    let msp = GeneratedMsp::generate(cli.seed, size(&cli));
    let fakes = MspFakes::start(msp, cli.rate_limits).await;
    let endpoints = fakes.endpoints();
    let lines = shell_lines(&endpoints);
    if cli.json {
        let started = Started {
            seed: cli.seed,
            sites: fakes.msp.sites.len(),
            devices: fakes.msp.devices.len(),
            itglue_organizations: fakes.itglue.organizations().len(),
            itglue_configurations: fakes.itglue.configurations().len(),
            gravityzone_companies: fakes.gravityzone.companies().len(),
            endpoints: &endpoints,
            environment: lines,
        };
        let text = serde_json::to_string(&started)
            .map_err(|e| CliError::failure(format!("could not write JSON: {e}")))?;
        println!("{text}");
    } else {
        let planted = &fakes.itglue_planted;
        let seeded = &fakes.gravityzone_planted;
        println!(
            "Generated MSP {:?} (seed {}): {} Datto RMM sites, {} devices.",
            fakes.msp.account.name,
            cli.seed,
            fakes.msp.sites.len(),
            fakes.msp.devices.len()
        );
        println!(
            "IT Glue: {} organizations ({} stand for a site), {} configurations ({} for a device).",
            fakes.itglue.organizations().len(),
            planted.sites.len(),
            fakes.itglue.configurations().len(),
            planted.devices.len()
        );
        println!(
            "GravityZone: {} companies named like a site, {} with a prefix, {} under another \
             partner, {} under a reseller, {} spare.",
            seeded.same_name.len(),
            seeded.prefixed.len(),
            seeded.foreign.len(),
            seeded.under_reseller.len(),
            seeded.free.len()
        );
        println!();
        println!("Datto RMM    {}", endpoints.datto_api_url);
        println!("IT Glue      {}", endpoints.itglue_api_url);
        println!("GravityZone  {}", endpoints.gravityzone_access_url);
        println!();
        println!("These fake credentials work only against the fakes. In another shell:");
        println!();
        for line in &lines {
            println!("  {line}");
        }
        println!();
        println!("Serving until Ctrl-C.");
    }
    wait_for_stop().await
}

/// Waits for Ctrl-C (or SIGTERM on Unix).
async fn wait_for_stop() -> Result<(), CliError> {
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
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return CliError::failure(format!("cannot start the runtime: {e}")).report("fakes");
        }
    };
    exit::finish("fakes", runtime.block_on(run(cli)))
}
