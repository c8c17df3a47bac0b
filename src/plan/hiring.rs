//! The hiring program of `staffing`: the team plus candidate hire slots, cases in classes of
//! interchangeable units, integer counts of how many of a class each worker takes, and a binary
//! per slot that opens it at its profile's cost.
//!
//! Cost is minimised first; then, at that cost, the tie-breaks: hires with fewer skills (easier
//! to find), then the most cases left with their holders, so what the hires "would take" is
//! what a rebalance would move. All hard rules hold but the move budget: staffing is about
//! capacity, not about this week's moves.

use std::collections::BTreeMap;

use good_lp::solvers::highs::HighsProblem;
use good_lp::{constraint, variable, Expression, ProblemVariables, Solution, SolutionStatus};
use good_lp::{SolverModel, Variable};

use crate::domain::{CaseIdx, Scenario, StaffIdx};
use crate::input::profiles::{Profile, ProfileIdx};
use crate::solve::model::highs::{self, StepFailure};
use crate::solve::model::{Unit, UnitIdx, Units};
use crate::solve::Status;

/// What makes units interchangeable here: weight (as bits), cases and allowed workers.
type ClassKey = (u64, u32, std::sync::Arc<[StaffIdx]>);

/// Interchangeable units of the team with every candidate slot.
struct Class {
    key: ClassKey,
    /// The units.
    members: Vec<UnitIdx>,
    /// Per allowed worker, how many of its units that worker holds today.
    held: Vec<usize>,
}

/// One solve's values.
pub struct Solved {
    /// True when HiGHS proved the cost optimal.
    pub proven: bool,
    /// The cost of the answer.
    pub cost: f64,
    /// Per slot, whether it is open (near 0 or 1).
    open: Vec<f64>,
    /// Per class, per allowed worker, how many they take.
    take: Vec<Vec<f64>>,
    /// Per class, per allowed worker, how many of those they already hold.
    stay: Vec<Vec<f64>>,
}

/// The team with candidate slots, ready to solve.
pub struct HiringProgram<'a> {
    /// The team with every candidate slot added after its own workers.
    pub extended: &'a Scenario,
    /// The units of `extended`.
    pub units: &'a Units,
    /// The profiles.
    pub profiles: &'a [Profile],
    /// Which profile each slot belongs to, in slot order.
    pub slot_profile: Vec<ProfileIdx>,
    /// Workers of the team before the slots.
    pub n_existing: usize,
    /// Utilization every worker must be at or below.
    pub target: f64,
    classes: Vec<Class>,
}

/// The variables of one build.
struct Variables {
    open: Vec<Variable>,
    take: Vec<Vec<Variable>>,
    stay: Vec<Vec<Option<Variable>>>,
    cost: Expression,
}

impl<'a> HiringProgram<'a> {
    /// The program over `extended`, whose last workers are the slots of `slot_counts`.
    pub fn new(
        extended: &'a Scenario,
        units: &'a Units,
        profiles: &'a [Profile],
        slot_counts: &[usize],
        target: f64,
    ) -> Self {
        let slot_profile: Vec<ProfileIdx> = slot_counts
            .iter()
            .enumerate()
            .flat_map(|(p, &n)| std::iter::repeat_n(ProfileIdx::from(p), n))
            .collect();
        let n_existing = extended.staff.len() - slot_profile.len();
        let mut by_key: BTreeMap<ClassKey, Vec<UnitIdx>> = BTreeMap::new();
        for (u, unit) in units.units.iter_enumerated() {
            by_key
                .entry((unit.weight.to_bits(), unit.count(), unit.allowed.clone()))
                .or_default()
                .push(u);
        }
        let classes = by_key
            .into_iter()
            .map(|(key, members)| {
                let held = key
                    .2
                    .iter()
                    .map(|w| {
                        members
                            .iter()
                            .filter(|u| sits_with(&units.units[**u], *w))
                            .count()
                    })
                    .collect();
                Class { key, members, held }
            })
            .collect();
        HiringProgram {
            extended,
            units,
            profiles,
            slot_profile,
            n_existing,
            target,
            classes,
        }
    }

    /// The cheapest hires within `seconds` (three quarters of them), then the tie-breaks at that
    /// cost in the rest; the status says why there is no answer.
    pub fn cheapest(&self, seconds: impl Fn() -> f64) -> Result<Solved, Status> {
        let first = self.solve(None, seconds() * 0.75)?;
        // The cap is the cost of the hires opened (not the solver's rounded objective), so the
        // first plan always meets it.
        let opened_cost: f64 = self
            .opened(&first)
            .iter()
            .map(|k| self.profiles[self.slot_profile[*k]].cost)
            .sum();
        Ok(match self.solve(Some(opened_cost), seconds()) {
            Ok(second) => Solved {
                proven: first.proven,
                ..second
            },
            Err(_) => first,
        })
    }

    /// The slots an answer opens, in slot order.
    pub fn opened(&self, solved: &Solved) -> Vec<usize> {
        solved
            .open
            .iter()
            .enumerate()
            .filter(|(_, y)| **y > 0.5)
            .map(|(k, _)| k)
            .collect()
    }

    /// Cases per worker (index into `extended.staff`): in each class, first the units a worker
    /// keeps, then the rest in order. Returns unit -> worker.
    pub fn holders(&self, solved: &Solved) -> BTreeMap<UnitIdx, usize> {
        let mut holder: BTreeMap<UnitIdx, usize> = BTreeMap::new();
        for ((class, xs), stays) in self.classes.iter().zip(&solved.take).zip(&solved.stay) {
            let count = |v: &f64| v.round().max(0.0) as usize;
            let allowed = &class.key.2;
            let mut given = vec![0usize; allowed.len()];
            for (k, w) in allowed.iter().enumerate() {
                let keep = count(&stays[k]).min(count(&xs[k]));
                let kept: Vec<UnitIdx> = class
                    .members
                    .iter()
                    .filter(|u| !holder.contains_key(u) && sits_with(&self.units.units[**u], *w))
                    .take(keep)
                    .copied()
                    .collect();
                for u in kept {
                    holder.insert(u, w.index());
                    given[k] += 1;
                }
            }
            for (k, w) in allowed.iter().enumerate() {
                let more = count(&xs[k]).saturating_sub(given[k]);
                let taken: Vec<UnitIdx> = class
                    .members
                    .iter()
                    .filter(|u| !holder.contains_key(u))
                    .take(more)
                    .copied()
                    .collect();
                for u in taken {
                    holder.insert(u, w.index());
                }
            }
        }
        holder
    }

    /// Cases of the units `holder` gives `worker`, in scenario order.
    pub fn cases_of(&self, holder: &BTreeMap<UnitIdx, usize>, worker: usize) -> Vec<CaseIdx> {
        let mut cases: Vec<CaseIdx> = holder
            .iter()
            .filter(|(_, w)| **w == worker)
            .flat_map(|(u, _)| self.units.units[*u].cases.iter().copied())
            .collect();
        cases.sort();
        cases
    }

    /// One solve: least cost without `cost_cap`, the tie-breaks within it.
    fn solve(&self, cost_cap: Option<f64>, seconds: f64) -> Result<Solved, Status> {
        let mut vars = ProblemVariables::new();
        let mut tie_break = Expression::from(0.0);
        let mut stay_constraints = Vec::new();
        let v = self.variables(
            &mut vars,
            cost_cap.is_some(),
            &mut tie_break,
            &mut stay_constraints,
        );
        let objective = match cost_cap {
            None => v.cost.clone(),
            Some(_) => tie_break,
        };
        let mut problem = highs::minimise(vars, objective, 1e-9, 1e-7, seconds);
        if let Some(cap) = cost_cap {
            let cost = v.cost.clone();
            problem.add_constraint(constraint!(cost <= cap + 1e-9 * cap.abs().max(1.0)));
        }
        for constraint in stay_constraints {
            problem.add_constraint(constraint);
        }
        self.constrain(&mut problem, &v);
        let solution = match highs::solve(problem) {
            Ok(solution) => solution,
            Err(StepFailure::Infeasible) => return Err(Status::Infeasible),
            Err(_) => return Err(Status::Unknown),
        };
        Ok(Solved {
            proven: matches!(
                solution.status(),
                SolutionStatus::Optimal | SolutionStatus::GapLimit
            ),
            cost: solution.eval(&v.cost),
            open: v.open.iter().map(|y| solution.value(*y)).collect(),
            take: v
                .take
                .iter()
                .map(|xs| xs.iter().map(|x| solution.value(*x)).collect())
                .collect(),
            stay: v
                .stay
                .iter()
                .map(|vs| {
                    vs.iter()
                        .map(|v| v.map_or(0.0, |v| solution.value(v)))
                        .collect()
                })
                .collect(),
        })
    }

    /// The slots' binaries, the classes' counts and, when tie-breaking, how many stay; the
    /// tie-break objective accumulates as they are made.
    fn variables(
        &self,
        vars: &mut ProblemVariables,
        tie_breaking: bool,
        tie_break: &mut Expression,
        stay_constraints: &mut Vec<good_lp::Constraint>,
    ) -> Variables {
        let profiles = self.profiles;
        let open: Vec<Variable> = self
            .slot_profile
            .iter()
            .map(|_| vars.add(variable().binary()))
            .collect();
        let take: Vec<Vec<Variable>> = self
            .classes
            .iter()
            .map(|class| {
                class
                    .key
                    .2
                    .iter()
                    .map(|_| vars.add(variable().integer().min(0).max(class.members.len() as f64)))
                    .collect()
            })
            .collect();
        let cost: Expression = open
            .iter()
            .zip(&self.slot_profile)
            .map(|(y, p)| profiles[*p].cost * *y)
            .sum();
        *tie_break = open
            .iter()
            .zip(&self.slot_profile)
            .map(|(y, p)| 1e3 * (profiles[*p].skills.len() as f64) * *y)
            .sum();
        let mut stay: Vec<Vec<Option<Variable>>> = Vec::new();
        for (class, xs) in self.classes.iter().zip(&take) {
            let n = class.key.1;
            let row = xs
                .iter()
                .zip(&class.held)
                .map(|(x, h)| {
                    (tie_breaking && *h > 0).then(|| {
                        let v = vars.add(variable().integer().min(0).max(*h as f64));
                        *tie_break -= f64::from(n) * v;
                        stay_constraints.push(constraint!(v <= *x));
                        v
                    })
                })
                .collect();
            stay.push(row);
        }
        Variables {
            open,
            take,
            stay,
            cost,
        }
    }

    /// Every unit placed; every worker at or below the target and `max_cases` (a slot only
    /// when open); slots of a profile open in order.
    fn constrain(&self, problem: &mut HighsProblem, v: &Variables) {
        let extended = self.extended;
        let mut load: Vec<Expression> = vec![Expression::from(0.0); extended.staff.len()];
        let mut count: Vec<Expression> = vec![Expression::from(0.0); extended.staff.len()];
        for (class, xs) in self.classes.iter().zip(&v.take) {
            let (bits, n, allowed) = &class.key;
            let weight = f64::from_bits(*bits);
            let all: Expression = xs.iter().map(|x| Expression::from(*x)).sum();
            problem.add_constraint(constraint!(all == class.members.len() as f64));
            for (w, x) in allowed.iter().zip(xs) {
                load[w.index()] += weight * *x;
                count[w.index()] += f64::from(*n) * *x;
            }
        }
        let total_cases = extended.cases.len() as f64;
        for (w, staff) in extended.staff.iter_enumerated() {
            let room = self.target * staff.capacity;
            let l = load[w.index()].clone();
            let c = count[w.index()].clone();
            if w.index() < self.n_existing {
                problem.add_constraint(constraint!(l <= room));
                if let Some(max) = staff.max_cases {
                    problem.add_constraint(constraint!(c <= f64::from(max)));
                }
            } else {
                let y = v.open[w.index() - self.n_existing];
                problem.add_constraint(constraint!(l <= room * y));
                problem.add_constraint(constraint!(c <= total_cases * y));
            }
        }
        // Slots of a profile open in order: no two plans differ only by which slot is used.
        for k in 1..self.slot_profile.len() {
            if self.slot_profile[k] == self.slot_profile[k - 1] {
                problem.add_constraint(constraint!(v.open[k] <= v.open[k - 1]));
            }
        }
    }
}

/// Whether a unit sits whole with this worker today (it stays there at no move).
fn sits_with(unit: &Unit, w: StaffIdx) -> bool {
    unit.sole_holder() == Some(w)
}
