//! The devices of a matched organization: `devices`, `accept-device`, `match-device`,
//! `create-configs`.

use std::collections::BTreeMap;

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::itglue_text;
use msp_sync_examples::output::{Table, percent, print_json, print_table};
use serde_json::json;
use sync_core::itglue::{
    Configuration, ConfigurationId, ConfigurationOutcome, DeviceUid, Suggestion,
};
use sync_engine::itglue::{ItGlueError, ItGluePort, OrganizationView, SyncReport};
use sync_engine::lookup::LookupError;

use crate::context::{Context, Wired, flow_error};
use crate::orgs::{ActionArgs, print_outcome};

/// `devices`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// The matched organization (id or exact name).
    #[arg(value_name = "ORG")]
    pub organization: String,
    /// Only the devices without a configuration.
    #[arg(long)]
    pub unmatched: bool,
    /// Sync first instead of showing the last sync's report.
    #[arg(long)]
    pub refresh: bool,
}

/// `accept-device`.
#[derive(Debug, Args)]
pub struct AcceptDeviceArgs {
    /// The device uid.
    #[arg(value_name = "DEVICE")]
    pub device: String,
    /// The suggested configuration id; default: the best suggestion.
    #[arg(value_name = "CONFIGURATION")]
    pub configuration: Option<u64>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `match-device`.
#[derive(Debug, Args)]
pub struct MatchDeviceArgs {
    /// The device uid.
    #[arg(value_name = "DEVICE")]
    pub device: String,
    /// The configuration of the device's organization: its id, or its name or hostname (when
    /// exactly one configuration has it, case aside).
    #[arg(value_name = "CONFIGURATION", required_unless_present = "search")]
    pub configuration: Option<String>,
    /// List the configurations of the device's organization whose name or hostname come
    /// closest to this text instead of matching.
    #[arg(long, value_name = "TEXT", conflicts_with = "configuration")]
    pub search: Option<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `accept-devices`.
#[derive(Debug, Args)]
pub struct AcceptDevicesArgs {
    /// The matched organization (id or exact name).
    #[arg(value_name = "ORG")]
    pub organization: String,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `create-configs`.
#[derive(Debug, Args)]
pub struct CreateConfigsArgs {
    /// The matched organization (id or exact name).
    #[arg(value_name = "ORG")]
    pub organization: String,
    /// Every device of the organization that has neither a configuration nor a suggestion.
    #[arg(long, conflicts_with = "devices", required_unless_present = "devices")]
    pub all: bool,
    /// The devices (uids).
    #[arg(value_name = "DEVICE")]
    pub devices: Vec<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

async fn organization_view<'a>(
    wired: &Wired,
    report: &'a SyncReport,
    reference: &str,
) -> Result<&'a OrganizationView, CliError> {
    match wired
        .flow
        .find_matched_organization(report, reference)
        .await
    {
        Ok(view) => Ok(view),
        Err(ItGlueError::Lookup(LookupError::NotFound { .. })) => Err(CliError::usage(format!(
            "organization {reference:?} is matched to no group (see `orgs --matched`)"
        ))),
        Err(other) => Err(flow_error(other)),
    }
}

fn outcome_text(
    outcome: &ConfigurationOutcome,
    names: &BTreeMap<ConfigurationId, String>,
) -> String {
    let label = |id: &ConfigurationId| match names.get(id) {
        Some(name) => format!("{name} (#{id})"),
        None => format!("#{id}"),
    };
    match outcome {
        ConfigurationOutcome::Stored {
            configuration,
            configuration_exists,
        } => format!(
            "{}{}",
            label(configuration),
            if *configuration_exists {
                ""
            } else {
                " — gone from IT Glue"
            }
        ),
        ConfigurationOutcome::Matched {
            configuration,
            reason,
        } => format!(
            "{} — {}",
            label(configuration),
            itglue_text::reason(*reason)
        ),
        ConfigurationOutcome::Suggested { suggestions } => suggestions
            .iter()
            .map(|s| {
                format!(
                    "{} {} ({})",
                    label(&s.candidate),
                    percent(s.score),
                    itglue_text::reason(s.reason)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

/// `devices`.
pub async fn list(ctx: &Context, args: &DevicesArgs) -> Result<(), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx
        .report(&wired, args.refresh)
        .await?
        .visible_to(&ctx.actor);
    let view = organization_view(&wired, &report, &args.organization).await?;
    let devices: Vec<_> = view
        .devices
        .iter()
        .filter(|d| !args.unmatched || itglue_text::configuration_state(&d.outcome) == "unmatched")
        .collect();
    if ctx.json {
        return print_json(&json!({
            "organization": view.organization.id.0,
            "name": view.organization.name,
            "configurations": view.configurations,
            "devices": devices.iter().map(|d| json!({
                "device": d.device.uid.to_string(),
                "hostname": d.device.hostname,
                "state": itglue_text::configuration_state(&d.outcome),
                "outcome": d.outcome,
            })).collect::<Vec<_>>(),
        }));
    }
    let configurations = wired
        .docs
        .configurations(view.organization.id)
        .await
        .map_err(|e| CliError::vendor(e.to_string()))?;
    let names: BTreeMap<ConfigurationId, String> =
        configurations.into_iter().map(|c| (c.id, c.name)).collect();
    println!(
        "{} (#{}): {} device(s), {} configuration(s) in IT Glue.",
        view.organization.name,
        view.organization.id,
        view.devices.len(),
        view.configurations
    );
    let mut table = Table::new(["DEVICE", "HOSTNAME", "STATE", "CONFIGURATION / SUGGESTIONS"]);
    for d in devices {
        table.row([
            d.device.uid.to_string(),
            d.device.hostname.clone(),
            itglue_text::configuration_state(&d.outcome).to_owned(),
            outcome_text(&d.outcome, &names),
        ]);
    }
    print_table(&table, "No devices to show.");
    Ok(())
}

/// `accept-device`.
pub async fn accept(ctx: &Context, args: &AcceptDeviceArgs) -> Result<(), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx.report(&wired, args.action.refresh).await?;
    let device = DeviceUid::new(args.device.trim());
    let configuration = match args.configuration {
        Some(id) => ConfigurationId(id),
        None => match report.device(&device).map(|(_, d)| &d.outcome) {
            Some(ConfigurationOutcome::Suggested { suggestions }) => suggestions
                .first()
                .map(|s| s.candidate)
                .ok_or_else(|| CliError::usage("the device has no suggestion"))?,
            Some(_) => {
                return Err(CliError::usage(format!(
                    "device {} has no suggestions to accept",
                    args.device
                )));
            }
            None => {
                return Err(CliError::usage(format!(
                    "device {} is not a device of a matched organization",
                    args.device
                )));
            }
        },
    };
    let outcome = wired
        .flow
        .accept_configuration_suggestion(
            &ctx.actor,
            &report,
            &device,
            configuration,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}

/// How many configurations a search lists.
const SEARCH_LIMIT: usize = 10;

fn print_found(
    ctx: &Context,
    found: &[Suggestion<Configuration>],
    empty: &str,
) -> Result<(), CliError> {
    if ctx.json {
        return print_json(
            &found
                .iter()
                .map(|s| {
                    json!({
                        "configuration": s.candidate.id.0,
                        "name": s.candidate.name,
                        "hostname": s.candidate.hostname,
                        "score": s.score,
                    })
                })
                .collect::<Vec<_>>(),
        );
    }
    let mut table = Table::new(["ID", "CONFIGURATION", "HOSTNAME", "SCORE"]);
    for s in found {
        table.row([
            s.candidate.id.to_string(),
            s.candidate.name.clone(),
            s.candidate.hostname.clone().unwrap_or_default(),
            percent(s.score),
        ]);
    }
    print_table(&table, empty);
    Ok(())
}

/// `match-device`.
pub async fn match_to(ctx: &Context, args: &MatchDeviceArgs) -> Result<(), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx.report(&wired, args.action.refresh).await?;
    let device = DeviceUid::new(args.device.trim());
    if let Some(text) = &args.search {
        let found = wired
            .flow
            .search_configurations(&ctx.actor, &report, &device, text, SEARCH_LIMIT)
            .await
            .map_err(flow_error)?;
        return print_found(ctx, &found, "No configuration comes close.");
    }
    let reference = args.configuration.as_deref().unwrap_or_default();
    let configuration = wired
        .flow
        .find_configuration(&ctx.actor, &report, &device, reference)
        .await
        .map_err(flow_error)?;
    let outcome = wired
        .flow
        .match_configuration(
            &ctx.actor,
            &report,
            &device,
            configuration,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}

/// `accept-devices`.
pub async fn accept_all(ctx: &Context, args: &AcceptDevicesArgs) -> Result<(), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx.report(&wired, args.action.refresh).await?;
    let view = organization_view(&wired, &report, &args.organization).await?;
    let (outcome, left_out) = wired
        .flow
        .accept_configuration_suggestions(
            &ctx.actor,
            &report,
            view.organization.id,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    if ctx.json {
        return print_json(&json!({ "outcome": outcome, "left_out": left_out }));
    }
    if outcome.steps.is_empty() && left_out.is_empty() {
        println!(
            "No device of {} has a suggested configuration to accept.",
            view.organization.name
        );
        return Ok(());
    }
    print_outcome(ctx, &outcome, &report)?;
    for left in &left_out {
        println!("  left out: device {} — {}", left.device, left.reason);
    }
    Ok(())
}

/// `create-configs`.
pub async fn create(ctx: &Context, args: &CreateConfigsArgs) -> Result<(), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx.report(&wired, args.action.refresh).await?;
    let view = organization_view(&wired, &report, &args.organization).await?;
    let devices: Vec<DeviceUid> = if args.all {
        // The stored report may predate a match an interrupted run stored (killed between
        // storing the match and refreshing the report): the store's matches win.
        let state = ctx
            .store
            .state(wired.flow.tenant())
            .await
            .map_err(|e| CliError::failure(e.to_string()))?;
        view.devices
            .iter()
            .filter(|d| matches!(d.outcome, ConfigurationOutcome::Unmatched))
            .filter(|d| {
                !state
                    .itglue
                    .device_matches
                    .iter()
                    .any(|m| m.device == d.device.uid)
            })
            .map(|d| d.device.uid.clone())
            .collect()
    } else {
        args.devices
            .iter()
            .map(|d| DeviceUid::new(d.trim()))
            .collect()
    };
    if devices.is_empty() {
        println!(
            "Every device of {} has a configuration or a suggestion.",
            view.organization.name
        );
        return Ok(());
    }
    let outcome = wired
        .flow
        .create_configurations(&ctx.actor, &report, &devices, args.action.mode())
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}
