//! What binds: the groups of workers and cases that hold the team back, with exact figures.
//!
//! Some cases may only go to a few workers (their needs, pins, avoid lists and families leave no
//! one else). Whatever the assignment, those cases end with those workers, so when they weigh more
//! than the workers' room, the excess cannot be avoided. The tightest such group is a min cut of
//! a max flow from the cases to the workers, so the figures here hold for every assignment, not
//! just the proposal, and each can be recomputed from the scenario alone: the group's cases, their
//! weight and the workers' capacity. A short group may lie inside another (a scarce skill in a
//! short-staffed team): min cuts at levels above the target find it, so it is listed too, as part
//! of the group around it.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use crate::domain::{CaseIdx, IndexVec, Points, Scenario, Skill, StaffIdx};
use crate::solve::model::{build_units, tightest_cut, Cut, Mode, Unit, UnitIdx};

/// Workers and the cases only they may hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The workers, in staff order.
    pub workers: Vec<StaffIdx>,
    /// The cases no worker outside the group may hold, in scenario order.
    pub cases: Vec<CaseIdx>,
    /// The cases' total weight.
    pub weight: Points,
    /// The workers' total capacity.
    pub capacity: Points,
    /// Skills every case of the group needs, sorted; empty when they share none.
    pub shared_needs: Vec<Skill>,
    /// True when the workers are exactly the available workers with every one of
    /// `shared_needs` (which is not empty).
    pub all_with_skills: bool,
    /// True when the group is every worker who may hold a case, with every case: the team.
    pub whole_team: bool,
}

impl Group {
    /// Weight per point of capacity: no assignment keeps every worker of the group below it.
    pub fn level(&self) -> f64 {
        self.weight / self.capacity
    }
}

/// A group whose cases outweigh its room at the target utilization.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// The group.
    pub group: Group,
    /// The policy's target utilization.
    pub target: f64,
    /// What the group can carry at target: capacity times target.
    pub room: Points,
    /// Weight above that room: overload no assignment avoids.
    pub overload: Points,
    /// The position, in the same list, of the smallest listed group this one lies within (its
    /// overload is then part of that group's); `None` for an outermost group.
    pub within: Option<usize>,
}

/// What one more worker would buy: the densest group's level with a full-time worker added
/// who has the group's shared skills and the team's typical full-time capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct OneMore {
    /// The added worker's skills (the group's shared needs).
    pub skills: Vec<Skill>,
    /// Their capacity: the team's typical full-time capacity
    /// ([`Scenario::typical_full_time_capacity`]).
    pub capacity: Points,
    /// The densest group's level with them.
    pub level: f64,
}

/// Most max flows spent looking for groups short inside other short groups.
const MAX_CUTS: usize = 128;

/// Overload no assignment avoids: that of the outermost short groups, which are disjoint (a
/// group inside another adds nothing: its overload is part of the outer group's).
pub fn unavoidable_overload(shortfalls: &[Shortfall]) -> Points {
    shortfalls
        .iter()
        .filter(|s| s.within.is_none())
        .map(|s| s.overload)
        .sum()
}

/// What holds the team back, as facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The group with the most weight per point of capacity: its level is a lower bound on the
    /// max utilization of any assignment (cases split at will). `None` when no case can be placed
    /// or the cases weigh nothing.
    pub equity: Option<Group>,
    /// Groups whose cases outweigh their room at target: each outermost group (disjoint, in
    /// staff order) followed by the groups short inside it (see [`Shortfall::within`]).
    pub overload: Vec<Shortfall>,
    /// When the densest group is the team or the workers with some skills, and one more
    /// full-time worker with those skills would lower its level: by how much.
    pub one_more: Option<OneMore>,
}

/// The flow network of a scenario's units, in integer steps.
struct Network<'s> {
    scenario: &'s Scenario,
    units: IndexVec<UnitIdx, Unit>,
    /// Distinct allowed sets: scaled weight, workers (staff indices), units.
    sets: Vec<(i64, Vec<usize>, Vec<UnitIdx>)>,
    /// Steps per point of weight.
    scale: f64,
}

impl<'s> Network<'s> {
    fn new(scenario: &'s Scenario, mode: Mode) -> Self {
        let units = build_units(scenario, mode).units;
        let total: f64 = units.iter().map(|u| u.weight).sum::<f64>()
            + scenario.staff.iter().map(|s| s.capacity).sum::<f64>();
        // Fine steps, kept well inside i64 for the largest teams.
        let scale = (1e15 / total.max(1.0)).min(1e6);
        // Keyed by the shared allowed lists: equal lists order as their staff indices do.
        let mut by_set: BTreeMap<Arc<[StaffIdx]>, (i64, Vec<UnitIdx>)> = BTreeMap::new();
        for (u, unit) in units.iter_enumerated() {
            let entry = by_set.entry(unit.allowed.clone()).or_default();
            entry.0 += (unit.weight * scale).round() as i64;
            entry.1.push(u);
        }
        let sets = by_set
            .into_iter()
            .map(|(workers, (weight, units))| {
                (weight, workers.iter().map(|w| w.index()).collect(), units)
            })
            .collect();
        Network {
            scenario,
            units,
            sets,
            scale,
        }
    }

    /// Per worker, whether some unit may go to them.
    fn in_play(&self) -> Vec<bool> {
        let mut in_play = vec![false; self.scenario.staff.len()];
        for (_, workers, _) in &self.sets {
            for &w in workers {
                in_play[w] = true;
            }
        }
        in_play
    }

    /// The groups (connected through shared cases) where weight exceeds room at `level`, each
    /// as (workers, sets).
    fn short_groups(&self, level: f64) -> Vec<(Vec<usize>, Vec<usize>)> {
        match self.short_cut(level) {
            Some(cut) => self.components(&cut.workers, &cut.sets),
            None => Vec::new(),
        }
    }

    /// The tightest cut at `level`: the least set of workers whose cases (those no one outside
    /// may hold) exceed their room at `level` by the most; `None` when none falls short.
    fn short_cut(&self, level: f64) -> Option<Cut> {
        let in_play = self.in_play();
        let ceilings: Vec<i64> = self
            .scenario
            .staff
            .iter()
            .zip(&in_play)
            .map(|(s, play)| {
                if *play {
                    (level * s.capacity * self.scale).floor() as i64
                } else {
                    0
                }
            })
            .collect();
        let plain: Vec<(i64, Vec<usize>)> = self
            .sets
            .iter()
            .map(|(weight, workers, _)| (*weight, workers.clone()))
            .collect();
        let cut = tightest_cut(&plain, &ceilings);
        // Rounding each ceiling down loses under one step per worker.
        (cut.missing > ceilings.len() as i64).then_some(cut)
    }

    /// A cut's weight (of the sets inside) and capacity (of the workers inside).
    fn weight_and_capacity(&self, cut: &Cut) -> (Points, Points) {
        let weight = (0..self.sets.len())
            .filter(|s| cut.sets[*s])
            .flat_map(|s| &self.sets[s].2)
            .map(|u| self.units[*u].weight)
            .sum();
        let capacity = (0..cut.workers.len())
            .filter(|w| cut.workers[*w])
            .map(|w| self.scenario.staff[w.into()].capacity)
            .sum();
        (weight, capacity)
    }

    /// Every tightest cut at a level from `target` up, outermost first: the cuts at those levels
    /// are nested, each inner one denser, and they change only at a few levels. Eisner and
    /// Severance's search finds each: between two cuts A ⊃ B, the level where A and B fall
    /// equally short is where any cut between them would be tightest. At most [`MAX_CUTS`]
    /// max flows.
    fn nested_cuts(&self, target: f64) -> Vec<Cut> {
        let Some(outer) = self.short_cut(target) else {
            return Vec::new();
        };
        let empty = Cut {
            missing: 0,
            workers: vec![false; outer.workers.len()],
            sets: vec![false; outer.sets.len()],
        };
        let mut cuts = vec![outer, empty];
        let mut pending = vec![(0, 1)];
        let mut flows = 1;
        while let Some((a, b)) = pending.pop() {
            if flows >= MAX_CUTS {
                break;
            }
            let (wa, ca) = self.weight_and_capacity(&cuts[a]);
            let (wb, cb) = self.weight_and_capacity(&cuts[b]);
            if ca - cb <= 1e-9 {
                continue;
            }
            let level = (wa - wb) / (ca - cb);
            flows += 1;
            let Some(cut) = self.short_cut(level) else {
                continue;
            };
            let (w, c) = self.weight_and_capacity(&cut);
            let known = cuts.iter().any(|k| k.workers == cut.workers);
            // New only when it falls shorter at that level than both A and B do.
            if known || w - level * c <= wa - level * ca + 1e-9 * wa.max(1.0) {
                continue;
            }
            cuts.push(cut);
            let m = cuts.len() - 1;
            pending.push((m, b));
            pending.push((a, m));
        }
        cuts.remove(1);
        // Outermost first: more workers inside.
        cuts.sort_by_key(|cut| std::cmp::Reverse(cut.workers.iter().filter(|w| **w).count()));
        cuts
    }

    /// Splits the workers and sets marked into groups connected through sets.
    fn components(&self, workers: &[bool], sets: &[bool]) -> Vec<(Vec<usize>, Vec<usize>)> {
        let n = workers.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn root(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (s, (_, set_workers, _)) in self.sets.iter().enumerate() {
            if !sets[s] {
                continue;
            }
            for pair in set_workers.windows(2) {
                let (a, b) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut groups: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for w in (0..n).filter(|w| workers[*w]) {
            let r = root(&mut parent, w);
            groups.entry(r).or_default().0.push(w);
        }
        for (s, (_, set_workers, _)) in self.sets.iter().enumerate() {
            if sets[s] {
                let r = root(&mut parent, set_workers[0]);
                groups.entry(r).or_default().1.push(s);
            }
        }
        groups.into_values().collect()
    }

    /// The group of `workers` with the units of `sets`, described.
    fn group(&self, workers: &[usize], sets: &[usize]) -> Group {
        let scenario = self.scenario;
        let whole_team = sets.len() == self.sets.len()
            && workers.len() == self.in_play().iter().filter(|p| **p).count();
        let mut cases: Vec<CaseIdx> = sets
            .iter()
            .flat_map(|s| &self.sets[*s].2)
            .flat_map(|u| self.units[*u].cases.iter().copied())
            .collect();
        cases.sort();
        let weight = sets
            .iter()
            .flat_map(|s| &self.sets[*s].2)
            .map(|u| self.units[*u].weight)
            .sum();
        let capacity = workers
            .iter()
            .map(|w| scenario.staff[(*w).into()].capacity)
            .sum();
        let mut shared_needs: Vec<Skill> = cases
            .first()
            .map(|c| scenario.cases[*c].needs.clone())
            .unwrap_or_default();
        for c in &cases {
            shared_needs.retain(|s| scenario.cases[*c].needs.contains(s));
        }
        let workers: Vec<StaffIdx> = workers.iter().map(|w| (*w).into()).collect();
        let with_skills: Vec<StaffIdx> =
            scenario.qualified(&shared_needs).map(|(w, _)| w).collect();
        Group {
            all_with_skills: !shared_needs.is_empty() && with_skills == workers,
            workers,
            cases,
            weight,
            capacity,
            shared_needs,
            whole_team,
        }
    }

    /// The densest group: Dinkelbach's iteration from the whole team, each step a min cut at
    /// the current group's level, until no group is denser.
    fn densest(&self) -> Option<Group> {
        let in_play = self.in_play();
        let all_workers: Vec<usize> = (0..in_play.len()).filter(|w| in_play[*w]).collect();
        if all_workers.is_empty() {
            return None;
        }
        let all_sets: Vec<usize> = (0..self.sets.len()).collect();
        let mut best = self.group(&all_workers, &all_sets);
        if best.weight <= 0.0 {
            // Nothing to place: no level binds anyone.
            return None;
        }
        for _ in 0..64 {
            let denser = self
                .short_groups(best.level())
                .into_iter()
                .map(|(workers, sets)| self.group(&workers, &sets))
                .filter(|g| g.level() > best.level() * (1.0 + 1e-12))
                .max_by(|a, b| a.level().total_cmp(&b.level()));
            match denser {
                Some(g) => best = g,
                None => break,
            }
        }
        Some(best)
    }
}

/// What binds a scenario's proposals in `mode`: the densest group and every group short of room
/// at the policy's target.
pub fn what_binds(scenario: &Scenario, mode: Mode) -> Binding {
    what_binds_by(scenario, mode, None)
}

/// [`what_binds`], without what one more worker would do when there is not time for it before
/// `deadline`.
pub fn what_binds_by(scenario: &Scenario, mode: Mode, deadline: Option<Instant>) -> Binding {
    let started = Instant::now();
    let network = Network::new(scenario, mode);
    let equity = network.densest();
    // What one more worker would do costs about as much again, and the rest of the
    // explanation as much once more: it is left out when that would pass the deadline.
    let spent = started.elapsed();
    let one_more = equity
        .as_ref()
        .filter(|_| deadline.is_none_or(|d| Instant::now() + spent * 3 < d))
        .filter(|g| g.whole_team || g.all_with_skills)
        .and_then(|g| {
            let mut more = scenario.clone();
            let mut id = "one-more".to_string();
            while more.staff_by_id(&id).is_some() {
                id.push('+');
            }
            let origin = crate::domain::Location::file(&scenario.path);
            let capacity = scenario.typical_full_time_capacity()?;
            let hire = more.add_hire(id, None, 1.0, g.shared_needs.clone(), origin);
            more.staff[hire].capacity = capacity;
            let level = Network::new(&more, mode).densest()?.level();
            (level < g.level() - 1e-9).then(|| OneMore {
                skills: g.shared_needs.clone(),
                capacity,
                level,
            })
        });
    Binding {
        overload: network.shortfalls(scenario.policy.target_utilization),
        equity,
        one_more,
    }
}

/// The groups whose cases outweigh their room at utilization `target` (not necessarily the
/// policy's): each outermost group, in staff order, followed by the groups short inside it.
pub fn shortfalls_at(scenario: &Scenario, mode: Mode, target: f64) -> Vec<Shortfall> {
    Network::new(scenario, mode).shortfalls(target)
}

/// The outermost groups whose cases outweigh their room at utilization `target`: disjoint, in
/// staff order, from a single max flow (what searches that ask often need).
pub fn outermost_shortfalls_at(scenario: &Scenario, mode: Mode, target: f64) -> Vec<Shortfall> {
    let network = Network::new(scenario, mode);
    network.described(target, network.short_groups(target))
}

impl Network<'_> {
    /// Every group short of room at `target` that a tightest cut at some level from `target` up
    /// finds: each outermost group (disjoint, in staff order) followed by the groups short
    /// inside it, each knowing the listed group it lies within.
    fn shortfalls(&self, target: f64) -> Vec<Shortfall> {
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for cut in self.nested_cuts(target) {
            for group in self.components(&cut.workers, &cut.sets) {
                if !groups.iter().any(|g| g.0 == group.0) {
                    groups.push(group);
                }
            }
        }
        self.described(target, groups)
    }

    /// Groups of workers and sets as shortfalls at `target`, those not short left out, ordered
    /// and nested by [`nest`].
    fn described(&self, target: f64, groups: Vec<(Vec<usize>, Vec<usize>)>) -> Vec<Shortfall> {
        let shortfalls: Vec<(Vec<usize>, Shortfall)> = groups
            .into_iter()
            .filter_map(|(workers, sets)| {
                let group = self.group(&workers, &sets);
                let room = group.capacity * target;
                let overload = group.weight - room;
                (overload > 1e-6).then_some((
                    workers,
                    Shortfall {
                        group,
                        target,
                        room,
                        overload,
                        within: None,
                    },
                ))
            })
            .collect();
        nest(shortfalls)
    }
}

/// Orders groups as a tree walked depth first (a group, then the groups inside it, siblings in
/// staff order), each pointing at the smallest listed group it lies within.
fn nest(groups: Vec<(Vec<usize>, Shortfall)>) -> Vec<Shortfall> {
    let inside = |inner: &[usize], outer: &[usize]| {
        inner.len() < outer.len() && inner.iter().all(|w| outer.binary_search(w).is_ok())
    };
    let parent: Vec<Option<usize>> = groups
        .iter()
        .map(|(workers, _)| {
            (0..groups.len())
                .filter(|o| inside(workers, &groups[*o].0))
                .min_by_key(|o| groups[*o].0.len())
        })
        .collect();
    let mut stack: Vec<(usize, Option<usize>)> = Vec::new();
    let children = |of: Option<usize>| {
        let mut kids: Vec<usize> = (0..groups.len()).filter(|g| parent[*g] == of).collect();
        kids.sort_by_key(|g| groups[*g].0[0]);
        kids
    };
    stack.extend(children(None).into_iter().rev().map(|g| (g, None)));
    let mut position = vec![0; groups.len()];
    let mut listed: Vec<Shortfall> = Vec::new();
    while let Some((g, within)) = stack.pop() {
        position[g] = listed.len();
        let mut shortfall = groups[g].1.clone();
        shortfall.within = within.map(|p| position[p]);
        listed.push(shortfall);
        stack.extend(children(Some(g)).into_iter().rev().map(|c| (c, Some(g))));
    }
    listed
}
