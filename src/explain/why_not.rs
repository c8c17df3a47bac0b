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
    /// The case stays with its holder: moving it here would cost reassignments and leave
    /// this worker no more than the balance band below the holder.
    ExtraMove {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// The holder's utilization after the proposal.
        holder_after: f64,
        /// Reassignments the move would cost (the whole family moves).
        reassignments: u32,
    },
    /// The case stays with its holder in `assign`, which keeps today's holders.
    KeptByAssign,
    /// The case stays with its holder: this worker would end more than the balance band below
    /// the holder, but the move budget has no reassignment left for it.
    BudgetSpent {
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
    /// This worker would do as well; the proposal chose another with fewer reassignments or
    /// more preferences elsewhere, at no cost in equity.
    AsGood {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
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
    let together = scenario.moves_with(case);
    let weight: Points = together.iter().map(|c| scenario.cases[*c].weight).sum();
    let count = together.len() as u32;
    let holder_after = proposal.holder_after[case];
    let stays = holder_after.is_some() && holder_after == scenario.cases[case].assigned;
    let required = scenario.required_moves();
    let discretionary = together
        .iter()
        .filter(|c| scenario.cases[**c].assigned.is_some() && required[**c].is_none())
        .count() as u32;
    scenario
        .staff
        .indices()
        .map(|w| {
            let verdict = if holder_after == Some(w) {
                Verdict::Holds
            } else if let Some(barrier) = scenario.barrier(w, case) {
                Verdict::Barred(barrier)
            } else {
                let f = &figures.workers[w];
                let utilization_if = (f.load_after + weight) / f.capacity;
                match scenario.max_cases_barrier(w, f.cases_after, count) {
                    Some(barrier) => Verdict::Barred(barrier),
                    _ if utilization_if > figures.max_utilization_after + 1e-9 => {
                        Verdict::AboveMax {
                            utilization_if,
                            max_after: figures.max_utilization_after,
                        }
                    }
                    _ if stays && proposal.mode == Mode::Assign => Verdict::KeptByAssign,
                    _ if stays => {
                        let holder_after = holder_after
                            .map(|h| figures.workers[h].utilization_after())
                            .unwrap_or(f64::INFINITY);
                        let band = scenario.policy.balance_band;
                        let budget_short = proposal
                            .budget
                            .is_some_and(|b| figures.discretionary_moves() + discretionary > b);
                        if utilization_if < holder_after - band && budget_short {
                            Verdict::BudgetSpent {
                                utilization_if,
                                holder_after,
                            }
                        } else {
                            Verdict::ExtraMove {
                                utilization_if,
                                holder_after,
                                reassignments: count,
                            }
                        }
                    }
                    _ => {
                        let chosen_after = holder_after
                            .map(|h| figures.workers[h].utilization_after())
                            .unwrap_or(f64::INFINITY);
                        if utilization_if > chosen_after + 1e-9 {
                            Verdict::HigherThanChosen {
                                utilization_if,
                                chosen_after,
                            }
                        } else {
                            Verdict::AsGood { utilization_if }
                        }
                    }
                }
            };
            WorkerVerdict { worker: w, verdict }
        })
        .collect()
}
