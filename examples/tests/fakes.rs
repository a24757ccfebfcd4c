//! Runs the `fakes` example: it starts the three vendor fakes, prints where they listen with
//! which credentials, answers requests, and stops on SIGTERM.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn get(url: &str, path: &str) -> String {
    let authority = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn fakes_print_loopback_urls_and_serve_until_stopped() {
    let mut child = support::KillOnDrop(
        Command::new(support::example("fakes"))
            .args(["--seed", "3", "--json"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let started: serde_json::Value = serde_json::from_str(&line).unwrap();
    let endpoints = &started["endpoints"];
    for key in ["datto_api_url", "itglue_api_url", "gravityzone_access_url"] {
        let url = endpoints[key].as_str().unwrap();
        assert!(url.starts_with("http://127.0.0.1:"), "{key}: {url}");
    }
    assert_eq!(started["seed"], 3);
    assert!(started["sites"].as_u64().unwrap() >= 3);

    let datto = endpoints["datto_api_url"].as_str().unwrap();
    let status = get(datto, "/api/v2/system/status");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let unauthorized = get(datto, "/api/v2/account");
    assert!(unauthorized.starts_with("HTTP/1.1 401"), "{unauthorized}");
    drop(child);
}

#[test]
fn fakes_refuse_an_unknown_size() {
    let output = Command::new(support::example("fakes"))
        .args(["--size", "enormous"])
        .output()
        .unwrap();
    support::Ran::from(output).code(2).stderr_has("enormous");
}

#[test]
fn fakes_listen_on_the_ports_asked_for_or_name_the_one_taken() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(support::example("fakes"))
        .args(["--json", "--gravityzone-port", &port])
        .output()
        .unwrap();
    support::Ran::from(output).code(1).stderr_has(&format!(
        "fakes: the GravityZone fake cannot listen on 127.0.0.1:{port}: "
    ));
    drop(taken);

    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let mut child = support::KillOnDrop(
        Command::new(support::example("fakes"))
            .args(["--json", "--datto-port", &port.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let started: serde_json::Value = serde_json::from_str(&line).unwrap();
    let datto = format!("http://127.0.0.1:{port}");
    assert_eq!(started["endpoints"]["datto_api_url"], datto.as_str());
    assert!(get(&datto, "/api/v2/system/status").starts_with("HTTP/1.1 200"));
}
