//! Step 1, equity: the least max utilization, with a proof.
//!
//! When loads move in whole steps (weights are multiples of a granularity g), a worker's
//! utilization can only take the values k·g/capacity, so the best max utilization is one of
//! finitely many levels. Starting from a feasible incumbent, a search over the levels between
//! the lower bound and the incumbent asks HiGHS, for each level, whether an assignment exists with
//! every load rounded down to that level: a found assignment lowers the incumbent, a proof of
//! infeasibility raises the bound. Levels at which even split cases would not fit (a max flow,
//! [`HallBound`]) or that need more reassignments than the move budget allows are dropped first,
//! and each probe gets at most its share of the time. This proves optimality far sooner than
//! minimizing t directly, whose relaxation is weak. Without a granularity, t is minimized
//! directly.

use std::time::Instant;

use crate::domain::{IndexVec, StaffIdx};
use crate::solve::events::{ProbeAnswer, SolverEvent};
use crate::solve::model::program::MIP_REL_GAP;
use crate::solve::model::{Choice, HallBound, Limits, Program, Step, StepFailure, StepSolution};
use crate::solve::score::max_utilization;
use crate::solve::search;

/// Most utilization levels the equity search lists; beyond (huge point values) it minimizes t
/// directly instead.
const MAX_LEVELS: f64 = 200_000.0;

/// The outcome of the equity step.
pub struct Equity {
    /// The answer.
    pub choice: Choice,
    /// Max utilization of `choice`.
    pub max_utilization: f64,
    /// Proven lower bound on the best max utilization.
    pub lower_bound: f64,
    /// True when `choice` is proven to reach the best max utilization.
    pub proven: bool,
}

/// The equity search of one solve: the program, its deadline and the share of time per probe.
pub struct EquitySearch<'p, 'a> {
    /// The program.
    pub program: &'p Program<'a>,
    /// When the whole step must end.
    pub deadline: Instant,
    /// Most seconds for one probe.
    pub probe_seconds: f64,
    /// A proven lower bound known before the search (0 when none is).
    pub floor: f64,
    /// True when the start was carried from another solve of the team (see
    /// [`HeadStart`](crate::solve::HeadStart)): the levels just below it are probed first.
    pub start_carried: bool,
}

impl EquitySearch<'_, '_> {
    fn left(&self) -> f64 {
        if crate::solve::stop::stop_requested() {
            return 0.0;
        }
        self.deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    }

    /// Step 1: the least max utilization, from the local search's start when there is one.
    pub fn run(
        &self,
        heuristic: Option<Choice>,
        events: &mut Vec<SolverEvent>,
    ) -> Result<Equity, StepFailure> {
        let program = self.program;
        let simple = simple_bound(program).max(self.floor);
        let Some(g) = program.granularity else {
            return self.direct(heuristic.as_ref(), simple);
        };
        let choice = match heuristic {
            Some(h) => h,
            None => {
                program
                    .solve_step(Step::Feasibility, &Limits::default(), None, self.left())?
                    .0
                    .choice
            }
        };
        let best = max_utilization(program, &choice);
        let Some(levels) = levels_between(program, g, simple, best) else {
            return self.direct(Some(&choice), simple);
        };
        let (levels, bound) = self.drop_unreachable(levels, g, simple, best, events);
        Ok(self.probe(levels, choice, best, bound, events))
    }

    /// Minimizing t directly: without a granularity, or when the levels are too many to list.
    fn direct(&self, start: Option<&Choice>, simple: f64) -> Result<Equity, StepFailure> {
        let program = self.program;
        let sol = match program.solve_step(Step::Equity, &Limits::default(), start, self.left()) {
            Ok((sol, _)) => sol,
            // Out of time with a start in hand: the start, unproven.
            Err(StepFailure::NoSolution) if start.is_some() => StepSolution {
                choice: start.cloned().expect("a start"),
                proven: false,
            },
            Err(failure) => return Err(failure),
        };
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
    }

    /// Drops the levels at which even split cases would not fit (the max flow bound) and those
    /// that need more discretionary reassignments than the budget allows; returns the levels
    /// left and the bound they prove.
    fn drop_unreachable(
        &self,
        mut levels: Vec<f64>,
        g: f64,
        bound: f64,
        best: f64,
        events: &mut Vec<SolverEvent>,
    ) -> (Vec<f64>, f64) {
        let program = self.program;
        let hall = HallBound::new(program, g);
        let first_level =
            |possible: &dyn Fn(f64) -> bool| levels.partition_point(|level| !possible(*level));
        let fits_from = first_level(&|level| hall.fits(level));
        let affordable_from = match program.budget {
            Some(budget) => {
                first_level(&|level| program.least_discretionary_moves(level) <= budget)
            }
            None => 0,
        };
        let level_at = |i: usize| levels.get(i).copied().unwrap_or(best);
        events.push(SolverEvent::EquityBounds {
            max_flow: level_at(fits_from),
            move_budget: level_at(affordable_from),
            start: best,
        });
        let from = fits_from.max(affordable_from);
        let bound = level_at(from).max(bound);
        levels.drain(..from);
        (levels, bound)
    }

    /// Probes the levels left: the bound is often the optimum on real teams, and otherwise the
    /// start often is, or nearly (when a rule the bound ignores, such as the move budget,
    /// binds). So: the level at the bound, then up to three times the one just below the best so
    /// far (one infeasible answer there proves the best), then bisection of what is left.
    fn probe(
        &self,
        levels: Vec<f64>,
        mut choice: Choice,
        mut best: f64,
        mut bound: f64,
        events: &mut Vec<SolverEvent>,
    ) -> Equity {
        let program = self.program;
        let mut proven = true;
        let (mut lo, mut hi) = (0, levels.len());
        let mut probes = 0;
        while lo < hi {
            if self.left() <= 0.0 {
                proven = false;
                break;
            }
            let mid = match (probes, self.start_carried) {
                // A start carried from a neighbouring budget is usually the optimum: one
                // infeasible probe just below it proves so.
                (0..=2, true) | (1..=3, false) => hi - 1,
                (0, false) | (3, true) => lo,
                _ => (lo + hi) / 2,
            };
            probes += 1;
            let limits = Limits {
                max_utilization: Some(levels[mid]),
                ..Limits::default()
            };
            let started = Instant::now();
            let result = program.solve_step(
                Step::Feasibility,
                &limits,
                None,
                self.left().min(self.probe_seconds),
            );
            events.push(SolverEvent::Probe {
                level: levels[mid],
                lo,
                hi,
                levels: levels.len(),
                best,
                bound,
                answer: match &result {
                    Ok(_) => ProbeAnswer::Feasible,
                    Err(StepFailure::Infeasible) => ProbeAnswer::Infeasible,
                    Err(_) => ProbeAnswer::Undecided,
                },
                seconds: started.elapsed().as_secs_f64(),
            });
            match result {
                Ok((sol, _)) => {
                    // The probe's answer is a fresh start for the local search, which may go
                    // lower.
                    let improved = search::improve(program, sol.choice, self.deadline);
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
        Equity {
            choice,
            max_utilization: best,
            lower_bound: if proven { best } else { bound },
            proven,
        }
    }
}

/// The levels a max utilization can take, strictly between `bound` and `best`, sorted; `None`
/// when they are too many to list.
fn levels_between(program: &Program<'_>, g: f64, bound: f64, best: f64) -> Option<Vec<f64>> {
    let in_play = program.in_play();
    let span = |capacity: f64| {
        let first = ((bound * capacity) / g - 1e-9).ceil().max(0.0);
        let last = ((best * capacity) / g + 1e-9).floor();
        (first, last)
    };
    let candidates = || {
        program
            .scenario
            .staff
            .iter_enumerated()
            .filter(|(w, s)| s.available && in_play[*w])
            .map(|(_, s)| s)
    };
    let count: f64 = candidates()
        .map(|s| {
            let (first, last) = span(s.capacity);
            (last - first + 1.0).max(0.0)
        })
        .sum();
    if count > MAX_LEVELS {
        return None;
    }
    let mut levels: Vec<f64> = Vec::new();
    for staff in candidates() {
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
    Some(levels)
}

/// Bounds any assignment must respect: the whole weight spread perfectly over the workers who
/// may take some of it, and each worker's load that cannot go elsewhere.
fn simple_bound(program: &Program<'_>) -> f64 {
    let in_play = program.in_play();
    let staff = &program.scenario.staff;
    let room: f64 = staff
        .iter_enumerated()
        .filter(|(w, s)| s.available && in_play[*w])
        .map(|(_, s)| s.capacity)
        .sum();
    let total: f64 = program.units.iter().map(|u| u.weight).sum();
    let mut bound = if room > 0.0 { total / room } else { 0.0 };
    let mut fixed: IndexVec<StaffIdx, f64> = IndexVec::from_vec(vec![0.0; staff.len()]);
    for &u in &program.layout.fixed {
        let unit = &program.units[u];
        fixed[unit.allowed[0]] += unit.weight;
    }
    for (w, s) in staff.iter_enumerated() {
        bound = bound.max(fixed[w] / s.capacity);
    }
    bound
}
