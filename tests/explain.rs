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
