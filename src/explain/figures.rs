//! Before-and-after figures of a proposal: loads, case counts, utilization, overload, moves.
//!
//! Computed once from the scenario and the solver's holders, then read by explanations and
//! reports, so every renderer shows the same numbers.

use crate::domain::{overload, CaseIdx, IndexVec, Points, Scenario, StaffIdx};
use crate::solve::Proposal;

/// One worker before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerFigures {
    /// The worker.
    pub worker: StaffIdx,
    /// Capacity in points.
    pub capacity: Points,
    /// Load today.
    pub load_before: Points,
    /// Load after the proposal.
    pub load_after: Points,
    /// Cases today.
    pub cases_before: u32,
    /// Cases after.
    pub cases_after: u32,
}

impl WorkerFigures {
    /// Utilization today.
    pub fn utilization_before(&self) -> f64 {
        self.load_before / self.capacity
    }
    /// Utilization after.
    pub fn utilization_after(&self) -> f64 {
        self.load_after / self.capacity
    }
}

/// Rounds a figure for output (1e-9 precision) so that JSON carries no floating-point noise
/// and the same input gives the same bytes.
pub fn round9(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1e9).round() / 1e9 + 0.0
    } else {
        x
    }
}

/// The team before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Every worker, in staff order.
    pub workers: IndexVec<StaffIdx, WorkerFigures>,
    /// Max utilization today over all staff (those now on leave included).
    pub max_utilization_before: f64,
    /// Max utilization after.
    pub max_utilization_after: f64,
    /// Overload today: points above target x capacity, summed over workers.
    pub overload_before: Points,
    /// Overload after.
    pub overload_after: Points,
    /// Reassignments: cases with a holder today that end with another worker.
    pub moves: u32,
    /// Reassignments that were required (holder on leave, lacking a need, avoided, or unable to
    /// hold another case of the family).
    pub required_moves: u32,
    /// Intake cases placed.
    pub intake_placed: u32,
    /// Cases left unplaced.
    pub unplaced: u32,
    /// Cases whose holder after is one they prefer.
    pub preferences_honoured: u32,
    /// Cases that name a preference.
    pub preferences_stated: u32,
    /// Cases whose holder today is one they prefer.
    pub preferences_honoured_before: u32,
    /// Highest minus lowest utilization among available workers, today.
    pub spread_before: f64,
    /// The same after.
    pub spread_after: f64,
}

impl Figures {
    /// Computes the figures of a proposal.
    pub fn of(scenario: &Scenario, proposal: &Proposal) -> Self {
        let target = scenario.policy.target_utilization;
        let mut workers: Vec<WorkerFigures> = scenario
            .staff
            .iter_enumerated()
            .map(|(w, s)| WorkerFigures {
                worker: w,
                capacity: s.capacity,
                load_before: 0.0,
                load_after: 0.0,
                cases_before: 0,
                cases_after: 0,
            })
            .collect();
        let mut moves = 0;
        let mut required_moves = 0;
        let mut intake_placed = 0;
        let mut unplaced = 0;
        let mut preferences_honoured = 0;
        let mut preferences_stated = 0;
        let mut preferences_honoured_before = 0;
        let required = scenario.required_moves();
        for (ci, case) in scenario.cases.iter_enumerated() {
            if let Some(h) = case.assigned {
                workers[h.index()].load_before += case.weight;
                workers[h.index()].cases_before += 1;
            }
            let after = proposal.holder_after[ci];
            match after {
                Some(a) => {
                    workers[a.index()].load_after += case.weight;
                    workers[a.index()].cases_after += 1;
                    match case.assigned {
                        None => intake_placed += 1,
                        Some(h) if h != a => {
                            moves += 1;
                            if required[ci].is_some() {
                                required_moves += 1;
                            }
                        }
                        Some(_) => {}
                    }
                    if case.prefer.contains(&a) {
                        preferences_honoured += 1;
                    }
                }
                None => unplaced += 1,
            }
            if !case.prefer.is_empty() {
                preferences_stated += 1;
            }
            if case.assigned.is_some_and(|h| case.prefer.contains(&h)) {
                preferences_honoured_before += 1;
            }
        }
        let max_of = |f: &dyn Fn(&WorkerFigures) -> f64| workers.iter().map(f).fold(0.0, f64::max);
        let overload_of = |f: &dyn Fn(&WorkerFigures) -> f64| -> f64 {
            workers
                .iter()
                .map(|w| overload(f(w), w.capacity, target))
                .sum()
        };
        let spread_of = |f: &dyn Fn(&WorkerFigures) -> f64| -> f64 {
            let available = workers
                .iter()
                .filter(|w| scenario.staff[w.worker].available)
                .map(f);
            let (low, high) = available.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), u| {
                (l.min(u), h.max(u))
            });
            if high >= low {
                high - low
            } else {
                0.0
            }
        };
        Figures {
            spread_before: spread_of(&|w| w.utilization_before()),
            spread_after: spread_of(&|w| w.utilization_after()),
            preferences_honoured_before,
            max_utilization_before: max_of(&|w| w.utilization_before()),
            max_utilization_after: max_of(&|w| w.utilization_after()),
            overload_before: overload_of(&|w| w.load_before),
            overload_after: overload_of(&|w| w.load_after),
            workers: IndexVec::from_vec(workers),
            moves,
            required_moves,
            intake_placed,
            unplaced,
            preferences_honoured,
            preferences_stated,
        }
    }

    /// Reassignments that were not required: those the move budget counts.
    pub fn discretionary_moves(&self) -> u32 {
        self.moves - self.required_moves
    }

    /// Cases whose holder changes (reassignments and intake placements), in scenario order.
    pub fn changed_cases(scenario: &Scenario, proposal: &Proposal) -> Vec<CaseIdx> {
        scenario
            .cases
            .iter_enumerated()
            .filter(|(ci, c)| {
                proposal.holder_after[*ci].is_some() && proposal.holder_after[*ci] != c.assigned
            })
            .map(|(ci, _)| ci)
            .collect()
    }
}
