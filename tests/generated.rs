//! Property tests: many generated teams (up to 30 workers x 600 cases), solved in both modes,
//! every proposal checked by the independent checker.

use caseload::check::check_proposal;
use caseload::explain::explain_moves;
use caseload::figures::Figures;
use caseload::generate::{generate, GenerateOptions, SCENARIO_FILE};
use caseload::input::{load_scenario, LoadOptions};
use caseload::model::Mode;
use caseload::report::proposal::{proposal_json, ProposalView};
use caseload::solve::{solve, SolveOptions, Status};

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
            proposal.status,
            Status::Infeasible,
            "{staff}x{cases} seed {seed} {mode:?}: {:?}",
            proposal.diagnosis
        );
        let figures = Figures::of(scenario, &proposal);
        let moves = explain_moves(scenario, &proposal, &figures);
        let text = proposal_json(&ProposalView {
            scenario,
            proposal: &proposal,
            figures: &figures,
            moves: &moves,
        });
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let problems = check_proposal(scenario, &json);
        assert!(
            problems.is_empty(),
            "{staff}x{cases} seed {seed} {mode:?}:\n{}",
            problems.join("\n")
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
    for (staff, cases, seed) in [(12, 200, 11), (20, 400, 12), (30, 600, 13), (30, 600, 14)] {
        solve_and_check(staff, cases, seed, false);
    }
}
