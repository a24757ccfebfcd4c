//! `connect`, `sync` and `status`.

use std::io::IsTerminal;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{Table, print_json, print_table};
use sync_engine::itglue::{ItGlueFlow, Mode, NoProgress, Progress, ProgressSink, SyncReport};

use crate::context::{Context, flow_error};

/// `sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Show, per matched configuration, each attribute the sync would change (old → new) and
    /// write nothing: nothing to IT Glue, nothing to the store (no run, no match, no report for
    /// the actions; only the Datto RMM audits read are cached).
    #[arg(long)]
    pub dry_run: bool,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// How many runs to show.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

/// `connect`.
pub async fn connect(ctx: &Context) -> Result<(), CliError> {
    let flow = ctx.discover().await?;
    let connected = flow.connect().await.map_err(flow_error)?;
    if ctx.json {
        return print_json(&connected);
    }
    println!(
        "Connected: Datto RMM account {} on {}, and IT Glue.",
        connected.account, connected.api_url
    );
    println!("Only fingerprints of the credentials were saved; pass them again with each command.");
    Ok(())
}

/// A progress bar on standard error, drawn only on a terminal.
fn progress_bar() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {msg:34} [{bar:30}] {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    Some(bar)
}

/// A sync keeping its report, or a dry run of it keeping nothing.
async fn run(
    ctx: &Context,
    flow: &ItGlueFlow,
    progress: &dyn ProgressSink,
    dry_run: bool,
) -> Result<SyncReport, CliError> {
    if !dry_run {
        return ctx.sync(flow, progress).await;
    }
    flow.run_with(progress, Mode::DryRun)
        .await
        .map_err(flow_error)
}

/// `sync`.
pub async fn sync(ctx: &Context, args: &SyncArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = match progress_bar() {
        Some(bar) => {
            let sink = {
                let bar = bar.clone();
                move |progress: &Progress| {
                    bar.set_message(progress.phase.words());
                    bar.set_length(progress.total.unwrap_or(0));
                    bar.set_position(progress.done);
                }
            };
            let result = run(ctx, &flow, &sink, args.dry_run).await;
            bar.finish_and_clear();
            result?
        }
        None => run(ctx, &flow, &NoProgress, args.dry_run).await?,
    };
    if ctx.json {
        return print_json(&report.summary());
    }
    report
        .summary()
        .lines()
        .iter()
        .for_each(|line| println!("{line}"));
    if args.dry_run {
        println!("Dry run: nothing was written to IT Glue.");
        report
            .updates
            .plan_lines()
            .iter()
            .for_each(|line| println!("{line}"));
    }
    Ok(())
}

/// `status`.
pub async fn status(ctx: &Context, args: &StatusArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let status = flow.status(args.runs).await.map_err(flow_error)?;
    if ctx.json {
        return print_json(&status);
    }
    println!("Tenant {}", status.tenant);
    for credentials in &status.credentials {
        let vendor = sync_engine::itglue::vendor_name(credentials.vendor);
        println!("  {vendor} credentials: {}", credentials.words());
    }
    let mut table = Table::new([
        "RUN",
        "STARTED",
        "STATUS",
        "GROUPS MATCHED",
        "DEVICES MATCHED",
    ]);
    for run in &status.runs {
        table.row([
            run.run.to_string(),
            run.started_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            run.status.clone(),
            format!("{}/{}", run.count("groups_matched"), run.count("groups")),
            format!("{}/{}", run.count("devices_matched"), run.count("devices")),
        ]);
    }
    print_table(&table, "No runs yet: run `sync`.");
    Ok(())
}
