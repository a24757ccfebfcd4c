//! The companies page and its changes: `companies`, `map`, `map-new`, `exclude`, `unmap`,
//! `associations`.

use clap::Args;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::output::{print_json, print_table, table};
use sync_core::gravityzone::Company;
use sync_engine::gravityzone::{
    AssociationRow, BatchPlan, ChangeRequest, Names, Removal, SiteLine, TableRow,
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

/// `companies`: the managed sites (`!` flags an open event: `events` lists them), the
/// associations of deleted sites, the free companies; names first, the ids last.
pub async fn show(ctx: &Context) -> Result<(), CliError> {
    let (tenant, connection) = ctx.tenant_and_connection().await?;
    let page = ctx.sync.companies_page(&tenant, &connection).await;
    let page = page.map_err(engine_error)?;
    if ctx.out.json {
        return print_json(&page);
    }
    let sites: Vec<SiteLine> = page.sites.iter().map(SiteLine::new).collect();
    print_table(&table(&sites, SiteLine::COLUMNS), "No managed sites.");
    if !page.deleted_sites.is_empty() {
        let deleted: Vec<SiteLine> = page.deleted_sites.iter().map(SiteLine::deleted).collect();
        let mut columns = SiteLine::COLUMNS.to_vec();
        columns[1] = "DELETED SITE (last known name)";
        print!("\n{}", table(&deleted, &columns).render());
    }
    println!();
    let free = table(&page.free_companies, Company::COLUMNS);
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
    let mut asker = Asker::new(confirm, ctx.out.json);
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
    ctx.out.print(&report, &report.lines())?;
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

/// `associations`: the site by the name the association remembers, the ids last
/// (`companies` shows the companies' names).
pub async fn associations(ctx: &Context) -> Result<(), CliError> {
    let tenant = ctx.tenant().await?;
    let records = ctx.sync.associations(&tenant).await.map_err(engine_error)?;
    let names = Names::default();
    let rows: Vec<AssociationRow> = records
        .iter()
        .map(|r| AssociationRow::new(r, &names))
        .collect();
    ctx.out.rows(&rows, "No associations yet.")
}
