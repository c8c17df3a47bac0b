//! `caseload explain`: the exact sentences for each kind of reason on a small team, and every
//! figure the JSON states recomputed from the proposal.

mod common;

use common::{caseload, code, Team};

fn team() -> Team {
    Team::new()
        .policy("max_moves", 5)
        .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(10).skills(&["spanish"]))
        .staff("cy", |s| {
            s.capacity(10).available(false).skills(&["spanish"])
        })
        .staff("di", |s| s.capacity(10).max_cases(1).skills(&["spanish"]))
        .staff("ed", |s| s.capacity(10))
        .case("S1", |c| c.acuity(4).needs(&["spanish"]).assigned("ana"))
        .case("S2", |c| {
            c.acuity(4)
                .needs(&["spanish"])
                .assigned("ana")
                .avoid(&["bo"])
        })
        .case("S3", |c| c.acuity(4).needs(&["spanish"]).assigned("ana"))
        .case("D1", |c| c.acuity(1).needs(&["spanish"]).assigned("di"))
        .case("P1", |c| c.acuity(3).assigned("ed"))
}

fn explain(args: &[&str]) -> (String, i32) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = team().write(dir.path());
    let mut all = vec!["explain", path.to_str().expect("utf-8 path")];
    all.extend_from_slice(args);
    let out = caseload(&all);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        code(&out),
    )
}

#[test]
fn a_case_that_stays_names_each_worker_s_first_reason() {
    let (text, exit) = explain(&["--case", "S1"]);
    assert_eq!(exit, 0);
    assert_eq!(
        text,
        "S1 (4 points): held by ana; stays with ana.\n\
         Why not the others:\n\
         \x20 bo  would rise to 80%, above the proposal's max of 50%\n\
         \x20 cy  on leave\n\
         \x20 di  at max_cases (1 of 1 after the proposal)\n\
         \x20 ed  lacks `spanish`\n"
    );
}

#[test]
fn a_moved_case_gives_its_reason_and_the_avoid_list() {
    let (text, exit) = explain(&["--case", "S2"]);
    assert_eq!(exit, 0);
    assert_eq!(
        text,
        "S2 (4 points): held by ana; moves to di.\n\
         Why: evens the load: ana 120% → 50%; moves to di, one of 3 available workers with `spanish` (10% → 40%).\n\
         Why not the others:\n\
         \x20 ana  would rise to 90%, above the proposal's max of 50%\n\
         \x20 bo   on the case's avoid list\n\
         \x20 cy   on leave\n\
         \x20 ed   lacks `spanish`\n"
    );
}

#[test]
fn why_not_narrows_to_one_worker() {
    let (text, _) = explain(&["--case", "S2", "--why-not", "bo"]);
    assert!(text.ends_with("  bo  on the case's avoid list\n"), "{text}");
    assert_eq!(text.lines().count(), 3);
}

#[test]
fn a_worker_sees_what_they_lose_and_gain() {
    let (text, exit) = explain(&["--staff", "ana"]);
    assert_eq!(exit, 0);
    assert!(
        text.starts_with("ana: 120% → 50% (12 → 5 points, 3 → 2 cases).\nLoses 2:\n"),
        "{text}"
    );
    assert!(
        text.contains("  S2 (4 points): evens the load: ana 120% → 50%; moves to di"),
        "{text}"
    );
}

#[test]
fn unknown_ids_are_usage_errors_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = team().write(dir.path());
    let out = caseload(&["explain", path.to_str().unwrap(), "--staff", "anna"]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `ana`?"));
    let out = caseload(&["explain", path.to_str().unwrap(), "--case", "S9"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
}

#[test]
fn every_figure_in_the_json_matches_the_proposal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = team().write(dir.path());
    let p = path.to_str().unwrap();
    let proposal: serde_json::Value =
        serde_json::from_slice(&caseload(&["rebalance", p, "--format", "json"]).stdout)
            .expect("proposal JSON");
    let staff = proposal["staff"].as_array().expect("staff");
    let worker = |id: &str| staff.iter().find(|s| s["id"] == id).expect("worker");
    let max_after = proposal["metrics"]["max_utilization_after"]
        .as_f64()
        .unwrap();
    for case in ["S1", "S2", "S3", "D1", "P1"] {
        let answer: serde_json::Value = serde_json::from_slice(
            &caseload(&["explain", p, "--case", case, "--format", "json"]).stdout,
        )
        .expect("explain JSON");
        assert_eq!(
            answer["holder_after"], proposal["assignments"][case],
            "{case}"
        );
        let weight = answer["weight"].as_f64().unwrap();
        for verdict in answer["workers"].as_array().unwrap() {
            let w = worker(verdict["worker"].as_str().unwrap());
            let figures = &verdict["figures"];
            if let Some(u) = figures["utilization_if"].as_f64() {
                let expected =
                    (w["load_after"].as_f64().unwrap() + weight) / w["capacity"].as_f64().unwrap();
                assert!((u - expected).abs() < 1e-9, "{case}: {verdict}");
            }
            if let Some(m) = figures["max_utilization_after"].as_f64() {
                assert!((m - max_after).abs() < 1e-9);
                assert!(figures["utilization_if"].as_f64().unwrap() > max_after);
            }
            if let Some(n) = figures["cases_after"].as_u64() {
                assert_eq!(n, w["cases_after"].as_u64().unwrap());
                assert!(n + 1 > figures["max_cases"].as_u64().unwrap());
            }
            if verdict["verdict"] == "holds" {
                assert_eq!(
                    Some(verdict["worker"].as_str().unwrap()),
                    answer["holder_after"].as_str()
                );
            }
        }
    }
}

/// Ana holds a family of three 2-point cases and one more; bo is light. With no move budget the
/// family must stay, and the reason is the budget, for all three of its cases.
fn family_team(max_moves: u32) -> Team {
    family_team_with(max_moves, 10)
}

fn family_team_with(max_moves: u32, bo_max_cases: u32) -> Team {
    Team::new()
        .policy("max_moves", max_moves)
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10).max_cases(bo_max_cases))
        .case("F1", |c| c.acuity(2).family("F").assigned("ana"))
        .case("F2", |c| c.acuity(2).family("F").assigned("ana"))
        .case("F3", |c| c.acuity(2).family("F").assigned("ana"))
        .case("A1", |c| c.acuity(3).assigned("ana"))
        .case("B1", |c| c.acuity(1).assigned("bo"))
}

fn run(team: &Team, args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = team.write(dir.path());
    let mut all = vec![args[0], path.to_str().expect("utf-8 path")];
    all.extend_from_slice(&args[1..]);
    let out = caseload(&all);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_spent_budget_is_named_with_the_whole_family_s_reassignments() {
    let text = run(
        &family_team(0),
        &["explain", "--case", "F1", "--why-not", "bo"],
    );
    assert!(
        text.contains("bo  would reach 70%, but that takes 3 more discretionary reassignments and the move budget has 0 left (max_moves = 0)"),
        "{text}"
    );
}

#[test]
fn assign_names_the_kept_holder() {
    let text = run(
        &family_team(5),
        &["explain", "--assign", "--case", "F1", "--why-not", "bo"],
    );
    assert!(
        text.contains("bo  assign keeps today's holders, and ana keeps this case and the cases that move with it"),
        "{text}"
    );
}

#[test]
fn max_cases_counts_the_family_that_would_join() {
    let team = family_team_with(5, 3)
        .case("B2", |c| c.acuity(1).assigned("bo"))
        .case("B3", |c| c.acuity(1).assigned("bo"));
    let text = run(&team, &["explain", "--case", "F1", "--why-not", "bo"]);
    assert!(
        text.contains("bo  at max_cases: 3 of 3 after the proposal, and the 3 cases that move together would make 6"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(
        &team,
        &["explain", "--case", "F1", "--format", "json"],
    ))
    .unwrap();
    let bo = json["workers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["worker"] == "bo")
        .unwrap();
    assert_eq!(bo["figures"]["joining"], 3, "{bo}");
}

#[test]
fn one_point_is_singular_and_the_move_list_counts_intake_apart() {
    let team = family_team(5).case("N1", |c| c.acuity(1));
    let text = run(&team, &["explain", "--case", "B1"]);
    assert!(text.starts_with("B1 (1 point): "), "{text}");
    let text = run(&team, &["rebalance"]);
    assert!(
        text.contains("reassignment") && text.contains("1 intake placement):"),
        "{text}"
    );
}

#[test]
fn only_the_rules_a_team_has_are_named_for_the_gap_above_the_bound() {
    // Three 3-point cases on two workers of 10: the densest group allows 45%, whole cases 60%.
    let team = Team::new()
        .staff("ana", |s| s.capacity(10))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(3).assigned("ana"))
        .case("C2", |c| c.acuity(3).assigned("ana"))
        .case("C3", |c| c.acuity(3).assigned("bo"));
    let text = run(&team, &["rebalance"]);
    assert!(
        text.contains("The proposal reaches 60%: cases move whole, and no assignment keeping every rule does better than 60%."),
        "{text}"
    );
    assert!(
        !text.contains("max_cases") && !text.contains("famil"),
        "{text}"
    );
}

#[test]
fn the_help_examples_run_on_the_example_scenario() {
    let out = caseload(&["help", "explain"]);
    let help = String::from_utf8_lossy(&out.stdout);
    let examples: Vec<&str> = help
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("caseload explain "))
        .collect();
    assert!(examples.len() >= 3, "{help}");
    for example in examples {
        let args: Vec<&str> = example.split_whitespace().skip(1).collect();
        let out = caseload(&args);
        assert_eq!(
            code(&out),
            0,
            "{example}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
