//! The proposal of `rebalance` and `assign` (and the changed team's, in `whatif`) as a page:
//! where the team stands (each worker before and after, the spread, demand against capacity per
//! skill, what binds, the unplaced cases), what changes (balance, other budgets, the moves as a
//! table to sort and filter) and each worker's handout. Its sentences are the text report's.

use maud::{html, Markup};
use serde::Serialize;

use crate::domain::over_target;
use crate::explain::handout::Handouts;
use crate::explain::today::TeamSummary;
use crate::explain::Explanation;
use crate::report::balance::{balance_lines, band_words};
use crate::report::binding::{budget_sentence, shortfall_sentences};
use crate::report::outcome::{conflict_lines, no_proposal_reason};
use crate::report::proposal::MoveKind;
use crate::report::proposal::{equity_why, move_kind, overload_cause, status_word, why_move};
use crate::report::{percent, points, points_of, staff_label};
use crate::solve::model::Mode;

use super::chart::{self, bars_legend, CurvePoint, DemandBar, Marks, Scale, UtilizationBar};
use super::handout::handouts_section;
use super::page::{
    case_ids, chart_figure, figures, handout_anchor, json_block, page, sentences, status_badge,
};
use super::team::{demand_legend, demand_rows, demand_table, group_binds, histogram_figure};

/// The rows of the moves table the page holds as HTML; the page's script shows the others.
pub const FIRST_PAGE: usize = 100;

/// The proposal as a whole page, with every worker's handout.
pub fn proposal_html(explanation: &Explanation<'_>) -> String {
    let title = format!(
        "{} — {}",
        explanation.scenario.name,
        job(explanation.proposal.mode)
    );
    let body = proposal_body(explanation, &utilization_scale(explanation), 1);
    page(&title, job(explanation.proposal.mode), body)
}

/// The command's name for the job.
fn job(mode: Mode) -> &'static str {
    match mode {
        Mode::Rebalance => "rebalance",
        Mode::Assign => "assign",
    }
}

/// The scale that shows every worker's utilization before and after.
pub(super) fn utilization_scale(explanation: &Explanation<'_>) -> Scale {
    Scale::showing(
        explanation
            .workers_after()
            .iter()
            .flat_map(|w| [w.utilization_before(), w.utilization_after()]),
    )
}

/// The proposal's sections, on `scale`, headings from level `level + 1` down (the page's own
/// heading is level 1; in `whatif` the proposal sits under a heading of its own).
pub(super) fn proposal_body(explanation: &Explanation<'_>, scale: &Scale, level: u8) -> Markup {
    let handouts = Handouts::of(explanation, None);
    let today = TeamSummary::of(explanation.scenario);
    let has = explanation.has_proposal();
    html! {
        (header(explanation, level))
        nav.contents aria-label="Sections" {
            ul {
                li { a href="#team" { "Where the team stands" } }
                @if has { li { a href="#changes" { "What changes" } } }
                @if has { li { a href="#per-worker" { "Per worker" } } }
            }
        }
        section #team {
            (heading(level + 1, "Where the team stands"))
            (workers_figure(explanation, scale))
            (histogram_figure(
                &available_utilizations(explanation, false),
                has.then(|| available_utilizations(explanation, true)).as_deref(),
            ))
            (binding_part(explanation, &today, level + 1))
            (unplaced_part(explanation, level + 1))
        }
        @if has {
            section #changes {
                (heading(level + 1, "What changes"))
                (balance_part(explanation, level + 1))
                (budget_part(explanation, level + 1))
                (moves_part(explanation, level + 1))
            }
            (handouts_section(&handouts, level + 1))
        }
    }
}

/// A heading of `level` (2 to 4).
pub(super) fn heading(level: u8, text: &str) -> Markup {
    html! {
        @match level {
            0 | 1 => h1 { (text) },
            2 => h2 { (text) },
            3 => h3 { (text) },
            _ => h4 { (text) },
        }
    }
}

/// The title, the status and the key figures; without a proposal, why there is none.
fn header(explanation: &Explanation<'_>, level: u8) -> Markup {
    let Explanation {
        scenario, proposal, ..
    } = explanation;
    let status = proposal.status();
    let title = format!("{} — {}", scenario.name, job(proposal.mode));
    let reason = no_proposal_reason(scenario, proposal.mode, &proposal.outcome);
    html! {
        header {
            (heading(level, &title))
            p { "Status: " (status_badge(status, status_word(status))) }
            @if let Some(reason) = &reason {
                p { "No proposal: " (reason) "." }
                @if let Some(conflict) = proposal.outcome.conflict() {
                    (sentences(&conflict_lines(scenario, conflict)))
                }
            } @else {
                (figures(&key_figures(explanation)))
                @if let Some(cause) = explanation.overload_cause() {
                    p { (points_of(explanation.figures.overload_after)) " above target remain: "
                        (overload_cause(&cause)) "." }
                }
            }
        }
    }
}

fn key_figures(explanation: &Explanation<'_>) -> Vec<(&'static str, String)> {
    let m = explanation.metrics();
    let mut moves = format!("{} ({} required", m.moves, m.required_moves);
    if let Some(budget) = explanation.proposal.budget {
        moves.push_str(&format!(", budget {budget}"));
    }
    moves.push(')');
    vec![
        (
            "Max utilization",
            format!(
                "{} → {}",
                percent(m.max_utilization_before),
                percent(m.max_utilization_after)
            ),
        ),
        (
            "Lower bound (proven)",
            percent(m.lower_bound_max_utilization),
        ),
        (
            "Overload above target",
            format!(
                "{} → {} points",
                points(m.overload_before),
                points(m.overload_after)
            ),
        ),
        ("Moves", moves),
        ("Intake placed", m.intake_placed.to_string()),
        ("Unplaced", m.unassigned.to_string()),
    ]
}

/// Utilization of the available workers, after the proposal or today.
fn available_utilizations(explanation: &Explanation<'_>, after: bool) -> Vec<f64> {
    let scenario = explanation.scenario;
    explanation
        .workers_after()
        .iter()
        .filter(|w| scenario.staff[w.worker].available)
        .map(|w| {
            if after {
                w.utilization_after()
            } else {
                w.utilization_before()
            }
        })
        .collect()
}

/// Each worker's bar, today and after, with the target and the balance band.
fn workers_figure(explanation: &Explanation<'_>, scale: &Scale) -> Markup {
    let scenario = explanation.scenario;
    let target = scenario.policy.target_utilization;
    let has = explanation.has_proposal();
    let workers = explanation.workers_after();
    let rows: Vec<UtilizationBar> = workers
        .iter()
        .map(|w| {
            let label = staff_label(scenario, w.worker);
            let leave = if scenario.staff[w.worker].available {
                ""
            } else {
                ", on leave"
            };
            let title = if has {
                format!(
                    "{label}: {} → {} of capacity ({} → {} points, {} → {} cases){leave}",
                    percent(w.utilization_before()),
                    percent(w.utilization_after()),
                    points(w.load_before),
                    points(w.load_after),
                    w.cases_before,
                    w.cases_after
                )
            } else {
                format!(
                    "{label}: {} of capacity today ({} points, {} cases){leave}",
                    percent(w.utilization_before()),
                    points(w.load_before),
                    w.cases_before
                )
            };
            UtilizationBar {
                key: scenario.staff[w.worker].id.clone(),
                label,
                before: has.then(|| w.utilization_before()),
                after: w.utilization_after(),
                over_target: over_target(w.load_after, w.capacity, target),
                title,
                // With a proposal, each worker's handout is on the page.
                link: has.then(|| format!("#{}", handout_anchor(w.worker))),
            }
        })
        .collect();
    let band = explanation.balance.as_ref().filter(|_| has).map(|b| {
        let top = explanation.figures.max_utilization_after;
        ((top - b.band).max(0.0), top)
    });
    let marks = Marks {
        target: Some(target),
        band,
    };
    let caption = if has {
        "Each worker's utilization, today and after the proposal"
    } else {
        "Each worker's utilization today"
    };
    let description = match band {
        Some(_) => format!(
            "The dashed line is the target of {}; the shaded band is the {} below the busiest worker after the proposal, within which the proposal balances the team.",
            percent(target),
            band_words(explanation.balance.as_ref().map_or(0.0, |b| b.band))
        ),
        None => format!("The dashed line is the target of {}.", percent(target)),
    };
    let chart = chart::utilization_bars(caption, &description, &rows, scale, &marks);
    html! {
        (chart_figure(caption, chart, bars_legend(has, &marks), workers_table(explanation)))
        p.note { (description) }
    }
}

fn workers_table(explanation: &Explanation<'_>) -> Markup {
    let scenario = explanation.scenario;
    let has = explanation.has_proposal();
    html! {
        table {
            thead { tr {
                th scope="col" { "Worker" } th.num scope="col" { "Capacity" }
                th.num scope="col" { "Load today" } th.num scope="col" { "Load after" }
                th.num scope="col" { "Cases today" } th.num scope="col" { "Cases after" }
                th.num scope="col" { "Utilization today" } th.num scope="col" { "Utilization after" }
            } }
            tbody {
                @for w in explanation.workers_after() {
                    tr {
                        th scope="row" {
                            @if has {
                                a href={ "#" (handout_anchor(w.worker)) } { (staff_label(scenario, w.worker)) }
                            } @else {
                                (staff_label(scenario, w.worker))
                            }
                            @if !scenario.staff[w.worker].available { " (on leave)" } }
                        td.num { (points(w.capacity)) }
                        td.num { (points(w.load_before)) }
                        td.num { (points(w.load_after)) }
                        td.num { (w.cases_before) }
                        td.num { (w.cases_after) }
                        td.num { (percent(w.utilization_before())) }
                        td.num { (percent(w.utilization_after())) }
                    }
                }
            }
        }
    }
}

/// Demand against capacity per skill, the groups that bind marked, and what binds in words.
fn binding_part(explanation: &Explanation<'_>, today: &TeamSummary, level: u8) -> Markup {
    let binding = &explanation.binding;
    let mut binds: Vec<&crate::explain::binding::Group> = Vec::new();
    binds.extend(binding.equity.as_ref());
    binds.extend(binding.overload.iter().map(|s| &s.group));
    let rows: Vec<DemandBar> = demand_rows(today, |skill| group_binds(&binds, skill));
    let mut why: Vec<String> = binding
        .equity
        .as_ref()
        .map(|g| equity_why(explanation, g))
        .into_iter()
        .collect();
    why.extend(shortfall_sentences(explanation.scenario, &binding.overload));
    let caption = "Demand against capacity per skill (◆ marks what binds)";
    html! {
        (heading(level + 1, "What binds"))
        @if why.is_empty() { p { "Nothing binds: no group of workers holds the proposal back." } }
        (sentences(&why))
        @for group in binds.iter().filter(|g| !g.whole_team) {
            (group_cases(explanation, group))
        }
        @if !rows.is_empty() {
            (chart_figure(caption, chart::demand_bars(caption, &rows), demand_legend(), demand_table(&rows)))
        }
    }
}

/// The cases behind a group that binds, folded: those no worker outside it may hold.
fn group_cases(explanation: &Explanation<'_>, group: &crate::explain::binding::Group) -> Markup {
    let scenario = explanation.scenario;
    let workers: Vec<String> = group
        .workers
        .iter()
        .map(|w| scenario.staff[*w].id.clone())
        .collect();
    html! {
        details.cases {
            summary { "The " (group.cases.len()) " cases only " (workers.join(", ")) " may hold" }
            p { (case_ids(group.cases.iter().map(|c| scenario.cases[*c].id.as_str()))) }
        }
    }
}

/// The cases no worker may hold, with why.
fn unplaced_part(explanation: &Explanation<'_>, level: u8) -> Markup {
    let scenario = explanation.scenario;
    let unplaced = &explanation.proposal.unplaced;
    html! {
        @if !unplaced.is_empty() {
            (heading(level + 1, "Unplaced cases"))
            table {
                thead { tr { th scope="col" { "Cases" } th scope="col" { "Why no worker may hold them" } } }
                tbody {
                    @for u in unplaced {
                        tr {
                            td { (case_ids(u.cases.iter().map(|c| scenario.cases[*c].id.as_str()))) }
                            td { (u.reason.sentence(scenario)) }
                        }
                    }
                }
            }
        }
    }
}

fn balance_part(explanation: &Explanation<'_>, level: u8) -> Markup {
    let scenario = explanation.scenario;
    html! {
        @if let Some(balance) = &explanation.balance {
            (heading(level + 1, "Balance"))
            (sentences(&balance_lines(scenario, balance, scenario.policy.max_moves)))
            (balance_cases(explanation, balance))
        }
    }
}

/// The cases behind the balance statement, folded: those that could still go to a lighter
/// colleague, and each busier worker's cases after the proposal, none of which goes to the
/// colleagues below them.
fn balance_cases(
    explanation: &Explanation<'_>,
    balance: &crate::explain::balance::Balance,
) -> Markup {
    let scenario = explanation.scenario;
    let mut busier: Vec<crate::domain::StaffIdx> =
        balance.gaps.iter().map(|g| g.colleague).collect();
    busier.sort();
    busier.dedup();
    let held_by = |w| {
        explanation
            .proposal
            .holder_after
            .iter_enumerated()
            .filter(move |(_, h)| **h == Some(w))
            .map(|(c, _)| scenario.cases[c].id.as_str())
    };
    html! {
        @if !balance.unbalanced.is_empty() {
            details.cases {
                summary { "The cases that could still go to a lighter colleague" }
                p { (case_ids(balance.unbalanced.iter().map(|u| scenario.cases[u.case].id.as_str()))) }
            }
        }
        @if !busier.is_empty() {
            details.cases {
                summary { "The busier workers' cases" }
                ul.sentences {
                    @for w in &busier {
                        li { (staff_label(scenario, *w)) ": " (case_ids(held_by(*w))) }
                    }
                }
            }
        }
    }
}

/// Other budgets' results, as a curve, when they were asked for.
fn budget_part(explanation: &Explanation<'_>, level: u8) -> Markup {
    let Some(current) = explanation.budget_point() else {
        return html! {};
    };
    if explanation.budget_curve.is_empty() {
        return html! {};
    }
    let mut points: Vec<CurvePoint> = explanation
        .budget_curve
        .iter()
        .map(|p| CurvePoint {
            budget: p.max_moves,
            utilization: p.max_utilization,
            title: budget_sentence(current.max_moves, &current, p),
        })
        .collect();
    points.push(CurvePoint {
        budget: current.max_moves,
        utilization: current.max_utilization,
        title: format!(
            "This proposal: budget {}, max utilization {}",
            current.max_moves,
            current.max_utilization.map(percent).unwrap_or_default()
        ),
    });
    points.sort_by_key(|p| p.budget);
    points.dedup_by_key(|p| p.budget);
    let caption = "Max utilization under other move budgets";
    let lines: Vec<String> = explanation
        .budget_curve
        .iter()
        .map(|p| budget_sentence(current.max_moves, &current, p))
        .collect();
    html! {
        (heading(level + 1, "Move budget"))
        figure {
            figcaption { (caption) }
            (chart::curve(caption, &points, Some(current.max_moves)))
        }
        (sentences(&lines))
    }
}

/// A column of the moves table: its heading and the class of its cells.
#[derive(Serialize)]
struct Column {
    name: &'static str,
    class: &'static str,
}

const COLUMNS: [Column; 7] = [
    Column {
        name: "Case",
        class: "case",
    },
    Column {
        name: "From",
        class: "from",
    },
    Column {
        name: "To",
        class: "to",
    },
    Column {
        name: "Kind of move",
        class: "kind",
    },
    Column {
        name: "Counts against the budget",
        class: "budget",
    },
    Column {
        name: "Needs",
        class: "needs",
    },
    Column {
        name: "Why",
        class: "why",
    },
];

/// A kind of move for people.
fn kind_words(kind: MoveKind) -> &'static str {
    match kind {
        MoveKind::Intake => "new intake",
        MoveKind::Required => "required",
        MoveKind::Family => "reunites a family",
        MoveKind::Equity => "evens the load",
        MoveKind::MakesRoom => "makes room",
        MoveKind::Preference => "preference",
    }
}

const KINDS: [MoveKind; 6] = [
    MoveKind::Intake,
    MoveKind::Required,
    MoveKind::Family,
    MoveKind::Equity,
    MoveKind::MakesRoom,
    MoveKind::Preference,
];

/// The name JSON gives a kind of move (`makes_room`).
fn kind_key(kind: MoveKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A move as the script's data holds it: case, from (`null` for intake), to, kind, counts
/// against the budget, needs, why.
type MoveRow<'a> = (
    &'a str,
    Option<&'a str>,
    &'a str,
    MoveKind,
    bool,
    &'a [String],
    String,
);

#[derive(Serialize)]
struct MovesData<'a> {
    columns: &'a [Column],
    kinds: std::collections::BTreeMap<String, &'static str>,
    rows: Vec<MoveRow<'a>>,
}

fn move_rows<'a>(explanation: &'a Explanation<'_>) -> Vec<MoveRow<'a>> {
    let scenario = explanation.scenario;
    explanation
        .moves
        .iter()
        .map(|m| {
            let case = &scenario.cases[m.case];
            (
                case.id.as_str(),
                m.from.map(|w| scenario.staff[w].id.as_str()),
                scenario.staff[m.to].id.as_str(),
                move_kind(m),
                m.counts_against_budget,
                case.needs.as_slice(),
                why_move(scenario, m),
            )
        })
        .collect()
}

/// The moves: filters, a table whose headings sort it, its first page as HTML and every row as
/// data for the script.
fn moves_part(explanation: &Explanation<'_>, level: u8) -> Markup {
    let scenario = explanation.scenario;
    let rows = move_rows(explanation);
    let mut skills: Vec<&String> = rows.iter().flat_map(|r| r.5.iter()).collect();
    skills.sort();
    skills.dedup();
    let intake = rows.iter().filter(|r| r.1.is_none()).count();
    let heading_text = format!(
        "Moves ({} reassignments, {intake} intake placements)",
        rows.len() - intake
    );
    let data = MovesData {
        columns: &COLUMNS,
        kinds: KINDS
            .iter()
            .map(|k| (kind_key(*k), kind_words(*k)))
            .collect(),
        rows,
    };
    html! {
        (heading(level + 1, &heading_text))
        @if data.rows.is_empty() {
            p { "No case changes worker." }
        } @else {
            div.controls #moves-controls hidden {
                label { "Worker"
                    select #moves-worker {
                        option value="" { "any worker" }
                        @for s in scenario.staff.iter() { option value=(s.id) { (s.id) } }
                    }
                }
                label { "Skill needed"
                    select #moves-skill {
                        option value="" { "any skill" }
                        @for skill in &skills { option value=(skill) { (skill) } }
                    }
                }
                label { "Kind of move"
                    select #moves-kind {
                        option value="" { "any kind" }
                        @for kind in KINDS { option value=(kind_key(kind)) { (kind_words(kind)) } }
                    }
                }
                p #moves-status aria-live="polite" {}
            }
            div.scroll {
                table.moves #moves {
                    thead { tr {
                        @for column in &COLUMNS {
                            th scope="col" aria-sort="none" { button type="button" { (column.name) } }
                        }
                    } }
                    tbody {
                        @for row in data.rows.iter().take(FIRST_PAGE) { (move_row(row)) }
                    }
                }
            }
            div.pager #moves-pager hidden {
                button type="button" #moves-prev { "Previous page" }
                span #moves-page {}
                button type="button" #moves-next { "Next page" }
            }
            @if data.rows.len() > FIRST_PAGE {
                noscript { p.noscript-note {
                    "The first " (FIRST_PAGE) " of " (data.rows.len()) " moves are shown; with JavaScript on, every move can be paged, sorted and filtered. Each worker's handout below lists all of their moves."
                } }
            }
            (json_block("moves-data", &data))
        }
    }
}

/// A row of the moves table, as the script writes it.
fn move_row(row: &MoveRow<'_>) -> Markup {
    let (case, from, to, kind, counts, needs, why) = row;
    html! {
        tr {
            td.case data-case=(case) { (case) }
            td.from { (from.unwrap_or("new intake")) }
            td.to { (to) }
            td.kind { (kind_words(*kind)) }
            td.budget { (if *counts { "yes" } else { "no" }) }
            td.needs { (needs.join(", ")) }
            td.why { (why) }
        }
    }
}
