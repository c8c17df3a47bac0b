//! Which hard rules conflict, when no assignment keeps them all.
//!
//! "Infeasible" is no help to a supervisor; a short list of the rules that cannot hold together,
//! each named by the input line that made it, is. The rules that can conflict are pins, families
//! kept together, `max_cases` and the move budget (skills and avoid lists only narrow who may
//! take a case: a case nobody may take is reported as unplaced, not as a conflict). A deletion
//! filter drops rules while the rest still conflict, in halves first, so what remains is a set in
//! which every rule matters: without any one of them, the others can all hold (other conflicts,
//! elsewhere in the team, may remain).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::domain::rules::HardRule;
use crate::domain::Location;
use crate::domain::{CaseIdx, Scenario};
use crate::solve::model::{build_units, Limits, Mode, Program, Step, StepFailure};

/// A rule and where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleFact {
    /// The rule.
    pub rule: HardRule,
    /// The input line that set it: the worker's or case's entry, the first case of a family,
    /// the `max_moves` key; `None` for a built-in default or a command-line option.
    pub origin: Option<Location>,
}

/// A set of rules that cannot all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The rules, each needed for the conflict unless `minimal` is false.
    pub rules: Vec<RuleFact>,
    /// False when the search ran out of time: the set conflicts, but may hold rules that do not
    /// matter.
    pub minimal: bool,
}

/// The scenario with only the `kept` candidate rules in force (and whether the budget is),
/// without the cases that cannot be placed under every rule: lifting a family must not turn a
/// family nobody can hold into cases that must now be placed.
fn relaxed(
    scenario: &Scenario,
    all: &[HardRule],
    kept: &[bool],
    unplaceable: &BTreeSet<CaseIdx>,
) -> (Scenario, bool) {
    let mut s = scenario.clone();
    let mut budget = true;
    for (rule, keep) in all.iter().zip(kept) {
        if !*keep {
            s.lift(rule, &scenario.families);
            budget &= *rule != HardRule::MoveBudget;
        }
    }
    let cases = s
        .cases
        .iter_enumerated()
        .filter(|(ci, _)| !unplaceable.contains(ci))
        .map(|(_, c)| c.clone())
        .collect();
    s.cases = crate::domain::IndexVec::from_vec(cases);
    s.regroup_families();
    (s, budget)
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// No assignment keeps the rules.
    Conflict,
    /// An assignment was found.
    Fits,
    /// Time ran out: treated as fitting, so no rule is dropped on a guess, and the set is then
    /// not known to be minimal.
    Unknown,
}

/// Whether the rules in force conflict: by construction first, then by the solver within
/// `seconds`.
fn conflicts(scenario: &Scenario, mode: Mode, budget: bool, seconds: f64) -> Check {
    let units = build_units(scenario, mode);
    let program = Program::new(
        scenario,
        &units.units,
        (budget && mode == Mode::Rebalance).then_some(scenario.policy.max_moves),
    );
    if crate::solve::search::construct(&program).is_some() {
        return Check::Fits;
    }
    match program.solve_step(Step::Feasibility, &Limits::default(), None, seconds) {
        Err(StepFailure::Infeasible) => Check::Conflict,
        Ok(_) => Check::Fits,
        Err(_) => Check::Unknown,
    }
}

/// A small set of the hard rules that conflict, or `None` when they do not (the scenario has
/// a proposal). Stops refining after `seconds`, returning the conflicting set found so far.
pub fn find_conflict(scenario: &Scenario, mode: Mode, seconds: f64) -> Option<Conflict> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds.clamp(0.0, 1e6));
    let per_check = (seconds / 8.0).max(0.05);
    let rules = scenario.liftable_rules(mode == Mode::Rebalance);
    let unplaceable: BTreeSet<CaseIdx> = build_units(scenario, mode)
        .unplaceable
        .iter()
        .flat_map(|u| u.cases.iter().copied())
        .collect();
    let mut kept = vec![true; rules.len()];
    let mut minimal = true;
    let mut check = |kept: &[bool]| {
        let (s, budget) = relaxed(scenario, &rules, kept, &unplaceable);
        match conflicts(&s, mode, budget, per_check) {
            Check::Conflict => true,
            Check::Fits => false,
            Check::Unknown => {
                minimal = false;
                false
            }
        }
    };
    if !check(&kept) {
        return None;
    }
    // Deletion filter in chunks: drop a whole chunk when the rest still conflict; otherwise
    // split it, down to single rules, which stay.
    let mut timed_out = false;
    let mut chunks: Vec<(usize, usize)> = vec![(0, rules.len())];
    while let Some((lo, hi)) = chunks.pop() {
        if lo >= hi {
            continue;
        }
        if Instant::now() > deadline {
            timed_out = true;
            break;
        }
        let mut trial = kept.clone();
        trial[lo..hi].iter_mut().for_each(|k| *k = false);
        if check(&trial) {
            kept = trial;
        } else if hi - lo > 1 {
            let mid = (lo + hi) / 2;
            // The second half first on the stack's top is the first half: keep input order.
            chunks.push((mid, hi));
            chunks.push((lo, mid));
        }
    }
    let minimal = minimal && !timed_out;
    let facts = rules
        .into_iter()
        .zip(kept)
        .filter(|(_, k)| *k)
        .map(|(rule, _)| RuleFact {
            origin: scenario.origin_of(&rule),
            rule,
        })
        .collect();
    Some(Conflict {
        rules: facts,
        minimal,
    })
}
