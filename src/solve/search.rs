//! A quick start for the integer program: a constructive assignment improved by local search.
//!
//! The integer program proves; this finds. A good start means the equity search begins next to
//! the optimum (often at the lower bound, so no integer program is needed to prove it), and every
//! later step starts from a feasible point. Every hard rule is kept throughout: allowed workers,
//! `max_cases` and the move budget.

use std::time::Instant;

use crate::domain::{overload, IndexVec, StaffIdx};
use crate::solve::model::{Choice, Program, Slot, Unit, UnitIdx};
use crate::solve::stop::time_is_up;
use crate::solve::Holders;

/// Working state: a complete choice with its loads, counts and budget.
struct State<'p> {
    units: &'p IndexVec<UnitIdx, Unit>,
    cap: IndexVec<StaffIdx, f64>,
    max_cases: IndexVec<StaffIdx, u32>,
    available: IndexVec<StaffIdx, bool>,
    choice: Choice,
    load: IndexVec<StaffIdx, f64>,
    count: IndexVec<StaffIdx, u32>,
    by_worker: IndexVec<StaffIdx, Vec<UnitIdx>>,
    budget_left: i64,
}

/// A unit sent to one of its allowed workers: one link of a chain, one half of a swap.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Placement {
    unit: UnitIdx,
    slot: Slot,
}

/// A single move off the top worker.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Move {
    to: Placement,
    /// The higher of the two utilizations it leaves, the top's and the receiver's.
    worst: f64,
    /// Discretionary reassignments it adds (negative when it brings a case home).
    budget_delta: i64,
}

/// A unit off the top worker and a lighter one back from a partner.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Swap {
    out: Placement,
    back: Placement,
    /// The higher of the two utilizations it leaves.
    worst: f64,
}

impl State<'_> {
    fn util(&self, w: StaffIdx) -> f64 {
        self.load[w] / self.cap[w]
    }

    fn worker(&self, u: UnitIdx) -> StaffIdx {
        self.units[u].worker(self.choice[u])
    }

    /// Change in discretionary moves if unit `u` goes to slot `k`.
    fn budget_delta(&self, u: UnitIdx, k: Slot) -> i64 {
        let unit = &self.units[u];
        i64::from(unit.moves_to(unit.worker(k)).discretionary)
            - i64::from(unit.moves_to(self.worker(u)).discretionary)
    }

    fn reassign(&mut self, to: Placement) {
        let Placement { unit: u, slot: k } = to;
        let unit = &self.units[u];
        let old = self.worker(u);
        let new = unit.worker(k);
        self.budget_left -= self.budget_delta(u, k);
        self.load[old] -= unit.weight;
        self.count[old] -= unit.count();
        self.load[new] += unit.weight;
        self.count[new] += unit.count();
        self.by_worker[old].retain(|x| *x != u);
        self.by_worker[new].push(u);
        self.choice[u] = k;
    }

    /// The most utilized available worker (lowest index among ties).
    fn top(&self) -> Option<(StaffIdx, f64)> {
        self.load
            .indices()
            .filter(|w| self.available[*w])
            .map(|w| (w, self.util(w)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// The best single move of a unit off `top` that leaves both ends below `top_util`.
    fn best_move(&self, top: StaffIdx, top_util: f64) -> Option<Move> {
        let mut best: Option<Move> = None;
        for &u in &self.by_worker[top] {
            let unit = &self.units[u];
            if unit.allowed.len() < 2 {
                continue;
            }
            for (k, w) in unit.slots() {
                if w == top || self.count[w] + unit.count() > self.max_cases[w] {
                    continue;
                }
                let delta = self.budget_delta(u, k);
                if delta > self.budget_left {
                    continue;
                }
                let worst = ((self.load[w] + unit.weight) / self.cap[w])
                    .max((self.load[top] - unit.weight) / self.cap[top]);
                // Spend the move budget last: moves that cost nothing (intake, cases that must
                // move, cases already away from their holder) come first.
                let better =
                    best.is_none_or(|b| (delta, worst) < (b.budget_delta, b.worst - 1e-12));
                if worst < top_util - 1e-9 && better {
                    best = Some(Move {
                        to: Placement { unit: u, slot: k },
                        worst,
                        budget_delta: delta,
                    });
                }
            }
        }
        best
    }

    /// The best swap of a unit on `top` with a lighter unit elsewhere, looking at the least
    /// utilized workers first and at most `limit` pairs.
    fn best_swap(&self, top: StaffIdx, top_util: f64, limit: usize) -> Option<Swap> {
        let mut partners: Vec<StaffIdx> = self
            .load
            .indices()
            .filter(|w| *w != top && self.available[*w] && self.util(*w) < top_util - 1e-9)
            .collect();
        partners.sort_by(|a, b| self.util(*a).total_cmp(&self.util(*b)).then(a.cmp(b)));
        let mut best: Option<Swap> = None;
        let mut tried = 0;
        for w in partners {
            for &a in &self.by_worker[top] {
                let ua = &self.units[a];
                let Some(ka) = ua.slot_of(w) else {
                    continue;
                };
                for &b in &self.by_worker[w] {
                    tried += 1;
                    let ub = &self.units[b];
                    if ub.weight >= ua.weight {
                        continue;
                    }
                    let Some(kb) = ub.slot_of(top) else {
                        continue;
                    };
                    let count_w = self.count[w] + ua.count() - ub.count();
                    let count_top = self.count[top] + ub.count() - ua.count();
                    if count_w > self.max_cases[w] || count_top > self.max_cases[top] {
                        continue;
                    }
                    if self.budget_delta(a, ka) + self.budget_delta(b, kb) > self.budget_left {
                        continue;
                    }
                    let new_top = (self.load[top] - ua.weight + ub.weight) / self.cap[top];
                    let new_w = (self.load[w] - ub.weight + ua.weight) / self.cap[w];
                    let worst = new_top.max(new_w);
                    if worst < top_util - 1e-9 && best.is_none_or(|x| worst < x.worst - 1e-12) {
                        best = Some(Swap {
                            out: Placement { unit: a, slot: ka },
                            back: Placement { unit: b, slot: kb },
                            worst,
                        });
                    }
                }
            }
            if (tried >= limit && best.is_some()) || tried >= 5 * limit {
                break;
            }
        }
        best
    }
}

impl State<'_> {
    /// An ejection chain off `top`: a unit leaves `top` for a worker who, if that would lift
    /// them to `top_util` or above, passes on a unit heavy enough to stay below, and so on,
    /// until a worker with room ends the chain. Workers are searched breadth first, so the
    /// shortest chain is found; every worker it touches ends strictly below `top_util`, and
    /// `max_cases` and the move budget hold. This finds what single moves and swaps miss: a
    /// worker with a scarce skill handing a plain case on so that they can take a skilled one.
    fn best_chain(&self, top: StaffIdx, top_util: f64) -> Option<Vec<Placement>> {
        /// How a worker was reached: from whom, by which placement, and the budget spent.
        #[derive(Clone, Copy)]
        struct Reached {
            from: StaffIdx,
            by: Placement,
            spent: i64,
        }
        let n = self.load.len();
        let ceiling = |w: StaffIdx| (top_util - 1e-9) * self.cap[w];
        let mut reached: IndexVec<StaffIdx, Option<Reached>> = IndexVec::from_vec(vec![None; n]);
        let mut seen: IndexVec<StaffIdx, bool> = IndexVec::from_vec(vec![false; n]);
        seen[top] = true;
        let mut queue = std::collections::VecDeque::from([top]);
        while let Some(v) = queue.pop_front() {
            let (weight_in, count_in, spent) = match reached[v] {
                Some(r) => (
                    self.units[r.by.unit].weight,
                    self.units[r.by.unit].count(),
                    r.spent,
                ),
                None => (0.0, 0, 0),
            };
            // The least weight v must give up to end below the ceiling (any unit, for top).
            let need = if v == top {
                0.0
            } else {
                self.load[v] + weight_in - ceiling(v)
            };
            // Lightest first: the worker reached then has the least to pass on.
            let mut leaving = self.by_worker[v].clone();
            leaving.sort_by(|a, b| {
                let (wa, wb) = (self.units[*a].weight, self.units[*b].weight);
                wa.total_cmp(&wb).then(a.cmp(b))
            });
            for u in leaving {
                let unit = &self.units[u];
                if unit.allowed.len() < 2
                    || unit.weight < need
                    || self.count[v] + count_in - unit.count() > self.max_cases[v]
                {
                    continue;
                }
                for (k, x) in unit.slots() {
                    if seen[x] {
                        continue;
                    }
                    let spent = spent + self.budget_delta(u, k);
                    if spent > self.budget_left {
                        continue;
                    }
                    seen[x] = true;
                    reached[x] = Some(Reached {
                        from: v,
                        by: Placement { unit: u, slot: k },
                        spent,
                    });
                    let fits = self.load[x] + unit.weight <= ceiling(x)
                        && self.count[x] + unit.count() <= self.max_cases[x];
                    if fits {
                        let mut chain = Vec::new();
                        let mut at = x;
                        while let Some(r) = reached[at] {
                            chain.push(r.by);
                            at = r.from;
                        }
                        return Some(chain);
                    }
                    queue.push_back(x);
                }
            }
        }
        None
    }
}

/// A start that keeps every hard rule, or `None` if the simple construction cannot find one;
/// improved until `deadline`.
pub fn quick_start(program: &Program<'_>, deadline: Instant) -> Option<Choice> {
    let choice = construct(program)?;
    Some(improve(program, choice, deadline))
}

/// A start from the holders of a proposal for the same team (one made under another move
/// budget, say), improved until `deadline`: `None` when it splits a unit, gives a case to a
/// worker the unit does not allow or breaks `max_cases`. A proposal that spends more than this
/// program's move budget first takes back the discretionary reassignments it must, each time
/// the one that leaves the worker it returns to least utilized (`None` if that cannot be done).
pub fn start_from(program: &Program<'_>, holders: &Holders, deadline: Instant) -> Option<Choice> {
    if holders.len() != program.scenario.cases.len() {
        return None;
    }
    let choice: Option<Vec<Slot>> = program
        .units
        .iter()
        .map(|unit| {
            let worker = holders[*unit.cases.first()?]?;
            let together = unit.cases.iter().all(|c| holders[*c] == Some(worker));
            together.then(|| unit.slot_of(worker)).flatten()
        })
        .collect();
    let mut state = State::new(program, IndexVec::from_vec(choice?));
    let within_max_cases = state
        .count
        .indices()
        .all(|w| state.count[w] <= state.max_cases[w]);
    if !within_max_cases {
        return None;
    }
    while state.budget_left < 0 {
        let back = state.cheapest_take_back()?;
        state.reassign(back);
    }
    Some(state.lower_top(deadline))
}

impl State<'_> {
    /// The placement that takes back a discretionary reassignment and leaves the worker it goes
    /// to least utilized (the first such unit and slot on a tie), within `max_cases`.
    fn cheapest_take_back(&self) -> Option<Placement> {
        let mut best: Option<(f64, Placement)> = None;
        for (u, unit) in self.units.iter_enumerated() {
            for (k, w) in unit.slots() {
                if self.budget_delta(u, k) >= 0 || self.count[w] + unit.count() > self.max_cases[w]
                {
                    continue;
                }
                let after = (self.load[w] + unit.weight) / self.cap[w];
                if best.is_none_or(|(b, _)| after < b - 1e-12) {
                    best = Some((after, Placement { unit: u, slot: k }));
                }
            }
        }
        best.map(|(_, placement)| placement)
    }
}

/// Each worker's capacity.
fn capacities(program: &Program<'_>) -> IndexVec<StaffIdx, f64> {
    IndexVec::from_vec(program.scenario.staff.iter().map(|s| s.capacity).collect())
}

/// Each worker's `max_cases`, `u32::MAX` when unlimited.
fn max_cases(program: &Program<'_>) -> IndexVec<StaffIdx, u32> {
    let staff = program.scenario.staff.iter();
    IndexVec::from_vec(staff.map(|s| s.max_cases.unwrap_or(u32::MAX)).collect())
}

/// Keep holders where the rules allow, reunite split families where it costs fewest moves, then
/// place the rest heaviest first on the least utilized allowed worker.
pub(crate) fn construct(program: &Program<'_>) -> Option<Choice> {
    let scenario = program.scenario;
    let units = program.units;
    let n = scenario.staff.len();
    let cap = capacities(program);
    let max_cases = max_cases(program);
    let mut load: IndexVec<StaffIdx, f64> = IndexVec::from_vec(vec![0.0; n]);
    let mut count: IndexVec<StaffIdx, u32> = IndexVec::from_vec(vec![0; n]);
    let mut choice: IndexVec<UnitIdx, Option<Slot>> = IndexVec::from_vec(vec![None; units.len()]);
    let mut budget_left = program.budget.map(i64::from).unwrap_or(i64::MAX);
    let util_after = |load: &IndexVec<StaffIdx, f64>, unit: &Unit, k: Slot| {
        let w = unit.worker(k);
        (load[w] + unit.weight) / cap[w]
    };
    let place = |u: UnitIdx,
                 k: Slot,
                 choice: &mut IndexVec<UnitIdx, Option<Slot>>,
                 load: &mut IndexVec<StaffIdx, f64>,
                 count: &mut IndexVec<StaffIdx, u32>,
                 budget_left: &mut i64| {
        let unit = &units[u];
        let w = unit.worker(k);
        load[w] += unit.weight;
        count[w] += unit.count();
        *budget_left -= i64::from(unit.moves_to(unit.worker(k)).discretionary);
        choice[u] = Some(k);
    };

    // Keep: units whose cases all sit with one allowed holder today (and fixed units).
    for (u, unit) in units.iter_enumerated() {
        let keep = if unit.allowed.len() == 1 {
            Some(Slot(0))
        } else if unit.holders.is_empty() {
            None
        } else {
            unit.slots()
                .find(|(_, w)| unit.moves_to(*w).all == 0)
                .map(|(k, _)| k)
        };
        if let Some(k) = keep {
            place(u, k, &mut choice, &mut load, &mut count, &mut budget_left);
        }
    }
    // Split families, then intake and required moves, heaviest first.
    let mut rest: Vec<UnitIdx> = units.indices().filter(|u| choice[*u].is_none()).collect();
    rest.sort_by(|a, b| {
        let split = |u: &UnitIdx| units[*u].holders.iter().any(|h| !h.must_leave);
        split(b)
            .cmp(&split(a))
            .then(units[*b].weight.total_cmp(&units[*a].weight))
            .then(a.cmp(b))
    });
    for u in rest {
        let unit = &units[u];
        let k = unit
            .slots()
            .map(|(k, _)| k)
            .filter(|k| {
                let w = unit.worker(*k);
                count[w] + unit.count() <= max_cases[w]
                    && i64::from(unit.moves_to(unit.worker(*k)).discretionary) <= budget_left
            })
            .min_by(|a, b| {
                let (ma, mb) = (
                    unit.moves_to(unit.worker(*a)).discretionary,
                    unit.moves_to(unit.worker(*b)).discretionary,
                );
                ma.cmp(&mb)
                    .then(util_after(&load, unit, *a).total_cmp(&util_after(&load, unit, *b)))
            })?;
        place(u, k, &mut choice, &mut load, &mut count, &mut budget_left);
    }
    if budget_left < 0 || count.indices().any(|w| count[w] > max_cases[w]) {
        return None;
    }
    Some(IndexVec::from_vec(
        choice
            .iter()
            .map(|k| k.expect("every unit placed"))
            .collect(),
    ))
}

/// Lowers the most utilized worker, one move or swap at a time, while that is possible and
/// `deadline` has not passed.
pub fn improve(program: &Program<'_>, choice: Choice, deadline: Instant) -> Choice {
    State::new(program, choice).lower_top(deadline)
}

impl<'p> State<'p> {
    fn new(program: &'p Program<'_>, choice: Choice) -> Self {
        let scenario = program.scenario;
        let n = scenario.staff.len();
        let mut state = State {
            units: program.units,
            cap: capacities(program),
            max_cases: max_cases(program),
            available: IndexVec::from_vec(scenario.staff.iter().map(|s| s.available).collect()),
            load: IndexVec::from_vec(vec![0.0; n]),
            count: IndexVec::from_vec(vec![0; n]),
            by_worker: IndexVec::from_vec(vec![Vec::new(); n]),
            budget_left: program.budget.map(i64::from).unwrap_or(i64::MAX),
            choice,
        };
        for (u, unit) in program.units.iter_enumerated() {
            let w = unit.worker(state.choice[u]);
            state.load[w] += unit.weight;
            state.count[w] += unit.count();
            state.by_worker[w].push(u);
            state.budget_left -= i64::from(unit.moves_to(w).discretionary);
        }
        state
    }

    /// Lowers the most utilized worker, one move or swap at a time, while that is possible.
    ///
    /// Each accepted step lowers the top worker and leaves the other end below where the top
    /// was, so the utilizations sorted from the top fall lexicographically and the search ends.
    fn lower_top(mut self, deadline: Instant) -> Choice {
        let swap_limit = 20_000;
        for _ in 0..self.units.len().saturating_mul(4).max(16) {
            if time_is_up(deadline) {
                break;
            }
            let Some((top, top_util)) = self.top() else {
                break;
            };
            if let Some(m) = self.best_move(top, top_util) {
                self.reassign(m.to);
            } else if let Some(swap) = self.best_swap(top, top_util, swap_limit) {
                self.reassign(swap.out);
                self.reassign(swap.back);
            } else if let Some(chain) = self.best_chain(top, top_util) {
                for link in chain {
                    self.reassign(link);
                }
            } else {
                break;
            }
        }
        self.choice
    }
}

/// A change of one worker's load and case count, tried before it is made.
#[derive(Debug, Clone, Copy)]
struct Change {
    worker: StaffIdx,
    /// Weight added (negative: removed).
    weight: f64,
    /// Cases added (negative: removed).
    count: i64,
}

/// Each worker's most load at utilization `ceiling`, rounded as the program rounds it.
fn load_ceilings(
    program: &Program<'_>,
    capacities: &IndexVec<StaffIdx, f64>,
    ceiling: f64,
) -> IndexVec<StaffIdx, f64> {
    IndexVec::from_vec(
        capacities
            .iter()
            .map(|c| program.load_ceiling(ceiling, *c))
            .collect(),
    )
}

/// Brings cases back to their holders while every worker stays within `ceiling` utilization
/// (rounded as the program rounds it) and total overload within `overload_limit`, until
/// `deadline`: a good start
/// for the fewest-moves step, and a better answer when that step runs out of time.
///
/// Two kinds of step, each undoing one reassignment: a unit goes home when its holder has room;
/// or it goes home while a visitor at its holder (a unit away from its own holder) takes its
/// place.
pub fn fewer_moves(
    program: &Program<'_>,
    choice: Choice,
    ceiling: f64,
    overload_limit: f64,
    deadline: Instant,
) -> Choice {
    let mut state = State::new(program, choice);
    let target = program.scenario.policy.target_utilization;
    let limit = load_ceilings(program, &state.cap, ceiling);
    let over = |load: f64, cap: f64| overload(load, cap, target);
    let mut overload: f64 = state
        .load
        .indices()
        .map(|w| over(state.load[w], state.cap[w]))
        .sum();
    let home = |state: &State<'_>, u: UnitIdx| -> Option<Slot> {
        let unit = &state.units[u];
        let holder = unit.sole_holder()?;
        if state.worker(u) == holder {
            return None;
        }
        unit.slot_of(holder)
    };
    // The overload after `changes`, when they keep every limit.
    let fits = |state: &State<'_>, changes: &[Change], overload: f64| -> Option<f64> {
        let mut new_overload = overload;
        for change in changes {
            let w = change.worker;
            let load = state.load[w] + change.weight;
            let count = i64::from(state.count[w]) + change.count;
            if load > limit[w] + 1e-9 || count > i64::from(state.max_cases[w]) {
                return None;
            }
            new_overload += over(load, state.cap[w]) - over(state.load[w], state.cap[w]);
        }
        (new_overload <= overload_limit + 1e-9).then_some(new_overload)
    };
    let change = |worker: StaffIdx, weight: f64, count: i64| Change {
        worker,
        weight,
        count,
    };
    let mut improved = true;
    while improved {
        improved = false;
        let units = state.units;
        for u in units.indices() {
            if u.index() % 256 == 0 && time_is_up(deadline) {
                return state.choice;
            }
            let Some(k) = home(&state, u) else { continue };
            let unit = &state.units[u];
            let (at, holder) = (state.worker(u), unit.worker(k));
            let (wu, cu) = (unit.weight, i64::from(unit.count()));
            let going_home = Placement { unit: u, slot: k };
            if let Some(o) = fits(
                &state,
                &[change(holder, wu, cu), change(at, -wu, -cu)],
                overload,
            ) {
                state.reassign(going_home);
                overload = o;
                improved = true;
                continue;
            }
            // Units at the holder's that are not at home there: visitors, who may make room.
            let visitors: Vec<UnitIdx> = state.by_worker[holder]
                .iter()
                .copied()
                .filter(|&v| {
                    let visitor = &state.units[v];
                    visitor.allowed.len() > 1 && !visitor.holders.iter().any(|h| h.worker == holder)
                })
                .collect();
            // A visitor takes the place this unit leaves.
            for &v in &visitors {
                let visitor = &state.units[v];
                let Some(kv) = visitor.slot_of(at) else {
                    continue;
                };
                if state.budget_delta(v, kv) + state.budget_delta(u, k) > state.budget_left {
                    continue;
                }
                let (wv, cv) = (visitor.weight, i64::from(visitor.count()));
                let changes = [
                    change(holder, wu - wv, cu - cv),
                    change(at, wv - wu, cv - cu),
                ];
                if let Some(o) = fits(&state, &changes, overload) {
                    state.reassign(going_home);
                    state.reassign(Placement { unit: v, slot: kv });
                    overload = o;
                    improved = true;
                    break;
                }
            }
            if state.worker(u) == holder {
                continue;
            }
            // Or a visitor goes on to any other worker with room.
            'visitors: for &v in &visitors {
                let visitor = &state.units[v];
                let (wv, cv) = (visitor.weight, i64::from(visitor.count()));
                for (kx, x) in visitor.slots() {
                    if x == holder
                        || x == at
                        || state.budget_delta(v, kx) + state.budget_delta(u, k) > state.budget_left
                    {
                        continue;
                    }
                    let changes = [
                        change(holder, wu - wv, cu - cv),
                        change(at, -wu, -cu),
                        change(x, wv, cv),
                    ];
                    if let Some(o) = fits(&state, &changes, overload) {
                        state.reassign(going_home);
                        state.reassign(Placement { unit: v, slot: kx });
                        overload = o;
                        improved = true;
                        break 'visitors;
                    }
                }
            }
        }
    }
    state.choice
}
