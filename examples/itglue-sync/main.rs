//! `itglue-sync`: the Datto RMM → IT Glue sync from the command line. It parses arguments,
//! wires the vendor clients, the store and the `sync-engine` flow, and prints; every decision
//! is the engine's.
//!
//! ```text
//! export DATTO_API_URL=… DATTO_API_KEY=… DATTO_API_SECRET=… ITGLUE_API_KEY=…
//! itglue-sync connect
//! itglue-sync sync
//! itglue-sync orgs --unmatched
//! itglue-sync accept "Northwind - Hamburg"
//! itglue-sync create-configs "Northwind Logistics GmbH" --all
//! ```

mod context;
mod devices;
mod orgs;
mod settings;
mod sync;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use msp_sync_examples::args::{CompletionsArgs, DattoArgs, OutputArgs, StoreArgs, UserArgs};
use msp_sync_examples::datto_rate::DattoRateArgs;
use msp_sync_examples::exit::{self, CliError};

use context::{Context, ItGlueArgs, RoleArgs};

const LONG_ABOUT: &str = "\
Document Datto RMM devices in IT Glue: match each group of devices (a site, or the Autotask \
company its sites point to) to an IT Glue organization, and each device to a configuration — \
by MAC address, then serial number, with names only suggested — and create what is missing.

Start with `connect`, then `sync`. `orgs` lists the groups and their organizations (matched, \
suggested with scores, unmatched, ignored); `accept`, `match`, `change-match`, `create-org`, \
`ignore` and `unignore` act on them. `devices <org>` lists an organization's devices; \
`accept-device`, `accept-devices`, `match-device` and `create-configs` act on those. Each sync \
also brings matched configurations to their devices' data (only what differs; `sync --dry-run` \
shows it old → new and writes nothing). Every action takes \
--dry-run. Actions work on the last sync's report (kept in the store) without syncing again, and \
refresh only what they change in it; --refresh syncs \
first.

Credentials come from flags or, better, from the environment variables named below (flags \
show in process lists). They are never stored: the store keeps a fingerprint of them and \
whether they last worked. Plain HTTP is accepted only for loopback addresses (the fakes); \
certificates are always checked.";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "itglue-sync",
    version,
    about = "Match Datto RMM sites and devices to IT Glue organizations and configurations",
    long_about = LONG_ABOUT,
    after_help = exit::EXIT_CODES_HELP,
    propagate_version = true
)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    datto: DattoArgs,
    #[command(flatten)]
    datto_rate: DattoRateArgs,
    #[command(flatten)]
    itglue: ItGlueArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    user: UserArgs,
    #[command(flatten)]
    role: RoleArgs,
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Check both vendors' credentials and save the tenant (fingerprints only, never secrets).
    Connect,
    /// Sync now: match groups to organizations and devices to configurations, and bring every
    /// matched configuration to its device's data (a progress bar on a terminal). With
    /// --dry-run, show per configuration each attribute that would change (old → new) and
    /// write nothing to IT Glue.
    Sync(sync::SyncArgs),
    /// The groups and their organizations: matched, suggested (with scores), unmatched, ignored.
    Orgs(orgs::OrgsArgs),
    /// Match a group to one of its suggestions (the best one unless named).
    Accept(orgs::AcceptArgs),
    /// Match an unmatched group to an organization, or search organizations by name.
    Match(orgs::MatchArgs),
    /// Match an already matched group to another organization.
    ChangeMatch(orgs::ChangeMatchArgs),
    /// Create an IT Glue organization for a group and match it (refused when one with the same
    /// normalised name exists, unless --force).
    CreateOrg(orgs::CreateOrgArgs),
    /// Ignore a group: it no longer counts as unmatched.
    Ignore(orgs::GroupArgs),
    /// Take a group's ignore back.
    Unignore(orgs::GroupArgs),
    /// The devices of a matched organization and their configurations.
    Devices(devices::DevicesArgs),
    /// Match a device to one of its suggested configurations (the best one unless named).
    AcceptDevice(devices::AcceptDeviceArgs),
    /// Match a device to a configuration of its organization (its id or name), or search
    /// the organization's configurations by name.
    MatchDevice(devices::MatchDeviceArgs),
    /// Accept the best suggested configuration of every device of an organization.
    AcceptDevices(devices::AcceptDevicesArgs),
    /// Create IT Glue configurations for unmatched devices of an organization (one bulk call).
    CreateConfigs(devices::CreateConfigsArgs),
    /// The last runs (Syncing…, OK, Failed: reason) with their counts, and the credentials'
    /// status.
    Status(sync::StatusArgs),
    /// Show or change the tenant's settings: grouping, placeholder serials, shared MAC
    /// addresses, name aliases, the create cap.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
}

async fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Completions(args) = &cli.command {
        args.print::<Cli>("itglue-sync");
        return Ok(());
    }
    let ctx = Context::new(&cli).await?;
    match &cli.command {
        Command::Completions(_) => Ok(()),
        Command::Connect => sync::connect(&ctx).await,
        Command::Sync(args) => sync::sync(&ctx, args).await,
        Command::Orgs(args) => orgs::list(&ctx, args).await,
        Command::Accept(args) => orgs::accept(&ctx, args).await,
        Command::Match(args) => orgs::match_to(&ctx, args).await,
        Command::ChangeMatch(args) => orgs::change_match(&ctx, args).await,
        Command::CreateOrg(args) => orgs::create(&ctx, args).await,
        Command::Ignore(args) => orgs::ignore(&ctx, args, true).await,
        Command::Unignore(args) => orgs::ignore(&ctx, args, false).await,
        Command::Devices(args) => devices::list(&ctx, args).await,
        Command::AcceptDevice(args) => devices::accept(&ctx, args).await,
        Command::MatchDevice(args) => devices::match_to(&ctx, args).await,
        Command::AcceptDevices(args) => devices::accept_all(&ctx, args).await,
        Command::CreateConfigs(args) => devices::create(&ctx, args).await,
        Command::Status(args) => sync::status(&ctx, args).await,
        Command::Settings(command) => settings::run(&ctx, command).await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    msp_sync_examples::logging::init("warn");
    exit::block_on("itglue-sync", run(cli))
}
