//! Any bytes as a scenario; a small one that loads is solved in both jobs and rendered to
//! text and JSON, and the independent checker must accept the proposal.
#![no_main]

use caseload::explain::Explanation;
use caseload::input::provenance::Provenance;
use caseload::input::{load_scenario, LoadOptions};
use caseload::report::proposal::{proposal_json, proposal_text};
use caseload::solve::model::Mode;
use caseload::solve::{solve, SolveOptions};
use caseload::verify::check_proposal;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, data).expect("write");
    let Ok(loaded) = load_scenario(&path, &LoadOptions::default()) else {
        return;
    };
    let scenario = loaded.scenario;
    if scenario.staff.len() > 6 || scenario.cases.len() > 12 {
        return;
    }
    for mode in [Mode::Rebalance, Mode::Assign] {
        let proposal = solve(
            &scenario,
            &SolveOptions {
                mode,
                time_limit: 2.0,
            },
        );
        let view = Explanation::of(&scenario, &proposal);
        let _ = proposal_text(&view);
        let text = proposal_json(&view, &Provenance::of(Vec::new()));
        let json: serde_json::Value = serde_json::from_str(&text).expect("proposal JSON parses");
        let problems = check_proposal(&scenario, &json);
        assert!(problems.is_empty(), "checker: {problems:?}");
    }
});
