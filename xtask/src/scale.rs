//! `cargo xtask scale`: `itglue-sync sync` at MSP scale. Starts the fakes with the large
//! generated MSP (about 2,000 sites and 50,000 devices, rate limits off), connects, and runs
//! `sync` twice (the second with nothing changed) under `/usr/bin/time -v`, printing for each
//! run the wall time, the peak resident memory of `itglue-sync` and the Datto RMM calls it made.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::run;

/// The peak memory `itglue-sync sync` must stay under (issue #19).
const LIMIT_KB: u64 = 300 * 1024;

/// Kills the fakes when the measurement ends, however it ends.
struct Fakes(Child);

impl Drop for Fakes {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The `export NAME='value'` pairs of the fakes' JSON line.
fn exports(line: &str) -> Vec<(String, String)> {
    line.split("export ")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once("='")?;
            let (value, _) = rest.split_once('\'')?;
            Some((name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// One line of `/usr/bin/time -v`'s report, by its label.
fn time_field<'a>(report: &'a str, label: &str) -> Option<&'a str> {
    report
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .map(str::trim)
}

/// The JSON object after `"key":` in a JSON text, braces included.
fn json_object<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let start = text.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = text[start..].trim_start();
    let end = rest.find('}')? + 1;
    Some(&rest[..end])
}

/// Runs one `itglue-sync` command under `/usr/bin/time -v`; returns its output, its wall time
/// and its peak memory in kB.
fn measured(
    binary: &Path,
    args: &[&str],
    env: &[(String, String)],
) -> Result<(String, String, u64), String> {
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(binary)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("/usr/bin/time ({e}); is GNU time installed?"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!("itglue-sync {}: {stderr}", args.join(" ")));
    }
    let wall = time_field(&stderr, "Elapsed (wall clock) time (h:mm:ss or m:ss):")
        .unwrap_or("?")
        .to_owned();
    let peak = time_field(&stderr, "Maximum resident set size (kbytes):")
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0);
    Ok((stdout, wall, peak))
}

/// Runs the measurement.
pub fn scale() -> Result<(), String> {
    run(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            "msp-sync-examples",
            "--example",
            "fakes",
            "--example",
            "itglue-sync",
        ],
        &[],
    )?;
    let examples = crate::names::target_dir().join("release/examples");
    let mut child = Command::new(examples.join("fakes"))
        .args(["--size", "large", "--json"])
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("fakes ({e})"))?;
    let stdout = child.stdout.take();
    let fakes = Fakes(child);
    let mut line = String::new();
    if let Some(stdout) = stdout {
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("fakes' output ({e})"))?;
    }
    let mut env = exports(&line);
    if env.is_empty() {
        return Err(format!("the fakes printed no credentials: {line:?}"));
    }
    let store = crate::names::target_dir().join("scale-store.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", store.display()));
    }
    env.push(("MSP_SYNC_STORE".to_owned(), store.display().to_string()));
    let sites = json_number(&line, "sites");
    let devices = json_number(&line, "devices");
    println!("fakes: {sites} Datto RMM sites, {devices} devices (rate limits off)");

    let itglue_sync = examples.join("itglue-sync");
    measured(&itglue_sync, &["connect"], &env)?;
    let mut over = false;
    for run in ["first", "second (nothing changed)"] {
        let (output, wall, peak) = measured(&itglue_sync, &["sync", "--json"], &env)?;
        let calls = json_object(&output, "datto_calls").unwrap_or("?");
        println!(
            "itglue-sync sync, {run} run: wall {wall}, peak RSS {:.1} MB, Datto RMM calls {calls}",
            peak as f64 / 1024.0
        );
        over |= peak > LIMIT_KB;
    }
    drop(fakes);
    if over {
        return Err(format!("peak memory above {} MB", LIMIT_KB / 1024));
    }
    Ok(())
}

fn json_number(text: &str, key: &str) -> String {
    text.find(&format!("\"{key}\":"))
        .map(|at| {
            text[at + key.len() + 3..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fakes_credentials_are_read_from_their_json_line() {
        let line = r#"{"sites":2003,"environment":["export DATTO_API_URL='http://127.0.0.1:1/api'","export ITGLUE_API_KEY='k'"]}"#;
        assert_eq!(
            exports(line),
            [
                (
                    "DATTO_API_URL".to_owned(),
                    "http://127.0.0.1:1/api".to_owned()
                ),
                ("ITGLUE_API_KEY".to_owned(), "k".to_owned())
            ]
        );
        assert_eq!(json_number(line, "sites"), "2003");
        assert_eq!(
            json_object(
                r#"{"run":1,"datto_calls":{"audits":3},"x":1}"#,
                "datto_calls"
            ),
            Some(r#"{"audits":3}"#)
        );
        assert_eq!(
            time_field(
                "\tMaximum resident set size (kbytes): 1234\n",
                "Maximum resident set size (kbytes):"
            ),
            Some("1234")
        );
    }
}
