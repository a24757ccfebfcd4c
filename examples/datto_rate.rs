//! How many requests a minute `itglue-sync` sends Datto RMM: `--datto-requests-per-minute`
//! (`DATTO_REQUESTS_PER_MINUTE`), by default Datto's documented limit of 600 per account.
//!
//! Raising it is for the fakes and benchmarks only (`cargo xtask scale` measures memory and
//! the binary's own time at 2,000 sites without waiting an hour for the limiter): against
//! Datto RMM, more than 600 a minute is answered `429` and may block the account for a while.

use clap::Args;
use datto_rmm_client::{ClientOptions, RateLimit};

use crate::exit::CliError;

/// Datto's documented limit: 600 requests a minute per account.
pub const DATTO_REQUESTS_PER_MINUTE: u32 = datto_rmm_client::DEFAULT_RATE_LIMIT_REQUESTS;

/// `--datto-requests-per-minute`.
#[derive(Debug, Clone, Copy, Args)]
pub struct DattoRateArgs {
    /// At most this many Datto RMM requests a minute. Datto allows 600 per account: raise it
    /// only against the fakes, for benchmarks.
    #[arg(
        long = "datto-requests-per-minute",
        env = "DATTO_REQUESTS_PER_MINUTE",
        value_name = "N",
        default_value_t = DATTO_REQUESTS_PER_MINUTE,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub requests_per_minute: u32,
}

impl DattoRateArgs {
    /// The limit the Datto RMM client keeps to.
    pub fn rate_limit(&self) -> Result<RateLimit, CliError> {
        RateLimit::per_minute(self.requests_per_minute)
            .map_err(|e| CliError::usage(format!("invalid --datto-requests-per-minute: {e}")))
    }

    /// What to say on stderr when the limit is not Datto's: `None` at Datto's own limit.
    pub fn notice(&self) -> Option<String> {
        (self.requests_per_minute != DATTO_REQUESTS_PER_MINUTE).then(|| {
            format!(
                "Datto RMM requests limited to {} a minute (--datto-requests-per-minute; Datto \
                 allows {DATTO_REQUESTS_PER_MINUTE}: only for the fakes and benchmarks)",
                self.requests_per_minute
            )
        })
    }

    /// `options` with this limit on all Datto RMM requests.
    pub fn options(&self, options: &ClientOptions) -> Result<ClientOptions, CliError> {
        Ok(options.clone().rate_limit(self.rate_limit()?))
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use datto_rmm_client::DattoClient;
    use sync_engine::datto::{DattoCredentials, DattoRmmAdapter};

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        rate: DattoRateArgs,
    }

    fn client(args: &[&str]) -> Result<DattoClient, String> {
        let cli = Cli::try_parse_from(std::iter::once("itglue-sync").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        let credentials = DattoCredentials::new("http://127.0.0.1:9/api", "key", "secret");
        let options = cli
            .rate
            .options(&ClientOptions::new())
            .map_err(|e| e.message)?;
        let adapter = DattoRmmAdapter::from_credentials_with(&credentials, &options)
            .map_err(|e| e.to_string())?;
        Ok(adapter.client().clone())
    }

    #[test]
    fn the_datto_client_keeps_to_datto_s_limit_unless_told_otherwise() {
        assert_eq!(
            client(&[]).unwrap().rate_limit(),
            RateLimit::per_minute(600).unwrap()
        );
        let datto_s = DattoRateArgs {
            requests_per_minute: DATTO_REQUESTS_PER_MINUTE,
        };
        assert_eq!(datto_s.notice(), None);
    }

    #[test]
    fn a_raised_request_rate_reaches_the_datto_client_and_is_announced() {
        let raised = client(&["--datto-requests-per-minute", "60000"]).unwrap();
        assert_eq!(raised.rate_limit(), RateLimit::per_minute(60_000).unwrap());
        let notice = DattoRateArgs {
            requests_per_minute: 60_000,
        }
        .notice()
        .unwrap();
        assert!(notice.contains("60000 a minute") && notice.contains("600"));
    }

    #[test]
    fn a_request_rate_of_zero_is_refused() {
        let error = client(&["--datto-requests-per-minute", "0"]).unwrap_err();
        assert!(error.contains("--datto-requests-per-minute"), "{error}");
    }
}
