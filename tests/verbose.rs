//! `--verbose` on every command that solves: what each solve did, on standard error, labelled
//! by its scenario or budget, once all are done and in input order, whatever the thread count.

mod common;

use common::{caseload_threads, code, root, write};
use serde_json::Value;

/// The labels of standard error's lines (`LABEL: ...`) in the order they first appear, after
/// checking that each label's lines are together and include its steps.
fn labels(stderr: &str) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    let mut steps: Vec<usize> = Vec::new();
    for line in stderr.lines() {
        let (label, what) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("an unlabelled line: {line}\n{stderr}"));
        if labels.last().map(String::as_str) != Some(label) {
            assert!(
                !labels.iter().any(|l| l == label),
                "the lines of {label} are apart:\n{stderr}"
            );
            labels.push(label.to_string());
            steps.push(0);
        }
        if what.starts_with("step ") {
            *steps.last_mut().unwrap() += 1;
        }
    }
    for (label, n) in labels.iter().zip(&steps) {
        assert!(*n > 0, "{label} has no step lines:\n{stderr}");
    }
    labels
}

/// Runs `args` at 1 and 2 threads; both must exit with `expected` and give the same labels,
/// which are returned.
fn labels_at_1_and_2_threads(args: &[&str], expected: i32) -> Vec<String> {
    let runs: Vec<Vec<String>> = ["1", "2"]
        .iter()
        .map(|threads| {
            let out = caseload_threads(threads, args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(code(&out), expected, "{args:?}: {stderr}");
            labels(&stderr)
        })
        .collect();
    assert_eq!(runs[0], runs[1], "{args:?}");
    runs[0].clone()
}

#[test]
fn compare_labels_each_scenario_s_solve_in_input_order() {
    let scenarios = [
        "scenarios/riverside-new-hire.toml",
        "scenarios/riverside.toml",
        "scenarios/riverside-leave.toml",
    ];
    let labels = labels_at_1_and_2_threads(&[&["compare", "-v"], &scenarios[..]].concat(), 0);
    assert_eq!(labels, scenarios);
    // Without --verbose, nothing.
    let quiet = caseload_threads("2", &[&["compare"], &scenarios[..]].concat());
    assert!(quiet.stderr.is_empty());
}

#[test]
fn tradeoff_labels_each_budget_s_solve_in_order() {
    let args = [
        "tradeoff",
        "scenarios/riverside.toml",
        "--max-moves",
        "3",
        "--verbose",
    ];
    let labels = labels_at_1_and_2_threads(&args, 0);
    assert_eq!(labels, ["budget 0", "budget 1", "budget 2", "budget 3"]);
}

#[test]
fn whatif_labels_today_s_solve_and_the_changed_team_s() {
    let args = [
        "whatif",
        "scenarios/riverside.toml",
        "--leave",
        "derek",
        "-v",
    ];
    assert_eq!(labels_at_1_and_2_threads(&args, 0), ["today", "what if"]);
}

#[test]
fn batch_labels_each_scenario_s_solve_in_the_order_of_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("week");
    std::fs::create_dir(&input).unwrap();
    let good = std::fs::read_to_string(root().join("tests/outputs/unplaceable.toml")).unwrap();
    for name in ["c.toml", "a.toml", "b.toml"] {
        write(&input, name, &good);
    }
    let out_dir = dir.path().join("out");
    let args = [
        "batch",
        input.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
        "--force",
        "-v",
    ];
    let labels = labels_at_1_and_2_threads(&args, 1);
    let files: Vec<String> = ["a.toml", "b.toml", "c.toml"]
        .iter()
        .map(|f| input.join(f).display().to_string())
        .collect();
    assert_eq!(labels, files);
}

#[test]
fn staffing_says_what_each_phase_of_planning_did() {
    let out = caseload_threads(
        "2",
        &[
            "staffing",
            "scenarios/riverside-surge.toml",
            "--target",
            "0.85",
            "--verbose",
        ],
    );
    assert_eq!(code(&out), 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let phases: Vec<&str> = stderr
        .lines()
        .map(|l| l.split_once(':').unwrap().0)
        .collect();
    assert_eq!(phases, ["candidates", "hiring program"], "{stderr}");
    assert!(stderr.contains(" proven in "), "{stderr}");
}

#[test]
fn with_json_each_line_is_an_object_naming_its_solve() {
    let out = caseload_threads(
        "2",
        &[
            "tradeoff",
            "scenarios/riverside.toml",
            "--max-moves",
            "1",
            "-v",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let solves: Vec<String> = stderr
        .lines()
        .map(|line| {
            let line: Value = serde_json::from_str(line).expect("a JSON line");
            assert_eq!(line["severity"], "info");
            assert!(line["message"].is_string());
            line["solve"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(solves.first().is_some_and(|s| s == "budget 0"), "{stderr}");
    assert!(solves.last().is_some_and(|s| s == "budget 1"), "{stderr}");
    // The curve itself is as without --verbose.
    let plain = caseload_threads(
        "2",
        &[
            "tradeoff",
            "scenarios/riverside.toml",
            "--max-moves",
            "1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.stdout, plain.stdout);
}
