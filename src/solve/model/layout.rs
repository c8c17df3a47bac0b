//! Aggregation of interchangeable units, so a county of 12,000 cases needs far fewer columns.
//!
//! Two units are interchangeable when they weigh the same, hold as many cases, may go to the same
//! workers and prefer the same workers: a *class*. Within a class, units differ only by where they
//! are today. So instead of one binary per (unit, worker), the program counts:
//! - per *group* (a class's units with one holder today and the same move costs), how many stay;
//! - per (class, allowed worker), how many arrive.
//!
//! Every assignment of units maps to such counts with the same loads, case counts, moves and
//! preferences, and every integer solution of the counts maps back to an assignment with no more
//! moves (a unit leaving a worker and another of its class arriving there is a swap that
//! disaggregation cancels). Units whose cases sit with several workers today (families split
//! today) keep their own binaries; units with one allowed worker are constants.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::domain::index::typed_index;
use crate::domain::{IndexVec, StaffIdx};
use crate::solve::model::units::{slots, Choice, MoveCost, Slot, Unit, UnitIdx};

typed_index!(
    /// Position of a class in [`Layout::classes`].
    ClassIdx
);
typed_index!(
    /// Position of a group in [`Layout::groups`].
    GroupIdx
);

/// What makes units interchangeable.
#[derive(PartialEq, Eq, Hash)]
struct ClassKey {
    /// The weight's bits: equal weights are bit-equal (sums of the same inputs).
    weight: u64,
    count: u32,
    allowed: Arc<[StaffIdx]>,
    /// Sorted.
    preferred: Vec<StaffIdx>,
}

/// What makes units of a class one group.
#[derive(PartialEq, Eq, Hash)]
struct GroupKey {
    class: ClassIdx,
    holder: Option<StaffIdx>,
    leaving: MoveCost,
}

/// Units that are interchangeable.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    /// Weight of each unit.
    pub weight: f64,
    /// Cases in each unit.
    pub count: u32,
    /// Workers a unit of the class may go to.
    pub allowed: Arc<[StaffIdx]>,
    /// Workers preferred, one entry per case that prefers them, sorted.
    pub preferred: Vec<StaffIdx>,
    /// Number of units in the class (over its groups).
    pub size: u32,
}

impl Class {
    /// Cases of one unit that prefer `worker`.
    pub fn preference_for(&self, worker: StaffIdx) -> u32 {
        self.preferred.iter().filter(|w| **w == worker).count() as u32
    }

    /// The allowed workers with their slots, in staff order.
    pub fn slots(&self) -> impl Iterator<Item = (Slot, StaffIdx)> + '_ {
        slots(&self.allowed)
    }
}

/// Units of one class that sit with one holder today (or are intake) and cost the same to move.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Its class.
    pub class: ClassIdx,
    /// Holder today; `None` for intake.
    pub holder: Option<StaffIdx>,
    /// The holder's slot in the class's allowed list, when the holder may keep the units.
    pub holder_slot: Option<Slot>,
    /// The units, in order.
    pub units: Vec<UnitIdx>,
    /// Reassignments if one unit leaves its holder.
    pub moves_if_leaving: MoveCost,
}

/// How the program's units are modelled.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Units with exactly one allowed worker: constants.
    pub fixed: Vec<UnitIdx>,
    /// Units modelled with their own binaries (cases with several holders today).
    pub singles: Vec<UnitIdx>,
    /// Classes of interchangeable units.
    pub classes: IndexVec<ClassIdx, Class>,
    /// Groups of each class.
    pub groups: IndexVec<GroupIdx, Group>,
}

/// What the grouped units' integer variables count under a choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// Per group, how many stay with their holder.
    pub stay: IndexVec<GroupIdx, u32>,
    /// Per class, per slot of its allowed list, how many arrive (units that stay are not
    /// arrivals).
    pub arrive: IndexVec<ClassIdx, IndexVec<Slot, u32>>,
}

impl Layout {
    /// Sorts units into fixed, singles and classes.
    pub fn of(units: &IndexVec<UnitIdx, Unit>) -> Self {
        let mut layout = Layout::default();
        let mut class_index: FxHashMap<ClassKey, ClassIdx> = FxHashMap::default();
        let mut group_index: FxHashMap<GroupKey, GroupIdx> = FxHashMap::default();
        for (u, unit) in units.iter_enumerated() {
            if unit.allowed.len() < 2 {
                layout.fixed.push(u);
                continue;
            }
            let first_holder = unit.sole_holder();
            if first_holder.is_none() && !unit.holders.is_empty() {
                layout.singles.push(u);
                continue;
            }
            let mut preferred = unit.preferred.clone();
            preferred.sort();
            let key = ClassKey {
                weight: unit.weight.to_bits(),
                count: unit.count(),
                allowed: unit.allowed.clone(),
                preferred: preferred.clone(),
            };
            let class = *class_index.entry(key).or_insert_with(|| {
                layout.classes.push(Class {
                    weight: unit.weight,
                    count: unit.count(),
                    allowed: unit.allowed.clone(),
                    preferred,
                    size: 0,
                });
                ClassIdx::from(layout.classes.len() - 1)
            });
            layout.classes[class].size += 1;
            let moves_if_leaving = match first_holder {
                Some(h) => {
                    // Any worker other than the holder costs the same.
                    let other = unit.allowed.iter().find(|w| **w != h).copied().unwrap_or(h);
                    unit.moves_to(other)
                }
                None => MoveCost::default(),
            };
            let key = GroupKey {
                class,
                holder: first_holder,
                leaving: moves_if_leaving,
            };
            let group = *group_index.entry(key).or_insert_with(|| {
                layout.groups.push(Group {
                    class,
                    holder: first_holder,
                    holder_slot: first_holder.and_then(|h| unit.slot_of(h)),
                    units: Vec::new(),
                    moves_if_leaving,
                });
                GroupIdx::from(layout.groups.len() - 1)
            });
            layout.groups[group].units.push(u);
        }
        layout
    }

    /// No aggregation: every unit with a choice gets its own binaries, one per allowed worker.
    /// This is the direct formulation, kept as the yardstick the aggregated one is measured
    /// against.
    pub fn unaggregated(units: &IndexVec<UnitIdx, Unit>) -> Self {
        let (fixed, singles) = units.indices().partition(|&u| units[u].allowed.len() < 2);
        Layout {
            fixed,
            singles,
            ..Layout::default()
        }
    }

    /// The counts of a choice.
    pub fn counts_of(&self, choice: &Choice) -> Counts {
        let mut counts = Counts {
            stay: IndexVec::from_vec(vec![0u32; self.groups.len()]),
            arrive: IndexVec::from_vec(
                self.classes
                    .iter()
                    .map(|c| IndexVec::from_vec(vec![0; c.allowed.len()]))
                    .collect(),
            ),
        };
        for (g, group) in self.groups.iter_enumerated() {
            for &u in &group.units {
                if Some(choice[u]) == group.holder_slot {
                    counts.stay[g] += 1;
                } else {
                    counts.arrive[group.class][choice[u]] += 1;
                }
            }
        }
        counts
    }

    /// Turns counts back into a choice for grouped units (singles and fixed are set by the
    /// caller). Leavers are matched to arrivals at their own holder first, which cancels swaps.
    pub fn choice_from_counts(&self, counts: &Counts, choice: &mut Choice) {
        let mut arrive = counts.arrive.clone();
        // Per class, the units that leave their group, each with its holder's slot.
        let mut leavers: IndexVec<ClassIdx, Vec<(UnitIdx, Option<Slot>)>> =
            IndexVec::from_vec(vec![Vec::new(); self.classes.len()]);
        for (g, group) in self.groups.iter_enumerated() {
            let staying = (counts.stay[g] as usize).min(group.units.len());
            for (i, &u) in group.units.iter().enumerate() {
                match group.holder_slot {
                    Some(slot) if i < staying => choice[u] = slot,
                    _ => leavers[group.class].push((u, group.holder_slot)),
                }
            }
        }
        for (class, list) in leavers.iter_enumerated() {
            let arrive = &mut arrive[class];
            let mut rest = Vec::new();
            for &(u, home) in list {
                match home {
                    Some(slot) if arrive[slot] > 0 => {
                        arrive[slot] -= 1;
                        choice[u] = slot;
                    }
                    _ => rest.push(u),
                }
            }
            let mut slot = 0;
            for u in rest {
                while slot < arrive.len() && arrive[Slot::from(slot)] == 0 {
                    slot += 1;
                }
                // Counts always balance; the guard only protects against a malformed solution.
                let s = slot.min(arrive.len() - 1);
                if slot < arrive.len() {
                    arrive[Slot::from(slot)] -= 1;
                }
                choice[u] = Slot::from(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::model::units::Holder;

    fn unit(weight: f64, allowed: &[u32], holder: Option<u32>) -> Unit {
        Unit {
            cases: vec![crate::domain::CaseIdx(0)],
            family: None,
            weight,
            allowed: allowed.iter().map(|w| StaffIdx(*w)).collect(),
            holders: holder
                .map(|h| Holder {
                    worker: StaffIdx(h),
                    must_leave: false,
                })
                .into_iter()
                .collect(),
            preferred: Vec::new(),
        }
    }

    #[test]
    fn interchangeable_units_share_a_class_and_holders_split_groups() {
        let units = IndexVec::from_vec(vec![
            unit(2.0, &[0, 1, 2], Some(0)),
            unit(2.0, &[0, 1, 2], Some(0)),
            unit(2.0, &[0, 1, 2], Some(1)),
            unit(2.0, &[0, 1, 2], None),
            unit(3.0, &[0, 1, 2], Some(0)),
            unit(2.0, &[1], Some(1)),
        ]);
        let layout = Layout::of(&units);
        assert_eq!(layout.fixed, vec![UnitIdx(5)]);
        assert_eq!(layout.classes.len(), 2);
        assert_eq!(layout.classes[ClassIdx(0)].size, 4);
        assert_eq!(layout.groups.len(), 4);
        assert_eq!(
            layout.groups[GroupIdx(0)].units,
            vec![UnitIdx(0), UnitIdx(1)]
        );
        let cost = |all, discretionary| MoveCost { all, discretionary };
        assert_eq!(layout.groups[GroupIdx(0)].moves_if_leaving, cost(1, 1));
        assert_eq!(layout.groups[GroupIdx(2)].moves_if_leaving, cost(0, 0));
    }

    #[test]
    fn counts_round_trip_to_a_choice_with_the_same_loads_and_no_extra_moves() {
        let units = IndexVec::from_vec(vec![
            unit(2.0, &[0, 1, 2], Some(0)),
            unit(2.0, &[0, 1, 2], Some(0)),
            unit(2.0, &[0, 1, 2], Some(1)),
            unit(2.0, &[0, 1, 2], None),
        ]);
        let layout = Layout::of(&units);
        // A choice with a swap: unit 0 goes to worker 1 while unit 2 goes to worker 0.
        let choice: Choice = IndexVec::from_vec([1, 0, 0, 2].map(Slot).to_vec());
        let counts = layout.counts_of(&choice);
        let mut back: Choice = IndexVec::from_vec(vec![Slot(u32::MAX); units.len()]);
        layout.choice_from_counts(&counts, &mut back);
        let load = |c: &Choice| {
            let mut l = [0.0; 3];
            for (u, k) in c.iter_enumerated() {
                l[units[u].worker(*k).index()] += units[u].weight;
            }
            l
        };
        let moves = |c: &Choice| {
            units
                .iter()
                .zip(c.iter())
                .map(|(u, k)| u.moves_to(u.worker(*k)).all)
                .sum::<u32>()
        };
        assert_eq!(load(&back), load(&choice));
        assert!(moves(&back) <= moves(&choice));
        assert_eq!(moves(&back), 0, "the swap cancels");
    }
}
