//! What binds, which rules conflict and what the budget costs: exact sentences on small teams,
//! and every figure recomputed from the scenario file itself (parsed here, not by the library).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{caseload, code, root, solve_checked, write};
use serde_json::Value;

/// A worker or case as the test reads it from the scenario file.
struct Team {
    staff: Vec<toml::Table>,
    cases: Vec<toml::Table>,
}

impl Team {
    fn read(path: &Path) -> Self {
        let doc: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        let list = |key: &str| -> Vec<toml::Table> {
            doc.get(key)
                .and_then(|v| v.as_array())
                .map(|a| a.iter().map(|v| v.as_table().unwrap().clone()).collect())
                .unwrap_or_default()
        };
        Team {
            staff: list("staff"),
            cases: list("case"),
        }
    }

    fn strings(table: &toml::Table, key: &str) -> Vec<String> {
        table
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    }

    fn capacity(&self, id: &str) -> f64 {
        let s = self
            .staff
            .iter()
            .find(|s| s["id"].as_str() == Some(id))
            .unwrap();
        s["capacity"]
            .as_float()
            .or(s["capacity"].as_integer().map(|i| i as f64))
            .unwrap()
    }

    fn weight(&self, id: &str) -> f64 {
        let c = self
            .cases
            .iter()
            .find(|c| c["id"].as_str() == Some(id))
            .unwrap();
        c["acuity"]
            .as_float()
            .or(c["acuity"].as_integer().map(|i| i as f64))
            .unwrap()
    }

    /// Workers who may hold a case: available, with its needs, not avoided, its holder if pinned.
    fn eligible(&self, case: &toml::Table) -> BTreeSet<String> {
        let needs = Self::strings(case, "needs");
        let avoid = Self::strings(case, "avoid");
        let pinned = case.get("pinned").and_then(|v| v.as_bool()) == Some(true);
        let holder = case.get("assigned").and_then(|v| v.as_str());
        self.staff
            .iter()
            .filter(|s| s.get("available").and_then(|v| v.as_bool()) != Some(false))
            .filter(|s| {
                let skills = Self::strings(s, "skills");
                needs.iter().all(|n| skills.contains(n))
            })
            .map(|s| s["id"].as_str().unwrap().to_string())
            .filter(|id| !avoid.contains(id))
            .filter(|id| !pinned || Some(id.as_str()) == holder)
            .collect()
    }
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// Checks a group's figures against the scenario: its cases are exactly those whose eligible
/// workers (some) all lie in the group, and its weight, capacity and level add up.
fn check_group(team: &Team, group: &Value) {
    let workers: BTreeSet<String> = ids(&group["workers"]).into_iter().collect();
    // The whole team's cases are every case someone may hold, and are left out.
    let cases: BTreeSet<String> = if group["whole_team"] == true {
        assert!(group.get("cases").is_none());
        team.cases
            .iter()
            .filter(|c| !team.eligible(c).is_empty())
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    } else {
        ids(&group["cases"]).into_iter().collect()
    };
    for case in &team.cases {
        let id = case["id"].as_str().unwrap().to_string();
        // A case no one may hold is unplaced, in no group.
        let eligible = team.eligible(case);
        let inside = !eligible.is_empty() && eligible.is_subset(&workers);
        assert_eq!(cases.contains(&id), inside, "case {id} in {group}");
    }
    let weight: f64 = cases.iter().map(|c| team.weight(c)).sum();
    let capacity: f64 = workers.iter().map(|w| team.capacity(w)).sum();
    assert!(close(group["weight"].as_f64().unwrap(), weight), "{group}");
    assert!(
        close(group["capacity"].as_f64().unwrap(), capacity),
        "{group}"
    );
    assert!(
        close(group["level"].as_f64().unwrap(), weight / capacity),
        "{group}"
    );
    assert_eq!(group["case_count"].as_u64().unwrap() as usize, cases.len());
}

fn spanish_short() -> common::Team {
    common::Team::new()
        .staff("ana", |s| s.capacity(15).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(15).skills(&["spanish"]))
        .staff("cy", |s| s.capacity(10).skills(&["spanish", "youth"]))
        .staff("di", |s| s.capacity(20))
        .staff("ed", |s| s.capacity(20))
        .case("S1", |c| c.acuity(13).needs(&["spanish"]).assigned("ana"))
        .case("S2", |c| c.acuity(13).needs(&["spanish"]).assigned("ana"))
        .case("S3", |c| c.acuity(13).needs(&["spanish"]).assigned("bo"))
        .case("S4", |c| c.acuity(13).needs(&["spanish"]).assigned("cy"))
        .case("P1", |c| c.acuity(5).assigned("di"))
        .case("P2", |c| c.acuity(5))
}

#[test]
fn a_scarce_skill_binds_equity_and_overload_in_exact_words_and_figures() {
    let dir = tempfile::tempdir().unwrap();
    let path = spanish_short().write(dir.path());
    let text = caseload(&["rebalance", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains(
        "14 points above target remain: 12 of them no assignment avoids (see What binds); for the rest, skills, pins, families and max_cases leave no better assignment.\n"
    ), "{stdout}");
    assert!(stdout.contains(
        "\nWhat binds:\n  The 3 available workers with `spanish` (ana, bo and cy) have 40 points of capacity, and the 4 cases only they may hold weigh 52 points: no assignment keeps all of them below 130%. One more full-time worker with `spanish` at the team's typical 15 points would lower that bound from 130% to 94%. The proposal reaches 173%: cases move whole, and no assignment keeping every rule does better than 173%.\n  The 3 available workers with `spanish` (ana, bo and cy) can take 40 points at target (100%), and the 4 cases only they may hold weigh 52 points; 12 points of overload cannot be avoided by any assignment.\n"
    ), "{stdout}");

    let team = Team::read(&path);
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let equity = &json["binding"]["equity"];
    check_group(&team, equity);
    assert_eq!(ids(&equity["shared_needs"]), ["spanish"]);
    assert_eq!(equity["all_with_these_skills"], true);
    // The bound holds for the proposal.
    let max_after = json["metrics"]["max_utilization_after"].as_f64().unwrap();
    assert!(max_after >= equity["level"].as_f64().unwrap() - 1e-9);
    let shortfalls = json["binding"]["overload"].as_array().unwrap();
    assert_eq!(shortfalls.len(), 1);
    let s = &shortfalls[0];
    check_group(&team, s);
    let room = s["capacity"].as_f64().unwrap() * s["target"].as_f64().unwrap();
    assert!(close(s["room"].as_f64().unwrap(), room));
    assert!(close(
        s["overload"].as_f64().unwrap(),
        s["weight"].as_f64().unwrap() - room
    ));
    assert!(json["metrics"]["overload_after"].as_f64().unwrap() >= s["overload"].as_f64().unwrap());

    // What one more worker would buy is what the team with that worker shows.
    let one_more = &json["binding"]["one_more_worker"];
    assert_eq!(ids(&one_more["skills"]), ["spanish"]);
    let capacity = one_more["capacity"].as_f64().unwrap();
    let bigger = write(
        dir.path(),
        "bigger.toml",
        &spanish_short()
            .staff("new", |s| s.capacity(capacity).skills(&["spanish"]))
            .toml(),
    );
    let (with, _) = solve_checked("rebalance", &bigger, &[]);
    assert_eq!(one_more["level"], with["binding"]["equity"]["level"]);
}

#[test]
fn pinned_cases_bind_their_one_worker() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::Team::new()
        .staff("ana", |s| s.capacity(10))
        .staff("cy", |s| s.capacity(30))
        .case("A1", |c| c.acuity(6).assigned("ana").pinned())
        .case("A2", |c| c.acuity(6).assigned("ana").pinned())
        .case("C1", |c| c.acuity(3).assigned("cy"))
        .write(dir.path());
    let text = caseload(&["rebalance", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains(
        "\nWhat binds:\n  ana has 10 points of capacity, and the 2 cases only ana may hold weigh 12 points: no assignment keeps ana below 120%.\n  ana can take 10 points at target (100%), and the 2 cases only ana may hold weigh 12 points; 2 points of overload cannot be avoided by any assignment.\n"
    ), "{stdout}");
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let team = Team::read(&path);
    check_group(&team, &json["binding"]["equity"]);
    check_group(&team, &json["binding"]["overload"][0]);
}

#[test]
fn a_balanced_team_is_bound_as_a_whole() {
    let path = root().join("scenarios/riverside.toml");
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let equity = &json["binding"]["equity"];
    assert_eq!(equity["whole_team"], true);
    assert!(equity.get("cases").is_none());
    let why = equity["why"].as_str().unwrap();
    assert!(
        why.starts_with("The team as a whole: the 88 cases weigh 294 points and the 10 workers who may hold them have 344 points of capacity, so no assignment keeps every worker below 85%."),
        "{why}"
    );
    // The capacity stated is that of the available workers in the staff table.
    let available: f64 = json["staff"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["available"] == true)
        .map(|s| s["capacity"].as_f64().unwrap())
        .sum();
    assert!(close(equity["capacity"].as_f64().unwrap(), available));
}

/// Runs rebalance and returns (stdout, exit code).
fn rebalance(path: &Path, extra: &[&str]) -> (String, i32) {
    let mut args = vec!["rebalance", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = caseload(&args);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        code(&out),
    )
}

const BUDGET_CONFLICT: &str = r#"[policy]
max_moves = 0
[[staff]]
id = "ana"
capacity = 20
max_cases = 2
[[staff]]
id = "bo"
capacity = 20
[[case]]
id = "C1"
acuity = 1
assigned = "ana"
pinned = true
[[case]]
id = "C2"
acuity = 1
assigned = "ana"
pinned = true
[[case]]
id = "C3"
acuity = 1
assigned = "ana"
[[case]]
id = "C4"
acuity = 1
assigned = "bo"
"#;

#[test]
fn conflicting_rules_are_named_by_their_lines_and_each_one_matters() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "team.toml", BUDGET_CONFLICT);
    let (stdout, exit) = rebalance(&path, &[]);
    assert_eq!(exit, 1);
    let p = path.display();
    assert!(stdout.contains(&format!(
        "\nThese rules conflict (without any one of them, the others can all hold):\n  - {p}:3:1: `ana` holds at most 2 cases (max_cases)\n  - {p}:2:13: at most 0 discretionary reassignments (max_moves)\nWith every other rule kept, the smallest move budget that admits an assignment is 1 (`--max-moves 1`).\n"
    )), "{stdout}");
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let conflict = &json["conflict"];
    assert_eq!(conflict["minimal"], true);
    assert_eq!(conflict["each_needed"], true);
    let rules = conflict["rules"].as_array().unwrap();
    let kinds: Vec<&str> = rules.iter().map(|r| r["rule"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["max_cases", "max_moves"]);
    assert_eq!(rules[0]["subject"], "ana");
    assert!(rules
        .iter()
        .all(|r| r["lifted_alone"] == "admits_assignment"));
    assert_eq!(conflict["max_moves_needed"]["max_moves"], 1);
    assert_eq!(conflict["max_moves_needed"]["least"], true);

    // Lifting either rule gives a proposal; the pins, which are not named, do not matter.
    let lifted = [
        BUDGET_CONFLICT.replace("max_cases = 2\n", ""),
        BUDGET_CONFLICT.replace("max_moves = 0", "max_moves = 1"),
    ];
    for text in lifted {
        let path = write(dir.path(), "lifted.toml", &text);
        assert_eq!(rebalance(&path, &[]).1, 0, "{text}");
    }
    let unpinned = BUDGET_CONFLICT.replace("pinned = true\n", "");
    let path = write(dir.path(), "unpinned.toml", &unpinned);
    assert_eq!(rebalance(&path, &[]).1, 1);
}

#[test]
fn a_family_that_cannot_fit_its_only_worker_is_a_conflict_with_max_cases() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
[[staff]]
id = "ana"
capacity = 10
[[staff]]
id = "bo"
capacity = 10
max_cases = 1
skills = ["asl"]
[[case]]
id = "F1"
acuity = 1
needs = ["asl"]
family = "kim"
assigned = "bo"
[[case]]
id = "F2"
acuity = 1
family = "kim"
assigned = "bo"
"#;
    let path = write(dir.path(), "team.toml", text);
    let (stdout, exit) = rebalance(&path, &[]);
    assert_eq!(exit, 1);
    let p = path.display();
    assert!(stdout.contains(&format!(
        "  - {p}:5:1: `bo` holds at most 1 case (max_cases)\n  - {p}:10:1: family `kim` stays with one worker (`F1` and `F2`)\n"
    )), "{stdout}");
    // With no moves allowed, F2 cannot leave bo even as a family of its own: max_cases and the
    // budget conflict without the family rule, and the smallest set says so, naming where the
    // budget was set. But max_cases and the family still conflict with any budget: lifting the
    // budget alone is not enough, and the report says so rather than promising it.
    let (stdout, _) = rebalance(&path, &["--max-moves", "0"]);
    assert!(stdout.contains(&format!(
        "These rules conflict (each is needed for this conflict, but other rules conflict as well: only lifting a rule marked below, every other rule kept, admits an assignment):\n  - {p}:5:1: `bo` holds at most 1 case (max_cases) — lifting this one alone, every other rule kept, admits an assignment\n  - at most 0 discretionary reassignments (max_moves, from the command line (--max-moves))\nNo move budget is enough: with every other rule kept, the rules conflict even with no limit on moves.\n\n"
    )), "{stdout}");
    let (json, _) = solve_checked("rebalance", &path, &["--max-moves", "0"]);
    assert_eq!(json["conflict"]["minimal"], false);
    assert_eq!(
        json["conflict"]["max_moves_needed"]["max_moves"],
        Value::Null
    );
    let (_, exit) = rebalance(&path, &["--max-moves", "2"]);
    assert_eq!(exit, 1, "no budget lifts the other conflict");
}

/// `count` families, each split today between ana and bo, with the `family` key of those in
/// `lifted` deleted, as a user would delete the rule from the file.
fn split_families(count: usize, max_moves: u32, lifted: &[&str]) -> common::Team {
    let mut team = common::Team::new()
        .policy("max_moves", max_moves)
        .staff("ana", |s| s.capacity(20))
        .staff("bo", |s| s.capacity(20));
    for family in ["a", "b", "c", "d"].into_iter().take(count) {
        for (n, holder) in [(1, "ana"), (2, "bo")] {
            let kept = !lifted.contains(&family);
            team = team.case(&format!("{family}{n}"), |c| {
                let c = c.acuity(1).assigned(holder);
                if kept {
                    c.family(family)
                } else {
                    c
                }
            });
        }
    }
    team
}

/// Checks a conflict against the file as a user would edit it: each named rule deleted from
/// the file, everything else kept, gives a proposal exactly when the report says so; the set is
/// called minimal exactly when every one does; and the budget named is the least that works.
fn check_conflict_against_the_file(dir: &Path, count: usize, max_moves: u32) -> Value {
    let path = split_families(count, max_moves, &[]).write(dir);
    let (json, exit) = solve_checked("rebalance", &path, &[]);
    assert_eq!(exit, 1);
    assert_eq!(json["status"], "infeasible");
    let conflict = json["conflict"].clone();
    let mut all_fit = true;
    for rule in conflict["rules"].as_array().unwrap() {
        let edited = match rule["rule"].as_str().unwrap() {
            "family" => {
                let family = rule["subject"].as_str().unwrap();
                split_families(count, max_moves, &[family]).write(dir)
            }
            "max_moves" => split_families(count, 1000, &[]).write(dir),
            other => panic!("unexpected rule {other}"),
        };
        let (lifted, _) = solve_checked("rebalance", &edited, &[]);
        let fits = lifted["status"] != "infeasible";
        let said = rule["lifted_alone"].as_str().unwrap();
        assert_eq!(
            said,
            if fits {
                "admits_assignment"
            } else {
                "still_conflicts"
            },
            "{rule}"
        );
        all_fit &= fits;
    }
    assert_eq!(conflict["minimal"], all_fit, "{conflict}");
    let least = conflict["max_moves_needed"]["max_moves"].as_u64().unwrap() as u32;
    assert_eq!(conflict["max_moves_needed"]["least"], true);
    let enough = split_families(count, least, &[]).write(dir);
    assert_eq!(solve_checked("rebalance", &enough, &[]).1, 0);
    let short = split_families(count, least - 1, &[]).write(dir);
    assert_eq!(
        solve_checked("rebalance", &short, &[]).0["status"],
        "infeasible"
    );
    conflict
}

#[test]
fn with_several_split_families_the_conflict_is_only_called_minimal_when_it_is() {
    let dir = tempfile::tempdir().unwrap();
    // Three families split today and one move: any two families and the budget conflict, so
    // deleting one named family from the file leaves the third still in conflict.
    let conflict = check_conflict_against_the_file(dir.path(), 3, 1);
    assert_eq!(conflict["minimal"], false);
    let path = split_families(3, 1, &[]).write(dir.path());
    let (json, _) = solve_checked("rebalance", &path, &[]);
    assert!(json["binding"].get("one_more_worker").is_none(), "{json}");
    assert_eq!(conflict["max_moves_needed"]["max_moves"], 3);
    let path = split_families(3, 1, &[]).write(dir.path());
    let (stdout, _) = rebalance(&path, &[]);
    let p = path.display();
    // The bound on equity stays, but what one more worker would do to it is beside the point
    // when the rules admit no assignment at all.
    assert!(
        stdout.contains("\nWhat binds:\n  The team as a whole"),
        "{stdout}"
    );
    assert!(!stdout.contains("One more"), "{stdout}");
    assert!(stdout.contains(&format!(
        "These rules conflict (each is needed for this conflict, but other rules conflict as well: only lifting a rule marked below, every other rule kept, admits an assignment):\n  - {p}:19:1: family `b` stays with one worker (`b1` and `b2`)\n  - {p}:29:1: family `c` stays with one worker (`c1` and `c2`)\n  - {p}:2:13: at most 1 discretionary reassignment (max_moves) — lifting this one alone, every other rule kept, admits an assignment\nWith every other rule kept, the smallest move budget that admits an assignment is 3 (`--max-moves 3`).\n"
    )), "{stdout}");

    // Two families and one move: the only conflict, so the promise holds.
    let conflict = check_conflict_against_the_file(dir.path(), 2, 1);
    assert_eq!(conflict["minimal"], true);
    assert_eq!(conflict["max_moves_needed"]["max_moves"], 2);
    let path = split_families(2, 1, &[]).write(dir.path());
    let (stdout, _) = rebalance(&path, &[]);
    assert!(
        stdout
            .contains("These rules conflict (without any one of them, the others can all hold):\n"),
        "{stdout}"
    );
}

#[test]
fn more_budget_never_gives_a_worse_proposal_and_each_point_is_a_real_rebalance() {
    let path = root().join("scenarios/county-east.toml");
    let (json, _) = solve_checked("rebalance", &path, &["--max-moves", "10", "--budget-curve"]);
    let curve = json["budget_curve"].as_array().unwrap();
    let budgets: Vec<u64> = curve
        .iter()
        .map(|p| p["max_moves"].as_u64().unwrap())
        .collect();
    assert_eq!(budgets, [5, 15, 20, 30]);
    let mut points: Vec<(u64, f64, f64)> = curve
        .iter()
        .map(|p| {
            (
                p["max_moves"].as_u64().unwrap(),
                p["max_utilization"].as_f64().unwrap(),
                p["overload"].as_f64().unwrap(),
            )
        })
        .collect();
    points.push((
        10,
        json["metrics"]["max_utilization_after"].as_f64().unwrap(),
        json["metrics"]["overload_after"].as_f64().unwrap(),
    ));
    points.sort_by_key(|p| p.0);
    for pair in points.windows(2) {
        assert!(pair[1].1 <= pair[0].1 + 1e-9, "{points:?}");
        if close(pair[1].1, pair[0].1) {
            assert!(pair[1].2 <= pair[0].2 + 1e-9, "{points:?}");
        }
    }
    // Each point is what a rebalance with that budget proposes.
    for p in curve {
        let k = p["max_moves"].as_u64().unwrap().to_string();
        let (other, _) = solve_checked("rebalance", &path, &["--max-moves", &k]);
        assert_eq!(
            p["max_utilization"].as_f64().unwrap(),
            other["metrics"]["max_utilization_after"].as_f64().unwrap()
        );
        assert_eq!(p["moves"], other["metrics"]["moves"]);
        assert!(p["discretionary_moves"].as_u64().unwrap() <= p["max_moves"].as_u64().unwrap());
    }
    let text = caseload(&[
        "rebalance",
        path.to_str().unwrap(),
        "--max-moves",
        "10",
        "--budget-curve",
    ]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    let more = &curve[1];
    assert!(
        stdout.contains(&format!(
            "  With 5 more moves (15), max utilization would fall from {:.0}% to {:.0}%",
            100.0 * json["metrics"]["max_utilization_after"].as_f64().unwrap(),
            100.0 * more["max_utilization"].as_f64().unwrap()
        )),
        "{stdout}"
    );
}

#[test]
fn each_move_s_facts_match_the_staff_figures_and_the_scenario() {
    let path = root().join("scenarios/riverside-leave.toml");
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let staff = json["staff"].as_array().unwrap();
    let worker = |id: &str| staff.iter().find(|s| s["id"] == id).unwrap();
    let moves = json["moves"].as_array().unwrap();
    assert!(!moves.is_empty());
    for m in moves {
        let facts = &m["explanation"];
        assert_eq!(facts["cause"], m["kind"]);
        assert_eq!(facts["counts_against_budget"], m["counts_against_budget"]);
        assert_eq!(facts["to"]["id"], m["to"]);
        for end in ["from", "to"] {
            if facts[end].is_null() {
                assert!(m["from"].is_null());
                continue;
            }
            let w = worker(facts[end]["id"].as_str().unwrap());
            assert_eq!(facts[end]["utilization_before"], w["utilization_before"]);
            assert_eq!(facts[end]["utilization_after"], w["utilization_after"]);
        }
        if m["kind"] == "required" {
            assert!(facts["required_because"]["reason"].is_string(), "{m}");
        }
    }
    let objectives = json["objectives"].as_array().unwrap();
    let find = |measure: &str| objectives.iter().find(|o| o["measure"] == measure).unwrap();
    let metrics = &json["metrics"];
    assert_eq!(
        find("max_utilization")["before"],
        metrics["max_utilization_before"]
    );
    assert_eq!(
        find("max_utilization")["after"],
        metrics["max_utilization_after"]
    );
    assert_eq!(find("overload_points")["after"], metrics["overload_after"]);
    assert_eq!(
        find("reassignments")["after"].as_f64(),
        metrics["moves"].as_f64()
    );
    assert_eq!(
        find("preferences_honoured")["after"].as_f64(),
        metrics["preferences_honoured"].as_f64()
    );
    let available: Vec<f64> = staff
        .iter()
        .filter(|s| s["available"] == true)
        .map(|s| s["utilization_after"].as_f64().unwrap())
        .collect();
    let spread = available.iter().cloned().fold(f64::MIN, f64::max)
        - available.iter().cloned().fold(f64::MAX, f64::min);
    assert!(close(find("spread")["after"].as_f64().unwrap(), spread));
}

#[test]
fn a_worker_at_max_cases_is_named_when_the_proposal_stays_above_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::Team::new()
        .staff("ana", |s| s.capacity(10).max_cases(1))
        .staff("bo", |s| s.capacity(10))
        .case("C1", |c| c.acuity(2))
        .case("C2", |c| c.acuity(2))
        .case("C3", |c| c.acuity(2))
        .case("C4", |c| c.acuity(2))
        .write(dir.path());
    let (stdout, exit) = rebalance(&path, &[]);
    assert_eq!(exit, 0);
    assert!(stdout.contains(
        "  The team as a whole: the 4 cases weigh 8 points and the 2 workers who may hold them have 20 points of capacity, so no assignment keeps every worker below 40%. One more full-time worker at the team's typical 10 points would lower that bound from 40% to 26%. The proposal reaches 60%: cases move whole and ana (1 case) is at max_cases, and no assignment keeping every rule does better than 60%."
    ), "{stdout}");
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let ana = json["staff"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "ana")
        .unwrap();
    assert_eq!(ana["cases_after"], 1);
    assert!(close(
        json["metrics"]["max_utilization_after"].as_f64().unwrap(),
        0.6
    ));
}

#[test]
fn assign_is_not_blamed_on_the_rules_and_does_not_offer_a_worker() {
    let path = root().join("scenarios/riverside.toml");
    let out = caseload(&["assign", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(
        "The proposal reaches 135%: assign keeps existing holders; `caseload rebalance` may move cases."
    ), "{stdout}");
    assert!(!stdout.contains("One more full-time worker"), "{stdout}");
}

#[test]
fn a_short_group_inside_a_short_team_is_listed_and_its_overload_is_not_counted_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::forensic_inside_a_short_team().write(dir.path());
    let (stdout, _) = rebalance(&path, &[]);
    assert!(stdout.contains(
        "  The team is short-staffed: the 7 cases weigh 178 points and the 4 workers who may hold them can take 147 points at target (100%); 31 points of overload cannot be avoided by any assignment.\n  The 2 available workers with `forensic` (fay and fox) can take 67 points at target (100%), and the 4 cases only they may hold weigh 88 points; 21 points of overload cannot be avoided by any assignment, part of the 31 above.\n"
    ), "{stdout}");
    assert!(
        stdout.contains("41 points above target remain: 31 of them no assignment avoids"),
        "{stdout}"
    );
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let team = Team::read(&path);
    let listed = json["binding"]["overload"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    for s in listed {
        check_group(&team, s);
    }
    assert_eq!(listed[1]["within"], 0);
}

#[test]
fn one_more_worker_has_the_team_s_own_full_time_capacity() {
    let dir = tempfile::tempdir().unwrap();
    // Full-time staff carry 47 points here (the part-timer too, per FTE), not the model's 40.
    let team = || {
        let mut team = common::Team::new()
            .staff("a", |s| s.capacity(47))
            .staff("b", |s| s.capacity(47))
            .staff("c", |s| s.fte(0.5).capacity(23.5))
            .staff("d", |s| s.capacity(60));
        for c in 1..=10 {
            team = team.case(&format!("C{c}"), |k| k.acuity(15).assigned("a"));
        }
        team
    };
    let path = team().write(dir.path());
    let (stdout, _) = rebalance(&path, &[]);
    // 150 points over 177.5 of capacity, then over 224.5.
    assert!(stdout.contains(
        "so no assignment keeps every worker below 84%. One more full-time worker at the team's typical 47 points would lower that bound from 84% to 66%."
    ), "{stdout}");
    let (json, _) = solve_checked("rebalance", &path, &[]);
    let one_more = &json["binding"]["one_more_worker"];
    assert_eq!(one_more["capacity"], 47.0);
    let bigger = write(
        dir.path(),
        "bigger.toml",
        &team().staff("new", |s| s.capacity(47)).toml(),
    );
    let (with, _) = solve_checked("rebalance", &bigger, &[]);
    assert_eq!(one_more["level"], with["binding"]["equity"]["level"]);
}

#[test]
fn a_team_with_nothing_to_place_is_told_nothing_false() {
    let dir = tempfile::tempdir().unwrap();
    let staff = || {
        common::Team::new()
            .staff("ana", |s| s.capacity(10))
            .staff("bo", |s| s.capacity(10))
    };
    let teams = [
        ("empty.toml", staff()),
        (
            "weightless.toml",
            staff().case("C1", |c| c.acuity(0).assigned("ana")),
        ),
    ];
    for (name, team) in teams {
        let path = write(dir.path(), name, &team.toml());
        let (stdout, exit) = rebalance(&path, &[]);
        assert_eq!(exit, 0);
        assert!(!stdout.contains("What binds"), "{stdout}");
        assert!(!stdout.contains("below 0%"), "{stdout}");
        let (json, _) = solve_checked("rebalance", &path, &[]);
        assert_eq!(json["binding"]["equity"], Value::Null);
        let out = caseload(&["tradeoff", path.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.ends_with(
            "\nMoves buy no equity here: with no discretionary moves max utilization is already 0%, and no budget does better.\n"
        ), "{stdout}");
    }
    // A bound under 1% is stated as such, and one more worker, who cannot change how it reads,
    // is not offered.
    let path = write(
        dir.path(),
        "light.toml",
        &common::Team::new()
            .staff("ana", |s| s.capacity(1000))
            .staff("bo", |s| s.capacity(1000))
            .case("C1", |c| c.acuity(2).assigned("ana"))
            .toml(),
    );
    let (stdout, _) = rebalance(&path, &[]);
    assert!(stdout.contains(
        "  The team as a whole: the 1 case weighs 2 points and the 2 workers who may hold them have 2000 points of capacity, under 1% of it.\n"
    ), "{stdout}");
    assert!(!stdout.contains("One more"), "{stdout}");
}

/// A small deterministic pseudo-random sequence, so the teams below are the same every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A small team of 3 to 6 workers with skills `x` and `y`, some cases needing them, some pinned.
fn random_team(rng: &mut Lcg) -> common::Team {
    let skill_sets: [&[&str]; 4] = [&[], &["x"], &["y"], &["x", "y"]];
    let workers = 3 + rng.below(4) as usize;
    let target = [0.7, 0.85, 1.0][rng.below(3) as usize];
    let mut team = common::Team::new().policy("target_utilization", target);
    let mut skills = Vec::new();
    for w in 0..workers {
        let own = skill_sets[rng.below(4) as usize];
        skills.push(own);
        let capacity = 5 + rng.below(26) as i64;
        team = team.staff(&format!("w{w}"), |s| s.capacity(capacity).skills(own));
    }
    for c in 0..(3 + rng.below(8)) {
        let needs = skill_sets[[0, 0, 1, 2, 3][rng.below(5) as usize]];
        let holder = rng.below(workers as u64) as usize;
        let qualified = needs.iter().all(|n| skills[holder].contains(n));
        let pinned = qualified && rng.below(4) == 0;
        let acuity = 1 + rng.below(15) as i64;
        team = team.case(&format!("c{c}"), |k| {
            let k = k
                .acuity(acuity)
                .needs(needs)
                .assigned(&format!("w{holder}"));
            if pinned {
                k.pinned()
            } else {
                k
            }
        });
    }
    team
}

/// Every group some tightest cut at a level from `target` up finds, by brute force over the
/// subsets of workers: at each level, the least subset whose cases (those no one outside may
/// hold) exceed its room at that level by the most, split into groups connected through cases,
/// kept when its cases exceed its room at `target`.
fn brute_force_short_groups(team: &Team, target: f64) -> BTreeSet<BTreeSet<String>> {
    let ids: Vec<String> = team
        .staff
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    let cases: Vec<(BTreeSet<String>, f64)> = team
        .cases
        .iter()
        .map(|c| (team.eligible(c), team.weight(c["id"].as_str().unwrap())))
        .filter(|(eligible, _)| !eligible.is_empty())
        .collect();
    let members = |mask: usize| -> BTreeSet<String> {
        (0..ids.len())
            .filter(|w| mask & (1 << w) != 0)
            .map(|w| ids[w].clone())
            .collect()
    };
    let figures: Vec<(f64, f64)> = (0..1usize << ids.len())
        .map(|mask| {
            let inside = members(mask);
            let weight = cases
                .iter()
                .filter(|(e, _)| e.is_subset(&inside))
                .map(|(_, w)| w)
                .sum();
            let capacity = inside.iter().map(|w| team.capacity(w)).sum();
            (weight, capacity)
        })
        .collect();
    // The least subset changes only where two subsets fall equally short: sample between.
    let mut levels: Vec<f64> = vec![target];
    for (a, (wa, ca)) in figures.iter().enumerate() {
        for (wb, cb) in &figures[a + 1..] {
            if (ca - cb).abs() > 1e-9 {
                let level = (wa - wb) / (ca - cb);
                if level > target {
                    levels.push(level);
                }
            }
        }
    }
    levels.sort_by(f64::total_cmp);
    levels.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let mut samples: Vec<f64> = levels.windows(2).map(|p| (p[0] + p[1]) / 2.0).collect();
    samples.push(target);
    samples.push(levels.last().unwrap() + 1.0);
    let mut found = BTreeSet::new();
    for level in samples {
        let value = |m: usize| figures[m].0 - level * figures[m].1;
        let best = (0..figures.len()).map(value).fold(0.0, f64::max);
        let least = (0..figures.len())
            .filter(|m| value(*m) >= best - 1e-9)
            .fold(usize::MAX, |a, m| a & m);
        let inside = members(least);
        // Groups: workers connected through the cases only the subset may hold.
        let mut groups: Vec<BTreeSet<String>> = inside.iter().map(|w| [w.clone()].into()).collect();
        for (eligible, _) in cases.iter().filter(|(e, _)| e.is_subset(&inside)) {
            let (joined, rest): (Vec<_>, Vec<_>) =
                groups.into_iter().partition(|g| !g.is_disjoint(eligible));
            groups = rest;
            groups.push(joined.into_iter().flatten().collect());
        }
        for group in groups {
            let mask = (0..ids.len())
                .filter(|w| group.contains(&ids[*w]))
                .fold(0, |m, w| m | (1 << w));
            if figures[mask].0 - target * figures[mask].1 > 1e-6 {
                found.insert(group);
            }
        }
    }
    found
}

#[test]
fn every_group_short_at_some_level_is_listed_with_the_groups_it_lies_within() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(14);
    let mut nested = 0;
    for _ in 0..40 {
        let path = random_team(&mut rng).write(dir.path());
        let text = std::fs::read_to_string(&path).unwrap();
        let out = caseload(&["rebalance", path.to_str().unwrap(), "--format", "json"]);
        let json: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let team = Team::read(&path);
        let target = json["policy"]["target_utilization"].as_f64().unwrap();
        let listed = json["binding"]["overload"].as_array().unwrap();
        let groups: Vec<BTreeSet<String>> = listed
            .iter()
            .map(|s| ids(&s["workers"]).into_iter().collect())
            .collect();
        assert_eq!(
            groups.iter().cloned().collect::<BTreeSet<_>>(),
            brute_force_short_groups(&team, target),
            "{text}"
        );
        assert_eq!(groups.len(), listed.len(), "each group once: {text}");
        let mut outermost = 0.0;
        for (i, s) in listed.iter().enumerate() {
            check_group(&team, s);
            match s["within"].as_u64() {
                Some(o) => {
                    let o = o as usize;
                    assert!(o < i && groups[i].is_subset(&groups[o]), "{text}");
                    assert!(s["why"].as_str().unwrap().ends_with(&format!(
                        ", part of the {} above.",
                        listed[o]["overload"].as_f64().unwrap()
                    )));
                    nested += 1;
                }
                None => outermost += s["overload"].as_f64().unwrap(),
            }
        }
        // What no assignment avoids is the outermost groups' overload, never counted twice.
        assert!(json["metrics"]["overload_after"].as_f64().unwrap() >= outermost - 1e-6);
    }
    assert!(nested > 0, "some team has a short group inside another");
}

#[test]
fn an_explanation_out_of_time_leaves_out_only_what_one_more_worker_would_do() {
    use caseload::explain::Explanation;
    use caseload::input::{load_scenario, LoadOptions};
    use caseload::solve::{solve, SolveOptions};
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "short.toml", &spanish_short().toml());
    let scenario = load_scenario(&path, &LoadOptions::default())
        .expect("valid scenario")
        .scenario;
    let options = SolveOptions {
        mode: caseload::solve::model::Mode::Rebalance,
        time_limit: 30.0,
    };
    let proposal = solve(&scenario, &options);
    let whole = Explanation::of(&scenario, &proposal);
    let late = Explanation::by(&scenario, &proposal, Some(std::time::Instant::now()));
    assert!(whole.binding.one_more.is_some());
    assert!(late.binding.one_more.is_none());
    assert_eq!(whole.binding.equity, late.binding.equity);
    assert_eq!(whole.binding.overload, late.binding.overload);
    assert_eq!(whole.balance, late.balance);
    assert_eq!(whole.moves, late.moves);
}
