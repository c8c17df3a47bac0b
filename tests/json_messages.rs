//! `--format json` covers standard error too: every command that takes `--format` writes its
//! input problems, its own errors and its warnings as JSON Lines (one object a line) when asked
//! for JSON, and as text otherwise; usage errors clap finds before it knows the format stay
//! clap's, and commands without `--format` keep text.

mod common;

use common::{caseload, code, root, write, Team};
use serde_json::Value;

/// Every line of standard error as a JSON object; fails on a line that is not one.
fn json_lines(stderr: &[u8]) -> Vec<Value> {
    let text = String::from_utf8_lossy(stderr);
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}\nstderr:\n{text}"));
            assert!(value.is_object(), "{line}");
            assert!(value["severity"].is_string(), "{line}");
            assert!(value["message"].is_string(), "{line}");
            value
        })
        .collect()
}

/// A scenario whose case C-1 names `mario`, who is not on the staff list (line 13).
const BAD: &str = "tests/bad/unknown-assigned.toml";

/// Each command that takes `--format`, run on [`BAD`], with what else it needs.
fn commands_on(scenario: &str) -> Vec<Vec<String>> {
    let with = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        with(&["check", scenario]),
        with(&["rebalance", scenario]),
        with(&["assign", scenario]),
        with(&["explain", scenario, "--case", "C-1"]),
        with(&["handout", scenario]),
        with(&["whatif", scenario, "--leave", "tom"]),
        with(&["compare", scenario, "scenarios/riverside.toml"]),
        with(&["tradeoff", scenario]),
        with(&["staffing", scenario]),
    ]
}

#[test]
fn every_command_with_a_format_gives_input_problems_as_json_lines() {
    for args in commands_on(BAD) {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.extend(["--format", "json"]);
        let out = caseload(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: nothing on standard output"
        );
        let lines = json_lines(&out.stderr);
        assert_eq!(lines.len(), 1, "{args:?}: {lines:?}");
        let problem = &lines[0];
        assert_eq!(problem["severity"], "error");
        assert_eq!(problem["file"], BAD);
        assert_eq!(problem["line"], 13);
        assert_eq!(problem["column"], 12);
        assert_eq!(
            problem["message"],
            "`assigned` of case `C-1` names `mario`, who is not on the staff list"
        );
        assert_eq!(problem["help"], "did you mean `maria`?");
        assert_eq!(problem["stage"], "reference");
        assert_eq!(problem["refers_to"], "holder");
    }
}

#[test]
fn the_same_problems_are_text_without_json() {
    for args in commands_on(BAD) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = caseload(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: {BAD}:13:12: `assigned` of case `C-1`")),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("= help: did you mean `maria`?"), "{stderr}");
        assert!(
            stderr.ends_with("1 error found; nothing was changed\n"),
            "{stderr}"
        );
    }
}

#[test]
fn errors_of_the_command_line_and_of_files_are_json_too() {
    let riverside = "scenarios/riverside.toml";
    let cases: &[&[&str]] = &[
        &["rebalance", riverside, "--time-limit", "0"],
        &["check", "no-such-file.toml"],
        &["explain", riverside, "--case", "C-9999"],
        &["whatif", riverside],
        &["compare", riverside, "--time-limit", "0"],
        &["staffing", riverside, "--target", "0"],
        &["tradeoff", riverside, "--output", riverside],
    ];
    for args in cases {
        let out = caseload(&[args, &["--format", "json"][..]].concat());
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        // Riverside's warnings may come first (for the commands that print them); the error
        // is the last line.
        let lines = json_lines(&out.stderr);
        let (error, before) = lines.split_last().unwrap();
        assert!(
            before.iter().all(|l| l["severity"] == "warning"),
            "{lines:?}"
        );
        assert_eq!(error["severity"], "error", "{args:?}");
        assert!(!error["message"].as_str().unwrap().starts_with("error:"));
    }
    // What each says, for one of them: the message and what to do, as text says them.
    let out = caseload(&["explain", riverside, "--case", "C-9999", "--format", "json"]);
    let lines = json_lines(&out.stderr);
    let error = lines.last().unwrap();
    assert_eq!(error["message"], "no case has the id `C-9999`");
    let help = error["help"].as_str().unwrap();
    assert!(help.starts_with("the scenario has 88 cases"), "{help}");
    let text = caseload(&["explain", riverside, "--case", "C-9999"]);
    let text = String::from_utf8_lossy(&text.stderr);
    assert!(
        text.ends_with(&format!(
            "error: no case has the id `C-9999`\n  = help: {help}\n"
        )),
        "{text}"
    );
}

#[test]
fn usage_errors_stay_clap_s_and_commands_without_a_format_keep_text() {
    // clap reports before it knows the format.
    let out = caseload(&["rebalance", "--format", "json", "--no-such-option"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: unexpected argument"));
    // `apply` has no --format: its errors are text.
    let out = caseload(&["apply", BAD, "no-such.json", "--output", "x.toml"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
}

#[test]
fn warnings_of_a_solve_are_json_lines_and_the_proposal_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // `prefer` names a worker not on the staff list: a warning, and the run goes on.
    let scenario = Team::new()
        .staff("ana", |s| s.capacity(10))
        .case("C-1", |c| c.acuity(2).assigned("ana").prefer(&["bob"]))
        .write(dir.path());
    let scenario = scenario.to_str().unwrap();
    let out = caseload(&["rebalance", scenario, "--format", "json"]);
    assert_eq!(code(&out), 0);
    let proposal: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(proposal["assignments"]["C-1"], "ana");
    let lines = json_lines(&out.stderr);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["severity"], "warning");
    assert_eq!(lines[0]["refers_to"], "prefer");
    assert_eq!(lines[0]["line"], 8);
    // As text, a note that points to `check`.
    let out = caseload(&["rebalance", scenario]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("note: 1 warning(s) about the input; `caseload check"),
        "{stderr}"
    );
}

#[test]
fn a_csv_cell_is_located_by_its_column_name() {
    let out = caseload(&["check", "tests/bad/csv-bad-pinned.toml", "--format", "json"]);
    assert_eq!(code(&out), 2);
    let lines = json_lines(&out.stderr);
    let problem = lines
        .iter()
        .find(|l| l["file"] == "tests/bad/csv-bad-pinned.csv")
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert_eq!(problem["line"], 3);
    assert_eq!(problem["column"], Value::Null);
    assert_eq!(problem["csv_column"], "pinned");
}

#[test]
fn json_gives_every_problem_in_the_order_text_gives_them_unfolded() {
    let fixture = "tests/bad/staff-id-misspelled.toml";
    let out = caseload(&["check", fixture, "--format", "json"]);
    assert_eq!(code(&out), 2);
    let lines = json_lines(&out.stderr);
    // The unknown key, the worker it leaves without an id, then all ten cases that name her.
    assert_eq!(lines.len(), 12, "{lines:?}");
    assert_eq!(lines[0]["stage"], "file");
    assert_eq!(lines[0]["message"], "unknown key `idd` in [[staff]]");
    assert_eq!(lines[1]["stage"], "entry");
    let holders: Vec<u64> = lines[2..]
        .iter()
        .map(|l| {
            assert_eq!(l["refers_to"], "holder", "{l}");
            l["line"].as_u64().unwrap()
        })
        .collect();
    assert!(holders.windows(2).all(|w| w[0] < w[1]), "{holders:?}");
}

#[test]
fn check_writes_its_summary_to_a_file_and_replaces_one_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("today.json");
    let out_path = out_file.to_str().unwrap();
    let args = [
        "check",
        "scenarios/riverside.toml",
        "--format",
        "json",
        "--output",
        out_path,
    ];
    let first = caseload(&args);
    assert_eq!(
        code(&first),
        0,
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(first.stdout.is_empty());
    let summary: Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    // The same document as on standard output.
    let printed = caseload(&["check", "scenarios/riverside.toml", "--format", "json"]);
    assert_eq!(std::fs::read(&out_file).unwrap(), printed.stdout);
    // Complete: every warning with its place in fields, as on standard error.
    let warnings = summary["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty(), "riverside has workers over capacity");
    for w in warnings {
        assert_eq!(w["severity"], "warning", "{w}");
        assert_eq!(w["file"], "scenarios/riverside.toml", "{w}");
        assert!(
            w["line"].as_u64().is_some() && w["column"].as_u64().is_some(),
            "{w}"
        );
        assert!(w["location"]
            .as_str()
            .unwrap()
            .starts_with("scenarios/riverside.toml:"));
        assert!(w["message"].is_string() && w["stage"].is_string(), "{w}");
    }
    // Not replaced without --force, and nothing written on an invalid scenario.
    let again = caseload(&args);
    assert_eq!(code(&again), 2);
    assert!(json_lines(&again.stderr)[0]["message"]
        .as_str()
        .unwrap()
        .contains("already exists"));
    let forced = caseload(&[&args[..], &["--force"]].concat());
    assert_eq!(code(&forced), 0);
    let fresh = dir.path().join("bad.json");
    let bad = caseload(&[
        "check",
        BAD,
        "--format",
        "json",
        "--output",
        fresh.to_str().unwrap(),
    ]);
    assert_eq!(code(&bad), 2);
    assert!(!fresh.exists());
    // Never over one of its inputs, --force or not.
    let model = root().join("models/standard.toml");
    let before = std::fs::read(&model).unwrap();
    let scenario = write(
        dir.path(),
        "team.toml",
        &format!(
            "model = {:?}\n[[staff]]\nid = \"ana\"\n",
            model.display().to_string()
        ),
    );
    let over = caseload(&[
        "check",
        scenario.to_str().unwrap(),
        "--output",
        model.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&over), 2);
    assert_eq!(std::fs::read(&model).unwrap(), before);
}

#[test]
fn check_as_text_into_a_file_says_where_the_warnings_went() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("today.txt");
    let out = caseload(&[
        "check",
        "scenarios/riverside.toml",
        "--output",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0);
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(text.starts_with("Riverside North, week 47"), "{text}");
    assert!(
        text.ends_with("warning(s): printed on standard error when the check ran.\n"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("warning: "));
}

#[test]
fn a_batch_in_json_prints_its_summary_and_each_scenario_s_problems_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("week");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(root().join(BAD), input.join("a-bad.toml")).unwrap();
    let good = std::fs::read_to_string(root().join("tests/outputs/unplaceable.toml")).unwrap();
    write(&input, "b-good.toml", &good);
    let out_dir = dir.path().join("out");
    let out = caseload(&[
        "batch",
        input.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 2);
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let written: Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(printed, written);
    let lines = json_lines(&out.stderr);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0]["file"].as_str().unwrap().ends_with("a-bad.toml"));
    assert_eq!(lines[0]["line"], 13);
}
