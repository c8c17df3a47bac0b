//! What the move budget costs: the same scenario solved again under other budgets.
//!
//! Equity and continuity pull against each other: every reassignment costs a client a
//! relationship, and the budget caps them. Solving again with a few more (or fewer) moves shows a
//! supervisor what the budget buys, in the proposal's own terms. The solves are independent, run
//! in parallel, and come back in the order asked, so the answer does not depend on thread count.

use std::time::Instant;

use rayon::prelude::*;

use crate::domain::Scenario;
pub use crate::explain::budget::BudgetPoint;
use crate::explain::figures::{round9, Figures};
use crate::plan::seconds_until;
use crate::solve::model::Mode;
use crate::solve::stop::time_is_up;
use crate::solve::{solve, SolveOptions};

/// Rebalances `scenario` under each budget in `budgets`, in parallel, each solve ending by
/// `deadline`; results in input order, `None` for a budget whose solve would start after the
/// deadline (even a solve given no time reads the team and builds a start, which on a large
/// team takes a second). `done` is called as each solve finishes (for a progress display).
pub fn budget_curve(
    scenario: &Scenario,
    budgets: &[u32],
    deadline: Instant,
    done: &(dyn Fn() + Sync),
) -> Vec<Option<BudgetPoint>> {
    budgets
        .par_iter()
        .map(|&max_moves| {
            if time_is_up(deadline) {
                done();
                return None;
            }
            let mut variant = scenario.clone();
            variant.policy.max_moves = max_moves;
            let proposal = solve(
                &variant,
                &SolveOptions {
                    mode: Mode::Rebalance,
                    time_limit: seconds_until(deadline),
                },
            );
            let figures = Figures::of(&variant, &proposal);
            done();
            let point = BudgetPoint::of(max_moves, &proposal, &figures);
            Some(BudgetPoint {
                max_utilization: point.max_utilization.map(round9),
                overload: point.overload.map(round9),
                ..point
            })
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
