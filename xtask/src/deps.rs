//! The dependency checks of `cargo xtask ci`: no unused dependency, and no client that pulls in
//! a sync crate or another client.
//!
//! The unused-dependency check reads the workspace from `cargo metadata` and looks for each
//! dependency's crate name in the package's Rust files, the way `cargo machete` does, with
//! one rule more: a normal dependency must be named outside the test files (`tests/`,
//! `benches/`, `tests.rs`), otherwise it belongs in `[dev-dependencies]`. A dev-dependency may
//! be named anywhere, the README included (its Rust blocks may be compiled as doc tests). It
//! needs no tool to be installed and runs in well under a second.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The crates no client may depend on (normal dependencies, transitively).
const NOT_UNDER_A_CLIENT: &[&str] = &[
    "sync-core",
    "sync-store",
    "sync-engine",
    "msp-fakes",
    "msp-reliability",
    "msp-sync-examples",
];

/// The three vendor clients.
const CLIENTS: &[&str] = &["datto-rmm-client", "gravityzone-client", "itglue-client"];

/// Fails naming every dependency no code of its package uses, and every normal dependency only
/// tests use.
pub fn unused() -> Result<(), String> {
    let metadata = metadata()?;
    let members: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut problems = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        if !members.contains(package["id"].as_str().unwrap_or_default()) {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default();
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let root = manifest.parent().unwrap_or(Path::new("."));
        let sources = Sources::read(root)?;
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            let krate = dependency["rename"]
                .as_str()
                .or_else(|| dependency["name"].as_str())
                .unwrap_or_default()
                .replace('-', "_");
            let kind = dependency["kind"].as_str().unwrap_or("normal");
            let shown = dependency["name"].as_str().unwrap_or_default();
            match kind {
                "dev" if !sources.anywhere(&krate) => {
                    problems.push(format!("{name}: dev-dependency `{shown}` is not used"));
                }
                "build" if !sources.build.iter().any(|text| mentions(text, &krate)) => {
                    problems.push(format!("{name}: build-dependency `{shown}` is not used"));
                }
                "normal" if !sources.code.iter().any(|text| mentions(text, &krate)) => {
                    if sources.anywhere(&krate) {
                        problems.push(format!(
                            "{name}: `{shown}` is only used by tests; make it a dev-dependency"
                        ));
                    } else {
                        problems.push(format!("{name}: dependency `{shown}` is not used"));
                    }
                }
                _ => {}
            }
        }
    }
    report("unused dependencies", problems)
}

/// Fails when `cargo tree -e normal` of a client lists a sync crate, the fakes, or another
/// client.
pub fn clients_stand_alone() -> Result<(), String> {
    let mut problems = Vec::new();
    for client in CLIENTS {
        let output = Command::new("cargo")
            .args([
                "tree", "-e", "normal", "-p", client, "--prefix", "none", "--format", "{p}",
            ])
            .output()
            .map_err(|e| format!("cargo tree -p {client} ({e})"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo tree -p {client}: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let tree = String::from_utf8_lossy(&output.stdout);
        let names: BTreeSet<&str> = tree
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .collect();
        for forbidden in NOT_UNDER_A_CLIENT.iter().chain(CLIENTS) {
            if forbidden != client && names.contains(forbidden) {
                problems.push(format!("{client} depends on {forbidden}"));
            }
        }
    }
    report("client dependency graph", problems)
}

/// The workspace members marked `publish = false`.
pub fn unpublished() -> Result<Vec<String>, String> {
    let metadata = metadata()?;
    Ok(metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|package| package["publish"].as_array().is_some_and(Vec::is_empty))
        .filter_map(|package| package["name"].as_str().map(str::to_owned))
        .collect())
}

fn report(check: &str, problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        eprintln!("xtask: {check}: ok");
        Ok(())
    } else {
        for problem in &problems {
            eprintln!("xtask: {problem}");
        }
        Err(format!("{check} ({} found)", problems.len()))
    }
}

fn metadata() -> Result<Value, String> {
    let output = Command::new("cargo")
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cargo metadata ({e})"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata output ({e})"))
}

/// The texts of one package: its code, its tests, its build script, its README.
#[derive(Default)]
struct Sources {
    code: Vec<String>,
    tests: Vec<String>,
    build: Vec<String>,
    readme: String,
}

impl Sources {
    fn read(root: &Path) -> Result<Self, String> {
        let mut sources = Sources {
            readme: std::fs::read_to_string(root.join("README.md")).unwrap_or_default(),
            ..Sources::default()
        };
        let mut files = Vec::new();
        rust_files(root, root, &mut files)?;
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("reading {} ({e})", file.display()))?;
            let relative = file.strip_prefix(root).unwrap_or(&file);
            if relative == Path::new("build.rs") {
                sources.build.push(text);
            } else if is_test_file(relative) {
                sources.tests.push(text);
            } else {
                sources.code.push(text);
            }
        }
        Ok(sources)
    }

    fn anywhere(&self, krate: &str) -> bool {
        self.code
            .iter()
            .chain(&self.tests)
            .chain(&self.build)
            .chain(std::iter::once(&self.readme))
            .any(|text| mentions(text, krate))
    }
}

fn is_test_file(relative: &Path) -> bool {
    let mut parts = relative.iter().filter_map(|part| part.to_str());
    let first = parts.next().unwrap_or_default();
    matches!(first, "tests" | "benches" | "examples")
        || relative.file_name().and_then(|n| n.to_str()) == Some("tests.rs")
        || relative
            .iter()
            .any(|part| part.to_str() == Some("tests") && relative.starts_with("src"))
}

/// Every `.rs` file under `dir`, leaving out nested packages and build output.
fn rust_files(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{} ({e})", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let nested = path != root && path.join("Cargo.toml").exists();
            if !nested && name != "target" && !name.starts_with('.') {
                rust_files(root, &path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// Whether `text` names the crate `krate`: `krate::…`, `krate!`, `use krate`,
/// `extern crate krate`.
fn mentions(text: &str, krate: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(krate).any(|(at, _)| {
        let before = &text[..at];
        let after = &text[at + krate.len()..];
        if before.chars().next_back().is_some_and(is_ident) {
            return false;
        }
        if after.starts_with("::") || after.starts_with('!') {
            return true;
        }
        let ends_word = !after.chars().next().is_some_and(is_ident);
        let trimmed = before.trim_end();
        ends_word && (trimmed.ends_with("use") || trimmed.ends_with("extern crate"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_is_mentioned_by_a_path_a_macro_or_a_use() {
        assert!(mentions("let x = serde_json::json!({});", "serde_json"));
        assert!(mentions("proptest! { }", "proptest"));
        assert!(mentions("use async_trait::async_trait;", "async_trait"));
        assert!(mentions("extern crate rand;", "rand"));
        assert!(mentions("use rand;", "rand"));
    }

    #[test]
    fn a_longer_name_or_a_field_is_not_the_crate() {
        assert!(!mentions("rand_chacha::ChaCha8Rng", "rand"));
        assert!(!mentions("my_serde::x", "serde"));
        assert!(!mentions("let bytes = 1;", "bytes"));
        assert!(!mentions("self.url.join(x)", "url"));
    }

    #[test]
    fn test_files_are_told_apart_from_code() {
        assert!(is_test_file(Path::new("tests/run.rs")));
        assert!(is_test_file(Path::new("benches/matching.rs")));
        assert!(is_test_file(Path::new("src/sqlite/tests.rs")));
        assert!(is_test_file(Path::new("src/datto/tests/routes.rs")));
        assert!(!is_test_file(Path::new("src/lib.rs")));
        assert!(!is_test_file(Path::new("itglue-sync/main.rs")));
    }
}
