//! The proposal as JSON: the contract structs and how each section is filled from the
//! explanation. Figures are rounded for output (`round9`) and nothing else is computed here.

use std::collections::BTreeMap;

use schemars::{JsonSchema, Schema};
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
use crate::report::document::{document_schema, json_document};
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

/// The JSON Schema of the proposal JSON: generated from the structs that write it, so the two
/// cannot differ.
pub fn proposal_schema() -> Schema {
    document_schema::<ProposalJson<'static>>("caseload proposal")
}

/// Why a case moves, as JSON names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// New intake, placed.
    Intake,
    /// The holder can no longer hold the case; does not count against `max_moves`.
    Required,
    /// Reunites a family split today.
    Family,
    /// Evens the load.
    Equity,
    /// Makes room: the receiver takes, instead, a case few others may hold.
    MakesRoom,
    /// Honours a preference of the case.
    Preference,
}

/// The kind of a move.
pub fn move_kind(m: &MoveExplanation) -> MoveKind {
    match m.cause {
        Cause::Intake => MoveKind::Intake,
        Cause::Required(_) => MoveKind::Required,
        Cause::FamilyReunited { .. } => MoveKind::Family,
        Cause::Equity { .. } => MoveKind::Equity,
        Cause::MakesRoom { .. } => MoveKind::MakesRoom,
        Cause::Preference => MoveKind::Preference,
    }
}

/// The proposal as JSON: the contract of `rebalance` and `assign` with `--format json`.
#[derive(Serialize, JsonSchema)]
struct ProposalJson<'a> {
    /// The scenario's name.
    scenario: &'a str,
    mode: Mode,
    status: Status,
    /// Why there is no proposal, when the status is `infeasible` or `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnosis: Option<String>,
    /// Each placed case's worker after the proposal, by case id.
    assignments: BTreeMap<&'a str, &'a str>,
    /// Every case whose worker changes, new intake included, with why.
    moves: Vec<MoveJson<'a>>,
    /// The cases left unplaced, with why.
    unassigned: Vec<UnassignedJson<'a>>,
    /// Each worker, today and after the proposal.
    staff: Vec<StaffJson<'a>>,
    metrics: MetricsJson,
    policy: PolicyJson,
    /// What each objective step reached, in the order they were solved.
    steps: &'a [StepReport],
    /// Each objective measure, today and after the proposal.
    objectives: Vec<ObjectiveJson>,
    binding: BindingJson,
    /// Balance below the top: whether no case is left where a colleague who may take it would
    /// end more than the band lower, and why not where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    balance: Option<BalanceJson<'a>>,
    /// When the status is `infeasible`: a small set of hard rules that conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict: Option<ConflictJson>,
    /// With `--budget-curve`: the best proposal under other move budgets.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    budget_curve: Vec<BudgetPointJson>,
}

/// One objective measure, today and after the proposal.
#[derive(Serialize, JsonSchema)]
struct ObjectiveJson {
    /// The step that optimizes it.
    step: Step,
    measure: Measure,
    /// Its value today.
    before: f64,
    /// Its value after the proposal.
    after: f64,
    /// Whether the step proved its value optimal; `null` for a measure no step optimizes.
    proven: Option<bool>,
}

/// A group of workers and the cases only they may hold.
#[derive(Serialize, JsonSchema)]
struct GroupJson {
    /// The workers' ids.
    workers: Vec<String>,
    /// Skills every case of the group needs; empty when they share none.
    shared_needs: Vec<String>,
    /// True when the workers are exactly the available workers with every one of
    /// `shared_needs`.
    all_with_these_skills: bool,
    /// True when the group is the whole team.
    whole_team: bool,
    /// How many cases only the group's workers may hold.
    case_count: usize,
    /// Those cases' ids; left out for the whole team, whose cases are every case.
    #[serde(skip_serializing_if = "Option::is_none")]
    cases: Option<Vec<String>>,
    /// The cases' total weight, in acuity points.
    weight: f64,
    /// The workers' total capacity, in acuity points.
    capacity: f64,
    /// Weight per point of capacity: no assignment keeps every worker of the group below it.
    level: f64,
}

/// The group whose load sets the least max utilization any assignment can reach.
#[derive(Serialize, JsonSchema)]
struct EquityBindingJson {
    #[serde(flatten)]
    group: GroupJson,
    /// The same, in a sentence.
    why: String,
}

/// A group whose cases outweigh its room at the target utilization.
#[derive(Serialize, JsonSchema)]
struct ShortfallJson {
    #[serde(flatten)]
    group: GroupJson,
    /// The policy's target utilization.
    target: f64,
    /// What the group can carry at target: capacity times target, in points.
    room: f64,
    /// Weight above that room: overload no assignment avoids, in points.
    overload: f64,
    /// The position in this list of the smallest listed group this one lies within.
    #[serde(skip_serializing_if = "Option::is_none")]
    within: Option<usize>,
    /// The same, in a sentence.
    why: String,
}

/// What binds: the groups of workers whose cases hold the proposal back.
#[derive(Serialize, JsonSchema)]
struct BindingJson {
    /// The group that sets the least max utilization; `null` when there is none.
    equity: Option<EquityBindingJson>,
    /// What one more full-time worker with the group's shared skills would bring.
    #[serde(skip_serializing_if = "Option::is_none")]
    one_more_worker: Option<OneMoreJson>,
    /// The groups short of room at the target utilization.
    overload: Vec<ShortfallJson>,
}

/// One more full-time worker added to the equity group.
#[derive(Serialize, JsonSchema)]
struct OneMoreJson {
    /// Their skills: the group's shared needs.
    skills: Vec<String>,
    /// Their capacity: the team's typical full-time capacity, in points.
    capacity: f64,
    /// The group's level with them.
    level: f64,
}

/// Hard rules that together admit no assignment.
#[derive(Serialize, JsonSchema)]
struct ConflictJson {
    /// Lifting any one rule, every other rule of the scenario kept, admits an assignment.
    minimal: bool,
    /// With the rules outside the set lifted, each rule of the set is needed.
    each_needed: bool,
    /// The rules of the set.
    rules: Vec<RuleJson>,
    /// When the move budget is named: the budget with which every other rule can hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    max_moves_needed: Option<BudgetNeededJson>,
}

/// The move budget a conflict needs.
#[derive(Serialize, JsonSchema)]
struct BudgetNeededJson {
    /// The budget; `null` when no budget is enough.
    max_moves: Option<u32>,
    /// True when one move fewer is proven to conflict.
    least: bool,
    /// The same, in a sentence.
    why: String,
}

/// One rule of a conflict.
#[derive(Serialize, JsonSchema)]
struct RuleJson {
    rule: ConflictRule,
    /// The worker, case or family the rule is about (none for the budget).
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    /// Where the rule is set: file, line and column; `null` when no file sets it.
    at: Option<String>,
    /// The rule, in a sentence.
    why: String,
    lifted_alone: LiftedAlone,
}

/// The kind of hard rule in a conflict.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum ConflictRule {
    /// A worker's `max_cases`.
    MaxCases,
    /// A case pinned to its holder.
    Pin,
    /// A family's cases end with one worker.
    Family,
    /// The move budget.
    MaxMoves,
}

/// The best proposal under another move budget.
#[derive(Serialize, JsonSchema)]
struct BudgetPointJson {
    #[serde(flatten)]
    point: BudgetPoint,
    /// How it compares with the proposal's, in a sentence.
    why: String,
}

/// The facts of one move, for programs that word or weigh them their own way.
#[derive(Serialize, JsonSchema)]
struct MoveFactsJson<'a> {
    cause: MoveKind,
    /// For a required move: why the holder cannot keep the case.
    #[serde(skip_serializing_if = "Option::is_none")]
    required_because: Option<RequiredJson<'a>>,
    /// The case's family, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    /// The worker who holds the case today; `null` for new intake.
    from: Option<EndJson<'a>>,
    /// The worker who takes the case.
    to: EndJson<'a>,
    /// The skills the case needs.
    needs: &'a [String],
    /// How many available workers have those skills; `null` when the case needs none.
    qualified_workers: Option<usize>,
    /// True when the case prefers the worker who takes it.
    preferred: bool,
    /// True when the move counts against `max_moves`.
    counts_against_budget: bool,
    /// For a move that makes room: the case the holder takes instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    holder_takes_instead: Option<&'a str>,
    /// For a move that makes room: how many available workers may hold the case the holder
    /// takes instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    which_may_hold: Option<usize>,
}

/// Why a required move is required.
#[derive(Serialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
enum RequiredJson<'a> {
    /// The holder is on leave.
    HolderOnLeave,
    /// The holder lacks skills the case needs.
    HolderLacks {
        /// The skills the holder lacks.
        skills: Vec<String>,
    },
    /// The holder is on the case's `avoid` list.
    HolderAvoided,
    /// The family must stay together and the holder cannot hold another of its cases.
    FamilyCannotStay {
        /// The family.
        family: &'a str,
        /// The family's case the holder cannot hold.
        blocking_case: &'a str,
    },
}

/// A worker at one end of a move, with utilization before and after the whole proposal.
#[derive(Serialize, JsonSchema)]
struct EndJson<'a> {
    /// The worker's id.
    id: &'a str,
    /// Their utilization today: load over capacity (1.0 is 100%).
    utilization_before: f64,
    /// Their utilization after the whole proposal.
    utilization_after: f64,
}

/// One case whose worker changes.
#[derive(Serialize, JsonSchema)]
struct MoveJson<'a> {
    /// The case's id.
    case: &'a str,
    /// The worker who holds it today; `null` for new intake.
    from: Option<&'a str>,
    /// The worker who takes it.
    to: &'a str,
    /// Why, in a sentence.
    why: String,
    kind: MoveKind,
    /// True when the move counts against `max_moves`.
    counts_against_budget: bool,
    explanation: MoveFactsJson<'a>,
}

/// A case left unplaced.
#[derive(Serialize, JsonSchema)]
struct UnassignedJson<'a> {
    /// The case's id.
    case: &'a str,
    /// Its family, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    /// Why no worker may hold it, in a sentence.
    why: String,
}

/// One worker, today and after the proposal.
#[derive(Serialize, JsonSchema)]
struct StaffJson<'a> {
    /// The worker's id.
    id: &'a str,
    /// The display name, when the scenario gives one.
    name: Option<&'a str>,
    /// False when the worker is on leave.
    available: bool,
    /// Acuity points the worker carries at 100% utilization.
    capacity: f64,
    /// Acuity points held today.
    load_before: f64,
    /// Acuity points held after the proposal.
    load_after: f64,
    /// Cases held today.
    cases_before: u32,
    /// Cases held after the proposal.
    cases_after: u32,
    /// Load over capacity today (1.0 is 100%).
    utilization_before: f64,
    /// Load over capacity after the proposal.
    utilization_after: f64,
}

/// The proposal's figures.
#[derive(Serialize, JsonSchema)]
struct MetricsJson {
    /// The highest utilization today, over all staff (those now on leave included).
    max_utilization_before: f64,
    /// The highest utilization after the proposal.
    max_utilization_after: f64,
    /// A proven lower bound on the max utilization any assignment keeping every rule reaches.
    lower_bound_max_utilization: f64,
    /// `max_utilization_after` minus that bound.
    gap: f64,
    /// Acuity points above target today, summed over workers.
    overload_before: f64,
    /// Acuity points above target after the proposal.
    overload_after: f64,
    /// Reassignments: cases with a holder today that end with another worker.
    moves: u32,
    /// Reassignments the case must make (its holder can no longer hold it).
    required_moves: u32,
    /// The other reassignments: those `max_moves` counts.
    discretionary_moves: u32,
    /// Proven lower bound on `moves` at this equity: equal to it when the moves step is proven.
    moves_lower_bound: u32,
    /// New intake placed.
    intake_placed: u32,
    /// Cases left unplaced.
    unassigned: u32,
    /// Cases held by a worker they prefer.
    preferences_honoured: u32,
    /// Cases that name a preference.
    preferences_stated: u32,
}

/// The policy the proposal was made under.
#[derive(Serialize, JsonSchema)]
struct PolicyJson {
    /// The most discretionary reassignments; `null` for `assign`, which keeps today's holders.
    max_moves: Option<u32>,
    /// The share of capacity above which load is overload.
    target_utilization: f64,
    /// How much equity fewer moves may cost, in utilization.
    equity_tolerance: f64,
    /// Balance below the top, in utilization.
    balance_band: f64,
    /// Whether all cases of one family end with one worker.
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
        measure: objective.measure,
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
                    HardRule::MaxCases(w) => (
                        ConflictRule::MaxCases,
                        Some(staff_id(scenario, *w).to_string()),
                    ),
                    HardRule::Pin(c) => (ConflictRule::Pin, Some(scenario.cases[*c].id.clone())),
                    HardRule::Family(f) => {
                        (ConflictRule::Family, Some(scenario.families[*f].id.clone()))
                    }
                    HardRule::MoveBudget => (ConflictRule::MaxMoves, None),
                };
                RuleJson {
                    rule,
                    subject,
                    at: fact.origin.as_ref().map(|at| at.to_string()),
                    why: rule_statement(scenario, &fact.rule),
                    lifted_alone: fact.lifted_alone,
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
