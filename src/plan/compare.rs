//! Many scenarios at once: side-by-side summaries, and the equity-continuity trade-off curve.
//!
//! Each scenario is an independent unit of work, solved with the same pipeline as a single run;
//! rayon runs them in parallel and every result comes back in input order, so the output is the
//! same at any thread count.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::domain::Scenario;
use crate::explain::figures::{round9, Figures};
use crate::plan::budget::{budget_curve, BudgetPoint};
use crate::plan::seconds_until;
use crate::solve::model::Mode;
use crate::solve::stop::stop_requested;
use crate::solve::{solve, Proposal, SolveOptions, Status, MAX_SECONDS};

/// One scenario's proposal in the figures a comparison shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    /// The scenario's name.
    pub scenario: String,
    /// How good the proposal is known to be.
    pub status: Status,
    /// Available workers.
    pub workers: usize,
    /// Their FTE.
    pub fte: f64,
    /// Their capacity.
    pub capacity: f64,
    /// Total weight of the cases.
    pub total_weight: f64,
    /// Max utilization today.
    pub max_utilization_before: f64,
    /// Max utilization after (today's when there is no proposal).
    pub max_utilization_after: f64,
    /// Highest minus lowest utilization of available workers, today.
    pub spread_before: f64,
    /// The same after.
    pub spread_after: f64,
    /// Overload points today.
    pub overload_before: f64,
    /// Overload points after.
    pub overload_after: f64,
    /// Reassignments.
    pub moves: u32,
    /// Cases left unplaced.
    pub unplaced: u32,
    /// Available workers above target after.
    pub over_target: usize,
}

/// The figures of one proposal for a side-by-side table.
pub fn summarize(scenario: &Scenario, proposal: &Proposal) -> RunSummary {
    let f = Figures::of(scenario, proposal);
    let placed = proposal.has_proposal();
    let available = || scenario.staff.iter().filter(|s| s.available);
    let target = scenario.policy.target_utilization;
    RunSummary {
        scenario: scenario.name.clone(),
        status: proposal.status(),
        workers: available().count(),
        fte: round9(available().map(|s| s.fte).sum()),
        capacity: round9(available().map(|s| s.capacity).sum()),
        total_weight: round9(scenario.cases.iter().map(|c| c.weight).sum()),
        max_utilization_before: round9(f.max_utilization_before),
        max_utilization_after: round9(if placed {
            f.max_utilization_after
        } else {
            f.max_utilization_before
        }),
        spread_before: round9(f.spread_before),
        spread_after: round9(if placed {
            f.spread_after
        } else {
            f.spread_before
        }),
        overload_before: round9(f.overload_before),
        overload_after: round9(if placed {
            f.overload_after
        } else {
            f.overload_before
        }),
        moves: if placed { f.moves } else { 0 },
        unplaced: if placed {
            f.unplaced
        } else {
            scenario.cases.len() as u32
        },
        over_target: if placed {
            f.workers
                .iter()
                .filter(|w| scenario.staff[w.worker].available)
                .filter(|w| w.utilization_after() > target + 1e-9)
                .count()
        } else {
            0
        },
    }
}

/// Solves every scenario in `mode`, in parallel, each ending by `deadline`; proposals in input
/// order. `done` is called as each one finishes (for a progress display).
pub fn solve_all(
    scenarios: &[Scenario],
    mode: Mode,
    deadline: Instant,
    done: &(dyn Fn() + Sync),
) -> Vec<Proposal> {
    scenarios
        .par_iter()
        .map(|s| {
            let options = SolveOptions {
                mode,
                time_limit: seconds_until(deadline),
            };
            let proposal = solve(s, &options);
            done();
            proposal
        })
        .collect()
}

/// A budget of one move per case: every case may move, so a larger budget buys nothing.
pub fn unlimited_budget(scenario: &Scenario) -> u32 {
    u32::try_from(scenario.cases.len()).unwrap_or(u32::MAX)
}

/// Budgets solved per round of the trade-off curve: fixed, so the budgets tried (and the
/// answer) do not depend on the number of threads.
pub const TRADEOFF_ROUND: u32 = 8;

/// The equity-continuity curve, budget by budget, and whether the time limit cut it short.
#[derive(Debug, Clone, PartialEq)]
pub struct Tradeoff {
    /// One point per budget tried, from 0 up.
    pub curve: Vec<BudgetPoint>,
    /// True when the time limit stopped the curve before its last budget.
    pub cut_short: bool,
}

/// The equity-continuity curve: the best proposal for move budgets 0, 1, 2, ... up to `max`
/// or, without one, up to the first budget at which equity (max utilization, then overload)
/// reaches what an unlimited budget gives. A larger budget never reports a worse proposal:
/// when a solve under a larger budget ends worse (a time limit), the smaller budget's
/// proposal, which the larger budget allows too, is reported.
/// `time_limit` is for the whole curve: the unlimited budget's solve gets a third of it, every
/// other solve what is left when it starts (see [`seconds_until`]), and no round starts once it
/// has run out.
/// `done` is called as each solve finishes.
pub fn tradeoff(
    scenario: &Scenario,
    max: Option<u32>,
    time_limit: f64,
    done: &(dyn Fn() + Sync),
) -> Tradeoff {
    let deadline = Instant::now() + Duration::from_secs_f64(time_limit.clamp(0.0, MAX_SECONDS));
    let left = || {
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    };
    let unlimited = match max {
        Some(_) => None,
        None => {
            let reference = Instant::now() + Duration::from_secs_f64(left() / 3.0);
            budget_curve(scenario, &[unlimited_budget(scenario)], reference, done)
                .pop()
                .flatten()
        }
    };
    let reached = |p: &BudgetPoint| match (&unlimited, p.max_utilization, p.overload) {
        (Some(best), Some(m), Some(o)) => {
            m <= best.max_utilization.unwrap_or(f64::INFINITY) + 1e-9
                && o <= best.overload.unwrap_or(f64::INFINITY) + 1e-9
        }
        _ => false,
    };
    let last = max.unwrap_or(unlimited_budget(scenario));
    let mut curve: Vec<BudgetPoint> = Vec::new();
    let mut next = 0u32;
    while next <= last {
        if left() <= 0.0 || stop_requested() {
            return Tradeoff {
                curve,
                cut_short: true,
            };
        }
        let end = next.saturating_add(TRADEOFF_ROUND - 1).min(last);
        let budgets: Vec<u32> = (next..=end).collect();
        for point in budget_curve(scenario, &budgets, deadline, done) {
            // A budget the time limit left unsolved ends the curve.
            let Some(point) = point else {
                return Tradeoff {
                    curve,
                    cut_short: true,
                };
            };
            let point = match curve.last() {
                Some(previous) if worse(&point, previous) => BudgetPoint {
                    max_moves: point.max_moves,
                    trace: point.trace,
                    ..previous.clone()
                },
                _ => point,
            };
            let done = reached(&point);
            curve.push(point);
            if done {
                return Tradeoff {
                    curve,
                    cut_short: false,
                };
            }
        }
        if end == last {
            break;
        }
        next = end + 1;
    }
    Tradeoff {
        curve,
        cut_short: false,
    }
}

/// True when `a` is worse than `b` in the solver's order: max utilization, overload, moves.
fn worse(a: &BudgetPoint, b: &BudgetPoint) -> bool {
    let key = |p: &BudgetPoint| {
        (
            p.max_utilization.unwrap_or(f64::INFINITY),
            p.overload.unwrap_or(f64::INFINITY),
            f64::from(p.moves.unwrap_or(u32::MAX)),
        )
    };
    let (a, b) = (key(a), key(b));
    a.0 > b.0 + 1e-9 || ((a.0 - b.0).abs() <= 1e-9 && a.1 > b.1 + 1e-9)
}
