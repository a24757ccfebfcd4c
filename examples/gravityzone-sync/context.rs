//! What every subcommand needs: the store, the workflow, the tenant, the vendor connection,
//! and the mapping of the workflow's errors to exit codes.

use clap::Args;
use msp_sync_examples::args::{DattoArgs, OutputArgs, required, required_secret, secret};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::{http, prompt};
use msp_transport::Secret;
use sync_engine::gravityzone::{
    Approval, DattoCredentials, GravityZoneCredentials, GravityZoneSync, GravityZoneSyncError,
    TenantConnection,
};
use sync_engine::lookup::Subject;
use sync_store::TenantId;

use crate::Cli;

/// The GravityZone API key and access URL.
#[derive(Debug, Clone, Args)]
pub struct GravityZoneArgs {
    /// GravityZone access URL from Control Center (My Account → API keys), e.g.
    /// `https://cloudgz.gravityzone.bitdefender.com/api`.
    #[arg(
        id = "gravityzone_url",
        long = "gravityzone-url",
        env = "GRAVITYZONE_ACCESS_URL",
        value_name = "URL",
        global = true
    )]
    pub url: Option<String>,
    /// GravityZone API key (needs the Companies, Licensing, Packages and Network APIs).
    #[arg(
        id = "gravityzone_key",
        long = "gravityzone-key",
        env = "GRAVITYZONE_API_KEY",
        value_name = "KEY",
        value_parser = secret,
        hide_env_values = true,
        global = true
    )]
    pub key: Option<Secret>,
}

/// The store, the workflow and the arguments every subcommand reads.
pub struct Context {
    /// The workflow over the store.
    pub sync: GravityZoneSync,
    /// `--json` or tables.
    pub out: OutputArgs,
    /// Who to record as the author of changes.
    pub user: String,
    datto: DattoArgs,
    gravityzone: GravityZoneArgs,
}

impl Context {
    /// Opens the store named on the command line.
    pub async fn new(cli: &Cli) -> Result<Self, CliError> {
        Ok(Self {
            sync: GravityZoneSync::new(cli.store.open().await?),
            out: cli.output,
            user: cli.user.name(),
            datto: cli.datto.clone(),
            gravityzone: cli.gravityzone.clone(),
        })
    }

    /// The tenant the Datto RMM arguments name, from the store (no vendor call).
    pub async fn tenant(&self) -> Result<TenantId, CliError> {
        self.datto.tenant(self.sync.store().as_ref()).await
    }

    /// The real clients for the credentials on the command line.
    pub fn connection(&self) -> Result<TenantConnection, CliError> {
        let (key, secret) = self.datto.secrets()?;
        let datto = DattoCredentials::new(self.datto.api_url()?, key, secret);
        let gz = &self.gravityzone;
        let url = required(&gz.url, "--gravityzone-url", "GRAVITYZONE_ACCESS_URL")?;
        let gz_key = required_secret(&gz.key, "--gravityzone-key", "GRAVITYZONE_API_KEY")?;
        let gravityzone = GravityZoneCredentials::new(url, gz_key);
        TenantConnection::from_credentials_with(&datto, &gravityzone, &http::client_options())
            .map_err(|e| CliError::usage(format!("cannot use these vendor settings: {e}")))
    }

    /// The tenant and the connection.
    pub async fn tenant_and_connection(&self) -> Result<(TenantId, TenantConnection), CliError> {
        Ok((self.tenant().await?, self.connection()?))
    }
}

/// The exit code and message for a workflow error; a reference that names nothing (or several)
/// says where to see the records.
pub fn engine_error(error: GravityZoneSyncError) -> CliError {
    let message = error.to_string();
    if let GravityZoneSyncError::Lookup(lookup) = &error {
        let page = match lookup.subject() {
            Subject::OpenEvent => "events",
            _ => "companies",
        };
        CliError::usage(format!("{message} (see `{page}`)"))
    } else if error.is_vendor() {
        CliError::vendor(message)
    } else if error.is_refused_request() {
        CliError::usage(message)
    } else {
        CliError::failure(message)
    }
}

/// Asks a person to approve a confirmation list or an event's actions, under the tenant's lease:
/// the plan is shown (unless `--json`) and approved on `--yes` or when the person says yes. A
/// prompt that cannot be asked (not on a terminal) declines and is kept for [`Asker::finish`].
pub struct Asker {
    yes: bool,
    json: bool,
    refused: Option<CliError>,
}

impl Asker {
    /// An asker for these arguments.
    pub fn new(confirm: &ConfirmArgs, json: bool) -> Self {
        let (yes, refused) = (confirm.yes, None);
        Self { yes, json, refused }
    }

    /// Shows `lines`, then asks `question` unless `--yes`.
    pub fn approves(&mut self, lines: &[String], question: &str) -> bool {
        if !self.json {
            lines.iter().for_each(|line| println!("{line}"));
        }
        if self.yes {
            return true;
        }
        match prompt::confirm(question) {
            Ok(yes) => yes,
            Err(error) => {
                self.refused = Some(error);
                false
            }
        }
    }

    /// The error of a prompt that could not be asked.
    pub fn finish(self) -> Result<(), CliError> {
        self.refused.map_or(Ok(()), Err)
    }
}

/// A preview for `--dry-run`, else `ask`.
pub fn approval<'a, P>(
    confirm: &ConfirmArgs,
    ask: &'a mut (dyn FnMut(&P) -> bool + Send),
) -> Approval<'a, P> {
    if confirm.dry_run {
        Approval::Preview
    } else {
        Approval::Ask(ask)
    }
}

/// How a batch of changes or an event action is confirmed.
#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// Apply without asking (needed when not on a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Only show the confirmation list.
    #[arg(long)]
    pub dry_run: bool,
}
