//! `settings show` and `settings set`: the tenant's IT Glue flow settings.

use clap::{Args, Subcommand, ValueEnum};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::print_json;
use sync_core::itglue::GroupingMode;
use sync_store::{ItGlueSettings, NameAlias};

use crate::context::{Context, flow_error};

/// `settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print the tenant's settings.
    Show,
    /// Change some of the tenant's settings (the others stay as they are; administrators only).
    Set(SetArgs),
}

/// How sites form groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Grouping {
    /// Every site is a group, matched by the site's name.
    Site,
    /// Sites pointing to one Autotask company form one group, matched by the company's name.
    AutotaskCompany,
}

/// `settings set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// How sites form groups (takes effect at the next sync).
    #[arg(long, value_enum)]
    pub grouping: Option<Grouping>,
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

/// Parses `NAME=OTHER NAME`.
fn parse_alias(text: &str) -> Result<NameAlias, String> {
    match text.split_once('=') {
        Some((name, other)) if !name.trim().is_empty() && !other.trim().is_empty() => {
            Ok(NameAlias {
                name: name.trim().to_owned(),
                same_as: other.trim().to_owned(),
            })
        }
        _ => Err(format!("{text:?} is not NAME=OTHER NAME")),
    }
}

fn changed(mut settings: ItGlueSettings, args: &SetArgs) -> ItGlueSettings {
    if let Some(grouping) = args.grouping {
        settings.grouping = match grouping {
            Grouping::Site => GroupingMode::Site,
            Grouping::AutotaskCompany => GroupingMode::AutotaskCompany,
        };
    }
    let policy = &mut settings.identifiers;
    policy
        .placeholder_serials
        .retain(|s| !args.remove_placeholder_serial.contains(s));
    for serial in &args.add_placeholder_serial {
        if !policy.placeholder_serials.contains(serial) {
            policy.placeholder_serials.push(serial.clone());
        }
    }
    policy
        .shared_mac_addresses
        .retain(|m| !args.remove_shared_mac.contains(m));
    for mac in &args.add_shared_mac {
        if !policy.shared_mac_addresses.contains(mac) {
            policy.shared_mac_addresses.push(mac.clone());
        }
    }
    for alias in &args.add_alias {
        if !settings.aliases.contains(alias) {
            settings.aliases.push(alias.clone());
        }
    }
    if let Some(cap) = args.create_cap {
        settings.create_cap = cap;
    }
    if let Some(minutes) = args.sync_interval_minutes {
        settings.sync_interval_minutes = minutes;
    }
    settings
}

fn print_settings(settings: &ItGlueSettings) {
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_owned()
        } else {
            items
                .iter()
                .map(|i| format!("{i:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let grouping = match settings.grouping {
        GroupingMode::AutotaskCompany => "by Autotask company",
        _ => "each site",
    };
    println!("groups:               {grouping}");
    println!(
        "placeholder serials:  {} (besides the built-in ones)",
        list(&settings.identifiers.placeholder_serials)
    );
    println!(
        "shared MAC addresses: {} (besides the built-in ones)",
        list(&settings.identifiers.shared_mac_addresses)
    );
    let aliases: Vec<String> = settings
        .aliases
        .iter()
        .map(|a| format!("{} = {}", a.name, a.same_as))
        .collect();
    println!(
        "aliases:              {}",
        if aliases.is_empty() {
            "(none)".to_owned()
        } else {
            aliases.join("; ")
        }
    );
    println!("create cap:           {} per action", settings.create_cap);
    println!(
        "sync interval:        every {} minutes (the worker's routine sync)",
        settings.sync_interval_minutes
    );
}

/// `settings show|set`.
pub async fn run(ctx: &Context, command: &SettingsCommand) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let current = flow.settings().await.map_err(flow_error)?;
    let settings = match command {
        SettingsCommand::Show => current,
        SettingsCommand::Set(args) => {
            let new = changed(current, args);
            flow.update_settings(&ctx.actor, new.clone())
                .await
                .map_err(flow_error)?;
            new
        }
    };
    if ctx.json {
        print_json(&settings)
    } else {
        print_settings(&settings);
        Ok(())
    }
}
