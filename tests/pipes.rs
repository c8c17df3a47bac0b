//! Terminals and pipes: a reader of standard output or standard error that goes away
//! (`caseload ... | head`, `caseload ... 2>&1 | head`) ends the run quietly with exit code 0,
//! never a panic, never the exit code of an input error; progress shows on a terminal only.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::code;

/// A generated team whose JSON proposal is far larger than a pipe's buffer.
fn large_team(dir: &std::path::Path) -> std::path::PathBuf {
    let out = dir.join("team");
    let made = common::caseload(&[
        "generate",
        "--staff",
        "50",
        "--cases",
        "1500",
        "--seed",
        "1",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&made), 0);
    out.join("scenario.toml")
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = large_team(dir.path());
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
            .args(["rebalance", scenario.to_str().unwrap(), "--format", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The reader is gone: the rest of the proposal cannot be written.
        let out = child.wait_with_output().unwrap();
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("error"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_closed_standard_error_never_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = large_team(dir.path());
    let output = dir.path().join("proposal.json");
    for _ in 0..3 {
        // `-v` writes every step to standard error, whose reader is gone from the start.
        let mut child = Command::new(env!("CARGO_BIN_EXE_caseload"))
            .args([
                "rebalance",
                scenario.to_str().unwrap(),
                "-v",
                "--format",
                "json",
                "--force",
                "--output",
                output.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0));
        let written = std::fs::read_to_string(&output).unwrap();
        assert!(written.contains("\"assignments\""));
    }
}

/// Runs `caseload` with `args` under `script`, so that its standard error is a terminal;
/// `None` where `script` (util-linux) is missing.
fn on_a_terminal(args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_caseload");
    let out = Command::new("script")
        .args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_long_solve_shows_a_spinner_on_a_terminal_only_and_not_with_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = large_team(dir.path());
    let output = dir.path().join("p.json");
    let args = format!(
        "rebalance {} --force --output {}",
        scenario.display(),
        output.display()
    );
    let Some(shown) = on_a_terminal(&args) else {
        return; // no `script` here
    };
    assert!(shown.contains("solving"), "{shown}");
    let quiet = on_a_terminal(&format!("{args} --quiet")).unwrap();
    assert!(!quiet.contains("solving"), "{quiet}");
    // Not a terminal: no spinner.
    let piped = common::caseload(&[
        "rebalance",
        scenario.to_str().unwrap(),
        "--force",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(!String::from_utf8_lossy(&piped.stderr).contains("solving"));
}
