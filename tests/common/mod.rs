//! Helpers shared by the end-to-end tests: run the real binary, write scenarios into fresh
//! temporary directories, and check every proposal with the independent checker.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use caseload::input::{load_scenario, LoadOptions};
use caseload::verify::check_proposal;

/// Runs `caseload` with `args` from the project root.
pub fn caseload(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseload"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs")
}

/// Exit code of a run.
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

/// `caseload apply SCENARIO PROPOSAL --output OUTPUT`.
pub fn apply(scenario: &str, proposal: &str, output: &str) -> Output {
    caseload(&["apply", scenario, proposal, "--output", output])
}

/// `caseload COMMAND SCENARIO --format json --output OUTPUT`.
pub fn solve_to_file(command: &str, scenario: &str, output: &str) -> Output {
    caseload(&[command, scenario, "--format", "json", "--output", output])
}

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write test file");
    path
}

/// Solves with the binary (`rebalance` or `assign`) as JSON, checks the proposal with the
/// independent checker, and returns it with the exit code.
pub fn solve_checked(command: &str, scenario: &Path, extra: &[&str]) -> (serde_json::Value, i32) {
    let path = scenario.to_str().expect("utf-8 path");
    let mut args = vec![command, path, "--format", "json"];
    args.extend_from_slice(extra);
    let out = caseload(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(code(&out), 0 | 1),
        "exit {} for {path}: {stderr}",
        code(&out)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let max_moves = extra
        .iter()
        .position(|a| *a == "--max-moves")
        .map(|i| extra[i + 1].parse().expect("number"));
    let loaded = load_scenario(
        scenario,
        &LoadOptions {
            model: None,
            max_moves,
        },
    )
    .expect("scenario loads");
    let problems = check_proposal(&loaded.scenario, &json);
    assert!(
        problems.is_empty(),
        "checker found problems in {path}:\n{}",
        problems.join("\n")
    );
    (json, code(&out))
}

/// The worker a proposal gives a case.
pub fn holder<'a>(json: &'a serde_json::Value, case: &str) -> Option<&'a str> {
    json["assignments"][case].as_str()
}
