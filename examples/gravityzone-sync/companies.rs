//! The companies page and its changes: `companies`, `map`, `map-new`, `exclude`, `unmap`,
//! `associations`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{Table, print_json, print_table};
use sync_engine::gravityzone::{
    AssociationRow, BatchPlan, ChangeRequest, Names, Removal, SiteLine,
};

use crate::context::{Asker, ConfirmArgs, Context, approval, engine_error};

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

/// `map`.
pub async fn map(ctx: &Context, args: &MapArgs) -> Result<(), CliError> {
    let request = ChangeRequest::map(&args.site, &args.company);
    apply(ctx, vec![request], &args.confirm).await
}

/// `map-new` and `exclude`.
pub async fn each_site(
    ctx: &Context,
    args: &SitesArgs,
    request: fn(&String) -> ChangeRequest,
) -> Result<(), CliError> {
    apply(ctx, args.sites.iter().map(request).collect(), &args.confirm).await
}

/// `unmap`.
pub async fn unmap(ctx: &Context, args: &UnmapArgs) -> Result<(), CliError> {
    let mut removal = Removal::nothing();
    removal.package = args.remove_package;
    removal.package_link = args.remove_link;
    removal.company = args.remove_company;
    let each = |site: &String| ChangeRequest::delete_association(site, removal);
    apply(ctx, args.sites.iter().map(each).collect(), &args.confirm).await
}

/// Shows the confirmation list, asks (unless `--yes`) and applies it as one task: one engine
/// call, which also finds the sites and companies named, so the list applied is the list shown.
async fn apply(
    ctx: &Context,
    requests: Vec<ChangeRequest>,
    confirm: &ConfirmArgs,
) -> Result<(), CliError> {
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let question = format!("Apply these {} change(s)?", requests.len());
    let mut asker = Asker::new(confirm, ctx.json);
    let mut ask = |plan: &BatchPlan| asker.approves(&plan.lines(), &question);
    let report = ctx
        .sync
        .request_companies_changes(
            &tenant,
            &connection,
            &ctx.user,
            &requests,
            approval(confirm, &mut ask),
        )
        .await
        .map_err(engine_error)?;
    asker.finish()?;
    // The engine's report as it is with `--json`: the confirmation list, what was applied, the
    // events raised, the writes.
    ctx.print(&report, &report.lines())?;
    // Success when every change was applied or left an open event, a failure when the task
    // applied nothing, a partial success when it stopped halfway.
    match &report.failure {
        None => Ok(()),
        Some(failed) if report.did_nothing() => {
            Err(CliError::failure(format!("nothing was applied: {failed}")))
        }
        Some(failed) => Err(CliError::partial(failed.to_string())),
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
