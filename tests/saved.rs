//! `caseload explain --proposal`: a proposal decided earlier is explained as it was decided (the
//! same answers as for that proposal, never those of a new solve), and a file that does not fit
//! the scenario is refused with exit code 2, a message naming the file and what is wrong, and
//! what to do.

mod common;

use std::path::{Path, PathBuf};

use common::{caseload, code, without_provenance, write, Team};

/// Five workers, one on leave and one alone with `spanish`; a case nobody may hold (`youth`).
fn team() -> Team {
    Team::new()
        .policy("max_moves", 5)
        .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(10))
        .staff("cy", |s| s.capacity(10).available(false))
        .staff("di", |s| s.capacity(10).max_cases(2))
        .staff("ed", |s| s.capacity(10))
        .case("A1", |c| c.acuity(4).assigned("ana"))
        .case("A2", |c| c.acuity(3).assigned("ana").avoid(&["bo"]))
        .case("A3", |c| c.acuity(4).needs(&["spanish"]).assigned("ana"))
        .case("C1", |c| c.acuity(3).assigned("cy"))
        .case("F1", |c| c.acuity(2).family("F").assigned("bo"))
        .case("F2", |c| c.acuity(2).family("F").assigned("ed"))
        .case("N1", |c| c.acuity(2))
        .case("Y1", |c| c.acuity(1).needs(&["youth"]))
}

const CASES: [&str; 8] = ["A1", "A2", "A3", "C1", "F1", "F2", "N1", "Y1"];
const STAFF: [&str; 5] = ["ana", "bo", "cy", "di", "ed"];

/// A temporary folder with the team and its rebalance proposal, made with `options`.
struct Saved {
    dir: tempfile::TempDir,
    scenario: String,
    proposal: String,
}

impl Saved {
    fn new(options: &[&str]) -> Saved {
        let dir = tempfile::tempdir().expect("temp dir");
        let scenario = path(&team().write(dir.path()));
        let proposal = path(&dir.path().join("proposal.json"));
        let mut args = vec![
            "rebalance",
            &scenario,
            "--format",
            "json",
            "--output",
            &proposal,
        ];
        args.extend_from_slice(options);
        let out = caseload(&args);
        assert_eq!(code(&out), 1, "Y1 is unplaceable");
        Saved {
            dir,
            scenario,
            proposal,
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(&self.proposal).expect("read"))
            .expect("proposal JSON")
    }

    /// Writes an edited copy of the proposal and returns its path.
    fn edited(&self, edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut json = self.json();
        edit(&mut json);
        path(&write(self.dir.path(), "edited.json", &json.to_string()))
    }
}

fn path(p: &Path) -> String {
    p.to_str().expect("utf-8 path").to_string()
}

/// Standard output and exit code of `caseload explain SCENARIO ARGS...`; never a panic.
fn explain(scenario: &str, args: &[&str]) -> (String, String, i32) {
    let mut all = vec!["explain", scenario];
    all.extend_from_slice(args);
    let out = caseload(&all);
    // The note that the team has warnings (the case nobody may hold) is not the answer.
    let stderr: String = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.starts_with("note: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
        code(&out),
    )
}

/// Asserts that the answer about a saved proposal is the one solving gave: the same text, or the
/// same JSON after the provenance, which lists the proposal as one more input.
fn assert_same_answer(read: &str, solved: &str, scenario: &str, proposal: &str, label: &str) {
    if read.starts_with('{') {
        assert_eq!(
            without_provenance(read, &[scenario, proposal]),
            without_provenance(solved, &[scenario]),
            "{label}"
        );
    } else {
        assert_eq!(read, solved, "{label}");
    }
}

/// Every question about every case and worker, in text and JSON.
fn questions() -> Vec<Vec<&'static str>> {
    let mut all = Vec::new();
    for format in ["text", "json"] {
        for case in CASES {
            all.push(vec!["--case", case, "--format", format]);
        }
        for worker in STAFF {
            all.push(vec!["--staff", worker, "--format", format]);
        }
    }
    all
}

#[test]
fn a_saved_proposal_gets_the_answers_of_that_proposal() {
    let saved = Saved::new(&[]);
    for question in questions() {
        let (solved, _, solved_exit) = explain(&saved.scenario, &question);
        let mut from_file = question.clone();
        from_file.extend(["--proposal", saved.proposal.as_str()]);
        let (read, _, read_exit) = explain(&saved.scenario, &from_file);
        assert_eq!((read_exit, solved_exit), (0, 0), "{question:?}");
        let label = format!("{question:?}");
        assert_same_answer(&read, &solved, &saved.scenario, &saved.proposal, &label);
    }
}

#[test]
fn the_proposal_explained_is_the_one_decided_not_a_new_solve() {
    // Decided with a budget of one move; explained with the same option, it is that proposal,
    // not the one today's policy (five moves) gives.
    let saved = Saved::new(&["--max-moves", "1"]);
    let json = saved.json();
    let staff_after = |answer: &str| -> serde_json::Value {
        let v: serde_json::Value = serde_json::from_str(answer).expect("JSON");
        v["cases_after"].clone()
    };
    let mut differs = false;
    for worker in STAFF {
        let args = ["--staff", worker, "--format", "json", "--max-moves", "1"];
        let (solved_tight, _, _) = explain(&saved.scenario, &args);
        let mut from_file = args.to_vec();
        from_file.extend(["--proposal", saved.proposal.as_str()]);
        let (read, _, exit) = explain(&saved.scenario, &from_file);
        assert_eq!(exit, 0);
        assert_same_answer(
            &read,
            &solved_tight,
            &saved.scenario,
            &saved.proposal,
            worker,
        );
        let entry = json["staff"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == worker)
            .unwrap();
        assert_eq!(staff_after(&read), entry["cases_after"], "{worker}");
        let (default, _, _) = explain(&saved.scenario, &["--staff", worker, "--format", "json"]);
        differs |= staff_after(&default) != staff_after(&read);
    }
    assert!(differs, "the test needs a budget that changes the proposal");
}

/// Explains with an edited proposal and returns standard error, checking exit code 2 and an
/// empty standard output.
fn refused(saved: &Saved, proposal: &str, extra: &[&str]) -> String {
    let mut args = vec!["--case", "A1", "--proposal", proposal];
    args.extend_from_slice(extra);
    let (stdout, stderr, exit) = explain(&saved.scenario, &args);
    assert_eq!(exit, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains(proposal), "names the file: {stderr}");
    assert!(stderr.contains("= help: "), "says what to do: {stderr}");
    stderr
}

#[test]
fn a_file_that_is_not_a_proposal_is_refused_with_line_and_column() {
    let saved = Saved::new(&[]);
    let bad = path(&write(
        saved.dir.path(),
        "bad.json",
        "{\n  \"mode\": rebalance\n}\n",
    ));
    let stderr = refused(&saved, &bad, &[]);
    assert!(
        stderr.contains(&format!(
            "error: cannot read the proposal `{bad}`: line 2 column 11: expected value"
        )),
        "{stderr}"
    );
    let shape = path(&write(
        saved.dir.path(),
        "shape.json",
        "{\"assignments\": []}",
    ));
    let stderr = refused(&saved, &shape, &[]);
    assert!(
        stderr.contains("line 1 column 16: invalid type: sequence, expected a map"),
        "{stderr}"
    );
}

#[test]
fn unknown_ids_and_missing_cases_are_refused() {
    let saved = Saved::new(&[]);
    let edited = saved.edited(|json| {
        let assignments = json["assignments"].as_object_mut().unwrap();
        assignments.remove("A1");
        assignments.insert("Z9".into(), "ana".into());
        assignments.insert("N1".into(), "zed".into());
    });
    let stderr = refused(&saved, &edited, &[]);
    let expected = format!(
        "error: the proposal `{edited}` does not fit the scenario `{}`:\n\
         \x20 - it gives case `N1` to `zed`, who is not on the staff list\n\
         \x20 - it assigns case `Z9`, which is not in the scenario\n\
         \x20 - it does not place case `A1`, which a worker may hold\n\
         \x20 = help: use the scenario (and the options) the proposal was made from, or make a new proposal with `caseload rebalance SCENARIO --format json --output FILE`\n",
        saved.scenario
    );
    assert_eq!(stderr, expected);
}

#[test]
fn a_case_with_a_worker_who_may_not_hold_it_is_refused() {
    let saved = Saved::new(&[]);
    // Only ana has `spanish`; cy is on leave; A2 avoids bo.
    for (case, worker) in [("A3", "bo"), ("A1", "cy"), ("A2", "bo")] {
        let edited = saved.edited(|json| json["assignments"][case] = worker.into());
        let stderr = refused(&saved, &edited, &[]);
        assert!(
            stderr.contains(&format!(
                "case {case} given to {worker}, who may not hold it (leave, needs or avoid)"
            )),
            "{stderr}"
        );
    }
    // The family F ends with two workers.
    let edited = saved.edited(|json| {
        let other = if json["assignments"]["F1"] == "bo" {
            "ed"
        } else {
            "bo"
        };
        json["assignments"]["F2"] = other.into();
    });
    let stderr = refused(&saved, &edited, &[]);
    assert!(
        stderr.contains("family F ends with more than one worker"),
        "{stderr}"
    );
}

#[test]
fn another_policy_is_refused_with_the_options_to_pass() {
    let saved = Saved::new(&["--max-moves", "1"]);
    let stderr = refused(&saved, &saved.proposal.clone(), &[]);
    assert!(
        stderr.contains("  - it was made with max_moves = 1, but the scenario has max_moves = 5\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: pass the options the proposal was made with: --max-moves 1"),
        "{stderr}"
    );
}

#[test]
fn a_file_without_a_proposal_or_from_another_scenario_is_refused() {
    let saved = Saved::new(&[]);
    let none = saved.edited(|json| {
        json["status"] = "infeasible".into();
        json["assignments"] = serde_json::json!({});
    });
    let stderr = refused(&saved, &none, &[]);
    assert!(
        stderr.contains("cannot be used: its status is infeasible: it holds no proposal"),
        "{stderr}"
    );
    let other = saved.edited(|json| json["scenario"] = "week 46".into());
    let stderr = refused(&saved, &other, &[]);
    assert!(
        stderr.contains("it was made from the scenario named \"week 46\", not \"team\""),
        "{stderr}"
    );
}

#[test]
fn the_proposal_is_never_written_over_and_a_missing_one_is_an_input_error() {
    let saved = Saved::new(&[]);
    let before = std::fs::read_to_string(&saved.proposal).unwrap();
    let (_, stderr, exit) = explain(
        &saved.scenario,
        &[
            "--case",
            "A1",
            "--proposal",
            &saved.proposal,
            "--output",
            &saved.proposal,
            "--force",
        ],
    );
    assert_eq!(exit, 2, "{stderr}");
    assert!(stderr.contains("is one of the inputs"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&saved.proposal).unwrap(), before);
    let missing: PathBuf = saved.dir.path().join("missing.json");
    let (_, stderr, exit) = explain(
        &saved.scenario,
        &["--case", "A1", "--proposal", &path(&missing)],
    );
    assert_eq!(exit, 2);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot read the proposal `{}`: ",
            path(&missing)
        )),
        "{stderr}"
    );
}

#[test]
fn a_saved_assign_proposal_gets_the_answers_of_assign() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = path(&team().write(dir.path()));
    let proposal = path(&dir.path().join("intake.json"));
    let out = caseload(&[
        "assign", &scenario, "--format", "json", "--output", &proposal,
    ]);
    assert_eq!(code(&out), 1, "Y1 is unplaceable");
    for question in questions() {
        let mut solved = question.clone();
        solved.push("--assign");
        let (solved, _, _) = explain(&scenario, &solved);
        let mut from_file = question.clone();
        from_file.extend(["--proposal", proposal.as_str()]);
        let (read, _, exit) = explain(&scenario, &from_file);
        assert_eq!(exit, 0, "{question:?}");
        assert_same_answer(
            &read,
            &solved,
            &scenario,
            &proposal,
            &format!("{question:?}"),
        );
    }
}
