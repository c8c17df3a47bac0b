//! A proposal as a point of the budget curve: what it achieves and how many moves it spends.
//!
//! The proposal's own explanation and the solves under other budgets (`plan::budget`) sum up
//! their answers the same way, so a report can set them side by side.

use serde::Serialize;

use crate::explain::figures::Figures;
use crate::solve::events::SolveTrace;
use crate::solve::{Proposal, Status};

/// The best proposal under one move budget.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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
    /// Cases no worker may hold, left unplaced (`None` without a proposal).
    pub unplaced: Option<usize>,
    /// What the solve under this budget did, for `--verbose` (not in JSON: it has times).
    #[serde(skip)]
    pub trace: SolveTrace,
}

impl BudgetPoint {
    /// True when the budget has a proposal that places every case: what exit code 0 means.
    pub fn is_complete(&self) -> bool {
        self.unplaced == Some(0)
    }

    /// The point `proposal` makes under the budget `max_moves`; its figures are `None` when
    /// there is no proposal.
    pub fn of(max_moves: u32, proposal: &Proposal, figures: &Figures) -> Self {
        let placed = proposal.has_proposal();
        BudgetPoint {
            max_moves,
            status: proposal.status(),
            max_utilization: placed.then_some(figures.max_utilization_after),
            overload: placed.then_some(figures.overload_after),
            moves: placed.then_some(figures.moves),
            discretionary_moves: placed.then_some(figures.discretionary_moves()),
            unplaced: placed.then(|| proposal.unplaced.iter().map(|u| u.cases.len()).sum()),
            trace: SolveTrace::of(proposal),
        }
    }
}
