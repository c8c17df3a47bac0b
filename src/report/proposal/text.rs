//! The proposal for a supervisor at a terminal: a status line, the figures before and after, one
//! row per worker, what binds, what other budgets would give, each move with its reason, and the
//! cases no one may hold.

use std::fmt::Write as _;

use crate::explain::Explanation;
use crate::report::balance::balance_lines;
use crate::report::binding::{budget_sentence, shortfall_sentences};
use crate::report::outcome::{conflict_lines, no_proposal_reason};
use crate::report::proposal::sentences::{equity_why, overload_cause, status_word, why_move};
use crate::report::{bar, percent, points, points_of, staff_id, staff_label, MAX_COLUMN};
use crate::solve::model::Mode;

/// The proposal for a supervisor at a terminal.
pub fn proposal_text(explanation: &Explanation<'_>) -> String {
    let Explanation {
        scenario, proposal, ..
    } = explanation;
    let mut out = String::new();
    let mode = match proposal.mode {
        Mode::Rebalance => "rebalance",
        Mode::Assign => "assign",
    };
    let _ = writeln!(
        out,
        "{} — {mode}: {}",
        scenario.name,
        status_word(proposal.status())
    );
    if let Some(reason) = no_proposal_reason(scenario, proposal.mode, &proposal.outcome) {
        write_no_proposal(&mut out, explanation, &reason);
        write_binding(&mut out, explanation);
        return out;
    }
    write_figures(&mut out, explanation);
    write_workers(&mut out, explanation);
    write_binding(&mut out, explanation);
    write_balance(&mut out, explanation);
    write_budget_curve(&mut out, explanation);
    write_moves(&mut out, explanation);
    write_unassigned(&mut out, explanation);
    out
}

/// Why there is no proposal, and the rules that conflict when the search named them.
fn write_no_proposal(out: &mut String, explanation: &Explanation<'_>, reason: &str) {
    let _ = writeln!(out, "No proposal: {reason}.");
    let Some(conflict) = explanation.proposal.outcome.conflict() else {
        return;
    };
    let _ = writeln!(out);
    for line in conflict_lines(explanation.scenario, conflict) {
        let _ = writeln!(out, "{line}");
    }
}

/// The team's figures before and after, and why overload remains, when it does.
fn write_figures(out: &mut String, explanation: &Explanation<'_>) {
    let Explanation {
        proposal,
        figures: f,
        ..
    } = explanation;
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
    if let Some(cause) = explanation.overload_cause() {
        let _ = writeln!(
            out,
            "{} above target remain: {}.",
            points_of(f.overload_after),
            overload_cause(&cause)
        );
    }
}

/// One row per worker: capacity, load, cases and utilization before and after.
fn write_workers(out: &mut String, explanation: &Explanation<'_>) {
    let scenario = explanation.scenario;
    let labels: Vec<String> = scenario
        .staff
        .indices()
        .map(|w| staff_label(scenario, w))
        .collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, MAX_COLUMN);
    let _ = writeln!(
        out,
        "\n  {:<width$}  {:>5}  {:>15}  {:>9}  {:>13}",
        "worker", "cap", "load", "cases", "utilization"
    );
    for w in explanation.figures.workers.iter() {
        let staff = &scenario.staff[w.worker];
        let _ = writeln!(
            out,
            "  {:<width$}  {:>5}  {:>6} → {:>6}  {:>3} → {:>3}  {:>5} → {:>5}  {}{}",
            labels[w.worker.index()],
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
}

/// The "What binds" section: the densest group, then groups short of room at target.
fn write_binding(out: &mut String, explanation: &Explanation<'_>) {
    let Some(group) = &explanation.binding.equity else {
        return;
    };
    let _ = writeln!(out, "\nWhat binds:");
    let equity = equity_why(explanation, group);
    let _ = writeln!(out, "  {equity}");
    for sentence in shortfall_sentences(explanation.scenario, &explanation.binding.overload) {
        let _ = writeln!(out, "  {sentence}");
    }
}

/// The "Balance" section: the balance statement, and why each worker left more than the band
/// below a busier colleague is.
fn write_balance(out: &mut String, explanation: &Explanation<'_>) {
    let Some(balance) = &explanation.balance else {
        return;
    };
    let _ = writeln!(out, "\nBalance:");
    let scenario = explanation.scenario;
    for line in balance_lines(scenario, balance, scenario.policy.max_moves) {
        let _ = writeln!(out, "  {line}");
    }
}

/// The "Move budget" section, when other budgets were solved.
fn write_budget_curve(out: &mut String, explanation: &Explanation<'_>) {
    let Some(current) = explanation.budget_point() else {
        return;
    };
    if explanation.budget_curve.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nMove budget ({} discretionary, {} used):",
        current.max_moves,
        current.discretionary_moves.unwrap_or(0)
    );
    for point in &explanation.budget_curve {
        let _ = writeln!(
            out,
            "  {}",
            budget_sentence(current.max_moves, &current, point)
        );
    }
}

/// Each case that changes holder, with why.
fn write_moves(out: &mut String, explanation: &Explanation<'_>) {
    let Explanation {
        scenario, moves, ..
    } = explanation;
    if moves.is_empty() {
        return;
    }
    let intake = moves.iter().filter(|m| m.from.is_none()).count();
    let reassigned = moves.len() - intake;
    let _ = writeln!(
        out,
        "\nMoves ({reassigned} reassignment{}, {intake} intake placement{}):",
        if reassigned == 1 { "" } else { "s" },
        if intake == 1 { "" } else { "s" }
    );
    let case_width = moves
        .iter()
        .map(|m| scenario.cases[m.case].id.chars().count())
        .max()
        .unwrap_or(4)
        .min(MAX_COLUMN);
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

/// The cases no worker may hold, with why.
fn write_unassigned(out: &mut String, explanation: &Explanation<'_>) {
    let Explanation {
        scenario,
        proposal,
        figures: f,
        ..
    } = explanation;
    if proposal.unplaced.is_empty() {
        return;
    }
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
        let _ = writeln!(out, "  {}: {}", ids.join(", "), u.reason.sentence(scenario));
    }
}
