//! `connect`, `sync` and `status`.

use std::io::IsTerminal;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::print_json;
use sync_engine::itglue::{Mode, NoProgress, Progress};

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
    let connected = ctx.flow.connect().await.map_err(flow_error)?;
    ctx.out.print(&connected, &connected.lines())
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

/// `sync`.
pub async fn sync(ctx: &Context, args: &SyncArgs) -> Result<(), CliError> {
    let mode = Mode::from_dry_run(args.dry_run);
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
            let result = ctx.flow.run_with(&sink, mode).await;
            bar.finish_and_clear();
            result
        }
        None => ctx.flow.run_with(&NoProgress, mode).await,
    }
    .map_err(flow_error)?;
    let summary = report.summary();
    ctx.out.print(&summary, &summary.lines())
}

/// `status`.
pub async fn status(ctx: &Context, args: &StatusArgs) -> Result<(), CliError> {
    let status = ctx.flow.status(args.runs).await.map_err(flow_error)?;
    if ctx.out.json {
        return print_json(&status);
    }
    status.lines().iter().for_each(|line| println!("{line}"));
    ctx.out.rows(&status.runs, "No runs yet: run `sync`.")
}
