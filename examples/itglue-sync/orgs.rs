//! The groups and their organizations: `orgs`, `accept`, `match`, `change-match`,
//! `create-org`, `ignore`, `unignore`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{Table, percent, print_json, print_table};
use sync_engine::itglue::{FoundOrganization, ItGlueFlow, Mode, OrganizationState, SyncReport};

use crate::context::{Context, find_group, find_organization, flow_error};

/// `orgs`.
#[derive(Debug, Args)]
pub struct OrgsArgs {
    /// Only matched groups.
    #[arg(long, group = "filter")]
    pub matched: bool,
    /// Only groups with suggestions.
    #[arg(long, group = "filter")]
    pub suggested: bool,
    /// Only groups with neither a match nor a suggestion.
    #[arg(long, group = "filter")]
    pub unmatched: bool,
    /// Only ignored groups.
    #[arg(long, group = "filter")]
    pub ignored: bool,
    /// Sync first instead of showing the last sync's report.
    #[arg(long)]
    pub refresh: bool,
}

/// How an action is run.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Only show the steps; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Sync first instead of acting on the last sync's report.
    #[arg(long)]
    pub refresh: bool,
}

impl ActionArgs {
    /// The engine's mode.
    pub fn mode(&self) -> Mode {
        if self.dry_run {
            Mode::DryRun
        } else {
            Mode::Apply
        }
    }
}

/// A command that names one group.
#[derive(Debug, Args)]
pub struct GroupArgs {
    /// The group: its name, a site's uid or name, or the Autotask company id.
    #[arg(value_name = "GROUP")]
    pub group: String,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `accept`.
#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The group.
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The suggested organization (id or name); default: the best suggestion.
    #[arg(value_name = "ORG")]
    pub organization: Option<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `match`.
#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The group.
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The organization (id or exact name).
    #[arg(value_name = "ORG", required_unless_present = "search")]
    pub organization: Option<String>,
    /// List the organizations whose names come closest to this text instead of matching.
    #[arg(long, value_name = "TEXT", conflicts_with = "organization")]
    pub search: Option<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `change-match`.
#[derive(Debug, Args)]
pub struct ChangeMatchArgs {
    /// The group.
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The new organization (id or exact name).
    #[arg(value_name = "ORG")]
    pub organization: String,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// `create-org`.
#[derive(Debug, Args)]
pub struct CreateOrgArgs {
    /// The group.
    #[arg(value_name = "GROUP")]
    pub group: String,
    /// The new organization's name (default: the group's name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Create it even though an organization with the same normalised name exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub action: ActionArgs,
}

impl OrgsArgs {
    /// The state the listing is filtered to, if any.
    fn state(&self) -> Option<OrganizationState> {
        [
            (self.matched, OrganizationState::Matched),
            (self.suggested, OrganizationState::Suggested),
            (self.unmatched, OrganizationState::Unmatched),
            (self.ignored, OrganizationState::Ignored),
        ]
        .into_iter()
        .find_map(|(wanted, state)| wanted.then_some(state))
    }
}

/// `orgs`.
pub async fn list(ctx: &Context, args: &OrgsArgs) -> Result<(), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx
        .report(&flow, args.refresh)
        .await?
        .visible_to(&ctx.actor);
    let names = flow.organization_names().await.map_err(flow_error)?;
    let mut groups = report.group_listings(&names);
    groups.retain(|g| args.state().is_none_or(|state| g.state == state));
    if ctx.json {
        return print_json(&groups);
    }
    let mut table = Table::new(["GROUP", "DEVICES", "STATE", "ORGANIZATION / SUGGESTIONS"]);
    for g in groups {
        let (devices, state) = (g.devices.to_string(), g.state.to_string());
        table.row([g.name, devices, state, g.detail.to_string()]);
    }
    print_table(&table, "No groups to show.");
    Ok(())
}

async fn prepared(ctx: &Context, refresh: bool) -> Result<(ItGlueFlow, SyncReport), CliError> {
    let flow = ctx.flow().await?;
    let report = ctx.report(&flow, refresh).await?;
    Ok((flow, report))
}

/// `accept`.
pub async fn accept(ctx: &Context, args: &AcceptArgs) -> Result<(), CliError> {
    let (flow, report) = prepared(ctx, args.action.refresh).await?;
    let view = find_group(&report, &args.group)?;
    let (group, best) = (view.group.id.clone(), view.best_suggestion());
    let organization = match &args.organization {
        Some(reference) => find_organization(&flow, reference).await?,
        None => best.ok_or_else(|| {
            CliError::usage(format!(
                "{:?} has no suggestions to accept (see `orgs`)",
                view.group.name
            ))
        })?,
    };
    let mode = args.action.mode();
    let outcome =
        flow.accept_organization_suggestion(&ctx.actor, &report, &group, organization, mode);
    ctx.finish(&flow, outcome.await).await
}

/// `match`.
pub async fn match_to(ctx: &Context, args: &MatchArgs) -> Result<(), CliError> {
    if let Some(text) = &args.search {
        let flow = ctx.flow().await?;
        let found = flow
            .search_organizations(&ctx.actor, text, 10)
            .await
            .map_err(flow_error)?;
        if ctx.json {
            return print_json(
                &found
                    .iter()
                    .map(FoundOrganization::from)
                    .collect::<Vec<_>>(),
            );
        }
        let mut table = Table::new(["ID", "ORGANIZATION", "SCORE"]);
        for s in &found {
            table.row([
                s.candidate.id.to_string(),
                s.candidate.name.clone(),
                percent(s.score),
            ]);
        }
        print_table(&table, "No organization comes close.");
        return Ok(());
    }
    let (flow, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.group.id.clone();
    let reference = args.organization.as_deref().unwrap_or_default();
    let organization = find_organization(&flow, reference).await?;
    let mode = args.action.mode();
    let outcome = flow.match_organization(&ctx.actor, &report, &group, organization, mode);
    ctx.finish(&flow, outcome.await).await
}

/// `change-match`.
pub async fn change_match(ctx: &Context, args: &ChangeMatchArgs) -> Result<(), CliError> {
    let (flow, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.group.id.clone();
    let organization = find_organization(&flow, &args.organization).await?;
    let mode = args.action.mode();
    let outcome = flow.change_organization_match(&ctx.actor, &report, &group, organization, mode);
    ctx.finish(&flow, outcome.await).await
}

/// `create-org`.
pub async fn create(ctx: &Context, args: &CreateOrgArgs) -> Result<(), CliError> {
    let (flow, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.group.id.clone();
    let mode = args.action.mode();
    let outcome = flow.create_organization(
        &ctx.actor,
        &report,
        &group,
        args.name.as_deref(),
        args.force,
        mode,
    );
    ctx.finish(&flow, outcome.await).await
}

/// `ignore` and `unignore`.
pub async fn ignore(ctx: &Context, args: &GroupArgs, ignore: bool) -> Result<(), CliError> {
    let (flow, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.group.id.clone();
    let (actor, mode) = (&ctx.actor, args.action.mode());
    let outcome = if ignore {
        flow.ignore_group(actor, &report, &group, mode).await
    } else {
        flow.unignore_group(actor, &report, &group, mode).await
    };
    ctx.finish(&flow, outcome).await
}
