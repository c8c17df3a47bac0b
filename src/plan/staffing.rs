//! How many staff, with which skills: the cheapest hires so that every worker can be at or
//! below a target utilization with every case placed.
//!
//! Each profile gets as many candidate slots as could ever be useful (two hires of one profile
//! both under half full could always be merged, so an optimal plan has fewer than 2·W/(t·c) + 1
//! of them, W being the weight that profile may hold, t the target and c its capacity), fewer
//! when a greedy plan bounds the optimum's cost. The team with those slots goes to the hiring
//! program (`plan::hiring`), and the hires it opens are named and given the cases they would
//! take. All hard rules hold but the move budget: staffing is about capacity, not about this
//! week's moves.

use crate::domain::Location;
use crate::domain::{CaseIdx, Scenario, StaffIdx};
use crate::explain::binding::{outermost_shortfalls_at, shortfalls_at, what_binds, Shortfall};
use crate::input::profiles::{Profile, ProfileIdx};
use crate::plan::hiring::{HiringProgram, Solved};
use crate::solve::max_utilization;
use crate::solve::model::{build_units, Limits, Mode, Program, Step, StepFailure};
use crate::solve::search::quick_start;
use crate::solve::Status;

/// Most candidate slots per profile, whatever the bound says.
pub const MAX_SLOTS_PER_PROFILE: usize = 200;

/// One hire of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Hire {
    /// Index into the profiles.
    pub profile: ProfileIdx,
    /// The hire's id in `team_with_hires`.
    pub id: String,
    /// Capacity (the model's points per FTE times the profile's FTE).
    pub capacity: f64,
    /// Cases the plan gives them, in scenario order.
    pub cases: Vec<CaseIdx>,
    /// Their weight.
    pub load: f64,
    /// The short groups of today (of `shortfalls_today`) some of whose cases the hire would
    /// take, each case counted for the smallest group holding it: why the hire helps.
    pub relieves: Vec<Relief>,
}

/// Part of a short group's cases that a hire would take.
#[derive(Debug, Clone, PartialEq)]
pub struct Relief {
    /// The group's position in [`StaffingPlan::shortfalls_today`]: the smallest listed group
    /// holding these cases.
    pub shortfall: usize,
    /// The cases, of those only the group may hold today, that the hire would take, in scenario
    /// order.
    pub cases: Vec<CaseIdx>,
    /// Their weight.
    pub weight: f64,
}

/// The answer of `staffing`.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffingPlan {
    /// The target utilization.
    pub target: f64,
    /// Optimal: no cheaper set of hires exists. Feasible: the hires work, but time ran out
    /// before cheaper ones were ruled out. Infeasible: no number of hires from these profiles
    /// is enough. Unknown: time ran out before any plan was found.
    pub status: Status,
    /// The hires, by profile order.
    pub hires: Vec<Hire>,
    /// Their total cost.
    pub cost: f64,
    /// Their total FTE.
    pub fte: f64,
    /// The groups short of room at the target today (as [`shortfalls_at`] lists them): why
    /// hires are needed.
    pub shortfalls_today: Vec<Shortfall>,
    /// When infeasible: the groups still short with every candidate hire, and cases nobody,
    /// hires included, may hold.
    pub short_even_with_hires: Vec<Shortfall>,
    /// Cases no worker or profile may hold.
    pub unplaceable: Vec<CaseIdx>,
    /// The scenario with the plan's hires added (ids `hire-...`), to rebalance or save; with
    /// no plan, the scenario with every candidate hire (whom `short_even_with_hires` names).
    pub team_with_hires: Scenario,
    /// True when some profile had more useful candidates than [`MAX_SLOTS_PER_PROFILE`]: with no
    /// plan, the status is then `Unknown`, not `Infeasible`.
    pub capped: bool,
    /// What planning did, phase by phase, for `--verbose` (never in JSON: it has times).
    pub steps: Vec<PlanningStep>,
}

/// One phase of planning, with its time.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanningStep {
    /// The candidate hires were chosen (a greedy plan bounding how many are useful).
    Candidates {
        /// Candidate slots, all profiles together.
        slots: usize,
        /// Whether some profile had more useful candidates than it was given.
        capped: bool,
        /// Seconds spent.
        seconds: f64,
    },
    /// The hiring program was solved.
    Hiring {
        /// The cost of its answer; `None` when it found none.
        cost: Option<f64>,
        /// Whether the answer is proven the cheapest.
        proven: bool,
        /// Seconds spent.
        seconds: f64,
    },
}

/// Candidate slots of each profile: fewer than 2·W/(t·c) + 1, at most `max` and the number of
/// units the profile may take.
fn slots(scenario: &Scenario, profile: &Profile, target: f64) -> usize {
    let capacity = scenario.model.points_per_fte * profile.fte;
    let takeable: Vec<&crate::domain::Case> = scenario
        .cases
        .iter()
        .filter(|c| c.open_to_hire(&profile.skills))
        .collect();
    let weight: f64 = takeable.iter().map(|c| c.weight).sum();
    let bound = if capacity * target > 0.0 {
        (2.0 * weight / (capacity * target)).floor() as usize + 1
    } else {
        0
    };
    bound
        .min(takeable.len())
        .min(profile.max.map_or(usize::MAX, |m| m as usize))
}

/// Whether every worker of `team` can be at or below `target` with every case placed: the
/// max flow first (no), the local search next (yes), then the integer program; `None` when
/// time ran out.
fn fits(team: &Scenario, target: f64, seconds: f64) -> Option<bool> {
    if !outermost_shortfalls_at(team, Mode::Rebalance, target).is_empty() {
        return Some(false);
    }
    let units = build_units(team, Mode::Rebalance);
    if !units.unplaceable.is_empty() {
        return Some(false);
    }
    let program = Program::new(team, &units.units, None);
    // The local search finds plans, never proofs: without one, the integer program decides.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds / 2.0);
    if quick_start(&program, deadline)
        .is_some_and(|start| max_utilization(&program, &start) <= target + 1e-9)
    {
        return Some(true);
    }
    let limits = Limits {
        max_utilization: Some(target),
        ..Limits::default()
    };
    match program.solve_step(Step::Feasibility, &limits, None, seconds) {
        Ok(_) => Some(true),
        Err(StepFailure::Infeasible) => Some(false),
        Err(_) => None,
    }
}

/// Hires added one at a time until the team fits: each time, for the group most short of room,
/// the profile that can take some of its cases at the least cost per point of capacity. `None`
/// when no profile helps or time runs out.
fn greedy_plan(
    scenario: &Scenario,
    profiles: &[Profile],
    limits: &[usize],
    target: f64,
    deadline: std::time::Instant,
) -> Option<Vec<usize>> {
    let mut counts = vec![0usize; profiles.len()];
    let per_point = |p: &Profile| p.cost / (scenario.model.points_per_fte * p.fte);
    loop {
        let seconds = deadline
            .saturating_duration_since(std::time::Instant::now())
            .as_secs_f64();
        if seconds <= 0.0 {
            return None;
        }
        let team = with_hires(scenario, profiles, &counts);
        if fits(&team, target, seconds)? {
            return Some(counts);
        }
        // The cases to serve: those of the group most short of room; when no group is short
        // as a whole (whole cases, max_cases), those of the densest group, or any case.
        let short = outermost_shortfalls_at(&team, Mode::Rebalance, target);
        let worst = short
            .iter()
            .max_by(|a, b| a.overload.total_cmp(&b.overload));
        let cases: Vec<CaseIdx> = match worst {
            Some(s) => s.group.cases.clone(),
            None => match what_binds(&team, Mode::Rebalance).equity {
                Some(g) if !g.whole_team => g.cases,
                _ => team.cases.indices().collect(),
            },
        };
        let helps = |p: &Profile| cases.iter().any(|c| team.cases[*c].open_to_hire(&p.skills));
        let pick = (0..profiles.len())
            .filter(|p| counts[*p] < limits[*p] && helps(&profiles[*p]))
            .min_by(|a, b| {
                per_point(&profiles[*a])
                    .total_cmp(&per_point(&profiles[*b]))
                    .then(profiles[*a].skills.len().cmp(&profiles[*b].skills.len()))
                    .then(a.cmp(b))
            })?;
        counts[pick] += 1;
    }
}

/// The team with `counts[p]` hires of each profile added (ids `hire-<profile>-<k>`).
pub fn with_hires(scenario: &Scenario, profiles: &[Profile], counts: &[usize]) -> Scenario {
    let mut s = scenario.clone();
    for (p, (profile, &n)) in profiles.iter().zip(counts).enumerate() {
        for k in 1..=n {
            let mut id = format!("hire-{}-{k}", slug(&profile.name));
            while s.staff_by_id(&id).is_some() {
                id = format!("{id}-{p}");
            }
            let origin = profile
                .origin
                .clone()
                .unwrap_or_else(|| Location::file(&scenario.path));
            let name = Some(format!("new hire ({})", profile.name));
            s.add_hire(id, name, profile.fte, profile.skills.clone(), origin);
        }
    }
    s
}

/// A profile name as part of an id: letters and digits, other runs of characters as one `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The cheapest hires from `profiles` so that every worker can be at or below `target`
/// utilization with every case placed.
pub fn plan_staffing(
    scenario: &Scenario,
    profiles: &[Profile],
    target: f64,
    time_limit: f64,
) -> StaffingPlan {
    let shortfalls_today = shortfalls_at(scenario, Mode::Rebalance, target);
    // One clock for the greedy plan and both solves, so the whole run keeps to the limit.
    let time_limit = time_limit.clamp(0.0, crate::solve::MAX_SECONDS);
    let start = std::time::Instant::now();
    let left = || (time_limit - start.elapsed().as_secs_f64()).max(0.0);
    let deadline = start + std::time::Duration::from_secs_f64(time_limit * 0.3);
    let (slot_counts, capped) = candidate_slots(scenario, profiles, target, deadline);
    let mut steps = vec![PlanningStep::Candidates {
        slots: slot_counts.iter().sum(),
        capped,
        seconds: start.elapsed().as_secs_f64(),
    }];
    let extended = with_hires(scenario, profiles, &slot_counts);
    let units = build_units(&extended, Mode::Rebalance);
    let program = HiringProgram::new(&extended, &units, profiles, &slot_counts, target);
    let unplaceable: Vec<CaseIdx> = units
        .unplaceable
        .iter()
        .flat_map(|u| u.cases.iter().copied())
        .collect();
    let nothing = |status: Status, steps: Vec<PlanningStep>| StaffingPlan {
        target,
        status,
        hires: Vec::new(),
        cost: 0.0,
        fte: 0.0,
        shortfalls_today: shortfalls_today.clone(),
        short_even_with_hires: shortfalls_at(&extended, Mode::Rebalance, target),
        unplaceable: unplaceable.clone(),
        team_with_hires: extended.clone(),
        capped,
        steps,
    };
    if !unplaceable.is_empty() {
        return nothing(Status::Infeasible, steps);
    }
    let hiring = std::time::Instant::now();
    let answer = program.cheapest(left);
    steps.push(PlanningStep::Hiring {
        cost: answer.as_ref().ok().map(|solved| solved.cost),
        proven: answer.as_ref().is_ok_and(|solved| solved.proven),
        seconds: hiring.elapsed().as_secs_f64(),
    });
    let solved = match answer {
        Ok(solved) => solved,
        Err(Status::Infeasible) if capped => return nothing(Status::Unknown, steps),
        Err(status) => return nothing(status, steps),
    };
    let (mut hires, team_with_hires) = hires_of(scenario, &program, &solved);
    for hire in &mut hires {
        hire.relieves = reliefs(scenario, &shortfalls_today, &hire.cases);
    }
    StaffingPlan {
        target,
        status: if solved.proven {
            Status::Optimal
        } else {
            Status::Feasible
        },
        cost: solved.cost,
        fte: hires.iter().map(|h| profiles[h.profile].fte).sum(),
        hires,
        shortfalls_today,
        short_even_with_hires: Vec::new(),
        unplaceable,
        team_with_hires,
        capped,
        steps,
    }
}

/// Candidate slots per profile: as many as could ever be useful, fewer when a greedy plan
/// bounds the optimum's cost, at most [`MAX_SLOTS_PER_PROFILE`]; and whether some profile had
/// more useful candidates than that (a missing plan is then not a proof).
fn candidate_slots(
    scenario: &Scenario,
    profiles: &[Profile],
    target: f64,
    deadline: std::time::Instant,
) -> (Vec<usize>, bool) {
    let mut useful: Vec<usize> = profiles
        .iter()
        .map(|p| slots(scenario, p, target))
        .collect();
    let limits: Vec<usize> = useful
        .iter()
        .map(|n| (*n).min(MAX_SLOTS_PER_PROFILE))
        .collect();
    if let Some(greedy) = greedy_plan(scenario, profiles, &limits, target, deadline) {
        let bound: f64 = greedy
            .iter()
            .zip(profiles)
            .map(|(n, p)| *n as f64 * p.cost)
            .sum();
        for (count, profile) in useful.iter_mut().zip(profiles) {
            *count = (*count).min((bound / profile.cost + 1e-9).floor() as usize);
        }
    }
    let capped = useful.iter().any(|n| *n > MAX_SLOTS_PER_PROFILE);
    let slot_counts = useful
        .iter()
        .map(|n| (*n).min(MAX_SLOTS_PER_PROFILE))
        .collect();
    (slot_counts, capped)
}

/// The hires an answer opens, with the cases each would take, and the team with only them.
fn hires_of(
    scenario: &Scenario,
    program: &HiringProgram<'_>,
    solved: &Solved,
) -> (Vec<Hire>, Scenario) {
    let profiles = program.profiles;
    let holder = program.holders(solved);
    let opened = program.opened(solved);
    let mut counts = vec![0usize; profiles.len()];
    for &k in &opened {
        counts[program.slot_profile[k].index()] += 1;
    }
    let team_with_hires = with_hires(scenario, profiles, &counts);
    let mut hires = Vec::new();
    let mut seen = vec![0usize; profiles.len()];
    for &k in &opened {
        let p = program.slot_profile[k];
        seen[p.index()] += 1;
        let cases = program.cases_of(&holder, program.n_existing + k);
        let load = cases.iter().map(|c| scenario.cases[*c].weight).sum();
        // The hire's id in the team with only the opened hires, by its rank in its profile.
        let rank =
            program.n_existing + counts[..p.index()].iter().sum::<usize>() + seen[p.index()] - 1;
        hires.push(Hire {
            profile: p,
            id: team_with_hires.staff[StaffIdx::from(rank)].id.clone(),
            capacity: scenario.model.points_per_fte * profiles[p].fte,
            cases,
            load,
            relieves: Vec::new(),
        });
    }
    (hires, team_with_hires)
}

/// The short groups whose cases `taken` include, each case counted for the smallest listed
/// group that holds it, in the order of `shortfalls`.
fn reliefs(scenario: &Scenario, shortfalls: &[Shortfall], taken: &[CaseIdx]) -> Vec<Relief> {
    let mut reliefs: Vec<Relief> = Vec::new();
    for &case in taken {
        let smallest = (0..shortfalls.len())
            .filter(|g| shortfalls[*g].group.cases.binary_search(&case).is_ok())
            .min_by_key(|g| shortfalls[*g].group.workers.len());
        let Some(g) = smallest else {
            continue;
        };
        let weight = scenario.cases[case].weight;
        match reliefs.iter_mut().find(|r| r.shortfall == g) {
            Some(relief) => {
                relief.cases.push(case);
                relief.weight += weight;
            }
            None => reliefs.push(Relief {
                shortfall: g,
                cases: vec![case],
                weight,
            }),
        }
    }
    reliefs.sort_by_key(|r| r.shortfall);
    reliefs
}
