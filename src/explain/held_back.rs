//! Why a proposal stops where it does: why overload remains after it, and why its max
//! utilization is above the densest group's level. Both name the first limit that applies, read
//! from the proposal, its figures, what binds and the policy.

use crate::domain::{Points, StaffIdx};
use crate::explain::binding::unavoidable_overload;
use crate::explain::Explanation;
use crate::solve::model::Mode;

/// Why overload remains after the proposal.
#[derive(Debug, Clone, PartialEq)]
pub enum OverloadCause {
    /// No assignment avoids any of it (the shortfalls of what binds).
    Unavoidable,
    /// Some of it, or none, no assignment avoids; the rest stays for `rest`.
    Partly {
        /// Overload points no assignment avoids, when there are any.
        unavoidable: Option<Points>,
        /// What keeps the proposal from removing the rest.
        rest: OverloadHeldBy,
    },
}

/// What keeps a proposal from removing avoidable overload.
#[derive(Debug, Clone, PartialEq)]
pub enum OverloadHeldBy {
    /// `assign` keeps existing holders.
    AssignKeepsHolders,
    /// The move budget is all used.
    BudgetUsedUp {
        /// The budget.
        budget: u32,
    },
    /// Skills, pins, families and max_cases leave no better assignment.
    Rules,
}

/// The proposal's max utilization above the densest group's level, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct EquityGap {
    /// The proposal's max utilization.
    pub reached: f64,
    /// The densest group's level: no assignment keeps all of its workers below it.
    pub level: f64,
    /// Available workers whose max_cases the proposal reaches: a limit that may be what holds it.
    pub at_max_cases: Vec<StaffIdx>,
    /// The first reason that applies.
    pub held_by: GapHeldBy,
}

/// What keeps a proposal above the densest group's level.
#[derive(Debug, Clone, PartialEq)]
pub enum GapHeldBy {
    /// `assign` keeps existing holders.
    AssignKeepsHolders,
    /// The move budget is all used.
    BudgetUsedUp {
        /// The budget.
        budget: u32,
    },
    /// The proposal is at the proven bound: cases move whole, and with the other rules no
    /// assignment does better.
    WholeCases {
        /// The proven lower bound on max utilization.
        bound: f64,
    },
    /// The proposal is within the policy's equity tolerance of the proven bound, traded for
    /// fewer reassignments.
    Tolerance {
        /// The proven lower bound on max utilization.
        bound: f64,
        /// The policy's equity tolerance.
        tolerance: f64,
    },
    /// The time limit stopped the search above the proven bound.
    TimeLimit {
        /// The proven lower bound on max utilization.
        bound: f64,
    },
}

impl Explanation<'_> {
    /// Why overload remains after the proposal, when some does: first what no assignment
    /// avoids, then the first other reason that applies.
    pub fn overload_cause(&self) -> Option<OverloadCause> {
        if self.figures.overload_after <= 1e-9 {
            return None;
        }
        let unavoidable = unavoidable_overload(&self.binding.overload);
        if unavoidable >= self.figures.overload_after - 1e-6 {
            return Some(OverloadCause::Unavoidable);
        }
        let rest = if self.proposal.mode == Mode::Assign {
            OverloadHeldBy::AssignKeepsHolders
        } else if let Some(budget) = self.budget_used_up() {
            OverloadHeldBy::BudgetUsedUp { budget }
        } else {
            OverloadHeldBy::Rules
        };
        Some(OverloadCause::Partly {
            unavoidable: (unavoidable > 1e-6).then_some(unavoidable),
            rest,
        })
    }

    /// Why the proposal's max utilization is above the densest group's level, when there is a
    /// proposal and it is.
    pub fn equity_gap(&self) -> Option<EquityGap> {
        let level = self.binding.equity.as_ref()?.level();
        let f = &self.figures;
        let p = self.proposal;
        if !self.has_proposal() || f.max_utilization_after <= level {
            return None;
        }
        let at_max_cases = f
            .workers
            .iter()
            .filter(|w| self.scenario.at_max_cases(w.worker, w.cases_after))
            .map(|w| w.worker)
            .collect();
        let bound = p.lower_bound_max_utilization;
        let tolerance = self.scenario.policy.equity_tolerance;
        let held_by = if p.mode == Mode::Assign {
            GapHeldBy::AssignKeepsHolders
        } else if let Some(budget) = self.budget_used_up() {
            GapHeldBy::BudgetUsedUp { budget }
        } else if bound >= f.max_utilization_after - 1e-6 {
            GapHeldBy::WholeCases { bound }
        } else if f.max_utilization_after <= bound + tolerance + 1e-9 {
            GapHeldBy::Tolerance { bound, tolerance }
        } else {
            GapHeldBy::TimeLimit { bound }
        };
        Some(EquityGap {
            reached: f.max_utilization_after,
            level,
            at_max_cases,
            held_by,
        })
    }
}
