//! Everything a proposal report shows, gathered once: the figures, why each case moves, what
//! binds, other budgets' results, and the few facts drawn from them (the headline metrics, each
//! objective before and after). Text and JSON renderers read one `Explanation`, so they cannot
//! disagree on a number.

use std::time::Instant;

use crate::domain::{CaseIdx, Points, Scenario};
use crate::explain::balance::Balance;
use crate::explain::binding::{what_binds_by, Binding, OneMore};
use crate::explain::budget::BudgetPoint;
use crate::explain::figures::{Figures, WorkerFigures};
use crate::explain::moves::{explain_moves, MoveExplanation};
use crate::solve::model::{Mode, Step};
use crate::solve::Proposal;

/// Seconds to keep, out of a run's time limit, for explaining and writing a proposal of
/// `scenario`: a generous estimate from its size (about 1.5 s for 200,000 cases on a 2-core
/// machine), never more than [`MAX_EXPLAIN_SHARE`] of the limit.
pub fn seconds_to_explain(scenario: &Scenario, time_limit: f64) -> f64 {
    let estimate = 0.2 + 8e-6 * scenario.cases.len() as f64 + 5e-5 * scenario.staff.len() as f64;
    estimate.min(time_limit * MAX_EXPLAIN_SHARE)
}

/// Most of a time limit kept for the explanation; the solve gets the rest.
pub const MAX_EXPLAIN_SHARE: f64 = 0.3;

/// A proposal with everything that explains it.
pub struct Explanation<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The solver's answer.
    pub proposal: &'a Proposal,
    /// Its figures.
    pub figures: Figures,
    /// Its moves, explained.
    pub moves: Vec<MoveExplanation>,
    /// What holds the team back.
    pub binding: Binding,
    /// Balance below the top (`None` without a proposal).
    pub balance: Option<Balance>,
    /// Other budgets' best proposals, when asked for (`--budget-curve`); empty otherwise.
    pub budget_curve: Vec<BudgetPoint>,
}

/// The headline figures of a proposal; without a proposal, the team as it stands today.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Max utilization today.
    pub max_utilization_before: f64,
    /// Max utilization after (today's without a proposal).
    pub max_utilization_after: f64,
    /// The proven lower bound on max utilization (0 without a proposal).
    pub lower_bound_max_utilization: f64,
    /// How far max utilization after is above that bound (0 without a proposal).
    pub gap: f64,
    /// Overload points today.
    pub overload_before: f64,
    /// Overload points after (today's without a proposal).
    pub overload_after: f64,
    /// Reassignments.
    pub moves: u32,
    /// Reassignments that were required.
    pub required_moves: u32,
    /// Reassignments the move budget counts.
    pub discretionary_moves: u32,
    /// Proven lower bound on `moves` at this equity: equal to it when the moves step is proven.
    pub moves_lower_bound: u32,
    /// Intake cases placed.
    pub intake_placed: u32,
    /// Cases no worker may hold.
    pub unassigned: u32,
    /// Cases whose holder after is one they prefer.
    pub preferences_honoured: u32,
    /// Cases that name a preference.
    pub preferences_stated: u32,
}

/// What an objective step measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Max utilization over the team.
    MaxUtilization,
    /// Highest minus lowest utilization among available workers.
    Spread,
    /// Points above target, summed over workers.
    OverloadPoints,
    /// Cases that change holder.
    Reassignments,
    /// Cases held by a worker they prefer.
    PreferencesHonoured,
}

/// One objective measure, before and after the proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    /// The step that optimizes it.
    pub step: Step,
    /// What is measured.
    pub measure: Measure,
    /// Today.
    pub before: f64,
    /// After the proposal.
    pub after: f64,
    /// Whether the step was proven optimal; `None` for a measure reported but not optimized.
    pub proven: Option<bool>,
}

/// The cases that end with one worker together with a case: its family when families stay
/// together, else the case alone.
#[derive(Debug, Clone, PartialEq)]
pub struct MovesTogether {
    /// The cases, itself included, in scenario order.
    pub cases: Vec<CaseIdx>,
    /// Their total weight.
    pub weight: Points,
}

impl<'a> Explanation<'a> {
    /// Gathers the figures of `proposal`, the reasons for its moves and what binds.
    pub fn of(scenario: &'a Scenario, proposal: &'a Proposal) -> Self {
        Self::by(scenario, proposal, None)
    }

    /// [`Explanation::of`], leaving out what only adds to it (what one more worker would do,
    /// how many more moves would balance the team) once `deadline` has passed: how a run with
    /// a time limit keeps to it.
    pub fn by(scenario: &'a Scenario, proposal: &'a Proposal, deadline: Option<Instant>) -> Self {
        let figures = Figures::of(scenario, proposal);
        let moves = explain_moves(scenario, proposal, &figures);
        Explanation {
            scenario,
            proposal,
            figures,
            moves,
            // Over every assignment the rules allow, so "no assignment" is true whatever the job.
            binding: what_binds_by(scenario, Mode::Rebalance, deadline),
            balance: Balance::by(scenario, proposal, deadline),
            budget_curve: Vec::new(),
        }
    }

    /// The same explanation with other budgets' results to compare.
    pub fn with_budget_curve(mut self, curve: Vec<BudgetPoint>) -> Self {
        self.budget_curve = curve;
        self
    }

    /// True when there is a proposal (optimal or feasible).
    pub fn has_proposal(&self) -> bool {
        self.proposal.has_proposal()
    }

    /// The proposal itself as a point of the budget curve, when it has a budget.
    pub fn budget_point(&self) -> Option<BudgetPoint> {
        if !self.has_proposal() {
            return None;
        }
        Some(BudgetPoint::of(
            self.proposal.budget?,
            self.proposal,
            &self.figures,
        ))
    }

    /// What one more worker would do to the densest group: only in a rebalance with a
    /// proposal, where any case may move to them (without a proposal, what holds the team back
    /// is the rules, not the bound).
    pub fn one_more_worker(&self) -> Option<&OneMore> {
        self.binding
            .one_more
            .as_ref()
            .filter(|_| self.proposal.mode == Mode::Rebalance && self.has_proposal())
    }

    /// The move budget, when the proposal spends all of it.
    pub fn budget_used_up(&self) -> Option<u32> {
        self.proposal
            .budget
            .filter(|budget| self.figures.discretionary_moves() >= *budget)
    }

    /// Each worker after the proposal, in staff order; without a proposal, as today.
    pub fn workers_after(&self) -> Vec<WorkerFigures> {
        let workers = self.figures.workers.iter();
        if self.has_proposal() {
            return workers.cloned().collect();
        }
        workers
            .map(|w| WorkerFigures {
                load_after: w.load_before,
                cases_after: w.cases_before,
                ..w.clone()
            })
            .collect()
    }

    /// The cases that move as one with `case`, and their weight.
    pub fn moves_together(&self, case: CaseIdx) -> MovesTogether {
        let cases = self.scenario.moves_with(case);
        let weight = cases.iter().map(|c| self.scenario.cases[*c].weight).sum();
        MovesTogether { cases, weight }
    }

    /// The headline figures.
    pub fn metrics(&self) -> Metrics {
        let f = &self.figures;
        let p = self.proposal;
        let placed = self.has_proposal();
        Metrics {
            max_utilization_before: f.max_utilization_before,
            max_utilization_after: if placed {
                f.max_utilization_after
            } else {
                f.max_utilization_before
            },
            lower_bound_max_utilization: if placed {
                p.lower_bound_max_utilization
            } else {
                0.0
            },
            gap: if placed {
                (f.max_utilization_after - p.lower_bound_max_utilization).max(0.0)
            } else {
                0.0
            },
            overload_before: f.overload_before,
            overload_after: if placed {
                f.overload_after
            } else {
                f.overload_before
            },
            moves: f.moves,
            required_moves: f.required_moves,
            discretionary_moves: f.discretionary_moves(),
            moves_lower_bound: p.moves_lower_bound.min(f.moves),
            intake_placed: f.intake_placed,
            unassigned: p.unplaced.iter().map(|u| u.cases.len() as u32).sum(),
            preferences_honoured: f.preferences_honoured,
            preferences_stated: f.preferences_stated,
        }
    }

    /// Each objective step's measure before and after, in the order the steps run; none
    /// without a proposal.
    pub fn objectives(&self) -> Vec<Objective> {
        if !self.has_proposal() {
            return Vec::new();
        }
        let f = &self.figures;
        let proven = |step: Step| {
            self.proposal
                .steps
                .iter()
                .find(|s| s.step == step)
                .map(|s| s.proven)
        };
        let objective = |step, measure, before, after| Objective {
            step,
            measure,
            before,
            after,
            proven: proven(step),
        };
        vec![
            objective(
                Step::Equity,
                Measure::MaxUtilization,
                f.max_utilization_before,
                f.max_utilization_after,
            ),
            // Spread is reported, not optimized: it has no proof to state.
            Objective {
                proven: None,
                ..objective(
                    Step::Equity,
                    Measure::Spread,
                    f.spread_before,
                    f.spread_after,
                )
            },
            objective(
                Step::Overload,
                Measure::OverloadPoints,
                f.overload_before,
                f.overload_after,
            ),
            objective(Step::Moves, Measure::Reassignments, 0.0, f64::from(f.moves)),
            objective(
                Step::Preferences,
                Measure::PreferencesHonoured,
                f64::from(f.preferences_honoured_before),
                f64::from(f.preferences_honoured),
            ),
        ]
    }
}
