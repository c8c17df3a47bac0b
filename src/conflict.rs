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

use crate::diagnostic::Location;
use crate::domain::{CaseIdx, Scenario, Source, StaffIdx};
use crate::model::{build_units, Limits, Mode, Program, Step, StepFailure};

/// A hard rule that can take part in a conflict.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// A worker's `max_cases`.
    MaxCases(StaffIdx),
    /// A case pinned to its holder.
    Pin(CaseIdx),
    /// A family's cases end with one worker.
    Family(String),
    /// The move budget, `max_moves`.
    MoveBudget,
}

/// A rule and where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleFact {
    /// The rule.
    pub rule: Rule,
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

/// The rules of `scenario` that `mode` enforces and that may conflict, in a stable order.
fn candidate_rules(scenario: &Scenario, mode: Mode) -> Vec<Rule> {
    let mut rules: Vec<Rule> = scenario
        .staff
        .iter_enumerated()
        .filter(|(_, s)| s.max_cases.is_some() && s.available)
        .map(|(w, _)| Rule::MaxCases(w))
        .collect();
    rules.extend(
        scenario
            .cases
            .iter_enumerated()
            .filter(|(_, c)| c.pinned && c.assigned.is_some())
            .map(|(ci, _)| Rule::Pin(ci)),
    );
    if scenario.policy.keep_families_together {
        let mut families: Vec<&str> = scenario
            .cases
            .iter()
            .filter_map(|c| c.family.as_deref())
            .collect();
        families.sort();
        families.dedup();
        rules.extend(families.into_iter().map(|f| Rule::Family(f.to_string())));
    }
    if mode == Mode::Rebalance {
        rules.push(Rule::MoveBudget);
    }
    rules
}

/// The scenario with only the `kept` candidate rules in force (and whether the budget is),
/// without the cases that cannot be placed under every rule: lifting a family must not turn a
/// family nobody can hold into cases that must now be placed.
fn relaxed(
    scenario: &Scenario,
    all: &[Rule],
    kept: &[bool],
    unplaceable: &BTreeSet<CaseIdx>,
) -> (Scenario, bool) {
    let mut s = scenario.clone();
    let mut budget = true;
    for (rule, keep) in all.iter().zip(kept) {
        if *keep {
            continue;
        }
        match rule {
            Rule::MaxCases(w) => s.staff[*w].max_cases = None,
            Rule::Pin(c) => s.cases[*c].pinned = false,
            Rule::Family(f) => {
                for case in s.cases.iter_mut() {
                    if case.family.as_deref() == Some(f.as_str()) {
                        case.family = None;
                    }
                }
            }
            Rule::MoveBudget => budget = false,
        }
    }
    let cases = s
        .cases
        .iter_enumerated()
        .filter(|(ci, _)| !unplaceable.contains(ci))
        .map(|(_, c)| c.clone())
        .collect();
    s.cases = crate::domain::IndexVec::from_vec(cases);
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
        mode,
    );
    if crate::search::construct(&program).is_some() {
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
    let rules = candidate_rules(scenario, mode);
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
        .map(|(rule, _)| describe(scenario, rule))
        .collect();
    Some(Conflict {
        rules: facts,
        minimal,
    })
}

fn describe(scenario: &Scenario, rule: Rule) -> RuleFact {
    let origin = match &rule {
        Rule::MaxCases(w) => Some(scenario.staff[*w].origin.clone()),
        Rule::Pin(c) => Some(scenario.cases[*c].origin.clone()),
        Rule::Family(f) => scenario
            .cases
            .iter()
            .find(|c| c.family.as_deref() == Some(f.as_str()))
            .map(|c| c.origin.clone()),
        Rule::MoveBudget => match &scenario.policy.max_moves_source {
            Source::File(at) => Some(at.clone()),
            _ => None,
        },
    };
    RuleFact { rule, origin }
}
