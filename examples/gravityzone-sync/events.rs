//! The events page: `events`, `resolve`, `ignore`.

use chrono::{DateTime, Utc};
use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{Table, print_json, print_table};
use serde_json::json;
use sync_core::gravityzone::{Action, ActionRole, Event, EventId, EventKind};
use sync_engine::gravityzone::{Approval, EventView, Names, choose_event_action};

use crate::companies::{ConfirmArgs, ask};
use crate::context::{Context, engine_error, lookup_error};

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

fn time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| ms.to_string())
}

fn site_label(event: &Event) -> String {
    event
        .site_name
        .clone()
        .unwrap_or_else(|| event.id.site.to_string())
}

fn company_label(event: &Event) -> String {
    match (&event.company_name, &event.id.company) {
        (Some(name), _) => name.clone(),
        (None, Some(id)) => id.to_string(),
        (None, None) => String::new(),
    }
}

fn actions_label(view: &EventView) -> String {
    view.actions
        .iter()
        .map(|offered| {
            let name = offered.action.as_str();
            match offered.role {
                ActionRole::Primary => format!("{name}*"),
                ActionRole::Extra => format!("{name} (extra)"),
                _ => name.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a role reads in `--json`: the document's primary and secondary, or the project's extra.
fn role_word(role: ActionRole) -> &'static str {
    match role {
        ActionRole::Primary => "primary",
        ActionRole::Extra => "extra",
        _ => "secondary",
    }
}

/// The document's "Type" column: which side of the pairing the discrepancy is on — the Datto
/// RMM site (`source`), the GravityZone company (`destination`), or the association between
/// them (`association`).
fn event_type(kind: EventKind) -> &'static str {
    match kind {
        EventKind::SourceDeleted => "source",
        EventKind::AssociationMissing | EventKind::PrefixBasedAssociationMissing => "association",
        _ => "destination",
    }
}

/// One open event as JSON: the document's columns (type, source, destination, generation
/// time, event type, action), then the ids and the reference `resolve` takes.
pub fn event_json(view: &EventView) -> serde_json::Value {
    json!({
        "type": event_type(view.event.id.kind),
        "source": site_label(&view.event),
        "destination": company_label(&view.event),
        "generation_time": time(view.event.generated_at_ms),
        "event_type": view.event.id.kind.as_str(),
        "action": actions_label(view),
        "ref": view.event.id.short_ref(),
        "kind": view.event.id.kind.as_str(),
        "site": view.event.id.site.as_str(),
        "site_name": view.event.site_name,
        "company": view.event.id.company.as_ref().map(|c| c.as_str()),
        "company_name": view.event.company_name,
        "generated_at": time(view.event.generated_at_ms),
        "actions": view.actions.iter().map(|a| json!({
            "action": a.action.as_str(),
            "role": role_word(a.role),
        })).collect::<Vec<_>>(),
    })
}

/// `events`.
pub async fn list(ctx: &Context, args: &EventsArgs) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    if args.all {
        let records = ctx
            .sync
            .event_history(&tenant)
            .await
            .map_err(engine_error)?;
        if ctx.json {
            let rows: Vec<serde_json::Value> = records
                .iter()
                .map(|r| {
                    json!({
                        "ref": r.event.id.short_ref(),
                        "event": r.event,
                        "history": r.history.iter().map(|h| json!({
                            "state": h.state,
                            "changed_by": h.changed_by,
                            "changed_at": h.changed_at.to_rfc3339(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            return print_json(&rows);
        }
        let mut table = Table::new(["REF", "KIND", "SITE", "COMPANY", "STATES"]);
        for r in &records {
            let states: Vec<String> = r
                .history
                .iter()
                .map(|h| {
                    let state = match serde_json::to_value(&h.state) {
                        Ok(v) => v["state"].as_str().unwrap_or("?").to_owned(),
                        Err(_) => "?".to_owned(),
                    };
                    format!("{state} {}", h.changed_at.format("%Y-%m-%d %H:%M"))
                })
                .collect();
            table.row([
                r.event.id.short_ref(),
                r.event.id.kind.as_str().to_owned(),
                site_label(&r.event),
                company_label(&r.event),
                states.join(" → "),
            ]);
        }
        print_table(&table, "No events yet.");
        return Ok(());
    }
    let views = ctx.sync.events(&tenant).await.map_err(engine_error)?;
    if ctx.json {
        return print_json(&views.iter().map(event_json).collect::<Vec<_>>());
    }
    let mut table = Table::new([
        "TYPE",
        "SOURCE",
        "DESTINATION",
        "GENERATION TIME",
        "EVENT TYPE",
        "ACTION (* primary)",
        "REF",
    ]);
    for view in &views {
        table.row([
            event_type(view.event.id.kind).to_owned(),
            site_label(&view.event),
            company_label(&view.event),
            time(view.event.generated_at_ms),
            view.event.id.kind.as_str().to_owned(),
            actions_label(view),
            view.event.id.short_ref(),
        ]);
    }
    print_table(&table, "No open events.");
    Ok(())
}

/// The open event a reference (or a unique start of one) names, with its site's and
/// company's names.
async fn find_event(
    ctx: &Context,
    tenant: &sync_store::TenantId,
    reference: &str,
) -> Result<(EventId, Names), CliError> {
    let view = ctx
        .sync
        .find_event(tenant, reference)
        .await
        .map_err(|e| lookup_error(e, "see `events`"))?;
    let names = Names::default().with_event(&view.event);
    Ok((view.event.id, names))
}

/// `resolve`: shows the confirmation list (what the action does), asks (unless `--yes`), then
/// resolves the event with it — one engine call, so the actions run are the actions shown.
pub async fn resolve(ctx: &Context, args: &ResolveArgs) -> Result<(), CliError> {
    let action = choose_event_action(&args.action, args.name.as_deref(), args.force)
        .map_err(|e| CliError::usage(format!("{e} (--name <NAME>, --force)")))?;
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let (id, names) = find_event(ctx, &tenant, &args.event).await?;
    let show = |actions: &[Action]| {
        println!(
            "Confirmation list: resolve the {} event of {} with {}:",
            id.kind,
            names.site(&id.site),
            action.kind().as_str()
        );
        for planned in actions {
            println!("  - {}", names.action(planned));
        }
    };
    let question = "Resolve the event with these actions?";
    let mut refused = None;
    let mut decide = ask(&args.confirm, ctx.json, question, show, &mut refused);
    let approval = if args.confirm.dry_run {
        Approval::Preview
    } else {
        Approval::Ask(&mut decide)
    };
    let resolved = ctx
        .sync
        .resolve_event(
            &tenant,
            &connection,
            &ctx.user,
            &id,
            action.clone(),
            approval,
        )
        .await
        .map_err(engine_error)?;
    drop(decide);
    if let Some(error) = refused {
        return Err(error);
    }
    if ctx.json {
        return print_json(&json!({
            "ref": id.short_ref(),
            "kind": id.kind.as_str(),
            "action": action.kind().as_str(),
            "dry_run": resolved.dry_run,
            "actions": resolved.actions,
            "resolved": !resolved.dry_run,
        }));
    }
    if args.confirm.dry_run {
        show(&resolved.actions);
        println!("Dry run: nothing was changed.");
    } else if resolved.declined {
        println!("Nothing was changed.");
    } else {
        println!("Resolved {} event of {}.", id.kind, names.site(&id.site));
    }
    Ok(())
}

/// `ignore`.
pub async fn ignore(ctx: &Context, args: &IgnoreArgs) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    let (id, names) = find_event(ctx, &tenant, &args.event).await?;
    ctx.sync
        .ignore_event(&tenant, &ctx.user, &id)
        .await
        .map_err(engine_error)?;
    if ctx.json {
        return print_json(&json!({ "ref": id.short_ref(), "ignored": true }));
    }
    println!(
        "Ignored the {} event of {}; the next pass raises it again while the discrepancy lasts.",
        id.kind.as_str(),
        names.site(&id.site)
    );
    Ok(())
}
