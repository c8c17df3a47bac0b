//! The pieces that make large teams fast, each on a small team where it is the only way to the
//! right answer: the ejection chains of the local search and the max-flow lower bound; and those
//! that let the trade-off curve build on other budgets' solves: a start from another budget's
//! proposal, and refuting an answer below the one in hand.

mod common;

use caseload::input::{load_scenario, LoadOptions};
use caseload::solve::max_utilization;
use caseload::solve::model::{build_units, HallBound, Mode, Program};
use caseload::solve::search::{quick_start, start_from};
use caseload::solve::Holders;
use common::Team;

fn scenario(team: &Team) -> caseload::domain::Scenario {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = team.write(dir.path());
    load_scenario(&path, &LoadOptions::default())
        .expect("valid scenario")
        .scenario
}

/// Ana (spanish) is full of spanish cases; Bo (spanish) holds plain ones; Cy has no skill and
/// nothing to do. No single move or swap lowers Ana: only the chain "a spanish case to Bo, a
/// plain case from Bo to Cy" does.
fn chain_team(max_moves: u32) -> Team {
    Team::new()
        .policy("max_moves", max_moves)
        .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(10).skills(&["spanish"]))
        .staff("cy", |s| s.capacity(10))
        .case("S1", |c| c.acuity(4).needs(&["spanish"]).assigned("ana"))
        .case("S2", |c| c.acuity(4).needs(&["spanish"]).assigned("ana"))
        .case("S3", |c| c.acuity(2).needs(&["spanish"]).assigned("ana"))
        .case("P1", |c| c.acuity(4).assigned("bo"))
        .case("P2", |c| c.acuity(4).assigned("bo"))
}

#[test]
fn the_local_search_lowers_the_top_through_a_chain_of_moves() {
    let scenario = scenario(&chain_team(20));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20));
    let start = quick_start(&program, far_off()).expect("a start exists");
    // Ana 8 (S1 + S2 or a spanish case and S3), Bo and Cy the rest: 0.8 is the optimum, since
    // the five cases cannot be split into three loads of at most 7.
    assert!(
        (max_utilization(&program, &start) - 0.8).abs() < 1e-9,
        "{}",
        max_utilization(&program, &start)
    );
}

#[test]
fn the_local_search_stops_at_its_deadline() {
    // Out of time before it starts: the constructed start, holders kept, Ana still full.
    let scenario = scenario(&chain_team(20));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20));
    let start = quick_start(&program, std::time::Instant::now()).expect("a start exists");
    assert!((max_utilization(&program, &start) - 1.0).abs() < 1e-9);
    assert_eq!(caseload::solve::reassignments(&program, &start), 0);
}

#[test]
fn a_chain_never_spends_more_than_the_move_budget() {
    // The chain takes two moves; with a budget of one, Ana stays full.
    let scenario = scenario(&chain_team(1));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(1));
    let start = quick_start(&program, far_off()).expect("a start exists");
    assert!((max_utilization(&program, &start) - 1.0).abs() < 1e-9);
    assert!(caseload::solve::reassignments(&program, &start) <= 1);
}

#[test]
fn the_max_flow_bound_sees_a_union_of_skill_groups() {
    // Cases needing `a` go to Xu or Yan, cases needing `b` to Yan or Zoe; Wes has neither skill.
    // No case's allowed workers are {Xu, Yan, Zoe}, yet those three must carry all 18 points:
    // 0.6 at least, where the whole team (18 / 40) and each skill group (9 / 20) say 0.45.
    let mut team = Team::new()
        .staff("xu", |s| s.capacity(10).skills(&["a"]))
        .staff("yan", |s| s.capacity(10).skills(&["a", "b"]))
        .staff("zoe", |s| s.capacity(10).skills(&["b"]))
        .staff("wes", |s| s.capacity(10));
    for i in 0..18 {
        let skill = if i < 9 { "a" } else { "b" };
        team = team.case(&format!("C{i}"), |c| c.acuity(1).needs(&[skill]));
    }
    let scenario = scenario(&team);
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20));
    let hall = HallBound::new(&program, 1.0);
    assert!(!hall.fits(0.59), "17 points of room at 0.59 cannot hold 18");
    assert!(hall.fits(0.6));
    assert!(hall.fits(1.0));
}

/// A deadline the local search never reaches here.
fn far_off() -> std::time::Instant {
    std::time::Instant::now() + std::time::Duration::from_secs(3600)
}

#[test]
fn a_step_whose_setup_would_outlast_its_time_is_not_started() {
    use caseload::solve::model::{
        Limits, Step, StepFailure, SETUP_MARGIN, SETUP_SECONDS_PER_COLUMN,
    };
    let scenario = scenario(&chain_team(20));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20));
    let setup = SETUP_SECONDS_PER_COLUMN * program.columns() as f64;
    let just_short = setup * SETUP_MARGIN * 0.99;
    assert_eq!(
        program
            .solve_step(Step::Feasibility, &Limits::default(), None, just_short)
            .err(),
        Some(StepFailure::NoSolution)
    );
    let solved = program.solve_step(Step::Feasibility, &Limits::default(), None, 30.0);
    assert!(solved.is_ok());
}

#[test]
fn asking_for_an_answer_below_the_optimum_proves_there_is_none() {
    use caseload::solve::model::{Limits, Step, StepFailure};
    let scenario = scenario(&chain_team(20));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(20));
    // 0.8 is the least max utilization (see the chain above): nothing is below it, and an
    // answer at it is found when asked for.
    let below = program.solve_below(Step::Equity, &Limits::default(), 0.8 - 1e-6, 30.0);
    assert_eq!(below.err(), Some(StepFailure::Infeasible));
    let at = program
        .solve_below(Step::Equity, &Limits::default(), 0.8 + 1e-6, 30.0)
        .expect("an answer at the optimum");
    assert!(max_utilization(&program, &at.choice) <= 0.8 + 1e-6);
}

/// Ana holds A1 and A2, Bo holds B1, Cy nothing; S1 needs Spanish, which only Ana has.
fn take_back_team(max_moves: u32) -> Team {
    Team::new()
        .policy("max_moves", max_moves)
        .staff("ana", |s| s.capacity(10).skills(&["spanish"]))
        .staff("bo", |s| s.capacity(10))
        .staff("cy", |s| s.capacity(10))
        .case("A1", |c| c.acuity(4).assigned("ana"))
        .case("A2", |c| c.acuity(4).assigned("ana"))
        .case("B1", |c| c.acuity(2).assigned("bo"))
        .case("S1", |c| c.acuity(1).needs(&["spanish"]).assigned("ana"))
}

/// The holders of a proposal for `scenario`, from (case, worker) ids.
fn holders(scenario: &caseload::domain::Scenario, placed: &[(&str, &str)]) -> Holders {
    let staff = |id: &str| {
        scenario
            .staff
            .indices()
            .find(|w| scenario.staff[*w].id == id)
    };
    let mut holders = Holders::from_vec(vec![None; scenario.cases.len()]);
    for (case, worker) in placed {
        let c = scenario
            .cases
            .indices()
            .find(|c| scenario.cases[*c].id == *case);
        holders[c.expect("a case of the team")] = staff(worker);
    }
    holders
}

#[test]
fn a_start_from_a_larger_budget_takes_back_the_moves_this_budget_does_not_allow() {
    let scenario = scenario(&take_back_team(1));
    let units = build_units(&scenario, Mode::Rebalance);
    let program = Program::new(&scenario, &units.units, Some(1));
    // Made under a budget of 2: A1 and B1 both moved to Cy.
    let spent_two = holders(
        &scenario,
        &[("A1", "cy"), ("A2", "ana"), ("B1", "cy"), ("S1", "ana")],
    );
    let start = start_from(&program, &spent_two, far_off()).expect("a start");
    // One move taken back: B1 to Bo (20%) rather than A1 to Ana (90%).
    assert_eq!(caseload::solve::reassignments(&program, &start), 1);
    assert!((max_utilization(&program, &start) - 0.5).abs() < 1e-9);
    // A case given to a worker who may not hold it: not a start.
    let breaks_a_rule = holders(
        &scenario,
        &[("A1", "ana"), ("A2", "ana"), ("B1", "bo"), ("S1", "cy")],
    );
    assert!(start_from(&program, &breaks_a_rule, far_off()).is_none());
}
