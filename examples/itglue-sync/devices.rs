//! The devices of a matched organization: `devices`, `accept-device`, `match-device`,
//! `accept-devices`, `create-configs`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::print_json;
use sync_engine::itglue::Request;

use crate::context::{ActionArgs, Context, flow_error};

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
    /// The device: its uid or hostname.
    #[arg(value_name = "DEVICE")]
    pub device: String,
    /// The suggested configuration (id, name or hostname); default: the best suggestion.
    #[arg(value_name = "CONFIGURATION")]
    pub configuration: Option<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `match-device`.
#[derive(Debug, Args)]
pub struct MatchDeviceArgs {
    /// The device: its uid or hostname.
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
    /// The devices (uids or hostnames).
    #[arg(value_name = "DEVICE")]
    pub devices: Vec<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `devices`.
pub async fn list(ctx: &Context, args: &DevicesArgs) -> Result<(), CliError> {
    let report = ctx.report(args.refresh).await?;
    let (organization, unmatched) = (&args.organization, args.unmatched);
    let listed = ctx
        .flow
        .organization_devices(&ctx.actor, &report, organization, unmatched)
        .await
        .map_err(flow_error)?;
    if ctx.out.json {
        return print_json(&listed);
    }
    println!("{}", listed.heading());
    ctx.out.rows(&listed.devices, "No devices to show.")
}

/// `accept-device`.
pub async fn accept(ctx: &Context, args: &AcceptDeviceArgs) -> Result<(), CliError> {
    let (device, configuration) = (args.device.clone(), args.configuration.clone());
    let request = Request::AcceptConfiguration {
        device,
        configuration,
    };
    ctx.act(request, &args.action).await
}

/// `match-device`: match, or search the organization's configurations by name.
pub async fn match_to(ctx: &Context, args: &MatchDeviceArgs) -> Result<(), CliError> {
    if let Some(text) = &args.search {
        let report = ctx.report(args.action.refresh).await?;
        let found = (ctx.flow)
            .configurations_like(&ctx.actor, &report, &args.device, text, 10)
            .await;
        return ctx
            .out
            .rows(&found.map_err(flow_error)?, "No configuration comes close.");
    }
    let (device, configuration) = (args.device.clone(), args.configuration.clone());
    let configuration = configuration.unwrap_or_default();
    let request = Request::MatchConfiguration {
        device,
        configuration,
    };
    ctx.act(request, &args.action).await
}

/// `accept-devices`.
pub async fn accept_all(ctx: &Context, args: &AcceptDevicesArgs) -> Result<(), CliError> {
    let organization = args.organization.clone();
    let request = Request::AcceptConfigurations { organization };
    ctx.act(request, &args.action).await
}

/// `create-configs`.
pub async fn create(ctx: &Context, args: &CreateConfigsArgs) -> Result<(), CliError> {
    let (organization, devices) = (args.organization.clone(), args.devices.clone());
    let request = Request::CreateConfigurations {
        organization,
        devices,
    };
    ctx.act(request, &args.action).await
}
