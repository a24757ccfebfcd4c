//! What every subcommand needs: the store, the vendor ports, the flow, who acts, the last
//! sync's report, and the mapping of the flow's errors to exit codes.

use std::sync::Arc;

use clap::{Args, ValueEnum};
use msp_sync_examples::args::{DattoArgs, required};
use msp_sync_examples::datto_rate::DattoRateArgs;
use msp_sync_examples::exit::CliError;
use msp_sync_examples::http;
use msp_sync_examples::output::print_json;
use msp_transport::Secret;
use sync_core::itglue::OrganizationId;
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    ActionOutcome, Actor, DattoRmmAdapter, GroupView, ItGlueAdapter, ItGlueCredentials,
    ItGlueError, ItGlueFlow, ItGlueLocation, NoProgress, ProgressSink, SyncReport,
};
use sync_engine::lookup::LookupError;
use sync_store::{Store, TenantId};

use crate::Cli;

/// IT Glue's data centres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Region {
    /// api.itglue.com
    Us,
    /// api.eu.itglue.com
    Eu,
    /// api.au.itglue.com
    Au,
}

/// The IT Glue API key and where the account is.
#[derive(Clone, Args)]
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
    /// IT Glue data centre of the account.
    #[arg(
        id = "itglue_region",
        long = "itglue-region",
        env = "ITGLUE_REGION",
        value_enum,
        default_value_t = Region::Us,
        global = true
    )]
    pub region: Region,
    /// IT Glue API key (Account → Settings → API Keys).
    #[arg(
        id = "itglue_key",
        long = "itglue-key",
        env = "ITGLUE_API_KEY",
        value_name = "KEY",
        hide_env_values = true,
        global = true
    )]
    pub key: Option<String>,
}

impl std::fmt::Debug for ItGlueArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueArgs")
            .field("url", &self.url)
            .field("region", &self.region)
            .field("key", &self.key.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

/// Who acts: an administrator, or a manager granted some organizations.
#[derive(Debug, Clone, Args)]
pub struct RoleArgs {
    /// Act as a manager granted only these IT Glue organizations (ids, comma separated): you
    /// then see and act on those alone.
    #[arg(long, value_name = "ORG,…", value_delimiter = ',', global = true)]
    pub manager_of: Vec<u64>,
}

/// The store, the vendor ports, who acts, and where the last report is kept.
pub struct Context {
    /// The store.
    pub store: Arc<dyn Store>,
    /// `--json`.
    pub json: bool,
    /// Who acts.
    pub actor: Actor,
    datto: DattoArgs,
    datto_rate: DattoRateArgs,
    itglue: ItGlueArgs,
}

impl Context {
    /// Opens the store named on the command line.
    pub async fn new(cli: &Cli) -> Result<Self, CliError> {
        let store = cli.store.open().await?;
        let user = cli.user.name();
        let actor = if cli.role.manager_of.is_empty() {
            Actor::administrator(user)
        } else {
            Actor::manager(
                user,
                cli.role.manager_of.iter().copied().map(OrganizationId),
            )
        };
        Ok(Self {
            store,
            json: cli.output.json,
            actor,
            datto: cli.datto.clone(),
            datto_rate: cli.datto_rate,
            itglue: cli.itglue.clone(),
        })
    }

    fn ports(&self) -> Result<(Arc<DattoRmmAdapter>, Arc<ItGlueAdapter>), CliError> {
        let (key, secret) = self.datto.secrets()?;
        let datto = DattoCredentials::new(self.datto.api_url()?, key, secret);
        let api_key = required(&self.itglue.key, "--itglue-key", "ITGLUE_API_KEY")?;
        let location = match self
            .itglue
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(url) => ItGlueLocation::Url(url.to_owned()),
            None => ItGlueLocation::Region(match self.itglue.region {
                Region::Us => itglue_client::Region::Us,
                Region::Eu => itglue_client::Region::Eu,
                Region::Au => itglue_client::Region::Au,
            }),
        };
        let itglue = ItGlueCredentials {
            location,
            api_key: Secret::new(api_key),
        };
        let options = http::client_options();
        if let Some(notice) = self.datto_rate.notice() {
            eprintln!("{notice}");
        }
        let rmm =
            DattoRmmAdapter::from_credentials_with(&datto, &self.datto_rate.options(&options)?)
                .map_err(|e| {
                    CliError::usage(format!("cannot use these Datto RMM settings: {e}"))
                })?;
        let docs = ItGlueAdapter::from_credentials_with(&itglue, &options)
            .map_err(|e| CliError::usage(format!("cannot use these IT Glue settings: {e}")))?;
        Ok((Arc::new(rmm), Arc::new(docs)))
    }

    /// The flow of the tenant the Datto RMM account names, asking Datto RMM which account the
    /// credentials belong to (for `connect`).
    pub async fn discover(&self) -> Result<ItGlueFlow, CliError> {
        let (rmm, docs) = self.ports()?;
        let tenant = sync_engine::itglue::discover_tenant(rmm.as_ref())
            .await
            .map_err(flow_error)?;
        Ok(self.wire(tenant, rmm, docs))
    }

    /// The flow of the tenant the store knows for the Datto RMM arguments (no vendor call).
    pub async fn flow(&self) -> Result<ItGlueFlow, CliError> {
        let tenant = self.datto.tenant(self.store.as_ref()).await?;
        let (rmm, docs) = self.ports()?;
        Ok(self.wire(tenant, rmm, docs))
    }

    fn wire(
        &self,
        tenant: TenantId,
        rmm: Arc<DattoRmmAdapter>,
        docs: Arc<ItGlueAdapter>,
    ) -> ItGlueFlow {
        ItGlueFlow::new(Arc::clone(&self.store), tenant, rmm, docs)
    }

    /// Refreshes the stored report with an applied action (only what it touched), so the next
    /// command shows it without syncing. A failed refresh is reported on stderr: the action
    /// itself was applied, and `sync` replaces the report.
    pub async fn after_action(&self, flow: &ItGlueFlow, outcome: &ActionOutcome) {
        if !outcome.applied {
            return;
        }
        if let Err(error) = flow.refresh_report(outcome).await {
            eprintln!("The action was applied, but the stored report was not refreshed: {error}");
        }
    }

    /// Refreshes the stored report with an action's outcome and prints it, naming everything
    /// by name (`--json`: the engine's `ActionOutcome`).
    pub async fn finish(
        &self,
        flow: &ItGlueFlow,
        outcome: Result<ActionOutcome, ItGlueError>,
    ) -> Result<(), CliError> {
        let outcome = outcome.map_err(flow_error)?;
        self.after_action(flow, &outcome).await;
        self.print_outcome(&outcome)
    }

    /// Prints what an action did or would do, one line per step (`--json`: as it is).
    pub fn print_outcome(&self, outcome: &ActionOutcome) -> Result<(), CliError> {
        if self.json {
            return print_json(outcome);
        }
        println!(
            "{}",
            if outcome.applied {
                "Done:"
            } else {
                "Dry run, would do:"
            }
        );
        outcome
            .lines()
            .iter()
            .for_each(|line| println!("  - {line}"));
        Ok(())
    }

    /// The stored report of the flow's tenant's last sync, as actions since refreshed it (no
    /// vendor call); `refresh` syncs first. Without a stored report: a usage error saying so.
    pub async fn report(&self, flow: &ItGlueFlow, refresh: bool) -> Result<SyncReport, CliError> {
        if refresh {
            return self.sync(flow, &NoProgress).await;
        }
        flow.last_report().await.map_err(|error| match error {
            ItGlueError::NoStoredRun { .. } => CliError::usage(
                "no sync of this tenant has finished yet: run `itglue-sync sync` first \
                 (or pass --refresh)",
            ),
            other => flow_error(other),
        })
    }

    /// Runs a sync (the engine keeps its report in the store).
    pub async fn sync(
        &self,
        flow: &ItGlueFlow,
        progress: &dyn ProgressSink,
    ) -> Result<SyncReport, CliError> {
        flow.run(progress).await.map_err(flow_error)
    }
}

/// The group a reference names: a site uid in it, its Autotask company id, else its name.
pub fn find_group<'a>(report: &'a SyncReport, reference: &str) -> Result<&'a GroupView, CliError> {
    report.find_group(reference).map_err(|e| match e {
        LookupError::NotFound { .. } => {
            CliError::usage(format!("{e} takes part in the sync (see `orgs`)"))
        }
        _ => CliError::usage(e.to_string()),
    })
}

/// The IT Glue organization a reference (id or name) names.
pub async fn find_organization(
    flow: &ItGlueFlow,
    reference: &str,
) -> Result<OrganizationId, CliError> {
    match flow.find_organization(reference).await {
        Ok(organization) => Ok(organization.id),
        Err(ItGlueError::Lookup(e @ LookupError::NotFound { .. })) => Err(CliError::usage(
            format!("{e} (try `match <group> --search {reference:?}`)"),
        )),
        Err(other) => Err(flow_error(other)),
    }
}

/// The exit code and message for a flow error.
pub fn flow_error(error: ItGlueError) -> CliError {
    let message = error.to_string();
    if error.is_vendor() {
        CliError::vendor(message)
    } else if error.is_refused_request() {
        CliError::usage(message)
    } else {
        CliError::failure(message)
    }
}
