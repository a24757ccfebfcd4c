//! The command-line arguments both sync binaries share: where the store is, which Datto RMM
//! account the tenant is, and the vendors' credentials. Every credential can come from a flag
//! or from an environment variable; `--help` never shows the value of a secret variable.

use std::sync::Arc;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, CommandFactory};
use msp_transport::Secret;
use sync_engine::tenant::{FindTenantError, find_tenant};
use sync_store::{Store, TenantId};

use crate::exit::CliError;
pub use sync_store::StoreLocation;

/// `--store`: a SQLite file (by default in the user's data directory), `postgres://…` for
/// several workers, or `memory`.
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The store: a SQLite file path, a `postgres://` URL, or `memory` for a throw-away run. Default:
    /// `$XDG_DATA_HOME/msp-sync/msp-sync.sqlite` (else `~/.local/share/msp-sync/…`).
    #[arg(
        long,
        env = "MSP_SYNC_STORE",
        value_name = "PATH|URL|memory",
        global = true
    )]
    pub store: Option<StoreLocation>,
}

impl StoreArgs {
    /// The store given, else the default file in the user's data directory.
    pub fn location(&self) -> Result<StoreLocation, CliError> {
        self.store
            .clone()
            .or_else(|| StoreLocation::default_file(|name| std::env::var(name).ok()))
            .ok_or_else(|| {
                CliError::usage(
                    "no data directory (neither XDG_DATA_HOME nor HOME is set): pass --store <path>",
                )
            })
    }

    /// Opens the store these arguments name, creating the file and its directory when needed.
    pub async fn open(&self) -> Result<Arc<dyn Store>, CliError> {
        let location = self.location()?;
        location
            .open()
            .await
            .map_err(|e| CliError::failure(e.to_string()))
    }
}

/// The Datto RMM account: its API URL names the tenant, with the account uid.
#[derive(Debug, Clone, Args)]
pub struct DattoArgs {
    /// Datto RMM API URL of your platform, e.g. `https://merlot-api.centrastage.net` (pinotage,
    /// merlot, concord, vidal, zinfandel, syrah).
    #[arg(
        id = "datto_url",
        long = "datto-url",
        env = "DATTO_API_URL",
        value_name = "URL",
        global = true
    )]
    pub url: Option<String>,
    /// Datto RMM API key (prefer the environment variable: flags show in process lists).
    #[arg(
        id = "datto_key",
        long = "datto-key",
        env = "DATTO_API_KEY",
        value_name = "KEY",
        value_parser = secret,
        hide_env_values = true,
        global = true
    )]
    pub key: Option<Secret>,
    /// Datto RMM API secret key.
    #[arg(
        id = "datto_secret",
        long = "datto-secret",
        env = "DATTO_API_SECRET",
        value_name = "SECRET",
        value_parser = secret,
        hide_env_values = true,
        global = true
    )]
    pub secret: Option<Secret>,
    /// The Datto RMM account uid, when the store holds several tenants on one API URL
    /// (`connect` prints it).
    #[arg(long, env = "DATTO_ACCOUNT_UID", value_name = "UID", global = true)]
    pub account: Option<String>,
}

/// A required value, or a usage error naming the flag and the variable.
pub fn required<'a>(
    value: &'a Option<String>,
    flag: &str,
    variable: &str,
) -> Result<&'a str, CliError> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(flag, variable))
}

/// A credential typed on the command line or read from the environment, as a [`Secret`] from
/// the start (blanks around it dropped), so no `Debug` of the arguments can show it.
pub fn secret(text: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(text.trim()))
}

/// A required credential, or a usage error naming the flag and the variable.
pub fn required_secret(
    value: &Option<Secret>,
    flag: &str,
    variable: &str,
) -> Result<Secret, CliError> {
    let given = value.as_ref().filter(|secret| !secret.is_empty());
    given.cloned().ok_or_else(|| missing(flag, variable))
}

fn missing(flag: &str, variable: &str) -> CliError {
    CliError::usage(format!("missing {flag} (or the {variable} variable)"))
}

impl DattoArgs {
    /// The API URL.
    pub fn api_url(&self) -> Result<&str, CliError> {
        required(&self.url, "--datto-url", "DATTO_API_URL")
    }

    /// The key and secret, as secrets.
    pub fn secrets(&self) -> Result<(Secret, Secret), CliError> {
        let key = required_secret(&self.key, "--datto-key", "DATTO_API_KEY")?;
        let secret = required_secret(&self.secret, "--datto-secret", "DATTO_API_SECRET")?;
        Ok((key, secret))
    }

    /// The tenant this account is in the store (`sync_engine::tenant::find_tenant`). Calls no
    /// vendor; fails when `connect` has not been run.
    pub async fn tenant(&self, store: &dyn Store) -> Result<TenantId, CliError> {
        let found = find_tenant(store, self.api_url()?, self.account.as_deref()).await;
        found.map_err(|e| match e {
            FindTenantError::NotConnected { .. } => {
                CliError::usage(format!("{e}: run `connect` first"))
            }
            FindTenantError::Several { .. } => {
                CliError::usage(format!("{e}: pass --account <uid>"))
            }
            FindTenantError::Store(_) => CliError::failure(e.to_string()),
            _ => CliError::usage(format!("invalid --datto-url or --account: {e}")),
        })
    }
}

/// `--json`.
#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// Print JSON (for scripts) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

/// The name recorded as the author of user actions: `--user`, else `$USER`, else `cli`.
#[derive(Debug, Clone, Args)]
pub struct UserArgs {
    /// Who you are, as recorded in the history of the changes you make.
    #[arg(
        long,
        env = "USER",
        value_name = "NAME",
        global = true,
        hide_env_values = true
    )]
    pub user: Option<String>,
}

impl UserArgs {
    /// The user name to record.
    pub fn name(&self) -> String {
        self.user
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or("cli")
            .to_owned()
    }
}

/// Parses an interval such as `1h`, `30m`, `90s`, `1h30m` or `2d` (a bare number is seconds;
/// units and their spellings are `humantime`'s).
pub fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    match text.parse::<u64>() {
        Ok(seconds) => Ok(std::time::Duration::from_secs(seconds)),
        Err(_) => humantime::parse_duration(text)
            .map_err(|e| format!("{e} in {text:?} (an interval such as 1h, 30m or 90s)")),
    }
}

/// [`parse_interval`], refusing `0s`: for the intervals a loop waits between two rounds.
pub fn parse_positive_interval(text: &str) -> Result<std::time::Duration, String> {
    match parse_interval(text)? {
        zero if zero.is_zero() => Err("must be longer than 0s".to_owned()),
        interval => Ok(interval),
    }
}

/// A parser of one of the engine's named choices (`REGIONS`, `SYNC_LEVELS`, …): `--help` lists
/// the words, and a word that is not one of them is refused naming them.
pub fn named<T: Copy + Send + Sync + 'static>(
    choices: &'static [(&'static str, T)],
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(choices.iter().map(|(word, _)| *word)).try_map(|word| {
        let chosen = choices.iter().find(|(w, _)| *w == word);
        chosen
            .map(|(_, value)| *value)
            .ok_or("not one of the values")
    })
}

/// `completions <SHELL>`: the shell completion script of a binary, printed on standard output.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

impl CompletionsArgs {
    /// Prints the completion script of the command-line `C`, installed as `name`.
    ///
    /// ```
    /// use clap::Parser;
    /// use msp_sync_examples::args::CompletionsArgs;
    ///
    /// #[derive(Parser)]
    /// struct Cli {
    ///     #[arg(long)]
    ///     verbose: bool,
    /// }
    /// let args = CompletionsArgs { shell: clap_complete::Shell::Bash };
    /// let script = args.script::<Cli>("tool");
    /// assert!(script.contains("--verbose"));
    /// ```
    pub fn script<C: CommandFactory>(&self, name: &str) -> String {
        let mut command = C::command();
        let mut out = Vec::new();
        clap_complete::generate(self.shell, &mut command, name, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Prints [`CompletionsArgs::script`] on standard output.
    pub fn print<C: CommandFactory>(&self, name: &str) {
        print!("{}", self.script::<C>(name));
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn intervals_parse_in_units_and_combinations() {
        assert_eq!(parse_interval("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_interval("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_interval("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_interval("2d"), Ok(Duration::from_secs(172_800)));
        assert_eq!(parse_interval("45"), Ok(Duration::from_secs(45)));
    }

    #[test]
    fn malformed_intervals_are_refused() {
        for bad in ["", "h", "1x", "1h30", "99999999999999999999d"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_loop_interval_must_not_be_zero() {
        assert_eq!(parse_positive_interval("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(
            parse_positive_interval("0s"),
            Err("must be longer than 0s".to_owned())
        );
        assert!(parse_positive_interval("1x").is_err());
    }

    #[test]
    fn datto_arguments_never_print_their_secrets() {
        let args = DattoArgs {
            url: Some("https://merlot-api.centrastage.net".into()),
            key: Some("KEY-123".into()),
            secret: Some("SECRET-456".into()),
            account: None,
        };
        let printed = format!("{args:?}");
        assert!(
            !printed.contains("KEY-123") && !printed.contains("SECRET-456"),
            "{printed}"
        );
    }

    #[test]
    fn credentials_are_read_as_secrets_and_a_blank_one_is_missing() {
        use clap::Parser;
        #[derive(Debug, Parser)]
        struct Cli {
            #[command(flatten)]
            datto: DattoArgs,
        }
        let cli = Cli::parse_from(["t", "--datto-key", " KEY-123 ", "--datto-secret", "  "]);
        assert!(!format!("{cli:?}").contains("KEY-123"), "{cli:?}");
        let key = required_secret(&cli.datto.key, "--datto-key", "DATTO_API_KEY").unwrap();
        assert_eq!(key.expose_secret(), "KEY-123");
        let error = cli.datto.secrets().unwrap_err();
        assert!(
            error.message.contains("--datto-secret"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_missing_credential_names_its_flag_and_variable() {
        let error = required(&None, "--datto-key", "DATTO_API_KEY").unwrap_err();
        assert_eq!(error.code, crate::exit::USAGE);
        assert!(error.message.contains("--datto-key") && error.message.contains("DATTO_API_KEY"));
    }
}
