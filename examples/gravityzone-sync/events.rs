//! The events page: `events`, `resolve`, `ignore`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use sync_engine::gravityzone::{
    EventHistoryRow, EventRow, EventView, Names, ResolvePlan, choose_event_action,
};

use sync_store::TenantId;

use crate::context::{Asker, ConfirmArgs, Context, approval, engine_error};

/// `events`.
#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Every event the tenant has had (open, ignored, resolved) with its state history.
    #[arg(long)]
    pub all: bool,
}

/// `resolve`.
#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The event: its reference from `events` (or a unique start of it).
    #[arg(value_name = "EVENT")]
    pub event: String,
    /// The action, one of: create-with-custom-name, move-back, create-new-company, associate,
    /// rename-with-prefix-and-create-new, rename-to-site-name-and-associate,
    /// delete-company-and-association, and the extras delete-association and exclude-site
    /// (`events` lists those each event offers).
    #[arg(value_name = "ACTION")]
    pub action: String,
    /// The company name, for create-with-custom-name and (optionally) create-new-company.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// delete-company-and-association: delete the company even though it still holds
    /// endpoints (the confirmation list shows how many).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// `ignore`.
#[derive(Debug, Args)]
pub struct IgnoreArgs {
    /// The event: its reference from `events`.
    #[arg(value_name = "EVENT")]
    pub event: String,
}

/// `events`: the open events in the document's columns, or with `--all` every event the tenant
/// has had with its states.
pub async fn list(ctx: &Context, args: &EventsArgs) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    if args.all {
        let records = ctx
            .sync
            .event_history(&tenant)
            .await
            .map_err(engine_error)?;
        let rows: Vec<EventHistoryRow> = records.iter().map(EventHistoryRow::new).collect();
        return ctx.out.rows(&rows, "No events yet.");
    }
    let views = ctx.sync.events(&tenant).await.map_err(engine_error)?;
    let rows: Vec<EventRow> = views.iter().map(EventRow::new).collect();
    ctx.out.rows(&rows, "No open events.")
}

/// The open event a reference (or a unique start of one) names.
async fn find_event(
    ctx: &Context,
    tenant: &TenantId,
    reference: &str,
) -> Result<EventView, CliError> {
    ctx.sync
        .find_event(tenant, reference)
        .await
        .map_err(engine_error)
}

/// `resolve`: shows the confirmation list (what the action does), asks (unless `--yes`), then
/// resolves the event with it — one engine call, so the actions run are the actions shown.
pub async fn resolve(ctx: &Context, args: &ResolveArgs) -> Result<(), CliError> {
    let action = choose_event_action(&args.action, args.name.as_deref(), args.force)
        .map_err(|e| CliError::usage(format!("{e} (--name <NAME>, --force)")))?;
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let view = find_event(ctx, &tenant, &args.event).await?;
    let question = "Resolve the event with these actions?";
    let mut asker = Asker::new(&args.confirm, ctx.out.json);
    let mut ask = |plan: &ResolvePlan| asker.approves(&plan.confirmation_lines(), question);
    let approval = approval(&args.confirm, &mut ask);
    let (id, user) = (&view.event.id, &ctx.user);
    let resolved = ctx
        .sync
        .resolve_event(&tenant, &connection, user, id, action, approval)
        .await
        .map_err(engine_error)?;
    asker.finish()?;
    ctx.out.print(&resolved, &resolved.lines())
}

/// `ignore`.
pub async fn ignore(ctx: &Context, args: &IgnoreArgs) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    let view = find_event(ctx, &tenant, &args.event).await?;
    let ignored = ctx
        .sync
        .ignore_event(&tenant, &ctx.user, &view.event.id)
        .await
        .map_err(engine_error)?;
    let line = format!(
        "Ignored the {} event of {}; the next pass raises it again while the discrepancy lasts.",
        view.event.id.kind.as_str(),
        Names::default()
            .with_event(&view.event)
            .site(&view.event.id.site)
    );
    ctx.out
        .print(&EventRow::new(&EventView::new(ignored)), &[line])
}
