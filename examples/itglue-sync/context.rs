//! What every subcommand needs: the store, the vendor ports, the flow, who acts, the last
//! sync's report, and the mapping of the flow's errors to exit codes.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use msp_sync_examples::args::{DattoArgs, required};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::store::{self, StoreLocation};
use msp_transport::Secret;
use sync_core::itglue::{GroupId, Organization, OrganizationId};
use sync_engine::datto::DattoCredentials;
use sync_engine::itglue::{
    ActionOutcome, Actor, DattoRmmAdapter, ItGlueAdapter, ItGlueCredentials, ItGlueError,
    ItGlueFlow, ItGlueLocation, ItGluePort, NoProgress, ProgressSink, SyncReport,
};
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
    location: StoreLocation,
    datto: DattoArgs,
    itglue: ItGlueArgs,
}

/// A flow with its IT Glue port (for the organization names the report leaves out).
pub struct Wired {
    /// The flow.
    pub flow: ItGlueFlow,
    /// The IT Glue port the flow uses.
    pub docs: Arc<ItGlueAdapter>,
}

impl Context {
    /// Opens the store named on the command line.
    pub async fn new(cli: &Cli) -> Result<Self, CliError> {
        let location = store::resolve(cli.store.store.clone())?;
        let store = store::open(&location).await?;
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
            location,
            datto: cli.datto.clone(),
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
        let rmm = DattoRmmAdapter::from_credentials(&datto)
            .map_err(|e| CliError::usage(format!("cannot use these Datto RMM settings: {e}")))?;
        let docs = ItGlueAdapter::new(&itglue)
            .map_err(|e| CliError::usage(format!("cannot use these IT Glue settings: {e}")))?;
        Ok((Arc::new(rmm), Arc::new(docs)))
    }

    /// The flow of the tenant the Datto RMM account names, asking Datto RMM which account the
    /// credentials belong to (for `connect`).
    pub async fn discover(&self) -> Result<Wired, CliError> {
        let (rmm, docs) = self.ports()?;
        let tenant = sync_engine::itglue::discover_tenant(rmm.as_ref())
            .await
            .map_err(flow_error)?;
        Ok(self.wire(tenant, rmm, docs))
    }

    /// The flow of the tenant the store knows for the Datto RMM arguments (no vendor call).
    pub async fn flow(&self) -> Result<Wired, CliError> {
        let tenant = self.datto.tenant(self.store.as_ref()).await?;
        let (rmm, docs) = self.ports()?;
        Ok(self.wire(tenant, rmm, docs))
    }

    fn wire(&self, tenant: TenantId, rmm: Arc<DattoRmmAdapter>, docs: Arc<ItGlueAdapter>) -> Wired {
        let flow = ItGlueFlow::new(Arc::clone(&self.store), tenant, rmm, docs.clone());
        Wired { flow, docs }
    }

    /// Where the last report of `tenant` is kept (none for a store in memory).
    fn report_path(&self, tenant: &TenantId) -> Option<PathBuf> {
        let StoreLocation::File(path) = &self.location else {
            return None;
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "msp-sync".to_owned());
        let account: String = tenant
            .account_uid()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        Some(path.with_file_name(format!("{stem}.itglue-report-{account}.json")))
    }

    /// Keeps `report` as the tenant's last one.
    pub fn save_report(&self, tenant: &TenantId, report: &SyncReport) -> Result<(), CliError> {
        let Some(path) = self.report_path(tenant) else {
            return Ok(());
        };
        let text = serde_json::to_vec(report)
            .map_err(|e| CliError::failure(format!("cannot write the report: {e}")))?;
        std::fs::write(&path, text).map_err(|e| {
            CliError::failure(format!("cannot write the report {}: {e}", path.display()))
        })
    }

    /// After an applied action the kept report no longer shows the tenant as it is: it is
    /// dropped, so the next command syncs first.
    pub fn after_action(&self, tenant: &TenantId, outcome: &ActionOutcome) {
        if !outcome.applied {
            return;
        }
        if let Some(path) = self.report_path(tenant) {
            let _ = std::fs::remove_file(path);
        }
    }

    /// The last report of the flow's tenant; syncs first when there is none (or `refresh`).
    pub async fn report(&self, wired: &Wired, refresh: bool) -> Result<SyncReport, CliError> {
        let tenant = wired.flow.tenant();
        if !refresh
            && let Some(path) = self.report_path(tenant)
            && let Ok(bytes) = std::fs::read(&path)
        {
            if let Ok(report) = serde_json::from_slice::<SyncReport>(&bytes) {
                return Ok(report);
            }
            eprintln!(
                "The saved report {} cannot be read; syncing again.",
                path.display()
            );
        } else if !refresh {
            eprintln!("No current sync report; syncing first.");
        }
        self.sync(wired, &NoProgress).await
    }

    /// Runs a sync and keeps its report.
    pub async fn sync(
        &self,
        wired: &Wired,
        progress: &dyn ProgressSink,
    ) -> Result<SyncReport, CliError> {
        let report = wired.flow.run(progress).await.map_err(flow_error)?;
        self.save_report(wired.flow.tenant(), &report)?;
        Ok(report)
    }
}

/// The names of every IT Glue organization, by id.
pub async fn organization_names(
    wired: &Wired,
) -> Result<BTreeMap<OrganizationId, String>, CliError> {
    let organizations: Vec<Organization> = wired
        .docs
        .organizations()
        .await
        .map_err(|e| CliError::vendor(e.to_string()))?;
    Ok(organizations.into_iter().map(|o| (o.id, o.name)).collect())
}

/// The group a reference names: its name (case-insensitively), a site uid or name within it,
/// or its Autotask company id.
pub fn find_group<'a>(report: &'a SyncReport, reference: &str) -> Result<&'a GroupId, CliError> {
    let wanted = reference.trim();
    let by_id: Vec<&GroupId> = report
        .groups
        .iter()
        .filter(|view| {
            let id = match &view.group.id {
                GroupId::Site(uid) => uid.as_str() == wanted,
                GroupId::AutotaskCompany(id) => id.0 == wanted,
                _ => false,
            };
            id || view.group.sites.iter().any(|s| s.as_str() == wanted)
        })
        .map(|view| &view.group.id)
        .collect();
    if let [id] = by_id.as_slice() {
        return Ok(id);
    }
    let by_name: Vec<&GroupId> = report
        .groups
        .iter()
        .filter(|view| view.group.name.trim().eq_ignore_ascii_case(wanted))
        .map(|view| &view.group.id)
        .collect();
    match by_name.as_slice() {
        [id] => Ok(id),
        [] => Err(CliError::usage(format!(
            "no group {reference:?} takes part in the sync (see `orgs`)"
        ))),
        _ => Err(CliError::usage(format!(
            "several groups are named {reference:?}; use a site uid"
        ))),
    }
}

/// The organization a reference names: its id, or its exact name (case-insensitively).
pub fn find_organization(
    names: &BTreeMap<OrganizationId, String>,
    reference: &str,
) -> Result<OrganizationId, CliError> {
    let wanted = reference.trim();
    if let Ok(id) = wanted.parse::<u64>() {
        return Ok(OrganizationId(id));
    }
    let named: Vec<OrganizationId> = names
        .iter()
        .filter(|(_, name)| name.trim().eq_ignore_ascii_case(wanted))
        .map(|(id, _)| *id)
        .collect();
    match named.as_slice() {
        [id] => Ok(*id),
        [] => Err(CliError::usage(format!(
            "no IT Glue organization is named {reference:?} (try `match <group> --search {reference:?}`)"
        ))),
        _ => Err(CliError::usage(format!(
            "several organizations are named {reference:?}; use an id"
        ))),
    }
}

/// The exit code and message for a flow error.
pub fn flow_error(error: ItGlueError) -> CliError {
    use ItGlueError as E;
    let message = error.to_string();
    match error {
        E::CredentialsRefused { .. }
        | E::CredentialsUnchecked { .. }
        | E::WrongAccount { .. }
        | E::CredentialsInvalid { .. }
        | E::CredentialsNotSaved { .. }
        | E::Vendor(_)
        | E::UnexpectedAnswer(_) => CliError::vendor(message),
        E::NotConnected { .. }
        | E::InvalidTenant(_)
        | E::OutOfScope { .. }
        | E::AdministratorOnly { .. }
        | E::DuplicateOrganization { .. }
        | E::CreateCapExceeded { .. }
        | E::UnknownGroup { .. }
        | E::UnknownOrganization { .. }
        | E::UnknownDevice { .. }
        | E::UnknownConfiguration { .. }
        | E::GroupNotMatched { .. }
        | E::NotASuggestion { .. }
        | E::AlreadyMatched { .. }
        | E::Taken { .. }
        | E::IgnoreState { .. }
        | E::NoConfigurationType { .. } => CliError::usage(message),
        _ => CliError::failure(message),
    }
}
