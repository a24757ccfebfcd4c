//! `settings show` and `settings set`.

use clap::{Args, Subcommand, ValueEnum};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::print_json;
use sync_core::gravityzone::{EventHandling, PrefixCreation, Settings, SyncLevel};

use crate::context::{Context, engine_error};

/// `settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print the tenant's settings.
    Show,
    /// Change some of the tenant's settings (the others stay as they are).
    Set(SetArgs),
}

/// The synchronization level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Watch associated sites and companies, report events, never act.
    MonitorAndReport,
    /// Watch associated sites and companies, act on events when handling is automatic.
    MonitorAndHandle,
    /// Also match and create companies for every unassociated managed site.
    Automatic,
}

/// How events are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Handling {
    /// The sync runs each event's primary action itself (where the level allows).
    Automatic,
    /// Events wait for `resolve`.
    Manual,
}

/// When the prefix is used for new company names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrefixUse {
    /// Never.
    Never,
    /// Always: "<prefix> <site name>".
    Always,
    /// Only when a company of the site's name exists.
    OnlyIfNameExists,
}

/// A module or add-on of the default installation package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Module {
    /// Advanced Anti-Exploit.
    AdvancedAntiExploit,
    /// Advanced Threat Control.
    AdvancedThreatControl,
    /// Device Control.
    DeviceControl,
    /// Firewall.
    Firewall,
    /// Content Control.
    ContentControl,
    /// Network Attack Defense.
    NetworkAttackDefense,
    /// Power User.
    PowerUser,
    /// EDR sensor (add-on).
    EdrSensor,
    /// Patch Management (add-on).
    PatchManagement,
    /// Exchange Protection (add-on).
    ExchangeProtection,
    /// Full Disk Encryption (add-on).
    FullDiskEncryption,
}

/// `settings set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The synchronization level.
    #[arg(long, value_enum)]
    pub level: Option<Level>,
    /// How events are handled.
    #[arg(long, value_enum)]
    pub handling: Option<Handling>,
    /// The prefix text (one blank separates it from the name).
    #[arg(long, value_name = "TEXT")]
    pub prefix: Option<String>,
    /// When new companies get the prefix.
    #[arg(long, value_enum, value_name = "WHEN")]
    pub prefix_creation: Option<PrefixUse>,
    /// Whether a free company named "<prefix> <site name>" is associated.
    #[arg(long, value_name = "BOOL")]
    pub prefix_association: Option<bool>,
    /// Turn modules or add-ons of the default package on (repeatable).
    #[arg(long, value_enum, value_name = "MODULE")]
    pub enable: Vec<Module>,
    /// Turn modules or add-ons of the default package off (repeatable).
    #[arg(long, value_enum, value_name = "MODULE")]
    pub disable: Vec<Module>,
    /// Whether the package removes competitors' products.
    #[arg(long, value_name = "BOOL")]
    pub remove_competitors: Option<bool>,
}

fn set_module(settings: &mut Settings, module: Module, on: bool) {
    let m = &mut settings.package.modules;
    let a = &mut settings.package.add_ons;
    let slot = match module {
        Module::AdvancedAntiExploit => &mut m.advanced_anti_exploit,
        Module::AdvancedThreatControl => &mut m.advanced_threat_control,
        Module::DeviceControl => &mut m.device_control,
        Module::Firewall => &mut m.firewall,
        Module::ContentControl => &mut m.content_control,
        Module::NetworkAttackDefense => &mut m.network_attack_defense,
        Module::PowerUser => &mut m.power_user,
        Module::EdrSensor => &mut a.edr_sensor,
        Module::PatchManagement => &mut a.patch_management,
        Module::ExchangeProtection => &mut a.exchange_protection,
        Module::FullDiskEncryption => &mut a.full_disk_encryption,
    };
    *slot = on;
}

/// The settings with the changes `args` asks for.
pub fn apply_args(mut settings: Settings, args: &SetArgs) -> Settings {
    if let Some(level) = args.level {
        settings.level = match level {
            Level::MonitorAndReport => SyncLevel::MonitorAndReportSynchronized,
            Level::MonitorAndHandle => SyncLevel::MonitorAndHandleSynchronized,
            Level::Automatic => SyncLevel::AutomaticInventorySync,
        };
    }
    if let Some(handling) = args.handling {
        settings.handling = match handling {
            Handling::Automatic => EventHandling::Automatic,
            Handling::Manual => EventHandling::Manual,
        };
    }
    if let Some(prefix) = &args.prefix {
        settings.prefix.text = prefix.clone();
    }
    if let Some(creation) = args.prefix_creation {
        settings.prefix.use_for_creation = match creation {
            PrefixUse::Never => PrefixCreation::Never,
            PrefixUse::Always => PrefixCreation::Always,
            PrefixUse::OnlyIfNameExists => PrefixCreation::OnlyIfNameExists,
        };
    }
    if let Some(association) = args.prefix_association {
        settings.prefix.use_for_association = association;
    }
    for module in &args.enable {
        set_module(&mut settings, *module, true);
    }
    for module in &args.disable {
        set_module(&mut settings, *module, false);
    }
    if let Some(remove) = args.remove_competitors {
        settings.package.remove_competitors = remove;
    }
    settings
}

fn print_settings(settings: &Settings) {
    let value = serde_json::to_value(settings).unwrap_or_default();
    let text = |v: &serde_json::Value| v.as_str().map(|s| s.replace('_', " ")).unwrap_or_default();
    println!("level:               {}", text(&value["level"]));
    println!("event handling:      {}", text(&value["handling"]));
    let prefix = if settings.prefix.text.is_empty() {
        "(none)".to_owned()
    } else {
        format!("{:?}", settings.prefix.text)
    };
    println!("prefix:              {prefix}");
    println!(
        "prefix for creation: {}",
        text(&value["prefix"]["use_for_creation"])
    );
    println!(
        "prefix for matching: {}",
        settings.prefix.use_for_association
    );
    let on = |section: &serde_json::Value| -> Vec<String> {
        section
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .filter(|(_, v)| v.as_bool() == Some(true))
                    .map(|(k, _)| k.replace('_', "-"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut modules = vec!["antimalware".to_owned()];
    modules.extend(on(&value["package"]["modules"]));
    println!("package modules:     {}", modules.join(", "));
    let add_ons = on(&value["package"]["add_ons"]);
    println!(
        "package add-ons:     {}",
        if add_ons.is_empty() {
            "(none)".to_owned()
        } else {
            add_ons.join(", ")
        }
    );
    println!(
        "remove competitors:  {}",
        settings.package.remove_competitors
    );
}

/// `settings show|set`.
pub async fn run(ctx: &Context, command: &SettingsCommand) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    let current = ctx.sync.settings(&tenant).await.map_err(engine_error)?;
    let settings = match command {
        SettingsCommand::Show => current,
        SettingsCommand::Set(args) => {
            let changed = apply_args(current, args);
            ctx.sync
                .update_settings(&tenant, &changed)
                .await
                .map_err(engine_error)?;
            changed
        }
    };
    if ctx.json {
        print_json(&settings)
    } else {
        print_settings(&settings);
        Ok(())
    }
}
