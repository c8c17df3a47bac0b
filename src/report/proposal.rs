//! The proposal of `rebalance` and `assign`, as text for a supervisor and JSON for programs.
//!
//! The JSON shape is a contract with batch jobs: `scenario`, `status`, `assignments`, `moves`,
//! `unassigned`, `staff` and `metrics` keep their meaning; fields may be added.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::domain::{Scenario, StaffIdx};
use crate::explain::{Cause, MoveExplanation};
use crate::figures::Figures;
use crate::model::RequiredReason;
use crate::report::{bar, percent, points, skill_list};
use crate::solve::{Proposal, Status, StepReport};

/// Everything a proposal report shows, gathered once.
pub struct ProposalView<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The solver's answer.
    pub proposal: &'a Proposal,
    /// Its figures.
    pub figures: &'a Figures,
    /// Its moves, explained.
    pub moves: &'a [MoveExplanation],
}

pub(crate) fn staff_id(scenario: &Scenario, w: StaffIdx) -> &str {
    &scenario.staff[w].id
}

fn utilization_change(before: f64, after: f64) -> String {
    format!("{} → {}", percent(before), percent(after))
}

/// The kind of a move, as JSON names it.
pub fn move_kind(m: &MoveExplanation) -> &'static str {
    match m.cause {
        Cause::Intake => "intake",
        Cause::Required(_) => "required",
        Cause::FamilyReunited { .. } => "family",
        Cause::Equity { .. } => "equity",
        Cause::Preference => "preference",
    }
}

/// One sentence on why a case moves where it moves.
pub fn why_move(scenario: &Scenario, m: &MoveExplanation) -> String {
    let case = &scenario.cases[m.case];
    let to = staff_id(scenario, m.to);
    let to_change = utilization_change(m.to_before, m.to_after);
    let skills = skill_list(&case.needs);
    let destination = match m.qualified_workers {
        Some(1) => format!("{to}, the only available worker with {skills} ({to_change})"),
        Some(n) => format!("{to}, one of {n} available workers with {skills} ({to_change})"),
        None => format!("{to} ({to_change})"),
    };
    let from = m.from.map(|f| staff_id(scenario, f)).unwrap_or("nobody");
    let mut sentence = match &m.cause {
        Cause::Intake => format!("new intake, placed with {destination}"),
        Cause::Required(RequiredReason::HolderOnLeave) => {
            format!("{from} is on leave; moves to {destination}")
        }
        Cause::Required(RequiredReason::HolderLacks(missing)) => format!(
            "{from} lacks {}, which the case needs; moves to {destination}",
            skill_list(missing)
        ),
        Cause::Required(RequiredReason::FamilyCannotStay { family, blocking_case }) => format!(
            "family `{family}` stays together and {from} cannot hold its case `{}`; moves to {destination}",
            scenario.cases[*blocking_case].id
        ),
        Cause::Required(RequiredReason::HolderAvoided) => {
            format!("the case must avoid {from} (conflict of interest); moves to {destination}")
        }
        Cause::FamilyReunited { family } => {
            format!("reunites family `{family}` with {destination}")
        }
        Cause::Equity {
            from_before,
            from_after,
        } if from_before > from_after => format!(
            "evens the load: {from} {}; moves to {destination}",
            utilization_change(*from_before, *from_after)
        ),
        Cause::Equity {
            from_before,
            from_after,
        } => format!(
            "part of the rebalancing ({from} {}); moves to {destination}",
            utilization_change(*from_before, *from_after)
        ),
        Cause::Preference => {
            format!("moves to {destination}, whom the case prefers; equity is unchanged")
        }
    };
    if m.preferred && !matches!(m.cause, Cause::Preference) {
        sentence.push_str("; a worker the case prefers");
    }
    sentence
}

/// Why overload remains, in the first terms that apply.
fn overload_cause(view: &ProposalView<'_>) -> String {
    let ProposalView {
        scenario,
        proposal,
        figures: f,
        ..
    } = view;
    let target = scenario.policy.target_utilization;
    let weight: f64 = scenario.cases.iter().map(|c| c.weight).sum();
    let room: f64 = scenario
        .staff
        .iter()
        .filter(|s| s.available)
        .map(|s| s.capacity * target)
        .sum();
    if weight > room + 1e-9 {
        return format!(
            "the team is short-staffed: the cases weigh {} points and the available workers carry {} at target",
            points(weight),
            points(room)
        );
    }
    match (proposal.mode, proposal.budget) {
        (crate::model::Mode::Assign, _) => {
            "assign keeps existing holders; `caseload rebalance` may move cases".to_string()
        }
        (_, Some(budget)) if f.moves - f.required_moves >= budget => format!(
            "the move budget of {budget} discretionary moves is spent; `--max-moves` allows more"
        ),
        _ => "skills, pins, families and max_cases leave no better assignment".to_string(),
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Optimal => "optimal",
        Status::Feasible => {
            "feasible (every hard rule holds; not every step was proven optimal in the time limit)"
        }
        Status::Infeasible => "infeasible",
        Status::Unknown => "unknown (time limit reached before any proposal was found)",
    }
}

/// The proposal for a supervisor at a terminal.
pub fn proposal_text(view: &ProposalView<'_>) -> String {
    let ProposalView {
        scenario,
        proposal,
        figures: f,
        moves,
    } = view;
    let mut out = String::new();
    let mode = match proposal.mode {
        crate::model::Mode::Rebalance => "rebalance",
        crate::model::Mode::Assign => "assign",
    };
    let _ = writeln!(
        out,
        "{} — {mode}: {}",
        scenario.name,
        status_word(proposal.status)
    );
    if let Some(diagnosis) = &proposal.diagnosis {
        let _ = writeln!(out, "No proposal: {diagnosis}.");
        return out;
    }
    let mut budget = match proposal.budget {
        Some(b) => format!(", budget {b}"),
        None => String::new(),
    };
    if proposal.moves_lower_bound < f.moves {
        budget.push_str(&format!(", at least {} needed", proposal.moves_lower_bound));
    }
    let _ = writeln!(
        out,
        "Max utilization {} → {} (lower bound {}), overload {} → {} points, {} moves ({} required{budget}), {} intake placed, {} unplaced",
        percent(f.max_utilization_before),
        percent(f.max_utilization_after),
        percent(proposal.lower_bound_max_utilization),
        points(f.overload_before),
        points(f.overload_after),
        f.moves,
        f.required_moves,
        f.intake_placed,
        f.unplaced
    );
    if f.overload_after > 1e-9 {
        let _ = writeln!(
            out,
            "{} points above target remain: {}.",
            points(f.overload_after),
            overload_cause(view)
        );
    }

    let id_width = scenario
        .staff
        .iter()
        .map(|s| s.id.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let _ = writeln!(
        out,
        "\n  {:<id_width$}  {:>5}  {:>15}  {:>9}  {:>13}",
        "worker", "cap", "load", "cases", "utilization"
    );
    for w in f.workers.iter() {
        let staff = &scenario.staff[w.worker];
        let _ = writeln!(
            out,
            "  {:<id_width$}  {:>5}  {:>6} → {:>6}  {:>3} → {:>3}  {:>5} → {:>5}  {}{}",
            staff.id,
            points(w.capacity),
            points(w.load_before),
            points(w.load_after),
            w.cases_before,
            w.cases_after,
            percent(w.utilization_before()),
            percent(w.utilization_after()),
            bar(w.utilization_after(), 20),
            if staff.available { "" } else { "  on leave" }
        );
    }

    if !moves.is_empty() {
        let _ = writeln!(out, "\nMoves ({}):", moves.len());
        let case_width = moves
            .iter()
            .map(|m| scenario.cases[m.case].id.chars().count())
            .max()
            .unwrap_or(4);
        for m in moves.iter() {
            let from = m.from.map(|w| staff_id(scenario, w)).unwrap_or("intake");
            let _ = writeln!(
                out,
                "  {:<case_width$}  {from} → {}: {}",
                scenario.cases[m.case].id,
                staff_id(scenario, m.to),
                why_move(scenario, m)
            );
        }
    }
    if !proposal.unplaced.is_empty() {
        let _ = writeln!(
            out,
            "\nUnassigned ({} case{}):",
            f.unplaced,
            if f.unplaced == 1 { "" } else { "s" }
        );
        for u in &proposal.unplaced {
            let ids: Vec<&str> = u
                .cases
                .iter()
                .map(|c| scenario.cases[*c].id.as_str())
                .collect();
            let _ = writeln!(out, "  {}: {}", ids.join(", "), u.reason);
        }
    }
    out
}

#[derive(Serialize)]
struct ProposalJson<'a> {
    scenario: &'a str,
    mode: crate::model::Mode,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<&'a str>,
    assignments: BTreeMap<&'a str, &'a str>,
    moves: Vec<MoveJson<'a>>,
    unassigned: Vec<UnassignedJson<'a>>,
    staff: Vec<StaffJson<'a>>,
    metrics: MetricsJson,
    policy: PolicyJson,
    steps: &'a [StepReport],
}

#[derive(Serialize)]
struct MoveJson<'a> {
    case: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    why: String,
    kind: &'static str,
    counts_against_budget: bool,
}

#[derive(Serialize)]
struct UnassignedJson<'a> {
    case: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    why: &'a str,
}

#[derive(Serialize)]
struct StaffJson<'a> {
    id: &'a str,
    available: bool,
    capacity: f64,
    load_before: f64,
    load_after: f64,
    cases_before: u32,
    cases_after: u32,
    utilization_before: f64,
    utilization_after: f64,
}

#[derive(Serialize)]
struct MetricsJson {
    max_utilization_before: f64,
    max_utilization_after: f64,
    lower_bound_max_utilization: f64,
    gap: f64,
    overload_before: f64,
    overload_after: f64,
    moves: u32,
    required_moves: u32,
    discretionary_moves: u32,
    /// Proven lower bound on `moves` at this equity: equal to it when the moves step is proven.
    moves_lower_bound: u32,
    intake_placed: u32,
    unassigned: u32,
    preferences_honoured: u32,
    preferences_stated: u32,
}

#[derive(Serialize)]
struct PolicyJson {
    max_moves: Option<u32>,
    target_utilization: f64,
    equity_tolerance: f64,
    keep_families_together: bool,
}

/// Rounds for output so that the JSON does not carry floating-point noise (1e-9 precision).
fn round9(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1e9).round() / 1e9 + 0.0
    } else {
        x
    }
}

/// The proposal as JSON.
pub fn proposal_json(view: &ProposalView<'_>) -> String {
    let ProposalView {
        scenario,
        proposal,
        figures: f,
        moves,
    } = view;
    let infeasible = matches!(proposal.status, Status::Infeasible | Status::Unknown);
    let assignments = scenario
        .cases
        .iter_enumerated()
        .filter_map(|(ci, c)| {
            proposal.holder_after[ci].map(|w| (c.id.as_str(), staff_id(scenario, w)))
        })
        .collect();
    let unassigned = proposal
        .unplaced
        .iter()
        .flat_map(|u| {
            u.cases.iter().map(move |c| UnassignedJson {
                case: scenario.cases[*c].id.as_str(),
                family: u.family.as_deref(),
                why: u.reason.as_str(),
            })
        })
        .collect();
    let staff = f
        .workers
        .iter()
        .map(|w| {
            let s = &scenario.staff[w.worker];
            StaffJson {
                id: &s.id,
                available: s.available,
                capacity: round9(w.capacity),
                load_before: round9(w.load_before),
                load_after: round9(if infeasible {
                    w.load_before
                } else {
                    w.load_after
                }),
                cases_before: w.cases_before,
                cases_after: if infeasible {
                    w.cases_before
                } else {
                    w.cases_after
                },
                utilization_before: round9(w.utilization_before()),
                utilization_after: round9(if infeasible {
                    w.utilization_before()
                } else {
                    w.utilization_after()
                }),
            }
        })
        .collect();
    let json = ProposalJson {
        scenario: &scenario.name,
        mode: proposal.mode,
        status: proposal.status,
        diagnosis: proposal.diagnosis.as_deref(),
        assignments,
        moves: moves
            .iter()
            .map(|m| MoveJson {
                case: &scenario.cases[m.case].id,
                from: m.from.map(|w| staff_id(scenario, w)),
                to: staff_id(scenario, m.to),
                why: why_move(scenario, m),
                kind: move_kind(m),
                counts_against_budget: m.counts_against_budget,
            })
            .collect(),
        unassigned,
        staff,
        metrics: MetricsJson {
            max_utilization_before: round9(f.max_utilization_before),
            max_utilization_after: round9(if infeasible {
                f.max_utilization_before
            } else {
                f.max_utilization_after
            }),
            lower_bound_max_utilization: if infeasible {
                0.0
            } else {
                round9(proposal.lower_bound_max_utilization)
            },
            gap: if infeasible {
                0.0
            } else {
                round9((f.max_utilization_after - proposal.lower_bound_max_utilization).max(0.0))
            },
            overload_before: round9(f.overload_before),
            overload_after: round9(if infeasible {
                f.overload_before
            } else {
                f.overload_after
            }),
            moves: f.moves,
            required_moves: f.required_moves,
            discretionary_moves: f.moves - f.required_moves,
            moves_lower_bound: proposal.moves_lower_bound.min(f.moves),
            intake_placed: f.intake_placed,
            unassigned: proposal.unplaced.iter().map(|u| u.cases.len() as u32).sum(),
            preferences_honoured: f.preferences_honoured,
            preferences_stated: f.preferences_stated,
        },
        policy: PolicyJson {
            max_moves: proposal.budget,
            target_utilization: scenario.policy.target_utilization,
            equity_tolerance: scenario.policy.equity_tolerance,
            keep_families_together: scenario.policy.keep_families_together,
        },
        steps: &proposal.steps,
    };
    let mut text = serde_json::to_string_pretty(&json).expect("proposal serializes");
    text.push('\n');
    text
}
