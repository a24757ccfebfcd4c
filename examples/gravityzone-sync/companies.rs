//! The companies page and its changes: `companies`, `map`, `map-new`, `exclude`, `unmap`,
//! `associations`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{Table, print_json, print_table};
use msp_sync_examples::prompt;
use sync_core::gravityzone::{Change, CompaniesPage, CompanyId, Confirmation, SiteRow};
use sync_engine::gravityzone::{
    self, Approval, AssociationRow, BatchReport, CompaniesChange, Names, Removal, SiteLine,
};
use sync_engine::lookup::LookupError;

use crate::context::{Context, engine_error};

/// Arguments of changes that only name sites.
#[derive(Debug, Args)]
pub struct SitesArgs {
    /// Sites, by uid or exact name (case does not matter).
    #[arg(required = true, value_name = "SITE")]
    pub sites: Vec<String>,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// `map`.
#[derive(Debug, Args)]
pub struct MapArgs {
    /// The site, by uid or exact name.
    #[arg(value_name = "SITE")]
    pub site: String,
    /// The free company, by id or exact name.
    #[arg(value_name = "COMPANY")]
    pub company: String,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// `unmap`.
#[derive(Debug, Args)]
pub struct UnmapArgs {
    /// Sites, by uid or exact name.
    #[arg(required = true, value_name = "SITE")]
    pub sites: Vec<String>,
    /// Also delete the site's installation package from the company.
    #[arg(long)]
    pub remove_package: bool,
    /// Also delete the site variable GravityZonePackageLink.
    #[arg(long)]
    pub remove_link: bool,
    /// Also delete the GravityZone company itself.
    #[arg(long)]
    pub remove_company: bool,
    #[command(flatten)]
    pub confirm: ConfirmArgs,
}

/// How a batch of changes is confirmed.
#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// Apply without asking (needed when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Only show the confirmation list.
    #[arg(long)]
    pub dry_run: bool,
}

/// `companies`.
pub async fn show(ctx: &Context) -> Result<(), CliError> {
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let page = ctx
        .sync
        .companies_page(&tenant, &connection)
        .await
        .map_err(engine_error)?;
    if ctx.json {
        return print_json(&page);
    }
    // Names first; the ids are the last, extra columns. "!" flags a site with an open event
    // (the document's exclamation mark; `events` lists them).
    let table = |site: &str, lines: Vec<SiteLine>| {
        let columns = [
            "!",
            site,
            "STATUS",
            "COMPANY",
            "PROPOSAL",
            "SITE UID",
            "COMPANY ID",
        ];
        let mut table = Table::new(columns);
        for l in &lines {
            let id = l.company_id.as_ref().map_or("", |c| c.as_str());
            let flag = if l.flagged { "!" } else { "" };
            let (site, uid) = (l.site.as_str(), l.site_uid.as_str());
            table.row([flag, site, l.status, &l.company, &l.proposal, uid, id]);
        }
        table
    };
    let sites = page.sites.iter().map(SiteLine::new).collect();
    print_table(&table("SITE", sites), "No managed sites.");
    if !page.deleted_sites.is_empty() {
        println!();
        let deleted = page.deleted_sites.iter().map(SiteLine::deleted).collect();
        print_table(&table("DELETED SITE (last known name)", deleted), "");
    }
    println!();
    let mut free = Table::new(["FREE COMPANY", "ID"]);
    for company in &page.free_companies {
        free.row([company.name.as_str(), company.id.as_str()]);
    }
    print_table(&free, "No free companies under the partner company.");
    Ok(())
}

/// The managed site a reference (uid or name) names.
pub fn find_site<'a>(page: &'a CompaniesPage, reference: &str) -> Result<&'a SiteRow, CliError> {
    gravityzone::find_site(page, reference).map_err(|e| usage(e, "see `companies`"))
}

async fn page(
    ctx: &Context,
) -> Result<
    (
        sync_store::TenantId,
        sync_engine::gravityzone::TenantConnection,
        CompaniesPage,
    ),
    CliError,
> {
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let page = ctx
        .sync
        .companies_page(&tenant, &connection)
        .await
        .map_err(engine_error)?;
    Ok((tenant, connection, page))
}

fn usage(error: LookupError, hint: &str) -> CliError {
    CliError::usage(format!("{error} ({hint})"))
}

/// `map`.
pub async fn map(ctx: &Context, args: &MapArgs) -> Result<(), CliError> {
    let (tenant, connection, page) = page(ctx).await?;
    let site = find_site(&page, &args.site)?.site.uid.clone();
    let company: CompanyId = gravityzone::find_free_company(&page, &args.company)
        .map_err(|e| usage(e, "see `companies`"))?
        .id
        .clone();
    let changes = [CompaniesChange::new(Change::MapToCompany { site, company })];
    apply(ctx, &tenant, &connection, &page, &changes, &args.confirm).await
}

/// `map-new`.
pub async fn map_new(ctx: &Context, args: &SitesArgs) -> Result<(), CliError> {
    let (tenant, connection, page) = page(ctx).await?;
    let changes = args
        .sites
        .iter()
        .map(|s| {
            find_site(&page, s).map(|row| {
                CompaniesChange::new(Change::CreateCompany {
                    site: row.site.uid.clone(),
                })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    apply(ctx, &tenant, &connection, &page, &changes, &args.confirm).await
}

/// `exclude`.
pub async fn exclude(ctx: &Context, args: &SitesArgs) -> Result<(), CliError> {
    let (tenant, connection, page) = page(ctx).await?;
    let changes = args
        .sites
        .iter()
        .map(|s| {
            find_site(&page, s).map(|row| {
                CompaniesChange::new(Change::Exclude {
                    site: row.site.uid.clone(),
                })
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    apply(ctx, &tenant, &connection, &page, &changes, &args.confirm).await
}

/// `unmap`.
pub async fn unmap(ctx: &Context, args: &UnmapArgs) -> Result<(), CliError> {
    let (tenant, connection, page) = page(ctx).await?;
    let mut removal = Removal::nothing();
    removal.package = args.remove_package;
    removal.package_link = args.remove_link;
    removal.company = args.remove_company;
    let changes = args
        .sites
        .iter()
        .map(|s| {
            find_site(&page, s).map(|row| {
                CompaniesChange::new(Change::DeleteAssociation {
                    site: row.site.uid.clone(),
                })
                .removing(removal)
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    apply(ctx, &tenant, &connection, &page, &changes, &args.confirm).await
}

fn print_confirmation(confirmation: &Confirmation, names: &Names) {
    println!("Confirmation list:");
    for (index, confirmed) in confirmation.changes.iter().enumerate() {
        println!("  {}. {}", index + 1, names.change(&confirmed.change));
        for action in &confirmed.actions {
            println!("       - {}", names.action(action));
        }
    }
}

/// The approval of a confirmation list or an event's actions: none for `--dry-run`; else the
/// list is shown (unless `--json`) under the tenant's lease and applied on `--yes` or when the
/// user says yes. A prompt that cannot be asked is kept in `refused` and declines.
pub fn ask<'a, P: ?Sized>(
    confirm: &'a ConfirmArgs,
    json: bool,
    question: &'a str,
    show: impl Fn(&P) + Send + 'a,
    refused: &'a mut Option<CliError>,
) -> impl FnMut(&P) -> bool + Send + 'a {
    move |plan: &P| {
        if !json {
            show(plan);
        }
        if confirm.yes {
            return true;
        }
        match prompt::confirm(question) {
            Ok(yes) => yes,
            Err(error) => {
                *refused = Some(error);
                false
            }
        }
    }
}

/// Shows the confirmation list, asks (unless `--yes`) and applies it as one task: one engine
/// call, so the list applied is the list shown.
async fn apply(
    ctx: &Context,
    tenant: &sync_store::TenantId,
    connection: &sync_engine::gravityzone::TenantConnection,
    page: &CompaniesPage,
    changes: &[CompaniesChange],
    confirm: &ConfirmArgs,
) -> Result<(), CliError> {
    let names = Names::from_page(page);
    let question = format!("Apply these {} change(s)?", changes.len());
    let mut refused = None;
    let show = |list: &Confirmation| print_confirmation(list, &names);
    let mut decide = ask(confirm, ctx.json, &question, show, &mut refused);
    let approval = if confirm.dry_run {
        Approval::Preview
    } else {
        Approval::Ask(&mut decide)
    };
    let report = ctx
        .sync
        .apply_companies_changes(tenant, connection, &ctx.user, changes, approval)
        .await
        .map_err(engine_error)?;
    drop(decide);
    if let Some(error) = refused {
        return Err(error);
    }
    if ctx.json {
        // The engine's report as it is: the confirmation list, what was applied, the events
        // raised, the writes.
        print_json(&report)?;
        return batch_outcome(&report);
    }
    if report.dry_run {
        if confirm.dry_run {
            print_confirmation(&report.confirmation, &names);
            println!("Dry run: nothing was changed.");
        } else {
            println!("Nothing was changed.");
        }
        return Ok(());
    }
    println!(
        "Applied {} of {} change(s): {} companies created, {} packages, {} links written.",
        report.applied,
        changes.len(),
        report.writes.companies_created,
        report.writes.packages_ensured,
        report.writes.links_written
    );
    for raised in &report.events_raised {
        println!(
            "Change {}: GravityZone refused the name {:?} (another tenant uses it); {} has the open \
             destination-creation event {}: `resolve {} create-with-custom-name --name <NAME>`.",
            raised.index + 1,
            raised.name,
            names.site(&raised.event.id.site),
            raised.event.id.short_ref(),
            raised.event.id.short_ref(),
        );
    }
    batch_outcome(&report)
}

/// The exit code of an applied batch: success when every change was applied or left an open
/// event, a failure when it applied nothing, a partial success when it stopped halfway.
pub fn batch_outcome(report: &BatchReport) -> Result<(), CliError> {
    let Some(failure) = &report.failure else {
        return Ok(());
    };
    let message = format!(
        "change {} failed, the ones after it were not run: {}",
        failure.index + 1,
        failure.message
    );
    if report.did_nothing() {
        Err(CliError::failure(format!("nothing was applied: {message}")))
    } else {
        Err(CliError::partial(message))
    }
}

/// `associations`.
pub async fn associations(ctx: &Context) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    let records = ctx.sync.associations(&tenant).await.map_err(engine_error)?;
    let names = Names::default();
    let rows: Vec<AssociationRow> = records
        .iter()
        .map(|r| AssociationRow::new(r, &names))
        .collect();
    if ctx.json {
        return print_json(&rows);
    }
    // The site by the name the association remembers; the ids as the last, extra columns
    // (`companies` shows the companies' names).
    let mut table = Table::new([
        "SITE",
        "HOW",
        "BY",
        "PACKAGE LINK",
        "SITE UID",
        "COMPANY ID",
    ]);
    for r in &rows {
        table.row([
            r.site_name.as_deref().unwrap_or(r.site.as_str()),
            r.how,
            &r.made_by,
            r.package_link.as_deref().unwrap_or("-"),
            r.site.as_str(),
            r.company.as_str(),
        ]);
    }
    print_table(&table, "No associations yet.");
    Ok(())
}
