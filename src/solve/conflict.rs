//! Which hard rules conflict, when no assignment keeps them all.
//!
//! "Infeasible" is no help to a supervisor; a short list of the rules that cannot hold together,
//! each named by the input line that made it, is. The rules that can conflict are pins, families
//! kept together, `max_cases` and the move budget (skills and avoid lists only narrow who may
//! take a case: a case nobody may take is reported as unplaced, not as a conflict).
//!
//! A deletion filter drops rules while the rest still conflict, in halves first, so what remains
//! is a set in which every rule matters *with the rules outside it lifted*. That is weaker than
//! what a reader of the list will try: delete one named rule from the file, keep everything else,
//! and solve. So each named rule is then lifted alone from the scenario as written and the rest
//! solved: when every one of them admits an assignment, the set is the only conflict and the
//! promise "without any one of them, the others can all hold" is true of the file; when one does
//! not, other rules conflict too, and the report must say so. When the budget is named, a search
//! over budgets finds the smallest `max_moves` with which every other rule can hold.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::domain::rules::HardRule;
use crate::domain::Location;
use crate::domain::{CaseIdx, Scenario};
use crate::solve::model::{build_units, Limits, Mode, Program, Step, StepFailure};

/// What lifting one rule alone from the scenario as written, every other rule kept, gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LiftedAlone {
    /// An assignment keeps every other rule.
    #[serde(rename = "admits_assignment")]
    Fits,
    /// The other rules still conflict: the file has another conflict without this rule.
    StillConflicts,
    /// Time ran out before it was known.
    Unknown,
}

/// A rule and where it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleFact {
    /// The rule.
    pub rule: HardRule,
    /// The input line that set it: the worker's or case's entry, the first case of a family,
    /// the `max_moves` key; `None` for a built-in default or a command-line option.
    pub origin: Option<Location>,
    /// What lifting this rule alone from the scenario as written gives.
    pub lifted_alone: LiftedAlone,
}

/// The move budget that would let every other rule hold, when the budget is in a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetNeeded {
    /// The smallest budget with which the other rules admit an assignment (one fewer is proven
    /// to conflict).
    Least(u32),
    /// A budget with which the other rules admit an assignment; time ran out before smaller
    /// ones were ruled out.
    Suffices(u32),
    /// No budget is enough: the other rules conflict even with no limit on moves.
    NoneSuffices,
}

/// A set of rules that cannot all hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The rules, in the order of [`Scenario::liftable_rules`].
    pub rules: Vec<RuleFact>,
    /// True when the deletion filter finished: with the rules outside the set lifted, each rule
    /// of the set is needed for the conflict. False when time ran out: the set conflicts, but may
    /// hold rules that do not matter.
    pub each_needed: bool,
    /// When the move budget is in the set and the search settled it: the budget that would do.
    pub budget_needed: Option<BudgetNeeded>,
}

impl Conflict {
    /// True when the set is minimal against the scenario as written: lifting any one of its
    /// rules, every other rule of the scenario kept, admits an assignment. Then the set is the
    /// scenario's only conflict.
    pub fn minimal(&self) -> bool {
        self.each_needed
            && self
                .rules
                .iter()
                .all(|r| r.lifted_alone == LiftedAlone::Fits)
    }
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

/// The scenario as written with one rule lifted, as the user would get it by deleting the rule
/// from the file (its own unplaceable cases left out by the model, as in a real solve), and the
/// budget then in force.
fn without_one(scenario: &Scenario, mode: Mode, rule: &HardRule) -> (Scenario, Option<u32>) {
    let mut s = scenario.clone();
    s.lift(rule, &scenario.families);
    s.regroup_families();
    let budget = (mode == Mode::Rebalance && *rule != HardRule::MoveBudget)
        .then_some(scenario.policy.max_moves);
    (s, budget)
}

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// No assignment keeps the rules.
    Conflict,
    /// An assignment was found.
    Fits,
    /// Time ran out: the deletion filter treats it as fitting, so no rule is dropped on a
    /// guess, and the set is then not known to be minimal.
    Unknown,
}

/// Whether the rules in force, with the move budget `budget`, conflict: by construction first,
/// then by the solver within `seconds`.
fn conflicts(scenario: &Scenario, mode: Mode, budget: Option<u32>, seconds: f64) -> Check {
    let units = build_units(scenario, mode);
    let program = Program::new(scenario, &units.units, budget);
    if crate::solve::search::construct(&program).is_some() {
        return Check::Fits;
    }
    if seconds <= 0.0 {
        return Check::Unknown;
    }
    match program.solve_step(Step::Feasibility, &Limits::default(), None, seconds) {
        Err(StepFailure::Infeasible) => Check::Conflict,
        Ok(_) => Check::Fits,
        Err(_) => Check::Unknown,
    }
}

/// How long a search may take: a deadline, and a share of the time for each check.
#[derive(Debug, Clone, Copy)]
struct Clock {
    deadline: Instant,
    per_check: f64,
}

impl Clock {
    /// Seconds for the next check: its share, or what is left when that is less.
    fn seconds(&self) -> f64 {
        let left = self
            .deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        self.per_check.min(left)
    }

    fn out_of_time(&self) -> bool {
        Instant::now() > self.deadline
    }
}

/// A small set of the hard rules that conflict, or `None` when they do not (the scenario has
/// a proposal). The deletion filter stops refining after two thirds of `seconds`, returning the
/// conflicting set found so far; lifting each named rule alone, and the search for the budget
/// needed, get the rest.
pub fn find_conflict(scenario: &Scenario, mode: Mode, seconds: f64) -> Option<Conflict> {
    let start = Instant::now();
    let seconds = seconds.clamp(0.0, 1e6);
    let per_check = (seconds / 8.0).max(0.05);
    let filter = Clock {
        deadline: start + Duration::from_secs_f64(seconds * 2.0 / 3.0),
        per_check,
    };
    let file = Clock {
        deadline: start + Duration::from_secs_f64(seconds),
        per_check,
    };
    let (named, each_needed) = deletion_filter(scenario, mode, &filter)?;
    let rules: Vec<RuleFact> = named
        .into_iter()
        .map(|rule| RuleFact {
            origin: scenario.origin_of(&rule),
            lifted_alone: lifted_alone(scenario, mode, &rule, &file),
            rule,
        })
        .collect();
    let budget_needed = rules
        .iter()
        .find(|fact| fact.rule == HardRule::MoveBudget)
        .and_then(|fact| budget_needed(scenario, fact.lifted_alone, &file));
    Some(Conflict {
        rules,
        each_needed,
        budget_needed,
    })
}

/// The rules that still conflict once the deletion filter has dropped all it can, and whether
/// it finished (each rule left is then needed, with the rules outside the set lifted); `None`
/// when the rules do not conflict.
fn deletion_filter(
    scenario: &Scenario,
    mode: Mode,
    clock: &Clock,
) -> Option<(Vec<HardRule>, bool)> {
    let rules = scenario.liftable_rules(mode == Mode::Rebalance);
    let unplaceable: BTreeSet<CaseIdx> = build_units(scenario, mode)
        .unplaceable
        .iter()
        .flat_map(|u| u.cases.iter().copied())
        .collect();
    let mut kept = vec![true; rules.len()];
    let mut finished = true;
    let mut check = |kept: &[bool]| {
        let (s, budget) = relaxed(scenario, &rules, kept, &unplaceable);
        let budget = (budget && mode == Mode::Rebalance).then_some(s.policy.max_moves);
        match conflicts(&s, mode, budget, clock.per_check) {
            Check::Conflict => true,
            Check::Fits => false,
            Check::Unknown => {
                finished = false;
                false
            }
        }
    };
    if !check(&kept) {
        return None;
    }
    // Drop a whole chunk when the rest still conflict; otherwise split it, down to single
    // rules, which stay.
    let mut chunks: Vec<(usize, usize)> = vec![(0, rules.len())];
    while let Some((lo, hi)) = chunks.pop() {
        if lo >= hi {
            continue;
        }
        if clock.out_of_time() {
            finished = false;
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
    let named = rules
        .into_iter()
        .zip(kept)
        .filter(|(_, k)| *k)
        .map(|(rule, _)| rule)
        .collect();
    Some((named, finished))
}

/// What lifting `rule` alone from the scenario as written gives, every other rule kept.
fn lifted_alone(scenario: &Scenario, mode: Mode, rule: &HardRule, clock: &Clock) -> LiftedAlone {
    let (s, budget) = without_one(scenario, mode, rule);
    match conflicts(&s, mode, budget, clock.seconds()) {
        Check::Fits => LiftedAlone::Fits,
        Check::Conflict => LiftedAlone::StillConflicts,
        Check::Unknown => LiftedAlone::Unknown,
    }
}

/// The move budget with which every other rule of the scenario can hold: by bisection between
/// the budget as set (which conflicts) and one move per case (which is no limit at all, and
/// fits when lifting the budget does). `None` when lifting the budget was not settled in time.
fn budget_needed(scenario: &Scenario, lifted: LiftedAlone, clock: &Clock) -> Option<BudgetNeeded> {
    match lifted {
        LiftedAlone::Unknown => return None,
        LiftedAlone::StillConflicts => return Some(BudgetNeeded::NoneSuffices),
        LiftedAlone::Fits => {}
    }
    let mut conflicting = scenario.policy.max_moves;
    let mut fitting = u32::try_from(scenario.cases.len())
        .unwrap_or(u32::MAX)
        .max(conflicting.saturating_add(1));
    while fitting - conflicting > 1 {
        let mid = conflicting + (fitting - conflicting) / 2;
        match conflicts(scenario, Mode::Rebalance, Some(mid), clock.seconds()) {
            Check::Conflict => conflicting = mid,
            Check::Fits => fitting = mid,
            Check::Unknown => return Some(BudgetNeeded::Suffices(fitting)),
        }
    }
    Some(BudgetNeeded::Least(fitting))
}
