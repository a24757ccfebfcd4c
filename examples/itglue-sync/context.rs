//! What every subcommand needs: the flow over the store and both vendors, who acts, how to
//! print, and the mapping of the flow's errors to exit codes.

use clap::Args;
use msp_sync_examples::args::{OutputArgs, named, required_secret, secret};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::http;
use msp_transport::Secret;
use sync_core::itglue::OrganizationId;
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    Actor, ItGlueConnection, ItGlueCredentials, ItGlueError, ItGlueFlow, ItGlueLocation, Mode,
    REGIONS, Request, SyncReport,
};
use sync_engine::lookup::{LookupError, Subject};

use crate::{Cli, Command};

/// The IT Glue API key and where the account is.
#[derive(Debug, Clone, Args)]
pub struct ItGlueArgs {
    /// IT Glue API URL (an API gateway, or the fakes); overrides --itglue-region.
    #[arg(
        id = "itglue_url",
        long = "itglue-url",
        env = "ITGLUE_API_URL",
        value_name = "URL",
        global = true
    )]
    pub url: Option<String>,
    /// IT Glue data centre of the account: us (api.itglue.com), eu (api.eu.itglue.com) or au
    /// (api.au.itglue.com).
    #[arg(
        id = "itglue_region",
        long = "itglue-region",
        env = "ITGLUE_REGION",
        value_parser = named(&REGIONS),
        default_value = "us",
        global = true
    )]
    pub region: itglue_client::Region,
    /// IT Glue API key (Account → Settings → API Keys).
    #[arg(
        id = "itglue_key",
        long = "itglue-key",
        env = "ITGLUE_API_KEY",
        value_name = "KEY",
        value_parser = secret,
        hide_env_values = true,
        global = true
    )]
    pub key: Option<Secret>,
}

/// Who acts: an administrator, or a manager granted some organizations.
#[derive(Debug, Clone, Args)]
pub struct RoleArgs {
    /// Act as a manager granted only these IT Glue organizations (ids, comma separated): you
    /// then see and act on those alone.
    #[arg(long, value_name = "ORG,…", value_delimiter = ',', global = true)]
    pub manager_of: Vec<u64>,
}

/// The flow of the tenant the command line names, who acts, and how to print.
pub struct Context {
    /// The flow.
    pub flow: ItGlueFlow,
    /// `--json` or tables.
    pub out: OutputArgs,
    /// Who acts.
    pub actor: Actor,
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

impl Context {
    /// Opens the store and wires the flow of the tenant the store knows for the Datto RMM
    /// arguments (for `connect`: of the account Datto RMM says the credentials belong to).
    pub async fn new(cli: &Cli) -> Result<Self, CliError> {
        let store = cli.store.open().await?;
        let known = match cli.command {
            Command::Connect => None,
            _ => Some(cli.datto.tenant(store.as_ref()).await?),
        };
        let (key, secret) = cli.datto.secrets()?;
        let datto = DattoCredentials::new(cli.datto.api_url()?, key, secret);
        let api_key = required_secret(&cli.itglue.key, "--itglue-key", "ITGLUE_API_KEY")?;
        let itglue = ItGlueCredentials {
            location: ItGlueLocation::url_or_region(cli.itglue.url.as_deref(), cli.itglue.region),
            api_key,
        };
        let options = http::client_options();
        if let Some(notice) = cli.datto_rate.notice() {
            eprintln!("{notice}");
        }
        let datto_options = cli.datto_rate.options(&options)?;
        let connection =
            ItGlueConnection::from_credentials_with(&datto, &datto_options, &itglue, &options);
        let connection = connection.map_err(flow_error)?;
        let flow = match known {
            Some(tenant) => connection.flow(store, tenant),
            None => connection.discover(store).await.map_err(flow_error)?,
        };
        let user = cli.user.name();
        let actor = match cli.role.manager_of.as_slice() {
            [] => Actor::administrator(user),
            granted => Actor::manager(user, granted.iter().copied().map(OrganizationId)),
        };
        Ok(Self {
            flow,
            out: cli.output,
            actor,
        })
    }

    /// The last sync's report as kept in the store, or with `refresh` a new sync's.
    pub async fn report(&self, refresh: bool) -> Result<SyncReport, CliError> {
        self.flow
            .last_report_or_sync(refresh)
            .await
            .map_err(flow_error)
    }

    /// Handles a request on the report `action` says, and prints what it did or would do, one
    /// line per step (`--json`: the engine's outcome).
    pub async fn act(&self, request: Request, action: &ActionArgs) -> Result<(), CliError> {
        let report = self.report(action.refresh).await?;
        let mode = Mode::from_dry_run(action.dry_run);
        let handled = self.flow.handle(&self.actor, &report, &request, mode).await;
        let handled = handled.map_err(flow_error)?;
        if let Some(error) = &handled.report_not_refreshed {
            eprintln!("The action was applied, but the stored report was not refreshed: {error}");
        }
        self.out.print(&handled, &handled.lines())
    }
}

/// The exit code and message for a flow error; a reference naming nothing says where to look.
pub fn flow_error(error: ItGlueError) -> CliError {
    if let ItGlueError::Lookup(LookupError::NotFound {
        subject, reference, ..
    }) = &error
    {
        let hint = match subject {
            Subject::Group => " takes part in the sync (see `orgs`)".to_owned(),
            Subject::Organization => format!(" (try `match <group> --search {reference:?}`)"),
            Subject::MatchedOrganization => " (see `orgs --matched`)".to_owned(),
            Subject::Device => " (see `devices <org>`)".to_owned(),
            _ => String::new(),
        };
        return CliError::usage(format!("{error}{hint}"));
    }
    let message = match error {
        ItGlueError::NoStoredRun { .. } => "no sync of this tenant has finished yet: run \
            `itglue-sync sync` first (or pass --refresh)"
            .to_owned(),
        ref other => other.to_string(),
    };
    if error.is_vendor() {
        CliError::vendor(message)
    } else if error.is_refused_request() {
        CliError::usage(message)
    } else {
        CliError::failure(message)
    }
}
