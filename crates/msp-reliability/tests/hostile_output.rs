//! Hostile site names through the binaries: Datto RMM sites renamed to names with quotes, SQL,
//! terminal escape sequences, NUL and other control characters, right-to-left overrides,
//! emoji and 10,000 characters, then `gravityzone-sync companies` and `itglue-sync sync` and
//! `orgs`, as tables and as JSON. The binaries finish normally, the JSON carries every name
//! exactly, and the tables never pass a control character to the terminal.

use msp_fakes::msp::{GeneratedMsp, MspSize, SiteKind};
use msp_fakes::scenario::MspFakes;
use msp_reliability::binaries::command;

fn hostile_names() -> Vec<String> {
    vec![
        "O'Brien \"Quoted\" & Sons".into(),
        "Robert'); DROP TABLE sites;--".into(),
        "Red\u{1b}[31m Alert\u{1b}[0m\u{1b}]0;pwned\u{7}".into(),
        "Line\nBreak\r\nOK: 0 failed".into(),
        "nul\0byte\u{7f}".into(),
        "\u{202e}evil override\u{202c} GmbH".into(),
        "🏢 Emoji Holdings 👩‍💻".into(),
        "e\u{301}\u{301}\u{301} combining".into(),
        format!("Long {}", "x".repeat(10_000)),
    ]
}

struct World {
    fakes: MspFakes,
    dir: tempfile::TempDir,
    names: Vec<String>,
}

async fn world() -> World {
    let msp = GeneratedMsp::generate(
        31,
        MspSize::Custom {
            sites: 14,
            devices: 60,
        },
    );
    let fakes = MspFakes::start(msp, false).await;
    let names = hostile_names();
    let sites: Vec<String> = fakes
        .msp
        .sites
        .iter()
        .filter(|s| s.kind == SiteKind::Customer && !s.devices.is_empty())
        .map(|s| s.uid.clone())
        .collect();
    assert!(sites.len() >= names.len(), "only {} sites", sites.len());
    for (uid, name) in sites.iter().zip(&names) {
        assert!(fakes.datto.rename_site(uid, name));
    }
    World {
        fakes,
        dir: tempfile::tempdir().unwrap(),
        names,
    }
}

impl World {
    fn run(&self, binary: &str, args: &[&str]) -> String {
        let output = command(binary, &self.fakes.endpoints(), self.dir.path(), "tester")
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.code().is_some_and(|c| c == 0 || c == 4),
            "{binary} {args:?} ended {:?}: {stderr}",
            output.status
        );
        assert!(
            !stderr.contains("panicked"),
            "{binary} {args:?} panicked: {stderr}"
        );
        stdout
    }
}

/// Every string in a JSON document.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

fn assert_json_carries_every_name(json: &str, names: &[String], what: &str) {
    let value: serde_json::Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: not JSON ({e})"));
    let mut found = Vec::new();
    strings(&value, &mut found);
    for name in names {
        assert!(
            found.iter().any(|s| s == name),
            "{what}: {:?} is missing or changed",
            name.chars().take(40).collect::<String>()
        );
    }
}

/// A table may hold line breaks and tabs of its own, never another control character (an
/// escape sequence would reach the user's terminal) or a bidi override.
fn assert_no_control_characters(text: &str, what: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n' && *c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
        })
        .map(|c| format!("{:?}", c))
        .collect();
    assert!(
        bad.is_empty(),
        "{what} passes control characters to the terminal: {bad:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gravityzone_sync_shows_hostile_site_names_exactly_in_json_and_safely_in_tables() {
    let w = world().await;
    w.run("gravityzone-sync", &["connect"]);
    let json = w.run("gravityzone-sync", &["companies", "--json"]);
    assert_json_carries_every_name(&json, &w.names, "companies --json");
    let table = w.run("gravityzone-sync", &["companies"]);
    assert!(
        table.contains("Emoji Holdings") && table.contains("O'Brien"),
        "{table}"
    );
    assert_no_control_characters(&table, "companies");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn itglue_sync_shows_hostile_site_names_exactly_in_json_and_safely_in_tables() {
    let w = world().await;
    w.run("itglue-sync", &["connect"]);
    w.run("itglue-sync", &["sync", "--json"]);
    let json = w.run("itglue-sync", &["orgs", "--json"]);
    assert_json_carries_every_name(&json, &w.names, "orgs --json");
    let table = w.run("itglue-sync", &["orgs"]);
    assert!(
        table.contains("Emoji Holdings") && table.contains("O'Brien"),
        "{table}"
    );
    assert_no_control_characters(&table, "orgs");
}
