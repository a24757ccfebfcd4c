//! `settings show` and `settings set`: the tenant's IT Glue flow settings.

use clap::{Args, Subcommand};
use msp_sync_examples::args::named;
use msp_sync_examples::exit::CliError;
use sync_core::itglue::GroupingMode;
use sync_engine::itglue::{GROUPINGS, SettingsChange, parse_alias, settings_lines};
use sync_store::NameAlias;

use crate::context::{Context, flow_error};

/// `settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print the tenant's settings.
    Show,
    /// Change some of the tenant's settings (the others stay as they are; administrators only).
    Set(SetArgs),
}

/// `settings set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// How sites form groups (takes effect at the next sync): site (every site is a group) or
    /// autotask-company (the sites pointing to one Autotask company form one group).
    #[arg(long, value_parser = named(&GROUPINGS))]
    pub grouping: Option<GroupingMode>,
    /// A serial number that identifies no machine (repeatable).
    #[arg(long, value_name = "SERIAL")]
    pub add_placeholder_serial: Vec<String>,
    /// Take a serial number off the tenant's placeholder list (repeatable).
    #[arg(long, value_name = "SERIAL")]
    pub remove_placeholder_serial: Vec<String>,
    /// A MAC address many machines share (repeatable).
    #[arg(long, value_name = "MAC")]
    pub add_shared_mac: Vec<String>,
    /// Take a MAC address off the tenant's shared list (repeatable).
    #[arg(long, value_name = "MAC")]
    pub remove_shared_mac: Vec<String>,
    /// Two names of one company, as `NAME=OTHER NAME` (repeatable).
    #[arg(long, value_name = "NAME=OTHER", value_parser = parse_alias)]
    pub add_alias: Vec<NameAlias>,
    /// The most organizations or configurations one action creates.
    #[arg(long, value_name = "N")]
    pub create_cap: Option<u32>,
    /// Minutes between two routine syncs by the scheduler (`worker`): from 15 to 10080 (one
    /// week); 240 (every four hours) until set.
    #[arg(long, value_name = "MINUTES")]
    pub sync_interval_minutes: Option<u32>,
}

impl SetArgs {
    /// The change the arguments ask for.
    fn change(&self) -> SettingsChange {
        let mut change = SettingsChange::default();
        change.grouping = self.grouping;
        change.add_placeholder_serials = self.add_placeholder_serial.clone();
        change.remove_placeholder_serials = self.remove_placeholder_serial.clone();
        change.add_shared_macs = self.add_shared_mac.clone();
        change.remove_shared_macs = self.remove_shared_mac.clone();
        change.add_aliases = self.add_alias.clone();
        change.create_cap = self.create_cap;
        change.sync_interval_minutes = self.sync_interval_minutes;
        change
    }
}

/// `settings show|set`.
pub async fn run(ctx: &Context, command: &SettingsCommand) -> Result<(), CliError> {
    let settings = match command {
        SettingsCommand::Show => ctx.flow.settings().await,
        SettingsCommand::Set(args) => ctx.flow.change_settings(&ctx.actor, &args.change()).await,
    }
    .map_err(flow_error)?;
    ctx.out.print(&settings, &settings_lines(&settings))
}
