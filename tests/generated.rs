//! Property tests: many generated teams (up to 30 workers x 600 cases), solved in both modes,
//! every proposal checked by the independent checker.

mod common;

use caseload::explain::Explanation;
use caseload::input::generate::{generate, GenerateOptions, SCENARIO_FILE};
use caseload::input::provenance::Provenance;
use caseload::input::{load_scenario, LoadOptions};
use caseload::report::outcome::verbose_lines;
use caseload::report::proposal::proposal_json;
use caseload::solve::model::Mode;
use caseload::solve::{solve, SolveOptions, Status};
use caseload::verify::balance::balance_violations;
use caseload::verify::check_proposal;
use common::generated_scenario;

fn solve_and_check(staff: usize, cases: usize, seed: u64, csv: bool) {
    let dir = tempfile::tempdir().unwrap();
    let team = generate(&GenerateOptions {
        staff,
        cases,
        seed,
        csv,
    });
    std::fs::write(dir.path().join(SCENARIO_FILE), &team.scenario_toml).unwrap();
    if let Some(text) = &team.cases_csv {
        std::fs::write(dir.path().join("cases.csv"), text).unwrap();
    }
    let loaded = load_scenario(&dir.path().join(SCENARIO_FILE), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("generated team {staff}x{cases} seed {seed} is valid:\n{e}"));
    let scenario = &loaded.scenario;
    for mode in [Mode::Rebalance, Mode::Assign] {
        let proposal = solve(
            scenario,
            &SolveOptions {
                mode,
                time_limit: 60.0,
            },
        );
        assert_ne!(
            proposal.status(),
            Status::Infeasible,
            "{staff}x{cases} seed {seed} {mode:?}: {:?}",
            proposal.outcome
        );
        let text = proposal_json(
            &Explanation::of(scenario, &proposal),
            &Provenance::of(Vec::new()),
        );
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let problems = check_proposal(scenario, &json);
        assert!(
            problems.is_empty(),
            "{staff}x{cases} seed {seed} {mode:?}:\n{}",
            problems.join("\n")
        );
        let imbalances = balance_violations(scenario, &json, scenario.policy.balance_band);
        assert!(
            imbalances.is_empty(),
            "{staff}x{cases} seed {seed} {mode:?} leaves {} transfers the balance guarantee forbids:\n{}",
            imbalances.len(),
            imbalances.join("\n")
        );
        let lower = json["metrics"]["lower_bound_max_utilization"]
            .as_f64()
            .unwrap();
        let equity = proposal.steps[0].value;
        assert!(
            lower <= equity + 1e-9,
            "bound {lower} above the equity optimum {equity}"
        );
    }
}

#[test]
fn small_generated_teams_give_checked_proposals() {
    let mut seed = 1u64;
    for staff in [2usize, 3, 5, 8] {
        for cases in [0usize, 1, 7, 40, 120] {
            solve_and_check(staff, cases, seed, seed % 2 == 0);
            seed += 1;
        }
    }
}

#[test]
fn mid_sized_generated_teams_give_checked_proposals() {
    for (staff, cases, seed) in [
        (12, 200, 11),
        (20, 400, 1),
        (20, 400, 12),
        (30, 600, 3),
        (30, 600, 13),
        (30, 600, 14),
    ] {
        solve_and_check(staff, cases, seed, false);
    }
}

/// Reassignments out of the workers in `mask`, counted as the cut counts them: units with one
/// holder today, inside the set, who may keep them, and not confined to the set.
fn moves_out(
    program: &caseload::solve::model::Program<'_>,
    after: &[Option<caseload::domain::StaffIdx>],
    mask: &[bool],
) -> u32 {
    let mut out = 0;
    for unit in program.units.iter() {
        let Some(h) = unit.holders.first().map(|h| h.worker) else {
            continue;
        };
        let confined = unit.allowed.iter().all(|w| mask[w.index()]);
        let single_holder = unit.holders.iter().all(|x| x.worker == h);
        if unit.allowed.len() < 2 || !single_holder || !unit.allowed.contains(&h) {
            continue;
        }
        if mask[h.index()] && !confined {
            let now = after[unit.cases[0].index()].expect("placed");
            out += unit.moves_to(now).all;
        }
    }
    out
}

#[test]
fn every_least_moves_cut_holds_for_the_proven_fewest_moves() {
    use caseload::solve::model::{build_units, Program, Step};
    // A band no team can exceed: no balance transfer, so the proposal is the moves step's.
    let unbalanced = LoadOptions {
        balance_band: Some(100.0),
        ..LoadOptions::default()
    };
    for (staff, cases, seed) in [(5, 60, 21), (8, 120, 22), (10, 200, 23), (12, 240, 24)] {
        let scenario = generated_scenario(staff, cases, seed, &unbalanced);
        let moves_step = |p: &caseload::solve::Proposal| {
            p.steps
                .iter()
                .find(|s| s.step == Step::Moves)
                .expect("a moves step")
                .value as u32
        };
        let proposal = solve(
            &scenario,
            &SolveOptions {
                mode: Mode::Rebalance,
                time_limit: 60.0,
            },
        );
        assert_eq!(proposal.status(), Status::Optimal, "{staff}x{cases}");
        let units = build_units(&scenario, Mode::Rebalance);
        let program = Program::new(&scenario, &units.units, Some(scenario.policy.max_moves));
        let ceiling = proposal.steps[0].value + scenario.policy.equity_tolerance;
        let cuts = program.least_moves_out(ceiling);
        assert!(!cuts.is_empty(), "{staff}x{cases}: some worker starts over");
        for cut in cuts {
            let (mask, least) = (cut.members.as_slice(), cut.least);
            let out = moves_out(&program, proposal.holder_after.as_slice(), mask);
            assert!(
                out >= least,
                "{staff}x{cases}: {out} moves out of {mask:?}, cut says at least {least}"
            );
        }
        assert_eq!(
            proposal.moves_lower_bound,
            moves_step(&proposal),
            "a proven moves step is its own bound"
        );
        // The direct program (no aggregation, so no cuts) finds the same fewest moves: the cuts
        // cut off no optimum, and its optimum keeps every cut.
        let direct = Program::direct(&scenario, &units.units, Some(scenario.policy.max_moves));
        let limits = caseload::solve::model::Limits {
            max_utilization: Some(ceiling),
            overload: Some(proposal.steps[1].value),
            load_caps: None,
        };
        let (solution, _) = direct
            .solve_step(Step::Moves, &limits, None, 60.0)
            .expect("the direct program solves");
        assert!(solution.proven);
        let direct_moves = caseload::solve::reassignments(&direct, &solution.choice);
        assert_eq!(direct_moves, moves_step(&proposal), "{staff}x{cases}");
        let mut after = vec![None; scenario.cases.len()];
        for (u, unit) in units.units.iter_enumerated() {
            for c in &unit.cases {
                after[c.index()] = Some(direct.worker(u, &solution.choice));
            }
        }
        for cut in program.least_moves_out(ceiling) {
            let (mask, least) = (cut.members.as_slice(), cut.least);
            let out = moves_out(&program, &after, mask);
            assert!(out >= least, "{staff}x{cases}: direct optimum breaks a cut");
        }
    }
}

#[test]
fn large_teams_take_the_restricted_moves_program_and_stay_checked_and_deterministic() {
    let scenario = generated_scenario(40, 1000, 31, &LoadOptions::default());
    let run = || {
        let proposal = solve(
            &scenario,
            &SolveOptions {
                mode: Mode::Rebalance,
                time_limit: 60.0,
            },
        );
        let text = proposal_json(
            &Explanation::of(&scenario, &proposal),
            &Provenance::of(Vec::new()),
        );
        (proposal, text)
    };
    let (proposal, text) = run();
    let log = verbose_lines(&proposal);
    assert!(
        log.iter().any(|line| line.contains("integer program over")),
        "the restricted program ran: {log:?}"
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let problems = check_proposal(&scenario, &json);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let moves = json["metrics"]["moves"].as_u64().unwrap();
    let bound = json["metrics"]["moves_lower_bound"].as_u64().unwrap();
    let required = json["metrics"]["required_moves"].as_u64().unwrap();
    assert!(
        required <= bound && bound <= moves,
        "{required} <= {bound} <= {moves}"
    );
    assert_eq!(run().1, text, "the same team gives the same bytes");
}

#[test]
fn equity_under_a_tight_move_budget_matches_the_direct_program() {
    use caseload::solve::model::{build_units, Limits, Program, Step};
    // The budget binds here: the move-budget bound and the probes must land on the direct
    // program's proven optimum, and the stated lower bound must not exceed it.
    for (staff, cases, seed, budget) in [(6, 80, 41, 3), (8, 120, 42, 6), (10, 150, 43, 10)] {
        let options = LoadOptions {
            max_moves: Some(budget),
            ..LoadOptions::default()
        };
        let scenario = generated_scenario(staff, cases, seed, &options);
        let proposal = solve(
            &scenario,
            &SolveOptions {
                mode: Mode::Rebalance,
                time_limit: 60.0,
            },
        );
        assert!(proposal.steps[0].proven, "{staff}x{cases}");
        let units = build_units(&scenario, Mode::Rebalance);
        let direct = Program::direct(&scenario, &units.units, Some(budget));
        let (solution, _) = direct
            .solve_step(Step::Equity, &Limits::default(), None, 60.0)
            .expect("the direct program solves");
        assert!(solution.proven, "{staff}x{cases}");
        let optimum = caseload::solve::max_utilization(&direct, &solution.choice);
        let found = proposal.steps[0].value;
        assert!(
            (found - optimum).abs() < 1e-4,
            "{staff}x{cases} budget {budget}: {found} against the direct optimum {optimum}"
        );
        assert!(proposal.lower_bound_max_utilization <= optimum + 1e-9);
        // The optimum itself is affordable by the bound's count.
        let program = Program::new(&scenario, &units.units, Some(budget));
        let least = program.least_discretionary_moves(optimum);
        assert!(
            least <= budget,
            "{staff}x{cases}: the bound says {least} moves at the optimum {optimum}"
        );
    }
}
