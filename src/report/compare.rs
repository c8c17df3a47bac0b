//! Side-by-side tables of many proposals (`compare`, `whatif`), and the trade-off curve.

use std::fmt::Write as _;

use crate::input::provenance::Provenance;
use crate::plan::budget::BudgetPoint;
use crate::plan::compare::{RunSummary, Tradeoff};
use crate::report::document::json_document;
use crate::report::{percent, points, spreadsheet_safe, MAX_COLUMN};

/// A row of the comparison: its label and how to render a run's cell.
pub(crate) type Row = (&'static str, Box<dyn Fn(&RunSummary) -> String>);

/// The rows of a comparison, a measure each, as every side-by-side table shows them (text and
/// HTML).
pub(crate) fn compare_rows() -> Vec<Row> {
    vec![
        ("status", Box::new(|r| r.status.name().to_string())),
        ("workers", Box::new(|r| r.workers.to_string())),
        ("FTE", Box::new(|r| points(r.fte))),
        ("capacity", Box::new(|r| points(r.capacity))),
        ("total weight", Box::new(|r| points(r.total_weight))),
        (
            "max utilization",
            Box::new(|r| {
                format!(
                    "{} → {}",
                    percent(r.max_utilization_before),
                    percent(r.max_utilization_after)
                )
            }),
        ),
        (
            "spread",
            Box::new(|r| format!("{} → {}", percent(r.spread_before), percent(r.spread_after))),
        ),
        (
            "overload",
            Box::new(|r| {
                format!(
                    "{} → {}",
                    points(r.overload_before),
                    points(r.overload_after)
                )
            }),
        ),
        ("moves", Box::new(|r| r.moves.to_string())),
        ("unplaced", Box::new(|r| r.unplaced.to_string())),
        ("over target", Box::new(|r| r.over_target.to_string())),
    ]
}

/// The comparison as a table for people: one column per scenario, one row per measure.
pub fn compare_text(runs: &[RunSummary]) -> String {
    let rows = compare_rows();
    let label_width = rows
        .iter()
        .map(|(l, _)| l.len())
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMN);
    let cells: Vec<Vec<String>> = runs
        .iter()
        .map(|r| rows.iter().map(|(_, f)| f(r)).collect())
        .collect();
    let widths: Vec<usize> = runs
        .iter()
        .zip(&cells)
        .map(|(_, c)| {
            c.iter()
                .map(|s| s.chars().count())
                .chain([format!("[{}]", runs.len()).len()])
                .max()
                .unwrap_or(0)
                .min(MAX_COLUMN)
        })
        .collect();
    let mut out = String::new();
    for (i, r) in runs.iter().enumerate() {
        let _ = writeln!(out, "[{}] {}", i + 1, r.scenario);
    }
    let _ = write!(out, "\n{:label_width$}", "");
    for (i, _) in runs.iter().enumerate() {
        let _ = write!(
            out,
            "  {:>w$}",
            format!("[{}]", i + 1),
            w = widths[i].max(4)
        );
    }
    out.push('\n');
    for (row, (label, _)) in rows.iter().enumerate() {
        let _ = write!(out, "{label:label_width$}");
        for (i, c) in cells.iter().enumerate() {
            let _ = write!(out, "  {:>w$}", c[row], w = widths[i].max(4));
        }
        out.push('\n');
    }
    out
}

/// The comparison as JSON, after the `provenance` of the inputs: `scenarios`, one summary per
/// scenario, in input order.
pub fn compare_json(runs: &[RunSummary], provenance: &Provenance) -> String {
    json_document(provenance, &serde_json::json!({ "scenarios": runs }))
}

/// The comparison as CSV: one row per scenario.
pub fn compare_csv(runs: &[RunSummary]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "scenario",
        "status",
        "workers",
        "fte",
        "capacity",
        "total_weight",
        "max_utilization_before",
        "max_utilization_after",
        "spread_before",
        "spread_after",
        "overload_before",
        "overload_after",
        "moves",
        "unplaced",
        "over_target",
    ]);
    for r in runs {
        let _ = writer.write_record([
            spreadsheet_safe(&r.scenario),
            r.status.name().to_string(),
            r.workers.to_string(),
            r.fte.to_string(),
            r.capacity.to_string(),
            r.total_weight.to_string(),
            r.max_utilization_before.to_string(),
            r.max_utilization_after.to_string(),
            r.spread_before.to_string(),
            r.spread_after.to_string(),
            r.overload_before.to_string(),
            r.overload_after.to_string(),
            r.moves.to_string(),
            r.unplaced.to_string(),
            r.over_target.to_string(),
        ]);
    }
    String::from_utf8(writer.into_inner().expect("in memory")).expect("UTF-8 fields")
}

/// The trade-off curve for people: each budget with what it buys over the one before.
pub fn tradeoff_text(scenario: &str, tradeoff: &Tradeoff, reached_best: bool) -> String {
    let curve = &tradeoff.curve;
    let mut out = format!(
        "{scenario} — equity against continuity\n\n  budget  max utilization  overload  moves  gain\n"
    );
    let mut previous: Option<&BudgetPoint> = None;
    for p in curve {
        let util = p
            .max_utilization
            .map(percent)
            .unwrap_or_else(|| "none".into());
        let overload = p.overload.map(points).unwrap_or_else(|| "-".into());
        let moves = p.moves.map(|m| m.to_string()).unwrap_or_else(|| "-".into());
        let gain = match (previous.and_then(|q| q.max_utilization), p.max_utilization) {
            (Some(a), Some(b)) if a - b > 1e-9 => format!("-{:.1} points", 100.0 * (a - b)),
            (Some(_), Some(_)) => "none".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {:>6}  {:>15}  {:>8}  {:>5}  {gain}",
            p.max_moves, util, overload, moves
        );
        previous = Some(p);
    }
    for sentence in tradeoff_sentences(tradeoff, reached_best) {
        let _ = writeln!(out, "\n{sentence}");
    }
    out
}

/// What the curve shows from its first budget to its last, and whether the time limit cut it
/// short; `reached_best` when the curve went on until no budget did better.
pub(crate) fn tradeoff_sentences(tradeoff: &Tradeoff, reached_best: bool) -> Vec<String> {
    let curve = &tradeoff.curve;
    let reached_best = reached_best && !tradeoff.cut_short;
    let mut sentences = Vec::new();
    if let (Some(first), Some(last)) = (curve.first(), curve.last()) {
        if let (Some(a), Some(b)) = (first.max_utilization, last.max_utilization) {
            sentences.push(tradeoff_summary(first, last, a, b, reached_best));
        }
    }
    if tradeoff.cut_short {
        sentences.push("The time limit stopped the curve before every budget was solved; the budgets missing from the table were not tried, and a longer --time-limit tries them.".to_string());
    }
    sentences
}

/// What the curve shows from its first budget to its last, in one sentence.
fn tradeoff_summary(
    first: &BudgetPoint,
    last: &BudgetPoint,
    from: f64,
    to: f64,
    reached_best: bool,
) -> String {
    let (k0, k1) = (first.max_moves, last.max_moves);
    if reached_best && k1 == 0 {
        return format!(
            "Moves buy no equity here: with no discretionary moves max utilization is already {}, and no budget does better.",
            percent(to)
        );
    }
    let change = if percent(from) == percent(to) {
        if k0 == k1 {
            format!(
                "With {k0} discretionary moves, max utilization is {}",
                percent(from)
            )
        } else {
            format!(
                "From {k0} to {k1} discretionary moves, max utilization stays at {}",
                percent(from)
            )
        }
    } else {
        format!(
            "From {k0} to {k1} discretionary moves, max utilization falls from {} to {}",
            percent(from),
            percent(to)
        )
    };
    if reached_best {
        format!("{change}; no budget does better than {k1} moves.")
    } else {
        format!("{change}.")
    }
}

/// The trade-off curve as JSON, after the `provenance` of the inputs.
pub fn tradeoff_json(scenario: &str, tradeoff: &Tradeoff, provenance: &Provenance) -> String {
    let body = serde_json::json!({
        "scenario": scenario,
        "curve": tradeoff.curve,
        "cut_short_by_time_limit": tradeoff.cut_short,
    });
    json_document(provenance, &body)
}
