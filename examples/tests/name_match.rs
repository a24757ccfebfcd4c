//! Runs the `name-match` example: one JSON line per query with its match and suggestions.

mod support;

use std::process::Command;

fn files(candidates: &str, queries: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("candidates.txt");
    let q = dir.path().join("queries.txt");
    std::fs::write(&c, candidates).unwrap();
    std::fs::write(&q, queries).unwrap();
    let (c, q) = (c.display().to_string(), q.display().to_string());
    (dir, c, q)
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(support::example("name-match"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn name_match_prints_one_json_line_per_query() {
    let (_dir, c, q) = files(
        "Acme Dental, LLC\n\nBolt Plumbing Inc\nSwaniawski Ltd\n",
        "ACME Dental - Main Office\nSwaniawskx Ltd\nNothing Alike At All\n",
    );
    let output = run(&[&c, &q]);
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);

    assert_eq!(lines[0]["query"], "ACME Dental - Main Office");
    assert_eq!(lines[0]["match"]["id"], 1);
    assert_eq!(lines[0]["match"]["name"], "Acme Dental, LLC");
    assert_eq!(lines[0]["match"]["reason"], "normalised");

    assert!(lines[1]["match"].is_null());
    assert_eq!(lines[1]["suggestions"][0]["id"], 4);
    assert_eq!(lines[1]["suggestions"][0]["reason"], "fuzzy");
    let score = lines[1]["suggestions"][0]["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score));

    assert!(lines[2]["match"].is_null());
    assert_eq!(lines[2]["suggestions"].as_array().unwrap().len(), 0);
}

#[test]
fn name_match_keeps_at_most_top_k_suggestions() {
    let candidates: String = (0..20).map(|i| format!("Acme Dental {i}\n")).collect();
    let (_dir, c, q) = files(&candidates, "Acme Dental\n");
    let output = run(&[&c, &q, "--top-k", "3"]);
    let line: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["suggestions"].as_array().unwrap().len(), 3);
}

#[test]
fn name_match_refuses_a_floor_outside_zero_to_one() {
    let (_dir, c, q) = files("Acme\n", "Acme\n");
    let output = run(&[&c, &q, "--floor", "1.5"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn name_match_reports_a_missing_file() {
    let output = run(&["/nonexistent/candidates.txt", "/nonexistent/queries.txt"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}
