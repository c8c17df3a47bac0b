//! The balance guarantee, checked on its own: no unit (a case, or a family kept together) is left
//! with a worker when a colleague who may take it would still end more than the band below that
//! worker, within the hard rules and the move budget and without raising the total overload.
//!
//! Like the rest of the checker it reads only the scenario and the proposal's `mode` and
//! `assignments`, and works out units, who may take them, the budget and the overload itself, so
//! that a solver step meant to balance the team can be judged by code it does not share.

use std::fmt;

use serde_json::Value;

use super::Checker;
use crate::domain::Scenario;

/// Rounding slack for sums of weights: a move must raise the overload by more than this to be
/// barred, and leave the receiver more than this below the band to count.
const SLACK: f64 = 1e-9;

/// A unit left with a worker although a colleague who may take it would end more than the band
/// below that worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Imbalance {
    /// The unit's cases, in scenario order.
    pub cases: Vec<String>,
    /// The family the cases move as, when families are kept together.
    pub family: Option<String>,
    /// Who holds the unit in the proposal.
    pub giver: String,
    /// The colleague who could take it.
    pub receiver: String,
    /// The giver's utilization in the proposal.
    pub giver_utilization: f64,
    /// The receiver's utilization after taking the unit.
    pub receiver_utilization: f64,
}

impl Imbalance {
    /// How far below the giver the receiver would end, in utilization (0.05 is 5 points).
    pub fn gap(&self) -> f64 {
        self.giver_utilization - self.receiver_utilization
    }
}

impl fmt::Display for Imbalance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.family {
            Some(family) => write!(f, "family {family} ({})", self.cases.join(", "))?,
            None => write!(f, "{}", self.cases.join(", "))?,
        }
        write!(
            f,
            " could go from {} at {:.1}% to {}, who would end at {:.1}%, {:.1} points below",
            self.giver,
            100.0 * self.giver_utilization,
            self.receiver,
            100.0 * self.receiver_utilization,
            100.0 * self.gap()
        )
    }
}

/// Every unit a colleague could take and still end more than `band` below its holder, one
/// readable line each (empty when the proposal is balanced).
pub fn balance_violations(scenario: &Scenario, json: &Value, band: f64) -> Vec<String> {
    imbalances(scenario, json, band)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Every (unit, holder, colleague) the guarantee forbids, in scenario order of units and staff.
///
/// In `rebalance` mode a move must fit the move budget; in `assign` mode holders are kept, so
/// only intake units (no case held today) are judged, and moving them costs nothing. A proposal
/// without assignments holds nothing, so nothing can move (`check_proposal` reports the gap).
pub fn imbalances(scenario: &Scenario, json: &Value, band: f64) -> Vec<Imbalance> {
    let Some(assignments) = json["assignments"].as_object() else {
        return Vec::new();
    };
    let balance = Balance::new(Checker::new(scenario, json, assignments, Vec::new()));
    let mut found = Vec::new();
    for unit in balance.units() {
        let Some(giver) = balance.judged_holder(&unit) else {
            continue;
        };
        let moving = Moving {
            weight: unit.iter().map(|c| balance.check.cases[*c].weight).sum(),
            giver,
            unit: &unit,
        };
        let giver_utilization = balance.utilization(giver, balance.loads[giver]);
        for receiver in 0..balance.check.staff.len() {
            if receiver == giver || !balance.may_take(&moving, receiver) {
                continue;
            }
            let after = balance.utilization(receiver, balance.loads[receiver] + moving.weight);
            if after < giver_utilization - band - SLACK {
                found.push(balance.imbalance(&moving, receiver, giver_utilization, after));
            }
        }
    }
    found
}

/// A unit on its way from its holder in the proposal to a colleague.
struct Moving<'u> {
    unit: &'u [usize],
    giver: usize,
    /// The points of all its cases.
    weight: f64,
}

/// A proposal read for the guarantee: the checker's picture of it, plus each worker's load, each
/// case's required move and the discretionary reassignments already spent.
struct Balance<'a> {
    check: Checker<'a>,
    /// Points held per worker in the proposal.
    loads: Vec<f64>,
    /// Per case: whether it must leave its holder today (its reassignment is not discretionary).
    required: Vec<bool>,
    /// Discretionary reassignments the proposal makes.
    spent: i64,
}

impl<'a> Balance<'a> {
    fn new(check: Checker<'a>) -> Self {
        let (_, loads) = check.loads();
        let required = (0..check.cases.len()).map(|c| check.must_move(c)).collect();
        let mut balance = Balance {
            check,
            loads,
            required,
            spent: 0,
        };
        balance.spent = (0..balance.check.cases.len())
            .filter(|c| balance.discretionary(*c, balance.check.after[*c]))
            .count() as i64;
        balance
    }

    /// The units that move whole: each family when families are kept together, else each case.
    /// A family's members are listed in scenario order, so its first member stands for it.
    fn units(&self) -> Vec<Vec<usize>> {
        (0..self.check.cases.len())
            .map(|c| (c, self.check.group_of(c)))
            .filter(|(c, group)| group[0] == *c)
            .map(|(_, group)| group)
            .collect()
    }

    /// The worker who holds every case of the unit, when the unit is judged: not split or left
    /// out (`check_proposal` reports those), no case pinned (a pinned case stays, and its family
    /// with it), and in assign mode no case held today.
    fn judged_holder(&self, unit: &[usize]) -> Option<usize> {
        let cases = self.check.cases;
        let holder = self.check.after[unit[0]]?;
        let whole = unit.iter().all(|c| self.check.after[*c] == Some(holder));
        let pinned = unit.iter().any(|c| cases[*c].pinned);
        let held_today = unit.iter().any(|c| cases[*c].assigned.is_some());
        (whole && !pinned && !(self.check.mode == "assign" && held_today)).then_some(holder)
    }

    /// Whether `receiver` may take the unit: every case's needs, leave and avoid list, room under
    /// max_cases, the move budget, and no more overload.
    fn may_take(&self, moving: &Moving, receiver: usize) -> bool {
        let held = moving.unit.len() as u32;
        let room = self.check.staff[receiver]
            .max_cases
            .is_none_or(|m| self.check.counts[receiver] + held <= m);
        room && moving
            .unit
            .iter()
            .all(|c| self.check.holds_alone(receiver, *c))
            && self.within_budget(moving, receiver)
            && self.overload_change(moving, receiver) <= SLACK
    }

    /// A case's reassignment is discretionary when it had a holder today, ends with another
    /// worker and could have stayed.
    fn discretionary(&self, c: usize, holder: Option<usize>) -> bool {
        let today = self.check.cases[c].assigned.map(|h| h.index());
        today.is_some() && holder.is_some() && holder != today && !self.required[c]
    }

    /// Only a rebalance has a move budget; the move costs the change in discretionary
    /// reassignments, which is negative when a case goes back to its holder today.
    fn within_budget(&self, moving: &Moving, receiver: usize) -> bool {
        if self.check.mode != "rebalance" {
            return true;
        }
        let change: i64 = moving
            .unit
            .iter()
            .map(|c| {
                i64::from(self.discretionary(*c, Some(receiver)))
                    - i64::from(self.discretionary(*c, Some(moving.giver)))
            })
            .sum();
        self.spent + change <= i64::from(self.check.scenario.policy.max_moves)
    }

    /// The change in the team's total overload if the unit moved.
    fn overload_change(&self, moving: &Moving, receiver: usize) -> f64 {
        let (giver, weight) = (moving.giver, moving.weight);
        self.overload(giver, self.loads[giver] - weight) - self.overload(giver, self.loads[giver])
            + self.overload(receiver, self.loads[receiver] + weight)
            - self.overload(receiver, self.loads[receiver])
    }

    /// Points of `load` above the policy's target utilization of the worker's capacity.
    fn overload(&self, w: usize, load: f64) -> f64 {
        let target = self.check.scenario.policy.target_utilization;
        (load - target * self.check.staff[w].capacity).max(0.0)
    }

    fn utilization(&self, w: usize, load: f64) -> f64 {
        load / self.check.staff[w].capacity
    }

    fn imbalance(
        &self,
        moving: &Moving,
        receiver: usize,
        giver_utilization: f64,
        receiver_utilization: f64,
    ) -> Imbalance {
        let cases = self.check.cases;
        let first = &cases[moving.unit[0]];
        Imbalance {
            cases: moving.unit.iter().map(|c| cases[*c].id.clone()).collect(),
            family: first
                .family
                .clone()
                .filter(|_| self.check.scenario.policy.keep_families_together),
            giver: self.check.staff[moving.giver].id.clone(),
            receiver: self.check.staff[receiver].id.clone(),
            giver_utilization,
            receiver_utilization,
        }
    }
}
