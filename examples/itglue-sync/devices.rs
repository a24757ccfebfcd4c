//! The devices of a matched organization: `devices`, `accept-device`, `match-device`,
//! `create-configs`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{Table, percent, print_json, print_table};
use sync_core::itglue::{Configuration, ConfigurationId, DeviceUid, Suggestion};
use sync_engine::itglue::{
    FoundConfiguration, ItGlueError, ItGlueFlow, OrganizationDevices, OrganizationView, SyncReport,
};
use sync_engine::lookup::LookupError;

use crate::context::{Context, flow_error};
use crate::orgs::ActionArgs;

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
    flow: &ItGlueFlow,
    report: &'a SyncReport,
    reference: &str,
) -> Result<&'a OrganizationView, CliError> {
    match flow.find_matched_organization(report, reference).await {
        Ok(view) => Ok(view),
        Err(ItGlueError::Lookup(LookupError::NotFound { .. })) => Err(CliError::usage(format!(
            "organization {reference:?} is matched to no group (see `orgs --matched`)"
        ))),
        Err(other) => Err(flow_error(other)),
    }
}

/// `devices`.
pub async fn list(ctx: &Context, args: &DevicesArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx
        .report(&flow, args.refresh)
        .await?
        .visible_to(&ctx.actor);
    let view = organization_view(&flow, &report, &args.organization).await?;
    let listed = OrganizationDevices::new(view, args.unmatched);
    if ctx.json {
        return print_json(&listed);
    }
    let names = flow
        .configuration_names(listed.organization)
        .await
        .map_err(flow_error)?;
    println!(
        "{} (#{}): {} device(s), {} configuration(s) in IT Glue.",
        listed.name,
        listed.organization,
        view.devices.len(),
        listed.configurations
    );
    let mut table = Table::new(["DEVICE", "HOSTNAME", "STATE", "CONFIGURATION / SUGGESTIONS"]);
    for d in &listed.devices {
        let text = d.describe(&names);
        table.row([
            d.device.clone(),
            d.hostname.clone(),
            d.state.to_string(),
            text,
        ]);
    }
    print_table(&table, "No devices to show.");
    Ok(())
}

/// `accept-device`.
pub async fn accept(ctx: &Context, args: &AcceptDeviceArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx.report(&flow, args.action.refresh).await?;
    let device = DeviceUid::new(args.device.trim());
    let configuration = match args.configuration {
        Some(id) => ConfigurationId(id),
        None => match report.device(&device) {
            Some((_, view)) => view.best_suggestion().ok_or_else(|| {
                let host = &view.device.hostname;
                CliError::usage(format!("device {host} has no suggestion to accept"))
            })?,
            None => return Err(flow_error(ItGlueError::UnknownDevice { device })),
        },
    };
    let mode = args.action.mode();
    let outcome =
        flow.accept_configuration_suggestion(&ctx.actor, &report, &device, configuration, mode);
    ctx.finish(&flow, outcome.await).await
}

/// How many configurations a search lists.
const SEARCH_LIMIT: usize = 10;

fn print_found(ctx: &Context, found: &[Suggestion<Configuration>]) -> Result<(), CliError> {
    if ctx.json {
        return print_json(
            &found
                .iter()
                .map(FoundConfiguration::from)
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
    print_table(&table, "No configuration comes close.");
    Ok(())
}

/// `match-device`.
pub async fn match_to(ctx: &Context, args: &MatchDeviceArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx.report(&flow, args.action.refresh).await?;
    let device = DeviceUid::new(args.device.trim());
    if let Some(text) = &args.search {
        let found = flow
            .search_configurations(&ctx.actor, &report, &device, text, SEARCH_LIMIT)
            .await
            .map_err(flow_error)?;
        return print_found(ctx, &found);
    }
    let reference = args.configuration.as_deref().unwrap_or_default();
    let configuration = flow
        .find_configuration(&ctx.actor, &report, &device, reference)
        .await
        .map_err(flow_error)?;
    let mode = args.action.mode();
    let outcome = flow.match_configuration(&ctx.actor, &report, &device, configuration, mode);
    ctx.finish(&flow, outcome.await).await
}

/// `accept-devices`.
pub async fn accept_all(ctx: &Context, args: &AcceptDevicesArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx.report(&flow, args.action.refresh).await?;
    let view = organization_view(&flow, &report, &args.organization).await?;
    let (organization, mode) = (view.organization.id, args.action.mode());
    let accepted = flow
        .accept_configuration_suggestions(&ctx.actor, &report, organization, mode)
        .await
        .map_err(flow_error)?;
    ctx.after_action(&flow, &accepted.outcome).await;
    if ctx.json {
        return print_json(&accepted);
    }
    if accepted.outcome.steps.is_empty() && accepted.left_out.is_empty() {
        println!(
            "No device of {} has a suggested configuration to accept.",
            view.organization.name
        );
        return Ok(());
    }
    ctx.print_outcome(&accepted.outcome)?;
    for left in &accepted.left_out {
        println!("  left out: device {} — {}", left.hostname, left.reason);
    }
    Ok(())
}

/// `create-configs`.
pub async fn create(ctx: &Context, args: &CreateConfigsArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx.report(&flow, args.action.refresh).await?;
    let view = organization_view(&flow, &report, &args.organization).await?;
    let (actor, mode) = (&ctx.actor, args.action.mode());
    let outcome = if args.all {
        let organization = view.organization.id;
        flow.create_missing_configurations(actor, &report, organization, mode)
            .await
    } else {
        let devices: Vec<DeviceUid> = (args.devices.iter())
            .map(|d| DeviceUid::new(d.trim()))
            .collect();
        flow.create_configurations(actor, &report, &devices, mode)
            .await
    };
    if !ctx.json && outcome.as_ref().is_ok_and(|o| o.steps.is_empty()) {
        let name = &view.organization.name;
        println!("Every device of {name} has a configuration or a suggestion.");
        return Ok(());
    }
    ctx.finish(&flow, outcome).await
}
