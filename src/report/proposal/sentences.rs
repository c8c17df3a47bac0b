//! The sentences of a proposal report: the status, why each case moves, why overload remains and
//! why max utilization is above what binds. Each words facts of the explanation and computes
//! nothing.

use crate::domain::rules::Barrier;
use crate::domain::Scenario;
use crate::explain::binding::Group;
use crate::explain::held_back::{EquityGap, GapHeldBy, OverloadCause, OverloadHeldBy};
use crate::explain::moves::{Cause, MoveExplanation};
use crate::explain::Explanation;
use crate::report::binding::{equity_sentence, one_more_sentence};
use crate::report::{and_list, percent, points, skill_list, staff_id};
use crate::solve::Status;

/// The proposal's status for a supervisor.
pub(crate) fn status_word(status: Status) -> &'static str {
    match status {
        Status::Optimal => "optimal",
        Status::Feasible => {
            "feasible (every hard rule holds; not every objective step is proven optimal)"
        }
        Status::Infeasible => "infeasible",
        Status::Unknown => "unknown (time limit reached before any proposal was found)",
    }
}

fn utilization_change(before: f64, after: f64) -> String {
    format!("{} → {}", percent(before), percent(after))
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
        Cause::Required(Barrier::OnLeave) => {
            format!("{from} is on leave; moves to {destination}")
        }
        Cause::Required(Barrier::Lacks(missing)) => format!(
            "{from} lacks {}, which the case needs; moves to {destination}",
            skill_list(missing)
        ),
        Cause::Required(Barrier::FamilyBlocked { family, blocking_case }) => format!(
            "family `{}` stays together and {from} cannot hold its case `{}`; moves to {destination}",
            scenario.families[*family].id,
            scenario.cases[*blocking_case].id
        ),
        Cause::Required(Barrier::Avoided) => {
            format!("the case must avoid {from} (conflict of interest); moves to {destination}")
        }
        Cause::Required(other) => format!(
            "{from} cannot keep it ({}); moves to {destination}",
            crate::report::why::barrier_phrase(scenario, other)
        ),
        Cause::FamilyReunited { family } => {
            format!(
                "reunites family `{}` with {destination}",
                scenario.families[*family].id
            )
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
        Cause::MakesRoom {
            takes,
            may_hold,
            from_before,
            from_after,
        } => {
            let who = if *may_hold == 1 {
                format!("which only {from} may hold")
            } else {
                format!("which {may_hold} available workers may hold")
            };
            format!(
                "makes room: {from} takes `{}` instead, {who} ({from} {}); moves to {destination}",
                scenario.cases[*takes].id,
                utilization_change(*from_before, *from_after)
            )
        }
        Cause::Preference => {
            format!("moves to {destination}, whom the case prefers; equity is unchanged")
        }
    };
    if m.preferred && !matches!(m.cause, Cause::Preference) {
        sentence.push_str("; a worker the case prefers");
    }
    sentence
}

/// Why overload remains, as the end of a sentence.
pub(crate) fn overload_cause(cause: &OverloadCause) -> String {
    let OverloadCause::Partly { unavoidable, rest } = cause else {
        return "no assignment avoids them (see What binds)".to_string();
    };
    let rest = match rest {
        OverloadHeldBy::AssignKeepsHolders => {
            "assign keeps existing holders; `caseload rebalance` may move cases".to_string()
        }
        OverloadHeldBy::BudgetUsedUp { budget } => {
            format!("the move budget ({budget}) is all used; `--max-moves` allows more")
        }
        OverloadHeldBy::Rules => {
            "skills, pins, families and max_cases leave no better assignment".to_string()
        }
    };
    match unavoidable {
        Some(unavoidable) => format!(
            "{} of them no assignment avoids (see What binds); for the rest, {rest}",
            points(*unavoidable)
        ),
        None => rest,
    }
}

/// Why the proposal's max utilization is above the densest group's level, unless the two read
/// the same.
fn equity_gap(explanation: &Explanation<'_>, gap: &EquityGap) -> Option<String> {
    if percent(gap.reached) == percent(gap.level) {
        return None;
    }
    let at_max: Vec<String> = gap
        .at_max_cases
        .iter()
        .map(|w| {
            let cases = explanation.figures.workers[*w].cases_after;
            format!(
                "{} ({} case{})",
                staff_id(explanation.scenario, *w),
                cases,
                if cases == 1 { "" } else { "s" }
            )
        })
        .collect();
    let at_max_clause = (!at_max.is_empty()).then(|| {
        format!(
            "{} {} at max_cases",
            and_list(&at_max),
            if at_max.len() == 1 { "is" } else { "are" }
        )
    });
    let reason = match &gap.held_by {
        GapHeldBy::AssignKeepsHolders => {
            "assign keeps existing holders; `caseload rebalance` may move cases".to_string()
        }
        GapHeldBy::BudgetUsedUp { budget } => {
            let mut reason = format!(
                "the move budget ({budget}) is all used (`--budget-curve` shows whether more moves would help)"
            );
            if let Some(clause) = &at_max_clause {
                reason.push_str(&format!("; {clause}"));
            }
            reason
        }
        GapHeldBy::WholeCases { bound } => {
            // Name only the rules this team has: families of several cases kept together, and
            // max_cases where the proposal reaches it.
            let scenario = explanation.scenario;
            let families = scenario.policy.keep_families_together
                && scenario
                    .families
                    .iter_enumerated()
                    .any(|(_, f)| f.cases.len() > 1);
            let mut rules = vec!["cases move whole".to_string()];
            if families {
                rules.push("families stay together".to_string());
            }
            if let Some(clause) = &at_max_clause {
                rules.push(clause.clone());
            }
            format!(
                "{}, and no assignment keeping every rule does better than {}",
                and_list(&rules),
                percent(*bound)
            )
        }
        GapHeldBy::Tolerance { bound, tolerance } => format!(
            "no assignment does better than {} (a proven bound), and the policy's equity_tolerance of {} lets the proposal trade the difference for fewer reassignments",
            percent(*bound),
            tolerance
        ),
        GapHeldBy::TimeLimit { bound } => format!(
            "no assignment does better than {} (a proven bound); the time limit stopped the search above it",
            percent(*bound)
        ),
    };
    Some(format!(
        "The proposal reaches {}: {reason}.",
        percent(gap.reached)
    ))
}

/// The densest group's bound, what one more worker would do to it (in a rebalance, where any
/// case may move), and why the proposal is above it, when it is.
pub(crate) fn equity_why(explanation: &Explanation<'_>, group: &Group) -> String {
    let mut why = equity_sentence(explanation.scenario, group);
    if let Some(one_more) = explanation
        .one_more_worker()
        .and_then(|m| one_more_sentence(group, m))
    {
        why.push(' ');
        why.push_str(&one_more);
    }
    if let Some(gap) = explanation
        .equity_gap()
        .and_then(|gap| equity_gap(explanation, &gap))
    {
        why.push(' ');
        why.push_str(&gap);
    }
    why
}
