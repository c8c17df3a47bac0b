//! Balance below the top: no unit left with a worker when a colleague who may take it would still
//! end more than the policy's `balance_band` below that worker.
//!
//! The equity step makes the busiest worker as light as the rules allow; below the top, many
//! assignments reach the same maximum and overload, and a supervisor rightly asks why one worker
//! at 97% got the referral while another sits at 64%. This step answers by construction: it
//! hands units from busier to lighter colleagues while such a transfer exists, within every hard
//! rule, the move budget and the overload already reached. Each transfer lowers the giver and
//! leaves the receiver below where the giver was, so the utilizations sorted from the top fall
//! lexicographically and the search ends, with the guarantee holding. A second pass then brings
//! units home wherever that keeps the guarantee and the earlier steps' limits: fewest
//! reassignments within balance.

use std::time::Instant;

use crate::domain::{overload, IndexVec, Scenario, StaffIdx};
use crate::solve::model::{Choice, Mode, Unit, UnitIdx};
use crate::solve::stop::time_is_up;

/// Rounding slack for sums of weights: a transfer that raises total overload by no more than
/// this does not raise it.
const SLACK: f64 = 1e-9;

/// A unit a worker could hand to a colleague who would still end more than the band below them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// The unit.
    pub unit: UnitIdx,
    /// Who holds it.
    pub giver: StaffIdx,
    /// The colleague who may take it.
    pub receiver: StaffIdx,
    /// The giver's utilization now.
    pub giver_utilization: f64,
    /// The receiver's utilization after taking it.
    pub receiver_after: f64,
    /// Discretionary reassignments it adds (negative when it brings a case home).
    pub budget_delta: i64,
}

/// Why the guarantee lets a unit stay with its holder rather than go to one colleague.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kept {
    /// The job keeps it where it is: `assign` keeps holders, or no other worker may take it.
    Fixed,
    /// A hard rule keeps the colleague from it (leave, skills, avoid list, pin, family).
    NotAllowed,
    /// The colleague has no room under `max_cases`.
    AtMaxCases,
    /// Moving it would take a reassignment the budget no longer has.
    BudgetSpent,
    /// Moving it would raise total overload.
    RaisesOverload,
    /// The colleague would end no more than the band below the holder.
    WithinBand {
        /// The colleague's utilization after taking it.
        receiver_after: f64,
    },
}

/// Limits the earlier steps set, which bringing units home must keep.
#[derive(Debug, Clone)]
pub struct HomeLimits {
    /// Most load each worker may carry (the equity step's ceiling, with the tolerance).
    pub load_ceiling: IndexVec<StaffIdx, f64>,
    /// Most total overload.
    pub overload: f64,
}

/// A team's units and who holds them, with the loads, counts and budget that decide which
/// transfers the guarantee forbids.
#[derive(Debug, Clone)]
pub struct Team<'a> {
    scenario: &'a Scenario,
    units: &'a IndexVec<UnitIdx, Unit>,
    band: f64,
    mode: Mode,
    /// Units a transfer may move: those with a choice of worker, and in `assign` only those
    /// no worker keeps (intake, and cases that must leave their holder).
    movable: IndexVec<UnitIdx, bool>,
    worker: IndexVec<UnitIdx, StaffIdx>,
    load: IndexVec<StaffIdx, f64>,
    count: IndexVec<StaffIdx, u32>,
    by_worker: IndexVec<StaffIdx, Vec<UnitIdx>>,
    /// Discretionary reassignments still allowed (`i64::MAX` without a budget).
    budget_left: i64,
    /// Cases in the largest unit: a budget of at least this many moves never stops a transfer.
    largest_unit: i64,
}

impl<'a> Team<'a> {
    /// The team with each unit at `worker[u]`, for the job `mode`, with the policy's band and
    /// the move budget in force (`None`: no budget, as in `assign`).
    pub fn new(
        scenario: &'a Scenario,
        units: &'a IndexVec<UnitIdx, Unit>,
        worker: IndexVec<UnitIdx, StaffIdx>,
        mode: Mode,
        budget: Option<u32>,
    ) -> Self {
        let n = scenario.staff.len();
        let movable = units.iter().map(|unit| {
            unit.allowed.len() > 1
                && (mode == Mode::Rebalance || unit.holders.iter().all(|h| h.must_leave))
        });
        let mut team = Team {
            scenario,
            units,
            band: scenario.policy.balance_band,
            mode,
            movable: IndexVec::from_vec(movable.collect()),
            load: IndexVec::from_vec(vec![0.0; n]),
            count: IndexVec::from_vec(vec![0; n]),
            by_worker: IndexVec::from_vec(vec![Vec::new(); n]),
            budget_left: budget.map_or(i64::MAX, i64::from),
            largest_unit: units
                .iter()
                .map(|u| i64::from(u.count()))
                .max()
                .unwrap_or(0),
            worker,
        };
        for (u, unit) in units.iter_enumerated() {
            let w = team.worker[u];
            team.load[w] += unit.weight;
            team.count[w] += unit.count();
            team.by_worker[w].push(u);
            if budget.is_some() {
                team.budget_left -= i64::from(unit.moves_to(w).discretionary);
            }
        }
        team
    }

    /// The team under a choice of the program.
    pub fn of_choice(
        scenario: &'a Scenario,
        units: &'a IndexVec<UnitIdx, Unit>,
        choice: &Choice,
        mode: Mode,
        budget: Option<u32>,
    ) -> Self {
        let worker = units
            .iter()
            .zip(choice.iter())
            .map(|(unit, k)| unit.worker(*k))
            .collect();
        Team::new(scenario, units, IndexVec::from_vec(worker), mode, budget)
    }

    /// The choice that puts each unit where it is now.
    pub fn choice(&self) -> Choice {
        IndexVec::from_vec(
            self.units
                .iter_enumerated()
                .map(|(u, unit)| unit.slot_of(self.worker[u]).expect("an allowed worker"))
                .collect(),
        )
    }

    /// Who holds each unit now.
    pub fn workers(&self) -> &IndexVec<UnitIdx, StaffIdx> {
        &self.worker
    }

    /// A worker's utilization now.
    pub fn utilization(&self, w: StaffIdx) -> f64 {
        self.load[w] / self.scenario.staff[w].capacity
    }

    /// Discretionary reassignments still allowed.
    pub fn budget_left(&self) -> i64 {
        self.budget_left
    }

    /// The same team without a move budget: what balance would take if moves were free.
    pub fn without_budget(&self) -> Self {
        Team {
            budget_left: i64::MAX,
            ..self.clone()
        }
    }

    /// Discretionary reassignments the team makes from today.
    pub fn discretionary_moves(&self) -> u32 {
        self.units
            .iter_enumerated()
            .map(|(u, unit)| unit.moves_to(self.worker[u]).discretionary)
            .sum()
    }

    /// Change in discretionary reassignments if unit `u` goes to `to`.
    fn budget_delta(&self, u: UnitIdx, to: StaffIdx) -> i64 {
        let unit = &self.units[u];
        i64::from(unit.moves_to(to).discretionary)
            - i64::from(unit.moves_to(self.worker[u]).discretionary)
    }

    /// Change in the team's total overload if `weight` goes from `from` to `to`.
    fn overload_change(&self, from: StaffIdx, to: StaffIdx, weight: f64) -> f64 {
        let target = self.scenario.policy.target_utilization;
        let over = |w: StaffIdx, load: f64| overload(load, self.scenario.staff[w].capacity, target);
        over(from, self.load[from] - weight) - over(from, self.load[from])
            + over(to, self.load[to] + weight)
            - over(to, self.load[to])
    }

    /// The transfer of unit `u` to `to` if the guarantee forbids leaving it: `to` may take it
    /// and would still end more than the band below its holder. The same judgement as
    /// [`Team::why_kept`] returning `None`, with the cheapest test first: most colleagues are
    /// within the band.
    fn forbidden(&self, u: UnitIdx, to: StaffIdx) -> Option<Transfer> {
        let unit = &self.units[u];
        let giver = self.worker[u];
        let receiver_after = (self.load[to] + unit.weight) / self.scenario.staff[to].capacity;
        if to == giver
            || !self.movable[u]
            || self.within_band(giver, receiver_after)
            || self.why_kept(u, to).is_some()
        {
            return None;
        }
        Some(Transfer {
            unit: u,
            giver,
            receiver: to,
            giver_utilization: self.utilization(giver),
            receiver_after,
            budget_delta: self.budget_delta(u, to),
        })
    }

    /// True when a colleague who would end at `receiver_after` ends within the band of `giver`
    /// (a hair stricter than the band, so that every transfer an independent check would count,
    /// summing weights in another order, is found here).
    fn within_band(&self, giver: StaffIdx, receiver_after: f64) -> bool {
        receiver_after >= self.utilization(giver) - self.band - SLACK * 1e-3
    }

    /// The lowest utilization of any available worker: no transfer leaves a colleague below it,
    /// so a worker within the band of it has no transfer the guarantee forbids.
    fn lightest(&self) -> f64 {
        self.scenario
            .staff
            .iter_enumerated()
            .filter(|(_, s)| s.available)
            .map(|(w, _)| self.utilization(w))
            .fold(f64::INFINITY, f64::min)
    }

    /// Why unit `u` may stay with its holder rather than go to `to`; `None` when the guarantee
    /// forbids it to stay (or `to` holds it).
    pub fn why_kept(&self, u: UnitIdx, to: StaffIdx) -> Option<Kept> {
        let unit = &self.units[u];
        let from = self.worker[u];
        if to == from {
            return None;
        }
        let receiver_after = (self.load[to] + unit.weight) / self.scenario.staff[to].capacity;
        let kept = if self.mode == Mode::Assign && !self.movable[u] && !unit.holders.is_empty() {
            Kept::Fixed
        } else if unit.allowed.binary_search(&to).is_err() {
            Kept::NotAllowed
        } else if !self.movable[u] {
            Kept::Fixed
        } else if self.scenario.staff[to]
            .max_cases
            .is_some_and(|m| self.count[to] + unit.count() > m)
        {
            Kept::AtMaxCases
        } else if self.within_band(from, receiver_after) {
            Kept::WithinBand { receiver_after }
        } else if self.budget_delta(u, to) > self.budget_left {
            Kept::BudgetSpent
        } else if self.overload_change(from, to, unit.weight) > SLACK {
            Kept::RaisesOverload
        } else {
            return None;
        };
        Some(kept)
    }

    /// True in `assign`, which keeps today's holders.
    pub fn is_assign(&self) -> bool {
        self.mode == Mode::Assign
    }

    /// A unit of the team.
    pub fn unit(&self, u: UnitIdx) -> &Unit {
        &self.units[u]
    }

    /// Cases a worker holds now.
    pub fn cases_held(&self, w: StaffIdx) -> u32 {
        self.count[w]
    }

    /// The units a worker holds now.
    pub fn units_of(&self, w: StaffIdx) -> &[UnitIdx] {
        &self.by_worker[w]
    }

    /// The band in force.
    pub fn band(&self) -> f64 {
        self.band
    }

    /// Every transfer of a unit held by `giver` that the guarantee forbids leaving undone.
    pub fn transfers_from(&self, giver: StaffIdx) -> impl Iterator<Item = Transfer> + '_ {
        self.transfers_above(giver, self.lightest())
    }

    /// [`Team::transfers_from`], knowing the team's lowest utilization now (see
    /// [`Team::lightest`]): none when `giver` is within the band of it.
    fn transfers_above(
        &self,
        giver: StaffIdx,
        lightest: f64,
    ) -> impl Iterator<Item = Transfer> + '_ {
        let units = if self.within_band(giver, lightest) {
            &[][..]
        } else {
            &self.by_worker[giver][..]
        };
        units.iter().flat_map(move |&u| {
            let movable = self.movable[u];
            self.units[u]
                .allowed
                .iter()
                .filter(move |_| movable)
                .filter_map(move |&to| self.forbidden(u, to))
        })
    }

    /// Whether the guarantee holds: no transfer it forbids leaving undone (stops at the first).
    pub fn is_balanced(&self) -> bool {
        let lightest = self.lightest();
        self.scenario
            .staff
            .indices()
            .all(|g| self.transfers_above(g, lightest).next().is_none())
    }

    /// Units the guarantee says should go to a lighter colleague, each counted once.
    pub fn unbalanced_units(&self) -> usize {
        let lightest = self.lightest();
        self.units
            .indices()
            .filter(|&u| {
                self.movable[u]
                    && !self.within_band(self.worker[u], lightest)
                    && self.units[u]
                        .allowed
                        .iter()
                        .any(|&to| self.forbidden(u, to).is_some())
            })
            .count()
    }

    /// Every transfer the guarantee forbids leaving undone, by giver in staff order: none when
    /// the team is balanced.
    pub fn imbalances(&self) -> Vec<Transfer> {
        self.unbalanced().collect()
    }

    /// [`Team::imbalances`], one at a time.
    pub fn unbalanced(&self) -> impl Iterator<Item = Transfer> + '_ {
        let lightest = self.lightest();
        self.scenario
            .staff
            .indices()
            .flat_map(move |g| self.transfers_above(g, lightest))
    }

    /// The best transfer off `giver`: fewest reassignments first (bringing a case home, then
    /// moving one already away from home or one that must move anyway), then the fewest
    /// preferences lost, then the lowest of the two utilizations it leaves, then the lowest
    /// indices, for a deterministic choice.
    fn best_from(&self, giver: StaffIdx) -> Option<Transfer> {
        let cap = self.scenario.staff[giver].capacity;
        let worst = |t: &Transfer| {
            ((self.load[giver] - self.units[t.unit].weight) / cap).max(t.receiver_after)
        };
        let lost = |t: &Transfer| {
            let unit = &self.units[t.unit];
            i64::from(unit.preference_for(giver)) - i64::from(unit.preference_for(t.receiver))
        };
        self.transfers_from(giver).min_by(|a, b| {
            a.budget_delta
                .cmp(&b.budget_delta)
                .then(lost(a).cmp(&lost(b)))
                .then(worst(a).total_cmp(&worst(b)))
                .then((a.unit, a.receiver).cmp(&(b.unit, b.receiver)))
        })
    }

    /// Moves unit `u` to `to`.
    fn apply(&mut self, u: UnitIdx, to: StaffIdx) {
        let unit = &self.units[u];
        let from = self.worker[u];
        if self.budget_left != i64::MAX {
            self.budget_left -= self.budget_delta(u, to);
        }
        self.load[from] -= unit.weight;
        self.count[from] -= unit.count();
        self.load[to] += unit.weight;
        self.count[to] += unit.count();
        self.by_worker[from].retain(|x| *x != u);
        self.by_worker[to].push(u);
        self.worker[u] = to;
    }

    /// Hands units from busier to lighter colleagues until the guarantee holds; returns true
    /// when it does, false when `deadline` passed first.
    ///
    /// Rounds go through the workers from the busiest down, each giving while it has a
    /// transfer the guarantee forbids leaving undone; a round without a transfer ends the
    /// search.
    pub fn balance(&mut self, deadline: Instant) -> bool {
        loop {
            let mut order: Vec<StaffIdx> = self
                .scenario
                .staff
                .indices()
                .filter(|w| !self.by_worker[*w].is_empty())
                .collect();
            order.sort_by(|a, b| {
                self.utilization(*b)
                    .total_cmp(&self.utilization(*a))
                    .then(a.cmp(b))
            });
            let mut moved = false;
            for giver in order {
                if time_is_up(deadline) {
                    return false;
                }
                while let Some(t) = self.best_from(giver) {
                    self.apply(t.unit, t.receiver);
                    moved = true;
                    if time_is_up(deadline) {
                        return false;
                    }
                }
            }
            if !moved {
                return true;
            }
        }
    }

    /// Brings units home (to the one worker who holds all their cases today) wherever that
    /// keeps the guarantee and `limits`, alone or with a unit visiting the home worker taking
    /// its place; returns the reassignments saved.
    pub fn bring_home(&mut self, limits: &HomeLimits, deadline: Instant) -> u32 {
        let mut saved = 0;
        let mut improved = true;
        while improved && !time_is_up(deadline) {
            improved = false;
            for u in self.units.indices() {
                if time_is_up(deadline) {
                    return saved;
                }
                let unit = &self.units[u];
                let (away, Some(home)) = (self.worker[u], unit.sole_holder()) else {
                    continue;
                };
                if away == home || unit.slot_of(home).is_none() {
                    continue;
                }
                if let Some(s) = self.try_placements(&[(u, home)], limits) {
                    saved += s;
                    improved = true;
                    continue;
                }
                // Units at the home worker's that are not at home there: visitors, one of
                // which may take the place this unit leaves.
                let visitors: Vec<UnitIdx> = self.by_worker[home]
                    .iter()
                    .copied()
                    .filter(|&v| {
                        self.movable[v]
                            && self.units[v].sole_holder() != Some(home)
                            && self.units[v].allowed.binary_search(&away).is_ok()
                    })
                    .collect();
                for v in visitors {
                    if let Some(s) = self.try_placements(&[(u, home), (v, away)], limits) {
                        saved += s;
                        improved = true;
                        break;
                    }
                }
            }
        }
        saved
    }

    /// Makes `placements` if together they save reassignments and keep `limits`, the move
    /// budget, `max_cases` and the guarantee; returns the reassignments saved, or `None` (and
    /// the team as it was).
    fn try_placements(
        &mut self,
        placements: &[(UnitIdx, StaffIdx)],
        limits: &HomeLimits,
    ) -> Option<u32> {
        let all = |team: &Self| -> u32 {
            placements
                .iter()
                .map(|(u, _)| team.units[*u].moves_to(team.worker[*u]).all)
                .sum()
        };
        let before = all(self);
        let budget_was_short = self.budget_left < self.largest_unit;
        let undo: Vec<(UnitIdx, StaffIdx)> = placements
            .iter()
            .rev()
            .map(|(u, _)| (*u, self.worker[*u]))
            .collect();
        for (u, to) in placements {
            self.apply(*u, *to);
        }
        let touched: Vec<StaffIdx> = placements.iter().chain(&undo).map(|(_, w)| *w).collect();
        let after = all(self);
        let keeps_limits = touched.iter().all(|w| {
            self.load[*w] <= limits.load_ceiling[*w]
                && self.scenario.staff[*w]
                    .max_cases
                    .is_none_or(|m| self.count[*w] <= m)
        }) && self.budget_left >= 0
            && self.total_overload() <= limits.overload + SLACK;
        let balanced = keeps_limits
            && after < before
            && if budget_was_short {
                self.is_balanced()
            } else {
                self.balanced_around(&touched)
            };
        if balanced {
            return Some(before - after);
        }
        for (u, to) in undo {
            self.apply(u, to);
        }
        None
    }

    /// Total overload now.
    fn total_overload(&self) -> f64 {
        let target = self.scenario.policy.target_utilization;
        self.scenario
            .staff
            .iter_enumerated()
            .map(|(w, s)| overload(self.load[w], s.capacity, target))
            .sum()
    }

    /// Whether the guarantee holds after the loads of `touched` changed, given that it held
    /// before and the budget was not short: only transfers off a touched worker, or onto one,
    /// can have become forbidden.
    fn balanced_around(&self, touched: &[StaffIdx]) -> bool {
        touched.iter().all(|&w| {
            if self.transfers_from(w).next().is_some() {
                return false;
            }
            let floor = self.utilization(w) + self.band;
            self.scenario.staff.indices().all(|g| {
                g == w
                    || self.utilization(g) <= floor
                    || self.by_worker[g].iter().all(|&u| {
                        !self.movable[u]
                            || self.units[u].allowed.binary_search(&w).is_err()
                            || self.forbidden(u, w).is_none()
                    })
            })
        })
    }
}
