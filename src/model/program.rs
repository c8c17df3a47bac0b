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
}

/// The largest of 1, 0.5, 0.25, 0.1, 0.05, 0.01 that divides every weight, if any does.
pub fn weight_granularity(units: &[Unit]) -> Option<f64> {
    [1.0, 0.5, 0.25, 0.1, 0.05, 0.01].into_iter().find(|g| {
        units.iter().all(|u| {
            let k = u.weight / g;
            (k - k.round()).abs() < 1e-6
        })
    })
}

impl Program<'_> {
    /// Builds and solves one step, optionally starting from `warm`. `continuous` solves the
    /// linear relaxation instead (for the lower bound).
    pub fn solve_step(
        &self,
        step: Step,
        limits: &Limits,
        warm: Option<&Choice>,
        time_limit: f64,
        continuous: bool,
    ) -> Result<(StepSolution, f64), StepFailure> {
        let scenario = self.scenario;
        if self.units.iter().all(|u| u.allowed.len() < 2) {
            return self.fixed_solution(step, limits);
        }
        let mut vars = ProblemVariables::new();
        // x[u][k] for units with a real choice.
        let mut x: Vec<Vec<Variable>> = Vec::with_capacity(self.units.len());
        for (u, unit) in self.units.iter().enumerate() {
            if unit.allowed.len() < 2 {
                x.push(Vec::new());
                continue;
            }
            let vs = unit
                .allowed
                .iter()
                .enumerate()
                .map(|(k, _)| {
                    let def = if continuous {
                        variable().min(0.0).max(1.0)
                    } else {
                        variable().binary()
                    };
                    match warm {
                        Some(choice) => {
                            vars.add(def.initial(if choice[u] == k { 1.0 } else { 0.0 }))
                        }
                        None => vars.add(def),
                    }
                })
                .collect();
            x.push(vs);
        }
        let t = (step == Step::Equity).then(|| vars.add(variable().min(0.0)));

        // Per-worker load and count, constant part plus variable terms.
        let n = scenario.staff.len();
        let mut load: Vec<Expression> = (0..n).map(|_| Expression::from(0.0)).collect();
        let mut count: Vec<Expression> = (0..n).map(|_| Expression::from(0.0)).collect();
        let mut moves = Expression::from(0.0);
        let mut discretionary = Expression::from(0.0);
        let mut preferences = Expression::from(0.0);
        let mut touched = vec![false; n];
        for (u, unit) in self.units.iter().enumerate() {
            for (k, w) in unit.allowed.iter().enumerate() {
                let wi = w.index();
                touched[wi] = true;
                let (all, disc) = unit.moves_to(*w);
                let pref = unit.preference_for(*w);
                match x[u].get(k) {
                    Some(v) => {
                        load[wi].add_mul(unit.weight, *v);
                        count[wi].add_mul(unit.count(), *v);
                        if all > 0 {
                            moves.add_mul(all, *v);
                        }
                        if disc > 0 {
                            discretionary.add_mul(disc, *v);
                        }
                        if pref > 0 {
                            preferences.add_mul(pref, *v);
                        }
                    }
                    None => {
                        load[wi] += unit.weight;
                        count[wi] += f64::from(unit.count());
                        moves += f64::from(all);
                        discretionary += f64::from(disc);
                        preferences += f64::from(pref);
                    }
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
            if !xs.is_empty() {
                let sum: Expression = xs.iter().map(|v| Expression::from(*v)).sum();
                problem.add_constraint(constraint!(sum == 1.0));
            }
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
            let mut start: Vec<(Variable, f64)> = Vec::new();
            for (u, xs) in x.iter().enumerate() {
                for (k, v) in xs.iter().enumerate() {
                    start.push((*v, if choice[u] == k { 1.0 } else { 0.0 }));
                }
            }
            let loads = self.loads(choice);
            let mut max_util: f64 = 0.0;
            for (w, staff) in scenario.staff.iter_enumerated() {
                let wi = w.index();
                if touched[wi] {
                    max_util = max_util.max(loads[wi] / staff.capacity);
                }
                if let Some(o) = overload[wi] {
                    start.push((o, (loads[wi] - target * staff.capacity).max(0.0)));
                }
            }
            if let Some(t) = t {
                start.push((t, max_util));
            }
            problem = problem.with_initial_solution(start);
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
        let choice: Choice = x
            .iter()
            .map(|xs| {
                let mut best = 0;
                for (k, v) in xs.iter().enumerate() {
                    if solution.value(*v) > solution.value(xs[best]) {
                        best = k;
                    }
                }
                best
            })
            .collect();
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
    pub fn in_play(&self) -> Vec<bool> {
        let mut in_play = vec![false; self.scenario.staff.len()];
        for unit in self.units {
            for w in &unit.allowed {
                in_play[w.index()] = true;
            }
        }
        in_play
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
