//! The `check` report as a page: where the team stands today (each worker's utilization, how it
//! is spread, demand against capacity per skill, the warnings), and the charts of demand and
//! spread that the proposal's page shares.

use maud::{html, Markup};

use crate::explain::binding::Group;
use crate::explain::today::TeamSummary;
use crate::input::diagnostic::Diagnostic;
use crate::report::{percent, points, points_of};

use super::chart::{
    self, bars_legend, bin_label, utilization_counts, DemandBar, Marks, Scale, UtilizationBar,
};
use super::page::{chart_figure, figures, page};

/// The team today as a whole page, with the warnings about its input.
pub fn check_html(summary: &TeamSummary, warnings: &[Diagnostic]) -> String {
    let s = summary;
    let title = format!("{} — where the team stands", s.scenario);
    let utilizations: Vec<f64> = s
        .workers
        .iter()
        .filter(|w| w.available)
        .map(|w| w.utilization)
        .collect();
    let short = |skill: Option<&str>| match skill {
        None => s.total_weight > s.available_capacity * s.target_utilization + 1e-9,
        Some(skill) => s.skills.iter().any(|k| k.skill == skill && k.is_short()),
    };
    let demand = demand_rows(s, short);
    let caption = "Demand against capacity per skill (◆ marks a skill short of room at target)";
    let body = html! {
        header {
            h1 { (title) }
            p { "Model: " (s.model) }
            (figures(&[
                ("Staff", format!("{} ({} on leave)", s.staff, s.on_leave)),
                ("FTE available", format!("{:.2}", s.available_fte)),
                ("Capacity available", points_of(s.available_capacity)),
                ("Cases", format!("{} ({} intake, {} pinned)", s.cases, s.intake, s.pinned)),
                ("Families", s.families.to_string()),
                ("Total weight", points_of(s.total_weight)),
                ("Team utilization", format!("{} (target {})", percent(s.team_utilization), percent(s.target_utilization))),
                ("Over target", s.workers.iter().filter(|w| w.over_target).count().to_string()),
            ]))
        }
        section #team {
            h2 { "Where the team stands today" }
            (workers_figure(s))
            (histogram_figure(&utilizations, None))
            @if !demand.is_empty() {
                (chart_figure(caption, chart::demand_bars(caption, &demand), demand_legend(), demand_table(&demand)))
            }
        }
        section #warnings {
            h2 { "Warnings about the input (" (warnings.len()) ")" }
            @if warnings.is_empty() {
                p { "None." }
            } @else {
                ul.sentences {
                    @for w in warnings {
                        li { code { (w.location.to_string()) } ": " (w.message)
                            @if let Some(help) = &w.help { " (" (help) ")" } }
                    }
                }
            }
        }
    };
    page(&title, "check", body)
}

/// Each worker's utilization today, most loaded first, with the target.
fn workers_figure(s: &TeamSummary) -> Markup {
    let rows: Vec<UtilizationBar> = s
        .workers
        .iter()
        .map(|w| UtilizationBar {
            key: w.id.clone(),
            label: w.id.clone(),
            before: None,
            after: w.utilization,
            over_target: w.over_target,
            title: format!(
                "{}: {} of capacity ({} of {} points, {} cases){}",
                w.id,
                percent(w.utilization),
                points(w.load),
                points(w.capacity),
                w.cases,
                if w.available { "" } else { ", on leave" }
            ),
            link: None,
        })
        .collect();
    let scale = Scale::showing(s.workers.iter().map(|w| w.utilization));
    let marks = Marks {
        target: Some(s.target_utilization),
        band: None,
    };
    let caption = "Each worker's utilization today, most loaded first";
    let description = format!(
        "The dashed line is the target of {}.",
        percent(s.target_utilization)
    );
    let table = html! {
        table {
            thead { tr {
                th scope="col" { "Worker" } th.num scope="col" { "FTE" } th.num scope="col" { "Cases" }
                th.num scope="col" { "Load" } th.num scope="col" { "Capacity" } th.num scope="col" { "Utilization" }
            } }
            tbody {
                @for w in &s.workers {
                    tr {
                        th scope="row" { (w.id) @if !w.available { " (on leave)" } }
                        td.num { (format!("{:.2}", w.fte)) }
                        td.num { (w.cases) }
                        td.num { (points(w.load)) }
                        td.num { (points(w.capacity)) }
                        td.num.over[w.over_target] { (percent(w.utilization)) }
                    }
                }
            }
        }
    };
    chart_figure(
        caption,
        chart::utilization_bars(caption, &description, &rows, &scale, &marks),
        bars_legend(false, &marks),
        table,
    )
}

/// How utilization is spread over the available workers: today's only, or today's and after.
pub(super) fn histogram_figure(today: &[f64], after: Option<&[f64]>) -> Markup {
    let before = utilization_counts(today);
    let (caption, chart, rows) = match after {
        Some(after) => {
            let after = utilization_counts(after);
            let caption = "How the available workers' utilization is spread, today and after";
            let chart = chart::histogram(caption, Some(&before), &after);
            (
                caption,
                chart,
                before
                    .into_iter()
                    .zip(after.into_iter().map(Some))
                    .collect::<Vec<_>>(),
            )
        }
        None => {
            let caption = "How the available workers' utilization is spread today";
            let chart = chart::histogram(caption, None, &before);
            (
                caption,
                chart,
                before.into_iter().map(|b| (b, None)).collect(),
            )
        }
    };
    let both = after.is_some();
    let legend = html! {
        ul.legend {
            @if both {
                li { span.swatch style={ "background:" (chart::colour::BEFORE) } {} "today" }
                li { span.swatch style={ "background:" (chart::colour::AFTER) } {} "after" }
            } @else {
                li { span.swatch style={ "background:" (chart::colour::AFTER) } {} "workers" }
            }
        }
    };
    let table = html! {
        table {
            thead { tr {
                th scope="col" { "Utilization" }
                th.num scope="col" { "Workers today" }
                @if both { th.num scope="col" { "Workers after" } }
            } }
            tbody {
                @for (bin, (today, after)) in rows.iter().enumerate() {
                    tr {
                        th scope="row" { (bin_label(bin)) }
                        td.num { (today) }
                        @if let Some(after) = after { td.num { (after) } }
                    }
                }
            }
        }
    };
    chart_figure(caption, chart, legend, table)
}

/// A row per skill in demand, after one for the whole team: the weight of the cases against the
/// capacity at target of the available workers who may hold them; `binds` says which to mark
/// (`None` asks about the whole team).
pub(super) fn demand_rows(s: &TeamSummary, binds: impl Fn(Option<&str>) -> bool) -> Vec<DemandBar> {
    let target = percent(s.target_utilization);
    let team = DemandBar {
        label: "whole team".to_string(),
        demand: s.total_weight,
        capacity: s.available_capacity * s.target_utilization,
        binds: binds(None),
        title: format!(
            "Whole team: {} cases weigh {} points; the available workers have {} points of room at the target of {target}",
            s.cases,
            points(s.total_weight),
            points(s.available_capacity * s.target_utilization)
        ),
    };
    let skills = s.skills.iter().map(|k| DemandBar {
        label: k.skill.clone(),
        demand: k.weight,
        capacity: k.capacity_at_target,
        binds: binds(Some(&k.skill)),
        title: format!(
            "{}: {} cases need it, weighing {} points; the {} available workers who have it have {} points of room at the target of {target}, shared with their other cases",
            k.skill,
            k.cases,
            points(k.weight),
            k.workers,
            points(k.capacity_at_target)
        ),
    });
    std::iter::once(team).chain(skills).collect()
}

/// Whether a group of workers is the whole team, or the group of the workers with `skill`.
pub(super) fn group_binds(groups: &[&Group], skill: Option<&str>) -> bool {
    groups.iter().any(|g| match skill {
        None => g.whole_team,
        Some(skill) => !g.whole_team && g.shared_needs.iter().any(|s| s == skill),
    })
}

/// The legend of a demand chart.
pub(super) fn demand_legend() -> Markup {
    html! {
        ul.legend {
            li { span.swatch style={ "background:" (chart::colour::DEMAND) } {} "weight of the cases" }
            li { span.swatch style={ "background:" (chart::colour::CAPACITY) } {} "room at the target of the available workers who may hold them" }
        }
    }
}

/// The numbers of a demand chart.
pub(super) fn demand_table(rows: &[DemandBar]) -> Markup {
    html! {
        table {
            thead { tr {
                th scope="col" { "Group" } th.num scope="col" { "Weight of the cases (points)" }
                th.num scope="col" { "Capacity at target (points)" } th scope="col" { "Binds" }
            } }
            tbody {
                @for row in rows {
                    tr {
                        th scope="row" { (row.label) }
                        td.num { (points(row.demand)) }
                        td.num { (points(row.capacity)) }
                        td { (if row.binds { "yes" } else { "" }) }
                    }
                }
            }
        }
    }
}
