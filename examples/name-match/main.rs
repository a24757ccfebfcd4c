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
use serde::Serialize;
use sync_core::itglue::{
    DEFAULT_SUGGESTION_FLOOR, DEFAULT_TOP_K, MatchOptions, MatchReason, NameMatch, Organization,
    OrganizationId, OrganizationIndex,
};

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

/// One output line.
#[derive(Debug, Serialize)]
struct Line<'a> {
    query: &'a str,
    #[serde(rename = "match")]
    matched: Option<Candidate<'a>>,
    suggestions: Vec<SuggestionLine<'a>>,
}

#[derive(Debug, Serialize)]
struct Candidate<'a> {
    id: u64,
    name: &'a str,
    reason: MatchReason,
}

#[derive(Debug, Serialize)]
struct SuggestionLine<'a> {
    id: u64,
    name: &'a str,
    score: f64,
    reason: MatchReason,
    margin: f64,
    /// Below the floor: the best candidate of a query with nothing at or above it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    weak: bool,
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
    let candidates = read_lines(&cli.candidates)?;
    let queries = read_lines(&cli.queries)?;
    let index = OrganizationIndex::new(
        candidates
            .iter()
            .enumerate()
            .filter(|(_, name)| !name.trim().is_empty())
            .map(|(at, name)| Organization {
                id: OrganizationId(at as u64 + 1),
                name: name.clone(),
            }),
    );
    let options = MatchOptions {
        floor: cli.floor,
        top_k: cli.top_k,
        ..MatchOptions::default()
    };

    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let names: Vec<&str> = queries.iter().map(String::as_str).collect();
    let results = index.evaluate_parallel(&names, &options);
    for (query, result) in queries.iter().zip(&results) {
        let line = to_line(query, result, &index);
        let json = serde_json::to_string(&line)
            .map_err(|e| CliError::failure(format!("cannot write JSON: {e}")))?;
        writeln!(out, "{json}").map_err(|e| CliError::failure(format!("cannot write: {e}")))?;
    }
    out.flush()
        .map_err(|e| CliError::failure(format!("cannot write: {e}")))
}

fn to_line<'a>(query: &'a str, result: &NameMatch, index: &'a OrganizationIndex) -> Line<'a> {
    let name_of = |id: OrganizationId| index.get(id).map_or("", |o| o.name.as_str());
    Line {
        query,
        matched: result.matched.map(|(id, reason)| Candidate {
            id: id.0,
            name: name_of(id),
            reason,
        }),
        suggestions: result
            .suggestions
            .iter()
            .map(|s| SuggestionLine {
                id: s.candidate.0,
                name: name_of(s.candidate),
                score: round(s.score),
                reason: s.reason,
                margin: round(s.margin),
                weak: s.weak,
            })
            .collect(),
    }
}

/// Six decimals are plenty for a score and keep the lines short.
fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// The file's lines; bytes that are not UTF-8 are replaced rather than refused.
fn read_lines(path: &Path) -> Result<Vec<String>, CliError> {
    let bytes = fs::read(path)
        .map_err(|e| CliError::failure(format!("cannot read {}: {e}", path.display())))?;
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::to_owned)
        .collect())
}
