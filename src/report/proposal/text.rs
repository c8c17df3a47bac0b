//! The proposal for a supervisor at a terminal: a status line, the figures before and after, one
//! row per worker, what binds, what other budgets would give, each move with its reason, and the
//! cases no one may hold.

use std::fmt::Write as _;

use crate::explain::Explanation;
use crate::report::balance::balance_lines;
use crate::report::binding::{budget_sentence, shortfall_sentences};
use crate::report::outcome::{conflict_lines, no_proposal_reason};
use crate::report::proposal::sentences::{equity_why, overload_cause, status_word, why_move};
use crate::report::style::{columns, load_style, TextStyle};
use crate::report::{bar, percent, points, points_of, staff_id, staff_label, MAX_COLUMN};
use crate::solve::model::Mode;

/// The proposal for a supervisor at a terminal, as plain text (see [`proposal_text_styled`]).
pub fn proposal_text(explanation: &Explanation<'_>) -> String {
    proposal_text_styled(explanation, &TextStyle::PLAIN)
}

/// The proposal for a supervisor at a terminal, in colour and wrapped as `style` says.
pub fn proposal_text_styled(explanation: &Explanation<'_>, style: &TextStyle) -> String {
    let Explanation {
        scenario, proposal, ..
    } = explanation;
    let mut out = String::new();
    let mode = match proposal.mode {
        Mode::Rebalance => "rebalance",
        Mode::Assign => "assign",
    };
    let status = style.status(proposal.status(), status_word(proposal.status()));
    style.push_line(
        &mut out,
        "",
        2,
        &format!("{} — {mode}: {status}", scenario.name),
    );
    if let Some(reason) = no_proposal_reason(scenario, proposal.mode, &proposal.outcome) {
        write_no_proposal(&mut out, explanation, &reason, style);
        write_binding(&mut out, explanation, style);
        return out;
    }
    write_figures(&mut out, explanation, style);
    write_workers(&mut out, explanation, style);
    write_binding(&mut out, explanation, style);
    write_balance(&mut out, explanation, style);
    write_budget_curve(&mut out, explanation, style);
    write_moves(&mut out, explanation, style);
    write_unassigned(&mut out, explanation, style);
    out
}

/// Why there is no proposal, and the rules that conflict when the search named them.
fn write_no_proposal(
    out: &mut String,
    explanation: &Explanation<'_>,
    reason: &str,
    style: &TextStyle,
) {
    style.push_line(out, "", 2, &format!("No proposal: {reason}."));
    let Some(conflict) = explanation.proposal.outcome.conflict() else {
        return;
    };
    let _ = writeln!(out);
    for (i, line) in conflict_lines(explanation.scenario, conflict)
        .iter()
        .enumerate()
    {
        match i {
            0 => style.push_line(out, "", 2, &style.heading(line)),
            _ => style.push_sentence(out, line),
        }
    }
}

/// The team's figures before and after, and why overload remains, when it does.
fn write_figures(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
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
    let figures = format!(
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
    style.push_line(out, "", 2, &figures);
    if let Some(cause) = explanation.overload_cause() {
        let remain = format!(
            "{} above target remain: {}.",
            points_of(f.overload_after),
            overload_cause(&cause)
        );
        style.push_line(out, "", 2, &remain);
    }
}

/// One row per worker: capacity, load, cases and utilization before and after, and a bar of
/// the utilization after. A row never wraps: a table wider than the style's width leaves out
/// the bars, then names the workers by id alone.
fn write_workers(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
    let scenario = explanation.scenario;
    let labels: Vec<String> = scenario
        .staff
        .indices()
        .map(|w| staff_label(scenario, w))
        .collect();
    let ids: Vec<String> = scenario
        .staff
        .indices()
        .map(|w| staff_id(scenario, w).to_string())
        .collect();
    let fits = |rows: &[String]| {
        style
            .width
            .is_none_or(|width| rows.iter().all(|row| columns(row) <= width))
    };
    let mut rows = Vec::new();
    for (names, bars) in [(&labels, true), (&labels, false), (&ids, false)] {
        rows = worker_rows(explanation, names, bars, style);
        if fits(&rows) {
            break;
        }
    }
    out.push('\n');
    for row in rows {
        let _ = writeln!(out, "{row}");
    }
}

/// The header and the rows of the workers' table, naming each worker by `names`, with or
/// without bars; utilization over target in colour.
fn worker_rows(
    explanation: &Explanation<'_>,
    names: &[String],
    bars: bool,
    style: &TextStyle,
) -> Vec<String> {
    let scenario = explanation.scenario;
    let target = scenario.policy.target_utilization;
    let width = names
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, MAX_COLUMN);
    let mut rows = vec![format!(
        "  {:<width$}  {:>5}  {:>15}  {:>9}  {:>13}",
        "worker", "cap", "load", "cases", "utilization"
    )];
    for w in explanation.figures.workers.iter() {
        let utilization = |load: f64, utilization: f64| {
            let cell = format!("{:>5}", percent(utilization));
            style.paint(load_style(load, w.capacity, target), cell)
        };
        let bar = if bars {
            format!("  {}", bar(w.utilization_after(), 20))
        } else {
            String::new()
        };
        rows.push(format!(
            "  {:<width$}  {:>5}  {:>6} → {:>6}  {:>3} → {:>3}  {} → {}{bar}{}",
            names[w.worker.index()],
            points(w.capacity),
            points(w.load_before),
            points(w.load_after),
            w.cases_before,
            w.cases_after,
            utilization(w.load_before, w.utilization_before()),
            utilization(w.load_after, w.utilization_after()),
            if scenario.staff[w.worker].available {
                ""
            } else {
                "  on leave"
            }
        ));
    }
    rows
}

/// The "What binds" section: the densest group, then groups short of room at target.
fn write_binding(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
    let Some(group) = &explanation.binding.equity else {
        return;
    };
    let _ = writeln!(out, "\n{}", style.heading("What binds:"));
    let equity = equity_why(explanation, group);
    style.push_line(out, "  ", 4, &equity);
    for sentence in shortfall_sentences(explanation.scenario, &explanation.binding.overload) {
        style.push_line(out, "  ", 4, &sentence);
    }
}

/// The "Balance" section: the balance statement, and why each worker left more than the band
/// below a busier colleague is.
fn write_balance(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
    let Some(balance) = &explanation.balance else {
        return;
    };
    let _ = writeln!(out, "\n{}", style.heading("Balance:"));
    let scenario = explanation.scenario;
    for line in balance_lines(scenario, balance, scenario.policy.max_moves) {
        style.push_sentence(out, &format!("  {line}"));
    }
}

/// The "Move budget" section, when other budgets were solved.
fn write_budget_curve(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
    let Some(current) = explanation.budget_point() else {
        return;
    };
    if explanation.budget_curve.is_empty() {
        return;
    }
    let heading = format!(
        "Move budget ({} discretionary, {} used):",
        current.max_moves,
        current.discretionary_moves.unwrap_or(0)
    );
    let _ = writeln!(out, "\n{}", style.heading(heading));
    for point in &explanation.budget_curve {
        let sentence = budget_sentence(current.max_moves, &current, point);
        style.push_line(out, "  ", 4, &sentence);
    }
}

/// Each case that changes holder, with why; a reason that wraps goes on under the workers.
fn write_moves(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
    let Explanation {
        scenario, moves, ..
    } = explanation;
    if moves.is_empty() {
        return;
    }
    let intake = moves.iter().filter(|m| m.from.is_none()).count();
    let reassigned = moves.len() - intake;
    let heading = format!(
        "Moves ({reassigned} reassignment{}, {intake} intake placement{}):",
        if reassigned == 1 { "" } else { "s" },
        if intake == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "\n{}", style.heading(heading));
    let case_width = moves
        .iter()
        .map(|m| scenario.cases[m.case].id.chars().count())
        .max()
        .unwrap_or(4)
        .min(MAX_COLUMN);
    for m in moves.iter() {
        let from = m.from.map(|w| staff_id(scenario, w)).unwrap_or("intake");
        let line = format!(
            "{:<case_width$}  {from} → {}: {}",
            scenario.cases[m.case].id,
            staff_id(scenario, m.to),
            why_move(scenario, m)
        );
        style.push_line(out, "  ", case_width + 4, &line);
    }
}

/// The cases no worker may hold, with why.
fn write_unassigned(out: &mut String, explanation: &Explanation<'_>, style: &TextStyle) {
    let Explanation {
        scenario,
        proposal,
        figures: f,
        ..
    } = explanation;
    if proposal.unplaced.is_empty() {
        return;
    }
    let heading = format!(
        "Unassigned ({} case{}):",
        f.unplaced,
        if f.unplaced == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "\n{}", style.heading(heading));
    for u in &proposal.unplaced {
        let ids: Vec<&str> = u
            .cases
            .iter()
            .map(|c| scenario.cases[*c].id.as_str())
            .collect();
        let line = format!("{}: {}", ids.join(", "), u.reason.sentence(scenario));
        style.push_line(out, "  ", 4, &line);
    }
}
