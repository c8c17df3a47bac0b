//! Side-by-side tables of many proposals (`compare`, `whatif`), and the trade-off curve: text,
//! JSON, CSV, and the curve as a workbook.

use std::fmt::Write as _;
use std::ops::Range;

use rust_xlsxwriter::{Chart, ChartType};

use crate::input::provenance::Provenance;
use crate::plan::budget::BudgetPoint;
use crate::plan::compare::{RunSummary, Tradeoff};
use crate::report::document::json_document;
use crate::report::style::{align_right, columns, status_style, utilization_style, TextStyle};
use crate::report::table::{table_csv, Cell, Table};
use crate::report::workbook::{Book, Sheet, WorkbookError};
use crate::report::{percent, points, MAX_COLUMN};

/// A row of the comparison: its label and how to render a run's cell in a style.
pub(crate) type Row = (&'static str, Box<dyn Fn(&RunSummary, &TextStyle) -> String>);

/// The measures of the comparison, a row each, as every side-by-side table shows them (text and
/// HTML); the status and the max utilization coloured.
pub(crate) fn compare_rows() -> Vec<Row> {
    vec![
        (
            "status",
            Box::new(|r, style| style.paint(status_style(r.status), r.status.name())),
        ),
        ("workers", Box::new(|r, _| r.workers.to_string())),
        ("FTE", Box::new(|r, _| points(r.fte))),
        ("capacity", Box::new(|r, _| points(r.capacity))),
        ("total weight", Box::new(|r, _| points(r.total_weight))),
        (
            "max utilization",
            Box::new(|r, style| {
                let utilization = |u: f64| style.paint(utilization_style(u, r.target), percent(u));
                format!(
                    "{} → {}",
                    utilization(r.max_utilization_before),
                    utilization(r.max_utilization_after)
                )
            }),
        ),
        (
            "spread",
            Box::new(|r, _| format!("{} → {}", percent(r.spread_before), percent(r.spread_after))),
        ),
        (
            "overload",
            Box::new(|r, _| {
                format!(
                    "{} → {}",
                    points(r.overload_before),
                    points(r.overload_after)
                )
            }),
        ),
        ("moves", Box::new(|r, _| r.moves.to_string())),
        ("unplaced", Box::new(|r, _| r.unplaced.to_string())),
        ("over target", Box::new(|r, _| r.over_target.to_string())),
    ]
}

/// The comparison as a table for people: one column per scenario, one row per measure; in
/// colour as `style` says, and cut into narrower tables, each a block of the scenarios'
/// columns, when it is wider than the style's width (a row never wraps).
pub fn compare_text(runs: &[RunSummary], style: &TextStyle) -> String {
    let rows = compare_rows();
    let label_width = rows
        .iter()
        .map(|(l, _)| l.len())
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMN);
    let cells: Vec<Vec<String>> = runs
        .iter()
        .map(|r| rows.iter().map(|(_, f)| f(r, style)).collect())
        .collect();
    let widths: Vec<usize> = cells
        .iter()
        .map(|c| {
            c.iter()
                .map(|s| columns(s))
                .chain([format!("[{}]", runs.len()).len()])
                .max()
                .unwrap_or(0)
                .clamp(4, MAX_COLUMN)
        })
        .collect();
    let mut out = String::new();
    for (i, r) in runs.iter().enumerate() {
        let number = format!("[{}]", i + 1);
        let legend = format!("{number} {}", r.scenario);
        style.push_line(&mut out, "", number.len() + 1, &legend);
    }
    for block in column_blocks(label_width, &widths, style.width) {
        let _ = write!(out, "\n{:label_width$}", "");
        for i in block.clone() {
            let _ = write!(out, "  {:>w$}", format!("[{}]", i + 1), w = widths[i]);
        }
        out.push('\n');
        for (row, (label, _)) in rows.iter().enumerate() {
            let _ = write!(out, "{label:label_width$}");
            for i in block.clone() {
                let _ = write!(out, "  {}", align_right(&cells[i][row], widths[i]));
            }
            out.push('\n');
        }
    }
    out
}

/// The scenarios' columns (of `widths`, after labels `label_width` wide) in blocks, each as
/// many as fit in `width`, at least one; all in one block without a width.
fn column_blocks(label_width: usize, widths: &[usize], width: Option<usize>) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut used = label_width;
    for (i, w) in widths.iter().enumerate() {
        if i > start && width.is_some_and(|width| used + 2 + w > width) {
            blocks.push(start..i);
            start = i;
            used = label_width;
        }
        used += 2 + w;
    }
    blocks.push(start..widths.len());
    blocks
}

/// The comparison as JSON, after the `provenance` of the inputs: `scenarios`, one summary per
/// scenario, in input order.
pub fn compare_json(runs: &[RunSummary], provenance: &Provenance) -> String {
    json_document(provenance, &serde_json::json!({ "scenarios": runs }))
}

/// The columns of the comparison table: one row per scenario.
pub const COMPARE_COLUMNS: &[&str] = &[
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
];

/// The comparison as a table: one row per scenario, in input order.
pub fn compare_table(runs: &[RunSummary]) -> Table {
    let mut table = Table::new(COMPARE_COLUMNS);
    for r in runs {
        table.push(vec![
            Cell::text(&r.scenario),
            Cell::text(r.status.name()),
            Cell::count(r.workers as u64),
            Cell::number(r.fte),
            Cell::number(r.capacity),
            Cell::number(r.total_weight),
            Cell::share(r.max_utilization_before),
            Cell::share(r.max_utilization_after),
            Cell::share(r.spread_before),
            Cell::share(r.spread_after),
            Cell::number(r.overload_before),
            Cell::number(r.overload_after),
            Cell::count(r.moves),
            Cell::count(r.unplaced),
            Cell::count(r.over_target as u64),
        ]);
    }
    table
}

/// The comparison as CSV: one row per scenario.
pub fn compare_csv(runs: &[RunSummary]) -> String {
    table_csv(&compare_table(runs))
}

/// The trade-off curve for people: each budget with what it buys over the one before, the
/// utilizations in colour as `style` says; the sentences after the table wrapped to its width.
pub fn tradeoff_text(
    scenario: &str,
    tradeoff: &Tradeoff,
    reached_best: bool,
    style: &TextStyle,
) -> String {
    let mut out = String::new();
    let title = format!("{scenario} — equity against continuity");
    style.push_line(&mut out, "", 2, &title);
    out.push_str("\n  budget  max utilization  overload  moves  gain\n");
    let mut previous: Option<&BudgetPoint> = None;
    for p in &tradeoff.curve {
        let util = match p.max_utilization {
            Some(u) => style.paint(
                utilization_style(u, tradeoff.target),
                format!("{:>15}", percent(u)),
            ),
            None => style.paint(status_style(p.status), format!("{:>15}", "none")),
        };
        let overload = p.overload.map(points).unwrap_or_else(|| "-".into());
        let moves = p.moves.map(|m| m.to_string()).unwrap_or_else(|| "-".into());
        let gain = match (previous.and_then(|q| q.max_utilization), p.max_utilization) {
            (Some(a), Some(b)) if a - b > 1e-9 => format!("-{:.1} points", 100.0 * (a - b)),
            (Some(_), Some(_)) => "none".to_string(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {:>6}  {util}  {:>8}  {:>5}  {gain}",
            p.max_moves, overload, moves
        );
        previous = Some(p);
    }
    for sentence in tradeoff_sentences(tradeoff, reached_best) {
        out.push('\n');
        style.push_line(&mut out, "", 2, &sentence);
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
    if tradeoff.step > 1 {
        sentences.push(format!(
            "The table shows budgets {} apart, to come back quickly; --step 1 shows every budget.",
            tradeoff.step
        ));
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
        "step": tradeoff.step,
        "cut_short_by_time_limit": tradeoff.cut_short,
    });
    json_document(provenance, &body)
}

/// The columns of the trade-off table: one row per budget.
pub const TRADEOFF_COLUMNS: &[&str] = &[
    "max_moves",
    "status",
    "max_utilization",
    "overload",
    "moves",
    "discretionary_moves",
    "unplaced",
];

/// The trade-off curve as a table: one row per budget, from the smallest; a budget without a
/// proposal has empty figures.
pub fn tradeoff_table(tradeoff: &Tradeoff) -> Table {
    let mut table = Table::new(TRADEOFF_COLUMNS);
    for p in &tradeoff.curve {
        table.push(vec![
            Cell::count(p.max_moves),
            Cell::text(p.status.name()),
            p.max_utilization.map_or(Cell::Empty, Cell::share),
            p.overload.map_or(Cell::Empty, Cell::number),
            p.moves.map_or(Cell::Empty, Cell::count),
            p.discretionary_moves.map_or(Cell::Empty, Cell::count),
            p.unplaced.map_or(Cell::Empty, |n| Cell::count(n as u64)),
        ]);
    }
    table
}

/// The trade-off curve as CSV: one row per budget.
pub fn tradeoff_csv(tradeoff: &Tradeoff) -> String {
    table_csv(&tradeoff_table(tradeoff))
}

/// The trade-off curve as the bytes of an `.xlsx` workbook: a Summary (what the curve shows,
/// where it comes from) and the Curve, one row per budget, with a chart of max utilization by
/// budget.
pub fn tradeoff_xlsx(
    scenario: &str,
    tradeoff: &Tradeoff,
    reached_best: bool,
    provenance: &Provenance,
) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Book::new()?;
    let mut summary = Sheet::new("Summary")?;
    summary.heading(0, 0, &format!("{scenario} — equity against continuity"))?;
    let mut row = summary.pairs(
        2,
        &[
            ("scenario", Cell::text(scenario)),
            ("budgets", Cell::count(tradeoff.curve.len() as u64)),
            (
                "cut short by the time limit",
                Cell::Flag(tradeoff.cut_short),
            ),
        ],
    )?;
    let sentences = tradeoff_sentences(tradeoff, reached_best);
    row = summary.sentences(row, "what it shows", &sentences)?;
    summary.provenance(row + 1, provenance)?;
    book.push(summary);
    let mut curve = Sheet::new("Curve")?;
    let table = tradeoff_table(tradeoff);
    let end = curve.table(&table)?;
    let budgets = table.rows.len() as u32;
    if budgets > 0 {
        let range = |col: u16| ("Curve", 1, col, budgets, col);
        let mut chart = Chart::new(ChartType::Line);
        chart
            .add_series()
            .set_name("max utilization")
            .set_categories(range(0))
            .set_values(range(2));
        chart.title().set_name("Max utilization by move budget");
        chart.x_axis().set_name("move budget");
        chart.y_axis().set_num_format("0%");
        curve.worksheet.insert_chart(end + 1, 0, &chart)?;
    }
    book.push(curve);
    book.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_go_in_blocks_as_wide_as_the_width_allows() {
        let widths = [11, 11, 11, 11];
        assert_eq!(column_blocks(15, &widths, None), vec![0..4]);
        assert_eq!(column_blocks(15, &widths, Some(54)), vec![0..3, 3..4]);
        assert_eq!(column_blocks(15, &widths, Some(53)), vec![0..2, 2..4]);
        // A column wider than the width stands alone rather than nowhere.
        assert_eq!(
            column_blocks(15, &widths, Some(10)),
            vec![0..1, 1..2, 2..3, 3..4]
        );
        assert_eq!(column_blocks(15, &[], Some(10)), vec![0..0]);
    }
}
