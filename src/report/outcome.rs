//! Words for what the solver established and did: why there is no proposal (the counting
//! findings and the rules that conflict), and the solver's events and steps for `--verbose`.

use crate::domain::Scenario;
use crate::report::binding::rule_line;
use crate::solve::conflict::{BudgetNeeded, Conflict, LiftedAlone};
use crate::solve::diagnose::{Diagnosis, Finding};
use crate::solve::events::{ProbeAnswer, SolveTrace, SolverEvent};
use crate::solve::model::Mode;
use crate::solve::{Outcome, Proposal, StepReport};

/// Why there is no proposal, in one sentence; `None` when there is one.
pub fn no_proposal_reason(scenario: &Scenario, mode: Mode, outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Optimal | Outcome::Feasible => None,
        Outcome::Infeasible { diagnosis, .. } => Some(diagnosis_text(scenario, mode, diagnosis)),
        Outcome::Unknown { diagnosis } => Some(format!(
            "no assignment keeping every hard rule was found within the time limit; try a longer --time-limit (if the rules conflict: {})",
            diagnosis_text(scenario, mode, diagnosis)
        )),
    }
}

/// What counting shows about rules that cannot all hold.
fn diagnosis_text(scenario: &Scenario, mode: Mode, diagnosis: &Diagnosis) -> String {
    if diagnosis.findings.is_empty() {
        return "the hard rules (pins, families, max_cases and the move budget) cannot all be met together"
            .to_string();
    }
    let reasons: Vec<String> = diagnosis
        .findings
        .iter()
        .map(|finding| finding_text(scenario, mode, finding))
        .collect();
    format!("the hard rules cannot all be met: {}", reasons.join("; "))
}

fn finding_text(scenario: &Scenario, mode: Mode, finding: &Finding) -> String {
    match finding {
        Finding::FamiliesNeedMoves { needed, budget } => format!(
            "reuniting the families split today takes at least {needed} reassignments, but max_moves is {budget}"
        ),
        Finding::ForcedAboveMaxCases {
            worker,
            forced,
            max_cases,
        } => format!(
            "`{}` must keep {forced} cases ({}), above max_cases {max_cases}",
            scenario.staff[*worker].id,
            match mode {
                Mode::Assign => "kept by assign, pinned, or nobody else may take them; `caseload rebalance` may move cases to make room",
                Mode::Rebalance => "pinned, or nobody else may take them",
            }
        ),
        Finding::TooFewCaseSlots { cases, room } => format!(
            "{cases} cases must be placed but the available workers' max_cases add up to {room}"
        ),
    }
}

/// The rules that conflict: a heading that says how far the set is known to be minimal, a
/// line per rule, and, when the move budget is among them, the budget that would do.
pub fn conflict_lines(scenario: &Scenario, conflict: &Conflict) -> Vec<String> {
    let mut lines = vec![conflict_heading(conflict)];
    let marked = !conflict.minimal();
    for fact in &conflict.rules {
        let mut line = format!("  - {}", rule_line(scenario, fact));
        if marked && fact.lifted_alone == LiftedAlone::Fits {
            line.push_str(" — lifting this one alone, every other rule kept, admits an assignment");
        }
        lines.push(line);
    }
    if let Some(needed) = &conflict.budget_needed {
        lines.push(budget_needed_sentence(needed));
    }
    lines
}

/// "These rules conflict (...):", saying what is known of each rule.
fn conflict_heading(conflict: &Conflict) -> String {
    let facts = &conflict.rules;
    let any = |lifted: LiftedAlone| facts.iter().any(|f| f.lifted_alone == lifted);
    let why = if !conflict.each_needed {
        "the search for the fewest stopped at the time limit; some may not matter"
    } else if conflict.minimal() {
        "without any one of them, the others can all hold"
    } else if any(LiftedAlone::Unknown) {
        "each is needed for this conflict, but the set is not known to be minimal: time ran out before lifting each one alone, every other rule kept, was tried"
    } else if any(LiftedAlone::Fits) {
        "each is needed for this conflict, but other rules conflict as well: only lifting a rule marked below, every other rule kept, admits an assignment"
    } else {
        "each is needed for this conflict, but other rules conflict as well: lifting any one of these alone, every other rule kept, still admits no assignment"
    };
    format!("These rules conflict ({why}):")
}

/// The move budget with which every other rule can hold, in words.
pub fn budget_needed_sentence(needed: &BudgetNeeded) -> String {
    match needed {
        BudgetNeeded::Least(k) => format!(
            "With every other rule kept, the smallest move budget that admits an assignment is {k} (`--max-moves {k}`)."
        ),
        BudgetNeeded::Suffices(k) => format!(
            "With every other rule kept, a move budget of {k} (`--max-moves {k}`) admits an assignment; time ran out before smaller budgets were ruled out."
        ),
        BudgetNeeded::NoneSuffices => "No move budget is enough: with every other rule kept, the rules conflict even with no limit on moves.".to_string(),
    }
}

/// What the solver did, a line per event and then a line per step, for `--verbose`.
pub fn verbose_lines(proposal: &Proposal) -> Vec<String> {
    lines_of(&proposal.events, &proposal.steps)
}

/// What a solve kept in its trace did, as [`verbose_lines`] words it.
pub fn trace_lines(trace: &SolveTrace) -> Vec<String> {
    lines_of(&trace.events, &trace.steps)
}

fn lines_of(events: &[SolverEvent], steps: &[StepReport]) -> Vec<String> {
    let events = events.iter().map(event_line);
    events.chain(steps.iter().map(step_line)).collect()
}

/// One event as a line.
pub fn event_line(event: &SolverEvent) -> String {
    match event {
        SolverEvent::Model {
            units,
            fixed,
            singles,
            grouped,
            classes,
            groups,
            arrival_columns,
        } => format!(
            "model: {units} units ({fixed} fixed, {singles} on their own, {grouped} in {classes} classes of {groups} groups), {arrival_columns} arrival columns"
        ),
        SolverEvent::Start {
            max_utilization,
            seconds,
        } => format!(
            "start: max utilization {max_utilization:.6} after local search in {seconds:.3} s"
        ),
        SolverEvent::EquityBounds {
            max_flow,
            move_budget,
            start,
        } => format!(
            "bound from the max flow {max_flow:.6}, from the move budget {move_budget:.6}; start {start:.6}"
        ),
        SolverEvent::Probe {
            level,
            lo,
            hi,
            levels,
            best,
            bound,
            answer,
            seconds,
        } => format!(
            "probe {level:.6} [{lo}..{hi}) of {levels} levels, best {best:.6}, bound {bound:.6}: {} in {seconds:.3} s",
            match answer {
                ProbeAnswer::Feasible => "feasible",
                ProbeAnswer::Infeasible => "infeasible",
                ProbeAnswer::Undecided => "undecided",
            }
        ),
        SolverEvent::MovesStart { reassignments } => {
            format!("start of the moves step: {reassignments} reassignments")
        }
        SolverEvent::MovesRestricted {
            columns,
            relaxation_bound,
            seconds,
            open,
        } => format!(
            "moves step: {columns} columns; relaxation bound {relaxation_bound} in {seconds:.3} s; integer program over {open} of the arrival columns"
        ),
        SolverEvent::Balance {
            moves_before,
            moves_after_transfers,
            moves_after,
            balanced,
            seconds,
        } => format!(
            "balance step: {moves_before} reassignments, {moves_after_transfers} after transfers to lighter colleagues, {moves_after} after bringing cases home and the fewest moves to the balanced loads; {} in {seconds:.3} s",
            if *balanced { "balanced" } else { "not balanced (time ran out)" }
        ),
    }
}

/// One step's result and time as a line.
pub fn step_line(step: &StepReport) -> String {
    format!(
        "step {:<12} value {:<12.6} {:<8} {:.3} s",
        format!("{:?}", step.step).to_lowercase(),
        step.value,
        if step.proven { "proven" } else { "unproven" },
        step.seconds
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules::HardRule;
    use crate::domain::StaffIdx;
    use crate::solve::conflict::RuleFact;

    fn conflict(each_needed: bool, lifted: &[LiftedAlone]) -> Conflict {
        let rules = lifted
            .iter()
            .enumerate()
            .map(|(w, lifted_alone)| RuleFact {
                rule: HardRule::MaxCases(StaffIdx::from(w)),
                origin: None,
                lifted_alone: *lifted_alone,
            })
            .collect();
        Conflict {
            rules,
            each_needed,
            budget_needed: None,
        }
    }

    #[test]
    fn the_heading_promises_only_what_lifting_each_rule_alone_showed() {
        use LiftedAlone::{Fits, StillConflicts, Unknown};
        let heading =
            |each_needed, lifted: &[LiftedAlone]| conflict_heading(&conflict(each_needed, lifted));
        assert_eq!(
            heading(true, &[Fits, Fits]),
            "These rules conflict (without any one of them, the others can all hold):"
        );
        assert_eq!(
            heading(true, &[Fits, StillConflicts]),
            "These rules conflict (each is needed for this conflict, but other rules conflict as well: only lifting a rule marked below, every other rule kept, admits an assignment):"
        );
        assert_eq!(
            heading(true, &[StillConflicts, StillConflicts]),
            "These rules conflict (each is needed for this conflict, but other rules conflict as well: lifting any one of these alone, every other rule kept, still admits no assignment):"
        );
        assert_eq!(
            heading(true, &[Fits, Unknown]),
            "These rules conflict (each is needed for this conflict, but the set is not known to be minimal: time ran out before lifting each one alone, every other rule kept, was tried):"
        );
        assert_eq!(
            heading(false, &[Fits, Fits]),
            "These rules conflict (the search for the fewest stopped at the time limit; some may not matter):"
        );
    }

    #[test]
    fn the_budget_needed_says_whether_it_is_the_least() {
        assert_eq!(
            budget_needed_sentence(&BudgetNeeded::Suffices(12)),
            "With every other rule kept, a move budget of 12 (`--max-moves 12`) admits an assignment; time ran out before smaller budgets were ruled out."
        );
        assert_eq!(
            budget_needed_sentence(&BudgetNeeded::Least(3)),
            "With every other rule kept, the smallest move budget that admits an assignment is 3 (`--max-moves 3`)."
        );
    }
}
