//! The measures of an answer, one per objective step: the most loaded worker's utilization,
//! overload above target, reassignments and preferences honoured. Every step, guard and bound
//! of the solve reads them from here.

use crate::domain;
use crate::solve::model::{Choice, Limits, Program};

/// Max utilization over available workers under a choice (0 when nobody holds anything).
pub fn max_utilization(program: &Program<'_>, choice: &Choice) -> f64 {
    let loads = program.loads(choice);
    program
        .scenario
        .staff
        .iter_enumerated()
        .filter(|(_, s)| s.available)
        .map(|(w, s)| s.utilization(loads[w]))
        .fold(0.0, f64::max)
}

/// Overload points under a choice: load above target x capacity, summed over workers.
pub fn overload(program: &Program<'_>, choice: &Choice) -> f64 {
    let loads = program.loads(choice);
    let target = program.scenario.policy.target_utilization;
    program
        .scenario
        .staff
        .iter_enumerated()
        .map(|(w, s)| domain::overload(loads[w], s.capacity, target))
        .sum()
}

/// Reassignments (required ones included) under a choice.
pub fn reassignments(program: &Program<'_>, choice: &Choice) -> u32 {
    program
        .units
        .iter_enumerated()
        .map(|(u, unit)| unit.moves_to(program.worker(u, choice)).all)
        .sum()
}

/// `prefer` wishes honoured under a choice.
pub fn preferences(program: &Program<'_>, choice: &Choice) -> u32 {
    program
        .units
        .iter_enumerated()
        .map(|(u, unit)| unit.preference_for(program.worker(u, choice)))
        .sum()
}

/// Guards against a solver answer that drifted past a carried limit by more than noise.
pub fn respects(program: &Program<'_>, choice: &Choice, limits: &Limits) -> bool {
    let ok_util = limits
        .max_utilization
        .is_none_or(|t| max_utilization(program, choice) <= t + 1e-6);
    let ok_overload = limits
        .overload
        .is_none_or(|o| overload(program, choice) <= o + 1e-6);
    ok_util && ok_overload
}
