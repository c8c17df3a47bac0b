//! Why the hard rules admit no assignment, as far as simple counting can tell: findings a
//! report words, before the conflict search names the rules themselves.

use crate::domain::StaffIdx;
use crate::solve::model::{Program, Unit};

/// One counting argument that shows the rules cannot all hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Reuniting the families split today takes more reassignments than the budget allows.
    FamiliesNeedMoves {
        /// The fewest reassignments needed.
        needed: u32,
        /// The budget.
        budget: u32,
    },
    /// A worker must keep more cases than `max_cases` (pinned, kept, or nobody else may take
    /// them).
    ForcedAboveMaxCases {
        /// The worker.
        worker: StaffIdx,
        /// Cases only they may hold.
        forced: u32,
        /// Their limit.
        max_cases: u32,
    },
    /// More cases than the available workers' `max_cases` add up to.
    TooFewCaseSlots {
        /// Cases to place.
        cases: u32,
        /// Room for cases.
        room: u64,
    },
}

/// What counting found (possibly nothing: the conflict is then subtler).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagnosis {
    /// The findings, in a fixed order.
    pub findings: Vec<Finding>,
}

/// Counts what the hard rules demand against what they allow.
pub fn diagnose(program: &Program<'_>) -> Diagnosis {
    let scenario = program.scenario;
    let mut findings = Vec::new();
    if let Some(budget) = program.budget {
        let needed: u32 = program
            .units
            .iter()
            .map(|u| {
                u.allowed
                    .iter()
                    .map(|w| u.moves_to(*w).discretionary)
                    .min()
                    .unwrap_or(0)
            })
            .sum();
        if needed > budget {
            findings.push(Finding::FamiliesNeedMoves { needed, budget });
        }
    }
    for (w, staff) in scenario.staff.iter_enumerated() {
        let Some(max_cases) = staff.max_cases else {
            continue;
        };
        let forced: u32 = program
            .units
            .iter()
            .filter(|u| u.allowed[..] == [w])
            .map(Unit::count)
            .sum();
        if forced > max_cases {
            findings.push(Finding::ForcedAboveMaxCases {
                worker: w,
                forced,
                max_cases,
            });
        }
    }
    let cases: u32 = program.units.iter().map(Unit::count).sum();
    let room: u64 = scenario
        .staff
        .iter()
        .filter(|s| s.available)
        .map(|s| u64::from(s.max_cases.unwrap_or(u32::MAX)))
        .sum();
    if u64::from(cases) > room {
        findings.push(Finding::TooFewCaseSlots { cases, room });
    }
    Diagnosis { findings }
}
