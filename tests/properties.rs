//! Property tests against brute force: random small teams (see `common/random_team.rs`) are
//! solved in both jobs, and every assignment the hard rules allow is enumerated by code of its
//! own (at most 5^8 of them). The proposal must be infeasible exactly when none is found, keep
//! every rule by that enumeration's reading, reach the least max utilization and, at it (and
//! within the equity tolerance), the least overload; an optimal one also the fewest
//! reassignments and then the most preferences among the assignments that keep both. Its JSON
//! must pass the independent checker and the balance guarantee, split its moves into required
//! and counted ones correctly, and read back as the same proposal.

mod common;

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use caseload::domain::{Case, Scenario, Staff};
use caseload::explain::Explanation;
use caseload::input::provenance::Provenance;
use caseload::input::{load_scenario, LoadOptions};
use caseload::report::proposal::proposal_json;
use caseload::solve::model::Mode;
use caseload::solve::saved::read_saved;
use caseload::solve::{solve, Proposal, SolveOptions, Status};
use caseload::verify::balance::balance_violations;
use caseload::verify::check_proposal;
use common::random_team::{team, RandomTeam};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// Random teams per job.
const CASES: u32 = 200;

/// The hard rules, read plainly from the validated scenario.
struct Rules<'a> {
    staff: &'a [Staff],
    cases: &'a [Case],
    keep_families: bool,
}

impl Rules<'_> {
    /// On leave, skills and the avoid list.
    fn may_hold(&self, w: usize, c: usize) -> bool {
        let (worker, case) = (&self.staff[w], &self.cases[c]);
        worker.available
            && case.needs.iter().all(|n| worker.skills.contains(n))
            && !case.avoid.iter().any(|a| a.index() == w)
    }

    /// The cases that end with one worker together with `c`, itself included.
    fn group(&self, c: usize) -> Vec<usize> {
        match (&self.cases[c].family, self.keep_families) {
            (Some(f), true) => (0..self.cases.len())
                .filter(|m| self.cases[*m].family.as_ref() == Some(f))
                .collect(),
            _ => vec![c],
        }
    }

    /// The holder may not keep the case: leave, needs, avoid, or a case of its family.
    fn must_leave(&self, c: usize) -> bool {
        self.cases[c]
            .assigned
            .is_some_and(|h| self.group(c).iter().any(|m| !self.may_hold(h.index(), *m)))
    }

    /// The unit of `cases` (a group) in `mode`; `None` when nobody may hold it at all. In
    /// `assign`, a sole holder who may keep every case keeps the unit.
    fn unit(&self, cases: Vec<usize>, mode: Mode) -> Option<Unit> {
        let pin = cases
            .iter()
            .find(|m| self.cases[**m].pinned)
            .and_then(|m| self.cases[*m].assigned)
            .map(|h| h.index());
        let mut allowed: Vec<usize> = (0..self.staff.len())
            .filter(|w| pin.is_none_or(|p| p == *w))
            .filter(|w| cases.iter().all(|m| self.may_hold(*w, *m)))
            .collect();
        if allowed.is_empty() {
            return None;
        }
        let holders: BTreeSet<usize> = cases
            .iter()
            .filter_map(|m| self.cases[*m].assigned.map(|h| h.index()))
            .collect();
        let sole = (holders.len() == 1 && !cases.iter().any(|m| self.must_leave(*m)))
            .then(|| *holders.first().expect("one holder"))
            .filter(|h| allowed.contains(h));
        if let (Mode::Assign, Some(sole)) = (mode, sole) {
            allowed = vec![sole];
        }
        let per_worker = |counts: &dyn Fn(usize, usize) -> bool| {
            (0..self.staff.len())
                .map(|w| cases.iter().filter(|m| counts(w, **m)).count() as u32)
                .collect()
        };
        let leaves = |w: usize, m: usize| self.cases[m].assigned.is_some_and(|h| h.index() != w);
        Some(Unit {
            weight: cases.iter().map(|m| self.cases[*m].weight).sum(),
            counted: per_worker(&|w, m| leaves(w, m) && !self.must_leave(m)),
            moved: per_worker(&leaves),
            preferred: per_worker(&|w, m| self.cases[m].prefer.iter().any(|p| p.index() == w)),
            cases,
            allowed,
        })
    }
}

/// A case, or a family kept together: one decision.
struct Unit {
    cases: Vec<usize>,
    weight: f64,
    /// Workers it may go to in this job.
    allowed: Vec<usize>,
    /// Per worker, the reassignments the move budget counts if the unit goes there.
    counted: Vec<u32>,
    /// Per worker, every reassignment (required ones too) if the unit goes there.
    moved: Vec<u32>,
    /// Per worker, the `prefer` wishes honoured if the unit goes there.
    preferred: Vec<u32>,
}

/// Every assignment of the units to their allowed workers, within `max_cases` and the budget.
struct Brute<'a> {
    scenario: &'a Scenario,
    units: Vec<Unit>,
    /// Cases nobody may hold, set aside.
    unplaced: BTreeSet<usize>,
    budget: Option<u32>,
}

/// The measures of an assignment, one per step: max utilization over available workers, total
/// overload, reassignments and preferences honoured.
#[derive(Debug, Clone, Copy, Default)]
struct Measures {
    max_utilization: f64,
    overload: f64,
    moves: u32,
    preferences: u32,
}

impl<'a> Brute<'a> {
    fn new(scenario: &'a Scenario, mode: Mode) -> Self {
        let rules = Rules {
            staff: scenario.staff.as_slice(),
            cases: scenario.cases.as_slice(),
            keep_families: scenario.policy.keep_families_together,
        };
        let mut brute = Brute {
            scenario,
            units: Vec::new(),
            unplaced: BTreeSet::new(),
            budget: (mode == Mode::Rebalance).then_some(scenario.policy.max_moves),
        };
        let mut seen = BTreeSet::new();
        for c in 0..rules.cases.len() {
            if seen.contains(&c) {
                continue;
            }
            let cases = rules.group(c);
            seen.extend(cases.iter().copied());
            match rules.unit(cases.clone(), mode) {
                Some(unit) => brute.units.push(unit),
                None => brute.unplaced.extend(cases),
            }
        }
        brute
    }

    fn measures(&self, loads: &[f64], moves: u32, preferences: u32) -> Measures {
        let target = self.scenario.policy.target_utilization;
        let staff = self.scenario.staff.as_slice();
        Measures {
            moves,
            preferences,
            max_utilization: staff
                .iter()
                .zip(loads)
                .filter(|(s, _)| s.available)
                .map(|(s, l)| l / s.capacity)
                .fold(0.0, f64::max),
            overload: staff
                .iter()
                .zip(loads)
                .map(|(s, l)| (l - target * s.capacity).max(0.0))
                .sum(),
        }
    }

    /// The measures of every assignment the rules allow.
    fn all(&self) -> Vec<Measures> {
        let n = self.scenario.staff.len();
        let mut out = Vec::new();
        let mut partial = Partial {
            loads: vec![0.0; n],
            counts: vec![0; n],
            used: 0,
            moves: 0,
            preferences: 0,
        };
        self.search(0, &mut partial, &mut out);
        out
    }

    fn search(&self, u: usize, at: &mut Partial, out: &mut Vec<Measures>) {
        let Some(unit) = self.units.get(u) else {
            out.push(self.measures(&at.loads, at.moves, at.preferences));
            return;
        };
        for &w in &unit.allowed {
            let count = at.counts[w] + unit.cases.len() as u32;
            let used = at.used + unit.counted[w];
            if self.scenario.staff.as_slice()[w]
                .max_cases
                .is_some_and(|m| count > m)
                || self.budget.is_some_and(|b| used > b)
            {
                continue;
            }
            let before = at.clone();
            at.loads[w] += unit.weight;
            at.counts[w] = count;
            at.used = used;
            at.moves += unit.moved[w];
            at.preferences += unit.preferred[w];
            self.search(u + 1, at, out);
            *at = before;
        }
    }

    /// The measures of a proposal's holders, or the rule it breaks by this reading.
    fn admits(&self, after: &[Option<usize>]) -> Result<Measures, String> {
        let n = self.scenario.staff.len();
        let (mut loads, mut counts, mut used) = (vec![0.0; n], vec![0u32; n], 0);
        let (mut moves, mut preferences) = (0, 0);
        for (c, holder) in after.iter().enumerate() {
            if holder.is_none() != self.unplaced.contains(&c) {
                return Err(format!(
                    "case {c} is placed {holder:?}, set aside: {}",
                    holder.is_none()
                ));
            }
        }
        for unit in &self.units {
            let w = after[unit.cases[0]].expect("placed");
            if unit.cases.iter().any(|c| after[*c] != Some(w)) || !unit.allowed.contains(&w) {
                return Err(format!(
                    "unit {:?} is not with one allowed worker",
                    unit.cases
                ));
            }
            loads[w] += unit.weight;
            counts[w] += unit.cases.len() as u32;
            used += unit.counted[w];
            moves += unit.moved[w];
            preferences += unit.preferred[w];
        }
        for (w, staff) in self.scenario.staff.iter().enumerate() {
            if staff.max_cases.is_some_and(|m| counts[w] > m) {
                return Err(format!("worker {w} holds {} cases", counts[w]));
            }
        }
        if self.budget.is_some_and(|b| used > b) {
            return Err(format!("{used} counted moves"));
        }
        Ok(self.measures(&loads, moves, preferences))
    }
}

/// An assignment under way: what the units placed so far add up to.
#[derive(Clone)]
struct Partial {
    loads: Vec<f64>,
    counts: Vec<u32>,
    used: u32,
    moves: u32,
    preferences: u32,
}

/// What the runs saw, to show that most random teams were valid and solved.
#[derive(Default)]
struct Tally {
    solved: Cell<u32>,
    skipped: Cell<u32>,
    statuses: std::cell::RefCell<BTreeMap<String, u32>>,
}

impl Tally {
    fn add(cell: &Cell<u32>) {
        cell.set(cell.get() + 1);
    }
}

fn load(team: &RandomTeam) -> Option<Scenario> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = common::write(dir.path(), "team.toml", &team.toml());
    load_scenario(&path, &LoadOptions::default())
        .ok()
        .map(|l| l.scenario)
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

/// Solves `team` in `mode` and holds the proposal against brute force.
fn solve_and_compare(team: &RandomTeam, mode: Mode, tally: &Tally) -> Result<(), TestCaseError> {
    let Some(scenario) = load(team) else {
        Tally::add(&tally.skipped);
        return Ok(());
    };
    Tally::add(&tally.solved);
    let proposal = solve(
        &scenario,
        &SolveOptions {
            mode,
            time_limit: 30.0,
        },
    );
    *tally
        .statuses
        .borrow_mut()
        .entry(format!("{:?}", proposal.status()))
        .or_default() += 1;
    let brute = Brute::new(&scenario, mode);
    let set_aside: BTreeSet<usize> = proposal
        .unplaced
        .iter()
        .flat_map(|u| u.cases.iter().map(|c| c.index()))
        .collect();
    prop_assert_eq!(&set_aside, &brute.unplaced, "cases set aside");
    let all = brute.all();
    if all.is_empty() {
        prop_assert_eq!(proposal.status(), Status::Infeasible);
        return Ok(());
    }
    prop_assert!(
        proposal.has_proposal(),
        "status {:?}, but {} assignments keep the rules",
        proposal.status(),
        all.len()
    );
    compare_measures(&scenario, &proposal, &brute, &all)?;
    check_json(&scenario, &proposal)
}

/// Equity, then overload at it, against the least that brute force finds.
fn compare_measures(
    scenario: &Scenario,
    proposal: &Proposal,
    brute: &Brute<'_>,
    all: &[Measures],
) -> Result<(), TestCaseError> {
    let tolerance = scenario.policy.equity_tolerance;
    let best = all
        .iter()
        .map(|m| m.max_utilization)
        .fold(f64::INFINITY, f64::min);
    let least_overload = |ceiling: f64| {
        all.iter()
            .filter(|m| m.max_utilization <= ceiling)
            .map(|m| m.overload)
            .fold(f64::INFINITY, f64::min)
    };
    let at_best = least_overload(best + 1e-9);
    let within_tolerance = least_overload(best + tolerance + 1e-6);
    let after: Vec<Option<usize>> = proposal
        .holder_after
        .iter()
        .map(|h| h.map(|w| w.index()))
        .collect();
    let got = brute.admits(&after).map_err(fail)?;
    let equity = &proposal.steps[0];
    prop_assert!(
        (equity.value - best).abs() <= 1e-9,
        "equity step {} but the least max utilization is {best}",
        equity.value
    );
    prop_assert!(
        got.max_utilization >= best - 1e-9 && got.max_utilization <= best + tolerance + 1e-9,
        "max utilization {} outside [{best}, {best} + {tolerance}]",
        got.max_utilization
    );
    prop_assert!(
        proposal.lower_bound_max_utilization <= best + 1e-9,
        "lower bound {} above the least max utilization {best}",
        proposal.lower_bound_max_utilization
    );
    prop_assert!(
        got.overload >= within_tolerance - 1e-9,
        "overload {} below the least reachable {within_tolerance}",
        got.overload
    );
    if proposal.status() == Status::Optimal {
        let overload_step = proposal.steps[1].value;
        prop_assert!(
            (overload_step - at_best).abs() <= 1e-9,
            "overload step {overload_step}, but the least overload at {best} is {at_best}"
        );
        prop_assert!(
            got.overload <= at_best + 1e-9,
            "overload {} above the least at the best max utilization, {at_best}",
            got.overload
        );
        // Balance narrows the answers; an optimal proposal's moves and preferences are still
        // the best among all that keep the equity and overload reached.
        let within: Vec<&Measures> = all
            .iter()
            .filter(|m| {
                m.max_utilization <= best + tolerance + 1e-6 && m.overload <= at_best + 1e-6
            })
            .collect();
        let fewest = within
            .iter()
            .map(|m| m.moves)
            .min()
            .expect("the proposal is one");
        let most = within
            .iter()
            .filter(|m| m.moves == fewest)
            .map(|m| m.preferences)
            .max()
            .expect("one has the fewest moves");
        prop_assert_eq!(
            (got.moves, got.preferences),
            (fewest, most),
            "(moves, preferences)"
        );
    }
    Ok(())
}

/// The proposal's JSON: the checker, the balance guarantee, the move counts, and reading it back.
fn check_json(scenario: &Scenario, proposal: &Proposal) -> Result<(), TestCaseError> {
    let text = proposal_json(
        &Explanation::of(scenario, proposal),
        &Provenance::of(Vec::new()),
    );
    let json: Value = serde_json::from_str(&text).expect("proposal JSON parses");
    let problems = check_proposal(scenario, &json);
    prop_assert!(problems.is_empty(), "checker: {}", problems.join("\n"));
    let band = scenario.policy.balance_band;
    let imbalances = balance_violations(scenario, &json, band);
    prop_assert!(imbalances.is_empty(), "balance: {}", imbalances.join("\n"));
    let metric = |key: &str| json["metrics"][key].as_u64().expect(key);
    let (required, discretionary) = (metric("required_moves"), metric("discretionary_moves"));
    prop_assert_eq!(required + discretionary, metric("moves"));
    if proposal.mode == Mode::Rebalance {
        prop_assert!(discretionary <= u64::from(scenario.policy.max_moves));
    }
    let read = read_saved(scenario, &text).map_err(|e| fail(format!("read back: {e}")))?;
    prop_assert_eq!(&read.holder_after, &proposal.holder_after);
    Ok(())
}

fn run(mode: Mode) {
    let tally = Tally::default();
    let result = TestRunner::new(common::property_config(CASES))
        .run(&team(), |t| solve_and_compare(&t, mode, &tally));
    if let Err(e) = result {
        panic!("{mode:?}: {e}");
    }
    let (solved, skipped) = (tally.solved.get(), tally.skipped.get());
    eprintln!(
        "{mode:?}: {solved} teams solved, {skipped} invalid skipped, statuses {:?}",
        tally.statuses.borrow()
    );
    assert!(
        skipped * 4 < solved + skipped,
        "{skipped} of {} random teams failed validation",
        solved + skipped
    );
}

#[test]
fn rebalance_reaches_what_brute_force_finds() {
    run(Mode::Rebalance);
}

#[test]
fn assign_reaches_what_brute_force_finds() {
    run(Mode::Assign);
}
