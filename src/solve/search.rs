//! A quick start for the integer program: a constructive assignment improved by local search.
//!
//! The integer program proves; this finds. A good start means the equity search begins next to
//! the optimum (often at the lower bound, so no integer program is needed to prove it), and every
//! later step starts from a feasible point. Every hard rule is kept throughout: allowed workers,
//! `max_cases` and the move budget.

use crate::domain::{IndexVec, StaffIdx};
use crate::solve::model::{Choice, Program, Slot, Unit, UnitIdx};

/// Working state: a complete choice with its loads, counts and budget.
struct State<'p> {
    units: &'p IndexVec<UnitIdx, Unit>,
    cap: Vec<f64>,
    max_cases: Vec<u32>,
    available: Vec<bool>,
    choice: Choice,
    load: Vec<f64>,
    count: Vec<u32>,
    by_worker: Vec<Vec<UnitIdx>>,
    budget_left: i64,
}

impl State<'_> {
    fn util(&self, w: usize) -> f64 {
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

    fn reassign(&mut self, u: UnitIdx, k: Slot) {
        let unit = &self.units[u];
        let old = self.worker(u).index();
        let new = unit.worker(k).index();
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
    fn top(&self) -> Option<(usize, f64)> {
        (0..self.load.len())
            .filter(|w| self.available[*w])
            .map(|w| (w, self.util(w)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// The best single move of a unit off `top` that leaves both ends below `top_util`.
    fn best_move(&self, top: usize, top_util: f64) -> Option<(UnitIdx, Slot, f64, i64)> {
        let mut best: Option<(UnitIdx, Slot, f64, i64)> = None;
        for &u in &self.by_worker[top] {
            let unit = &self.units[u];
            if unit.allowed.len() < 2 {
                continue;
            }
            for (k, w) in unit.slots() {
                let wi = w.index();
                if wi == top
                    || self.count[wi] + unit.count() > self.max_cases[wi]
                    || self.budget_delta(u, k) > self.budget_left
                {
                    continue;
                }
                let worst = ((self.load[wi] + unit.weight) / self.cap[wi])
                    .max((self.load[top] - unit.weight) / self.cap[top]);
                // Spend the move budget last: moves that cost nothing (intake, cases that must
                // move, cases already away from their holder) come first.
                let delta = self.budget_delta(u, k);
                let better = best
                    .is_none_or(|b: (UnitIdx, Slot, f64, i64)| (delta, worst) < (b.3, b.2 - 1e-12));
                if worst < top_util - 1e-9 && better {
                    best = Some((u, k, worst, delta));
                }
            }
        }
        best
    }

    /// The best swap of a unit on `top` with a lighter unit elsewhere, looking at the least
    /// utilized workers first and at most `limit` pairs.
    fn best_swap(
        &self,
        top: usize,
        top_util: f64,
        limit: usize,
    ) -> Option<(UnitIdx, Slot, UnitIdx, Slot, f64)> {
        let mut partners: Vec<usize> = (0..self.load.len())
            .filter(|w| *w != top && self.available[*w] && self.util(*w) < top_util - 1e-9)
            .collect();
        partners.sort_by(|a, b| self.util(*a).total_cmp(&self.util(*b)).then(a.cmp(b)));
        let mut best: Option<(UnitIdx, Slot, UnitIdx, Slot, f64)> = None;
        let mut tried = 0;
        for w in partners {
            for &a in &self.by_worker[top] {
                let ua = &self.units[a];
                let Some(ka) = ua.slot_of(StaffIdx::from(w)) else {
                    continue;
                };
                for &b in &self.by_worker[w] {
                    tried += 1;
                    let ub = &self.units[b];
                    if ub.weight >= ua.weight {
                        continue;
                    }
                    let Some(kb) = ub.slot_of(StaffIdx::from(top)) else {
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
                    if worst < top_util - 1e-9 && best.is_none_or(|x| worst < x.4 - 1e-12) {
                        best = Some((a, ka, b, kb, worst));
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
    fn best_chain(&self, top: usize, top_util: f64) -> Option<Vec<(UnitIdx, Slot)>> {
        /// How a worker was reached: from whom, with which unit and slot, and the budget spent.
        #[derive(Clone, Copy)]
        struct Reached {
            from: usize,
            unit: UnitIdx,
            slot: Slot,
            spent: i64,
        }
        let n = self.load.len();
        let ceiling = |w: usize| (top_util - 1e-9) * self.cap[w];
        let mut reached: Vec<Option<Reached>> = vec![None; n];
        let mut seen = vec![false; n];
        seen[top] = true;
        let mut queue = std::collections::VecDeque::from([top]);
        while let Some(v) = queue.pop_front() {
            let (weight_in, count_in, spent) = match reached[v] {
                Some(r) => (
                    self.units[r.unit].weight,
                    self.units[r.unit].count(),
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
                    let xi = x.index();
                    if seen[xi] {
                        continue;
                    }
                    let spent = spent + self.budget_delta(u, k);
                    if spent > self.budget_left {
                        continue;
                    }
                    seen[xi] = true;
                    reached[xi] = Some(Reached {
                        from: v,
                        unit: u,
                        slot: k,
                        spent,
                    });
                    let fits = self.load[xi] + unit.weight <= ceiling(xi)
                        && self.count[xi] + unit.count() <= self.max_cases[xi];
                    if fits {
                        let mut chain = Vec::new();
                        let mut at = xi;
                        while let Some(r) = reached[at] {
                            chain.push((r.unit, r.slot));
                            at = r.from;
                        }
                        return Some(chain);
                    }
                    queue.push_back(xi);
                }
            }
        }
        None
    }
}

/// A start that keeps every hard rule, or `None` if the simple construction cannot find one.
pub fn quick_start(program: &Program<'_>) -> Option<Choice> {
    let choice = construct(program)?;
    Some(improve(program, choice))
}

/// Keep holders where the rules allow, reunite split families where it costs fewest moves, then
/// place the rest heaviest first on the least utilized allowed worker.
pub(crate) fn construct(program: &Program<'_>) -> Option<Choice> {
    let scenario = program.scenario;
    let units = program.units;
    let n = scenario.staff.len();
    let cap: Vec<f64> = scenario.staff.iter().map(|s| s.capacity).collect();
    let max_cases: Vec<u32> = scenario
        .staff
        .iter()
        .map(|s| s.max_cases.unwrap_or(u32::MAX))
        .collect();
    let mut load = vec![0.0; n];
    let mut count = vec![0u32; n];
    let mut choice: IndexVec<UnitIdx, Option<Slot>> = IndexVec::from_vec(vec![None; units.len()]);
    let mut budget_left = program.budget.map(i64::from).unwrap_or(i64::MAX);
    let util_after = |load: &[f64], unit: &Unit, k: Slot| {
        let w = unit.worker(k).index();
        (load[w] + unit.weight) / cap[w]
    };
    let place = |u: UnitIdx,
                 k: Slot,
                 choice: &mut IndexVec<UnitIdx, Option<Slot>>,
                 load: &mut Vec<f64>,
                 count: &mut Vec<u32>,
                 budget_left: &mut i64| {
        let unit = &units[u];
        let w = unit.worker(k).index();
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
                let w = unit.worker(*k).index();
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
    if budget_left < 0 || (0..n).any(|w| count[w] > max_cases[w]) {
        return None;
    }
    Some(IndexVec::from_vec(
        choice
            .iter()
            .map(|k| k.expect("every unit placed"))
            .collect(),
    ))
}

/// Lowers the most utilized worker, one move or swap at a time, while that is possible.
pub fn improve(program: &Program<'_>, choice: Choice) -> Choice {
    State::new(program, choice).lower_top()
}

impl<'p> State<'p> {
    fn new(program: &'p Program<'_>, choice: Choice) -> Self {
        let scenario = program.scenario;
        let n = scenario.staff.len();
        let mut state = State {
            units: program.units,
            cap: scenario.staff.iter().map(|s| s.capacity).collect(),
            max_cases: scenario
                .staff
                .iter()
                .map(|s| s.max_cases.unwrap_or(u32::MAX))
                .collect(),
            available: scenario.staff.iter().map(|s| s.available).collect(),
            load: vec![0.0; n],
            count: vec![0; n],
            by_worker: vec![Vec::new(); n],
            budget_left: program.budget.map(i64::from).unwrap_or(i64::MAX),
            choice,
        };
        for (u, unit) in program.units.iter_enumerated() {
            let w = unit.worker(state.choice[u]);
            state.load[w.index()] += unit.weight;
            state.count[w.index()] += unit.count();
            state.by_worker[w.index()].push(u);
            state.budget_left -= i64::from(unit.moves_to(w).discretionary);
        }
        state
    }

    /// Lowers the most utilized worker, one move or swap at a time, while that is possible.
    ///
    /// Each accepted step lowers the top worker and leaves the other end below where the top
    /// was, so the utilizations sorted from the top fall lexicographically and the search ends.
    fn lower_top(mut self) -> Choice {
        let swap_limit = 20_000;
        for _ in 0..self.units.len().saturating_mul(4).max(16) {
            let Some((top, top_util)) = self.top() else {
                break;
            };
            if let Some((u, k, _, _)) = self.best_move(top, top_util) {
                self.reassign(u, k);
            } else if let Some((a, ka, b, kb, _)) = self.best_swap(top, top_util, swap_limit) {
                self.reassign(a, ka);
                self.reassign(b, kb);
            } else if let Some(chain) = self.best_chain(top, top_util) {
                for (u, k) in chain {
                    self.reassign(u, k);
                }
            } else {
                break;
            }
        }
        self.choice
    }
}

/// Brings cases back to their holders while every worker stays within `ceiling` utilization
/// (rounded as the program rounds it) and total overload within `overload_limit`: a good start
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
) -> Choice {
    let mut state = State::new(program, choice);
    let target = program.scenario.policy.target_utilization;
    let limit: Vec<f64> = state
        .cap
        .iter()
        .map(|c| program.load_ceiling(ceiling, *c))
        .collect();
    let over = |load: f64, cap: f64| (load - target * cap).max(0.0);
    let mut overload: f64 = (0..state.load.len())
        .map(|w| over(state.load[w], state.cap[w]))
        .sum();
    let home = |state: &State<'_>, u: UnitIdx| -> Option<Slot> {
        let unit = &state.units[u];
        let holder = unit.holders.first()?.worker;
        if unit.holders.iter().any(|h| h.worker != holder) || state.worker(u) == holder {
            return None;
        }
        unit.slot_of(holder)
    };
    // Changes of loads as (worker, delta weight, delta count); true when within every limit.
    let fits = |state: &State<'_>, changes: &[(usize, f64, i64)], overload: f64| -> Option<f64> {
        let mut new_overload = overload;
        for &(w, dw, dc) in changes {
            let load = state.load[w] + dw;
            let count = i64::from(state.count[w]) + dc;
            if load > limit[w] + 1e-9 || count > i64::from(state.max_cases[w]) {
                return None;
            }
            new_overload += over(load, state.cap[w]) - over(state.load[w], state.cap[w]);
        }
        (new_overload <= overload_limit + 1e-9).then_some(new_overload)
    };
    let mut improved = true;
    while improved {
        improved = false;
        let units = state.units;
        for u in units.indices() {
            let Some(k) = home(&state, u) else { continue };
            let unit = &state.units[u];
            let (at, holder) = (state.worker(u).index(), unit.worker(k).index());
            let (wu, cu) = (unit.weight, i64::from(unit.count()));
            if let Some(o) = fits(&state, &[(holder, wu, cu), (at, -wu, -cu)], overload) {
                state.reassign(u, k);
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
                    visitor.allowed.len() > 1
                        && !visitor.holders.iter().any(|h| h.worker.index() == holder)
                })
                .collect();
            // A visitor takes the place this unit leaves.
            for &v in &visitors {
                let visitor = &state.units[v];
                let Some(kv) = visitor.slot_of(StaffIdx::from(at)) else {
                    continue;
                };
                if state.budget_delta(v, kv) + state.budget_delta(u, k) > state.budget_left {
                    continue;
                }
                let (wv, cv) = (visitor.weight, i64::from(visitor.count()));
                let changes = [(holder, wu - wv, cu - cv), (at, wv - wu, cv - cu)];
                if let Some(o) = fits(&state, &changes, overload) {
                    state.reassign(u, k);
                    state.reassign(v, kv);
                    overload = o;
                    improved = true;
                    break;
                }
            }
            if state.worker(u).index() == holder {
                continue;
            }
            // Or a visitor goes on to any other worker with room.
            'visitors: for &v in &visitors {
                let visitor = &state.units[v];
                let (wv, cv) = (visitor.weight, i64::from(visitor.count()));
                for (kx, x) in visitor.slots() {
                    let xi = x.index();
                    if xi == holder
                        || xi == at
                        || state.budget_delta(v, kx) + state.budget_delta(u, k) > state.budget_left
                    {
                        continue;
                    }
                    let changes = [(holder, wu - wv, cu - cv), (at, -wu, -cu), (xi, wv, cv)];
                    if let Some(o) = fits(&state, &changes, overload) {
                        state.reassign(u, k);
                        state.reassign(v, kx);
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
