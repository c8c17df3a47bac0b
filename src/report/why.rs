//! Renders the answers of `caseload explain`: for one case, where it goes and why not each other
//! worker; for one worker, what they lose and gain. Text for a supervisor, JSON for programs.

use serde_json::{json, Value};

use crate::domain::rules::Barrier;
use crate::domain::{CaseIdx, Scenario, StaffIdx};
use crate::explain::moves::MoveExplanation;
use crate::explain::why_not::{Verdict, WorkerVerdict};
use crate::explain::Explanation;
use crate::input::provenance::Provenance;
use crate::report::balance::{band_words, staff_balance_json, staff_balance_lines};
use crate::report::document::json_document;
use crate::report::proposal::{move_kind, why_move};
use crate::report::style::TextStyle;
use crate::report::{percent, percents_apart, points, points_of, skill_list, staff_id, MAX_COLUMN};

/// A rule that keeps a worker from a case, as a phrase, e.g. "lacks `spanish`".
pub fn barrier_phrase(scenario: &Scenario, barrier: &Barrier) -> String {
    match barrier {
        Barrier::OnLeave => "on leave".to_string(),
        Barrier::Lacks(missing) => format!("lacks {}", skill_list(missing)),
        Barrier::Avoided => "on the case's avoid list".to_string(),
        Barrier::PinnedElsewhere(w) => format!("the case is pinned to {}", staff_id(scenario, *w)),
        Barrier::FamilyBlocked {
            family,
            blocking_case,
        } => format!(
            "family `{}` stays together and this worker cannot hold its case `{}`",
            scenario.families[*family].id, scenario.cases[*blocking_case].id
        ),
        Barrier::AtMaxCases {
            cases_after,
            joining: 1,
            max_cases,
        } => format!("at max_cases ({cases_after} of {max_cases} after the proposal)"),
        Barrier::AtMaxCases {
            cases_after,
            joining,
            max_cases,
        } => format!(
            "at max_cases: {cases_after} of {max_cases} after the proposal, and the {joining} cases that move together would make {}",
            cases_after + joining
        ),
    }
}

/// The verdict as a phrase, e.g. "lacks `spanish`" or "would rise to 107%, above the proposal's
/// max of 98%".
pub fn verdict_phrase(scenario: &Scenario, verdict: &Verdict) -> String {
    let band = || band_words(scenario.policy.balance_band);
    match verdict {
        Verdict::Holds => "holds the case after the proposal".to_string(),
        Verdict::Barred(barrier) => barrier_phrase(scenario, barrier),
        Verdict::AboveMax {
            utilization_if,
            max_after,
        } => {
            let (rise, max) = percents_apart(*utilization_if, *max_after);
            format!("would rise to {rise}, above the proposal's max of {max}")
        }
        Verdict::ExtraMove {
            utilization_if,
            holder_after,
            reassignments,
        } => {
            let cost = format!(
                "would cost {reassignments} reassignment{}",
                if *reassignments == 1 { "" } else { "s" }
            );
            if utilization_if >= holder_after {
                format!(
                    "{cost} and reach {}, at or above the holder's {}",
                    percent(*utilization_if),
                    percent(*holder_after)
                )
            } else {
                format!(
                    "{cost} and reach {}, no more than {} below the holder's {}",
                    percent(*utilization_if),
                    band(),
                    percent(*holder_after)
                )
            }
        }
        Verdict::KeptByAssign { holder } => format!(
            "assign keeps today's holders, and {} keeps this case and the cases that move with it",
            staff_id(scenario, *holder)
        ),
        Verdict::BudgetSpent {
            utilization_if,
            needs,
            left,
        } => format!(
            "would reach {}, but that takes {needs} more discretionary reassignment{} and the move budget has {left} left (max_moves = {})",
            percent(*utilization_if),
            if *needs == 1 { "" } else { "s" },
            scenario.policy.max_moves
        ),
        Verdict::RaisesOverload { utilization_if } => format!(
            "would reach {}, and the move would raise the team's overload",
            percent(*utilization_if)
        ),
        Verdict::Unbalanced {
            utilization_if,
            holder_after,
        } => format!(
            "would reach {}, more than {} below the holder's {}: the balance step ran out of time before this move",
            percent(*utilization_if),
            band(),
            percent(*holder_after)
        ),
        Verdict::HigherThanChosen {
            utilization_if,
            chosen_after,
        } => {
            let (here, chosen) = percents_apart(*utilization_if, *chosen_after);
            format!("would reach {here}, above the {chosen} of the worker chosen")
        }
        Verdict::AsGood { utilization_if } => format!(
            "as good a choice (would reach {}); the proposal chose another at no cost in equity",
            percent(*utilization_if)
        ),
        Verdict::MoreMoves {
            utilization_if,
            extra,
        } => format!(
            "would reach {}, no higher than the worker chosen, but costs {extra} more reassignment{}",
            percent(*utilization_if),
            if *extra == 1 { "" } else { "s" }
        ),
    }
}

fn verdict_kind(verdict: &Verdict) -> &'static str {
    match verdict {
        Verdict::Holds => "holds",
        Verdict::Barred(Barrier::OnLeave) => "on_leave",
        Verdict::Barred(Barrier::Lacks(_)) => "lacks_skill",
        Verdict::Barred(Barrier::Avoided) => "avoided",
        Verdict::Barred(Barrier::PinnedElsewhere(_)) => "pinned_elsewhere",
        Verdict::Barred(Barrier::FamilyBlocked { .. }) => "family",
        Verdict::Barred(Barrier::AtMaxCases { .. }) => "max_cases",
        Verdict::AboveMax { .. } => "above_max",
        Verdict::ExtraMove { .. } => "extra_move",
        Verdict::KeptByAssign { .. } => "kept_by_assign",
        Verdict::BudgetSpent { .. } => "budget_spent",
        Verdict::RaisesOverload { .. } => "raises_overload",
        Verdict::Unbalanced { .. } => "unbalanced",
        Verdict::HigherThanChosen { .. } => "higher_than_chosen",
        Verdict::AsGood { .. } => "as_good",
        Verdict::MoreMoves { .. } => "more_moves",
    }
}

/// The one-line account of where the case goes.
fn case_headline(explanation: &Explanation<'_>, case: CaseIdx) -> String {
    let scenario = explanation.scenario;
    let c = &scenario.cases[case];
    let holder = c.assigned.map(|w| staff_id(scenario, w));
    let after = explanation.proposal.holder_after[case].map(|w| staff_id(scenario, w));
    let family = explanation.moves_together(case);
    let weight = if family.cases.len() > 1 {
        format!(
            "{}; family `{}`, {} with its {} cases, moves as one",
            points_of(c.weight),
            c.family.as_deref().unwrap_or_default(),
            points_of(family.weight),
            family.cases.len()
        )
    } else {
        points_of(c.weight)
    };
    let what = match (holder, after) {
        (Some(h), Some(a)) if h == a => format!("held by {h}; stays with {h}"),
        (Some(h), Some(a)) => format!("held by {h}; moves to {a}"),
        (None, Some(a)) => format!("new intake; placed with {a}"),
        (_, None) => "cannot be placed".to_string(),
    };
    format!("{} ({weight}): {what}.", c.id)
}

/// `caseload explain --case C [--why-not W]` for people, in colour and wrapped as `style`
/// says.
pub fn case_text(
    explanation: &Explanation<'_>,
    case: CaseIdx,
    verdicts: &[WorkerVerdict],
    only: Option<StaffIdx>,
    style: &TextStyle,
) -> String {
    let scenario = explanation.scenario;
    let mut out = String::new();
    style.push_line(&mut out, "", 2, &case_headline(explanation, case));
    if let Some(m) = explanation.moves.iter().find(|m| m.case == case) {
        let why = format!("{} {}.", style.heading("Why:"), why_move(scenario, m));
        style.push_line(&mut out, "", 2, &why);
    }
    let shown: Vec<&WorkerVerdict> = verdicts
        .iter()
        .filter(|v| only.is_none_or(|w| v.worker == w))
        .filter(|v| only.is_some() || v.verdict != Verdict::Holds)
        .collect();
    if only.is_none() {
        out.push_str(&style.heading("Why not the others:"));
        out.push('\n');
    }
    let width = shown
        .iter()
        .map(|v| staff_id(scenario, v.worker).chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMN);
    for v in shown {
        let line = format!(
            "{:<width$}  {}",
            staff_id(scenario, v.worker),
            verdict_phrase(scenario, &v.verdict)
        );
        style.push_line(&mut out, "  ", width + 4, &line);
    }
    out
}

/// `caseload explain --case C [--why-not W]` for programs.
pub fn case_json(
    explanation: &Explanation<'_>,
    case: CaseIdx,
    verdicts: &[WorkerVerdict],
    only: Option<StaffIdx>,
    provenance: &Provenance,
) -> String {
    let scenario = explanation.scenario;
    let c = &scenario.cases[case];
    let workers: Vec<Value> = verdicts
        .iter()
        .filter(|v| only.is_none_or(|w| v.worker == w))
        .map(|v| {
            let mut entry = json!({
                "worker": staff_id(scenario, v.worker),
                "verdict": verdict_kind(&v.verdict),
                "why": verdict_phrase(scenario, &v.verdict),
            });
            let numbers = match &v.verdict {
                Verdict::AboveMax {
                    utilization_if,
                    max_after,
                } => json!({"utilization_if": utilization_if, "max_utilization_after": max_after}),
                Verdict::HigherThanChosen {
                    utilization_if,
                    chosen_after,
                } => json!({"utilization_if": utilization_if, "chosen_utilization_after": chosen_after}),
                Verdict::ExtraMove {
                    utilization_if,
                    holder_after,
                    reassignments,
                } => json!({"utilization_if": utilization_if, "holder_utilization_after": holder_after, "reassignments": reassignments}),
                Verdict::BudgetSpent {
                    utilization_if,
                    needs,
                    left,
                } => json!({"utilization_if": utilization_if, "discretionary_needed": needs, "budget_left": left}),
                Verdict::Unbalanced {
                    utilization_if,
                    holder_after,
                } => json!({"utilization_if": utilization_if, "holder_utilization_after": holder_after}),
                Verdict::MoreMoves {
                    utilization_if,
                    extra,
                } => json!({"utilization_if": utilization_if, "extra_reassignments": extra}),
                Verdict::KeptByAssign { holder } => json!({"holder": staff_id(scenario, *holder)}),
                Verdict::AsGood { utilization_if } | Verdict::RaisesOverload { utilization_if } => {
                    json!({"utilization_if": utilization_if})
                }
                Verdict::Barred(Barrier::AtMaxCases {
                    cases_after,
                    joining,
                    max_cases,
                }) => json!({"cases_after": cases_after, "joining": joining, "max_cases": max_cases}),
                Verdict::Barred(Barrier::Lacks(missing)) => json!({"missing": missing}),
                _ => Value::Null,
            };
            if !numbers.is_null() {
                entry["figures"] = numbers;
            }
            entry
        })
        .collect();
    let moved = explanation.moves.iter().find(|m| m.case == case);
    let value = json!({
        "case": c.id,
        "weight": c.weight,
        "holder_before": c.assigned.map(|w| staff_id(scenario, w)),
        "holder_after": explanation.proposal.holder_after[case].map(|w| staff_id(scenario, w)),
        "move": moved.map(|m| json!({"kind": move_kind(m), "why": why_move(scenario, m)})),
        "workers": workers,
    });
    json_document(provenance, &value)
}

/// `caseload explain --staff W` for people: what the worker loses and gains, and why; in colour
/// and wrapped as `style` says.
pub fn staff_text(explanation: &Explanation<'_>, worker: StaffIdx, style: &TextStyle) -> String {
    let scenario = explanation.scenario;
    let f = &explanation.figures.workers[worker];
    let mut out = String::new();
    let headline = format!(
        "{}: {} → {} ({} → {} points, {} → {} cases).",
        crate::report::staff_label(scenario, worker),
        percent(f.utilization_before()),
        percent(f.utilization_after()),
        points(f.load_before),
        points(f.load_after),
        f.cases_before,
        f.cases_after
    );
    style.push_line(&mut out, "", 2, &headline);
    let losing: Vec<&MoveExplanation> = explanation
        .moves
        .iter()
        .filter(|m| m.from == Some(worker))
        .collect();
    let gaining: Vec<&MoveExplanation> = explanation
        .moves
        .iter()
        .filter(|m| m.to == worker)
        .collect();
    if losing.is_empty() && gaining.is_empty() {
        out.push_str("No case moves to or from this worker.\n");
    }
    for (title, list) in [("Loses", losing), ("Gains", gaining)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(&style.heading(format!("{title} {}:", list.len())));
        out.push('\n');
        for m in list {
            let line = format!(
                "{} ({}): {}",
                scenario.cases[m.case].id,
                points_of(scenario.cases[m.case].weight),
                why_move(scenario, m)
            );
            style.push_line(&mut out, "  ", 4, &line);
        }
    }
    if let Some(balance) = &explanation.balance {
        for line in staff_balance_lines(scenario, balance, worker, scenario.policy.max_moves) {
            style.push_sentence(&mut out, &line);
        }
    }
    out
}

/// `caseload explain --staff W` for programs.
pub fn staff_json(
    explanation: &Explanation<'_>,
    worker: StaffIdx,
    provenance: &Provenance,
) -> String {
    let scenario = explanation.scenario;
    let f = &explanation.figures.workers[worker];
    let entry = |m: &MoveExplanation| {
        json!({
            "case": scenario.cases[m.case].id,
            "weight": scenario.cases[m.case].weight,
            "kind": move_kind(m),
            "why": why_move(scenario, m),
        })
    };
    let value = json!({
        "worker": staff_id(scenario, worker),
        "name": scenario.staff[worker].name,
        "utilization_before": f.utilization_before(),
        "utilization_after": f.utilization_after(),
        "load_before": f.load_before,
        "load_after": f.load_after,
        "cases_before": f.cases_before,
        "cases_after": f.cases_after,
        "loses": explanation.moves.iter().filter(|m| m.from == Some(worker)).map(entry).collect::<Vec<_>>(),
        "gains": explanation.moves.iter().filter(|m| m.to == worker).map(entry).collect::<Vec<_>>(),
        "balance": explanation.balance.as_ref().map(|b| staff_balance_json(scenario, b, worker)),
    });
    json_document(provenance, &value)
}
