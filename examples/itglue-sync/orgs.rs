//! The groups and their organizations: `orgs`, `accept`, `match`, `change-match`,
//! `create-org`, `ignore`, `unignore`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use sync_engine::itglue::{OrganizationState, Request};

use crate::context::{ActionArgs, Context, flow_error};

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

/// `orgs`.
pub async fn list(ctx: &Context, args: &OrgsArgs) -> Result<(), CliError> {
    let state = [
        (args.matched, OrganizationState::Matched),
        (args.suggested, OrganizationState::Suggested),
        (args.unmatched, OrganizationState::Unmatched),
        (args.ignored, OrganizationState::Ignored),
    ]
    .into_iter()
    .find_map(|(wanted, state)| wanted.then_some(state));
    let report = ctx.report(args.refresh).await?;
    let groups = ctx.flow.group_listings(&ctx.actor, &report, state).await;
    ctx.out
        .rows(&groups.map_err(flow_error)?, "No groups to show.")
}

/// `accept`.
pub async fn accept(ctx: &Context, args: &AcceptArgs) -> Result<(), CliError> {
    let (group, organization) = (args.group.clone(), args.organization.clone());
    let request = Request::AcceptOrganization {
        group,
        organization,
    };
    ctx.act(request, &args.action).await
}

/// `match`: match, or search organizations by name.
pub async fn match_to(ctx: &Context, args: &MatchArgs) -> Result<(), CliError> {
    if let Some(text) = &args.search {
        let found = ctx.flow.organizations_like(&ctx.actor, text, 10).await;
        return ctx
            .out
            .rows(&found.map_err(flow_error)?, "No organization comes close.");
    }
    let (group, organization) = (args.group.clone(), args.organization.clone());
    let organization = organization.unwrap_or_default();
    let request = Request::MatchOrganization {
        group,
        organization,
    };
    ctx.act(request, &args.action).await
}

/// `change-match`.
pub async fn change_match(ctx: &Context, args: &ChangeMatchArgs) -> Result<(), CliError> {
    let (group, organization) = (args.group.clone(), args.organization.clone());
    let request = Request::ChangeOrganizationMatch {
        group,
        organization,
    };
    ctx.act(request, &args.action).await
}

/// `create-org`.
pub async fn create(ctx: &Context, args: &CreateOrgArgs) -> Result<(), CliError> {
    let (group, name, force) = (args.group.clone(), args.name.clone(), args.force);
    let request = Request::CreateOrganization { group, name, force };
    ctx.act(request, &args.action).await
}

/// `ignore` and `unignore`.
pub async fn ignore(ctx: &Context, args: &GroupArgs, ignore: bool) -> Result<(), CliError> {
    let group = args.group.clone();
    let request = if ignore {
        Request::IgnoreGroup { group }
    } else {
        Request::UnignoreGroup { group }
    };
    ctx.act(request, &args.action).await
}
