//! `completions <SHELL>` prints a completion script naming the binary's subcommands, with no
//! store and no credentials.

mod support;

use std::process::Command;

fn completions(binary: &str, shell: &str) -> support::Ran {
    let output = Command::new(support::example(binary))
        .args(["completions", shell])
        .env_clear()
        .env("MSP_SYNC_STORE", "/nonexistent/never-opened.sqlite")
        .output()
        .expect("the binary runs");
    support::Ran::from(output)
}

#[test]
fn both_sync_binaries_print_completion_scripts() {
    for (binary, subcommand) in [
        ("itglue-sync", "accept-device"),
        ("gravityzone-sync", "map-new"),
    ] {
        for shell in ["bash", "zsh", "fish"] {
            let ran = completions(binary, shell).ok();
            assert!(
                ran.stdout.contains(subcommand),
                "{binary} {shell}: {}",
                ran.stdout
            );
            assert!(ran.stdout.contains(binary), "{binary} {shell}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let ran = completions("itglue-sync", "cmd.exe");
    assert_eq!(ran.code, Some(2), "{ran:?}");
}
