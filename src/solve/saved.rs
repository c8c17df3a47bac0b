//! A proposal decided earlier, read back from the JSON that `rebalance` or `assign` wrote, so that
//! it is explained and handed out exactly as it was decided. Solving again may give another
//! proposal (after a time-out, or with other options); the people a proposal moves are owed the
//! reasons for the one their supervisor accepted.
//!
//! The file must fit the scenario: it names this scenario, was made under the same policy, names
//! only cases and workers the scenario has, places every case some worker may hold, and the
//! independent checker ([`crate::verify`]) finds every hard rule kept and every figure it states
//! true. What the file says of its own quality (status, lower bounds, steps) is taken from it and
//! never recomputed, so an explanation claims no proof the file does not carry.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use thiserror::Error;

use crate::domain::{CaseIdx, IndexVec, Scenario, StaffIdx};
use crate::solve::model::{build_units, Mode, Units};
use crate::solve::{Outcome, Proposal, Status, StepReport};
use crate::verify::check_proposal;

/// Why a saved proposal cannot be read for its scenario.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SavedError {
    /// Not JSON, or JSON without the fields a proposal has.
    #[error("line {line} column {column}: {message}")]
    Malformed {
        /// Line of the problem (1-based).
        line: usize,
        /// Column of the problem (1-based).
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// The file records that no proposal was found (the rules conflict, or time ran out).
    #[error("its status is {}: it holds no proposal", status.name())]
    NoProposal {
        /// The status the file records.
        status: Status,
    },
    /// The proposal does not fit the scenario: every misfit found.
    #[error("it does not fit the scenario: {}", join(.0))]
    Mismatch(Vec<Mismatch>),
}

/// One way a saved proposal does not fit the scenario.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    /// The file names another scenario.
    OtherScenario {
        /// The scenario the file names.
        named: String,
        /// The scenario's own name.
        expected: String,
    },
    /// A policy setting differs from the one the proposal was made under.
    Policy {
        /// The policy key, e.g. `max_moves`.
        key: &'static str,
        /// Its value in the proposal.
        proposal: String,
        /// Its value in the scenario (with the options given).
        scenario: String,
    },
    /// The proposal assigns a case the scenario does not have.
    UnknownCase {
        /// The case id.
        case: String,
    },
    /// The proposal gives a case to someone not on the staff list.
    UnknownWorker {
        /// The case id.
        case: String,
        /// The worker id.
        worker: String,
    },
    /// A case some worker may hold is not placed.
    MissingCase {
        /// The case id.
        case: String,
    },
    /// A case goes to a worker the rules of the job do not let take it.
    NotAllowed {
        /// The case id.
        case: String,
        /// The worker id.
        worker: String,
    },
    /// A problem the independent checker found: a hard rule broken, or a figure of the file that
    /// the scenario does not give.
    Checker(String),
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::OtherScenario { named, expected } => write!(
                f,
                "it was made from the scenario named \"{named}\", not \"{expected}\""
            ),
            Mismatch::Policy {
                key,
                proposal,
                scenario,
            } => write!(
                f,
                "it was made with {key} = {proposal}, but the scenario has {key} = {scenario}"
            ),
            Mismatch::UnknownCase { case } => {
                write!(f, "it assigns case `{case}`, which is not in the scenario")
            }
            Mismatch::UnknownWorker { case, worker } => write!(
                f,
                "it gives case `{case}` to `{worker}`, who is not on the staff list"
            ),
            Mismatch::MissingCase { case } => write!(
                f,
                "it does not place case `{case}`, which a worker may hold"
            ),
            Mismatch::NotAllowed { case, worker } => write!(
                f,
                "it gives case `{case}` to `{worker}`, whom the rules of this job do not let take it"
            ),
            Mismatch::Checker(problem) => write!(f, "{problem}"),
        }
    }
}

fn join(mismatches: &[Mismatch]) -> String {
    let all: Vec<String> = mismatches.iter().map(Mismatch::to_string).collect();
    all.join("; ")
}

/// The fields of a proposal's JSON that make it a proposal; the rest is checked, not read.
#[derive(Deserialize)]
struct SavedJson {
    scenario: String,
    mode: Mode,
    status: Status,
    assignments: BTreeMap<String, String>,
    steps: Vec<StepReport>,
    metrics: SavedMetrics,
    policy: SavedPolicy,
}

#[derive(Deserialize)]
struct SavedMetrics {
    lower_bound_max_utilization: f64,
    moves_lower_bound: u32,
}

#[derive(Deserialize)]
struct SavedPolicy {
    max_moves: Option<u32>,
    target_utilization: f64,
    equity_tolerance: f64,
    balance_band: f64,
    keep_families_together: bool,
}

fn malformed(error: &serde_json::Error) -> SavedError {
    let text = error.to_string();
    let at = format!(" at line {} column {}", error.line(), error.column());
    SavedError::Malformed {
        line: error.line(),
        column: error.column(),
        message: text.strip_suffix(&at).unwrap_or(&text).to_string(),
    }
}

/// Reads the proposal `text` (the JSON `rebalance` or `assign` wrote) for `scenario`, loaded with
/// the options the proposal was made with; refuses a proposal that does not fit it.
pub fn read_saved(scenario: &Scenario, text: &str) -> Result<Proposal, SavedError> {
    let saved: SavedJson = serde_json::from_str(text).map_err(|e| malformed(&e))?;
    let outcome = match saved.status {
        Status::Optimal => Outcome::Optimal,
        Status::Feasible => Outcome::Feasible,
        status => return Err(SavedError::NoProposal { status }),
    };
    let units = build_units(scenario, saved.mode);
    let mut mismatches = misfits(scenario, &saved, &units);
    if mismatches.is_empty() {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|e| malformed(&e))?;
        mismatches = check_proposal(scenario, &json)
            .into_iter()
            .map(Mismatch::Checker)
            .collect();
    }
    let holder_after = IndexVec::from_vec(
        scenario
            .cases
            .iter()
            .map(|c| {
                let worker = saved.assignments.get(&c.id)?;
                scenario.staff_by_id(worker)
            })
            .collect(),
    );
    if mismatches.is_empty() {
        mismatches = outside_units(scenario, &units, &holder_after);
    }
    if !mismatches.is_empty() {
        return Err(SavedError::Mismatch(mismatches));
    }
    Ok(Proposal {
        mode: saved.mode,
        outcome,
        holder_after,
        unplaced: units.unplaceable,
        lower_bound_max_utilization: saved.metrics.lower_bound_max_utilization,
        moves_lower_bound: saved.metrics.moves_lower_bound,
        budget: (saved.mode == Mode::Rebalance).then_some(scenario.policy.max_moves),
        steps: saved.steps,
        events: Vec::new(),
    })
}

/// What the ids, the name and the policy of the file show: another scenario, another policy,
/// unknown cases or workers, cases left out.
fn misfits(scenario: &Scenario, saved: &SavedJson, units: &Units) -> Vec<Mismatch> {
    let mut found = Vec::new();
    if saved.scenario != scenario.name {
        found.push(Mismatch::OtherScenario {
            named: saved.scenario.clone(),
            expected: scenario.name.clone(),
        });
    }
    found.extend(policy_misfits(scenario, saved));
    for (case, worker) in &saved.assignments {
        if scenario.case_by_id(case).is_none() {
            found.push(Mismatch::UnknownCase { case: case.clone() });
        } else if scenario.staff_by_id(worker).is_none() {
            found.push(Mismatch::UnknownWorker {
                case: case.clone(),
                worker: worker.clone(),
            });
        }
    }
    for unit in units.units.iter() {
        for &c in &unit.cases {
            let case = &scenario.cases[c];
            if !saved.assignments.contains_key(&case.id) {
                found.push(Mismatch::MissingCase {
                    case: case.id.clone(),
                });
            }
        }
    }
    found
}

/// The policy settings that differ from those the proposal was made under.
fn policy_misfits(scenario: &Scenario, saved: &SavedJson) -> Vec<Mismatch> {
    let policy = &scenario.policy;
    let saved_policy = &saved.policy;
    let mut found = Vec::new();
    let budget = (saved.mode == Mode::Rebalance).then_some(policy.max_moves);
    if saved_policy.max_moves != budget {
        let or_none = |b: Option<u32>| b.map_or_else(|| "none".to_string(), |b| b.to_string());
        found.push(Mismatch::Policy {
            key: "max_moves",
            proposal: or_none(saved_policy.max_moves),
            scenario: or_none(budget),
        });
    }
    for (key, proposal, in_scenario) in [
        (
            "target_utilization",
            saved_policy.target_utilization,
            policy.target_utilization,
        ),
        (
            "equity_tolerance",
            saved_policy.equity_tolerance,
            policy.equity_tolerance,
        ),
        (
            "balance_band",
            saved_policy.balance_band,
            policy.balance_band,
        ),
    ] {
        // JSON numbers may read back a rounding step away from what was written.
        if (proposal - in_scenario).abs() > 1e-9 {
            found.push(Mismatch::Policy {
                key,
                proposal: proposal.to_string(),
                scenario: in_scenario.to_string(),
            });
        }
    }
    if saved_policy.keep_families_together != policy.keep_families_together {
        found.push(Mismatch::Policy {
            key: "keep_families_together",
            proposal: saved_policy.keep_families_together.to_string(),
            scenario: policy.keep_families_together.to_string(),
        });
    }
    found
}

/// Cases that do not end together with a worker their unit allows (the model's own rules for
/// the job): none once the checker agrees, but a proposal the explanations cannot read must be
/// refused, not explained.
fn outside_units(
    scenario: &Scenario,
    units: &Units,
    holder_after: &IndexVec<CaseIdx, Option<StaffIdx>>,
) -> Vec<Mismatch> {
    let mut found = Vec::new();
    let mut not_allowed = |c: CaseIdx, w: StaffIdx| {
        found.push(Mismatch::NotAllowed {
            case: scenario.cases[c].id.clone(),
            worker: scenario.staff[w].id.clone(),
        });
    };
    for unit in units.units.iter() {
        let first = holder_after[unit.cases[0]];
        for &c in &unit.cases {
            match holder_after[c] {
                Some(w) if holder_after[c] != first || !unit.allowed.contains(&w) => {
                    not_allowed(c, w);
                }
                _ => {}
            }
        }
    }
    for unplaceable in &units.unplaceable {
        for &c in &unplaceable.cases {
            if let Some(w) = holder_after[c] {
                not_allowed(c, w);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Explanation;
    use crate::input::provenance::Provenance;
    use crate::input::{load_scenario, LoadOptions};
    use crate::report::proposal::proposal_json;
    use crate::solve::{solve, SolveOptions};

    /// Ana and Bo, Bo alone with `spanish`; a case nobody may hold (`youth`).
    const TEAM: &str = r#"name = "saved"
[policy]
max_moves = 3
[[staff]]
id = "ana"
capacity = 10
[[staff]]
id = "bo"
capacity = 10
skills = ["spanish"]
[[case]]
id = "C-1"
acuity = 4
assigned = "ana"
[[case]]
id = "C-2"
acuity = 4
assigned = "ana"
[[case]]
id = "C-3"
acuity = 2
needs = ["spanish"]
[[case]]
id = "C-4"
acuity = 1
needs = ["youth"]
"#;

    fn team(options: &LoadOptions) -> Scenario {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("team.toml");
        std::fs::write(&path, TEAM).expect("write team");
        load_scenario(&path, options).expect("team loads").scenario
    }

    /// The scenario and the JSON `rebalance` writes for it.
    fn saved() -> (Scenario, serde_json::Value) {
        let scenario = team(&LoadOptions::default());
        let options = SolveOptions {
            mode: Mode::Rebalance,
            time_limit: 30.0,
        };
        let proposal = solve(&scenario, &options);
        let text = proposal_json(
            &Explanation::of(&scenario, &proposal),
            &Provenance::of(Vec::new()),
        );
        (scenario, serde_json::from_str(&text).expect("JSON"))
    }

    fn mismatches(scenario: &Scenario, json: &serde_json::Value) -> Vec<Mismatch> {
        match read_saved(scenario, &json.to_string()) {
            Err(SavedError::Mismatch(found)) => found,
            other => panic!("expected a mismatch, got {other:?}"),
        }
    }

    #[test]
    fn a_saved_proposal_reads_back_as_it_was_decided() {
        let scenario = team(&LoadOptions::default());
        let options = SolveOptions {
            mode: Mode::Rebalance,
            time_limit: 30.0,
        };
        let solved = solve(&scenario, &options);
        let text = proposal_json(
            &Explanation::of(&scenario, &solved),
            &Provenance::of(Vec::new()),
        );
        let read = read_saved(&scenario, &text).expect("fits");
        assert_eq!(read.holder_after, solved.holder_after);
        assert_eq!(read.mode, solved.mode);
        assert_eq!(read.status(), solved.status());
        assert_eq!(read.unplaced, solved.unplaced);
        assert_eq!(read.budget, Some(3));
        assert_eq!(read.moves_lower_bound, solved.moves_lower_bound);
        let steps = |p: &Proposal| -> Vec<(crate::solve::model::Step, bool)> {
            p.steps.iter().map(|s| (s.step, s.proven)).collect()
        };
        assert_eq!(steps(&read), steps(&solved));
        // Explained again, it is the same report.
        assert_eq!(
            proposal_json(
                &Explanation::of(&scenario, &read),
                &Provenance::of(Vec::new())
            ),
            text
        );
    }

    #[test]
    fn not_json_is_refused_with_its_place() {
        let scenario = team(&LoadOptions::default());
        let error = read_saved(&scenario, "{\n  \"mode\": rebalance\n}").unwrap_err();
        let SavedError::Malformed { line, column, .. } = error else {
            panic!("{error:?}")
        };
        assert_eq!((line, column), (2, 11));
        let error = read_saved(&scenario, "{\"mode\": \"rebalance\"}").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1 column 21: missing field `scenario`"
        );
    }

    #[test]
    fn a_file_without_a_proposal_is_refused() {
        let (scenario, mut json) = saved();
        json["status"] = "infeasible".into();
        assert_eq!(
            read_saved(&scenario, &json.to_string()),
            Err(SavedError::NoProposal {
                status: Status::Infeasible
            })
        );
    }

    #[test]
    fn ids_the_scenario_lacks_and_cases_left_out_are_named() {
        let (scenario, mut json) = saved();
        let assignments = json["assignments"].as_object_mut().expect("assignments");
        assignments.remove("C-1");
        assignments.insert("C-9".into(), "ana".into());
        assignments.insert("C-2".into(), "cy".into());
        json["scenario"] = "other".into();
        let found = mismatches(&scenario, &json);
        assert_eq!(
            found,
            vec![
                Mismatch::OtherScenario {
                    named: "other".into(),
                    expected: "saved".into()
                },
                Mismatch::UnknownWorker {
                    case: "C-2".into(),
                    worker: "cy".into()
                },
                Mismatch::UnknownCase { case: "C-9".into() },
                Mismatch::MissingCase { case: "C-1".into() },
            ]
        );
        // C-4, which nobody may hold, is not missing.
        assert!(!found.contains(&Mismatch::MissingCase { case: "C-4".into() }));
    }

    #[test]
    fn another_policy_is_named_with_both_values() {
        let (_, json) = saved();
        let scenario = team(&LoadOptions {
            max_moves: Some(7),
            balance_band: Some(0.1),
            ..LoadOptions::default()
        });
        assert_eq!(
            mismatches(&scenario, &json)
                .iter()
                .map(Mismatch::to_string)
                .collect::<Vec<_>>(),
            [
                "it was made with max_moves = 3, but the scenario has max_moves = 7",
                "it was made with balance_band = 0.05, but the scenario has balance_band = 0.1",
            ]
        );
    }

    #[test]
    fn a_broken_hard_rule_is_refused_with_the_checker_s_words() {
        let (scenario, mut json) = saved();
        // Only bo has `spanish`.
        json["assignments"]["C-3"] = "ana".into();
        let found = mismatches(&scenario, &json);
        assert!(
            found.contains(&Mismatch::Checker(
                "case C-3 given to ana, who may not hold it (leave, needs or avoid)".into()
            )),
            "{found:?}"
        );
    }
}
