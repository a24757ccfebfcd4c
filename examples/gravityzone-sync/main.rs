//! `gravityzone-sync`: the Datto RMM ↔ GravityZone sync from the command line. It parses
//! arguments, wires the vendor clients, the store and the `sync-engine` workflow, and prints;
//! every decision is the engine's.
//!
//! ```text
//! export DATTO_API_URL=… DATTO_API_KEY=… DATTO_API_SECRET=…
//! export GRAVITYZONE_ACCESS_URL=… GRAVITYZONE_API_KEY=…
//! gravityzone-sync connect
//! gravityzone-sync companies
//! gravityzone-sync map-new "Northwind - Hamburg" --yes
//! gravityzone-sync sync --dry-run
//! gravityzone-sync run --every 1h
//! ```

mod companies;
mod context;
mod events;
mod settings;
mod sync;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use msp_sync_examples::args::{CompletionsArgs, DattoArgs, OutputArgs, StoreArgs, UserArgs};
use msp_sync_examples::exit::{self, CliError};

use context::{Context, GravityZoneArgs};
use sync_engine::gravityzone::{ChangeRequest, TenantSummary};

const ABOUT: &str = "Keep every managed Datto RMM site paired with a GravityZone company";

const LONG_ABOUT: &str = "\
Keep every managed Datto RMM site paired with a GravityZone company under your partner \
company, with an installation package whose link is written to the site variable \
GravityZonePackageLink, and report (or handle) what drifts apart.

Start with `connect`, look at `companies`, pair sites with `map`, `map-new` or `exclude`, then \
`sync` (once) or `run --every 1h` (the scheduler). Open events are listed by `events` and \
resolved with `resolve`.

Credentials come from flags or, better, from the environment variables named below (flags \
show in process lists). They are never stored: the store keeps a fingerprint of them and \
whether they last worked. Plain HTTP is accepted only for loopback addresses (the fakes); \
certificates are always checked.";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "gravityzone-sync",
    version,
    about = ABOUT,
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
    gravityzone: GravityZoneArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    user: UserArgs,
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
    /// The companies page: every managed site with its company or exclusion, and the free
    /// companies under your partner company.
    Companies,
    /// Associate a site with an existing free company.
    Map(companies::MapArgs),
    /// Create a new company for each site (named by the prefix settings) and associate it.
    /// Refused when a company of that name exists.
    MapNew(companies::SitesArgs),
    /// Exclude sites from the automatic sync (deleting their association, if any).
    Exclude(companies::SitesArgs),
    /// Delete sites' associations (optionally removing the package, link or company too).
    Unmap(companies::UnmapArgs),
    /// The associations with how and when each was made, and their installation links.
    Associations,
    /// Run one inventory sync pass now.
    Sync(sync::SyncArgs),
    /// Run the inventory sync every interval until Ctrl-C or SIGTERM (the scheduler).
    Run(sync::RunArgs),
    /// The open events, with the actions that resolve each (primary first).
    Events(events::EventsArgs),
    /// Resolve an open event with one of its actions.
    Resolve(events::ResolveArgs),
    /// Hide an open event until the next pass finds it again.
    Ignore(events::IgnoreArgs),
    /// Show or change the tenant's settings.
    #[command(subcommand)]
    Settings(settings::SettingsCommand),
    /// Delete all of this tenant's data in the store (settings included); the vendors'
    /// companies, packages and variables are left as they are.
    ResetTenant(ResetArgs),
}

/// `reset-tenant`.
#[derive(Debug, clap::Args)]
struct ResetArgs {
    /// Confirm: the tenant's associations, exclusions, events and settings are deleted.
    #[arg(long)]
    yes: bool,
}

async fn run(cli: Cli) -> Result<(), CliError> {
    if let Command::Completions(args) = &cli.command {
        args.print::<Cli>("gravityzone-sync");
        return Ok(());
    }
    let ctx = Context::new(&cli).await?;
    match &cli.command {
        Command::Completions(_) => Ok(()),
        Command::Connect => sync::connect(&ctx).await,
        Command::Companies => companies::show(&ctx).await,
        Command::Map(args) => companies::map(&ctx, args).await,
        Command::MapNew(args) => {
            companies::each_site(&ctx, args, |s| ChangeRequest::create_company(s)).await
        }
        Command::Exclude(args) => {
            companies::each_site(&ctx, args, |s| ChangeRequest::exclude(s)).await
        }
        Command::Unmap(args) => companies::unmap(&ctx, args).await,
        Command::Associations => companies::associations(&ctx).await,
        Command::Sync(args) => sync::sync(&ctx, args).await,
        Command::Run(args) => sync::run(&ctx, args).await,
        Command::Events(args) => events::list(&ctx, args).await,
        Command::Resolve(args) => events::resolve(&ctx, args).await,
        Command::Ignore(args) => events::ignore(&ctx, args).await,
        Command::Settings(command) => settings::run(&ctx, command).await,
        Command::ResetTenant(args) => reset(&ctx, args).await,
    }
}

async fn reset(ctx: &Context, args: &ResetArgs) -> Result<(), CliError> {
    if !args.yes {
        let refused = "reset-tenant deletes all of the tenant's data: pass --yes to confirm";
        return Err(CliError::usage(refused));
    }
    let tenant = ctx.tenant().await?;
    let reset = ctx.sync.reset_tenant(&tenant).await;
    reset.map_err(context::engine_error)?;
    let line = format!(
        "Tenant {tenant} reset: its settings, associations, exclusions and events are gone."
    );
    ctx.out.print(&TenantSummary::from(&tenant), &[line])
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The scheduler reports each pass in the log; one-shot commands print their own results.
    let default_log = if matches!(cli.command, Command::Run(_)) {
        "warn,sync_engine=info"
    } else {
        "warn"
    };
    msp_sync_examples::logging::init(default_log);
    exit::block_on("gravityzone-sync", run(cli))
}
