//! Where the team stands today: the figures `caseload check` reports before anything is solved.
//!
//! Pure data computed from a validated scenario; the report module renders it.

use serde::Serialize;

use crate::domain::{over_target, Points, Scenario};

/// One worker's position today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkerToday {
    /// Staff id.
    pub id: String,
    /// Full-time equivalent.
    pub fte: f64,
    /// Capacity in acuity points.
    pub capacity: Points,
    /// Number of cases held.
    pub cases: u32,
    /// Sum of the weights held.
    pub load: Points,
    /// Load / capacity.
    pub utilization: f64,
    /// False when on leave.
    pub available: bool,
    /// Load above `target_utilization * capacity`.
    pub over_target: bool,
}

/// Demand for one skill against the workers who have it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillDemand {
    /// The skill.
    pub skill: String,
    /// Cases that need it.
    pub cases: usize,
    /// Their total weight.
    pub weight: Points,
    /// Available workers who have it.
    pub workers: usize,
    /// Their capacity at the target utilization (shared with their other cases).
    pub capacity_at_target: Points,
}

impl SkillDemand {
    /// True when the cases that need the skill weigh more than the room at target of the
    /// workers who have it: the skill is short of workers.
    pub fn is_short(&self) -> bool {
        self.weight > self.capacity_at_target + 1e-9
    }
}

/// The team today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamSummary {
    /// Scenario name.
    pub scenario: String,
    /// Model name.
    pub model: String,
    /// Number of workers (including those on leave).
    pub staff: usize,
    /// Workers on leave.
    pub on_leave: usize,
    /// Total FTE of available workers.
    pub available_fte: f64,
    /// Total capacity of available workers.
    pub available_capacity: Points,
    /// Number of cases.
    pub cases: usize,
    /// Cases with no holder.
    pub intake: usize,
    /// Pinned cases.
    pub pinned: usize,
    /// Distinct families.
    pub families: usize,
    /// Total weight of all cases.
    pub total_weight: Points,
    /// Total weight / available capacity.
    pub team_utilization: f64,
    /// Target utilization of the policy.
    pub target_utilization: f64,
    /// Workers, most utilized first (ties by id).
    pub workers: Vec<WorkerToday>,
    /// Skills in demand, by name.
    pub skills: Vec<SkillDemand>,
}

impl TeamSummary {
    /// Computes the summary of a scenario.
    pub fn of(scenario: &Scenario) -> Self {
        let loads = scenario.loads_today();
        let counts = scenario.case_counts_today();
        let target = scenario.policy.target_utilization;
        let mut workers: Vec<WorkerToday> = scenario
            .staff
            .iter_enumerated()
            .map(|(i, s)| WorkerToday {
                id: s.id.clone(),
                fte: s.fte,
                capacity: s.capacity,
                cases: counts[i],
                load: loads[i],
                utilization: s.utilization(loads[i]),
                available: s.available,
                over_target: over_target(loads[i], s.capacity, target),
            })
            .collect();
        workers.sort_by(|a, b| {
            b.utilization
                .total_cmp(&a.utilization)
                .then_with(|| a.id.cmp(&b.id))
        });

        let available = || scenario.staff.iter().filter(|s| s.available);
        let available_capacity: Points = available().map(|s| s.capacity).sum();
        let total_weight: Points = scenario.cases.iter().map(|c| c.weight).sum();

        let mut skill_names: Vec<&String> =
            scenario.cases.iter().flat_map(|c| c.needs.iter()).collect();
        skill_names.sort();
        skill_names.dedup();
        let skills = skill_names
            .into_iter()
            .map(|skill| {
                let needing = scenario.cases.iter().filter(|c| c.needs.contains(skill));
                let holders = scenario
                    .qualified(std::slice::from_ref(skill))
                    .map(|(_, s)| s);
                SkillDemand {
                    skill: skill.clone(),
                    cases: needing.clone().count(),
                    weight: needing.map(|c| c.weight).sum(),
                    workers: holders.clone().count(),
                    capacity_at_target: holders.map(|s| s.capacity * target).sum(),
                }
            })
            .collect();

        TeamSummary {
            scenario: scenario.name.clone(),
            model: scenario.model.name.clone(),
            staff: scenario.staff.len(),
            on_leave: scenario.staff.iter().filter(|s| !s.available).count(),
            available_fte: available().map(|s| s.fte).sum(),
            available_capacity,
            cases: scenario.cases.len(),
            intake: scenario.cases.iter().filter(|c| c.is_intake()).count(),
            pinned: scenario.cases.iter().filter(|c| c.pinned).count(),
            families: scenario.families.len(),
            total_weight,
            team_utilization: if available_capacity > 0.0 {
                total_weight / available_capacity
            } else {
                f64::INFINITY
            },
            target_utilization: target,
            workers,
            skills,
        }
    }
}
