//! Solving a scenario: the lexicographic steps run one after another, each keeping what the
//! earlier ones achieved, each warm-started from the previous answer.
//!
//! A local search gives the first step a feasible start (and a proposal even if time runs out
//! early). Equity is proven by a rounding bound and a bisection over utilization levels. The
//! fewest reassignments, and among them the most preferences, come from one exact weighted
//! objective: solved whole and proven on small programs; on larger ones over the arrivals its
//! linear relaxation uses, with the relaxation's bound reported beside the answer. A proposal
//! decided earlier is read back, not solved again, by [`saved`].

pub mod balance;
pub mod conflict;
pub mod diagnose;
pub mod equity;
pub mod events;
pub mod model;
pub mod moves;
pub mod saved;
pub mod score;
pub mod search;
pub mod stop;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::domain::{CaseIdx, IndexVec, Scenario, StaffIdx};
use crate::solve::balance::{HomeLimits, Team};
use crate::solve::conflict::{find_conflict, Conflict};
use crate::solve::diagnose::{diagnose, Diagnosis};
use crate::solve::equity::EquitySearch;
use crate::solve::events::SolverEvent;
use crate::solve::model::{
    build_units, Choice, Limits, Mode, Program, Step, StepFailure, Unplaceable,
};
use crate::solve::moves::Moves;
pub use crate::solve::score::{max_utilization, reassignments};

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

/// Share of the time limit for one equity probe. Finding an assignment at a level is quick;
/// proving none exists, when even split cases would fit, can take long on large teams. A probe
/// that runs out leaves the bound where it was and the answer unproven, with its gap.
pub const PROBE_SHARE: f64 = 1.0 / 12.0;

/// Share of the time limit for the local search that gives the equity step its start: on
/// teams too large for the integer program in the time, its answer is the proposal's equity.
pub const QUICK_START_SHARE: f64 = 0.3;

/// Longest time limit taken literally (about 11 days); longer ones mean "no limit".
pub const MAX_SECONDS: f64 = 1e6;

/// How good the proposal is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

impl Status {
    /// The status as JSON and CSV name it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::Unknown => "unknown",
        }
    }
}

/// What one objective step achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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

/// What a solve established.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every step solved to optimality (within a relative gap of 1e-6).
    Optimal,
    /// A proposal that keeps every hard rule, but time ran out before a step was proven.
    Feasible,
    /// The hard rules admit no assignment.
    Infeasible {
        /// What counting shows.
        diagnosis: Diagnosis,
        /// A small set of the hard rules that conflict, when the search found one in time.
        conflict: Option<Conflict>,
    },
    /// Time ran out before any proposal keeping every hard rule was found.
    Unknown {
        /// What counting shows, in case the rules conflict.
        diagnosis: Diagnosis,
    },
}

impl Outcome {
    /// The outcome's status, as JSON and the exit code read it.
    pub fn status(&self) -> Status {
        match self {
            Outcome::Optimal => Status::Optimal,
            Outcome::Feasible => Status::Feasible,
            Outcome::Infeasible { .. } => Status::Infeasible,
            Outcome::Unknown { .. } => Status::Unknown,
        }
    }

    /// True when there is a proposal (optimal or feasible).
    pub fn has_proposal(&self) -> bool {
        matches!(self, Outcome::Optimal | Outcome::Feasible)
    }

    /// The conflicting rules, when the rules admit no assignment and the search named them.
    pub fn conflict(&self) -> Option<&Conflict> {
        match self {
            Outcome::Infeasible { conflict, .. } => conflict.as_ref(),
            _ => None,
        }
    }
}

/// The solver's answer: who holds each case after the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The job done.
    pub mode: Mode,
    /// Optimal, feasible (timed out), infeasible (with why) or unknown.
    pub outcome: Outcome,
    /// Holder of each case after the run; `None` for cases that cannot be placed (and, without
    /// a proposal, for every case).
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
    /// What the solver did, for `--verbose` (not part of the JSON: it has times).
    pub events: Vec<SolverEvent>,
}

impl Proposal {
    /// How good the proposal is known to be.
    pub fn status(&self) -> Status {
        self.outcome.status()
    }

    /// True when there is a proposal (optimal or feasible).
    pub fn has_proposal(&self) -> bool {
        self.outcome.has_proposal()
    }

    /// True when there is a proposal and it places every case: what exit code 0 means.
    pub fn is_complete(&self) -> bool {
        self.has_proposal() && self.unplaced.is_empty()
    }
}

/// Who holds each case in a proposal (`None`: unplaced).
pub type Holders = IndexVec<CaseIdx, Option<StaffIdx>>;

/// What solves of the same team under other move budgets established, for a solve to build
/// on: proposals to start from and a floor under the max utilization. Neither changes what
/// counts as the answer; they let the solve get there sooner.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeadStart {
    /// Other proposals for the team. The local search starts from each too (one that spends
    /// more than this solve's budget first takes moves back; see [`search::start_from`]), and
    /// the start with the least max utilization is kept (a fresh one on a tie, then the first).
    pub proposals: Vec<Holders>,
    /// A proven lower bound on the max utilization any assignment within this solve's rules
    /// reaches (that of a solve with a larger budget, say); 0 when none is known.
    pub max_utilization_floor: f64,
}

/// One solve under way: the program, the clock, and what the steps have reported so far.
pub(crate) struct Run<'p, 'a> {
    program: &'p Program<'a>,
    options: &'p SolveOptions,
    head: &'p HeadStart,
    /// True when the equity step starts from one of the head start's proposals.
    start_carried: bool,
    start: Instant,
    steps: Vec<StepReport>,
    events: Vec<SolverEvent>,
}

/// Solves a scenario: equity, then overload, then moves and preferences, each keeping what the
/// earlier steps achieved.
pub fn solve(scenario: &Scenario, options: &SolveOptions) -> Proposal {
    solve_from(scenario, options, &HeadStart::default())
}

/// Solves a scenario as [`solve`] does, building on what other solves of the team established.
pub fn solve_from(scenario: &Scenario, options: &SolveOptions, head: &HeadStart) -> Proposal {
    let start = Instant::now();
    let units = build_units(scenario, options.mode);
    let budget = match options.mode {
        Mode::Rebalance => Some(scenario.policy.max_moves),
        Mode::Assign => None,
    };
    let program = Program::new(scenario, &units.units, budget);
    let mut run = Run {
        program: &program,
        options,
        head,
        start_carried: false,
        start,
        steps: Vec::new(),
        events: vec![model_event(&program)],
    };
    let heuristic = run.start();
    let equity = match run.equity_step(heuristic) {
        Ok(equity) => equity,
        Err(failure) => {
            let diagnosis = diagnose(&program);
            let outcome = match failure {
                StepFailure::Infeasible => Outcome::Infeasible {
                    diagnosis,
                    conflict: find_conflict(scenario, options.mode, run.remaining(0.5)),
                },
                _ => Outcome::Unknown { diagnosis },
            };
            return run.without_proposal(outcome, units.unplaceable);
        }
    };
    let mut choice = equity.choice;
    let t_star = equity.max_utilization;
    let overload = run.overload_step(&mut choice, t_star);
    let limits = run.moves_limits(&mut choice, t_star, overload);
    let moves = run.moves_step(&mut choice, &limits);
    let fewest = (
        reassignments(&program, &choice),
        score::preferences(&program, &choice),
    );
    run.balance_step(&mut choice, &limits);
    // Balance only narrows the answers the moves step chose from: when it costs no
    // reassignment or preference, the moves step's proof still holds.
    let at_no_cost = reassignments(&program, &choice) <= fewest.0
        && score::preferences(&program, &choice) >= fewest.1;
    run.report_moves(&choice, &moves, at_no_cost);
    run.preferences_step(&choice, at_no_cost && moves.both_proven);

    let mut holder_after = IndexVec::from_vec(vec![None; scenario.cases.len()]);
    for (u, unit) in units.units.iter_enumerated() {
        let w = program.worker(u, &choice);
        for c in &unit.cases {
            holder_after[*c] = Some(w);
        }
    }
    Proposal {
        mode: options.mode,
        outcome: if run.steps.iter().all(|s| s.proven) {
            Outcome::Optimal
        } else {
            Outcome::Feasible
        },
        holder_after,
        unplaced: units.unplaceable,
        lower_bound_max_utilization: floor6(equity.lower_bound.min(t_star)),
        moves_lower_bound: moves.lower_bound,
        budget,
        steps: run.steps,
        events: run.events,
    }
}

/// The program's size, as the first event.
fn model_event(program: &Program<'_>) -> SolverEvent {
    let l = &program.layout;
    SolverEvent::Model {
        units: program.units.len(),
        fixed: l.fixed.len(),
        singles: l.singles.len(),
        grouped: l.groups.iter().map(|g| g.units.len()).sum(),
        classes: l.classes.len(),
        groups: l.groups.len(),
        arrival_columns: l.classes.iter().map(|c| c.allowed.len()).sum(),
    }
}

fn floor6(x: f64) -> f64 {
    (x * 1e6).floor() / 1e6
}

impl Run<'_, '_> {
    /// A share of the time left; zero when none is left or a stop was asked for, so later
    /// steps are skipped.
    fn remaining(&self, share: f64) -> f64 {
        if stop::stop_requested() {
            return 0.0;
        }
        ((self.options.time_limit - self.start.elapsed().as_secs_f64()) * share).max(0.0)
    }

    /// The instant a phase given `share` of the time left must end by.
    fn deadline(&self, share: f64) -> Instant {
        Instant::now() + Duration::from_secs_f64(self.remaining(share).min(MAX_SECONDS))
    }

    /// The answer when there is no proposal.
    fn without_proposal(self, outcome: Outcome, unplaced: Vec<Unplaceable>) -> Proposal {
        let scenario = self.program.scenario;
        Proposal {
            mode: self.options.mode,
            outcome,
            holder_after: IndexVec::from_vec(vec![None; scenario.cases.len()]),
            unplaced,
            lower_bound_max_utilization: f64::INFINITY,
            moves_lower_bound: 0,
            budget: self.program.budget,
            steps: Vec::new(),
            events: Vec::new(),
        }
    }

    /// The equity step's start: the local search's, from scratch and from each of the head
    /// start's proposals; the one with the least max utilization (the fresh one on a tie, then
    /// the first).
    fn start(&mut self) -> Option<Choice> {
        let program = self.program;
        let deadline = self.deadline(QUICK_START_SHARE);
        let mut heuristic = search::quick_start(program, deadline);
        for holders in &self.head.proposals {
            let Some(carried) = search::start_from(program, holders, deadline) else {
                continue;
            };
            let better = heuristic.as_ref().is_none_or(|best| {
                max_utilization(program, &carried) < max_utilization(program, best) - 1e-12
            });
            if better {
                heuristic = Some(carried);
                self.start_carried = true;
            }
        }
        if let Some(h) = &heuristic {
            self.events.push(SolverEvent::Start {
                max_utilization: max_utilization(program, h),
                seconds: self.start.elapsed().as_secs_f64(),
            });
        }
        heuristic
    }

    /// Step 1: the least max utilization (see [`equity`]), from `heuristic` and above the head
    /// start's floor.
    fn equity_step(&mut self, heuristic: Option<Choice>) -> Result<equity::Equity, StepFailure> {
        let started = Instant::now();
        let search = EquitySearch {
            program: self.program,
            deadline: self.start
                + Duration::from_secs_f64((self.options.time_limit * 0.6).min(MAX_SECONDS)),
            probe_seconds: self.options.time_limit * PROBE_SHARE,
            floor: self.head.max_utilization_floor,
            start_carried: self.start_carried,
        };
        let equity = search.run(heuristic, &mut self.events)?;
        self.steps.push(StepReport {
            step: Step::Equity,
            value: equity.max_utilization,
            proven: equity.proven,
            seconds: started.elapsed().as_secs_f64(),
        });
        Ok(equity)
    }

    /// Step 2: the least overload, keeping max utilization at `t_star`; returns the overload
    /// reached.
    fn overload_step(&mut self, choice: &mut Choice, t_star: f64) -> f64 {
        let program = self.program;
        let limits = Limits {
            max_utilization: Some(t_star),
            ..Limits::default()
        };
        let tried = if score::overload(program, choice) <= 1e-9 {
            // Nothing to lower: no overload is optimal.
            Tried::SETTLED
        } else {
            self.run_step(Step::Overload, &limits, choice, self.remaining(0.5))
        };
        let overload = score::overload(program, choice);
        self.steps.push(tried.report(Step::Overload, overload));
        overload
    }

    /// The limits of the moves step (equity with the tolerance, the overload reached), after
    /// the local search has sent what it can home.
    fn moves_limits(&mut self, choice: &mut Choice, t_star: f64, overload: f64) -> Limits {
        let program = self.program;
        let tolerance = program.scenario.policy.equity_tolerance;
        let limits = Limits {
            max_utilization: Some(t_star + tolerance),
            overload: Some(overload),
            load_caps: None,
        };
        let homeward = search::fewer_moves(
            program,
            choice.clone(),
            t_star + tolerance,
            overload,
            self.deadline(0.5),
        );
        if reassignments(program, &homeward) < reassignments(program, choice)
            && score::respects(program, &homeward, &limits)
        {
            *choice = homeward;
        }
        self.events.push(SolverEvent::MovesStart {
            reassignments: reassignments(program, choice),
        });
        limits
    }

    /// Step 3: balance below the top (see [`balance`]), from the fewest-moves answer, then
    /// fewest reassignments again: units go home wherever the guarantee and `limits` allow, and
    /// on programs small enough to prove, the fewest reassignments that reach the balanced loads.
    fn balance_step(&mut self, choice: &mut Choice, limits: &Limits) {
        let program = self.program;
        let scenario = program.scenario;
        let started = Instant::now();
        let deadline = self.deadline(0.5);
        let moves_before = reassignments(program, choice);
        let home = self.home_limits(limits);
        let mut team = Team::of_choice(
            scenario,
            program.units,
            choice,
            self.options.mode,
            program.budget,
        );
        let mut balanced = team.balance(deadline);
        let moves_after_transfers = reassignments(program, &team.choice());
        if balanced {
            team.bring_home(&home, deadline);
        } else {
            balanced = team.is_balanced();
        }
        let mut balanced_choice = team.choice();
        if balanced
            && program.columns() <= moves::MAX_PROVEN_COLUMNS
            && reassignments(program, &balanced_choice) > moves_before
        {
            if let Some(fewer) = self.fewest_at_loads(&balanced_choice, limits, &home, deadline) {
                balanced_choice = fewer;
            }
        }
        if score::respects(program, &balanced_choice, limits) {
            *choice = balanced_choice;
        } else {
            balanced = false;
        }
        let seconds = started.elapsed().as_secs_f64();
        self.events.push(SolverEvent::Balance {
            moves_before,
            moves_after_transfers,
            moves_after: reassignments(program, choice),
            balanced,
            seconds,
        });
        self.steps.push(StepReport {
            step: Step::Balance,
            // Units left unbalanced: none when the step finished.
            value: if balanced {
                0.0
            } else {
                Team::of_choice(
                    scenario,
                    program.units,
                    choice,
                    self.options.mode,
                    program.budget,
                )
                .unbalanced_units() as f64
            },
            proven: balanced,
            seconds,
        });
    }

    /// What bringing units home must keep: each worker within the equity step's ceiling (with
    /// the tolerance), and the overload reached.
    fn home_limits(&self, limits: &Limits) -> HomeLimits {
        let program = self.program;
        let ceiling = limits.max_utilization.unwrap_or(f64::INFINITY);
        HomeLimits {
            load_ceiling: IndexVec::from_vec(
                program
                    .scenario
                    .staff
                    .iter()
                    .map(|s| program.load_ceiling(ceiling, s.capacity))
                    .collect(),
            ),
            overload: limits.overload.unwrap_or(f64::INFINITY),
        }
    }

    /// The fewest reassignments with no worker above their load in `balanced`, balanced again
    /// and brought home: `Some` when that is balanced with fewer reassignments than `balanced`.
    fn fewest_at_loads(
        &mut self,
        balanced: &Choice,
        limits: &Limits,
        home: &HomeLimits,
        deadline: Instant,
    ) -> Option<Choice> {
        let program = self.program;
        let at_loads = Limits {
            load_caps: Some(Arc::new(program.loads(balanced))),
            ..limits.clone()
        };
        let mut fewest = balanced.clone();
        self.run_step(Step::Moves, &at_loads, &mut fewest, self.remaining(0.5));
        let mut team = Team::of_choice(
            program.scenario,
            program.units,
            &fewest,
            self.options.mode,
            program.budget,
        );
        if !team.balance(deadline) {
            return None;
        }
        team.bring_home(home, deadline);
        let fewer = team.choice();
        (reassignments(program, &fewer) < reassignments(program, balanced)
            && score::respects(program, &fewer, limits))
        .then_some(fewer)
    }

    /// The moves step's report, once balance has had its say: proven when balance cost no
    /// reassignment, or the reassignments reach the proven lower bound.
    fn report_moves(&mut self, choice: &Choice, moves: &Moves, balance_at_no_cost: bool) {
        let reached = reassignments(self.program, choice);
        let tried = Tried {
            proven: (balance_at_no_cost && moves.tried.proven) || reached == moves.lower_bound,
            ..moves.tried
        };
        self.steps
            .push(tried.report(Step::Moves, f64::from(reached)));
    }

    /// Step 5: preferences. The moves step already put them second in its objective, so a
    /// proven weighted objective settles them; otherwise they are as good as the search got.
    fn preferences_step(&mut self, choice: &Choice, both_proven: bool) {
        let program = self.program;
        let honoured = score::preferences(program, choice);
        let tried = Tried {
            proven: both_proven || honoured >= program.preferences_reachable,
            seconds: 0.0,
        };
        self.steps
            .push(tried.report(Step::Preferences, f64::from(honoured)));
    }

    /// With a head start, the answer so far is often a step's optimum already: asking for any
    /// answer within `limits` whose objective is at most `below` settles the step when there
    /// is none, far sooner than the step's program proves its optimum. An answer it finds
    /// becomes `choice`.
    fn refute(&self, step: Step, limits: &Limits, below: f64, choice: &mut Choice) -> Refuted {
        if self.head.proposals.is_empty() {
            return Refuted::Undecided;
        }
        let program = self.program;
        let started = Instant::now();
        let seconds = self
            .remaining(1.0)
            .min(self.options.time_limit * PROBE_SHARE);
        match program.solve_below(step, limits, below, seconds) {
            Err(StepFailure::Infeasible) => Refuted::Settled(Tried {
                proven: true,
                seconds: started.elapsed().as_secs_f64(),
            }),
            Ok(better) if score::respects(program, &better.choice, limits) => {
                *choice = better.choice;
                Refuted::Improved
            }
            _ => Refuted::Undecided,
        }
    }

    /// Runs a later step from `choice`; keeps `choice` if the step finds nothing better in time.
    fn run_step(&self, step: Step, limits: &Limits, choice: &mut Choice, time_limit: f64) -> Tried {
        let program = self.program;
        let started = Instant::now();
        if time_limit <= 0.0 {
            // Out of time: keep the answer so far, unproven for this step.
            return Tried::OUT_OF_TIME;
        }
        let proven = match program.solve_step(step, limits, Some(choice), time_limit) {
            Ok((sol, _)) => {
                if score::respects(program, &sol.choice, limits) {
                    *choice = sol.choice;
                }
                sol.proven
            }
            Err(_) => false,
        };
        Tried {
            proven,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// What asking for an answer better than the one in hand established (see [`Run::refute`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Refuted {
    /// None is better: the answer in hand is the step's optimum.
    Settled(Tried),
    /// A better answer was found, and is now the one in hand.
    Improved,
    /// Neither, in the time given.
    Undecided,
}

/// How a step's solve went, before its value is known.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tried {
    proven: bool,
    seconds: f64,
}

impl Tried {
    /// The answer so far already reaches the step's optimum: no solve needed.
    const SETTLED: Tried = Tried {
        proven: true,
        seconds: 0.0,
    };
    /// No time was left for the step.
    const OUT_OF_TIME: Tried = Tried {
        proven: false,
        seconds: 0.0,
    };

    /// The step's report, with the value the answer reaches.
    fn report(self, step: Step, value: f64) -> StepReport {
        StepReport {
            step,
            value,
            proven: self.proven,
            seconds: self.seconds,
        }
    }
}
