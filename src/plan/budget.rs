//! What the move budget costs: the same scenario solved again under other budgets.
//!
//! Equity and continuity pull against each other: every reassignment costs a client a
//! relationship, and the budget caps them. Solving again with a few more (or fewer) moves shows a
//! supervisor what the budget buys, in the proposal's own terms. The solves are independent, run
//! in parallel, and come back in the order asked, so the answer does not depend on thread count.

use rayon::prelude::*;
use serde::Serialize;

use crate::domain::Scenario;
use crate::explain::figures::{round9, Figures};
use crate::solve::model::Mode;
use crate::solve::{solve, SolveOptions, Status};

/// The best proposal under one move budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetPoint {
    /// The budget: discretionary reassignments allowed.
    pub max_moves: u32,
    /// How good the answer is known to be.
    pub status: Status,
    /// Max utilization after (`None` without a proposal).
    pub max_utilization: Option<f64>,
    /// Overload points after.
    pub overload: Option<f64>,
    /// Reassignments proposed.
    pub moves: Option<u32>,
    /// Discretionary reassignments proposed (those the budget counts).
    pub discretionary_moves: Option<u32>,
}

/// Rebalances `scenario` under each budget in `budgets`, in parallel; results in input order.
/// `done` is called as each solve finishes (for a progress display).
pub fn budget_curve(
    scenario: &Scenario,
    budgets: &[u32],
    time_limit: f64,
    done: &(dyn Fn() + Sync),
) -> Vec<BudgetPoint> {
    budgets
        .par_iter()
        .map(|&max_moves| {
            let mut variant = scenario.clone();
            variant.policy.max_moves = max_moves;
            let proposal = solve(
                &variant,
                &SolveOptions {
                    mode: Mode::Rebalance,
                    time_limit,
                },
            );
            let placed = proposal.has_proposal();
            let figures = Figures::of(&variant, &proposal);
            done();
            BudgetPoint {
                max_moves,
                status: proposal.status(),
                max_utilization: placed.then_some(round9(figures.max_utilization_after)),
                overload: placed.then_some(round9(figures.overload_after)),
                moves: placed.then_some(figures.moves),
                discretionary_moves: placed.then_some(figures.moves - figures.required_moves),
            }
        })
        .collect()
}

/// The budgets `--budget-curve` tries around `budget`: a few fewer, then more.
pub fn budgets_around(budget: u32) -> Vec<u32> {
    let mut budgets: Vec<u32> = [budget.saturating_sub(5)]
        .into_iter()
        .chain([5, 10, 20].map(|extra| budget.saturating_add(extra)))
        .filter(|b| *b != budget)
        .collect();
    budgets.dedup();
    budgets
}
