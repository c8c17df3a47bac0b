//! What the move budget costs: the same scenario solved again under other budgets.
//!
//! Equity and continuity pull against each other: every reassignment costs a client a
//! relationship, and the budget caps them. Solving again with a few more (or fewer) moves shows a
//! supervisor what the budget buys, in the proposal's own terms. The solves of one call run in
//! parallel and come back in the order asked; they build only on solves made before the call
//! ([`BudgetSolves`]), so the answer does not depend on thread count.

use std::cmp::Ordering;
use std::time::Instant;

use rayon::prelude::*;

use crate::domain::Scenario;
pub use crate::explain::budget::BudgetPoint;
use crate::explain::figures::{round9, Figures};
use crate::plan::seconds_until;
use crate::solve::model::{Mode, Step};
use crate::solve::stop::time_is_up;
use crate::solve::{solve_from, HeadStart, Proposal, SolveOptions, Status};

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
    solve_budgets(scenario, budgets, &BudgetSolves::default(), deadline, done)
        .into_iter()
        .map(|solved| solved.map(|s| s.point))
        .collect()
}

/// Rebalances `scenario` under each budget in `budgets`, in parallel, each building on what
/// `known` established (see [`BudgetSolves::head_start`]) and ending by `deadline`; results in
/// input order, `None` for a budget whose solve would start after the deadline. The head starts
/// come from `known` alone, never from a solve of the same call, so the answers do not depend
/// on the thread count.
pub fn solve_budgets(
    scenario: &Scenario,
    budgets: &[u32],
    known: &BudgetSolves,
    deadline: Instant,
    done: &(dyn Fn() + Sync),
) -> Vec<Option<BudgetSolve>> {
    budgets
        .par_iter()
        .map(|&max_moves| {
            let solved = (!time_is_up(deadline))
                .then(|| solve_budget(scenario, max_moves, &known.head_start(max_moves), deadline));
            done();
            solved
        })
        .collect()
}

/// Rebalances `scenario` under `max_moves`, from `head`, ending by `deadline`.
fn solve_budget(
    scenario: &Scenario,
    max_moves: u32,
    head: &HeadStart,
    deadline: Instant,
) -> BudgetSolve {
    let mut variant = scenario.clone();
    variant.policy.max_moves = max_moves;
    let options = SolveOptions {
        mode: Mode::Rebalance,
        time_limit: seconds_until(deadline),
    };
    let proposal = solve_from(&variant, &options, head);
    let figures = Figures::of(&variant, &proposal);
    let point = BudgetPoint::of(max_moves, &proposal, &figures);
    BudgetSolve {
        point: BudgetPoint {
            max_utilization: point.max_utilization.map(round9),
            overload: point.overload.map(round9),
            ..point
        },
        proposal,
    }
}

/// One solve under a move budget: its proposal, and the point it makes at that budget.
#[derive(Debug, Clone)]
pub struct BudgetSolve {
    /// What the solve proposed.
    pub proposal: Proposal,
    /// Its figures, at the budget it was solved under (`max_moves`).
    pub point: BudgetPoint,
}

impl BudgetSolve {
    /// The budget it was solved under.
    pub fn budget(&self) -> u32 {
        self.point.max_moves
    }

    /// The discretionary moves it spends, when it has a proposal: every budget from there up
    /// allows it.
    fn spends(&self) -> Option<u32> {
        self.point
            .discretionary_moves
            .filter(|_| self.proposal.has_proposal())
    }

    /// A step's value, when the solve proved it.
    fn proven(&self, step: Step) -> Option<f64> {
        self.proposal
            .steps
            .iter()
            .find(|r| r.step == step && r.proven)
            .map(|r| r.value)
    }
}

/// Solves of one team under several budgets, and what they tell about any budget: a proposal
/// that spends k discretionary moves keeps every budget of k or more, and the least max
/// utilization under a budget is never below that under a larger one.
#[derive(Debug, Clone, Default)]
pub struct BudgetSolves {
    solves: Vec<BudgetSolve>,
}

impl BudgetSolves {
    /// Adds a solve.
    pub fn push(&mut self, solve: BudgetSolve) {
        self.solves.push(solve);
    }

    /// The solve under `budget`, if there was one.
    pub fn at(&self, budget: u32) -> Option<&BudgetSolve> {
        self.solves.iter().find(|s| s.budget() == budget)
    }

    /// The best proposal found that keeps `budget`, whichever budget it was solved under: the
    /// least max utilization, then overload, then moves; on a tie, the solve under `budget`
    /// itself, then the one under the smallest budget.
    pub fn best_within(&self, budget: u32) -> Option<&BudgetSolve> {
        let key = |s: &BudgetSolve| (s.budget() != budget, s.budget());
        self.solves
            .iter()
            .filter(|s| s.spends().is_some_and(|k| k <= budget))
            .min_by(|a, b| {
                better(&a.point, &b.point)
                    .reverse()
                    .then_with(|| key(a).cmp(&key(b)))
            })
    }

    /// The solve whose proposal makes the point of `budget`: the best proposal that keeps it,
    /// or, when none does, the solve under it (without a proposal); `None` when neither is
    /// known.
    fn reported(&self, budget: u32) -> Option<&BudgetSolve> {
        self.best_within(budget).or_else(|| self.at(budget))
    }

    /// The point of `budget` as far as the solves so far tell (see [`Self::known`] for when it
    /// is final). Its trace is that of the solve under `budget`, if there was one, whichever
    /// proposal the point reports.
    pub fn point(&self, budget: u32) -> Option<BudgetPoint> {
        let solve = self.reported(budget)?;
        Some(BudgetPoint {
            max_moves: budget,
            status: self.status(budget, solve),
            trace: self
                .at(budget)
                .map(|s| s.point.trace.clone())
                .unwrap_or_default(),
            ..solve.point.clone()
        })
    }

    /// How good the point of `budget` is known to be when `solve` makes it. A solve's optimum
    /// is one for every smaller budget its proposal keeps (they allow less), but not for a
    /// larger one: there it is proven only when the others settle it (see [`Self::settles`]).
    fn status(&self, budget: u32, solve: &BudgetSolve) -> Status {
        let proven = solve.budget() >= budget || self.settles(budget);
        match solve.point.status {
            Status::Optimal if !proven => Status::Feasible,
            status => status,
        }
    }

    /// The solve whose proposal makes the point of `budget`, once that point is final: the
    /// budget was solved, or the others settle it (see [`Self::settles`]).
    pub fn known(&self, budget: u32) -> Option<&BudgetSolve> {
        (self.at(budget).is_some() || self.settles(budget))
            .then(|| self.reported(budget))
            .flatten()
    }

    /// True when no solve under `budget` could do better than the best proposal that keeps it,
    /// given what a solve under a budget at least as large proved (equity and overload), so
    /// there is no need to solve it. That solve's max utilization is a floor under that of any
    /// proposal keeping `budget`; a proposal at the floor can only be matched with at least its
    /// overload (the least at that utilization, with more moves allowed), and then with at
    /// least its proven fewest reassignments.
    pub fn settles(&self, budget: u32) -> bool {
        let Some(best) = self.best_within(budget) else {
            return false;
        };
        let (Some(util), Some(overload), Some(moves)) = (
            best.point.max_utilization,
            best.point.overload,
            best.point.moves,
        ) else {
            return false;
        };
        self.solves
            .iter()
            .filter(|s| s.budget() >= budget && s.proposal.has_proposal())
            .any(|s| {
                let at_floor = match (s.proven(Step::Equity), s.proven(Step::Overload)) {
                    (Some(t), Some(o)) => util <= t + 1e-9 && overload <= o + 1e-9,
                    _ => false,
                };
                at_floor && moves <= s.proposal.moves_lower_bound
            })
    }

    /// What a solve under `budget` can build on: the best proposal that keeps it and that of
    /// the nearest larger budget solved (the local search takes back what it must), and the
    /// largest proven floor under the max utilization of a solve under `budget` or more.
    pub fn head_start(&self, budget: u32) -> HeadStart {
        let below = self.best_within(budget);
        let above = self
            .solves
            .iter()
            .filter(|s| s.budget() > budget && s.spends().is_some_and(|k| k > budget))
            .min_by_key(|s| s.budget());
        HeadStart {
            proposals: below
                .into_iter()
                .chain(above)
                .map(|s| s.proposal.holder_after.clone())
                .collect(),
            max_utilization_floor: self
                .solves
                .iter()
                .filter(|s| s.budget() >= budget && s.proposal.has_proposal())
                .map(|s| s.proposal.lower_bound_max_utilization)
                .fold(0.0, f64::max),
        }
    }
}

/// How `a` compares with `b` in the solver's order (max utilization, overload, moves):
/// `Greater` when `a` is better. A point without a proposal is worse than any with one.
pub fn better(a: &BudgetPoint, b: &BudgetPoint) -> Ordering {
    let key = |p: &BudgetPoint| {
        [
            p.max_utilization.unwrap_or(f64::INFINITY),
            p.overload.unwrap_or(f64::INFINITY),
            f64::from(p.moves.unwrap_or(u32::MAX)),
        ]
    };
    for (x, y) in key(a).into_iter().zip(key(b)) {
        if x < y - 1e-9 {
            return Ordering::Greater;
        }
        if x > y + 1e-9 {
            return Ordering::Less;
        }
    }
    Ordering::Equal
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IndexVec;
    use crate::solve::events::SolveTrace;
    use crate::solve::{Outcome, StepReport};

    /// A solve under `budget` whose proposal spends `spends` moves and reaches `util`, proven
    /// or not.
    fn solved(budget: u32, spends: u32, util: f64, proven: bool) -> BudgetSolve {
        let outcome = if proven {
            Outcome::Optimal
        } else {
            Outcome::Feasible
        };
        BudgetSolve {
            point: BudgetPoint {
                max_moves: budget,
                status: outcome.status(),
                max_utilization: Some(util),
                overload: Some(0.0),
                moves: Some(spends),
                discretionary_moves: Some(spends),
                unplaced: Some(0),
                trace: SolveTrace::default(),
            },
            proposal: Proposal {
                mode: Mode::Rebalance,
                outcome,
                holder_after: IndexVec::from_vec(Vec::new()),
                unplaced: Vec::new(),
                lower_bound_max_utilization: if proven { util } else { 0.0 },
                moves_lower_bound: if proven { spends } else { 0 },
                budget: Some(budget),
                steps: [(Step::Equity, util), (Step::Overload, 0.0)]
                    .map(|(step, value)| StepReport {
                        step,
                        value,
                        proven,
                        seconds: 0.0,
                    })
                    .to_vec(),
                events: Vec::new(),
            },
        }
    }

    #[test]
    fn a_budget_answered_by_a_smaller_ones_optimum_is_not_proven_unless_something_proves_it() {
        // Budget 16 proven at 96%; the solve under 17 ran out of time at 97%, so its point
        // reports 16's proposal, which nothing proves to be 17's best.
        let mut solves = BudgetSolves::default();
        solves.push(solved(16, 16, 0.96, true));
        solves.push(solved(17, 17, 0.97, false));
        let point = solves.point(17).unwrap();
        assert_eq!(point.max_utilization, Some(0.96));
        assert_eq!(point.status, Status::Feasible);
        // A larger budget's proven floor at 96% does prove it.
        solves.push(solved(20, 16, 0.96, true));
        assert_eq!(solves.point(17).unwrap().status, Status::Optimal);
        // A larger budget's optimum that keeps a smaller one is that one's optimum too.
        let mut solves = BudgetSolves::default();
        solves.push(solved(5, 5, 1.2, false));
        solves.push(solved(8, 4, 1.1, true));
        assert_eq!(solves.point(5).unwrap().status, Status::Optimal);
    }
}
