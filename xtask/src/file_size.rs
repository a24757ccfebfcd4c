//! The file-size check of `cargo xtask ci`: no Rust file under `crates/*/src` holds more than
//! [`MAX_LINES`] lines, inline tests included, so a file keeps to one idea.

use std::fs;
use std::path::{Path, PathBuf};

/// The most lines a library source file may hold.
pub const MAX_LINES: usize = 700;

/// Fails naming every Rust file under `crates/*/src` longer than [`MAX_LINES`].
pub fn check() -> Result<(), String> {
    let mut too_long = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let crates = fs::read_dir(root.join("crates")).map_err(|e| format!("reading crates/: {e}"))?;
    for entry in crates.flatten() {
        too_long.extend(oversized(&entry.path().join("src"), MAX_LINES)?);
    }
    if too_long.is_empty() {
        return Ok(());
    }
    too_long.sort();
    let list: Vec<String> = too_long
        .iter()
        .map(|(path, lines)| {
            let shown = path.strip_prefix(&root).unwrap_or(path);
            format!("  {} ({lines} lines)", shown.display())
        })
        .collect();
    Err(format!(
        "files over {MAX_LINES} lines (split them by idea):\n{}",
        list.join("\n")
    ))
}

/// The `.rs` files under `dir` (recursively) with more than `limit` lines, with their counts.
/// A directory that does not exist holds none.
fn oversized(dir: &Path, limit: usize) -> Result<Vec<(PathBuf, usize)>, String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(oversized(&path, limit)?);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("reading {}: {e}", path.display()))?;
            let lines = text.lines().count();
            if lines > limit {
                found.push((path, lines));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rust_files_over_the_limit_are_named_in_nested_folders_too() {
        let root = std::env::temp_dir().join(format!("xtask-file-size-{}", std::process::id()));
        let nested = root.join("module");
        fs::create_dir_all(&nested).unwrap();
        fs::write(root.join("short.rs"), "a\nb\n").unwrap();
        fs::write(root.join("exact.rs"), "a\nb\nc\n").unwrap();
        fs::write(nested.join("long.rs"), "a\nb\nc\nd\n").unwrap();
        fs::write(nested.join("long.md"), "a\nb\nc\nd\n").unwrap();

        let found = oversized(&root, 3).unwrap();
        fs::remove_dir_all(&root).unwrap();

        assert_eq!(found, vec![(nested.join("long.rs"), 4)]);
        assert!(
            oversized(&root, 3).unwrap().is_empty(),
            "a missing folder holds no file"
        );
    }
}
