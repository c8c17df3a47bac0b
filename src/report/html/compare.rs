//! Scenarios side by side as a page (`compare`, and today's team against the changed one in
//! `whatif`), every chart on one scale, and the trade-off curve of `tradeoff`.

use maud::{html, Markup};

use crate::explain::Explanation;
use crate::plan::compare::{RunSummary, Tradeoff};
use crate::report::compare::{compare_rows, tradeoff_sentences};
use crate::report::style::TextStyle;
use crate::report::{percent, points};

use super::chart::{self, bars_legend, CurvePoint, Marks, Scale, UtilizationBar};
use super::page::{chart_figure, page, sentences};
use super::proposal::{proposal_body, utilization_scale};

/// Many scenarios side by side as a whole page.
pub fn compare_html(runs: &[RunSummary]) -> String {
    let title = format!("{} scenarios side by side", runs.len());
    let scale = runs_scale(runs);
    let body = html! {
        header { h1 { (title) } }
        section #compared {
            (runs_part(runs, &scale))
        }
    };
    page(&title, "compare", body)
}

/// The changed team's proposal as a whole page, after today's team and the changed one side by
/// side; every utilization chart on one scale.
pub fn whatif_html(changed: &Explanation<'_>, runs: &[RunSummary; 2]) -> String {
    // The changed team's name says what changed ("... — what if: tom on leave").
    let title = changed.scenario.name.clone();
    let proposal_scale = utilization_scale(changed);
    let scale = Scale::showing([proposal_scale.max, runs_scale(runs).max]);
    let body = html! {
        header { h1 { (title) } }
        section #compared {
            h2 { "Today's team and the changed one" }
            (runs_part(runs, &scale))
        }
        section #what-if {
            (proposal_body(changed, &scale, 2))
        }
    };
    page(&title, "whatif", body)
}

/// The scale that shows every run's figures.
fn runs_scale(runs: &[RunSummary]) -> Scale {
    Scale::showing(
        runs.iter()
            .flat_map(|r| [r.max_utilization_before, r.max_utilization_after]),
    )
}

/// The scenarios named, charts of max utilization and spread on `scale`, and every figure in
/// a table, a column per scenario.
fn runs_part(runs: &[RunSummary], scale: &Scale) -> Markup {
    let name = |i: usize, r: &RunSummary| format!("[{}] {}", i + 1, r.scenario);
    let bars = |figure: &dyn Fn(&RunSummary) -> (f64, f64), what: &str| -> Vec<UtilizationBar> {
        runs.iter()
            .enumerate()
            .map(|(i, r)| {
                let (before, after) = figure(r);
                // The scenarios are named in the list above the charts; their names often
                // differ only at the end, so a bar is labelled by its number.
                UtilizationBar {
                    key: format!("{}", i + 1),
                    label: format!("[{}]", i + 1),
                    before: Some(before),
                    after,
                    over_target: r.over_target > 0,
                    title: format!(
                        "{}: {what} {} today, {} after",
                        name(i, r),
                        percent(before),
                        percent(after)
                    ),
                    link: None,
                }
            })
            .collect()
    };
    let max = bars(
        &|r| (r.max_utilization_before, r.max_utilization_after),
        "max utilization",
    );
    let spread = bars(&|r| (r.spread_before, r.spread_after), "spread");
    let marks = Marks::default();
    let max_caption =
        "Max utilization, today and after (vermillion: some worker still above target)";
    let spread_caption = "Spread: highest minus lowest utilization of the available workers";
    html! {
        ol.scenarios {
            @for r in runs { li { (r.scenario) } }
        }
        (chart_figure(
            max_caption,
            chart::utilization_bars(max_caption, "One bar pair per scenario, on the scale of every chart of this page.", &max, scale, &marks),
            bars_legend(true, &marks),
            html! {},
        ))
        (chart_figure(
            spread_caption,
            chart::utilization_bars(spread_caption, "One bar pair per scenario, on the scale of every chart of this page.", &spread, scale, &marks),
            bars_legend(true, &marks),
            html! {},
        ))
        h3 { "Every figure" }
        div.scroll { (runs_table(runs)) }
    }
}

fn runs_table(runs: &[RunSummary]) -> Markup {
    html! {
        table.compared {
            thead { tr {
                th scope="col" { "" }
                @for (i, r) in runs.iter().enumerate() { th.num scope="col" title=(r.scenario) { "[" (i + 1) "]" } }
            } }
            tbody {
                @for (label, cell) in compare_rows() {
                    tr {
                        th scope="row" { (label) }
                        @for r in runs { td.num { (cell(r, &TextStyle::PLAIN)) } }
                    }
                }
            }
        }
    }
}

/// The equity-continuity curve as a whole page: the curve as steps, what it shows, and each
/// budget's figures in a table; `reached_best` as for the text.
pub fn tradeoff_html(scenario: &str, tradeoff: &Tradeoff, reached_best: bool) -> String {
    let title = format!("{scenario} — equity against continuity");
    let curve = &tradeoff.curve;
    let dots: Vec<CurvePoint> = curve
        .iter()
        .map(|p| CurvePoint {
            budget: p.max_moves,
            utilization: p.max_utilization,
            title: match p.max_utilization {
                Some(u) => format!(
                    "Budget {}: max utilization {}, overload {} points, {} reassignments",
                    p.max_moves,
                    percent(u),
                    p.overload.map(points).unwrap_or_default(),
                    p.moves.unwrap_or(0)
                ),
                None => format!("Budget {}: no proposal ({})", p.max_moves, p.status.name()),
            },
        })
        .collect();
    let caption = "Max utilization for each move budget";
    let dash = || "–".to_string();
    let body = html! {
        header { h1 { (title) } }
        section #curve {
            @if curve.is_empty() {
                p { "No budget was solved before the time limit." }
            } @else {
                figure {
                    figcaption { (caption) }
                    (chart::curve(caption, &dots, None))
                }
            }
            (sentences(&tradeoff_sentences(tradeoff, reached_best)))
            div.scroll {
                table {
                    thead { tr {
                        th.num scope="col" { "Budget" } th scope="col" { "Status" }
                        th.num scope="col" { "Max utilization" } th.num scope="col" { "Overload (points)" }
                        th.num scope="col" { "Reassignments" } th.num scope="col" { "Discretionary" }
                        th.num scope="col" { "Unplaced" }
                    } }
                    tbody {
                        @for p in curve {
                            tr {
                                th.num scope="row" { (p.max_moves) }
                                td { (p.status.name()) }
                                td.num { (p.max_utilization.map(percent).unwrap_or_else(dash)) }
                                td.num { (p.overload.map(points).unwrap_or_else(dash)) }
                                td.num { (p.moves.map(|m| m.to_string()).unwrap_or_else(dash)) }
                                td.num { (p.discretionary_moves.map(|m| m.to_string()).unwrap_or_else(dash)) }
                                td.num { (p.unplaced.map(|m| m.to_string()).unwrap_or_else(dash)) }
                            }
                        }
                    }
                }
            }
        }
    };
    page(&title, "tradeoff", body)
}
