//! The measures of an answer, one per objective step: the most loaded worker's utilization,
//! overload above target, reassignments and preferences honoured. Every step, guard and bound
//! of the solve reads them from here.

use crate::domain;
use crate::solve::model::{Choice, Limits, Program};

/// An answer's measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Max utilization over available workers (0 when nobody holds anything).
    pub max_utilization: f64,
    /// Points above target x capacity, summed over workers.
    pub overload: f64,
    /// Reassignments, required ones included.
    pub moves: u32,
    /// `prefer` wishes honoured.
    pub preferences: u32,
}

impl Score {
    /// The measures of `choice`.
    pub fn of(program: &Program<'_>, choice: &Choice) -> Self {
        Score {
            max_utilization: max_utilization(program, choice),
            overload: overload(program, choice),
            moves: reassignments(program, choice),
            preferences: preferences(program, choice),
        }
    }
}

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
