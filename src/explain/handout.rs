//! What each worker is told about a proposal, as data: the cases they keep, hand over and take
//! on (each move with its explanation), the cases of theirs no one may hold, and where they stand
//! against the team afterwards.
//!
//! Changes to a caseload have to be explained to the case managers they affect. This gathers,
//! per worker, what their supervisor hands them; renderers only word it (text and JSON today), so
//! every form of a handout states the same facts.

use crate::domain::rules::Unholdable;
use crate::domain::{CaseIdx, IndexVec, Points, Scenario, StaffIdx};
use crate::explain::moves::MoveExplanation;
use crate::explain::Explanation;

/// Cases and their total weight.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseSet {
    /// The cases, in scenario order.
    pub cases: Vec<CaseIdx>,
    /// Their total weight.
    pub points: Points,
}

/// Moves and the total weight of their cases.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MoveSet {
    /// The moves, in scenario order of their cases.
    pub moves: Vec<MoveExplanation>,
    /// The total weight of their cases.
    pub points: Points,
}

/// A case held today that no worker may hold, so the proposal leaves it unplaced.
#[derive(Debug, Clone, PartialEq)]
pub struct UnplacedCase {
    /// The case.
    pub case: CaseIdx,
    /// Why no worker may hold it.
    pub reason: Unholdable,
}

/// How utilization is spread over the available workers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// The least loaded worker's utilization.
    pub lowest: f64,
    /// The median utilization (the mean of the middle two for an even number of workers).
    pub median: f64,
    /// The most loaded worker's utilization.
    pub highest: f64,
}

impl Spread {
    /// The spread of `utilizations`; `None` when there are none.
    pub fn of(mut utilizations: Vec<f64>) -> Option<Spread> {
        if utilizations.is_empty() {
            return None;
        }
        utilizations.sort_by(f64::total_cmp);
        let n = utilizations.len();
        let median = if n % 2 == 1 {
            utilizations[n / 2]
        } else {
            (utilizations[n / 2 - 1] + utilizations[n / 2]) / 2.0
        };
        Some(Spread {
            lowest: utilizations[0],
            median,
            highest: utilizations[n - 1],
        })
    }
}

/// The team the handouts compare each worker with: the available workers (those on leave hold
/// no case after a proposal).
#[derive(Debug, Clone, PartialEq)]
pub struct TeamStanding {
    /// How many workers are available.
    pub available_workers: usize,
    /// Their utilization today (`None` when nobody is available).
    pub before: Option<Spread>,
    /// Their utilization after the proposal (`None` also without a proposal).
    pub after: Option<Spread>,
}

/// What one worker is told. Their figures before and after are the explanation's
/// ([`Explanation::figures`]); the cases they keep, hand over and leave unplaced are the cases
/// they hold today.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerHandout {
    /// The worker.
    pub worker: StaffIdx,
    /// Cases held today that stay with them.
    pub keeps: CaseSet,
    /// Cases held today that go to a colleague.
    pub hands_over: MoveSet,
    /// Cases that come to them, from a colleague or as new intake.
    pub takes_on: MoveSet,
    /// Cases held today that no worker may hold.
    pub unplaced: Vec<UnplacedCase>,
    /// The total weight of those cases.
    pub unplaced_points: Points,
}

/// The handouts of a proposal: one per worker asked for, in staff order, and the team they
/// stand in. Without a proposal there are none.
pub struct Handouts<'e, 'a> {
    /// The proposal and everything that explains it.
    pub explanation: &'e Explanation<'a>,
    /// The team after the proposal, and today.
    pub team: TeamStanding,
    /// One per worker.
    pub workers: Vec<WorkerHandout>,
}

impl<'e, 'a> Handouts<'e, 'a> {
    /// The handouts of every worker, or only of `only`.
    pub fn of(explanation: &'e Explanation<'a>, only: Option<StaffIdx>) -> Self {
        let scenario = explanation.scenario;
        let workers = if explanation.has_proposal() {
            let index = ByWorker::of(explanation);
            scenario
                .staff
                .indices()
                .filter(|w| only.is_none_or(|o| o == *w))
                .map(|w| worker_handout(explanation, &index, w))
                .collect()
        } else {
            Vec::new()
        };
        Handouts {
            explanation,
            team: team_standing(explanation),
            workers,
        }
    }
}

fn team_standing(explanation: &Explanation<'_>) -> TeamStanding {
    let scenario = explanation.scenario;
    let available: Vec<_> = explanation
        .workers_after()
        .into_iter()
        .filter(|w| scenario.staff[w.worker].available)
        .collect();
    TeamStanding {
        available_workers: available.len(),
        before: Spread::of(available.iter().map(|w| w.utilization_before()).collect()),
        after: Spread::of(available.iter().map(|w| w.utilization_after()).collect())
            .filter(|_| explanation.has_proposal()),
    }
}

/// Each worker's cases today and moves, found in one pass over the cases and one over the
/// moves rather than one per worker (a county has thousands of workers).
struct ByWorker {
    /// Cases held today, in scenario order.
    held: IndexVec<StaffIdx, Vec<CaseIdx>>,
    /// Positions in the explanation's moves of those handed over, in move order.
    from: IndexVec<StaffIdx, Vec<usize>>,
    /// Positions in the explanation's moves of those taken on, in move order.
    to: IndexVec<StaffIdx, Vec<usize>>,
}

impl ByWorker {
    fn of(explanation: &Explanation<'_>) -> Self {
        let n = explanation.scenario.staff.len();
        let mut index = ByWorker {
            held: IndexVec::from_vec(vec![Vec::new(); n]),
            from: IndexVec::from_vec(vec![Vec::new(); n]),
            to: IndexVec::from_vec(vec![Vec::new(); n]),
        };
        for (ci, case) in explanation.scenario.cases.iter_enumerated() {
            if let Some(w) = case.assigned {
                index.held[w].push(ci);
            }
        }
        for (i, m) in explanation.moves.iter().enumerate() {
            if let Some(from) = m.from {
                index.from[from].push(i);
            }
            index.to[m.to].push(i);
        }
        index
    }
}

fn worker_handout(
    explanation: &Explanation<'_>,
    index: &ByWorker,
    worker: StaffIdx,
) -> WorkerHandout {
    let scenario = explanation.scenario;
    let holder_after = &explanation.proposal.holder_after;
    let held_today = index.held[worker].iter().copied();
    let mut keeps = CaseSet::default();
    let mut unplaced = Vec::new();
    let mut unplaced_points = 0.0;
    for ci in held_today {
        match holder_after[ci] {
            Some(w) if w == worker => {
                keeps.cases.push(ci);
                keeps.points += scenario.cases[ci].weight;
            }
            Some(_) => {} // a move, below
            None => {
                unplaced.push(UnplacedCase {
                    case: ci,
                    reason: why_unplaced(explanation, ci),
                });
                unplaced_points += scenario.cases[ci].weight;
            }
        }
    }
    WorkerHandout {
        worker,
        keeps,
        hands_over: move_set(scenario, explanation, &index.from[worker]),
        takes_on: move_set(scenario, explanation, &index.to[worker]),
        unplaced,
        unplaced_points,
    }
}

fn move_set(scenario: &Scenario, explanation: &Explanation<'_>, positions: &[usize]) -> MoveSet {
    let moves: Vec<MoveExplanation> = positions
        .iter()
        .map(|&i| explanation.moves[i].clone())
        .collect();
    let points = moves.iter().map(|m| scenario.cases[m.case].weight).sum();
    MoveSet { moves, points }
}

/// Why the proposal leaves `case` unplaced: the reason the proposal gives for it.
fn why_unplaced(explanation: &Explanation<'_>, case: CaseIdx) -> Unholdable {
    explanation
        .proposal
        .unplaced
        .iter()
        .find(|u| u.cases.contains(&case))
        .map(|u| u.reason.clone())
        .expect("a proposal places every case it does not list as unplaceable")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_team_is_the_mean_of_the_middle_two() {
        let spread = Spread::of(vec![0.9, 0.5, 0.7, 0.6]).expect("some");
        assert_eq!((spread.lowest, spread.highest), (0.5, 0.9));
        assert!((spread.median - 0.65).abs() < 1e-12);
        assert_eq!(Spread::of(vec![0.8, 0.2, 0.4]).map(|s| s.median), Some(0.4));
        assert_eq!(Spread::of(Vec::new()), None);
    }
}
