//! The example scenarios end to end: each checks cleanly, each solves to a proposal the
//! independent checker accepts, output is deterministic, and `apply` round-trips.

mod common;

use common::{apply, caseload, code, root, solve_checked, solve_to_file};

fn example_scenarios() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "examples present");
    files
}

#[test]
fn every_example_checks_cleanly() {
    for path in example_scenarios() {
        let out = caseload(&["check", path.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            code(&out),
            0,
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("Workers today"), "{stdout}");
        assert!(stdout.contains("Team utilization"), "{stdout}");
    }
}

#[test]
fn every_example_rebalances_and_assigns_to_checked_proposals() {
    for path in example_scenarios() {
        for command in ["rebalance", "assign"] {
            let (json, exit) = solve_checked(command, &path, &[]);
            assert_eq!(exit, 0, "{command} {}", path.display());
            // Equity, overload and balance are proven on every example; balance may cost a
            // preference whose loss no step can prove unavoidable.
            for step in json["steps"].as_array().unwrap() {
                if matches!(
                    step["step"].as_str(),
                    Some("equity" | "overload" | "balance")
                ) {
                    assert_eq!(step["proven"], true, "{command} {}", path.display());
                }
            }
            assert!(
                json["status"] == "optimal" || json["status"] == "feasible",
                "{command} {}",
                path.display()
            );
            let after = json["metrics"]["max_utilization_after"].as_f64().unwrap();
            let before = json["metrics"]["max_utilization_before"].as_f64().unwrap();
            if command == "rebalance" {
                assert!(
                    after <= before + 1e-9,
                    "rebalancing never makes the worst load worse"
                );
            }
        }
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let args = ["rebalance", "scenarios/riverside.toml", "--format", "json"];
    let first = caseload(&args);
    let second = caseload(&args);
    assert_eq!(code(&first), 0);
    assert_eq!(first.stdout, second.stdout);
    let text_a = caseload(&["rebalance", "scenarios/riverside.toml"]);
    let text_b = caseload(&["rebalance", "scenarios/riverside.toml"]);
    assert_eq!(text_a.stdout, text_b.stdout);
}

#[test]
fn apply_writes_next_weeks_scenario_and_never_touches_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("week47.json");
    let next = dir.path().join("next").join("riverside-week48.toml");
    std::fs::create_dir_all(next.parent().unwrap()).unwrap();
    let original = std::fs::read(root().join("scenarios/riverside.toml")).unwrap();

    let out = solve_to_file(
        "rebalance",
        "scenarios/riverside.toml",
        proposal.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0);
    let out = apply(
        "scenarios/riverside.toml",
        proposal.to_str().unwrap(),
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        std::fs::read(root().join("scenarios/riverside.toml")).unwrap(),
        original
    );

    // Next week starts from this week's decision: nothing needs to move to place no intake.
    let (json, exit) = solve_checked("assign", &next, &[]);
    assert_eq!(exit, 0);
    assert_eq!(json["metrics"]["moves"], 0);
    assert_eq!(json["metrics"]["intake_placed"], 0);
    let proposal_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&proposal).unwrap()).unwrap();
    assert_eq!(json["assignments"], proposal_json["assignments"]);
    // Comments survive.
    let text = std::fs::read_to_string(&next).unwrap();
    assert!(text.contains('#'));
    let model_line = text
        .lines()
        .find(|l| l.starts_with("model"))
        .expect("model line");
    let relative = model_line.split('"').nth(1).expect("quoted path");
    assert_eq!(
        std::fs::canonicalize(next.parent().unwrap().join(relative)).unwrap(),
        std::fs::canonicalize(root().join("models/standard.toml")).unwrap(),
        "the model path still names the same file from the new location: {model_line}"
    );

    // A second apply refuses to replace the file without --force, and leaves it as it was.
    let written = std::fs::read(&next).unwrap();
    let out = apply(
        "scenarios/riverside.toml",
        proposal.to_str().unwrap(),
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&next).unwrap(), written);
}

#[test]
fn apply_refuses_a_proposal_from_another_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("mercy.json");
    let out = solve_to_file(
        "rebalance",
        "scenarios/mercy-health.toml",
        proposal.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0);
    let next = dir.path().join("x.toml");
    let out = apply(
        "scenarios/riverside.toml",
        proposal.to_str().unwrap(),
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("does not fit"), "{stderr}");
    assert!(stderr.contains("scenario is \"Mercy"), "{stderr}");
    assert!(!next.exists());
}

#[test]
fn output_never_replaces_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("s.toml");
    std::fs::copy(root().join("scenarios/riverside.toml"), &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    let out = caseload(&[
        "rebalance",
        copy.to_str().unwrap(),
        "--output",
        copy.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(std::fs::read(&copy).unwrap(), before);
}

#[test]
fn apply_rewrites_cases_kept_in_csv_beside_the_new_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("p.json");
    let next = dir.path().join("next.toml");
    let csv_before = std::fs::read(root().join("scenarios/county-east-cases.csv")).unwrap();
    let out = solve_to_file(
        "assign",
        "scenarios/county-east.toml",
        proposal.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let out = apply(
        "scenarios/county-east.toml",
        proposal.to_str().unwrap(),
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("next-cases.csv").exists());
    assert_eq!(
        std::fs::read(root().join("scenarios/county-east-cases.csv")).unwrap(),
        csv_before
    );
    let (json, _) = solve_checked("assign", &next, &[]);
    assert_eq!(json["metrics"]["moves"], 0);
    assert_eq!(json["metrics"]["intake_placed"], 0);
}

#[test]
fn apply_refuses_a_proposal_without_assignments() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("unknown.json");
    std::fs::write(&proposal, r#"{"status": "unknown", "assignments": {}}"#).unwrap();
    let next = dir.path().join("next.toml");
    let out = apply(
        "scenarios/riverside.toml",
        proposal.to_str().unwrap(),
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("status is unknown"));
    assert!(!next.exists());
}

#[test]
fn apply_rewrites_cases_written_as_inline_tables() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("inline.toml");
    std::fs::write(
        &scenario,
        "case = [{ id = \"C1\", acuity = 6, assigned = \"a\" }, { id = \"C2\", acuity = 6, assigned = \"a\" }]\n\n[[staff]]\nid = \"a\"\ncapacity = 10\n\n[[staff]]\nid = \"b\"\ncapacity = 10\n",
    )
    .unwrap();
    let proposal = dir.path().join("p.json");
    let out = solve_to_file(
        "rebalance",
        scenario.to_str().unwrap(),
        proposal.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0);
    let next = dir.path().join("next.toml");
    let out = apply(
        scenario.to_str().unwrap(),
        proposal.to_str().unwrap(),
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let (json, _) = solve_checked("assign", &next, &[]);
    assert_eq!(json["metrics"]["moves"], 0);
    let loads: Vec<f64> = json["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["load_before"].as_f64().unwrap())
        .collect();
    assert_eq!(
        loads,
        vec![6.0, 6.0],
        "one case moved to b in the new scenario"
    );
}

#[test]
fn apply_never_writes_over_the_model_or_the_cases_csv_and_refuses_a_folder() {
    // A copy of harbor (with its model) and of county-east (with its cases CSV).
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::create_dir_all(&scenarios).unwrap();
    for (from, to) in [
        (
            "models/child-welfare.toml",
            models.join("child-welfare.toml"),
        ),
        (
            "scenarios/harbor-child-welfare.toml",
            scenarios.join("harbor.toml"),
        ),
        (
            "scenarios/county-east.toml",
            scenarios.join("county-east.toml"),
        ),
        (
            "scenarios/county-east-cases.csv",
            scenarios.join("county-east-cases.csv"),
        ),
    ] {
        std::fs::copy(root().join(from), &to).unwrap();
    }
    let before = |p: &std::path::Path| std::fs::read(p).unwrap();
    for (scenario, input) in [
        ("harbor.toml", models.join("child-welfare.toml")),
        ("county-east.toml", scenarios.join("county-east-cases.csv")),
    ] {
        let scenario = scenarios.join(scenario);
        let proposal = dir.path().join("p.json");
        let out = solve_to_file(
            "assign",
            scenario.to_str().unwrap(),
            proposal.to_str().unwrap(),
        );
        assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
        let kept = before(&input);
        let out = caseload(&[
            "apply",
            scenario.to_str().unwrap(),
            proposal.to_str().unwrap(),
            "--output",
            input.to_str().unwrap(),
            "--force",
        ]);
        assert_eq!(code(&out), 2, "{}", input.display());
        assert!(String::from_utf8_lossy(&out.stderr).contains("is one of the inputs"));
        assert_eq!(before(&input), kept, "{} is unchanged", input.display());
        std::fs::remove_file(&proposal).unwrap();
    }
    // A folder as the output: refused before anything is written, no stray CSV beside it.
    let scenario = scenarios.join("county-east.toml");
    let proposal = dir.path().join("p.json");
    solve_to_file(
        "assign",
        scenario.to_str().unwrap(),
        proposal.to_str().unwrap(),
    );
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = caseload(&[
        "apply",
        scenario.to_str().unwrap(),
        proposal.to_str().unwrap(),
        "--output",
        out_dir.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a directory"));
    assert!(!dir.path().join("out-cases.csv").exists());
}

/// A change made to a good proposal.
type Edit = fn(&mut serde_json::Value);

#[test]
fn apply_refuses_a_proposal_that_breaks_a_hard_rule_or_places_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let proposal = dir.path().join("p.json");
    let out = solve_to_file(
        "rebalance",
        "scenarios/riverside.toml",
        proposal.to_str().unwrap(),
    );
    assert_eq!(code(&out), 0);
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proposal).unwrap()).unwrap();
    let next = dir.path().join("next.toml");
    let cases: [(&str, Edit, &str); 4] = [
        (
            "empty",
            |p| p["assignments"] = serde_json::json!({}),
            "neither assigned nor listed",
        ),
        // tom lacks `spanish`, which C-1079 needs.
        (
            "lacks",
            |p| p["assignments"]["C-1079"] = "tom".into(),
            "may not hold it",
        ),
        (
            "on leave",
            |p| p["assignments"]["C-1079"] = "nobody".into(),
            "unknown worker",
        ),
        (
            "other team",
            |p| p["scenario"] = "Another team".into(),
            "scenario is",
        ),
    ];
    for (what, edit, expected) in cases {
        let mut bad = good.clone();
        edit(&mut bad);
        let path = dir.path().join(format!("{what}.json"));
        std::fs::write(&path, bad.to_string()).unwrap();
        let out = apply(
            "scenarios/riverside.toml",
            path.to_str().unwrap(),
            next.to_str().unwrap(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), 2, "{what}: {stderr}");
        assert!(stderr.contains(expected), "{what}: {stderr}");
        assert!(!next.exists(), "{what}: nothing is written");
    }
    let out = apply(
        "scenarios/riverside.toml",
        "/dev/zero",
        next.to_str().unwrap(),
    );
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}
