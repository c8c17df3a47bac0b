//! The integer program of a scenario: its units, layout and budget, what is derived from them
//! once, and the ways to solve one step (whole, relaxed, or over part of the arrival columns).
//!
//! Each step's program is built in `build` (the constraints: every unit placed, utilization
//! ceilings, `max_cases`, the move budget, what earlier steps achieved). Interchangeable units
//! are counted, not listed (see `layout`); units with one allowed worker are constants, and a
//! program made only of them is checked directly (`fixed_solution`). Under a utilization
//! ceiling, covering-knapsack cuts say how many reassignments the workers over it must make at
//! least (`least_moves_out`). The objective of each step is chosen by [`Step`]; the step
//! sequence lives in `solve`.

use std::sync::Arc;
use std::time::Instant;

use good_lp::{Solution, SolutionStatus};

use crate::domain::{IndexVec, Scenario, StaffIdx};
use crate::solve::model::build::StepModel;
use crate::solve::model::highs;
pub use crate::solve::model::highs::StepFailure;
use crate::solve::model::layout::{ClassIdx, Layout};
use crate::solve::model::units::{Choice, MoveCost, Slot, Unit, UnitIdx};

/// The objective steps, in lexicographic order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Least maximum utilization.
    Equity,
    /// Least total overload above target.
    Overload,
    /// No unit left where a colleague who may take it would end more than the balance band
    /// below its holder (a transfer search, not a step of the integer program).
    Balance,
    /// Fewest reassignments, and among those the most preferences honoured.
    Moves,
    /// Most preferences honoured at a given number of reassignments.
    Preferences,
    /// Any assignment within the limits (used to search the equity level).
    Feasibility,
}

/// What earlier steps fixed for this one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Utilization ceiling for every worker.
    pub max_utilization: Option<f64>,
    /// Ceiling on total overload points.
    pub overload: Option<f64>,
    /// Most load each worker may carry (the balanced loads, when fewest moves is sought for
    /// them).
    pub load_caps: Option<Arc<IndexVec<StaffIdx, f64>>>,
}

/// Seconds to build a step's program and hand it to HiGHS, per column (measured on a
/// 5,000 x 20,000 team, whose 2.9 million columns take about 3.5 s to build and as long again
/// to pass): a step whose setup alone would outlast its time is not started, so the time limit
/// holds on teams far too large to solve exactly in it.
pub const SETUP_SECONDS_PER_COLUMN: f64 = 2.5e-6;

/// How many times its estimated setup a step's time must be for the step to start: HiGHS's
/// presolve checks the clock only between passes, and one pass over a program of millions of
/// columns can take longer than building it.
pub const SETUP_MARGIN: f64 = 3.0;

/// The solved values of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSolution {
    /// The choice found.
    pub choice: Choice,
    /// True when HiGHS proved it optimal (within the configured gap).
    pub proven: bool,
}

/// Which part of the variables' space a step searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Region<'r> {
    /// The whole integer program.
    Whole,
    /// The linear relaxation (every integer variable continuous): a bound, quickly.
    Relaxed,
    /// The integer program with arrivals only where open.
    Restricted(&'r OpenArrivals),
    /// The integer program's points whose objective is at most the value: any one will do.
    Below(f64),
}

/// The arrival columns a restricted program keeps open: per class, per slot of its allowed
/// list, whether units of the class may arrive at that worker.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenArrivals {
    /// Per class, per slot: open.
    pub open: IndexVec<ClassIdx, IndexVec<Slot, bool>>,
}

impl OpenArrivals {
    /// Whether units of `class` may arrive at the worker at `slot`.
    pub fn is_open(&self, class: ClassIdx, slot: Slot) -> bool {
        self.open[class][slot]
    }

    /// Number of open columns.
    pub fn count(&self) -> usize {
        self.open
            .iter()
            .flat_map(|slots| slots.iter())
            .filter(|o| **o)
            .count()
    }
}

/// A step's linear relaxation, solved.
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxed {
    /// Its optimum: a lower bound on the step's objective.
    pub value: f64,
    /// Per class, per allowed worker, how many arrive.
    pub arrivals: IndexVec<ClassIdx, IndexVec<Slot, f64>>,
}

/// A covering-knapsack cut: every assignment within a utilization ceiling makes at least
/// `least` reassignments out of the holders in `members` (see [`Program::least_moves_out`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MovesCut {
    /// The set of workers, as a membership mask.
    pub members: IndexVec<StaffIdx, bool>,
    /// The fewest reassignments out of them.
    pub least: u32,
}

/// Relative gap at which a step counts as solved.
pub const MIP_REL_GAP: f64 = 1e-6;
/// Slack for ceilings carried between steps, absorbing floating-point noise.
pub const CARRY_EPS: f64 = 1e-7;

/// The static part of the program: units, workers and the move budget.
pub struct Program<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its units.
    pub units: &'a IndexVec<UnitIdx, Unit>,
    /// Budget of discretionary reassignments (`None`: no budget, as in `assign`).
    pub budget: Option<u32>,
    /// The step in which every unit weight is a multiple (e.g. 0.5), if there is one: loads are
    /// then multiples too, which tightens utilization ceilings to whole steps.
    pub granularity: Option<f64>,
    /// How units are modelled (aggregated into classes where interchangeable).
    pub layout: Layout,
    /// For each worker, whether some unit may go to them; derived once from the units.
    in_play: IndexVec<StaffIdx, bool>,
    /// The most preferences any assignment could honour: one more reassignment always
    /// outweighs them all, which lets the moves step settle preferences in the same solve.
    pub preferences_reachable: u32,
}

/// Largest covering knapsack solved exactly (steps of load times items); larger ones take the
/// bound of the fractional knapsack, rounded up.
const MAX_COVER_WORK: usize = 4_000_000;

/// Units that may leave a set of workers, alike: (weight in steps of the granularity,
/// reassignments each costs, how many).
type Leaver = (usize, u32, usize);

/// The fewest reassignments that shed `excess` load (a positive number of `g` steps) from
/// `leavers`; `None` when nothing needs shedding, nothing may leave, or none are needed.
fn least_cover_of(excess: f64, leavers: &mut [Leaver], g: f64) -> Option<u32> {
    if excess <= 1e-9 || leavers.is_empty() {
        return None;
    }
    let need = ((excess - 1e-9) / g).ceil() as usize;
    Some(least_cover(leavers, need)).filter(|bound| *bound > 0)
}

/// The fewest reassignments that shed at least `need` steps of load, from items given as
/// (steps of load, reassignments, how many); 0 when nothing needs shedding, and the items'
/// total when even all of them fall short (the program is then infeasible anyway).
fn least_cover(items: &mut [Leaver], need: usize) -> u32 {
    if need == 0 {
        return 0;
    }
    let count: usize = items.iter().map(|i| i.2).sum();
    if need.saturating_mul(count) > MAX_COVER_WORK {
        // Most load per reassignment first; the last item counts in part.
        items.sort_by(|a, b| (b.0 * a.1 as usize).cmp(&(a.0 * b.1 as usize)));
        let (mut left, mut cost) = (need as f64, 0.0);
        for &(steps, moves, how_many) in items.iter() {
            if steps == 0 {
                continue;
            }
            let take = (left / steps as f64).min(how_many as f64);
            cost += take * f64::from(moves);
            left -= take * steps as f64;
            if left <= 1e-9 {
                break;
            }
        }
        return (cost - 1e-6).ceil().max(0.0) as u32;
    }
    // least[j]: fewest reassignments shedding at least j steps.
    let mut least = vec![u32::MAX; need + 1];
    least[0] = 0;
    for &(steps, moves, how_many) in items.iter() {
        for _ in 0..how_many {
            for j in (1..=need).rev() {
                let from = least[j.saturating_sub(steps)];
                if from != u32::MAX {
                    least[j] = least[j].min(from + moves);
                }
            }
        }
    }
    if least[need] == u32::MAX {
        items.iter().map(|i| i.1 * i.2 as u32).sum()
    } else {
        least[need]
    }
}

/// The largest of 1, 0.5, 0.25, 0.1, 0.05, 0.01 that divides every weight, if any does.
pub fn weight_granularity(units: &[Unit]) -> Option<f64> {
    [1.0, 0.5, 0.25, 0.1, 0.05, 0.01].into_iter().find(|g| {
        units.iter().all(|u| {
            // Exact up to binary rounding of decimal input (0.3 / 0.1 = 2.9999999999999996);
            // anything looser would let loads exceed the rounded ceilings.
            let k = u.weight / g;
            (k - k.round()).abs() < 1e-9
        })
    })
}

impl<'a> Program<'a> {
    /// The program over `units`, with what is derived from them computed once.
    pub fn new(
        scenario: &'a Scenario,
        units: &'a IndexVec<UnitIdx, Unit>,
        budget: Option<u32>,
    ) -> Self {
        let mut in_play = IndexVec::from_vec(vec![false; scenario.staff.len()]);
        for unit in units.iter() {
            for w in unit.allowed.iter() {
                in_play[*w] = true;
            }
        }
        let preferences_reachable = units
            .iter()
            .map(|u| {
                u.allowed
                    .iter()
                    .map(|w| u.preference_for(*w))
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        Program {
            scenario,
            units,
            budget,
            granularity: weight_granularity(units.as_slice()),
            layout: Layout::of(units),
            in_play,
            preferences_reachable,
        }
    }

    /// The direct formulation of the same program: one binary per (unit, allowed worker), no
    /// aggregation. Slower; used to measure the aggregated program against.
    pub fn direct(
        scenario: &'a Scenario,
        units: &'a IndexVec<UnitIdx, Unit>,
        budget: Option<u32>,
    ) -> Self {
        Program {
            layout: Layout::unaggregated(units),
            ..Program::new(scenario, units, budget)
        }
    }

    /// Builds and solves one step, optionally starting from `warm`.
    pub fn solve_step(
        &self,
        step: Step,
        limits: &Limits,
        warm: Option<&Choice>,
        time_limit: f64,
    ) -> Result<(StepSolution, f64), StepFailure> {
        self.solve_in(step, limits, warm, time_limit, Region::Whole, None)
    }

    /// A step's linear relaxation (with the cuts): its optimum is a lower bound on the step's
    /// objective, found far sooner than the integer optimum.
    pub fn relaxed(
        &self,
        step: Step,
        limits: &Limits,
        time_limit: f64,
    ) -> Result<Relaxed, StepFailure> {
        let mut arrivals = IndexVec::default();
        let (_, value) = self.solve_in(
            step,
            limits,
            None,
            time_limit,
            Region::Relaxed,
            Some(&mut arrivals),
        )?;
        Ok(Relaxed { value, arrivals })
    }

    /// Solves a step with arrivals only where `open`: a smaller integer program whose answers
    /// are answers of the whole one.
    pub fn solve_restricted(
        &self,
        step: Step,
        limits: &Limits,
        warm: Option<&Choice>,
        time_limit: f64,
        open: &OpenArrivals,
    ) -> Result<(StepSolution, f64), StepFailure> {
        self.solve_in(
            step,
            limits,
            warm,
            time_limit,
            Region::Restricted(open),
            None,
        )
    }

    /// Any answer of a step whose objective is at most `ceiling`: `Err(Infeasible)` proves that
    /// no answer within `limits` does that well, usually far sooner than the step's optimum is
    /// proven, so an answer in hand at the optimum is best confirmed this way. (A program with
    /// nothing to choose has one answer, the one in hand: none is below.)
    pub fn solve_below(
        &self,
        step: Step,
        limits: &Limits,
        ceiling: f64,
        time_limit: f64,
    ) -> Result<StepSolution, StepFailure> {
        self.solve_in(step, limits, None, time_limit, Region::Below(ceiling), None)
            .map(|(solution, _)| solution)
    }

    /// Builds and solves one step over the whole integer program or its linear relaxation.
    fn solve_in(
        &self,
        step: Step,
        limits: &Limits,
        warm: Option<&Choice>,
        time_limit: f64,
        region: Region<'_>,
        arrivals_out: Option<&mut IndexVec<ClassIdx, IndexVec<Slot, f64>>>,
    ) -> Result<(StepSolution, f64), StepFailure> {
        let layout = &self.layout;
        if layout.singles.is_empty() && layout.groups.is_empty() {
            return match region {
                Region::Below(_) => Err(StepFailure::Infeasible),
                _ => self.fixed_solution(step, limits),
            };
        }
        let started = Instant::now();
        let columns = match region {
            Region::Restricted(open) => self.columns() - self.arrival_columns() + open.count(),
            _ => self.columns(),
        };
        let setup = SETUP_SECONDS_PER_COLUMN * columns as f64;
        if setup * SETUP_MARGIN > time_limit {
            // Building the program and handing it to HiGHS would take the whole time given,
            // and HiGHS counts only its own time: the step is out of time before it starts.
            return Err(StepFailure::NoSolution);
        }
        let (model, problem, objective) =
            StepModel::build(self, step, limits, warm, time_limit, region);
        // HiGHS counts only its own time: it gets what is left once the program is built and
        // handed over.
        let left = time_limit - started.elapsed().as_secs_f64() - setup / 2.0;
        if left <= 0.0 {
            return Err(StepFailure::NoSolution);
        }
        let problem = problem.set_time_limit(left);
        let solution = highs::solve(problem)?;
        let proven = matches!(
            solution.status(),
            SolutionStatus::Optimal | SolutionStatus::GapLimit
        );
        if let Some(out) = arrivals_out {
            *out = model.arrivals(&solution);
        }
        let choice = model.choice(&solution);
        Ok((StepSolution { choice, proven }, solution.eval(&objective)))
    }

    /// When every unit has one allowed worker there is nothing to choose: the only assignment is
    /// checked against the limits directly (a solver given no variables has nothing to solve).
    fn fixed_solution(
        &self,
        step: Step,
        limits: &Limits,
    ) -> Result<(StepSolution, f64), StepFailure> {
        let choice: Choice = IndexVec::from_vec(vec![Slot(0); self.units.len()]);
        let loads = self.loads(&choice);
        let mut counts: IndexVec<StaffIdx, u32> = IndexVec::from_vec(vec![0; loads.len()]);
        let mut discretionary = 0;
        for unit in self.units.iter() {
            counts[unit.allowed[0]] += unit.count();
            discretionary += unit.moves_to(unit.allowed[0]).discretionary;
        }
        let mut max_util: f64 = 0.0;
        for (w, staff) in self.scenario.staff.iter_enumerated() {
            max_util = max_util.max(staff.utilization(loads[w]));
            let over_ceiling = limits
                .max_utilization
                .is_some_and(|c| loads[w] > self.load_ceiling(c, staff.capacity));
            if over_ceiling || staff.max_cases.is_some_and(|m| counts[w] > m) {
                return Err(StepFailure::Infeasible);
            }
        }
        if self.budget.is_some_and(|b| discretionary > b) {
            return Err(StepFailure::Infeasible);
        }
        let value = if step == Step::Equity { max_util } else { 0.0 };
        Ok((
            StepSolution {
                choice,
                proven: true,
            },
            value,
        ))
    }

    /// The most load a worker of capacity `cap` may carry at utilization `ceiling`: rounded
    /// down to the weight granularity when loads move in whole steps.
    pub fn load_ceiling(&self, ceiling: f64, cap: f64) -> f64 {
        let raw = ceiling * cap + CARRY_EPS;
        match self.granularity {
            Some(g) => (raw / g + 1e-9).floor() * g + CARRY_EPS,
            None => raw,
        }
    }

    /// Valid cuts for any step with a utilization ceiling, one per set S of workers: each worker
    /// alone, and each set of workers some class of units is restricted to. The units that
    /// can only go to S (needs, today's holders who must give them up, intake) and the units
    /// held in S today that may stay weigh more than S's ceilings allow, by an excess E: arrivals
    /// only add load, so the reassignments out of S's holders are at least the fewest that shed
    /// E from the units that may leave S, a covering knapsack solved exactly when loads move in
    /// whole steps.
    pub fn least_moves_out(&self, ceiling: f64) -> Vec<MovesCut> {
        self.least_out(ceiling, false)
    }

    /// The fewest discretionary reassignments any assignment within `ceiling` needs: per
    /// worker, the fewest that shed its excess, summed. A ceiling whose figure is above the
    /// move budget cannot be met.
    pub fn least_discretionary_moves(&self, ceiling: f64) -> u32 {
        // Counting discretionary moves, the cuts are one per worker: disjoint, so they add up.
        self.least_out(ceiling, true)
            .iter()
            .map(|cut| cut.least)
            .sum()
    }

    /// The cuts of [`Self::least_moves_out`], counting all reassignments, or only discretionary
    /// ones (and then for single workers only). Each worker alone is weighed in one pass over
    /// the units; each larger set (a class's allowed workers) in a pass of its own.
    fn least_out(&self, ceiling: f64, discretionary: bool) -> Vec<MovesCut> {
        let Some(g) = self.granularity else {
            return Vec::new();
        };
        let n = self.scenario.staff.len();
        let layout = &self.layout;
        let ceilings: Vec<f64> = self
            .scenario
            .staff
            .iter()
            .map(|s| self.load_ceiling(ceiling, s.capacity))
            .collect();
        let cost = |leaving: MoveCost| {
            if discretionary {
                leaving.discretionary
            } else {
                leaving.all
            }
        };
        // Each worker alone: the units only they may take, and those they hold that may stay.
        let mut load = vec![0.0; n];
        let mut leavers: Vec<Vec<Leaver>> = vec![Vec::new(); n];
        for &u in layout.fixed.iter().chain(&layout.singles) {
            if let [w] = self.units[u].allowed[..] {
                load[w.index()] += self.units[u].weight;
            }
        }
        for group in layout.groups.iter() {
            let class = &layout.classes[group.class];
            let size = group.units.len();
            if let [w] = class.allowed[..] {
                load[w.index()] += class.weight * size as f64;
            } else if let (Some(h), Some(_)) = (group.holder, group.holder_slot) {
                load[h.index()] += class.weight * size as f64;
                let steps = (class.weight / g).round() as usize;
                leavers[h.index()].push((steps, cost(group.moves_if_leaving), size));
            }
        }
        let mut cuts: Vec<MovesCut> = Vec::new();
        // Least reassignments out of each worker alone: a larger set's cut is kept only when it
        // says more than its members' cuts together.
        let mut alone = vec![0u32; n];
        for (w, _) in self.scenario.staff.iter_enumerated() {
            if !self.in_play[w] {
                continue;
            }
            let i = w.index();
            let Some(bound) = least_cover_of(load[i] - ceilings[i], &mut leavers[i], g) else {
                continue;
            };
            alone[i] = bound;
            let mut mask = vec![false; n];
            mask[i] = true;
            cuts.push(MovesCut {
                members: IndexVec::from_vec(mask),
                least: bound,
            });
        }
        if discretionary {
            return cuts;
        }
        let mut seen = std::collections::HashSet::new();
        for class in layout.classes.iter() {
            let members = &class.allowed;
            if members.len() < 2 || !seen.insert(members) {
                continue;
            }
            let mut mask = vec![false; n];
            for w in members.iter() {
                mask[w.index()] = true;
            }
            let within = |allowed: &[StaffIdx]| allowed.iter().all(|w| mask[w.index()]);
            let room: f64 = members.iter().map(|w| ceilings[w.index()]).sum();
            let mut load = 0.0;
            for &u in layout.fixed.iter().chain(&layout.singles) {
                if within(&self.units[u].allowed) {
                    load += self.units[u].weight;
                }
            }
            let confined: IndexVec<ClassIdx, bool> =
                IndexVec::from_vec(layout.classes.iter().map(|c| within(&c.allowed)).collect());
            // Units that may leave the set.
            let mut leavers: Vec<Leaver> = Vec::new();
            for group in layout.groups.iter() {
                let class = &layout.classes[group.class];
                let size = group.units.len();
                if confined[group.class] {
                    load += class.weight * size as f64;
                } else if let (Some(h), Some(_)) = (group.holder, group.holder_slot) {
                    if mask[h.index()] {
                        load += class.weight * size as f64;
                        let steps = (class.weight / g).round() as usize;
                        leavers.push((steps, cost(group.moves_if_leaving), size));
                    }
                }
            }
            let Some(bound) = least_cover_of(load - room, &mut leavers, g) else {
                continue;
            };
            let together: u32 = members.iter().map(|w| alone[w.index()]).sum();
            if bound <= together {
                continue;
            }
            cuts.push(MovesCut {
                members: IndexVec::from_vec(mask),
                least: bound,
            });
        }
        cuts
    }

    /// The integer program's columns: singles' binaries, groups' stays and classes' arrivals.
    pub fn columns(&self) -> usize {
        let layout = &self.layout;
        let singles: usize = layout
            .singles
            .iter()
            .map(|&u| self.units[u].allowed.len())
            .sum();
        let stays = layout
            .groups
            .iter()
            .filter(|g| g.holder_slot.is_some())
            .count();
        singles + stays + self.arrival_columns()
    }

    /// The classes' arrival columns (the part a restricted program narrows).
    pub fn arrival_columns(&self) -> usize {
        self.layout.classes.iter().map(|c| c.allowed.len()).sum()
    }

    /// For each worker, whether some unit may go to them (only they carry ceilings).
    pub fn in_play(&self) -> &IndexVec<StaffIdx, bool> {
        &self.in_play
    }

    /// Each worker's load under a choice.
    pub fn loads(&self, choice: &Choice) -> IndexVec<StaffIdx, f64> {
        let mut loads = IndexVec::from_vec(vec![0.0; self.scenario.staff.len()]);
        for (unit, k) in self.units.iter().zip(choice.iter()) {
            loads[unit.worker(*k)] += unit.weight;
        }
        loads
    }

    /// The worker a choice gives a unit.
    pub fn worker(&self, unit: UnitIdx, choice: &Choice) -> StaffIdx {
        self.units[unit].worker(choice[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fewest reassignments shedding `need` steps, by trying every subset of the items.
    fn brute_force(items: &[(usize, u32, usize)], need: usize) -> u32 {
        let flat: Vec<(usize, u32)> = items
            .iter()
            .flat_map(|&(steps, moves, n)| std::iter::repeat_n((steps, moves), n))
            .collect();
        (0u32..1 << flat.len())
            .filter_map(|mask| {
                let chosen = flat.iter().enumerate().filter(|(i, _)| mask >> i & 1 == 1);
                let (shed, cost) = chosen.fold((0, 0), |(s, c), (_, it)| (s + it.0, c + it.1));
                (shed >= need).then_some(cost)
            })
            .min()
            .unwrap_or(flat.iter().map(|it| it.1).sum())
    }

    #[test]
    fn least_cover_is_the_exact_covering_knapsack() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for _ in 0..300 {
            let items: Vec<(usize, u32, usize)> = (0..1 + next(4))
                .map(|_| {
                    (
                        1 + next(9) as usize,
                        1 + next(3) as u32,
                        1 + next(3) as usize,
                    )
                })
                .collect();
            let need = next(30) as usize;
            let exact = least_cover(&mut items.clone(), need);
            assert_eq!(exact, brute_force(&items, need), "{items:?} need {need}");
        }
    }

    #[test]
    fn least_cover_falls_back_to_a_weaker_valid_bound_on_large_inputs() {
        // Too large for the exact table: the fractional bound, never above the exact one.
        let items = vec![(7usize, 2u32, 400_000usize), (3, 1, 400_000)];
        let need = 20;
        let bound = least_cover(&mut items.clone(), need);
        // Exact: three items of 7 steps (6 moves). Fractional: 20/7 of them, 5.7 moves, so 6.
        assert_eq!(bound, 6);
        assert_eq!(least_cover(&mut [(4, 1, 3)], 0), 0);
        assert_eq!(
            least_cover(&mut [(4, 1, 2)], 100),
            2,
            "all of them when they fall short"
        );
    }
}
