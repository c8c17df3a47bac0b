//! One way to call HiGHS for every program here (the steps of a solve and the staffing plan):
//! quiet, one thread and a fixed seed, so the same input gives the same answer on every machine;
//! and a guard that turns a solver fault into an error instead of taking the process down.

use good_lp::solvers::highs::{HighsProblem, HighsSolution};
use good_lp::{highs, Expression, ProblemVariables, ResolutionError, SolverModel};

/// Why a HiGHS solve produced no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepFailure {
    /// The program has no feasible point.
    Infeasible,
    /// Time ran out before any feasible point was found.
    NoSolution,
    /// The solver reported an error, or stopped with an internal fault.
    Solver(String),
}

/// A program minimising `objective` over `vars`, with the options every program here uses:
/// no output, one thread, seed 0, the given gaps and time limit.
pub fn minimise(
    vars: ProblemVariables,
    objective: Expression,
    mip_rel_gap: f64,
    mip_abs_gap: f64,
    seconds: f64,
) -> HighsProblem {
    vars.minimise(objective)
        .using(highs)
        .set_option("output_flag", false)
        .set_option("log_to_console", false)
        .set_option("threads", 1)
        .set_option("random_seed", 0)
        .set_option("mip_rel_gap", mip_rel_gap)
        .set_option("mip_abs_gap", mip_abs_gap)
        .set_option("time_limit", seconds.max(0.01))
}

/// Solves, turning a solver fault into [`StepFailure::Solver`] rather than a crash.
pub fn solve(problem: HighsProblem) -> Result<HighsSolution, StepFailure> {
    let solved = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| problem.solve()))
        .map_err(|_| StepFailure::Solver("HiGHS stopped with an internal error".into()))?;
    solved.map_err(|e| match e {
        ResolutionError::Infeasible => StepFailure::Infeasible,
        ResolutionError::Other("NoSolutionFound") => StepFailure::NoSolution,
        other => StepFailure::Solver(other.to_string()),
    })
}
