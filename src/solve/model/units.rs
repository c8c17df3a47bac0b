//! Assignment units: what the integer program places, one decision per unit.
//!
//! A unit is a single case, or a whole family when the policy keeps families together (its cases
//! end with one worker, so they are one decision; their needs and avoid lists combine). Each unit
//! knows the workers allowed to take it and what each choice costs in reassignments. Units nobody
//! may take are set aside with the reason, never silently dropped.

use std::sync::Arc;

use crate::domain::index::typed_index;
use crate::domain::rules::{Qualified, Unholdable};
use crate::domain::{CaseIdx, FamilyIdx, IndexVec, Points, Scenario, StaffIdx};

typed_index!(
    /// Position of a unit in [`Units::units`], the units the program places.
    UnitIdx
);
typed_index!(
    /// Position of a worker in a unit's or a class's `allowed` list: what a choice picks.
    Slot
);

/// Which job the proposal does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Place intake and move existing cases where equity needs it, within the move budget.
    Rebalance,
    /// Place intake only: existing holders kept, except required reassignments and families
    /// split today.
    Assign,
}

/// Who holds one of a unit's cases today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    /// The worker.
    pub worker: StaffIdx,
    /// True when the case must leave them (a required reassignment).
    pub must_leave: bool,
}

/// Reassignments a placement costs: all of them, and those the move budget counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MoveCost {
    /// Every case that leaves its holder.
    pub all: u32,
    /// Those that leave by choice, not because they must.
    pub discretionary: u32,
}

/// One decision of the program.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its cases, in scenario order.
    pub cases: Vec<CaseIdx>,
    /// The family, when the unit is one.
    pub family: Option<FamilyIdx>,
    /// Total weight.
    pub weight: Points,
    /// Workers who may take it, in staff order (shared by the units with the same list).
    pub allowed: Arc<[StaffIdx]>,
    /// Current holders of its held cases, one entry per held case.
    pub holders: Vec<Holder>,
    /// Workers named in `prefer`, one entry per case that prefers them.
    pub preferred: Vec<StaffIdx>,
}

impl Unit {
    /// Number of cases.
    pub fn count(&self) -> u32 {
        self.cases.len() as u32
    }

    /// The allowed worker at `slot`.
    pub fn worker(&self, slot: Slot) -> StaffIdx {
        self.allowed[slot.index()]
    }

    /// The allowed workers with their slots, in staff order.
    pub fn slots(&self) -> impl Iterator<Item = (Slot, StaffIdx)> + '_ {
        slots(&self.allowed)
    }

    /// The slot of `worker`, when they may take the unit.
    pub fn slot_of(&self, worker: StaffIdx) -> Option<Slot> {
        self.slots().find(|(_, w)| *w == worker).map(|(k, _)| k)
    }

    /// The one worker who holds all of its held cases today: `None` for intake and for a family
    /// split today.
    pub fn sole_holder(&self) -> Option<StaffIdx> {
        sole_holder(&self.holders)
    }

    /// Reassignments if the unit goes to `worker`.
    pub fn moves_to(&self, worker: StaffIdx) -> MoveCost {
        let mut cost = MoveCost::default();
        for holder in &self.holders {
            if holder.worker != worker {
                cost.all += 1;
                if !holder.must_leave {
                    cost.discretionary += 1;
                }
            }
        }
        cost
    }

    /// Number of its cases that prefer `worker`.
    pub fn preference_for(&self, worker: StaffIdx) -> u32 {
        self.preferred.iter().filter(|w| **w == worker).count() as u32
    }
}

/// The workers of an `allowed` list with their slots, in order.
pub(crate) fn slots(allowed: &[StaffIdx]) -> impl Iterator<Item = (Slot, StaffIdx)> + '_ {
    // Counting in u32 from the start spares the search's inner loops a checked conversion.
    (0u32..).zip(allowed).map(|(k, w)| (Slot(k), *w))
}

/// A choice of worker for every unit: a slot in the unit's `allowed` list.
pub type Choice = IndexVec<UnitIdx, Slot>;

/// Cases no worker may hold, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaceable {
    /// The cases (a whole family when the family cannot be placed).
    pub cases: Vec<CaseIdx>,
    /// The family, when the reason concerns a family.
    pub family: Option<FamilyIdx>,
    /// Why.
    pub reason: Unholdable,
}

/// The units of a scenario, ready to be modelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    /// Units that some worker may take.
    pub units: IndexVec<UnitIdx, Unit>,
    /// Cases that no worker may take.
    pub unplaceable: Vec<Unplaceable>,
}

/// The one worker all of `holders` are, if there is one.
fn sole_holder(holders: &[Holder]) -> Option<StaffIdx> {
    let first = holders.first()?.worker;
    holders.iter().all(|h| h.worker == first).then_some(first)
}

/// Groups cases into units (a case, or a family kept together, in order of first appearance)
/// and works out who may take each.
pub fn build_units(scenario: &Scenario, mode: Mode) -> Units {
    let required = scenario.required_moves();
    let mut units = IndexVec::default();
    let mut unplaceable = Vec::new();
    let mut qualified = Qualified::default();
    for ci in scenario.cases.indices() {
        let family = scenario.kept_family(ci);
        let cases = match family {
            Some(f) if scenario.families[f].cases[0] != ci => continue,
            Some(f) => scenario.families[f].cases.clone(),
            None => vec![ci],
        };
        // A family of one is just a case.
        let family = family.filter(|_| cases.len() > 1);
        let pinned_to = scenario.pinned_holder(&cases);
        let mut allowed = scenario.may_hold_all(&cases, &mut qualified);
        if let Some(p) = pinned_to {
            allowed = if allowed.contains(&p) {
                Arc::from([p])
            } else {
                Arc::from([])
            };
        }
        let holders: Vec<Holder> = cases
            .iter()
            .filter_map(|c| {
                scenario.cases[*c].assigned.map(|worker| Holder {
                    worker,
                    must_leave: required[*c].is_some(),
                })
            })
            .collect();

        if allowed.is_empty() {
            let reason = scenario.why_group_unholdable(&cases, pinned_to);
            unplaceable.push(Unplaceable {
                cases,
                family,
                reason,
            });
            continue;
        }

        if mode == Mode::Assign {
            // Existing holders stay, unless a case must move or the family is split today.
            let keeps = sole_holder(&holders).filter(|_| holders.iter().all(|h| !h.must_leave));
            if let Some(h) = keeps.filter(|h| allowed.contains(h)) {
                allowed = Arc::from([h]);
            }
        }

        let weight = cases.iter().map(|c| scenario.cases[*c].weight).sum();
        let preferred = cases
            .iter()
            .flat_map(|c| scenario.cases[*c].prefer.iter().copied())
            .collect();
        units.push(Unit {
            cases,
            family,
            weight,
            allowed,
            holders,
            preferred,
        });
    }
    Units { units, unplaceable }
}
