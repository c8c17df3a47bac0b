//! The pieces that make large teams fast, each on a small team where it is the only way to the
//! right answer: the ejection chains of the local search and the max-flow lower bound.

use caseload::input::{load_scenario, LoadOptions};
use caseload::solve::max_utilization;
use caseload::solve::model::{build_units, HallBound, Mode, Program};
use caseload::solve::search::quick_start;

fn scenario(body: &str) -> caseload::domain::Scenario {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("team.toml");
    std::fs::write(&path, body).expect("write scenario");
    load_scenario(&path, &LoadOptions::default())
        .expect("valid scenario")
        .scenario
}

/// Ana (spanish) is full of spanish cases; Bo (spanish) holds plain ones; Cy has no skill and
/// nothing to do. No single move or swap lowers Ana: only the chain "a spanish case to Bo, a
/// plain case from Bo to Cy" does.
fn chain_team(max_moves: u32) -> String {
    format!(
        r#"
[policy]
max_moves = {max_moves}
[[staff]]
id = "ana"
capacity = 10
skills = ["spanish"]
[[staff]]
id = "bo"
capacity = 10
skills = ["spanish"]
[[staff]]
id = "cy"
capacity = 10
[[case]]
id = "S1"
acuity = 4
needs = ["spanish"]
assigned = "ana"
[[case]]
id = "S2"
acuity = 4
needs = ["spanish"]
assigned = "ana"
[[case]]
id = "S3"
acuity = 2
needs = ["spanish"]
assigned = "ana"
[[case]]
id = "P1"
acuity = 4
assigned = "bo"
[[case]]
id = "P2"
acuity = 4
assigned = "bo"
"#
    )
}

#[test]
fn the_local_search_lowers_the_top_through_a_chain_of_moves() {
    let scenario = scenario(&chain_team(20));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20), Mode::Rebalance);
    let start = quick_start(&program).expect("a start exists");
    // Ana 8 (S1 + S2 or a spanish case and S3), Bo and Cy the rest: 0.8 is the optimum, since
    // the five cases cannot be split into three loads of at most 7.
    assert!(
        (max_utilization(&program, &start) - 0.8).abs() < 1e-9,
        "{}",
        max_utilization(&program, &start)
    );
}

#[test]
fn a_chain_never_spends_more_than_the_move_budget() {
    // The chain takes two moves; with a budget of one, Ana stays full.
    let scenario = scenario(&chain_team(1));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(1), Mode::Rebalance);
    let start = quick_start(&program).expect("a start exists");
    assert!((max_utilization(&program, &start) - 1.0).abs() < 1e-9);
    assert!(caseload::solve::reassignments(&program, &start) <= 1);
}

#[test]
fn the_max_flow_bound_sees_a_union_of_skill_groups() {
    // Cases needing `a` go to Xu or Yan, cases needing `b` to Yan or Zoe; Wes has neither skill.
    // No case's allowed workers are {Xu, Yan, Zoe}, yet those three must carry all 18 points:
    // 0.6 at least, where the whole team (18 / 40) and each skill group (9 / 20) say 0.45.
    let mut body = String::from(
        r#"
[[staff]]
id = "xu"
capacity = 10
skills = ["a"]
[[staff]]
id = "yan"
capacity = 10
skills = ["a", "b"]
[[staff]]
id = "zoe"
capacity = 10
skills = ["b"]
[[staff]]
id = "wes"
capacity = 10
"#,
    );
    for i in 0..18 {
        let skill = if i < 9 { "a" } else { "b" };
        body.push_str(&format!(
            "[[case]]\nid = \"C{i}\"\nacuity = 1\nneeds = [\"{skill}\"]\n"
        ));
    }
    let scenario = scenario(&body);
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20), Mode::Rebalance);
    let hall = HallBound::new(&program, 1.0);
    assert!(!hall.fits(0.59), "17 points of room at 0.59 cannot hold 18");
    assert!(hall.fits(0.6));
    assert!(hall.fits(1.0));
}
