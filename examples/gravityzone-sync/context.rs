//! What every subcommand needs: the store, the workflow, the tenant, the vendor connection,
//! and the mapping of the workflow's errors to exit codes.

use std::sync::Arc;

use clap::Args;
use msp_sync_examples::args::{DattoArgs, required};
use msp_sync_examples::exit::CliError;
use msp_sync_examples::http;
use msp_transport::Secret;
use sync_engine::gravityzone::adapters::{DattoRmmAdapter, GravityZoneAdapter};
use sync_engine::gravityzone::{
    DattoCredentials, GravityZoneCredentials, GravityZoneSync, GravityZoneSyncError,
    TenantConnection,
};
use sync_store::{Store, TenantId};

use crate::Cli;

/// The GravityZone API key and access URL.
#[derive(Clone, Args)]
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
        hide_env_values = true,
        global = true
    )]
    pub key: Option<String>,
}

impl std::fmt::Debug for GravityZoneArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GravityZoneArgs")
            .field("url", &self.url)
            .field("key", &self.key.as_ref().map(|_| "[REDACTED]"))
            .finish()
    }
}

/// The store, the workflow and the arguments every subcommand reads.
pub struct Context {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The workflow over the store.
    pub sync: GravityZoneSync,
    /// `--json`.
    pub json: bool,
    /// Who to record as the author of changes.
    pub user: String,
    datto: DattoArgs,
    gravityzone: GravityZoneArgs,
}

impl Context {
    /// Opens the store named on the command line.
    pub async fn new(cli: &Cli) -> Result<Self, CliError> {
        let store = cli.store.open().await?;
        Ok(Self {
            sync: GravityZoneSync::new(Arc::clone(&store)),
            store,
            json: cli.output.json,
            user: cli.user.name(),
            datto: cli.datto.clone(),
            gravityzone: cli.gravityzone.clone(),
        })
    }

    /// The tenant the Datto RMM arguments name, from the store (no vendor call).
    pub async fn tenant(&self) -> Result<TenantId, CliError> {
        self.datto.tenant(self.store.as_ref()).await
    }

    /// The real clients for the credentials on the command line.
    pub fn connection(&self) -> Result<TenantConnection, CliError> {
        let (key, secret) = self.datto.secrets()?;
        let datto = DattoCredentials::new(self.datto.api_url()?, key, secret);
        let url = required(
            &self.gravityzone.url,
            "--gravityzone-url",
            "GRAVITYZONE_ACCESS_URL",
        )?;
        let gz_key = required(
            &self.gravityzone.key,
            "--gravityzone-key",
            "GRAVITYZONE_API_KEY",
        )?;
        let gravityzone = GravityZoneCredentials::new(url, Secret::new(gz_key));
        let refused = |e: &dyn std::fmt::Display| {
            CliError::usage(format!("cannot use these vendor settings: {e}"))
        };
        let options = http::client_options();
        Ok(TenantConnection::from_adapters(
            &datto,
            DattoRmmAdapter::from_credentials_with(&datto, &options).map_err(|e| refused(&e))?,
            &gravityzone,
            GravityZoneAdapter::from_credentials_with(&gravityzone, &options)
                .map_err(|e| refused(&e))?,
        ))
    }

    /// The tenant and the connection.
    pub async fn tenant_and_connection(&self) -> Result<(TenantId, TenantConnection), CliError> {
        Ok((self.tenant().await?, self.connection()?))
    }
}

/// The exit code and message for a workflow error.
pub fn engine_error(error: GravityZoneSyncError) -> CliError {
    use GravityZoneSyncError as E;
    let message = error.to_string();
    match error {
        E::Vendor(_)
        | E::CredentialsRefused { .. }
        | E::CredentialsUnchecked { .. }
        | E::CredentialsInvalid { .. }
        | E::CredentialsNotSaved { .. }
        | E::WrongAccount { .. }
        | E::WrongPartner { .. }
        | E::ActionFailed(_) => CliError::vendor(message),
        // A change or an event action the flow refuses (the input is wrong for the state).
        E::NotConnected { .. }
        | E::Settings(_)
        | E::EventNotFound(_)
        | E::Resolve(_)
        | E::Lookup(_) => CliError::usage(message),
        E::ChangesRefused(refusals) => {
            let lines: Vec<String> = refusals
                .iter()
                .map(|r| format!("  change {}: {}", r.index + 1, r.reason))
                .collect();
            CliError::usage(format!(
                "{message}; nothing was done:\n{}",
                lines.join("\n")
            ))
        }
        _ => CliError::failure(message),
    }
}

/// A workflow error of a lookup, with a hint where to see the records, as a usage error.
pub fn lookup_error(error: GravityZoneSyncError, hint: &str) -> CliError {
    match error {
        GravityZoneSyncError::Lookup(e) => CliError::usage(format!("{e} ({hint})")),
        other => engine_error(other),
    }
}
