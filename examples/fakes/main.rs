//! `fakes`: starts the Datto RMM, IT Glue and GravityZone fakes on loopback with a generated
//! MSP, prints the URLs and credentials to use, and keeps them running until stopped (Ctrl-C).
//!
//! ```text
//! cargo run --example fakes -- --seed 7 --size small
//! ```

use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use msp_fakes::msp::{GeneratedMsp, MspSize};
use msp_fakes::scenario::{FakePorts, MspFakes};
use msp_sync_examples::exit::{self, CliError};
use msp_sync_examples::output::print_json_line;
use msp_sync_examples::signal;

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
    /// Serve Datto RMM on this port of 127.0.0.1 (0: any free one), so the URLs stay the same
    /// from one start to the next.
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    datto_port: u16,
    /// Serve IT Glue on this port (0: any free one).
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    itglue_port: u16,
    /// Serve GravityZone on this port (0: any free one).
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    gravityzone_port: u16,
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

async fn run(cli: Cli) -> Result<(), CliError> {
    let ports = FakePorts {
        datto: cli.datto_port,
        itglue: cli.itglue_port,
        gravityzone: cli.gravityzone_port,
    };
    let msp = GeneratedMsp::generate(cli.seed, size(&cli));
    let fakes = MspFakes::start_on(msp, cli.rate_limits, ports)
        .await
        .map_err(|e| CliError::failure(e.to_string()))?;
    let stop = signal::termination()?;
    let summary = fakes.summary();
    if cli.json {
        print_json_line(&summary)?;
    } else {
        println!("{summary}\nServing until Ctrl-C.");
    }
    stop.await;
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    exit::block_on("fakes", run(cli))
}
