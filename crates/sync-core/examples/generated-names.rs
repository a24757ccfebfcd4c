//! Writes the generated inventory of the benchmarks as two files of names, one per line, for
//! `name-match` and for comparisons with other matchers (`cargo xtask bench-names`):
//!
//! ```text
//! cargo run --release -p sync-core --example generated-names -- DIR [COUNT]
//! ```
//!
//! writes `DIR/organizations.txt` and `DIR/sites.txt` with COUNT names each (default 10,000).

#[path = "../benches/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: generated-names DIR [COUNT]");
        return ExitCode::from(2);
    };
    let count = match args.next().map(|c| c.parse::<usize>()) {
        None => 10_000,
        Some(Ok(count)) => count,
        Some(Err(e)) => {
            eprintln!("generated-names: COUNT: {e}");
            return ExitCode::from(2);
        }
    };
    let (organizations, sites) = support::organizations_and_sites(count, 1);
    let lines = |names: Vec<String>| names.join("\n") + "\n";
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| {
            std::fs::write(
                dir.join("organizations.txt"),
                lines(organizations.into_iter().map(|o| o.name).collect()),
            )
        })
        .and_then(|()| std::fs::write(dir.join("sites.txt"), lines(sites)));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generated-names: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
