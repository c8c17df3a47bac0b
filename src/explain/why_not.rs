//! Why a case did not go to each other worker, as data: the first reason per worker, with the
//! numbers it rests on.
//!
//! A supervisor asks "why not Carol?" before accepting a move. The answer is the first rule or
//! figure that rules Carol out, checked in a fixed order: hard rules first (leave, skills,
//! avoid, pin, family, `max_cases`), then what taking the case would do to Carol's utilization
//! against the proposal, then the cost in reassignments. Every figure is of the proposal as a
//! whole, so a test can recompute it from the scenario and the proposal.

use crate::domain::rules::Barrier;
use crate::domain::{CaseIdx, Points, Scenario, StaffIdx};
use crate::explain::figures::Figures;
use crate::solve::model::Mode;
use crate::solve::Proposal;

/// The first reason a worker does not hold the case after the proposal.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// This worker holds the case after the proposal.
    Holds,
    /// A hard rule keeps this worker from holding the case (leave, skills, avoid list, a pin,
    /// the family, `max_cases`).
    Barred(Barrier),
    /// Taking the case would lift the worker above the proposal's max utilization.
    AboveMax {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// The proposal's max utilization.
        max_after: f64,
    },
    /// The case stays with its holder: moving it here would cost reassignments, and leave this
    /// worker no more than the balance band below the holder (or above the holder).
    ExtraMove {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// The holder's utilization after the proposal.
        holder_after: f64,
        /// Reassignments the move would cost (every case held today that moves with it).
        reassignments: u32,
    },
    /// `assign` keeps today's holders, and the case (or its family) stays with its holder.
    KeptByAssign {
        /// The holder kept.
        holder: StaffIdx,
    },
    /// The move would take discretionary reassignments the move budget no longer has.
    BudgetSpent {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// Discretionary reassignments the move would add.
        needs: u32,
        /// Discretionary reassignments the proposal leaves unused.
        left: u32,
    },
    /// The move would raise the team's total overload.
    RaisesOverload {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
    },
    /// This worker would end more than the balance band below the holder, and the move fits
    /// every rule: the balance step ran out of time before making it.
    Unbalanced {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// The holder's utilization after the proposal.
        holder_after: f64,
    },
    /// The case moves, and this worker would end higher than the worker chosen.
    HigherThanChosen {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// The chosen worker's utilization after the proposal.
        chosen_after: f64,
    },
    /// This worker would do as well for equity; the proposal chose another with fewer
    /// reassignments or more preferences elsewhere.
    AsGood {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
    },
    /// This worker would do as well for equity, but the case (with its family) would cost more
    /// reassignments here than with the worker chosen.
    MoreMoves {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// How many more.
        extra: u32,
    },
}

/// One worker's verdict for a case.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerVerdict {
    /// The worker.
    pub worker: StaffIdx,
    /// The first reason, or [`Verdict::Holds`].
    pub verdict: Verdict,
}

/// Every worker's verdict for `case`, in staff order.
pub fn why_not(
    scenario: &Scenario,
    proposal: &Proposal,
    figures: &Figures,
    case: CaseIdx,
) -> Vec<WorkerVerdict> {
    let moving = Moving::of(scenario, proposal, case);
    scenario
        .staff
        .indices()
        .map(|w| WorkerVerdict {
            worker: w,
            verdict: verdict(scenario, proposal, figures, &moving, w),
        })
        .collect()
}

/// A case with the cases that move with it, as the verdicts weigh them.
struct Moving {
    case: CaseIdx,
    /// The case and the cases that end with the same worker (its family), held today or not.
    together: Vec<CaseIdx>,
    weight: Points,
    /// Who holds the case after the proposal.
    holder_after: Option<StaffIdx>,
    /// True when the case stays with its holder today.
    stays: bool,
    /// In `assign`, the holder kept for the case and its family.
    kept_by_assign: Option<StaffIdx>,
    /// Per case of `together`: whether it must leave its holder today.
    required: Vec<bool>,
}

impl Moving {
    fn of(scenario: &Scenario, proposal: &Proposal, case: CaseIdx) -> Self {
        let together = scenario.moves_with(case);
        let all_required = scenario.required_moves();
        let required: Vec<bool> = together
            .iter()
            .map(|c| all_required[*c].is_some())
            .collect();
        let holder_after = proposal.holder_after[case];
        let held: Vec<StaffIdx> = together
            .iter()
            .filter_map(|c| scenario.cases[*c].assigned)
            .collect();
        // As `assign` builds its units: the one holder of every held case, none of which must
        // leave, is kept.
        let sole = held
            .first()
            .copied()
            .filter(|h| held.iter().all(|x| x == h) && !required.iter().any(|r| *r));
        Moving {
            case,
            weight: together.iter().map(|c| scenario.cases[*c].weight).sum(),
            stays: holder_after.is_some() && holder_after == scenario.cases[case].assigned,
            kept_by_assign: sole.filter(|_| proposal.mode == Mode::Assign),
            holder_after,
            required,
            together,
        }
    }

    fn count(&self) -> u32 {
        self.together.len() as u32
    }

    /// Reassignments if the cases went to `worker`: all, and those the budget counts.
    fn cost_to(&self, scenario: &Scenario, worker: Option<StaffIdx>) -> (u32, u32) {
        let mut all = 0;
        let mut discretionary = 0;
        for (c, required) in self.together.iter().zip(&self.required) {
            let today = scenario.cases[*c].assigned;
            if today.is_some() && today != worker {
                all += 1;
                discretionary += u32::from(!required);
            }
        }
        (all, discretionary)
    }
}

/// The first reason `w` does not hold the case, in the order the module names.
fn verdict(
    scenario: &Scenario,
    proposal: &Proposal,
    figures: &Figures,
    moving: &Moving,
    w: StaffIdx,
) -> Verdict {
    if moving.holder_after == Some(w) {
        return Verdict::Holds;
    }
    if let Some(barrier) = scenario.barrier(w, moving.case) {
        return Verdict::Barred(barrier);
    }
    let f = &figures.workers[w];
    if let Some(barrier) = scenario.max_cases_barrier(w, f.cases_after, moving.count()) {
        return Verdict::Barred(barrier);
    }
    let utilization_if = (f.load_after + moving.weight) / f.capacity;
    if utilization_if > figures.max_utilization_after + 1e-9 {
        return Verdict::AboveMax {
            utilization_if,
            max_after: figures.max_utilization_after,
        };
    }
    if let Some(holder) = moving.kept_by_assign {
        return Verdict::KeptByAssign { holder };
    }
    let (all_here, discretionary_here) = moving.cost_to(scenario, Some(w));
    let (all_chosen, discretionary_chosen) = moving.cost_to(scenario, moving.holder_after);
    if let Some(budget) = proposal.budget {
        let used = figures.discretionary_moves();
        let needs = discretionary_here.saturating_sub(discretionary_chosen);
        if needs > 0 && used + needs > budget {
            return Verdict::BudgetSpent {
                utilization_if,
                needs,
                left: budget.saturating_sub(used),
            };
        }
    }
    let chosen_after = moving
        .holder_after
        .map(|h| figures.workers[h].utilization_after())
        .unwrap_or(f64::INFINITY);
    if moving.stays {
        let band = scenario.policy.balance_band;
        if utilization_if >= chosen_after - band - 1e-9 {
            return Verdict::ExtraMove {
                utilization_if,
                holder_after: chosen_after,
                reassignments: all_here,
            };
        }
        return if overload_rises(scenario, figures, moving, w) {
            Verdict::RaisesOverload { utilization_if }
        } else {
            Verdict::Unbalanced {
                utilization_if,
                holder_after: chosen_after,
            }
        };
    }
    if utilization_if > chosen_after + 1e-9 {
        Verdict::HigherThanChosen {
            utilization_if,
            chosen_after,
        }
    } else if all_here > all_chosen {
        Verdict::MoreMoves {
            utilization_if,
            extra: all_here - all_chosen,
        }
    } else {
        Verdict::AsGood { utilization_if }
    }
}

/// Whether moving the cases from their holder after the proposal to `w` raises total overload.
fn overload_rises(scenario: &Scenario, figures: &Figures, moving: &Moving, w: StaffIdx) -> bool {
    let Some(h) = moving.holder_after else {
        return false;
    };
    let target = scenario.policy.target_utilization;
    let over = |load: f64, cap: f64| crate::domain::overload(load, cap, target);
    let (fh, fw) = (&figures.workers[h], &figures.workers[w]);
    let change = over(fh.load_after - moving.weight, fh.capacity)
        - over(fh.load_after, fh.capacity)
        + over(fw.load_after + moving.weight, fw.capacity)
        - over(fw.load_after, fw.capacity);
    change > 1e-9
}
