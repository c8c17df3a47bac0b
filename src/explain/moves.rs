//! Why each case moves, as data: the facts behind a move with the numbers they rest on.
//!
//! Reports turn these facts into sentences; tests recompute every number from the scenario and
//! the proposal. A fact says only what is true of the proposal as a whole (utilization before
//! and after the whole proposal), never of an imagined order of moves.

use crate::domain::rules::Barrier;
use crate::domain::{CaseIdx, FamilyIdx, Scenario, StaffIdx};
use crate::explain::figures::Figures;
use crate::solve::Proposal;

/// Why a case leaves its holder, or why intake goes where it goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Cause {
    /// New intake: it had no holder.
    Intake,
    /// The holder can no longer hold it: the rule that keeps the holder from it.
    Required(Barrier),
    /// Its family is brought together with one worker.
    FamilyReunited {
        /// The family.
        family: FamilyIdx,
    },
    /// The holder is over the proposal's equity level and the case evens the load.
    Equity {
        /// Holder's utilization today.
        from_before: f64,
        /// Holder's utilization after the proposal.
        from_after: f64,
    },
    /// The holder's load does not fall: the holder gives the case up and takes another in its
    /// place, one that fewer workers may hold (a chain of moves).
    MakesRoom {
        /// The case the holder takes instead: of those they gain, the one fewest available
        /// workers may hold (the first in scenario order among ties).
        takes: CaseIdx,
        /// How many available workers may hold it.
        may_hold: usize,
        /// Holder's utilization today.
        from_before: f64,
        /// Holder's utilization after the proposal.
        from_after: f64,
    },
    /// The case goes to a worker it prefers (with equity unchanged).
    Preference,
}

/// A move and its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveExplanation {
    /// The case.
    pub case: CaseIdx,
    /// Holder today (`None` for intake).
    pub from: Option<StaffIdx>,
    /// Holder after.
    pub to: StaffIdx,
    /// Why it leaves (or, for intake, that it is intake).
    pub cause: Cause,
    /// Receiving worker's utilization today.
    pub to_before: f64,
    /// Receiving worker's utilization after the proposal.
    pub to_after: f64,
    /// When the case needs skills: how many available workers have them all.
    pub qualified_workers: Option<usize>,
    /// Whether the case prefers the receiving worker.
    pub preferred: bool,
    /// Whether this move is discretionary: a case held today that could have stayed (it counts
    /// against the move budget in `rebalance`).
    pub counts_against_budget: bool,
}

/// Explains every case whose holder changes, in scenario order.
pub fn explain_moves(
    scenario: &Scenario,
    proposal: &Proposal,
    figures: &Figures,
) -> Vec<MoveExplanation> {
    let required = scenario.required_moves();
    Figures::changed_cases(scenario, proposal)
        .into_iter()
        .map(|ci| {
            let split_today = scenario
                .kept_family(ci)
                .filter(|f| scenario.split_today(*f));
            explain_move(
                scenario,
                proposal,
                figures,
                ci,
                required[ci].clone(),
                split_today,
            )
        })
        .collect()
}

fn explain_move(
    scenario: &Scenario,
    proposal: &Proposal,
    figures: &Figures,
    ci: CaseIdx,
    required: Option<Barrier>,
    family_split_today: Option<FamilyIdx>,
) -> MoveExplanation {
    let case = &scenario.cases[ci];
    let to = proposal.holder_after[ci].expect("a changed case is placed");
    // Discretionary, as `metrics.discretionary_moves` counts it, in either job.
    let counts_against_budget = case.assigned.is_some() && required.is_none();
    let cause = match (case.assigned, required, family_split_today) {
        (None, _, _) => Cause::Intake,
        (Some(_), Some(reason), _) => Cause::Required(reason),
        (Some(_), None, Some(family)) => Cause::FamilyReunited { family },
        (Some(from), None, None) => {
            let f = &figures.workers[from];
            let load_falls = f.utilization_after() < f.utilization_before() - 1e-9;
            if !load_falls && case.prefer.contains(&to) {
                Cause::Preference
            } else if let Some((takes, may_hold)) = (!load_falls)
                .then(|| taken_instead(scenario, proposal, from))
                .flatten()
            {
                Cause::MakesRoom {
                    takes,
                    may_hold,
                    from_before: f.utilization_before(),
                    from_after: f.utilization_after(),
                }
            } else {
                Cause::Equity {
                    from_before: f.utilization_before(),
                    from_after: f.utilization_after(),
                }
            }
        }
    };
    let qualified_workers =
        (!case.needs.is_empty()).then(|| scenario.qualified(&case.needs).count());
    MoveExplanation {
        case: ci,
        from: case.assigned,
        to,
        to_before: figures.workers[to].utilization_before(),
        to_after: figures.workers[to].utilization_after(),
        qualified_workers,
        preferred: case.prefer.contains(&to),
        counts_against_budget,
        cause,
    }
}

/// Of the cases `worker` gains in the proposal, the one the fewest available workers may hold
/// (the first in scenario order among ties), with that number.
fn taken_instead(
    scenario: &Scenario,
    proposal: &Proposal,
    worker: StaffIdx,
) -> Option<(CaseIdx, usize)> {
    scenario
        .cases
        .iter_enumerated()
        .filter(|(ci, c)| proposal.holder_after[*ci] == Some(worker) && c.assigned != Some(worker))
        .map(|(ci, _)| {
            let may_hold = scenario
                .staff
                .indices()
                .filter(|w| scenario.staff[*w].available && scenario.may_hold(*w, ci))
                .count();
            (ci, may_hold)
        })
        .min_by_key(|(ci, n)| (*n, *ci))
}
