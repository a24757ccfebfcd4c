//! `cargo xtask scale [--size small|medium|large] [--datto-limit]`: `itglue-sync sync` at MSP
//! scale. Starts the fakes with the generated MSP (by default the large one: about 2,000 sites
//! and 50,000 devices; the fakes' rate limits off), connects, and runs `sync` twice (the second
//! with nothing changed) under `/usr/bin/time -v`, printing for each run the wall time, the
//! CPU time (user + system: the process's own work), the peak resident memory of
//! `itglue-sync` and the Datto RMM calls it made.
//!
//! IT Glue's client keeps IT Glue's documented limit (3,000 requests in 5 minutes) in every
//! run, so the first run's wall time includes those waits (its thousands of configuration
//! updates and interface creates); the CPU time does not.
//!
//! `itglue-sync`'s own Datto RMM client keeps to 600 requests a minute (Datto's limit), which
//! would make the first run wait about 53 minutes for its 31,700 calls. For the measurement it
//! is raised (`--datto-requests-per-minute`, printed); the time the same calls take at Datto's
//! limit is printed beside it, computed. `--datto-limit` keeps Datto's limit instead.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::run;

/// The peak memory `itglue-sync sync` must stay under (issue #19).
const LIMIT_KB: u64 = 300 * 1024;

/// Datto's documented limit, which `itglue-sync` keeps to unless told otherwise.
const DATTO_REQUESTS_PER_MINUTE: u64 = 600;

/// The Datto RMM request rate of the measurement: high enough that the client's limiter never
/// waits against the fakes.
const RAISED_REQUESTS_PER_MINUTE: u64 = 6_000_000;

/// What `cargo xtask scale` was asked for.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    size: String,
    requests_per_minute: u64,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            size: "large".to_owned(),
            requests_per_minute: RAISED_REQUESTS_PER_MINUTE,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--size" => {
                    let size = args.next().map(String::as_str);
                    match size {
                        Some(size @ ("small" | "medium" | "large")) => {
                            options.size = size.to_owned();
                        }
                        _ => return Err("scale: --size takes small, medium or large".to_owned()),
                    }
                }
                "--datto-limit" => options.requests_per_minute = DATTO_REQUESTS_PER_MINUTE,
                other => {
                    return Err(format!(
                        "scale: unknown argument {other} (--size small|medium|large, --datto-limit)"
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// The Datto RMM requests of a run (the sum of `datto_calls`' counts).
fn datto_requests(calls: &str) -> u64 {
    calls
        .split(',')
        .filter_map(|pair| pair.split_once(':'))
        .filter_map(|(_, n)| n.trim().trim_end_matches('}').trim().parse::<u64>().ok())
        .sum()
}

/// `m:ss` of a number of seconds.
fn minutes(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

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

/// What `/usr/bin/time -v` measured of one run.
struct Measured {
    /// Standard output.
    output: String,
    /// The wall time as `time` prints it (`m:ss.cc` or `h:mm:ss`).
    wall: String,
    /// User plus system CPU seconds: the process's own work, without its waits (the vendors'
    /// rate limits, the fakes' answers).
    cpu_seconds: f64,
    /// Peak resident memory in kB.
    peak_kb: u64,
}

/// Runs one `itglue-sync` command under `/usr/bin/time -v`.
fn measured(binary: &Path, args: &[&str], env: &[(String, String)]) -> Result<Measured, String> {
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
    let peak_kb = time_field(&stderr, "Maximum resident set size (kbytes):")
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0);
    let seconds = |label| {
        time_field(&stderr, label)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let cpu_seconds = seconds("User time (seconds):") + seconds("System time (seconds):");
    Ok(Measured {
        output: stdout,
        wall,
        cpu_seconds,
        peak_kb,
    })
}

/// Runs the measurement.
pub fn scale(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
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
        .args(["--size", options.size.as_str(), "--json"])
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
    env.push((
        "DATTO_REQUESTS_PER_MINUTE".to_owned(),
        options.requests_per_minute.to_string(),
    ));
    let sites = json_number(&line, "sites");
    let devices = json_number(&line, "devices");
    println!("fakes: {sites} Datto RMM sites, {devices} devices (the fakes' rate limits off)");
    if options.requests_per_minute == DATTO_REQUESTS_PER_MINUTE {
        println!(
            "itglue-sync's Datto RMM client: at most {DATTO_REQUESTS_PER_MINUTE} requests a minute \
             (Datto's limit)"
        );
    } else {
        println!(
            "itglue-sync's Datto RMM client: at most {} requests a minute (raised for the \
             measurement; Datto allows {DATTO_REQUESTS_PER_MINUTE}, --datto-limit keeps that)",
            options.requests_per_minute
        );
    }

    let itglue_sync = examples.join("itglue-sync");
    measured(&itglue_sync, &["connect"], &env)?;
    let mut over = false;
    for run in ["first", "second (nothing changed)"] {
        let Measured {
            output,
            wall,
            cpu_seconds,
            peak_kb: peak,
        } = measured(&itglue_sync, &["sync", "--json"], &env)?;
        let calls = json_object(&output, "datto_calls").unwrap_or("?");
        // One line, however the JSON was laid out.
        let calls = calls.split_whitespace().collect::<Vec<_>>().join(" ");
        let calls = calls.as_str();
        println!(
            "itglue-sync sync, {run} run: wall {wall}, CPU {cpu_seconds:.1} s, peak RSS {:.1} MB, \
             Datto RMM calls {calls}",
            peak as f64 / 1024.0
        );
        if options.requests_per_minute != DATTO_REQUESTS_PER_MINUTE {
            let requests = datto_requests(calls);
            println!(
                "  at Datto's {DATTO_REQUESTS_PER_MINUTE} a minute, these {requests} requests \
                 alone would take at least {} (computed, not measured)",
                minutes(requests * 60 / DATTO_REQUESTS_PER_MINUTE)
            );
        }
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
    fn the_measurement_raises_datto_s_limit_unless_asked_to_keep_it() {
        let args =
            |list: &[&str]| -> Vec<String> { list.iter().map(|a| (*a).to_owned()).collect() };
        assert_eq!(
            Options::parse(&[]).unwrap(),
            Options {
                size: "large".to_owned(),
                requests_per_minute: RAISED_REQUESTS_PER_MINUTE
            }
        );
        assert_eq!(
            Options::parse(&args(&["--size", "medium", "--datto-limit"])).unwrap(),
            Options {
                size: "medium".to_owned(),
                requests_per_minute: DATTO_REQUESTS_PER_MINUTE
            }
        );
        assert!(Options::parse(&args(&["--size", "huge"])).is_err());
        assert!(Options::parse(&args(&["--fast"])).is_err());
    }

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
            datto_requests(r#"{"site_listings":1,"device_listings":1,"audits":30399}"#),
            30_401
        );
        assert_eq!(
            datto_requests("{\n  \"site_listings\": 1,\n  \"audits\": 30422\n}"),
            30_423
        );
        assert_eq!(minutes(3_180), "53:00");
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
