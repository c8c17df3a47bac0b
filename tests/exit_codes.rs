//! Exit codes: every command's help says what its codes mean ("Exit codes:"), and real runs on
//! fixtures exit as it says.

mod common;

use common::{caseload, code, write};

/// Every command of `caseload --help`.
const COMMANDS: [&str; 16] = [
    "rebalance",
    "assign",
    "apply",
    "explain",
    "handout",
    "check",
    "whatif",
    "compare",
    "tradeoff",
    "staffing",
    "batch",
    "generate",
    "init",
    "completions",
    "man",
    "schema",
];

/// Today's team: every case can be placed.
const RIVERSIDE: &str = "scenarios/riverside.toml";
/// Cases nobody may hold beside cases that can be placed.
const UNPLACEABLE: &str = "tests/outputs/unplaceable.toml";
/// Rules that admit no assignment.
const CONFLICT: &str = "tests/outputs/conflict.toml";
/// Not a usable scenario.
const BAD: &str = "tests/bad/unknown-assigned.toml";

#[test]
fn every_command_s_help_lists_its_exit_codes() {
    for command in COMMANDS {
        for help in ["-h", "--help"] {
            let out = caseload(&[command, help]);
            assert_eq!(code(&out), 0, "{command} {help}");
            let text = String::from_utf8_lossy(&out.stdout);
            let (_, codes) = text
                .split_once("\nExit codes:\n")
                .unwrap_or_else(|| panic!("{command} {help} has no exit codes:\n{text}"));
            for number in ["0", "2", "70"] {
                assert!(
                    codes
                        .lines()
                        .any(|l| l.trim_start().starts_with(&format!("{number} "))),
                    "{command}: no line for {number}:\n{codes}"
                );
            }
        }
    }
}

/// The exit code of `caseload ARGS`, with standard error for messages.
fn exit(args: &[&str]) -> (i32, String) {
    let out = caseload(args);
    (
        code(&out),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_exits_0_for_a_valid_scenario_with_warnings_and_2_for_an_invalid_one() {
    let (valid, stderr) = exit(&["check", RIVERSIDE]);
    assert_eq!(valid, 0, "{stderr}");
    assert!(
        stderr.contains("warning: "),
        "riverside has warnings: {stderr}"
    );
    assert_eq!(exit(&["check", BAD]).0, 2);
}

#[test]
fn rebalance_assign_and_handout_exit_as_the_proposal_does() {
    for (scenario, expected) in [(RIVERSIDE, 0), (UNPLACEABLE, 1), (CONFLICT, 1), (BAD, 2)] {
        for command in ["rebalance", "assign", "handout"] {
            let (got, stderr) = exit(&[command, scenario]);
            assert_eq!(got, expected, "{command} {scenario}: {stderr}");
        }
    }
    // `explain` answers a question, whatever the proposal it is about.
    assert_eq!(exit(&["explain", RIVERSIDE, "--case", "C-1079"]).0, 0);
    assert_eq!(exit(&["explain", UNPLACEABLE, "--staff", "ana"]).0, 0);
    assert_eq!(exit(&["explain", CONFLICT, "--staff", "ana"]).0, 0);
    assert_eq!(exit(&["explain", RIVERSIDE, "--case", "NO-SUCH-CASE"]).0, 2);
}

#[test]
fn whatif_exits_as_the_changed_team_s_proposal_does() {
    assert_eq!(exit(&["whatif", RIVERSIDE, "--leave", "derek"]).0, 0);
    assert_eq!(exit(&["whatif", UNPLACEABLE, "--hire", "youth"]).0, 1);
    assert_eq!(exit(&["whatif", RIVERSIDE, "--leave", "nobody"]).0, 2);
}

#[test]
fn compare_exits_1_when_any_scenario_leaves_cases_unplaced_or_has_no_proposal() {
    let leave = "scenarios/riverside-leave.toml";
    assert_eq!(exit(&["compare", RIVERSIDE, leave]).0, 0);
    let (got, stderr) = exit(&["compare", RIVERSIDE, UNPLACEABLE]);
    assert_eq!(got, 1, "{stderr}");
    let out = caseload(&["compare", CONFLICT, RIVERSIDE, "--format", "json"]);
    assert_eq!(code(&out), 1);
    // The table is written all the same.
    let table: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(table["scenarios"].as_array().unwrap().len(), 2);
    assert_eq!(exit(&["compare", RIVERSIDE, BAD]).0, 2);
}

#[test]
fn staffing_exits_1_when_no_staffing_plan_places_every_case() {
    let (got, stderr) = exit(&[
        "staffing",
        "scenarios/riverside-surge.toml",
        "--target",
        "0.85",
        "--profiles",
        "scenarios/profiles/hires.toml",
    ]);
    assert_eq!(got, 0, "{stderr}");
    // A case needs `mandarin`, which no worker and no profile has.
    let out = caseload(&["staffing", UNPLACEABLE, "--format", "json"]);
    assert_eq!(code(&out), 1);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["status"], "infeasible", "{plan}");
    assert_eq!(exit(&["staffing", BAD]).0, 2);
}

#[test]
fn apply_exits_0_when_written_and_2_when_refused() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("week47.json");
    let out = caseload(&[
        "rebalance",
        RIVERSIDE,
        "--format",
        "json",
        "--output",
        proposal.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    let next = dir.path().join("week48.toml");
    let args = [
        "apply",
        RIVERSIDE,
        proposal.to_str().unwrap(),
        "--output",
        next.to_str().unwrap(),
    ];
    assert_eq!(exit(&args).0, 0);
    // Exists now: refused without --force.
    assert_eq!(exit(&args).0, 2);
    // A proposal for another team.
    let other = write(
        dir.path(),
        "other.json",
        r#"{"assignments": {"X-1": "zed"}}"#,
    );
    let fresh = dir.path().join("fresh.toml");
    let refused = exit(&[
        "apply",
        RIVERSIDE,
        other.to_str().unwrap(),
        "--output",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(refused.0, 2, "{}", refused.1);
    assert!(!fresh.exists());
}

#[test]
fn generate_and_man_exit_2_rather_than_replace_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().to_str().unwrap();
    let args = [
        "generate", "--staff", "2", "--cases", "3", "--output", target,
    ];
    assert_eq!(exit(&args).0, 0);
    assert_eq!(exit(&args).0, 2);
    let page = dir.path().join("caseload.1");
    let man = ["man", "--output", page.to_str().unwrap()];
    assert_eq!(exit(&man).0, 0);
    assert_eq!(exit(&man).0, 2);
    assert_eq!(exit(&["completions", "bash"]).0, 0);
    assert_eq!(exit(&["completions", "no-such-shell"]).0, 2);
}
