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
use crate::plan::budget::{solve_budgets, BudgetPoint, BudgetSolve, BudgetSolves};
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
    /// The policy's target utilization, by which text colours the utilizations; not
    /// serialized, so the JSON keeps its fields.
    #[serde(skip)]
    pub target: f64,
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
        target,
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

/// The equity-continuity curve, budget by budget, and whether the time limit cut it short.
#[derive(Debug, Clone, PartialEq)]
pub struct Tradeoff {
    /// One point per budget shown, from 0 up (when the time limit cut the curve short, only the
    /// budgets solved in time, or settled by those).
    pub curve: Vec<BudgetPoint>,
    /// The proposal each point reports, in the same order (found under that budget or a
    /// smaller or larger one; it keeps every hard rule under the point's budget).
    pub proposals: Vec<Proposal>,
    /// True when the time limit stopped the curve before every budget up to its last was
    /// known.
    pub cut_short: bool,
    /// How far apart its budgets are (1 for every budget; the last may be nearer).
    pub step: u32,
    /// The policy's target utilization, by which the curve's utilizations are judged.
    pub target: f64,
}

/// Which budgets the curve shows: up to `max` or, without one, up to the first budget at which
/// equity (max utilization, then overload) reaches what an unlimited budget gives; and every
/// `step`-th of them (with the last always), or, without a step, every one up to `max` and, when
/// the tool chose the range, a step that keeps the curve to about [`AUTO_CURVE_BUDGETS`]
/// budgets (see [`auto_step`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CurveRange {
    /// The largest budget shown.
    pub max: Option<u32>,
    /// Budgets this far apart (1 for every budget).
    pub step: Option<u32>,
}

/// Most budgets on a curve whose range the tool chose, when no step is given: enough to see
/// where extra moves stop paying off, few enough to come back within a conversation.
pub const AUTO_CURVE_BUDGETS: u32 = 16;

/// The step that shows the budgets 0 to `last` in at most [`AUTO_CURVE_BUDGETS`] steps.
pub fn auto_step(last: u32) -> u32 {
    last.div_ceil(AUTO_CURVE_BUDGETS).max(1)
}

/// The budgets 0, `step`, 2 `step`, ... below `last`, then `last`.
fn grid(last: u32, step: u32) -> Vec<u32> {
    let mut budgets: Vec<u32> = (0..last).step_by(step.max(1) as usize).collect();
    budgets.push(last);
    budgets
}

/// The equity-continuity curve over the budgets `range` names (see [`CurveRange`]).
///
/// The curve shows what each budget buys: the least max utilization, then the least overload,
/// then the fewest reassignments that keep both. The policy's equity tolerance, which gives up
/// a little equity for fewer moves when one proposal is to be chosen, has no part in it.
///
/// Every budget's point is the best proposal found that keeps it (see
/// [`BudgetSolves::best_within`]), so a larger budget never reports a worse one, and one solve
/// can answer a range of budgets. The budgets are solved in rounds: first the ends, then the
/// middle of every gap between budgets already known while some gap is wider than
/// [`SWEPT_GAP`], then downward through every gap one budget a round (see
/// [`next_round`]), each solve building on the best proposals below and above it and on the
/// proven floors of the larger budgets (see [`BudgetSolves::head_start`]); a budget whose
/// answer those already settle is not solved (see [`BudgetSolves::settles`]). With a step and
/// no `max`, the last rounds find the first budget that reaches the unlimited equity between
/// two steps (see [`narrowing_round`]), so the curve ends where every budget's would. Every
/// round builds only on the rounds before it, so the curve is the same at any thread count.
///
/// `time_limit` is for the whole curve: the unlimited budget's solve gets a third of it, every
/// other solve what is left when it starts (see [`seconds_until`]), and no round starts once it
/// has run out; the curve then has the budgets known by then, which span the whole range
/// (the first rounds halve the gaps), with the others left out.
/// `done` is called as each solve finishes.
pub fn tradeoff(
    scenario: &Scenario,
    range: CurveRange,
    time_limit: f64,
    done: &(dyn Fn() + Sync),
) -> Tradeoff {
    let deadline = Instant::now() + Duration::from_secs_f64(time_limit.clamp(0.0, MAX_SECONDS));
    let mut scenario = scenario.clone();
    scenario.policy.equity_tolerance = 0.0;
    let scenario = &scenario;
    let mut solves = BudgetSolves::default();
    let max = range.max;
    let unlimited = match max {
        Some(_) => None,
        None => solve_unlimited(scenario, deadline, done),
    };
    if let Some(u) = &unlimited {
        solves.push(u.clone());
    }
    let mut last = match (max, &unlimited) {
        (Some(max), _) => max,
        // Rules no budget can keep: budget 0 says so.
        (None, Some(u)) if u.proposal.status() == Status::Infeasible => 0,
        (None, Some(u)) => u.point.discretionary_moves.unwrap_or(u.budget()),
        (None, None) => unlimited_budget(scenario),
    };
    let step = match (range.step, max) {
        (Some(step), _) => step.max(1),
        (None, Some(_)) => 1,
        (None, None) => auto_step(last),
    };
    let mut cut_short = false;
    loop {
        if let Some(u) = &unlimited {
            last = range_end(&solves, &grid(last, step), &u.point).unwrap_or(last);
        }
        let mut round = next_round(&solves, &grid(last, step));
        if round.is_empty() && unlimited.is_some() {
            round = narrowing_round(&solves, &grid(last, step));
        }
        if round.is_empty() {
            break;
        }
        // Larger budgets first: they leave the solver more to prove and take longest, so a
        // round ends sooner when they start first. Each solve builds only on earlier rounds,
        // so the order changes no answer.
        round.sort_unstable_by(|a, b| b.cmp(a));
        if seconds_until(deadline) <= 0.0 || stop_requested() {
            cut_short = true;
            break;
        }
        for solved in solve_budgets(scenario, &round, &solves, deadline, done) {
            match solved {
                Some(s) => solves.push(s),
                None => cut_short = true,
            }
        }
    }
    // Every budget of the grid, unless the time limit left some unknown.
    let (curve, proposals) = grid(last, step)
        .into_iter()
        .filter_map(|b| {
            let solve = solves.known(b)?;
            let point = solves.point(b)?;
            Some((point, solve.proposal.clone()))
        })
        .unzip();
    Tradeoff {
        curve,
        proposals,
        cut_short,
        // A step past the last budget shows budgets only that far apart.
        step: step.min(last).max(1),
        target: scenario.policy.target_utilization,
    }
}

/// The solve under an unlimited budget, the curve's reference, given a third of the time left.
fn solve_unlimited(
    scenario: &Scenario,
    deadline: Instant,
    done: &(dyn Fn() + Sync),
) -> Option<BudgetSolve> {
    let reference = Instant::now() + Duration::from_secs_f64(seconds_until(deadline) / 3.0);
    let budget = unlimited_budget(scenario);
    solve_budgets(
        scenario,
        &[budget],
        &BudgetSolves::default(),
        reference,
        done,
    )
    .pop()
    .flatten()
}

/// True when `point` reaches the equity of `unlimited`: max utilization, then overload. None
/// does when the unlimited budget has no proposal (time ran out first): its equity is unknown.
fn reaches(point: &BudgetPoint, unlimited: &BudgetPoint) -> bool {
    match (
        point.max_utilization,
        point.overload,
        unlimited.max_utilization,
        unlimited.overload,
    ) {
        (Some(m), Some(o), Some(best_m), Some(best_o)) => m <= best_m + 1e-9 && o <= best_o + 1e-9,
        _ => false,
    }
}

/// The first budget that reaches the equity of `unlimited` as far as the solves so far tell:
/// the first of `grid` whose point does, or, when one between it and the budget before it in
/// `grid` does, that one (the range ends at the first budget that reaches it, whatever the
/// step).
fn range_end(solves: &BudgetSolves, grid: &[u32], unlimited: &BudgetPoint) -> Option<u32> {
    let reached = |b: &u32| solves.point(*b).is_some_and(|p| reaches(&p, unlimited));
    let i = grid.iter().position(reached)?;
    let from = if i == 0 { grid[0] } else { grid[i - 1] + 1 };
    (from..=grid[i]).find(reached)
}

/// Once every budget of `grid` is known: the budgets that narrow down where the range ends,
/// when the step leaves budgets unsolved between its last (the first of `grid` that reaches
/// the unlimited equity) and the one before it. The end lies above the largest budget known
/// below it (which does not reach the equity); the round solves the thirds of that gap, or
/// nothing once the gap is a single step.
fn narrowing_round(solves: &BudgetSolves, grid: &[u32]) -> Vec<u32> {
    let [.., below, end] = *grid else {
        return Vec::new();
    };
    let Some(lo) = (below..end).rev().find(|b| solves.known(*b).is_some()) else {
        return Vec::new();
    };
    let width = end - lo;
    let mut round: Vec<u32> = (1..3)
        .map(|k| lo + width * k / 3)
        .filter(|b| *b > lo)
        .collect();
    round.dedup();
    round
}

/// The widest gap between known budgets that rounds halve; narrower gaps are swept. On a curve
/// whose budgets are further apart, every gap is halved: a neighbour a step away gives a solve
/// little more than one further off, and halving keeps both cores busy.
const SWEPT_GAP: u32 = 8;

/// The budgets of the next round among `grid` (the curve's budgets, in order): its first and
/// last first; then, while a gap between budgets already known is wider than [`SWEPT_GAP`],
/// the middle of every gap (the thirds of a gap alone, both budgets inside a gap of three steps);
/// then, in every gap left, the budget of the grid just below its upper end, so that each solve
/// starts from the proposal of the budget above and its proven floor.
fn next_round(solves: &BudgetSolves, grid: &[u32]) -> Vec<u32> {
    let (Some(&first), Some(&last)) = (grid.first(), grid.last()) else {
        return Vec::new();
    };
    let mut ends: Vec<u32> = [first, last]
        .into_iter()
        .filter(|b| solves.known(*b).is_none())
        .collect();
    if !ends.is_empty() {
        ends.dedup();
        return ends;
    }
    let known: Vec<usize> = (0..grid.len())
        .filter(|i| solves.known(grid[*i]).is_some())
        .collect();
    let gaps = || known.windows(2).filter(|pair| pair[1] - pair[0] >= 2);
    if gaps().any(|pair| grid[pair[1]] - grid[pair[0]] > SWEPT_GAP) {
        // One gap alone is cut in three, not two, and a gap of three steps gives both budgets
        // inside it at once: a round of one solve would leave a core idle.
        let single = gaps().count() == 1;
        // Each gap's cuts lie strictly inside it, so no two gaps give the same budget.
        gaps()
            .flat_map(|pair| {
                let width = pair[1] - pair[0];
                let parts = if single || width == 3 { 3 } else { 2 };
                (1..parts).map(move |k| pair[0] + width * k / parts)
            })
            .filter(|i| known.binary_search(i).is_err())
            .map(|i| grid[i])
            .collect()
    } else {
        gaps().map(|pair| grid[pair[1] - 1]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::events::SolveTrace;

    #[test]
    fn the_automatic_step_keeps_a_long_range_to_about_sixteen_budgets() {
        assert_eq!(auto_step(0), 1);
        assert_eq!(auto_step(16), 1);
        assert_eq!(auto_step(17), 2);
        assert_eq!(auto_step(65), 5);
        for last in 0..500 {
            let shown = grid(last, auto_step(last));
            assert!(
                shown.len() <= AUTO_CURVE_BUDGETS as usize + 2,
                "{last}: {shown:?}"
            );
        }
    }

    #[test]
    fn no_point_reaches_the_equity_of_an_unlimited_budget_without_a_proposal() {
        let point = |max_utilization: Option<f64>| BudgetPoint {
            max_moves: 3,
            status: if max_utilization.is_some() {
                Status::Optimal
            } else {
                Status::Unknown
            },
            max_utilization,
            overload: max_utilization.map(|_| 0.0),
            moves: max_utilization.map(|_| 3),
            discretionary_moves: max_utilization.map(|_| 3),
            unplaced: max_utilization.map(|_| 0),
            trace: SolveTrace::default(),
        };
        assert!(reaches(&point(Some(0.9)), &point(Some(0.9))));
        assert!(!reaches(&point(Some(0.95)), &point(Some(0.9))));
        // Time ran out before the unlimited budget had a proposal: its equity is unknown.
        assert!(!reaches(&point(Some(0.9)), &point(None)));
    }

    #[test]
    fn the_grid_runs_from_0_in_steps_and_always_ends_at_the_last_budget() {
        assert_eq!(grid(0, 3), vec![0]);
        assert_eq!(grid(12, 5), vec![0, 5, 10, 12]);
        assert_eq!(grid(10, 5), vec![0, 5, 10]);
        assert_eq!(grid(3, 1), vec![0, 1, 2, 3]);
    }
}
