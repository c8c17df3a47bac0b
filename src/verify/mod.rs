//! An independent checker of proposals: every hard rule and every figure of a proposal's JSON,
//! recomputed from the scenario alone.
//!
//! It deliberately shares no code with the model, the solver or the reports: it reads the JSON a
//! user or batch job would read and the validated scenario, and re-derives everything (eligibility,
//! families, required moves, loads, utilization, overload) on its own. Tests run it on every
//! proposal they produce; a disagreement is a bug in one of the two. [`balance`] checks the
//! balance guarantee with the same picture of the proposal.

pub mod balance;

pub use balance::balance_violations;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::domain::{Case, Scenario, Staff};

const EPS: f64 = 1e-6;

/// Checks a proposal JSON against its scenario; returns every violation found (empty when the
/// proposal is sound).
pub fn check_proposal(scenario: &Scenario, json: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    check_status_and_name(scenario, json, &mut problems);
    let Some(assignments) = json["assignments"].as_object() else {
        problems.push("no assignments object".into());
        return problems;
    };
    check_unassigned_count(json, &mut problems);
    let status = json["status"].as_str().unwrap_or("");
    if status == "infeasible" || status == "unknown" {
        if !assignments.is_empty() || json["moves"].as_array().is_some_and(|m| !m.is_empty()) {
            problems.push("an infeasible proposal assigns or moves cases".into());
        }
        return problems;
    }

    let mut check = Checker::new(scenario, json, assignments, problems);
    check.hard_rules();
    let listed = check.listed_moves();
    let moves = check.moves_match(&listed);
    check.counts_against_budget();
    check.move_metrics(&moves);
    check.move_budget(&moves);
    check.staff_figures();
    check.team_figures(&moves);
    check.problems
}

/// Checks only what makes a proposal fit to apply to its scenario: its name, and the hard rules
/// (every case placed once or listed as no one may hold it, leave, skills, avoid lists, pins,
/// families, `max_cases`); not its figures or the move budget, which a supervisor may have
/// decided otherwise. Empty when it fits.
pub fn hard_rule_violations(scenario: &Scenario, json: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    check_status_and_name(scenario, json, &mut problems);
    let Some(assignments) = json["assignments"].as_object() else {
        problems.push("no assignments object".into());
        return problems;
    };
    let mut check = Checker::new(scenario, json, assignments, problems);
    check.hard_rules();
    check.problems
}

fn check_status_and_name(scenario: &Scenario, json: &Value, problems: &mut Vec<String>) {
    let status = json["status"].as_str().unwrap_or("");
    if !matches!(status, "optimal" | "feasible" | "infeasible" | "unknown") {
        problems.push(format!("status is {status:?}"));
    }
    if json["scenario"].as_str() != Some(scenario.name.as_str()) {
        problems.push(format!(
            "scenario is {:?}, expected {:?}",
            json["scenario"].as_str().unwrap_or_default(),
            scenario.name
        ));
    }
}

fn check_unassigned_count(json: &Value, problems: &mut Vec<String>) {
    let listed_unassigned = json["unassigned"].as_array().map_or(0, Vec::len) as f64;
    if json["metrics"]["unassigned"].as_f64() != Some(listed_unassigned) {
        problems.push(format!(
            "metrics.unassigned is {}, but {listed_unassigned} cases are listed",
            json["metrics"]["unassigned"]
        ));
    }
}

/// Moves of a proposal, counted from the scenario and the holders after.
#[derive(Default)]
struct MoveCounts {
    /// Cases that change from one holder to another.
    moves: u32,
    /// Moves whose case cannot stay with its holder.
    required: u32,
    /// Moves whose case could have stayed.
    discretionary: u32,
    /// Cases without a holder today that get one.
    intake_placed: u32,
}

/// A proposal with a solution, read against its scenario: who holds each case after, and
/// which cases are listed unassigned. One method per rule or group of figures, each adding
/// its problems.
struct Checker<'a> {
    scenario: &'a Scenario,
    json: &'a Value,
    mode: &'a str,
    cases: &'a [Case],
    staff: &'a [Staff],
    staff_index: HashMap<&'a str, usize>,
    case_index: HashMap<&'a str, usize>,
    /// Holder after, per case.
    after: Vec<Option<usize>>,
    /// Cases listed as unassigned.
    unassigned: BTreeSet<usize>,
    /// Cases held after, per worker.
    counts: Vec<u32>,
    /// Members of each family, when families are kept together (else none).
    families: BTreeMap<&'a str, Vec<usize>>,
    problems: Vec<String>,
}

impl<'a> Checker<'a> {
    /// Reads the holders after and the unassigned list; unknown ids are problems.
    fn new(
        scenario: &'a Scenario,
        json: &'a Value,
        assignments: &'a Map<String, Value>,
        problems: Vec<String>,
    ) -> Self {
        let cases = scenario.cases.as_slice();
        let staff = scenario.staff.as_slice();
        let mut check = Checker {
            scenario,
            json,
            mode: json["mode"].as_str().unwrap_or(""),
            cases,
            staff,
            staff_index: staff
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
            case_index: cases
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect(),
            after: vec![None; cases.len()],
            unassigned: BTreeSet::new(),
            counts: vec![0; staff.len()],
            families: BTreeMap::new(),
            problems,
        };
        check.read_assignments(assignments);
        check.read_unassigned();
        for w in check.after.iter().flatten() {
            check.counts[*w] += 1;
        }
        if scenario.policy.keep_families_together {
            for (c, case) in cases.iter().enumerate() {
                if let Some(f) = &case.family {
                    check.families.entry(f).or_default().push(c);
                }
            }
        }
        check
    }

    fn fail(&mut self, problem: String) {
        self.problems.push(problem);
    }

    fn read_assignments(&mut self, assignments: &Map<String, Value>) {
        for (case_id, worker) in assignments {
            let Some(&c) = self.case_index.get(case_id.as_str()) else {
                self.fail(format!("assignment of unknown case {case_id}"));
                continue;
            };
            match worker.as_str().and_then(|w| self.staff_index.get(w)) {
                Some(&w) => self.after[c] = Some(w),
                None => self.fail(format!(
                    "case {case_id} assigned to unknown worker {worker}"
                )),
            }
        }
    }

    fn read_unassigned(&mut self) {
        let listed = &self.json["unassigned"];
        self.unassigned = listed
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|u| {
                        u["case"]
                            .as_str()
                            .and_then(|id| self.case_index.get(id).copied())
                    })
                    .collect()
            })
            .unwrap_or_default();
        if listed.as_array().map_or(0, Vec::len) != self.unassigned.len() {
            self.fail("unassigned lists an unknown or repeated case".into());
        }
    }

    /// Whether worker `w` may hold case `c` on its own: at work, with every skill it needs,
    /// and not on its avoid list.
    fn holds_alone(&self, w: usize, c: usize) -> bool {
        let (worker, case) = (&self.staff[w], &self.cases[c]);
        worker.available
            && case
                .needs
                .iter()
                .all(|n| worker.skills.iter().any(|s| s == n))
            && !case.avoid.iter().any(|a| a.index() == w)
    }

    /// The cases that must end with the same worker as `c`: its family, or itself alone.
    fn group_of(&self, c: usize) -> Vec<usize> {
        self.cases[c]
            .family
            .as_deref()
            .and_then(|f| self.families.get(f))
            .cloned()
            .unwrap_or_else(|| vec![c])
    }

    /// A case must leave its holder when the holder cannot hold it, or (families kept together)
    /// cannot hold another case of its family.
    fn must_move(&self, c: usize) -> bool {
        self.cases[c].assigned.is_some_and(|h| {
            let group = self.group_of(c);
            !self.holds_alone(h.index(), c)
                || group.iter().any(|m| !self.holds_alone(h.index(), *m))
        })
    }

    /// The hard rules: every case placed once or listed as no one may hold it, leave, skills,
    /// avoid lists, max_cases, families, and pins.
    fn hard_rules(&mut self) {
        self.every_case_placed_once();
        self.placed_cases_may_be_held();
        self.max_cases();
        self.families_together();
        self.unassigned_are_unplaceable();
        self.pinned_not_unassigned();
    }

    fn every_case_placed_once(&mut self) {
        for (c, case) in self.cases.iter().enumerate() {
            match (self.after[c].is_some(), self.unassigned.contains(&c)) {
                (true, true) => {
                    self.fail(format!("case {} is both assigned and unassigned", case.id))
                }
                (false, false) => self.fail(format!(
                    "case {} is neither assigned nor listed as unassigned",
                    case.id
                )),
                _ => {}
            }
        }
    }

    /// Leave, needs and avoid lists for every placed case; pinned cases stay.
    fn placed_cases_may_be_held(&mut self) {
        for (c, case) in self.cases.iter().enumerate() {
            let Some(w) = self.after[c] else { continue };
            if !self.holds_alone(w, c) {
                self.fail(format!(
                    "case {} given to {}, who may not hold it (leave, needs or avoid)",
                    case.id, self.staff[w].id
                ));
            }
            if case.pinned && case.assigned.map(|h| h.index()) != Some(w) {
                self.fail(format!("pinned case {} moved", case.id));
            }
        }
    }

    fn max_cases(&mut self) {
        for (w, worker) in self.staff.iter().enumerate() {
            if worker.max_cases.is_some_and(|m| self.counts[w] > m) {
                self.fail(format!(
                    "{} holds {} cases, above max_cases",
                    worker.id, self.counts[w]
                ));
            }
        }
    }

    fn families_together(&mut self) {
        let mut split = Vec::new();
        for (f, members) in &self.families {
            let holders: BTreeSet<Option<usize>> = members.iter().map(|c| self.after[*c]).collect();
            if holders.len() > 1 {
                split.push(format!(
                    "family {f} ends with more than one worker (or is partly unassigned)"
                ));
            }
        }
        self.problems.extend(split);
    }

    /// A case may be left out only when no worker may take it (with its family, and where a
    /// member is pinned, only the pinned holder).
    fn unassigned_are_unplaceable(&mut self) {
        let mut placeable = Vec::new();
        for &c in &self.unassigned {
            let group = self.group_of(c);
            let pin = group
                .iter()
                .find(|m| self.cases[**m].pinned)
                .and_then(|m| self.cases[*m].assigned.map(|h| h.index()));
            let someone = (0..self.staff.len()).any(|w| {
                pin.is_none_or(|p| p == w) && group.iter().all(|m| self.holds_alone(w, *m))
            });
            if someone {
                placeable.push(format!(
                    "case {} left unassigned although a worker may take it",
                    self.cases[c].id
                ));
            }
        }
        self.problems.extend(placeable);
    }

    /// The moves the proposal lists, by case: (from, to).
    fn listed_moves(&mut self) -> BTreeMap<usize, (Option<usize>, Option<usize>)> {
        let json = self.json;
        let mut listed = BTreeMap::new();
        for m in json["moves"].as_array().into_iter().flatten() {
            let Some(&c) = m["case"].as_str().and_then(|id| self.case_index.get(id)) else {
                self.fail(format!("move of unknown case {}", m["case"]));
                continue;
            };
            let from = m["from"]
                .as_str()
                .and_then(|w| self.staff_index.get(w).copied());
            let to = m["to"]
                .as_str()
                .and_then(|w| self.staff_index.get(w).copied());
            if m["why"].as_str().is_none_or(str::is_empty) {
                self.fail(format!("move of {} has no reason", self.cases[c].id));
            }
            if listed.insert(c, (from, to)).is_some() {
                self.fail(format!("case {} moved twice", self.cases[c].id));
            }
        }
        listed
    }

    /// Moves are exactly the cases whose holder changes; counts them, and in assign mode
    /// checks that only cases that had to move did.
    fn moves_match(
        &mut self,
        listed: &BTreeMap<usize, (Option<usize>, Option<usize>)>,
    ) -> MoveCounts {
        let mut counts = MoveCounts::default();
        for c in 0..self.cases.len() {
            let case = &self.cases[c];
            let before = case.assigned.map(|h| h.index());
            let changed = self.after[c].is_some() && self.after[c] != before;
            match (changed, listed.get(&c)) {
                (true, Some((from, to))) => {
                    if *from != before || *to != self.after[c] {
                        self.fail(format!("move of {} names the wrong workers", case.id));
                    }
                }
                (true, None) => self.fail(format!(
                    "case {} changes holder but is not in moves",
                    case.id
                )),
                (false, Some(_)) => {
                    self.fail(format!("case {} is in moves but keeps its holder", case.id));
                }
                (false, None) => {}
            }
            if !changed {
                continue;
            }
            let Some(holder) = before else {
                counts.intake_placed += 1;
                continue;
            };
            counts.moves += 1;
            if self.must_move(c) {
                counts.required += 1;
            } else {
                counts.discretionary += 1;
                if self.mode == "assign" && !self.may_move_in_assign(c, holder) {
                    self.fail(format!(
                        "assign moved case {}, whose holder may keep it",
                        case.id
                    ));
                }
            }
        }
        counts
    }

    /// In assign mode only families that are split today, or that must move as a whole, may
    /// move.
    fn may_move_in_assign(&self, c: usize, holder: usize) -> bool {
        let group = self.group_of(c);
        let held_by: BTreeSet<usize> = group
            .iter()
            .filter_map(|m| self.cases[*m].assigned.map(|h| h.index()))
            .collect();
        let family_must = group.iter().any(|m| self.must_move(*m))
            || !group.iter().all(|m| self.holds_alone(holder, *m));
        held_by.len() > 1 || family_must
    }

    fn counts_against_budget(&mut self) {
        let json = self.json;
        for m in json["moves"].as_array().into_iter().flatten() {
            let Some(&c) = m["case"].as_str().and_then(|id| self.case_index.get(id)) else {
                continue;
            };
            // Discretionary in either job, as `metrics.discretionary_moves` counts it.
            let counts = self.cases[c].assigned.is_some() && !self.must_move(c);
            if m["counts_against_budget"].as_bool() != Some(counts) {
                self.fail(format!(
                    "move of {} says counts_against_budget {}, expected {counts}",
                    self.cases[c].id, m["counts_against_budget"]
                ));
            }
        }
    }

    fn move_metrics(&mut self, counts: &MoveCounts) {
        let json = self.json;
        let discretionary = counts.discretionary;
        if json["metrics"]["discretionary_moves"].as_f64() != Some(f64::from(discretionary)) {
            self.fail(format!(
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
                self.fail(format!(
                    "metrics.moves_lower_bound {bound} is not between the required moves {required} and the moves {moves}"
                ));
            }
            if json["status"] == "optimal" && bound != moves {
                self.fail(format!(
                    "an optimal proposal has {moves} moves but a lower bound of {bound}"
                ));
            }
        }
    }

    fn pinned_not_unassigned(&mut self) {
        let pinned: Vec<String> = self
            .unassigned
            .iter()
            .filter(|c| self.cases[**c].pinned)
            .map(|c| format!("pinned case {} is left unassigned", self.cases[*c].id))
            .collect();
        self.problems.extend(pinned);
    }

    fn move_budget(&mut self, counts: &MoveCounts) {
        let discretionary = counts.discretionary;
        if self.mode != "assign" && discretionary > self.scenario.policy.max_moves {
            self.fail(format!(
                "{discretionary} discretionary moves exceed max_moves {}",
                self.scenario.policy.max_moves
            ));
        }
    }

    /// Points held per worker, today and after.
    fn loads(&self) -> (Vec<f64>, Vec<f64>) {
        let mut load_before = vec![0.0; self.staff.len()];
        let mut load_after = vec![0.0; self.staff.len()];
        for (c, case) in self.cases.iter().enumerate() {
            if let Some(h) = case.assigned {
                load_before[h.index()] += case.weight;
            }
            if let Some(w) = self.after[c] {
                load_after[w] += case.weight;
            }
        }
        (load_before, load_after)
    }

    /// Each worker's capacity, loads and case counts.
    fn staff_figures(&mut self) {
        let staff = self.staff;
        let (load_before, load_after) = self.loads();
        let mut cases_before = vec![0u32; staff.len()];
        for h in self.cases.iter().filter_map(|c| c.assigned) {
            cases_before[h.index()] += 1;
        }
        let staff_json = self.json["staff"].as_array().cloned().unwrap_or_default();
        if staff_json.len() != staff.len() {
            self.fail(format!(
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
                self.fail(format!("worker {} missing from staff", worker.id));
                continue;
            };
            let num = |key: &str| entry[key].as_f64().unwrap_or(f64::NAN);
            for (key, expected) in [
                ("capacity", worker.capacity),
                ("load_before", load_before[w]),
                ("load_after", load_after[w]),
                ("cases_before", f64::from(cases_before[w])),
                ("cases_after", f64::from(self.counts[w])),
            ] {
                if (num(key) - expected).abs() > EPS || num(key).is_nan() {
                    self.fail(format!(
                        "{} {key} is {}, expected {expected}",
                        worker.id, entry[key]
                    ));
                }
            }
        }
    }

    /// The team's utilization, overload, move and placement figures, and the lower bound.
    fn team_figures(&mut self, counts: &MoveCounts) {
        let staff = self.staff;
        let target = self.scenario.policy.target_utilization;
        let (load_before, load_after) = self.loads();
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
        let metrics = &self.json["metrics"];
        let metric = |key: &str| metrics[key].as_f64().unwrap_or(f64::NAN);
        for (key, expected) in [
            ("max_utilization_before", max_util(&load_before)),
            ("max_utilization_after", max_util(&load_after)),
            ("overload_before", overload(&load_before)),
            ("overload_after", overload(&load_after)),
            ("moves", f64::from(counts.moves)),
            ("required_moves", f64::from(counts.required)),
            ("intake_placed", f64::from(counts.intake_placed)),
            ("unassigned", self.unassigned.len() as f64),
        ] {
            if (metric(key) - expected).abs() > EPS || metric(key).is_nan() {
                self.fail(format!(
                    "metrics.{key} is {}, expected {expected}",
                    metrics[key]
                ));
            }
        }
        let bound = metric("lower_bound_max_utilization");
        if bound.is_nan() || bound > max_util(&load_after) + EPS {
            self.fail(format!(
                "lower bound {bound} is above the proposal's max utilization"
            ));
        }
    }
}
