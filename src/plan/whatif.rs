//! What-if changes a supervisor or planner asks about, applied to a validated team.
//!
//! These are the command-line shortcuts of `caseload whatif` (a leave, an FTE change, a hire, an
//! intake surge); overlay files (`extends`) say the same and more in the scenario format. Each
//! change is checked against the team and reported with what to do when it does not fit. Both
//! teams, today's and the changed one, are then rebalanced side by side.

use crate::domain::{Case, Scenario, Staff, MAX_FTE};
use crate::input::generate::Rng;
use std::time::Instant;

use crate::plan::compare::{summarize, RunSummary};
use crate::plan::seconds_until;
use crate::solve::model::Mode;
use crate::solve::{solve, Proposal, SolveOptions};

/// One change to a team.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The worker goes on leave: holds no case; their pins are lifted, as the cases must move.
    Leave(String),
    /// The worker's FTE changes; capacity scales with it.
    Fte(String, f64),
    /// A new worker with these skills and FTE, at the model's points per FTE, with no cases.
    Hire {
        /// Skills, as given: each must be one a worker has or a case needs, in any spelling,
        /// and the hire gets the team's spelling.
        skills: Vec<String>,
        /// Full-time equivalent.
        fte: f64,
    },
    /// New intake: this many percent of today's caseload more, drawn from the team's own cases
    /// (acuity, factors, needs), with a seed.
    Surge {
        /// Percent of today's case count, e.g. 15.0.
        percent: f64,
        /// Seed of the draw.
        seed: u64,
    },
}

/// A change that does not fit the team. The command line words it, naming its own options.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeError {
    /// No worker has the id.
    UnknownWorker {
        /// The id given.
        id: String,
        /// A close id, if there is one.
        suggestion: Option<String>,
        /// Every worker's id, in staff order.
        known: Vec<String>,
    },
    /// A worker's new FTE is not above 0 and at most [`MAX_FTE`].
    Fte {
        /// The worker.
        worker: String,
        /// The FTE given.
        fte: f64,
    },
    /// A hire's FTE is not above 0 and at most [`MAX_FTE`].
    HireFte {
        /// The FTE given.
        fte: f64,
    },
    /// A hire's skill that no worker has and no case needs, in any spelling: it would change
    /// nothing, so it is likely misspelt.
    UnknownSkill {
        /// The skill given.
        skill: String,
        /// A close skill of the team, if there is one.
        suggestion: Option<String>,
        /// The team's skills, sorted.
        known: Vec<String>,
    },
    /// A surge's percentage is not above 0 and at most 1000.
    SurgePercent {
        /// The percentage given.
        percent: f64,
    },
    /// The team has no cases to draw a surge's mix from.
    NoCasesToDraw,
}

fn worker<'s>(scenario: &'s mut Scenario, id: &str) -> Result<&'s mut Staff, ChangeError> {
    match scenario.staff_by_id(id) {
        Some(w) => Ok(&mut scenario.staff[w]),
        None => {
            let known: Vec<String> = scenario.staff.iter().map(|s| s.id.clone()).collect();
            let ids: Vec<&str> = known.iter().map(String::as_str).collect();
            Err(ChangeError::UnknownWorker {
                id: id.to_string(),
                suggestion: crate::input::suggest::did_you_mean(id, &ids).map(str::to_string),
                known,
            })
        }
    }
}

fn unknown_skill(scenario: &Scenario, skill: &str) -> ChangeError {
    let staff = scenario.staff.iter().flat_map(|s| &s.skills);
    let needs = scenario.cases.iter().flat_map(|c| &c.needs);
    let mut known: Vec<String> = staff.chain(needs).cloned().collect();
    known.sort();
    known.dedup();
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    ChangeError::UnknownSkill {
        skill: skill.to_string(),
        suggestion: crate::input::suggest::did_you_mean(skill, &names).map(str::to_string),
        known,
    }
}

/// The team with `changes` applied in order; its name says what changed. A hire's skills are
/// spelled the team's way (see [`crate::domain::names`]).
pub fn apply_changes(scenario: &Scenario, changes: &[Change]) -> Result<Scenario, ChangeError> {
    let mut s = scenario.clone();
    let mut said = Vec::new();
    let mut hires = 0;
    for change in changes {
        match change {
            Change::Leave(id) => {
                worker(&mut s, id)?.available = false;
                let w = s.staff_by_id(id).expect("found above");
                for case in s.cases.iter_mut() {
                    if case.assigned == Some(w) {
                        case.pinned = false;
                    }
                }
                said.push(format!("{id} on leave"));
            }
            Change::Fte(id, fte) => {
                if !(fte.is_finite() && *fte > 0.0 && *fte <= MAX_FTE) {
                    return Err(ChangeError::Fte {
                        worker: id.clone(),
                        fte: *fte,
                    });
                }
                let staff = worker(&mut s, id)?;
                staff.capacity *= fte / staff.fte;
                staff.fte = *fte;
                said.push(format!("{id} at {fte} FTE"));
            }
            Change::Hire { skills, fte } => {
                if !(fte.is_finite() && *fte > 0.0 && *fte <= MAX_FTE) {
                    return Err(ChangeError::HireFte { fte: *fte });
                }
                hires += 1;
                let mut id = format!("hire-{hires}");
                while s.staff_by_id(&id).is_some() {
                    hires += 1;
                    id = format!("hire-{hires}");
                }
                if let Some(unknown) = skills.iter().find(|k| s.skill_spelling(k).is_none()) {
                    return Err(unknown_skill(&s, unknown));
                }
                let skills = s.spelled_skills(skills);
                said.push(if skills.is_empty() {
                    format!("a {fte} FTE hire")
                } else {
                    format!("a {fte} FTE hire with {}", skills.join(", "))
                });
                let origin = crate::domain::Location::file(&scenario.path);
                s.add_hire(id, None, *fte, skills, origin);
            }
            Change::Surge { percent, seed } => {
                if !(percent.is_finite() && *percent > 0.0 && *percent <= 1000.0) {
                    return Err(ChangeError::SurgePercent { percent: *percent });
                }
                let today: Vec<Case> = s.cases.iter().cloned().collect();
                if today.is_empty() {
                    return Err(ChangeError::NoCasesToDraw);
                }
                let count = (today.len() as f64 * percent / 100.0).round().max(1.0) as usize;
                let mut rng = Rng(*seed);
                let mut n = 0;
                for _ in 0..count {
                    let like = &today[rng.below(today.len())];
                    let id = loop {
                        n += 1;
                        let id = format!("SURGE-{n}");
                        if s.case_by_id(&id).is_none() {
                            break id;
                        }
                    };
                    s.cases.push(Case {
                        id,
                        assigned: None,
                        family: None,
                        pinned: false,
                        avoid: Vec::new(),
                        prefer: Vec::new(),
                        origin: crate::domain::Location::file(&scenario.path),
                        ..like.clone()
                    });
                }
                said.push(format!("{count} more intake cases ({percent}%)"));
            }
        }
    }
    if !said.is_empty() {
        s.name = format!("{} — what if: {}", s.name, said.join(", "));
    }
    s.regroup_families();
    Ok(s)
}

/// Today's team and the changed one, both rebalanced.
#[derive(Debug, Clone)]
pub struct WhatIf {
    /// Today's proposal.
    pub before: Proposal,
    /// The changed team's proposal.
    pub after: Proposal,
    /// Both in a comparison's figures: today's, then the changed team's.
    pub runs: [RunSummary; 2],
}

/// Rebalances today's team and the changed one, in parallel, both ending by `deadline`.
pub fn rebalance_both(today: &Scenario, changed: &Scenario, deadline: Instant) -> WhatIf {
    let options = || SolveOptions {
        mode: Mode::Rebalance,
        time_limit: seconds_until(deadline),
    };
    let (before, after) = rayon::join(|| solve(today, &options()), || solve(changed, &options()));
    let runs = [summarize(today, &before), summarize(changed, &after)];
    WhatIf {
        before,
        after,
        runs,
    }
}
