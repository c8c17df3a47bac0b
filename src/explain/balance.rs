//! Whether the proposal is balanced below the top, and, for each worker left more than the band
//! below a busier colleague, why: as data, with the numbers it rests on.
//!
//! A supervisor's first question of any proposal is "why does Kim carry more than Carla?". The
//! balance step answers it by construction; this module says the answer for each pair: Carla
//! may take none of Kim's cases (the rule that keeps her from each), or every case she may take
//! would leave her within the band of Kim, or the move budget is spent (and how many more moves
//! would balance the team). It judges with the balance step's own rule
//! ([`Team::why_kept`]), so the words and the solver cannot disagree.

use std::time::{Duration, Instant};

use crate::domain::rules::Barrier;
use crate::domain::{IndexVec, Scenario, StaffIdx};
use crate::solve::balance::{Kept, Team};
use crate::solve::model::{build_units, UnitIdx, Units};
use crate::solve::Proposal;

/// Longest the explanation spends finding how many more moves would balance the team.
const MOVES_TO_BALANCE_SECONDS: u64 = 2;

/// Most transfers listed when a proposal is not balanced (which happens only when time ran out).
pub const MAX_UNBALANCED: usize = 100;

/// Most busier colleagues listed for each worker: the busiest ones, which a supervisor compares
/// with first (a county of thousands would otherwise list millions of pairs).
pub const MAX_COLLEAGUES: usize = 3;

/// Why a worker is more than the band below a busier colleague, when the guarantee holds.
#[derive(Debug, Clone, PartialEq)]
pub enum GapReason {
    /// Some of the colleague's cases the worker may take, but each would leave the worker no
    /// more than the band below the colleague.
    WithinBand {
        /// The worker's utilization after taking the lightest of them.
        lightest_after: f64,
    },
    /// Moving any case the worker may take would raise the team's overload.
    RaisesOverload,
    /// The move budget is spent: a case the worker may take would cost a reassignment more.
    BudgetSpent,
    /// `assign` keeps today's holders, and the colleague's cases are all held today.
    AssignKeepsHolders,
    /// The worker may take none of the colleague's cases: each rule that keeps them out, with
    /// the number of cases it keeps out.
    Barred(Vec<(Barrier, u32)>),
}

/// A worker left more than the band below a busier colleague, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The less loaded worker.
    pub worker: StaffIdx,
    /// Their utilization after the proposal.
    pub utilization: f64,
    /// The busier colleague.
    pub colleague: StaffIdx,
    /// The colleague's utilization after the proposal.
    pub colleague_utilization: f64,
    /// Why none of the colleague's cases goes to the worker.
    pub reason: GapReason,
}

/// A case (or family) the guarantee says should go to a lighter colleague but did not, which
/// happens only when time ran out.
#[derive(Debug, Clone, PartialEq)]
pub struct Unbalanced {
    /// The case, or the family's first case.
    pub case: crate::domain::CaseIdx,
    /// Who holds it.
    pub giver: StaffIdx,
    /// Who could take it.
    pub receiver: StaffIdx,
    /// The giver's utilization.
    pub giver_utilization: f64,
    /// The receiver's utilization after taking it.
    pub receiver_after: f64,
}

/// The proposal's balance below the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    /// The band, in utilization (0.05 is five points).
    pub band: f64,
    /// Transfers the guarantee forbids leaving undone, at most [`MAX_UNBALANCED`]: empty when
    /// the proposal is balanced.
    pub unbalanced: Vec<Unbalanced>,
    /// How many units the guarantee says should go to a lighter colleague.
    pub unbalanced_units: usize,
    /// Pairs of workers more than the band apart, with why, lighter worker first: for each
    /// worker, their [`MAX_COLLEAGUES`] busiest such colleagues.
    pub gaps: Vec<Gap>,
    /// Pairs more than the band apart beyond those listed.
    pub gaps_not_listed: usize,
    /// When the move budget keeps the team from balance: how many more discretionary
    /// reassignments, from this proposal, would balance it.
    pub moves_to_balance: Option<u32>,
}

impl Balance {
    /// True when no unit could go to a colleague who would still end more than the band below.
    pub fn is_balanced(&self) -> bool {
        self.unbalanced.is_empty()
    }

    /// The balance of `proposal`; `None` without a proposal.
    pub fn of(scenario: &Scenario, proposal: &Proposal) -> Option<Self> {
        Self::by(scenario, proposal, None)
    }

    /// [`Balance::of`], without the moves that would balance the team once `deadline` has
    /// passed (and spending at most [`MOVES_TO_BALANCE_SECONDS`] on them in any case).
    pub fn by(scenario: &Scenario, proposal: &Proposal, deadline: Option<Instant>) -> Option<Self> {
        if !proposal.has_proposal() {
            return None;
        }
        let Units { units, .. } = build_units(scenario, proposal.mode);
        let workers = units
            .iter()
            .map(|unit| proposal.holder_after[unit.cases[0]]);
        let workers: Option<Vec<StaffIdx>> = workers.collect();
        let team = Team::new(
            scenario,
            &units,
            IndexVec::from_vec(workers?),
            proposal.mode,
            proposal.budget,
        );
        let unbalanced: Vec<Unbalanced> = team
            .unbalanced()
            .take(MAX_UNBALANCED)
            .map(|t| Unbalanced {
                case: units[t.unit].cases[0],
                giver: t.giver,
                receiver: t.receiver,
                giver_utilization: t.giver_utilization,
                receiver_after: t.receiver_after,
            })
            .collect();
        let unbalanced_units = if unbalanced.is_empty() {
            0
        } else {
            team.unbalanced_units()
        };
        let (gaps, gaps_not_listed) = gaps(scenario, &team);
        let moves_to_balance = gaps
            .iter()
            .any(|g| g.reason == GapReason::BudgetSpent)
            .then(|| moves_to_balance(&team, deadline))
            .flatten();
        Some(Balance {
            band: team.band(),
            unbalanced,
            unbalanced_units,
            gaps,
            gaps_not_listed,
            moves_to_balance,
        })
    }
}

/// Pairs of available workers more than the band apart, lighter worker in staff order, each
/// with their [`MAX_COLLEAGUES`] busiest such colleagues; and how many pairs are not listed.
fn gaps(scenario: &Scenario, team: &Team<'_>) -> (Vec<Gap>, usize) {
    let available: Vec<StaffIdx> = scenario
        .staff
        .indices()
        .filter(|w| scenario.staff[*w].available)
        .collect();
    let mut busiest_first = available.clone();
    busiest_first.sort_by(|a, b| {
        team.utilization(*b)
            .total_cmp(&team.utilization(*a))
            .then(a.cmp(b))
    });
    let mut gaps = Vec::new();
    let mut not_listed = 0;
    for &worker in &available {
        let utilization = team.utilization(worker);
        // Busier by more than the band: a prefix of `busiest_first`.
        let above = busiest_first
            .partition_point(|c| team.utilization(*c) > utilization + team.band() + 1e-9);
        not_listed += above.saturating_sub(MAX_COLLEAGUES);
        for &colleague in busiest_first.iter().take(above.min(MAX_COLLEAGUES)) {
            gaps.push(Gap {
                worker,
                utilization,
                colleague,
                colleague_utilization: team.utilization(colleague),
                reason: gap_reason(scenario, team, worker, colleague),
            });
        }
    }
    (gaps, not_listed)
}

/// Why none of `colleague`'s units goes to `worker`: the reason closest to a move over all of
/// them (the band, then overload, then the budget, then `assign`, then the rules).
fn gap_reason(
    scenario: &Scenario,
    team: &Team<'_>,
    worker: StaffIdx,
    colleague: StaffIdx,
) -> GapReason {
    let mut lightest_after: Option<f64> = None;
    let (mut overload, mut budget, mut kept_holders) = (false, false, false);
    let mut barriers: Vec<(Barrier, u32)> = Vec::new();
    for &u in team.units_of(colleague) {
        match team.why_kept(u, worker) {
            Some(Kept::WithinBand { receiver_after }) => {
                lightest_after =
                    Some(lightest_after.map_or(receiver_after, |l| l.min(receiver_after)));
            }
            Some(Kept::RaisesOverload) => overload = true,
            Some(Kept::BudgetSpent) => budget = true,
            Some(Kept::Fixed) if team.is_assign() => kept_holders = true,
            Some(Kept::Fixed | Kept::NotAllowed | Kept::AtMaxCases) => {
                if let Some(barrier) = unit_barrier(scenario, team, u, worker) {
                    match barriers.iter_mut().find(|(b, _)| *b == barrier) {
                        Some((_, n)) => *n += 1,
                        None => barriers.push((barrier, 1)),
                    }
                }
            }
            // Forbidden: only when time ran out; the unbalanced list names it.
            None => {}
        }
    }
    if let Some(lightest_after) = lightest_after {
        GapReason::WithinBand { lightest_after }
    } else if overload {
        GapReason::RaisesOverload
    } else if budget {
        GapReason::BudgetSpent
    } else if kept_holders {
        GapReason::AssignKeepsHolders
    } else {
        GapReason::Barred(barriers)
    }
}

/// The first rule that keeps `worker` from unit `u`: a hard rule on one of its cases, or
/// `max_cases`.
fn unit_barrier(
    scenario: &Scenario,
    team: &Team<'_>,
    u: UnitIdx,
    worker: StaffIdx,
) -> Option<Barrier> {
    let unit = team.unit(u);
    unit.cases
        .iter()
        .find_map(|c| scenario.barrier(worker, *c))
        .or_else(|| scenario.max_cases_barrier(worker, team.cases_held(worker), unit.count()))
}

/// Discretionary reassignments, beyond the proposal's, that balance the team when the budget
/// is lifted (the balance step's own transfers, from this proposal).
fn moves_to_balance(team: &Team<'_>, deadline: Option<Instant>) -> Option<u32> {
    let mut free = team.without_budget();
    let most = Instant::now() + Duration::from_secs(MOVES_TO_BALANCE_SECONDS);
    let deadline = deadline.map_or(most, |d| d.min(most));
    free.balance(deadline).then(|| {
        free.discretionary_moves()
            .saturating_sub(team.discretionary_moves())
    })
}
