//! `name-match`: matches every name of a query file against the names of a candidate file, the
//! way the IT Glue sync matches site names to organizations, and prints one JSON line per query:
//! the query, its automatic match if any, and its best suggestions with score and reason (a
//! query with nothing at or above the floor gets its best candidate as one suggestion marked
//! `"weak": true`). The queries are matched on every core.
//!
//! ```text
//! cargo run --release --example name-match -- organizations.txt sites.txt
//! {"query":"ACME Dental - Main Office","match":{"id":1,"name":"Acme Dental, LLC","reason":"normalised"},"suggestions":[…]}
//! ```
//!
//! A candidate's id is its line number in the candidate file (blank lines are skipped). Every
//! line of the query file is a query, so output line *n* answers query line *n*.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use msp_sync_examples::exit::{self, CliError};
use sync_core::itglue::{DEFAULT_SUGGESTION_FLOOR, DEFAULT_TOP_K, MatchOptions, OrganizationIndex};

/// Match query names against candidate names and print the matches and suggestions as JSON lines.
#[derive(Debug, Parser)]
#[command(
    name = "name-match",
    version,
    about = "Match names against candidate names (one per line) and print JSON lines",
    long_about = "Match every line of QUERIES against the names in CANDIDATES (one per line), \
the way the IT Glue sync matches site names to organizations, and print one JSON line per query: \
the query, its automatic match (exact name, tenant alias or normalised name, when exactly one \
candidate has it) and its best suggestions with score, reason and margin. A candidate's id is its \
line number in CANDIDATES.",
    after_help = exit::EXIT_CODES_HELP
)]
struct Cli {
    /// File of candidate names (IT Glue organizations), one per line.
    candidates: PathBuf,
    /// File of query names (sites or Autotask companies), one per line.
    queries: PathBuf,
    /// Suggestions scoring below this are not printed (0 to 1).
    #[arg(long, default_value_t = DEFAULT_SUGGESTION_FLOOR)]
    floor: f64,
    /// At most this many suggestions per query.
    #[arg(long, default_value_t = DEFAULT_TOP_K)]
    top_k: usize,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    exit::finish("name-match", run(&cli))
}

fn run(cli: &Cli) -> Result<(), CliError> {
    if !(0.0..=1.0).contains(&cli.floor) {
        return Err(CliError::usage(format!(
            "--floor must be between 0 and 1, not {}",
            cli.floor
        )));
    }
    let index = OrganizationIndex::from_lines(&read(&cli.candidates)?);
    let queries = read(&cli.queries)?;
    let queries: Vec<&str> = queries.lines().collect();
    let options = MatchOptions {
        floor: cli.floor,
        top_k: cli.top_k,
        ..MatchOptions::default()
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (query, result) in queries
        .iter()
        .zip(index.evaluate_parallel(&queries, &options))
    {
        serde_json::to_writer(&mut out, &index.named(query, &result))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
            .map_err(|e| CliError::failure(format!("cannot write: {e}")))?;
    }
    out.flush()
        .map_err(|e| CliError::failure(format!("cannot write: {e}")))
}

/// The file's text; bytes that are not UTF-8 are replaced rather than refused.
fn read(path: &Path) -> Result<String, CliError> {
    let bytes = fs::read(path)
        .map_err(|e| CliError::failure(format!("cannot read {}: {e}", path.display())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
