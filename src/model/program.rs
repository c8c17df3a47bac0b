//! The integer program: one binary per (unit, allowed worker), rebuilt for each objective step.
//!
//! Rules (each a family of constraints):
//! - every unit goes to exactly one allowed worker (who may take it is decided in `units`);
//! - a worker's load stays under the step's utilization ceiling;
//! - `max_cases` per worker;
//! - discretionary reassignments within the budget;
//! - later steps keep what earlier steps achieved (utilization, overload, moves).
//!
//! Units with one allowed worker are constants, not variables. The objective of each step is
//! chosen by [`Step`]; the step sequence lives in `solve`.

use good_lp::solvers::highs::HighsProblem;
use good_lp::{
    constraint, highs, variable, Expression, ProblemVariables, ResolutionError, Solution,
    SolutionStatus, SolverModel, Variable, WithInitialSolution,
};

use crate::domain::{Scenario, StaffIdx};
use crate::model::layout::Layout;
use crate::model::units::{Mode, Unit};

/// The objective steps, in lexicographic order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Least maximum utilization.
    Equity,
    /// Least total overload above target.
    Overload,
    /// Fewest reassignments.
    Moves,
    /// Most preferences honoured.
    Preferences,
    /// Any assignment within the limits (used to search the equity level).
    Feasibility,
}

/// What earlier steps fixed for this one.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Limits {
    /// Utilization ceiling for every worker.
    pub max_utilization: Option<f64>,
    /// Ceiling on total overload points.
    pub overload: Option<f64>,
    /// Ceiling on reassignments.
    pub moves: Option<u32>,
}

/// A choice of worker for every unit: an index into the unit's `allowed` list.
pub type Choice = Vec<usize>;

/// The solved values of one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSolution {
    /// The choice found.
    pub choice: Choice,
    /// True when HiGHS proved it optimal (within the configured gap).
    pub proven: bool,
}

/// Why a step produced no choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepFailure {
    /// The hard rules admit no assignment.
    Infeasible,
    /// Time ran out before any assignment was found.
    NoSolution,
    /// The solver reported an error.
    Solver(String),
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
    pub units: &'a [Unit],
    /// Budget of discretionary reassignments (`None`: no budget, as in `assign`).
    pub budget: Option<u32>,
    /// The job.
    pub mode: Mode,
    /// The step in which every unit weight is a multiple (e.g. 0.5), if there is one: loads are
    /// then multiples too, which tightens utilization ceilings to whole steps.
    pub granularity: Option<f64>,
    /// How units are modelled (aggregated into classes where interchangeable).
    pub layout: Layout,
    /// For each worker, whether some unit may go to them; derived once from the units.
    in_play: Vec<bool>,
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
    pub fn new(scenario: &'a Scenario, units: &'a [Unit], budget: Option<u32>, mode: Mode) -> Self {
        let mut in_play = vec![false; scenario.staff.len()];
        for unit in units {
            for w in &unit.allowed {
                in_play[w.index()] = true;
            }
        }
        Program {
            scenario,
            units,
            budget,
            mode,
            granularity: weight_granularity(units),
            layout: Layout::of(units),
            in_play,
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
        let scenario = self.scenario;
        let layout = &self.layout;
        if layout.singles.is_empty() && layout.groups.is_empty() {
            return self.fixed_solution(step, limits);
        }
        let warm_counts = warm.map(|c| layout.counts_of(c));
        let start = |def: good_lp::VariableDefinition, value: Option<f64>| match value {
            Some(v) => def.initial(v),
            None => def,
        };
        let mut vars = ProblemVariables::new();
        // Singles: a binary per allowed worker.
        let x: Vec<Vec<Variable>> = layout
            .singles
            .iter()
            .map(|&u| {
                (0..self.units[u].allowed.len())
                    .map(|k| {
                        let value = warm.map(|c| if c[u] == k { 1.0 } else { 0.0 });
                        vars.add(start(variable().binary(), value))
                    })
                    .collect()
            })
            .collect();
        // Groups: how many stay with their holder.
        let stay: Vec<Option<Variable>> = layout
            .groups
            .iter()
            .enumerate()
            .map(|(g, group)| {
                group.holder_slot.map(|_| {
                    let def = variable().integer().min(0.0).max(group.units.len() as f64);
                    let value = warm_counts.as_ref().map(|(st, _)| f64::from(st[g]));
                    vars.add(start(def, value))
                })
            })
            .collect();
        // Classes: how many arrive at each allowed worker.
        let arrive: Vec<Vec<Variable>> = layout
            .classes
            .iter()
            .enumerate()
            .map(|(k, class)| {
                (0..class.allowed.len())
                    .map(|j| {
                        let def = variable().integer().min(0.0).max(f64::from(class.size));
                        let value = warm_counts.as_ref().map(|(_, ar)| f64::from(ar[k][j]));
                        vars.add(start(def, value))
                    })
                    .collect()
            })
            .collect();
        let t = (step == Step::Equity).then(|| vars.add(variable().min(0.0)));

        // Per-worker load and count, constant part plus variable terms.
        let n = scenario.staff.len();
        let mut load: Vec<Expression> = (0..n).map(|_| Expression::from(0.0)).collect();
        let mut count: Vec<Expression> = (0..n).map(|_| Expression::from(0.0)).collect();
        let mut moves = Expression::from(0.0);
        let mut discretionary = Expression::from(0.0);
        let mut preferences = Expression::from(0.0);
        let touched = self.in_play();
        for &u in &layout.fixed {
            let unit = &self.units[u];
            let w = unit.allowed[0];
            load[w.index()] += unit.weight;
            count[w.index()] += f64::from(unit.count());
            let (all, disc) = unit.moves_to(w);
            moves += f64::from(all);
            discretionary += f64::from(disc);
            preferences += f64::from(unit.preference_for(w));
        }
        for (s, &u) in layout.singles.iter().enumerate() {
            let unit = &self.units[u];
            for (k, w) in unit.allowed.iter().enumerate() {
                let v = x[s][k];
                load[w.index()].add_mul(unit.weight, v);
                count[w.index()].add_mul(unit.count(), v);
                let (all, disc) = unit.moves_to(*w);
                moves.add_mul(all, v);
                discretionary.add_mul(disc, v);
                preferences.add_mul(unit.preference_for(*w), v);
            }
        }
        for (g, group) in layout.groups.iter().enumerate() {
            let class = &layout.classes[group.class];
            let size = group.units.len() as f64;
            let (all, disc) = group.moves_if_leaving;
            // Leaving units cost moves: size - stay of them leave.
            moves += f64::from(all) * size;
            discretionary += f64::from(disc) * size;
            if let (Some(v), Some(h)) = (stay[g], group.holder) {
                load[h.index()].add_mul(class.weight, v);
                count[h.index()].add_mul(class.count, v);
                moves.add_mul(-f64::from(all), v);
                discretionary.add_mul(-f64::from(disc), v);
                preferences.add_mul(class.preference_for(h), v);
            }
        }
        for (k, class) in layout.classes.iter().enumerate() {
            for (j, w) in class.allowed.iter().enumerate() {
                let v = arrive[k][j];
                load[w.index()].add_mul(class.weight, v);
                count[w.index()].add_mul(class.count, v);
                let pref = class.preference_for(*w);
                if pref > 0 {
                    preferences.add_mul(pref, v);
                }
            }
        }

        let overload: Vec<Option<Variable>> = (0..n)
            .map(|wi| {
                (touched[wi] && matches!(step, Step::Overload | Step::Moves | Step::Preferences))
                    .then(|| vars.add(variable().min(0.0)))
            })
            .collect();
        let overload_total: Expression = overload
            .iter()
            .flatten()
            .map(|v| Expression::from(*v))
            .sum();

        let objective: Expression = match step {
            Step::Equity => Expression::from(t.expect("equity step has t")),
            Step::Overload => overload_total.clone(),
            Step::Moves => moves.clone(),
            Step::Preferences => -preferences.clone(),
            Step::Feasibility => Expression::from(0.0),
        };
        // One thread and a fixed seed: the same input gives the same answer on every machine.
        let mut problem: HighsProblem = vars
            .minimise(objective)
            .using(highs)
            .set_option("output_flag", false)
            .set_option("log_to_console", false)
            .set_option("threads", 1)
            .set_option("random_seed", 0)
            .set_option("mip_rel_gap", MIP_REL_GAP)
            .set_option("mip_abs_gap", 1e-7)
            .set_option("time_limit", time_limit.max(0.01));

        for xs in &x {
            let sum: Expression = xs.iter().map(|v| Expression::from(*v)).sum();
            problem.add_constraint(constraint!(sum == 1.0));
        }
        // Every unit of a class either stays with its holder or arrives somewhere.
        let mut stays_by_class: Vec<Expression> = layout
            .classes
            .iter()
            .map(|_| Expression::from(0.0))
            .collect();
        for (g, group) in layout.groups.iter().enumerate() {
            if let Some(v) = stay[g] {
                stays_by_class[group.class].add_mul(1.0, v);
            }
        }
        for (k, class) in layout.classes.iter().enumerate() {
            let arrivals: Expression = arrive[k].iter().map(|v| Expression::from(*v)).sum();
            let stays = std::mem::take(&mut stays_by_class[k]);
            problem.add_constraint(constraint!(arrivals + stays == f64::from(class.size)));
        }
        let target = scenario.policy.target_utilization;
        for (w, staff) in scenario.staff.iter_enumerated() {
            let wi = w.index();
            if !touched[wi] {
                continue;
            }
            let cap = staff.capacity;
            if let Some(t) = t {
                problem.add_constraint(constraint!(load[wi].clone() - cap * t <= 0.0));
            }
            if let Some(ceiling) = limits.max_utilization {
                problem.add_constraint(constraint!(
                    load[wi].clone() <= self.load_ceiling(ceiling, cap)
                ));
            }
            if let Some(o) = overload[wi] {
                problem.add_constraint(constraint!(load[wi].clone() - o <= target * cap));
            }
            if let Some(max) = staff.max_cases {
                problem.add_constraint(constraint!(count[wi].clone() <= f64::from(max)));
            }
        }
        if let Some(budget) = self.budget {
            problem.add_constraint(constraint!(discretionary <= f64::from(budget)));
        }
        if let (Some(limit), Step::Moves | Step::Preferences) = (limits.overload, step) {
            problem.add_constraint(constraint!(overload_total.clone() <= limit + CARRY_EPS));
        }
        if let (Some(limit), Step::Preferences) = (limits.moves, step) {
            problem.add_constraint(constraint!(moves.clone() <= f64::from(limit)));
        }
        if let Some(choice) = warm {
            // Also hand the overload and t of the warm start, so HiGHS sees a complete point.
            let mut extra: Vec<(Variable, f64)> = Vec::new();
            let loads = self.loads(choice);
            let mut max_util: f64 = 0.0;
            for (w, staff) in scenario.staff.iter_enumerated() {
                let wi = w.index();
                if touched[wi] {
                    max_util = max_util.max(loads[wi] / staff.capacity);
                }
                if let Some(o) = overload[wi] {
                    extra.push((o, (loads[wi] - target * staff.capacity).max(0.0)));
                }
            }
            if let Some(t) = t {
                extra.push((t, max_util));
            }
            let mut full: Vec<(Variable, f64)> = Vec::new();
            for (s, &u) in layout.singles.iter().enumerate() {
                for (k, v) in x[s].iter().enumerate() {
                    full.push((*v, if choice[u] == k { 1.0 } else { 0.0 }));
                }
            }
            if let Some((st, ar)) = &warm_counts {
                for (g, v) in stay.iter().enumerate() {
                    if let Some(v) = v {
                        full.push((*v, f64::from(st[g])));
                    }
                }
                for (k, vs) in arrive.iter().enumerate() {
                    for (j, v) in vs.iter().enumerate() {
                        full.push((*v, f64::from(ar[k][j])));
                    }
                }
            }
            full.extend(extra);
            problem = problem.with_initial_solution(full);
        }

        // A solver fault must not take the process down: it becomes a failed step.
        let solved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| problem.solve()))
            .map_err(|_| StepFailure::Solver("HiGHS stopped with an internal error".into()))?;
        let solution = solved.map_err(|e| match e {
            ResolutionError::Infeasible => StepFailure::Infeasible,
            ResolutionError::Other("NoSolutionFound") => StepFailure::NoSolution,
            other => StepFailure::Solver(other.to_string()),
        })?;
        let proven = matches!(
            solution.status(),
            SolutionStatus::Optimal | SolutionStatus::GapLimit
        );
        let objective_value = match step {
            Step::Equity => solution.value(t.expect("equity step has t")),
            _ => 0.0,
        };
        let round = |v: Variable| solution.value(v).round().max(0.0) as u32;
        let mut choice: Choice = vec![0; self.units.len()];
        for (s, &u) in layout.singles.iter().enumerate() {
            let mut best = 0;
            for (k, v) in x[s].iter().enumerate() {
                if solution.value(*v) > solution.value(x[s][best]) {
                    best = k;
                }
            }
            choice[u] = best;
        }
        let stay_counts: Vec<u32> = stay.iter().map(|v| v.map(round).unwrap_or(0)).collect();
        let arrive_counts: Vec<Vec<u32>> = arrive
            .iter()
            .map(|vs| vs.iter().map(|v| round(*v)).collect())
            .collect();
        layout.choice_from_counts(&stay_counts, &arrive_counts, &mut choice);
        Ok((StepSolution { choice, proven }, objective_value))
    }

    /// When every unit has one allowed worker there is nothing to choose: the only assignment is
    /// checked against the limits directly (a solver given no variables has nothing to solve).
    fn fixed_solution(
        &self,
        step: Step,
        limits: &Limits,
    ) -> Result<(StepSolution, f64), StepFailure> {
        let choice: Choice = vec![0; self.units.len()];
        let loads = self.loads(&choice);
        let mut counts = vec![0u32; loads.len()];
        let mut discretionary = 0;
        for unit in self.units {
            counts[unit.allowed[0].index()] += unit.count();
            discretionary += unit.moves_to(unit.allowed[0]).1;
        }
        let mut max_util: f64 = 0.0;
        for (w, staff) in self.scenario.staff.iter_enumerated() {
            let wi = w.index();
            max_util = max_util.max(loads[wi] / staff.capacity);
            let over_ceiling = limits
                .max_utilization
                .is_some_and(|c| loads[wi] > self.load_ceiling(c, staff.capacity));
            if over_ceiling || staff.max_cases.is_some_and(|m| counts[wi] > m) {
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

    /// For each worker, whether some unit may go to them (only they carry ceilings).
    pub fn in_play(&self) -> &[bool] {
        &self.in_play
    }

    /// Each worker's load under a choice.
    pub fn loads(&self, choice: &Choice) -> Vec<f64> {
        let mut loads = vec![0.0; self.scenario.staff.len()];
        for (unit, k) in self.units.iter().zip(choice) {
            loads[unit.allowed[*k].index()] += unit.weight;
        }
        loads
    }

    /// The worker a choice gives a unit.
    pub fn worker(&self, unit: usize, choice: &Choice) -> StaffIdx {
        self.units[unit].allowed[choice[unit]]
    }
}
