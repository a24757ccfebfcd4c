//! `settings show` and `settings set`.

use clap::{Args, Subcommand};
use msp_sync_examples::args::named;
use msp_sync_examples::exit::CliError;
use sync_engine::gravityzone::{
    EVENT_HANDLINGS, PACKAGE_MODULES, PREFIX_CREATIONS, SYNC_LEVELS, SettingsChange, settings_lines,
};

use crate::context::{Context, engine_error};

/// `settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print the tenant's settings.
    Show,
    /// Change some of the tenant's settings (the others stay as they are).
    Set(SetArgs),
}

/// `settings set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The synchronization level: monitor-and-report (report events, never act),
    /// monitor-and-handle (act on events when handling is automatic) or automatic (also match
    /// and create companies for every unassociated managed site).
    #[arg(long, value_parser = named(&SYNC_LEVELS))]
    pub level: Option<sync_core::gravityzone::SyncLevel>,
    /// How events are handled: automatic (the sync runs each event's primary action where the
    /// level allows) or manual (events wait for `resolve`).
    #[arg(long, value_parser = named(&EVENT_HANDLINGS))]
    pub handling: Option<sync_core::gravityzone::EventHandling>,
    /// The prefix text (one blank separates it from the name).
    #[arg(long, value_name = "TEXT")]
    pub prefix: Option<String>,
    /// When new companies get the prefix: never, always ("<prefix> <site name>") or
    /// only-if-name-exists (when a company of the site's name exists).
    #[arg(long, value_name = "WHEN", value_parser = named(&PREFIX_CREATIONS))]
    pub prefix_creation: Option<sync_core::gravityzone::PrefixCreation>,
    /// Whether a free company named "<prefix> <site name>" is associated.
    #[arg(long, value_name = "BOOL")]
    pub prefix_association: Option<bool>,
    /// Turn modules or add-ons of the default package on (repeatable).
    #[arg(long, value_name = "MODULE", value_parser = named(&PACKAGE_MODULES))]
    pub enable: Vec<sync_engine::gravityzone::PackageModule>,
    /// Turn modules or add-ons of the default package off (repeatable).
    #[arg(long, value_name = "MODULE", value_parser = named(&PACKAGE_MODULES))]
    pub disable: Vec<sync_engine::gravityzone::PackageModule>,
    /// Whether the package removes competitors' products.
    #[arg(long, value_name = "BOOL")]
    pub remove_competitors: Option<bool>,
}

impl SetArgs {
    fn change(&self) -> SettingsChange {
        let mut change = SettingsChange::default();
        change.level = self.level;
        change.handling = self.handling;
        change.prefix.clone_from(&self.prefix);
        change.prefix_creation = self.prefix_creation;
        change.prefix_association = self.prefix_association;
        change.enable.clone_from(&self.enable);
        change.disable.clone_from(&self.disable);
        change.remove_competitors = self.remove_competitors;
        change
    }
}

/// `settings show|set`.
pub async fn run(ctx: &Context, command: &SettingsCommand) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    let settings = match command {
        SettingsCommand::Show => ctx.sync.settings(&tenant).await,
        SettingsCommand::Set(args) => ctx.sync.change_settings(&tenant, &args.change()).await,
    }
    .map_err(engine_error)?;
    let lines = settings_lines(&settings).into_iter();
    let lines: Vec<String> = lines
        .map(|(label, value)| format!("{:<21}{value}", format!("{label}:")))
        .collect();
    ctx.out.print(&settings, &lines)
}
