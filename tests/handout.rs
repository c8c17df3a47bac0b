//! `caseload handout`: one section per worker, for their supervisor to give them. The exact
//! words on a small team; on every example team, every figure of the JSON recomputed from the
//! proposal it hands out; a saved proposal handed out as it was decided; display names shown
//! where the scenario gives them, and never as terminal control sequences.

mod common;

use std::path::Path;

use serde_json::Value;

use common::{caseload, code, root, without_provenance, Team};

/// Ana and Bo with names, Cy on leave without one; a case nobody may hold, held by Bo.
fn team() -> Team {
    Team::new()
        .policy("max_moves", 5)
        .staff("ana", |s| {
            s.name("Ana Silva").capacity(10).skills(&["spanish"])
        })
        .staff("bo", |s| s.name("Bo Chen").capacity(10))
        .staff("cy", |s| s.capacity(10).available(false))
        .case("A1", |c| c.acuity(4).assigned("ana"))
        .case("A2", |c| c.acuity(3).assigned("ana"))
        .case("A3", |c| c.acuity(4).needs(&["spanish"]).assigned("ana"))
        .case("C1", |c| c.acuity(3).assigned("cy"))
        .case("N1", |c| c.acuity(2))
        .case("Y1", |c| c.acuity(1).needs(&["youth"]).assigned("bo"))
}

/// Standard output and exit code of `caseload ARGS...`; never a panic.
fn run(args: &[&str]) -> (String, i32) {
    let out = caseload(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        code(&out),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn each_worker_gets_a_section_in_plain_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = team().write(dir.path());
    let (text, exit) = run(&["handout", path(&scenario)]);
    assert_eq!(exit, 1, "Y1 cannot be placed");
    assert_eq!(
        text,
        "Ana Silva (ana)\n\
         ===============\n\
         Proposed changes to your caseload (team).\n\
         \n\
         Today: 3 cases, 11 points (110% of your capacity of 10 points).\n\
         After: 2 cases, 8 points (80%).\n\
         \n\
         You keep 2 cases (8 points).\n\
         You hand over 1 case (3 points):\n\
         \x20 A2 (3 points), to Bo Chen (bo): evens the load: ana 110% → 80%; moves to bo (10% → 80%)\n\
         \n\
         Where you stand: after the changes the 2 available workers would all be at 80% of their capacity; you would be at 80% (110% today).\n\
         No available colleague is more than 5 points above or below ana.\n\
         \n\
         Bo Chen (bo)\n\
         ============\n\
         Proposed changes to your caseload (team).\n\
         \n\
         Today: 1 case, 1 point (10% of your capacity of 10 points).\n\
         After: 3 cases, 8 points (80%).\n\
         \n\
         You keep none of your cases.\n\
         You take on 3 cases (8 points):\n\
         \x20 A2 (3 points), from Ana Silva (ana): evens the load: ana 110% → 80%; moves to bo (10% → 80%)\n\
         \x20 C1 (3 points), from cy: cy is on leave; moves to bo (10% → 80%)\n\
         \x20 N1 (2 points): new intake, placed with bo (10% → 80%)\n\
         1 case of yours (1 point) cannot be placed with anyone under the team's rules:\n\
         \x20 Y1 (1 point): it needs `youth`; no available worker has it\n\
         \n\
         Where you stand: after the changes the 2 available workers would all be at 80% of their capacity; you would be at 80% (10% today).\n\
         No available colleague is more than 5 points above or below bo.\n\
         \n\
         cy\n\
         ==\n\
         Proposed changes to your caseload (team).\n\
         \n\
         Today: 1 case, 3 points (30% of your capacity of 10 points).\n\
         After: 0 cases, 0 points (0%).\n\
         \n\
         You keep none of your cases.\n\
         You hand over 1 case (3 points):\n\
         \x20 C1 (3 points), to Bo Chen (bo): cy is on leave; moves to bo (10% → 80%)\n\
         \n\
         You are on leave, so you hold no cases after the changes.\n"
    );
}

#[test]
fn staff_narrows_to_one_section_and_an_unknown_id_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = team().write(dir.path());
    let (all, _) = run(&["handout", path(&scenario)]);
    let (bo, exit) = run(&["handout", path(&scenario), "--staff", "bo"]);
    assert_eq!(exit, 1);
    let start = all.find("Bo Chen (bo)\n").expect("bo's section");
    let end = all.find("\ncy\n").expect("cy's section");
    assert_eq!(bo, all[start..end]);
    let out = caseload(&["handout", path(&scenario), "--staff", "bob"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `bo`?"));
}

#[test]
fn without_a_proposal_there_is_nothing_to_hand_out() {
    let (text, exit) = run(&["handout", "tests/outputs/conflict.toml"]);
    assert_eq!(exit, 1);
    assert!(
        text.starts_with(
            "Conflicting rules: no proposal, so no handouts: the hard rules cannot all be met"
        ),
        "{text}"
    );
    let (json, exit) = run(&["handout", "tests/outputs/conflict.toml", "--format", "json"]);
    assert_eq!(exit, 1);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["status"], "infeasible");
    assert_eq!(json["workers"], serde_json::json!([]));
    assert!(json["diagnosis"].is_string());
    assert!(json["team"]["utilization_after"].is_null());
}

/// The proposal (rebalance, JSON) of `scenario`, saved in `dir`, and its path.
fn saved_proposal(dir: &Path, scenario: &str) -> (Value, String) {
    let stem = Path::new(scenario).file_stem().expect("a file name");
    let file = dir.join(format!("{}.json", stem.to_string_lossy()));
    let file = path(&file).to_string();
    let out = caseload(&["rebalance", scenario, "--format", "json", "--output", &file]);
    assert!(matches!(code(&out), 0 | 1), "{scenario}");
    let json = serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON");
    (json, file)
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

/// The lowest, median and highest of `values`.
fn spread(mut values: Vec<f64>) -> [f64; 3] {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    [values[0], median, values[n - 1]]
}

/// Every figure of a handout agrees with the proposal it hands out.
fn check_against_proposal(proposal: &Value, handouts: &Value, name: &str) {
    let staff = proposal["staff"].as_array().expect("staff");
    let workers = handouts["workers"].as_array().expect("workers");
    assert_eq!(workers.len(), staff.len(), "{name}");
    let mut handed_over = Vec::new();
    let mut taken_on = Vec::new();
    for (w, s) in workers.iter().zip(staff) {
        let id = &w["id"];
        assert_eq!(id, &s["id"], "{name}: staff order");
        for (when, key) in [("before", "cases_before"), ("after", "cases_after")] {
            assert_eq!(w[when]["cases"], s[key], "{name} {id} {when}");
        }
        for (when, load, util) in [
            ("before", "load_before", "utilization_before"),
            ("after", "load_after", "utilization_after"),
        ] {
            assert!(
                (num(&w[when]["points"]) - num(&s[load])).abs() < 1e-6,
                "{name} {id}"
            );
            assert!(
                (num(&w[when]["utilization"]) - num(&s[util])).abs() < 1e-6,
                "{name} {id}"
            );
        }
        let count = |key: &str| w[key]["count"].as_u64().expect("count");
        let points = |key: &str| num(&w[key]["points"]);
        assert_eq!(
            count("keeps") + count("hands_over") + count("unplaced"),
            w["before"]["cases"].as_u64().unwrap(),
            "{name} {id}: every case held today is kept, handed over or unplaced"
        );
        assert_eq!(
            count("keeps") + count("takes_on"),
            w["after"]["cases"].as_u64().unwrap(),
            "{name} {id}: every case held after is kept or taken on"
        );
        let today = points("keeps") + points("hands_over") + points("unplaced");
        assert!(
            (today - num(&w["before"]["points"])).abs() < 1e-6,
            "{name} {id}"
        );
        let after = points("keeps") + points("takes_on");
        assert!(
            (after - num(&w["after"]["points"])).abs() < 1e-6,
            "{name} {id}"
        );
        for kept in w["keeps"]["cases"].as_array().unwrap() {
            assert_eq!(
                &proposal["assignments"][kept.as_str().unwrap()],
                id,
                "{name}"
            );
        }
        for m in w["hands_over"]["moves"].as_array().unwrap() {
            assert_eq!(&m["from"], id, "{name}");
            handed_over.push((m["case"].clone(), m["to"].clone(), m["why"].clone()));
        }
        for m in w["takes_on"]["moves"].as_array().unwrap() {
            assert_eq!(&m["to"], id, "{name}");
            taken_on.push((m["case"].clone(), m["to"].clone(), m["why"].clone()));
        }
        for u in w["unplaced"]["cases"].as_array().unwrap() {
            assert!(proposal["assignments"][u["case"].as_str().unwrap()].is_null());
        }
    }
    let moves = proposal["moves"].as_array().expect("moves");
    let all: Vec<_> = moves
        .iter()
        .map(|m| (m["case"].clone(), m["to"].clone(), m["why"].clone()))
        .collect();
    let held: Vec<_> = moves
        .iter()
        .filter(|m| !m["from"].is_null())
        .map(|m| (m["case"].clone(), m["to"].clone(), m["why"].clone()))
        .collect();
    taken_on.sort_by_key(|m| m.0.to_string());
    handed_over.sort_by_key(|m| m.0.to_string());
    let sorted = |mut v: Vec<(Value, Value, Value)>| {
        v.sort_by_key(|m| m.0.to_string());
        v
    };
    assert_eq!(taken_on, sorted(all), "{name}: every move is taken on once");
    assert_eq!(
        handed_over,
        sorted(held),
        "{name}: every reassignment is handed over once"
    );
    let available: Vec<&Value> = staff.iter().filter(|s| s["available"] == true).collect();
    let team = &handouts["team"];
    assert_eq!(team["available_workers"], available.len(), "{name}");
    let expected = spread(
        available
            .iter()
            .map(|s| num(&s["utilization_after"]))
            .collect(),
    );
    let after = &team["utilization_after"];
    for (key, value) in ["lowest", "median", "highest"].iter().zip(expected) {
        assert!(
            (num(&after[key]) - value).abs() < 1e-6,
            "{name}: team {key}"
        );
    }
}

#[test]
fn every_figure_agrees_with_the_proposal_handed_out() {
    let mut scenarios: Vec<String> = Vec::new();
    for dir in ["scenarios", "tests/outputs"] {
        for entry in std::fs::read_dir(root().join(dir)).expect("folder") {
            let file = entry.expect("entry").path();
            if file.extension().is_some_and(|e| e == "toml") {
                scenarios.push(format!(
                    "{dir}/{}",
                    file.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    scenarios.sort();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    for scenario in &scenarios {
        let (proposal, file) = saved_proposal(dir.path(), scenario);
        if proposal["status"] == "infeasible" {
            continue;
        }
        let (json, exit) = run(&["handout", scenario, "--proposal", &file, "--format", "json"]);
        assert!(matches!(exit, 0 | 1), "{scenario}");
        let handouts: Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(handouts["status"], proposal["status"], "{scenario}");
        check_against_proposal(&proposal, &handouts, scenario);
        checked += 1;
    }
    assert!(checked >= 8, "{checked} teams checked");
}

#[test]
fn a_saved_proposal_is_handed_out_as_it_was_decided() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = "scenarios/riverside.toml";
    let (_, file) = saved_proposal(dir.path(), scenario);
    for format in ["text", "json"] {
        let (solved, solved_exit) = run(&["handout", scenario, "--format", format]);
        let (read, read_exit) =
            run(&["handout", scenario, "--format", format, "--proposal", &file]);
        assert_eq!((read_exit, solved_exit), (0, 0));
        if format == "json" {
            // The same facts; the proposal is one more input.
            let model = "scenarios/../models/standard.toml";
            assert_eq!(
                without_provenance(&read, &[scenario, model, &file]),
                without_provenance(&solved, &[scenario, model])
            );
        } else {
            assert_eq!(read, solved, "{format}");
        }
    }
    // The balance facts are those of `explain --staff`.
    let scenario = "scenarios/mercy-health.toml";
    let (_, file) = saved_proposal(dir.path(), scenario);
    let (explained, _) = run(&[
        "explain",
        scenario,
        "--proposal",
        &file,
        "--staff",
        "tasha",
        "--format",
        "json",
    ]);
    let (handout, _) = run(&[
        "handout",
        scenario,
        "--proposal",
        &file,
        "--staff",
        "tasha",
        "--format",
        "json",
    ]);
    let explained: Value = serde_json::from_str(&explained).expect("JSON");
    let handout: Value = serde_json::from_str(&handout).expect("JSON");
    assert_eq!(handout["workers"][0]["balance"], explained["balance"]);
    assert!(!explained["balance"]["below"].as_array().unwrap().is_empty());
}

#[test]
fn a_saved_proposal_that_does_not_fit_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, file) = saved_proposal(dir.path(), "scenarios/riverside.toml");
    let out = caseload(&[
        "handout",
        "scenarios/mercy-health.toml",
        "--proposal",
        &file,
    ]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: the proposal `{file}` does not fit the scenario `scenarios/mercy-health.toml`:"
        )),
        "{stderr}"
    );
}

#[test]
fn names_are_shown_where_given_and_control_characters_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = Team::new()
        .staff("ana", |s| s.name("Ana Silva").capacity(10))
        .staff("bo", |s| s.name("bo").capacity(10))
        .case("A1", |c| c.acuity(4).assigned("ana"))
        .case("A2", |c| c.acuity(4).assigned("ana"))
        .write(dir.path());
    let p = path(&scenario);
    let (text, _) = run(&["handout", p]);
    assert!(text.starts_with("Ana Silva (ana)\n"), "{text}");
    assert!(
        text.contains("\nbo\n==\n"),
        "a name equal to the id is shown once: {text}"
    );
    let (text, _) = run(&["rebalance", p]);
    assert!(text.contains("\n  Ana Silva (ana)  "), "{text}");
    let (text, _) = run(&["explain", p, "--staff", "ana"]);
    assert!(text.starts_with("Ana Silva (ana): "), "{text}");
    let (json, _) = run(&["explain", p, "--staff", "ana", "--format", "json"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["worker"], "ana");
    assert_eq!(json["name"], "Ana Silva");
    let (json, _) = run(&["rebalance", p, "--format", "json"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["staff"][0]["name"], "Ana Silva");
    assert_eq!(json["assignments"]["A1"], "ana", "ids stay ids");
    let (json, _) = run(&["handout", p, "--format", "json"]);
    let json: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["workers"][0]["name"], "Ana Silva");
    assert_eq!(json["workers"][0]["id"], "ana");

    // A name carrying a terminal escape is refused where it is read.
    let escaped = Team::new()
        .staff("ana", |s| s.name("Ana \u{1b}[31mSilva").capacity(10))
        .case("A1", |c| c.acuity(4).assigned("ana"))
        .write(&{
            let sub = dir.path().join("escaped");
            std::fs::create_dir(&sub).unwrap();
            sub
        });
    let out = caseload(&["handout", path(&escaped)]);
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("contains the control character U+001B"));
}

#[test]
fn help_describes_the_command() {
    let (text, exit) = run(&["help", "handout"]);
    assert_eq!(exit, 0);
    assert!(text.contains("--proposal <FILE>"), "{text}");
    assert!(text.contains("--staff <ID>"), "{text}");
}
