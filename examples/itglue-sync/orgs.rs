//! The groups and their organizations: `orgs`, `accept`, `match`, `change-match`,
//! `create-org`, `ignore`, `unignore`.

use std::collections::BTreeMap;

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::itglue_text;
use msp_sync_examples::output::{Table, percent, print_json, print_table};
use serde_json::json;
use sync_core::itglue::{GroupId, OrganizationId, OrganizationOutcome};
use sync_engine::itglue::{ActionOutcome, Created, Mode, Step, SyncReport};

use crate::context::{
    Context, Wired, find_group, find_organization, flow_error, organization_names,
};

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

fn wanted(args: &OrgsArgs, outcome: &OrganizationOutcome) -> bool {
    let state = itglue_text::organization_state(outcome);
    match (args.matched, args.suggested, args.unmatched, args.ignored) {
        (true, _, _, _) => state == "matched",
        (_, true, _, _) => state == "suggested",
        (_, _, true, _) => state == "unmatched",
        (_, _, _, true) => state == "ignored",
        _ => true,
    }
}

fn org_label(names: &BTreeMap<OrganizationId, String>, id: OrganizationId) -> String {
    match names.get(&id) {
        Some(name) => format!("{name} (#{id})"),
        None => format!("#{id}"),
    }
}

/// What a group's outcome says, for the table and for JSON.
fn outcome_text(
    outcome: &OrganizationOutcome,
    names: &BTreeMap<OrganizationId, String>,
) -> (String, serde_json::Value) {
    match outcome {
        OrganizationOutcome::Stored {
            organization,
            organization_exists,
        } => {
            let note = if *organization_exists {
                "kept match"
            } else {
                "kept match, organization gone"
            };
            (
                format!("{} — {note}", org_label(names, *organization)),
                json!({"organization": organization.0, "name": names.get(organization), "stored": true, "exists": organization_exists}),
            )
        }
        OrganizationOutcome::Matched {
            organization,
            reason,
        } => (
            format!(
                "{} — {}",
                org_label(names, *organization),
                itglue_text::reason(*reason)
            ),
            json!({"organization": organization.0, "name": names.get(organization), "reason": itglue_text::reason(*reason)}),
        ),
        OrganizationOutcome::Suggested { suggestions } => (
            suggestions
                .iter()
                .map(|s| format!("{} {}", org_label(names, s.candidate), percent(s.score)))
                .collect::<Vec<_>>()
                .join("; "),
            json!({"suggestions": suggestions.iter().map(|s| json!({
                "organization": s.candidate.0,
                "name": names.get(&s.candidate),
                "score": s.score,
                "reason": itglue_text::reason(s.reason),
            })).collect::<Vec<_>>()}),
        ),
        OrganizationOutcome::WeakSuggestion { suggestion: s } => (
            format!(
                "weak suggestion: {} {}",
                org_label(names, s.candidate),
                percent(s.score)
            ),
            json!({"weak_suggestion": {
                "organization": s.candidate.0,
                "name": names.get(&s.candidate),
                "score": s.score,
                "reason": itglue_text::reason(s.reason),
            }}),
        ),
        _ => (String::new(), json!({})),
    }
}

/// `orgs`.
pub async fn list(ctx: &Context, args: &OrgsArgs) -> Result<(), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx
        .report(&wired, args.refresh)
        .await?
        .visible_to(&ctx.actor);
    let names = organization_names(&wired).await?;
    let rows: Vec<_> = report
        .groups
        .iter()
        .filter(|view| wanted(args, &view.outcome))
        .collect();
    if ctx.json {
        let groups: Vec<serde_json::Value> = rows
            .iter()
            .map(|view| {
                let (_, detail) = outcome_text(&view.outcome, &names);
                json!({
                    "group": group_ref(&view.group.id),
                    "name": view.group.name,
                    "devices": view.group.devices.len(),
                    "state": itglue_text::organization_state(&view.outcome),
                    "detail": detail,
                })
            })
            .collect();
        return print_json(&groups);
    }
    let mut table = Table::new(["GROUP", "DEVICES", "STATE", "ORGANIZATION / SUGGESTIONS"]);
    for view in rows {
        let (text, _) = outcome_text(&view.outcome, &names);
        table.row([
            view.group.name.clone(),
            view.group.devices.len().to_string(),
            itglue_text::organization_state(&view.outcome).to_owned(),
            text,
        ]);
    }
    print_table(&table, "No groups to show.");
    Ok(())
}

/// How a group is named in JSON: its site uid or Autotask company id.
pub fn group_ref(group: &GroupId) -> String {
    match group {
        GroupId::Site(uid) => uid.as_str().to_owned(),
        GroupId::AutotaskCompany(id) => format!("autotask:{}", id.0),
        _ => group.to_string(),
    }
}

/// Prints what an action did or would do.
pub fn print_outcome(
    ctx: &Context,
    outcome: &ActionOutcome,
    report: &SyncReport,
) -> Result<(), CliError> {
    if ctx.json {
        return print_json(outcome);
    }
    let group_name = |group: &GroupId| {
        report
            .group(group)
            .map(|g| g.group.name.clone())
            .unwrap_or_else(|| group.to_string())
    };
    println!(
        "{}",
        if outcome.applied {
            "Done:"
        } else {
            "Dry run, would do:"
        }
    );
    for step in &outcome.steps {
        let line = match step {
            Step::MatchOrganization {
                group,
                organization,
                replacing,
            } => match replacing {
                Some(old) => format!(
                    "match {:?} to organization #{organization} instead of #{old}",
                    group_name(group)
                ),
                None => format!(
                    "match {:?} to organization #{organization}",
                    group_name(group)
                ),
            },
            Step::CreateOrganization { group, name } => {
                format!("create organization {name:?} for {:?}", group_name(group))
            }
            Step::UnmatchDevice {
                device,
                configuration,
            } => format!("unmatch device {device} from configuration #{configuration}"),
            Step::IgnoreGroup { group } => format!("ignore {:?}", group_name(group)),
            Step::UnignoreGroup { group } => {
                format!("take back the ignore of {:?}", group_name(group))
            }
            Step::MatchDevice {
                device,
                configuration,
                ..
            } => format!("match device {device} to configuration #{configuration}"),
            Step::CreateConfigurations {
                organization,
                configurations,
            } => format!(
                "create {} configuration(s) in organization #{organization}: {}",
                configurations.len(),
                configurations
                    .iter()
                    .map(|c| format!("{} ({})", c.attributes.name, c.configuration_type))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            other => format!("{other:?}"),
        };
        println!("  - {line}");
    }
    for created in &outcome.created {
        match created {
            Created::Organization { id, resumed } => println!(
                "  created organization #{id}{}",
                if *resumed {
                    " (found from an interrupted attempt)"
                } else {
                    ""
                }
            ),
            Created::Configuration {
                device,
                id,
                resumed,
            } => println!(
                "  created configuration #{id} for device {device}{}",
                if *resumed {
                    " (found from an interrupted attempt)"
                } else {
                    ""
                }
            ),
            _ => {}
        }
    }
    Ok(())
}

async fn prepared(ctx: &Context, refresh: bool) -> Result<(Wired, SyncReport), CliError> {
    let wired = ctx.flow().await?;
    let report = ctx.report(&wired, refresh).await?;
    Ok((wired, report))
}

/// `accept`.
pub async fn accept(ctx: &Context, args: &AcceptArgs) -> Result<(), CliError> {
    let (wired, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.clone();
    let organization = match &args.organization {
        Some(reference) => find_organization(&wired, reference).await?,
        None => match report.group(&group).map(|g| &g.outcome) {
            Some(OrganizationOutcome::Suggested { suggestions }) => suggestions
                .first()
                .map(|s| s.candidate)
                .ok_or_else(|| CliError::usage("the group has no suggestion"))?,
            _ => {
                return Err(CliError::usage(format!(
                    "{:?} has no suggestions to accept (see `orgs`)",
                    args.group
                )));
            }
        },
    };
    let outcome = wired
        .flow
        .accept_organization_suggestion(
            &ctx.actor,
            &report,
            &group,
            organization,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}

/// `match`.
pub async fn match_to(ctx: &Context, args: &MatchArgs) -> Result<(), CliError> {
    if let Some(text) = &args.search {
        let wired = ctx.flow().await?;
        let found = wired
            .flow
            .search_organizations(&ctx.actor, text, 10)
            .await
            .map_err(flow_error)?;
        if ctx.json {
            return print_json(
                &found
                    .iter()
                    .map(|s| json!({"organization": s.candidate.id.0, "name": s.candidate.name, "score": s.score}))
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
    let (wired, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.clone();
    let reference = args.organization.as_deref().unwrap_or_default();
    let organization = find_organization(&wired, reference).await?;
    let outcome = wired
        .flow
        .match_organization(
            &ctx.actor,
            &report,
            &group,
            organization,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}

/// `change-match`.
pub async fn change_match(ctx: &Context, args: &ChangeMatchArgs) -> Result<(), CliError> {
    let (wired, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.clone();
    let organization = find_organization(&wired, &args.organization).await?;
    let outcome = wired
        .flow
        .change_organization_match(
            &ctx.actor,
            &report,
            &group,
            organization,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}

/// `create-org`.
pub async fn create(ctx: &Context, args: &CreateOrgArgs) -> Result<(), CliError> {
    let (wired, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.clone();
    let outcome = wired
        .flow
        .create_organization(
            &ctx.actor,
            &report,
            &group,
            args.name.as_deref(),
            args.force,
            args.action.mode(),
        )
        .await
        .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}

/// `ignore` and `unignore`.
pub async fn ignore(ctx: &Context, args: &GroupArgs, ignore: bool) -> Result<(), CliError> {
    let (wired, report) = prepared(ctx, args.action.refresh).await?;
    let group = find_group(&report, &args.group)?.clone();
    let outcome = if ignore {
        wired
            .flow
            .ignore_group(&ctx.actor, &report, &group, args.action.mode())
            .await
    } else {
        wired
            .flow
            .unignore_group(&ctx.actor, &group, args.action.mode())
            .await
    }
    .map_err(flow_error)?;
    ctx.after_action(&wired, &outcome).await;
    print_outcome(ctx, &outcome, &report)
}
