//! The proposal as JSON: the contract structs and how each section is filled from the
//! explanation. Figures are rounded for output (`round9`) and nothing else is computed here.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::rules::{Barrier, HardRule};
use crate::domain::{Scenario, StaffIdx};
use crate::explain::binding::Group;
use crate::explain::budget::BudgetPoint;
use crate::explain::figures::round9;
use crate::explain::moves::{Cause, MoveExplanation};
use crate::explain::{Explanation, Measure, Objective};
use crate::input::provenance::Provenance;
use crate::report::balance::{balance_json, BalanceJson};
use crate::report::binding::{budget_sentence, rule_statement, shortfall_sentences};
use crate::report::document::json_document;
use crate::report::outcome::{budget_needed_sentence, no_proposal_reason};
use crate::report::proposal::sentences::{equity_why, why_move};
use crate::report::staff_id;
use crate::solve::conflict::{BudgetNeeded, Conflict, LiftedAlone};
use crate::solve::model::{Mode, Step};
use crate::solve::{Status, StepReport};

/// The proposal as a JSON document, after the `provenance` of its inputs.
pub fn proposal_json(explanation: &Explanation<'_>, provenance: &Provenance) -> String {
    json_document(provenance, &proposal_body(explanation))
}

/// The proposal's own fields as JSON, to place inside another document (`whatif`'s).
pub(crate) fn proposal_value(explanation: &Explanation<'_>) -> serde_json::Value {
    serde_json::to_value(proposal_body(explanation)).expect("proposal serializes")
}

/// The proposal's own fields.
fn proposal_body<'a>(explanation: &'a Explanation<'_>) -> ProposalJson<'a> {
    let Explanation {
        scenario, proposal, ..
    } = explanation;
    ProposalJson {
        scenario: &scenario.name,
        mode: proposal.mode,
        status: proposal.status(),
        diagnosis: no_proposal_reason(scenario, proposal.mode, &proposal.outcome),
        assignments: assignments_json(explanation),
        moves: explanation
            .moves
            .iter()
            .map(|m| move_json(explanation, m))
            .collect(),
        unassigned: unassigned_json(explanation),
        staff: staff_json(explanation),
        metrics: metrics_json(explanation),
        policy: PolicyJson {
            max_moves: proposal.budget,
            target_utilization: scenario.policy.target_utilization,
            equity_tolerance: scenario.policy.equity_tolerance,
            balance_band: scenario.policy.balance_band,
            keep_families_together: scenario.policy.keep_families_together,
        },
        steps: &proposal.steps,
        objectives: explanation
            .objectives()
            .iter()
            .map(objective_json)
            .collect(),
        binding: binding_json(explanation),
        balance: explanation
            .balance
            .as_ref()
            .map(|b| balance_json(scenario, b)),
        conflict: proposal
            .outcome
            .conflict()
            .map(|c| conflict_json(scenario, c)),
        budget_curve: budget_curve_json(explanation),
    }
}

/// The kind of a move, as JSON names it.
pub fn move_kind(m: &MoveExplanation) -> &'static str {
    match m.cause {
        Cause::Intake => "intake",
        Cause::Required(_) => "required",
        Cause::FamilyReunited { .. } => "family",
        Cause::Equity { .. } => "equity",
        Cause::MakesRoom { .. } => "makes_room",
        Cause::Preference => "preference",
    }
}

#[derive(Serialize)]
struct ProposalJson<'a> {
    scenario: &'a str,
    mode: Mode,
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<String>,
    assignments: BTreeMap<&'a str, &'a str>,
    moves: Vec<MoveJson<'a>>,
    unassigned: Vec<UnassignedJson<'a>>,
    staff: Vec<StaffJson<'a>>,
    metrics: MetricsJson,
    policy: PolicyJson,
    steps: &'a [StepReport],
    objectives: Vec<ObjectiveJson>,
    binding: BindingJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    balance: Option<BalanceJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict: Option<ConflictJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    budget_curve: Vec<BudgetPointJson>,
}

/// One objective measure, before and after.
#[derive(Serialize)]
struct ObjectiveJson {
    step: Step,
    measure: &'static str,
    before: f64,
    after: f64,
    proven: Option<bool>,
}

#[derive(Serialize)]
struct GroupJson {
    workers: Vec<String>,
    shared_needs: Vec<String>,
    all_with_these_skills: bool,
    whole_team: bool,
    case_count: usize,
    /// Left out for the whole team, whose cases are every case.
    #[serde(skip_serializing_if = "Option::is_none")]
    cases: Option<Vec<String>>,
    weight: f64,
    capacity: f64,
    level: f64,
}

#[derive(Serialize)]
struct EquityBindingJson {
    #[serde(flatten)]
    group: GroupJson,
    why: String,
}

#[derive(Serialize)]
struct ShortfallJson {
    #[serde(flatten)]
    group: GroupJson,
    target: f64,
    room: f64,
    overload: f64,
    /// The position in this list of the smallest listed group this one lies within.
    #[serde(skip_serializing_if = "Option::is_none")]
    within: Option<usize>,
    why: String,
}

#[derive(Serialize)]
struct BindingJson {
    equity: Option<EquityBindingJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    one_more_worker: Option<OneMoreJson>,
    overload: Vec<ShortfallJson>,
}

#[derive(Serialize)]
struct OneMoreJson {
    skills: Vec<String>,
    capacity: f64,
    level: f64,
}

#[derive(Serialize)]
struct ConflictJson {
    /// Lifting any one rule, every other rule of the scenario kept, admits an assignment.
    minimal: bool,
    /// With the rules outside the set lifted, each rule of the set is needed.
    each_needed: bool,
    rules: Vec<RuleJson>,
    /// When the move budget is named: the budget with which every other rule can hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    max_moves_needed: Option<BudgetNeededJson>,
}

#[derive(Serialize)]
struct BudgetNeededJson {
    /// The budget; `null` when no budget is enough.
    max_moves: Option<u32>,
    /// True when one move fewer is proven to conflict.
    least: bool,
    why: String,
}

#[derive(Serialize)]
struct RuleJson {
    rule: &'static str,
    /// The worker, case or family the rule is about (none for the budget).
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    at: Option<String>,
    why: String,
    /// Lifting this rule alone, every other rule kept: `admits_assignment`, `still_conflicts`
    /// or `unknown`.
    lifted_alone: &'static str,
}

#[derive(Serialize)]
struct BudgetPointJson {
    #[serde(flatten)]
    point: BudgetPoint,
    why: String,
}

/// The facts of one move, for programs that word or weigh them their own way.
#[derive(Serialize)]
struct MoveFactsJson<'a> {
    cause: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    required_because: Option<RequiredJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    from: Option<EndJson<'a>>,
    to: EndJson<'a>,
    needs: &'a [String],
    qualified_workers: Option<usize>,
    preferred: bool,
    counts_against_budget: bool,
    /// For a move that makes room: the case the holder takes instead, and how many available
    /// workers may hold it.
    #[serde(skip_serializing_if = "Option::is_none")]
    holder_takes_instead: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    which_may_hold: Option<usize>,
}

#[derive(Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
enum RequiredJson<'a> {
    HolderOnLeave,
    HolderLacks {
        skills: Vec<String>,
    },
    HolderAvoided,
    FamilyCannotStay {
        family: &'a str,
        blocking_case: &'a str,
    },
}

/// A worker at one end of a move, with utilization before and after the whole proposal.
#[derive(Serialize)]
struct EndJson<'a> {
    id: &'a str,
    utilization_before: f64,
    utilization_after: f64,
}

#[derive(Serialize)]
struct MoveJson<'a> {
    case: &'a str,
    from: Option<&'a str>,
    to: &'a str,
    why: String,
    kind: &'static str,
    counts_against_budget: bool,
    explanation: MoveFactsJson<'a>,
}

#[derive(Serialize)]
struct UnassignedJson<'a> {
    case: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    why: String,
}

#[derive(Serialize)]
struct StaffJson<'a> {
    id: &'a str,
    /// The display name, when the scenario gives one.
    name: Option<&'a str>,
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
    balance_band: f64,
    keep_families_together: bool,
}

/// Each placed case and its holder after, by case id.
fn assignments_json<'a>(explanation: &Explanation<'a>) -> BTreeMap<&'a str, &'a str> {
    let scenario = explanation.scenario;
    scenario
        .cases
        .iter_enumerated()
        .filter_map(|(ci, c)| {
            explanation.proposal.holder_after[ci].map(|w| (c.id.as_str(), staff_id(scenario, w)))
        })
        .collect()
}

fn move_json<'a>(explanation: &Explanation<'a>, m: &MoveExplanation) -> MoveJson<'a> {
    let scenario = explanation.scenario;
    MoveJson {
        case: &scenario.cases[m.case].id,
        from: m.from.map(|w| staff_id(scenario, w)),
        to: staff_id(scenario, m.to),
        why: why_move(scenario, m),
        kind: move_kind(m),
        counts_against_budget: m.counts_against_budget,
        explanation: move_facts(explanation, m),
    }
}

fn end_json<'a>(explanation: &Explanation<'a>, w: StaffIdx) -> EndJson<'a> {
    let f = &explanation.figures.workers[w];
    EndJson {
        id: staff_id(explanation.scenario, w),
        utilization_before: round9(f.utilization_before()),
        utilization_after: round9(f.utilization_after()),
    }
}

fn move_facts<'a>(explanation: &Explanation<'a>, m: &MoveExplanation) -> MoveFactsJson<'a> {
    let scenario = explanation.scenario;
    let case = &scenario.cases[m.case];
    let required_because = match &m.cause {
        Cause::Required(reason) => match reason {
            Barrier::OnLeave => Some(RequiredJson::HolderOnLeave),
            Barrier::Lacks(skills) => Some(RequiredJson::HolderLacks {
                skills: skills.clone(),
            }),
            Barrier::Avoided => Some(RequiredJson::HolderAvoided),
            Barrier::FamilyBlocked {
                family,
                blocking_case,
            } => Some(RequiredJson::FamilyCannotStay {
                family: &scenario.families[*family].id,
                blocking_case: &scenario.cases[*blocking_case].id,
            }),
            Barrier::PinnedElsewhere(_) | Barrier::AtMaxCases { .. } => None,
        },
        _ => None,
    };
    MoveFactsJson {
        cause: move_kind(m),
        required_because,
        family: case.family.as_deref(),
        from: m.from.map(|w| end_json(explanation, w)),
        to: end_json(explanation, m.to),
        needs: &case.needs,
        qualified_workers: m.qualified_workers,
        preferred: m.preferred,
        counts_against_budget: m.counts_against_budget,
        holder_takes_instead: match m.cause {
            Cause::MakesRoom { takes, .. } => Some(&scenario.cases[takes].id),
            _ => None,
        },
        which_may_hold: match m.cause {
            Cause::MakesRoom { may_hold, .. } => Some(may_hold),
            _ => None,
        },
    }
}

/// One entry per case no worker may hold, with why.
fn unassigned_json<'a>(explanation: &Explanation<'a>) -> Vec<UnassignedJson<'a>> {
    let scenario = explanation.scenario;
    explanation
        .proposal
        .unplaced
        .iter()
        .flat_map(|u| {
            let why = u.reason.sentence(scenario);
            u.cases.iter().map(move |c| UnassignedJson {
                case: scenario.cases[*c].id.as_str(),
                family: u.family.map(|f| scenario.families[f].id.as_str()),
                why: why.clone(),
            })
        })
        .collect()
}

/// Each worker before and after (as today when there is no proposal).
fn staff_json<'a>(explanation: &Explanation<'a>) -> Vec<StaffJson<'a>> {
    let scenario = explanation.scenario;
    explanation
        .workers_after()
        .iter()
        .map(|w| {
            let s = &scenario.staff[w.worker];
            StaffJson {
                id: &s.id,
                name: s.name.as_deref(),
                available: s.available,
                capacity: round9(w.capacity),
                load_before: round9(w.load_before),
                load_after: round9(w.load_after),
                cases_before: w.cases_before,
                cases_after: w.cases_after,
                utilization_before: round9(w.utilization_before()),
                utilization_after: round9(w.utilization_after()),
            }
        })
        .collect()
}

fn metrics_json(explanation: &Explanation<'_>) -> MetricsJson {
    let m = explanation.metrics();
    MetricsJson {
        max_utilization_before: round9(m.max_utilization_before),
        max_utilization_after: round9(m.max_utilization_after),
        lower_bound_max_utilization: round9(m.lower_bound_max_utilization),
        gap: round9(m.gap),
        overload_before: round9(m.overload_before),
        overload_after: round9(m.overload_after),
        moves: m.moves,
        required_moves: m.required_moves,
        discretionary_moves: m.discretionary_moves,
        moves_lower_bound: m.moves_lower_bound,
        intake_placed: m.intake_placed,
        unassigned: m.unassigned,
        preferences_honoured: m.preferences_honoured,
        preferences_stated: m.preferences_stated,
    }
}

fn objective_json(objective: &Objective) -> ObjectiveJson {
    ObjectiveJson {
        step: objective.step,
        measure: match objective.measure {
            Measure::MaxUtilization => "max_utilization",
            Measure::Spread => "spread",
            Measure::OverloadPoints => "overload_points",
            Measure::Reassignments => "reassignments",
            Measure::PreferencesHonoured => "preferences_honoured",
        },
        before: round9(objective.before),
        after: round9(objective.after),
        proven: objective.proven,
    }
}

fn group_json(scenario: &Scenario, g: &Group) -> GroupJson {
    GroupJson {
        workers: g
            .workers
            .iter()
            .map(|w| staff_id(scenario, *w).to_string())
            .collect(),
        shared_needs: g.shared_needs.clone(),
        all_with_these_skills: g.all_with_skills,
        whole_team: g.whole_team,
        case_count: g.cases.len(),
        cases: (!g.whole_team).then(|| {
            g.cases
                .iter()
                .map(|c| scenario.cases[*c].id.clone())
                .collect()
        }),
        weight: round9(g.weight),
        capacity: round9(g.capacity),
        level: round9(g.level()),
    }
}

fn binding_json(explanation: &Explanation<'_>) -> BindingJson {
    let scenario = explanation.scenario;
    let binding = &explanation.binding;
    BindingJson {
        equity: binding.equity.as_ref().map(|g| EquityBindingJson {
            group: group_json(scenario, g),
            why: equity_why(explanation, g),
        }),
        one_more_worker: explanation.one_more_worker().map(|m| OneMoreJson {
            skills: m.skills.clone(),
            capacity: round9(m.capacity),
            level: round9(m.level),
        }),
        overload: binding
            .overload
            .iter()
            .zip(shortfall_sentences(scenario, &binding.overload))
            .map(|(s, why)| ShortfallJson {
                group: group_json(scenario, &s.group),
                target: s.target,
                room: round9(s.room),
                overload: round9(s.overload),
                within: s.within,
                why,
            })
            .collect(),
    }
}

fn conflict_json(scenario: &Scenario, conflict: &Conflict) -> ConflictJson {
    ConflictJson {
        minimal: conflict.minimal(),
        each_needed: conflict.each_needed,
        max_moves_needed: conflict.budget_needed.map(|needed| BudgetNeededJson {
            max_moves: match needed {
                BudgetNeeded::Least(k) | BudgetNeeded::Suffices(k) => Some(k),
                BudgetNeeded::NoneSuffices => None,
            },
            least: matches!(needed, BudgetNeeded::Least(_)),
            why: budget_needed_sentence(&needed),
        }),
        rules: conflict
            .rules
            .iter()
            .map(|fact| {
                let (rule, subject) = match &fact.rule {
                    HardRule::MaxCases(w) => {
                        ("max_cases", Some(staff_id(scenario, *w).to_string()))
                    }
                    HardRule::Pin(c) => ("pin", Some(scenario.cases[*c].id.clone())),
                    HardRule::Family(f) => ("family", Some(scenario.families[*f].id.clone())),
                    HardRule::MoveBudget => ("max_moves", None),
                };
                RuleJson {
                    rule,
                    subject,
                    at: fact.origin.as_ref().map(|at| at.to_string()),
                    why: rule_statement(scenario, &fact.rule),
                    lifted_alone: match fact.lifted_alone {
                        LiftedAlone::Fits => "admits_assignment",
                        LiftedAlone::StillConflicts => "still_conflicts",
                        LiftedAlone::Unknown => "unknown",
                    },
                }
            })
            .collect(),
    }
}

/// Other budgets' results next to the proposal's (none without a proposal with a budget).
fn budget_curve_json(explanation: &Explanation<'_>) -> Vec<BudgetPointJson> {
    let Some(current) = explanation.budget_point() else {
        return Vec::new();
    };
    explanation
        .budget_curve
        .iter()
        .map(|point| BudgetPointJson {
            point: rounded_point(point),
            why: budget_sentence(current.max_moves, &current, point),
        })
        .collect()
}

fn rounded_point(point: &BudgetPoint) -> BudgetPoint {
    BudgetPoint {
        max_utilization: point.max_utilization.map(round9),
        overload: point.overload.map(round9),
        ..point.clone()
    }
}
