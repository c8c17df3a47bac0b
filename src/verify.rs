//! An independent checker of proposals: every hard rule and every figure of a proposal's JSON,
//! recomputed from the scenario alone.
//!
//! It deliberately shares no code with the model, the solver or the reports: it reads the JSON a
//! user or batch job would read and the validated scenario, and re-derives everything (eligibility,
//! families, required moves, loads, utilization, overload) on its own. Tests run it on every
//! proposal they produce; a disagreement is a bug in one of the two.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use crate::domain::Scenario;

const EPS: f64 = 1e-6;

/// Checks a proposal JSON against its scenario; returns every violation found (empty when the
/// proposal is sound).
pub fn check_proposal(scenario: &Scenario, json: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut fail = |msg: String| problems.push(msg);

    let status = json["status"].as_str().unwrap_or("");
    if !matches!(status, "optimal" | "feasible" | "infeasible" | "unknown") {
        fail(format!("status is {status:?}"));
    }
    if json["scenario"].as_str() != Some(scenario.name.as_str()) {
        fail(format!(
            "scenario is {:?}, expected {:?}",
            json["scenario"], scenario.name
        ));
    }
    let mode = json["mode"].as_str().unwrap_or("");
    let Some(assignments) = json["assignments"].as_object() else {
        fail("no assignments object".into());
        return problems;
    };
    let listed_unassigned = json["unassigned"].as_array().map_or(0, Vec::len) as f64;
    if json["metrics"]["unassigned"].as_f64() != Some(listed_unassigned) {
        fail(format!(
            "metrics.unassigned is {}, but {listed_unassigned} cases are listed",
            json["metrics"]["unassigned"]
        ));
    }
    if status == "infeasible" || status == "unknown" {
        if !assignments.is_empty() || json["moves"].as_array().is_some_and(|m| !m.is_empty()) {
            fail("an infeasible proposal assigns or moves cases".into());
        }
        return problems;
    }

    let staff_index: HashMap<&str, usize> = scenario
        .staff
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let case_index: HashMap<&str, usize> = scenario
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let cases = scenario.cases.as_slice();
    let staff = scenario.staff.as_slice();

    // Holder after, per case.
    let mut after: Vec<Option<usize>> = vec![None; cases.len()];
    for (case_id, worker) in assignments {
        let Some(&c) = case_index.get(case_id.as_str()) else {
            fail(format!("assignment of unknown case {case_id}"));
            continue;
        };
        match worker.as_str().and_then(|w| staff_index.get(w)) {
            Some(&w) => after[c] = Some(w),
            None => fail(format!(
                "case {case_id} assigned to unknown worker {worker}"
            )),
        }
    }
    let unassigned: BTreeSet<usize> = json["unassigned"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| {
                    u["case"]
                        .as_str()
                        .and_then(|id| case_index.get(id).copied())
                })
                .collect()
        })
        .unwrap_or_default();
    if json["unassigned"].as_array().map_or(0, Vec::len) != unassigned.len() {
        fail("unassigned lists an unknown or repeated case".into());
    }
    for (c, case) in cases.iter().enumerate() {
        match (after[c].is_some(), unassigned.contains(&c)) {
            (true, true) => fail(format!("case {} is both assigned and unassigned", case.id)),
            (false, false) => fail(format!(
                "case {} is neither assigned nor listed as unassigned",
                case.id
            )),
            _ => {}
        }
    }

    let holds_alone = |w: usize, c: usize| -> bool {
        let (worker, case) = (&staff[w], &cases[c]);
        worker.available
            && case
                .needs
                .iter()
                .all(|n| worker.skills.iter().any(|s| s == n))
            && !case.avoid.iter().any(|a| a.index() == w)
    };

    // Hard rules on each placed case.
    for (c, case) in cases.iter().enumerate() {
        let Some(w) = after[c] else { continue };
        if !holds_alone(w, c) {
            fail(format!(
                "case {} given to {}, who may not hold it (leave, needs or avoid)",
                case.id, staff[w].id
            ));
        }
        if case.pinned && case.assigned.map(|h| h.index()) != Some(w) {
            fail(format!("pinned case {} moved", case.id));
        }
    }
    let mut counts = vec![0u32; staff.len()];
    for w in after.iter().flatten() {
        counts[*w] += 1;
    }
    for (w, worker) in staff.iter().enumerate() {
        if worker.max_cases.is_some_and(|m| counts[w] > m) {
            fail(format!(
                "{} holds {} cases, above max_cases",
                worker.id, counts[w]
            ));
        }
    }

    // Families.
    let mut families: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    if scenario.policy.keep_families_together {
        for (c, case) in cases.iter().enumerate() {
            if let Some(f) = &case.family {
                families.entry(f).or_default().push(c);
            }
        }
    }
    let family_of = |c: usize| -> Option<&Vec<usize>> {
        cases[c].family.as_deref().and_then(|f| families.get(f))
    };
    // A case must leave its holder when the holder cannot hold it, or (families kept together)
    // cannot hold another case of its family.
    let must_move = |c: usize| -> bool {
        cases[c].assigned.is_some_and(|h| {
            let group = family_of(c).cloned().unwrap_or_else(|| vec![c]);
            !holds_alone(h.index(), c) || group.iter().any(|m| !holds_alone(h.index(), *m))
        })
    };
    for (f, members) in &families {
        let holders: BTreeSet<Option<usize>> = members.iter().map(|c| after[*c]).collect();
        if holders.len() > 1 {
            fail(format!(
                "family {f} ends with more than one worker (or is partly unassigned)"
            ));
        }
    }

    // Unassigned cases must be unplaceable.
    for &c in &unassigned {
        let group: Vec<usize> = family_of(c).cloned().unwrap_or_else(|| vec![c]);
        let pin = group
            .iter()
            .find(|m| cases[**m].pinned)
            .and_then(|m| cases[*m].assigned.map(|h| h.index()));
        let someone = (0..staff.len())
            .any(|w| pin.is_none_or(|p| p == w) && group.iter().all(|m| holds_alone(w, *m)));
        if someone {
            fail(format!(
                "case {} left unassigned although a worker may take it",
                cases[c].id
            ));
        }
    }

    // Moves: exactly the cases whose holder changes.
    let mut listed: BTreeMap<usize, (Option<usize>, Option<usize>)> = BTreeMap::new();
    for m in json["moves"].as_array().into_iter().flatten() {
        let Some(&c) = m["case"].as_str().and_then(|id| case_index.get(id)) else {
            fail(format!("move of unknown case {}", m["case"]));
            continue;
        };
        let from = m["from"].as_str().and_then(|w| staff_index.get(w).copied());
        let to = m["to"].as_str().and_then(|w| staff_index.get(w).copied());
        if m["why"].as_str().is_none_or(str::is_empty) {
            fail(format!("move of {} has no reason", cases[c].id));
        }
        if listed.insert(c, (from, to)).is_some() {
            fail(format!("case {} moved twice", cases[c].id));
        }
    }
    let mut moves = 0u32;
    let mut required = 0u32;
    let mut discretionary = 0u32;
    let mut intake_placed = 0u32;
    for (c, case) in cases.iter().enumerate() {
        let before = case.assigned.map(|h| h.index());
        let changed = after[c].is_some() && after[c] != before;
        match (changed, listed.get(&c)) {
            (true, Some((from, to))) => {
                if *from != before || *to != after[c] {
                    fail(format!("move of {} names the wrong workers", case.id));
                }
            }
            (true, None) => fail(format!(
                "case {} changes holder but is not in moves",
                case.id
            )),
            (false, Some(_)) => fail(format!("case {} is in moves but keeps its holder", case.id)),
            (false, None) => {}
        }
        if !changed {
            continue;
        }
        if before.is_none() {
            intake_placed += 1;
            continue;
        }
        moves += 1;
        if must_move(c) {
            required += 1;
        } else {
            discretionary += 1;
            if mode == "assign" {
                // Only families that are split today, or that must move as a whole, may move.
                let group = family_of(c).cloned().unwrap_or_else(|| vec![c]);
                let held_by: BTreeSet<usize> = group
                    .iter()
                    .filter_map(|m| cases[*m].assigned.map(|h| h.index()))
                    .collect();
                let holder = before.expect("moved case had a holder");
                let family_must = group.iter().any(|m| must_move(*m))
                    || !group.iter().all(|m| holds_alone(holder, *m));
                if held_by.len() <= 1 && !family_must {
                    fail(format!(
                        "assign moved case {}, whose holder may keep it",
                        case.id
                    ));
                }
            }
        }
    }
    for m in json["moves"].as_array().into_iter().flatten() {
        let Some(&c) = m["case"].as_str().and_then(|id| case_index.get(id)) else {
            continue;
        };
        let counts = mode != "assign" && cases[c].assigned.is_some() && !must_move(c);
        if m["counts_against_budget"].as_bool() != Some(counts) {
            fail(format!(
                "move of {} says counts_against_budget {}, expected {counts}",
                cases[c].id, m["counts_against_budget"]
            ));
        }
    }
    if json["metrics"]["discretionary_moves"].as_f64() != Some(f64::from(discretionary)) {
        fail(format!(
            "metrics.discretionary_moves is {}, expected {discretionary}",
            json["metrics"]["discretionary_moves"]
        ));
    }
    if let Some(bound) = json["metrics"]["moves_lower_bound"].as_f64() {
        let moves = json["metrics"]["moves"].as_f64().unwrap_or(f64::NAN);
        let required = json["metrics"]["required_moves"]
            .as_f64()
            .unwrap_or(f64::NAN);
        if bound > moves || bound < required {
            fail(format!(
                "metrics.moves_lower_bound {bound} is not between the required moves {required} and the moves {moves}"
            ));
        }
        if json["status"] == "optimal" && bound != moves {
            fail(format!(
                "an optimal proposal has {moves} moves but a lower bound of {bound}"
            ));
        }
    }
    for &c in &unassigned {
        if cases[c].pinned {
            fail(format!("pinned case {} is left unassigned", cases[c].id));
        }
    }
    if mode != "assign" && discretionary > scenario.policy.max_moves {
        fail(format!(
            "{discretionary} discretionary moves exceed max_moves {}",
            scenario.policy.max_moves
        ));
    }

    // Figures.
    let target = scenario.policy.target_utilization;
    let mut load_before = vec![0.0; staff.len()];
    let mut load_after = vec![0.0; staff.len()];
    let mut cases_before = vec![0u32; staff.len()];
    for (c, case) in cases.iter().enumerate() {
        if let Some(h) = case.assigned {
            load_before[h.index()] += case.weight;
            cases_before[h.index()] += 1;
        }
        if let Some(w) = after[c] {
            load_after[w] += case.weight;
        }
    }
    let staff_json = json["staff"].as_array().cloned().unwrap_or_default();
    if staff_json.len() != staff.len() {
        fail(format!(
            "staff lists {} workers, the scenario has {}",
            staff_json.len(),
            staff.len()
        ));
    }
    for (w, worker) in staff.iter().enumerate() {
        let Some(entry) = staff_json
            .iter()
            .find(|e| e["id"].as_str() == Some(worker.id.as_str()))
        else {
            fail(format!("worker {} missing from staff", worker.id));
            continue;
        };
        let num = |key: &str| entry[key].as_f64().unwrap_or(f64::NAN);
        for (key, expected) in [
            ("capacity", worker.capacity),
            ("load_before", load_before[w]),
            ("load_after", load_after[w]),
            ("cases_before", f64::from(cases_before[w])),
            ("cases_after", f64::from(counts[w])),
        ] {
            if (num(key) - expected).abs() > EPS || num(key).is_nan() {
                fail(format!(
                    "{} {key} is {}, expected {expected}",
                    worker.id, entry[key]
                ));
            }
        }
    }
    let max_util = |loads: &[f64]| {
        loads
            .iter()
            .zip(staff)
            .map(|(l, s)| l / s.capacity)
            .fold(0.0, f64::max)
    };
    let overload = |loads: &[f64]| -> f64 {
        loads
            .iter()
            .zip(staff)
            .map(|(l, s)| (l - target * s.capacity).max(0.0))
            .sum()
    };
    let metrics = &json["metrics"];
    let metric = |key: &str| metrics[key].as_f64().unwrap_or(f64::NAN);
    for (key, expected) in [
        ("max_utilization_before", max_util(&load_before)),
        ("max_utilization_after", max_util(&load_after)),
        ("overload_before", overload(&load_before)),
        ("overload_after", overload(&load_after)),
        ("moves", f64::from(moves)),
        ("required_moves", f64::from(required)),
        ("intake_placed", f64::from(intake_placed)),
        ("unassigned", unassigned.len() as f64),
    ] {
        if (metric(key) - expected).abs() > EPS || metric(key).is_nan() {
            fail(format!(
                "metrics.{key} is {}, expected {expected}",
                metrics[key]
            ));
        }
    }
    let bound = metric("lower_bound_max_utilization");
    if bound.is_nan() || bound > max_util(&load_after) + EPS {
        fail(format!(
            "lower bound {bound} is above the proposal's max utilization"
        ));
    }
    problems
}
