//! Solving a scenario: the lexicographic steps run one after another, each keeping what the
//! earlier ones achieved, each warm-started from the previous answer.
//!
//! A local search gives the first step a feasible start (and a proposal even if time runs out
//! early). Equity is proven by a rounding bound and a bisection over utilization levels. The
//! fewest reassignments, and among them the most preferences, come from one exact weighted
//! objective: solved whole and proven on small programs; on larger ones over the arrivals its
//! linear relaxation uses, with the relaxation's bound reported beside the answer.

pub mod conflict;
pub mod model;
pub mod search;

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::domain::{CaseIdx, IndexVec, Scenario, StaffIdx};
use crate::solve::conflict::find_conflict;
use crate::solve::model::program::MIP_REL_GAP;
use crate::solve::model::{
    build_units, Choice, HallBound, Limits, Mode, Program, Step, StepFailure, Unit, Unplaceable,
};

/// How to solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    /// Rebalance or assign.
    pub mode: Mode,
    /// Seconds for the whole solve; each step gets a share of what is left.
    pub time_limit: f64,
}

impl SolveOptions {
    /// Default seconds for a whole solve.
    pub const DEFAULT_TIME_LIMIT: f64 = 60.0;
}

/// Largest fewest-moves integer program solved whole, to a proof (columns). Larger ones take
/// the relaxation's bound and an integer program over the arrivals the relaxation uses: answers
/// of the whole program, found in a fraction of the time, with the bound beside them.
pub const MAX_PROVEN_COLUMNS: usize = 2_500;

/// Share of the time limit for the restricted fewest-moves program. Its root node usually ends
/// well before (under a second at 50 x 1,500); on a 400 x 12,000 county it can take longer, and
/// the answer so far is then kept, with its bound.
pub const RESTRICTED_SHARE: f64 = 1.0 / 6.0;

/// Share of the time limit for one equity probe. Finding an assignment at a level is quick;
/// proving none exists, when even split cases would fit, can take long on large teams. A probe
/// that runs out leaves the bound where it was and the answer unproven, with its gap.
pub const PROBE_SHARE: f64 = 1.0 / 12.0;

/// Most arrival columns in the restricted fewest-moves program when it is widened to every
/// arrival at a receiving worker; beyond this it keeps only the relaxation's own arrivals.
pub const MAX_WIDENED_COLUMNS: usize = 5_000;

/// Longest time limit taken literally (about 11 days); longer ones mean "no limit".
pub const MAX_SECONDS: f64 = 1e6;

/// How good the proposal is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every step solved to optimality (within a relative gap of 1e-6).
    Optimal,
    /// A proposal that keeps every hard rule, but time ran out before a step was proven.
    Feasible,
    /// The hard rules admit no assignment.
    Infeasible,
    /// Time ran out before any proposal keeping every hard rule was found.
    Unknown,
}

/// What one objective step achieved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    /// Which step.
    pub step: Step,
    /// Its objective value for the proposal (max utilization, overload points, moves, or
    /// preferences honoured).
    pub value: f64,
    /// True when proven optimal.
    pub proven: bool,
    /// Seconds spent (left out of JSON, which must not vary between runs).
    #[serde(skip)]
    pub seconds: f64,
}

impl StepReport {
    /// A step whose optimum the answer so far already reaches, so no solve is needed.
    fn settled(step: Step) -> Self {
        StepReport {
            step,
            value: 0.0,
            proven: true,
            seconds: 0.0,
        }
    }
}

/// The solver's answer: who holds each case after the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The job done.
    pub mode: Mode,
    /// Optimal, feasible (timed out) or infeasible.
    pub status: Status,
    /// Holder of each case after the run; `None` for cases that cannot be placed (and, when
    /// infeasible, for every case).
    pub holder_after: IndexVec<CaseIdx, Option<StaffIdx>>,
    /// Cases that cannot be placed, with the reason.
    pub unplaced: Vec<Unplaceable>,
    /// A proven lower bound on the max utilization any assignment obeying the rules can reach.
    pub lower_bound_max_utilization: f64,
    /// A proven lower bound on the reassignments at the proposal's max utilization (plus the
    /// equity tolerance) and overload: equal to the proposal's when the moves step is proven.
    pub moves_lower_bound: u32,
    /// The move budget in force (`None` in assign mode).
    pub budget: Option<u32>,
    /// Per step, what was achieved.
    pub steps: Vec<StepReport>,
    /// When infeasible, why.
    pub diagnosis: Option<String>,
    /// When infeasible, a small set of the hard rules that conflict.
    pub conflict: Option<crate::solve::conflict::Conflict>,
    /// What the solver did, line by line, for `--verbose` (not part of the JSON: it has times).
    pub log: Vec<String>,
}

impl Proposal {
    /// True when there is a proposal and it places every case: what exit code 0 means.
    pub fn is_complete(&self) -> bool {
        !matches!(self.status, Status::Infeasible | Status::Unknown) && self.unplaced.is_empty()
    }
}

/// Solves a scenario.
pub fn solve(scenario: &Scenario, options: &SolveOptions) -> Proposal {
    let start = Instant::now();
    let units = build_units(scenario, options.mode);
    let budget = match options.mode {
        Mode::Rebalance => Some(scenario.policy.max_moves),
        Mode::Assign => None,
    };
    let program = Program::new(scenario, &units.units, budget, options.mode);
    // A share of the time left; zero when none is left, so later steps are skipped.
    let remaining =
        |share: f64| ((options.time_limit - start.elapsed().as_secs_f64()) * share).max(0.0);

    let no_proposal = |status: Status, diagnosis: String, conflict| Proposal {
        mode: options.mode,
        status,
        holder_after: IndexVec::from_vec(vec![None; scenario.cases.len()]),
        unplaced: units.unplaceable.clone(),
        lower_bound_max_utilization: f64::INFINITY,
        moves_lower_bound: 0,
        budget,
        steps: Vec::new(),
        diagnosis: Some(diagnosis),
        conflict,
        log: Vec::new(),
    };

    let l = &program.layout;
    let mut log = vec![format!(
        "model: {} units ({} fixed, {} on their own, {} in {} classes of {} groups), {} arrival columns",
        program.units.len(),
        l.fixed.len(),
        l.singles.len(),
        l.groups.iter().map(|g| g.units.len()).sum::<usize>(),
        l.classes.len(),
        l.groups.len(),
        l.classes.iter().map(|c| c.allowed.len()).sum::<usize>()
    )];
    let heuristic = crate::solve::search::quick_start(&program);
    if let Some(h) = &heuristic {
        log.push(format!(
            "start: max utilization {:.6} after local search in {:.3} s",
            max_utilization(&program, h),
            start.elapsed().as_secs_f64()
        ));
    }
    let mut steps = Vec::new();

    // Step 1: equity.
    let step_start = Instant::now();
    let deadline = start + Duration::from_secs_f64((options.time_limit * 0.6).min(MAX_SECONDS));
    let probe_seconds = options.time_limit * PROBE_SHARE;
    let equity = match equity_step(&program, heuristic, deadline, probe_seconds, &mut log) {
        Ok(e) => e,
        Err(StepFailure::Infeasible) => {
            let conflict = find_conflict(scenario, options.mode, remaining(0.5));
            return no_proposal(Status::Infeasible, diagnose(&program), conflict);
        }
        Err(_) => {
            return no_proposal(
                Status::Unknown,
                format!(
                    "no assignment keeping every hard rule was found within the time limit; try a longer --time-limit (if the rules conflict: {})",
                    diagnose(&program)
                ),
                None,
            )
        }
    };
    let mut choice = equity.choice;
    let t_star = equity.max_utilization;
    steps.push(StepReport {
        step: Step::Equity,
        value: t_star,
        proven: equity.proven,
        seconds: step_start.elapsed().as_secs_f64(),
    });

    // Step 2: overload, keeping max utilization at t*.
    let mut limits = Limits {
        max_utilization: Some(t_star),
        ..Limits::default()
    };
    if overload_points(&program, &choice) <= 1e-9 {
        // Nothing to lower: no overload is optimal.
        steps.push(StepReport::settled(Step::Overload));
    } else {
        run_step(
            &program,
            Step::Overload,
            &limits,
            &mut choice,
            remaining(0.5),
            &mut steps,
        );
    }
    let overload = overload_points(&program, &choice);
    steps.last_mut().expect("step ran").value = overload;

    // Step 3: moves, allowing the equity tolerance.
    limits.max_utilization = Some(t_star + scenario.policy.equity_tolerance);
    limits.overload = Some(overload);
    let homeward = crate::solve::search::fewer_moves(
        &program,
        choice.clone(),
        t_star + scenario.policy.equity_tolerance,
        overload,
    );
    if reassignments(&program, &homeward) < reassignments(&program, &choice)
        && respects(&program, &homeward, &limits)
    {
        choice = homeward;
    }
    log.push(format!(
        "start of the moves step: {} reassignments",
        reassignments(&program, &choice)
    ));
    let columns = program.columns();
    let weight = f64::from(program.preferences_reachable) + 1.0;
    // The relaxation minimizes (reachable preferences + 1) x moves - preferences, so its optimum
    // divided by that weight, rounded up, is a lower bound on moves.
    let moves_bound = |value: f64| ((value / weight) - 1e-6).ceil().max(0.0) as u32;
    let mut relaxed_value: Option<f64> = None;
    if columns <= MAX_PROVEN_COLUMNS {
        run_step(
            &program,
            Step::Moves,
            &limits,
            &mut choice,
            remaining(1.0),
            &mut steps,
        );
    } else {
        // Too large to prove quickly: the relaxation gives a bound and picks the arrivals worth
        // considering; the integer program over those (and the answer so far) improves the
        // answer, at its root node only, so the answer does not depend on the machine's speed.
        let step_start = Instant::now();
        if let Ok(relaxed) = program.relaxed(Step::Moves, &limits, remaining(0.3)) {
            relaxed_value = Some(relaxed.value);
            let relaxed_bound = moves_bound(relaxed.value);
            let (_, arriving) = program.layout.counts_of(&choice);
            let mut allowed: Vec<Vec<bool>> = relaxed
                .arrivals
                .iter()
                .zip(&arriving)
                .map(|(lp, now)| {
                    lp.iter()
                        .zip(now)
                        .map(|(v, n)| *v > 1e-6 || *n > 0)
                        .collect()
                })
                .collect();
            // Widened to every arrival at a worker the relaxation sends anything to, when that
            // stays small: room made at a worker can then go to any unit that fits it.
            let mut receives = vec![false; scenario.staff.len()];
            for (class, open) in program.layout.classes.iter().zip(&allowed) {
                for (w, open) in class.allowed.iter().zip(open) {
                    receives[w.index()] |= *open;
                }
            }
            let widened: Vec<Vec<bool>> = program
                .layout
                .classes
                .iter()
                .zip(&allowed)
                .map(|(class, open)| {
                    let moving = open.iter().any(|o| *o);
                    class
                        .allowed
                        .iter()
                        .zip(open)
                        .map(|(w, o)| *o || (moving && receives[w.index()]))
                        .collect()
                })
                .collect();
            if widened.iter().flatten().filter(|o| **o).count() <= MAX_WIDENED_COLUMNS {
                allowed = widened;
            }
            let open: usize = allowed.iter().flatten().filter(|a| **a).count();
            log.push(format!(
                "moves step: {columns} columns; relaxation bound {relaxed_bound} in {:.3} s; integer program over {open} of the arrival columns",
                step_start.elapsed().as_secs_f64()
            ));
            if let Ok((solution, _)) = program.solve_restricted(
                Step::Moves,
                &limits,
                Some(&choice),
                remaining(1.0).min(options.time_limit * RESTRICTED_SHARE),
                &allowed,
            ) {
                if respects(&program, &solution.choice, &limits)
                    && reassignments(&program, &solution.choice) <= reassignments(&program, &choice)
                {
                    choice = solution.choice;
                }
            }
        }
        steps.push(StepReport {
            step: Step::Moves,
            value: 0.0,
            proven: false,
            seconds: step_start.elapsed().as_secs_f64(),
        });
    }
    let moves = reassignments(&program, &choice);
    steps.last_mut().expect("step ran").value = f64::from(moves);
    let solved_whole = steps.last().is_some_and(|s| s.proven);
    if !solved_whole && relaxed_value.is_none() {
        relaxed_value = program
            .relaxed(Step::Moves, &limits, remaining(1.0))
            .ok()
            .map(|r| r.value);
    }
    let moves_lower_bound = match (solved_whole, relaxed_value) {
        (true, _) => moves,
        (false, Some(value)) => moves_bound(value).min(moves),
        (false, None) => 0,
    };
    // The weighted objective is a whole number, so an answer within less than one of the
    // relaxation's optimum is optimal: both moves and preferences are then proven.
    let honoured = preferences(&program, &choice);
    let both_proven = solved_whole
        || relaxed_value
            .is_some_and(|v| weight * f64::from(moves) - f64::from(honoured) - v < 1.0 - 1e-6);
    steps.last_mut().expect("step ran").proven = both_proven || moves == moves_lower_bound;

    // Step 4: preferences. The moves step already put them second in its objective, so a
    // proven weighted objective settles them; otherwise they are as good as the search got.
    if both_proven || honoured >= program.preferences_reachable {
        steps.push(StepReport::settled(Step::Preferences));
    } else {
        steps.push(StepReport {
            step: Step::Preferences,
            value: 0.0,
            proven: false,
            seconds: 0.0,
        });
    }
    steps.last_mut().expect("step ran").value = f64::from(preferences(&program, &choice));

    let mut holder_after = vec![None; scenario.cases.len()];
    for (u, unit) in units.units.iter().enumerate() {
        let w = program.worker(u, &choice);
        for c in &unit.cases {
            holder_after[c.index()] = Some(w);
        }
    }
    let bound = floor6(equity.lower_bound.min(t_star));
    Proposal {
        mode: options.mode,
        status: if steps.iter().all(|s| s.proven) {
            Status::Optimal
        } else {
            Status::Feasible
        },
        holder_after: IndexVec::from_vec(holder_after),
        unplaced: units.unplaceable,
        lower_bound_max_utilization: bound,
        moves_lower_bound,
        budget,
        steps,
        diagnosis: None,
        conflict: None,
        log,
    }
}

fn floor6(x: f64) -> f64 {
    (x * 1e6).floor() / 1e6
}

/// Most utilization levels the equity search lists; beyond (huge point values) it minimizes t
/// directly instead.
const MAX_LEVELS: f64 = 200_000.0;

/// The outcome of the equity step.
struct Equity {
    choice: Choice,
    /// Max utilization of `choice`.
    max_utilization: f64,
    /// Proven lower bound on the best max utilization.
    lower_bound: f64,
    /// True when `choice` is proven to reach the best max utilization.
    proven: bool,
}

/// Step 1: the least max utilization.
///
/// When loads move in whole steps (weights are multiples of a granularity g), a worker's
/// utilization can only take the values k·g/capacity, so the best max utilization is one of
/// finitely many levels. Starting from a feasible incumbent, a bisection over the levels between
/// the lower bound and the incumbent asks HiGHS, for each level, whether an assignment exists with
/// every load rounded down to that level: a found assignment lowers the incumbent, a proof of
/// infeasibility raises the bound. Levels at which even split cases would not fit (a max flow,
/// [`HallBound`]) or that need more reassignments than the move budget allows are dropped first,
/// and each probe gets at most `probe_seconds`. This proves
/// optimality far sooner than minimizing t directly, whose relaxation is weak. Without a
/// granularity, t is minimized directly.
fn equity_step(
    program: &Program<'_>,
    heuristic: Option<Choice>,
    deadline: Instant,
    probe_seconds: f64,
    log: &mut Vec<String>,
) -> Result<Equity, StepFailure> {
    let simple = simple_bound(program);
    let left = || {
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    };
    // Minimizing t directly: without a granularity, or when the levels are too many to list.
    let direct = |start: Option<&Choice>| -> Result<Equity, StepFailure> {
        let (sol, _) = program.solve_step(Step::Equity, &Limits::default(), start, left())?;
        let t = max_utilization(program, &sol.choice);
        let bound = if sol.proven {
            t * (1.0 - MIP_REL_GAP) - 1e-9
        } else {
            simple
        };
        Ok(Equity {
            max_utilization: t,
            lower_bound: bound.max(simple),
            proven: sol.proven,
            choice: sol.choice,
        })
    };
    let Some(g) = program.granularity else {
        return direct(heuristic.as_ref());
    };
    let mut choice = match heuristic {
        Some(h) => h,
        None => {
            program
                .solve_step(Step::Feasibility, &Limits::default(), None, left())?
                .0
                .choice
        }
    };
    let mut best = max_utilization(program, &choice);
    let mut bound = simple;

    // The levels a max utilization can take, strictly between the bound and the incumbent.
    let mut levels: Vec<f64> = Vec::new();
    let in_play = program.in_play();
    let span = |capacity: f64| {
        let first = ((bound * capacity) / g - 1e-9).ceil().max(0.0);
        let last = ((best * capacity) / g + 1e-9).floor();
        (first, last)
    };
    let count: f64 = program
        .scenario
        .staff
        .iter_enumerated()
        .filter(|(w, s)| s.available && in_play[w.index()])
        .map(|(_, s)| {
            let (first, last) = span(s.capacity);
            (last - first + 1.0).max(0.0)
        })
        .sum();
    if count > MAX_LEVELS {
        return direct(Some(&choice));
    }
    for (w, staff) in program.scenario.staff.iter_enumerated() {
        if !staff.available || !in_play[w.index()] {
            continue;
        }
        let (first, last) = span(staff.capacity);
        for k in (first as u64)..=(last as u64) {
            let level = k as f64 * g / staff.capacity;
            if level >= bound - 1e-12 && level < best - 1e-12 {
                levels.push(level);
            }
        }
    }
    levels.sort_by(f64::total_cmp);
    levels.dedup_by(|a, b| (*a - *b).abs() < 1e-12);

    // Levels at which even split cases would not fit are out (the max flow bound), and so are
    // levels that need more discretionary reassignments than the budget allows.
    let hall = HallBound::new(program, g);
    let first_level =
        |possible: &dyn Fn(f64) -> bool| levels.partition_point(|level| !possible(*level));
    let fits_from = first_level(&|level| hall.fits(level));
    let affordable_from = match program.budget {
        Some(budget) => first_level(&|level| program.least_discretionary_moves(level) <= budget),
        None => 0,
    };
    let level_at = |i: usize| levels.get(i).copied().unwrap_or(best);
    log.push(format!(
        "bound from the max flow {:.6}, from the move budget {:.6}; start {best:.6}",
        level_at(fits_from),
        level_at(affordable_from),
    ));
    let from = fits_from.max(affordable_from);
    bound = level_at(from).max(bound);
    levels.drain(..from);

    let mut proven = true;
    let (mut lo, mut hi) = (0, levels.len());
    // The bound is often the optimum on real teams, and otherwise the start often is, or nearly
    // (when a rule the bound ignores, such as the move budget, binds): try the level at the
    // bound, then up to three times the one just below the best so far (one infeasible answer
    // there proves the best), then bisect what is left.
    let mut probes = 0;
    while lo < hi {
        if left() <= 0.0 {
            proven = false;
            break;
        }
        let mid = match probes {
            0 => lo,
            1..=3 => hi - 1,
            _ => (lo + hi) / 2,
        };
        probes += 1;
        let limits = Limits {
            max_utilization: Some(levels[mid]),
            ..Limits::default()
        };
        let probe = Instant::now();
        let result =
            program.solve_step(Step::Feasibility, &limits, None, left().min(probe_seconds));
        {
            log.push(format!(
                "probe {:.6} [{lo}..{hi}) of {} levels, best {best:.6}, bound {bound:.6}: {} in {:.3} s",
                levels[mid],
                levels.len(),
                match &result {
                    Ok(_) => "feasible",
                    Err(StepFailure::Infeasible) => "infeasible",
                    Err(_) => "undecided",
                },
                probe.elapsed().as_secs_f64()
            ));
        }
        match result {
            Ok((sol, _)) => {
                // The probe's answer is a fresh start for the local search, which may go lower.
                let improved = crate::solve::search::improve(program, sol.choice);
                let t = max_utilization(program, &improved);
                if t < best {
                    best = t;
                    choice = improved;
                }
                hi = mid.min(levels.partition_point(|v| *v < best - 1e-12));
            }
            Err(StepFailure::Infeasible) => {
                bound = bound.max(levels.get(mid + 1).copied().unwrap_or(best));
                lo = mid + 1;
            }
            Err(_) => {
                // Undecided in the time left: look higher, but claim nothing below.
                proven = false;
                lo = mid + 1;
            }
        }
    }
    let proven = proven && lo >= hi;
    Ok(Equity {
        choice,
        max_utilization: best,
        lower_bound: if proven { best } else { bound },
        proven,
    })
}

/// Bounds any assignment must respect: the whole weight spread perfectly over the workers who
/// may take some of it, and each worker's load that cannot go elsewhere.
fn simple_bound(program: &Program<'_>) -> f64 {
    let in_play = program.in_play();
    let staff = &program.scenario.staff;
    let room: f64 = staff
        .iter_enumerated()
        .filter(|(w, s)| s.available && in_play[w.index()])
        .map(|(_, s)| s.capacity)
        .sum();
    let total: f64 = program.units.iter().map(|u| u.weight).sum();
    let mut bound = if room > 0.0 { total / room } else { 0.0 };
    let mut fixed = vec![0.0; staff.len()];
    for &u in &program.layout.fixed {
        let unit = &program.units[u];
        fixed[unit.allowed[0].index()] += unit.weight;
    }
    for (w, s) in staff.iter_enumerated() {
        bound = bound.max(fixed[w.index()] / s.capacity);
    }
    bound
}

/// Runs a later step from `choice`; keeps `choice` if the step finds nothing better in time.
fn run_step(
    program: &Program<'_>,
    step: Step,
    limits: &Limits,
    choice: &mut Choice,
    time_limit: f64,
    steps: &mut Vec<StepReport>,
) {
    let start = Instant::now();
    if time_limit <= 0.0 {
        // Out of time: keep the answer so far, unproven for this step.
        steps.push(StepReport {
            step,
            value: 0.0,
            proven: false,
            seconds: 0.0,
        });
        return;
    }
    let proven = match program.solve_step(step, limits, Some(choice), time_limit) {
        Ok((sol, _)) => {
            if respects(program, &sol.choice, limits) {
                *choice = sol.choice;
            }
            sol.proven
        }
        Err(_) => false,
    };
    steps.push(StepReport {
        step,
        value: 0.0,
        proven,
        seconds: start.elapsed().as_secs_f64(),
    });
}

/// Guards against a solver answer that drifted past a carried limit by more than noise.
fn respects(program: &Program<'_>, choice: &Choice, limits: &Limits) -> bool {
    let ok_util = limits
        .max_utilization
        .is_none_or(|t| max_utilization(program, choice) <= t + 1e-6);
    let ok_overload = limits
        .overload
        .is_none_or(|o| overload_points(program, choice) <= o + 1e-6);
    ok_util && ok_overload
}

/// Max utilization over available workers under a choice (0 when nobody holds anything).
pub fn max_utilization(program: &Program<'_>, choice: &Choice) -> f64 {
    let loads = program.loads(choice);
    program
        .scenario
        .staff
        .iter_enumerated()
        .filter(|(_, s)| s.available)
        .map(|(w, s)| loads[w.index()] / s.capacity)
        .fold(0.0, f64::max)
}

fn overload_points(program: &Program<'_>, choice: &Choice) -> f64 {
    let loads = program.loads(choice);
    let target = program.scenario.policy.target_utilization;
    program
        .scenario
        .staff
        .iter_enumerated()
        .map(|(w, s)| (loads[w.index()] - target * s.capacity).max(0.0))
        .sum()
}

/// Reassignments (required ones included) under a choice.
pub fn reassignments(program: &Program<'_>, choice: &Choice) -> u32 {
    program
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| unit.moves_to(program.worker(u, choice)).0)
        .sum()
}

fn preferences(program: &Program<'_>, choice: &Choice) -> u32 {
    program
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| unit.preference_for(program.worker(u, choice)))
        .sum()
}

/// Why the hard rules admit no assignment, as far as simple counting can tell.
fn diagnose(program: &Program<'_>) -> String {
    let scenario = program.scenario;
    let mut reasons = Vec::new();
    if let Some(budget) = program.budget {
        let needed: u32 = program
            .units
            .iter()
            .map(|u| {
                u.allowed
                    .iter()
                    .map(|w| u.moves_to(*w).1)
                    .min()
                    .unwrap_or(0)
            })
            .sum();
        if needed > budget {
            reasons.push(format!(
                "reuniting the families split today takes at least {needed} reassignments, but max_moves is {budget}"
            ));
        }
    }
    for (w, staff) in scenario.staff.iter_enumerated() {
        let Some(max) = staff.max_cases else { continue };
        let forced: u32 = program
            .units
            .iter()
            .filter(|u| u.allowed == [w])
            .map(Unit::count)
            .sum();
        if forced > max {
            reasons.push(format!(
                "`{}` must keep {forced} cases ({}), above max_cases {max}",
                staff.id,
                match program.mode {
                    Mode::Assign => "kept by assign, pinned, or nobody else may take them; `caseload rebalance` may move cases to make room",
                    Mode::Rebalance => "pinned, or nobody else may take them",
                }
            ));
        }
    }
    let total: u32 = program.units.iter().map(Unit::count).sum();
    let room: u64 = scenario
        .staff
        .iter()
        .filter(|s| s.available)
        .map(|s| u64::from(s.max_cases.unwrap_or(u32::MAX)))
        .sum();
    if u64::from(total) > room {
        reasons.push(format!(
            "{total} cases must be placed but the available workers' max_cases add up to {room}"
        ));
    }
    if reasons.is_empty() {
        "the hard rules (pins, families, max_cases and the move budget) cannot all be met together"
            .to_string()
    } else {
        format!("the hard rules cannot all be met: {}", reasons.join("; "))
    }
}
