//! `connect`, `sync` (one pass) and `run` (the scheduler).

use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use msp_sync_examples::args::{parse_interval, parse_positive_interval};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::signal;
use sync_engine::gravityzone::{OneTenant, PassOptions, TenantSummary};
use sync_engine::scheduler::{Scheduler, SchedulerConfig};

use crate::context::{Context, engine_error};

/// `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Fetch and plan only: show the events and steps, change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Time between passes, e.g. 1h, 30m, 90s, 1h30m.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_positive_interval, default_value = "1h")]
    pub every: Duration,
    /// Start each tenant's passes at a stable offset below this within each interval (spreads
    /// many tenants); a newly connected tenant's first pass starts at once.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval, default_value = "0s")]
    pub jitter: Duration,
}

/// `connect`.
pub async fn connect(ctx: &Context) -> Result<(), CliError> {
    let connection = ctx.connection()?;
    let tenant = ctx.sync.connect(&connection).await.map_err(engine_error)?;
    let lines = [
        format!(
            "Connected: Datto RMM account {} on {} and GravityZone at {}.",
            tenant.account_uid(),
            tenant.api_url(),
            connection.gravityzone_access_url
        ),
        "Only fingerprints of the credentials were saved; pass them again with each command."
            .to_owned(),
    ];
    ctx.out.print(&TenantSummary::from(&tenant), &lines)
}

/// `sync`.
pub async fn sync(ctx: &Context, args: &SyncArgs) -> Result<(), CliError> {
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let options = if args.dry_run {
        PassOptions::dry_run()
    } else {
        PassOptions::apply()
    };
    let report = ctx
        .sync
        .run_pass(&tenant, &connection, options)
        .await
        .map_err(engine_error)?;
    ctx.out.print(&report, &report.lines())?;
    report
        .failed_steps()
        .map_or(Ok(()), |failed| Err(CliError::partial(failed)))
}

/// `run`: the scheduler of this one tenant until Ctrl-C (or SIGTERM), which stops the running
/// pass after its current step.
pub async fn run(ctx: &Context, args: &RunArgs) -> Result<(), CliError> {
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let source = Arc::new(OneTenant::new(tenant.clone(), connection));
    let config = SchedulerConfig::default()
        .with_gravityzone_interval(args.every)
        .with_jitter(args.jitter);
    let scheduler = Scheduler::new(ctx.sync.store().clone(), source)
        .with_worker(ctx.sync.worker())
        .with_config(config);
    let stop = signal::termination()?;
    if !ctx.out.json {
        let every = humanize(args.every);
        println!(
            "Syncing {tenant} every {every}; Ctrl-C (or SIGTERM) stops after the current step."
        );
    }
    let summary = scheduler.run_until(stop).await;
    let line = format!(
        "Stopped: {} pass(es) OK, {} failed, {} put off (another worker), {} done by another \
         worker, {} without credentials.",
        summary.runs_ok,
        summary.runs_failed,
        summary.runs_busy,
        summary.runs_done_elsewhere,
        summary.runs_unconnected
    );
    ctx.out.print(&summary, &[line])?;
    match summary.runs_failed {
        0 => Ok(()),
        failed => Err(CliError::partial(format!("{failed} pass(es) failed"))),
    }
}

fn humanize(interval: Duration) -> String {
    let secs = interval.as_secs();
    match (secs / 3600, (secs % 3600) / 60, secs % 60) {
        (h, 0, 0) if h > 0 => format!("{h}h"),
        (0, m, 0) if m > 0 => format!("{m}m"),
        (h, m, s) => format!("{h}h{m:02}m{s:02}s"),
    }
}
