//! Why a case did not go to each other worker, as data: the first reason per worker, with the
//! numbers it rests on.
//!
//! A supervisor asks "why not Carol?" before accepting a move. The answer is the first rule or
//! figure that rules Carol out, checked in a fixed order: hard rules first (leave, skills,
//! avoid, pin, family, `max_cases`), then what taking the case would do to Carol's utilization
//! against the proposal, then the cost in reassignments. Every figure is of the proposal as a
//! whole, so a test can recompute it from the scenario and the proposal.

use crate::domain::{CaseIdx, Points, Scenario, StaffIdx};
use crate::figures::Figures;
use crate::solve::Proposal;

/// The first reason a worker does not hold the case after the proposal.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// This worker holds the case after the proposal.
    Holds,
    /// On leave.
    OnLeave,
    /// Lacks skills the case needs (those missing, in the case's order).
    Lacks(Vec<String>),
    /// On the case's avoid list.
    Avoided,
    /// The case is pinned to another worker.
    PinnedElsewhere(StaffIdx),
    /// Families stay together, and this worker cannot take another case of the family.
    FamilyCannotFollow {
        /// The family.
        family: String,
        /// The family's case this worker may not hold.
        blocking_case: CaseIdx,
    },
    /// Taking the case (with its family) would put the worker over `max_cases`.
    AtMaxCases {
        /// Cases after the proposal.
        cases_after: u32,
        /// The limit.
        max_cases: u32,
    },
    /// Taking the case would lift the worker above the proposal's max utilization.
    AboveMax {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
        /// The proposal's max utilization.
        max_after: f64,
    },
    /// The case stays with its holder: moving it here would cost a reassignment with no gain
    /// in the most loaded worker.
    ExtraMove {
        /// The worker's utilization if they also took the case.
        utilization_if: f64,
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

/// The case's family cases that move with it (itself included), when families stay together.
pub fn moving_together(scenario: &Scenario, case: CaseIdx) -> Vec<CaseIdx> {
    let family = &scenario.cases[case].family;
    match family {
        Some(f) if scenario.policy.keep_families_together => scenario
            .cases
            .iter_enumerated()
            .filter(|(_, c)| c.family.as_ref() == Some(f))
            .map(|(i, _)| i)
            .collect(),
        _ => vec![case],
    }
}

/// Every worker's verdict for `case`, in staff order.
pub fn why_not(
    scenario: &Scenario,
    proposal: &Proposal,
    figures: &Figures,
    case: CaseIdx,
) -> Vec<WorkerVerdict> {
    let together = moving_together(scenario, case);
    let weight: Points = together.iter().map(|c| scenario.cases[*c].weight).sum();
    let holder_after = proposal.holder_after[case];
    let stays = holder_after.is_some() && holder_after == scenario.cases[case].assigned;
    let pinned_to = together
        .iter()
        .map(|c| &scenario.cases[*c])
        .find(|c| c.pinned)
        .and_then(|c| c.assigned);
    scenario
        .staff
        .iter_enumerated()
        .map(|(w, staff)| {
            let target = &scenario.cases[case];
            let verdict = if holder_after == Some(w) {
                Verdict::Holds
            } else if !staff.available {
                Verdict::OnLeave
            } else if !staff.has_all(&target.needs) {
                Verdict::Lacks(
                    target
                        .needs
                        .iter()
                        .filter(|n| !staff.skills.contains(n))
                        .map(|n| n.to_string())
                        .collect(),
                )
            } else if target.avoid.contains(&w) {
                Verdict::Avoided
            } else if let Some(pin) = pinned_to.filter(|p| *p != w) {
                Verdict::PinnedElsewhere(pin)
            } else if let Some(blocking) = together.iter().copied().find(|c| {
                let other = &scenario.cases[*c];
                !staff.has_all(&other.needs) || other.avoid.contains(&w)
            }) {
                Verdict::FamilyCannotFollow {
                    family: target.family.clone().unwrap_or_default(),
                    blocking_case: blocking,
                }
            } else {
                let f = &figures.workers[w];
                let count = together.len() as u32;
                let utilization_if = (f.load_after + weight) / f.capacity;
                match staff.max_cases {
                    Some(max) if f.cases_after + count > max => Verdict::AtMaxCases {
                        cases_after: f.cases_after,
                        max_cases: max,
                    },
                    _ if utilization_if > figures.max_utilization_after + 1e-9 => {
                        Verdict::AboveMax {
                            utilization_if,
                            max_after: figures.max_utilization_after,
                        }
                    }
                    _ if stays => Verdict::ExtraMove { utilization_if },
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
