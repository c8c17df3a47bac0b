//! The integer program of one step, built the good_lp way: variables first, then one expression
//! per worker's load and case count and one for reassignments, discretionary reassignments and
//! preferences, accumulated unit by unit; then the constraints of each rule read those
//! expressions. The order in which variables and constraints are added is part of the answer
//! (HiGHS is deterministic for a given program), so it is fixed here.

use good_lp::solvers::highs::{HighsProblem, HighsSolution};
use good_lp::{
    constraint, variable, Expression, ProblemVariables, Solution, SolverModel, Variable,
    VariableDefinition, WithInitialSolution,
};

use crate::domain::{overload, IndexVec, StaffIdx};
use crate::solve::model::highs;
use crate::solve::model::layout::{ClassIdx, Counts, GroupIdx};
use crate::solve::model::program::{Limits, Program, Region, Step, CARRY_EPS, MIP_REL_GAP};
use crate::solve::model::units::{Choice, Slot};

/// The variables of one step's program.
pub(super) struct StepModel<'p, 'a> {
    program: &'p Program<'a>,
    step: Step,
    /// Singles (in [`Layout::singles`](super::layout::Layout::singles) order): a binary per
    /// allowed worker.
    x: Vec<IndexVec<Slot, Variable>>,
    /// Groups: how many stay with their holder (`None` when the holder may not keep them).
    stay: IndexVec<GroupIdx, Option<Variable>>,
    /// Classes: how many arrive at each allowed worker.
    arrive: IndexVec<ClassIdx, IndexVec<Slot, Variable>>,
    /// The max utilization, in the equity step.
    t: Option<Variable>,
    /// Per worker, points above target (in the overload, moves and preferences steps).
    overload: IndexVec<StaffIdx, Option<Variable>>,
}

/// The expressions the rules and objectives read.
struct Sums {
    load: IndexVec<StaffIdx, Expression>,
    count: IndexVec<StaffIdx, Expression>,
    moves: Expression,
    discretionary: Expression,
    preferences: Expression,
}

/// Most branch-and-bound nodes of a refutation (see [`Program::solve_below`]).
const REFUTATION_NODES: i32 = 32;

impl<'p, 'a> StepModel<'p, 'a> {
    /// Builds the program of `step` over `region`, warm-started from `warm`, ready to solve.
    pub(super) fn build(
        program: &'p Program<'a>,
        step: Step,
        limits: &Limits,
        warm: Option<&Choice>,
        time_limit: f64,
        region: Region<'_>,
    ) -> (Self, HighsProblem, Expression) {
        let mut vars = ProblemVariables::new();
        let mut model = StepModel::variables(program, step, warm, region, &mut vars);
        let sums = model.sums();
        let overload = program.in_play().iter().map(|in_play| {
            (*in_play && matches!(step, Step::Overload | Step::Moves | Step::Preferences))
                .then(|| vars.add(variable().min(0.0)))
        });
        model.overload = IndexVec::from_vec(overload.collect());
        let objective = model.objective(&sums);
        let minimised = match region {
            Region::Below(_) => Expression::from(0.0),
            _ => objective.clone(),
        };
        let mut problem = model.options(vars, minimised, time_limit, region);
        model.constrain(&mut problem, limits, sums);
        if let Region::Below(ceiling) = region {
            problem.add_constraint(constraint!(objective.clone() <= ceiling));
        }
        if let Some(choice) = warm {
            problem = problem.with_initial_solution(model.warm_point(choice));
        }
        (model, problem, objective)
    }

    fn variables(
        program: &'p Program<'a>,
        step: Step,
        warm: Option<&Choice>,
        region: Region<'_>,
        vars: &mut ProblemVariables,
    ) -> Self {
        let layout = &program.layout;
        let relaxed = region == Region::Relaxed;
        let warm_counts = warm.map(|c| layout.counts_of(c));
        // An integer variable within [lo, hi] (continuous in the relaxation), perhaps with a
        // start value.
        let mut integer = |lo: f64, hi: f64, value: Option<f64>| {
            let def: VariableDefinition = variable().min(lo).max(hi);
            let def = if relaxed { def } else { def.integer() };
            vars.add(match value {
                Some(v) => def.initial(v),
                None => def,
            })
        };
        let x = layout
            .singles
            .iter()
            .map(|&u| {
                program.units[u]
                    .slots()
                    .map(|(k, _)| {
                        integer(0.0, 1.0, warm.map(|c| if c[u] == k { 1.0 } else { 0.0 }))
                    })
                    .collect::<Vec<_>>()
            })
            .map(IndexVec::from_vec)
            .collect();
        let stay = layout
            .groups
            .iter_enumerated()
            .map(|(g, group)| {
                group.holder_slot.map(|_| {
                    let value = warm_counts.as_ref().map(|c| f64::from(c.stay[g]));
                    integer(0.0, group.units.len() as f64, value)
                })
            })
            .collect();
        let arrive = layout
            .classes
            .iter_enumerated()
            .map(|(k, class)| {
                class
                    .slots()
                    .map(|(j, _)| {
                        let open = match region {
                            Region::Restricted(open) => open.is_open(k, j),
                            _ => true,
                        };
                        let top = if open { f64::from(class.size) } else { 0.0 };
                        let value = warm_counts.as_ref().map(|c| f64::from(c.arrive[k][j]));
                        integer(0.0, top, value)
                    })
                    .collect::<Vec<_>>()
            })
            .map(IndexVec::from_vec)
            .collect();
        let t = (step == Step::Equity).then(|| vars.add(variable().min(0.0)));
        StepModel {
            program,
            step,
            x,
            stay: IndexVec::from_vec(stay),
            arrive: IndexVec::from_vec(arrive),
            t,
            overload: IndexVec::default(),
        }
    }

    /// Per-worker load and count, reassignments and preferences: constant part plus variable
    /// terms, unit by unit.
    fn sums(&self) -> Sums {
        let program = self.program;
        let layout = &program.layout;
        let n = program.scenario.staff.len();
        let mut s = Sums {
            load: IndexVec::from_vec((0..n).map(|_| Expression::from(0.0)).collect()),
            count: IndexVec::from_vec((0..n).map(|_| Expression::from(0.0)).collect()),
            moves: Expression::from(0.0),
            discretionary: Expression::from(0.0),
            preferences: Expression::from(0.0),
        };
        for &u in &layout.fixed {
            let unit = &program.units[u];
            let w = unit.allowed[0];
            s.load[w] += unit.weight;
            s.count[w] += f64::from(unit.count());
            let cost = unit.moves_to(w);
            s.moves += f64::from(cost.all);
            s.discretionary += f64::from(cost.discretionary);
            s.preferences += f64::from(unit.preference_for(w));
        }
        for (si, &u) in layout.singles.iter().enumerate() {
            let unit = &program.units[u];
            for (k, w) in unit.slots() {
                let v = self.x[si][k];
                s.load[w].add_mul(unit.weight, v);
                s.count[w].add_mul(unit.count(), v);
                let cost = unit.moves_to(w);
                s.moves.add_mul(cost.all, v);
                s.discretionary.add_mul(cost.discretionary, v);
                s.preferences.add_mul(unit.preference_for(w), v);
            }
        }
        for (g, group) in layout.groups.iter_enumerated() {
            let class = &layout.classes[group.class];
            let size = group.units.len() as f64;
            let (all, disc) = (
                f64::from(group.moves_if_leaving.all),
                f64::from(group.moves_if_leaving.discretionary),
            );
            // Leaving units cost moves: size - stay of them leave.
            s.moves += all * size;
            s.discretionary += disc * size;
            if let (Some(v), Some(h)) = (self.stay[g], group.holder) {
                s.load[h].add_mul(class.weight, v);
                s.count[h].add_mul(class.count, v);
                s.moves.add_mul(-all, v);
                s.discretionary.add_mul(-disc, v);
                s.preferences.add_mul(class.preference_for(h), v);
            }
        }
        for (k, class) in layout.classes.iter_enumerated() {
            for (j, w) in class.slots() {
                let v = self.arrive[k][j];
                s.load[w].add_mul(class.weight, v);
                s.count[w].add_mul(class.count, v);
                let pref = class.preference_for(w);
                if pref > 0 {
                    s.preferences.add_mul(pref, v);
                }
            }
        }
        s
    }

    fn overload_total(&self) -> Expression {
        self.overload
            .iter()
            .flatten()
            .map(|v| Expression::from(*v))
            .sum()
    }

    fn objective(&self, sums: &Sums) -> Expression {
        match self.step {
            Step::Equity => Expression::from(self.t.expect("equity step has t")),
            Step::Overload => self.overload_total(),
            // Fewest moves first, then most preferences: one move weighs more than every
            // preference together, so this is the lexicographic order, exactly.
            Step::Moves => {
                let weight = f64::from(self.program.preferences_reachable) + 1.0;
                sums.moves.clone() * weight - sums.preferences.clone()
            }
            Step::Preferences => -sums.preferences.clone(),
            Step::Balance | Step::Feasibility => Expression::from(0.0),
        }
    }

    fn options(
        &self,
        vars: ProblemVariables,
        objective: Expression,
        time_limit: f64,
        region: Region<'_>,
    ) -> HighsProblem {
        let mut problem = highs::minimise(vars, objective, MIP_REL_GAP, 1e-7, time_limit);
        if matches!(region, Region::Below(_)) {
            // A refutation is a quick confirmation or nothing: when the root node and a few
            // branches do not settle it, the step's own program (warm-started from the answer
            // in hand) proves it sooner, and a node count, unlike a clock, stops it at the same
            // place on every machine.
            problem = problem.set_option("mip_max_nodes", REFUTATION_NODES);
        }
        if matches!(region, Region::Restricted(_)) {
            // The root node only (cuts and heuristics): the answer depends on the program, not
            // on how fast the machine reaches a time limit.
            problem = problem.set_option("mip_max_nodes", 1);
            // The root reduced-cost heuristic rarely finds what the sub-MIP heuristics miss here,
            // and on a 50 x 1,500 team it takes a third of the root node's time.
            problem = problem.set_option("mip_heuristic_run_root_reduced_cost", false);
            if self.step == Step::Moves {
                // Done once no answer can save a whole reassignment: the preferences that the
                // rest of the root node might still add are not worth its time.
                let weight = f64::from(self.program.preferences_reachable) + 1.0;
                problem = problem.set_option("mip_abs_gap", (weight - 0.5).max(1e-7));
            }
        }
        problem
    }

    /// Every rule of the step, in a fixed order.
    fn constrain(&self, problem: &mut HighsProblem, limits: &Limits, sums: Sums) {
        self.each_unit_placed(problem);
        self.worker_limits(problem, limits, &sums);
        if let Some(ceiling) = limits.max_utilization {
            self.moves_out_cuts(problem, ceiling);
        }
        if let Some(budget) = self.program.budget {
            let discretionary = sums.discretionary;
            problem.add_constraint(constraint!(discretionary <= f64::from(budget)));
        }
        if let (Some(limit), Step::Moves | Step::Preferences) = (limits.overload, self.step) {
            problem.add_constraint(constraint!(self.overload_total() <= limit + CARRY_EPS));
        }
    }

    /// Every single goes to one worker; every unit of a class stays with its holder or arrives
    /// somewhere.
    fn each_unit_placed(&self, problem: &mut HighsProblem) {
        let layout = &self.program.layout;
        for xs in &self.x {
            let sum: Expression = xs.iter().map(|v| Expression::from(*v)).sum();
            problem.add_constraint(constraint!(sum == 1.0));
        }
        let mut stays_by_class: IndexVec<ClassIdx, Expression> = IndexVec::from_vec(
            layout
                .classes
                .iter()
                .map(|_| Expression::from(0.0))
                .collect(),
        );
        for (g, group) in layout.groups.iter_enumerated() {
            if let Some(v) = self.stay[g] {
                stays_by_class[group.class].add_mul(1.0, v);
            }
        }
        for (k, class) in layout.classes.iter_enumerated() {
            let arrivals: Expression = self.arrive[k].iter().map(|v| Expression::from(*v)).sum();
            let stays = std::mem::take(&mut stays_by_class[k]);
            problem.add_constraint(constraint!(arrivals + stays == f64::from(class.size)));
        }
    }

    /// Per worker in play: t, the carried utilization ceiling, overload and `max_cases`.
    fn worker_limits(&self, problem: &mut HighsProblem, limits: &Limits, sums: &Sums) {
        let program = self.program;
        let scenario = program.scenario;
        let target = scenario.policy.target_utilization;
        for (w, staff) in scenario.staff.iter_enumerated() {
            if !program.in_play()[w] {
                continue;
            }
            let cap = staff.capacity;
            let load = &sums.load[w];
            if let Some(t) = self.t {
                problem.add_constraint(constraint!(load.clone() - cap * t <= 0.0));
            }
            if let Some(ceiling) = limits.max_utilization {
                problem.add_constraint(constraint!(
                    load.clone() <= program.load_ceiling(ceiling, cap)
                ));
            }
            if let Some(caps) = &limits.load_caps {
                problem.add_constraint(constraint!(load.clone() <= caps[w] + CARRY_EPS));
            }
            if let Some(o) = self.overload[w] {
                problem.add_constraint(constraint!(load.clone() - o <= target * cap));
            }
            if let Some(max) = staff.max_cases {
                problem.add_constraint(constraint!(sums.count[w].clone() <= f64::from(max)));
            }
        }
    }

    /// The covering-knapsack cuts under a utilization ceiling (see
    /// [`Program::least_moves_out`]).
    fn moves_out_cuts(&self, problem: &mut HighsProblem, ceiling: f64) {
        let layout = &self.program.layout;
        for cut in self.program.least_moves_out(ceiling) {
            let mut out = Expression::from(0.0);
            for (group, v) in layout.groups.iter().zip(self.stay.iter()) {
                let class = &layout.classes[group.class];
                let inside = group.holder.is_some_and(|h| cut.members[h]);
                let confined = class.allowed.iter().all(|w| cut.members[*w]);
                if let (Some(v), true) = (v, inside && !confined) {
                    let cost = f64::from(group.moves_if_leaving.all);
                    out += cost * group.units.len() as f64;
                    out.add_mul(-cost, *v);
                }
            }
            problem.add_constraint(constraint!(out >= f64::from(cut.least)));
        }
    }

    /// The warm start as a complete point: the choice's binaries and counts, and its overload
    /// and t, so HiGHS sees a feasible point.
    fn warm_point(&self, choice: &Choice) -> Vec<(Variable, f64)> {
        let program = self.program;
        let scenario = program.scenario;
        let target = scenario.policy.target_utilization;
        let mut extra: Vec<(Variable, f64)> = Vec::new();
        let loads = program.loads(choice);
        let mut max_util: f64 = 0.0;
        for (w, staff) in scenario.staff.iter_enumerated() {
            if program.in_play()[w] {
                max_util = max_util.max(staff.utilization(loads[w]));
            }
            if let Some(o) = self.overload[w] {
                extra.push((o, overload(loads[w], staff.capacity, target)));
            }
        }
        if let Some(t) = self.t {
            extra.push((t, max_util));
        }
        let layout = &program.layout;
        let mut full: Vec<(Variable, f64)> = Vec::new();
        for (s, &u) in layout.singles.iter().enumerate() {
            for (k, v) in self.x[s].iter_enumerated() {
                full.push((*v, if choice[u] == k { 1.0 } else { 0.0 }));
            }
        }
        let counts = layout.counts_of(choice);
        for (g, v) in self.stay.iter_enumerated() {
            if let Some(v) = v {
                full.push((*v, f64::from(counts.stay[g])));
            }
        }
        for (k, vs) in self.arrive.iter_enumerated() {
            for (j, v) in vs.iter_enumerated() {
                full.push((*v, f64::from(counts.arrive[k][j])));
            }
        }
        full.extend(extra);
        full
    }

    /// Per class, per allowed worker, how many arrive in `solution` (not rounded).
    pub(super) fn arrivals(
        &self,
        solution: &HighsSolution,
    ) -> IndexVec<ClassIdx, IndexVec<Slot, f64>> {
        let per_class = |vs: &IndexVec<Slot, Variable>| {
            IndexVec::from_vec(vs.iter().map(|v| solution.value(*v)).collect())
        };
        IndexVec::from_vec(self.arrive.iter().map(per_class).collect())
    }

    /// The choice a solution makes: singles by their largest binary, classes through their
    /// counts.
    pub(super) fn choice(&self, solution: &HighsSolution) -> Choice {
        let program = self.program;
        let layout = &program.layout;
        let round = |v: Variable| solution.value(v).round().max(0.0) as u32;
        let mut choice: Choice = IndexVec::from_vec(vec![Slot(0); program.units.len()]);
        for (s, &u) in layout.singles.iter().enumerate() {
            let mut best = Slot(0);
            for (k, v) in self.x[s].iter_enumerated() {
                if solution.value(*v) > solution.value(self.x[s][best]) {
                    best = k;
                }
            }
            choice[u] = best;
        }
        let counts = Counts {
            stay: IndexVec::from_vec(
                self.stay
                    .iter()
                    .map(|v| v.map(round).unwrap_or(0))
                    .collect(),
            ),
            arrive: IndexVec::from_vec(
                self.arrive
                    .iter()
                    .map(|vs| IndexVec::from_vec(vs.iter().map(|v| round(*v)).collect()))
                    .collect(),
            ),
        };
        layout.choice_from_counts(&counts, &mut choice);
        choice
    }
}
